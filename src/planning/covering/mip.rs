//! The three covering models as MIPs through good_lp: the exact reference
//! for small instances.

use super::at_radius::AtRadius;
use super::{CoverProblem, CoverSolution, out_of_reach, status_of};
use crate::assign::deadline::solver_seconds;
use crate::assign::{Status, gap};
use crate::error::{ErrorKind, Result};
use good_lp::{
    Expression, ResolutionError, Solution as _, SolutionStatus, SolverModel, Variable,
    WithTimeLimit, constraint, variable, variables,
};
use std::time::Instant;

fn failed(e: ResolutionError) -> crate::Error {
    ErrorKind::Parameter {
        name: "problem",
        message: format!("the MIP solver failed: {e}"),
    }
    .into()
}

/// The solution of an open set, with the objective and bound given.
fn finish(
    proven: bool,
    open: Vec<usize>,
    objective: f64,
    bound: f64,
    uncovered: Vec<usize>,
    started: Instant,
) -> CoverSolution {
    let bound = if proven { objective } else { bound };
    let gap = gap(objective, bound);
    let status = status_of(uncovered.len(), gap);
    CoverSolution {
        status,
        open,
        objective,
        bound,
        gap,
        nodes: 0,
        seconds: started.elapsed().as_secs_f64(),
        uncovered,
    }
}

/// Set covering: binary `x` per column, `Σ x ≥ 1` per row.
pub(super) fn set_cover(p: &CoverProblem, radius: f64, time: Option<f64>) -> Result<CoverSolution> {
    let started = Instant::now();
    let at = AtRadius::new(p, radius, false);
    let m = at.site.len();
    if at.sc.rows.is_empty() {
        let open = at.open(p, &vec![false; m]);
        return Ok(finish(true, open, 0.0, 0.0, at.uncovered, started));
    }
    let mut vars = variables!();
    let x: Vec<Variable> = (0..m).map(|_| vars.add(variable().binary())).collect();
    let mut objective = Expression::from(0.0);
    for (i, &v) in x.iter().enumerate() {
        objective += at.sc.cost[i] * v;
    }
    let mut model = crate::assign::mip::backend(vars.minimise(objective));
    if let Some(t) = time {
        model = model.with_time_limit(solver_seconds(t));
    }
    for row in &at.sc.rows {
        let mut e = Expression::from(0.0);
        for &i in row {
            e += x[i as usize];
        }
        model.add_constraint(constraint!(e >= 1.0));
    }
    let solved = model.solve().map_err(failed)?;
    let sel: Vec<bool> = x.iter().map(|&v| solved.value(v) > 0.5).collect();
    let cost = at.sc.cost_of(&sel);
    let proven = matches!(solved.status(), SolutionStatus::Optimal);
    Ok(finish(
        proven,
        at.open(p, &sel),
        cost,
        0.0,
        at.uncovered,
        started,
    ))
}

/// Maximal covering: binary `x` per site, `z_j ≤ Σ x` per customer, `Σ x ≤ p`.
pub(super) fn max_cover(
    p: &CoverProblem,
    radius: f64,
    count: usize,
    time: Option<f64>,
) -> Result<CoverSolution> {
    let started = Instant::now();
    let at = AtRadius::new(p, radius, false);
    let m = at.site.len();
    let mut sel = vec![false; m];
    let mut proven = true;
    if !at.sc.rows.is_empty() && count > 0 {
        let mut vars = variables!();
        let x: Vec<Variable> = (0..m).map(|_| vars.add(variable().binary())).collect();
        let z: Vec<Variable> = (0..at.sc.rows.len())
            .map(|_| vars.add(variable().min(0.0).max(1.0)))
            .collect();
        let mut objective = Expression::from(0.0);
        for (k, &v) in z.iter().enumerate() {
            objective += p.weight[at.customer[k]] * v;
        }
        let mut model = crate::assign::mip::backend(vars.maximise(objective));
        if let Some(t) = time {
            model = model.with_time_limit(solver_seconds(t));
        }
        for (k, row) in at.sc.rows.iter().enumerate() {
            let mut e = Expression::from(0.0);
            for &i in row {
                e += x[i as usize];
            }
            model.add_constraint(constraint!(z[k] <= e));
        }
        let mut total = Expression::from(0.0);
        for &v in &x {
            total += v;
        }
        model.add_constraint(constraint!(total <= count as f64));
        let solved = model.solve().map_err(failed)?;
        sel = x.iter().map(|&v| solved.value(v) > 0.5).collect();
        proven = matches!(solved.status(), SolutionStatus::Optimal);
    }
    let mut open = at.open(p, &sel);
    super::pad(p, &mut open, count);
    let (weight, uncovered) = super::covered(p, &open, radius);
    let mut s = finish(proven, open, weight, f64::INFINITY, uncovered, started);
    s.status = if proven {
        Status::Optimal
    } else {
        Status::Feasible
    };
    Ok(s)
}

/// P-center: binary `y` per site not open yet, shares `x` per arc,
/// `Σ x = 1` per customer, `x ≤ y`, `Σ y ≤ p`, `z ≥ Σ d x`; minimises `z`.
pub(super) fn p_center(p: &CoverProblem, count: usize, time: Option<f64>) -> Result<CoverSolution> {
    let started = Instant::now();
    let served: Vec<usize> = (0..p.customers())
        .filter(|&j| !p.arcs[j].is_empty())
        .collect();
    let uncovered: Vec<usize> = (0..p.customers())
        .filter(|&j| p.arcs[j].is_empty())
        .collect();
    let mut vars = variables!();
    let y: Vec<Option<Variable>> = (0..p.sites())
        .map(|s| (!p.fixed[s]).then(|| vars.add(variable().binary())))
        .collect();
    let z = vars.add(variable().min(0.0));
    let x: Vec<Vec<Variable>> = served
        .iter()
        .map(|&j| {
            p.arcs[j]
                .iter()
                .map(|_| vars.add(variable().min(0.0).max(1.0)))
                .collect()
        })
        .collect();
    let mut model = crate::assign::mip::backend(vars.minimise(z));
    if let Some(t) = time {
        model = model.with_time_limit(solver_seconds(t));
    }
    for (k, &j) in served.iter().enumerate() {
        let (mut one, mut dist) = (Expression::from(0.0), Expression::from(0.0));
        for (a, &(s, d)) in p.arcs[j].iter().enumerate() {
            one += x[k][a];
            dist += d * x[k][a];
            if let Some(ys) = y[s as usize] {
                model.add_constraint(constraint!(x[k][a] <= ys));
            }
        }
        model.add_constraint(constraint!(one == 1.0));
        model.add_constraint(constraint!(z >= dist));
    }
    let mut total = Expression::from(0.0);
    for v in y.iter().flatten() {
        total += *v;
    }
    model.add_constraint(constraint!(total <= count as f64));
    let solved = match model.solve() {
        Ok(s) => s,
        Err(ResolutionError::Infeasible) => {
            let open: Vec<usize> = (0..p.sites()).filter(|&s| p.fixed[s]).collect();
            let mut s = finish(true, open, f64::INFINITY, f64::INFINITY, served, started);
            s.status = Status::Infeasible(out_of_reach(count));
            s.uncovered.extend(uncovered);
            s.uncovered.sort_unstable();
            return Ok(s);
        }
        Err(e) => return Err(failed(e)),
    };
    let mut open: Vec<usize> = (0..p.sites())
        .filter(|&s| y[s].is_none_or(|v| solved.value(v) > 0.5))
        .collect();
    super::pad(p, &mut open, count);
    let radius = super::radius_of(p, &open);
    let proven = matches!(solved.status(), SolutionStatus::Optimal);
    Ok(finish(proven, open, radius, 0.0, uncovered, started))
}
