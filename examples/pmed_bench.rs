//! Solves OR-Library's p-median instances pmed1–pmed40 found in a directory
//! and prints, per instance, n, p, the cost found, the proven bound, the
//! published optimum (read from `optima.md` next to the directory), the gap
//! to it, the branch-and-bound nodes and the seconds; then the total.
//!
//! ```text
//! cargo run --release --example pmed_bench -- ../shared/benchmarks/orlib/pmed
//! ```

use servnet::io::orlib::{read_pmed_file, read_table_optima_file};
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
    println!(
        "{:<8} {:>5} {:>4} {:>8} {:>8} {:>9} {:>8} {:>7} {:>8} {:>8}",
        "file", "n", "p", "found", "bound", "published", "gap %", "nodes", "solve s", "total s"
    );
    let (mut total, mut solved, mut matched) = (0.0, 0, 0);
    for k in 1..=40 {
        let name = format!("pmed{k}");
        let path = dir.join(format!("{name}.txt"));
        if !path.exists() {
            continue;
        }
        let started = Instant::now();
        let inst = read_pmed_file(&path)?;
        let problem = inst.to_problem()?;
        let s = MedianSolver::p_median(inst.p).solve(&problem)?;
        let seconds = started.elapsed().as_secs_f64();
        total += seconds;
        solved += 1;
        let published = optima.get(&name).copied();
        if published == Some(s.cost) && s.bound == s.cost {
            matched += 1;
        }
        println!(
            "{:<8} {:>5} {:>4} {:>8} {:>8} {:>9} {:>8} {:>7} {:>8.3} {:>8.3}",
            name,
            inst.vertices,
            inst.p,
            s.cost,
            s.bound,
            published.map_or("-".into(), |v| v.to_string()),
            published.map_or("-".into(), |v| format!("{:.3}", 100.0 * (s.cost - v) / v)),
            s.nodes,
            s.seconds,
            seconds
        );
    }
    println!(
        "total: {solved} instance(s), {matched} proven at the published optimum, {total:.3} s (reading, shortest paths and solving)"
    );
    Ok(())
}
