//! Re-planning around a left-out task: every task on its candidate agents
//! is taken off and all are put back, the left-out task first, when that
//! costs less than before.

use super::local::Assignment;
use super::model::{FREE, LEFT_OUT, Model};
use super::moves::{apply_moves, left_out};
use crate::assign::budget::Budget;

/// Re-plans the neighbourhood of each left-out task, most expensive first:
/// every task on its candidate agents is taken off, the left-out task is
/// put on one of those agents (each is tried), the others go back by regret
/// to any of their options; the cheapest outcome is kept if it beats the
/// neighbourhood's cost before. Returns how many left-out tasks were placed.
pub(super) fn repack_left_out(m: &Model, sol: &mut Assignment, budget: &Budget) -> usize {
    let mut placed = 0;
    let mut group: Vec<usize> = Vec::new();
    let mut work = 0;
    for t in left_out(m, sol) {
        if budget.spend(std::mem::take(&mut work)) {
            break;
        }
        if sol.of[t] != LEFT_OUT {
            continue;
        }
        group.clear();
        group.push(t);
        for e in m.task_edges(t) {
            group.extend(
                sol.on[m.edges[e].agent as usize]
                    .iter()
                    .map(|&z| z as usize),
            );
        }
        group.sort_unstable();
        group.dedup();
        // Each try re-places the group, each task by its options.
        let options: usize = group.iter().map(|&z| m.task_edges(z).len()).sum();
        work = (options * m.task_edges(t).len()) as u64;
        let before: Vec<u32> = group.iter().map(|&z| sol.of[z]).collect();
        let cost_before: f64 = group.iter().map(|&z| m.option_cost(z, sol.of[z])).sum();
        let mut best: Option<(f64, Vec<u32>)> = None;
        for e in m.task_edges(t) {
            for &z in &group {
                sol.remove(m, z);
            }
            let ok =
                sol.place(m, t, e as u32) && sol.complete_tasks(m, group.iter().copied(), false);
            if ok {
                let cost: f64 = group.iter().map(|&z| m.option_cost(z, sol.of[z])).sum();
                if cost < best.as_ref().map_or(cost_before, |b| b.0) - 1e-9 * cost.abs().max(1.0) {
                    best = Some((cost, group.iter().map(|&z| sol.of[z]).collect()));
                }
            }
            for &z in &group {
                if sol.of[z] != FREE {
                    sol.remove(m, z);
                }
            }
            // Only the group's tasks moved, so their old places fit again.
            for (&z, &o) in group.iter().zip(&before) {
                sol.place(m, z, o);
            }
        }
        if let Some((_, after)) = best {
            let moves: Vec<(usize, u32)> = group.iter().copied().zip(after).collect();
            if apply_moves(m, sol, &moves) {
                placed += 1;
            }
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::super::moves::tests::{agents, problem, start};
    use super::*;

    #[test]
    fn repacking_the_candidates_places_a_left_out_task_when_it_pays() {
        // Task 0 needs all of agent 0; tasks 1 and 2 there can move to agent
        // 1 (room for one) and agent 2 (room for one), at a small extra cost.
        let p = problem(
            &[10.0, 10.0, 5.0],
            &[
                (0, 0, 1.0, 10.0),
                (1, 0, 1.0, 5.0),
                (1, 1, 2.0, 5.0),
                (2, 0, 1.0, 5.0),
                (2, 1, 2.0, 5.0),
                (2, 2, 3.0, 5.0),
                (3, 1, 1.0, 5.0),
            ],
            &[Some(100.0), Some(100.0), Some(100.0), Some(100.0)],
        );
        let m = Model::new(&p);
        let mut sol = start(&m, &[None, Some(0), Some(0), Some(1)]);
        let before = sol.cost(&m);
        let budget = Budget::ample();
        assert_eq!(repack_left_out(&m, &mut sol, &budget), 1);
        let agent_of = agents(&m, &sol);
        assert_eq!(agent_of[0], Some(0));
        let cost = p.evaluate(&agent_of).expect("feasible");
        assert!(
            cost < before && (cost - sol.cost(&m)).abs() < 1e-9,
            "{cost} vs {before}"
        );
    }

    #[test]
    fn repacking_keeps_the_plan_when_serving_costs_more_than_the_penalty() {
        let p = problem(
            &[10.0, 10.0],
            &[(0, 0, 1.0, 10.0), (1, 0, 1.0, 10.0), (1, 1, 80.0, 10.0)],
            &[Some(50.0), Some(200.0)],
        );
        let m = Model::new(&p);
        let mut sol = start(&m, &[None, Some(0)]);
        let budget = Budget::ample();
        assert_eq!(repack_left_out(&m, &mut sol, &budget), 0);
        assert_eq!(agents(&m, &sol), [None, Some(0)]);
    }
}
