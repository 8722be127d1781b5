//! The national day: a generated day of requests over all of China, dispatched
//! by `Nearest`, `Optimal` (minute loads) and `Optimal` with two-hour slots;
//! every plan checked by `verify`, then one table of what each achieved and
//! what it cost, priced alike by `Optimal::objective`, and the peak memory.
//!
//! Run: `cargo run --release --example national_day [requests] [seed]`
//! (defaults: 100000, 7). Exits non-zero if any plan breaks a rule.

use servnet::generate::{Generator, Preset};
use servnet::{DispatchStrategy, Nearest, Optimal, Plan, verify};
use std::time::Instant;

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

    let strategies: [(&str, Box<dyn DispatchStrategy>); 3] = [
        ("nearest", Box::new(Nearest::new())),
        ("optimal", Box::new(Optimal::new())),
        (
            "optimal, 120-min slots",
            Box::new(Optimal::new().slots(120.0)),
        ),
    ];
    let price = Optimal::new();
    let mut rows = Vec::new();
    let mut broken = 0;
    for (label, strategy) in &strategies {
        let t = Instant::now();
        let plan = strategy.dispatch(&day)?;
        let seconds = t.elapsed().as_secs_f64();
        let violations = verify(&day, &plan);
        if !violations.is_empty() {
            eprintln!(
                "{label}: {} violations, first: {}",
                violations.len(),
                violations[0]
            );
            broken += violations.len();
        }
        let objective = price.objective(&day, &plan)?;
        rows.push(row(label, &day, &plan, objective, seconds));
    }

    println!();
    println!(
        "{:<24} {:>9} {:>10} {:>13} {:>13} {:>13} {:>13} {:>8} {:>8}",
        "strategy",
        "assigned",
        "unassigned",
        "travel km",
        "cost",
        "objective",
        "lower bound",
        "gap",
        "seconds"
    );
    for r in &rows {
        println!("{r}");
    }
    println!();
    println!(
        "objective: every plan priced by Optimal::new().objective; lower bound and gap: \
         each plan's own model (slots allow fewer plans, so theirs bounds only slotted plans)"
    );
    println!("independent check: {broken} violations");
    println!("peak memory (VmHWM): {}", peak_memory());
    if broken > 0 {
        return Err(format!("{broken} violations").into());
    }
    Ok(())
}

/// One line of the table.
fn row(label: &str, day: &servnet::Scenario, plan: &Plan, objective: f64, seconds: f64) -> String {
    let s = plan.summary(day);
    let unassigned: usize = s.unassigned.values().sum();
    let or_dash = |x: Option<String>| x.unwrap_or_else(|| "-".to_string());
    format!(
        "{label:<24} {:>9} {:>10} {:>13.0} {:>13.0} {:>13.0} {:>13} {:>8} {:>8.2}",
        s.assigned,
        unassigned,
        s.travel_km,
        s.cost,
        objective,
        or_dash(plan.lower_bound.map(|b| format!("{b:.0}"))),
        or_dash(plan.gap.map(|g| format!("{:.3}%", 100.0 * g))),
        seconds
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
