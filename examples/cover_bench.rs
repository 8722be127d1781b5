//! Set covering, maximal covering and p-center on random planar instances
//! of 650 points in a 3000 × 3000 km square (each point a customer and a
//! candidate site, arcs within 300 km): prints, per instance and solver, the
//! objective, the bound, the gap, the nodes and the seconds. Max cover and
//! p-center runs that stop on the time limit are repeated with a target gap
//! (0.1 % and 1 %) to show how soon a quotable bound comes.
//!
//! ```text
//! cargo run --release --example cover_bench [-- SECONDS]
//! ```
//! `SECONDS` is each solve's time limit (default 30).

use servnet::planning::covering::{
    CoverSolution, CoverStatus, MaxCover, PCenter, SetCover, Spread, planar,
};

fn row(instance: &str, solver: &str, s: &CoverSolution) {
    println!(
        "{:<14} {:<22} {:>12.1} {:>12.1} {:>9.2e} {:>8} {:>8.3} {:?}",
        instance, solver, s.objective, s.bound, s.gap, s.nodes, s.seconds, s.status
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let limit: f64 = std::env::args().nth(1).map_or(Ok(30.0), |a| a.parse())?;
    println!(
        "{:<14} {:<22} {:>12} {:>12} {:>9} {:>8} {:>8} status",
        "instance", "solver", "objective", "bound", "gap", "nodes", "seconds"
    );
    for (name, spread, seed) in [
        ("uniform-650", Spread::Uniform, 1),
        ("uniform-650b", Spread::Uniform, 2),
        ("clustered-650", Spread::Clustered, 3),
    ] {
        let p = planar(650, 3000.0, 300.0, spread, seed);
        for radius in [50.0, 100.0, 150.0, 200.0, 250.0, 300.0] {
            let s = SetCover::new(radius).time_limit_s(limit).solve(&p)?;
            row(name, &format!("setcover r={radius}"), &s);
        }
        for (radius, k) in [(100.0, 100), (100.0, 200), (150.0, 100), (150.0, 300)] {
            let s = MaxCover::new(radius, k).time_limit_s(limit).solve(&p)?;
            row(name, &format!("maxcover r={radius} p={k}"), &s);
            if s.gap > 1e-3 || s.status != CoverStatus::Optimal {
                let s = MaxCover::new(radius, k)
                    .target_gap(1e-3)
                    .time_limit_s(limit)
                    .solve(&p)?;
                row(name, "  same, gap ≤ 0.1%", &s);
            }
        }
        for k in [50, 100, 200] {
            let s = PCenter::new(k).time_limit_s(limit).solve(&p)?;
            row(name, &format!("pcenter p={k}"), &s);
            if s.status != CoverStatus::Optimal {
                let s = PCenter::new(k)
                    .target_gap(0.01)
                    .time_limit_s(limit)
                    .solve(&p)?;
                row(name, "  same, gap ≤ 1%", &s);
            }
        }
    }
    Ok(())
}
