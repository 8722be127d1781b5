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

mod recreate;
mod ruin;
mod undo;

use super::candidates::Candidates;
use crate::dispatch::days::{Day, Days, NONE};
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

    /// Whether technician `t`, a candidate of request `i`, is this part's and may take it now.
    #[inline]
    fn mine(&self, t: usize, i: usize) -> bool {
        self.part_of[t] == self.part
            && (!self.settings.home_only
                || self.days.table.region(t) == self.days.reqs[i].needs.region)
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
}
