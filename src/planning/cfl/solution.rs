//! A solution and its status, and the exact allocation of one open set's
//! demand ([`allocate`]) that every solver ends with.

use super::CflProblem;
use super::transport;
use crate::assign::Status;
use crate::assign::budget::Budget;
use crate::error::{ErrorKind, Result};
use serde::Serialize;
use std::time::Instant;

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
    /// The [`gap`](crate::assign::gap) between cost and lower bound; 0 when
    /// optimal, infinite when infeasible.
    pub gap: f64,
    /// Optimal, feasible or infeasible.
    pub status: Status,
    /// Wall-clock seconds the solver took.
    pub seconds: f64,
}

pub(super) fn infeasible(p: &CflProblem, why: String, started: Instant) -> CflSolution {
    CflSolution {
        open: vec![false; p.facilities()],
        flows: vec![Vec::new(); p.customers()],
        cost: f64::INFINITY,
        lower_bound: f64::INFINITY,
        gap: f64::INFINITY,
        status: Status::Infeasible(why),
        seconds: started.elapsed().as_secs_f64(),
    }
}

pub(super) fn capacity_shortfall(p: &CflProblem, open: &[bool]) -> Option<String> {
    let cap: f64 = (0..p.facilities())
        .filter(|&i| open[i])
        .map(|i| p.capacity[i])
        .sum();
    let demand = p.total_demand();
    (cap < demand).then(|| format!("total capacity {cap} is below total demand {demand}"))
}

/// The cheapest allocation of all demand to the facilities marked `open`: a
/// transportation problem, solved exactly as a min-cost flow (successive
/// shortest paths). The solution's cost includes the fixed costs of the open
/// facilities; its status is [`Status::Optimal`] (for this open set) or
/// [`Status::Infeasible`] when the open facilities cannot carry the demand.
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
pub(super) fn planned(
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
        status: Status::Optimal,
        seconds: started.elapsed().as_secs_f64(),
    }
}
