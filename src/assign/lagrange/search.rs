//! The search: its incumbent and bounds, the root (subgradient steps, or
//! capacity prices on large problems), the integer-cost guesses that drive
//! branch and bound, and the solution it reports.

use super::config::{Lagrangian, OPTIMAL_GAP};
use super::dual::Ascent;
use super::local::two_smallest;
use super::model::{LEFT_OUT, Model};
use super::prices::{PRICE_UPDATES_PER_UNIT, Prices};
use super::state::State;
use crate::assign::budget::Budget;
use crate::assign::knapsack::{Item, Knapsack, Sensitivity};
use crate::assign::problem::{AssignmentProblem, Solution};
use crate::assign::solver::Status;
use std::time::Instant;

/// With integer costs, how far above `cost − 1` the cutoff lies: a node
/// closed by it holds no assignment cheaper than the incumbent's `cost`.
/// Bounds are rounded up with half this tolerance, so that the cutoff
/// itself rounds up to `cost`.
const CUTOFF_MARGIN: f64 = 1e-6;

/// The share of the time left that a large problem's price steps may take.
const PRICE_STEPS_SHARE: f64 = 0.6;

/// Subgradient steps on the region where capacity is short, at most.
const REGIONAL_STEPS: usize = 2_000;

/// A branch-and-bound search with its incumbent, bounds and reusable buffers.
pub(super) struct Search<'a> {
    pub m: &'a Model<'a>,
    pub cfg: &'a Lagrangian,
    pub budget: Budget,
    pub st: State,
    pub knap: Knapsack,
    pub sens: Sensitivity,
    pub items: Vec<Item>,
    /// Best assignment: per task an edge or `LEFT_OUT`.
    pub best: Option<Vec<u32>>,
    pub best_cost: f64,
    pub root_bound: f64,
    /// Lowest bound of a node closed by its bound (or solved).
    pub closed_min: f64,
    /// Lowest bound of a node left unexplored.
    pub open_min: f64,
    pub nodes: u64,
    pub complete: bool,
    pub timed_out: bool,
    /// With integer costs: every assignment is proven to cost at least this.
    pub proven: f64,
    /// With integer costs: the cost the current search looks for (∞ outside it).
    pub guess: f64,
}

impl<'a> Search<'a> {
    pub fn new(m: &'a Model<'a>, cfg: &'a Lagrangian, budget: Budget) -> Search<'a> {
        Search {
            m,
            cfg,
            budget,
            st: State::new(m),
            knap: Knapsack::default(),
            sens: Sensitivity::default(),
            items: Vec::new(),
            best: None,
            best_cost: f64::INFINITY,
            root_bound: f64::NEG_INFINITY,
            closed_min: f64::INFINITY,
            open_min: f64::INFINITY,
            nodes: 0,
            complete: true,
            timed_out: false,
            proven: f64::NEG_INFINITY,
            guess: f64::INFINITY,
        }
    }

    pub fn out_of_time(&mut self) -> bool {
        if !self.timed_out && self.budget.spend(self.m.edges.len() as u64) {
            self.timed_out = true;
        }
        self.timed_out
    }

    /// Whether the time or the work is spent, recording no work.
    pub fn spent(&mut self) -> bool {
        if !self.timed_out && self.budget.spent() {
            self.timed_out = true;
        }
        self.timed_out
    }

    /// Nodes whose bound reaches this cannot hold an assignment worth finding.
    pub fn cutoff(&self) -> f64 {
        let ub = self.best_cost;
        if !ub.is_finite() {
            return self.guess + 1.0 - CUTOFF_MARGIN;
        }
        let scale = ub.abs().max(1.0);
        let mut slack = (self.cfg.target_gap * scale).max(1e-9 * scale);
        if self.m.integral_costs {
            slack = slack.max(1.0 - CUTOFF_MARGIN);
        }
        (ub - slack).min(self.guess + 1.0 - CUTOFF_MARGIN)
    }

    pub fn run(&mut self) {
        let m = self.m;
        let n = m.tasks();
        // Start: λ at each task's second-cheapest option, so its cheapest has a negative reduced cost.
        let lambda: Vec<f64> = (0..n)
            .map(|t| {
                let (a, b) = two_smallest(
                    m.edges[m.task_edges(t)]
                        .iter()
                        .map(|e| e.cost)
                        .chain(m.penalty[t]),
                );
                if b.is_finite() { b } else { a + 1.0 }
            })
            .collect();
        let mu = vec![0.0; m.group_cap.len()];
        let asc = if n > self.cfg.prices_above {
            self.priced_root()
        } else {
            let root_iters = 400 + 4 * n.min(5_000);
            self.ascent(lambda, mu, root_iters, 2.0, 25, 10)
        };
        self.root_bound = asc.bound;
        if self.done(asc.bound) {
            self.closed_min = self.closed_min.min(asc.bound);
            return;
        }
        if n > self.cfg.branch_tasks {
            self.complete = false;
            self.open_min = self.open_min.min(asc.bound);
            return;
        }
        if !m.integral_costs || !self.best_cost.is_finite() {
            // Without an incumbent, a plain search finds one or proves there is none.
            self.node(asc);
            return;
        }
        // Integer costs: search for an assignment of cost `guess`, from the
        // root bound up. The cutoff `guess + 1` fixes far more edges than the
        // incumbent's would, and a search that ends without one proves `guess + 1`.
        self.proven = (asc.bound - 1e-6).ceil();
        loop {
            if self.best_cost <= self.proven + 0.5 || self.close_enough() {
                break;
            }
            // Each guess is a search of its own: none may start once the budget is spent.
            if self.out_of_time() {
                self.complete = false;
                break;
            }
            self.guess = self.proven;
            self.complete = true;
            self.node(asc.clone());
            if self.best_cost <= self.guess + 0.5 {
                break;
            }
            if !self.complete {
                break;
            }
            self.proven = self.guess + 1.0;
        }
        self.guess = f64::INFINITY;
    }

    /// The root of a large problem: prices on the capacities by coordinate
    /// ascent and subgradient steps, then subgradient steps on the task
    /// multipliers they give, on the region where capacity is short.
    pub fn priced_root(&mut self) -> Ascent {
        let m = self.m;
        let units = m.cap.len() + m.group_cap.len();
        let mut prices = Prices::ascend(m, PRICE_UPDATES_PER_UNIT * units, &self.budget);
        if self.best.is_none() {
            // The steps aim at the incumbent's cost: build one from the relaxation first.
            self.ascent(prices.lambda(m), prices.group.clone(), 1, 0.1, 25, 1);
        }
        // Price steps where the coordinate ascent jammed, for a share of the time left.
        let part = self.budget.part(PRICE_STEPS_SHARE);
        prices.subgradient(m, self.best_cost, &part);
        self.budget.absorb(part);
        // The knapsacks at these multipliers are worth at least the prices' own bound `D`.
        let lambda = prices.lambda(m);
        // The region: tasks the prices lift above their cheapest option
        // (capacity is short around them) and tasks the incumbent leaves out.
        let region: Vec<u32> = (0..m.tasks())
            .filter(|&t| {
                lambda[t] > m.cheapest[t] + 1e-9 * m.cheapest[t].abs().max(1.0)
                    || self.best.as_ref().is_some_and(|b| b[t] == LEFT_OUT)
            })
            .map(|t| t as u32)
            .collect();
        let (_, lambda) = self.regional_ascent(lambda, &prices.group, &region, REGIONAL_STEPS);
        // One full relaxation at the best multipliers: the bound and the node's solution.
        self.ascent(lambda, prices.group, 1, 0.1, 25, 0)
    }

    /// Whether the incumbent is within the target gap of the proven bound.
    pub fn close_enough(&self) -> bool {
        let ub = self.best_cost;
        ub.is_finite() && (ub - self.proven) <= self.cfg.target_gap * ub.abs().max(1.0)
    }

    /// Whether a node of this bound needs no further search.
    pub fn done(&self, bound: f64) -> bool {
        bound >= self.cutoff()
    }

    pub fn finish(self, p: &AssignmentProblem, started: Instant) -> Solution {
        let m = self.m;
        let seconds = started.elapsed().as_secs_f64();
        // Every assignment lies in a node closed by its bound or left open.
        let mut bound = if self.proven > f64::NEG_INFINITY {
            self.root_bound.max(self.proven)
        } else {
            self.root_bound.max(self.closed_min.min(self.open_min))
        };
        // Nodes closed by the cutoff have bound `cost − 1 + CUTOFF_MARGIN`:
        // a tolerance as wide as the margin would round that down to `cost − 1`.
        if m.integral_costs && bound.is_finite() {
            bound = (bound - CUTOFF_MARGIN / 2.0).ceil();
        }
        let Some(best) = self.best else {
            let status = if self.complete && !self.timed_out && bound == f64::INFINITY {
                Status::Infeasible(
                    "no assignment meets every capacity (proved by branch and bound)".into(),
                )
            } else {
                Status::Infeasible(format!(
                    "no feasible assignment found{}; the problem may still have one",
                    if self.timed_out {
                        " within the time or work limit"
                    } else {
                        ""
                    }
                ))
            };
            return Solution {
                agent_of: vec![None; p.tasks()],
                cost: f64::INFINITY,
                lower_bound: bound,
                status,
                seconds,
            };
        };
        let agent_of: Vec<Option<u32>> = best
            .iter()
            .map(|&o| (o != LEFT_OUT).then(|| m.edges[o as usize].agent))
            .collect();
        let cost = p.evaluate(&agent_of).unwrap_or(self.best_cost);
        let bound = bound.min(cost);
        // Optimal within a relative 1e-6, the tolerance MIP solvers report optimality at.
        let status = if cost - bound <= OPTIMAL_GAP * cost.abs().max(1.0) {
            Status::Optimal
        } else {
            Status::Feasible
        };
        Solution {
            agent_of,
            cost,
            lower_bound: bound,
            status,
            seconds,
        }
    }
}
