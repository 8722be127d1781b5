//! What the insertions of left-out tasks share: the order they try the
//! tasks in, the room an agent has, and moving several tasks at once.

use super::local::Assignment;
use super::model::{FREE, LEFT_OUT, Model};

/// The left-out tasks of `sol`, most expensive to leave out first (ties by task).
pub(super) fn left_out(m: &Model, sol: &Assignment) -> Vec<usize> {
    let mut left: Vec<(f64, usize)> = (0..m.tasks())
        .filter(|&t| sol.of[t] == LEFT_OUT)
        .map(|t| (m.option_cost(t, LEFT_OUT), t))
        .collect();
    left.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    left.into_iter().map(|(_, t)| t).collect()
}

/// The capacity agent `a` has left in `sol` once `taken` more is used, with
/// the tolerance [`AssignmentProblem::evaluate`] allows.
///
/// [`AssignmentProblem::evaluate`]: crate::assign::AssignmentProblem::evaluate
pub(super) fn room_left(m: &Model, sol: &Assignment, a: usize, taken: f64) -> f64 {
    m.cap[a] - sol.used[a] - taken + 1e-9 * m.cap[a].max(1.0)
}

/// Moves each task to its new option (an edge or `LEFT_OUT`) at once; if
/// some move does not fit after all, restores every task and returns false.
pub(super) fn apply_moves(m: &Model, sol: &mut Assignment, moves: &[(usize, u32)]) -> bool {
    let before: Vec<(usize, u32)> = moves.iter().map(|&(t, _)| (t, sol.of[t])).collect();
    for &(t, _) in moves {
        sol.remove(m, t);
    }
    // Tasks that leave an agent first, so the ones that enter find their room.
    let placed = moves
        .iter()
        .rev()
        .all(|&(t, o)| sol.of[t] == FREE && sol.place(m, t, o));
    if !placed {
        for &(t, _) in moves {
            if sol.of[t] != FREE {
                sol.remove(m, t);
            }
        }
        for (t, o) in before {
            sol.place(m, t, o);
        }
    }
    placed
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::assign::AssignmentProblem;

    /// A problem of agents of capacities `caps`, edges `(task, agent, cost,
    /// load)`, and one task per entry of `penalties` (`None`: no penalty).
    pub(in crate::assign::lagrange) fn problem(
        caps: &[f64],
        edges: &[(u32, u32, f64, f64)],
        penalties: &[Option<f64>],
    ) -> AssignmentProblem {
        let mut b = AssignmentProblem::builder(penalties.len()).agents(caps.iter().copied());
        for &(t, a, cost, load) in edges {
            b = b.edge(t, a, cost, load);
        }
        for (t, p) in penalties.iter().enumerate() {
            if let Some(p) = *p {
                b = b.penalty(t as u32, p);
            }
        }
        b.build().expect("valid")
    }

    /// An assignment of `m` with each task placed by its edge to the agent
    /// given, or left out.
    pub(in crate::assign::lagrange) fn start(m: &Model, agents: &[Option<u32>]) -> Assignment {
        let mut sol = Assignment::empty(m);
        for (t, agent) in agents.iter().enumerate() {
            let option = agent.map_or(LEFT_OUT, |a| m.edge_to(t, a).expect("edge") as u32);
            assert!(sol.place(m, t, option));
        }
        sol
    }

    /// The agent of each task of `sol`, `None` for a left-out task.
    pub(in crate::assign::lagrange) fn agents(m: &Model, sol: &Assignment) -> Vec<Option<u32>> {
        sol.of
            .iter()
            .map(|&o| (o != LEFT_OUT).then(|| m.edges[o as usize].agent))
            .collect()
    }

    #[test]
    fn moves_that_do_not_fit_leave_every_task_where_it_was() {
        // Agent 1, where task 2 is, has room for one of tasks 0 and 1, not both.
        let p = problem(
            &[10.0, 10.0],
            &[
                (0, 0, 1.0, 6.0),
                (0, 1, 1.0, 6.0),
                (1, 0, 1.0, 6.0),
                (1, 1, 1.0, 6.0),
                (2, 1, 1.0, 4.0),
            ],
            &[None, Some(100.0), None],
        );
        let m = Model::new(&p);
        let mut sol = start(&m, &[Some(0), None, Some(1)]);
        let e = |t: usize, a: u32| m.edge_to(t, a).expect("edge") as u32;
        assert!(!apply_moves(&m, &mut sol, &[(0, e(0, 1)), (1, e(1, 1))]));
        assert_eq!(agents(&m, &sol), [Some(0), None, Some(1)]);
        assert!(apply_moves(&m, &mut sol, &[(1, e(1, 0)), (0, e(0, 1))]));
        assert_eq!(agents(&m, &sol), [Some(1), Some(0), Some(1)]);
    }
}
