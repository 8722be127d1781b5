//! Compares the dispatch strategies over days of the same calls: a generated
//! network, a week of demand, and `Nearest`, `RegionNearest`, `Regret` and
//! `Optimal` dispatching it in rounds; prints the side-by-side KPIs.
//!
//! Run: `cargo run --release --example compare_strategies [preset] [days] [calls-per-day] [seed]`
//! (defaults: `province:Guangdong`, 7, 5000, 7; `national` for all of China).
//! Exits non-zero if any round's plan breaks a rule.

use servnet::generate::Preset;
use servnet::sim::Simulation;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let preset = Preset::parse(&args.next().unwrap_or("province:Guangdong".into()))?;
    let days: u32 = args.next().map_or(Ok(7), |s| s.parse())?;
    let per_day: usize = args.next().map_or(Ok(5000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(7), |s| s.parse())?;
    let techs: Option<usize> = args.next().map(|s| s.parse()).transpose()?;

    let t = Instant::now();
    let mut sim = Simulation::new(preset)
        .days(days)
        .requests_per_day(per_day)
        .seed(seed);
    if let Some(n) = techs {
        sim = sim.technicians(n);
    }
    let report = sim.run()?;
    print!("{}", report.table());
    println!();
    for (k, s) in report.strategies.iter().zip(&report.dispatch_seconds) {
        println!(
            "{:<16} {} rounds, {s:.1} s in dispatch; open at the end: {:?}",
            k.strategy, k.rounds, k.unassigned_by_reason
        );
    }
    println!("whole run {:.1} s", t.elapsed().as_secs_f64());
    let broken: usize = report.strategies.iter().map(|k| k.violations).sum();
    if broken > 0 {
        return Err(format!("{broken} rule violations in the rounds' plans").into());
    }
    Ok(())
}
