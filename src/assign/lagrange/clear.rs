//! Clearing room on one agent for a left-out task too long for one
//! eviction to fit: several of the agent's tasks move straight to agents
//! with room, those that free its load at the least cost first.

use super::chains::ChainSearch;
use super::local::Assignment;
use super::model::Model;
use super::moves::{apply_moves, room_left};
use crate::assign::budget::Budget;

impl ChainSearch {
    /// Inserts left-out tasks by clearing room on one agent, most expensive to leave out first.
    pub fn clear_for_left_out(
        &mut self,
        m: &Model,
        sol: &mut Assignment,
        budget: &Budget,
    ) -> usize {
        self.each_left_out(m, sol, budget, |s, sol, t| {
            s.clear_room(m, sol, t)
                .is_some_and(|moves| apply_moves(m, sol, &moves))
        })
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
            let room = room_left(m, sol, b, 0.0);
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
                if ge.load > room_left(m, sol, c as usize, taken) {
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
}

#[cfg(test)]
mod tests {
    use super::super::chains::ChainLimits;
    use super::super::moves::tests::{agents, problem, start};
    use super::*;

    #[test]
    fn clearing_moves_several_tasks_to_fit_a_large_one() {
        // Task 0 needs all of agent 0, which tasks 1 and 2 share; each of
        // them fits one of agents 1 and 2.
        let p = problem(
            &[10.0, 5.0, 5.0],
            &[
                (0, 0, 1.0, 10.0),
                (1, 0, 1.0, 5.0),
                (1, 1, 3.0, 5.0),
                (2, 0, 1.0, 5.0),
                (2, 2, 3.0, 5.0),
            ],
            &[Some(100.0), Some(100.0), Some(100.0)],
        );
        let m = Model::new(&p);
        let mut sol = start(&m, &[None, Some(0), Some(0)]);
        let budget = Budget::ample();
        let limits = ChainLimits {
            expansions: 100,
            depth: 6,
        };
        let mut search = ChainSearch::default();
        assert_eq!(search.insert_left_out(&m, &mut sol, limits, &budget), 0);
        assert_eq!(search.clear_for_left_out(&m, &mut sol, &budget), 1);
        let agent_of = agents(&m, &sol);
        assert_eq!(agent_of, [Some(0), Some(1), Some(2)]);
        assert_eq!(p.evaluate(&agent_of), Ok(7.0));
    }
}
