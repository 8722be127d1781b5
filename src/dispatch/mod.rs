//! Dispatch: strategies that turn a scenario's requests into a [`Plan`] —
//! the baseline [`Nearest`] rule and the [`Optimal`] assignment — and the
//! independent checker [`verify`].

mod live;
mod nearest;
mod optimal;
mod plan;
mod table;
mod verify;

pub use nearest::Nearest;
pub use optimal::Optimal;
pub use plan::{Assignment, KindTotals, Plan, PlanSummary, Unassigned, UnassignedReason};
pub use verify::{Violation, ViolationCode, verify};

use crate::error::Result;
use crate::model::Scenario;

/// A dispatch strategy: decides which technician serves which request.
///
/// Object-safe, so benchmarks and the simulator can loop over
/// `Vec<Box<dyn DispatchStrategy>>`. Implementers must return a plan in which
/// every request of the scenario is either assigned or unassigned with a
/// reason, that passes [`verify`], and that is the same for the same scenario.
pub trait DispatchStrategy: Send + Sync {
    /// A short name, e.g. `nearest`.
    fn name(&self) -> &str;

    /// Dispatches every request of the scenario.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) when the strategy's own settings are invalid.
    fn dispatch(&self, scenario: &Scenario) -> Result<Plan>;
}

/// The strategy with this name (`nearest` or `optimal`), with default settings.
pub fn strategy_by_name(name: &str) -> Option<Box<dyn DispatchStrategy>> {
    match name {
        "nearest" => Some(Box::new(Nearest::new())),
        "optimal" => Some(Box::new(Optimal::new())),
        _ => None,
    }
}
