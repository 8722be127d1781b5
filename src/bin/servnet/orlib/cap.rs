//! `servnet orlib cap`: solve OR-Library capacitated warehouse location
//! files and compare with the published optima.

use super::bench::{ReportArgs, read_all};
use clap::Args;
use servnet::Error;
use servnet::io::bench::{Report, published_of};
use servnet::io::orlib::{cap_row, read_cap_file};
use servnet::planning::cfl::CflSolver;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `servnet orlib cap`.
#[derive(Args)]
pub struct CapArgs {
    /// OR-Library capacitated warehouse location files (cap41.txt … capc.txt).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Every warehouse's capacity, overriding the file's (OR-Library's capa,
    /// capb and capc files are solved at several capacities).
    #[arg(long, value_name = "N", value_parser = crate::ranges::positive)]
    capacity: Option<f64>,
    /// Time limit per file, in seconds (> 0, at most 1,000,000).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = crate::ranges::seconds)]
    time_limit: f64,
    #[command(flatten)]
    report: ReportArgs,
}

/// Runs `servnet orlib cap`.
pub fn cap(a: CapArgs) -> Result<ExitCode, Error> {
    let problems = read_all(&a.files, |path| read_cap_file(path)?.to_problem(a.capacity))?;
    let report = Report::new("cfl")
        .time_limit_s(a.time_limit)
        .size_label("m×n");
    let (mut printer, optima) = a.report.start(report)?;
    let solver = CflSolver::new().time_limit_s(a.time_limit);
    for (path, p) in &problems {
        // Nobody reads the rows any more: stop (exit 141).
        if crate::out::closed() {
            return Ok(ExitCode::SUCCESS);
        }
        let sol = solver.solve(p)?;
        let published = optima.as_ref().and_then(|o| published_of(o, path)).copied();
        printer.row(&cap_row(path, p, &sol, published));
    }
    Ok(printer.finish())
}
