//! The exact reference: the assignment problem as a MIP through good_lp.
//!
//! The default backend is the pure-Rust `microlp` (fine for small problems);
//! with the `highs` feature the backend is HiGHS. Either way this is the
//! solver that proves optimality on small and medium instances and checks the
//! specialised solvers; it is not the engine for a national day.

use super::deadline::{check_time_limit, solver_seconds};
use super::problem::{AssignmentProblem, AssignmentSolver, Solution};
use super::solver::{Status, check_gap};
use crate::error::{ErrorKind, Result};
use good_lp::{
    Expression, ResolutionError, Solution as _, SolutionStatus, SolverModel, Variable,
    WithInitialSolution, WithMipGap, WithTimeLimit, constraint, variable, variables,
};
use std::time::Instant;

/// Solves an [`AssignmentProblem`] as a mixed-integer program.
///
/// Binary `x` per candidate edge and `y` per task that may stay unassigned;
/// one row per task (`Σ x + y = 1`), one knapsack row per agent, one row per
/// group.
///
/// When the solver stops on its time limit or gap, the status is
/// [`Status::Feasible`] and the lower bound is the best one known without the
/// solver's own dual bound: for a gap stop, `cost − gap · |cost|`; for a time
/// stop, each task's cheapest option with capacities ignored. A time limit
/// that comes before any feasible assignment is an answer too, not an
/// error: [`Status::Infeasible`] saying so, with that bound.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, AssignmentSolver, MipSolver, Status};
/// // Agent 0 is cheap but can carry only one of the two loads of 3.
/// let p = AssignmentProblem::builder(2)
///     .agents([4.0, 10.0])
///     .edge(0, 0, 1.0, 3.0).edge(0, 1, 4.0, 3.0)
///     .edge(1, 0, 1.0, 3.0).edge(1, 1, 6.0, 3.0)
///     .build()?;
/// let s = MipSolver::new().solve(&p)?;
/// assert_eq!((s.cost, s.status), (5.0, Status::Optimal)); // task 1 on agent 0, task 0 on agent 1
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MipSolver {
    time_limit_s: Option<f64>,
    mip_gap: Option<f32>,
    warm_start: Option<Vec<Option<u32>>>,
}

impl MipSolver {
    /// No time limit, gap 0 (prove optimality).
    pub fn new() -> Self {
        MipSolver::default()
    }

    /// Stops after this many seconds with the best assignment found.
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = Some(seconds);
        self
    }

    /// Stops once the relative gap is at most this (e.g. `0.005`).
    pub fn mip_gap(mut self, gap: f32) -> Self {
        self.mip_gap = Some(gap);
        self
    }

    /// Starts from this assignment (task → agent or unassigned), e.g. a heuristic's.
    pub fn warm_start(mut self, agent_of: Vec<Option<u32>>) -> Self {
        self.warm_start = Some(agent_of);
        self
    }
}

impl AssignmentSolver for MipSolver {
    fn name(&self) -> &str {
        "mip"
    }

    fn solve(&self, p: &AssignmentProblem) -> Result<Solution> {
        let started = Instant::now();
        if let Some(t) = self.time_limit_s {
            check_time_limit("time_limit_s", t)?;
        }
        if let Some(g) = self.mip_gap {
            check_gap("mip_gap", g)?;
        }
        // Cases a solver may refuse to model: a task with nothing it can do, or no variables at all.
        let done = |status, cost: f64| Solution {
            agent_of: vec![None; p.tasks()],
            cost,
            lower_bound: cost,
            status,
            seconds: started.elapsed().as_secs_f64(),
        };
        if let Some(t) =
            (0..p.tasks()).find(|&t| p.task_edges(t).is_empty() && p.penalties()[t].is_none())
        {
            return Ok(done(
                Status::Infeasible(format!(
                    "task {t} has no candidate agent and may not stay unassigned"
                )),
                f64::INFINITY,
            ));
        }
        if p.edges().is_empty() {
            let cost = p.penalties().iter().flatten().sum();
            return Ok(done(Status::Optimal, cost));
        }
        let mut vars = variables!();
        let x: Vec<Variable> = p
            .edges()
            .iter()
            .map(|_| vars.add(variable().binary()))
            .collect();
        let y: Vec<Option<Variable>> = p
            .penalties()
            .iter()
            .map(|pen| pen.map(|_| vars.add(variable().binary())))
            .collect();
        let mut objective = Expression::from(0.0);
        for (e, &v) in p.edges().iter().zip(&x) {
            objective += e.cost * v;
        }
        for (pen, v) in p.penalties().iter().zip(&y) {
            if let (Some(pen), Some(v)) = (pen, v) {
                objective += *pen * *v;
            }
        }
        let mut model = backend(vars.minimise(objective));
        if let Some(t) = self.time_limit_s {
            model = model.with_time_limit(solver_seconds(t));
        }
        if let Some(g) = self.mip_gap {
            model = model.with_mip_gap(g).map_err(|e| {
                crate::Error::from(ErrorKind::Parameter {
                    name: "mip_gap",
                    message: format!("{e:?}"),
                })
            })?;
        }
        if let Some(start) = &self.warm_start
            && p.evaluate(start).is_ok()
        {
            let values =
                p.edges()
                    .iter()
                    .zip(&x)
                    .map(|(e, &v)| {
                        (
                            v,
                            f64::from(u8::from(start[e.task as usize] == Some(e.agent))),
                        )
                    })
                    .chain(y.iter().enumerate().filter_map(|(t, v)| {
                        v.map(|v| (v, f64::from(u8::from(start[t].is_none()))))
                    }));
            model = model.with_initial_solution(values.collect::<Vec<_>>());
        }
        let mut first = 0;
        for (t, unassigned) in y.iter().enumerate() {
            let edges = p.task_edges(t).len();
            let mut row = Expression::from(0.0);
            for &v in &x[first..first + edges] {
                row += v;
            }
            if let Some(v) = unassigned {
                row += *v;
            }
            model.add_constraint(constraint!(row == 1.0));
            first += edges;
        }
        let mut load: Vec<Expression> = vec![Expression::from(0.0); p.agents()];
        let mut count: Vec<Expression> = vec![Expression::from(0.0); p.group_capacities().len()];
        for (e, &v) in p.edges().iter().zip(&x) {
            load[e.agent as usize] += e.load * v;
            if let Some(g) = p.group_of()[e.agent as usize] {
                count[g as usize] += v;
            }
        }
        for (row, &cap) in load.into_iter().zip(p.capacities()) {
            model.add_constraint(constraint!(row <= cap));
        }
        for (row, &cap) in count.into_iter().zip(p.group_capacities()) {
            model.add_constraint(constraint!(row <= f64::from(cap)));
        }
        let solved = match model.solve() {
            Ok(s) => s,
            Err(ResolutionError::Infeasible) => {
                return Ok(Solution {
                    agent_of: vec![None; p.tasks()],
                    cost: f64::INFINITY,
                    lower_bound: f64::INFINITY,
                    status: Status::Infeasible(
                        "the MIP solver proved that no assignment meets every capacity".into(),
                    ),
                    seconds: started.elapsed().as_secs_f64(),
                });
            }
            Err(e) if self.time_limit_s.is_some() && stopped_before_a_solution(&e) => {
                return Ok(Solution {
                    agent_of: vec![None; p.tasks()],
                    cost: f64::INFINITY,
                    lower_bound: p.trivial_bound(),
                    status: Status::Infeasible(
                        "no feasible assignment found within the time limit; the problem may still have one"
                            .into(),
                    ),
                    seconds: started.elapsed().as_secs_f64(),
                });
            }
            Err(e) => {
                return Err(ErrorKind::Parameter {
                    name: "problem",
                    message: format!("the MIP solver failed: {e}"),
                }
                .into());
            }
        };
        let mut agent_of = vec![None; p.tasks()];
        for (e, &v) in p.edges().iter().zip(&x) {
            if solved.value(v) > 0.5 {
                agent_of[e.task as usize] = Some(e.agent);
            }
        }
        let cost = p.evaluate(&agent_of).map_err(|why| {
            crate::Error::from(ErrorKind::Parameter {
                name: "problem",
                message: format!("the MIP solver returned an assignment that breaks a rule: {why}"),
            })
        })?;
        let (status, lower_bound) = match solved.status() {
            SolutionStatus::Optimal => (Status::Optimal, cost),
            SolutionStatus::GapLimit => {
                let g = f64::from(self.mip_gap.unwrap_or(0.0));
                (
                    Status::Feasible,
                    (cost - g * cost.abs()).max(p.trivial_bound()),
                )
            }
            SolutionStatus::TimeLimit => (Status::Feasible, p.trivial_bound().min(cost)),
        };
        Ok(Solution {
            agent_of,
            cost,
            lower_bound,
            status,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// Whether a backend's error says that its time limit came before any
/// feasible solution (microlp's and HiGHS's words for it): a limit, not a failure.
pub(crate) fn stopped_before_a_solution(e: &ResolutionError) -> bool {
    matches!(
        e,
        ResolutionError::Other(
            "Time limit reached before finding a feasible solution" | "NoSolutionFound"
        )
    )
}

/// The good_lp backend the crate is built with: microlp, or HiGHS with the `highs` feature.
#[cfg(not(feature = "highs"))]
pub(crate) fn backend(
    problem: good_lp::variable::UnsolvedProblem,
) -> good_lp::solvers::microlp::MicroLpProblem {
    good_lp::microlp(problem)
}

/// The good_lp backend the crate is built with: microlp, or HiGHS with the `highs` feature.
#[cfg(feature = "highs")]
pub(crate) fn backend(
    problem: good_lp::variable::UnsolvedProblem,
) -> good_lp::solvers::highs::HighsProblem {
    good_lp::highs(problem)
}
