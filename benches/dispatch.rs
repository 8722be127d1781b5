//! Dispatch speed: `Nearest` on generated days from one province to the national 100,000-request day.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use servnet::generate::{Generator, Preset};
use servnet::{DispatchStrategy, Nearest};
use std::hint::black_box;

fn nearest(c: &mut Criterion) {
    let mut group = c.benchmark_group("nearest");
    group.sample_size(10);
    for (preset, requests) in [
        (Preset::province("Zhejiang"), 10_000),
        (Preset::National, 100_000),
    ] {
        let name = match &preset {
            Preset::National => "national".to_string(),
            Preset::Province(p) => p.to_lowercase(),
        };
        let scenario = Generator::new(preset)
            .requests(requests)
            .seed(7)
            .build()
            .expect("generated day");
        group.throughput(Throughput::Elements(requests as u64));
        group.bench_with_input(BenchmarkId::new(name, requests), &scenario, |b, s| {
            b.iter(|| black_box(Nearest::new().dispatch(s).expect("plan")))
        });
    }
    group.finish();
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

criterion_group!(benches, nearest, generate);
criterion_main!(benches);
