//! The solver: the Lagrangian bound and local search, then the strong
//! formulation as a MIP to prove optimality on small problems.

use super::solution::{allocate, capacity_shortfall, infeasible, planned};
use super::strong::{solver_failed, strong_rows, strong_variables};
use super::{CflProblem, CflSolution, MIP_MAX_SHARES, lagrange};
use crate::assign::budget::Budget;
use crate::assign::deadline::{Deadline, solver_seconds};
use crate::assign::solver::solution_gap;
use crate::assign::{SolverLimits, Status};
use crate::error::Result;
use good_lp::{ResolutionError, Solution as _, SolutionStatus, SolverModel, WithTimeLimit};
use std::time::Instant;

/// Solves a [`CflProblem`]: a Lagrangian bound and a local search, then,
/// for problems of at most [`MIP_MAX_SHARES`] facility–customer pairs, a
/// mixed-integer program (strong formulation) to prove optimality.
///
/// The MIP's variables: binary `y_i` (open), continuous `x_ij ∈ [0, 1]`
/// (share of customer j served by facility i). Rows: `Σ_i x_ij = 1`,
/// `Σ_j d_j x_ij ≤ cap_i y_i`, `x_ij ≤ y_i` and `Σ_i cap_i y_i ≥ Σ_j d_j`.
///
/// A run stopped by its time or work limit returns its best plan, its
/// bound and [`Status::Feasible`], never an error; a run stopped by its
/// work limit alone ([`CflSolver::solve_lagrangian`]) is the same on every
/// run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CflSolver {
    limits: SolverLimits,
}

impl CflSolver {
    /// No time limit: prove optimality.
    pub fn new() -> Self {
        CflSolver::default()
    }

    /// Stops after this many seconds with the best solution found (any
    /// number > 0; `1e20` or infinity mean no limit in practice).
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.limits.time_limit_s = Some(seconds);
        self
    }

    /// Stops the Lagrangian search after this many steps of work (sites ×
    /// customers per subgradient step, arcs looked at per allocation): a
    /// limit that ends the run at the same point on every machine. The MIP
    /// of [`CflSolver::solve`] is not counted and is skipped under a work limit.
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.limits.work_limit = Some(steps);
        self
    }

    fn check(&self, started: Instant) -> Result<Deadline> {
        self.limits.check()?;
        Ok(self.limits.deadline(started))
    }

    /// The Lagrangian bound and local search alone: no MIP, for problems of
    /// any size (OR-Library's capa–capc: 100 × 1,000). Optimal only when the
    /// plan meets the bound.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::error::ErrorKind::Parameter) for a
    /// time limit that is not a number of seconds > 0 or a work limit of 0.
    /// Infeasibility (total capacity below demand) is the status
    /// [`Status::Infeasible`], not an error.
    pub fn solve_lagrangian(&self, p: &CflProblem) -> Result<CflSolution> {
        let started = Instant::now();
        let deadline = self.check(started)?;
        Ok(self.heuristic(p, deadline, started))
    }

    fn heuristic(&self, p: &CflProblem, deadline: Deadline, started: Instant) -> CflSolution {
        let all = vec![true; p.facilities()];
        if let Some(why) = capacity_shortfall(p, &all) {
            return infeasible(p, why, started);
        }
        let Some(out) = lagrange::solve(p, Budget::new(deadline, self.limits.work_limit)) else {
            let why = format!(
                "the sites' total capacity does not carry the total demand {}",
                p.total_demand()
            );
            return infeasible(p, why, started);
        };
        let mut s = planned(p, out.open, out.allocation, started);
        s.lower_bound = out.bound;
        s.gap = solution_gap(s.cost, s.lower_bound);
        s.status = if s.gap <= 1e-9 {
            Status::Optimal
        } else {
            Status::Feasible
        };
        s
    }

    /// Solves the problem: [`CflSolver::solve_lagrangian`] (with a third of
    /// the time when a MIP follows), then, unless that plan is proven
    /// optimal, there is a work limit, or the problem has more than
    /// [`MIP_MAX_SHARES`] facility–customer pairs, the MIP with the time
    /// left; the better plan and the better bound are kept.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::error::ErrorKind::Parameter) for a
    /// time limit that is not a number of seconds > 0, a work limit of 0, or
    /// when the MIP solver fails.
    /// Infeasibility (total capacity below demand) is the status
    /// [`Status::Infeasible`], not an error.
    pub fn solve(&self, p: &CflProblem) -> Result<CflSolution> {
        let started = Instant::now();
        let deadline = self.check(started)?;
        let mip =
            self.limits.work_limit.is_none() && p.facilities() * p.customers() <= MIP_MAX_SHARES;
        let first = if mip {
            deadline.share(1.0 / 3.0)
        } else {
            deadline
        };
        let mut best = self.heuristic(p, first, started);
        if !mip || best.status != Status::Feasible || deadline.passed() {
            best.seconds = started.elapsed().as_secs_f64();
            return Ok(best);
        }
        if let Some(s) = self.mip(p, deadline, started)?
            && !matches!(s.status, Status::Infeasible(_))
        {
            let bound = best.lower_bound.max(s.lower_bound);
            if s.cost < best.cost {
                best = s;
            }
            best.lower_bound = bound.min(best.cost);
            best.gap = solution_gap(best.cost, best.lower_bound);
            best.status = if best.gap <= 1e-9 || best.status == Status::Optimal {
                Status::Optimal
            } else {
                Status::Feasible
            };
        }
        best.seconds = started.elapsed().as_secs_f64();
        Ok(best)
    }

    /// The MIP with the time left; `None` when its time limit came before
    /// it found a plan.
    fn mip(
        &self,
        p: &CflProblem,
        deadline: Deadline,
        started: Instant,
    ) -> Result<Option<CflSolution>> {
        let (vars, y, x, objective) = strong_variables(p, true);
        let mut model = crate::assign::mip::backend(vars.minimise(objective));
        if self.limits.time_limit_s.is_some() {
            model = model.with_time_limit(solver_seconds(deadline.seconds_left().max(1e-3)));
        }
        strong_rows(p, &x, &y, &mut model);
        let solved = match model.solve() {
            Ok(s) => s,
            Err(ResolutionError::Infeasible) => {
                return Ok(Some(infeasible(
                    p,
                    "the MIP solver proved that no open set carries the demand".into(),
                    started,
                )));
            }
            Err(e) if crate::assign::mip::stopped_before_a_solution(&e) => return Ok(None),
            Err(e) => return Err(solver_failed(e)),
        };
        let open: Vec<bool> = y.iter().map(|&v| solved.value(v) > 0.5).collect();
        let status = solved.status();
        // Re-solve the allocation of the chosen open set: exact shares, and a
        // cost that meets every capacity without the MIP's tolerances.
        let mut s = allocate(p, &open)?;
        match status {
            SolutionStatus::Optimal => {}
            SolutionStatus::GapLimit | SolutionStatus::TimeLimit => {
                s.lower_bound = f64::NEG_INFINITY;
                s.status = Status::Feasible;
            }
        }
        Ok(Some(s))
    }
}
