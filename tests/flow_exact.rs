//! `MinCostFlow` is exact where its shortcuts could go wrong: ties (many
//! equal costs, as technicians of one outlet have), agents without capacity,
//! groups that bind, negative and fractional costs, tasks that must be
//! assigned but cannot be. Optimality is checked independently of the
//! solver: a flow is a min-cost flow when its residual network has no cycle
//! of negative cost (Bellman–Ford), which scales beyond brute force.

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use servnet::assign::{AssignmentProblem, AssignmentSolver, MinCostFlow, MipSolver, Status};

/// A residual arc: from, to, cost.
type Arc = (usize, usize, f64);

/// The residual network of an assignment as a flow (tasks → agents → groups
/// → sink, penalty arcs task → sink), or why the assignment is not feasible.
fn residual(p: &AssignmentProblem, agent_of: &[Option<u32>]) -> Result<(usize, Vec<Arc>), String> {
    p.evaluate(agent_of)?;
    let (n, m, g) = (p.tasks(), p.agents(), p.group_capacities().len());
    let sink = n + m + g;
    let up = |a: usize| p.group_of()[a].map_or(sink, |k| n + m + k as usize);
    let mut arcs = Vec::new();
    let mut load = vec![0u32; m];
    let mut count = vec![0u32; g];
    for (t, at) in agent_of.iter().enumerate() {
        for e in p.task_edges(t) {
            let a = e.agent as usize;
            if *at == Some(e.agent) {
                arcs.push((n + a, t, -e.cost));
                load[a] += 1;
                if let Some(k) = p.group_of()[a] {
                    count[k as usize] += 1;
                }
            } else {
                arcs.push((t, n + a, e.cost));
            }
        }
        if let Some(pen) = p.penalties()[t] {
            if at.is_none() {
                arcs.push((sink, t, -pen));
            } else {
                arcs.push((t, sink, pen));
            }
        }
    }
    for (a, &cap) in p.capacities().iter().enumerate() {
        if f64::from(load[a]) < cap.floor() {
            arcs.push((n + a, up(a), 0.0));
        }
        if load[a] > 0 {
            arcs.push((up(a), n + a, 0.0));
        }
    }
    for (k, &cap) in p.group_capacities().iter().enumerate() {
        if count[k] < cap {
            arcs.push((n + m + k, sink, 0.0));
        }
        if count[k] > 0 {
            arcs.push((sink, n + m + k, 0.0));
        }
    }
    Ok((sink + 1, arcs))
}

/// Whether the residual network has a cycle cheaper than `-tolerance`
/// (Bellman–Ford from every node at once).
fn has_negative_cycle(nodes: usize, arcs: &[Arc], tolerance: f64) -> bool {
    let mut dist = vec![0.0f64; nodes];
    for _ in 0..=nodes {
        let mut changed = false;
        for &(u, v, c) in arcs {
            if dist[u] + c < dist[v] - tolerance {
                dist[v] = dist[u] + c;
                changed = true;
            }
        }
        if !changed {
            return false;
        }
    }
    true
}

/// Solves with `MinCostFlow` and checks the answer: feasible at the reported
/// cost, lower bound equal to the cost, no negative cycle left, and the same
/// answer on a second solve.
fn assert_exact(p: &AssignmentProblem) -> Result<(), TestCaseError> {
    let mut s = MinCostFlow.solve(p).unwrap();
    prop_assert_eq!(&s.status, &Status::Optimal);
    let cost = p.evaluate(&s.agent_of).map_err(TestCaseError::fail)?;
    let scale = cost.abs().max(1.0);
    prop_assert!(
        (cost - s.cost).abs() <= 1e-9 * scale,
        "{} vs {}",
        cost,
        s.cost
    );
    prop_assert_eq!(s.lower_bound, s.cost);
    let (nodes, arcs) = residual(p, &s.agent_of).map_err(TestCaseError::fail)?;
    prop_assert!(
        !has_negative_cycle(nodes, &arcs, 1e-9 * scale),
        "a cheaper assignment exists"
    );
    let mut again = MinCostFlow.solve(p).unwrap();
    (s.seconds, again.seconds) = (0.0, 0.0);
    prop_assert_eq!(s, again);
    Ok(())
}

/// Random unit-load problems built to tie: agents come in "outlets" of
/// clones (same group, same costs for a task), costs are drawn from a few
/// values (negative ones too), or fractional when `fractional`. Some agents
/// have no capacity, some capacities are fractional, groups often bind.
fn tied_problem(fractional: bool, max_tasks: usize) -> impl Strategy<Value = AssignmentProblem> {
    let max_outlets: usize = if max_tasks > 10 { 6 } else { 3 };
    (1..max_tasks, 1..max_outlets, 1usize..4, any::<u64>()).prop_map(
        move |(n, outlets, clones, seed)| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let m = outlets * clones;
            let capacities: Vec<f64> = (0..m)
                .map(|_| match rng.random_range(0..6) {
                    0 => 0.0,
                    1 => 1.5,
                    c => f64::from(c - 1),
                })
                .collect();
            let mut b = AssignmentProblem::builder(n).agents(capacities);
            for o in 0..outlets {
                if rng.random_bool(0.6) {
                    let members = (o * clones..(o + 1) * clones).map(|a| a as u32);
                    b = b.group(members, rng.random_range(0..2 * clones as u32 + 1));
                }
            }
            for t in 0..n as u32 {
                for o in 0..outlets {
                    if !rng.random_bool(0.6) {
                        continue;
                    }
                    let cost = if fractional {
                        rng.random_range(-3.0..10.0)
                    } else {
                        f64::from(rng.random_range(-1i32..4))
                    };
                    for a in o * clones..(o + 1) * clones {
                        if rng.random_bool(0.8) {
                            b = b.edge(t, a as u32, cost, 1.0);
                        }
                    }
                }
                if rng.random_bool(0.9) {
                    let pen = if fractional {
                        rng.random_range(0.0..12.0)
                    } else {
                        f64::from(rng.random_range(0..6))
                    };
                    b = b.penalty(t, pen);
                }
            }
            b.build().expect("valid by construction")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn tied_costs_give_an_optimal_flow_with_no_negative_cycle(p in tied_problem(false, 40)) {
        if !matches!(MinCostFlow.solve(&p).unwrap().status, Status::Infeasible(_)) {
            assert_exact(&p)?;
        }
    }

    #[test]
    fn fractional_costs_give_an_optimal_flow_with_no_negative_cycle(p in tied_problem(true, 40)) {
        if !matches!(MinCostFlow.solve(&p).unwrap().status, Status::Infeasible(_)) {
            assert_exact(&p)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Small problems only: the MIP's branch and bound can take minutes on
    /// the larger ones in a debug build.
    #[test]
    fn flow_and_the_mip_agree_on_feasibility_and_cost(p in tied_problem(false, 9)) {
        let flow = MinCostFlow.solve(&p).unwrap();
        let mip = MipSolver::new().solve(&p).unwrap();
        let infeasible = |s: &Status| matches!(s, Status::Infeasible(_));
        prop_assert_eq!(infeasible(&flow.status), infeasible(&mip.status), "{:?} vs {:?}", flow.status, mip.status);
        if !infeasible(&flow.status) {
            prop_assert!((flow.cost - mip.cost).abs() < 1e-6, "{} vs {}", flow.cost, mip.cost);
        }
    }
}

/// A day-like problem: `n` tasks, outlets of `clones` technicians with 5
/// slots each, a task's candidates the technicians of its 2–4 nearest
/// outlets (ties across clones), the outlets' daily limits binding, penalties
/// in four priority tiers. Demand outruns capacity.
fn outlet_day(n: usize, outlets: usize, clones: usize, seed: u64) -> AssignmentProblem {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut b = AssignmentProblem::builder(n).agents(vec![5.0; outlets * clones]);
    for o in 0..outlets {
        let members = (o * clones..(o + 1) * clones).map(|a| a as u32);
        b = b.group(members, rng.random_range(clones as u32..4 * clones as u32));
    }
    for t in 0..n as u32 {
        let near = rng.random_range(0..outlets);
        for o in (near..outlets).take(rng.random_range(2..5)) {
            let travel = (rng.random_range(40.0..240.0) * 4.0f64).round() / 4.0;
            for a in o * clones..(o + 1) * clones {
                b = b.edge(t, a as u32, travel, 1.0);
            }
        }
        b = b.penalty(t, [1000.0, 2000.0, 4000.0, 8000.0][rng.random_range(0..4)]);
    }
    b.build().expect("valid by construction")
}

#[test]
fn a_capacity_bound_day_with_tied_outlets_is_solved_exactly() {
    for seed in 0..3 {
        let p = outlet_day(600, 30, 4, seed);
        assert_exact(&p).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let s = MinCostFlow.solve(&p).unwrap();
        let out = s.agent_of.iter().filter(|a| a.is_none()).count();
        assert!(out > 0, "seed {seed}: demand should outrun capacity");
    }
}

#[test]
fn the_task_order_does_not_change_the_optimum() {
    // The same problem with tasks numbered backwards: the solver routes
    // them in another order, and the optimum is the same.
    let p = outlet_day(400, 20, 3, 9);
    let n = p.tasks() as u32;
    let mut b = AssignmentProblem::builder(p.tasks()).agents(p.capacities().iter().copied());
    let mut members = vec![Vec::new(); p.group_capacities().len()];
    for (a, k) in p.group_of().iter().enumerate() {
        if let Some(k) = k {
            members[*k as usize].push(a as u32);
        }
    }
    for (k, agents) in members.into_iter().enumerate() {
        b = b.group(agents, p.group_capacities()[k]);
    }
    for e in p.edges() {
        b = b.edge(n - 1 - e.task, e.agent, e.cost, 1.0);
    }
    for (t, pen) in p.penalties().iter().enumerate() {
        b = b.penalty(n - 1 - t as u32, pen.expect("every task has one"));
    }
    let reversed = b.build().unwrap();
    let (s, r) = (
        MinCostFlow.solve(&p).unwrap(),
        MinCostFlow.solve(&reversed).unwrap(),
    );
    assert!((s.cost - r.cost).abs() <= 1e-9 * s.cost.abs());
    assert_exact(&reversed).unwrap();
}

#[test]
fn stuck_tasks_make_the_problem_infeasible_naming_the_first_and_counting_them() {
    // Agent 0 takes one of tasks 1, 2, 3 (none may stay out); task 4 has no
    // candidate at all; task 0 has a penalty and stays out if it must.
    let p = AssignmentProblem::builder(5)
        .agents([1.0, 0.0])
        .edge(0, 0, 1.0, 1.0)
        .edge(1, 0, 3.0, 1.0)
        .edge(2, 0, 2.0, 1.0)
        .edge(3, 0, 2.0, 1.0)
        .edge(3, 1, 0.0, 1.0)
        .penalty(0, 10.0)
        .build()
        .unwrap();
    let s = MinCostFlow.solve(&p).unwrap();
    let Status::Infeasible(reason) = &s.status else {
        panic!("{:?}", s.status)
    };
    assert!(reason.starts_with("task 2 must be assigned"), "{reason}");
    assert!(reason.contains("3 tasks cannot be placed"), "{reason}");
    assert!(s.lower_bound.is_infinite());
    assert_eq!(s.agent_of.iter().flatten().count(), 1);
}

#[test]
fn a_task_without_candidates_or_penalty_is_named() {
    let p = AssignmentProblem::builder(2)
        .agents([1.0])
        .edge(0, 0, 1.0, 1.0)
        .build()
        .unwrap();
    let s = MinCostFlow.solve(&p).unwrap();
    assert_eq!(
        s.status,
        Status::Infeasible("task 1 has no candidate agent and may not stay unassigned".into())
    );
    assert_eq!(s.agent_of, vec![Some(0), None]);
}

#[test]
fn zero_capacity_agents_and_a_zero_limit_group_take_nothing() {
    let p = AssignmentProblem::builder(3)
        .agents([0.0, 3.0, 2.0])
        .group([1], 0)
        .edge(0, 0, -5.0, 1.0)
        .edge(0, 1, -4.0, 1.0)
        .edge(0, 2, 1.0, 1.0)
        .edge(1, 1, 0.0, 1.0)
        .edge(2, 2, 2.0, 1.0)
        .penalty(1, 7.0)
        .build()
        .unwrap();
    let s = MinCostFlow.solve(&p).unwrap();
    assert_eq!(s.status, Status::Optimal);
    assert_eq!(s.agent_of, vec![Some(2), None, Some(2)]);
    assert_eq!(s.cost, 10.0);
}

#[test]
fn a_large_tied_day_gives_the_same_solution_every_time() {
    let p = outlet_day(20_000, 800, 5, 4);
    let mut first = MinCostFlow.solve(&p).unwrap();
    let mut second = MinCostFlow.solve(&p).unwrap();
    assert_eq!(first.status, Status::Optimal);
    (first.seconds, second.seconds) = (0.0, 0.0);
    assert_eq!(first, second);
    assert_eq!(p.evaluate(&first.agent_of), Ok(first.cost));
}
