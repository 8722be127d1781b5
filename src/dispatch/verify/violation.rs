//! What the checker reports: the rule a plan breaks, one broken rule with
//! the ids concerned, and the list the checks add to.

use crate::dispatch::Route;
use crate::model::{OutletId, RequestId, TechnicianId};
use serde::Serialize;
use std::fmt;

/// What rule a plan breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationCode {
    /// The plan names a request, technician or outlet the scenario does not have.
    UnknownId,
    /// A request of the scenario is neither assigned nor unassigned.
    MissingRequest,
    /// A request appears more than once in the plan.
    DuplicateRequest,
    /// The assignment's (or route's) outlet is not the technician's.
    WrongOutlet,
    /// The technician lacks a category at the required level, or the outlet does not serve it.
    Skill,
    /// The technician's day ends after the shift, or takes more minutes than the shift.
    ShiftExceeded,
    /// The outlet makes more visits than its daily capacity.
    OutletCapacityExceeded,
    /// A visit starts after its window's end.
    TimeWindow,
    /// Km, minutes, cost, objective, bound or gap differ from what the scenario and the routes give.
    Figures,
    /// The policy does not admit the outlet's kind for the request (kind rules or escalation).
    Policy,
    /// The visit leaves the request's sales region where the policy's region rule forbids it.
    RegionCrossing,
    /// A route's time or leg differs from what the travel model gives, or a
    /// visit starts before its arrival or its window's start, or the route
    /// leaves before the shift starts.
    RouteTiming,
    /// Routes and plan disagree: an assigned request in no route or in two,
    /// a stop the plan does not assign or assigns to another technician,
    /// routes out of order or two for one technician.
    RouteMismatch,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The rule.
    pub code: ViolationCode,
    /// The request concerned, if one.
    pub request: Option<RequestId>,
    /// The technician concerned, if one.
    pub technician: Option<TechnicianId>,
    /// The outlet concerned, if one.
    pub outlet: Option<OutletId>,
    /// What is wrong, with the numbers.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.code)?;
        if let Some(r) = self.request {
            write!(f, " request {r}")?;
        }
        if let Some(t) = self.technician {
            write!(f, " technician {t}")?;
        }
        if let Some(o) = self.outlet {
            write!(f, " outlet {o}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Where a violation is: the request, technician and outlet concerned, each if one.
#[derive(Debug, Clone, Copy)]
pub(super) struct At(
    pub Option<RequestId>,
    pub Option<TechnicianId>,
    pub Option<OutletId>,
);

impl At {
    /// The plan as a whole.
    pub const PLAN: At = At(None, None, None);

    /// A route: its technician and outlet.
    pub fn route(route: &Route) -> At {
        At(None, Some(route.technician), Some(route.outlet))
    }

    /// The same place, at request `id`.
    pub fn request(self, id: RequestId) -> At {
        At(Some(id), self.1, self.2)
    }
}

/// The violations found so far, in the order found.
pub(super) struct Out(pub Vec<Violation>);

impl Out {
    /// Reports a broken rule at `at`.
    pub fn add(&mut self, code: ViolationCode, at: At, message: String) {
        let At(request, technician, outlet) = at;
        self.0.push(Violation {
            code,
            request,
            technician,
            outlet,
            message,
        });
    }
}
