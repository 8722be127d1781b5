//! Live insertion: an urgent request placed into today's routes where it
//! adds least. Here: the outcomes, how they are applied to a plan, and the
//! one-call [`insert`].

mod inserter;
mod place;

pub use inserter::Inserter;

use super::routed::{Route, route_assignments};
use super::{Assignment, Plan, Unassigned};
use crate::error::Result;
use crate::model::{RequestId, Scenario, ServiceRequest, TechnicianId, TimeWindow};
use geo::Point;

/// Where an inserted request went and what it added.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The request.
    pub request: RequestId,
    /// The technician who takes it.
    pub technician: TechnicianId,
    /// Its place in the technician's route (0: first visit).
    pub position: usize,
    /// What the plan's costs grow by: the visit's fee and minutes on site,
    /// and the driving the route gains, under the outlet's tariff.
    pub extra_cost: f64,
    /// Km the route gains.
    pub extra_km: f64,
    /// Minutes of driving the route gains.
    pub extra_min: f64,
    /// The new visit as the plan records it.
    pub assignment: Assignment,
    /// The technician's route with the visit in it.
    pub route: Route,
    /// The request's location and window, for later insertions.
    facts: (Point<f64>, TimeWindow),
}

/// The outcome of a live insertion.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Insertion {
    /// Placed into a route.
    Placed(Placement),
    /// No route has a place for it; the reason says why.
    Unassigned(Unassigned),
}

impl Insertion {
    /// Puts the outcome into the plan: the technician's route replaced (or
    /// added) and its visits' figures recomputed, or the request added to
    /// `unassigned`.
    pub fn apply(&self, plan: &mut Plan, s: &Scenario) {
        apply(s, plan, self);
    }
}

fn apply(s: &Scenario, plan: &mut Plan, insertion: &Insertion) {
    let p = match insertion {
        Insertion::Unassigned(u) => {
            plan.unassigned.push(u.clone());
            return;
        }
        Insertion::Placed(p) => p,
    };
    match plan
        .routes
        .binary_search_by_key(&p.technician, |r| r.technician)
    {
        Ok(i) => plan.routes[i] = p.route.clone(),
        Err(i) => plan.routes.insert(i, p.route.clone()),
    }
    let mut at = None;
    let mut kept = 0;
    plan.assignments.retain(|a| {
        if a.technician == p.technician {
            at.get_or_insert(kept);
            false
        } else {
            kept += 1;
            true
        }
    });
    // A technician new to the plan goes where its route goes, by id.
    let at = at.unwrap_or_else(|| {
        let before: usize = plan
            .routes
            .iter()
            .take_while(|r| r.technician < p.technician)
            .map(|r| r.stops.len())
            .sum();
        before.min(plan.assignments.len())
    });
    let new = route_assignments(s, &p.route);
    plan.assignments.splice(at..at, new);
}

/// Places an urgent request into today's routes where it adds least to the
/// plan's cost — the visit's fee and minutes on site under the outlet's
/// tariff, plus the driving the route gains — keeping every visit of the
/// route inside its window and the return by the shift's end.
///
/// Only visits the technician has not yet left for by `now_min` may move
/// (later); the technician leaves for the new visit no earlier than
/// `now_min`. Candidates are the technicians nearest to the request, by
/// their base, whom the scenario's policy and skills admit for it (as
/// [`Nearest`](super::Nearest) admits them: skills at the level, outlet kind,
/// region rule, the outlet's daily capacity, base within 300 road km); the
/// 16 nearest with a place are compared (of the request's own region first
/// unless the policy crosses freely), so the cheapest need not be the
/// nearest. Use an [`Inserter`] to insert many requests into one plan: this
/// function builds one each call.
///
/// Returns the outcome; apply it with [`Insertion::apply`]. When no route
/// has a place, the outcome is [`Insertion::Unassigned`] with the reason.
///
/// # Errors
/// As [`Inserter::new`] and [`Inserter::insert`].
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest};
/// use servnet::dispatch::{Insertion, insert};
/// use servnet::generate::{Generator, Preset};
/// let day = Generator::new(Preset::province("Jiangsu")).requests(400).seed(5).build()?;
/// let mut plan = Nearest::new().dispatch(&day)?;
/// let mut urgent = day.requests()[0].clone();
/// urgent.id = servnet::RequestId(100_000);
/// let outcome = insert(&day, &plan, &urgent, 600.0)?;
/// if let Insertion::Placed(p) = &outcome {
///     assert!(p.extra_cost > 0.0);
///     assert_eq!(p.route.stops[p.position].request, urgent.id);
/// }
/// outcome.apply(&mut plan, &day);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn insert(
    s: &Scenario,
    routed: &Plan,
    request: &ServiceRequest,
    now_min: f64,
) -> Result<Insertion> {
    Inserter::new(s, routed)?.insert(routed, request, now_min)
}
