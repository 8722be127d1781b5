//! J. E. Beasley's OR-Library generalized assignment problem (GAP) files,
//! p-median graphs ([`read_pmed_str`], [`PmedInstance`]) and capacitated
//! warehouse location files ([`read_cap_str`], [`CapInstance`]); their
//! published optima ([`read_gap_optima_str`], [`read_table_optima_str`]) and
//! the rows of a [benchmark report](crate::io::bench) of solved files
//! ([`gap_row`], [`cap_row`], [`pmed_row`]).
//!
//! A GAP file is a list of whitespace-separated integers, wrapped across lines
//! at random: the number of problems P, then for each problem the number of
//! agents m and of jobs n; the cost `c[i][j]` of each job on each agent (m rows
//! of n numbers); the resource `r[i][j]` each job uses on each agent (same
//! layout); and the capacity `b[i]` of each agent (m numbers).
//!
//! The files themselves are not shipped with the crate; download them from
//! OR-Library (`gap1.txt` … `gap12.txt`, `gapa.txt` … `gapd.txt`).
//!
//! [`GapInstance::to_problem`] turns a problem into an
//! [`AssignmentProblem`](crate::assign::AssignmentProblem) for the solvers,
//! which always minimise: profits of a maximisation file are negated, and
//! [`Sense::objective_of`] and [`Sense::bound_of`] map a solution's cost and
//! lower bound back to the file's objective and (integer) bound.
//!
//! # Example
//! ```
//! use servnet::io::orlib::{Sense, read_gap_str};
//!
//! // One problem: 2 agents, 3 jobs.
//! let text = "1\n2 3\n 4 5 6\n 7 8 9\n 1 1 1\n 2 2 2\n 2 4\n";
//! let problems = read_gap_str(text, "example")?;
//! assert_eq!(problems[0].objective(&[0, 1, 1]), Some(4 + 8 + 9));
//! assert_eq!(Sense::of_file_name("gapa.txt"), Some(Sense::Minimize));
//! # Ok::<(), servnet::Error>(())
//! ```

mod assign;
mod cap;
mod optima;
mod pmed;
mod rows;
mod sense;
mod tokens;

pub use assign::MAX_EXACT;
pub use cap::{CapInstance, MAX_CAP_CELLS, read_cap_file, read_cap_str};
pub use optima::{
    read_gap_optima_file, read_gap_optima_str, read_table_optima_file, read_table_optima_str,
};
pub use pmed::{
    MAX_ALL_PAIRS_VERTICES, MAX_PMED_VERTICES, PmedInstance, read_pmed_file, read_pmed_str,
};
pub use rows::{cap_row, gap_row, pmed_row};
pub use sense::Sense;

use super::json::read_text;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use std::path::Path;
use tokens::{Parser, quoted};

/// The largest number of agent × job cells one problem may have (10,000,000).
///
/// A corrupt header cannot make the reader allocate more than this; the largest
/// OR-Library problem (gapd, 80 × 1600) has 128,000 cells.
pub const MAX_CELLS: u64 = 10_000_000;

/// One generalized assignment problem: every job goes to exactly one agent,
/// and the jobs of an agent may use no more than its capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapInstance {
    /// The number of agents, m.
    pub agents: usize,
    /// The number of jobs, n.
    pub jobs: usize,
    /// The cost (or profit, for a maximisation file) of giving a job to an agent, as `cost[agent][job]`.
    pub cost: Vec<Vec<i64>>,
    /// The resource a job uses on an agent, as `load[agent][job]`; never negative when read from a file.
    pub load: Vec<Vec<i64>>,
    /// The capacity of each agent; never negative when read from a file.
    pub capacity: Vec<i64>,
}

impl GapInstance {
    /// The objective of an assignment, given as the agent of each job (0-based):
    /// the sum over jobs of `cost[agent][job]`.
    ///
    /// `None` when the assignment does not give exactly one agent to each job,
    /// names an agent that does not exist, uses more than an agent's capacity,
    /// or when an entry it needs is missing from the instance's tables or the sum overflows `i64`.
    pub fn objective(&self, agent_of_job: &[usize]) -> Option<i64> {
        if agent_of_job.len() != self.jobs {
            return None;
        }
        // Sized by the capacities actually held, so a hand-built `agents` cannot force a huge allocation.
        let mut used = vec![0_i128; self.capacity.len().min(self.agents)];
        let mut total = 0_i128;
        for (job, &agent) in agent_of_job.iter().enumerate() {
            if agent >= self.agents {
                return None;
            }
            let load = *self.load.get(agent)?.get(job)?;
            *used.get_mut(agent)? += i128::from(load);
            total += i128::from(*self.cost.get(agent)?.get(job)?);
        }
        for (agent, &used) in used.iter().enumerate() {
            if used > i128::from(*self.capacity.get(agent)?) {
                return None;
            }
        }
        i64::try_from(total).ok()
    }
}

fn gap_problem(code: ProblemCode, number: u64, field: &str, message: impl Into<String>) -> Problem {
    Problem::new(code, "gap problem", Some(number), field, message)
}

/// The number of agents or jobs as a size, or the problem with it.
fn size(value: i64, number: u64, field: &str) -> std::result::Result<usize, Problem> {
    let too_large = || {
        gap_problem(
            ProblemCode::OutOfRange,
            number,
            field,
            format!("{value} {field} is more than {MAX_CELLS}"),
        )
    };
    if value <= 0 {
        return Err(gap_problem(
            ProblemCode::NonPositive,
            number,
            field,
            format!("{value} {field}: there must be at least one"),
        ));
    }
    match u64::try_from(value) {
        Ok(v) if v <= MAX_CELLS => usize::try_from(v).map_err(|_| too_large()),
        _ => Err(too_large()),
    }
}

/// Reads one problem (number `number` of `count`, 1-based); value problems go to `problems`.
fn read_problem(
    p: &mut Parser<'_>,
    number: u64,
    count: u64,
    problems: &mut Vec<Problem>,
) -> Result<GapInstance> {
    let at = format!("in problem {number} of {count}");
    let m = p.number(|| format!("the number of agents {at}"))?;
    let n = p.number(|| format!("the number of jobs {at}"))?;
    let (agents, jobs) = match (size(m, number, "agents"), size(n, number, "jobs")) {
        (Ok(agents), Ok(jobs)) => (agents, jobs),
        (agents, jobs) => {
            problems.extend(agents.err());
            problems.extend(jobs.err());
            return Err(ErrorKind::Invalid(std::mem::take(problems)).into());
        }
    };
    if agents as u64 * jobs as u64 > MAX_CELLS {
        problems.push(gap_problem(
            ProblemCode::OutOfRange,
            number,
            "agents × jobs",
            format!("{agents} agents × {jobs} jobs is more than {MAX_CELLS} cells"),
        ));
        return Err(ErrorKind::Invalid(std::mem::take(problems)).into());
    }
    let cost = p.table(agents, jobs, "cost", &at)?;
    let load = p.table(agents, jobs, "load", &at)?;
    let mut capacity = Vec::with_capacity(agents.min(p.tokens.max_left()));
    for agent in 0..agents {
        capacity.push(p.number(|| format!("the capacity of agent {} {at}", agent + 1))?);
    }

    let negative_loads: Vec<(usize, usize, i64)> = load
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().enumerate().map(move |(j, &r)| (i, j, r)))
        .filter(|&(_, _, r)| r < 0)
        .collect();
    if let Some(&(i, j, r)) = negative_loads.first() {
        problems.push(gap_problem(
            ProblemCode::OutOfRange,
            number,
            "load",
            format!(
                "agent {}, job {}: load {r} is negative ({} negative load(s) in this problem)",
                i + 1,
                j + 1,
                negative_loads.len()
            ),
        ));
    }
    let negative_capacities: Vec<(usize, i64)> = capacity
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, b)| b < 0)
        .collect();
    if let Some(&(i, b)) = negative_capacities.first() {
        problems.push(gap_problem(
            ProblemCode::OutOfRange,
            number,
            "capacity",
            format!(
                "agent {}: capacity {b} is negative ({} negative capacity(ies) in this problem)",
                i + 1,
                negative_capacities.len()
            ),
        ));
    }
    Ok(GapInstance {
        agents,
        jobs,
        cost,
        load,
        capacity,
    })
}

/// Reads the problems of an OR-Library GAP file from its text; `what` names
/// the text in errors (a file name or a description).
///
/// Numbers may be wrapped across lines in any way; a UTF-8 byte-order mark and
/// `\r\n` line ends are accepted.
///
/// # Errors
/// [`ErrorKind::Syntax`] (with the 1-based line, column 0) for a token that is
/// not an integer, a text that ends before the last problem is complete (the
/// message names the problem and the field), or anything after the last problem.
/// [`ErrorKind::Invalid`] for a problem count below 1, a problem with no agents
/// or jobs or more than [`MAX_CELLS`] cells ([`ProblemCode::NonPositive`],
/// [`ProblemCode::OutOfRange`]), and negative loads or capacities
/// ([`ProblemCode::OutOfRange`]); each problem is reported as entity `gap problem`
/// with its 1-based number in the file as id, and every problem is listed when
/// the file can be read to its end.
pub fn read_gap_str(text: &str, what: &str) -> Result<Vec<GapInstance>> {
    let mut p = Parser::new(text, what);
    let count = p.number(|| "the number of problems".to_string())?;
    let count = match u64::try_from(count) {
        Ok(count) if count > 0 => count,
        _ => {
            return Err(ErrorKind::Invalid(vec![Problem::new(
                ProblemCode::NonPositive,
                "gap file",
                None,
                "problems",
                format!("the file says it holds {count} problems"),
            )])
            .into());
        }
    };
    let mut problems = Vec::new();
    let mut instances = Vec::new();
    for number in 1..=count {
        instances.push(read_problem(&mut p, number, count, &mut problems)?);
    }
    if let Some((line, token)) = p.tokens.next() {
        return Err(p.syntax(
            line,
            format!(
                "unexpected {} after the last of {count} problem(s)",
                quoted(token)
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    Ok(instances)
}

/// Reads the problems of an OR-Library GAP file.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, then as [`read_gap_str`].
pub fn read_gap_file(path: impl AsRef<Path>) -> Result<Vec<GapInstance>> {
    let path = path.as_ref();
    read_gap_str(&read_text(path)?, &path.display().to_string())
}
