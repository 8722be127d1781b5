//! The national day: a generated day of requests over all of China,
//! dispatched as routes by `Nearest`, `RegionNearest`, `Regret` and
//! `Optimal`; every plan checked by `verify` (routes, windows, shifts,
//! skills, capacities, policy), then one table of what each achieved and
//! what it cost, priced alike by `Optimal::objective`, against the lower
//! bound `Optimal` proves for every plan that keeps the rules; and the peak
//! memory.
//!
//! Run: `cargo run --release --example national_day [requests] [seed]`
//! (defaults: 100000, 7). Exits non-zero if any plan breaks a rule.

use servnet::generate::{Generator, Preset};
use servnet::{DispatchStrategy, Nearest, Optimal, Plan, RegionNearest, Regret, Scenario, verify};
use std::time::Instant;

/// What one strategy's plan achieved.
struct Row {
    label: &'static str,
    plan: Plan,
    objective: f64,
    seconds: f64,
    violations: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(7), |s| s.parse())?;

    let t = Instant::now();
    let day = Generator::new(Preset::National)
        .requests(requests)
        .seed(seed)
        .build()?;
    println!(
        "national day: {} outlets, {} technicians, {} requests (seed {seed}), generated in {:.2} s",
        day.outlets().len(),
        day.technicians().len(),
        day.requests().len(),
        t.elapsed().as_secs_f64()
    );

    let strategies: [(&str, Box<dyn DispatchStrategy>); 4] = [
        ("nearest", Box::new(Nearest::new())),
        ("region_nearest", Box::new(RegionNearest::new())),
        ("regret", Box::new(Regret::new())),
        ("optimal", Box::new(Optimal::new())),
    ];
    let price = Optimal::new();
    let mut rows = Vec::new();
    for (label, strategy) in strategies {
        let t = Instant::now();
        let plan = strategy.dispatch(&day)?;
        let seconds = t.elapsed().as_secs_f64();
        let violations = verify(&day, &plan);
        if let Some(first) = violations.first() {
            eprintln!("{label}: {} violations, first: {first}", violations.len());
        }
        let objective = price.objective(&day, &plan)?;
        println!("{label:<16} dispatched in {seconds:.2} s");
        rows.push(Row {
            label,
            plan,
            objective,
            seconds,
            violations: violations.len(),
        });
    }

    // Optimal's bound holds for every plan that keeps the rules, so every
    // row is measured against it.
    let optimal = &rows[rows.len() - 1].plan;
    let bound = optimal.lower_bound.unwrap_or(f64::NEG_INFINITY);
    if let Some(own) = optimal.objective {
        let priced = rows[rows.len() - 1].objective;
        if (own - priced).abs() > 1e-6 * own.abs().max(1.0) {
            eprintln!("optimal: reports objective {own:.1}, priced again at {priced:.1}");
        }
    }

    println!();
    println!(
        "{:<16} {:>15} {:>10} {:>11} {:>11} {:>7} {:>11} {:>11} {:>8} {:>8} {:>10}",
        "strategy",
        "served on time",
        "open",
        "travel km",
        "cost",
        "cost/vis",
        "objective",
        "bound",
        "gap",
        "seconds",
        "violations"
    );
    for r in &rows {
        println!("{}", line(r, &day, bound));
    }
    let broken: usize = rows.iter().map(|r| r.violations).sum();
    println!();
    println!(
        "objective: every plan priced by Optimal::new().objective (fees, surcharges, \
         response after the window opens, the penalty of each servable request left open); \
         bound: Optimal's lower bound on every plan that keeps the rules; \
         gap: (objective − bound) / objective"
    );
    println!("independent check (verify): {broken} violations");
    println!("peak memory (VmHWM): {}", peak_memory());
    if broken > 0 {
        return Err(format!("{broken} violations").into());
    }
    Ok(())
}

/// One line of the table.
fn line(r: &Row, day: &Scenario, bound: f64) -> String {
    let s = r.plan.summary(day);
    let open: usize = s.unassigned.values().sum();
    let served = format!(
        "{} ({:.1}%)",
        s.assigned,
        100.0 * s.assigned as f64 / s.requests.max(1) as f64
    );
    let per_visit = s.cost / s.assigned.max(1) as f64;
    let gap = (r.objective - bound) / r.objective.abs().max(1.0);
    format!(
        "{:<16} {served:>15} {open:>10} {:>11.0} {:>11.0} {per_visit:>7.1} {:>11.0} {bound:>11.0} {:>7.2}% {:>8.2} {:>10}",
        r.label,
        r.plan.travel_km(),
        s.cost,
        r.objective,
        100.0 * gap,
        r.seconds,
        r.violations
    )
}

/// The process's peak resident memory, from `/proc/self/status` (Linux), or `n/a`.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} MiB", kb / 1024.0))
        })
        .unwrap_or_else(|| "n/a".to_string())
}
