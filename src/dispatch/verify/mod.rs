//! The independent checker: re-derives every constraint of a plan and its
//! routes from the scenario.
//!
//! It shares no code with the strategies beyond the model and the travel
//! model — its own statement of who may serve what, of the catalog's
//! minutes, of the tariff and of the timing of a day — so a bug in a
//! strategy's bookkeeping shows up here.

mod accounting;
mod region;
mod routes;
mod rules;
mod violation;
mod visits;

pub use violation::{Violation, ViolationCode};

use super::Plan;
use crate::model::Scenario;
use accounting::{accounting, check_bound};
use routes::check_routes;
use violation::Out;
use visits::check_visits;

/// Checks a plan and its routes against a scenario and returns every
/// violation (empty when the plan is sound).
///
/// Checked:
/// - every request of the scenario appears exactly once (assigned or
///   unassigned) and no unknown id appears;
/// - each visit's technician belongs to its outlet, covers every category
///   at the level the difficulty needs, and the outlet serves them; the
///   policy admits the outlet's kind (kind rules, escalation) and its
///   region rule: never across a region under [`RegionRule::Never`], and
///   under [`RegionRule::WhenNecessary`] only when no technician of the
///   request's region within the policy's reach, whose outlet has a visit
///   left, could have fitted the visit into its day;
/// - the routes, one per technician with visits, in ascending technician
///   id: every stop time recomputed from the scenario's travel model — the
///   first leg from the technician's start (its base unless the scenario
///   says otherwise), arrival = previous departure + leg, start = the later
///   of arrival and window start, no later than the window's end, departure
///   = start + the catalog's minutes on site at the technician's levels —
///   the route leaves no earlier than the shift's start and is back at the
///   base by its end;
/// - plan and routes agree: every assigned request is a stop of exactly one
///   route, that of its technician and outlet, and every stop is an
///   assignment; each visit's km and minutes are its leg (the last of a
///   route also the way back) and its cost the outlet's tariff of them;
/// - no outlet makes more visits than its daily capacity;
/// - a reported lower bound is not above the objective, and the gap is
///   `(objective − lower bound) / max(|objective|, 1)`.
///
/// Figures and times are compared with a relative tolerance of 1e-6.
///
/// [`RegionRule::Never`]: crate::model::RegionRule::Never
/// [`RegionRule::WhenNecessary`]: crate::model::RegionRule::WhenNecessary
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest, verify};
/// use servnet::dispatch::ViolationCode;
/// use servnet::generate::{Generator, Preset};
/// let day = Generator::new(Preset::province("Qinghai")).requests(100).seed(3).build()?;
/// let mut plan = Nearest::new().dispatch(&day)?;
/// assert!(verify(&day, &plan).is_empty());
/// plan.assignments[0].cost *= 0.5; // a plan that under-reports a cost
/// assert_eq!(verify(&day, &plan)[0].code, ViolationCode::Figures);
/// plan.assignments[0].cost *= 2.0;
/// plan.routes[0].stops[0].arrive_min -= 5.0; // an arrival the legs do not give
/// assert_eq!(verify(&day, &plan)[0].code, ViolationCode::RouteTiming);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn verify(s: &Scenario, plan: &Plan) -> Vec<Violation> {
    let mut out = Out(Vec::new());
    accounting(s, plan, &mut out);
    let legs = check_routes(s, plan, &mut out);
    check_visits(s, plan, &legs, &mut out);
    check_bound(plan, &mut out);
    out.0
}
