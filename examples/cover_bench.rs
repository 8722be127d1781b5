//! Set covering, maximal covering and p-center on random planar instances
//! of 650 points in a 3000 × 3000 km square (each point a customer and a
//! candidate site, arcs within 300 km): prints the benchmark report of
//! [`servnet::io::bench`], one row per instance and solver with the
//! objective, the bound, the gap, the seconds and the status, then the
//! totals. Max cover and p-center runs that stop on the time limit are
//! repeated with a target gap (0.1 % and 1 %) to show how soon a quotable
//! bound comes.
//!
//! ```text
//! cargo run --release --example cover_bench [-- SECONDS]
//! ```
//! `SECONDS` is each solve's time limit (default 30).

use servnet::io::bench::{Report, Row};
use servnet::io::orlib::Sense;
use servnet::planning::covering::{CoverSolution, MaxCover, PCenter, SetCover, Spread, planar};

/// Counts and prints the row of one solve.
fn row(report: &mut Report, name: String, number: usize, sense: Sense, s: &CoverSolution) {
    let mut row = Row::new(name, number, "650", sense);
    row.objective = Some(s.objective);
    row.bound = Some(s.bound);
    row.gap_percent = Some(100.0 * s.gap);
    row.proven = s.status.is_optimal();
    row.status = s.status.as_str().to_string();
    row.message = s.status.reason().map(str::to_string);
    row.seconds = s.seconds;
    row.extra.insert("nodes".into(), s.nodes.into());
    report.add(&row);
    println!("{}", report.table_line(&row));
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let limit: f64 = std::env::args().nth(1).map_or(Ok(30.0), |a| a.parse())?;
    let mut report = Report::new("cover")
        .time_limit_s(limit)
        .size_label("points")
        .decimals(1)
        .name_width(34);
    println!("{}", report.header());
    for (name, spread, seed) in [
        ("uniform-650", Spread::Uniform, 1),
        ("uniform-650b", Spread::Uniform, 2),
        ("clustered-650", Spread::Clustered, 3),
    ] {
        let p = planar(650, 3000.0, 300.0, spread, seed);
        let mut number = 0;
        let mut next = || {
            number += 1;
            number
        };
        for radius in [50.0, 100.0, 150.0, 200.0, 250.0, 300.0] {
            let s = SetCover::new(radius).time_limit_s(limit).solve(&p)?;
            let label = format!("{name} setcover r={radius}");
            row(&mut report, label, next(), Sense::Minimize, &s);
        }
        for (radius, k) in [(100.0, 100), (100.0, 200), (150.0, 100), (150.0, 300)] {
            let s = MaxCover::new(radius, k).time_limit_s(limit).solve(&p)?;
            let label = format!("{name} maxcover r={radius} p={k}");
            row(&mut report, label, next(), Sense::Maximize, &s);
            if s.gap > 1e-3 || !s.status.is_optimal() {
                let s = MaxCover::new(radius, k)
                    .target_gap(1e-3)
                    .time_limit_s(limit)
                    .solve(&p)?;
                let label = format!("{name}   same, gap ≤ 0.1%");
                row(&mut report, label, next(), Sense::Maximize, &s);
            }
        }
        for k in [50, 100, 200] {
            let s = PCenter::new(k).time_limit_s(limit).solve(&p)?;
            let label = format!("{name} pcenter p={k}");
            row(&mut report, label, next(), Sense::Minimize, &s);
            if !s.status.is_optimal() {
                let s = PCenter::new(k)
                    .target_gap(0.01)
                    .time_limit_s(limit)
                    .solve(&p)?;
                let label = format!("{name}   same, gap ≤ 1%");
                row(&mut report, label, next(), Sense::Minimize, &s);
            }
        }
    }
    println!("{}", report.totals());
    Ok(())
}
