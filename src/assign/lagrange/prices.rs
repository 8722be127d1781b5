//! Prices on capacities: the dual of the LP relaxation, approached by
//! coordinate ascent, for problems too large for subgradient steps on every
//! task's multiplier.
//!
//! Relaxing the capacities instead of the assignment constraints, with a
//! price `μ[a] ≥ 0` per unit of agent `a`'s load and `ν[g] ≥ 0` per visit of
//! group `g`, leaves every task free to take its cheapest *priced* option:
//!
//! ```text
//! D(μ, ν) = Σ_t min(penalty[t], min_e cost[e] + load[e]·μ[agent] + ν[group])
//!         − Σ_a capacity[a]·μ[a] − Σ_g limit[g]·ν[g]
//! ```
//!
//! Every `D` is a lower bound, and its maximum is the LP bound. `D` is
//! concave and piecewise linear in each price: raising `μ[a]` costs
//! `capacity[a]` and gains the load of every task that still prefers `a`, a
//! task dropping out at the price where its next-best option becomes
//! cheaper. So the best `μ[a]` with the others held is found exactly by
//! sorting those break points — the price at which the tasks that still
//! prefer `a` fit its capacity. Raising one agent's price pushes tasks onto
//! their next options and so onto other agents, which are then revisited:
//! prices propagate like bids in an auction. Capacity shortages that a
//! subgradient step on 100,000 task multipliers would take hundreds of
//! iterations to see are priced in a few sweeps.
//!
//! The task multipliers `λ[t] = min(penalty[t], min_e priced[e])` then start
//! the knapsack relaxation, whose value is at least `D`; and the priced costs
//! guide the construction of a feasible assignment.

use super::model::Model;
use crate::assign::budget::Budget;
use std::collections::VecDeque;

/// Price updates of the capacity-price ascent per agent and group, at most.
pub(super) const PRICE_UPDATES_PER_UNIT: usize = 10;

/// Subgradient steps on the prices, at most.
const PRICE_STEPS: usize = 5_000;

/// Prices on agents' capacities and on groups' visit limits.
#[derive(Debug, Clone)]
pub(super) struct Prices {
    /// Per agent: the price of one unit of load.
    pub agent: Vec<f64>,
    /// Per group: the price of one visit.
    pub group: Vec<f64>,
}

/// A break point: the price at which a task stops preferring the unit, and what it weighs there.
#[derive(Clone, Copy)]
struct Break {
    price: f64,
    weight: f64,
    task: u32,
}

impl Prices {
    /// All prices zero.
    pub fn zero(m: &Model) -> Prices {
        Prices {
            agent: vec![0.0; m.cap.len()],
            group: vec![0.0; m.group_cap.len()],
        }
    }

    /// What edge `e` costs at these prices.
    pub fn priced(&self, m: &Model, e: usize) -> f64 {
        let edge = &m.edges[e];
        let a = edge.agent as usize;
        edge.cost
            + edge.load * self.agent[a]
            + m.group_of[a].map_or(0.0, |g| self.group[g as usize])
    }

    /// Each task's cheapest priced option (an edge or its penalty): the multipliers λ.
    pub fn lambda(&self, m: &Model) -> Vec<f64> {
        (0..m.tasks())
            .map(|t| self.cheapest(m, t, |_| false).0)
            .collect()
    }

    /// The bound `D` at these prices (−∞ when a task has no option at all).
    pub fn bound(&self, m: &Model) -> f64 {
        let tasks: f64 = self.lambda(m).iter().sum();
        let d = tasks - self.charges(m);
        if d.is_nan() { f64::NEG_INFINITY } else { d }
    }

    /// Coordinate ascent from zero prices until no price moves, `max_updates`
    /// prices have been set, or the budget is spent.
    pub fn ascend(m: &Model, max_updates: usize, budget: &Budget) -> Prices {
        let mut p = Prices::zero(m);
        let agents = m.cap.len();
        let units = agents + m.group_cap.len();
        let mut group_agents: Vec<Vec<u32>> = vec![Vec::new(); m.group_cap.len()];
        for (a, g) in m.group_of.iter().enumerate() {
            if let Some(g) = g {
                group_agents[*g as usize].push(a as u32);
            }
        }
        // A price moves only when it changes some priced cost by more than this.
        let scale = m.edges.iter().map(|e| e.cost.abs()).sum::<f64>() / m.edges.len().max(1) as f64;
        let tol = 1e-6 * scale.max(1.0);
        let mut queue: VecDeque<u32> = (0..units as u32).collect();
        let mut queued = vec![true; units];
        let mut seen = vec![u32::MAX; m.tasks()];
        let mut breaks: Vec<Break> = Vec::new();
        let mut updates = 0usize;
        // An update looks at one agent's (or group's) edges.
        let per_update = (m.edges.len() / units.max(1)) as u64 + 1;
        while let Some(u) = queue.pop_front() {
            let u = u as usize;
            queued[u] = false;
            updates += 1;
            // Work is counted in fixed chunks (the same stop on every
            // machine); the clock is looked at more often.
            if updates > max_updates
                || (updates.is_multiple_of(1024) && budget.spend(1024 * per_update))
                || (updates.is_multiple_of(64) && budget.time_up())
            {
                break;
            }
            breaks.clear();
            let (old, new, heaviest) = if u < agents {
                let old = p.agent[u];
                let new = p.best_agent_price(m, u, &mut breaks);
                let heaviest = m.of_agent(u).iter().map(|e| e.load).fold(0.0, f64::max);
                p.agent[u] = new;
                (old, new, heaviest)
            } else {
                let g = u - agents;
                let old = p.group[g];
                let new = p.best_group_price(m, g, &group_agents[g], &mut seen, &mut breaks);
                p.group[g] = new;
                (old, new, 1.0)
            };
            if (new - old).abs() * heaviest <= tol {
                continue;
            }
            // Tasks whose break point lies between the old and the new price
            // change their preferred unit: revisit the unit they leave for (a
            // rise) or come from (a fall).
            let (lo, hi) = (old.min(new), old.max(new));
            for b in breaks.iter().filter(|b| b.price > lo && b.price <= hi) {
                let t = b.task as usize;
                let owner = |x: usize| {
                    if u < agents {
                        x == u
                    } else {
                        m.group_of[x] == Some((u - agents) as u32)
                    }
                };
                let Some(e) = p.cheapest(m, t, owner).1 else {
                    continue;
                };
                let a = m.edges[e].agent as usize;
                let group = m.group_of[a].map(|g| agents + g as usize);
                for x in std::iter::once(a).chain(group) {
                    if x != u && !queued[x] {
                        queued[x] = true;
                        queue.push_back(x as u32);
                    }
                }
            }
        }
        p
    }

    /// Projected subgradient steps on the prices, from where the coordinate
    /// ascent jammed: each agent's price moves with the load its tasks'
    /// cheapest priced options put on it, less its capacity (each group's
    /// with its visits, less its limit), by Polyak steps towards `target`
    /// (an incumbent's cost). Keeps the best prices seen; returns their bound.
    /// Stops when the step size has shrunk away, after
    /// [`PRICE_STEPS`] steps, or when the budget is spent.
    pub fn subgradient(&mut self, m: &Model, target: f64, budget: &Budget) -> f64 {
        let mut load = vec![0.0; m.cap.len()];
        let mut visits = vec![0.0; m.group_cap.len()];
        let mut best = (f64::NEG_INFINITY, self.clone());
        let mut theta = 2.0;
        let mut stale = 0;
        for _ in 0..PRICE_STEPS {
            if budget.spend(m.edges.len() as u64) {
                break;
            }
            load.iter_mut().for_each(|x| *x = 0.0);
            visits.iter_mut().for_each(|x| *x = 0.0);
            let mut d = -self.charges(m);
            for t in 0..m.tasks() {
                let (value, cheapest) = self.cheapest(m, t, |_| false);
                d += value;
                if let Some(e) = cheapest {
                    let a = m.edges[e].agent as usize;
                    load[a] += m.edges[e].load;
                    if let Some(g) = m.group_of[a] {
                        visits[g as usize] += 1.0;
                    }
                }
            }
            if d.is_nan() || d == f64::INFINITY {
                break;
            }
            if d > best.0 {
                best = (d, self.clone());
                stale = 0;
            } else {
                stale += 1;
                if stale >= 5 {
                    theta *= 0.7;
                    stale = 0;
                }
            }
            // Only the components a step can move: prices at 0 do not fall.
            let over = |price: f64, g: f64| if price > 0.0 || g > 0.0 { g * g } else { 0.0 };
            let norm: f64 = (self.agent.iter().zip(&load).zip(m.cap))
                .map(|((&p, &l), &c)| over(p, l - c))
                .chain(
                    (self.group.iter().zip(&visits).zip(m.group_cap))
                        .map(|((&p, &v), &c)| over(p, v - f64::from(c))),
                )
                .sum();
            if norm < 1e-12 || theta < 1e-5 || !target.is_finite() {
                break;
            }
            let step = theta * (target - d).max(0.0) / norm;
            for ((p, &l), &c) in self.agent.iter_mut().zip(&load).zip(m.cap) {
                *p = (*p + step * (l - c)).max(0.0);
            }
            for ((p, &v), &c) in self.group.iter_mut().zip(&visits).zip(m.group_cap) {
                *p = (*p + step * (v - f64::from(c))).max(0.0);
            }
        }
        if best.0 > f64::NEG_INFINITY {
            *self = best.1;
        }
        best.0
    }

    /// What the capacities cost at these prices: `Σ capacity·μ + Σ limit·ν`.
    fn charges(&self, m: &Model) -> f64 {
        let agents: f64 = self.agent.iter().zip(m.cap).map(|(p, c)| p * c).sum();
        let groups: f64 = self
            .group
            .iter()
            .zip(m.group_cap)
            .map(|(p, &c)| p * f64::from(c))
            .sum();
        agents + groups
    }

    /// Task `t`'s cheapest priced option among its penalty and its edges to
    /// agents for which `skip` does not hold: the value, and the edge
    /// (`None` when the penalty is cheapest, or ties).
    fn cheapest(&self, m: &Model, t: usize, skip: impl Fn(usize) -> bool) -> (f64, Option<usize>) {
        let mut best = (m.penalty[t].unwrap_or(f64::INFINITY), None);
        for e in m.task_edges(t) {
            if !skip(m.edges[e].agent as usize) {
                let c = self.priced(m, e);
                if c < best.0 {
                    best = (c, Some(e));
                }
            }
        }
        best
    }

    /// The best price of agent `a` with every other price held.
    fn best_agent_price(&self, m: &Model, a: usize, breaks: &mut Vec<Break>) -> f64 {
        let shift = m.group_of[a].map_or(0.0, |g| self.group[g as usize]);
        for edge in m.of_agent(a) {
            let slack = self.cheapest(m, edge.task as usize, |b| b == a).0 - edge.cost - shift;
            if slack > 0.0 && edge.load > 0.0 {
                breaks.push(Break {
                    price: slack / edge.load,
                    weight: edge.load,
                    task: edge.task,
                });
            }
        }
        crossing(breaks, m.cap[a])
    }

    /// The best price of group `g` with every other price held.
    fn best_group_price(
        &self,
        m: &Model,
        g: usize,
        members: &[u32],
        seen: &mut [u32],
        breaks: &mut Vec<Break>,
    ) -> f64 {
        let inside = |b: usize| m.group_of[b] == Some(g as u32);
        for &a in members {
            for edge in m.of_agent(a as usize) {
                let t = edge.task as usize;
                if seen[t] == g as u32 {
                    continue;
                }
                seen[t] = g as u32;
                let best_in = m
                    .task_edges(t)
                    .filter(|&e| inside(m.edges[e].agent as usize))
                    .map(|e| {
                        let e = &m.edges[e];
                        e.cost + e.load * self.agent[e.agent as usize]
                    })
                    .fold(f64::INFINITY, f64::min);
                let slack = self.cheapest(m, t, inside).0 - best_in;
                if slack > 0.0 {
                    breaks.push(Break {
                        price: slack,
                        weight: 1.0,
                        task: t as u32,
                    });
                }
            }
        }
        // Tasks are marked by group; clear the marks so the next visit of `g` sees them again.
        for &a in members {
            for edge in m.of_agent(a as usize) {
                seen[edge.task as usize] = u32::MAX;
            }
        }
        crossing(breaks, f64::from(m.group_cap[g]))
    }
}

/// The lowest price at which the weight of the break points above it fits
/// `capacity`: the maximiser of `Σ min(price·weight, …) − capacity·price`.
fn crossing(breaks: &mut [Break], capacity: f64) -> f64 {
    let total: f64 = breaks.iter().map(|b| b.weight).sum();
    if total <= capacity * (1.0 + 1e-12) {
        return 0.0;
    }
    breaks.sort_unstable_by(|x, y| y.price.total_cmp(&x.price));
    let mut load = 0.0;
    for b in breaks.iter() {
        load += b.weight;
        if load > capacity * (1.0 + 1e-12) {
            return b.price;
        }
    }
    0.0
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::assign::{AssignmentProblem, AssignmentSolver, Lagrangian, Status};
    use rand::{Rng, SeedableRng};

    /// A random problem of `n` tasks in which capacity is short, with a group limit.
    pub(in crate::assign::lagrange) fn short_of_capacity(n: usize, seed: u64) -> AssignmentProblem {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let agents = (n / 3).max(2);
        let mut b = AssignmentProblem::builder(n).agents((0..agents).map(|_| 10.0));
        for t in 0..n as u32 {
            let mut chosen = Vec::new();
            for _ in 0..3 {
                let a = rng.random_range(0..agents as u32);
                if !chosen.contains(&a) {
                    chosen.push(a);
                    b = b.edge(
                        t,
                        a,
                        rng.random_range(1.0..20.0),
                        rng.random_range(2.0..9.0),
                    );
                }
            }
            b = b.penalty(t, rng.random_range(30.0..60.0));
        }
        b.group([0, 1], 2).build().expect("valid by construction")
    }

    #[test]
    fn ascent_raises_the_bound_and_stays_below_the_optimum() {
        let mut raised = 0;
        for seed in 0..40 {
            let p = short_of_capacity(12, seed);
            let m = Model::new(&p);
            let zero = Prices::zero(&m).bound(&m);
            let far = Budget::ample();
            let prices = Prices::ascend(&m, 10_000, &far);
            let d = prices.bound(&m);
            assert!(prices.agent.iter().chain(&prices.group).all(|&x| x >= 0.0));
            assert!(d >= zero - 1e-9, "seed {seed}: {d} < {zero}");
            let best = Lagrangian::new().solve(&p).expect("solves");
            assert_eq!(best.status, Status::Optimal, "seed {seed}");
            assert!(
                d <= best.cost + 1e-9,
                "seed {seed}: bound {d} > optimum {}",
                best.cost
            );
            if d > zero + 1e-6 {
                raised += 1;
            }
        }
        // Capacity is short in these problems: prices must see it in most of them.
        assert!(raised >= 30, "raised in {raised} of 40");
    }

    #[test]
    fn subgradient_steps_keep_the_best_prices_and_stay_below_the_optimum() {
        for seed in 0..30 {
            let p = short_of_capacity(12, seed);
            let m = Model::new(&p);
            let far = Budget::ample();
            let mut prices = Prices::ascend(&m, 10_000, &far);
            let before = prices.bound(&m);
            let best = Lagrangian::new().solve(&p).expect("solves");
            let d = prices.subgradient(&m, best.cost, &far);
            assert!(d >= before - 1e-9, "seed {seed}: {d} < {before}");
            assert!((prices.bound(&m) - d).abs() <= 1e-9 * d.abs().max(1.0));
            assert!(d <= best.cost + 1e-9, "seed {seed}: {d} > {}", best.cost);
            assert!(prices.agent.iter().chain(&prices.group).all(|&x| x >= 0.0));
        }
    }

    #[test]
    fn the_multipliers_never_exceed_a_task_s_cheapest_priced_option() {
        let p = short_of_capacity(30, 7);
        let m = Model::new(&p);
        let far = Budget::ample();
        let prices = Prices::ascend(&m, 10_000, &far);
        let lambda = prices.lambda(&m);
        for (t, &l) in lambda.iter().enumerate() {
            for e in m.task_edges(t) {
                assert!(l <= prices.priced(&m, e) + 1e-12);
            }
            assert!(l <= m.penalty[t].unwrap_or(f64::INFINITY));
        }
    }
}
