//! Dispatch speed: each strategy's `dispatch` — which returns every
//! technician's day as a route — on generated days of growing size (seed 7).
//!
//! - `nearest/{day}/{requests}`, `region_nearest/…`, `regret/…`: the
//!   strategies at their defaults on Zhejiang days of 2,000 and 10,000
//!   requests and on the national day of 100,000.
//! - `optimal_work20000/{day}/{requests}`: [`Optimal`] with a fixed
//!   `work_limit(20_000)` — construction, 20,000 ruin-and-recreate steps over
//!   the whole day, then the lower bound — on the same Zhejiang days. A run
//!   that ends on the work limit does the same work on every machine.
//! - `optimal_default/{day}/{requests}`: [`Optimal::new`] (200 steps per
//!   request, 60 s time limit) on Hainan days of 500 and 1,000 requests.
//! - `generate/national_100k`: generating the national day itself.
//!
//! Every plan is dispatched once and checked by [`verify`] before it is
//! timed, and the time of that run is printed: an `optimal_default` run
//! that came near its time limit measures the limit, not the search.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use servnet::generate::{Generator, Preset};
use servnet::{DispatchStrategy, Nearest, Optimal, RegionNearest, Regret, Scenario, verify};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A generated day and its name in benchmark ids.
fn day(preset: Preset, requests: usize) -> (String, Scenario) {
    let name = match &preset {
        Preset::National => "national".to_string(),
        Preset::Province(p) => p.to_lowercase(),
    };
    let scenario = Generator::new(preset)
        .requests(requests)
        .seed(7)
        .build()
        .expect("generated day");
    (name, scenario)
}

/// Dispatches once, checks the plan and prints what it served and how long it took.
fn checked(id: &str, strategy: &dyn DispatchStrategy, s: &Scenario) {
    let t = Instant::now();
    let plan = strategy.dispatch(s).expect("plan");
    let seconds = t.elapsed().as_secs_f64();
    let violations = verify(s, &plan);
    assert!(
        violations.is_empty(),
        "{id}: {} violations, first: {}",
        violations.len(),
        violations[0]
    );
    eprintln!(
        "{id}: {} of {} served in {} routes, {seconds:.2} s{}",
        plan.assignments.len(),
        s.requests().len(),
        plan.routes.len(),
        plan.gap
            .map_or(String::new(), |g| format!(", gap {:.2} %", 100.0 * g))
    );
}

/// Benchmarks `strategy` as group `group` on every day.
fn sweep(
    c: &mut Criterion,
    group: &str,
    strategy: &dyn DispatchStrategy,
    days: &[(String, Scenario)],
) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10).warm_up_time(Duration::from_secs(1));
    for (name, s) in days {
        let requests = s.requests().len();
        checked(&format!("{group}/{name}/{requests}"), strategy, s);
        g.throughput(Throughput::Elements(requests as u64));
        g.bench_with_input(BenchmarkId::new(name, requests), s, |b, s| {
            b.iter(|| black_box(strategy.dispatch(s).expect("plan")))
        });
    }
    g.finish();
}

fn greedy(c: &mut Criterion) {
    let days = [
        day(Preset::province("Zhejiang"), 2_000),
        day(Preset::province("Zhejiang"), 10_000),
        day(Preset::National, 100_000),
    ];
    sweep(c, "nearest", &Nearest::new(), &days);
    sweep(c, "region_nearest", &RegionNearest::new(), &days);
    sweep(c, "regret", &Regret::new(), &days);
}

fn optimal(c: &mut Criterion) {
    let days = [
        day(Preset::province("Zhejiang"), 2_000),
        day(Preset::province("Zhejiang"), 10_000),
    ];
    sweep(
        c,
        "optimal_work20000",
        &Optimal::new().work_limit(20_000),
        &days,
    );
    let days = [
        day(Preset::province("Hainan"), 500),
        day(Preset::province("Hainan"), 1_000),
    ];
    sweep(c, "optimal_default", &Optimal::new(), &days);
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.bench_function("national_100k", |b| {
        b.iter(|| {
            black_box(
                Generator::new(Preset::National)
                    .requests(100_000)
                    .seed(7)
                    .build()
                    .expect("generated day"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, greedy, optimal, generate);
criterion_main!(benches);
