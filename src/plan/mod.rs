//! Network planning: which service sites to open, and which demand each
//! serves. The solvers are numbers only, no geography — a layer above
//! [`assign`](crate::assign); coverage is the geography half, over
//! [`model`](crate::model), [`spatial`](crate::spatial) and [`travel`](crate::travel).
//!
//! - [`cfl`]: capacitated facility location with splittable demand.
//! - [`cover`]: set covering, maximal covering and p-center, with proven bounds.
//! - [`coverage`]: distance to the nearest outlet of each kind, and the cities and population a km/minutes promise covers.
//! - [`median`]: p-median and uncapacitated facility location, proven optimal
//!   by Lagrangian branch and bound.

pub mod cfl;
pub mod cover;
pub mod coverage;
pub mod median;
