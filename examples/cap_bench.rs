//! Solves OR-Library's capacitated warehouse location instances cap61–64 and
//! cap82 and prints the benchmark report of [`servnet::io::bench`] (as
//! `servnet orlib cap` does): per file, the cost found, the lower bound, the
//! published optimum (read from `optima.md` next to the `cap` directory), the
//! gaps and the seconds; then the same for the drop heuristic (rows
//! `… drop`), and the totals.
//!
//! ```text
//! cargo run --release --example cap_bench -- ../shared/benchmarks/orlib/cap
//! ```

use servnet::io::bench::{Report, published_of};
use servnet::io::orlib::{cap_row, read_cap_file, read_table_optima_file};
use servnet::planning::cfl::{CflSolver, greedy_drop};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: cap_bench DIR (the OR-Library cap directory)")?,
    );
    let optima = read_table_optima_file(dir.join("../optima.md")).unwrap_or_default();
    let mut report = Report::new("cfl, drop heuristic").size_label("m×n");
    println!("{}", report.header());
    for name in ["cap61", "cap62", "cap63", "cap64", "cap82"] {
        let path = dir.join(format!("{name}.txt"));
        let p = read_cap_file(&path)?.to_problem(None)?;
        let published = published_of(&optima, &path).copied();
        let exact = cap_row(&path, &p, &CflSolver::new().solve(&p)?, published);
        let mut drop = cap_row(&path, &p, &greedy_drop(&p)?, published);
        drop.name = format!("{name} drop");
        for row in [exact, drop] {
            report.add(&row);
            println!("{}", report.table_line(&row));
        }
    }
    println!("{}", report.totals());
    Ok(())
}
