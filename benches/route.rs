//! Routing speed: every technician's day of the national 100,000-request
//! `Nearest` plan, and one live insertion into that routed plan.

use criterion::{Criterion, criterion_group, criterion_main};
use servnet::dispatch::{Inserter, route_plan};
use servnet::generate::{Generator, Preset};
use servnet::route::RouteOptions;
use servnet::{DispatchStrategy, Nearest, RequestId, TimeWindow};
use std::hint::black_box;

fn national(c: &mut Criterion) {
    let day = Generator::new(Preset::National)
        .requests(100_000)
        .seed(7)
        .build()
        .expect("generated day");
    let plan = Nearest::new().dispatch(&day).expect("plan");
    let mut group = c.benchmark_group("route");
    group.sample_size(10);
    group.bench_function("national_100k_route_plan", |b| {
        b.iter(|| black_box(route_plan(&day, &plan, &RouteOptions::new()).expect("routed")))
    });
    let routed = route_plan(&day, &plan, &RouteOptions::new()).expect("routed");
    let inserter = Inserter::new(&day, &routed).expect("inserter");
    let urgent: Vec<_> = (0..64)
        .map(|k| {
            let mut r = day.requests()[k * 1543 % day.requests().len()].clone();
            r.id = RequestId(10_000_000 + k as u32);
            r.window = TimeWindow {
                start_min: 660,
                end_min: 900,
            };
            r
        })
        .collect();
    let mut k = 0;
    group.sample_size(100);
    group.bench_function("national_100k_insert_one", |b| {
        b.iter(|| {
            k = (k + 1) % urgent.len();
            black_box(
                inserter
                    .insert(&routed, &urgent[k], 600.0)
                    .expect("insertion"),
            )
        })
    });
    group.sample_size(10);
    group.bench_function("national_100k_insert_one_with_index_build", |b| {
        b.iter(|| {
            k = (k + 1) % urgent.len();
            black_box(
                servnet::dispatch::insert(&day, &routed, &urgent[k], 600.0).expect("insertion"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
