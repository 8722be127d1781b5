//! The plan as a whole: every request of the scenario accounted for once,
//! and a reported lower bound and gap that agree with the objective.

use super::rules::{above, close};
use super::violation::{At, Out, ViolationCode};
use crate::dispatch::Plan;
use crate::model::{RequestId, Scenario};
use std::collections::HashMap;

/// Every request once, no unknown request.
pub(super) fn accounting(s: &Scenario, plan: &Plan, out: &mut Out) {
    let mut seen: HashMap<RequestId, usize> = HashMap::new();
    let mentioned = plan
        .assignments
        .iter()
        .map(|a| a.request)
        .chain(plan.unassigned.iter().map(|u| u.request));
    for id in mentioned {
        if s.request(id).is_none() {
            out.add(
                ViolationCode::UnknownId,
                At::PLAN.request(id),
                "no such request".into(),
            );
        }
        *seen.entry(id).or_default() += 1;
    }
    for r in s.requests() {
        let at = At::PLAN.request(r.id);
        match seen.get(&r.id).copied().unwrap_or(0) {
            0 => out.add(
                ViolationCode::MissingRequest,
                at,
                "neither assigned nor unassigned".into(),
            ),
            1 => {}
            n => out.add(
                ViolationCode::DuplicateRequest,
                at,
                format!("appears {n} times"),
            ),
        }
    }
}

/// A reported bound is not above the objective, and the gap is what they give.
pub(super) fn check_bound(plan: &Plan, out: &mut Out) {
    let (Some(objective), Some(bound)) = (plan.objective, plan.lower_bound) else {
        return;
    };
    if above(bound, objective) {
        out.add(
            ViolationCode::Figures,
            At::PLAN,
            format!("the lower bound {bound} is above the objective {objective}"),
        );
    }
    if let Some(gap) = plan.gap {
        let want = ((objective - bound) / objective.abs().max(1.0)).max(0.0);
        if !close(gap, want) {
            out.add(
                ViolationCode::Figures,
                At::PLAN,
                format!("the gap is {gap}; objective {objective} and bound {bound} give {want}"),
            );
        }
    }
}
