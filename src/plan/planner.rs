//! Own or contract: which cities get a company-owned outlet, and which are
//! served by contracted service companies and dealers, at least cost under a
//! coverage promise.
//!
//! The [`NetworkPlanner`] takes a yearly demand [`Forecast`] by city, the
//! outlets the maker can contract (contracted service companies and
//! dealers), a travel model and a [`CostModel`]:
//!
//! - an owned outlet costs a fixed amount a year, plus its technicians'
//!   working minutes (on site and driving) and the km they drive;
//! - a contracted outlet or a dealer is paid a fee per visit, plus the km it
//!   drives; dealers take only simple jobs ([`JobClass::Basic`]), contracted
//!   outlets simple and advanced ones, and expert jobs go to the company's own
//!   technicians, who may come from farther away (the escalation reach).
//!
//! Every visit is served from within the promise (km and, if set, minutes
//! from the outlet to the city); a city's jobs that nothing can serve within
//! it are reported as uncovered. The choice of owned sites is an
//! uncapacitated facility location problem, solved with a proven bound by
//! [`MedianSolver`]: every candidate city
//! is a facility with the fixed cost, and the contracts are one facility
//! that is always open and costs nothing to keep.
//!
//! [`NetworkPlanner::sweep`] re-plans at scaled volumes, and
//! [`NetworkPlanner::break_even`] gives, per city, the yearly volume at which
//! an owned outlet serving only that city costs less than contracting it.
//!
//! # Example
//! ```
//! use servnet::generate::{Generator, Preset};
//! use servnet::plan::planner::{CostModel, NetworkPlanner};
//!
//! let generator = Generator::new(Preset::province("Hainan")).seed(1);
//! let scenario = generator.build()?;
//! let forecast = generator.forecast(200_000.0)?;
//! let planner = NetworkPlanner::new(scenario.cities(), scenario.outlets(), scenario.travel())
//!     .promise_km(50.0);
//! let plan = planner.plan(&forecast)?;
//! assert!(plan.gap <= 0.01);
//! assert!(plan.cost.total >= plan.bound - 1e-6);
//! println!("{} owned outlets, {:.0} per visit", plan.owned.len(), plan.cost.per_visit);
//! # Ok::<(), servnet::Error>(())
//! ```

use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{City, CityId, Outlet, OutletId, OutletKind};
use crate::plan::cover::{CoverProblem, CoverSolution, SetCover};
use crate::plan::median::{MAX_COST, MedianProblem, MedianSolution, MedianSolver, MedianStatus};
use crate::spatial::great_circle_km;
use crate::travel::{Leg, TravelModel};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// The kinds of job a forecast splits a city's visits into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobClass {
    /// Installations and simple jobs (difficulty 1–2): any outlet, dealers included.
    Basic,
    /// Harder repairs (difficulty 3–4): contracted or owned outlets.
    Advanced,
    /// Expert jobs (difficulty 5): the company's own technicians only.
    Expert,
}

impl JobClass {
    /// All classes, in order.
    pub const ALL: [JobClass; 3] = [JobClass::Basic, JobClass::Advanced, JobClass::Expert];

    /// The name used in files, e.g. `basic`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobClass::Basic => "basic",
            JobClass::Advanced => "advanced",
            JobClass::Expert => "expert",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One city's yearly demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityDemand {
    /// The city.
    pub city: CityId,
    /// Visits a year.
    pub visits: f64,
    /// Share of the visits that are [`JobClass::Basic`], 0–1.
    pub basic_share: f64,
    /// Share of the visits that are [`JobClass::Expert`], 0–1; the rest,
    /// `1 − basic − expert`, are [`JobClass::Advanced`].
    pub expert_share: f64,
    /// Minutes on site per visit, on average.
    pub service_min: f64,
}

impl CityDemand {
    /// The visits of one class.
    pub fn class_visits(&self, class: JobClass) -> f64 {
        let share = match class {
            JobClass::Basic => self.basic_share,
            JobClass::Expert => self.expert_share,
            JobClass::Advanced => 1.0 - self.basic_share - self.expert_share,
        };
        self.visits * share.max(0.0)
    }
}

/// The mix of jobs in a city's visits: the shares of basic and expert jobs
/// and the mean minutes on site per visit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JobMix {
    /// Share of [`JobClass::Basic`] visits, 0–1. Default 0.5.
    pub basic_share: f64,
    /// Share of [`JobClass::Expert`] visits, 0–1. Default 0.05.
    pub expert_share: f64,
    /// Minutes on site per visit. Default 80.
    pub service_min: f64,
}

impl Default for JobMix {
    fn default() -> Self {
        JobMix {
            basic_share: 0.5,
            expert_share: 0.05,
            service_min: 80.0,
        }
    }
}

/// A yearly demand forecast by city (from the generator,
/// [`crate::generate::Generator::forecast`], or a user's CSV,
/// [`crate::io::network_plan::read_forecast_csv`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Forecast {
    /// One entry per city with demand, in the order given.
    pub cities: Vec<CityDemand>,
}

impl Forecast {
    /// Visits a year over all cities.
    pub fn total_visits(&self) -> f64 {
        self.cities.iter().map(|c| c.visits).sum()
    }

    /// The same forecast with every city's visits multiplied by `factor`.
    pub fn scaled(&self, factor: f64) -> Forecast {
        Forecast {
            cities: self
                .cities
                .iter()
                .map(|c| CityDemand {
                    visits: c.visits * factor,
                    ..c.clone()
                })
                .collect(),
        }
    }
}

/// What the kinds of outlet cost, in currency units (CNY in the defaults).
///
/// Every field is a finite number ≥ 0 and at most
/// [`MAX_COST`](crate::plan::median::MAX_COST); a planner refuses others,
/// naming the field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostModel {
    /// Yearly fixed cost of an owned outlet: premises, a base team, vans. Default 300,000.
    pub owned_fixed_per_year: f64,
    /// Cost of an owned technician's working minute, on site or driving. Default 0.8.
    pub owned_per_minute: f64,
    /// Fee per visit paid to a contracted outlet. Default 120.
    pub contracted_per_visit: f64,
    /// Fee per visit paid to a dealer. Default 80.
    pub dealer_per_visit: f64,
    /// Cost per km driven, by any kind. Default 1.0.
    pub per_km: f64,
    /// One-way km inside the customer's city, added to every trip. Default 8.
    pub local_km: f64,
    /// One-way minutes inside the customer's city, added to every trip. Default 15.
    pub local_min: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            owned_fixed_per_year: 300_000.0,
            owned_per_minute: 0.8,
            contracted_per_visit: 120.0,
            dealer_per_visit: 80.0,
            per_km: 1.0,
            local_km: 8.0,
            local_min: 15.0,
        }
    }
}

impl CostModel {
    /// What one visit from an owned outlet costs over a one-way `leg` (city to city).
    pub fn owned_visit(&self, leg: Leg, service_min: f64) -> f64 {
        let km = leg.km + self.local_km;
        let min = leg.minutes + self.local_min;
        self.owned_per_minute * (service_min + 2.0 * min) + self.per_km * 2.0 * km
    }

    /// What one visit from a contracted outlet or a dealer costs over a one-way `leg`.
    pub fn contract_visit(&self, kind: OutletKind, leg: Leg) -> f64 {
        let fee = match kind {
            OutletKind::Dealer => self.dealer_per_visit,
            _ => self.contracted_per_visit,
        };
        fee + self.per_km * 2.0 * (leg.km + self.local_km)
    }

    fn problems(&self) -> Vec<Problem> {
        [
            ("owned_fixed_per_year", self.owned_fixed_per_year),
            ("owned_per_minute", self.owned_per_minute),
            ("contracted_per_visit", self.contracted_per_visit),
            ("dealer_per_visit", self.dealer_per_visit),
            ("per_km", self.per_km),
            ("local_km", self.local_km),
            ("local_min", self.local_min),
        ]
        .into_iter()
        .filter_map(|(field, v)| {
            non_negative("cost model", None, field, v).or_else(|| {
                (v > MAX_COST).then(|| {
                    Problem::new(
                        ProblemCode::OutOfRange,
                        "cost model",
                        None,
                        field,
                        format!(
                            "{} is above the largest cost a plan handles, {MAX_COST:e}",
                            crate::plan::shown(v)
                        ),
                    )
                })
            })
        })
        .collect()
    }
}

/// Who serves a city's jobs of one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Server {
    /// A planned company-owned outlet in this city.
    Owned(CityId),
    /// A contracted outlet.
    Contracted(OutletId),
    /// A dealer.
    Dealer(OutletId),
}

impl Server {
    /// The outlet kind of this server.
    pub fn kind(self) -> OutletKind {
        match self {
            Server::Owned(_) => OutletKind::CompanyOwned,
            Server::Contracted(_) => OutletKind::Contracted,
            Server::Dealer(_) => OutletKind::Dealer,
        }
    }
}

/// A city's jobs of one class and who serves them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// The city.
    pub city: CityId,
    /// The class of job.
    pub class: JobClass,
    /// Visits a year.
    pub visits: f64,
    /// Who serves them; `None` when nothing can within the promise.
    pub server: Option<Server>,
    /// One-way km from the server to the city (without the local km).
    pub km: f64,
    /// One-way minutes from the server to the city (without the local minutes).
    pub minutes: f64,
    /// Yearly variable cost of these visits (fees, working minutes, km).
    pub cost: f64,
}

/// Costs of a plan, a year.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CostBreakdown {
    /// Fixed costs of the owned outlets.
    pub owned_fixed: f64,
    /// Working minutes and km of the owned outlets.
    pub owned_variable: f64,
    /// Fees and km paid to contracted outlets.
    pub contracted: f64,
    /// Fees and km paid to dealers.
    pub dealer: f64,
    /// The sum of the above.
    pub total: f64,
    /// `total` over the visits served.
    pub per_visit: f64,
}

/// How a plan's solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Proven optimal.
    Optimal,
    /// Feasible, within the reported gap.
    Feasible,
    /// Some jobs cannot be served within the promise; the rest are planned.
    Uncovered,
}

/// Why a job class of a city is not served.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncovered {
    /// The city.
    pub city: CityId,
    /// The class of job.
    pub class: JobClass,
    /// Visits a year left unserved.
    pub visits: f64,
    /// Why.
    pub reason: String,
}

/// A network plan: the owned sites, who serves what, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkPlan {
    /// How the solve ended.
    pub status: PlanStatus,
    /// Cities that get an owned outlet, in city order.
    pub owned: Vec<CityId>,
    /// One entry per city and class with visits, in the forecast's order.
    pub services: Vec<Service>,
    /// The jobs nothing can serve within the promise.
    pub uncovered: Vec<Uncovered>,
    /// The plan's yearly costs.
    pub cost: CostBreakdown,
    /// Visits a year by kind, in the order of [`OutletKind::ALL`].
    pub visits_by_kind: [f64; 3],
    /// Working minutes a year by kind (on site and driving), in the order of [`OutletKind::ALL`].
    pub minutes_by_kind: [f64; 3],
    /// A proven lower bound on the total cost of any plan under the same promise.
    pub bound: f64,
    /// `(total − bound) / total`.
    pub gap: f64,
    /// Branch-and-bound nodes.
    pub nodes: u64,
    /// Wall-clock seconds (building the problem and solving it).
    pub seconds: f64,
}

impl NetworkPlan {
    /// Visits a year served.
    pub fn visits_served(&self) -> f64 {
        self.visits_by_kind.iter().sum()
    }

    /// Share of the served visits done by `kind`, 0–1.
    pub fn visit_share(&self, kind: OutletKind) -> f64 {
        let total = self.visits_served();
        if total > 0.0 {
            self.visits_by_kind[kind.index()] / total
        } else {
            0.0
        }
    }

    /// A few lines for a terminal: owned outlets, costs, shares by kind, the gap.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} owned outlets; {:.0} visits a year served, {:.0} uncovered in {} cities\n",
            self.owned.len(),
            self.visits_served(),
            self.uncovered.iter().map(|u| u.visits).sum::<f64>() + 0.0,
            {
                let mut c: Vec<CityId> = self.uncovered.iter().map(|u| u.city).collect();
                c.dedup();
                c.len()
            }
        );
        let c = &self.cost;
        s += &format!(
            "cost a year {:.0}: owned fixed {:.0}, owned work {:.0}, contracted {:.0}, dealers {:.0}; {:.1} per visit\n",
            c.total, c.owned_fixed, c.owned_variable, c.contracted, c.dealer, c.per_visit
        );
        s += "share of visits / of working minutes:";
        let minutes: f64 = self.minutes_by_kind.iter().sum();
        for kind in OutletKind::ALL {
            let m = if minutes > 0.0 {
                self.minutes_by_kind[kind.index()] / minutes
            } else {
                0.0
            };
            s += &format!(
                " {} {:.1}% / {:.1}%;",
                kind.as_str(),
                100.0 * self.visit_share(kind),
                100.0 * m
            );
        }
        s.pop();
        s += &format!(
            "\nbound {:.0}, gap {:.3}% ({:?}, {} nodes, {:.2} s)",
            self.bound,
            100.0 * self.gap,
            self.status,
            self.nodes,
            self.seconds
        );
        s
    }
}

/// One point of a volume sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The factor the forecast was scaled by.
    pub factor: f64,
    /// Visits a year at this volume.
    pub visits: f64,
    /// Owned outlets in the plan.
    pub owned: usize,
    /// Total yearly cost.
    pub total_cost: f64,
    /// Cost per served visit.
    pub per_visit: f64,
    /// Share of visits by kind, in the order of [`OutletKind::ALL`].
    pub visit_share: [f64; 3],
    /// The plan's gap.
    pub gap: f64,
}

/// When an owned outlet in one city, serving only that city, costs less than contracting it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakEven {
    /// The city.
    pub city: CityId,
    /// Its forecast visits a year.
    pub visits: f64,
    /// Contracting cost per visit (cheapest outlet within the promise, by
    /// class; expert jobs at the owned cost, since only owned technicians do them).
    pub contract_per_visit: Option<f64>,
    /// Owned cost per visit, variable part.
    pub owned_per_visit: f64,
    /// Visits a year from which owning pays: the fixed cost over the saving per
    /// visit. `None` when owning never pays (no saving per visit) or when no
    /// contractor can serve the city within the promise (owning is then needed, not chosen).
    pub break_even_visits: Option<f64>,
}

/// The cheapest contracting option for one class of one city.
#[derive(Debug, Clone, Copy)]
struct ContractOption {
    server: Server,
    leg: Leg,
    per_visit: f64,
}

/// A problem when `v` is negative or not finite.
fn non_negative(entity: &'static str, id: Option<u64>, field: &str, v: f64) -> Option<Problem> {
    (!(v.is_finite() && v >= 0.0)).then(|| {
        Problem::new(
            ProblemCode::OutOfRange,
            entity,
            id,
            field,
            format!("{v} is not a finite number ≥ 0"),
        )
    })
}

/// One customer of the location problem: a city's jobs of one class.
struct Job {
    /// Position in the forecast.
    demand: usize,
    class: JobClass,
    /// Visits a year at the forecast's volume.
    visits: f64,
    contract: Option<ContractOption>,
    /// The owned sites within reach: position in the candidate sites, leg, cost per visit.
    owned: Vec<(usize, Leg, f64)>,
}

/// Plans owned outlets against contracting; see the [module docs](self).
pub struct NetworkPlanner<'a> {
    cities: &'a [City],
    outlets: &'a [Outlet],
    travel: &'a dyn TravelModel,
    cost: CostModel,
    promise_km: f64,
    promise_min: Option<f64>,
    escalation_km: f64,
    candidates: Option<Vec<CityId>>,
    target_gap: f64,
    time_limit_s: f64,
    node_limit: u64,
}

impl<'a> NetworkPlanner<'a> {
    /// A planner over `cities` (the candidate sites and where demand is),
    /// with the contracted outlets and dealers among `outlets` as the
    /// contracting options (company-owned outlets in it are ignored: the
    /// plan decides where owned outlets stand). Defaults: a 50 km promise,
    /// a 300 km escalation reach, [`CostModel::default`], every city a
    /// candidate, a plan proven optimal (target gap 0).
    pub fn new(
        cities: &'a [City],
        outlets: &'a [Outlet],
        travel: &'a dyn TravelModel,
    ) -> NetworkPlanner<'a> {
        NetworkPlanner {
            cities,
            outlets,
            travel,
            cost: CostModel::default(),
            promise_km: 50.0,
            promise_min: None,
            escalation_km: 300.0,
            candidates: None,
            target_gap: 0.0,
            time_limit_s: 60.0,
            node_limit: 200_000,
        }
    }

    /// The cost model.
    pub fn cost_model(mut self, cost: CostModel) -> Self {
        self.cost = cost;
        self
    }

    /// The promise: every visit from an outlet at most this many km from the city.
    pub fn promise_km(mut self, km: f64) -> Self {
        self.promise_km = km;
        self
    }

    /// Also a time promise: at most this many minutes from the outlet to the city.
    pub fn promise_minutes(mut self, minutes: f64) -> Self {
        self.promise_min = Some(minutes);
        self
    }

    /// How far owned technicians travel for expert jobs (km from the owned outlet to the city).
    pub fn escalation_km(mut self, km: f64) -> Self {
        self.escalation_km = km;
        self
    }

    /// Only these cities may get an owned outlet.
    pub fn candidates(mut self, cities: impl IntoIterator<Item = CityId>) -> Self {
        let mut c: Vec<CityId> = cities.into_iter().collect();
        c.sort_unstable();
        c.dedup();
        self.candidates = Some(c);
        self
    }

    /// Stop once the plan is proven within this relative gap (default 0: prove it optimal).
    pub fn target_gap(mut self, gap: f64) -> Self {
        self.target_gap = gap;
        self
    }

    /// A safety stop for the solver, in seconds (default 60).
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = seconds;
        self
    }

    /// A deterministic stop for the solver's branch and bound (default 200,000 nodes).
    pub fn node_limit(mut self, nodes: u64) -> Self {
        self.node_limit = nodes;
        self
    }

    fn check(&self, forecast: &Forecast) -> Result<BTreeMap<CityId, usize>> {
        let mut problems = self.cost.problems();
        let settings = [
            ("promise_km", self.promise_km),
            ("escalation_km", self.escalation_km),
            ("promise_minutes", self.promise_min.unwrap_or(0.0)),
        ];
        problems.extend(
            settings
                .into_iter()
                .filter_map(|(field, v)| non_negative("planner", None, field, v)),
        );
        let index = self.city_index();
        for c in self.cities {
            if !crate::model::lonlat::is_valid(c.location) {
                problems.push(Problem::new(
                    ProblemCode::BadCoordinate,
                    "city",
                    Some(u64::from(c.id.0)),
                    "location",
                    format!(
                        "({}, {}) is not a WGS84 longitude and latitude",
                        c.location.x(),
                        c.location.y()
                    ),
                ));
            }
        }
        if let Some(cands) = &self.candidates {
            for c in cands {
                if !index.contains_key(c) {
                    problems.push(Problem::new(
                        ProblemCode::DanglingReference,
                        "candidate",
                        Some(u64::from(c.0)),
                        "city",
                        format!("city {c} is not among the planner's cities"),
                    ));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for d in &forecast.cities {
            let id = Some(u64::from(d.city.0));
            if !index.contains_key(&d.city) {
                problems.push(Problem::new(
                    ProblemCode::DanglingReference,
                    "forecast city",
                    id,
                    "city",
                    format!("city {} has demand but no coordinates: it is not among the planner's cities", d.city),
                ));
            }
            if !seen.insert(d.city) {
                problems.push(Problem::new(
                    ProblemCode::DuplicateId,
                    "forecast city",
                    id,
                    "city",
                    format!("city {} appears twice in the forecast", d.city),
                ));
            }
            for (field, v) in [
                ("visits", d.visits),
                ("service_min", d.service_min),
                ("basic_share", d.basic_share),
                ("expert_share", d.expert_share),
            ] {
                problems.extend(non_negative("forecast city", id, field, v));
            }
            if d.basic_share + d.expert_share > 1.0 + 1e-9 {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "forecast city",
                    id,
                    "basic_share",
                    format!(
                        "basic_share {} + expert_share {} is more than 1",
                        d.basic_share, d.expert_share
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(index)
        } else {
            Err(ErrorKind::Invalid(problems).into())
        }
    }

    /// Each city's position in `cities`, by id.
    fn city_index(&self) -> BTreeMap<CityId, usize> {
        self.cities
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect()
    }

    fn within_promise(&self, leg: Leg) -> bool {
        leg.km <= self.promise_km && self.promise_min.is_none_or(|m| leg.minutes <= m)
    }

    /// Positions (in `cities`) of the candidate sites.
    fn candidate_sites(&self, index: &BTreeMap<CityId, usize>) -> Vec<usize> {
        match &self.candidates {
            Some(c) => c.iter().filter_map(|id| index.get(id).copied()).collect(),
            None => (0..self.cities.len()).collect(),
        }
    }

    /// The cheapest contracting option of each class for a city within the promise.
    fn contract_options(&self, city: &City) -> [Option<ContractOption>; 3] {
        let mut best: [Option<ContractOption>; 3] = [None; 3];
        for o in self.outlets {
            let server = match o.kind {
                OutletKind::CompanyOwned => continue,
                OutletKind::Contracted => Server::Contracted(o.id),
                OutletKind::Dealer => Server::Dealer(o.id),
            };
            if great_circle_km(o.location, city.location) > self.promise_km {
                continue;
            }
            let leg = self.travel.leg(o.location, city.location);
            if !self.within_promise(leg) {
                continue;
            }
            let per_visit = self.cost.contract_visit(o.kind, leg);
            let classes: &[JobClass] = match o.kind {
                OutletKind::Dealer => &[JobClass::Basic],
                _ => &[JobClass::Basic, JobClass::Advanced],
            };
            for &class in classes {
                let slot = &mut best[class.index()];
                if slot.is_none_or(|b| per_visit < b.per_visit) {
                    *slot = Some(ContractOption {
                        server,
                        leg,
                        per_visit,
                    });
                }
            }
        }
        best
    }

    /// The uncapacitated facility location problem behind [`NetworkPlanner::plan`]:
    /// facilities are the candidate cities, in order, then the contracts
    /// (always open); customers are each forecast city's job classes with
    /// visits, in order. For benchmarks of the solver on real instances.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`].
    pub fn location_problem(&self, forecast: &Forecast) -> Result<MedianProblem> {
        let (sites, jobs) = self.jobs(forecast)?;
        self.problem(sites.len(), &jobs, 1.0)
    }

    /// The candidate sites (positions in `cities`) and the jobs with their
    /// options and costs per visit: everything about a forecast that does not
    /// depend on its volume.
    fn jobs(&self, forecast: &Forecast) -> Result<(Vec<usize>, Vec<Job>)> {
        let index = self.check(forecast)?;
        let sites = self.candidate_sites(&index);

        // One customer per city and class with visits.
        let mut jobs: Vec<Job> = Vec::new();
        let reach = self.promise_km.max(self.escalation_km);
        for (k, d) in forecast.cities.iter().enumerate() {
            let city = &self.cities[index[&d.city]];
            let contract = self.contract_options(city);
            let mut legs: Vec<(usize, Leg)> = Vec::new();
            for (s, &site) in sites.iter().enumerate() {
                let at = self.cities[site].location;
                if great_circle_km(at, city.location) > reach {
                    continue;
                }
                legs.push((s, self.travel.leg(at, city.location)));
            }
            for class in JobClass::ALL {
                let visits = d.class_visits(class);
                if visits <= 0.0 {
                    continue;
                }
                let owned = legs
                    .iter()
                    .filter(|(_, leg)| match class {
                        JobClass::Expert => leg.km <= self.escalation_km,
                        _ => self.within_promise(*leg),
                    })
                    .map(|&(s, leg)| (s, leg, self.cost.owned_visit(leg, d.service_min)))
                    .collect();
                jobs.push(Job {
                    demand: k,
                    class,
                    visits,
                    contract: contract[class.index()],
                    owned,
                });
            }
        }

        Ok((sites, jobs))
    }

    /// The location problem of the jobs at `factor` times their volume: the
    /// `sites` candidate sites with the fixed cost, then the contracts.
    fn problem(&self, sites: usize, jobs: &[Job], factor: f64) -> Result<MedianProblem> {
        let mut builder = MedianProblem::builder(sites + 1).always_open(sites);
        for s in 0..sites {
            builder = builder.fixed_cost(s, self.cost.owned_fixed_per_year);
        }
        for job in jobs {
            let visits = factor * job.visits;
            let arcs = job
                .owned
                .iter()
                .map(|&(s, _, c)| (s, visits * c))
                .chain(job.contract.map(|c| (sites, visits * c.per_visit)));
            builder = builder.customer(arcs);
        }
        builder.build()
    }

    /// Solves the jobs at `factor` times their volume and assembles the plan.
    fn solve(
        &self,
        forecast: &Forecast,
        sites: &[usize],
        jobs: &[Job],
        factor: f64,
        start: Instant,
    ) -> Result<NetworkPlan> {
        let problem = self.problem(sites.len(), jobs, factor)?;
        let solution = MedianSolver::ufl()
            .target_gap(self.target_gap)
            .time_limit_s(self.time_limit_s)
            .node_limit(self.node_limit)
            .solve(&problem)?;
        Ok(self.assemble(forecast, sites, jobs, factor, &solution, start))
    }

    /// The plan at the forecast's volume.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem: a cost or setting that is
    /// negative or not finite (entity `cost model` or `planner`, naming the
    /// field), a forecast city that is not among the planner's cities
    /// (demand without coordinates), a city twice, negative visits or shares
    /// that add up to more than 1 (entity `forecast city` with the city id),
    /// a candidate that is not a city, a city with invalid coordinates.
    /// Jobs that no outlet can serve within the promise are not an error:
    /// the plan lists them in [`NetworkPlan::uncovered`] with status
    /// [`PlanStatus::Uncovered`].
    pub fn plan(&self, forecast: &Forecast) -> Result<NetworkPlan> {
        let start = Instant::now();
        let (sites, jobs) = self.jobs(forecast)?;
        self.solve(forecast, &sites, &jobs, 1.0, start)
    }

    /// The fewest outlet sites among the candidate cities that put every
    /// forecast city within the promise (km and, if set, minutes), whatever
    /// their kind: the set covering problem, solved by
    /// [`SetCover`] with a proven bound.
    /// Sites are positions in the candidate list ([`NetworkPlanner::candidates`],
    /// or every city in order), customers the forecast's cities in order;
    /// [`NetworkPlanner::cover_sites`] turns the open sites into cities.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`].
    pub fn min_cover(&self, forecast: &Forecast) -> Result<CoverSolution> {
        let index = self.check(forecast)?;
        let sites = self.candidate_sites(&index);
        let mut builder = CoverProblem::builder(sites.len());
        for d in &forecast.cities {
            let to = self.cities[index[&d.city]].location;
            let arcs: Vec<(usize, f64)> = sites
                .iter()
                .enumerate()
                .filter(|&(_, &i)| great_circle_km(self.cities[i].location, to) <= self.promise_km)
                .map(|(s, &i)| (s, self.travel.leg(self.cities[i].location, to)))
                .filter(|&(_, leg)| self.within_promise(leg))
                .map(|(s, leg)| (s, leg.km))
                .collect();
            builder = builder.customer(d.visits, arcs);
        }
        let radius = if self.promise_km.is_finite() {
            self.promise_km
        } else {
            f64::MAX
        };
        SetCover::new(radius)
            .time_limit_s(self.time_limit_s)
            .node_limit(self.node_limit)
            .solve(&builder.build()?)
    }

    /// The cities of a [`NetworkPlanner::min_cover`] solution's open sites.
    pub fn cover_sites(&self, solution: &CoverSolution) -> Vec<CityId> {
        let index = self.city_index();
        let sites = self.candidate_sites(&index);
        solution
            .open
            .iter()
            .filter_map(|&s| sites.get(s).map(|&i| self.cities[i].id))
            .collect()
    }

    /// Plans at each volume `factor × forecast`, in the order given.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`], and a factor that is negative or not
    /// finite (entity `sweep`, field `factor`, with its position).
    pub fn sweep(&self, forecast: &Forecast, factors: &[f64]) -> Result<Vec<SweepPoint>> {
        let bad: Vec<Problem> = factors
            .iter()
            .enumerate()
            .filter_map(|(i, &f)| non_negative("sweep", Some(i as u64), "factor", f))
            .collect();
        if !bad.is_empty() {
            return Err(ErrorKind::Invalid(bad).into());
        }
        // The options and costs per visit are the same at every volume.
        let (sites, jobs) = self.jobs(forecast)?;
        factors
            .iter()
            .map(|&factor| {
                let plan = self.solve(forecast, &sites, &jobs, factor, Instant::now())?;
                Ok(SweepPoint {
                    factor,
                    visits: factor * forecast.total_visits(),
                    owned: plan.owned.len(),
                    total_cost: plan.cost.total,
                    per_visit: plan.cost.per_visit,
                    visit_share: OutletKind::ALL.map(|k| plan.visit_share(k)),
                    gap: plan.gap,
                })
            })
            .collect()
    }

    /// Per forecast city, the volume from which an owned outlet serving only
    /// that city costs less than contracting its jobs, in the forecast's order.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`].
    pub fn break_even(&self, forecast: &Forecast) -> Result<Vec<BreakEven>> {
        let index = self.check(forecast)?;
        let home = Leg {
            km: 0.0,
            minutes: 0.0,
        };
        Ok(forecast
            .cities
            .iter()
            .map(|d| {
                let city = &self.cities[index[&d.city]];
                let options = self.contract_options(city);
                let owned_per_visit = self.cost.owned_visit(home, d.service_min);
                let mut contract = Some(0.0);
                let mut weight = 0.0;
                for class in JobClass::ALL {
                    // The class's share of the city's visits.
                    let w = CityDemand {
                        visits: 1.0,
                        ..d.clone()
                    }
                    .class_visits(class);
                    if w <= 0.0 {
                        continue;
                    }
                    weight += w;
                    let per_visit = match class {
                        JobClass::Expert => Some(owned_per_visit),
                        _ => options[class.index()].map(|o| o.per_visit),
                    };
                    contract = match (contract, per_visit) {
                        (Some(c), Some(p)) => Some(c + w * p),
                        _ => None,
                    };
                }
                let contract_per_visit =
                    contract.map(|c| if weight > 0.0 { c / weight } else { 0.0 });
                let break_even_visits = contract_per_visit.and_then(|c| {
                    let saving = c - owned_per_visit;
                    (saving > 1e-9).then(|| self.cost.owned_fixed_per_year / saving)
                });
                BreakEven {
                    city: d.city,
                    visits: d.visits,
                    contract_per_visit,
                    owned_per_visit,
                    break_even_visits,
                }
            })
            .collect())
    }

    /// The planned owned outlets as [`Outlet`]s (ids from `first_id` on, at
    /// their cities' locations, every category, the capacity
    /// [`crate::limits::MAX_DAILY_CAPACITY`], that is no limit in practice), for
    /// example to measure the planned network's coverage together with the
    /// contracted outlets and dealers.
    pub fn owned_outlets(&self, plan: &NetworkPlan, first_id: u32) -> Vec<Outlet> {
        let by_id: BTreeMap<CityId, &City> = self.cities.iter().map(|c| (c.id, c)).collect();
        plan.owned
            .iter()
            .filter_map(|id| by_id.get(id))
            .enumerate()
            .map(|(k, c)| Outlet {
                id: OutletId(first_id + k as u32),
                name: format!("{} company-owned (planned)", c.name),
                kind: OutletKind::CompanyOwned,
                tier: crate::model::Tier::Gold,
                city: c.id,
                location: c.location,
                categories: (0..crate::model::Catalog::default().categories.len() as u16)
                    .map(crate::model::CategoryId)
                    .collect(),
                daily_capacity: crate::limits::MAX_DAILY_CAPACITY,
                tariff: crate::model::Tariff {
                    per_visit: 0.0,
                    per_minute: self.cost.owned_per_minute,
                    per_km: self.cost.per_km,
                },
            })
            .collect()
    }

    /// The planned network: the planner's contracted outlets and dealers,
    /// then the planned owned outlets ([`NetworkPlanner::owned_outlets`],
    /// numbered after the largest outlet id), for example to measure its
    /// coverage with [`crate::plan::coverage::coverage_of`].
    pub fn planned_network(&self, plan: &NetworkPlan) -> Vec<Outlet> {
        let first_id = self.outlets.iter().map(|o| o.id.0).max().unwrap_or(0) + 1;
        let mut network: Vec<Outlet> = self
            .outlets
            .iter()
            .filter(|o| o.kind != OutletKind::CompanyOwned)
            .cloned()
            .collect();
        network.extend(self.owned_outlets(plan, first_id));
        network
    }

    fn assemble(
        &self,
        forecast: &Forecast,
        sites: &[usize],
        jobs: &[Job],
        factor: f64,
        solution: &MedianSolution,
        start: Instant,
    ) -> NetworkPlan {
        let contract_slot = sites.len();
        let mut cost = CostBreakdown::default();
        let mut visits_by_kind = [0.0; 3];
        let mut minutes_by_kind = [0.0; 3];
        let mut services = Vec::with_capacity(jobs.len());
        let mut uncovered = Vec::new();
        let mut owned_pos: Vec<usize> = solution
            .open
            .iter()
            .copied()
            .filter(|&f| f < contract_slot)
            .map(|f| sites[f])
            .collect();
        owned_pos.sort_unstable();
        for (job, assigned) in jobs.iter().zip(&solution.assignment) {
            let d = &forecast.cities[job.demand];
            let visits = factor * job.visits;
            let served = match *assigned {
                Some(f) if f == contract_slot => {
                    job.contract.map(|c| (c.server, c.leg, c.per_visit))
                }
                Some(f) => job
                    .owned
                    .iter()
                    .find(|(s, _, _)| *s == f)
                    .map(|&(s, leg, c)| (Server::Owned(self.cities[sites[s]].id), leg, c)),
                None => None,
            }
            .map(|(server, leg, per_visit)| (server, leg, visits * per_visit));
            match served {
                Some((server, leg, c)) => {
                    let kind = server.kind();
                    match kind {
                        OutletKind::CompanyOwned => cost.owned_variable += c,
                        OutletKind::Contracted => cost.contracted += c,
                        OutletKind::Dealer => cost.dealer += c,
                    }
                    visits_by_kind[kind.index()] += visits;
                    minutes_by_kind[kind.index()] +=
                        visits * (d.service_min + 2.0 * (leg.minutes + self.cost.local_min));
                    services.push(Service {
                        city: d.city,
                        class: job.class,
                        visits,
                        server: Some(server),
                        km: leg.km,
                        minutes: leg.minutes,
                        cost: c,
                    });
                }
                None => {
                    let reason = match job.class {
                        JobClass::Expert => format!(
                            "no candidate site for an owned outlet within the escalation reach of {} km",
                            self.escalation_km
                        ),
                        JobClass::Basic => format!(
                            "no dealer, contracted outlet or candidate site within the promise of {} km",
                            self.promise_km
                        ),
                        JobClass::Advanced => format!(
                            "no contracted outlet or candidate site within the promise of {} km",
                            self.promise_km
                        ),
                    };
                    uncovered.push(Uncovered {
                        city: d.city,
                        class: job.class,
                        visits,
                        reason,
                    });
                    services.push(Service {
                        city: d.city,
                        class: job.class,
                        visits,
                        server: None,
                        km: f64::NAN,
                        minutes: f64::NAN,
                        cost: 0.0,
                    });
                }
            }
        }
        cost.owned_fixed = self.cost.owned_fixed_per_year * owned_pos.len() as f64;
        cost.total = cost.owned_fixed + cost.owned_variable + cost.contracted + cost.dealer;
        let served: f64 = visits_by_kind.iter().sum();
        cost.per_visit = if served > 0.0 {
            cost.total / served
        } else {
            0.0
        };
        let status = if !uncovered.is_empty() {
            PlanStatus::Uncovered
        } else if solution.status == MedianStatus::Optimal {
            PlanStatus::Optimal
        } else {
            PlanStatus::Feasible
        };
        let bound = solution.bound.min(cost.total);
        NetworkPlan {
            status,
            owned: owned_pos.iter().map(|&i| self.cities[i].id).collect(),
            services,
            uncovered,
            cost,
            visits_by_kind,
            minutes_by_kind,
            bound,
            gap: if cost.total > 0.0 {
                ((cost.total - bound) / cost.total).max(0.0)
            } else {
                0.0
            },
            nodes: solution.nodes,
            seconds: start.elapsed().as_secs_f64(),
        }
    }
}
