//! The national day as routes: `Nearest`'s plan, in which every
//! technician's visits are already chained into one day, re-ordered by
//! `route_plan` (exact for short days, insertion and local search above),
//! both checked by `verify`; the km and cost before and after, and one live
//! insertion into the routes against re-planning the whole day with the
//! request added.
//!
//! Run: `cargo run --release --example route_day [requests] [seed]`
//! (defaults: 100000, 7). Exits non-zero if a plan breaks a rule.

use servnet::dispatch::{Inserter, Insertion, route_plan};
use servnet::generate::{Generator, Preset};
use servnet::route::RouteOptions;
use servnet::{
    DispatchStrategy, Nearest, Plan, RequestId, Scenario, TechnicianId, TimeWindow,
    UnassignedReason, verify,
};
use std::collections::HashMap;
use std::time::Instant;

/// Requests of `a` served by another technician than in `b`.
fn changed(a: &Plan, b: &Plan) -> usize {
    let before: HashMap<RequestId, TechnicianId> = b
        .assignments
        .iter()
        .map(|x| (x.request, x.technician))
        .collect();
    a.assignments
        .iter()
        .filter(|x| before.get(&x.request).is_some_and(|&t| t != x.technician))
        .count()
}

/// The plan's violations, counted; the first few printed under `label`.
fn check(label: &str, s: &Scenario, plan: &Plan) -> usize {
    let violations = verify(s, plan);
    for v in violations.iter().take(3) {
        eprintln!("{label}: {v}");
    }
    violations.len()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(7), |s| s.parse())?;
    let day = Generator::new(Preset::National)
        .requests(requests)
        .seed(seed)
        .build()?;
    let t = Instant::now();
    let plan = Nearest::new().dispatch(&day)?;
    let dispatch_s = t.elapsed().as_secs_f64();
    let before = plan.summary(&day);
    let mut broken = check("nearest", &day, &plan);
    println!(
        "national day: {} requests, {} technicians; nearest serves {} in {} routes ({dispatch_s:.2} s)",
        day.requests().len(),
        day.technicians().len(),
        before.assigned,
        plan.routes.len()
    );

    let t = Instant::now();
    let routed = route_plan(&day, &plan, &RouteOptions::new())?;
    let route_s = t.elapsed().as_secs_f64();
    let after = routed.summary(&day);
    broken += check("re-ordered", &day, &routed);
    let missed = routed
        .unassigned
        .iter()
        .filter(|u| u.reason == UnassignedReason::WindowMissed)
        .count();
    println!(
        "route_plan re-ordered {} days in {route_s:.2} s: {} visits served ({} moved onto another technician, {missed} window_missed)",
        routed.routes.len(),
        after.assigned,
        changed(&routed, &plan)
    );
    println!(
        "km      nearest's order {:>12.0}   re-ordered {:>12.0}   ({:+.1}%)",
        plan.travel_km(),
        routed.travel_km(),
        100.0 * (routed.travel_km() / plan.travel_km() - 1.0)
    );
    println!(
        "cost    nearest's order {:>12.0}   re-ordered {:>12.0}   ({:+.1}%)",
        before.cost,
        after.cost,
        100.0 * (after.cost / before.cost - 1.0)
    );

    // One urgent request at 10:00, near the day's first, open for four hours.
    let mut urgent = day.requests()[0].clone();
    urgent.id = RequestId(u32::MAX - 1);
    urgent.received_min = 600;
    urgent.window = TimeWindow {
        start_min: 600,
        end_min: 840,
    };
    urgent.priority = servnet::Priority::Urgent;
    let t = Instant::now();
    let inserter = Inserter::new(&day, &routed)?;
    let index_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let outcome = inserter.insert(&routed, &urgent, 600.0)?;
    let insert_s = t.elapsed().as_secs_f64();
    let mut live = routed.clone();
    outcome.apply(&mut live, &day);
    let mut data = day.data().clone();
    data.requests.push(urgent.clone());
    let with = Scenario::new(data)?;
    broken += check("live insertion", &with, &live);
    let live_cost = match &outcome {
        Insertion::Placed(p) => {
            println!(
                "live insertion: technician {} at position {}, extra cost {:.2} ({:+.2} km) in {:.3} ms (+{:.0} ms to index the plan once)",
                p.technician,
                p.position,
                p.extra_cost,
                p.extra_km,
                insert_s * 1e3,
                index_s * 1e3
            );
            p.extra_cost
        }
        Insertion::Unassigned(u) => {
            println!("live insertion: unassigned, {}", u.reason.as_str());
            f64::NAN
        }
        _ => f64::NAN,
    };
    let t = Instant::now();
    let replan = Nearest::new().dispatch(&with)?;
    let rerouted = route_plan(&with, &replan, &RouteOptions::new())?;
    let replan_s = t.elapsed().as_secs_f64();
    broken += check("re-plan", &with, &rerouted);
    let replan_cost = rerouted.summary(&with).cost - after.cost;
    println!(
        "re-planning the day with it (dispatch + route_plan): extra cost {replan_cost:.2} in {:.2} s, {} visits changed technician",
        replan_s,
        changed(&rerouted, &live)
    );
    println!("live vs re-plan: {live_cost:.2} vs {replan_cost:.2}");
    if broken > 0 {
        eprintln!("{broken} violations");
        std::process::exit(1);
    }
    Ok(())
}
