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
//! - The national day (100,000 requests, seed 7) as an assignment problem
//!   built in this file from the scenario (`day_problem`): one task per
//!   servable request, one agent per technician, one group per outlet, edges
//!   to the 16 nearest skilled technicians who could make the visit alone
//!   within 300 road km, each at its tariff cost:
//!   - `min_cost_flow/national_slots120_k16`: [`MinCostFlow`] with unit
//!     loads (one two-hour slot per visit, only visits that fit one,
//!     ⌊shift / 120⌋ slots per technician), solved exactly (checked before
//!     timing).
//!   - `lagrangian/national_minutes_k16/gap0.005_or_7s`: [`Lagrangian`] with
//!     a target gap of 0.5 % and a 7 s time limit, no warm start, with minute
//!     loads (round trip and service against the shift's minutes). It may
//!     stop on the time limit, so its time says little; the gap it reached
//!     is printed before timing.
//!   - `price_bound/national_minutes_k16/work{2,20}x_edges`: [`price_bound`]
//!     on the minute-load problem towards the best assignment known (the
//!     Lagrangian's, or the slot optimum, which fits the minute loads too),
//!     with a limit of 2 and 20 steps of work per edge (the bound reached is
//!     printed).
//!
//! The slow ones run 10 samples of one solve each (criterion warns that it
//! cannot fit them in the target time; that is expected).

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use rand::{Rng, SeedableRng};
use servnet::assign::{
    AssignmentProblem, AssignmentSolver, Edge, Lagrangian, MinCostFlow, Solution, Status,
    price_bound,
};
use servnet::dispatch::{Eligibility, TechnicianIndex};
use servnet::generate::{Generator, Preset};
use servnet::{Optimal, OutletKind, RegionRule, Scenario, TravelModel};
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

/// How the national instance loads its agents.
#[derive(Debug, Clone, Copy)]
enum Loads {
    /// A visit loads its technician with its working minutes (round trip and
    /// service); a technician's capacity is its shift's minutes.
    Minutes,
    /// Every visit uses one slot of this many minutes, and only visits that
    /// fit one are candidates; a technician has ⌊shift / slot⌋ slots.
    Slots(f64),
}

/// Candidate technicians per request in the national instances.
const K: usize = 16;
/// The farthest a technician is sent, in road km from its base.
const REACH_KM: f64 = 300.0;
/// What leaving a request of normal priority unserved costs.
const PENALTY: f64 = 2000.0;

/// A generated day as a capacitated assignment problem, built here from the
/// scenario alone: one task per request that some technician could serve on
/// its own (the others cost the same in every assignment and are left out),
/// one agent per technician, one group per outlet with its daily visits.
/// A task's candidate edges go to the `k` nearest technicians (by
/// great-circle distance of their base) who cover its categories at its
/// level, of an outlet kind the policy admits (of its own region when the
/// policy never crosses), whose base is at most [`REACH_KM`] road km away,
/// and whose visit made alone — from the start of the shift, there and back
/// — starts inside the window and ends by the shift's end. An edge costs
/// the outlet's tariff for the working minutes and the round trip's km,
/// plus the policy's surcharge; a task left out costs [`PENALTY`] × its
/// priority weight.
///
/// With slots, only visits that fit one are edges, so a task may have none
/// and only its penalty; the tasks are the same under both loads.
fn day_problem(day: &Scenario, k: usize, loads: Loads) -> AssignmentProblem {
    let index = TechnicianIndex::new(day);
    let travel = day.travel();
    let catalog = day.catalog();
    let policy = day.policy();
    let mut edges = Vec::new();
    let mut penalties = Vec::new();
    for r in day.requests() {
        let admitted = policy.admitted_kinds(r);
        let kinds: Vec<OutletKind> = OutletKind::ALL
            .into_iter()
            .filter(|kind| admitted[kind.index()])
            .collect();
        let home = day.city_region(r.city);
        let mut e = Eligibility::for_request(r).kinds(&kinds).max_km(REACH_KM);
        if let (RegionRule::Never, Some(region)) = (policy.region, home) {
            e = e.region(region);
        }
        let task = penalties.len() as u32;
        let mut servable = false;
        for found in index.nearest(r.location, k, &e) {
            let (Some(t), Some(outlet)) = (day.technician(found.id), day.outlet(found.outlet))
            else {
                continue;
            };
            let out = travel.leg(day.technician_start(t), r.location);
            let back = travel.leg(r.location, day.technician_base(t));
            if back.km > REACH_KM {
                continue;
            }
            let service: f64 = r
                .categories
                .iter()
                .filter_map(|&c| {
                    Some(catalog.service_minutes(day.category(c)?, r.kind, t.level(c)?))
                })
                .sum();
            let arrive = f64::from(t.shift_start_min) + out.minutes;
            let begin = arrive.max(f64::from(r.window.start_min));
            if begin > f64::from(r.window.end_min)
                || begin + service + back.minutes > f64::from(t.shift_end_min())
            {
                continue;
            }
            let working = out.minutes + service + back.minutes;
            servable = true;
            let load = match loads {
                Loads::Minutes => working,
                Loads::Slots(slot) if working <= slot => 1.0,
                Loads::Slots(_) => continue,
            };
            let crosses = home != day.city_region(outlet.city);
            edges.push(Edge {
                task,
                agent: day.technician_index(t.id).expect("indexed technician") as u32,
                cost: outlet.tariff.cost(working, out.km + back.km)
                    + policy.surcharge(crosses, outlet.tier),
                load,
            });
        }
        if servable {
            penalties.push(PENALTY * Optimal::priority_weight(r.priority));
        }
    }
    let capacities = day.technicians().iter().map(|t| {
        let minutes = f64::from(t.shift_minutes);
        match loads {
            Loads::Minutes => minutes,
            Loads::Slots(slot) => (minutes / slot).floor(),
        }
    });
    let mut b = AssignmentProblem::builder(penalties.len())
        .agents(capacities)
        .edges(edges);
    for (task, &p) in penalties.iter().enumerate() {
        b = b.penalty(task as u32, p);
    }
    let mut staff: Vec<Vec<u32>> = vec![Vec::new(); day.outlets().len()];
    for (i, t) in day.technicians().iter().enumerate() {
        if let Some(o) = day.outlet_index(t.outlet) {
            staff[o].push(i as u32);
        }
    }
    for (o, members) in staff.into_iter().enumerate() {
        if !members.is_empty() {
            b = b.group(members, day.outlets()[o].daily_capacity);
        }
    }
    b.build().expect("valid by construction")
}

fn national(c: &mut Criterion) {
    let day = Generator::new(Preset::National)
        .requests(100_000)
        .seed(7)
        .build()
        .expect("generated day");

    let slots = day_problem(&day, K, Loads::Slots(120.0));
    eprintln!(
        "national_slots120_k16: {} tasks, {} agents, {} edges",
        slots.tasks(),
        slots.agents(),
        slots.edges().len()
    );
    let s = checked("min_cost_flow/national_slots120_k16", &MinCostFlow, &slots);
    assert_eq!(s.status, Status::Optimal);
    let mut group = c.benchmark_group("min_cost_flow");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(slots.tasks() as u64));
    group.bench_function("national_slots120_k16", |b| {
        b.iter(|| black_box(MinCostFlow.solve(&slots).expect("solves")))
    });
    group.finish();
    drop(slots);

    let minutes = day_problem(&day, K, Loads::Minutes);
    eprintln!(
        "national_minutes_k16: {} tasks, {} agents, {} edges",
        minutes.tasks(),
        minutes.agents(),
        minutes.edges().len()
    );
    // The slot optimum is an assignment of the minute-load problem too (the
    // same tasks): a technician's ⌊shift / 120⌋ visits of at most 120
    // working minutes fit its shift.
    let from_slots = s.agent_of;
    let slot_cost = minutes
        .evaluate(&from_slots)
        .expect("the slot optimum fits the minute loads");
    eprintln!("national_minutes_k16: the slot optimum costs {slot_cost:.1} there");

    let solver = || Lagrangian::new().target_gap(0.005).time_limit_s(7.0);
    let limits = "gap0.005_or_7s";
    let found = checked(
        &format!("lagrangian/national_minutes_k16/{limits}"),
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
    group.bench_with_input(
        BenchmarkId::new("national_minutes_k16", limits),
        &minutes,
        |b, p| b.iter(|| black_box(solver().solve(p).expect("solves"))),
    );
    group.finish();

    // The price bound alone, towards the best assignment known, with a
    // limit of work (not of time) so every run does the same work; 2 steps
    // per edge is what `Optimal` gives its own bound.
    let best = found.cost.min(slot_cost);
    let mut group = c.benchmark_group("price_bound");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(minutes.tasks() as u64));
    for per_edge in [2u64, 20] {
        let work = per_edge * minutes.edges().len() as u64;
        let name = format!("work{per_edge}x_edges");
        let bound = price_bound(&minutes, best, work, f64::INFINITY);
        eprintln!(
            "price_bound/national_minutes_k16/{name}: bound {bound:.1}, {:.2} % below the best assignment known ({best:.1})",
            100.0 * (best - bound) / best.abs().max(1.0)
        );
        group.bench_with_input(
            BenchmarkId::new("national_minutes_k16", name),
            &minutes,
            |b, p| b.iter(|| black_box(price_bound(p, best, work, f64::INFINITY))),
        );
    }
    group.finish();
}

criterion_group!(benches, min_cost_flow, lagrangian_type_c, national);
criterion_main!(benches);
