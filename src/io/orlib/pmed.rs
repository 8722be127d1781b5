//! OR-Library p-median files (`pmed1.txt` … `pmed40.txt`).
//!
//! The first line holds the number of vertices n, of edges e and of medians
//! p; then come e edges `i j cost` of an undirected graph, vertices numbered
//! from 1. Where an edge appears twice, the last one counts (OR-Library's
//! rule). Distances are shortest paths in the graph: build a
//! [`RoadNetwork`] with [`PmedInstance::to_road_network`] and take
//! [`RoadNetwork::all_pairs`].

use super::{Parser, Tokens, quoted};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::io::json::read_text;
use crate::planning::median::MedianProblem;
use crate::travel::road::{Metric, RoadNetwork};
use std::collections::BTreeMap;
use std::path::Path;

/// The largest number of vertices a p-median file may have (100,000).
pub const MAX_PMED_VERTICES: u64 = 100_000;

/// The largest number of vertices whose all-pairs distances
/// [`PmedInstance::distances`] and [`PmedInstance::to_problem`] build
/// (6,000). The distance matrix and the problem built from it take about
/// 32 bytes per pair of vertices: about 1.2 GB at this size, and 320 GB at
/// [`MAX_PMED_VERTICES`]. OR-Library's largest file, pmed40, has 900.
pub const MAX_ALL_PAIRS_VERTICES: usize = 6_000;

/// About how many bytes all-pairs distances and a problem take per pair of vertices.
const BYTES_PER_PAIR: u64 = 32;

/// One p-median instance: a graph and the number of medians to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PmedInstance {
    /// The number of vertices, numbered 1 to `vertices`.
    pub vertices: usize,
    /// The number of medians, p.
    pub p: usize,
    /// The edges `(i, j, cost)` with `i < j`, 1-based, one per pair (the
    /// file's last line for that pair), sorted by `(i, j)`.
    pub edges: Vec<(usize, usize, i64)>,
    /// The number of edge lines in the file, duplicates included.
    pub edge_lines: usize,
}

impl PmedInstance {
    /// The graph as a [`RoadNetwork`] without geography: node ids 1 to n,
    /// edge lengths the costs.
    ///
    /// # Errors
    /// Only for a hand-built instance whose edges name vertices out of range
    /// or whose costs are negative: as [`RoadNetwork::from_graph_lengths`].
    pub fn to_road_network(&self) -> Result<RoadNetwork> {
        RoadNetwork::from_graph_lengths(
            1..=self.vertices as u64,
            self.edges
                .iter()
                .map(|&(i, j, c)| (i as u64, j as u64, c as f64)),
        )
    }

    /// The shortest-path distance between every pair of vertices, as
    /// `d[i - 1][j - 1]`; `None` between vertices that are not connected.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] (entity `pmed file`, field `vertices`,
    /// [`ProblemCode::OutOfRange`]) for more than [`MAX_ALL_PAIRS_VERTICES`]
    /// vertices, checked before anything is allocated; then as
    /// [`PmedInstance::to_road_network`].
    pub fn distances(&self) -> Result<Vec<Vec<Option<f64>>>> {
        self.check_all_pairs()?;
        Ok(self.to_road_network()?.all_pairs(Metric::Km))
    }

    /// Refuses graphs too large for all-pairs distances.
    fn check_all_pairs(&self) -> Result<()> {
        let n = self.vertices;
        if n <= MAX_ALL_PAIRS_VERTICES {
            return Ok(());
        }
        let gib = (n as u64).pow(2).saturating_mul(BYTES_PER_PAIR) as f64 / f64::from(1u32 << 30);
        Err(ErrorKind::Invalid(vec![Problem::new(
            ProblemCode::OutOfRange,
            "pmed file",
            None,
            "vertices",
            format!(
                "{n} vertices: all-pairs distances would take about {gib:.0} GiB; \
                 the limit is MAX_ALL_PAIRS_VERTICES = {MAX_ALL_PAIRS_VERTICES} vertices"
            ),
        )])
        .into())
    }

    /// The instance as a [`MedianProblem`]: every vertex a candidate
    /// facility and a customer, the cost the shortest-path distance
    /// ([`PmedInstance::distances`]); solve it with
    /// [`MedianSolver::p_median`](crate::planning::median::MedianSolver::p_median)`(self.p)`.
    ///
    /// # Errors
    /// As [`PmedInstance::distances`]: more than [`MAX_ALL_PAIRS_VERTICES`]
    /// vertices is an error before anything is allocated.
    pub fn to_problem(&self) -> Result<MedianProblem> {
        MedianProblem::from_matrix(&self.distances()?)
    }
}

fn pmed_problem(code: ProblemCode, line: usize, field: &str, message: String) -> Problem {
    Problem::new(code, "pmed edge", Some(line as u64), field, message)
}

/// Reads an OR-Library p-median file from its text; `what` names the text in errors.
///
/// # Errors
/// [`ErrorKind::Syntax`] (with the 1-based line) for a token that is not an
/// integer, a text that ends before the last edge, or anything after it.
/// [`ErrorKind::Invalid`] listing every problem: a header with no vertices,
/// more than [`MAX_PMED_VERTICES`], a negative edge count or a p outside
/// `1..=n` (entity `pmed file`, fields `vertices`, `edges`, `p`); an edge
/// naming a vertex outside `1..=n` or with a negative cost (entity `pmed
/// edge` with its line as id, fields `i`, `j`, `cost`).
pub fn read_pmed_str(text: &str, what: &str) -> Result<PmedInstance> {
    let mut p = Parser {
        tokens: Tokens::new(text),
        what,
        last_line: 1,
    };
    let n = p.number(|| "the number of vertices".to_string())?;
    let e = p.number(|| "the number of edges".to_string())?;
    let medians = p.number(|| "the number of medians p".to_string())?;
    let mut problems = Vec::new();
    let header = |field: &str, message: String| {
        Problem::new(ProblemCode::OutOfRange, "pmed file", None, field, message)
    };
    if !(1..=MAX_PMED_VERTICES as i64).contains(&n) {
        problems.push(header(
            "vertices",
            format!("{n} is outside 1..={MAX_PMED_VERTICES}"),
        ));
    }
    if e < 0 {
        problems.push(header("edges", format!("{e} is negative")));
    }
    if !(1..=n.max(1)).contains(&medians) {
        problems.push(header("p", format!("{medians} is outside 1..={n}")));
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    let (n, e) = (n as usize, e as usize);
    let mut last: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    for k in 1..=e {
        let i = p.number(|| format!("the first vertex of edge {k} of {e}"))?;
        let line = p.last_line;
        let j = p.number(|| format!("the second vertex of edge {k} of {e}"))?;
        let cost = p.number(|| format!("the cost of edge {k} of {e}"))?;
        let mut ok = true;
        for (v, field) in [(i, "i"), (j, "j")] {
            if !(1..=n as i64).contains(&v) {
                problems.push(pmed_problem(
                    ProblemCode::DanglingReference,
                    line,
                    field,
                    format!("edge {k}: vertex {v} is outside 1..={n}"),
                ));
                ok = false;
            }
        }
        if cost < 0 {
            problems.push(pmed_problem(
                ProblemCode::OutOfRange,
                line,
                "cost",
                format!("edge {k}: cost {cost} is negative"),
            ));
            ok = false;
        }
        if ok {
            let (a, b) = (i.min(j) as usize, i.max(j) as usize);
            last.insert((a, b), cost);
        }
    }
    if let Some((line, token)) = p.tokens.next() {
        return Err(p.syntax(
            line,
            format!("unexpected {} after the last of {e} edge(s)", quoted(token)),
        ));
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    Ok(PmedInstance {
        vertices: n,
        p: medians as usize,
        edges: last.into_iter().map(|((a, b), c)| (a, b, c)).collect(),
        edge_lines: e,
    })
}

/// Reads an OR-Library p-median file.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, then as [`read_pmed_str`].
pub fn read_pmed_file(path: impl AsRef<Path>) -> Result<PmedInstance> {
    let path = path.as_ref();
    read_pmed_str(&read_text(path)?, &path.display().to_string())
}
