//! Network planning: which service sites to open, and which demand each
//! serves.
//!
//! The solvers are numbers only, no geography — a layer above
//! [`assign`](crate::assign):
//!
//! - [`cfl`]: capacitated facility location with splittable demand.
//! - [`covering`]: set covering, maximal covering and p-center, with proven bounds.
//! - [`median`]: p-median and uncapacitated facility location, proven optimal
//!   by Lagrangian branch and bound.
//!
//! The geography half works on cities and outlets, over
//! [`model`](crate::model), [`spatial`](crate::spatial) and [`travel`](crate::travel):
//!
//! - [`coverage`](mod@coverage): distance to the nearest outlet of each kind, and the
//!   cities and population a km/minutes promise covers.
//! - [`planner`]: own or contract — which cities get a company-owned outlet
//!   under a coverage promise, a volume sweep and break-even volumes.
//!
//! The main types are re-exported here: [`NetworkPlanner`], [`coverage()`]
//! with its [`Promise`], and the solvers [`MedianSolver`], [`CflSolver`],
//! [`SetCover`], [`MaxCover`] and [`PCenter`].

pub mod cfl;
pub mod coverage;
pub mod covering;
pub mod median;
pub mod planner;

pub use cfl::{CflProblem, CflSolution, CflSolver};
pub use coverage::{CoverageOptions, CoverageReport, Promise, coverage, coverage_of};
pub use covering::{CoverProblem, CoverSolution, MaxCover, PCenter, SetCover};
pub use median::{MedianProblem, MedianSolution, MedianSolver};
pub use planner::{CostModel, Forecast, NetworkPlan, NetworkPlanner};

/// A number for a message: in scientific notation when it is huge.
pub(crate) fn shown(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}
