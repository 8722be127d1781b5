//! The problem: facilities with a fixed cost, some always open, and each
//! customer's allowed arcs; built and checked by [`MedianBuilder`], and the
//! cost of any open set.

use super::MAX_COST;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use serde::Serialize;

/// A p-median or facility location problem; build it with
/// [`MedianProblem::builder`] or [`MedianProblem::from_matrix`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianProblem {
    pub(super) fixed: Vec<f64>,
    pub(super) always: Vec<bool>,
    /// Per customer, its allowed arcs `(facility, cost)`, one per facility,
    /// sorted by cost then facility.
    pub(super) arcs: Vec<Vec<(u32, f64)>>,
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
    /// reports it in
    /// [`MedianSolution::uncovered`](super::MedianSolution::uncovered).
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
                        crate::planning::shown(c)
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
                            crate::planning::shown(c)
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
    pub(super) fn evaluate_flags(&self, is_open: &[bool]) -> MedianEvaluation {
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
