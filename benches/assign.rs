//! Assignment solvers on generated instances of growing size.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use servnet::assign::{AssignmentProblem, AssignmentSolver, MinCostFlow};
use std::hint::black_box;

/// `tasks` tasks with `k` random candidate agents each (unit loads, costs 1–100),
/// agents whose capacities add up to 1.1 × the tasks, and a penalty of 1,000
/// for leaving a task out.
fn unit_problem(tasks: usize, k: usize, seed: u64) -> AssignmentProblem {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let agents = (tasks / 10).max(k);
    let per_agent = (1.1 * tasks as f64 / agents as f64).ceil();
    let mut b = AssignmentProblem::builder(tasks).agents((0..agents).map(|_| per_agent));
    for t in 0..tasks as u32 {
        let mut chosen: Vec<u32> = Vec::with_capacity(k);
        while chosen.len() < k {
            let a = rng.random_range(0..agents as u32);
            if !chosen.contains(&a) {
                chosen.push(a);
            }
        }
        for a in chosen {
            b = b.edge(t, a, rng.random_range(1.0..100.0), 1.0);
        }
        b = b.penalty(t, 1000.0);
    }
    b.build().expect("valid by construction")
}

fn min_cost_flow(c: &mut Criterion) {
    let mut group = c.benchmark_group("min_cost_flow_unit");
    group.sample_size(10);
    for tasks in [2_000usize, 10_000, 100_000] {
        let p = unit_problem(tasks, 20, 1);
        group.throughput(Throughput::Elements(tasks as u64));
        group.bench_with_input(BenchmarkId::new("k20", tasks), &p, |b, p| {
            b.iter(|| black_box(MinCostFlow.solve(p).expect("solves")))
        });
    }
    group.finish();
}

criterion_group!(benches, min_cost_flow);
criterion_main!(benches);
