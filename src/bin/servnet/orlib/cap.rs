//! `servnet orlib cap`: solve OR-Library capacitated warehouse location
//! files and compare with the published optima.

use super::emit;
use clap::Args;
use servnet::io::orlib::{read_cap_file, read_table_optima_file};
use servnet::plan::cfl::{CflSolver, CflStatus};
use servnet::{Error, ErrorKind};
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
    #[arg(long, value_name = "N")]
    capacity: Option<f64>,
    /// Published optima: a Markdown table such as OR-Library's `optima.md`
    /// (`| cap61 | 16 × 50 | 932615.750 |`); adds the gap to the published value.
    #[arg(long, value_name = "FILE")]
    optima: Option<PathBuf>,
    /// Print one JSON object per file per line instead of a table.
    #[arg(long)]
    json: bool,
    /// Time limit per file, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    time_limit: f64,
    /// Exit 1, naming each one, unless every file with a published optimum
    /// is solved to it (within 0.001, the published rounding).
    #[arg(long, requires = "optima")]
    check: bool,
}

/// Runs `servnet orlib cap`.
pub fn cap(a: CapArgs) -> Result<ExitCode, Error> {
    if !(a.time_limit.is_finite() && a.time_limit > 0.0) {
        return Err(ErrorKind::Parameter {
            name: "time_limit",
            message: format!("{} is not a number of seconds > 0", a.time_limit),
        }
        .into());
    }
    let optima = a.optima.as_ref().map(read_table_optima_file).transpose()?;
    // Every file read and checked before anything is solved.
    let mut problems = Vec::new();
    for path in &a.files {
        let stem = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let name = path
            .file_name()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let p = read_cap_file(path)?.to_problem(a.capacity)?;
        problems.push((name, stem, p));
    }
    if !a.json {
        emit(&format!(
            "{:<12} {:>8} {:>16} {:>16} {:>8} {:>16} {:>8} {:>8}  status",
            "file", "m×n", "objective", "bound", "gap %", "published", "vs pub %", "seconds"
        ))?;
    }
    let solver = CflSolver::new().time_limit_s(a.time_limit);
    let (mut missed, mut matched, mut known, mut total_s) = (Vec::new(), 0, 0, 0.0);
    for (name, stem, p) in &problems {
        let sol = solver.solve(p)?;
        total_s += sol.seconds;
        let status = match &sol.status {
            CflStatus::Optimal => "optimal".to_string(),
            CflStatus::Feasible => "feasible".to_string(),
            CflStatus::Infeasible(why) => format!("infeasible: {why}"),
        };
        let published = optima.as_ref().and_then(|o| o.get(stem)).copied();
        let vs = published.map(|v| 100.0 * (sol.cost - v) / v.abs().max(1.0));
        if let Some(v) = published {
            known += 1;
            if (sol.cost - v).abs() <= 1e-3 + 1e-9 * v.abs() {
                matched += 1;
            } else {
                missed.push(format!("{name}: {} against {v}", sol.cost));
            }
        }
        if a.json {
            let line = serde_json::json!({
                "file": name,
                "facilities": p.facilities(),
                "customers": p.customers(),
                "objective": sol.cost,
                "bound": sol.lower_bound,
                "gap": sol.gap,
                "published": published,
                "seconds": sol.seconds,
                "status": status,
            });
            emit(&line.to_string())?;
        } else {
            emit(&format!(
                "{:<12} {:>8} {:>16.3} {:>16.3} {:>8.3} {:>16} {:>8} {:>8.3}  {status}",
                name,
                format!("{}×{}", p.facilities(), p.customers()),
                sol.cost,
                sol.lower_bound,
                100.0 * sol.gap,
                published.map_or("–".into(), |v| format!("{v:.3}")),
                vs.map_or("–".into(), |v| format!("{v:.3}")),
                sol.seconds
            ))?;
        }
    }
    eprintln!(
        "total: {} file(s), {matched} of {known} published optima matched, {total_s:.3} s",
        problems.len()
    );
    if a.check && !missed.is_empty() {
        for m in &missed {
            eprintln!("missed: {m}");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
