//! `servnet orlib pmed`: solve OR-Library p-median files and compare with
//! the published optima.

use super::bench::{ReportArgs, read_all};
use clap::Args;
use servnet::Error;
use servnet::io::bench::{Report, published_of};
use servnet::io::orlib::{pmed_row, read_pmed_file};
use servnet::planning::median::MedianSolver;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The arguments of `servnet orlib pmed`.
#[derive(Args)]
pub struct PmedArgs {
    /// OR-Library p-median files (pmed1.txt … pmed40.txt).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Time limit per file, in seconds (a safety stop: the search is
    /// deterministic; > 0, at most 1,000,000).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = crate::ranges::seconds)]
    time_limit: f64,
    #[command(flatten)]
    report: ReportArgs,
}

/// Runs `servnet orlib pmed`.
pub fn pmed(a: PmedArgs) -> Result<ExitCode, Error> {
    let files = read_all(&a.files, |path| read_pmed_file(path))?;
    let report = Report::new("p-median")
        .time_limit_s(a.time_limit)
        .size_label("n/p")
        .decimals(0)
        .want_proof(true);
    let (mut printer, optima) = a.report.start(report)?;
    for (path, inst) in &files {
        // Nobody reads the rows any more: stop (exit 141).
        if crate::out::closed() {
            return Ok(ExitCode::SUCCESS);
        }
        // The shortest paths count towards the time, as they are part of the instance.
        let started = Instant::now();
        let problem = inst.to_problem()?;
        let solver = MedianSolver::p_median(inst.p).time_limit_s(a.time_limit);
        let sol = solver.solve(&problem)?;
        let seconds = started.elapsed().as_secs_f64();
        let published = optima.as_ref().and_then(|o| published_of(o, path)).copied();
        printer.row(&pmed_row(path, inst, &sol, seconds, published));
    }
    Ok(printer.finish())
}
