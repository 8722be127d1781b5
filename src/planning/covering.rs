//! Covering problems: set covering, maximal covering and p-center.
//!
//! Numbers only: sites with an opening cost, customers with a weight and
//! sparse arcs `(site, distance)` in any unit (km or minutes). Some sites may
//! be open already ([`CoverBuilder::fixed_open`]); they cover for free.
//!
//! - [`SetCover`]: the cheapest set of sites that puts every customer within
//!   a radius of an open site. Reductions, a Lagrangian bound by subgradient
//!   ascent (Beasley), greedy (Chvátal) with redundancy removal and local
//!   improvement, and a branch and bound that proves optimality.
//! - [`MaxCover`]: `p` more sites that cover the most weight within a radius;
//!   Lagrangian upper bound, greedy with swaps, branch and bound.
//! - [`PCenter`]: `p` more sites that minimise the largest distance from a
//!   customer to its nearest open site; a search over the distinct distances,
//!   each step a set-cover decision, with a proven lower bound on the radius.
//!
//! [`planar`] builds seeded random instances in a square, for tests and
//! benchmarks at the scale of China's ~650 cities.
//!
//! Each solver also has `solve_mip`, the same model as a MIP through good_lp
//! (microlp by default): an exact reference for small instances.
//!
//! All three return a [`CoverSolution`] with the status, the open sites, the
//! objective, a bound on the optimum (lower for minimising, upper for
//! maximising), the relative gap, the nodes searched and the seconds taken.
//! With a node limit instead of a time limit the output is deterministic.
//!
//! # Example
//! ```
//! use servnet::planning::covering::{CoverProblem, CoverStatus, MaxCover, PCenter, SetCover};
//! // Sites on a line at 0, 10 and 20 km; customers at 0, 5, 12 and 20 km.
//! let site_km = [0.0, 10.0, 20.0];
//! let mut b = CoverProblem::builder(3);
//! for (x, people) in [(0.0, 5.0), (5.0, 1.0), (12.0, 2.0), (20.0, 3.0)] {
//!     b = b.customer(people, site_km.iter().enumerate().map(|(s, &y)| (s, f64::abs(x - y))));
//! }
//! let p = b.build()?;
//! // Everyone within 8 km: sites 0 and 20 suffice.
//! let sc = SetCover::new(8.0).solve(&p)?;
//! assert_eq!((sc.status, sc.objective, sc.open.clone()), (CoverStatus::Optimal, 2.0, vec![0, 2]));
//! // One site, most people within 8 km: site 0 reaches 5 + 1.
//! let mc = MaxCover::new(8.0, 1).solve(&p)?;
//! assert_eq!((mc.objective, mc.bound, mc.open.clone()), (6.0, 6.0, vec![0]));
//! // One site, least worst distance: site 10, at most 10 km from everyone.
//! let pc = PCenter::new(1).solve(&p)?;
//! assert_eq!((pc.objective, pc.bound, pc.open.clone()), (10.0, 10.0, vec![1]));
//! # Ok::<(), servnet::Error>(())
//! ```

use crate::assign::deadline::Deadline;
use crate::assign::{SolverLimits, Status};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use serde::Serialize;
use std::time::Instant;

mod at_radius;
mod maxcover;
mod mc_bnb;
mod mip;
mod pcenter;
mod planar;
mod sc;
mod sc_bnb;
mod setcover;

pub use maxcover::MaxCover;
pub use pcenter::PCenter;
pub use planar::{Spread, planar};
pub use setcover::SetCover;

/// Sites, customers with weights, and sparse arcs; build it with [`CoverProblem::builder`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverProblem {
    cost: Vec<f64>,
    fixed: Vec<bool>,
    weight: Vec<f64>,
    /// Per customer, its arcs `(site, distance)` sorted by site, one per site.
    arcs: Vec<Vec<(u32, f64)>>,
}

/// Builds a [`CoverProblem`]; every number is checked by [`CoverBuilder::build`].
#[derive(Debug, Clone)]
pub struct CoverBuilder {
    sites: usize,
    cost: Vec<(usize, f64)>,
    fixed: Vec<usize>,
    weight: Vec<f64>,
    arcs: Vec<Vec<(usize, f64)>>,
}

impl CoverBuilder {
    /// Sets the cost of opening `site` (default 1); [`SetCover`] minimises the sum.
    pub fn site_cost(mut self, site: usize, cost: f64) -> Self {
        self.cost.push((site, cost));
        self
    }

    /// Marks `site` as open already (an existing outlet): it covers for free,
    /// its cost is not counted, and it does not count in `p`.
    pub fn fixed_open(mut self, site: usize) -> Self {
        self.fixed.push(site);
        self
    }

    /// Adds a customer with its weight (e.g. population or demand) and its
    /// sparse arcs `(site, distance)` — distance in any unit (km or minutes).
    /// A site missing from the arcs is out of reach; a site listed twice
    /// keeps its shorter distance.
    pub fn customer(mut self, weight: f64, arcs: impl IntoIterator<Item = (usize, f64)>) -> Self {
        self.weight.push(weight);
        self.arcs.push(arcs.into_iter().collect());
        self
    }

    /// Checks every number and builds the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem: no site
    /// ([`ProblemCode::Empty`]); a site index out of range in `site_cost`,
    /// `fixed_open` or an arc ([`ProblemCode::DanglingReference`]); a cost,
    /// weight or distance that is negative or not finite
    /// ([`ProblemCode::OutOfRange`]). Each problem names the site or customer
    /// index and the field (`cost`, `fixed_open`, `weight`, `arcs[k].site`,
    /// `arcs[k].distance`).
    pub fn build(self) -> Result<CoverProblem> {
        let mut problems = Vec::new();
        let bad = |v: f64| !(v.is_finite() && v >= 0.0);
        let m = self.sites;
        if m == 0 {
            problems.push(Problem::new(
                ProblemCode::Empty,
                "site",
                None,
                "sites",
                "a covering problem needs at least one site",
            ));
        }
        let out_of_range = |entity, id: usize, field: String, site: usize| {
            Problem::new(
                ProblemCode::DanglingReference,
                entity,
                Some(id as u64),
                field,
                format!("site {site} does not exist ({m} sites)"),
            )
        };
        let mut cost = vec![1.0; m];
        for &(s, c) in &self.cost {
            if s >= m {
                problems.push(out_of_range("site", s, "cost".into(), s));
            } else if bad(c) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "site",
                    Some(s as u64),
                    "cost",
                    format!("{c} is not a finite number ≥ 0"),
                ));
            } else {
                cost[s] = c;
            }
        }
        let mut fixed = vec![false; m];
        for &s in &self.fixed {
            if s >= m {
                problems.push(out_of_range("site", s, "fixed_open".into(), s));
            } else {
                fixed[s] = true;
            }
        }
        let mut arcs = Vec::with_capacity(self.arcs.len());
        for (j, (&w, list)) in self.weight.iter().zip(&self.arcs).enumerate() {
            if bad(w) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "customer",
                    Some(j as u64),
                    "weight",
                    format!("{w} is not a finite number ≥ 0"),
                ));
            }
            let mut row: Vec<(u32, f64)> = Vec::with_capacity(list.len());
            for (k, &(s, d)) in list.iter().enumerate() {
                if s >= m {
                    problems.push(out_of_range("customer", j, format!("arcs[{k}].site"), s));
                } else if bad(d) {
                    problems.push(Problem::new(
                        ProblemCode::OutOfRange,
                        "customer",
                        Some(j as u64),
                        format!("arcs[{k}].distance"),
                        format!("{d} is not a finite number ≥ 0"),
                    ));
                } else {
                    row.push((s as u32, d));
                }
            }
            row.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            row.dedup_by_key(|a| a.0);
            arcs.push(row);
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        Ok(CoverProblem {
            cost,
            fixed,
            weight: self.weight,
            arcs,
        })
    }
}

impl CoverProblem {
    /// A builder with `sites` sites (each of cost 1, none open) and no customer.
    pub fn builder(sites: usize) -> CoverBuilder {
        CoverBuilder {
            sites,
            cost: Vec::new(),
            fixed: Vec::new(),
            weight: Vec::new(),
            arcs: Vec::new(),
        }
    }

    /// The number of sites.
    pub fn sites(&self) -> usize {
        self.cost.len()
    }

    /// The number of customers.
    pub fn customers(&self) -> usize {
        self.weight.len()
    }

    /// The cost of opening each site.
    pub fn site_costs(&self) -> &[f64] {
        &self.cost
    }

    /// Whether each site is open already.
    pub fn fixed(&self) -> &[bool] {
        &self.fixed
    }

    /// The weight of each customer.
    pub fn weights(&self) -> &[f64] {
        &self.weight
    }

    /// The arcs `(site, distance)` of `customer`, sorted by site.
    ///
    /// # Panics
    /// When `customer` is out of range.
    pub fn arcs(&self, customer: usize) -> &[(u32, f64)] {
        &self.arcs[customer]
    }

    /// The distance from `customer` to its nearest site among `open` (sorted
    /// or not), or `None` when no arc leads to one of them.
    ///
    /// # Panics
    /// When `customer` is out of range.
    pub fn nearest(&self, customer: usize, open: &[bool]) -> Option<f64> {
        self.arcs[customer]
            .iter()
            .filter(|a| open.get(a.0 as usize) == Some(&true))
            .map(|a| a.1)
            .min_by(f64::total_cmp)
    }
}

/// How a [`CoverSolution`] stands: the one status of every solver.
#[deprecated(note = "use servnet::assign::Status")]
pub type CoverStatus = crate::assign::Status;

/// The status of a solution with `uncovered` customers no site can serve
/// and the given gap: infeasible with any such customer (the rest is solved
/// as well as it can be), else optimal at gap 0, else feasible.
pub(crate) fn status_of(uncovered: usize, gap: f64) -> Status {
    if uncovered > 0 {
        Status::Infeasible(unserved(uncovered))
    } else if gap == 0.0 {
        Status::Optimal
    } else {
        Status::Feasible
    }
}

/// The reason of a p-center status when no `p` sites beyond the open ones
/// reach every customer that has an arc.
pub(crate) fn out_of_reach(p: usize) -> String {
    format!("no {p} sites beyond the open ones reach every customer")
}

/// The reason of a status with `n` customers that no site can serve.
pub(crate) fn unserved(n: usize) -> String {
    match n {
        1 => "1 customer has no site that can serve it".to_string(),
        n => format!("{n} customers have no site that can serve them"),
    }
}

/// A solution of [`SetCover`], [`MaxCover`] or [`PCenter`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverSolution {
    /// Optimal, feasible, or infeasible for some customers (those listed in
    /// [`CoverSolution::uncovered`]; the rest is solved as well as it can be).
    pub status: Status,
    /// The open sites, sorted, including the fixed-open ones.
    pub open: Vec<usize>,
    /// Set cover: the cost of the newly opened sites. Max cover: the covered
    /// weight. P-center: the largest distance from a served customer to its
    /// nearest open site.
    pub objective: f64,
    /// A proven bound on the optimum: lower for set cover and p-center, upper for max cover.
    pub bound: f64,
    /// The [`gap`](crate::assign::gap) between objective and bound (0 when
    /// they agree).
    pub gap: f64,
    /// Branch-and-bound nodes searched.
    pub nodes: u64,
    /// Wall-clock seconds the solver took.
    pub seconds: f64,
    /// Customers the open sites do not serve, sorted: for set cover and
    /// p-center those no site can serve; for max cover those left uncovered.
    pub uncovered: Vec<usize>,
}

/// Opens the lowest-numbered closed sites until `count` sites beyond the
/// fixed ones are open (or every site is); keeps `open` sorted.
pub(crate) fn pad(p: &CoverProblem, open: &mut Vec<usize>, count: usize) {
    let mut is_open = vec![false; p.sites()];
    for &s in open.iter() {
        is_open[s] = true;
    }
    let free = open.iter().filter(|&&s| !p.fixed[s]).count();
    let more: Vec<usize> = (0..p.sites())
        .filter(|&s| !is_open[s])
        .take(count.saturating_sub(free))
        .collect();
    open.extend(more);
    open.sort_unstable();
}

/// The weight of the customers with an open site within `radius`, and the others.
pub(crate) fn covered(p: &CoverProblem, open: &[usize], radius: f64) -> (f64, Vec<usize>) {
    let flags = flags(p, open);
    let mut weight = 0.0;
    let mut uncovered = Vec::new();
    for j in 0..p.customers() {
        match p.nearest(j, &flags) {
            Some(d) if d <= radius => weight += p.weight[j],
            _ => uncovered.push(j),
        }
    }
    (weight, uncovered)
}

/// The largest distance from a customer with arcs to its nearest open site
/// (infinite when one has no open site among its arcs; 0 without customers).
pub(crate) fn radius_of(p: &CoverProblem, open: &[usize]) -> f64 {
    let flags = flags(p, open);
    (0..p.customers())
        .filter(|&j| !p.arcs[j].is_empty())
        .map(|j| p.nearest(j, &flags).unwrap_or(f64::INFINITY))
        .fold(0.0, f64::max)
}

fn flags(p: &CoverProblem, open: &[usize]) -> Vec<bool> {
    let mut flags = vec![false; p.sites()];
    for &s in open {
        flags[s] = true;
    }
    flags
}

/// The budget of a search under `limits` started at `started`.
fn budget(limits: &SolverLimits, started: Instant) -> Budget {
    Budget {
        deadline: limits.deadline(started),
        node_limit: limits.node_limit,
        nodes: 0,
    }
}

/// What a search may still spend: a deadline and a node count.
#[derive(Debug, Clone)]
struct Budget {
    deadline: Deadline,
    node_limit: Option<u64>,
    nodes: u64,
}

impl Budget {
    /// A budget with `fraction` (0–1) of the time and nodes left, counting on from these nodes.
    fn share(&self, fraction: f64) -> Budget {
        Budget {
            deadline: self.deadline.share(fraction),
            node_limit: self
                .node_limit
                .map(|l| self.nodes + (l.saturating_sub(self.nodes) as f64 * fraction) as u64),
            nodes: self.nodes,
        }
    }

    /// Whether the deadline has passed or the nodes are spent.
    fn exhausted(&self) -> bool {
        self.node_limit.is_some_and(|l| self.nodes >= l) || self.deadline.passed()
    }
}

fn parameter(name: &'static str, message: String) -> crate::Error {
    ErrorKind::Parameter { name, message }.into()
}

fn check_radius(radius: f64) -> Result<()> {
    if radius.is_finite() && radius >= 0.0 {
        Ok(())
    } else {
        Err(parameter(
            "radius",
            format!("{radius} is not a finite distance ≥ 0"),
        ))
    }
}

/// The step factor of a subgradient ascent: halved after `halve` steps in a
/// row that do not improve the best bound; the ascent is spent below 0.002.
pub(super) struct StepSize {
    /// The factor of the next step.
    pub f: f64,
    halve: u32,
    stall: u32,
}

impl StepSize {
    pub(super) fn new(f: f64, halve: u32) -> StepSize {
        StepSize { f, halve, stall: 0 }
    }

    /// Records whether the last step improved the best bound.
    pub(super) fn record(&mut self, improved: bool) {
        if improved {
            self.stall = 0;
        } else {
            self.stall += 1;
            if self.stall >= self.halve {
                self.f *= 0.5;
                self.stall = 0;
            }
        }
    }

    /// Whether the step has become too small to move the bound.
    pub(super) fn spent(&self) -> bool {
        self.f < 2e-3
    }
}

/// `p` against the sites that are not already open.
fn check_p(p: usize, problem: &CoverProblem) -> Result<()> {
    let free = problem.fixed.iter().filter(|&&f| !f).count();
    if p <= free {
        Ok(())
    } else {
        Err(parameter(
            "p",
            format!("{p} is more than the {free} candidate sites that are not already open"),
        ))
    }
}
