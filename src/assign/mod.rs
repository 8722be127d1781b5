//! Assignment: pure optimisation over numbers — tasks, agents with
//! capacities, sparse candidate edges — with solutions that carry a lower
//! bound, so a user sees how far from optimal a plan can be.
//!
//! Knows nothing of geography: dispatch builds an [`AssignmentProblem`] from
//! a scenario; benchmarks build one from OR-Library files.
//!
//! - [`MinCostFlow`]: exact for unit loads (each visit uses one unit of an
//!   agent's capacity), with group limits and penalties for leaving a task out.
//! - [`MipSolver`]: the exact reference for any loads, as a MIP through
//!   good_lp (pure-Rust microlp by default, HiGHS with the `highs` feature).
//! - [`Status`], [`gap`] and [`SolverLimits`]: how every solver of `assign`
//!   and [`planning`](crate::planning) reports its end and takes its limits.
//! - [`Decomposed`]: wraps any solver; splits a problem into its independent
//!   parts ([`components`]) and solves them in parallel with rayon.

pub(crate) mod budget;
pub(crate) mod deadline;
mod decompose;
mod flow;
mod knapsack;
mod lagrange;
pub(crate) mod mip;
mod problem;
pub(crate) mod solver;

pub use decompose::{Component, Decomposed, components};
pub use flow::MinCostFlow;
pub use lagrange::{Lagrangian, OPTIMAL_GAP, price_bound};
pub use mip::MipSolver;
pub use problem::{AssignmentProblem, AssignmentSolver, Edge, ProblemBuilder, Solution};
pub use solver::{SolverLimits, Status, gap};
