//! What `servnet orlib cap` and `servnet orlib pmed` share: the time-limit
//! check, reading every file before solving, and the report — one table row
//! or JSON line per file, the totals, and `--check` against the published optima.

use super::emit;
use clap::Args;
use servnet::io::orlib::read_table_optima_file;
use servnet::{Error, ErrorKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The report options of `servnet orlib cap` and `servnet orlib pmed`.
#[derive(Args)]
pub struct ReportArgs {
    /// Published optima: a Markdown table such as OR-Library's `optima.md`
    /// (`| cap61 | 16 × 50 | 932615.750 |`, `| pmed1 | 100 | 5 | 5819 | …`);
    /// adds the gap to the published value.
    #[arg(long, value_name = "FILE")]
    pub optima: Option<PathBuf>,
    /// Print one JSON object per file per line instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Exit 1, naming each one, unless every file with a published optimum
    /// is solved to it (within 0.001, the published rounding; for p-median
    /// files also proven optimal).
    #[arg(long, requires = "optima")]
    pub check: bool,
}

/// Refuses a time limit that is not a number of seconds > 0.
pub fn check_time_limit(seconds: f64) -> Result<(), Error> {
    if seconds.is_finite() && seconds > 0.0 {
        return Ok(());
    }
    Err(ErrorKind::Parameter {
        name: "time_limit",
        message: format!("{seconds} is not a number of seconds > 0"),
    }
    .into())
}

/// One file, read: its name, its stem (the key of its published optimum) and what it holds.
pub struct Input<T> {
    pub name: String,
    pub stem: String,
    pub data: T,
}

/// Reads every file with `read` before anything is solved: any error stops the run.
pub fn read_all<T>(
    files: &[PathBuf],
    read: impl Fn(&Path) -> Result<T, Error>,
) -> Result<Vec<Input<T>>, Error> {
    let part = |s: Option<&std::ffi::OsStr>| {
        s.map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    };
    files
        .iter()
        .map(|path| {
            Ok(Input {
                name: part(path.file_name()),
                stem: part(path.file_stem()),
                data: read(path)?,
            })
        })
        .collect()
}

/// One solved file.
pub struct Row<'a> {
    pub name: &'a str,
    pub stem: &'a str,
    /// The size column, e.g. `16×50`.
    pub size: String,
    pub objective: f64,
    pub bound: f64,
    /// The solver's relative gap.
    pub gap: f64,
    pub seconds: f64,
    pub status: String,
    /// Whether the solver proved its objective optimal.
    pub proven: bool,
    /// More fields for the JSON line.
    pub extra: serde_json::Value,
}

/// The report of one run.
pub struct Report {
    optima: Option<BTreeMap<String, f64>>,
    json: bool,
    check: bool,
    /// Decimals of the objective and bound in the table.
    decimals: usize,
    /// Whether `--check` also wants each objective proven optimal.
    want_proof: bool,
    rows: usize,
    known: usize,
    matched: usize,
    missed: Vec<String>,
    total_s: f64,
}

impl Report {
    /// Reads the optima (when given) and prints the table header (unless JSON).
    pub fn start(args: &ReportArgs, decimals: usize, want_proof: bool) -> Result<Report, Error> {
        let optima = args
            .optima
            .as_ref()
            .map(read_table_optima_file)
            .transpose()?;
        let json = args.json;
        if !json {
            emit(&format!(
                "{:<12} {:>8} {:>16} {:>16} {:>8} {:>16} {:>8} {:>8}  status",
                "file", "size", "objective", "bound", "gap %", "published", "vs pub %", "seconds"
            ))?;
        }
        Ok(Report {
            optima,
            json,
            check: args.check,
            decimals,
            want_proof,
            rows: 0,
            known: 0,
            matched: 0,
            missed: Vec::new(),
            total_s: 0.0,
        })
    }

    /// Prints one row, compared with its published optimum.
    pub fn row(&mut self, r: Row) -> Result<(), Error> {
        self.rows += 1;
        self.total_s += r.seconds;
        let published = self.optima.as_ref().and_then(|o| o.get(r.stem)).copied();
        let vs = published.map(|v| 100.0 * (r.objective - v) / v.abs().max(1.0));
        if let Some(v) = published {
            self.known += 1;
            let hit = (r.objective - v).abs() <= 1e-3 + 1e-9 * v.abs();
            if hit && (r.proven || !self.want_proof) {
                self.matched += 1;
            } else {
                self.missed.push(format!(
                    "{}: {} ({}) against {v}",
                    r.name, r.objective, r.status
                ));
            }
        }
        if self.json {
            let mut line = serde_json::json!({
                "file": r.name,
                "objective": r.objective,
                "bound": r.bound,
                "gap": r.gap,
                "published": published,
                "seconds": r.seconds,
                "status": r.status,
            });
            if let (Some(map), serde_json::Value::Object(extra)) = (line.as_object_mut(), r.extra) {
                map.extend(extra);
            }
            emit(&line.to_string())
        } else {
            let d = self.decimals;
            emit(&format!(
                "{:<12} {:>8} {:>16.d$} {:>16.d$} {:>8.3} {:>16} {:>8} {:>8.3}  {}",
                r.name,
                r.size,
                r.objective,
                r.bound,
                100.0 * r.gap,
                published.map_or("–".into(), |v| format!("{v:.d$}")),
                vs.map_or("–".into(), |v| format!("{v:.3}")),
                r.seconds,
                r.status
            ))
        }
    }

    /// Prints the totals (to stderr) and, with `--check`, fails unless every
    /// published optimum was matched.
    pub fn finish(self) -> ExitCode {
        errln!(
            "total: {} file(s), {} of {} published optima matched{}, {:.3} s",
            self.rows,
            self.matched,
            self.known,
            if self.want_proof { " and proven" } else { "" },
            self.total_s
        );
        if self.check && !self.missed.is_empty() {
            for m in &self.missed {
                errln!("missed: {m}");
            }
            return ExitCode::from(1);
        }
        ExitCode::SUCCESS
    }
}
