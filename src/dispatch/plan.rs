//! A plan: which technician serves which request, and why the others are not served.

use super::{Coordinated, Route};
use crate::model::{OutletId, OutletKind, RequestId, Scenario, TechnicianId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One request served by one technician in one visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The request.
    pub request: RequestId,
    /// The technician who visits.
    pub technician: TechnicianId,
    /// The technician's outlet.
    pub outlet: OutletId,
    /// Road km of the leg into the visit in the technician's route (from
    /// the previous visit, or the day's start); for the day's last visit the
    /// way back to the base too.
    pub travel_km: f64,
    /// Minutes of the same driving as `travel_km`.
    pub travel_min: f64,
    /// Minutes on site, at the technician's levels.
    pub service_min: f64,
    /// What the visit costs under the outlet's tariff.
    pub cost: f64,
}

impl Assignment {
    /// Minutes of the technician's shift the visit takes: travel and service.
    pub fn working_min(&self) -> f64 {
        self.travel_min + self.service_min
    }
}

/// Why a request was not assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnassignedReason {
    /// No technician anywhere has every category at the required level.
    NoSkilledTechnician,
    /// Skilled technicians exist, but none within the strategy's reach.
    NoneWithinReach,
    /// Every skilled technician within reach cannot meet the time window in its shift.
    TimeWindowImpossible,
    /// Skilled technicians within reach could have come, but their shifts or outlets are full.
    CapacityExhausted,
    /// Skilled technicians exist, but the policy admits none of them (outlet
    /// kind, escalation, or a region that may not be crossed).
    PolicyExcludes,
    /// The visit was assigned, but no order of the technician's day reaches
    /// it inside its window (or gets back by the shift's end), and no other
    /// technician with room could take it (see
    /// [`route_plan`](super::route_plan)); or, for a live insertion, no
    /// technician's route has a place for it at that time.
    WindowMissed,
    /// The strategy's time limit came before it placed the request (see
    /// [`Plan::time_limited`]).
    TimeLimit,
}

impl UnassignedReason {
    /// The name used in files, e.g. `capacity_exhausted`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnassignedReason::NoSkilledTechnician => "no_skilled_technician",
            UnassignedReason::NoneWithinReach => "none_within_reach",
            UnassignedReason::TimeWindowImpossible => "time_window_impossible",
            UnassignedReason::CapacityExhausted => "capacity_exhausted",
            UnassignedReason::PolicyExcludes => "policy_excludes",
            UnassignedReason::WindowMissed => "window_missed",
            UnassignedReason::TimeLimit => "time_limit",
        }
    }
}

/// A request left unassigned, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// The request.
    pub request: RequestId,
    /// Why.
    pub reason: UnassignedReason,
}

/// The outcome of a dispatch: every request is either assigned or
/// unassigned with a reason, and every assigned request is a stop of its
/// technician's [`Route`] — the day as the technician drives it.
///
/// `assignments` hold the visits in route order (routes in ascending
/// technician id), each with the leg into it and its cost; `routes` hold the
/// times. [`verify`](super::verify) checks that the two agree.
///
/// Strategies that optimise (such as [`Optimal`](super::Optimal)) also report
/// the value of their objective, a lower bound on it and the gap between the
/// two; the fields are absent from the JSON when not set, and files written
/// without them still read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The strategy that made the plan.
    pub strategy: String,
    /// The value of the strategy's objective for this plan, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<f64>,
    /// No plan the strategy considered has a lower objective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<f64>,
    /// The relative gap `(objective − lower_bound) / max(|objective|, 1)`, as a fraction (0.01 is 1%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// The strategy's time limit stopped its work before its work limit:
    /// the plan is the best found by then, and the same input may give
    /// another plan on another run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub time_limited: bool,
    /// The visits.
    pub assignments: Vec<Assignment>,
    /// The requests not served.
    pub unassigned: Vec<Unassigned>,
    /// Household requests split into coordinated visits, one per category,
    /// because no technician in reach covers them all (see
    /// [`dispatch_one_stop`](super::dispatch_one_stop)); every other
    /// multi-category request is one visit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coordinated: Vec<Coordinated>,
    /// Each technician's day with visits, in ascending technician id: the
    /// visits in order with their times, and the way back to the base.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// Totals of the visits made by one kind of outlet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct KindTotals {
    /// Visits.
    pub visits: usize,
    /// Road km.
    pub travel_km: f64,
    /// Cost.
    pub cost: f64,
}

/// The figures of a plan: what was served, what was not and why, km and cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanSummary {
    /// The strategy.
    pub strategy: String,
    /// Requests in the plan.
    pub requests: usize,
    /// Requests assigned.
    pub assigned: usize,
    /// Requests unassigned, by reason.
    pub unassigned: BTreeMap<UnassignedReason, usize>,
    /// Road km of all visits.
    pub travel_km: f64,
    /// Cost of all visits.
    pub cost: f64,
    /// Totals by outlet kind, in the order of [`OutletKind::ALL`].
    pub by_kind: [KindTotals; 3],
    /// The strategy's objective, when it reports one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<f64>,
    /// The lower bound on the objective, when the strategy reports one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<f64>,
    /// The relative gap as a fraction, when the strategy reports one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// The strategy's time limit stopped its work.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub time_limited: bool,
}

impl Plan {
    /// Adds up the plan's figures; outlets unknown to the scenario are left out of `by_kind`.
    pub fn summary(&self, scenario: &Scenario) -> PlanSummary {
        let mut s = PlanSummary {
            strategy: self.strategy.clone(),
            requests: self.assignments.len() + self.unassigned.len(),
            assigned: self.assignments.len(),
            objective: self.objective,
            lower_bound: self.lower_bound,
            gap: self.gap,
            time_limited: self.time_limited,
            ..PlanSummary::default()
        };
        for u in &self.unassigned {
            *s.unassigned.entry(u.reason).or_default() += 1;
        }
        for a in &self.assignments {
            s.travel_km += a.travel_km;
            s.cost += a.cost;
            if let Some(o) = scenario.outlet(a.outlet) {
                let k = &mut s.by_kind[o.kind.index()];
                k.visits += 1;
                k.travel_km += a.travel_km;
                k.cost += a.cost;
            }
        }
        s
    }
}

impl fmt::Display for PlanSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |n: usize| {
            if self.requests == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.requests as f64
            }
        };
        writeln!(f, "strategy     {}", self.strategy)?;
        writeln!(f, "requests     {}", self.requests)?;
        writeln!(
            f,
            "assigned     {} ({:.1}%)",
            self.assigned,
            pct(self.assigned)
        )?;
        let unassigned: usize = self.unassigned.values().sum();
        writeln!(f, "unassigned   {} ({:.1}%)", unassigned, pct(unassigned))?;
        for (reason, n) in &self.unassigned {
            writeln!(f, "  {:<24} {n}", reason.as_str())?;
        }
        writeln!(f, "travel km    {:.0}", self.travel_km)?;
        writeln!(f, "cost         {:.0}", self.cost)?;
        if let Some(x) = self.objective {
            writeln!(f, "objective    {x:.1}")?;
        }
        if let Some(x) = self.lower_bound {
            writeln!(f, "lower bound  {x:.1}")?;
        }
        if let Some(x) = self.gap {
            writeln!(f, "gap          {:.3}%", 100.0 * x)?;
        }
        if self.time_limited {
            writeln!(f, "stopped      by the time limit")?;
        }
        writeln!(
            f,
            "{:<14} {:>8} {:>12} {:>12} {:>10}",
            "outlet kind", "visits", "km", "cost", "cost/visit"
        )?;
        for (kind, t) in OutletKind::ALL.iter().zip(&self.by_kind) {
            let per = if t.visits == 0 {
                0.0
            } else {
                t.cost / t.visits as f64
            };
            writeln!(
                f,
                "{:<14} {:>8} {:>12.0} {:>12.0} {:>10.1}",
                kind.as_str(),
                t.visits,
                t.travel_km,
                t.cost,
                per
            )?;
        }
        Ok(())
    }
}
