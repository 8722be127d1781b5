//! Routing speed on national days (seed 7) dispatched by `Nearest`, whose
//! plans are already routes.
//!
//! - `route_plan/national_nearest/{requests}`: [`route_plan`] re-ordering
//!   every technician's day of the plan (exact for short days, insertion and
//!   local search above, repair on), at 20,000 and 100,000 requests.
//! - `insert/one/{requests}`: one live insertion of an urgent request (a
//!   copy of one of the day's requests, window 11:00–15:00, at 10:00) into
//!   the plan's routes with an [`Inserter`] built once; the outcome is not
//!   applied, so every sample inserts into the same plan.
//! - `insert/one_with_index_build/{requests}`: the same through
//!   [`insert`], which builds the inserter's indexes each call.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use servnet::dispatch::{Inserter, insert, route_plan};
use servnet::generate::{Generator, Preset};
use servnet::route::RouteOptions;
use servnet::{DispatchStrategy, Nearest, Plan, RequestId, Scenario, TimeWindow, verify};
use std::hint::black_box;

/// The national day of `requests` and `Nearest`'s plan of it, checked.
fn day(requests: usize) -> (Scenario, Plan) {
    let day = Generator::new(Preset::National)
        .requests(requests)
        .seed(7)
        .build()
        .expect("generated day");
    let plan = Nearest::new().dispatch(&day).expect("plan");
    assert!(
        verify(&day, &plan).is_empty(),
        "nearest's plan keeps the rules"
    );
    (day, plan)
}

fn route(c: &mut Criterion) {
    let mut group = c.benchmark_group("route_plan");
    group.sample_size(10);
    for requests in [20_000, 100_000] {
        let (day, plan) = day(requests);
        let again = route_plan(&day, &plan, &RouteOptions::new()).expect("routed");
        assert!(
            verify(&day, &again).is_empty(),
            "re-ordered plan keeps the rules"
        );
        eprintln!(
            "route_plan/national_nearest/{requests}: {} routes, {:.0} km → {:.0} km",
            plan.routes.len(),
            plan.travel_km(),
            again.travel_km()
        );
        group.bench_with_input(
            BenchmarkId::new("national_nearest", requests),
            &(day, plan),
            |b, (day, plan)| {
                b.iter(|| black_box(route_plan(day, plan, &RouteOptions::new()).expect("routed")))
            },
        );
    }
    group.finish();
}

fn live(c: &mut Criterion) {
    let requests = 100_000;
    let (day, plan) = day(requests);
    let inserter = Inserter::new(&day, &plan).expect("inserter");
    let urgent: Vec<_> = (0..64)
        .map(|k| {
            let mut r = day.requests()[k * 1543 % day.requests().len()].clone();
            r.id = RequestId(10_000_000 + k as u32);
            r.received_min = 600;
            r.window = TimeWindow {
                start_min: 660,
                end_min: 900,
            };
            r
        })
        .collect();
    let mut group = c.benchmark_group("insert");
    let mut k = 0;
    group.sample_size(100);
    group.bench_function(BenchmarkId::new("one", requests), |b| {
        b.iter(|| {
            k = (k + 1) % urgent.len();
            black_box(
                inserter
                    .insert(&plan, &urgent[k], 600.0)
                    .expect("insertion"),
            )
        })
    });
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("one_with_index_build", requests), |b| {
        b.iter(|| {
            k = (k + 1) % urgent.len();
            black_box(insert(&day, &plan, &urgent[k], 600.0).expect("insertion"))
        })
    });
    group.finish();
}

criterion_group!(benches, route, live);
criterion_main!(benches);
