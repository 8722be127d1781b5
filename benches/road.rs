//! Benchmarks for `servnet::travel::road`.
//!
//! The network: China's shipped trunk roads
//! (`Geography::trunk_network`: 692 cities, the expressway lines, and
//! roads to each city's nearest cities and trunk cities). Target: the full
//! city × city `many_to_many` from a cold cache in ≤ 1 s on 2 cores.
//!
//! * `many_to_many_all_cities_cold`: a fresh `RoadTravel` each iteration, so
//!   every row is one Dijkstra (run in parallel by rayon).
//! * `leg_warm`: one `leg` between two cities whose source row is cached
//!   (two snaps and a lookup).
//! * `leg_cold`: the same leg on a fresh `RoadTravel` (one Dijkstra).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::Point;
use servnet::Geography;
use servnet::TravelModel;
use servnet::travel::road::{RoadNetwork, RoadTravel};

fn city_network() -> (Vec<Point<f64>>, Arc<RoadNetwork>) {
    let geo = Geography::china().expect("shipped cities");
    let points: Vec<Point<f64>> = geo.cities.iter().map(|c| c.location).collect();
    let net = geo.trunk_network().expect("shipped trunk roads");
    (points, Arc::new(net))
}

fn bench_road(c: &mut Criterion) {
    let (points, net) = city_network();
    let mut group = c.benchmark_group("road");
    group.sample_size(20);
    group.throughput(Throughput::Elements((points.len() * points.len()) as u64));
    group.bench_function("many_to_many_all_cities_cold", |b| {
        b.iter(|| {
            let travel = RoadTravel::new(Arc::clone(&net));
            black_box(travel.many_to_many(black_box(&points), black_box(&points)))
        })
    });
    group.throughput(Throughput::Elements(1));
    let (from, to) = (points[0], points[points.len() / 2]);
    let warm = RoadTravel::new(Arc::clone(&net));
    let _ = warm.leg(from, to);
    group.bench_function("leg_warm", |b| {
        b.iter(|| black_box(warm.leg(black_box(from), black_box(to))))
    });
    group.bench_function("leg_cold", |b| {
        b.iter(|| {
            let travel = RoadTravel::new(Arc::clone(&net));
            black_box(travel.leg(black_box(from), black_box(to)))
        })
    });
    group.finish();
    eprintln!(
        "network: {} cities, {} edges, {} component(s)",
        net.node_count(),
        net.edge_count(),
        net.component_count()
    );
}

criterion_group!(benches, bench_road);
criterion_main!(benches);
