//! The own-or-contract planner on the national preset: 692 cities, the
//! generator's contracted outlets and dealers, 5,000,000 visits a year.
//!
//! - `planner/national_{50,100}km`: a plan proven optimal (checked before
//!   timing), from building the location problem to the assembled plan.
//! - `planner/national_50km_roads`: the same over China's trunk roads.

use criterion::{Criterion, criterion_group, criterion_main};
use servnet::assign::Status;
use servnet::generate::{Generator, Preset};
use servnet::io::china::{CHINA_TRUNK, china_trunk_travel};
use servnet::planning::planner::NetworkPlanner;
use servnet::travel::TravelSpec;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("planner");
    group.sample_size(10);
    let roads = TravelSpec::road(
        CHINA_TRUNK,
        china_trunk_travel().expect("shipped roads load"),
    );
    for (name, travel, km) in [
        ("national_50km", TravelSpec::default(), 50.0),
        ("national_100km", TravelSpec::default(), 100.0),
        ("national_50km_roads", roads, 50.0),
    ] {
        let generator = Generator::new(Preset::National).requests(0).travel(travel);
        let scenario = generator.build().expect("generates");
        let forecast = generator.forecast(5_000_000.0).expect("forecasts");
        let planner = NetworkPlanner::new(scenario.cities(), scenario.outlets(), scenario.travel())
            .promise_km(km);
        let plan = planner.plan(&forecast).expect("plans");
        assert_eq!(plan.status, Status::Optimal, "{name}");
        group.bench_function(name, |b| {
            b.iter(|| planner.plan(black_box(&forecast)).expect("plans"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
