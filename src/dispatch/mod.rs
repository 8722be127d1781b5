//! Dispatch: strategies that turn a scenario's requests into a [`Plan`] —
//! every technician's day as a route — from the baseline [`Nearest`] rule to
//! the [`Optimal`] routed plan with its lower bound; the independent checker
//! [`verify`]; [`route_plan`](fn@route_plan) re-orders each technician's day
//! of a plan made elsewhere, and [`insert`] places an urgent request into the
//! routed day. [`TechnicianIndex`] and [`OutletIndex`] find the nearest who
//! may do a job, by [`Eligibility`].

mod days;
mod eligibility;
mod insert;
mod live;
mod nearest;
mod one_stop;
mod optimal;
mod plan;
mod region;
mod region_nearest;
mod regret;
mod route_plan;
mod routed;

mod verify;

pub use eligibility::{Eligibility, Found, OutletIndex, TechnicianIndex};
pub use insert::{Inserter, Insertion, Placement, insert};
pub use nearest::Nearest;
pub use one_stop::{Coordinated, OneStop, dispatch_one_stop, split_one_stop};
pub use optimal::Optimal;
pub use plan::{Assignment, KindTotals, Plan, PlanSummary, Unassigned, UnassignedReason};
pub use region_nearest::RegionNearest;
pub use regret::Regret;
pub use route_plan::route_plan;
pub use routed::{MAX_DAY_VISITS, Route, Stop};
pub use verify::{Violation, ViolationCode, verify};

use crate::error::Result;
use crate::model::Scenario;

/// A dispatch strategy: decides which technician serves which request, and
/// in what order each technician drives its day.
///
/// Object-safe, so benchmarks and the simulator can loop over
/// `Vec<Box<dyn DispatchStrategy>>`. Implementers must return a plan in which
/// every request of the scenario is either assigned (a stop of its
/// technician's route) or unassigned with a reason, that passes [`verify`],
/// and that is the same for the same scenario.
pub trait DispatchStrategy: Send + Sync {
    /// A short name, e.g. `nearest`.
    fn name(&self) -> &str;

    /// Dispatches every request of the scenario.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) when the strategy's own settings are invalid.
    fn dispatch(&self, scenario: &Scenario) -> Result<Plan>;
}

/// The names [`strategy_by_name`] knows.
pub const STRATEGIES: [&str; 4] = ["nearest", "region_nearest", "regret", "optimal"];

/// The strategy with this name (one of [`STRATEGIES`]), with default settings.
pub fn strategy_by_name(name: &str) -> Option<Box<dyn DispatchStrategy>> {
    match name {
        "nearest" => Some(Box::new(Nearest::new())),
        "region_nearest" => Some(Box::new(RegionNearest::new())),
        "regret" => Some(Box::new(Regret::new())),
        "optimal" => Some(Box::new(Optimal::new())),
        _ => None,
    }
}
