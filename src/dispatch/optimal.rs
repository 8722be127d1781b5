//! The day's requests as one routing problem — which technician, and in
//! what order — solved by ruin and recreate, with a lower bound.

mod bound;
mod candidates;
mod partition;
mod search;

use super::days::{Days, NONE, Pricing, Req, priority_weight};
use super::region::settle;
use super::table::TechTable;
use super::{DispatchStrategy, Plan, Unassigned, UnassignedReason};
use crate::error::{ErrorKind, Result};
use crate::model::{Priority, RegionRule, Scenario};
use candidates::Candidates;
use rayon::prelude::*;
use search::{Part, Settings};
use std::borrow::Cow;
use std::time::{Duration, Instant};

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
/// [`RegionRule::WhenNecessary`] a request goes to another region's
/// technician only when none of its own region has a place left, and a
/// visit sent across is moved home afterwards when a place opens.
///
/// **Limits.** The search runs a number of ruin-and-recreate steps (by
/// default 200 per request, at most 400,000): a run that ends on them
/// gives the same plan, byte for byte, on every machine and with any number
/// of threads. The time limit (default 60 s) is a safety net that ends the
/// whole dispatch, every phase of it, from the start of
/// [`dispatch`](DispatchStrategy::dispatch): the plan is the best found by
/// then, marked [`time_limited`](Plan::time_limited), and depends on the
/// machine's speed. Requests the limit came before are unassigned with
/// [`UnassignedReason::TimeLimit`] and count their penalty in the
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
    /// with the best plan it has (see [`Plan::time_limited`]).
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

    /// The objective of any plan of this scenario, priced from its routes
    /// as `Optimal` prices its own.
    ///
    /// Each visit's cost is read from the plan; its surcharge and its
    /// response term from the scenario and the route's start time. Whether
    /// an unassigned request is charged is decided again from the scenario
    /// (could a technician in reach have served it on its own?), not read
    /// from the plan. Visits of requests the scenario does not have count at
    /// normal priority, with no response term.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when a setting is invalid.
    pub fn objective(&self, scenario: &Scenario, plan: &Plan) -> Result<f64> {
        self.check()?;
        let table = TechTable::new(scenario);
        let starts: std::collections::HashMap<_, _> = plan
            .routes
            .iter()
            .flat_map(|r| r.stops.iter().map(|st| (st.request, st.start_min)))
            .collect();
        let mut total = 0.0;
        for a in &plan.assignments {
            let r = scenario.request(a.request);
            let w = r.map_or(1.0, |r| priority_weight(r.priority));
            let surcharge = scenario.outlet(a.outlet).map_or(0.0, |o| {
                let region = |city| scenario.city(city).map(|c| c.region);
                let crosses = r.is_some_and(|r| region(r.city) != region(o.city));
                scenario.policy().surcharge(crosses, o.tier)
            });
            let response = match (r, starts.get(&a.request)) {
                (Some(r), Some(&start)) => {
                    self.response_cost_per_min
                        * w
                        * (start - f64::from(r.window.start_min)).max(0.0)
                }
                _ => 0.0,
            };
            total += a.cost + surcharge + response;
        }
        for u in &plan.unassigned {
            let Some(r) = scenario.request(u.request) else {
                continue;
            };
            let needs = super::eligibility::Needs::of(scenario, r);
            if table.reason(scenario, r, &needs, self.max_km) == UnassignedReason::CapacityExhausted
            {
                total += self.unassigned_penalty * priority_weight(r.priority);
            }
        }
        Ok(total)
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
        if !(self.time_limit_s.is_finite() && self.time_limit_s > 0.0) {
            let t = self.time_limit_s;
            return bad(
                "time_limit_s",
                format!("{t} is not a number of seconds > 0"),
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

    /// Searches `days` part by part, in parallel, with `steps` steps in all.
    /// Returns whether the deadline stopped any part, and the requests it
    /// came before while building.
    #[allow(clippy::too_many_arguments)]
    fn search_parts<'a>(
        &self,
        days: &mut Days<'a>,
        cand: &Candidates,
        phase: u32,
        steps: u64,
        construct: bool,
        home_only: bool,
        deadline: Instant,
    ) -> (bool, Vec<u32>) {
        if Instant::now() >= deadline {
            let left = if construct {
                (0..days.reqs.len() as u32)
                    .filter(|&i| cand.servable[i as usize] && days.tech_of[i as usize] == NONE)
                    .collect()
            } else {
                Vec::new()
            };
            return (true, left);
        }
        // At most about MAX_PARTS parts: a part's setting up costs a pass over every technician.
        let size = self.part_size.max(days.reqs.len().div_ceil(MAX_PARTS));
        let cut = partition::cut(days, cand, size, phase);
        let total: usize = cut.requests.iter().map(Vec::len).sum();
        let scale = |n: usize| {
            if total == 0 {
                0
            } else {
                ((steps as f64) * n as f64 / total as f64).round() as u64
            }
        };
        let base: &Days<'a> = days;
        // Against the clock, each part's share of the phase's time on the
        // threads (parts wait their turn on a thread).
        let threads = rayon::current_num_threads() as f64;
        let phase_s = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let slot = |n: usize| {
            self.anytime.then(|| {
                Duration::from_secs_f64(
                    (phase_s * threads * n as f64 / total.max(1) as f64).min(phase_s),
                )
            })
        };
        // Per part: each of its technicians with its day's requests.
        let results: Vec<PartResult> = cut
            .requests
            .par_iter()
            .enumerate()
            .map(|(p, requests)| {
                let settings = Settings {
                    steps: scale(requests.len()),
                    t_start: T_START,
                    t_end: T_END,
                    seed: self.seed
                        ^ (u64::from(phase) << 32)
                        ^ (p as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    home_only,
                    max_km: self.max_km,
                    deadline: Some(deadline),
                    slot: slot(requests.len()),
                };
                let techs: Vec<u32> = (0..cut.part_of.len() as u32)
                    .filter(|&t| cut.part_of[t as usize] == p as u32)
                    .collect();
                let mut part = Part::new(
                    base.part(&techs),
                    cand,
                    &cut.part_of,
                    p as u32,
                    requests.clone(),
                    settings,
                );
                let unreached = if construct {
                    part.construct()
                } else {
                    Vec::new()
                };
                let stopped = part.search() || !unreached.is_empty();
                let routes: Vec<(u32, Vec<u32>)> = (0..part.days.days.len())
                    .filter(|&t| cut.part_of[t] == p as u32)
                    .map(|t| (t as u32, part.days.days[t].stops.clone()))
                    .collect();
                PartResult {
                    routes,
                    stopped,
                    unreached,
                }
            })
            .collect();
        let stopped = results.iter().any(|r| r.stopped);
        let unreached: Vec<u32> = results
            .iter()
            .flat_map(|r| r.unreached.iter().copied())
            .collect();
        // Every part's days are emptied before any is filled: a request may
        // have moved between two technicians of one part.
        for r in &results {
            for (t, _) in &r.routes {
                let t = *t as usize;
                while !days.days[t].stops.is_empty() {
                    let pos = days.days[t].stops.len() - 1;
                    days.remove_at(t, pos);
                }
            }
        }
        for r in results {
            for (t, stops) in r.routes {
                for (pos, &i) in stops.iter().enumerate() {
                    days.insert(t as usize, i as usize, pos);
                }
            }
        }
        (stopped, unreached)
    }
}

/// What the search of one part gives back.
struct PartResult {
    /// Each technician of the part with its day's requests.
    routes: Vec<(u32, Vec<u32>)>,
    /// The deadline stopped the part's work.
    stopped: bool,
    /// The requests the deadline came before while building.
    unreached: Vec<u32>,
}

impl DispatchStrategy for Optimal {
    fn name(&self) -> &str {
        "optimal"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.check()?;
        let started = Instant::now();
        let deadline = started + Duration::from_secs_f64(self.time_limit_s.min(1e9));
        let table = TechTable::new(s);
        let reqs: Vec<Req> = s.requests().par_iter().map(|r| Req::new(s, r)).collect();
        let limits = (self.sites, self.neighbours, self.max_km);
        let cand = Candidates::new(s, &table, &reqs, limits, deadline);
        // Requests the time limit left without a place: unreached while
        // building, or before their candidates were looked for.
        let mut late: Vec<bool> = cand.late.clone();
        let mut stopped = late.iter().any(|&x| x);
        let servable = cand.servable.iter().filter(|&&x| x).count();
        let mut days = Days::with_reqs(s, &table, self.pricing(), Cow::Borrowed(&reqs));
        let rule = s.policy().region;
        let home_only = rule == RegionRule::WhenNecessary;
        let steps = self.steps(servable);
        let phases = if servable > self.part_size { 2 } else { 1 };
        // The bound needs no plan: it is worked out beside the search.
        let ((bound, bound_stopped), (searched_stopped, unreached)) = rayon::join(
            || bound::lower_bound(self, s, &table, &reqs, &cand, deadline),
            || {
                let (mut any_stopped, mut unreached) = (false, Vec::new());
                for phase in 0..phases {
                    let share = match steps {
                        u64::MAX => u64::MAX,
                        _ => {
                            steps / phases as u64 + u64::from(phase == 0) * (steps % phases as u64)
                        }
                    };
                    // Against the clock, the phases share what is left of the time
                    // (keeping a tenth for the rest of the work).
                    let end = if self.anytime {
                        let left = deadline
                            .saturating_duration_since(Instant::now())
                            .mul_f64(0.9);
                        Instant::now() + left.div_f64(f64::from(phases - phase))
                    } else {
                        deadline
                    };
                    let (stop, left) = self.search_parts(
                        &mut days,
                        &cand,
                        phase,
                        share,
                        phase == 0,
                        home_only,
                        end,
                    );
                    any_stopped |= stop;
                    unreached.extend(left);
                }
                (any_stopped, unreached)
            },
        );
        stopped |= searched_stopped || bound_stopped;
        for i in unreached {
            late[i as usize] = true;
        }
        if home_only {
            // Requests its region cannot take may cross; then crossings that
            // a place at home has opened for go home.
            let all = vec![0u32; s.technicians().len()];
            let left: Vec<u32> = (0..reqs.len())
                .filter(|&i| cand.servable[i] && days.tech_of[i] == NONE && !late[i])
                .map(|i| i as u32)
                .collect();
            if !left.is_empty() {
                let settings = Settings {
                    steps: 0,
                    t_start: 1.0,
                    t_end: 1.0,
                    seed: self.seed,
                    home_only: false,
                    max_km: self.max_km,
                    deadline: Some(deadline),
                    slot: None,
                };
                let mut part = Part::new(days.clone(), &cand, &all, 0, left, settings);
                for i in part.construct() {
                    late[i as usize] = true;
                    stopped = true;
                }
                days = part.days;
            }
            settle(&mut days, s.policy().reach_km);
        }
        let unassigned: Vec<Unassigned> = (0..reqs.len())
            .filter(|&i| days.tech_of[i] == NONE)
            .map(|i| {
                let r = &s.requests()[i];
                Unassigned {
                    request: r.id,
                    reason: if late[i] {
                        UnassignedReason::TimeLimit
                    } else if cand.servable[i] {
                        UnassignedReason::CapacityExhausted
                    } else {
                        table.reason(s, r, &reqs[i].needs, self.max_km)
                    },
                }
            })
            .collect();
        // A request the time limit left out counts its penalty, as one that could be served.
        let objective = days.objective(|i| cand.servable[i] || late[i]);
        let mut plan = days.plan(self.name(), unassigned);
        plan.objective = Some(objective);
        if let Some(bound) = bound {
            let lower_bound = bound.min(objective);
            plan.lower_bound = Some(lower_bound);
            plan.gap = Some(((objective - lower_bound) / objective.abs().max(1.0)).max(0.0));
        }
        plan.time_limited = self.anytime || stopped;
        Ok(plan)
    }
}
