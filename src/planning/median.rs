//! The p-median and uncapacitated facility location (UFL) problems, solved
//! to proven optimality.
//!
//! `n` candidate facilities, `m` customers; each customer has a sparse list
//! of allowed arcs `(facility, cost)` (the cost already weighted by the
//! customer's demand); each facility has a fixed cost to open (default 0);
//! some facilities may be *always open* (paid for, and not counted towards
//! p). Every customer is served by its cheapest open allowed facility. The
//! objective is the fixed costs of the open facilities plus the serving
//! costs; the [`Count`] rule says how many facilities may open besides the
//! always-open ones: exactly p (p-median), at most p, or any number (UFL).
//!
//! [`MedianSolver`] proves optimality by branch and bound on the facilities:
//!
//! - the bound is the Lagrangian relaxation of "each customer is served
//!   once", one multiplier `u_j` per customer, raised by subgradient
//!   ascent: facility i's reduced value is
//!   `fixed_i + Σ_j min(0, c_ij − u_j)`, and the relaxation opens the p
//!   best (or, with no count, every negative one);
//! - the incumbent comes from a greedy start and the fast swap-based
//!   interchange of Whitaker (with each customer's nearest and second
//!   nearest open facility), restarted from the relaxation's open sets;
//! - the reduced values fix facilities open or closed whenever the other
//!   choice cannot beat the incumbent; with integer costs the bound is rounded up.
//!
//! The search is deterministic: the same problem and settings give the same
//! solution, byte for byte, unless the safety time limit stops it.
//!
//! # Example
//! ```
//! use servnet::assign::Status;
//! use servnet::planning::median::{MedianProblem, MedianSolver};
//! // Four vertices on a line 0 — 1 — 2 — 3, one unit apart; two medians.
//! let d: Vec<Vec<Option<f64>>> = (0..4)
//!     .map(|i: i32| (0..4).map(|j: i32| Some(f64::from((i - j).abs()))).collect())
//!     .collect();
//! let problem = MedianProblem::from_matrix(&d)?;
//! let s = MedianSolver::p_median(2).solve(&problem)?;
//! assert_eq!(s.status, Status::Optimal);
//! assert_eq!(s.cost, 2.0); // e.g. medians 0 and 2, or 1 and 3
//! assert_eq!(s.open.len(), 2);
//! # Ok::<(), servnet::Error>(())
//! ```

mod core;
mod local;
mod mip;
mod problem;
mod relax;
mod solver;
mod tree;

pub use problem::{MedianBuilder, MedianEvaluation, MedianProblem};
pub use solver::{Count, MedianSolution, MedianSolver};

/// How a [`MedianSolution`] stands: the one status of every solver.
#[deprecated(note = "use servnet::assign::Status")]
pub type MedianStatus = crate::assign::Status;

/// The largest fixed or serving cost a [`MedianProblem`] may hold (1e15):
/// sums over every facility and customer then stay finite, and bounds and
/// gaps meaningful. [`MedianBuilder::build`] refuses larger costs.
pub const MAX_COST: f64 = 1e15;
