//! `servnet orlib pmed`: solve OR-Library p-median files and compare with
//! the published optima.

use super::bench::{Report, ReportArgs, Row, check_time_limit, read_all};
use clap::Args;
use servnet::Error;
use servnet::io::orlib::read_pmed_file;
use servnet::planning::median::{MedianSolver, MedianStatus};
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
    check_time_limit(a.time_limit)?;
    let files = read_all(&a.files, |path| read_pmed_file(path))?;
    let mut report = Report::start(&a.report, 0, true)?;
    for input in &files {
        // Nobody reads the rows any more: stop (exit 141).
        if crate::out::closed() {
            break;
        }
        let inst = &input.data;
        // The shortest paths count towards the time, as they are part of the instance.
        let started = Instant::now();
        let problem = inst.to_problem()?;
        let solver = MedianSolver::p_median(inst.p).time_limit_s(a.time_limit);
        let sol = solver.solve(&problem)?;
        let status = match sol.status {
            MedianStatus::Optimal => "optimal",
            MedianStatus::Feasible => "feasible",
            MedianStatus::Infeasible => "infeasible: a vertex is not connected to any median",
            _ => "unknown",
        };
        report.row(Row {
            name: &input.name,
            stem: &input.stem,
            size: format!("{}/{}", inst.vertices, inst.p),
            objective: sol.cost,
            bound: sol.bound,
            gap: sol.gap,
            seconds: started.elapsed().as_secs_f64(),
            proven: sol.status == MedianStatus::Optimal,
            status: status.to_string(),
            extra: serde_json::json!({
                "vertices": inst.vertices,
                "p": inst.p,
                "nodes": sol.nodes,
                "solve_seconds": sol.seconds,
            }),
        })?;
    }
    Ok(report.finish())
}
