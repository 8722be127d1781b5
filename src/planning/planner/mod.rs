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
//!   drives. Which kinds take which class of job follows a dispatch
//!   [`Policy`] ([`NetworkPlanner::policy`]); by default dealers take only
//!   simple jobs ([`JobClass::Basic`]), contracted outlets simple and
//!   advanced ones, and expert jobs go to the company's own technicians, who
//!   may come from farther away (the escalation reach).
//!
//! Every visit is served from within the promise (km and, if set, minutes
//! from the outlet to the city); a city's jobs that nothing can serve within
//! it are reported as uncovered. The choice of owned sites is an
//! uncapacitated facility location problem, solved with a proven bound by
//! [`MedianSolver`](crate::planning::median::MedianSolver): every candidate city
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
//! use servnet::planning::planner::{CostModel, NetworkPlanner};
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

mod check;
mod cost;
mod cover;
mod forecast;
mod jobs;
mod network;
mod results;
mod rule;
mod solve;
mod sweep;

pub use cost::CostModel;
pub use forecast::{CityDemand, Forecast, JobClass, JobMix};
#[allow(deprecated)]
pub use results::PlanStatus;
pub use results::{BreakEven, CostBreakdown, NetworkPlan, Server, Service, SweepPoint, Uncovered};

use crate::model::{City, CityId, Outlet, Policy};
use crate::travel::TravelModel;
use rule::ClassRule;

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
    rule: ClassRule,
}

impl<'a> NetworkPlanner<'a> {
    /// A planner over `cities` (the candidate sites and where demand is),
    /// with the contracted outlets and dealers among `outlets` as the
    /// contracting options (company-owned outlets in it are ignored: the
    /// plan decides where owned outlets stand). Defaults: a 50 km promise,
    /// a 300 km escalation reach, [`CostModel::default`], the job rules of
    /// [`Policy::field`], every city a candidate, a plan proven optimal
    /// (target gap 0).
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
            rule: ClassRule::default(),
        }
    }

    /// The cost model.
    pub fn cost_model(mut self, cost: CostModel) -> Self {
        self.cost = cost;
        self
    }

    /// The dispatch policy whose rules say which outlet kinds may do which
    /// [`JobClass`] (default [`Policy::field`], the planner's rule before it
    /// read a policy), for example a scenario's [`Policy`]: a kind does a
    /// class when the policy admits it for every request kind, difficulty
    /// ([`JobClass::difficulties`]) and category of the default catalog.
    /// Expert jobs still reach owned outlets within the escalation reach.
    pub fn policy(mut self, policy: &Policy) -> Self {
        self.rule = ClassRule::of(policy);
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
}
