//! Covering solvers on random planar instances of 650 points in a
//! 3000 × 3000 km square (each point a customer and a candidate site, arcs
//! within 300 km; seed 1), the scale of China's cities.
//!
//! - `cover/set_cover/{radius}`: [`SetCover`] to the proven optimum at 50,
//!   100 and 200 km (checked optimal before timing).
//! - `cover/max_cover/r100/100`: [`MaxCover`] at 100 km with p = 100, to
//!   the proven optimum (checked before timing).
//! - `cover/max_cover/r100_gap1e-3/200`: the same with p = 200 to a gap of
//!   0.1 % (p = 200 is not proven optimal within seconds; checked before timing).
//! - `cover/p_center/{p}`: [`PCenter`] with p = 100 and 200, to the proven
//!   optimal radius (checked before timing).
//!
//! Slow ones run 10 samples of one solve each.

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use servnet::assign::Status;
use servnet::planning::covering::{MaxCover, PCenter, SetCover, Spread, planar};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let p = planar(650, 3000.0, 300.0, Spread::Uniform, 1);
    let mut group = c.benchmark_group("cover");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for radius in [50.0, 100.0, 200.0] {
        let solver = SetCover::new(radius);
        let s = solver.solve(&p).expect("solves");
        assert_eq!(s.status, Status::Optimal, "set cover at {radius}");
        group.bench_with_input(BenchmarkId::new("set_cover", radius), &p, |b, p| {
            b.iter(|| solver.solve(black_box(p)).expect("solves"))
        });
    }
    for (k, gap, name) in [
        (100, 0.0, "max_cover/r100"),
        (200, 1e-3, "max_cover/r100_gap1e-3"),
    ] {
        let solver = MaxCover::new(100.0, k).target_gap(gap).time_limit_s(60.0);
        let s = solver.solve(&p).expect("solves");
        assert!(s.gap <= gap, "max cover p = {k}: {s:?}");
        group.bench_with_input(BenchmarkId::new(name, k), &p, |b, p| {
            b.iter(|| solver.solve(black_box(p)).expect("solves"))
        });
    }
    for k in [100, 200] {
        let solver = PCenter::new(k);
        let s = solver.solve(&p).expect("solves");
        assert_eq!(s.status, Status::Optimal, "p-center p = {k}");
        group.bench_with_input(BenchmarkId::new("p_center", k), &p, |b, p| {
            b.iter(|| solver.solve(black_box(p)).expect("solves"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
