//! The assignment solvers equal brute force on small problems, and each other;
//! bad problems are typed errors.

use proptest::prelude::*;
use servnet::assign::{
    AssignmentProblem, AssignmentSolver, Lagrangian, MinCostFlow, MipSolver, Status,
};
use servnet::{ErrorKind, ProblemCode};

/// The cheapest feasible assignment by enumeration, or None.
fn brute_force(p: &AssignmentProblem) -> Option<f64> {
    let n = p.tasks();
    let mut choice = vec![None; n];
    let mut best: Option<f64> = None;
    fn go(p: &AssignmentProblem, t: usize, choice: &mut Vec<Option<u32>>, best: &mut Option<f64>) {
        if t == p.tasks() {
            if let Ok(c) = p.evaluate(choice)
                && best.is_none_or(|b| c < b)
            {
                *best = Some(c);
            }
            return;
        }
        let options: Vec<Option<u32>> = std::iter::once(None)
            .chain(p.task_edges(t).iter().map(|e| Some(e.agent)))
            .collect();
        for o in options {
            choice[t] = o;
            go(p, t + 1, choice, best);
        }
        choice[t] = None;
    }
    go(p, 0, &mut choice, &mut best);
    best
}

/// Random problems; with `unit`, every load is 1 (else loads 1–5 and capacities up to 12).
fn random_problem(unit: bool) -> impl Strategy<Value = AssignmentProblem> {
    let max_cap = if unit { 4u32 } else { 13 };
    (1usize..8, 1usize..5)
        .prop_flat_map(move |(n, m)| {
            (
                Just(n),
                prop::collection::vec(0u32..max_cap, m),
                prop::collection::vec((0..n as u32, 0..m as u32, -20i32..50, 1u32..6), 0..3 * n),
                prop::collection::vec(prop::option::of(0i32..60), n),
                prop::option::of((prop::collection::vec(0..m as u32, 1..3), 0u32..4)),
            )
        })
        .prop_map(move |(n, caps, edges, penalties, group)| {
            let mut b = AssignmentProblem::builder(n).agents(caps.iter().map(|&c| f64::from(c)));
            let mut seen = std::collections::HashSet::new();
            for (t, a, c, load) in edges {
                if seen.insert((t, a)) {
                    b = b.edge(t, a, f64::from(c), if unit { 1.0 } else { f64::from(load) });
                }
            }
            for (t, pen) in penalties.into_iter().enumerate() {
                if let Some(pen) = pen {
                    b = b.penalty(t as u32, f64::from(pen));
                }
            }
            if let Some((mut members, cap)) = group {
                members.sort_unstable();
                members.dedup();
                b = b.group(members, cap);
            }
            b.build().expect("valid by construction")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn min_cost_flow_equals_brute_force(p in random_problem(true)) {
        let s = MinCostFlow.solve(&p).unwrap();
        match brute_force(&p) {
            Some(best) => {
                prop_assert_eq!(&s.status, &Status::Optimal);
                prop_assert!((s.cost - best).abs() < 1e-9, "flow {} vs brute force {}", s.cost, best);
                prop_assert_eq!(p.evaluate(&s.agent_of), Ok(s.cost));
                prop_assert_eq!(s.lower_bound, s.cost);
                prop_assert_eq!(s.gap(), 0.0);
            }
            None => prop_assert!(matches!(s.status, Status::Infeasible(_)), "{:?}", s.status),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn the_mip_equals_brute_force_on_general_loads(p in random_problem(false)) {
        let s = MipSolver::new().solve(&p).unwrap();
        match brute_force(&p) {
            Some(best) => {
                prop_assert_eq!(&s.status, &Status::Optimal);
                prop_assert!((s.cost - best).abs() < 1e-6, "mip {} vs brute force {}", s.cost, best);
                prop_assert_eq!(p.evaluate(&s.agent_of), Ok(s.cost));
                prop_assert!(s.lower_bound <= best + 1e-6);
            }
            None => prop_assert!(matches!(s.status, Status::Infeasible(_)), "{:?}", s.status),
        }
    }

    #[test]
    fn the_mip_and_min_cost_flow_agree_on_unit_loads(p in random_problem(true)) {
        let flow = MinCostFlow.solve(&p).unwrap();
        let mip = MipSolver::new().solve(&p).unwrap();
        prop_assert_eq!(matches!(flow.status, Status::Infeasible(_)), matches!(mip.status, Status::Infeasible(_)));
        if flow.status == Status::Optimal {
            prop_assert!((flow.cost - mip.cost).abs() < 1e-6);
        }
    }
}

/// The same problem with costs and loads that are not integers (×0.37 and ×1.3).
fn fractional(p: &AssignmentProblem) -> AssignmentProblem {
    let mut b =
        AssignmentProblem::builder(p.tasks()).agents(p.capacities().iter().map(|c| c * 1.3));
    for e in p.edges() {
        b = b.edge(e.task, e.agent, e.cost * 0.37, e.load * 1.3);
    }
    for (t, pen) in p.penalties().iter().enumerate() {
        if let Some(pen) = pen {
            b = b.penalty(t as u32, pen * 0.37);
        }
    }
    for (g, &cap) in p.group_capacities().iter().enumerate() {
        let members =
            (0..p.agents() as u32).filter(|&a| p.group_of()[a as usize] == Some(g as u32));
        b = b.group(members, cap);
    }
    b.build().expect("valid by construction")
}

/// The Lagrangian solver's answer checked against the brute-force optimum.
fn check_exact(
    s: &servnet::assign::Solution,
    p: &AssignmentProblem,
    best: Option<f64>,
) -> Result<(), TestCaseError> {
    match best {
        Some(best) => {
            prop_assert_eq!(&s.status, &Status::Optimal);
            prop_assert!(
                (s.cost - best).abs() < 1e-6,
                "lagrangian {} vs brute force {}",
                s.cost,
                best
            );
            let cost = p.evaluate(&s.agent_of).map_err(TestCaseError::fail)?;
            prop_assert!((cost - s.cost).abs() < 1e-9);
            prop_assert!(s.lower_bound <= best + 1e-6 && s.lower_bound >= best - 1e-6);
        }
        None => prop_assert!(matches!(s.status, Status::Infeasible(_)), "{:?}", s.status),
    }
    Ok(())
}

/// An answer that need not be optimal checked against the brute-force
/// optimum: its bound holds, it is feasible, and it does not beat the optimum.
fn check_bounded(
    s: &servnet::assign::Solution,
    p: &AssignmentProblem,
    best: Option<f64>,
) -> Result<(), TestCaseError> {
    match best {
        Some(best) => {
            prop_assert!(
                s.lower_bound <= best + 1e-6,
                "bound {} above the optimum {}",
                s.lower_bound,
                best
            );
            if !matches!(s.status, Status::Infeasible(_)) {
                prop_assert!(
                    s.cost >= best - 1e-6,
                    "heuristic {} below the optimum {}",
                    s.cost,
                    best
                );
                prop_assert_eq!(p.evaluate(&s.agent_of), Ok(s.cost));
            }
        }
        None => prop_assert!(matches!(s.status, Status::Infeasible(_))),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_lagrangian_solver_equals_brute_force(p in random_problem(false)) {
        let s = Lagrangian::new().solve(&p).unwrap();
        check_exact(&s, &p, brute_force(&p))?;
    }

    #[test]
    fn the_lagrangian_solver_is_exact_on_fractional_costs_and_loads(p in random_problem(false)) {
        let p = fractional(&p);
        let s = Lagrangian::new().solve(&p).unwrap();
        check_exact(&s, &p, brute_force(&p))?;
    }

    #[test]
    fn without_branching_the_heuristic_never_beats_the_optimum_and_the_bound_holds(p in random_problem(false)) {
        let s = Lagrangian::new().branch_tasks(0).solve(&p).unwrap();
        check_bounded(&s, &p, brute_force(&p))?;
    }

    #[test]
    fn started_from_capacity_prices_the_solver_still_equals_brute_force(p in random_problem(false)) {
        let s = Lagrangian::new().prices_above(0).solve(&p).unwrap();
        check_exact(&s, &p, brute_force(&p))?;
    }

    #[test]
    fn the_capacity_price_root_bounds_the_optimum_and_its_answer_checks_out(p in random_problem(false)) {
        let s = Lagrangian::new().prices_above(0).branch_tasks(0).solve(&p).unwrap();
        check_bounded(&s, &p, brute_force(&p))?;
    }

    #[test]
    fn the_lagrangian_solver_agrees_with_min_cost_flow_on_unit_loads(p in random_problem(true)) {
        let flow = MinCostFlow.solve(&p).unwrap();
        let lag = Lagrangian::new().solve(&p).unwrap();
        prop_assert_eq!(matches!(flow.status, Status::Infeasible(_)), matches!(lag.status, Status::Infeasible(_)));
        if flow.status == Status::Optimal {
            prop_assert!((flow.cost - lag.cost).abs() < 1e-6);
            // Each bound is below the other's feasible cost.
            prop_assert!(lag.lower_bound <= flow.cost + 1e-6 && flow.lower_bound <= lag.cost + 1e-6);
        }
    }
}

/// A generalized assignment problem like OR-Library's type C: loads 5–25,
/// costs 10–50, capacities 80% of the average load per agent.
fn type_c(agents: usize, jobs: usize, seed: u64) -> AssignmentProblem {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |lo: u64, hi: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (x >> 33) % (hi - lo + 1)
    };
    let mut load = vec![vec![0.0; jobs]; agents];
    let mut b = AssignmentProblem::builder(jobs);
    let mut edges = Vec::new();
    for (i, row) in load.iter_mut().enumerate() {
        for (j, l) in row.iter_mut().enumerate() {
            *l = next(5, 25) as f64;
            edges.push((j as u32, i as u32, next(10, 50) as f64, *l));
        }
    }
    let caps: Vec<f64> = load
        .iter()
        .map(|row| (0.8 * row.iter().sum::<f64>() / agents as f64).floor())
        .collect();
    b = b.agents(caps);
    for (j, i, c, l) in edges {
        b = b.edge(j, i, c, l);
    }
    b.build().expect("valid by construction")
}

#[test]
fn tight_generalized_assignment_problems_are_closed_and_match_the_mip() {
    for seed in 0..3 {
        let p = type_c(3, 12, seed);
        let lag = Lagrangian::new().solve(&p).unwrap();
        let mip = MipSolver::new().solve(&p).unwrap();
        assert_eq!(lag.status, Status::Optimal, "seed {seed}");
        assert_eq!(mip.status, Status::Optimal, "seed {seed}");
        assert!(
            (lag.cost - mip.cost).abs() < 1e-6,
            "seed {seed}: {} vs {}",
            lag.cost,
            mip.cost
        );
        assert_eq!(p.evaluate(&lag.agent_of), Ok(lag.cost));
    }
}

#[test]
fn a_node_limit_stops_the_search_with_a_valid_bound_and_the_same_answer_every_time() {
    let p = type_c(10, 100, 7);
    let solve = || Lagrangian::new().node_limit(3).solve(&p).unwrap();
    let (a, b) = (solve(), solve());
    assert_eq!(
        (&a.agent_of, a.cost, a.lower_bound),
        (&b.agent_of, b.cost, b.lower_bound)
    );
    assert_eq!(p.evaluate(&a.agent_of), Ok(a.cost));
    assert!(a.lower_bound <= a.cost);
    // The full search closes the gap and its optimum lies between the two.
    let full = Lagrangian::new().solve(&p).unwrap();
    assert_eq!(full.status, Status::Optimal);
    assert!(a.lower_bound <= full.cost + 1e-9 && full.cost <= a.cost + 1e-9);
}

#[test]
fn a_work_limit_stops_the_search_the_same_way_every_time() {
    let p = type_c(10, 100, 7);
    let solve = |steps| {
        Lagrangian::new()
            .work_limit(steps)
            .time_limit_s(600.0)
            .solve(&p)
            .unwrap()
    };
    let full = Lagrangian::new().time_limit_s(600.0).solve(&p).unwrap();
    assert_eq!(full.status, Status::Optimal);
    let mut last = f64::INFINITY;
    for steps in [20_000, 200_000, 2_000_000, 20_000_000] {
        let (a, b) = (solve(steps), solve(steps));
        assert_eq!(
            (&a.agent_of, a.cost, a.lower_bound),
            (&b.agent_of, b.cost, b.lower_bound),
            "{steps} steps"
        );
        // Too little work may end before any assignment is found, and says so.
        if a.cost.is_finite() {
            assert_eq!(p.evaluate(&a.agent_of), Ok(a.cost));
        } else {
            assert!(matches!(&a.status, Status::Infeasible(why) if why.contains("work limit")));
        }
        assert!(a.lower_bound <= full.cost + 1e-9 && full.cost <= a.cost + 1e-9);
        // More work goes on from where less stopped: never a worse answer.
        assert!(
            a.cost <= last + 1e-9,
            "{steps} steps: {} after {last}",
            a.cost
        );
        last = a.cost;
    }
    // The smallest limit stops before the proof; the largest finds an assignment.
    assert_ne!(solve(20_000).status, Status::Optimal);
    assert!(last.is_finite());
}

#[test]
fn the_lagrangian_solver_refuses_bad_settings() {
    let p = AssignmentProblem::builder(1)
        .agents([1.0])
        .edge(0, 0, 1.0, 1.0)
        .build()
        .unwrap();
    for bad in [
        Lagrangian::new().time_limit_s(0.0),
        Lagrangian::new().time_limit_s(f64::NAN),
        Lagrangian::new().target_gap(-0.1),
        Lagrangian::new().target_gap(f64::INFINITY),
        Lagrangian::new().work_limit(0),
    ] {
        let e = bad.solve(&p).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Parameter { .. }), "{e}");
    }
}

#[test]
fn a_warm_start_and_a_time_limit_still_give_a_checked_answer() {
    let p = AssignmentProblem::builder(3)
        .agents([5.0, 5.0])
        .edge(0, 0, 1.0, 3.0)
        .edge(0, 1, 2.0, 3.0)
        .edge(1, 0, 1.0, 3.0)
        .edge(1, 1, 4.0, 2.0)
        .edge(2, 1, 1.0, 2.0)
        .penalty(2, 10.0)
        .build()
        .unwrap();
    let s = MipSolver::new()
        .warm_start(vec![Some(1), Some(0), None])
        .time_limit_s(5.0)
        .solve(&p)
        .unwrap();
    assert_eq!(p.evaluate(&s.agent_of), Ok(s.cost));
    // Agent 0 fits only one of tasks 0 and 1: the best is task 1 there, tasks 0 and 2 on agent 1.
    assert_eq!(s.cost, 4.0);
    assert_eq!(s.agent_of, vec![Some(1), Some(0), Some(1)]);
    assert!(MipSolver::new().time_limit_s(-1.0).solve(&p).is_err());
    assert!(MipSolver::new().mip_gap(f32::NAN).solve(&p).is_err());
}

#[test]
fn a_large_sparse_problem_is_solved_exactly_and_checks_out() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let (n, m, k) = (3000, 200, 12);
    let mut b =
        AssignmentProblem::builder(n).agents((0..m).map(|_| f64::from(rng.random_range(5..25))));
    for t in 0..n as u32 {
        let mut agents: Vec<u32> = (0..k).map(|_| rng.random_range(0..m as u32)).collect();
        agents.sort_unstable();
        agents.dedup();
        for a in agents {
            b = b.edge(t, a, rng.random_range(1.0..100.0), 1.0);
        }
        b = b.penalty(t, 500.0);
    }
    let p = b.group(0..20, 60).build().unwrap();
    let s = MinCostFlow.solve(&p).unwrap();
    assert_eq!(s.status, Status::Optimal);
    let cost = p.evaluate(&s.agent_of).unwrap();
    assert!((cost - s.cost).abs() < 1e-6 * cost.abs());
    // Optimality: no single task can move to a cheaper agent with room, nor come in from its penalty cheaper.
    let mut used = vec![0.0; m];
    for a in s.agent_of.iter().flatten() {
        used[*a as usize] += 1.0;
    }
    for (t, a) in s.agent_of.iter().enumerate() {
        let now = a.map_or(500.0, |a| {
            p.task_edges(t).iter().find(|e| e.agent == a).unwrap().cost
        });
        for e in p.task_edges(t) {
            let room = used[e.agent as usize] + 1.0 <= p.capacities()[e.agent as usize]
                && p.group_of()[e.agent as usize].is_none();
            assert!(
                !(room && e.cost < now - 1e-9),
                "task {t} could move to agent {} for less",
                e.agent
            );
        }
    }
}

#[test]
fn general_loads_are_refused_by_the_unit_load_solver() {
    let p = AssignmentProblem::builder(1)
        .agents([10.0])
        .edge(0, 0, 1.0, 2.5)
        .build()
        .unwrap();
    let err = MinCostFlow.solve(&p).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Parameter {
            name: "problem",
            ..
        }
    ));
}

#[test]
fn a_must_assign_task_with_no_room_is_infeasible_with_a_reason() {
    let p = AssignmentProblem::builder(2)
        .agents([1.0])
        .edge(0, 0, 1.0, 1.0)
        .edge(1, 0, 2.0, 1.0)
        .build()
        .unwrap();
    let s = MinCostFlow.solve(&p).unwrap();
    match s.status {
        Status::Infeasible(reason) => assert!(reason.contains("task 1"), "{reason}"),
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn the_builder_reports_every_bad_input() {
    let err = AssignmentProblem::builder(2)
        .agents([1.0, f64::NAN, -1.0])
        .edge(0, 5, 1.0, 1.0)
        .edge(7, 0, 1.0, 1.0)
        .edge(0, 0, f64::INFINITY, 1.0)
        .edge(1, 0, 1.0, -1.0)
        .edge(1, 1, 1.0, 1.0)
        .edge(1, 1, 2.0, 1.0)
        .penalty(9, 1.0)
        .group([0, 1], 1)
        .group([1, 8], 1)
        .build()
        .unwrap_err();
    let p = err.problems();
    let has = |entity: &str, field: &str, code| {
        p.iter()
            .any(|x| x.entity == entity && x.field == field && x.code == code)
    };
    assert!(has("agent", "capacity", ProblemCode::OutOfRange), "{p:#?}");
    assert!(has("edge", "agent", ProblemCode::DanglingReference));
    assert!(has("edge", "task", ProblemCode::DanglingReference));
    assert!(has("edge", "cost", ProblemCode::OutOfRange));
    assert!(has("edge", "load", ProblemCode::OutOfRange));
    assert!(has("task", "edges", ProblemCode::DuplicateId));
    assert!(has("task", "penalty", ProblemCode::DanglingReference));
    assert!(has("group", "agents", ProblemCode::Inconsistent));
    assert!(has("group", "agents", ProblemCode::DanglingReference));
    assert_eq!(p.iter().filter(|x| x.entity == "agent").count(), 2);
}
