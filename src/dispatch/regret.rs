//! Capacity-aware greedy dispatch by regret: the request that would lose most
//! by waiting for its cheapest place goes first.

use super::days::{Days, NONE};
use super::eligibility::TechTable;
use super::region::settle;
use super::{DispatchStrategy, Optimal, Plan, Unassigned};
use crate::error::{ErrorKind, Result};
use crate::model::{RegionRule, Scenario};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The regret of a request with a single feasible candidate left, per unit of
/// priority weight: more than any two places' prices differ, so it goes first.
const SOLE_CANDIDATE_REGRET: f64 = 1e12;

/// Greedy dispatch by regret into the technicians' days.
///
/// **Candidates.** As [`Optimal`]'s: for each request the [`k`](Regret::k)
/// nearest technicians (by great-circle distance from their base, ties by
/// position in the scenario) who may serve it (the crate's rule of
/// eligibility: skills at the level, the outlet's categories, the
/// [`Policy`](crate::Policy)'s outlet kinds and escalation, the region under
/// [`RegionRule::Never`](crate::RegionRule::Never)), no farther than
/// [`max_km`](Regret::max_km) road km from their base, and whose visit alone
/// fits the shift and meets the time window.
///
/// **Prices.** A candidate's price is what putting the request into the
/// technician's day as it stands adds to [`Optimal`]'s objective at its
/// default settings: the tariff cost of the visit and of the driving it adds
/// at its cheapest feasible place, the response term and the policy's
/// surcharge. A candidate is feasible while its outlet has a visit left and
/// its day has a place.
///
/// **Order.** The request with the largest regret — the price of its
/// second-cheapest feasible candidate minus that of its cheapest — goes
/// next, to its cheapest place; a request with a single feasible candidate
/// has a regret above any price difference (scaled by its priority weight),
/// so it goes before the others. Ties go to the higher priority, then the
/// earlier `received_min`, then the lower id. After each placement the
/// prices of the requests that have the changed day among their candidates
/// are worked out again.
///
/// **Rounds.** Requests whose candidates all fill up take part in another
/// round, over the `k` nearest technicians (same tests) who still have a
/// place for them, and so on until a round serves nobody more. A request
/// left without any stays unassigned, with the reason the rule of
/// eligibility gives. Under
/// [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary) a visit
/// sent across a region is moved home afterwards when a technician there
/// has a place for it.
///
/// The plan is the same, byte for byte, for the same scenario.
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

    /// Sets the reach: the farthest a technician is sent, in road km from its base (> 0; may be infinite).
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

    /// Up to `k` technicians who could serve request `i` alone, nearest
    /// first; with `room`, only those with a place for it now.
    fn candidates(&self, days: &Days, i: usize, room: bool) -> Vec<u32> {
        let (s, table) = (days.s, days.table);
        let r = &s.requests()[i];
        let mut out = Vec::new();
        table.nearest_visits(
            s,
            r,
            &days.reqs[i].needs,
            self.k,
            self.max_km,
            table.longest_shift(),
            |t, _| !room || days.best_place(t, i).is_some(),
            &mut out,
        );
        out.into_iter().map(|(t, _)| t as u32).collect()
    }
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

/// A candidate's price now: the objective's growth at its cheapest place, or none.
fn price(days: &Days, t: u32, i: usize) -> Option<f64> {
    days.best_place(t as usize, i).map(|(p, _)| p.delta)
}

/// The positions in `candidates` of the cheapest and second-cheapest priced
/// candidates (ties by position).
fn best_two(prices: &[Option<f64>]) -> (Option<usize>, Option<usize>) {
    let mut best: (Option<usize>, Option<usize>) = (None, None);
    for (j, p) in prices.iter().enumerate() {
        let Some(p) = *p else { continue };
        let cheaper = |k: Option<usize>| k.is_none_or(|k| p < prices[k].unwrap_or(f64::INFINITY));
        if cheaper(best.0) {
            best = (Some(j), best.0);
        } else if cheaper(best.1) {
            best.1 = Some(j);
        }
    }
    best
}

/// One round of regret: the requests `idx` (positions in the scenario) with
/// their candidates go into `days` by regret; returns how many were placed.
fn round(days: &mut Days, idx: &[usize], candidates: &[Vec<u32>]) -> usize {
    let n = idx.len();
    let techs = days.s.technicians().len();
    let mut watchers: Vec<Vec<u32>> = vec![Vec::new(); techs];
    for (j, list) in candidates.iter().enumerate() {
        for &t in list {
            watchers[t as usize].push(j as u32);
        }
    }
    let mut outlet_techs: Vec<Vec<u32>> = vec![Vec::new(); days.s.outlets().len()];
    for (t, &o) in days.table.outlets().iter().enumerate() {
        outlet_techs[o].push(t as u32);
    }
    let tie = tie_ranks(days.s, idx);
    let mut by_tie = vec![0u32; n];
    for (j, &rank) in tie.iter().enumerate() {
        by_tie[rank as usize] = j as u32;
    }
    let mut prices: Vec<Vec<Option<f64>>> = candidates
        .iter()
        .enumerate()
        .map(|(j, list)| list.iter().map(|&t| price(days, t, idx[j])).collect())
        .collect();
    let mut version = vec![0u32; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::with_capacity(n);
    let weight = |days: &Days, j: usize| days.reqs[idx[j]].weight;
    let push = |heap: &mut BinaryHeap<Entry>,
                version: &mut [u32],
                done: &mut [bool],
                j: usize,
                prices: &[Option<f64>],
                w: f64| {
        version[j] += 1;
        let regret = match best_two(prices) {
            (None, _) => {
                done[j] = true;
                return;
            }
            (Some(_), None) => SOLE_CANDIDATE_REGRET * w,
            (Some(a), Some(b)) => prices[b].unwrap_or(0.0) - prices[a].unwrap_or(0.0),
        };
        heap.push(Entry {
            regret,
            tie: tie[j],
            version: version[j],
        });
    };
    for (j, list) in prices.iter().enumerate() {
        let w = weight(days, j);
        push(&mut heap, &mut version, &mut done, j, list, w);
    }
    let mut placed = 0;
    while let Some(e) = heap.pop() {
        let j = by_tie[e.tie as usize] as usize;
        if done[j] || e.version != version[j] {
            continue;
        }
        let (Some(a), _) = best_two(&prices[j]) else {
            done[j] = true;
            continue;
        };
        let t = candidates[j][a] as usize;
        let i = idx[j];
        let Some((place, _)) = days.best_place(t, i) else {
            // Stale price (never: prices are kept current); look again.
            prices[j][a] = None;
            let w = weight(days, j);
            push(&mut heap, &mut version, &mut done, j, &prices[j], w);
            continue;
        };
        days.insert(t, i, place.pos);
        done[j] = true;
        placed += 1;
        // Every open request that has a changed day among its candidates is priced again.
        let changed: &[u32] = if days.outlet_has_room(t) {
            std::slice::from_ref(&candidates[j][a])
        } else {
            &outlet_techs[days.table.outlet(t)]
        };
        for &u in changed {
            for &w in &watchers[u as usize] {
                let w = w as usize;
                if done[w] {
                    continue;
                }
                for (c, &v) in candidates[w].iter().enumerate() {
                    if v == u {
                        prices[w][c] = price(days, v, idx[w]);
                    }
                }
                let wt = weight(days, w);
                push(&mut heap, &mut version, &mut done, w, &prices[w], wt);
            }
        }
    }
    placed
}

impl DispatchStrategy for Regret {
    fn name(&self) -> &str {
        "regret"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.check()?;
        let table = TechTable::new(s);
        let pricing = Optimal::new().pricing();
        let mut days = Days::new(s, &table, pricing);
        // Rounds of regret: first over every request's k nearest candidates;
        // then requests left out get the k nearest that have a place for
        // them, until a round places nobody.
        let mut open: Vec<usize> = (0..s.requests().len()).collect();
        let mut first = true;
        while !open.is_empty() {
            let candidates: Vec<Vec<u32>> = open
                .par_iter()
                .map(|&i| self.candidates(&days, i, !first))
                .collect();
            first = false;
            let (idx, lists): (Vec<usize>, Vec<Vec<u32>>) = open
                .iter()
                .zip(candidates)
                .filter(|(_, c)| !c.is_empty())
                .map(|(&i, c)| (i, c))
                .unzip();
            if round(&mut days, &idx, &lists) == 0 {
                break;
            }
            open = idx
                .into_iter()
                .filter(|&i| days.tech_of[i] == NONE)
                .collect();
        }
        if s.policy().region == RegionRule::WhenNecessary {
            settle(&mut days, s.policy().reach_km);
        }
        let unassigned = (0..s.requests().len())
            .filter(|&i| days.tech_of[i] == NONE)
            .map(|i| {
                let r = &s.requests()[i];
                Unassigned {
                    request: r.id,
                    reason: table.reason(s, r, &days.reqs[i].needs, self.max_km),
                }
            })
            .collect();
        Ok(days.plan(self.name(), unassigned))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::days::priority_weight;
    use crate::model::{Policy, RegionRule};
    use crate::sim::generate::{Generator, Preset};
    use std::cmp::Reverse;

    /// The rule by brute force: every step prices every open request's
    /// candidates from scratch and takes the largest regret.
    fn round_by_scan(days: &mut Days, idx: &[usize], candidates: &[Vec<u32>]) -> usize {
        let s = days.s;
        let mut open = vec![true; idx.len()];
        let mut placed = 0;
        loop {
            type Key = (
                f64,
                crate::model::Priority,
                Reverse<u32>,
                Reverse<crate::RequestId>,
            );
            let mut top: Option<(Key, usize, u32)> = None;
            for j in 0..idx.len() {
                if !open[j] {
                    continue;
                }
                let prices: Vec<Option<f64>> = candidates[j]
                    .iter()
                    .map(|&t| price(days, t, idx[j]))
                    .collect();
                let r = &s.requests()[idx[j]];
                let regret = match best_two(&prices) {
                    (None, _) => {
                        open[j] = false;
                        continue;
                    }
                    (Some(_), None) => SOLE_CANDIDATE_REGRET * priority_weight(r.priority),
                    (Some(a), Some(b)) => prices[b].unwrap() - prices[a].unwrap(),
                };
                let a = best_two(&prices).0.unwrap();
                let key = (regret, r.priority, Reverse(r.received_min), Reverse(r.id));
                let better = top.as_ref().is_none_or(|(b, ..)| {
                    key.0
                        .total_cmp(&b.0)
                        .then(key.1.cmp(&b.1))
                        .then(key.2.cmp(&b.2))
                        .then(key.3.cmp(&b.3))
                        .is_gt()
                });
                if better {
                    top = Some((key, j, candidates[j][a]));
                }
            }
            let Some((_, j, t)) = top else {
                return placed;
            };
            open[j] = false;
            let (place, _) = days.best_place(t as usize, idx[j]).unwrap();
            days.insert(t as usize, idx[j], place.pos);
            placed += 1;
        }
    }

    #[test]
    fn the_lazy_heap_places_as_a_full_scan_does() {
        for (seed, technicians, rule, k) in [
            (1, 12, RegionRule::WhenNecessary, 8),
            (2, 25, RegionRule::Freely, 8),
            (3, 40, RegionRule::Never, 3),
            (4, 8, RegionRule::WhenNecessary, 20),
        ] {
            let mut policy = Policy::field();
            policy.region = rule;
            let s = Generator::new(Preset::province("Hainan"))
                .requests(150)
                .technicians(technicians)
                .seed(seed)
                .policy(policy)
                .build()
                .unwrap();
            let table = TechTable::new(&s);
            let regret = Regret::new().k(k);
            let pricing = Optimal::new().pricing();
            let mut fast = Days::new(&s, &table, pricing);
            let idx: Vec<usize> = (0..s.requests().len()).collect();
            let candidates: Vec<Vec<u32>> = idx
                .iter()
                .map(|&i| regret.candidates(&fast, i, false))
                .collect();
            let mut slow = Days::new(&s, &table, pricing);
            let a = round(&mut fast, &idx, &candidates);
            let b = round_by_scan(&mut slow, &idx, &candidates);
            assert!(
                a > 0 && a < s.requests().len(),
                "seed {seed}: capacity must bind"
            );
            assert_eq!(a, b, "seed {seed}");
            assert_eq!(fast.tech_of, slow.tech_of, "seed {seed}");
            for t in 0..s.technicians().len() {
                assert_eq!(fast.days[t].stops, slow.days[t].stops, "seed {seed}");
            }
        }
    }
}
