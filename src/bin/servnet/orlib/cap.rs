//! `servnet orlib cap`: solve OR-Library capacitated warehouse location
//! files and compare with the published optima.

use super::bench::{Report, ReportArgs, Row, check_time_limit, read_all};
use clap::Args;
use servnet::Error;
use servnet::io::orlib::read_cap_file;
use servnet::planning::cfl::{CflSolver, CflStatus};
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
    check_time_limit(a.time_limit)?;
    let problems = read_all(&a.files, |path| read_cap_file(path)?.to_problem(a.capacity))?;
    let mut report = Report::start(&a.report, 3, false)?;
    let solver = CflSolver::new().time_limit_s(a.time_limit);
    for input in &problems {
        // Nobody reads the rows any more: stop (exit 141).
        if crate::out::closed() {
            break;
        }
        let p = &input.data;
        let sol = solver.solve(p)?;
        let status = match &sol.status {
            CflStatus::Optimal => "optimal".to_string(),
            CflStatus::Feasible => "feasible".to_string(),
            CflStatus::Infeasible(why) => format!("infeasible: {why}"),
        };
        report.row(Row {
            name: &input.name,
            stem: &input.stem,
            size: format!("{}×{}", p.facilities(), p.customers()),
            objective: sol.cost,
            bound: sol.lower_bound,
            gap: sol.gap,
            seconds: sol.seconds,
            proven: sol.status == CflStatus::Optimal,
            status,
            extra: serde_json::json!({
                "facilities": p.facilities(),
                "customers": p.customers(),
            }),
        })?;
    }
    Ok(report.finish())
}
