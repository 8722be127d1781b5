//! Insertion of left-out tasks by ejection chains, found best-first.
//!
//! When a task is left out because every candidate agent is full, room is
//! often one or several moves away: the task takes the place of a task on a
//! full agent, which takes the place of a task on another agent, and so on
//! until a task lands on an agent with room (or is left out itself, if its
//! penalty is smaller). Each step of such a chain changes only two agents'
//! loads by one task each, so whether it fits is decided locally. The search
//! grows chains cheapest first from the left-out task, visits each agent at
//! most once per chain, and applies the cheapest chain that pays for itself.
//! Depth-two moves of the local search are the special case of one link.

use super::local::Assignment;
use super::model::{LEFT_OUT, Model};
use super::moves::{apply_moves, left_out, room_left};
use crate::assign::budget::Budget;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One task to move out of its agent, reached by a chain from the left-out task.
#[derive(Clone, Copy)]
struct Link {
    /// The task that must leave its agent.
    task: u32,
    /// Cost change of the chain so far (every move up to this task's eviction).
    cost: f64,
    /// The link of the task that takes this one's place (`NONE` for the root).
    parent: u32,
    /// The edge by which the parent's task enters this task's agent.
    entering: u32,
    depth: u8,
}

const NONE: u32 = u32::MAX;

/// A chain's end: the last task moves to `edge` (an agent with room) or is left out.
#[derive(Clone, Copy)]
struct End {
    cost: f64,
    link: u32,
    edge: u32,
}

/// Heap entry: the cheapest link first, ties by creation order.
struct Open(f64, u32);

impl PartialEq for Open {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Open {}
impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Open {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Limits of one chain search.
#[derive(Debug, Clone, Copy)]
pub(super) struct ChainLimits {
    /// Links expanded per left-out task.
    pub expansions: usize,
    /// Moves per chain, the left-out task's included.
    pub depth: u8,
}

/// Reusable buffers of the search.
#[derive(Default)]
pub(super) struct ChainSearch {
    links: Vec<Link>,
    heap: BinaryHeap<Open>,
    path_agents: Vec<u32>,
    /// Steps of work since the budget was last told.
    pub work: u64,
}

impl ChainSearch {
    /// Tries every left-out task once, most expensive to leave out first;
    /// returns how many were inserted.
    pub fn insert_left_out(
        &mut self,
        m: &Model,
        sol: &mut Assignment,
        limits: ChainLimits,
        budget: &Budget,
    ) -> usize {
        self.each_left_out(m, sol, budget, |s, sol, t| {
            s.search(m, sol, t, limits)
                .is_some_and(|end| s.apply(m, sol, end))
        })
    }

    /// Tries `place` on every left-out task once, most expensive to leave
    /// out first, telling `budget` the work counted since the last try
    /// before each; returns how many it placed.
    pub fn each_left_out(
        &mut self,
        m: &Model,
        sol: &mut Assignment,
        budget: &Budget,
        mut place: impl FnMut(&mut Self, &mut Assignment, usize) -> bool,
    ) -> usize {
        let mut placed = 0;
        for t in left_out(m, sol) {
            if budget.spend(std::mem::take(&mut self.work)) {
                break;
            }
            if place(self, sol, t) {
                placed += 1;
            }
        }
        placed
    }

    /// The cheapest improving chain that places left-out task `t`, if any.
    fn search(
        &mut self,
        m: &Model,
        sol: &Assignment,
        t: usize,
        limits: ChainLimits,
    ) -> Option<End> {
        let eps = 1e-9 * m.option_cost(t, LEFT_OUT).abs().max(1.0);
        self.links.clear();
        self.heap.clear();
        self.links.push(Link {
            task: t as u32,
            cost: 0.0,
            parent: NONE,
            entering: NONE,
            depth: 0,
        });
        self.heap.push(Open(0.0, 0));
        let mut best: Option<End> = None;
        let mut expanded = 0;
        while let Some(Open(_, l)) = self.heap.pop() {
            if expanded >= limits.expansions {
                break;
            }
            expanded += 1;
            self.work += 1 + m.task_edges(self.links[l as usize].task as usize).len() as u64;
            let link = self.links[l as usize];
            let y = link.task as usize;
            let current = sol.of[y];
            let here = m.option_cost(y, current);
            let from = (current != LEFT_OUT).then(|| m.edges[current as usize].agent);
            self.collect_path(m, l);
            // The task left out at the end (not the root: that would change nothing).
            if link.parent != NONE
                && let Some(p) = m.penalty[y]
            {
                let cost = link.cost + p - here;
                if cost < best.map_or(-eps, |b| b.cost) {
                    best = Some(End {
                        cost,
                        link: l,
                        edge: LEFT_OUT,
                    });
                }
            }
            for f in m.task_edges(y) {
                let edge = m.edges[f];
                let b = edge.agent;
                if Some(b) == from || self.path_agents.contains(&b) {
                    continue;
                }
                let cost = link.cost + edge.cost - here;
                let b = b as usize;
                let room = room_left(m, sol, b, 0.0);
                let need = edge.load - room;
                if need <= 0.0 {
                    let group_ok = m.group_of[b]
                        .is_none_or(|g| sol.group_count[g as usize] < m.group_cap[g as usize]);
                    if group_ok && cost < best.map_or(-eps, |x| x.cost) {
                        best = Some(End {
                            cost,
                            link: l,
                            edge: f as u32,
                        });
                    }
                    continue;
                }
                if link.depth + 1 >= limits.depth {
                    continue;
                }
                for &z in &sol.on[b] {
                    let ez = sol.of[z as usize] as usize;
                    if m.edges[ez].load >= need {
                        self.links.push(Link {
                            task: z,
                            cost,
                            parent: l,
                            entering: f as u32,
                            depth: link.depth + 1,
                        });
                        self.heap.push(Open(cost, self.links.len() as u32 - 1));
                    }
                }
            }
        }
        best
    }

    /// The agents of the chain ending at link `l` (where its tasks sit now).
    fn collect_path(&mut self, m: &Model, l: u32) {
        self.path_agents.clear();
        let mut k = l;
        while k != NONE {
            let link = self.links[k as usize];
            if link.entering != NONE {
                self.path_agents.push(m.edges[link.entering as usize].agent);
            }
            k = link.parent;
        }
    }

    /// Moves every task of the chain: each into the place of the next, the last to its end.
    fn apply(&mut self, m: &Model, sol: &mut Assignment, end: End) -> bool {
        let mut moves: Vec<(usize, u32)> = Vec::new();
        let last = self.links[end.link as usize].task as usize;
        moves.push((last, end.edge));
        let mut k = end.link;
        while k != NONE {
            let link = self.links[k as usize];
            if link.parent != NONE {
                let parent = self.links[link.parent as usize].task as usize;
                moves.push((parent, link.entering));
            }
            k = link.parent;
        }
        apply_moves(m, sol, &moves)
    }
}

#[cfg(test)]
mod tests {
    use super::super::moves::tests::{agents, problem, start};
    use super::*;

    #[test]
    fn a_chain_of_three_moves_makes_room_for_a_left_out_task() {
        // Task 0 fits only agent 0, which task 1 fills; task 1 may move to
        // agent 1, which task 2 fills; task 2 may move to the empty agent 2.
        let p = problem(
            &[10.0, 10.0, 10.0],
            &[
                (0, 0, 1.0, 10.0),
                (1, 0, 1.0, 10.0),
                (1, 1, 2.0, 10.0),
                (2, 1, 1.0, 10.0),
                (2, 2, 2.0, 10.0),
            ],
            &[Some(100.0), Some(100.0), Some(100.0)],
        );
        let m = Model::new(&p);
        let placed = [None, Some(0), Some(1)];
        let budget = Budget::ample();

        let mut short = start(&m, &placed);
        let limits = ChainLimits {
            expansions: 100,
            depth: 2,
        };
        let found = ChainSearch::default().insert_left_out(&m, &mut short, limits, &budget);
        assert_eq!(found, 0, "two moves cannot reach the empty agent");

        let mut sol = start(&m, &placed);
        let before = sol.cost(&m);
        let limits = ChainLimits {
            expansions: 100,
            depth: 3,
        };
        let found = ChainSearch::default().insert_left_out(&m, &mut sol, limits, &budget);
        assert_eq!(found, 1);
        let agent_of = agents(&m, &sol);
        assert_eq!(agent_of, [Some(0), Some(1), Some(2)]);
        assert!(sol.cost(&m) < before);
        assert_eq!(p.evaluate(&agent_of), Ok(sol.cost(&m)));
    }

    #[test]
    fn a_chain_that_does_not_pay_is_not_applied() {
        // Moving task 1 away costs more than leaving task 0 out.
        let p = problem(
            &[10.0, 10.0],
            &[(0, 0, 1.0, 10.0), (1, 0, 1.0, 10.0), (1, 1, 50.0, 10.0)],
            &[Some(20.0), Some(100.0)],
        );
        let m = Model::new(&p);
        let mut sol = start(&m, &[None, Some(0)]);
        let limits = ChainLimits {
            expansions: 100,
            depth: 4,
        };
        let budget = Budget::ample();
        assert_eq!(
            ChainSearch::default().insert_left_out(&m, &mut sol, limits, &budget),
            0
        );
        assert_eq!(agents(&m, &sol), [None, Some(0)]);
    }
}
