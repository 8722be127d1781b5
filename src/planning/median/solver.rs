//! The solver and its answer: the count rule, the settings of
//! [`MedianSolver`], and the [`MedianSolution`] with its [`Status`].

use super::{MedianProblem, core, tree};
use crate::assign::solver::solution_gap;
use crate::assign::{SolverLimits, Status};
use crate::error::{ErrorKind, Result};
use serde::Serialize;

/// How many facilities open besides the always-open ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Count {
    /// Exactly p (the p-median problem).
    Exactly(usize),
    /// At most p.
    AtMost(usize),
    /// Any number (uncapacitated facility location).
    Free,
}

/// Why a median problem is infeasible: `uncovered` customers with no
/// allowed arc, or (with none) no open set within the count that serves
/// every customer.
pub(super) fn infeasible(uncovered: usize) -> Status {
    Status::Infeasible(match uncovered {
        0 => "no open set within the count serves every customer".to_string(),
        1 => "1 customer has no facility that can serve it".to_string(),
        n => format!("{n} customers have no facility that can serve them"),
    })
}

/// A solution: the open facilities, each customer's facility, the cost, a
/// lower bound, the relative gap and the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianSolution {
    /// Optimal, feasible, or infeasible: some customer cannot be served
    /// (it has no allowed arc; listed in [`MedianSolution::uncovered`], the
    /// others are solved as usual), or no open set within the count serves
    /// every customer (cost infinite).
    pub status: Status,
    /// The open facilities, sorted, always-open ones included.
    pub open: Vec<usize>,
    /// Per customer, the facility serving it; `None` only when infeasible.
    pub assignment: Vec<Option<usize>>,
    /// Fixed plus serving cost of the served customers; infinite when no open
    /// set within the count serves every customer that has an arc.
    pub cost: f64,
    /// A lower bound on the cost of every open set within the count (over
    /// the customers that have an arc).
    pub bound: f64,
    /// The [`gap`](crate::assign::gap) between cost and bound; 0 when
    /// proven optimal (a bound within 1e-9 relative of the cost counts as
    /// the cost), infinite when the cost is.
    pub gap: f64,
    /// The customers with no allowed arc at all (then the status is infeasible).
    pub uncovered: Vec<usize>,
    /// Branch-and-bound nodes processed (the root is one).
    pub nodes: u64,
    /// Wall-clock seconds the solver took.
    pub seconds: f64,
}

/// The exact p-median / UFL solver: Lagrangian bound, fast-interchange
/// incumbent, branch and bound with reduced-cost fixing (see the [module
/// docs](super)).
///
/// Defaults: [`Count::Free`], no time or node limit, target gap 0 (prove optimal).
/// A node limit of 0 runs only the greedy start and the local search (the
/// bound is then the relaxation at its starting multipliers); the time
/// limit is a safety stop, the only time-dependent behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct MedianSolver {
    pub(super) count: Count,
    pub(super) limits: SolverLimits,
}

impl Default for MedianSolver {
    fn default() -> Self {
        MedianSolver {
            count: Count::Free,
            limits: SolverLimits::default(),
        }
    }
}

impl MedianSolver {
    /// The p-median problem: exactly `p` facilities open besides the always-open ones.
    pub fn p_median(p: usize) -> Self {
        MedianSolver::default().count(Count::Exactly(p))
    }

    /// Uncapacitated facility location: any number of facilities.
    pub fn ufl() -> Self {
        MedianSolver::default().count(Count::Free)
    }

    /// Sets the count rule.
    pub fn count(mut self, count: Count) -> Self {
        self.count = count;
        self
    }

    crate::assign::solver::limit_setters!();

    /// The settings against the problem: the count and the limits.
    pub(super) fn check(&self, problem: &MedianProblem) -> Result<()> {
        let candidates = problem.always.iter().filter(|&&a| !a).count();
        if let Count::Exactly(p) | Count::AtMost(p) = self.count
            && p > candidates
        {
            return Err(ErrorKind::Parameter {
                name: "p",
                message: format!(
                    "{p} is more than the {candidates} facilities that are not always open"
                ),
            }
            .into());
        }
        self.limits.check()?;
        Ok(())
    }

    /// Solves the problem.
    ///
    /// With `Count::Exactly(0)` and no always-open facility, a problem with
    /// a customer that has an arc is [`Status::Infeasible`] (cost
    /// infinite), not an error. A customer with no arc makes the status
    /// infeasible too, names it in `uncovered`, and the rest is solved.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`]: `p` larger than the number of facilities
    /// that are not always open; `time_limit_s` not a number of seconds > 0;
    /// `target_gap` negative or not finite.
    pub fn solve(&self, problem: &MedianProblem) -> Result<MedianSolution> {
        let started = std::time::Instant::now();
        self.check(problem)?;
        let core = core::Core::new(problem, self.count);
        let limits = tree::Limits {
            deadline: self.limits.deadline(started),
            node_limit: self.limits.node_limit,
            target_gap: self.limits.target_gap,
        };
        let found = tree::solve(&core, &limits);
        let uncovered = problem.uncovered();
        let mut is_open = problem.always.clone();
        for &i in &found.open {
            is_open[i] = true;
        }
        let e = problem.evaluate_flags(&is_open);
        let feasible = e.unserved.len() == uncovered.len();
        let cost = if feasible { e.cost } else { f64::INFINITY };
        let mut bound = found.bound.min(cost);
        if cost.is_finite() && bound >= cost - 1e-9 * cost.abs().max(1.0) {
            // Proven within rounding.
            bound = cost;
        }
        let gap = solution_gap(cost, bound);
        let status = if !feasible || !uncovered.is_empty() {
            infeasible(uncovered.len())
        } else if gap == 0.0 {
            Status::Optimal
        } else {
            Status::Feasible
        };
        Ok(MedianSolution {
            status,
            open: e.open,
            assignment: if feasible {
                e.assignment
            } else {
                vec![None; problem.customers()]
            },
            cost,
            bound,
            gap,
            uncovered,
            nodes: found.nodes,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
