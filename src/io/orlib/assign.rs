//! GAP instances as [`AssignmentProblem`]s, and the way back from a solver's
//! numbers to the file's objective and bound.
//!
//! The solvers of [`crate::assign`] always minimise. A minimisation file
//! (`gapa` … `gapd`) keeps its costs; a maximisation file (`gap1` …
//! `gap12`) has its profits negated, so the cheapest assignment is the most
//! profitable one. [`Sense::objective_of`] and [`Sense::bound_of`] undo the
//! negation for reporting: when maximising, objective = −cost and the
//! solver's lower bound becomes an upper bound on the profit.

use super::{GapInstance, Sense};
use crate::assign::{AssignmentProblem, Edge};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};

/// The largest magnitude a cost, load or capacity may have for [`GapInstance::to_problem`]:
/// 2⁵³, below which every integer is exact as an `f64`.
pub const MAX_EXACT: i64 = 1 << 53;

impl Sense {
    /// The solver's cost of a file value: the value when minimising, its
    /// negation when maximising (the solvers always minimise).
    pub fn cost_of(self, value: f64) -> f64 {
        match self {
            Sense::Minimize => value,
            Sense::Maximize => -value,
        }
    }

    /// The file's objective of a solver cost: the cost when minimising, its
    /// negation (the profit) when maximising. The inverse of [`Sense::cost_of`].
    pub fn objective_of(self, cost: f64) -> f64 {
        self.cost_of(cost)
    }

    /// The bound on the file's objective that a solver's lower bound on the
    /// cost gives: a lower bound on the objective when minimising, an upper
    /// bound (−`lower_bound`) when maximising.
    ///
    /// Costs in OR-Library files are integers, so every objective is an
    /// integer and the bound is rounded to one on the side that keeps it
    /// valid: up when minimising, down when maximising. A relative slack of
    /// 10⁻⁹ absorbs floating-point noise first, so a lower bound of
    /// 335.9999999999 gives 336 and one of 336.0000000001 does not give 337.
    /// A bound that is not finite (an infeasible problem's +∞) is negated but
    /// not rounded.
    ///
    /// # Example
    /// ```
    /// use servnet::io::orlib::Sense;
    /// assert_eq!(Sense::Minimize.bound_of(1697.2), 1698.0);
    /// // Maximising, the solver minimised −profit: a lower bound of −336.8 means profit ≤ 336.
    /// assert_eq!(Sense::Maximize.bound_of(-336.8), 336.0);
    /// ```
    pub fn bound_of(self, lower_bound: f64) -> f64 {
        if !lower_bound.is_finite() {
            return self.objective_of(lower_bound);
        }
        let slack = 1e-9 * lower_bound.abs().max(1.0);
        // `+ 0.0` turns a −0 into 0.
        self.objective_of((lower_bound - slack).ceil()) + 0.0
    }
}

impl GapInstance {
    /// The problem as an [`AssignmentProblem`] for the solvers of [`crate::assign`],
    /// which always minimise.
    ///
    /// Tasks are the jobs and agents are the agents, in file order, each
    /// agent with its capacity `b[i]`; there is one edge per (job, agent)
    /// with cost `c[i][j]` — negated when `sense` is [`Sense::Maximize`] — and
    /// load `r[i][j]`. No task has a penalty: every job must be assigned.
    /// Map a solution's cost and lower bound back with [`Sense::objective_of`]
    /// and [`Sense::bound_of`], or take the exact integer objective of its
    /// assignment with [`GapInstance::objective_of_assignment`].
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] (entity `gap problem`) listing every problem of a
    /// hand-built instance: tables whose shape is not `agents` × `jobs`
    /// ([`ProblemCode::Inconsistent`]), more than `u32::MAX` agents or jobs,
    /// or a cost, load or capacity of magnitude above [`MAX_EXACT`]
    /// ([`ProblemCode::OutOfRange`]); then as [`crate::assign::ProblemBuilder::build`]
    /// (a negative load or capacity).
    ///
    /// # Example
    /// ```
    /// use servnet::assign::{AssignmentSolver, MipSolver};
    /// use servnet::io::orlib::{Sense, read_gap_str};
    ///
    /// // 2 agents of capacity 2 and 4, 3 jobs; profits to maximise.
    /// let gap = &read_gap_str("1\n2 3\n 4 5 6\n 7 8 9\n 1 1 1\n 2 2 2\n 2 4\n", "example")?[0];
    /// let problem = gap.to_problem(Sense::Maximize)?;
    /// let s = MipSolver::new().solve(&problem)?;
    /// // Each job earns 3 more on agent 1, which has room for two of them: 4 + 5 + 6 + 2 × 3.
    /// assert_eq!(Sense::Maximize.objective_of(s.cost), 21.0);
    /// assert_eq!(gap.objective_of_assignment(&s.agent_of), Some(21));
    /// assert_eq!(Sense::Maximize.bound_of(s.lower_bound), 21.0);
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn to_problem(&self, sense: Sense) -> Result<AssignmentProblem> {
        let mut problems = Vec::new();
        let mut bad = |code, field: &str, message: String| {
            problems.push(Problem::new(code, "gap problem", None, field, message));
        };
        for (name, count) in [("agents", self.agents), ("jobs", self.jobs)] {
            if u32::try_from(count).is_err() {
                bad(
                    ProblemCode::OutOfRange,
                    name,
                    format!("{count} {name} is more than {}", u32::MAX),
                );
            }
        }
        for (name, table) in [("cost", &self.cost), ("load", &self.load)] {
            if table.len() != self.agents {
                bad(
                    ProblemCode::Inconsistent,
                    name,
                    format!("{} rows for {} agents", table.len(), self.agents),
                );
            }
            if let Some((agent, row)) = table
                .iter()
                .enumerate()
                .find(|(_, row)| row.len() != self.jobs)
            {
                bad(
                    ProblemCode::Inconsistent,
                    name,
                    format!(
                        "agent {} has {} entries for {} jobs",
                        agent + 1,
                        row.len(),
                        self.jobs
                    ),
                );
            }
        }
        if self.capacity.len() != self.agents {
            bad(
                ProblemCode::Inconsistent,
                "capacity",
                format!(
                    "{} capacities for {} agents",
                    self.capacity.len(),
                    self.agents
                ),
            );
        }
        let too_large = |values: &mut dyn Iterator<Item = &i64>| {
            values
                .copied()
                .find(|v| v.unsigned_abs() > MAX_EXACT.unsigned_abs())
        };
        for (name, value) in [
            ("cost", too_large(&mut self.cost.iter().flatten())),
            ("load", too_large(&mut self.load.iter().flatten())),
            ("capacity", too_large(&mut self.capacity.iter())),
        ] {
            if let Some(v) = value {
                bad(
                    ProblemCode::OutOfRange,
                    name,
                    format!("{v} is larger in magnitude than {MAX_EXACT} (2^53)"),
                );
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        // The checks above make every index below fit in u32 and every value exact in f64.
        let edges =
            self.cost
                .iter()
                .zip(&self.load)
                .zip(0u32..)
                .flat_map(|((costs, loads), agent)| {
                    costs
                        .iter()
                        .zip(loads)
                        .zip(0u32..)
                        .map(move |((&c, &r), task)| Edge {
                            task,
                            agent,
                            cost: sense.cost_of(c as f64),
                            load: r as f64,
                        })
                });
        AssignmentProblem::builder(self.jobs)
            .agents(self.capacity.iter().map(|&b| b as f64))
            .edges(edges)
            .build()
    }

    /// The exact objective of a solver's assignment (the agent of each job,
    /// as in [`crate::assign::Solution::agent_of`]), checked against this
    /// instance: `None` when a job is left unassigned or as
    /// [`GapInstance::objective`] (wrong length, unknown agent, capacity exceeded).
    ///
    /// The sum is of the file's integers, so it is the objective in the
    /// file's own sense — no sign to undo.
    pub fn objective_of_assignment(&self, agent_of: &[Option<u32>]) -> Option<i64> {
        let agents = agent_of
            .iter()
            .map(|a| a.and_then(|a| usize::try_from(a).ok()))
            .collect::<Option<Vec<usize>>>()?;
        self.objective(&agents)
    }
}
