//! # servnet
//!
//! Plans and runs the after-sales service network of an appliance maker: a
//! call center takes customer requests (installations, repairs, maintenance)
//! and dispatches them, by region and proximity, to company-owned outlets,
//! contracted service companies and dealers, under capacity and skill
//! constraints — over the real cities of mainland China.
//!
//! - [`model`]: plain data — [`City`], [`Region`], [`Outlet`], [`Technician`],
//!   [`ServiceRequest`], the product [`Catalog`] — and the validated [`Scenario`].
//! - [`io`]: JSON readers and writers that report every problem at once, and
//!   China's shipped cities ([`io::china::Geography::china`]) and trunk
//!   roads ([`io::china::Geography::trunk_lines`]), and plans as GeoJSON
//!   ([`io::geojson::plan_geojson`]) and SVG maps ([`io::map::plan_svg`]).
//! - [`generate`]: a seeded generator of a national or provincial network and a day's demand.
//! - [`spatial`]: exact great-circle k-nearest and radius queries on an R-tree.
//! - [`travel`]: the [`TravelModel`] trait, the [`GreatCircle`] model, and road
//!   networks ([`travel::RoadNetwork`], [`travel::RoadTravel`]) with shortest paths and matrices.
//! - [`assign`]: capacitated assignment over sparse candidate edges, with
//!   lower bounds; [`assign::MinCostFlow`] is exact for unit loads.
//! - [`dispatch`]: the [`DispatchStrategy`] trait; [`Nearest`] (the field's
//!   rule), [`RegionNearest`], [`Regret`] (capacity-aware greedy) and the
//!   [`Optimal`] assignment with its lower bound and gap; one-stop visits;
//!   the [`Plan`] and the independent checker [`verify`], which also checks
//!   the scenario's [`Policy`].
//! - [`route`]: one technician's day — visit order under time windows (exact
//!   for small days, insertion and local search above), times, and live
//!   insertion; [`dispatch::route_plan`] routes a whole plan and
//!   [`dispatch::insert`] places an urgent request into it.
//! - [`planning`]: network planning — coverage of a network within a km or
//!   minutes promise ([`planning::coverage`]), facility-location solvers with
//!   proven bounds (p-median and uncapacitated location in [`planning::median`],
//!   capacitated location in [`planning::cfl`]), and the own-or-contract
//!   [`planning::planner::NetworkPlanner`] with its volume sweep.
//! - [`sim`]: triage, and a multi-day [`sim::Simulation`] that runs every
//!   strategy on the same calls and reports their KPIs.
//!
//! New here? Start with the [`guide`]: from a scenario to a strategy comparison.
//!
//! # Example
//! ```
//! use servnet::{DispatchStrategy, Nearest, verify};
//! use servnet::generate::{Generator, Preset};
//!
//! let scenario = Generator::new(Preset::province("Guangdong")).requests(300).seed(7).build()?;
//! let plan = Nearest::new().dispatch(&scenario)?;
//! assert!(verify(&scenario, &plan).is_empty());
//! println!("{}", plan.summary(&scenario));
//! # Ok::<(), servnet::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod assign;
pub mod dispatch;
mod error;
pub mod guide;
pub mod io;
pub mod model;
pub mod planning;
pub mod route;
pub mod sim;
pub mod spatial;
pub mod travel;

pub use dispatch::{
    DispatchStrategy, Nearest, Optimal, Plan, RegionNearest, Regret, UnassignedReason, verify,
};
pub use error::{Error, ErrorKind, ParseError, Problem, ProblemCode, Result};
pub use model::*;
pub use sim::generate;
pub use travel::{GreatCircle, TravelModel};
