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

mod report;
mod row;

pub use report::{Report, Verdict};
pub use row::Row;

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
/// This is the relative gap of the solvers ([`CflSolution::gap`](crate::planning::cfl::CflSolution::gap)
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
