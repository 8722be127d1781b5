//! Network planning: which service sites to open, and which demand each
//! serves. Numbers only, no geography — a layer above [`assign`](crate::assign).
//!
//! - [`cfl`]: capacitated facility location with splittable demand.
//! - [`cover`]: set covering, maximal covering and p-center, with proven bounds.

pub mod cfl;
pub mod cover;
