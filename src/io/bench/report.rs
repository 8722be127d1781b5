//! [`Report`]: how a run's rows are shown (table header and lines, JSON
//! lines), the tallies of published optima matched, the totals line and the
//! `--check` [`Verdict`].

use super::{Number, Row};

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
