//! Network planning: which service sites to open, and which demand each
//! serves.
//!
//! The solvers are numbers only, no geography — a layer above
//! [`assign`](crate::assign):
//!
//! - [`cfl`]: capacitated facility location with splittable demand.
//! - [`median`]: p-median and uncapacitated facility location.
//!
//! The planners work on cities and outlets:
//!
//! - [`planner`]: own or contract — which cities get a company-owned outlet
//!   under a coverage promise, a volume sweep and break-even volumes.

pub mod cfl;
pub mod median;
pub mod planner;
