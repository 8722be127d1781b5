//! Capacitated facility location (CFL) with splittable demand.
//!
//! Each facility has a fixed cost to open and a capacity; each customer has a
//! demand that may be split across open facilities. `cost[facility][customer]`
//! is the cost of serving *all* of the customer's demand from that facility
//! (OR-Library's convention); serving a share of it costs that share of the
//! cost. The objective is the fixed costs of the open facilities plus the
//! serving costs.
//!
//! [`CflSolver::solve_lagrangian`] needs no MIP: a Lagrangian lower bound
//! (the demand rows relaxed, one continuous knapsack per site) and a local
//! search that opens, closes and swaps sites, each open set allocated
//! exactly by min-cost flow; it handles OR-Library's capa–capc (100 sites ×
//! 1,000 customers). [`CflSolver::solve`] runs it, then, for problems of at
//! most [`MIP_MAX_SHARES`] facility–customer pairs, solves the strong
//! formulation (`x_ij ≤ y_i`, and the aggregate cut `Σ cap_i y_i ≥ Σ d_j`)
//! as a MIP through good_lp (microlp by default, HiGHS with the `highs`
//! feature) to prove optimality. [`allocate`] solves the transportation
//! problem of one fixed open set; [`greedy_drop`] is a quick heuristic;
//! [`lp_bound`] is the LP relaxation's lower bound.
//!
//! # Example
//! ```
//! use servnet::assign::Status;
//! use servnet::planning::cfl::{CflProblem, CflSolver};
//! // Two facilities, two customers of demand 3; facility 0 can carry only 4.
//! let p = CflProblem::builder()
//!     .facility(10.0, 4.0)
//!     .facility(12.0, 10.0)
//!     .customer(3.0, [1.0, 5.0])
//!     .customer(3.0, [1.0, 5.0])
//!     .build()?;
//! let s = CflSolver::new().solve(&p)?;
//! assert_eq!(s.status, Status::Optimal);
//! assert_eq!(s.open, vec![false, true]); // 12 + 5 + 5; opening both costs more
//! assert!((s.cost - 22.0).abs() < 1e-6);
//! # Ok::<(), servnet::Error>(())
//! ```

// The models index matrices by facility and customer together; index loops read plainest.
#![allow(clippy::needless_range_loop)]

mod drop;
mod lagrange;
mod problem;
mod solution;
mod solver;
mod strong;
mod transport;

pub use drop::greedy_drop;
pub use problem::{CflBuilder, CflProblem};
pub use solution::{CflSolution, allocate};

/// How a [`CflSolution`] stands: the one status of every solver.
#[deprecated(note = "use servnet::assign::Status")]
pub type CflStatus = crate::assign::Status;
pub use solver::CflSolver;
pub use strong::lp_bound;

/// The largest fixed cost, capacity, demand or serving cost a problem may
/// hold (1e15): sums over every site and customer then stay finite and
/// gaps meaningful. Larger numbers are refused by [`CflBuilder::build`].
pub const MAX_VALUE: f64 = 1e15;

/// [`CflSolver::solve`] proves optimality with a MIP only for problems of at
/// most this many facility–customer pairs (5,000: OR-Library's cap41–cap134
/// are at most 50 × 50); larger ones get [`CflSolver::solve_lagrangian`]'s
/// plan and bound.
pub const MIP_MAX_SHARES: usize = 5_000;
