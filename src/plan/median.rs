//! The p-median and uncapacitated facility location (UFL) problems, solved
//! to proven optimality.
//!
//! `n` candidate facilities, `m` customers; each customer has a sparse list
//! of allowed arcs `(facility, cost)` (the cost already weighted by the
//! customer's demand); each facility has a fixed cost to open (default 0);
//! some facilities may be *always open* (paid for, and not counted towards
//! p). Every customer is served by its cheapest open allowed facility. The
//! objective is the fixed costs of the open facilities plus the serving
//! costs; the [`Count`] rule says how many facilities may open besides the
//! always-open ones: exactly p (p-median), at most p, or any number (UFL).
//!
//! [`MedianSolver`] proves optimality by branch and bound on the facilities:
//!
//! - the bound is the Lagrangian relaxation of "each customer is served
//!   once", one multiplier `u_j` per customer, raised by subgradient
//!   ascent: facility i's reduced value is
//!   `fixed_i + Σ_j min(0, c_ij − u_j)`, and the relaxation opens the p
//!   best (or, with no count, every negative one);
//! - the incumbent comes from a greedy start and the fast swap-based
//!   interchange of Whitaker (with each customer's nearest and second
//!   nearest open facility), restarted from the relaxation's open sets;
//! - the reduced values fix facilities open or closed whenever the other
//!   choice cannot beat the incumbent; with integer costs the bound is rounded up.
//!
//! The search is deterministic: the same problem and settings give the same
//! solution, byte for byte, unless the safety time limit stops it.
//!
//! # Example
//! ```
//! use servnet::plan::median::{MedianProblem, MedianSolver, MedianStatus};
//! // Four vertices on a line 0 — 1 — 2 — 3, one unit apart; two medians.
//! let d: Vec<Vec<Option<f64>>> = (0..4)
//!     .map(|i: i32| (0..4).map(|j: i32| Some(f64::from((i - j).abs()))).collect())
//!     .collect();
//! let problem = MedianProblem::from_matrix(&d)?;
//! let s = MedianSolver::p_median(2).solve(&problem)?;
//! assert_eq!(s.status, MedianStatus::Optimal);
//! assert_eq!(s.cost, 2.0); // e.g. medians 0 and 2, or 1 and 3
//! assert_eq!(s.open.len(), 2);
//! # Ok::<(), servnet::Error>(())
//! ```

mod core;
mod local;
mod mip;
mod relax;
mod tree;

use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use serde::Serialize;

/// The largest fixed or serving cost a [`MedianProblem`] may hold (1e15):
/// sums over every facility and customer then stay finite, and bounds and
/// gaps meaningful. [`MedianBuilder::build`] refuses larger costs.
pub const MAX_COST: f64 = 1e15;

/// A p-median or facility location problem; build it with
/// [`MedianProblem::builder`] or [`MedianProblem::from_matrix`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianProblem {
    fixed: Vec<f64>,
    always: Vec<bool>,
    /// Per customer, its allowed arcs `(facility, cost)`, one per facility,
    /// sorted by cost then facility.
    arcs: Vec<Vec<(u32, f64)>>,
}

/// Builds a [`MedianProblem`]: facilities first (their number fixed at the
/// start), then customers in order.
#[derive(Debug, Clone)]
pub struct MedianBuilder {
    facilities: usize,
    fixed: Vec<(usize, f64)>,
    always: Vec<usize>,
    customers: Vec<Vec<(usize, f64)>>,
}

impl MedianBuilder {
    /// Sets the fixed cost of opening `facility` (default 0; the last call counts).
    pub fn fixed_cost(mut self, facility: usize, cost: f64) -> Self {
        self.fixed.push((facility, cost));
        self
    }

    /// Marks `facility` as always open: its fixed cost is paid, it serves
    /// whoever it is nearest to, and it does not count towards p.
    pub fn always_open(mut self, facility: usize) -> Self {
        self.always.push(facility);
        self
    }

    /// Adds a customer with its allowed arcs `(facility, cost)`; facilities
    /// not listed cannot serve it. Where a facility is listed twice, the
    /// cheaper arc counts. A customer with no arc is allowed: the solver
    /// reports it in [`MedianSolution::uncovered`].
    pub fn customer(mut self, arcs: impl IntoIterator<Item = (usize, f64)>) -> Self {
        self.customers.push(arcs.into_iter().collect());
        self
    }

    /// Checks every number and builds the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem: no facility
    /// ([`ProblemCode::Empty`]); a fixed cost or arc cost that is negative,
    /// not finite or above [`MAX_COST`] ([`ProblemCode::OutOfRange`], naming the facility, or the
    /// customer and its field `arcs[k].cost`); a facility index out of range
    /// ([`ProblemCode::DanglingReference`], naming the facility for
    /// `fixed_cost` and `always_open`, or the customer and `arcs[k].facility`).
    pub fn build(self) -> Result<MedianProblem> {
        let n = self.facilities;
        let mut problems = Vec::new();
        let bad = |v: f64| !(v.is_finite() && (0.0..=MAX_COST).contains(&v));
        if n == 0 {
            problems.push(Problem::new(
                ProblemCode::Empty,
                "facility",
                None,
                "facilities",
                "a median problem needs at least one facility",
            ));
        }
        if n > u32::MAX as usize {
            problems.push(Problem::new(
                ProblemCode::OutOfRange,
                "facility",
                None,
                "facilities",
                format!("{n} facilities is more than {}", u32::MAX),
            ));
        }
        let dangling = |entity, id: usize, field: &str, i: usize| {
            Problem::new(
                ProblemCode::DanglingReference,
                entity,
                Some(id as u64),
                field,
                format!("facility {i} is outside 0..{n}"),
            )
        };
        let mut fixed = vec![0.0; n];
        for &(i, c) in &self.fixed {
            if i >= n {
                problems.push(dangling("facility", i, "fixed_cost", i));
            } else if bad(c) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "facility",
                    Some(i as u64),
                    "fixed_cost",
                    format!(
                        "{} is not a number in 0..={MAX_COST:e}",
                        crate::plan::shown(c)
                    ),
                ));
            } else {
                fixed[i] = c;
            }
        }
        let mut always = vec![false; n];
        for &i in &self.always {
            match always.get_mut(i) {
                Some(a) => *a = true,
                None => problems.push(dangling("facility", i, "always_open", i)),
            }
        }
        let mut arcs = Vec::with_capacity(self.customers.len());
        for (j, list) in self.customers.iter().enumerate() {
            let mut kept: Vec<(u32, f64)> = Vec::with_capacity(list.len());
            for (k, &(i, c)) in list.iter().enumerate() {
                if i >= n {
                    problems.push(dangling("customer", j, &format!("arcs[{k}].facility"), i));
                } else if bad(c) {
                    problems.push(Problem::new(
                        ProblemCode::OutOfRange,
                        "customer",
                        Some(j as u64),
                        format!("arcs[{k}].cost"),
                        format!(
                            "{} is not a number in 0..={MAX_COST:e}",
                            crate::plan::shown(c)
                        ),
                    ));
                } else {
                    kept.push((i as u32, c));
                }
            }
            // The cheapest arc per facility, then all arcs by cost.
            kept.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            kept.dedup_by_key(|a| a.0);
            kept.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            arcs.push(kept);
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        Ok(MedianProblem {
            fixed,
            always,
            arcs,
        })
    }
}

/// The cost and the serving facility of each customer for one open set; see
/// [`MedianProblem::evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianEvaluation {
    /// The open facilities, sorted, always-open ones included.
    pub open: Vec<usize>,
    /// Per customer, its cheapest open allowed facility; `None` when it has none.
    pub assignment: Vec<Option<usize>>,
    /// The fixed costs of the open facilities.
    pub fixed_cost: f64,
    /// The serving costs of the served customers.
    pub service_cost: f64,
    /// `fixed_cost + service_cost`.
    pub cost: f64,
    /// The customers with no open allowed facility (their cost is not in `cost`).
    pub unserved: Vec<usize>,
}

impl MedianProblem {
    /// A builder for a problem with `facilities` candidate facilities.
    pub fn builder(facilities: usize) -> MedianBuilder {
        MedianBuilder {
            facilities,
            fixed: Vec::new(),
            always: Vec::new(),
            customers: Vec::new(),
        }
    }

    /// A problem from a dense matrix (p-median on a graph):
    /// `d[i][j]` is the cost of serving customer j from facility i, `None`
    /// where not allowed. Rows are facilities, columns customers (square
    /// for a graph's vertices, but any rectangle is accepted).
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`]: no row ([`ProblemCode::Empty`]), rows of
    /// different lengths ([`ProblemCode::Shape`], naming the facility), and
    /// as [`MedianBuilder::build`] for negative or non-finite costs.
    pub fn from_matrix(d: &[Vec<Option<f64>>]) -> Result<MedianProblem> {
        let m = d.first().map_or(0, Vec::len);
        let ragged: Vec<Problem> = d
            .iter()
            .enumerate()
            .filter(|(_, row)| row.len() != m)
            .map(|(i, row)| {
                Problem::new(
                    ProblemCode::Shape,
                    "facility",
                    Some(i as u64),
                    "row",
                    format!("{} costs where row 0 has {m}", row.len()),
                )
            })
            .collect();
        if !ragged.is_empty() {
            return Err(ErrorKind::Invalid(ragged).into());
        }
        let mut b = MedianProblem::builder(d.len());
        for j in 0..m {
            b = b.customer(
                d.iter()
                    .enumerate()
                    .filter_map(|(i, row)| row[j].map(|c| (i, c))),
            );
        }
        b.build()
    }

    /// The number of candidate facilities.
    pub fn facilities(&self) -> usize {
        self.fixed.len()
    }

    /// The number of customers.
    pub fn customers(&self) -> usize {
        self.arcs.len()
    }

    /// The fixed cost of opening each facility.
    pub fn fixed_costs(&self) -> &[f64] {
        &self.fixed
    }

    /// Whether each facility is always open.
    pub fn always_open(&self) -> &[bool] {
        &self.always
    }

    /// A customer's allowed arcs `(facility, cost)`, sorted by cost then facility.
    ///
    /// # Panics
    /// When `customer` is out of range.
    pub fn arcs(&self, customer: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.arcs[customer].iter().map(|&(i, c)| (i as usize, c))
    }

    /// The customers with no allowed arc at all.
    pub fn uncovered(&self) -> Vec<usize> {
        (0..self.customers())
            .filter(|&j| self.arcs[j].is_empty())
            .collect()
    }

    /// Whether every fixed and arc cost is an integer (then bounds round up).
    pub fn integral(&self) -> bool {
        let int = |v: f64| v.fract() == 0.0 && v.abs() < 1e15;
        self.fixed.iter().all(|&f| int(f)) && self.arcs.iter().flatten().all(|a| int(a.1))
    }

    /// The cost of opening `open` (plus the always-open facilities), each
    /// customer served by its cheapest open allowed facility.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] (`open`) naming a facility out of range.
    pub fn evaluate(&self, open: &[usize]) -> Result<MedianEvaluation> {
        let n = self.facilities();
        if let Some(&i) = open.iter().find(|&&i| i >= n) {
            return Err(ErrorKind::Parameter {
                name: "open",
                message: format!("facility {i} is outside 0..{n}"),
            }
            .into());
        }
        let mut is_open = self.always.clone();
        open.iter().for_each(|&i| is_open[i] = true);
        Ok(self.evaluate_flags(&is_open))
    }

    /// [`MedianProblem::evaluate`] of open flags of the right length.
    fn evaluate_flags(&self, is_open: &[bool]) -> MedianEvaluation {
        let open: Vec<usize> = (0..self.facilities()).filter(|&i| is_open[i]).collect();
        let fixed_cost: f64 = open.iter().map(|&i| self.fixed[i]).sum();
        let mut service_cost = 0.0;
        let mut unserved = Vec::new();
        let assignment = self
            .arcs
            .iter()
            .enumerate()
            .map(|(j, arcs)| {
                let best = arcs.iter().find(|a| is_open[a.0 as usize]);
                match best {
                    Some(&(i, c)) => {
                        service_cost += c;
                        Some(i as usize)
                    }
                    None => {
                        unserved.push(j);
                        None
                    }
                }
            })
            .collect();
        MedianEvaluation {
            open,
            assignment,
            fixed_cost,
            service_cost,
            cost: fixed_cost + service_cost,
            unserved,
        }
    }
}

/// How many facilities open besides the always-open ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Count {
    /// Exactly p (the p-median problem).
    Exactly(usize),
    /// At most p.
    AtMost(usize),
    /// Any number (uncapacitated facility location).
    Free,
}

/// How a [`MedianSolution`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum MedianStatus {
    /// Proven optimal: the cost meets the bound (after rounding up, with integer costs).
    Optimal,
    /// Feasible; the bound says how far from optimal it can be (a limit or
    /// the target gap stopped the search).
    Feasible,
    /// Some customer cannot be served: it has no allowed arc (listed in
    /// [`MedianSolution::uncovered`], the others are solved as usual), or no
    /// open set within the count serves every customer (cost infinite).
    Infeasible,
}

/// A solution: the open facilities, each customer's facility, the cost, a
/// lower bound, the relative gap and the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianSolution {
    /// Optimal, feasible or infeasible.
    pub status: MedianStatus,
    /// The open facilities, sorted, always-open ones included.
    pub open: Vec<usize>,
    /// Per customer, the facility serving it; `None` only when infeasible.
    pub assignment: Vec<Option<usize>>,
    /// Fixed plus serving cost of the served customers; infinite when no open
    /// set within the count serves every customer that has an arc.
    pub cost: f64,
    /// A lower bound on the cost of every open set within the count (over
    /// the customers that have an arc).
    pub bound: f64,
    /// `(cost − bound) / cost`; 0 when proven optimal (a bound within 1e-9
    /// relative of the cost counts as the cost).
    pub gap: f64,
    /// The customers with no allowed arc at all (then the status is infeasible).
    pub uncovered: Vec<usize>,
    /// Branch-and-bound nodes processed (the root is one).
    pub nodes: u64,
    /// Wall-clock seconds the solver took.
    pub seconds: f64,
}

/// The exact p-median / UFL solver: Lagrangian bound, fast-interchange
/// incumbent, branch and bound with reduced-cost fixing (see the [module
/// docs](self)).
///
/// Defaults: [`Count::Free`], no time or node limit, target gap 0 (prove optimal).
#[derive(Debug, Clone, PartialEq)]
pub struct MedianSolver {
    count: Count,
    time_limit_s: Option<f64>,
    node_limit: Option<u64>,
    target_gap: f64,
}

impl Default for MedianSolver {
    fn default() -> Self {
        MedianSolver {
            count: Count::Free,
            time_limit_s: None,
            node_limit: None,
            target_gap: 0.0,
        }
    }
}

impl MedianSolver {
    /// The p-median problem: exactly `p` facilities open besides the always-open ones.
    pub fn p_median(p: usize) -> Self {
        MedianSolver::default().count(Count::Exactly(p))
    }

    /// Uncapacitated facility location: any number of facilities.
    pub fn ufl() -> Self {
        MedianSolver::default().count(Count::Free)
    }

    /// Sets the count rule.
    pub fn count(mut self, count: Count) -> Self {
        self.count = count;
        self
    }

    /// A safety stop: after this many seconds, the best solution found and
    /// the bound proven so far (the only time-dependent behaviour).
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = Some(seconds);
        self
    }

    /// A deterministic stop after this many branch-and-bound nodes; 0 runs
    /// only the greedy start and the local search (the bound is then the
    /// relaxation at its starting multipliers).
    pub fn node_limit(mut self, nodes: u64) -> Self {
        self.node_limit = Some(nodes);
        self
    }

    /// Stops once the solution is proven within this relative gap of
    /// optimal (default 0: prove optimality).
    pub fn target_gap(mut self, gap: f64) -> Self {
        self.target_gap = gap;
        self
    }

    /// The settings against the problem: the count and the limits.
    fn check(&self, problem: &MedianProblem) -> Result<()> {
        let candidates = problem.always.iter().filter(|&&a| !a).count();
        if let Count::Exactly(p) | Count::AtMost(p) = self.count
            && p > candidates
        {
            return Err(ErrorKind::Parameter {
                name: "p",
                message: format!(
                    "{p} is more than the {candidates} facilities that are not always open"
                ),
            }
            .into());
        }
        if let Some(t) = self.time_limit_s {
            crate::assign::deadline::check_time_limit("time_limit_s", t)?;
        }
        if !(self.target_gap.is_finite() && self.target_gap >= 0.0) {
            return Err(ErrorKind::Parameter {
                name: "target_gap",
                message: format!("{} is not a finite number ≥ 0", self.target_gap),
            }
            .into());
        }
        Ok(())
    }

    /// Solves the problem.
    ///
    /// With `Count::Exactly(0)` and no always-open facility, a problem with
    /// a customer that has an arc is [`MedianStatus::Infeasible`] (cost
    /// infinite), not an error. A customer with no arc makes the status
    /// infeasible too, names it in `uncovered`, and the rest is solved.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`]: `p` larger than the number of facilities
    /// that are not always open; `time_limit_s` not a number of seconds > 0;
    /// `target_gap` negative or not finite.
    pub fn solve(&self, problem: &MedianProblem) -> Result<MedianSolution> {
        let started = std::time::Instant::now();
        self.check(problem)?;
        let core = core::Core::new(problem, self.count);
        let limits = tree::Limits {
            deadline: crate::assign::deadline::Deadline::maybe_after(started, self.time_limit_s),
            node_limit: self.node_limit,
            target_gap: self.target_gap,
        };
        let found = tree::solve(&core, &limits);
        let uncovered = problem.uncovered();
        let mut is_open = problem.always.clone();
        for &i in &found.open {
            is_open[i] = true;
        }
        let e = problem.evaluate_flags(&is_open);
        let feasible = e.unserved.len() == uncovered.len();
        let cost = if feasible { e.cost } else { f64::INFINITY };
        let mut bound = found.bound.min(cost);
        if cost.is_finite() && bound >= cost - 1e-9 * cost.abs().max(1.0) {
            // Proven within rounding.
            bound = cost;
        }
        let gap = if cost.is_finite() && cost - bound > 0.0 {
            (cost - bound) / cost.abs().max(f64::MIN_POSITIVE)
        } else if cost.is_finite() {
            0.0
        } else {
            f64::INFINITY
        };
        let status = if !feasible || !uncovered.is_empty() {
            MedianStatus::Infeasible
        } else if gap == 0.0 {
            MedianStatus::Optimal
        } else {
            MedianStatus::Feasible
        };
        Ok(MedianSolution {
            status,
            open: e.open,
            assignment: if feasible {
                e.assignment
            } else {
                vec![None; problem.customers()]
            },
            cost,
            bound,
            gap,
            uncovered,
            nodes: found.nodes,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
