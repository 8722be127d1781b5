//! [`SetCover`]: the cheapest set of sites that serves every customer within a radius.

use super::at_radius::AtRadius;
use super::sc_bnb::min_cover;
use super::{CoverProblem, CoverSolution, budget, check_radius, status_of};
use crate::assign::solver::limit_setters;
use crate::assign::{SolverLimits, gap};
use crate::error::Result;
use std::time::Instant;

/// Set covering: opens the sites of least total cost such that every
/// customer has an open site within `radius` (fixed-open sites cover for
/// free and cost nothing).
///
/// Customers no site reaches within the radius cannot be covered: they are
/// listed in [`CoverSolution::uncovered`], the status is
/// [`Status::Infeasible`](crate::assign::Status::Infeasible), and the rest
/// is still solved (objective, bound and gap then refer to the coverable
/// customers).
///
/// # Method
/// Reductions (forced sites where a customer has a single covering site,
/// row and column dominance, independent components), a Lagrangian lower
/// bound by subgradient ascent, Chvátal's greedy with redundancy removal and
/// add-and-drop improvement for the incumbent, and a depth-first branch and
/// bound with Lagrangian bounds and reduced-cost fixing. With whole costs
/// the search asks "is there a cover of cost ≤ B?" for B = the lower bound,
/// then one more, and so on: each complete search proves the bound one
/// higher, so a search stopped early reports the bound proven so far.
///
/// # Example
/// ```
/// use servnet::assign::Status;
/// use servnet::planning::covering::{CoverProblem, SetCover};
/// // Site 1 alone reaches both customers within 10, but costs 3.
/// let p = CoverProblem::builder(3)
///     .site_cost(1, 3.0)
///     .customer(1.0, [(0, 4.0), (1, 9.0)])
///     .customer(1.0, [(1, 8.0), (2, 1.0)])
///     .build()?;
/// let s = SetCover::new(10.0).solve(&p)?;
/// assert_eq!((s.status, s.objective, s.open.clone()), (Status::Optimal, 2.0, vec![0, 2]));
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SetCover {
    radius: f64,
    limits: SolverLimits,
}

impl SetCover {
    /// Covers every customer within `radius` (in the arcs' unit); no limit, gap 0.
    pub fn new(radius: f64) -> Self {
        SetCover {
            radius,
            limits: SolverLimits::default(),
        }
    }

    limit_setters!();

    /// Solves the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for a radius
    /// that is negative or not finite, a time limit that is not a number of
    /// seconds > 0 or a negative target gap. Customers out of reach are the
    /// status [`Status::Infeasible`](crate::assign::Status::Infeasible), not an error.
    pub fn solve(&self, p: &CoverProblem) -> Result<CoverSolution> {
        let started = Instant::now();
        check_radius(self.radius)?;
        self.limits.check()?;
        let at = AtRadius::new(p, self.radius, false);
        let mut budget = budget(&self.limits, started);
        let out = min_cover(&at.sc, None, self.limits.target_gap, &mut budget);
        let gap = gap(out.ub, out.lb);
        let status = status_of(at.uncovered.len(), gap);
        Ok(CoverSolution {
            status,
            open: at.open(p, &out.sel),
            objective: out.ub,
            bound: out.lb,
            gap,
            nodes: budget.nodes,
            seconds: started.elapsed().as_secs_f64(),
            uncovered: at.uncovered,
        })
    }

    /// Solves the same model as a MIP through good_lp (microlp by default,
    /// HiGHS with the `highs` feature): an exact reference for small
    /// instances. Honours the time limit only.
    ///
    /// # Errors
    /// As [`SetCover::solve`], or when the MIP solver fails.
    pub fn solve_mip(&self, p: &CoverProblem) -> Result<CoverSolution> {
        check_radius(self.radius)?;
        self.limits.check()?;
        super::mip::set_cover(p, self.radius, self.limits.time_limit_s)
    }
}
