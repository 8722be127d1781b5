//! Network planning: which service sites to open, and which demand each
//! serves. Numbers only, no geography — a layer above [`assign`](crate::assign).
//!
//! - [`cfl`]: capacitated facility location with splittable demand.
//! - [`median`]: p-median and uncapacitated facility location, proven optimal
//!   by Lagrangian branch and bound.

pub mod cfl;
pub mod median;
