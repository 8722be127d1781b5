//! Solves OR-Library's p-median instances pmed1–pmed40 found in a directory
//! to proven optimality and prints the benchmark report of
//! [`servnet::io::bench`] (as `servnet orlib pmed` does): per instance n/p,
//! the cost found, the proven bound, the published optimum (read from
//! `optima.md` next to the directory), the gap to it and the seconds
//! (reading, shortest paths and solving); then the totals.
//!
//! ```text
//! cargo run --release --example pmed_bench -- ../shared/benchmarks/orlib/pmed
//! ```

use servnet::io::bench::{Report, published_of};
use servnet::io::orlib::{pmed_row, read_pmed_file, read_table_optima_file};
use servnet::planning::median::MedianSolver;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: pmed_bench DIR (the OR-Library pmed directory)")?,
    );
    let optima = read_table_optima_file(dir.join("../optima.md")).unwrap_or_default();
    let mut report = Report::new("p-median")
        .size_label("n/p")
        .decimals(0)
        .want_proof(true);
    println!("{}", report.header());
    for k in 1..=40 {
        let path = dir.join(format!("pmed{k}.txt"));
        if !path.exists() {
            continue;
        }
        let started = Instant::now();
        let inst = read_pmed_file(&path)?;
        let problem = inst.to_problem()?;
        let s = MedianSolver::p_median(inst.p).solve(&problem)?;
        let seconds = started.elapsed().as_secs_f64();
        let row = pmed_row(
            &path,
            &inst,
            &s,
            seconds,
            published_of(&optima, &path).copied(),
        );
        report.add(&row);
        println!("{}", report.table_line(&row));
    }
    println!("{}", report.totals());
    Ok(())
}
