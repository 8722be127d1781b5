//! Subgradient steps on the multipliers of a region of tasks only.
//!
//! On a national day, capacity is short in a few places: elsewhere every
//! task's multiplier from the capacity prices already sits at its cheapest
//! option and its knapsacks agree. Steps on all 100,000 multipliers mostly
//! add noise there, and each step re-solves 33,000 knapsacks. Holding the
//! multipliers outside the region fixed, only the knapsacks of agents that
//! may take a region task change, so a step costs a fraction of a full
//! relaxation and the steps can be many — which is what lets the knapsacks'
//! integer bound, stronger than the LP, come through.

use super::model::FREE;
use super::search::Search;
use std::time::{Duration, Instant};

impl Search<'_> {
    /// Polyak subgradient steps on the multipliers of `region` from
    /// `lambda`, with group multipliers `mu` held; returns the best bound
    /// and its multipliers. Stops after `iterations` steps, when the step
    /// size has shrunk away, or when less time is left than two steps and a
    /// full relaxation take.
    pub(super) fn regional_ascent(
        &mut self,
        mut lambda: Vec<f64>,
        mu: &[f64],
        region: &[u32],
        iterations: usize,
    ) -> (f64, Vec<f64>) {
        let m = self.m;
        let n = m.tasks();
        let agents = m.cap.len();
        let mut in_region = vec![false; n];
        let mut agent_in = vec![false; agents];
        for &t in region {
            in_region[t as usize] = true;
            for e in m.task_edges(t as usize) {
                agent_in[m.edges[e].agent as usize] = true;
            }
        }
        let region_agents: Vec<usize> = (0..agents).filter(|&a| agent_in[a]).collect();
        // A step solves the region agents' knapsacks.
        let region_edges: u64 = region_agents
            .iter()
            .map(|&a| m.of_agent(a).len() as u64)
            .sum();
        // Agents outside take no region task: their knapsacks never change.
        let mut chosen = Vec::new();
        let mut outside = 0.0;
        let solving_outside = Instant::now();
        for a in (0..agents).filter(|&a| !agent_in[a]) {
            self.collect_items(a, &lambda, mu);
            if !self.items.is_empty() {
                chosen.clear();
                let room = self.st.room(m, a);
                outside += self
                    .knap
                    .solve(&self.items, room, m.integral[a], true, &mut chosen);
            }
        }
        // The full relaxation that follows these steps re-solves these knapsacks too.
        let reserve = solving_outside.elapsed();
        let groups: f64 = self
            .st
            .group_left
            .iter()
            .zip(mu)
            .map(|(&left, &u)| u * left as f64)
            .sum();
        let mut cover = vec![0.0; n];
        let mut best = (f64::NEG_INFINITY, lambda.clone());
        let mut theta = 0.1;
        let mut stale = 0;
        let mut slowest = Duration::ZERO;
        for _ in 0..iterations {
            let started = Instant::now();
            if 2 * slowest + reserve >= self.budget.time_left()
                || self.budget.spend(region_edges)
                || self.done(best.0)
            {
                break;
            }
            let mut value = self.st.fixed_cost - groups - outside;
            for t in 0..n {
                if self.st.fixed[t] != FREE {
                    continue;
                }
                value += lambda[t];
                let out = m.penalty[t].is_some_and(|p| p < lambda[t]);
                if let Some(p) = m.penalty[t].filter(|_| out) {
                    value += p - lambda[t];
                }
                if in_region[t] {
                    cover[t] = if out { 1.0 } else { 0.0 };
                }
            }
            for &a in &region_agents {
                self.collect_items(a, &lambda, mu);
                if self.items.is_empty() {
                    continue;
                }
                chosen.clear();
                let room = self.st.room(m, a);
                value -= self
                    .knap
                    .solve(&self.items, room, m.integral[a], true, &mut chosen);
                for &(e, f) in &chosen {
                    cover[m.edges[e as usize].task as usize] += f;
                }
            }
            if value > best.0 + 1e-9 * value.abs().max(1.0) {
                best.0 = value;
                best.1.clone_from(&lambda);
                stale = 0;
            } else {
                stale += 1;
                if stale >= 10 {
                    theta *= 0.5;
                    stale = 0;
                }
            }
            let norm: f64 = region
                .iter()
                .filter(|&&t| self.st.fixed[t as usize] == FREE)
                .map(|&t| (1.0 - cover[t as usize]).powi(2))
                .sum();
            if theta < 1e-4 || norm < 1e-12 || !self.best_cost.is_finite() {
                break;
            }
            let step = theta * (self.best_cost - value).max(0.0) / norm;
            for &t in region {
                let t = t as usize;
                if self.st.fixed[t] == FREE {
                    lambda[t] += step * (1.0 - cover[t]);
                }
            }
            slowest = slowest.max(started.elapsed());
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::Lagrangian;
    use super::super::model::Model;
    use super::super::prices::{Prices, tests::short_of_capacity};
    use super::super::search::Search;
    use crate::assign::budget::Budget;
    use crate::assign::{AssignmentSolver, Status};

    #[test]
    fn regional_steps_raise_the_bound_and_never_pass_the_optimum() {
        let mut raised = 0;
        for seed in 0..30 {
            let p = short_of_capacity(15, seed);
            let optimum = Lagrangian::new().solve(&p).expect("solves");
            assert_eq!(optimum.status, Status::Optimal, "seed {seed}");
            let m = Model::new(&p);
            let cfg = Lagrangian::new();
            let mut search = Search::new(&m, &cfg, Budget::ample());
            search.start_from(&optimum.agent_of);
            let prices = Prices::ascend(&m, 10_000, &Budget::ample());
            let lambda = prices.lambda(&m);
            let region: Vec<u32> = (0..m.tasks() as u32).collect();
            let start = prices.bound(&m);
            let (bound, lambda) = search.regional_ascent(lambda, &prices.group, &region, 300);
            assert!(
                bound <= optimum.cost + 1e-6,
                "seed {seed}: {bound} > {}",
                optimum.cost
            );
            // The bound it reports is the relaxation's value at the multipliers it returns.
            let asc = search.ascent(lambda, prices.group, 1, 0.1, 25, 0);
            assert!(
                (asc.bound - bound).abs() <= 1e-6 * bound.abs().max(1.0),
                "seed {seed}"
            );
            if bound > start + 1e-6 {
                raised += 1;
            }
        }
        assert!(raised >= 10, "raised in {raised} of 30");
    }
}
