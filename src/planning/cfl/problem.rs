//! The problem: sites with a fixed cost and a capacity, customers with a
//! demand and a serving cost from each site, built and checked by [`CflBuilder`].

use super::MAX_VALUE;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use serde::Serialize;

/// A capacitated facility location problem; build it with [`CflProblem::builder`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CflProblem {
    pub(super) fixed_cost: Vec<f64>,
    pub(super) capacity: Vec<f64>,
    pub(super) demand: Vec<f64>,
    /// `cost[facility][customer]`.
    pub(super) cost: Vec<Vec<f64>>,
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
    /// not an error: the solvers report it as
    /// [`Status::Infeasible`](crate::assign::Status::Infeasible).
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
                            crate::planning::shown(v)
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
                        crate::planning::shown(d)
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
                        crate::planning::shown(c)
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
                    crate::planning::shown(capacity)
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
