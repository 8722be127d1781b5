//! Assignment solvers on generated instances of growing size, and on the national day.
//!
//! - `min_cost_flow_unit/k20/{tasks}`: [`MinCostFlow`] on random unit-load
//!   problems, 20 candidate agents per task, to the exact optimum.
//! - `lagrangian/type_c/{m}x{n}`: [`Lagrangian`] at its defaults (proves
//!   optimality, 10 s time limit) on generalized assignment problems like
//!   OR-Library's type C (seed 1): `m` agents, `n` tasks, every task a
//!   candidate of every agent. Each instance is solved once before it is
//!   timed and must come out optimal and feasible, so the time is the time to
//!   prove optimality, not the time limit.
//! - `lagrangian/type_c/20x400_gap0.001`: the same at 20 × 400, which the
//!   defaults do not prove within 10 s: the time to reach a gap of 0.1 %
//!   (checked before timing).
//! - `min_cost_flow/national_slots`: [`MinCostFlow`] on the national day
//!   (100,000 requests, seed 7) as `Optimal::new().slots(120.0)` models it:
//!   unit loads, solved exactly.
//! - `lagrangian/national/gap0.005_or_7s`: [`Lagrangian`] with a target gap of
//!   0.5 % and a 7 s time limit, no warm start, on the national day as
//!   `Optimal::new()` models it (minute loads). It may stop on the time limit,
//!   so its time says little; the gap it reached is printed before timing.
//!
//! The slow ones run 10 samples of one solve each (criterion warns that it
//! cannot fit them in the target time; that is expected).

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use rand::{Rng, SeedableRng};
use servnet::Optimal;
use servnet::assign::{
    AssignmentProblem, AssignmentSolver, Edge, Lagrangian, MinCostFlow, Solution, Status,
};
use servnet::generate::{Generator, Preset};
use std::hint::black_box;
use std::time::Duration;

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

/// A generalized assignment problem like OR-Library's type C: `agents` × `tasks`,
/// every task a candidate of every agent, costs uniform on the integers 10–50,
/// loads uniform on 5–25, and agent `i`'s capacity ⌊0.8 · Σ_j load[i][j] / agents⌋.
/// Every task must be assigned. Costs are drawn first, agent by agent, then loads.
fn type_c(agents: usize, tasks: usize, seed: u64) -> AssignmentProblem {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut draw = |lo: u32, hi: u32| -> Vec<Vec<f64>> {
        (0..agents)
            .map(|_| {
                (0..tasks)
                    .map(|_| f64::from(rng.random_range(lo..=hi)))
                    .collect()
            })
            .collect()
    };
    let cost = draw(10, 50);
    let load = draw(5, 25);
    let capacity = load
        .iter()
        .map(|row| (0.8 * row.iter().sum::<f64>() / agents as f64).floor());
    let edges = (0..agents).flat_map(|i| {
        let (cost, load) = (&cost[i], &load[i]);
        (0..tasks).map(move |j| Edge {
            task: j as u32,
            agent: i as u32,
            cost: cost[j],
            load: load[j],
        })
    });
    AssignmentProblem::builder(tasks)
        .agents(capacity)
        .edges(edges)
        .build()
        .expect("valid by construction")
}

/// Solves once and checks the answer is feasible at the reported cost, so the
/// bench times what it names; prints the outcome.
fn checked(name: &str, solver: &dyn AssignmentSolver, p: &AssignmentProblem) -> Solution {
    let s = solver.solve(p).expect("solves");
    assert!(
        !matches!(s.status, Status::Infeasible(_)),
        "{name}: {:?}",
        s.status
    );
    let cost = p.evaluate(&s.agent_of).expect("a feasible assignment");
    assert!(
        (cost - s.cost).abs() <= 1e-6 * cost.abs().max(1.0),
        "{name}: cost"
    );
    eprintln!(
        "{name}: {:?}, cost {:.1}, lower bound {:.1}, gap {:.4} %, {:.2} s",
        s.status,
        s.cost,
        s.lower_bound,
        100.0 * s.gap(),
        s.seconds
    );
    s
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

fn lagrangian_type_c(c: &mut Criterion) {
    let mut group = c.benchmark_group("lagrangian");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (m, n) in [(5, 100), (10, 100), (10, 200), (20, 200)] {
        let p = type_c(m, n, 1);
        let size = format!("{m}x{n}");
        let name = format!("lagrangian/type_c/{size}");
        let s = checked(&name, &Lagrangian::new(), &p);
        assert_eq!(s.status, Status::Optimal, "{name}: proven in time");
        group.bench_with_input(BenchmarkId::new("type_c", size), &p, |b, p| {
            b.iter(|| black_box(Lagrangian::new().solve(p).expect("solves")))
        });
    }
    let p = type_c(20, 400, 1);
    let solver = || Lagrangian::new().target_gap(0.001);
    let size = "20x400_gap0.001";
    let name = format!("lagrangian/type_c/{size}");
    let s = checked(&name, &solver(), &p);
    assert!(s.gap() <= 0.001, "{name}: gap reached in time");
    group.bench_with_input(BenchmarkId::new("type_c", size), &p, |b, p| {
        b.iter(|| black_box(solver().solve(p).expect("solves")))
    });
    group.finish();
}

fn national(c: &mut Criterion) {
    let day = Generator::new(Preset::National)
        .requests(100_000)
        .seed(7)
        .build()
        .expect("generated day");

    let slots = Optimal::new()
        .slots(120.0)
        .assignment_problem(&day)
        .expect("the day's problem");
    let s = checked("min_cost_flow/national_slots", &MinCostFlow, &slots);
    assert_eq!(s.status, Status::Optimal);
    let mut group = c.benchmark_group("min_cost_flow");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(slots.tasks() as u64));
    group.bench_function("national_slots", |b| {
        b.iter(|| black_box(MinCostFlow.solve(&slots).expect("solves")))
    });
    group.finish();
    drop(slots);

    let minutes = Optimal::new()
        .assignment_problem(&day)
        .expect("the day's problem");
    let solver = || Lagrangian::new().target_gap(0.005).time_limit_s(7.0);
    let limits = "gap0.005_or_7s";
    checked(
        &format!("lagrangian/national/{limits}"),
        &solver(),
        &minutes,
    );
    let mut group = c.benchmark_group("lagrangian");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(minutes.tasks() as u64));
    group.bench_with_input(BenchmarkId::new("national", limits), &minutes, |b, p| {
        b.iter(|| black_box(solver().solve(p).expect("solves")))
    });
    group.finish();
}

criterion_group!(benches, min_cost_flow, lagrangian_type_c, national);
criterion_main!(benches);
