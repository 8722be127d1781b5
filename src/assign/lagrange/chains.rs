//! Insertion of left-out tasks: ejection chains found best-first, clearing
//! room on one agent, and re-planning a left-out task's candidate agents.
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
//!
//! A long task needs more room than one eviction frees: clearing moves
//! several of one agent's tasks straight to agents with room, and
//! re-planning takes every task off the left-out task's candidate agents
//! and puts them all back, the left-out task first.

use super::budget::Budget;
use super::local::Assignment;
use super::model::{FREE, LEFT_OUT, Model};
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
    work: u64,
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
        let mut left: Vec<(f64, usize)> = (0..m.tasks())
            .filter(|&t| sol.of[t] == LEFT_OUT)
            .map(|t| (m.option_cost(t, LEFT_OUT), t))
            .collect();
        left.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut inserted = 0;
        for &(_, t) in &left {
            if budget.spend(std::mem::take(&mut self.work)) {
                break;
            }
            if let Some(end) = self.search(m, sol, t, limits)
                && self.apply(m, sol, end)
            {
                inserted += 1;
            }
        }
        inserted
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
                let room = m.cap[b] - sol.used[b] + 1e-9 * m.cap[b].max(1.0);
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

    /// Places left-out task `t` on an agent by moving several of its tasks to
    /// agents with room, when that pays: for each candidate agent, the tasks
    /// that free its minutes at the least cost per minute go first.
    fn clear_room(&mut self, m: &Model, sol: &Assignment, t: usize) -> Option<Vec<(usize, u32)>> {
        let penalty = m.penalty[t]?;
        let eps = 1e-9 * penalty.abs().max(1.0);
        let mut best: Option<(f64, Vec<(usize, u32)>)> = None;
        let mut relocations: Vec<(f64, usize, u32, f64)> = Vec::new();
        let mut extra: Vec<(u32, f64)> = Vec::new();
        for f in m.task_edges(t) {
            let edge = m.edges[f];
            let b = edge.agent as usize;
            let room = m.cap[b] - sol.used[b] + 1e-9 * m.cap[b].max(1.0);
            let need = edge.load - room;
            let gain = edge.cost - penalty;
            if need <= 0.0 || gain >= best.as_ref().map_or(-eps, |x| x.0) {
                continue;
            }
            // Each task of b at its cheapest direct relocation.
            relocations.clear();
            for &z in &sol.on[b] {
                let z = z as usize;
                self.work += m.task_edges(z).len() as u64;
                let ez = sol.of[z] as usize;
                let here = m.edges[ez].cost;
                let to = m
                    .task_edges(z)
                    .filter(|&g| m.edges[g].agent as usize != b && sol.fits(m, g, None))
                    .map(|g| (m.edges[g].cost - here, g as u32))
                    .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                if let Some((delta, g)) = to {
                    relocations.push((delta / m.edges[ez].load.max(1e-9), z, g, delta));
                }
            }
            relocations.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            extra.clear();
            let mut freed = 0.0;
            let mut cost = gain;
            let mut moves = vec![(t, f as u32)];
            for &(_, z, g, delta) in &relocations {
                if freed >= need {
                    break;
                }
                let ge = m.edges[g as usize];
                let c = ge.agent;
                // Earlier relocations of this plan may have taken c's room.
                let taken = extra.iter().find(|x| x.0 == c).map_or(0.0, |x| x.1);
                let c_room = m.cap[c as usize] - sol.used[c as usize] - taken
                    + 1e-9 * m.cap[c as usize].max(1.0);
                if ge.load > c_room {
                    continue;
                }
                match extra.iter_mut().find(|x| x.0 == c) {
                    Some(x) => x.1 += ge.load,
                    None => extra.push((c, ge.load)),
                }
                freed += m.edges[sol.of[z] as usize].load;
                cost += delta;
                moves.push((z, g));
            }
            if freed >= need && cost < best.as_ref().map_or(-eps, |x| x.0) {
                best = Some((cost, moves));
            }
        }
        best.map(|b| b.1)
    }

    /// Inserts left-out tasks by clearing room on one agent, most expensive to leave out first.
    pub fn clear_for_left_out(
        &mut self,
        m: &Model,
        sol: &mut Assignment,
        budget: &Budget,
    ) -> usize {
        let mut left: Vec<(f64, usize)> = (0..m.tasks())
            .filter(|&t| sol.of[t] == LEFT_OUT)
            .map(|t| (m.option_cost(t, LEFT_OUT), t))
            .collect();
        left.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut inserted = 0;
        for &(_, t) in &left {
            if budget.spend(std::mem::take(&mut self.work)) {
                break;
            }
            if let Some(moves) = self.clear_room(m, sol, t)
                && apply_moves(m, sol, &moves)
            {
                inserted += 1;
            }
        }
        inserted
    }
}

/// Re-plans the neighbourhood of each left-out task, most expensive first:
/// every task on its candidate agents is taken off, the left-out task is
/// put on one of those agents (each is tried), the others go back by regret
/// to any of their options; the cheapest outcome is kept if it beats the
/// neighbourhood's cost before. Returns how many left-out tasks were placed.
pub(super) fn repack_left_out(m: &Model, sol: &mut Assignment, budget: &Budget) -> usize {
    let mut left: Vec<(f64, usize)> = (0..m.tasks())
        .filter(|&t| sol.of[t] == LEFT_OUT)
        .map(|t| (m.option_cost(t, LEFT_OUT), t))
        .collect();
    left.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut placed = 0;
    let mut group: Vec<usize> = Vec::new();
    let mut work = 0;
    for &(_, t) in &left {
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

/// Moves each task to its new option (an edge or `LEFT_OUT`) at once; if
/// some move does not fit after all, restores every task and returns false.
fn apply_moves(m: &Model, sol: &mut Assignment, moves: &[(usize, u32)]) -> bool {
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
mod tests {
    use super::*;
    use crate::assign::AssignmentProblem;

    /// `t` placed by edge to `agent`, or left out.
    fn put(m: &Model, sol: &mut Assignment, t: usize, agent: Option<u32>) {
        let option = agent.map_or(LEFT_OUT, |a| m.edge_to(t, a).expect("edge") as u32);
        assert!(sol.place(m, t, option));
    }

    fn agent_of(m: &Model, sol: &Assignment, t: usize) -> Option<u32> {
        (sol.of[t] != LEFT_OUT).then(|| m.edges[sol.of[t] as usize].agent)
    }

    #[test]
    fn a_chain_of_three_moves_makes_room_for_a_left_out_task() {
        // Task 0 fits only agent 0, which task 1 fills; task 1 may move to
        // agent 1, which task 2 fills; task 2 may move to the empty agent 2.
        let p = AssignmentProblem::builder(3)
            .agents([10.0, 10.0, 10.0])
            .edge(0, 0, 1.0, 10.0)
            .edge(1, 0, 1.0, 10.0)
            .edge(1, 1, 2.0, 10.0)
            .edge(2, 1, 1.0, 10.0)
            .edge(2, 2, 2.0, 10.0)
            .penalty(0, 100.0)
            .penalty(1, 100.0)
            .penalty(2, 100.0)
            .build()
            .expect("valid");
        let m = Model::new(&p);
        let start = |sol: &mut Assignment| {
            put(&m, sol, 0, None);
            put(&m, sol, 1, Some(0));
            put(&m, sol, 2, Some(1));
        };
        let budget = Budget::ample();

        let mut short = Assignment::empty(&m);
        start(&mut short);
        let limits = ChainLimits {
            expansions: 100,
            depth: 2,
        };
        let found = ChainSearch::default().insert_left_out(&m, &mut short, limits, &budget);
        assert_eq!(found, 0, "two moves cannot reach the empty agent");

        let mut sol = Assignment::empty(&m);
        start(&mut sol);
        let before = sol.cost(&m);
        let limits = ChainLimits {
            expansions: 100,
            depth: 3,
        };
        let found = ChainSearch::default().insert_left_out(&m, &mut sol, limits, &budget);
        assert_eq!(found, 1);
        assert_eq!(
            (0..3).map(|t| agent_of(&m, &sol, t)).collect::<Vec<_>>(),
            [Some(0), Some(1), Some(2)]
        );
        assert!(sol.cost(&m) < before);
        let agent_of: Vec<_> = (0..3).map(|t| agent_of(&m, &sol, t)).collect();
        assert_eq!(p.evaluate(&agent_of), Ok(sol.cost(&m)));
    }

    #[test]
    fn a_chain_that_does_not_pay_is_not_applied() {
        // Moving task 1 away costs more than leaving task 0 out.
        let p = AssignmentProblem::builder(2)
            .agents([10.0, 10.0])
            .edge(0, 0, 1.0, 10.0)
            .edge(1, 0, 1.0, 10.0)
            .edge(1, 1, 50.0, 10.0)
            .penalty(0, 20.0)
            .penalty(1, 100.0)
            .build()
            .expect("valid");
        let m = Model::new(&p);
        let mut sol = Assignment::empty(&m);
        put(&m, &mut sol, 0, None);
        put(&m, &mut sol, 1, Some(0));
        let limits = ChainLimits {
            expansions: 100,
            depth: 4,
        };
        let budget = Budget::ample();
        assert_eq!(
            ChainSearch::default().insert_left_out(&m, &mut sol, limits, &budget),
            0
        );
        assert_eq!(agent_of(&m, &sol, 0), None);
    }

    #[test]
    fn clearing_moves_several_tasks_to_fit_a_large_one() {
        // Task 0 needs all of agent 0, which tasks 1 and 2 share; each of
        // them fits one of agents 1 and 2.
        let p = AssignmentProblem::builder(3)
            .agents([10.0, 5.0, 5.0])
            .edge(0, 0, 1.0, 10.0)
            .edge(1, 0, 1.0, 5.0)
            .edge(1, 1, 3.0, 5.0)
            .edge(2, 0, 1.0, 5.0)
            .edge(2, 2, 3.0, 5.0)
            .penalty(0, 100.0)
            .penalty(1, 100.0)
            .penalty(2, 100.0)
            .build()
            .expect("valid");
        let m = Model::new(&p);
        let mut sol = Assignment::empty(&m);
        put(&m, &mut sol, 0, None);
        put(&m, &mut sol, 1, Some(0));
        put(&m, &mut sol, 2, Some(0));
        let budget = Budget::ample();
        let limits = ChainLimits {
            expansions: 100,
            depth: 6,
        };
        let mut search = ChainSearch::default();
        assert_eq!(search.insert_left_out(&m, &mut sol, limits, &budget), 0);
        assert_eq!(search.clear_for_left_out(&m, &mut sol, &budget), 1);
        let agent_of: Vec<_> = (0..3).map(|t| agent_of(&m, &sol, t)).collect();
        assert_eq!(agent_of, [Some(0), Some(1), Some(2)]);
        assert_eq!(p.evaluate(&agent_of), Ok(7.0));
    }

    #[test]
    fn repacking_the_candidates_places_a_left_out_task_when_it_pays() {
        // Task 0 needs all of agent 0; tasks 1 and 2 there can move to agent
        // 1 (room for one) and agent 2 (room for one), at a small extra cost.
        let p = AssignmentProblem::builder(4)
            .agents([10.0, 10.0, 5.0])
            .edge(0, 0, 1.0, 10.0)
            .edge(1, 0, 1.0, 5.0)
            .edge(1, 1, 2.0, 5.0)
            .edge(2, 0, 1.0, 5.0)
            .edge(2, 1, 2.0, 5.0)
            .edge(2, 2, 3.0, 5.0)
            .edge(3, 1, 1.0, 5.0)
            .penalty(0, 100.0)
            .penalty(1, 100.0)
            .penalty(2, 100.0)
            .penalty(3, 100.0)
            .build()
            .expect("valid");
        let m = Model::new(&p);
        let mut sol = Assignment::empty(&m);
        put(&m, &mut sol, 0, None);
        put(&m, &mut sol, 1, Some(0));
        put(&m, &mut sol, 2, Some(0));
        put(&m, &mut sol, 3, Some(1));
        let before = sol.cost(&m);
        let budget = Budget::ample();
        assert_eq!(repack_left_out(&m, &mut sol, &budget), 1);
        let agent_of: Vec<_> = (0..4).map(|t| agent_of(&m, &sol, t)).collect();
        assert_eq!(agent_of[0], Some(0));
        let cost = p.evaluate(&agent_of).expect("feasible");
        assert!(
            cost < before && (cost - sol.cost(&m)).abs() < 1e-9,
            "{cost} vs {before}"
        );
    }

    #[test]
    fn repacking_keeps_the_plan_when_serving_costs_more_than_the_penalty() {
        let p = AssignmentProblem::builder(2)
            .agents([10.0, 10.0])
            .edge(0, 0, 1.0, 10.0)
            .edge(1, 0, 1.0, 10.0)
            .edge(1, 1, 80.0, 10.0)
            .penalty(0, 50.0)
            .penalty(1, 200.0)
            .build()
            .expect("valid");
        let m = Model::new(&p);
        let mut sol = Assignment::empty(&m);
        put(&m, &mut sol, 0, None);
        put(&m, &mut sol, 1, Some(0));
        let budget = Budget::ample();
        assert_eq!(repack_left_out(&m, &mut sol, &budget), 0);
        assert_eq!(agent_of(&m, &sol, 0), None);
        assert_eq!(agent_of(&m, &sol, 1), Some(0));
    }
}
