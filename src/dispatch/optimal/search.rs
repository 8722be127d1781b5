//! Ruin and recreate over a part of the technicians' days, accepted by
//! simulated annealing.
//!
//! A step takes a random request of the part as its seed, removes strings
//! of consecutive visits from the routes of the seed's nearest requests
//! (in the manner of SISR, Christiaens and Vanden Berghe 2020), puts every
//! removed request — and the left-out requests among the seed's
//! neighbours — back, each at its cheapest feasible place (skipping a place
//! now and then: "blinks"), and keeps the result when simulated annealing
//! accepts it; otherwise it restores the routes it touched. The best plan
//! seen is kept.
//!
//! A request's places are looked for in the routes of its nearest
//! requests, in one empty day of each kind (minutes on site, shift, start)
//! at its nearest sites, and, when none of those fits, in every day of a
//! technician at those sites: a granular neighbourhood, so a step costs the
//! same in a province or a country.

use super::candidates::Candidates;
use crate::dispatch::days::{Day, Days, NONE, Place};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// Average number of requests a ruin removes.
const RUIN_MEAN: f64 = 10.0;
/// Longest string of visits a ruin removes from one route.
const STRING_MAX: f64 = 10.0;
/// Sites whose empty days a step looks at for a request.
const EMPTY_SITES: usize = 3;
/// Candidate technicians whose days a step looks at for a request that fits nowhere else.
const FALLBACK_TECHS: usize = 48;
/// Chance that a step makes room for a left-out request.
const TARGETED: f64 = 0.2;
/// Chance that recreation skips a place it would have looked at.
const BLINK: f64 = 0.01;
/// Steps (or insertions while building) between two looks at the clock.
const CLOCK_EVERY: usize = 64;

/// How a part searches.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// Ruin-and-recreate steps.
    pub steps: u64,
    /// Temperature of the annealing at the first and the last step, as a
    /// share of the part's mean cost per visit.
    pub t_start: f64,
    pub t_end: f64,
    pub seed: u64,
    /// Only technicians of a request's own sales region.
    pub home_only: bool,
    /// The farthest a technician is sent, road km from its base.
    pub max_km: f64,
    /// Stop when this instant has passed.
    pub deadline: Option<Instant>,
    /// Search against the clock (anytime): the annealing cools over this
    /// much time from the search's start, and the steps are no limit.
    pub slot: Option<std::time::Duration>,
}

/// A part of the day under search: its technicians (by `part_of`), its
/// requests, and the days it works on.
pub(crate) struct Part<'a, 'c> {
    pub days: Days<'a>,
    cand: &'c Candidates,
    part_of: &'c [u32],
    part: u32,
    /// The part's technicians.
    techs: Vec<u32>,
    /// The part's requests (servable ones only).
    pub requests: Vec<u32>,
    /// The part's requests left out, and each request's position there.
    out: Vec<u32>,
    out_at: Vec<u32>,
    pub objective: f64,
    settings: Settings,
    rng: ChaCha8Rng,
    /// Marks per technician, valid while equal to `mark`.
    seen: Vec<u32>,
    mark: u32,
    /// Routes as they were before the current step, and requests' technicians.
    saved: Vec<(u32, Day)>,
    saved_at: Vec<u32>,
    moved: Vec<(u32, u32)>,
    step: u32,
    /// Technicians whose days changed since the best was last recorded, and the best days.
    dirty: Vec<u32>,
    is_dirty: Vec<bool>,
    best: Vec<Vec<u32>>,
    best_objective: f64,
    classes: Vec<(u64, u64, u64, usize, u64)>,
    /// Visits per non-empty route of the part, worked out now and then.
    mean_len: f64,
}

impl<'a, 'c> Part<'a, 'c> {
    /// The part `part` of `days` (its technicians `techs`, those with
    /// `part_of[t] == part`) and its requests `requests` (servable, not in a
    /// day of another part). Only the part's days of `days` are read.
    pub fn new(
        days: Days<'a>,
        cand: &'c Candidates,
        part_of: &'c [u32],
        part: u32,
        requests: Vec<u32>,
        settings: Settings,
    ) -> Part<'a, 'c> {
        let n = days.reqs.len();
        let techs = days.days.len();
        let mine: Vec<u32> = (0..techs as u32)
            .filter(|&t| part_of[t as usize] == part)
            .collect();
        let mut p = Part {
            cand,
            part_of,
            part,
            techs: mine,
            out: Vec::new(),
            out_at: vec![NONE; n],
            objective: 0.0,
            rng: ChaCha8Rng::seed_from_u64(settings.seed),
            settings,
            seen: vec![0; techs],
            mark: 0,
            saved: Vec::new(),
            saved_at: vec![0; techs],
            moved: Vec::new(),
            step: 0,
            dirty: Vec::new(),
            is_dirty: vec![false; techs],
            best: vec![Vec::new(); techs],
            best_objective: f64::INFINITY,
            classes: Vec::new(),
            mean_len: 1.0,
            requests,
            days,
        };
        for k in 0..p.requests.len() {
            let i = p.requests[k];
            if p.days.tech_of[i as usize] == NONE {
                p.push_out(i);
            }
        }
        for k in 0..p.techs.len() {
            let t = p.techs[k] as usize;
            p.best[t].clone_from(&p.days.days[t].stops);
        }
        p.objective = p.own_objective();
        p.best_objective = p.objective;
        p
    }

    /// The part's share of the objective: its days and its left-out requests.
    fn own_objective(&self) -> f64 {
        let days: f64 = self
            .techs
            .iter()
            .map(|&t| self.days.days[t as usize].cost)
            .sum();
        let left: f64 = self
            .out
            .iter()
            .map(|&i| self.days.penalty(i as usize))
            .sum();
        days + left
    }

    fn push_out(&mut self, i: u32) {
        if self.out_at[i as usize] == NONE {
            self.out_at[i as usize] = self.out.len() as u32;
            self.out.push(i);
        }
    }

    fn pull_out(&mut self, i: u32) {
        let at = self.out_at[i as usize];
        if at == NONE {
            return;
        }
        let last = *self.out.last().expect("a request is out");
        self.out.swap_remove(at as usize);
        if last != i {
            self.out_at[last as usize] = at;
        }
        self.out_at[i as usize] = NONE;
    }

    /// Whether technician `t` of this part may take request `i` within reach.
    fn eligible(&self, t: usize, i: usize) -> bool {
        if self.part_of[t] != self.part {
            return false;
        }
        let table = self.days.table;
        let needs = &self.days.reqs[i].needs;
        if !table.may_serve(t, needs)
            || (self.settings.home_only && table.region[t] != needs.region)
        {
            return false;
        }
        self.cand.sites[i].contains(&table.site_of[t])
            || self.days.reach_km(t, i) <= self.settings.max_km
    }

    /// The cheapest place for `i` in technician `t`'s day, skipping places
    /// by chance when `blink` is set; `None` also when even the visit's
    /// fixed cost is above `bound`.
    fn place_in(&mut self, t: usize, i: usize, blink: bool, bound: f64) -> Option<Place> {
        if !self.days.outlet_has_room(t) {
            return None;
        }
        let service = self.days.service_min(t, i);
        if self.days.fixed_cost(t, i, service) > bound {
            return None;
        }
        let rng = &mut self.rng;
        self.days
            .cheapest_place(t, i, service, || blink && rng.random::<f64>() < BLINK)
    }

    /// The cheapest place for request `i` among its granular candidates.
    pub fn best_insertion(&mut self, i: usize, blink: bool) -> Option<(usize, Place)> {
        self.mark = self.mark.wrapping_add(1);
        if self.mark == 0 {
            self.seen.iter_mut().for_each(|x| *x = 0);
            self.mark = 1;
        }
        let mark = self.mark;
        let mut best: Option<(usize, Place)> = None;
        let consider = |best: &mut Option<(usize, Place)>, t: usize, p: Option<Place>| {
            if let Some(p) = p
                && best.as_ref().is_none_or(|(_, b)| p.better_than(b))
            {
                *best = Some((t, p));
            }
        };
        // A place costs at least its visit's fixed cost: days whose fixed cost
        // is above the best place so far are not looked into.
        let bound =
            |best: &Option<(usize, Place)>| best.as_ref().map_or(f64::INFINITY, |(_, p)| p.delta);
        let cand = self.cand;
        // The days of the nearest requests.
        for &j in &cand.near[i] {
            let t = self.days.tech_of[j as usize];
            if t == NONE || self.seen[t as usize] == mark {
                continue;
            }
            let t = t as usize;
            self.seen[t] = mark;
            if self.eligible(t, i) {
                let p = self.place_in(t, i, blink, bound(&best));
                consider(&mut best, t, p);
            }
        }
        // One empty day of each kind among the technicians who could serve
        // it (at its nearest few sites in the search's steps).
        self.classes.clear();
        let table = self.days.table;
        let (mut sites, mut last_site) = (0, u32::MAX);
        for &t in &cand.techs[i] {
            let t = t as usize;
            if table.site_of[t] != last_site {
                last_site = table.site_of[t];
                sites += 1;
                if blink && sites > EMPTY_SITES {
                    break;
                }
            }
            if self.days.visits[t] != 0 || self.seen[t] == mark || !self.mine(t, i) {
                continue;
            }
            self.seen[t] = mark;
            let start = table.start[t];
            let key = (
                self.days.service_min(t, i).to_bits(),
                table.shift_start[t].to_bits(),
                table.shift_end[t].to_bits(),
                table.outlet[t],
                start.x().to_bits() ^ start.y().to_bits().rotate_left(32),
            );
            if self.classes.contains(&key) {
                continue;
            }
            self.classes.push(key);
            let p = self.place_in(t, i, blink, bound(&best));
            consider(&mut best, t, p);
        }
        if best.is_some() {
            return best;
        }
        // Every day of a technician at the nearest sites who could serve it
        // (those of the nearest few in the search's steps).
        let techs = &cand.techs[i];
        let techs = if blink {
            &techs[..techs.len().min(FALLBACK_TECHS)]
        } else {
            &techs[..]
        };
        for &t in techs {
            let t = t as usize;
            if self.seen[t] == mark || !self.mine(t, i) {
                continue;
            }
            self.seen[t] = mark;
            let p = self.place_in(t, i, false, bound(&best));
            consider(&mut best, t, p);
        }
        best
    }

    /// Whether technician `t`, a candidate of request `i`, is this part's and may take it now.
    #[inline]
    fn mine(&self, t: usize, i: usize) -> bool {
        self.part_of[t] == self.part
            && (!self.settings.home_only
                || self.days.table.region[t] == self.days.reqs[i].needs.region)
    }

    /// Keeps technician `t`'s day as it was before this step, once.
    fn save(&mut self, t: usize) {
        if self.saved_at[t] != self.step {
            self.saved_at[t] = self.step;
            self.saved.push((t as u32, self.days.days[t].clone()));
        }
        if !self.is_dirty[t] {
            self.is_dirty[t] = true;
            self.dirty.push(t as u32);
        }
    }

    /// Puts request `i` at its place; returns the objective's change.
    fn put(&mut self, i: usize, t: usize, pos: usize) -> f64 {
        self.save(t);
        self.moved.push((i as u32, NONE));
        self.pull_out(i as u32);
        self.days.insert(t, i, pos) - self.days.penalty(i)
    }

    /// Takes request `i` out of its day; returns the objective's change.
    fn take(&mut self, i: usize) -> f64 {
        let t = self.days.tech_of[i] as usize;
        self.save(t);
        self.moved.push((i as u32, t as u32));
        self.push_out(i as u32);
        self.days.remove(i) + self.days.penalty(i)
    }

    /// Puts every request of `order` back at its cheapest place, or leaves it out.
    fn recreate(&mut self, order: &[u32], blink: bool) -> f64 {
        let mut delta = 0.0;
        for &i in order {
            let i = i as usize;
            if self.days.tech_of[i] != NONE {
                continue;
            }
            if let Some((t, p)) = self.best_insertion(i, blink) {
                delta += self.put(i, t, p.pos);
            }
        }
        delta
    }

    /// Builds the part's days from nothing (or from what it holds): every
    /// left-out request, the most urgent and the most constrained first.
    /// Returns the requests the deadline came before.
    pub fn construct(&mut self) -> Vec<u32> {
        let mut order: Vec<u32> = self.out.clone();
        let reqs = &self.days.reqs;
        let cand = self.cand;
        order.sort_by(|&a, &b| {
            let (x, y) = (&reqs[a as usize], &reqs[b as usize]);
            y.weight
                .total_cmp(&x.weight)
                .then(
                    cand.sites[a as usize]
                        .len()
                        .cmp(&cand.sites[b as usize].len()),
                )
                .then(x.window_end.total_cmp(&y.window_end))
                .then(a.cmp(&b))
        });
        self.step += 1;
        let mut unreached = Vec::new();
        for (k, chunk) in order.chunks(CLOCK_EVERY).enumerate() {
            if self.settings.deadline.is_some_and(|d| Instant::now() >= d) {
                unreached = order[k * CLOCK_EVERY..].to_vec();
                break;
            }
            self.objective += self.recreate(chunk, false);
        }
        self.commit();
        self.record_best();
        unreached
    }

    /// Forgets the undo log: the step stands.
    fn commit(&mut self) {
        self.saved.clear();
        self.moved.clear();
    }

    /// Restores the days and the requests the step touched.
    fn undo(&mut self) {
        for (t, day) in std::mem::take(&mut self.saved).into_iter().rev() {
            self.days.restore_day(t as usize, day);
        }
        let moved = std::mem::take(&mut self.moved);
        for &(i, t) in moved.iter().rev() {
            self.days.tech_of[i as usize] = t;
        }
        for &(i, _) in &moved {
            if self.days.tech_of[i as usize] == NONE {
                self.push_out(i);
            } else {
                self.pull_out(i);
            }
        }
        self.moved = moved;
        self.moved.clear();
    }

    fn record_best(&mut self) {
        if self.objective < self.best_objective - 1e-9 * self.best_objective.abs().max(1.0) {
            self.best_objective = self.objective;
            for t in self.dirty.drain(..) {
                let t = t as usize;
                self.is_dirty[t] = false;
                self.best[t].clone_from(&self.days.days[t].stops);
            }
        }
    }

    /// A step's ruin: strings of visits taken out of routes near a seed.
    /// Usually the seed is any request of the part and the routes those of
    /// its nearest requests (SISR's adjacent strings); now and then it is a
    /// left-out request and the routes those of technicians who could take
    /// it, so that room is made where it is missing. Returns the requests to
    /// put back (a left-out seed first, then those taken out and the
    /// left-out ones among the seed's neighbours) and the objective's change.
    fn ruin(&mut self) -> (Vec<u32>, f64, bool) {
        let targeted = !self.out.is_empty() && self.rng.random::<f64>() < TARGETED;
        let seed = if targeted {
            self.out[self.rng.random_range(0..self.out.len())] as usize
        } else {
            self.requests[self.rng.random_range(0..self.requests.len())] as usize
        };
        let l_max = STRING_MAX.min(self.mean_len).max(1.0);
        let ks_max = (4.0 * RUIN_MEAN / (1.0 + l_max) - 1.0).max(1.0);
        let strings = self.rng.random_range(1.0..ks_max + 1.0).floor() as usize;
        let mut order = Vec::new();
        let mut delta = 0.0;
        let mut ruined: Vec<u32> = Vec::new();
        let cand = self.cand;
        if targeted {
            order.push(seed as u32);
            let mut techs: Vec<u32> = cand.techs[seed]
                .iter()
                .copied()
                .filter(|&t| self.days.visits[t as usize] != 0 && self.mine(t as usize, seed))
                .collect();
            for _ in 0..strings.min(techs.len()) {
                let k = self.rng.random_range(0..techs.len());
                let t = techs.swap_remove(k) as usize;
                let len = self.days.days[t].stops.len();
                let at = self.rng.random_range(0..len);
                delta += self.cut_string(t, at, l_max, &mut order);
            }
            return (order, delta, true);
        }
        for &c in std::iter::once(&(seed as u32)).chain(&cand.near[seed]) {
            if ruined.len() >= strings {
                break;
            }
            let c = c as usize;
            let t = self.days.tech_of[c];
            if t == NONE {
                if self.out_at[c] != NONE {
                    order.push(c as u32);
                }
                continue;
            }
            let t = t as usize;
            if self.part_of[t] != self.part || ruined.contains(&(t as u32)) {
                continue;
            }
            ruined.push(t as u32);
            let at = self.days.days[t]
                .stops
                .iter()
                .position(|&x| x as usize == c)
                .unwrap_or(0);
            delta += self.cut_string(t, at, l_max, &mut order);
        }
        (order, delta, false)
    }

    /// Takes out of technician `t`'s day a string of random length (at most
    /// `l_max`) that holds position `at`; appends its requests to `order`
    /// and returns the objective's change.
    fn cut_string(&mut self, t: usize, at: usize, l_max: f64, order: &mut Vec<u32>) -> f64 {
        let len = self.days.days[t].stops.len();
        let longest = (len as f64).min(l_max).max(1.0);
        let l = (self.rng.random_range(1.0..longest + 1.0).floor() as usize).clamp(1, len);
        let lo = at.saturating_sub(l - 1);
        let hi = at.min(len - l);
        let from = if hi > lo {
            self.rng.random_range(lo..=hi)
        } else {
            lo
        };
        let mut delta = 0.0;
        for pos in (from..from + l).rev() {
            let i = self.days.days[t].stops[pos] as usize;
            delta += self.take(i);
            order.push(i as u32);
        }
        delta
    }

    /// The part's mean cost per visit (1 without visits): the scale of its temperatures.
    fn cost_per_visit(&self) -> f64 {
        let (mut cost, mut visits) = (0.0, 0usize);
        for &t in &self.techs {
            cost += self.days.days[t as usize].cost;
            visits += self.days.days[t as usize].stops.len();
        }
        if visits == 0 || cost.is_nan() || cost <= 0.0 {
            1.0
        } else {
            cost / visits as f64
        }
    }

    /// Visits per non-empty route of the part.
    fn mean_route_len(&self) -> f64 {
        let (mut routes, mut visits) = (0usize, 0usize);
        for &t in &self.techs {
            let len = self.days.days[t as usize].stops.len();
            if len > 0 {
                routes += 1;
                visits += len;
            }
        }
        if routes == 0 {
            1.0
        } else {
            visits as f64 / routes as f64
        }
    }

    /// Orders the requests to put back: at random, the heaviest first, the
    /// farthest from the seed's area first or the nearest first (SISR's mix).
    fn order(&mut self, order: &mut [u32]) {
        let pick = self.rng.random_range(0..11);
        let reqs = &self.days.reqs;
        match pick {
            0..4 => {
                for k in (1..order.len()).rev() {
                    let j = self.rng.random_range(0..=k);
                    order.swap(k, j);
                }
            }
            4..8 => order.sort_by(|&a, &b| {
                reqs[b as usize]
                    .weight
                    .total_cmp(&reqs[a as usize].weight)
                    .then(
                        reqs[a as usize]
                            .window_end
                            .total_cmp(&reqs[b as usize].window_end),
                    )
                    .then(a.cmp(&b))
            }),
            _ => {
                let Some(&first) = order.first() else { return };
                let at = reqs[first as usize].point;
                let d = |i: u32| crate::spatial::great_circle_km(at, reqs[i as usize].point);
                if pick < 10 {
                    order.sort_by(|&a, &b| d(b).total_cmp(&d(a)).then(a.cmp(&b)));
                } else {
                    order.sort_by(|&a, &b| d(a).total_cmp(&d(b)).then(a.cmp(&b)));
                }
            }
        }
    }

    /// Runs the search for its steps (or until the deadline), then puts the
    /// best days back. Returns whether the deadline stopped it.
    pub fn search(&mut self) -> bool {
        let steps = self.settings.steps;
        if self.requests.is_empty() || steps == 0 {
            return false;
        }
        let scale = self.cost_per_visit();
        let (t0, t1) = (
            self.settings.t_start * scale,
            (self.settings.t_end * scale).max(1e-12),
        );
        let started = Instant::now();
        let (slot, mut elapsed) = (self.settings.slot, 0.0);
        let mut deadline = self.settings.deadline;
        if let Some(slot) = slot {
            deadline = Some(deadline.map_or(started + slot, |d| d.min(started + slot)));
        }
        let mut stopped = false;
        for k in 0..steps {
            if k % CLOCK_EVERY as u64 == 0 {
                let now = Instant::now();
                if deadline.is_some_and(|d| now >= d) {
                    stopped = true;
                    break;
                }
                if let Some(slot) = slot {
                    elapsed = (now - started).as_secs_f64() / slot.as_secs_f64().max(1e-9);
                }
            }
            if k % 256 == 0 {
                self.mean_len = self.mean_route_len();
            }
            // How far the search has come: by its steps, or against the clock.
            let progress = if slot.is_some() {
                elapsed.min(1.0)
            } else {
                k as f64 / steps as f64
            };
            let temperature = t0 * (t1 / t0).powf(progress);
            self.step = self.step.wrapping_add(1);
            let before = self.objective;
            let (mut order, ruin, targeted) = self.ruin();
            let first = usize::from(targeted);
            self.order(&mut order[first..]);
            let after = before + ruin + self.recreate(&order, true);
            let u: f64 = self.rng.random::<f64>().max(1e-300);
            if after < before - temperature * u.ln() {
                self.objective = after;
                self.commit();
                self.record_best();
            } else {
                self.undo();
            }
        }
        self.restore_best();
        stopped
    }

    /// Puts the best days seen back (the days of the part only).
    fn restore_best(&mut self) {
        if self.objective <= self.best_objective + 1e-9 * self.best_objective.abs().max(1.0) {
            return;
        }
        let techs: Vec<usize> = self.techs.iter().map(|&t| t as usize).collect();
        for &t in &techs {
            while !self.days.days[t].stops.is_empty() {
                let pos = self.days.days[t].stops.len() - 1;
                self.days.remove_at(t, pos);
            }
        }
        for &t in &techs {
            let stops = std::mem::take(&mut self.best[t]);
            for (pos, &i) in stops.iter().enumerate() {
                self.days.insert(t, i as usize, pos);
            }
            self.best[t] = stops;
        }
        for k in 0..self.requests.len() {
            let i = self.requests[k];
            if self.days.tech_of[i as usize] == NONE {
                self.push_out(i);
            } else {
                self.pull_out(i);
            }
        }
        self.objective = self.own_objective();
    }
}
