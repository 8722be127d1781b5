//! What `servnet orlib gap|cap|pmed` share: the time-limit check, reading
//! every file before solving, the report options of `cap` and `pmed`, and
//! printing a [`Report`]: its rows as a table or JSON lines, then the totals
//! and the `--check` verdict.

use clap::Args;
use servnet::Error;
use servnet::io::bench::{Number, Report, Row};
use servnet::io::orlib::read_table_optima_file;
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

impl ReportArgs {
    /// Reads the published optima, when given, and starts printing `report`.
    pub fn start(&self, report: Report) -> Result<(Printer, Option<Optima>), Error> {
        let optima = self
            .optima
            .as_ref()
            .map(read_table_optima_file)
            .transpose()?;
        Ok((Printer::start(report, self.json, self.check), optima))
    }
}

/// Published optima by instance name, as [`read_table_optima_file`] reads them.
pub type Optima = BTreeMap<String, f64>;

/// Reads every file with `read` before anything is solved: any error stops the run.
pub fn read_all<T>(
    files: &[PathBuf],
    read: impl Fn(&Path) -> Result<T, Error>,
) -> Result<Vec<(&Path, T)>, Error> {
    files
        .iter()
        .map(|path| Ok((path.as_path(), read(path)?)))
        .collect()
}

/// Prints a [`Report`]: the table header (unless JSON), each row, the totals and the verdict.
pub struct Printer {
    report: Report,
    json: bool,
    check: bool,
}

impl Printer {
    /// Prints the table header, unless the rows are JSON lines.
    pub fn start(report: Report, json: bool, check: bool) -> Printer {
        if !json {
            outln!("{}", report.header());
        }
        Printer {
            report,
            json,
            check,
        }
    }

    /// Counts and prints one row.
    pub fn row<T: Number>(&mut self, row: &Row<T>) {
        self.report.add(row);
        if self.json {
            outln!("{}", self.report.json_line(row));
        } else {
            outln!("{}", self.report.table_line(row));
        }
    }

    /// A line after the rows: on standard output under a table, on standard
    /// error after JSON lines (which keeps standard output one object per line).
    fn say(&self, line: &str) {
        if self.json {
            errln!("{line}");
        } else {
            outln!("{line}");
        }
    }

    /// Prints the totals and, with `--check`, the verdict; exit 1 when the check failed.
    pub fn finish(self) -> ExitCode {
        self.say(&self.report.totals());
        if !self.check {
            return ExitCode::SUCCESS;
        }
        let verdict = self.report.verdict();
        for line in &verdict.lines {
            self.say(line);
        }
        if verdict.passed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}
