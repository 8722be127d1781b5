//! Benchmark reports: one [`Row`] per solved problem, compared with its
//! published optimum, rendered as a table line or a JSON line, and the
//! totals and `--check` verdict of a run ([`Report`]).
//!
//! `servnet orlib gap|cap|pmed` and the benchmark examples all report through
//! this module; it only builds strings, the caller prints them.
//!
//! # Example
//! ```
//! use servnet::io::bench::{Report, Row};
//! use servnet::io::orlib::Sense;
//!
//! let mut report = Report::new("cfl").size_label("m×n").decimals(3);
//! let mut row = Row::new("cap/cap41.txt", 1, "16×50", Sense::Minimize);
//! row.objective = Some(1_040_444.375);
//! row.bound = Some(1_040_444.375);
//! row.published = Some(1_040_444.375);
//! row.status = "optimal".into();
//! report.add(&row);
//! assert!(report.table_line(&row).starts_with("cap41.txt"));
//! assert_eq!(report.json_line(&row)["matches"], true);
//! assert!(report.verdict().passed);
//! ```

use super::orlib::Sense;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// A number a report shows: an objective, a bound or a published optimum.
///
/// Implemented for `i64` (integer objectives, as in GAP files: compared
/// exactly) and `f64` (compared within the published rounding).
pub trait Number: Copy + fmt::Display + Into<serde_json::Value> {
    /// `self − other`, exact for integers that fit in an `f64`.
    fn minus(self, other: Self) -> f64;
    /// `|self|`.
    fn magnitude(self) -> f64;
    /// Whether `self` is the published value `published`: equal for
    /// integers, within 0.001 (plus 10⁻⁹ relative) for real numbers, the
    /// rounding of published tables.
    fn reaches(self, published: Self) -> bool;
    /// The number in a table cell: integers as they are, real numbers with `decimals` decimals.
    fn cell(self, decimals: usize) -> String;
}

impl Number for i64 {
    fn minus(self, other: i64) -> f64 {
        // In i128: a published value may be any i64, and the difference must not overflow.
        (i128::from(self) - i128::from(other)) as f64
    }

    fn magnitude(self) -> f64 {
        self.unsigned_abs() as f64
    }

    fn reaches(self, published: i64) -> bool {
        self == published
    }

    fn cell(self, _decimals: usize) -> String {
        self.to_string()
    }
}

impl Number for f64 {
    fn minus(self, other: f64) -> f64 {
        self - other
    }

    fn magnitude(self) -> f64 {
        self.abs()
    }

    fn reaches(self, published: f64) -> bool {
        (self - published).abs() <= 1e-3 + 1e-9 * published.abs()
    }

    fn cell(self, decimals: usize) -> String {
        format!("{self:.decimals$}")
    }
}

/// How much worse `objective` is than `reference` (a bound or a published
/// optimum), in percent of `max(|objective|, 1)`: positive when worse,
/// negative when `objective` beats `reference`.
///
/// This is the relative gap of the solvers ([`CflSolution::gap`](crate::plan::cfl::CflSolution::gap)
/// is `(cost − lower_bound) / max(|cost|, 1)`), in percent and for either sense.
///
/// # Example
/// ```
/// use servnet::io::bench::gap_percent;
/// use servnet::io::orlib::Sense;
/// assert_eq!(gap_percent(Sense::Minimize, 110_i64, 100), 100.0 * 10.0 / 110.0);
/// assert_eq!(gap_percent(Sense::Maximize, 90.0, 100.0), 100.0 * 10.0 / 90.0);
/// ```
pub fn gap_percent<T: Number>(sense: Sense, objective: T, reference: T) -> f64 {
    let worse = match sense {
        Sense::Minimize => objective.minus(reference),
        Sense::Maximize => reference.minus(objective),
    };
    100.0 * worse / objective.magnitude().max(1.0)
}

/// The published values of a file by its stem (`data/gap1.txt` → `gap1`):
/// the exact stem, or else the first name that differs from it only in ASCII case.
///
/// # Example
/// ```
/// use servnet::io::bench::published_of;
/// use servnet::io::orlib::read_table_optima_str;
/// let optima = read_table_optima_str("| cap41 | 16 × 50 | 1040444.375 |");
/// assert_eq!(published_of(&optima, "cap/CAP41.txt"), Some(&1040444.375));
/// ```
pub fn published_of<V>(optima: &BTreeMap<String, V>, file: impl AsRef<Path>) -> Option<&V> {
    let stem = file.as_ref().file_stem()?.to_string_lossy();
    optima.get(stem.as_ref()).or_else(|| {
        optima
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&stem))
            .map(|(_, values)| values)
    })
}

/// One solved problem: what the solver found and, when known, the published optimum.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    /// The file as given (a path), or any name for a problem that has no file.
    pub file: String,
    /// The file name without its directory: the first column of the table.
    pub name: String,
    /// The file name without directory and extension: the key of its published optimum.
    pub instance: String,
    /// The 1-based number of the problem in its file (1 for a file of one problem).
    pub problem: usize,
    /// The size column, such as `16×50` (m × n) or `100/5` (n / p).
    pub size: String,
    /// Whether smaller or larger objectives are better.
    pub sense: Sense,
    /// The objective found; `None` when no solution was found.
    pub objective: Option<T>,
    /// The solver's bound on the objective, when it has one.
    pub bound: Option<T>,
    /// The solver's gap between objective and bound, in percent (see [`gap_percent`]).
    pub gap_percent: Option<f64>,
    /// The published optimum, when known.
    pub published: Option<T>,
    /// Whether the solver proved the objective optimal.
    pub proven: bool,
    /// `optimal`, `feasible`, `infeasible` or `error`.
    pub status: String,
    /// Why a problem is infeasible or could not be solved.
    pub message: Option<String>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// More fields for the JSON line, such as the instance's dimensions.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl<T: Number> Row<T> {
    /// A row with nothing solved yet (status `error`, no objective); `file`
    /// names the file, its name and stem fill [`Row::name`] and [`Row::instance`].
    pub fn new(
        file: impl AsRef<Path>,
        problem: usize,
        size: impl Into<String>,
        sense: Sense,
    ) -> Row<T> {
        let path = file.as_ref();
        let part = |s: Option<&std::ffi::OsStr>| {
            s.map_or_else(
                || path.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            )
        };
        Row {
            file: path.display().to_string(),
            name: part(path.file_name()),
            instance: part(path.file_stem()),
            problem,
            size: size.into(),
            sense,
            objective: None,
            bound: None,
            gap_percent: None,
            published: None,
            proven: false,
            status: "error".into(),
            message: None,
            seconds: 0.0,
            extra: serde_json::Map::new(),
        }
    }

    /// How much worse than the published optimum the objective is, in percent ([`gap_percent`]).
    pub fn published_gap_percent(&self) -> Option<f64> {
        let (o, p) = self.objective.zip(self.published)?;
        Some(gap_percent(self.sense, o, p))
    }

    /// Whether the objective is the published optimum ([`Number::reaches`])
    /// and, when `want_proof`, proven optimal; `None` without a published optimum.
    pub fn matches(&self, want_proof: bool) -> Option<bool> {
        let published = self.published?;
        Some(self.objective.is_some_and(|o| o.reaches(published)) && (self.proven || !want_proof))
    }

    /// The status with its message, if any: `infeasible: …`.
    fn status_line(&self) -> String {
        match &self.message {
            Some(m) => format!("{}: {m}", self.status),
            None => self.status.clone(),
        }
    }
}

/// A missing value in a table cell.
fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// What `--check` says: whether every published optimum was matched, and the lines saying so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Every row with a published optimum matched it.
    pub passed: bool,
    /// `check passed: …`, or `check failed: …` and one indented line per miss.
    pub lines: Vec<String>,
}

/// The report of one run: how rows are shown, and the tallies for the totals and `--check`.
#[derive(Debug, Clone)]
pub struct Report {
    solver: String,
    time_limit_s: Option<f64>,
    size_label: String,
    decimals: usize,
    name_width: usize,
    want_proof: bool,
    rows: usize,
    known: usize,
    matched: usize,
    misses: Vec<String>,
    total_s: f64,
    max_s: f64,
}

impl Report {
    /// An empty report of the runs of `solver` (its name in the totals and JSON lines).
    ///
    /// Defaults: no time limit shown, size column `size`, 3 decimals, file column 12 wide, no proof wanted.
    pub fn new(solver: impl Into<String>) -> Report {
        Report {
            solver: solver.into(),
            time_limit_s: None,
            size_label: "size".into(),
            decimals: 3,
            name_width: 12,
            want_proof: false,
            rows: 0,
            known: 0,
            matched: 0,
            misses: Vec::new(),
            total_s: 0.0,
            max_s: 0.0,
        }
    }

    /// The time limit per problem, in the totals and JSON lines.
    pub fn time_limit_s(mut self, seconds: f64) -> Report {
        self.time_limit_s = Some(seconds);
        self
    }

    /// The heading of the size column, such as `m×n`.
    pub fn size_label(mut self, label: impl Into<String>) -> Report {
        self.size_label = label.into();
        self
    }

    /// Decimals of real objectives, bounds and published optima in the table.
    pub fn decimals(mut self, decimals: usize) -> Report {
        self.decimals = decimals;
        self
    }

    /// The width of the file column.
    pub fn name_width(mut self, width: usize) -> Report {
        self.name_width = width;
        self
    }

    /// Whether a published optimum counts as matched only when proven optimal.
    pub fn want_proof(mut self, want: bool) -> Report {
        self.want_proof = want;
        self
    }

    /// The table's header line.
    pub fn header(&self) -> String {
        format!(
            "{:<w$} {:>7} {:>8} {:>16} {:>16} {:>8} {:>16} {:>9} {:>8}  status",
            "file",
            "problem",
            self.size_label,
            "objective",
            "bound",
            "gap %",
            "published",
            "pub gap %",
            "seconds",
            w = self.name_width
        )
    }

    /// Counts a row for the totals and `--check`; returns [`Row::matches`].
    pub fn add<T: Number>(&mut self, row: &Row<T>) -> Option<bool> {
        self.rows += 1;
        self.total_s += row.seconds;
        self.max_s = self.max_s.max(row.seconds);
        let matches = row.matches(self.want_proof);
        if let Some(hit) = matches {
            self.known += 1;
            if hit {
                self.matched += 1;
            } else {
                self.misses.push(format!(
                    "{} problem {}: objective {}, published {} ({})",
                    row.name,
                    row.problem,
                    or_dash(row.objective),
                    or_dash(row.published),
                    row.status
                ));
            }
        }
        matches
    }

    /// The row as a line of the table.
    pub fn table_line<T: Number>(&self, row: &Row<T>) -> String {
        let (d, percent) = (self.decimals, |g: Option<f64>| {
            or_dash(g.map(|g| format!("{g:.3}")))
        });
        format!(
            "{:<w$} {:>7} {:>8} {:>16} {:>16} {:>8} {:>16} {:>9} {:>8.3}  {}",
            row.name,
            row.problem,
            row.size,
            or_dash(row.objective.map(|v| v.cell(d))),
            or_dash(row.bound.map(|v| v.cell(d))),
            percent(row.gap_percent),
            or_dash(row.published.map(|v| v.cell(d))),
            percent(row.published_gap_percent()),
            row.seconds,
            row.status_line(),
            w = self.name_width
        )
    }

    /// The row as a JSON object, for one line of `--json` output. The fields
    /// `optimum`, `matches` and `gap_to_optimum_percent` are there only when
    /// the published optimum is known, `message` only when there is one.
    pub fn json_line<T: Number>(&self, row: &Row<T>) -> serde_json::Value {
        let mut line = serde_json::json!({
            "file": row.file,
            "instance": row.instance,
            "problem": row.problem,
            "sense": row.sense.to_string(),
            "solver": self.solver,
            "objective": row.objective.map(Into::into),
            "bound": row.bound.map(Into::into),
            "gap_percent": row.gap_percent,
            "seconds": row.seconds,
            "status": row.status,
        });
        if let Some(t) = self.time_limit_s {
            line["time_limit_s"] = t.into();
        }
        if let Some(o) = row.published {
            line["optimum"] = o.into();
            line["matches"] = row.matches(self.want_proof).into();
            line["gap_to_optimum_percent"] = row.published_gap_percent().into();
        }
        if let Some(m) = &row.message {
            line["message"] = m.as_str().into();
        }
        if let Some(map) = line.as_object_mut() {
            map.extend(row.extra.clone());
        }
        line
    }

    /// The totals line: problems, published optima matched, maximum and total seconds.
    pub fn totals(&self) -> String {
        let limit = self
            .time_limit_s
            .map_or_else(String::new, |t| format!(", time limit {t} s"));
        format!(
            "total: {} problem(s), {} of {} published optima matched{}, \
             max {:.3} s, total {:.3} s ({}{limit})",
            self.rows,
            self.matched,
            self.known,
            if self.want_proof { " and proven" } else { "" },
            self.max_s,
            self.total_s,
            self.solver
        )
    }

    /// The `--check` verdict: passed when every row with a published optimum matched it.
    pub fn verdict(&self) -> Verdict {
        if self.misses.is_empty() {
            return Verdict {
                passed: true,
                lines: vec![format!(
                    "check passed: {} of {} published optima",
                    self.matched, self.known
                )],
            };
        }
        let mut lines = vec![format!(
            "check failed: {} of {} published optima missed",
            self.misses.len(),
            self.known
        )];
        lines.extend(self.misses.iter().map(|m| format!("  {m}")));
        Verdict {
            passed: false,
            lines,
        }
    }
}
