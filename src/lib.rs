//! # servnet
//!
//! Plans and runs the after-sales service network of an appliance maker: a
//! call center takes customer requests (installations, repairs, maintenance)
//! and dispatches them, by region and proximity, to company-owned outlets,
//! contracted service companies and dealers, under capacity and skill
//! constraints — over the real cities of mainland China.
//!
//! New here? Start with the [`guide`]: from a scenario to a strategy comparison.
//! `ARCHITECTURE.md` in the repository draws the layers below and the path of
//! one dispatch from JSON to verified routes.
//!
//! # Modules, bottom layer first
//!
//! | module | what it holds | main items (also at the crate root) |
//! |---|---|---|
//! | [`model`] | plain data and the validated scenario | [`Scenario`], [`ScenarioData`], [`City`], [`Region`], [`Geography`], [`Outlet`], [`Technician`], [`ServiceRequest`], [`Catalog`], [`Policy`], [`TravelSpec`], [`TravelModel`], [`limits`] |
//! | [`spatial`] | great-circle geometry: exact k-nearest and radius queries on an R-tree | [`GeoIndex`], [`great_circle_km`] |
//! | [`travel`] | distances and times: great-circle legs, road networks, shortest paths, matrices | [`GreatCircle`], [`RoadNetwork`], [`RoadTravel`] |
//! | [`assign`] | capacitated assignment over sparse edges, with lower bounds | [`AssignmentProblem`], [`MinCostFlow`], [`Lagrangian`], [`MipSolver`] |
//! | [`planning`] | network planning: coverage within a promise, p-median, capacitated location, covering models, own or contract | [`NetworkPlanner`], [`coverage()`], [`Promise`], [`MedianSolver`], [`CflSolver`], [`SetCover`], [`MaxCover`], [`PCenter`] |
//! | [`route`] | one technician's day: visit order, the timing rule, room for one more | [`route::Day`], [`route::timing`] |
//! | [`dispatch`] | strategies that make the routed plan of a day, live insertion, the checker | [`DispatchStrategy`], [`Nearest`], [`RegionNearest`], [`Regret`], [`Optimal`], [`OneStop`], [`Plan`], [`Route`], [`verify`], [`route_plan()`], [`insert()`], [`Inserter`], [`TechnicianIndex`] |
//! | [`sim`] | triage and a multi-day simulation that compares strategies; the seeded [`generate`] | [`Generator`], [`Preset`], [`Simulation`], [`SimConfig`], [`Triage`] |
//! | [`io`] | readers and writers: JSON, CSV, GeoJSON, SVG maps, reports, OR-Library files, benchmark reports | [`read_scenario`], [`read_plan`], [`write_json`], [`load_travel`] |
//!
//! Errors are one [`Error`] with an [`ErrorKind`]; a scenario's problems are
//! [`Problem`]s with stable [`ProblemCode`]s, and a text that none of a type's
//! forms matches is a [`ParseError`].
//!
//! # Example
//! ```
//! use servnet::{DispatchStrategy, Generator, Nearest, Preset, verify};
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

pub use assign::{AssignmentProblem, AssignmentSolver, Lagrangian, MinCostFlow, MipSolver};
pub use dispatch::{
    Assignment, DispatchStrategy, Eligibility, Inserter, Nearest, OneStop, Optimal, Plan,
    RegionNearest, Regret, Route, Stop, TechnicianIndex, Unassigned, UnassignedReason, Violation,
    ViolationCode, insert, route_plan, verify,
};
pub use error::{Error, ErrorKind, ParseError, Problem, ProblemCode, Result};
pub use io::{load_travel, read_plan, read_scenario, scenario_from_json_str, write_json};
pub use model::*;
pub use planning::{
    CflProblem, CflSolver, CostModel, CoverProblem, CoverageOptions, CoverageReport, Forecast,
    MaxCover, MedianProblem, MedianSolver, NetworkPlan, NetworkPlanner, PCenter, Promise, SetCover,
    coverage,
};
pub use sim::generate;
pub use sim::generate::{Generator, Preset};
pub use sim::{SimConfig, Simulation, Triage};
pub use spatial::{GeoIndex, great_circle_km};
pub use travel::{RoadNetwork, RoadTravel};
