//! Capacity-aware greedy dispatch by regret: the request that would lose most
//! by waiting for its cheapest technician is served first.

use super::nearest::reason;
use super::region::settle;
use super::table::{TechTable, Visit, dense_categories};
use super::{DispatchStrategy, Optimal, Plan, Unassigned};
use crate::error::{ErrorKind, Result};
use crate::model::{RegionRule, Scenario, ServiceRequest};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

const EPS: f64 = 1e-9;

/// The regret of a request with a single feasible candidate left, per unit of
/// priority weight: more than any two visit prices differ, so it goes first.
const SOLE_CANDIDATE_REGRET: f64 = 1e12;

/// The cost per minute a customer of normal priority waits, as in
/// [`Optimal::new`]'s default, so a visit is priced as `Optimal` prices it.
const RESPONSE_COST_PER_MIN: f64 = 0.25;

/// No candidate: the end of a request's list.
const NONE: u32 = u32::MAX;

/// Greedy dispatch by regret, aware of every shift's minutes and every outlet's visits.
///
/// **Candidates.** As [`Optimal`]'s: for each request the [`k`](Regret::k)
/// nearest technicians (by great-circle distance from their base, ties by
/// position in the scenario) who cover every category at the level its
/// difficulty needs, whose outlet serves them and whose kind the scenario's
/// [`Policy`](crate::Policy) admits (of the request's own region under
/// [`RegionRule::Never`](crate::RegionRule::Never)), no farther than
/// [`max_km`](Regret::max_km) road km, whose visit alone fits the shift and
/// meets the time window. Each is priced as `Optimal` prices a visit: the
/// outlet's tariff, plus 0.25 × the request's
/// [priority weight](Optimal::priority_weight) per minute of one-way travel,
/// plus the policy's [surcharge](crate::Policy::surcharge).
///
/// **Order.** A candidate is feasible while its technician has the visit's
/// working minutes left and its outlet has a visit left. The request with
/// the largest regret — the price of its second-cheapest feasible candidate
/// minus that of its cheapest — goes next, to its cheapest; a request with a
/// single feasible candidate has a regret above any price difference (scaled
/// by its priority weight), so it goes before the others. Ties go to the
/// higher priority, then the earlier `received_min`, then the lower id.
///
/// **Rounds.** Requests whose candidates all fill up take part in another
/// round, over the `k` nearest technicians (same tests) who still have room
/// for their visit, and so on until a round serves nobody more. A request
/// left without any stays unassigned, with the reason
/// [`Nearest`](super::Nearest) would give. Under
/// [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary) a visit
/// sent across a region is moved home afterwards when a technician there has
/// room.
///
/// The plan is the same, byte for byte, for the same scenario.
///
/// **Choosing `k`.** Candidates are technicians, and the technicians of one
/// outlet usually share its base, so the `k` nearest are often all of one
/// outlet and fill up together when its daily visits run out; the later
/// rounds then reach farther out. A larger `k` sees more alternatives in
/// each round, at more time.
///
/// # Complexity
/// About `O(n k log n)` per round for `n` requests after the candidate search (done in
/// parallel): a request's regret is computed again only when a technician
/// or outlet of its two cheapest feasible candidates fills up, and its place
/// in the heap then renewed.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Regret, generate::{Generator, Preset}};
/// let scenario = Generator::new(Preset::province("Hainan")).requests(200).seed(1).build()?;
/// let plan = Regret::new().dispatch(&scenario)?;
/// assert!(servnet::verify(&scenario, &plan).is_empty());
/// assert_eq!(plan.assignments.len() + plan.unassigned.len(), 200);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regret {
    k: usize,
    max_km: f64,
}

impl Default for Regret {
    fn default() -> Self {
        Regret {
            k: 8,
            max_km: 300.0,
        }
    }
}

impl Regret {
    /// The defaults: 8 candidates per request and a reach of 300 road km.
    pub fn new() -> Self {
        Regret::default()
    }

    /// Sets how many candidates (technicians) each request gets (≥ 1).
    pub fn k(mut self, k: usize) -> Self {
        self.k = k;
        self
    }

    /// Sets the reach: the farthest a technician is sent, in road km (> 0; may be infinite).
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }

    fn check(&self) -> Result<()> {
        let bad = |name, message| Err(ErrorKind::Parameter { name, message }.into());
        if self.k == 0 {
            return bad("k", "0 candidates per request".into());
        }
        if self.max_km.is_nan() || self.max_km <= 0.0 {
            return bad("max_km", format!("{} is not a distance > 0", self.max_km));
        }
        Ok(())
    }

    /// Up to `k` technicians who could make the visit on their own, cheapest
    /// first (ties nearest first): the candidates `Optimal` finds, priced.
    fn candidates(
        &self,
        s: &Scenario,
        table: &TechTable,
        r: &ServiceRequest,
        cats: &[usize],
        room: Option<&Room>,
    ) -> Vec<Candidate> {
        let mut visits = Vec::new();
        table.nearest_visits(
            s,
            r,
            cats,
            self.k,
            self.max_km,
            table.longest_shift,
            |t, v| {
                room.is_none_or(|room| {
                    room.visits_left[table.outlet[t]] > 0
                        && v.working_min() <= room.minutes_left[t] + EPS
                })
            },
            &mut visits,
        );
        let region = TechTable::request_region(s, r);
        let w = Optimal::priority_weight(r.priority);
        let mut out: Vec<Candidate> = visits
            .into_iter()
            .map(|(t, visit)| {
                let tariff = &s.outlets()[table.outlet[t]].tariff;
                let price = tariff.cost(visit.working_min(), visit.travel_km())
                    + RESPONSE_COST_PER_MIN * w * visit.travel_min() / 2.0
                    + table.surcharge(s, t, region);
                Candidate {
                    tech: t as u32,
                    visit,
                    price,
                }
            })
            .collect();
        // Stable: equal prices keep the walk's order.
        out.sort_by(|a, b| a.price.total_cmp(&b.price));
        out
    }
}

/// What is left of every shift and every outlet's visits.
struct Room {
    minutes_left: Vec<f64>,
    visits_left: Vec<u32>,
}

impl Room {
    fn new(s: &Scenario) -> Room {
        Room {
            minutes_left: s
                .technicians()
                .iter()
                .map(|t| f64::from(t.shift_minutes))
                .collect(),
            visits_left: s.outlets().iter().map(|o| o.daily_capacity).collect(),
        }
    }
}

/// A priced visit of one technician to one request.
struct Candidate {
    tech: u32,
    visit: Visit,
    price: f64,
}

/// A request's place in the heap: the largest regret first, then the
/// request that ranks first on ties. Valid while `version` is the request's
/// current one.
struct Entry {
    regret: f64,
    /// The request's rank on ties, higher first: see [`tie_ranks`].
    tie: u32,
    version: u32,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.regret
            .total_cmp(&other.regret)
            .then(self.tie.cmp(&other.tie))
            .then(self.version.cmp(&other.version))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// The day as it fills: capacities left and each open request's two cheapest
/// feasible candidates.
struct Day<'a> {
    s: &'a Scenario,
    table: &'a TechTable,
    /// The scenario's position of each request taking part.
    idx: &'a [usize],
    candidates: &'a [Vec<Candidate>],
    room: &'a mut Room,
    /// Per request, its rank on ties; and the request of each rank.
    tie: Vec<u32>,
    by_tie: Vec<u32>,
    /// Per request, where its cheapest feasible candidate may be: every one
    /// before is full for good (capacities only shrink).
    cursor: Vec<u32>,
    /// Per request, its cheapest and second-cheapest feasible candidates (`NONE` for none).
    best: Vec<(u32, u32)>,
    version: Vec<u32>,
    done: Vec<bool>,
    /// Per technician, the open requests that may have it among their best
    /// two, the one that needs most minutes on top.
    watchers: Vec<BinaryHeap<Watch>>,
    heap: BinaryHeap<Entry>,
}

impl Day<'_> {
    fn feasible(&self, c: &Candidate) -> bool {
        let t = c.tech as usize;
        self.room.visits_left[self.table.outlet[t]] > 0
            && c.visit.working_min() <= self.room.minutes_left[t] + EPS
    }

    /// Request `i`'s two cheapest feasible candidates now.
    fn best_two(&mut self, i: usize) -> (u32, u32) {
        let list = &self.candidates[i];
        let mut at = self.cursor[i] as usize;
        while at < list.len() && !self.feasible(&list[at]) {
            at += 1;
        }
        self.cursor[i] = at as u32;
        if at == list.len() {
            return (NONE, NONE);
        }
        let second = (at + 1..list.len()).find(|&j| self.feasible(&list[j]));
        (at as u32, second.map_or(NONE, |j| j as u32))
    }

    /// Records request `i`'s best two, watches their technicians and queues
    /// it; a request with none left is done, unassigned.
    fn renew(&mut self, i: usize, best: (u32, u32)) {
        self.best[i] = best;
        self.version[i] += 1;
        let (first, second) = best;
        if first == NONE {
            self.done[i] = true;
            return;
        }
        let list = &self.candidates[i];
        let regret = if second == NONE {
            SOLE_CANDIDATE_REGRET
                * Optimal::priority_weight(self.s.requests()[self.idx[i]].priority)
        } else {
            list[second as usize].price - list[first as usize].price
        };
        for j in [first, second] {
            if j != NONE {
                let c = &list[j as usize];
                self.watchers[c.tech as usize].push(Watch {
                    need_min: c.visit.working_min(),
                    request: i as u32,
                });
            }
        }
        self.heap.push(Entry {
            regret,
            tie: self.tie[i],
            version: self.version[i],
        });
    }

    /// After technician `t` lost capacity (all of it when its outlet is
    /// full): renews every open request whose candidate of `t` was among its
    /// best two and is full now. Requests whose candidate still fits are not
    /// looked at.
    fn recheck(&mut self, t: usize, outlet_full: bool) {
        let mut heap = std::mem::take(&mut self.watchers[t]);
        let left = self.room.minutes_left[t] + EPS;
        while let Some(w) = heap.peek() {
            if !outlet_full && w.need_min <= left {
                break;
            }
            let i = w.request as usize;
            heap.pop();
            if self.done[i] {
                continue;
            }
            let (first, second) = self.best[i];
            let cands = &self.candidates[i];
            let mine = [first, second]
                .into_iter()
                .any(|j| j != NONE && cands[j as usize].tech as usize == t);
            if mine {
                let best = self.best_two(i);
                self.renew(i, best);
            }
        }
        // `renew` watches only technicians with room, never `t` here; keep
        // whatever it added all the same.
        let added = std::mem::replace(&mut self.watchers[t], heap);
        self.watchers[t].extend(added);
    }
}

/// A request watching a technician: the minutes its visit needs.
struct Watch {
    need_min: f64,
    request: u32,
}

impl Ord for Watch {
    fn cmp(&self, other: &Self) -> Ordering {
        self.need_min
            .total_cmp(&other.need_min)
            .then(self.request.cmp(&other.request))
    }
}

impl PartialOrd for Watch {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Watch {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Watch {}

/// Each request's rank on ties, higher first: by priority, then earlier
/// `received_min`, then lower id (then position, should ids repeat).
fn tie_ranks(s: &Scenario, idx: &[usize]) -> Vec<u32> {
    let requests = s.requests();
    let mut order: Vec<usize> = (0..idx.len()).collect();
    order.sort_by_key(|&i| {
        let r = &requests[idx[i]];
        (std::cmp::Reverse(r.priority), r.received_min, r.id, idx[i])
    });
    let mut tie = vec![0; idx.len()];
    for (rank, &i) in order.iter().rev().enumerate() {
        tie[i] = rank as u32;
    }
    tie
}

impl DispatchStrategy for Regret {
    fn name(&self) -> &str {
        "regret"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.check()?;
        let table = TechTable::new(s);
        let requests = s.requests();
        let n = requests.len();
        // Rounds of regret: first over every request's k nearest candidates;
        // then requests whose candidates all filled up get the k nearest that
        // still have room, until a round serves nobody more.
        let mut room = Room::new(s);
        let mut chosen: Vec<Option<(u32, Visit)>> = vec![None; n];
        let mut open: Vec<usize> = (0..n).collect();
        let mut first = true;
        while !open.is_empty() {
            let candidates: Vec<Vec<Candidate>> = open
                .par_iter()
                .map_init(Vec::new, |cats, &i| {
                    dense_categories(s, &requests[i], cats);
                    let filter = if first { None } else { Some(&room) };
                    self.candidates(s, &table, &requests[i], cats, filter)
                })
                .collect();
            first = false;
            let picks = choose(s, &table, &open, &candidates, &mut room);
            let mut next = Vec::new();
            for (j, &i) in open.iter().enumerate() {
                match picks[j] {
                    Some(c) => {
                        let cand = &candidates[j][c as usize];
                        chosen[i] = Some((cand.tech, cand.visit));
                    }
                    None if !candidates[j].is_empty() => next.push(i),
                    None => {}
                }
            }
            if picks.iter().all(Option::is_none) {
                break;
            }
            open = next;
        }

        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (requests[i].received_min, requests[i].id));
        let mut plan = Plan {
            strategy: self.name().to_string(),
            ..Plan::default()
        };
        let mut cats = Vec::new();
        for i in order {
            let r = &requests[i];
            if let Some((t, visit)) = chosen[i] {
                plan.assignments
                    .push(table.assignment(s, t as usize, r, &visit));
            } else {
                dense_categories(s, r, &mut cats);
                let reason = reason(s, &table, r, &cats, r.required_level(), self.max_km);
                plan.unassigned.push(Unassigned {
                    request: r.id,
                    reason,
                });
            }
        }
        if s.policy().region == RegionRule::WhenNecessary {
            settle(s, &table, &mut plan);
        }
        Ok(plan)
    }
}

/// The chosen candidate (its position in its list) of each request taking
/// part (`idx`: their positions in the scenario; `candidates` in that
/// order), by regret, using up `room`.
fn choose(
    s: &Scenario,
    table: &TechTable,
    idx: &[usize],
    candidates: &[Vec<Candidate>],
    room: &mut Room,
) -> Vec<Option<u32>> {
    let mut outlet_techs: Vec<Vec<usize>> = vec![Vec::new(); s.outlets().len()];
    for (t, &o) in table.outlet.iter().enumerate() {
        outlet_techs[o].push(t);
    }
    let n = idx.len();
    let tie = tie_ranks(s, idx);
    let mut by_tie = vec![0; n];
    for (i, &rank) in tie.iter().enumerate() {
        by_tie[rank as usize] = i as u32;
    }
    let mut day = Day {
        s,
        table,
        idx,
        candidates,
        room,
        tie,
        by_tie,
        cursor: vec![0; n],
        best: vec![(NONE, NONE); n],
        version: vec![0; n],
        done: vec![false; n],
        watchers: (0..s.technicians().len())
            .map(|_| BinaryHeap::new())
            .collect(),
        heap: BinaryHeap::with_capacity(n),
    };
    for i in 0..n {
        let best = day.best_two(i);
        day.renew(i, best);
    }
    let mut chosen = vec![None; n];
    while let Some(e) = day.heap.pop() {
        let i = day.by_tie[e.tie as usize] as usize;
        if day.done[i] || e.version != day.version[i] {
            continue;
        }
        day.done[i] = true;
        let c = day.best[i].0;
        chosen[i] = Some(c);
        let cand = &candidates[i][c as usize];
        let t = cand.tech as usize;
        let o = table.outlet[t];
        day.room.minutes_left[t] -= cand.visit.working_min();
        day.room.visits_left[o] -= 1;
        if day.room.visits_left[o] == 0 {
            for &u in &outlet_techs[o] {
                day.recheck(u, true);
            }
        } else {
            day.recheck(t, false);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Policy, Priority, RegionRule, RequestId};
    use crate::sim::generate::{Generator, Preset};
    use std::cmp::Reverse;

    /// The rule by brute force: every step scans every open request.
    fn choose_by_scan(
        s: &Scenario,
        table: &TechTable,
        candidates: &[Vec<Candidate>],
    ) -> Vec<Option<u32>> {
        let n = s.requests().len();
        let mut minutes_left: Vec<f64> = s
            .technicians()
            .iter()
            .map(|t| f64::from(t.shift_minutes))
            .collect();
        let mut visits_left: Vec<u32> = s.outlets().iter().map(|o| o.daily_capacity).collect();
        let mut open = vec![true; n];
        let mut chosen = vec![None; n];
        loop {
            // (regret, priority, earlier arrival, lower id), largest first; the request; its cheapest.
            type Key = (f64, Priority, Reverse<u32>, Reverse<RequestId>);
            let mut top: Option<(Key, usize, u32)> = None;
            for i in 0..n {
                if !open[i] {
                    continue;
                }
                let feasible: Vec<usize> = (0..candidates[i].len())
                    .filter(|&j| {
                        let c = &candidates[i][j];
                        let t = c.tech as usize;
                        visits_left[table.outlet[t]] > 0
                            && c.visit.working_min() <= minutes_left[t] + EPS
                    })
                    .take(2)
                    .collect();
                let r = &s.requests()[i];
                let regret = match feasible[..] {
                    [] => {
                        open[i] = false;
                        continue;
                    }
                    [_] => SOLE_CANDIDATE_REGRET * Optimal::priority_weight(r.priority),
                    [a, b, ..] => candidates[i][b].price - candidates[i][a].price,
                };
                let key = (regret, r.priority, Reverse(r.received_min), Reverse(r.id));
                let better = |(b, ..): &(Key, usize, u32)| {
                    key.0
                        .total_cmp(&b.0)
                        .then(key.1.cmp(&b.1))
                        .then(key.2.cmp(&b.2))
                        .then(key.3.cmp(&b.3))
                        .is_gt()
                };
                if top.as_ref().is_none_or(better) {
                    top = Some((key, i, feasible[0] as u32));
                }
            }
            let Some((_, i, c)) = top else {
                return chosen;
            };
            open[i] = false;
            chosen[i] = Some(c);
            let cand = &candidates[i][c as usize];
            minutes_left[cand.tech as usize] -= cand.visit.working_min();
            visits_left[table.outlet[cand.tech as usize]] -= 1;
        }
    }

    #[test]
    fn the_lazy_heap_chooses_as_a_full_scan_does() {
        for (seed, technicians, rule, k) in [
            (1, 12, RegionRule::WhenNecessary, 8),
            (2, 25, RegionRule::Freely, 8),
            (3, 40, RegionRule::Never, 3),
            (4, 8, RegionRule::WhenNecessary, 20),
            (5, 60, RegionRule::Freely, 2),
        ] {
            let mut policy = Policy::field();
            policy.region = rule;
            let s = Generator::new(Preset::province("Hainan"))
                .requests(400)
                .technicians(technicians)
                .seed(seed)
                .policy(policy)
                .build()
                .unwrap();
            let table = TechTable::new(&s);
            let regret = Regret::new().k(k);
            let mut cats = Vec::new();
            let candidates: Vec<Vec<Candidate>> = s
                .requests()
                .iter()
                .map(|r| {
                    dense_categories(&s, r, &mut cats);
                    regret.candidates(&s, &table, r, &cats, None)
                })
                .collect();
            let idx: Vec<usize> = (0..s.requests().len()).collect();
            let fast = choose(&s, &table, &idx, &candidates, &mut Room::new(&s));
            let slow = choose_by_scan(&s, &table, &candidates);
            let served = fast.iter().flatten().count();
            assert!(
                served > 0 && served < s.requests().len(),
                "seed {seed}: capacity must bind"
            );
            assert_eq!(fast, slow, "seed {seed}");
        }
    }
}
