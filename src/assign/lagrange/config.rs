//! The solver's configuration: [`Lagrangian`] with its builder methods and
//! defaults, and the gap at which it reports a solution optimal.

use super::model::LARGE;

/// The relative gap under which a solution is reported optimal (costs that
/// are not integers only; with integer costs the bound is rounded up).
pub const OPTIMAL_GAP: f64 = 1e-6;

/// Lagrangian relaxation of the assignment constraints, a primal heuristic
/// with local search, and branch and bound on problems of up to
/// [`Lagrangian::branch_tasks`] tasks.
///
/// Returns the best assignment found with a lower bound. With integer costs
/// (OR-Library instances) the bound is rounded up, so a solve that closes the
/// gap reports [`Status::Optimal`]; otherwise optimal means within a relative
/// [`OPTIMAL_GAP`].
///
/// Runs that end on the time limit depend on the machine's speed; runs that
/// end on the gap, on optimality, on [`Lagrangian::node_limit`] or on
/// [`Lagrangian::work_limit`] do not.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, AssignmentSolver, Lagrangian, Status};
/// // Agents of capacity 7 and 5; three tasks of loads 3, 3 and 4.
/// let p = AssignmentProblem::builder(3)
///     .agents([7.0, 5.0])
///     .edge(0, 0, 1.0, 3.0).edge(0, 1, 2.0, 3.0)
///     .edge(1, 0, 1.0, 3.0).edge(1, 1, 4.0, 3.0)
///     .edge(2, 0, 1.0, 4.0).edge(2, 1, 3.0, 4.0)
///     .build()?;
/// let s = Lagrangian::new().solve(&p)?;
/// assert_eq!(s.status, Status::Optimal);
/// assert_eq!(s.cost, 4.0); // tasks 1 and 2 share agent 0 (3 + 4 = 7), task 0 goes to agent 1
/// assert_eq!(s.agent_of, [Some(1), Some(0), Some(0)]);
/// # Ok::<(), servnet::Error>(())
/// ```
///
/// [`Status::Optimal`]: crate::assign::Status::Optimal
#[derive(Debug, Clone, PartialEq)]
pub struct Lagrangian {
    pub(super) time_limit_s: f64,
    pub(super) target_gap: f64,
    pub(super) branch_tasks: usize,
    pub(super) node_limit: u64,
    pub(super) work_limit: u64,
    pub(super) prices_above: usize,
    pub(super) warm_start: Option<Vec<Option<u32>>>,
}

impl Default for Lagrangian {
    fn default() -> Self {
        Lagrangian::new()
    }
}

impl Lagrangian {
    /// Defaults: a 10 s time limit, a target gap of 0 (prove optimality),
    /// branch and bound on problems of up to 5,000 tasks, no node limit,
    /// capacity prices above 20,000 tasks.
    pub fn new() -> Self {
        Lagrangian {
            time_limit_s: 10.0,
            target_gap: 0.0,
            branch_tasks: 5_000,
            node_limit: u64::MAX,
            work_limit: u64::MAX,
            prices_above: LARGE,
            warm_start: None,
        }
    }

    /// Stops after this many seconds (> 0) with the best assignment and bound found.
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = seconds;
        self
    }

    /// Stops once the relative gap `(cost − bound) / max(|cost|, 1)` is at most this (e.g. 0.005).
    pub fn target_gap(mut self, gap: f64) -> Self {
        self.target_gap = gap;
        self
    }

    /// Branches only on problems of at most this many tasks; larger ones stop after the root.
    pub fn branch_tasks(mut self, tasks: usize) -> Self {
        self.branch_tasks = tasks;
        self
    }

    /// Starts from this assignment (the agent of each task, `None` for
    /// unassigned), improved by local search; ignored unless
    /// [`AssignmentProblem::evaluate`] accepts it. The answer is never worse.
    ///
    /// [`AssignmentProblem::evaluate`]: crate::assign::AssignmentProblem::evaluate
    pub fn warm_start(mut self, agent_of: Vec<Option<u32>>) -> Self {
        self.warm_start = Some(agent_of);
        self
    }

    /// Problems of more than this many tasks (default 20,000) start from
    /// prices on the capacities, found by coordinate ascent on the dual of
    /// the LP relaxation, rather than from subgradient steps alone: on a
    /// national day this prices local capacity shortages in a fraction of a
    /// second, where the steps on each task's multiplier barely move.
    pub fn prices_above(mut self, tasks: usize) -> Self {
        self.prices_above = tasks;
        self
    }

    /// Stops branching after this many nodes, for runs that must not depend on the clock.
    pub fn node_limit(mut self, nodes: u64) -> Self {
        self.node_limit = nodes;
        self
    }

    /// Stops after this many steps of work (≥ 1; default no limit) with the
    /// best assignment and bound found. A step is roughly one task looked at
    /// by the ascent, the local search or the chains, counted at fixed points
    /// of the search, so a run that ends on this limit ends the same way on
    /// every machine: the limit of choice for runs that must be repeatable.
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.work_limit = steps;
        self
    }
}
