//! Lagrangian relaxation with local search and branch and bound: the
//! generalized assignment problem at any loads, with a proven lower bound.
//!
//! Relaxing "each task goes exactly once" with multipliers λ (and the group
//! limits with multipliers μ ≥ 0) splits the problem into one 0-1 knapsack
//! per agent: take the edges whose reduced cost `cost − λ[task] + μ[group]`
//! is negative, within the agent's capacity. The knapsacks are solved exactly
//! (dynamic programming or branch and bound; the bound is then at least as
//! strong as the LP relaxation, often much stronger), or by their LP bound
//! when that would take too long; either way the relaxed value is a lower
//! bound on every feasible assignment. Subgradient steps raise it. Large
//! problems start from prices on the capacities ([`prices`]) and take their
//! steps only where capacity is short ([`regional`]).
//!
//! Feasible assignments come from the knapsack solutions (or a warm start):
//! each task keeps its cheapest selection, the rest are inserted by regret
//! (with one ejection when no agent has room), then improved by shift, swap
//! and ejection-chain moves; tasks still left out are put back by longer
//! ejection chains, by clearing room and by re-planning their candidate
//! agents ([`chains`], [`clear`], [`repack`]).
//!
//! Small problems are then closed by depth-first branch and bound: at every
//! node the multipliers are re-optimised from the parent's, edges are fixed
//! by what forcing them in or out would do to the knapsacks' values, and the
//! search branches on a task the relaxation covers not exactly once.

mod ascent;
mod branch;
mod chains;
mod clear;
mod config;
mod dual;
mod local;
mod model;
mod moves;
mod price_bound;
mod prices;
mod primal;
mod regional;
mod repack;
mod search;
mod sensitivity;
mod solve;
mod state;

pub use config::{Lagrangian, OPTIMAL_GAP};
pub use price_bound::price_bound;
