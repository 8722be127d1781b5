//! Benchmarks for `servnet::planning::coverage`: the national preset network
//! (692 cities, 780 outlets), a 50 km promise and a 60 minute one, under
//! great-circle travel and China's shipped trunk roads.
//!
//! * `great_circle/*`: the whole report.
//! * `roads_warm/*`: the whole report, the road rows already cached (as
//!   after a first run in a session).
//! * `roads_cold/km50`: a fresh `RoadTravel` each iteration, so each
//!   candidate outlet's row is one Dijkstra.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use servnet::generate::{Generator, Preset};
use servnet::io::china::{CHINA_TRUNK, Geography, china_trunk_travel};
use servnet::planning::coverage::{CoverageOptions, Promise, coverage, coverage_of};
use servnet::travel::{RoadTravel, TravelSpec};

fn bench_coverage(c: &mut Criterion) {
    let options = [
        ("km50", CoverageOptions::new(Promise::km(50.0))),
        ("min60", CoverageOptions::new(Promise::minutes(60.0))),
    ];
    let mut group = c.benchmark_group("coverage");
    group.sample_size(20);
    let roads = TravelSpec::road(CHINA_TRUNK, china_trunk_travel().expect("trunk roads"));
    for (name, travel) in [
        ("great_circle", TravelSpec::default()),
        ("roads_warm", roads),
    ] {
        let s = Generator::new(Preset::National)
            .requests(10)
            .travel(travel)
            .build()
            .expect("national preset");
        for (o, opts) in &options {
            let report = coverage(&s, opts).expect("coverage");
            eprintln!(
                "{name}/{o}: {} of {} cities covered, {:.1}% of people",
                report.total.covered_cities.any,
                report.total.cities,
                100.0 * report.total.covered_share.any
            );
            group.bench_function(format!("{name}/{o}"), |b| {
                b.iter(|| black_box(coverage(black_box(&s), opts).expect("coverage")))
            });
        }
    }
    let s = Generator::new(Preset::National)
        .requests(10)
        .build()
        .expect("national preset");
    let net = Arc::new(Geography::china().unwrap().trunk_network().unwrap());
    group.bench_function("roads_cold/km50", |b| {
        b.iter(|| {
            let travel = TravelSpec::road(CHINA_TRUNK, Arc::new(RoadTravel::new(Arc::clone(&net))));
            black_box(
                coverage_of(s.cities(), s.regions(), s.outlets(), &travel, &options[0].1)
                    .expect("coverage"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_coverage);
criterion_main!(benches);
