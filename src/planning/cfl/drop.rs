//! A quick heuristic: every site open, then the site whose closing lowers
//! the cost most closed, one at a time.

use super::{CflProblem, CflSolution, allocate, lp_bound};
use crate::assign::Status;
use crate::assign::solver::solution_gap;
use crate::error::Result;
use std::time::Instant;

/// A drop heuristic: starts with every facility open and closes, one at a
/// time, the facility whose closing lowers the cost most (each open set
/// allocated exactly by [`allocate`]), until no closing helps. The lower
/// bound is [`lp_bound`]; the status is [`Status::Optimal`] only when the
/// cost meets it.
///
/// # Errors
/// [`ErrorKind::Parameter`](crate::error::ErrorKind::Parameter) when the LP
/// solver fails.
pub fn greedy_drop(p: &CflProblem) -> Result<CflSolution> {
    let started = Instant::now();
    let mut open = vec![true; p.facilities()];
    let mut best = allocate(p, &open)?;
    if matches!(best.status, Status::Infeasible(_)) {
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
            if s.status == Status::Optimal && s.cost < bar - 1e-9 * bar.abs().max(1.0) {
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
    best.gap = solution_gap(best.cost, best.lower_bound);
    best.status = if best.gap <= 1e-9 {
        Status::Optimal
    } else {
        Status::Feasible
    };
    best.seconds = started.elapsed().as_secs_f64();
    Ok(best)
}
