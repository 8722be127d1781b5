//! The national day routed: `Nearest`'s plan with each technician's visits
//! chained into one day, checked by `verify` and `verify_routes`; the share
//! of visits on time, km before and after routing, and one live insertion
//! against re-planning the whole day with the request added.
//!
//! Run: `cargo run --release --example route_day [requests] [seed]`
//! (defaults: 100000, 7). Exits non-zero if a plan or a route breaks a rule.

use servnet::dispatch::{Inserter, Insertion, route_plan, verify_routes};
use servnet::generate::{Generator, Preset};
use servnet::route::RouteOptions;
use servnet::{DispatchStrategy, Nearest, RequestId, Scenario, TimeWindow, verify};
use std::collections::HashMap;
use std::time::Instant;

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
    let t = Instant::now();
    let routed = route_plan(&day, &plan, &RouteOptions::new())?;
    let route_s = t.elapsed().as_secs_f64();
    let after = routed.plan.summary(&day);
    let mut broken = verify(&day, &routed.plan).len() + verify_routes(&day, &routed).len();
    let on_time = routed.plan.assignments.len();
    let assigned = plan.assignments.len();
    let missed = routed
        .plan
        .unassigned
        .iter()
        .filter(|u| u.reason == servnet::UnassignedReason::WindowMissed)
        .count();
    let tech_of = |p: &servnet::Plan| -> HashMap<RequestId, servnet::TechnicianId> {
        p.assignments
            .iter()
            .map(|a| (a.request, a.technician))
            .collect()
    };
    let changed = |a: &servnet::Plan, b: &servnet::Plan| {
        let before = tech_of(b);
        a.assignments
            .iter()
            .filter(|x| before.get(&x.request).is_some_and(|&t| t != x.technician))
            .count()
    };
    let moved = changed(&routed.plan, &plan);
    println!(
        "national day: {} requests, {} technicians, {} assigned by nearest ({dispatch_s:.2} s)",
        day.requests().len(),
        day.technicians().len(),
        assigned
    );
    println!(
        "routed {} days in {route_s:.2} s: {:.2}% of visits on time ({on_time} of {assigned}); {moved} repaired onto another technician, {missed} window_missed",
        routed.routes.len(),
        100.0 * on_time as f64 / assigned.max(1) as f64
    );
    println!(
        "km      round trips {:>12.0}   routed {:>12.0}   ({:+.1}%)",
        before.travel_km,
        after.travel_km,
        100.0 * (after.travel_km / before.travel_km - 1.0)
    );
    println!(
        "cost    round trips {:>12.0}   routed {:>12.0}   ({:+.1}%)",
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
    broken += verify(&with, &live.plan).len() + verify_routes(&with, &live).len();
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
    broken += verify(&with, &rerouted.plan).len() + verify_routes(&with, &rerouted).len();
    let replan_cost = rerouted.plan.summary(&with).cost - after.cost;
    println!(
        "re-planning the day with it (dispatch + route): extra cost {replan_cost:.2} in {:.2} s, {} visits changed technician",
        replan_s,
        changed(&rerouted.plan, &live.plan)
    );
    println!("live vs re-plan: {live_cost:.2} vs {replan_cost:.2}");
    if broken > 0 {
        eprintln!("{broken} violations");
        std::process::exit(1);
    }
    Ok(())
}
