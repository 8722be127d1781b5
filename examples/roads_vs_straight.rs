//! Straight line against road: China's 692 cities under the great-circle
//! model and over the shipped trunk roads, where the two differ most, and the
//! national day's km and service under each.
//!
//! Run: `cargo run --release --example roads_vs_straight [pairs-to-show] [seed]`
//! (defaults: 15, 7). Exits non-zero if a plan breaks a rule.

use geo::Point;
use servnet::generate::{Generator, Preset};
use servnet::io::china::{CHINA_TRUNK, Geography, china_trunk_travel};
use servnet::travel::{GreatCircle, RoadTravel, TravelSpec};
use servnet::{DispatchStrategy, Nearest, TravelModel, verify};
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let show: usize = args.next().map_or(Ok(15), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(7), |s| s.parse())?;

    let china = Geography::china()?;
    let t = Instant::now();
    let net = china.trunk_network()?;
    println!(
        "trunk network: {} nodes, {} edges, {} component(s), built in {:.1} ms",
        net.node_count(),
        net.edge_count(),
        net.component_count(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let road = RoadTravel::new(Arc::new(net)).access(GreatCircle::default())?;
    let points: Vec<Point<f64>> = china.cities.iter().map(|c| c.location).collect();
    let t = Instant::now();
    let matrix = road.many_to_many(&points, &points);
    println!(
        "{0} × {0} city matrix by road: {1:.1} ms (cold cache), {2} of {3} pairs reachable",
        points.len(),
        t.elapsed().as_secs_f64() * 1e3,
        matrix.reachable_count(),
        points.len() * points.len()
    );

    // Road km against the straight model's km (great circle × 1.3) for every pair.
    let straight = GreatCircle::default();
    let mut pairs: Vec<(f64, usize, usize, f64, f64, f64, f64)> = Vec::new();
    for i in 0..points.len() {
        for j in i + 1..points.len() {
            let (Some(r), s) = (matrix.get(i, j), straight.leg(points[i], points[j])) else {
                continue;
            };
            if s.km >= 50.0 {
                pairs.push((r.km / s.km, i, j, s.km, r.km, s.minutes, r.minutes));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let ratios: Vec<f64> = {
        let mut r: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        r.sort_by(f64::total_cmp);
        r
    };
    let q = |f: f64| ratios[((ratios.len() - 1) as f64 * f) as usize];
    println!(
        "road km / straight km over {} pairs ≥ 50 km apart: median {:.2}, p5 {:.2}, p95 {:.2}, max {:.2}",
        ratios.len(),
        q(0.5),
        q(0.05),
        q(0.95),
        q(1.0)
    );
    println!("\nwhere the road is longest against the straight line:");
    println!(
        "{:<46} {:>10} {:>9} {:>6} {:>10} {:>9}",
        "pair", "straight", "road km", "ratio", "straight h", "road h"
    );
    let name = |k: usize| format!("{} ({})", china.cities[k].name, china.cities[k].province);
    let row = |p: &(f64, usize, usize, f64, f64, f64, f64)| {
        println!(
            "{:<46} {:>10.0} {:>9.0} {:>6.2} {:>10.1} {:>9.1}",
            format!("{} – {}", name(p.1), name(p.2)),
            p.3,
            p.4,
            p.0,
            p.5 / 60.0,
            p.6 / 60.0
        )
    };
    pairs.iter().take(show).for_each(row);
    println!("\nwhere the road is shortest against the straight line:");
    pairs.iter().rev().take(show.min(5)).for_each(row);

    // The national day under each model, and the straight-line plan's km by road.
    let road = china_trunk_travel()?;
    println!("\nthe national day (100,000 requests, seed {seed}), Nearest:");
    println!(
        "{:<14} {:>9} {:>12} {:>18} {:>8}",
        "travel", "assigned", "model km", "same legs by road", "seconds"
    );
    for (label, travel) in [
        ("great circle", TravelSpec::default()),
        ("roads", TravelSpec::road(CHINA_TRUNK, Arc::clone(&road))),
    ] {
        let s = Generator::new(Preset::National)
            .requests(100_000)
            .seed(seed)
            .travel(travel)
            .build()?;
        let t = Instant::now();
        let plan = Nearest::new().dispatch(&s)?;
        let secs = t.elapsed().as_secs_f64();
        let violations = verify(&s, &plan);
        if !violations.is_empty() {
            return Err(format!("{label}: {} violations", violations.len()).into());
        }
        // Each route's legs — from the day's start through the visits and
        // back to the base — as the road network drives them.
        let by_road: f64 = plan
            .routes
            .iter()
            .map(|route| {
                let Some(tech) = s.technician(route.technician) else {
                    return f64::NAN;
                };
                let visits = route
                    .stops
                    .iter()
                    .map(|stop| s.request(stop.request).map(|r| r.location));
                let mut at = s.technician_start(tech);
                let mut km = 0.0;
                for to in visits.chain([Some(s.technician_base(tech))]) {
                    let Some(to) = to else {
                        return f64::NAN;
                    };
                    km += road.leg(at, to).km;
                    at = to;
                }
                km
            })
            .sum();
        let model_km = plan.travel_km();
        println!(
            "{label:<14} {:>9} {:>12.0} {:>18.0} {:>8.2}",
            plan.assignments.len(),
            model_km,
            by_road,
            secs
        );
    }
    Ok(())
}
