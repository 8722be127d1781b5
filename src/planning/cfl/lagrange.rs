//! Capacitated facility location without a MIP: a Lagrangian lower bound
//! and a local search over open sets, each open set allocated exactly
//! ([`transport`](super::transport)).
//!
//! **Bound.** Relaxing each customer's demand row `Σ_i x_ij = 1` with a
//! price `λ_j` leaves one continuous knapsack per site: site i, if open,
//! takes the customers whose reduced cost `cost[i][j] − λ_j` is negative,
//! best per unit of demand first, up to its capacity; its value `v_i` is its
//! fixed cost plus those reduced costs. The open sites then solve
//! `min Σ v_i y_i` subject to the open capacity covering the total demand
//! (exactly when every site has the same capacity, else its LP relaxation).
//! `Σ_j λ_j + Σ_i v_i y_i` bounds every plan from below; subgradient steps
//! on `λ` raise it.
//!
//! **Plans.** The relaxation's open set, every few steps, is allocated
//! exactly; then a local search closes, opens and swaps sites (candidates
//! ranked by their `v_i`), first improvement, until no move helps or the
//! budget is spent.

use super::CflProblem;
use super::transport::{Allocation, UnitCosts, allocate, greedy};
use crate::assign::budget::Budget;
use crate::assign::deadline::Deadline;
use std::collections::HashMap;

/// The subgradient stops when its step factor falls below this.
const MIN_THETA: f64 = 1e-3;
/// The factor halves after this many steps without a better bound.
const STALL: u32 = 20;
/// The relaxation's open set is allocated every this many steps.
const PLAN_EVERY: u32 = 5;
/// At most this many subgradient steps (the factor's halvings end it sooner).
const MAX_STEPS: u32 = 20_000;

/// The best plan found and the best bound.
pub(super) struct Outcome {
    pub open: Vec<bool>,
    pub allocation: Allocation,
    pub bound: f64,
}

struct Search<'a> {
    p: &'a CflProblem,
    units: UnitCosts,
    budget: Budget,
    /// Cost of every open set allocated so far (infinite when it cannot carry the demand).
    seen: HashMap<Vec<bool>, f64>,
    best: Option<(Vec<bool>, Allocation, f64)>,
}

impl Search<'_> {
    fn fixed(&self, open: &[bool]) -> f64 {
        open.iter()
            .zip(&self.p.fixed_cost)
            .filter(|(o, _)| **o)
            .map(|(_, f)| f)
            .sum()
    }

    fn capacity(&self, open: &[bool]) -> f64 {
        open.iter()
            .zip(&self.p.capacity)
            .filter(|(o, _)| **o)
            .map(|(_, c)| c)
            .sum()
    }

    fn best_cost(&self) -> f64 {
        self.best.as_ref().map_or(f64::INFINITY, |b| b.2)
    }

    /// The cost of an open set, allocated exactly; `None` once the budget is spent.
    fn evaluate(&mut self, open: &[bool]) -> Option<f64> {
        if self.budget.spend(1) {
            return None;
        }
        if let Some(&c) = self.seen.get(open) {
            return Some(c);
        }
        if self.capacity(open) < self.p.total_demand() {
            self.seen.insert(open.to_vec(), f64::INFINITY);
            return Some(f64::INFINITY);
        }
        let allocation = allocate(self.p, &self.units, open, &mut self.budget)?;
        let cost = self.fixed(open) + allocation.serving;
        self.seen.insert(open.to_vec(), cost);
        if cost < self.best_cost() {
            self.best = Some((open.to_vec(), allocation, cost));
        }
        Some(cost)
    }

    /// Subgradient optimisation of the prices until `phase` passes, half the
    /// work is spent, or the steps become too small; returns the best bound
    /// and the site values `v_i` at it.
    fn bound(&mut self, phase: Deadline) -> (f64, Vec<f64>) {
        let p = self.p;
        let (m, n) = (p.facilities(), p.customers());
        let demand = p.total_demand();
        let equal = p.capacity.windows(2).all(|w| w[0] == w[1]);
        let mut lambda: Vec<f64> = (0..n)
            .map(|j| (0..m).map(|i| p.cost[i][j]).fold(f64::INFINITY, f64::min))
            .collect();
        let mut best = (f64::NEG_INFINITY, p.fixed_cost.clone());
        let mut theta = 2.0;
        let mut stall = 0u32;
        let mut items: Vec<(f64, u32)> = Vec::with_capacity(n);
        let mut x: Vec<Vec<(u32, f64)>> = vec![Vec::new(); m];
        let mut v = vec![0.0; m];
        let mut y = vec![0.0; m];
        let mut order: Vec<usize> = Vec::with_capacity(m);
        let mut g = vec![0.0; n];
        let mut step = 0u32;
        let work_mark = self.budget.work_mark(0.5);
        // The first step always runs: its bound (each customer's cheapest
        // site, and the cheapest sites' fixed costs) is the one a stopped search reports.
        loop {
            let spent = self.budget.spend((m * n) as u64)
                || phase.passed()
                || work_mark.is_some_and(|w| self.budget.used() >= w);
            if spent && step > 0 {
                break;
            }
            for i in 0..m {
                items.clear();
                let mut value = p.fixed_cost[i];
                x[i].clear();
                for j in 0..n {
                    let r = p.cost[i][j] - lambda[j];
                    if r < 0.0 {
                        if p.demand[j] > 0.0 {
                            items.push((r / p.demand[j], j as u32));
                        } else {
                            value += r;
                            x[i].push((j as u32, 1.0));
                        }
                    }
                }
                items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let mut room = p.capacity[i];
                for &(_, j) in &items {
                    if room <= 0.0 {
                        break;
                    }
                    let j = j as usize;
                    let take = (room / p.demand[j]).min(1.0);
                    value += take * (p.cost[i][j] - lambda[j]);
                    x[i].push((j as u32, take));
                    room -= take * p.demand[j];
                }
                v[i] = value;
            }
            // The open sites: every one of value ≤ 0, then the cheapest cover of the rest of the demand.
            y.iter_mut().for_each(|y| *y = 0.0);
            let mut need = demand;
            for i in 0..m {
                if v[i] <= 0.0 {
                    y[i] = 1.0;
                    need -= p.capacity[i];
                }
            }
            if need > 0.0 {
                order.clear();
                order.extend((0..m).filter(|&i| v[i] > 0.0));
                let key = |i: usize| {
                    if equal {
                        v[i]
                    } else {
                        v[i] / p.capacity[i].max(f64::MIN_POSITIVE)
                    }
                };
                order.sort_unstable_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
                for &i in &order {
                    if need <= 0.0 {
                        break;
                    }
                    if equal || p.capacity[i] <= need {
                        y[i] = 1.0;
                        need -= p.capacity[i];
                    } else {
                        y[i] = need / p.capacity[i];
                        need = 0.0;
                    }
                }
            }
            let bound: f64 = lambda.iter().sum::<f64>() + (0..m).map(|i| v[i] * y[i]).sum::<f64>();
            if bound > best.0 + 1e-9 * bound.abs().max(1.0) {
                stall = 0;
            } else {
                stall += 1;
            }
            if bound > best.0 {
                best = (bound, v.clone());
            }
            if stall >= STALL {
                theta /= 2.0;
                stall = 0;
            }
            if step.is_multiple_of(PLAN_EVERY) {
                let open: Vec<bool> = y.iter().map(|&y| y > 0.0).collect();
                if self.evaluate(&open).is_none() {
                    break;
                }
            }
            step += 1;
            let ub = self.best_cost();
            if theta < MIN_THETA || step >= MAX_STEPS || ub - best.0 <= 1e-9 * ub.abs().max(1.0) {
                break;
            }
            g.iter_mut().for_each(|g| *g = 1.0);
            for i in 0..m {
                if y[i] > 0.0 {
                    for &(j, take) in &x[i] {
                        g[j as usize] -= y[i] * take;
                    }
                }
            }
            let norm: f64 = g.iter().map(|g| g * g).sum();
            if norm <= 1e-18 {
                break;
            }
            let t = theta * (ub - bound).max(1e-9 * ub.abs().max(1.0)) / norm;
            for j in 0..n {
                lambda[j] += t * g[j];
            }
        }
        best
    }

    /// Flips the sites `flips` of `open` and keeps the change when it lowers
    /// `cost`: `Some(true)` when kept, `Some(false)` when undone, `None` when
    /// the budget is spent.
    fn try_flips(&mut self, open: &mut [bool], flips: &[usize], cost: &mut f64) -> Option<bool> {
        for &f in flips {
            open[f] = !open[f];
        }
        let c = self.evaluate(open)?;
        if c < *cost - 1e-9 * cost.abs().max(1.0) {
            *cost = c;
            return Some(true);
        }
        for &f in flips {
            open[f] = !open[f];
        }
        Some(false)
    }

    /// Close, open and swap sites, first improvement, until no move helps;
    /// `value` ranks the candidates (low values are worth opening).
    fn improve(&mut self, value: &[f64]) {
        let problem = self.p;
        let m = self.p.facilities();
        let demand = self.p.total_demand();
        let Some((start, _, _)) = &self.best else {
            return;
        };
        let mut open = start.clone();
        let mut cost = self.best_cost();
        let by_value = |mut v: Vec<usize>, high_first: bool| {
            v.sort_unstable_by(|&a, &b| {
                let o = value[a].total_cmp(&value[b]).then(a.cmp(&b));
                if high_first { o.reverse() } else { o }
            });
            v
        };
        'search: loop {
            let opened = by_value((0..m).filter(|&i| open[i]).collect(), true);
            let closed = by_value((0..m).filter(|&i| !open[i]).collect(), false);
            let room = self.capacity(&open);
            let capacity = &problem.capacity;
            // Close one site, open one, or swap one closed for one open.
            let closes = opened
                .iter()
                .filter(|&&i| room - capacity[i] >= demand)
                .map(|&i| (i, None));
            let opens = closed.iter().map(|&k| (k, None));
            let swaps = closed.iter().flat_map(|&k| {
                opened
                    .iter()
                    .filter(move |&&i| room - capacity[i] + capacity[k] >= demand)
                    .map(move |&i| (k, Some(i)))
            });
            for (a, b) in closes.chain(opens).chain(swaps) {
                let pair = [a, b.unwrap_or(a)];
                let flips = if b.is_some() { &pair[..] } else { &pair[..1] };
                match self.try_flips(&mut open, flips, &mut cost) {
                    None => return,
                    Some(true) => continue 'search,
                    Some(false) => {}
                }
            }
            return;
        }
    }
}

/// Solves `p` within `budget`: half the time for the bound, the rest for
/// the local search. `None` when even every site open cannot carry the
/// demand.
pub(super) fn solve(p: &CflProblem, budget: Budget) -> Option<Outcome> {
    let phase = budget.deadline().share(0.5);
    let mut s = Search {
        p,
        units: UnitCosts::new(p),
        budget,
        seen: HashMap::new(),
        best: None,
    };
    // A first plan: the cheapest sites per unit of capacity (fixed cost and
    // each site's cheapest share of the demand it could carry), until they
    // carry the demand.
    let m = p.facilities();
    let demand = p.total_demand();
    let mut order: Vec<usize> = (0..m).collect();
    let per_unit: Vec<f64> = (0..m)
        .map(|i| p.fixed_cost[i] / p.capacity[i].max(f64::MIN_POSITIVE))
        .collect();
    order.sort_unstable_by(|&a, &b| per_unit[a].total_cmp(&per_unit[b]).then(a.cmp(&b)));
    let mut open = vec![false; m];
    let mut room = 0.0;
    for &i in &order {
        if room >= demand {
            break;
        }
        open[i] = true;
        room += p.capacity[i];
    }
    // Allocated greedily first, whatever the budget: a search stopped at
    // once still has a plan. Then exactly. A sum in another order may round
    // below the demand: the next sites in the order open until it carries.
    // The order's first sites are the open ones.
    let mut closed = order[open.iter().filter(|&&o| o).count()..].iter().copied();
    let quick = loop {
        if let Some(a) = greedy(p, &s.units, &open) {
            break a;
        }
        let i = closed.next()?;
        open[i] = true;
    };
    let cost = s.fixed(&open) + quick.serving;
    s.best = Some((open, quick, cost));
    let (bound, value) = s.bound(phase);
    s.improve(&value);
    let (open, allocation, cost) = s.best?;
    Some(Outcome {
        open,
        allocation,
        bound: bound.max(0.0).min(cost),
    })
}
