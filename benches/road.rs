//! Benchmarks for `servnet::travel::road`.
//!
//! The network: China's shipped cities, each joined to its 4 nearest cities
//! (by the R-tree) with a highway of 1.2 × the great-circle length — a
//! stand-in for the national trunk network. Target: the full city × city
//! `many_to_many` from a cold cache in ≤ 1 s on 2 cores.
//!
//! * `many_to_many_all_cities_cold`: a fresh `RoadTravel` each iteration, so
//!   every row is one Dijkstra (run in parallel by rayon).
//! * `leg_warm`: one `leg` between two cities whose source row is cached
//!   (two snaps and a lookup).
//! * `leg_cold`: the same leg on a fresh `RoadTravel` (one Dijkstra).

use std::collections::BTreeSet;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::Point;
use servnet::TravelModel;
use servnet::io::china::Geography;
use servnet::spatial::{GeoIndex, great_circle_km};
use servnet::travel::road::{RoadClass, RoadNetwork, RoadTravel};

const K: usize = 4;

fn city_network() -> (Vec<Point<f64>>, Arc<RoadNetwork>) {
    let geo = Geography::china().expect("shipped cities");
    let points: Vec<Point<f64>> = geo.cities.iter().map(|c| c.location).collect();
    let index: GeoIndex<u32> = points.iter().zip(0_u32..).map(|(&p, i)| (p, i)).collect();
    let mut pairs = BTreeSet::new();
    for (i, &p) in (0_u32..).zip(&points) {
        for (j, _) in index.k_nearest_where(p, K, f64::INFINITY, |&j| j != i) {
            pairs.insert((i.min(j), i.max(j)));
        }
    }
    let mut b = RoadNetwork::builder();
    for (i, &p) in points.iter().enumerate() {
        b.add_node(i as u64, p);
    }
    for &(i, j) in &pairs {
        let km = great_circle_km(points[i as usize], points[j as usize]) * 1.2;
        b.add_edge(u64::from(i), u64::from(j), km, RoadClass::Highway);
    }
    (points, Arc::new(b.build().expect("valid network")))
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
