//! The p-median / facility location model as a MIP through good_lp: the
//! exact reference for small instances (HiGHS with the `highs` feature,
//! microlp otherwise).

use super::solver::infeasible;
use super::{Count, MedianProblem, MedianSolution, MedianSolver};
use crate::assign::{Status, gap};
use crate::error::{ErrorKind, Result};
use good_lp::{
    Expression, Solution as _, SolutionStatus, SolverModel, Variable, WithTimeLimit, constraint,
    variable, variables,
};
use std::time::Instant;

impl MedianSolver {
    /// Solves the problem as a MIP through good_lp — binary `y` per
    /// facility, `x_ij ∈ [0, 1]` per arc, `Σ_i x_ij = 1` per customer with
    /// an arc, `x_ij ≤ y_i`, always-open facilities fixed open, and the count
    /// on the others — then evaluates the open set exactly. Honours the time
    /// limit only (no node limit or target gap); a solve the MIP solver does
    /// not prove optimal comes back [`Status::Feasible`] with the
    /// trivial bound 0.
    ///
    /// # Errors
    /// As [`MedianSolver::solve`], and [`ErrorKind::Parameter`] (`problem`)
    /// when the MIP solver fails (for instance, no open set within the count
    /// serves every customer).
    pub fn solve_mip(&self, problem: &MedianProblem) -> Result<MedianSolution> {
        let started = Instant::now();
        self.check(problem)?;
        let n = problem.facilities();
        let mut vars = variables!();
        let y: Vec<Variable> = (0..n).map(|_| vars.add(variable().binary())).collect();
        let mut objective = Expression::from(0.0);
        for (i, &f) in problem.fixed_costs().iter().enumerate() {
            objective += f * y[i];
        }
        let mut links = Vec::new();
        let mut rows = Vec::new();
        for j in 0..problem.customers() {
            let mut row = Expression::from(0.0);
            let mut any = false;
            for (i, c) in problem.arcs(j) {
                let x = vars.add(variable().min(0.0).max(1.0));
                objective += c * x;
                row += x;
                links.push((x, i));
                any = true;
            }
            if any {
                rows.push(row);
            }
        }
        let mut model = crate::assign::mip::backend(vars.minimise(objective));
        if let Some(t) = self.limits.time_limit_s {
            model = model.with_time_limit(crate::assign::deadline::solver_seconds(t));
        }
        for row in rows {
            model.add_constraint(constraint!(row == 1.0));
        }
        for (x, i) in links {
            model.add_constraint(constraint!(x <= y[i]));
        }
        let mut counted = Expression::from(0.0);
        for (i, &always) in problem.always_open().iter().enumerate() {
            if always {
                model.add_constraint(constraint!(y[i] == 1.0));
            } else {
                counted += y[i];
            }
        }
        match self.count {
            Count::Exactly(p) => {
                model.add_constraint(constraint!(counted == p as f64));
            }
            Count::AtMost(p) => {
                model.add_constraint(constraint!(counted <= p as f64));
            }
            Count::Free => {}
        }
        let solved = model.solve().map_err(|e| {
            crate::Error::from(ErrorKind::Parameter {
                name: "problem",
                message: format!("the MIP solver failed: {e}"),
            })
        })?;
        let open: Vec<usize> = (0..n).filter(|&i| solved.value(y[i]) > 0.5).collect();
        let eval = problem.evaluate(&open)?;
        let proven = matches!(solved.status(), SolutionStatus::Optimal);
        let uncovered = problem.uncovered();
        let bound = if proven { eval.cost } else { 0.0 };
        Ok(MedianSolution {
            status: if !uncovered.is_empty() {
                infeasible(uncovered.len())
            } else if proven {
                Status::Optimal
            } else {
                Status::Feasible
            },
            open: eval.open,
            assignment: eval.assignment,
            cost: eval.cost,
            bound,
            gap: if eval.cost > 0.0 {
                gap(eval.cost, bound)
            } else {
                0.0
            },
            uncovered,
            nodes: 0,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
