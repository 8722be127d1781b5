//! [`MaxCover`]: `p` more sites that cover the most weight within a radius.

use super::at_radius::AtRadius;
use super::mc_bnb::Mc;
use super::{CoverProblem, CoverSolution, budget, check_p, check_radius, covered, pad};
use crate::assign::solver::limit_setters;
use crate::assign::{SolverLimits, Status, gap};
use crate::error::Result;
use std::time::Instant;

/// Maximal covering: opens `p` sites beyond the fixed-open ones so that the
/// weight of the customers with an open site within `radius` is largest.
///
/// The objective counts every covered customer's weight (those the
/// fixed-open sites cover too); the bound is a proven upper bound on it.
/// When fewer than `p` sites already cover all that can be covered, the
/// lowest-numbered closed sites fill the count; with fewer than `p` sites
/// left, all are opened.
///
/// # Method
/// Dominated sites are dropped; a Lagrangian relaxation of the coverage
/// rows (its bound: each customer's weight left over its multiplier, plus
/// the `p` best sites' sums of multipliers) is minimised by subgradient
/// steps; greedy (largest new weight first) and best-improvement swaps give
/// the incumbent; a depth-first branch and bound with reduced-cost fixing
/// closes the gap, first asking for a solution worth more than halfway
/// between the incumbent and the bound, so the proven gap halves with each
/// complete search and a search stopped early reports a tighter bound.
///
/// # Example
/// ```
/// use servnet::assign::Status;
/// use servnet::planning::covering::{CoverProblem, MaxCover};
/// // One site to open: site 1 reaches the two light customers, site 0 the heavy one.
/// let p = CoverProblem::builder(2)
///     .customer(5.0, [(0, 1.0)])
///     .customer(2.0, [(1, 1.0)])
///     .customer(2.0, [(1, 2.0)])
///     .build()?;
/// let s = MaxCover::new(3.0, 1).solve(&p)?;
/// assert_eq!((s.status, s.objective, s.open.clone()), (Status::Optimal, 5.0, vec![0]));
/// assert_eq!(s.uncovered, vec![1, 2]);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MaxCover {
    radius: f64,
    p: usize,
    limits: SolverLimits,
}

impl MaxCover {
    /// Opens `p` sites (beyond the fixed-open ones) covering within `radius`; no limit, gap 0.
    pub fn new(radius: f64, p: usize) -> Self {
        MaxCover {
            radius,
            p,
            limits: SolverLimits::default(),
        }
    }

    limit_setters!();

    /// Solves the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for a radius
    /// that is negative or not finite, a `p` larger than the sites that are
    /// not fixed open, a time limit that is not a number of seconds > 0 or a
    /// negative target gap.
    pub fn solve(&self, p: &CoverProblem) -> Result<CoverSolution> {
        let started = Instant::now();
        check_radius(self.radius)?;
        check_p(self.p, p)?;
        self.limits.check()?;
        let at = AtRadius::new(p, self.radius, false);
        let weight: Vec<f64> = at.customer.iter().map(|&j| p.weight[j]).collect();
        let (fixed_weight, _) = covered(
            p,
            &(0..p.sites()).filter(|&s| p.fixed[s]).collect::<Vec<_>>(),
            self.radius,
        );
        let mut budget = budget(&self.limits, started);
        let mut mc = Mc::new(
            &at.sc,
            weight,
            self.p,
            self.limits.target_gap,
            budget.deadline,
        );
        mc.run(&mut budget);
        let mut open = at.open(p, &mc.best);
        pad(p, &mut open, self.p);
        let (objective, uncovered) = covered(p, &open, self.radius);
        let bound = (fixed_weight + mc.bound).max(objective);
        let gap = gap(objective, bound);
        Ok(CoverSolution {
            status: if gap == 0.0 {
                Status::Optimal
            } else {
                Status::Feasible
            },
            open,
            objective,
            bound,
            gap,
            nodes: budget.nodes,
            seconds: started.elapsed().as_secs_f64(),
            uncovered,
        })
    }

    /// Solves the same model as a MIP through good_lp (microlp by default,
    /// HiGHS with the `highs` feature): an exact reference for small
    /// instances. Honours the time limit only.
    ///
    /// # Errors
    /// As [`MaxCover::solve`], or when the MIP solver fails.
    pub fn solve_mip(&self, p: &CoverProblem) -> Result<CoverSolution> {
        check_radius(self.radius)?;
        check_p(self.p, p)?;
        self.limits.check()?;
        super::mip::max_cover(p, self.radius, self.p, self.limits.time_limit_s)
    }
}
