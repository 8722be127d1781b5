//! The day's requests as one routing problem — which technician, and in
//! what order — solved by ruin and recreate, with a lower bound. Here: the
//! strategy and its settings; the dispatch, its phases and the objective
//! are in the submodules.

mod bound;
mod candidates;
mod objective;
mod partition;
mod parts;
mod search;
mod solve;

use super::days::{Pricing, priority_weight};
use crate::error::{ErrorKind, Result};
use crate::model::Priority;

/// Optimal dispatch: every request of the day at once, as a routing
/// problem — which technician serves which request and in what order each
/// drives its day — with a lower bound on what any plan can cost.
///
/// **Rules.** Every visit obeys the crate's rule of eligibility (skills at
/// the level, the outlet's categories, the [`Policy`](crate::Policy)'s
/// outlet kinds and escalation, the region rule), lies within
/// [`max_km`](Optimal::max_km) road km of the technician's base, and sits
/// in its technician's route where it and every visit after it start
/// inside their windows, the day ends by the shift's end, and the outlet's
/// daily visits are not exceeded.
///
/// **Objective**, minimised, priced from the routes, with `w` the request's
/// [priority weight](Optimal::priority_weight):
///
/// - each visit: its `cost` under the outlet's tariff (the fee, the minutes
///   on site, and its leg of the day's driving, the last visit also the way
///   back), plus `response_cost_per_min × w × minutes` it starts after its
///   window opens, plus the policy's [surcharge](crate::Policy::surcharge)
///   for crossing a region or using an outlet below the gold tier;
/// - each request left unassigned that some technician could have served
///   on its own (reason `capacity_exhausted`): `unassigned_penalty × w`.
///   Requests no plan can serve cost nothing.
///
/// The default penalty outweighs any visit of a generated network, so as
/// many requests as possible are served, urgent ones first.
///
/// **Search.** Every request's candidates are found once: the nearest
/// [`sites`](Optimal::sites) (technicians' bases) with a technician who
/// could serve it alone, and its [`neighbours`](Optimal::neighbours)
/// nearest requests. The outlets are cut into parts of about
/// [`part_size`](Optimal::part_size) requests, by alternate cuts of
/// longitude and latitude that balance the requests; parts are solved in
/// parallel. Each part builds its days by cheapest feasible insertion (the
/// most urgent and most constrained requests first), then improves them by
/// ruin and recreate in the manner of SISR (Christiaens and Vanden Berghe,
/// 2020): strings of visits are taken out of the routes around a random
/// request — now and then around a left-out one, out of the days of
/// technicians who could take it — and put back at their cheapest feasible
/// places, and simulated annealing (at temperatures relative to the part's
/// cost per visit) decides what stays; the best days seen are kept. Large days
/// are cut a second time along other lines and searched again, so that no
/// border stays where it was. Under
/// [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary) a request goes to another region's
/// technician only when none of its own region has a place left, and a
/// visit sent across is moved home afterwards when a place opens.
///
/// **Limits.** The search runs a number of ruin-and-recreate steps (by
/// default 200 per request, at most 400,000): a run that ends on them
/// gives the same plan, byte for byte, on every machine and with any number
/// of threads. The time limit (default 60 s) is a safety net that ends the
/// whole dispatch, every phase of it, from the start of
/// [`dispatch`](crate::DispatchStrategy::dispatch): the plan is the best found by
/// then, marked [`time_limited`](crate::Plan::time_limited), and depends on the
/// machine's speed. Requests the limit came before are unassigned with
/// [`UnassignedReason::TimeLimit`](crate::UnassignedReason::TimeLimit) and count their penalty in the
/// objective. The bound gets a fixed amount of work, so it is the same
/// however the search ends; when the limit comes before that work is
/// done, the bound is the relaxation at zero prices (or none).
/// [`anytime`](Optimal::anytime) searches for a given time instead,
/// cooling over it.
///
/// **Bound.** The plan reports its objective, a lower bound on the
/// objective of every plan that keeps the rules, and the relative gap. The
/// bound relaxes the routes into an assignment: a visit's driving is only
/// the cheapest leg that could lead into it (from the technician's start,
/// or from another request that could come before it), and a technician's
/// (or an outlet's) day only its minutes, solved by prices on the
/// capacities.
///
/// Unassigned requests carry the reason the rule of eligibility gives.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Optimal, verify, generate::{Generator, Preset}};
/// let scenario = Generator::new(Preset::province("Hainan")).requests(200).seed(1).build()?;
/// let plan = Optimal::new().work_limit(5_000).dispatch(&scenario)?;
/// assert!(verify(&scenario, &plan).is_empty());
/// assert_eq!(plan.assignments.len() + plan.unassigned.len(), 200);
/// assert!(plan.lower_bound.unwrap() <= plan.objective.unwrap());
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Optimal {
    sites: usize,
    neighbours: usize,
    max_km: f64,
    time_limit_s: f64,
    work_limit: Option<u64>,
    anytime: bool,
    part_size: usize,
    seed: u64,
    unassigned_penalty: f64,
    response_cost_per_min: f64,
}

impl Default for Optimal {
    fn default() -> Self {
        Optimal {
            sites: 6,
            neighbours: 24,
            max_km: 300.0,
            time_limit_s: 60.0,
            work_limit: None,
            anytime: false,
            part_size: 1_500,
            seed: 0,
            unassigned_penalty: 2000.0,
            response_cost_per_min: 0.01,
        }
    }
}

/// Ruin-and-recreate steps per request by default.
const STEPS_PER_REQUEST: u64 = 200;
/// The most steps by default.
const STEPS_MAX: u64 = 400_000;
/// Parts a day is cut into, at most about.
const MAX_PARTS: usize = 64;
/// Temperatures of the annealing at the first and last step, as shares of a
/// part's mean cost per visit.
const T_START: f64 = 1.0;
const T_END: f64 = 0.01;

impl Optimal {
    /// The defaults: the 6 nearest sites and 24 nearest requests per
    /// request, a reach of 300 road km, parts of about 1,500 requests (more
    /// on days of over 96,000, so that there are about 64 parts), 200 steps
    /// of search per request (at most 400,000), a 60 s time limit, seed 0, a
    /// penalty of 2000 per unserved request and 0.01 per minute a visit
    /// starts after its window opens (both at normal priority).
    pub fn new() -> Self {
        Optimal::default()
    }

    /// Sets how many of the nearest sites with a technician who could serve
    /// a request are its candidates (≥ 1).
    pub fn sites(mut self, sites: usize) -> Self {
        self.sites = sites;
        self
    }

    /// Sets how many of a request's nearest requests lend it their routes as candidates.
    pub fn neighbours(mut self, n: usize) -> Self {
        self.neighbours = n;
        self
    }

    /// Sets the reach: the farthest a technician is sent, in road km from its base (> 0; may be infinite).
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }

    /// Sets the time limit in seconds (> 0) after which the dispatch stops
    /// with the best plan it has (see [`Plan::time_limited`](crate::Plan::time_limited)).
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = seconds;
        self
    }

    /// Sets the number of ruin-and-recreate steps over the whole day (0:
    /// construction only); the search is no longer [anytime](Optimal::anytime).
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.work_limit = Some(steps);
        self.anytime = false;
        self
    }

    /// Searches for `seconds` (> 0) whatever the number of steps, the
    /// annealing cooling over the time: an anytime search, which uses the
    /// time it is given and whose plan depends on the machine's speed (the
    /// default, a number of steps, gives the same plan everywhere).
    pub fn anytime(mut self, seconds: f64) -> Self {
        self.time_limit_s = seconds;
        self.work_limit = None;
        self.anytime = true;
        self
    }

    /// Sets about how many requests a part of the day has (≥ 1): parts are
    /// searched in parallel; smaller ones run faster, larger ones see more.
    pub fn part_size(mut self, requests: usize) -> Self {
        self.part_size = requests;
        self
    }

    /// Sets the seed of the search's random choices.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the cost of leaving a servable request of normal priority unassigned (≥ 0).
    pub fn unassigned_penalty(mut self, cost: f64) -> Self {
        self.unassigned_penalty = cost;
        self
    }

    /// Sets the cost per minute a visit of normal priority starts after its window opens (≥ 0).
    pub fn response_cost_per_min(mut self, cost: f64) -> Self {
        self.response_cost_per_min = cost;
        self
    }

    /// What a priority weighs in the objective: low 0.5, normal 1, high 2, urgent 4.
    pub fn priority_weight(priority: Priority) -> f64 {
        priority_weight(priority)
    }

    pub(super) fn pricing(&self) -> Pricing {
        Pricing {
            unassigned_penalty: self.unassigned_penalty,
            response_cost_per_min: self.response_cost_per_min,
        }
    }

    fn check(&self) -> Result<()> {
        let bad = |name, message| Err(ErrorKind::Parameter { name, message }.into());
        if self.sites == 0 {
            return bad("sites", "0 sites per request".into());
        }
        if self.part_size == 0 {
            return bad("part_size", "parts of 0 requests".into());
        }
        if self.max_km.is_nan() || self.max_km <= 0.0 {
            return bad("max_km", format!("{} is not a distance > 0", self.max_km));
        }
        crate::assign::deadline::check_time_limit("time_limit_s", self.time_limit_s)?;
        if !self.time_limit_s.is_finite() {
            return bad(
                "time_limit_s",
                "an infinite time limit; give seconds".into(),
            );
        }
        for (name, x) in [
            ("unassigned_penalty", self.unassigned_penalty),
            ("response_cost_per_min", self.response_cost_per_min),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                return bad(name, format!("{x} is not a finite cost ≥ 0"));
            }
        }
        Ok(())
    }

    /// The steps of search for `n` servable requests.
    fn steps(&self, n: usize) -> u64 {
        if self.anytime {
            return u64::MAX;
        }
        self.work_limit
            .unwrap_or_else(|| (STEPS_PER_REQUEST * n as u64).min(STEPS_MAX))
    }
}
