//! Solves OR-Library's capacitated warehouse location instances cap61–64 and
//! cap82 and prints, per file, the cost found, the lower bound, the published
//! optimum (read from `optima.md` next to the `cap` directory), the gap and
//! the seconds; then the cost and seconds of the drop heuristic.
//!
//! ```text
//! cargo run --release --example cap_bench -- ../shared/benchmarks/orlib/cap
//! ```

use servnet::io::orlib::read_cap_file;
use servnet::planning::cfl::{CflSolver, greedy_drop};
use std::path::{Path, PathBuf};

/// The published optimum of `name` in an `optima.md` table row `| name | m × n | value |`.
fn published(optima: &str, name: &str) -> Option<f64> {
    optima.lines().find_map(|line| {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        (cells.len() >= 4 && cells[1] == name)
            .then(|| cells[3].parse().ok())
            .flatten()
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: cap_bench DIR (the OR-Library cap directory)")?,
    );
    let optima = std::fs::read_to_string(dir.join("../optima.md")).unwrap_or_default();
    println!(
        "{:<8} {:>14} {:>14} {:>14} {:>9} {:>8} {:>14} {:>8}",
        "file", "found", "bound", "published", "gap", "seconds", "drop found", "drop s"
    );
    for name in ["cap61", "cap62", "cap63", "cap64", "cap82"] {
        let path: PathBuf = Path::new(&dir).join(format!("{name}.txt"));
        let p = read_cap_file(&path)?.to_problem(None)?;
        let s = CflSolver::new().solve(&p)?;
        let h = greedy_drop(&p)?;
        let best = published(&optima, name).map_or("-".to_string(), |v| format!("{v:.3}"));
        println!(
            "{:<8} {:>14.3} {:>14.3} {:>14} {:>9.2e} {:>8.3} {:>14.3} {:>8.3}",
            name, s.cost, s.lower_bound, best, s.gap, s.seconds, h.cost, h.seconds
        );
    }
    Ok(())
}
