//! [`Row`]: one solved problem of a benchmark, what the solver found and,
//! when known, the published optimum, with the gap to it and whether it matches.

use super::{Number, gap_percent};
use crate::io::orlib::Sense;
use std::path::Path;

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
    pub(super) fn status_line(&self) -> String {
        match &self.message {
            Some(m) => format!("{}: {m}", self.status),
            None => self.status.clone(),
        }
    }
}
