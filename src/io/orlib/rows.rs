//! Benchmark report rows ([`Row`]) of solved OR-Library problems: a GAP
//! problem checked against its file, a capacitated warehouse location file
//! and a p-median file, each with its published optimum when known.

use super::{GapInstance, PmedInstance, Sense};
use crate::assign::{Solution, Status};
use crate::error::Result;
use crate::io::bench::{Row, gap_percent};
use crate::planning::cfl::{CflProblem, CflSolution};
use crate::planning::median::MedianSolution;
use std::path::Path;

/// The row of problem `number` (1-based) of a GAP file, solved as
/// [`GapInstance::to_problem`]`(sense)` in `seconds`.
///
/// The objective is the exact integer objective of the solver's assignment
/// ([`GapInstance::objective_of_assignment`]) and the bound the solver's lower
/// bound in the file's sense ([`Sense::bound_of`]). The status is `error`,
/// with a message, when the solve failed, the assignment breaks a rule of the
/// file, the solver's reported cost is not its assignment's, or the objective
/// beats the solver's own bound; `infeasible`, with the solver's reason, when
/// no assignment exists.
pub fn gap_row(
    file: impl AsRef<Path>,
    number: usize,
    gap: &GapInstance,
    sense: Sense,
    solved: &Result<Solution>,
    seconds: f64,
    published: Option<i64>,
) -> Row<i64> {
    let mut row = Row::new(file, number, format!("{}×{}", gap.agents, gap.jobs), sense);
    row.seconds = seconds;
    row.published = published;
    row.extra.insert("agents".into(), gap.agents.into());
    row.extra.insert("jobs".into(), gap.jobs.into());
    let s = match solved {
        Ok(s) => s,
        Err(e) => {
            row.message = Some(e.to_string());
            return row;
        }
    };
    let status = match &s.status {
        Status::Optimal => "optimal",
        Status::Feasible => "feasible",
        Status::Infeasible(why) => {
            row.status = "infeasible".into();
            row.message = Some(why.clone());
            return row;
        }
    };
    let Some(objective) = gap.objective_of_assignment(&s.agent_of) else {
        row.message = Some("the solver's assignment breaks a rule of the file".into());
        return row;
    };
    let reported = sense.objective_of(s.cost);
    if (reported - objective as f64).abs() > 1e-6 * (objective as f64).abs().max(1.0) {
        row.message = Some(format!(
            "the solver reports objective {reported}, its assignment's is {objective}"
        ));
        return row;
    }
    let bound = sense.bound_of(s.lower_bound);
    let bound = (bound.is_finite() && bound.abs() < 9e15).then_some(bound as i64);
    let beaten = bound.is_some_and(|b| match sense {
        Sense::Minimize => objective < b,
        Sense::Maximize => objective > b,
    });
    if beaten {
        row.message = Some(format!(
            "objective {objective} beats the solver's own bound {}",
            bound.unwrap_or_default()
        ));
        return row;
    }
    row.objective = Some(objective);
    row.bound = bound;
    row.gap_percent = bound.map(|b| gap_percent(sense, objective, b));
    row.proven = s.status == Status::Optimal;
    row.status = status.into();
    row
}

/// The row of the only problem of a minimisation file, with the solver's
/// cost, bound and relative gap; each left out when not finite (an
/// infeasible problem's infinite cost).
fn min_row(file: impl AsRef<Path>, size: String, [cost, bound, gap]: [f64; 3]) -> Row<f64> {
    let finite = |v: f64| v.is_finite().then_some(v);
    let mut row = Row::new(file, 1, size, Sense::Minimize);
    row.objective = finite(cost);
    row.bound = finite(bound);
    row.gap_percent = finite(100.0 * gap);
    row
}

/// The row of a capacitated warehouse location file, solved by
/// [`CflSolver`](crate::planning::cfl::CflSolver) as `solution` (the seconds are the solver's).
///
/// An infeasible file has no objective, bound or gap, and the solver's reason as its message.
pub fn cap_row(
    file: impl AsRef<Path>,
    problem: &CflProblem,
    solution: &CflSolution,
    published: Option<f64>,
) -> Row<f64> {
    let (m, n) = (problem.facilities(), problem.customers());
    let s = solution;
    let mut row = min_row(file, format!("{m}×{n}"), [s.cost, s.lower_bound, s.gap]);
    row.published = published;
    row.proven = s.status.is_optimal();
    row.status = solution.status.as_str().into();
    row.message = solution.status.reason().map(str::to_string);
    row.seconds = solution.seconds;
    row.extra.insert("facilities".into(), m.into());
    row.extra.insert("customers".into(), n.into());
    row
}

/// The row of a p-median file, solved by
/// [`MedianSolver::p_median`](crate::planning::median::MedianSolver::p_median) as
/// `solution` in `seconds` (reading and shortest paths included; the solver's
/// own seconds go to the JSON field `solve_seconds`).
pub fn pmed_row(
    file: impl AsRef<Path>,
    instance: &PmedInstance,
    solution: &MedianSolution,
    seconds: f64,
    published: Option<f64>,
) -> Row<f64> {
    let (n, p) = (instance.vertices, instance.p);
    let s = solution;
    let mut row = min_row(file, format!("{n}/{p}"), [s.cost, s.bound, s.gap]);
    row.published = published;
    row.proven = s.status.is_optimal();
    row.status = solution.status.as_str().into();
    row.message = solution.status.reason().map(str::to_string);
    row.seconds = seconds;
    row.extra.insert("vertices".into(), n.into());
    row.extra.insert("p".into(), p.into());
    row.extra.insert("nodes".into(), solution.nodes.into());
    row.extra
        .insert("solve_seconds".into(), solution.seconds.into());
    row
}
