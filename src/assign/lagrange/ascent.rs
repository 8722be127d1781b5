//! Subgradient ascent on the multipliers: the relaxation at one set of
//! multipliers (one knapsack per agent) and the steps that raise its value.

use super::dual::{Ascent, Dual};
use super::model::{FREE, LARGE};
use super::search::Search;
use crate::assign::knapsack::Item;

impl Search<'_> {
    /// Subgradient ascent from `lambda`; returns the best multipliers seen.
    pub fn ascent(
        &mut self,
        mut lambda: Vec<f64>,
        mut mu: Vec<f64>,
        iterations: usize,
        theta0: f64,
        patience: usize,
        heuristic_every: usize,
    ) -> Ascent {
        let m = self.m;
        let n = m.tasks();
        let mut dual = Dual {
            cover: vec![0.0; n],
            group_count: vec![0.0; m.group_cap.len()],
            ..Dual::default()
        };
        let mut best = Ascent {
            bound: f64::NEG_INFINITY,
            lambda: lambda.clone(),
            mu: mu.clone(),
            dual: Dual::default(),
        };
        let mut theta = theta0;
        let mut stale = 0;
        for it in 0..iterations.max(1) {
            self.relax(&lambda, &mu, &mut dual);
            if dual.value > best.bound + 1e-9 * dual.value.abs().max(1.0) {
                best.bound = dual.value;
                best.lambda.clone_from(&lambda);
                best.mu.clone_from(&mu);
                best.dual.clone_from(&dual);
                stale = 0;
            } else {
                stale += 1;
                if stale >= patience {
                    theta *= 0.5;
                    stale = 0;
                }
            }
            if heuristic_every > 0 && it % heuristic_every == 0 {
                self.heuristic(&dual, n <= LARGE);
            }
            if self.done(best.bound) || theta < 1e-4 || self.out_of_time() {
                break;
            }
            // Subgradient: 1 − cover for free tasks; count − limit for groups (projected at μ = 0).
            let mut norm = 0.0;
            for t in 0..n {
                if self.st.fixed[t] == FREE {
                    let s = 1.0 - dual.cover[t];
                    norm += s * s;
                }
            }
            for (g, &c) in dual.group_count.iter().enumerate() {
                let s = c - self.st.group_left[g] as f64;
                if mu[g] > 0.0 || s > 0.0 {
                    norm += s * s;
                }
            }
            if norm < 1e-12 {
                // Every task covered once and no group over its limit: this point is optimal for the node.
                break;
            }
            let target = if self.best_cost.is_finite() || self.guess.is_finite() {
                self.best_cost.min(self.guess + 1.0)
            } else {
                best.bound + (0.05 * best.bound.abs()).max(1.0)
            };
            let step = theta * (target - dual.value).max(1e-9 * target.abs().max(1.0)) / norm;
            for ((l, &f), &c) in lambda.iter_mut().zip(&self.st.fixed).zip(&dual.cover) {
                if f == FREE {
                    *l += step * (1.0 - c);
                }
            }
            for (g, &c) in dual.group_count.iter().enumerate() {
                mu[g] = (mu[g] + step * (c - self.st.group_left[g] as f64)).max(0.0);
            }
        }
        if best.dual.cover.is_empty() {
            best.dual = dual;
        }
        self.heuristic(&best.dual.clone(), heuristic_every > 0);
        best
    }

    /// Puts in `self.items` the open edges of agent `a` with a negative
    /// reduced cost at (λ, μ) that fit its remaining capacity.
    pub fn collect_items(&mut self, a: usize, lambda: &[f64], mu: &[f64]) {
        let m = self.m;
        let st = &self.st;
        let shift = m.group_of[a].map_or(0.0, |g| mu[g as usize]);
        let room = st.room(m, a);
        self.items.clear();
        for edge in m.of_agent(a) {
            let t = edge.task as usize;
            let r = edge.cost - lambda[t] + shift;
            if r < 0.0
                && edge.load <= room
                && st.fixed[t] == FREE
                && (st.forbidden_count == 0 || !st.forbidden[edge.edge as usize])
            {
                self.items.push(Item {
                    edge: edge.edge,
                    profit: -r,
                    weight: edge.load,
                });
            }
        }
    }

    /// Solves the relaxation at (λ, μ) under the current node.
    pub fn relax(&mut self, lambda: &[f64], mu: &[f64], out: &mut Dual) {
        let m = self.m;
        let st = &self.st;
        out.chosen.clear();
        out.left_out.clear();
        out.group_count.iter_mut().for_each(|c| *c = 0.0);
        let mut value = st.fixed_cost;
        for (t, cover) in out.cover.iter_mut().enumerate() {
            *cover = 0.0;
            if st.fixed[t] != FREE {
                continue;
            }
            value += lambda[t];
            if let Some(p) = m.penalty[t]
                && p < lambda[t]
            {
                value += p - lambda[t];
                *cover = 1.0;
                out.left_out.push(t as u32);
            }
        }
        for (g, &left) in st.group_left.iter().enumerate() {
            value -= mu[g] * left as f64;
        }
        // Exact knapsacks at every size: a branch and bound that gives up falls back to the LP bound.
        let exact = true;
        for a in 0..m.cap.len() {
            self.collect_items(a, lambda, mu);
            if self.items.is_empty() {
                continue;
            }
            let from = out.chosen.len();
            let profit = self.knap.solve(
                &self.items,
                self.st.room(m, a),
                m.integral[a],
                exact,
                &mut out.chosen,
            );
            value -= profit;
            for &(e, f) in &out.chosen[from..] {
                out.cover[m.edges[e as usize].task as usize] += f;
                if let Some(g) = m.group_of[a] {
                    out.group_count[g as usize] += f;
                }
            }
        }
        out.value = value;
    }
}
