//! [`PCenter`]: `p` more sites that minimise the largest distance from a
//! customer to its nearest open site.

use super::at_radius::AtRadius;
use super::mc_bnb::Mc;
use super::sc_bnb::min_cover;
use super::{
    Budget, CoverProblem, CoverSolution, budget, check_p, out_of_reach, pad, radius_of, status_of,
};
use crate::assign::deadline::Deadline;
use crate::assign::solver::limit_setters;
use crate::assign::{SolverLimits, Status, gap};
use crate::error::Result;
use std::time::Instant;

/// The p-center problem: opens `p` sites beyond the fixed-open ones so that
/// the largest distance from a customer to its nearest open site (the
/// radius, unweighted) is smallest; only the customers' arcs count.
///
/// Customers without any arc cannot be served: they are listed in
/// [`CoverSolution::uncovered`] with the status
/// [`Status::Infeasible`], and the rest is solved. When no `p` sites
/// reach every other customer through its arcs, the status is
/// [`Status::Infeasible`] too: the open sites then reach as many
/// customers as the maximal-covering engine finds, the objective is the
/// largest distance among those reached, and the bound is infinite.
///
/// # Method
/// The optimal radius is one of the distinct arc distances. A binary search
/// over them asks at each step the set-covering question "can `p` sites
/// cover every customer within r?", answered exactly by the set-cover
/// branch and bound (its Lagrangian bound proves "no"); greedy covers give
/// the first upper bound. The smallest radius not proven impossible is the
/// bound, so a search stopped early still reports a proven lower bound.
/// Under a limit, a decision gets half the time and nodes left; when it
/// runs out, the search goes on at smaller radii, where "no" is easier to
/// prove and raises the bound.
///
/// # Example
/// ```
/// use servnet::assign::Status;
/// use servnet::planning::covering::{CoverProblem, PCenter};
/// // Sites at 0, 10 and 20 km on a line, customers at 2, 9 and 19 km.
/// let mut b = CoverProblem::builder(3);
/// for x in [2.0, 9.0, 19.0] {
///     b = b.customer(1.0, [0.0, 10.0, 20.0].into_iter().enumerate().map(|(s, y)| (s, f64::abs(x - y))));
/// }
/// let s = PCenter::new(2).solve(&b.build()?)?;
/// // Sites 10 and 20: 2 is 8 km from 10, the others 1 km from theirs.
/// assert_eq!((s.status, s.objective, s.bound), (Status::Optimal, 8.0, 8.0));
/// assert_eq!(s.open, vec![1, 2]);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PCenter {
    p: usize,
    limits: SolverLimits,
}

enum Answer {
    Yes(Vec<usize>),
    No,
    Unknown,
}

impl PCenter {
    /// Opens `p` sites (beyond the fixed-open ones); no limit, gap 0.
    pub fn new(p: usize) -> Self {
        PCenter {
            p,
            limits: SolverLimits::default(),
        }
    }

    limit_setters!();

    /// Solves the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for a `p`
    /// larger than the sites that are not fixed open, a time limit that is
    /// not a number of seconds > 0 or a negative target gap.
    pub fn solve(&self, p: &CoverProblem) -> Result<CoverSolution> {
        let started = Instant::now();
        check_p(self.p, p)?;
        self.limits.check()?;
        let mut budget = budget(&self.limits, started);
        let no_arc: Vec<usize> = (0..p.customers())
            .filter(|&j| p.arcs[j].is_empty())
            .collect();
        let done = |open: Vec<usize>, objective: f64, bound: f64, nodes: u64| {
            let gap = gap(objective, bound);
            CoverSolution {
                status: status_of(no_arc.len(), gap),
                objective,
                bound,
                gap,
                nodes,
                seconds: started.elapsed().as_secs_f64(),
                uncovered: no_arc.clone(),
                open,
            }
        };
        let mut dist: Vec<f64> = p.arcs.iter().flatten().map(|a| a.1).collect();
        dist.sort_by(f64::total_cmp);
        dist.dedup();
        let free = (0..p.sites()).filter(|&s| !p.fixed[s]).count();
        if self.p >= free || dist.is_empty() {
            let all: Vec<usize> = (0..p.sites()).collect();
            let mut open: Vec<usize> = (0..p.sites()).filter(|&s| p.fixed[s]).collect();
            pad(p, &mut open, self.p);
            let r = radius_of(p, &open);
            return Ok(done(open, r, radius_of(p, &all), 0));
        }
        let index = |r: f64| dist.partition_point(|&d| d < r);
        let floor = (0..p.customers())
            .filter_map(|j| p.arcs[j].iter().map(|a| a.1).min_by(f64::total_cmp))
            .fold(0.0, f64::max);
        let mut lo = index(floor);
        let last = dist.len() - 1;
        // A first feasible radius: binary search with greedy covers only.
        let mut best: Option<Vec<usize>> = None;
        let (mut a, mut b) = (lo, last);
        while a <= b {
            // Stopped by the limit, the best radius found so far will do.
            if best.is_some() && budget.exhausted() {
                break;
            }
            let mid = (a + b) / 2;
            match self.greedy_at(p, dist[mid], &budget) {
                Some(open) => {
                    best = Some(open);
                    if mid == 0 {
                        break;
                    }
                    b = mid - 1;
                }
                None => a = mid + 1,
            }
        }
        let mut best = match best {
            Some(open) => open,
            None => match self.decide(p, dist[last], &mut budget) {
                Answer::Yes(open) => open,
                Answer::No => return Ok(self.unreachable(p, dist[last], budget.deadline, done)),
                Answer::Unknown => {
                    let open: Vec<usize> = (0..p.sites()).filter(|&s| p.fixed[s]).collect();
                    return Ok(done(open, f64::INFINITY, dist[lo], budget.nodes));
                }
            },
        };
        let mut hi = index(radius_of(p, &best));
        // Decisions at or above `top` (and below `hi`) ran out of budget: a
        // hard decision gets half of what is left, and the search goes on
        // below it, where "no" is easier to prove and raises the bound.
        let mut top = hi;
        while lo < hi && gap(dist[hi], dist[lo]) > self.limits.target_gap && !budget.exhausted() {
            top = top.min(hi);
            let (mid, share) = if lo < top {
                ((lo + top) / 2, 0.5)
            } else {
                (lo, 1.0)
            };
            let mut part = budget.share(share);
            let answer = self.decide(p, dist[mid], &mut part);
            budget.nodes = part.nodes;
            match answer {
                Answer::Yes(open) => {
                    hi = index(radius_of(p, &open)).min(mid);
                    best = open;
                }
                Answer::No => lo = mid + 1,
                Answer::Unknown if mid > lo => top = mid,
                Answer::Unknown => break,
            }
            if budget.exhausted() {
                break;
            }
        }
        Ok(done(
            best.clone(),
            radius_of(p, &best),
            dist[lo],
            budget.nodes,
        ))
    }

    /// The open sites of a greedy cover within `r`, padded to `p`, when it
    /// needs at most `p` sites (trying swaps too, until the budget's deadline,
    /// unless it is spent).
    fn greedy_at(&self, p: &CoverProblem, r: f64, budget: &Budget) -> Option<Vec<usize>> {
        let hurry = budget.exhausted();
        let at = AtRadius::new(p, r, true);
        if at.uncovered.iter().any(|&j| !p.arcs[j].is_empty()) {
            return None;
        }
        let mut sel = at.sc.heuristic(budget.deadline);
        if sel.iter().filter(|&&s| s).count() > self.p {
            if hurry {
                return None;
            }
            // Swaps from the greedy choice of p sites often cover all.
            let mc = Mc::new(
                &at.sc,
                vec![1.0; at.sc.rows.len()],
                self.p,
                0.0,
                budget.deadline,
            );
            if mc.value < at.sc.rows.len() as f64 {
                return None;
            }
            sel = mc.best;
        }
        let mut open = at.open(p, &sel);
        pad(p, &mut open, self.p);
        Some(open)
    }

    /// Whether `p` sites cover every customer with arcs within `r`, exactly.
    fn decide(&self, p: &CoverProblem, r: f64, budget: &mut Budget) -> Answer {
        let at = AtRadius::new(p, r, true);
        if at.uncovered.iter().any(|&j| !p.arcs[j].is_empty()) {
            return Answer::No;
        }
        if let Some(open) = self.greedy_at(p, r, budget) {
            return Answer::Yes(open);
        }
        let k = self.p as f64;
        let out = min_cover(&at.sc, Some(k), 0.0, budget);
        if out.ub <= k {
            let mut open = at.open(p, &out.sel);
            pad(p, &mut open, self.p);
            Answer::Yes(open)
        } else if out.lb > k {
            Answer::No
        } else {
            Answer::Unknown
        }
    }

    /// No `p` sites reach everyone: the `p` sites reaching the most customers.
    fn unreachable(
        &self,
        p: &CoverProblem,
        r: f64,
        deadline: Deadline,
        done: impl Fn(Vec<usize>, f64, f64, u64) -> CoverSolution,
    ) -> CoverSolution {
        let at = AtRadius::new(p, r, true);
        let mut mc = Mc::new(&at.sc, vec![1.0; at.sc.rows.len()], self.p, 0.0, deadline);
        let mut budget = Budget {
            deadline,
            node_limit: Some(0),
            nodes: 0,
        };
        mc.run(&mut budget);
        let mut open = at.open(p, &mc.best);
        pad(p, &mut open, self.p);
        let flags: Vec<bool> = (0..p.sites())
            .map(|s| open.binary_search(&s).is_ok())
            .collect();
        let mut s = done(open, 0.0, f64::INFINITY, 0);
        s.uncovered.clear();
        for j in 0..p.customers() {
            match p.nearest(j, &flags) {
                Some(d) => s.objective = s.objective.max(d),
                None => s.uncovered.push(j),
            }
        }
        s.status = Status::Infeasible(out_of_reach(self.p));
        s.gap = f64::INFINITY;
        s
    }

    /// Solves the same model as a MIP through good_lp (microlp by default,
    /// HiGHS with the `highs` feature): an exact reference for small
    /// instances. Honours the time limit only.
    ///
    /// # Errors
    /// As [`PCenter::solve`], or when the MIP solver fails.
    pub fn solve_mip(&self, p: &CoverProblem) -> Result<CoverSolution> {
        check_p(self.p, p)?;
        self.limits.check()?;
        super::mip::p_center(p, self.p, self.limits.time_limit_s)
    }
}
