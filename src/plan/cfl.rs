//! Capacitated facility location (CFL) with splittable demand.
//!
//! Each facility has a fixed cost to open and a capacity; each customer has a
//! demand that may be split across open facilities. `cost[facility][customer]`
//! is the cost of serving *all* of the customer's demand from that facility
//! (OR-Library's convention); serving a share of it costs that share of the
//! cost. The objective is the fixed costs of the open facilities plus the
//! serving costs.
//!
//! [`CflSolver::solve_lagrangian`] needs no MIP: a Lagrangian lower bound
//! (the demand rows relaxed, one continuous knapsack per site) and a local
//! search that opens, closes and swaps sites, each open set allocated
//! exactly by min-cost flow; it handles OR-Library's capa–capc (100 sites ×
//! 1,000 customers). [`CflSolver::solve`] runs it, then, for problems of at
//! most [`MIP_MAX_SHARES`] facility–customer pairs, solves the strong
//! formulation (`x_ij ≤ y_i`, and the aggregate cut `Σ cap_i y_i ≥ Σ d_j`)
//! as a MIP through good_lp (microlp by default, HiGHS with the `highs`
//! feature) to prove optimality. [`allocate`] solves the transportation
//! problem of one fixed open set; [`greedy_drop`] is a quick heuristic;
//! [`lp_bound`] is the LP relaxation's lower bound.
//!
//! # Example
//! ```
//! use servnet::plan::cfl::{CflProblem, CflSolver, CflStatus};
//! // Two facilities, two customers of demand 3; facility 0 can carry only 4.
//! let p = CflProblem::builder()
//!     .facility(10.0, 4.0)
//!     .facility(12.0, 10.0)
//!     .customer(3.0, [1.0, 5.0])
//!     .customer(3.0, [1.0, 5.0])
//!     .build()?;
//! let s = CflSolver::new().solve(&p)?;
//! assert_eq!(s.status, CflStatus::Optimal);
//! assert_eq!(s.open, vec![false, true]); // 12 + 5 + 5; opening both costs more
//! assert!((s.cost - 22.0).abs() < 1e-6);
//! # Ok::<(), servnet::Error>(())
//! ```

// The models index matrices by facility and customer together; index loops read plainest.
#![allow(clippy::needless_range_loop)]

mod lagrange;
mod transport;

use crate::assign::deadline::{Deadline, check_time_limit, solver_seconds};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::plan::budget::Budget;
use good_lp::{
    Expression, ResolutionError, Solution as _, SolutionStatus, SolverModel, Variable,
    WithTimeLimit, constraint, variable, variables,
};
use serde::Serialize;
use std::time::Instant;

/// The largest fixed cost, capacity, demand or serving cost a problem may
/// hold (1e15): sums over every site and customer then stay finite and
/// gaps meaningful. Larger numbers are refused by [`CflBuilder::build`].
pub const MAX_VALUE: f64 = 1e15;

/// [`CflSolver::solve`] proves optimality with a MIP only for problems of at
/// most this many facility–customer pairs (5,000: OR-Library's cap41–cap134
/// are at most 50 × 50); larger ones get [`CflSolver::solve_lagrangian`]'s
/// plan and bound.
pub const MIP_MAX_SHARES: usize = 5_000;

/// A capacitated facility location problem; build it with [`CflProblem::builder`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CflProblem {
    fixed_cost: Vec<f64>,
    capacity: Vec<f64>,
    demand: Vec<f64>,
    /// `cost[facility][customer]`.
    cost: Vec<Vec<f64>>,
}

/// Builds a [`CflProblem`], facility by facility and customer by customer.
#[derive(Debug, Clone, Default)]
pub struct CflBuilder {
    fixed_cost: Vec<f64>,
    capacity: Vec<f64>,
    demand: Vec<f64>,
    /// Per customer, its cost from each facility.
    rows: Vec<Vec<f64>>,
}

impl CflBuilder {
    /// Adds a facility with its fixed cost to open and its capacity.
    pub fn facility(mut self, fixed_cost: f64, capacity: f64) -> Self {
        self.fixed_cost.push(fixed_cost);
        self.capacity.push(capacity);
        self
    }

    /// Adds a customer with its demand and, per facility in order, the cost
    /// of serving all of its demand from there.
    pub fn customer(mut self, demand: f64, cost: impl IntoIterator<Item = f64>) -> Self {
        self.demand.push(demand);
        self.rows.push(cost.into_iter().collect());
        self
    }

    /// Checks every number and builds the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem: no facility or no
    /// customer ([`ProblemCode::Empty`]), a fixed cost, capacity, demand or
    /// serving cost that is negative, not finite or above [`MAX_VALUE`]
    /// ([`ProblemCode::OutOfRange`],
    /// naming the facility or customer index), a cost row of the wrong length
    /// ([`ProblemCode::Shape`]). A total capacity below the total demand is
    /// not an error: the solvers report it as [`CflStatus::Infeasible`].
    pub fn build(self) -> Result<CflProblem> {
        let mut problems = Vec::new();
        let bad = |v: f64| !(v.is_finite() && (0.0..=MAX_VALUE).contains(&v));
        if self.fixed_cost.is_empty() {
            problems.push(Problem::new(
                ProblemCode::Empty,
                "facility",
                None,
                "facilities",
                "a facility location problem needs at least one facility",
            ));
        }
        if self.demand.is_empty() {
            problems.push(Problem::new(
                ProblemCode::Empty,
                "customer",
                None,
                "customers",
                "a facility location problem needs at least one customer",
            ));
        }
        for (i, (&f, &c)) in self.fixed_cost.iter().zip(&self.capacity).enumerate() {
            for (field, v) in [("fixed_cost", f), ("capacity", c)] {
                if bad(v) {
                    problems.push(Problem::new(
                        ProblemCode::OutOfRange,
                        "facility",
                        Some(i as u64),
                        field,
                        format!(
                            "{} is not a number in 0..={MAX_VALUE:e}",
                            crate::plan::shown(v)
                        ),
                    ));
                }
            }
        }
        let m = self.fixed_cost.len();
        for (j, (&d, row)) in self.demand.iter().zip(&self.rows).enumerate() {
            if bad(d) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "customer",
                    Some(j as u64),
                    "demand",
                    format!(
                        "{} is not a number in 0..={MAX_VALUE:e}",
                        crate::plan::shown(d)
                    ),
                ));
            }
            if row.len() != m {
                problems.push(Problem::new(
                    ProblemCode::Shape,
                    "customer",
                    Some(j as u64),
                    "cost",
                    format!("{} costs given for {m} facilities", row.len()),
                ));
            }
            if let Some((i, &c)) = row.iter().enumerate().find(|&(_, &c)| bad(c)) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "customer",
                    Some(j as u64),
                    format!("cost[{i}]"),
                    format!(
                        "{} is not a number in 0..={MAX_VALUE:e}",
                        crate::plan::shown(c)
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        let cost = (0..m)
            .map(|i| self.rows.iter().map(|row| row[i]).collect())
            .collect();
        Ok(CflProblem {
            fixed_cost: self.fixed_cost,
            capacity: self.capacity,
            demand: self.demand,
            cost,
        })
    }
}

impl CflProblem {
    /// A builder with no facility and no customer.
    pub fn builder() -> CflBuilder {
        CflBuilder::default()
    }

    /// The number of facilities.
    pub fn facilities(&self) -> usize {
        self.fixed_cost.len()
    }

    /// The number of customers.
    pub fn customers(&self) -> usize {
        self.demand.len()
    }

    /// The fixed cost of opening each facility.
    pub fn fixed_costs(&self) -> &[f64] {
        &self.fixed_cost
    }

    /// The capacity of each facility.
    pub fn capacities(&self) -> &[f64] {
        &self.capacity
    }

    /// The demand of each customer.
    pub fn demands(&self) -> &[f64] {
        &self.demand
    }

    /// The cost of serving all of `customer`'s demand from `facility`.
    ///
    /// # Panics
    /// When either index is out of range.
    pub fn cost(&self, facility: usize, customer: usize) -> f64 {
        self.cost[facility][customer]
    }

    /// The sum of the demands.
    pub fn total_demand(&self) -> f64 {
        self.demand.iter().sum()
    }

    /// The same problem with every facility's capacity set to `capacity`
    /// (OR-Library's capa–capc files prescribe this).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when `capacity` is negative, not finite or
    /// above [`MAX_VALUE`].
    pub fn with_capacity(mut self, capacity: f64) -> Result<Self> {
        if !(capacity.is_finite() && (0.0..=MAX_VALUE).contains(&capacity)) {
            return Err(ErrorKind::Parameter {
                name: "capacity",
                message: format!(
                    "{} is not a number in 0..={MAX_VALUE:e}",
                    crate::plan::shown(capacity)
                ),
            }
            .into());
        }
        self.capacity.iter_mut().for_each(|c| *c = capacity);
        Ok(self)
    }

    /// The cost of a solution given as open facilities and, per customer, its
    /// shares `(facility, share)`; checks every rule (shares ≥ 0 summing to 1,
    /// or none for a customer of demand 0; only open facilities; capacities
    /// within `1e-6` relative).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] naming the broken rule.
    pub fn evaluate(&self, open: &[bool], flows: &[Vec<(u32, f64)>]) -> Result<f64> {
        let fail = |message: String| -> crate::Error {
            ErrorKind::Parameter {
                name: "solution",
                message,
            }
            .into()
        };
        let m = self.facilities();
        if open.len() != m || flows.len() != self.customers() {
            return Err(fail(format!(
                "{} open flags and {} flow lists for {m} facilities and {} customers",
                open.len(),
                flows.len(),
                self.customers()
            )));
        }
        let mut total: f64 = (0..m)
            .filter(|&i| open[i])
            .map(|i| self.fixed_cost[i])
            .sum();
        let mut used = vec![0.0; m];
        for (j, shares) in flows.iter().enumerate() {
            let mut sum = 0.0;
            for &(i, s) in shares {
                let i = i as usize;
                if i >= m || !open[i] || !(s.is_finite() && s >= 0.0) {
                    return Err(fail(format!(
                        "customer {j}: share {s} from facility {i}, which is not an open facility or not a share ≥ 0"
                    )));
                }
                sum += s;
                used[i] += s * self.demand[j];
                total += s * self.cost[i][j];
            }
            let nothing_to_serve = shares.is_empty() && self.demand[j] == 0.0;
            if (sum - 1.0).abs() > 1e-6 && !nothing_to_serve {
                return Err(fail(format!("customer {j}: shares sum to {sum}, not 1")));
            }
        }
        for (i, (&u, &c)) in used.iter().zip(&self.capacity).enumerate() {
            if u > c + 1e-6 * c.max(1.0) {
                return Err(fail(format!("facility {i} serves {u} > capacity {c}")));
            }
        }
        Ok(total)
    }
}

/// How a [`CflSolution`] stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CflStatus {
    /// The solution is optimal: its cost equals the lower bound (within rounding).
    Optimal,
    /// The solution is feasible; the lower bound tells how far from optimal it can be.
    Feasible,
    /// No feasible solution exists, for the reason given.
    Infeasible(String),
}

/// A solution: the open facilities, each customer's shares, the cost, a lower
/// bound on every feasible cost, the relative gap and the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CflSolution {
    /// Whether each facility is open.
    pub open: Vec<bool>,
    /// Per customer, the share of its demand `(facility, share)` served from
    /// each facility with a positive share, by facility; shares sum to 1
    /// (none for a customer of demand 0).
    pub flows: Vec<Vec<(u32, f64)>>,
    /// Fixed plus serving cost; infinite when infeasible.
    pub cost: f64,
    /// A lower bound on the cost of every feasible solution.
    pub lower_bound: f64,
    /// `(cost − lower_bound) / max(|cost|, 1)`; 0 when optimal, infinite when infeasible.
    pub gap: f64,
    /// Optimal, feasible or infeasible.
    pub status: CflStatus,
    /// Wall-clock seconds the solver took.
    pub seconds: f64,
}

fn gap_of(cost: f64, lower_bound: f64) -> f64 {
    if cost.is_finite() {
        ((cost - lower_bound) / cost.abs().max(1.0)).max(0.0)
    } else {
        f64::INFINITY
    }
}

fn infeasible(p: &CflProblem, why: String, started: Instant) -> CflSolution {
    CflSolution {
        open: vec![false; p.facilities()],
        flows: vec![Vec::new(); p.customers()],
        cost: f64::INFINITY,
        lower_bound: f64::INFINITY,
        gap: f64::INFINITY,
        status: CflStatus::Infeasible(why),
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn capacity_shortfall(p: &CflProblem, open: &[bool]) -> Option<String> {
    let cap: f64 = (0..p.facilities())
        .filter(|&i| open[i])
        .map(|i| p.capacity[i])
        .sum();
    let demand = p.total_demand();
    (cap < demand).then(|| format!("total capacity {cap} is below total demand {demand}"))
}

fn solver_failed(e: ResolutionError) -> crate::Error {
    ErrorKind::Parameter {
        name: "problem",
        message: format!("the LP/MIP solver failed: {e}"),
    }
    .into()
}

/// The cheapest allocation of all demand to the facilities marked `open`: a
/// transportation problem, solved exactly as a min-cost flow (successive
/// shortest paths). The solution's cost includes the fixed costs of the open
/// facilities; its status is [`CflStatus::Optimal`] (for this open set) or
/// [`CflStatus::Infeasible`] when the open facilities cannot carry the demand.
///
/// # Errors
/// [`ErrorKind::Parameter`] when `open` has the wrong length.
pub fn allocate(p: &CflProblem, open: &[bool]) -> Result<CflSolution> {
    let started = Instant::now();
    if open.len() != p.facilities() {
        return Err(ErrorKind::Parameter {
            name: "open",
            message: format!("{} flags for {} facilities", open.len(), p.facilities()),
        }
        .into());
    }
    if let Some(why) = capacity_shortfall(p, open) {
        return Ok(infeasible(
            p,
            format!("the open facilities' {why}"),
            started,
        ));
    }
    let units = transport::UnitCosts::new(p);
    let Some(a) = transport::allocate(p, &units, open, &mut Budget::unlimited()) else {
        return Ok(infeasible(
            p,
            "the open facilities cannot carry the demand".into(),
            started,
        ));
    };
    Ok(planned(p, open.to_vec(), a, started))
}

/// A solution of one open set and its optimal allocation, optimal for that set.
fn planned(
    p: &CflProblem,
    open: Vec<bool>,
    a: transport::Allocation,
    started: Instant,
) -> CflSolution {
    let fixed: f64 = (0..p.facilities())
        .filter(|&i| open[i])
        .map(|i| p.fixed_cost[i])
        .sum();
    let cost = fixed + a.serving;
    CflSolution {
        open,
        flows: a.flows,
        cost,
        lower_bound: cost,
        gap: 0.0,
        status: CflStatus::Optimal,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Demand rows `Σ_i x_ij = 1` and capacity rows `Σ_j d_j x_ij ≤ cap_i (y_i)`.
fn add_rows<M: SolverModel>(
    p: &CflProblem,
    x: &[Vec<Option<Variable>>],
    y: Option<&[Variable]>,
    model: &mut M,
) {
    let (m, n) = (p.facilities(), p.customers());
    for j in (0..n).filter(|&j| p.demand[j] > 0.0) {
        let mut row = Expression::from(0.0);
        for xi in x {
            if let Some(v) = xi[j] {
                row += v;
            }
        }
        model.add_constraint(constraint!(row == 1.0));
    }
    for i in 0..m {
        let mut row = Expression::from(0.0);
        let mut any = false;
        for j in 0..n {
            if let Some(v) = x[i][j] {
                row += p.demand[j] * v;
                any = true;
            }
        }
        if !any {
            continue;
        }
        match y {
            Some(y) => model.add_constraint(constraint!(row <= p.capacity[i] * y[i])),
            None => model.add_constraint(constraint!(row <= p.capacity[i])),
        };
    }
}

/// Solves a [`CflProblem`]: a Lagrangian bound and a local search, then,
/// for problems of at most [`MIP_MAX_SHARES`] facility–customer pairs, a
/// mixed-integer program (strong formulation) to prove optimality.
///
/// The MIP's variables: binary `y_i` (open), continuous `x_ij ∈ [0, 1]`
/// (share of customer j served by facility i). Rows: `Σ_i x_ij = 1`,
/// `Σ_j d_j x_ij ≤ cap_i y_i`, `x_ij ≤ y_i` and `Σ_i cap_i y_i ≥ Σ_j d_j`.
///
/// A run stopped by its time or work limit returns its best plan, its
/// bound and [`CflStatus::Feasible`], never an error; a run stopped by its
/// work limit alone ([`CflSolver::solve_lagrangian`]) is the same on every
/// run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CflSolver {
    time_limit_s: Option<f64>,
    work_limit: Option<u64>,
}

impl CflSolver {
    /// No time limit: prove optimality.
    pub fn new() -> Self {
        CflSolver::default()
    }

    /// Stops after this many seconds with the best solution found (any
    /// number > 0; `1e20` or infinity mean no limit in practice).
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = Some(seconds);
        self
    }

    /// Stops the Lagrangian search after this many steps of work (sites ×
    /// customers per subgradient step, arcs looked at per allocation): a
    /// limit that ends the run at the same point on every machine. The MIP
    /// of [`CflSolver::solve`] is not counted and is skipped under a work limit.
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.work_limit = Some(steps);
        self
    }

    fn check(&self, started: Instant) -> Result<Deadline> {
        if let Some(t) = self.time_limit_s {
            check_time_limit("time_limit_s", t)?;
        }
        if self.work_limit == Some(0) {
            return Err(ErrorKind::Parameter {
                name: "work_limit",
                message: "0 is not a number of steps > 0".into(),
            }
            .into());
        }
        Ok(Deadline::maybe_after(started, self.time_limit_s))
    }

    /// The Lagrangian bound and local search alone: no MIP, for problems of
    /// any size (OR-Library's capa–capc: 100 × 1,000). Optimal only when the
    /// plan meets the bound.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for a time limit that is not a number of
    /// seconds > 0 or a work limit of 0. Infeasibility (total capacity below
    /// demand) is the status [`CflStatus::Infeasible`], not an error.
    pub fn solve_lagrangian(&self, p: &CflProblem) -> Result<CflSolution> {
        let started = Instant::now();
        let deadline = self.check(started)?;
        Ok(self.heuristic(p, deadline, started))
    }

    fn heuristic(&self, p: &CflProblem, deadline: Deadline, started: Instant) -> CflSolution {
        let all = vec![true; p.facilities()];
        if let Some(why) = capacity_shortfall(p, &all) {
            return infeasible(p, why, started);
        }
        let Some(out) = lagrange::solve(p, Budget::new(deadline, self.work_limit)) else {
            let why = format!(
                "the sites' total capacity does not carry the total demand {}",
                p.total_demand()
            );
            return infeasible(p, why, started);
        };
        let mut s = planned(p, out.open, out.allocation, started);
        s.lower_bound = out.bound;
        s.gap = gap_of(s.cost, s.lower_bound);
        s.status = if s.gap <= 1e-9 {
            CflStatus::Optimal
        } else {
            CflStatus::Feasible
        };
        s
    }

    /// Solves the problem: [`CflSolver::solve_lagrangian`] (with a third of
    /// the time when a MIP follows), then, unless that plan is proven
    /// optimal, there is a work limit, or the problem has more than
    /// [`MIP_MAX_SHARES`] facility–customer pairs, the MIP with the time
    /// left; the better plan and the better bound are kept.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for a time limit that is not a number of
    /// seconds > 0, a work limit of 0, or when the MIP solver fails.
    /// Infeasibility (total capacity below demand) is the status
    /// [`CflStatus::Infeasible`], not an error.
    pub fn solve(&self, p: &CflProblem) -> Result<CflSolution> {
        let started = Instant::now();
        let deadline = self.check(started)?;
        let mip = self.work_limit.is_none() && p.facilities() * p.customers() <= MIP_MAX_SHARES;
        let first = if mip {
            deadline.share(1.0 / 3.0)
        } else {
            deadline
        };
        let mut best = self.heuristic(p, first, started);
        if !mip || best.status != CflStatus::Feasible || deadline.passed() {
            best.seconds = started.elapsed().as_secs_f64();
            return Ok(best);
        }
        if let Some(s) = self.mip(p, deadline, started)?
            && !matches!(s.status, CflStatus::Infeasible(_))
        {
            let bound = best.lower_bound.max(s.lower_bound);
            if s.cost < best.cost {
                best = s;
            }
            best.lower_bound = bound.min(best.cost);
            best.gap = gap_of(best.cost, best.lower_bound);
            best.status = if best.gap <= 1e-9 || best.status == CflStatus::Optimal {
                CflStatus::Optimal
            } else {
                CflStatus::Feasible
            };
        }
        best.seconds = started.elapsed().as_secs_f64();
        Ok(best)
    }

    /// The MIP with the time left; `None` when its time limit came before
    /// it found a plan.
    fn mip(
        &self,
        p: &CflProblem,
        deadline: Deadline,
        started: Instant,
    ) -> Result<Option<CflSolution>> {
        let (vars, y, x, objective) = strong_variables(p, true);
        let mut model = crate::assign::mip::backend(vars.minimise(objective));
        if self.time_limit_s.is_some() {
            model = model.with_time_limit(solver_seconds(deadline.seconds_left().max(1e-3)));
        }
        strong_rows(p, &x, &y, &mut model);
        let solved = match model.solve() {
            Ok(s) => s,
            Err(ResolutionError::Infeasible) => {
                return Ok(Some(infeasible(
                    p,
                    "the MIP solver proved that no open set carries the demand".into(),
                    started,
                )));
            }
            Err(e) if crate::assign::mip::stopped_before_a_solution(&e) => return Ok(None),
            Err(e) => return Err(solver_failed(e)),
        };
        let open: Vec<bool> = y.iter().map(|&v| solved.value(v) > 0.5).collect();
        let status = solved.status();
        // Re-solve the allocation of the chosen open set: exact shares, and a
        // cost that meets every capacity without the MIP's tolerances.
        let mut s = allocate(p, &open)?;
        match status {
            SolutionStatus::Optimal => {}
            SolutionStatus::GapLimit | SolutionStatus::TimeLimit => {
                s.lower_bound = f64::NEG_INFINITY;
                s.status = CflStatus::Feasible;
            }
        }
        Ok(Some(s))
    }
}

/// A drop heuristic: starts with every facility open and closes, one at a
/// time, the facility whose closing lowers the cost most (each open set
/// allocated exactly by [`allocate`]), until no closing helps. The lower
/// bound is [`lp_bound`]; the status is [`CflStatus::Optimal`] only when the
/// cost meets it.
///
/// # Errors
/// [`ErrorKind::Parameter`] when the LP solver fails.
pub fn greedy_drop(p: &CflProblem) -> Result<CflSolution> {
    let started = Instant::now();
    let mut open = vec![true; p.facilities()];
    let mut best = allocate(p, &open)?;
    if matches!(best.status, CflStatus::Infeasible(_)) {
        best.seconds = started.elapsed().as_secs_f64();
        return Ok(best);
    }
    loop {
        let mut improved: Option<(usize, CflSolution)> = None;
        for i in 0..p.facilities() {
            if !open[i] {
                continue;
            }
            open[i] = false;
            let s = allocate(p, &open)?;
            open[i] = true;
            let bar = improved.as_ref().map_or(best.cost, |(_, s)| s.cost);
            if s.status == CflStatus::Optimal && s.cost < bar - 1e-9 * bar.abs().max(1.0) {
                improved = Some((i, s));
            }
        }
        match improved {
            Some((i, s)) => {
                open[i] = false;
                best = s;
            }
            None => break,
        }
    }
    best.lower_bound = lp_bound(p)?.min(best.cost);
    best.gap = gap_of(best.cost, best.lower_bound);
    best.status = if best.gap <= 1e-9 {
        CflStatus::Optimal
    } else {
        CflStatus::Feasible
    };
    best.seconds = started.elapsed().as_secs_f64();
    Ok(best)
}

/// The LP relaxation of the strong formulation: a lower bound on every
/// feasible cost (infinite when the total capacity is below the demand).
///
/// # Errors
/// [`ErrorKind::Parameter`] when the LP solver fails.
pub fn lp_bound(p: &CflProblem) -> Result<f64> {
    let all = vec![true; p.facilities()];
    if capacity_shortfall(p, &all).is_some() {
        return Ok(f64::INFINITY);
    }
    let (vars, y, x, objective) = strong_variables(p, false);
    let objective_copy = objective.clone();
    let mut model = good_lp::microlp(vars.minimise(objective));
    strong_rows(p, &x, &y, &mut model);
    match model.solve() {
        Ok(s) => Ok(s.eval(&objective_copy)),
        Err(ResolutionError::Infeasible) => Ok(f64::INFINITY),
        Err(e) => Err(solver_failed(e)),
    }
}

/// The strong formulation's variables and objective: `y[i]` (binary when
/// `integral`, else in [0, 1]) opens facility i, `x[i][j]` in [0, 1] is the
/// share of customer j's demand it serves (none for zero demand).
fn strong_variables(
    p: &CflProblem,
    integral: bool,
) -> (
    good_lp::ProblemVariables,
    Vec<Variable>,
    Vec<Vec<Option<Variable>>>,
    Expression,
) {
    let (m, n) = (p.facilities(), p.customers());
    let mut vars = variables!();
    let y: Vec<Variable> = (0..m)
        .map(|_| {
            vars.add(if integral {
                variable().binary()
            } else {
                variable().min(0.0).max(1.0)
            })
        })
        .collect();
    let x: Vec<Vec<Option<Variable>>> = (0..m)
        .map(|_| {
            (0..n)
                .map(|j| (p.demand[j] > 0.0).then(|| vars.add(variable().min(0.0).max(1.0))))
                .collect()
        })
        .collect();
    let mut objective = Expression::from(0.0);
    for i in 0..m {
        objective += p.fixed_cost[i] * y[i];
        for j in 0..n {
            if let Some(v) = x[i][j] {
                objective += p.cost[i][j] * v;
            }
        }
    }
    (vars, y, x, objective)
}

/// The strong formulation's rows: demand and capacity ([`add_rows`]),
/// `x[i][j] ≤ y[i]`, and the open capacity covering the total demand.
fn strong_rows<M: SolverModel>(
    p: &CflProblem,
    x: &[Vec<Option<Variable>>],
    y: &[Variable],
    model: &mut M,
) {
    add_rows(p, x, Some(y), model);
    for (i, xi) in x.iter().enumerate() {
        for v in xi.iter().flatten() {
            model.add_constraint(constraint!(*v <= y[i]));
        }
    }
    let mut aggregate = Expression::from(0.0);
    for (i, &yi) in y.iter().enumerate() {
        aggregate += p.capacity[i] * yi;
    }
    model.add_constraint(constraint!(aggregate >= p.total_demand()));
}
