//! The strong formulation (`x_ij ≤ y_i` and the aggregate capacity cut)
//! through good_lp: its variables and rows, and its LP relaxation's bound.

use super::CflProblem;
use super::solution::capacity_shortfall;
use crate::error::{ErrorKind, Result};
use good_lp::{
    Expression, ResolutionError, Solution as _, SolverModel, Variable, constraint, variable,
    variables,
};

pub(super) fn solver_failed(e: ResolutionError) -> crate::Error {
    ErrorKind::Parameter {
        name: "problem",
        message: format!("the LP/MIP solver failed: {e}"),
    }
    .into()
}

/// Demand rows `Σ_i x_ij = 1` and capacity rows `Σ_j d_j x_ij ≤ cap_i (y_i)`.
pub(super) fn add_rows<M: SolverModel>(
    p: &CflProblem,
    x: &[Vec<Option<Variable>>],
    y: Option<&[Variable]>,
    model: &mut M,
) {
    let (m, n) = (p.facilities(), p.customers());
    for j in (0..n).filter(|&j| p.demand[j] > 0.0) {
        let mut row = Expression::from(0.0);
        for xi in x {
            if let Some(v) = xi[j] {
                row += v;
            }
        }
        model.add_constraint(constraint!(row == 1.0));
    }
    for i in 0..m {
        let mut row = Expression::from(0.0);
        let mut any = false;
        for j in 0..n {
            if let Some(v) = x[i][j] {
                row += p.demand[j] * v;
                any = true;
            }
        }
        if !any {
            continue;
        }
        match y {
            Some(y) => model.add_constraint(constraint!(row <= p.capacity[i] * y[i])),
            None => model.add_constraint(constraint!(row <= p.capacity[i])),
        };
    }
}

/// The LP relaxation of the strong formulation: a lower bound on every
/// feasible cost (infinite when the total capacity is below the demand).
///
/// # Errors
/// [`ErrorKind::Parameter`] when the LP solver fails.
pub fn lp_bound(p: &CflProblem) -> Result<f64> {
    let all = vec![true; p.facilities()];
    if capacity_shortfall(p, &all).is_some() {
        return Ok(f64::INFINITY);
    }
    let (vars, y, x, objective) = strong_variables(p, false);
    let objective_copy = objective.clone();
    let mut model = good_lp::microlp(vars.minimise(objective));
    strong_rows(p, &x, &y, &mut model);
    match model.solve() {
        Ok(s) => Ok(s.eval(&objective_copy)),
        Err(ResolutionError::Infeasible) => Ok(f64::INFINITY),
        Err(e) => Err(solver_failed(e)),
    }
}

/// The strong formulation's variables and objective: `y[i]` (binary when
/// `integral`, else in [0, 1]) opens facility i, `x[i][j]` in [0, 1] is the
/// share of customer j's demand it serves (none for zero demand).
pub(super) fn strong_variables(
    p: &CflProblem,
    integral: bool,
) -> (
    good_lp::ProblemVariables,
    Vec<Variable>,
    Vec<Vec<Option<Variable>>>,
    Expression,
) {
    let (m, n) = (p.facilities(), p.customers());
    let mut vars = variables!();
    let y: Vec<Variable> = (0..m)
        .map(|_| {
            vars.add(if integral {
                variable().binary()
            } else {
                variable().min(0.0).max(1.0)
            })
        })
        .collect();
    let x: Vec<Vec<Option<Variable>>> = (0..m)
        .map(|_| {
            (0..n)
                .map(|j| (p.demand[j] > 0.0).then(|| vars.add(variable().min(0.0).max(1.0))))
                .collect()
        })
        .collect();
    let mut objective = Expression::from(0.0);
    for i in 0..m {
        objective += p.fixed_cost[i] * y[i];
        for j in 0..n {
            if let Some(v) = x[i][j] {
                objective += p.cost[i][j] * v;
            }
        }
    }
    (vars, y, x, objective)
}

/// The strong formulation's rows: demand and capacity ([`add_rows`]),
/// `x[i][j] ≤ y[i]`, and the open capacity covering the total demand.
pub(super) fn strong_rows<M: SolverModel>(
    p: &CflProblem,
    x: &[Vec<Option<Variable>>],
    y: &[Variable],
    model: &mut M,
) {
    add_rows(p, x, Some(y), model);
    for (i, xi) in x.iter().enumerate() {
        for v in xi.iter().flatten() {
            model.add_constraint(constraint!(*v <= y[i]));
        }
    }
    let mut aggregate = Expression::from(0.0);
    for (i, &yi) in y.iter().enumerate() {
        aggregate += p.capacity[i] * yi;
    }
    model.add_constraint(constraint!(aggregate >= p.total_demand()));
}
