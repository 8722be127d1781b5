//! The vocabulary every solver of [`assign`](crate::assign) and
//! [`planning`](crate::planning) shares: how a solve ended ([`Status`]), how far a
//! solution can be from optimal ([`gap`]), and what a search may spend
//! ([`SolverLimits`]).

use super::deadline::{Deadline, check_time_limit};
use crate::error::{ErrorKind, Result};
use serde::Serialize;
use std::time::Instant;

/// How a solve ended.
///
/// Every solve ends in one of these three, so the enum is closed: a `match`
/// on it needs no wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
pub enum Status {
    /// The solution is optimal: its objective equals the bound (within rounding).
    Optimal,
    /// The solution is feasible; the bound tells how far from optimal it can be.
    Feasible,
    /// No feasible solution exists, or some of the demand cannot be served
    /// (the rest is solved as usual), for the reason given.
    Infeasible(String),
}

impl Status {
    /// The status's word, as files write it: `optimal`, `feasible` or `infeasible`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible(_) => "infeasible",
        }
    }

    /// The reason of an infeasible status.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Status::Infeasible(why) => Some(why),
            _ => None,
        }
    }

    /// Whether the solution is proven optimal.
    pub fn is_optimal(&self) -> bool {
        matches!(self, Status::Optimal)
    }

    /// Whether the solve found no feasible solution or left demand unserved.
    pub fn is_infeasible(&self) -> bool {
        matches!(self, Status::Infeasible(_))
    }
}

/// The relative gap between an objective and a proven bound on it:
/// `|objective − bound| / max(|objective|, 1)`.
///
/// 0 when the two agree within 1e-9 relative (of `max(|objective|, 1)`);
/// infinite when one of them is not finite and they differ. The bound may be
/// lower (minimising) or upper (maximising): the gap is the same.
///
/// # Example
/// ```
/// use servnet::assign::gap;
/// assert_eq!(gap(110.0, 100.0), 10.0 / 110.0);
/// assert_eq!(gap(0.5, 0.25), 0.25); // small objectives count as 1
/// assert_eq!(gap(7.0, 7.0 - 1e-12), 0.0);
/// assert_eq!(gap(f64::INFINITY, 3.0), f64::INFINITY);
/// ```
pub fn gap(objective: f64, bound: f64) -> f64 {
    let d = (objective - bound).abs();
    if !d.is_finite() {
        return if objective == bound {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let scale = objective.abs().max(1.0);
    if d <= 1e-9 * scale { 0.0 } else { d / scale }
}

/// The [`gap`] of a solution of cost `cost`: infinite when the cost is not
/// finite (no solution), whatever the bound.
pub(crate) fn solution_gap(cost: f64, bound: f64) -> f64 {
    if cost.is_finite() {
        gap(cost, bound)
    } else {
        f64::INFINITY
    }
}

/// What a search may spend, and when it may stop early.
///
/// Every field is optional: `None` means no limit. A solver documents which
/// of them it honours; those it does not are ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct SolverLimits {
    /// Wall-clock seconds (any number > 0; `1e20` or infinity mean no limit in practice).
    pub time_limit_s: Option<f64>,
    /// Steps of work counted in the search's own loops: a limit that ends a
    /// run at the same point on every machine (≥ 1).
    pub work_limit: Option<u64>,
    /// Branch-and-bound nodes.
    pub node_limit: Option<u64>,
    /// Stop once the solution is proven within this relative [`gap`] of
    /// optimal (≥ 0; 0 proves optimality).
    pub target_gap: f64,
}

impl SolverLimits {
    /// No limits, target gap 0.
    pub fn new() -> Self {
        SolverLimits::default()
    }

    /// Sets the time limit in seconds.
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = Some(seconds);
        self
    }

    /// Sets the work limit in steps.
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.work_limit = Some(steps);
        self
    }

    /// Sets the node limit.
    pub fn node_limit(mut self, nodes: u64) -> Self {
        self.node_limit = Some(nodes);
        self
    }

    /// Sets the target gap.
    pub fn target_gap(mut self, gap: f64) -> Self {
        self.target_gap = gap;
        self
    }

    /// Refuses limits no search can honour.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] naming the setting: `time_limit_s` not a
    /// number of seconds > 0, `work_limit` 0, `target_gap` negative or not finite.
    pub fn check(&self) -> Result<()> {
        if let Some(t) = self.time_limit_s {
            check_time_limit("time_limit_s", t)?;
        }
        if let Some(w) = self.work_limit {
            check_work_limit(w)?;
        }
        check_gap("target_gap", self.target_gap)
    }

    /// The deadline `time_limit_s` after `started` (none without a limit).
    pub(crate) fn deadline(&self, started: Instant) -> Deadline {
        Deadline::maybe_after(started, self.time_limit_s)
    }
}

/// Refuses a work limit of 0 steps.
pub(crate) fn check_work_limit(steps: u64) -> Result<()> {
    if steps > 0 {
        return Ok(());
    }
    Err(ErrorKind::Parameter {
        name: "work_limit",
        message: format!("{steps} is not a number of steps ≥ 1"),
    }
    .into())
}

/// Refuses a relative gap that is negative or not finite, naming the setting.
pub(crate) fn check_gap<G: Into<f64> + std::fmt::Display + Copy>(
    name: &'static str,
    gap: G,
) -> Result<()> {
    if gap.into().is_finite() && gap.into() >= 0.0 {
        return Ok(());
    }
    Err(ErrorKind::Parameter {
        name,
        message: format!("{gap} is not a gap ≥ 0"),
    }
    .into())
}

/// The three limit setters of a solver with a `limits: SolverLimits` field.
macro_rules! limit_setters {
    () => {
        /// Stops after this many seconds with the best solution and bound found
        /// (the output then depends on the machine's speed).
        pub fn time_limit_s(mut self, seconds: f64) -> Self {
            self.limits.time_limit_s = Some(seconds);
            self
        }

        /// Stops after this many branch-and-bound nodes (deterministic).
        pub fn node_limit(mut self, nodes: u64) -> Self {
            self.limits.node_limit = Some(nodes);
            self
        }

        /// Stops once the relative gap is at most this (default 0: prove optimality).
        pub fn target_gap(mut self, gap: f64) -> Self {
            self.limits.target_gap = gap;
            self
        }
    };
}
pub(crate) use limit_setters;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_is_symmetric_in_the_bound_and_zero_within_rounding() {
        assert_eq!(gap(100.0, 90.0), 0.1);
        assert_eq!(gap(90.0, 100.0), 10.0 / 90.0);
        assert_eq!(gap(1e12, 1e12 - 1.0), 0.0);
        assert_eq!(gap(0.0, 0.0), 0.0);
        assert_eq!(gap(0.0, 0.5), 0.5);
        assert_eq!(gap(f64::INFINITY, f64::INFINITY), 0.0);
        assert_eq!(gap(5.0, f64::NEG_INFINITY), f64::INFINITY);
    }

    #[test]
    fn limits_name_the_setting_they_refuse() {
        let name = |l: SolverLimits| match l.check().unwrap_err().kind() {
            ErrorKind::Parameter { name, .. } => *name,
            e => panic!("{e:?}"),
        };
        assert!(SolverLimits::new().check().is_ok());
        assert_eq!(name(SolverLimits::new().time_limit_s(0.0)), "time_limit_s");
        assert_eq!(name(SolverLimits::new().work_limit(0)), "work_limit");
        assert_eq!(name(SolverLimits::new().target_gap(f64::NAN)), "target_gap");
        assert!(SolverLimits::new().node_limit(0).check().is_ok());
    }
}
