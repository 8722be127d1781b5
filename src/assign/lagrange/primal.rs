//! Feasible assignments: from a warm start or the relaxation's selections,
//! improved by local search and by putting left-out tasks back, and kept
//! when they beat the incumbent.

use super::chains::{ChainLimits, ChainSearch};
use super::dual::Dual;
use super::local::Assignment;
use super::model::{FREE, LARGE, LEFT_OUT};
use super::repack::repack_left_out;
use super::search::Search;

/// Ejection-chain searches for left-out tasks: short and cheap first, then deeper.
const CHAIN_PASSES: [ChainLimits; 2] = [
    ChainLimits {
        expansions: 300,
        depth: 5,
    },
    ChainLimits {
        expansions: 2_000,
        depth: 8,
    },
];

/// Rounds of re-planning around left-out tasks, at most.
const REPACK_ROUNDS: usize = 4;

impl Search<'_> {
    /// Takes a feasible assignment as the first incumbent, after local search.
    pub fn start_from(&mut self, agent_of: &[Option<u32>]) {
        let m = self.m;
        let mut sol = Assignment::empty(m);
        for (t, a) in agent_of.iter().enumerate() {
            let option = match a {
                None => LEFT_OUT,
                Some(a) => match m.edge_to(t, *a) {
                    Some(e) => e as u32,
                    None => return,
                },
            };
            if !sol.place(m, t, option) {
                return;
            }
        }
        self.polish(&mut sol, m.tasks() <= LARGE);
        self.best_cost = sol.cost(m);
        self.best = Some(sol.of);
    }

    /// Builds an assignment from the relaxation's selections and improves it.
    pub fn heuristic(&mut self, dual: &Dual, deep: bool) {
        let m = self.m;
        if self.best.is_some() && self.out_of_time() {
            return;
        }
        let n = m.tasks();
        let mut sol = Assignment::empty(m);
        // Fixed tasks first.
        for t in 0..n {
            let f = self.st.fixed[t];
            if f != FREE && !sol.place(m, t, f) {
                return;
            }
        }
        // Whole selections, cheapest first for tasks selected more than once.
        let mut picks: Vec<(u32, f64)> = dual
            .chosen
            .iter()
            .filter(|&&(_, f)| f >= 1.0 - 1e-9)
            .map(|&(e, _)| (e, m.edges[e as usize].cost))
            .collect();
        picks.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        for (e, _) in picks {
            let t = m.edges[e as usize].task as usize;
            if sol.of[t] == FREE {
                sol.place(m, t, e);
            }
        }
        for &t in &dual.left_out {
            if sol.of[t as usize] == FREE {
                sol.place(m, t as usize, LEFT_OUT);
            }
        }
        if !sol.complete(m) {
            return;
        }
        self.polish(&mut sol, deep);
        self.keep(sol);
    }

    /// Local search, then left-out tasks put back: by ejection chains, by
    /// clearing room on one agent, and by re-planning their candidate
    /// agents' tasks, rounds of the last two repeated while they place some.
    pub fn polish(&self, sol: &mut Assignment, deep: bool) {
        let m = self.m;
        sol.improve(m, deep, &self.budget);
        let mut chains = ChainSearch::default();
        for limits in CHAIN_PASSES {
            chains.insert_left_out(m, sol, limits, &self.budget);
        }
        let mut placed = chains.clear_for_left_out(m, sol, &self.budget);
        for _ in 0..REPACK_ROUNDS {
            placed += repack_left_out(m, sol, &self.budget);
            if placed == 0 {
                break;
            }
            placed = chains.insert_left_out(m, sol, CHAIN_PASSES[1], &self.budget);
            sol.improve(m, deep, &self.budget);
        }
    }

    /// Takes `sol` as the incumbent if it costs less.
    pub fn keep(&mut self, sol: Assignment) {
        let cost = sol.cost(self.m);
        if cost < self.best_cost - 1e-9 * cost.abs().max(1.0) {
            self.best_cost = cost;
            self.best = Some(sol.of);
        }
    }
}
