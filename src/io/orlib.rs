//! J. E. Beasley's OR-Library generalized assignment problem (GAP) files,
//! p-median graphs ([`read_pmed_str`], [`PmedInstance`]) and capacitated
//! warehouse location files ([`read_cap_str`], [`CapInstance`]).
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
mod pmed;

pub use assign::MAX_EXACT;
pub use cap::{CapInstance, MAX_CAP_CELLS, read_cap_file, read_cap_str};
pub use pmed::{
    MAX_ALL_PAIRS_VERTICES, MAX_PMED_VERTICES, PmedInstance, read_pmed_file, read_pmed_str,
};

use super::json::read_text;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use std::collections::BTreeMap;
use std::path::Path;

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

/// Whether a file's costs are profits to maximise or costs to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sense {
    /// The costs are profits: the best assignment has the largest objective.
    Maximize,
    /// The costs are costs: the best assignment has the smallest objective.
    Minimize,
}

impl Sense {
    /// The usual sense of an OR-Library GAP file by its name: `gap1` … `gap12`
    /// maximise, `gapa` … `gapd` minimise; `None` for any other name.
    ///
    /// The name may carry a directory and a `.txt` extension, and case is
    /// ignored: `data/GAP7.txt` maximises.
    pub fn of_file_name(name: &str) -> Option<Sense> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let stem = match base
            .len()
            .checked_sub(4)
            .and_then(|i| base.split_at_checked(i))
        {
            Some((stem, ext)) if ext.eq_ignore_ascii_case(".txt") => stem,
            _ => base,
        };
        let (prefix, rest) = stem.split_at_checked(3)?;
        if !prefix.eq_ignore_ascii_case("gap") {
            return None;
        }
        match rest.to_ascii_lowercase().as_str() {
            "a" | "b" | "c" | "d" => Some(Sense::Minimize),
            digits if !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) => {
                match digits.parse::<u32>() {
                    Ok(1..=12) => Some(Sense::Maximize),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The whitespace-separated tokens of a text, each with its 1-based line.
struct Tokens<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            rest: text.strip_prefix('\u{feff}').unwrap_or(text),
            line: 1,
        }
    }

    /// An upper bound on the number of tokens left: each but the last needs a separator.
    fn max_left(&self) -> usize {
        self.rest.len() / 2 + 1
    }

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let Some(start) = self.rest.find(|c: char| !c.is_ascii_whitespace()) else {
            self.rest = "";
            return None;
        };
        let (blank, after) = self.rest.split_at(start);
        self.line += blank.bytes().filter(|&b| b == b'\n').count();
        let end = after
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(after.len());
        let (token, rest) = after.split_at(end);
        self.rest = rest;
        Some((self.line, token))
    }
}

/// A token as quoted in a message: at most 24 characters.
fn quoted(token: &str) -> String {
    let mut chars = token.chars();
    let head: String = chars.by_ref().take(24).collect();
    if chars.next().is_some() {
        format!("`{head}…`")
    } else {
        format!("`{head}`")
    }
}

struct Parser<'a> {
    tokens: Tokens<'a>,
    what: &'a str,
    /// The line of the last token read (1 before any).
    last_line: usize,
}

impl<'a> Parser<'a> {
    fn syntax(&self, line: usize, message: String) -> crate::Error {
        ErrorKind::Syntax {
            what: self.what.to_string(),
            line,
            column: 0,
            message,
        }
        .into()
    }

    /// The next integer; `field` describes it for an error message.
    fn number(&mut self, field: impl FnOnce() -> String) -> Result<i64> {
        match self.tokens.next() {
            None => Err(self.syntax(
                self.last_line,
                format!("the file ends early, before {}", field()),
            )),
            Some((line, token)) => {
                self.last_line = line;
                token.parse::<i64>().map_err(|_| {
                    self.syntax(
                        line,
                        format!("{} is not an integer (expected {})", quoted(token), field()),
                    )
                })
            }
        }
    }

    /// An m × n table, row by row.
    fn table(&mut self, agents: usize, jobs: usize, name: &str, at: &str) -> Result<Vec<Vec<i64>>> {
        let mut rows = Vec::with_capacity(agents.min(self.tokens.max_left()));
        for agent in 0..agents {
            let mut row = Vec::with_capacity(jobs.min(self.tokens.max_left()));
            for job in 0..jobs {
                row.push(self.number(|| {
                    format!("the {name} of agent {} for job {} {at}", agent + 1, job + 1)
                })?);
            }
            rows.push(row);
        }
        Ok(rows)
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
    let mut p = Parser {
        tokens: Tokens::new(text),
        what,
        last_line: 1,
    };
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

/// Published optimal values of GAP files by file stem (`"gap1"` → `[336, 327, 339, 341, 326]`),
/// in file order, from a text with lines such as `  - gap1: 336 327 339 341 326`.
///
/// A line counts when, after an optional `-` or `*` bullet, it is a name that
/// starts with `gap` (any case) and holds only ASCII letters and digits, a
/// colon, and one or more integers. Every other line is skipped; when a name
/// appears twice, its last line counts.
pub fn read_gap_optima_str(text: &str) -> BTreeMap<String, Vec<i64>> {
    let mut optima = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix(['-', '*']).map_or(line, str::trim_start);
        let Some((name, values)) = line.split_once(':') else {
            continue;
        };
        let is_gap = name
            .get(..3)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("gap"));
        if !is_gap || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let Ok(values) = values
            .split_ascii_whitespace()
            .map(str::parse::<i64>)
            .collect::<std::result::Result<Vec<_>, _>>()
        else {
            continue;
        };
        if !values.is_empty() {
            optima.insert(name.to_string(), values);
        }
    }
    optima
}

/// Published optimal values of GAP files from a file such as `optima.md`; see [`read_gap_optima_str`].
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read.
pub fn read_gap_optima_file(path: impl AsRef<Path>) -> Result<BTreeMap<String, Vec<i64>>> {
    Ok(read_gap_optima_str(&read_text(path.as_ref())?))
}

/// Published optimal values by instance name from Markdown tables such as
/// OR-Library's `optima.md` (`| cap61 | 16 × 50 | 932615.750 |`, or several
/// instances a row: `| pmed1 | 100 | 5 | 5819 | pmed16 | 400 | 5 | 8162 |`).
///
/// In each table row, a cell that is a name (ASCII letters then digits, such
/// as `cap61`) starts an instance, and the last number before the next name
/// (or the row's end) is its optimum. Rows without a name, and names with no
/// number after them, are skipped; when a name appears twice, its last row counts.
///
/// # Example
/// ```
/// use servnet::io::orlib::read_table_optima_str;
/// let o = read_table_optima_str("| pmed1 | 100 | 5 | 5819 | pmed16 | 400 | 5 | 8162 |\n| cap61 | 16 × 50 | 932615.750 |");
/// assert_eq!((o["pmed1"], o["pmed16"], o["cap61"]), (5819.0, 8162.0, 932615.75));
/// ```
pub fn read_table_optima_str(text: &str) -> BTreeMap<String, f64> {
    let is_name = |c: &str| {
        let letters = c.bytes().take_while(u8::is_ascii_alphabetic).count();
        letters > 0 && letters < c.len() && c.bytes().skip(letters).all(|b| b.is_ascii_digit())
    };
    let mut optima = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            continue;
        }
        let mut current: Option<(&str, Option<f64>)> = None;
        let mut finish = |c: Option<(&str, Option<f64>)>| {
            if let Some((name, Some(v))) = c {
                optima.insert(name.to_string(), v);
            }
        };
        for cell in line.split('|').map(str::trim) {
            if is_name(cell) {
                finish(current.take());
                current = Some((cell, None));
            } else if let (Some(c), Ok(v)) = (current.as_mut(), cell.parse::<f64>())
                && v.is_finite()
            {
                c.1 = Some(v);
            }
        }
        finish(current);
    }
    optima
}

/// [`read_table_optima_str`] of a file such as `optima.md`.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read.
pub fn read_table_optima_file(path: impl AsRef<Path>) -> Result<BTreeMap<String, f64>> {
    Ok(read_table_optima_str(&read_text(path.as_ref())?))
}
