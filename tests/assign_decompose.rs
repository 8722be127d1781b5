//! Solving the independent parts of a problem apart gives the optimum of the
//! whole: `Decomposed` equals its inner solver on the whole problem; the parts
//! are disjoint and cover everything; the result is deterministic; an
//! infeasible part makes the whole infeasible, with a reason in original ids.

use proptest::prelude::*;
use servnet::ErrorKind;
use servnet::assign::{
    AssignmentProblem, AssignmentSolver, Decomposed, MinCostFlow, MipSolver, Solution, Status,
    components,
};
use std::collections::HashSet;

/// One block: tasks, agents with capacities, edges inside the block, penalties, at most one group.
#[derive(Debug, Clone)]
struct Block {
    capacities: Vec<u32>,
    /// (task, agent, cost, load), block-local.
    edges: Vec<(u32, u32, i32, u32)>,
    penalties: Vec<Option<i32>>,
    group: Option<(Vec<u32>, u32)>,
}

fn block(unit: bool, max_tasks: usize, max_agents: usize) -> impl Strategy<Value = Block> {
    let max_cap = if unit { 3u32 } else { 10 };
    (1..=max_tasks, 1..=max_agents).prop_flat_map(move |(n, m)| {
        (
            prop::collection::vec(0u32..max_cap, m),
            prop::collection::vec((0..n as u32, 0..m as u32, -10i32..40, 1u32..5), 0..2 * n),
            prop::collection::vec(prop::option::weighted(0.6, 0i32..50), n),
            prop::option::weighted(0.3, (prop::collection::vec(0..m as u32, 1..3), 0u32..3)),
        )
            .prop_map(move |(capacities, edges, penalties, group)| Block {
                capacities,
                edges: edges
                    .into_iter()
                    .map(|(t, a, c, l)| (t, a, c, if unit { 1 } else { l }))
                    .collect(),
                penalties,
                group,
            })
    })
}

/// Disjoint blocks put side by side, with task and agent ids shuffled so the
/// parts interleave in the numbering.
fn blocks(
    unit: bool,
    count: std::ops::RangeInclusive<usize>,
    max_tasks: usize,
    max_agents: usize,
) -> impl Strategy<Value = AssignmentProblem> {
    prop::collection::vec(block(unit, max_tasks, max_agents), count)
        .prop_flat_map(|blocks| {
            let n: usize = blocks.iter().map(|b| b.penalties.len()).sum();
            let m: usize = blocks.iter().map(|b| b.capacities.len()).sum();
            (
                Just(blocks),
                Just((0..n as u32).collect::<Vec<_>>()).prop_shuffle(),
                Just((0..m as u32).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(blocks, task_id, agent_id)| {
            let mut capacity = vec![0.0; agent_id.len()];
            let mut b = AssignmentProblem::builder(task_id.len());
            let (mut t0, mut a0) = (0usize, 0usize);
            let mut seen = HashSet::new();
            for blk in &blocks {
                let task = |t: u32| task_id[t0 + t as usize];
                let agent = |a: u32| agent_id[a0 + a as usize];
                for (a, &c) in blk.capacities.iter().enumerate() {
                    capacity[agent(a as u32) as usize] = f64::from(c);
                }
                for &(t, a, c, l) in &blk.edges {
                    if seen.insert((task(t), agent(a))) {
                        b = b.edge(task(t), agent(a), f64::from(c), f64::from(l));
                    }
                }
                for (t, pen) in blk.penalties.iter().enumerate() {
                    if let Some(pen) = pen {
                        b = b.penalty(task(t as u32), f64::from(*pen));
                    }
                }
                if let Some((members, cap)) = &blk.group {
                    let members: HashSet<u32> = members.iter().map(|&a| agent(a)).collect();
                    let mut members: Vec<u32> = members.into_iter().collect();
                    members.sort_unstable();
                    b = b.group(members, *cap);
                }
                t0 += blk.penalties.len();
                a0 += blk.capacities.len();
            }
            b.agents(capacity).build().expect("valid by construction")
        })
}

fn is_infeasible(s: &Solution) -> bool {
    matches!(s.status, Status::Infeasible(_))
}

/// Both solutions: same feasibility; when feasible, same cost, both checked by `evaluate`.
fn agree(p: &AssignmentProblem, whole: &Solution, parts: &Solution) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        is_infeasible(whole),
        is_infeasible(parts),
        "whole {:?}, parts {:?}",
        whole.status,
        parts.status
    );
    prop_assert_eq!(parts.agent_of.len(), p.tasks());
    if !is_infeasible(whole) {
        prop_assert_eq!(&parts.status, &Status::Optimal);
        prop_assert!(
            (whole.cost - parts.cost).abs() < 1e-6,
            "whole {} vs parts {}",
            whole.cost,
            parts.cost
        );
        let checked = p.evaluate(&parts.agent_of);
        prop_assert!(
            checked
                .as_ref()
                .is_ok_and(|c| (c - parts.cost).abs() < 1e-6),
            "{checked:?} vs {}",
            parts.cost
        );
        prop_assert!(p.evaluate(&whole.agent_of).is_ok());
        prop_assert!(parts.lower_bound <= parts.cost + 1e-6);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn decomposed_mip_equals_the_mip_on_the_whole_problem(p in blocks(false, 1..=3, 3, 3)) {
        let whole = MipSolver::new().solve(&p).unwrap();
        let parts = Decomposed::new(MipSolver::new()).solve(&p).unwrap();
        agree(&p, &whole, &parts)?;
        let packed = Decomposed::new(MipSolver::new()).batch_tasks(3).solve(&p).unwrap();
        agree(&p, &whole, &packed)?;
    }

    #[test]
    fn decomposed_flow_equals_flow_on_the_whole_problem(p in blocks(true, 1..=6, 5, 4)) {
        let whole = MinCostFlow.solve(&p).unwrap();
        for batch in [0, 4, 1000] {
            let parts = Decomposed::new(MinCostFlow).batch_tasks(batch).solve(&p).unwrap();
            agree(&p, &whole, &parts)?;
            if !is_infeasible(&parts) {
                prop_assert_eq!(parts.lower_bound, parts.cost);
            }
        }
    }

    #[test]
    fn components_are_disjoint_and_cover_every_task_and_agent(p in blocks(true, 1..=6, 5, 4)) {
        let parts = components(&p);
        let mut part_of_task = vec![None; p.tasks()];
        let mut part_of_agent = vec![None; p.agents()];
        for (k, c) in parts.iter().enumerate() {
            prop_assert!(!c.tasks.is_empty() || !c.agents.is_empty());
            prop_assert!(c.tasks.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(c.agents.windows(2).all(|w| w[0] < w[1]));
            for &t in &c.tasks {
                prop_assert_eq!(part_of_task[t as usize].replace(k), None, "task {} twice", t);
            }
            for &a in &c.agents {
                prop_assert_eq!(part_of_agent[a as usize].replace(k), None, "agent {} twice", a);
            }
        }
        prop_assert!(part_of_task.iter().all(Option::is_some));
        prop_assert!(part_of_agent.iter().all(Option::is_some));
        // Nothing joins two parts: no edge, no group.
        for e in p.edges() {
            prop_assert_eq!(part_of_task[e.task as usize], part_of_agent[e.agent as usize]);
        }
        for (a, g) in p.group_of().iter().enumerate() {
            if let Some(g) = g {
                let k = part_of_agent[a].unwrap();
                prop_assert!(parts[k].groups.contains(g));
            }
        }
        // A task without edges is alone.
        for t in 0..p.tasks() {
            if p.task_edges(t).is_empty() {
                let c = &parts[part_of_task[t].unwrap()];
                prop_assert_eq!((c.tasks.as_slice(), c.agents.len()), (&[t as u32][..], 0));
            }
        }
        // Ordered by smallest task, task-less parts last.
        let keys: Vec<(bool, u32)> = parts
            .iter()
            .map(|c| (c.tasks.is_empty(), c.tasks.first().or(c.agents.first()).copied().unwrap_or(0)))
            .collect();
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn two_decomposed_solves_give_the_same_solution(p in blocks(true, 1..=6, 5, 4), batch in 0usize..6) {
        let solver = Decomposed::new(MinCostFlow).batch_tasks(batch);
        let mut first = solver.solve(&p).unwrap();
        let mut second = solver.solve(&p).unwrap();
        first.seconds = 0.0;
        second.seconds = 0.0;
        prop_assert_eq!(first, second);
    }
}

#[test]
fn names_the_inner_solver() {
    assert_eq!(Decomposed::new(MipSolver::new()).name(), "decomposed(mip)");
    assert_eq!(Decomposed::new(MinCostFlow).name(), "decomposed(flow)");
}

#[test]
fn an_empty_problem_is_optimal_at_zero() {
    let p = AssignmentProblem::builder(0).build().unwrap();
    assert!(components(&p).is_empty());
    let s = Decomposed::new(MinCostFlow).solve(&p).unwrap();
    assert_eq!(
        (s.cost, s.status, s.agent_of.len()),
        (0.0, Status::Optimal, 0)
    );
}

#[test]
fn an_infeasible_part_names_its_original_task() {
    // Part of task 0: fine. Part of tasks 1 and 3: both need agent 2, which
    // takes one. Task 2: its only agent is too small, and it may not stay out.
    let p = AssignmentProblem::builder(4)
        .agents([1.0, 0.0, 1.0])
        .edge(0, 0, 1.0, 1.0)
        .edge(1, 2, 1.0, 1.0)
        .edge(3, 2, 2.0, 1.0)
        .edge(2, 1, 1.0, 1.0)
        .build()
        .unwrap();
    let s = Decomposed::new(MinCostFlow).solve(&p).unwrap();
    let Status::Infeasible(reason) = &s.status else {
        panic!("{:?}", s.status)
    };
    assert!(reason.contains("part of task 1"), "{reason}");
    assert!(reason.contains("task 3 must be assigned"), "{reason}");
    assert!(reason.contains("1 other part"), "{reason}");
    assert!(s.lower_bound.is_infinite());
    assert!(is_infeasible(&MinCostFlow.solve(&p).unwrap()));

    let s = Decomposed::new(MipSolver::new()).solve(&p).unwrap();
    let Status::Infeasible(reason) = &s.status else {
        panic!("{:?}", s.status)
    };
    assert!(reason.contains("part of task 1"), "{reason}");

    // Packed: parts of tasks 0 and 1 + 3 together, then task 2.
    let s = Decomposed::new(MinCostFlow)
        .batch_tasks(3)
        .solve(&p)
        .unwrap();
    let Status::Infeasible(reason) = &s.status else {
        panic!("{:?}", s.status)
    };
    assert!(
        reason.contains("part of task 0 (2 parts solved together"),
        "{reason}"
    );
    assert!(reason.contains("task 3 must be assigned"), "{reason}");
}

#[test]
fn a_lone_task_takes_its_cheapest_candidate_with_room_or_its_penalty() {
    // Task 0: agent 0 is cheaper but too small. Task 1: the penalty is cheaper.
    // Task 2: no candidate with room and no penalty. Task 3: no candidate at all.
    let p = AssignmentProblem::builder(4)
        .agents([2.0, 5.0, 5.0, 1.0, 9.0])
        .edge(0, 0, 1.0, 3.0)
        .edge(0, 1, 4.0, 3.0)
        .edge(1, 2, 9.0, 1.0)
        .penalty(1, 6.0)
        .edge(2, 3, 1.0, 2.0)
        .group([4], 0)
        .build()
        .unwrap();
    // Task 2 here: its cheap agent is in a group that takes no task.
    let feasible = AssignmentProblem::builder(3)
        .agents([2.0, 5.0, 5.0, 5.0])
        .edge(0, 0, 1.0, 3.0)
        .edge(0, 1, 4.0, 3.0)
        .edge(1, 2, 9.0, 1.0)
        .penalty(1, 6.0)
        .edge(2, 3, 1.0, 1.0)
        .penalty(2, 5.0)
        .group([3], 0)
        .build()
        .unwrap();
    let s = Decomposed::new(MipSolver::new()).solve(&feasible).unwrap();
    assert_eq!(
        (s.agent_of.as_slice(), s.cost, &s.status),
        (&[Some(1), None, None][..], 15.0, &Status::Optimal)
    );
    assert_eq!(MipSolver::new().solve(&feasible).unwrap().cost, 15.0);

    let s = Decomposed::new(MipSolver::new()).solve(&p).unwrap();
    let Status::Infeasible(reason) = &s.status else {
        panic!("{:?}", s.status)
    };
    assert!(reason.starts_with("task 2 "), "{reason}");
    assert!(reason.contains("1 other part"), "{reason}");
}

#[test]
fn an_inner_error_says_which_part() {
    // Min-cost flow does not take loads of 2 on a part of two tasks.
    let p = AssignmentProblem::builder(3)
        .agents([1.0, 4.0])
        .edge(0, 0, 1.0, 1.0)
        .edge(1, 1, 1.0, 2.0)
        .edge(2, 1, 1.0, 2.0)
        .build()
        .unwrap();
    let e = Decomposed::new(MinCostFlow).solve(&p).unwrap_err();
    let ErrorKind::Parameter { message, .. } = e.kind() else {
        panic!("{e}")
    };
    assert!(message.contains("part of task 1"), "{message}");
}

#[test]
fn many_small_parts_are_solved_and_merged_in_order() {
    // 20,000 pairs of tasks sharing an agent of capacity 1, the second with a penalty.
    let parts = 20_000u32;
    let mut b = AssignmentProblem::builder(2 * parts as usize).agents(vec![1.0; parts as usize]);
    for k in 0..parts {
        b = b
            .edge(2 * k, k, f64::from(k % 7), 1.0)
            .edge(2 * k + 1, k, 1.0, 1.0)
            .penalty(2 * k + 1, 3.0);
    }
    let p = b.build().unwrap();
    assert_eq!(components(&p).len(), parts as usize);
    let whole = MinCostFlow.solve(&p).unwrap();
    for batch in [0, 256] {
        let split = Decomposed::new(MinCostFlow)
            .batch_tasks(batch)
            .solve(&p)
            .unwrap();
        assert_eq!(split.status, Status::Optimal);
        assert!((whole.cost - split.cost).abs() < 1e-6);
        assert_eq!(p.evaluate(&split.agent_of), Ok(split.cost));
        assert_eq!(split.agent_of[0], Some(0));
        assert_eq!(split.agent_of[1], None);
    }
}
