//! The solvers' view of a problem: only the customers that have an arc,
//! arcs by customer (sorted by cost) and by facility, and the count rule.

use super::{Count, MedianProblem};
use rayon::prelude::*;

/// A facility's state in a branch-and-bound node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fix {
    /// The relaxation decides.
    Free,
    /// Fixed open (always-open facilities, and branching).
    Open,
    /// Fixed closed.
    Closed,
}

/// A problem prepared for the solvers.
pub(super) struct Core {
    /// The number of facilities.
    pub n: usize,
    pub fixed: Vec<f64>,
    pub always: Vec<bool>,
    /// Per (covered) customer, `(facility, cost)` sorted by cost then facility.
    pub arcs: Vec<Vec<(u32, f64)>>,
    /// Per facility, `(customer, cost)` sorted by cost then customer.
    pub by_facility: Vec<Vec<(u32, f64)>>,
    pub count: Count,
    /// Whether every cost is an integer.
    pub integral: bool,
    /// No feasible open set costs more than this (every customer at its
    /// dearest arc, every facility paid for).
    pub cost_cap: f64,
}

impl Core {
    pub fn new(p: &MedianProblem, count: Count) -> Core {
        let n = p.facilities();
        let arcs: Vec<Vec<(u32, f64)>> = p.arcs.iter().filter(|a| !a.is_empty()).cloned().collect();
        let mut sizes = vec![0usize; n];
        for list in &arcs {
            for &(i, _) in list {
                sizes[i as usize] += 1;
            }
        }
        let mut by_facility: Vec<Vec<(u32, f64)>> =
            sizes.iter().map(|&k| Vec::with_capacity(k)).collect();
        for (j, list) in arcs.iter().enumerate() {
            for &(i, c) in list {
                by_facility[i as usize].push((j as u32, c));
            }
        }
        // Keys are unique (cost, customer): an unstable sort gives one order,
        // on any number of threads.
        by_facility.par_iter_mut().for_each(|list| {
            list.sort_unstable_by(|a: &(u32, f64), b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        });
        let cost_cap = arcs
            .iter()
            .map(|a| a.last().map_or(0.0, |x| x.1))
            .sum::<f64>()
            + p.fixed.iter().sum::<f64>();
        Core {
            n,
            fixed: p.fixed.clone(),
            always: p.always.clone(),
            arcs,
            by_facility,
            count,
            integral: p.integral(),
            cost_cap,
        }
    }

    /// The number of (covered) customers.
    pub fn m(&self) -> usize {
        self.arcs.len()
    }

    /// The count limit on facilities opened besides the always-open ones.
    pub fn limit(&self) -> Option<usize> {
        match self.count {
            Count::Exactly(p) | Count::AtMost(p) => Some(p),
            Count::Free => None,
        }
    }

    /// The states of the root: always-open facilities open, the rest free.
    pub fn root(&self) -> Vec<Fix> {
        self.always
            .iter()
            .map(|&a| if a { Fix::Open } else { Fix::Free })
            .collect()
    }

    /// The smallest cost difference that counts as an improvement on `cost`.
    pub fn eps(&self, cost: f64) -> f64 {
        1e-9 * cost.abs().max(1.0)
    }

    /// Rounds a bound up to the next integer with integer costs.
    pub fn round_bound(&self, lb: f64) -> f64 {
        if self.integral && lb.is_finite() {
            (lb - 1e-7 * lb.abs().max(1.0)).ceil()
        } else {
            lb
        }
    }
}
