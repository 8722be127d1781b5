//! A lower bound from prices on the capacities alone, without building an
//! assignment: the dual of the LP relaxation, approached by coordinate
//! ascent and projected subgradient steps.

use super::model::Model;
use super::prices::{PRICE_UPDATES_PER_UNIT, Prices};
use crate::assign::budget::Budget;
use crate::assign::deadline::Deadline;
use crate::assign::problem::AssignmentProblem;
use std::time::Instant;

/// A lower bound on the cost of every assignment of `problem`, from prices
/// on its capacities alone: the dual of the LP relaxation, approached by
/// coordinate ascent on the prices and then projected subgradient steps
/// towards `target` (the cost of a known assignment, or any number at
/// least the optimum; infinity to skip the steps). No assignment is built.
///
/// Every task is free to take its cheapest priced option, so any prices
/// give a valid bound; the search stops after about `work_limit` steps of
/// work (one per edge looked at) or `time_limit_s` seconds, whichever
/// comes first. A run that ends on the work limit gives the same bound on
/// every machine.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, price_bound};
/// // One agent of capacity 5, two tasks of load 3: one must take its penalty of 10.
/// let p = AssignmentProblem::builder(2)
///     .agents([5.0])
///     .edge(0, 0, 1.0, 3.0)
///     .edge(1, 0, 2.0, 3.0)
///     .penalty(0, 10.0)
///     .penalty(1, 10.0)
///     .build()?;
/// let bound = price_bound(&p, f64::INFINITY, u64::MAX, 10.0);
/// assert!(bound <= 11.0 + 1e-9 && bound > 3.0);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn price_bound(
    problem: &AssignmentProblem,
    target: f64,
    work_limit: u64,
    time_limit_s: f64,
) -> f64 {
    let m = Model::new(problem);
    let budget = Budget::new(
        Deadline::after(Instant::now(), time_limit_s),
        Some(work_limit),
    );
    let units = m.cap.len() + m.group_cap.len();
    // An update of one price looks at about its unit's share of the edges.
    let per_update = (m.edges.len() / units.max(1)) as u64 + 1;
    let updates = (work_limit / per_update).min((PRICE_UPDATES_PER_UNIT * units) as u64);
    let mut prices = Prices::ascend(&m, updates as usize, &budget);
    let ascended = prices.bound(&m);
    let stepped = prices.subgradient(&m, target, &budget);
    ascended.max(stepped)
}
