//! A quick heuristic: every site open, then the site whose closing lowers
//! the cost most closed, one at a time.

use super::solution::gap_of;
use super::{CflProblem, CflSolution, CflStatus, allocate, lp_bound};
use crate::error::Result;
use std::time::Instant;

/// A drop heuristic: starts with every facility open and closes, one at a
/// time, the facility whose closing lowers the cost most (each open set
/// allocated exactly by [`allocate`]), until no closing helps. The lower
/// bound is [`lp_bound`]; the status is [`CflStatus::Optimal`] only when the
/// cost meets it.
///
/// # Errors
/// [`ErrorKind::Parameter`](crate::error::ErrorKind::Parameter) when the LP
/// solver fails.
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
