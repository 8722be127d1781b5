//! Days of demand run through the call center, strategy by strategy, on the
//! same network and the same calls.
//!
//! Each day, dispatch runs in rounds (every [`SimConfig::round_every_min`]
//! minutes from midnight) over the backlog: the requests called in so far
//! and not yet served. A round is a scenario of its own — the technicians
//! with what is left of their shifts, the outlets with the visits left for
//! the day, the backlog with its windows and aged priorities — so every
//! round's plan is checked by [`verify`] against it. Work not served carries
//! over to the next round.
//!
//! Plans are routes, and technicians drive them: a round's visits happen at
//! the times of their technician's route, and a technician's position and
//! clock carry over within the day — in the next round it starts where its
//! last visit was ([`Technician::start`]), when it leaves that visit (or
//! at the round, if later). Response times and SLA hits come from the
//! arrival of the first technician at each request. A visit's km and cost
//! are those of the leg into it; the way back to the base is driven once,
//! after the day's last round, from wherever the technician's last visit
//! was, and counts in the km, cost and minutes worked of the day.

use super::generate::{DemandMix, Generator, Preset, cumulative_weights, pick_index};
use super::kpi::{BacklogEntry, KindKpis, Report, StrategyKpis, kind_name};
use super::triage::Triage;
use crate::dispatch::{
    DispatchStrategy, Nearest, Optimal, Plan, RegionNearest, Regret, split_one_stop, verify,
};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::*;
use crate::travel::TravelModel;
use geo::Point;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Instant;

const DAY: u32 = 1440;

/// Ruin-and-recreate steps the default `Optimal` runs in each round of a
/// simulation, whatever the round's size (see [`crate::Optimal::work_limit`]).
///
/// Chosen for the national week, `servnet simulate --preset national --days
/// 7 --seed 7` (35 rounds of up to several thousand requests), which must
/// stay within 2 minutes on a 2-core machine with the four default
/// strategies running in parallel. Measured on a 2-core machine, wall time
/// of the whole week and Optimal's SLA hit rate and cost per visit (Nearest:
/// 89.6%, 132.3), with the response cost of [`SIM_RESPONSE_COST`] and, for
/// comparison, with smaller ones:
///
/// | steps a round | response cost | wall | SLA hit | cost / visit |
/// |---|---|---|---|---|
/// | 10,000 | 0.01 | 9 s | 92.7% | 120.9 |
/// | 10,000 | 0.05 | 10 s | 94.1% | 119.8 |
/// | 10,000 | 0.25 | 10 s | 95.8% | 119.7 |
/// | 20,000 | 0.25 | 14 s | 95.8% | 119.2 |
/// | 40,000 | 0.25 | 24 s | 95.9% | 118.8 |
///
/// A response cost that makes early visits count buys more than further
/// steps; 40,000 steps leave a machine several times slower within the 2 minutes.
pub const SIM_WORK_LIMIT: u64 = 40_000;

/// What the default `Optimal` of a simulation charges per minute a visit
/// starts after its window opens, at normal priority (see
/// [`crate::Optimal::response_cost_per_min`]): a round's window is the rest
/// of the day, so the sooner in it, the sooner the customer is served.
pub const SIM_RESPONSE_COST: f64 = 0.25;

/// Calls by hour of the day: the call center answers 7×24, most calls come by day.
const HOURS: [f64; 24] = [
    0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 1.0, 3.0, 7.0, 9.0, 10.0, 9.0, 7.0, 8.0, 9.0, 8.0, 7.0, 6.0, 5.0,
    4.0, 3.0, 2.0, 1.0, 0.6,
];

/// Calls by day of the week, Monday first: more at the weekend.
const WEEKDAYS: [f64; 7] = [1.0, 0.95, 0.95, 1.0, 1.05, 1.25, 1.2];

/// The call center's settings for a simulation: triage, the dispatch policy
/// and how often dispatch runs. Loadable from JSON, checked when loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimConfig {
    /// Phone resolution, first-time fix, SLAs.
    #[serde(default)]
    pub triage: Triage,
    /// Which outlet kinds take which work, escalation, region crossing.
    #[serde(default = "sim_policy")]
    pub policy: Policy,
    /// Minutes between dispatch rounds, from midnight (60: every hour; 1440: once a day).
    #[serde(default = "default_round")]
    pub round_every_min: u32,
}

/// The trade's policy ([`Policy::field`]), but free to cross regions at its
/// crossing cost, so that strategies that keep to the region and those that
/// do not can be compared.
fn sim_policy() -> Policy {
    Policy {
        region: RegionRule::Freely,
        ..Policy::field()
    }
}

fn default_round() -> u32 {
    240
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            triage: Triage::default(),
            policy: sim_policy(),
            round_every_min: default_round(),
        }
    }
}

impl SimConfig {
    /// Every problem of the settings against the default catalog (empty when sound).
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = self.triage.problems();
        out.extend(self.policy.problems(&Catalog::default()));
        if !(1..=DAY).contains(&self.round_every_min) {
            out.push(Problem::new(
                ProblemCode::OutOfRange,
                "simulation",
                None,
                "round_every_min",
                format!("{} is outside 1..=1440", self.round_every_min),
            ));
        }
        out
    }

    fn check(&self) -> Result<()> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ErrorKind::Invalid(problems).into())
        }
    }
}

/// How far a run has come: `rounds_done` of `rounds` for strategy `strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Position of the strategy in the run.
    pub strategy: usize,
    /// Rounds it has finished.
    pub rounds_done: usize,
    /// Rounds in all.
    pub rounds: usize,
}

/// A seeded multi-day simulation of the call center: a generated network,
/// a week (or any number of days) of demand, and every strategy dispatching
/// the same calls.
///
/// Defaults: 7 days, 20,000 calls a day on average (more at the weekend),
/// seed 0, July, the generator's staffing for that volume, [`SimConfig::default`],
/// and the four strategies of [`Simulation::default_strategies`].
///
/// # Example
/// ```
/// use servnet::generate::Preset;
/// use servnet::sim::Simulation;
/// use servnet::{Nearest, Optimal};
/// let report = Simulation::new(Preset::province("Hainan"))
///     .days(2)
///     .requests_per_day(150)
///     .seed(7)
///     .strategies(vec![
///         Box::new(Nearest::new()),
///         Box::new(Optimal::new().work_limit(2_000)),
///     ])
///     .run()?;
/// for k in &report.strategies {
///     assert_eq!(k.requests_total, k.resolved_by_phone + k.served + k.backlog);
///     assert_eq!(k.violations, 0);
/// }
/// # Ok::<(), servnet::Error>(())
/// ```
pub struct Simulation {
    preset: Preset,
    days: u32,
    requests_per_day: usize,
    seed: u64,
    month: u8,
    technicians: Option<usize>,
    config: SimConfig,
    strategies: Vec<Box<dyn DispatchStrategy>>,
}

impl Simulation {
    /// A simulation of a preset with the defaults.
    pub fn new(preset: Preset) -> Simulation {
        Simulation {
            preset,
            days: 7,
            requests_per_day: 20_000,
            seed: 0,
            month: 7,
            technicians: None,
            config: SimConfig::default(),
            strategies: Simulation::default_strategies(),
        }
    }

    /// `Nearest`, `RegionNearest`, `Regret` and `Optimal` with a limit of
    /// work per round ([`SIM_WORK_LIMIT`] ruin-and-recreate steps, about a
    /// second on a national round), so the same simulation gives the same
    /// figures, byte for byte, on every machine; its 60 s time limit is only
    /// a safety net.
    pub fn default_strategies() -> Vec<Box<dyn DispatchStrategy>> {
        vec![
            Box::new(Nearest::new()),
            Box::new(RegionNearest::new()),
            Box::new(Regret::new()),
            Box::new(
                Optimal::new()
                    .work_limit(SIM_WORK_LIMIT)
                    .time_limit_s(60.0)
                    .response_cost_per_min(SIM_RESPONSE_COST),
            ),
        ]
    }

    /// Number of days.
    pub fn days(mut self, days: u32) -> Self {
        self.days = days;
        self
    }

    /// Average calls a day.
    pub fn requests_per_day(mut self, n: usize) -> Self {
        self.requests_per_day = n;
        self
    }

    /// The seed of the network, the calls and every draw of chance.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The month, 1–12 (the product mix).
    pub fn month(mut self, month: u8) -> Self {
        self.month = month;
        self
    }

    /// Number of technicians (default: the generator's, for one day's calls).
    pub fn technicians(mut self, n: usize) -> Self {
        self.technicians = Some(n);
        self
    }

    /// The call center's settings.
    pub fn config(mut self, config: SimConfig) -> Self {
        self.config = config;
        self
    }

    /// The strategies to compare, instead of the default four.
    pub fn strategies(mut self, strategies: Vec<Box<dyn DispatchStrategy>>) -> Self {
        self.strategies = strategies;
        self
    }

    /// Runs every strategy on the same network and calls.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] for bad settings (before any work);
    /// [`ErrorKind::Parameter`] for a bad preset, month or size; a strategy's error.
    pub fn run(&self) -> Result<Report> {
        self.run_with_progress(&|_| {})
    }

    /// [`Simulation::run`], calling `progress` after every round (from the
    /// strategies' threads: they run in parallel).
    ///
    /// # Errors
    /// As [`Simulation::run`].
    pub fn run_with_progress(&self, progress: &(dyn Fn(Progress) + Sync)) -> Result<Report> {
        self.config.check()?;
        if self.days == 0 {
            return Err(ErrorKind::Parameter {
                name: "days",
                message: "0 days".into(),
            }
            .into());
        }
        if self.days > limits::MAX_SIM_DAYS {
            return Err(ErrorKind::Parameter {
                name: "days",
                message: limits::past(
                    format!("{} days", self.days),
                    limits::MAX_SIM_DAYS,
                    "MAX_SIM_DAYS",
                ),
            }
            .into());
        }
        let calls = self.calls();
        if calls > limits::MAX_SIM_CALLS {
            return Err(ErrorKind::Parameter {
                name: "requests_per_day",
                message: limits::past(
                    format!(
                        "{} days of {} calls a day on average: {calls} calls",
                        self.days, self.requests_per_day
                    ),
                    limits::MAX_SIM_CALLS,
                    "MAX_SIM_CALLS",
                ),
            }
            .into());
        }
        if self.strategies.is_empty() {
            return Err(ErrorKind::Parameter {
                name: "strategies",
                message: "no strategy to run".into(),
            }
            .into());
        }
        let setup = self.setup()?;
        let results: Vec<(StrategyKpis, Vec<BacklogEntry>, f64)> = self
            .strategies
            .par_iter()
            .enumerate()
            .map(|(i, strategy)| {
                Run::new(&setup, self.seed, self.config.round_every_min, self.days).go(
                    strategy.as_ref(),
                    &|done, rounds| {
                        progress(Progress {
                            strategy: i,
                            rounds_done: done,
                            rounds,
                        })
                    },
                )
            })
            .collect::<Result<_>>()?;
        let mut report = Report {
            strategies: Vec::new(),
            backlog: Vec::new(),
            dispatch_seconds: Vec::new(),
        };
        for (kpis, backlog, seconds) in results {
            report.strategies.push(kpis);
            report.backlog.push(backlog);
            report.dispatch_seconds.push(seconds);
        }
        Ok(report)
    }

    /// The calls of every day, as drawn (more at the weekend).
    fn day_calls(&self, day: u32) -> usize {
        (self.requests_per_day as f64 * WEEKDAYS[day as usize % 7]).round() as usize
    }

    /// The calls of the whole simulation.
    fn calls(&self) -> u64 {
        (0..self.days.min(7))
            .map(|d| {
                let weeks = (self.days - d).div_ceil(7);
                (self.day_calls(d) as u64).saturating_mul(u64::from(weeks))
            })
            .fold(0u64, u64::saturating_add)
    }

    /// Rounds each strategy runs (rounds with nobody on shift or nothing to do are skipped,
    /// so a strategy may finish in fewer).
    pub fn rounds(&self) -> usize {
        self.days as usize * DAY.div_ceil(self.config.round_every_min.max(1)) as usize
    }

    fn setup(&self) -> Result<Setup> {
        let mut generator = Generator::new(self.preset.clone())
            .requests(self.requests_per_day)
            .seed(self.seed)
            .month(self.month)
            .policy(self.config.policy.clone());
        if let Some(n) = self.technicians {
            generator = generator.technicians(n);
        }
        let area = generator.area()?;
        let mut data = generator.build()?.into_data();
        data.requests.clear();
        let network = Scenario::new(data)?;

        // The calls, day by day.
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x0CA1_1CE7_7E55_0001);
        let geography = Geography {
            regions: network.regions().to_vec(),
            cities: network.cities().to_vec(),
        };
        let mix = DemandMix::new(&geography, &area, self.month);
        let hours = cumulative_weights(HOURS);
        let mut calls = Vec::new();
        for d in 0..self.days {
            let n = self.day_calls(d);
            for _ in 0..n {
                let id = calls.len() as u32 + 1;
                calls.push(mix.draw(id, &mut rng, |rng| {
                    let hour = pick_index(&hours, rng) as u32;
                    let received = d * DAY + hour * 60 + rng.random_range(0..60);
                    let earliest = (received + 60).div_ceil(60) * 60;
                    (
                        received,
                        TimeWindow {
                            start_min: earliest,
                            end_min: earliest,
                        },
                    )
                }));
            }
        }
        calls.sort_by_key(|r| (r.received_min, r.id));

        // Triage: by phone, or dispatched as one-stop or coordinated visits.
        let triage = &self.config.triage;
        let mut phone = vec![false; calls.len()];
        for (i, r) in calls.iter().enumerate() {
            phone[i] = rng.random::<f64>() < triage.remote_probability(r);
        }
        let mut originals = Vec::with_capacity(calls.len());
        let mut index_of: HashMap<RequestId, usize> = HashMap::new();
        let mut dispatched = Vec::new();
        for (i, r) in calls.iter().enumerate() {
            let level = network
                .city(r.city)
                .map_or(AdminLevel::County, |c| c.admin_level);
            originals.push(Original {
                id: r.id,
                received: r.received_min,
                deadline: f64::from(r.received_min) + triage.sla_minutes(level),
                phone: phone[i],
            });
            index_of.insert(r.id, i);
            if !phone[i] {
                let mut any_time = r.clone();
                any_time.window = TimeWindow {
                    start_min: 0,
                    end_min: limits::MAX_MINUTE,
                };
                dispatched.push(any_time);
            }
        }
        let mut data = network.data().clone();
        data.requests = dispatched;
        let split = split_one_stop(&Scenario::new(data)?)?;
        let mut parent: HashMap<RequestId, RequestId> = HashMap::new();
        for c in &split.coordinated {
            for &p in &c.parts {
                parent.insert(p, c.request);
            }
        }
        let mut jobs: Vec<Job> = split
            .scenario
            .requests()
            .iter()
            .map(|r| {
                let original = index_of[parent.get(&r.id).unwrap_or(&r.id)];
                let call = &calls[original];
                let mut request = r.clone();
                request.window = call.window;
                Job {
                    original,
                    earliest: call.window.start_min,
                    repeat: false,
                    request,
                }
            })
            .collect();
        jobs.sort_by_key(|j| (j.request.received_min, j.request.id));
        let mut parts = vec![0u32; calls.len()];
        for j in &jobs {
            parts[j.original] += 1;
        }
        Ok(Setup {
            network,
            originals,
            parts,
            jobs,
            coordinated: split.coordinated.len(),
            first_free_id: split
                .scenario
                .requests()
                .iter()
                .map(|r| r.id.0)
                .max()
                .unwrap_or(0)
                + 1,
            triage: triage.clone(),
        })
    }
}

/// A request as the call center took it.
struct Original {
    id: RequestId,
    received: u32,
    deadline: f64,
    phone: bool,
}

/// A visit to make: a request, a part of a split one, or a repeat visit.
#[derive(Clone)]
struct Job {
    original: usize,
    earliest: u32,
    repeat: bool,
    request: ServiceRequest,
}

struct Setup {
    network: Scenario,
    originals: Vec<Original>,
    /// Visits each request needs before it is served (1, or its parts).
    parts: Vec<u32>,
    jobs: Vec<Job>,
    coordinated: usize,
    first_free_id: u32,
    triage: Triage,
}

/// One strategy's run through the days.
struct Run<'a> {
    setup: &'a Setup,
    seed: u64,
    every: u32,
    days: u32,
    /// Per technician: when it leaves its last visit of the day (or its shift starts).
    busy_until: Vec<f64>,
    /// Per technician: where its last visit of the day was; `None` while at its base.
    at: Vec<Option<Point<f64>>>,
    visits_used: Vec<u32>,
    backlog: Vec<Job>,
    repeats: Vec<Job>,
    next_job: usize,
    next_id: u32,
    first_arrival: Vec<Option<f64>>,
    parts_left: Vec<u32>,
    last_reason: HashMap<RequestId, &'static str>,
    worked_by_kind: [f64; 3],
    offered_by_kind: [f64; 3],
    kpis: StrategyKpis,
}

impl<'a> Run<'a> {
    fn new(setup: &'a Setup, seed: u64, every: u32, days: u32) -> Run<'a> {
        let n = setup.originals.len();
        Run {
            setup,
            seed,
            every,
            days,
            busy_until: vec![0.0; setup.network.technicians().len()],
            at: vec![None; setup.network.technicians().len()],
            visits_used: vec![0; setup.network.outlets().len()],
            backlog: Vec::new(),
            repeats: Vec::new(),
            next_job: 0,
            next_id: setup.first_free_id,
            first_arrival: vec![None; n],
            parts_left: setup.parts.clone(),
            last_reason: HashMap::new(),
            worked_by_kind: [0.0; 3],
            offered_by_kind: [0.0; 3],
            kpis: StrategyKpis::default(),
        }
    }

    fn go(
        mut self,
        strategy: &dyn DispatchStrategy,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(StrategyKpis, Vec<BacklogEntry>, f64)> {
        let net = &self.setup.network;
        let per_day = DAY.div_ceil(self.every) as usize;
        let rounds = self.days as usize * per_day;
        let mut seconds = 0.0;
        for d in 0..self.days {
            for (t, tech) in net.technicians().iter().enumerate() {
                self.busy_until[t] = f64::from(d * DAY + tech.shift_start_min);
                let kind = net.outlet(tech.outlet).map_or(0, |o| o.kind.index());
                self.offered_by_kind[kind] += f64::from(tech.shift_minutes);
            }
            self.visits_used.iter_mut().for_each(|v| *v = 0);
            for k in 0..per_day {
                let now = d * DAY + k as u32 * self.every;
                self.arrive(now);
                if !self.backlog.is_empty()
                    && let Some(round) = self.round(d, now)?
                {
                    let t = Instant::now();
                    let plan = strategy.dispatch(&round)?;
                    seconds += t.elapsed().as_secs_f64();
                    self.kpis.violations += verify(&round, &plan).len();
                    self.kpis.rounds += 1;
                    self.apply(&round, &plan);
                }
                progress(d as usize * per_day + k + 1, rounds);
            }
            self.drive_home();
        }
        let backlog = self.finish(strategy.name());
        Ok((self.kpis, backlog, seconds))
    }

    /// Calls and repeat visits due by `now` join the backlog.
    fn arrive(&mut self, now: u32) {
        let jobs = &self.setup.jobs;
        while self.next_job < jobs.len() && jobs[self.next_job].request.received_min <= now {
            self.backlog.push(jobs[self.next_job].clone());
            self.next_job += 1;
        }
        let (due, later): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.repeats)
            .into_iter()
            .partition(|j| j.request.received_min <= now);
        self.repeats = later;
        self.backlog.extend(due);
        self.backlog
            .sort_by_key(|j| (j.request.received_min, j.request.id));
    }

    /// The round's scenario: who is still on shift today, from when (the
    /// round, or when it leaves its last visit if later) and from where (its
    /// last visit of the day, or its base when it has made none), the visits
    /// left per outlet, the backlog with today's windows and priorities aged
    /// by their deadline. `None` when nobody is on shift.
    fn round(&self, d: u32, now: u32) -> Result<Option<Scenario>> {
        let net = &self.setup.network;
        let mut data = ScenarioData {
            travel: net.travel().clone(),
            catalog: net.catalog().clone(),
            policy: net.policy().clone(),
            regions: net.regions().to_vec(),
            cities: net.cities().to_vec(),
            outlets: Vec::new(),
            technicians: Vec::new(),
            requests: Vec::new(),
        };
        for (o, outlet) in net.outlets().iter().enumerate() {
            if self.visits_used[o] < outlet.daily_capacity {
                let mut outlet = outlet.clone();
                outlet.daily_capacity -= self.visits_used[o];
                data.outlets.push(outlet);
            }
        }
        for (t, tech) in net.technicians().iter().enumerate() {
            let open = net
                .outlet_index(tech.outlet)
                .is_some_and(|o| self.visits_used[o] < net.outlets()[o].daily_capacity);
            let end = d * DAY + tech.shift_end_min();
            let start = self.busy_until[t].max(f64::from(now)).ceil() as u32;
            if open && start + 15 <= end {
                let mut tech = tech.clone();
                tech.shift_start_min = start;
                tech.shift_minutes = end - start;
                tech.start = self.at[t];
                data.technicians.push(tech);
            }
        }
        if data.technicians.is_empty() {
            return Ok(None);
        }
        let day_end = (d + 1) * DAY;
        for j in &self.backlog {
            let mut r = j.request.clone();
            r.window = TimeWindow {
                start_min: j.earliest,
                end_min: day_end.max(j.earliest),
            };
            let left = self.setup.originals[j.original].deadline - f64::from(now);
            r.priority = if left <= 0.0 {
                Priority::Urgent
            } else if left <= 720.0 {
                r.priority.max(Priority::High)
            } else {
                r.priority
            };
            data.requests.push(r);
        }
        Ok(Some(Scenario::new(data)?))
    }

    /// Carries out a round's plan, route by route: each technician drives
    /// its route as timed in the plan (arrival, start and departure of every
    /// visit), is then busy until it leaves its last visit and is there
    /// when the next round begins. A visit's km are the leg into it, its
    /// cost the outlet's tariff of its minutes on site plus that leg's
    /// minutes, and that leg's km: the way back to the base is driven once,
    /// at the end of the day ([`Run::drive_home`]). Some visits fail and
    /// come back as repeats; what the plan leaves stays in the backlog.
    fn apply(&mut self, round: &Scenario, plan: &Plan) {
        let net = &self.setup.network;
        let policy = net.policy();
        let position: HashMap<RequestId, usize> = self
            .backlog
            .iter()
            .enumerate()
            .map(|(i, j)| (j.request.id, i))
            .collect();
        let mut done = vec![false; self.backlog.len()];
        for route in &plan.routes {
            let (Some(t), Some(tech), Some(o)) = (
                net.technician_index(route.technician),
                round.technician(route.technician),
                net.outlet_index(route.outlet),
            ) else {
                continue;
            };
            let outlet = &net.outlets()[o];
            let kind = outlet.kind.index();
            for stop in &route.stops {
                let Some(&i) = position.get(&stop.request) else {
                    continue;
                };
                if done[i] {
                    continue;
                }
                done[i] = true;
                let job = &self.backlog[i];
                let service_min = stop.depart_min - stop.start_min;
                let cost = outlet.tariff.cost(service_min + stop.leg_min, stop.leg_km);
                self.busy_until[t] = stop.depart_min;
                self.at[t] = Some(job.request.location);
                self.visits_used[o] += 1;

                let level = job
                    .request
                    .categories
                    .iter()
                    .filter_map(|&c| tech.level(c))
                    .min()
                    .unwrap_or(SkillLevel::Basic);
                let fixed =
                    self.unit(job.request.id) < self.setup.triage.first_time_fix[level.index()];
                let k = &mut self.kpis;
                k.visits += 1;
                k.total_cost += cost;
                k.travel_km += stop.leg_km;
                let by = kinds(&mut k.by_kind);
                by[kind].visits += 1;
                by[kind].cost += cost;
                by[kind].travel_km += stop.leg_km;
                self.worked_by_kind[kind] += service_min + stop.leg_min;
                if job.repeat {
                    k.repeat_visits += 1;
                } else {
                    let first = &mut self.first_arrival[job.original];
                    *first = Some(first.map_or(stop.arrive_min, |f: f64| f.min(stop.arrive_min)));
                }
                if policy.escalated(job.request.difficulty) {
                    k.escalated_visits += 1;
                }
                if fixed {
                    self.parts_left[job.original] -= 1;
                    let cats = job.request.categories.len();
                    if cats > 1 {
                        k.one_stop_visits += 1;
                        k.visits_saved += cats - 1;
                    }
                } else {
                    let mut repeat = job.clone();
                    repeat.repeat = true;
                    repeat.request.id = RequestId(self.next_id);
                    self.next_id += 1;
                    // One level above the technician who failed (the difficulty that level needs).
                    let above = match level {
                        SkillLevel::Basic => 3,
                        SkillLevel::Advanced | SkillLevel::Expert => 5,
                    };
                    repeat.request.difficulty = repeat.request.difficulty.max(above);
                    repeat.request.received_min = stop.depart_min.ceil() as u32;
                    repeat.earliest = (repeat.request.received_min + 60).div_ceil(60) * 60;
                    self.repeats.push(repeat);
                }
            }
        }
        for u in &plan.unassigned {
            self.last_reason.insert(u.request, u.reason.as_str());
        }
        let mut i = 0;
        self.backlog.retain(|_| {
            i += 1;
            !done[i - 1]
        });
    }

    /// The end of a day: every technician who left its base drives back
    /// from its last visit, once. The leg counts in the km, in the cost at
    /// the outlet's tariff (per minute and per km, no visit fee) and in the
    /// minutes worked.
    fn drive_home(&mut self) {
        let net = &self.setup.network;
        for (t, tech) in net.technicians().iter().enumerate() {
            let Some(at) = self.at[t].take() else {
                continue;
            };
            let Some(outlet) = net.outlet(tech.outlet) else {
                continue;
            };
            let leg = net.travel().leg(at, net.technician_base(tech));
            let cost = outlet.tariff.per_minute * leg.minutes + outlet.tariff.per_km * leg.km;
            let kind = outlet.kind.index();
            let k = &mut self.kpis;
            k.total_cost += cost;
            k.travel_km += leg.km;
            let by = kinds(&mut k.by_kind);
            by[kind].cost += cost;
            by[kind].travel_km += leg.km;
            self.worked_by_kind[kind] += leg.minutes;
        }
    }

    /// A draw of chance for a visit, the same for the same visit under every strategy.
    fn unit(&self, id: RequestId) -> f64 {
        let key = self.seed ^ u64::from(id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        ChaCha8Rng::seed_from_u64(key).random::<f64>()
    }

    /// The KPIs at the end, and the requests still open with their age.
    fn finish(&mut self, name: &str) -> Vec<BacklogEntry> {
        let end = f64::from(self.days * DAY);
        let setup = self.setup;
        let mut open_reason: HashMap<usize, &'static str> = HashMap::new();
        for j in &self.repeats {
            open_reason.insert(j.original, "awaiting_repeat_visit");
        }
        for j in self.backlog.iter().chain(&setup.jobs[self.next_job..]) {
            let reason = if j.repeat {
                "awaiting_repeat_visit"
            } else {
                self.last_reason
                    .get(&j.request.id)
                    .copied()
                    .unwrap_or("not_dispatched_yet")
            };
            open_reason.entry(j.original).or_insert(reason);
        }
        let k = &mut self.kpis;
        k.strategy = name.to_string();
        k.requests_total = setup.originals.len();
        k.coordinated_requests = setup.coordinated;
        let mut backlog = Vec::new();
        let (mut hits, mut misses) = (0usize, 0usize);
        let mut response = Vec::new();
        for (i, o) in setup.originals.iter().enumerate() {
            if o.phone {
                k.resolved_by_phone += 1;
                continue;
            }
            if self.parts_left[i] == 0 {
                k.served += 1;
            } else {
                let reason = open_reason
                    .get(&i)
                    .copied()
                    .unwrap_or("awaiting_repeat_visit");
                *k.unassigned_by_reason
                    .entry(reason.to_string())
                    .or_default() += 1;
                backlog.push(BacklogEntry {
                    request: o.id,
                    age_h: (end - f64::from(o.received)) / 60.0,
                    reason: reason.to_string(),
                });
            }
            match self.first_arrival[i] {
                Some(at) => {
                    response.push((at - f64::from(o.received)) / 60.0);
                    if at <= o.deadline {
                        hits += 1;
                    } else {
                        misses += 1;
                    }
                }
                None if end > o.deadline => misses += 1,
                None => {}
            }
        }
        k.backlog = backlog.len();
        k.sla_hit_rate = ratio(hits as f64, (hits + misses) as f64);
        response.sort_by(f64::total_cmp);
        k.response_mean_h = ratio(response.iter().sum(), response.len() as f64);
        k.response_p95_h = response
            .get((response.len() * 95).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or(0.0);
        k.travel_km_per_visit = ratio(k.travel_km, k.visits as f64);
        k.cost_per_visit = ratio(k.total_cost, k.visits as f64);
        for (i, b) in kinds(&mut k.by_kind).iter_mut().enumerate() {
            b.share = ratio(b.visits as f64, k.visits as f64);
            b.utilisation = ratio(self.worked_by_kind[i], self.offered_by_kind[i]);
        }
        backlog
    }
}

/// The KPIs per outlet kind, one entry per kind once there is any.
fn kinds(by_kind: &mut Vec<KindKpis>) -> &mut [KindKpis] {
    if by_kind.is_empty() {
        *by_kind = (0..3)
            .map(|i| KindKpis {
                kind: kind_name(i),
                ..KindKpis::default()
            })
            .collect();
    }
    by_kind
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}
