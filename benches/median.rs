//! p-median and uncapacitated facility location on seeded random instances.
//!
//! - `median/pmed/{n}/{p}`: [`MedianSolver::p_median`] to the proven optimum
//!   on `n` random points in a square (every point a facility and a customer,
//!   integer Euclidean distances).
//! - `median/ufl/{n}`: [`MedianSolver::ufl`] to a proven 1% gap on `n` cities
//!   and `n` candidate sites, each city allowed to the sites within reach (a
//!   few to ~50), demand-weighted costs, fixed costs to open, and one
//!   always-open contract site reaching most cities at a dearer rate — the
//!   shape of the national planning problem.
//!
//! Each instance is solved once before timing, and its status, gap, nodes
//! and seconds printed to stderr.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::planning::median::{MedianProblem, MedianSolver};
use std::hint::black_box;

fn points(rng: &mut ChaCha8Rng, n: usize, side: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|_| (rng.random_range(0.0..side), rng.random_range(0.0..side)))
        .collect()
}

fn pmed_instance(seed: u64, n: usize) -> MedianProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pts = points(&mut rng, n, 1000.0);
    let d: Vec<Vec<Option<f64>>> = pts
        .iter()
        .map(|a| {
            pts.iter()
                .map(|b| Some((a.0 - b.0).hypot(a.1 - b.1).round()))
                .collect()
        })
        .collect();
    MedianProblem::from_matrix(&d).expect("valid")
}

/// `n` cities and sites in a 3000 km square; the last site is the contract outlet.
fn ufl_instance(seed: u64, n: usize) -> MedianProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sites = points(&mut rng, n, 3000.0);
    let cities = points(&mut rng, n, 3000.0);
    let contract = n;
    let mut b = MedianProblem::builder(n + 1)
        .always_open(contract)
        .fixed_cost(contract, 5000.0);
    for i in 0..n {
        b = b.fixed_cost(i, rng.random_range(2000.0..8000.0_f64).round());
    }
    for c in &cities {
        let demand = rng.random_range(1.0..60.0_f64).round();
        let mut arcs: Vec<(usize, f64)> = sites
            .iter()
            .enumerate()
            .map(|(i, s)| (i, (c.0 - s.0).hypot(c.1 - s.1)))
            .filter(|&(_, km)| km <= 350.0)
            .map(|(i, km)| (i, (demand * (10.0 + km)).round()))
            .collect();
        if rng.random_bool(0.85) {
            arcs.push((contract, (demand * 180.0).round()));
        }
        if arcs.is_empty() {
            arcs.push((contract, (demand * 180.0).round()));
        }
        b = b.customer(arcs);
    }
    b.build().expect("valid")
}

fn report(name: &str, s: &servnet::planning::median::MedianSolution) {
    eprintln!(
        "{name}: {:?} cost {} bound {} gap {:.4}% nodes {} {:.3} s",
        s.status,
        s.cost,
        s.bound,
        100.0 * s.gap,
        s.nodes,
        s.seconds
    );
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("median");
    group.sample_size(10);
    for (n, p) in [(200, 10), (200, 40)] {
        let problem = pmed_instance(1, n);
        let solver = MedianSolver::p_median(p);
        report(
            &format!("pmed/{n}/{p}"),
            &solver.solve(&problem).expect("solves"),
        );
        group.bench_with_input(
            BenchmarkId::new("pmed", format!("{n}/{p}")),
            &problem,
            |b, pr| b.iter(|| solver.solve(black_box(pr)).expect("solves")),
        );
    }
    for n in [200, 650] {
        let problem = ufl_instance(7, n);
        let solver = MedianSolver::ufl().target_gap(0.01);
        report(
            &format!("ufl/{n}"),
            &solver.solve(&problem).expect("solves"),
        );
        group.bench_with_input(BenchmarkId::new("ufl", n), &problem, |b, pr| {
            b.iter(|| solver.solve(black_box(pr)).expect("solves"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
