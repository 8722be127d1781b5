//! The independent checker: re-derives every constraint of a plan and its
//! routes from the scenario.
//!
//! It shares no code with the strategies beyond the model and the travel
//! model — its own statement of who may serve what, of the catalog's
//! minutes, of the tariff and of the timing of a day — so a bug in a
//! strategy's bookkeeping shows up here.

use super::{Plan, Route};
use crate::model::{
    OutletId, RegionRule, RequestId, Scenario, ServiceRequest, SkillLevel, Technician, TechnicianId,
};
use crate::travel::TravelModel;
use geo::Point;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Relative tolerance of every comparison of figures and times.
const TOL: f64 = 1e-6;

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

/// Equal within the checker's tolerance; an infinity or NaN is close to nothing but itself.
fn close(a: f64, b: f64) -> bool {
    a == b
        || (a.is_finite() && b.is_finite() && (a - b).abs() <= TOL * a.abs().max(b.abs()).max(1.0))
}

struct Out(Vec<Violation>);

impl Out {
    fn add(
        &mut self,
        code: ViolationCode,
        request: Option<RequestId>,
        technician: Option<TechnicianId>,
        outlet: Option<OutletId>,
        message: String,
    ) {
        self.0.push(Violation {
            code,
            request,
            technician,
            outlet,
            message,
        });
    }
}

/// Minutes on site of technician `t` of outlet `o` at request `r`, or the
/// first category it does not cover at the level the difficulty needs.
fn service_minutes(
    s: &Scenario,
    t: &Technician,
    outlet_categories: &[crate::CategoryId],
    r: &ServiceRequest,
) -> Result<f64, String> {
    let need = SkillLevel::for_difficulty(r.difficulty);
    let mut minutes = 0.0;
    for &c in &r.categories {
        let level = t.skills.iter().find(|k| k.category == c).map(|k| k.level);
        match (level, s.category(c)) {
            (Some(level), Some(cat)) if level >= need && outlet_categories.contains(&c) => {
                minutes += s.catalog().service_minutes(cat, r.kind, level);
            }
            _ => {
                return Err(format!(
                    "category {c} at level {need:?} is not covered (technician has {level:?}, outlet serves it: {})",
                    outlet_categories.contains(&c)
                ));
            }
        }
    }
    Ok(minutes)
}

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

/// Every request once, no unknown request.
fn accounting(s: &Scenario, plan: &Plan, out: &mut Out) {
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
                Some(id),
                None,
                None,
                "no such request".into(),
            );
        }
        *seen.entry(id).or_default() += 1;
    }
    for r in s.requests() {
        match seen.get(&r.id).copied().unwrap_or(0) {
            0 => out.add(
                ViolationCode::MissingRequest,
                Some(r.id),
                None,
                None,
                "neither assigned nor unassigned".into(),
            ),
            1 => {}
            n => out.add(
                ViolationCode::DuplicateRequest,
                Some(r.id),
                None,
                None,
                format!("appears {n} times"),
            ),
        }
    }
}

/// What the routes say of each visit: its technician, and the km and
/// minutes it should carry (the leg in, the last of a day also the way back).
struct RouteLegs {
    by_request: HashMap<RequestId, (TechnicianId, f64, f64)>,
    /// Per technician with a route: its stops' requests in order.
    days: HashMap<TechnicianId, Vec<RequestId>>,
}

fn check_routes(s: &Scenario, plan: &Plan, out: &mut Out) -> RouteLegs {
    let assigned: HashMap<RequestId, (TechnicianId, OutletId, f64)> = plan
        .assignments
        .iter()
        .map(|a| (a.request, (a.technician, a.outlet, a.service_min)))
        .collect();
    let mut legs = RouteLegs {
        by_request: HashMap::new(),
        days: HashMap::new(),
    };
    let mut in_routes: HashMap<RequestId, usize> = HashMap::new();
    let mut last_tech: Option<TechnicianId> = None;
    for route in &plan.routes {
        let (tid, oid) = (Some(route.technician), Some(route.outlet));
        if last_tech.is_some_and(|l| l >= route.technician) {
            out.add(
                ViolationCode::RouteMismatch,
                None,
                tid,
                oid,
                "routes are not in ascending technician id, one per technician".into(),
            );
        }
        last_tech = Some(route.technician);
        for stop in &route.stops {
            *in_routes.entry(stop.request).or_default() += 1;
        }
        let Some(t) = s.technician(route.technician) else {
            out.add(
                ViolationCode::UnknownId,
                None,
                tid,
                oid,
                "no such technician".into(),
            );
            continue;
        };
        if t.outlet != route.outlet {
            out.add(
                ViolationCode::WrongOutlet,
                None,
                tid,
                oid,
                format!("the technician works for outlet {}", t.outlet),
            );
        }
        let Some(o) = s.outlet(t.outlet) else {
            continue;
        };
        let base = t.base.unwrap_or(o.location);
        let start_point = t.start.unwrap_or(base);
        let (shift_start, shift_end) = (
            f64::from(t.shift_start_min),
            f64::from(t.shift_start_min) + f64::from(t.shift_minutes),
        );
        if route.start_min < shift_start - TOL {
            out.add(
                ViolationCode::RouteTiming,
                None,
                tid,
                oid,
                format!(
                    "leaves at minute {:.3}, before the shift starts at {shift_start}",
                    route.start_min
                ),
            );
        }
        check_day(
            s,
            route,
            t,
            &o.categories,
            start_point,
            base,
            shift_end,
            &assigned,
            &mut legs,
            out,
        );
    }
    let mut missing: Vec<_> = plan
        .assignments
        .iter()
        .filter(|a| in_routes.get(&a.request).copied().unwrap_or(0) != 1)
        .collect();
    missing.sort_by_key(|a| a.request);
    for a in missing {
        let n = in_routes.get(&a.request).copied().unwrap_or(0);
        out.add(
            ViolationCode::RouteMismatch,
            Some(a.request),
            Some(a.technician),
            Some(a.outlet),
            if n == 0 {
                "the plan assigns the request but no route visits it".into()
            } else {
                format!("the request is visited {n} times by the routes")
            },
        );
    }
    legs
}

/// One route's stops, timed again from the travel model and the catalog.
#[allow(clippy::too_many_arguments)]
fn check_day(
    s: &Scenario,
    route: &Route,
    t: &Technician,
    outlet_categories: &[crate::CategoryId],
    start_point: Point<f64>,
    base: Point<f64>,
    shift_end: f64,
    assigned: &HashMap<RequestId, (TechnicianId, OutletId, f64)>,
    legs: &mut RouteLegs,
    out: &mut Out,
) {
    let travel = s.travel();
    let (tid, oid) = (Some(route.technician), Some(route.outlet));
    let (mut at, mut time) = (start_point, route.start_min);
    let last = route.stops.len().saturating_sub(1);
    let mut day = Vec::with_capacity(route.stops.len());
    for (k, stop) in route.stops.iter().enumerate() {
        let rid = Some(stop.request);
        let Some(r) = s.request(stop.request) else {
            out.add(
                ViolationCode::UnknownId,
                rid,
                tid,
                oid,
                "the route visits no such request".into(),
            );
            continue;
        };
        day.push(r.id);
        match assigned.get(&r.id) {
            None => out.add(
                ViolationCode::RouteMismatch,
                rid,
                tid,
                oid,
                "the route visits a request the plan does not assign".into(),
            ),
            Some(&(at_tech, at_outlet, _))
                if at_tech != route.technician || at_outlet != route.outlet =>
            {
                out.add(
                    ViolationCode::RouteMismatch,
                    rid,
                    tid,
                    oid,
                    format!("the plan assigns it to technician {at_tech} of outlet {at_outlet}"),
                )
            }
            Some(_) => {}
        }
        let leg = travel.leg(at, r.location);
        if !close(stop.leg_km, leg.km) || !close(stop.leg_min, leg.minutes) {
            out.add(
                ViolationCode::RouteTiming,
                rid,
                tid,
                oid,
                format!(
                    "the leg in is {:.6} km, {:.6} min; the travel model gives {:.6} km, {:.6} min",
                    stop.leg_km, stop.leg_min, leg.km, leg.minutes
                ),
            );
        }
        let arrive = time + leg.minutes;
        if !close(stop.arrive_min, arrive) {
            out.add(
                ViolationCode::RouteTiming,
                rid,
                tid,
                oid,
                format!(
                    "arrives at minute {:.6}; leaving at {time:.6} with a {:.6}-minute leg gives {arrive:.6}",
                    stop.arrive_min, leg.minutes
                ),
            );
        }
        let (ws, we) = (f64::from(r.window.start_min), f64::from(r.window.end_min));
        let start = stop.arrive_min.max(ws);
        if !close(stop.start_min, start) && stop.start_min < start {
            out.add(
                ViolationCode::RouteTiming,
                rid,
                tid,
                oid,
                format!(
                    "starts at minute {:.3}, before its arrival at {:.3} or its window's start at {ws}",
                    stop.start_min, stop.arrive_min
                ),
            );
        }
        if stop.start_min > we + TOL * we.max(1.0) {
            out.add(
                ViolationCode::TimeWindow,
                rid,
                tid,
                oid,
                format!(
                    "starts at minute {:.3}, after its window [{}, {}]",
                    stop.start_min, r.window.start_min, r.window.end_min
                ),
            );
        }
        if let Ok(minutes) = service_minutes(s, t, outlet_categories, r)
            && !close(stop.depart_min, stop.start_min + minutes)
        {
            out.add(
                ViolationCode::RouteTiming,
                rid,
                tid,
                oid,
                format!(
                    "departs at minute {:.6}; the start plus {minutes:.6} minutes on site gives {:.6}",
                    stop.depart_min,
                    stop.start_min + minutes
                ),
            );
        }
        let (mut km, mut min) = (leg.km, leg.minutes);
        if k == last {
            let back = travel.leg(r.location, base);
            km += back.km;
            min += back.minutes;
        }
        legs.by_request.insert(r.id, (route.technician, km, min));
        at = r.location;
        time = stop.depart_min;
    }
    let back = if route.stops.is_empty() {
        crate::travel::Leg {
            km: 0.0,
            minutes: 0.0,
        }
    } else {
        travel.leg(at, base)
    };
    if !close(route.return_km, back.km) || !close(route.return_min, back.minutes) {
        out.add(
            ViolationCode::RouteTiming,
            None,
            tid,
            oid,
            format!(
                "the way back is {:.6} km, {:.6} min; the travel model gives {:.6} km, {:.6} min",
                route.return_km, route.return_min, back.km, back.minutes
            ),
        );
    }
    if !close(route.end_min, time + back.minutes) {
        out.add(
            ViolationCode::RouteTiming,
            None,
            tid,
            oid,
            format!(
                "ends at minute {:.6}; the last departure and the way back give {:.6}",
                route.end_min,
                time + back.minutes
            ),
        );
    }
    if route.end_min > shift_end + TOL * shift_end.max(1.0) {
        out.add(
            ViolationCode::ShiftExceeded,
            None,
            tid,
            oid,
            format!(
                "back at minute {:.3}, after the shift ends at {shift_end}",
                route.end_min
            ),
        );
    }
    legs.days.insert(route.technician, day);
}

/// Each visit: technician, outlet, skills, policy, figures; then the
/// outlets' capacities and the region rule.
fn check_visits(s: &Scenario, plan: &Plan, legs: &RouteLegs, out: &mut Out) {
    let mut crossings = Vec::new();
    let mut visits: HashMap<OutletId, u32> = HashMap::new();
    for a in &plan.assignments {
        let (Some(r), Some(t)) = (s.request(a.request), s.technician(a.technician)) else {
            if s.technician(a.technician).is_none() {
                out.add(
                    ViolationCode::UnknownId,
                    Some(a.request),
                    Some(a.technician),
                    None,
                    "no such technician".into(),
                );
            }
            continue;
        };
        let Some(o) = s.outlet(a.outlet) else {
            out.add(
                ViolationCode::UnknownId,
                Some(a.request),
                Some(a.technician),
                Some(a.outlet),
                "no such outlet".into(),
            );
            continue;
        };
        let ids = (Some(r.id), Some(t.id), Some(o.id));
        if !s.policy().admits(o.kind, r) {
            out.add(
                ViolationCode::Policy,
                ids.0,
                ids.1,
                ids.2,
                format!(
                    "a {} outlet may not take {:?} work of difficulty {} in these categories",
                    o.kind.as_str(),
                    r.kind,
                    r.difficulty
                ),
            );
        }
        let region_of = |city| s.city(city).map(|c| c.region);
        if region_of(r.city) != region_of(o.city) {
            match s.policy().region {
                RegionRule::Never => out.add(
                    ViolationCode::RegionCrossing,
                    ids.0,
                    ids.1,
                    ids.2,
                    "the policy never crosses a region".into(),
                ),
                RegionRule::WhenNecessary => crossings.push((r, t.id)),
                RegionRule::Freely => {}
            }
        }
        *visits.entry(o.id).or_default() += 1;
        if t.outlet != o.id {
            out.add(
                ViolationCode::WrongOutlet,
                ids.0,
                ids.1,
                ids.2,
                format!("the technician works for outlet {}", t.outlet),
            );
            continue;
        }
        let service_min = match service_minutes(s, t, &o.categories, r) {
            Ok(m) => m,
            Err(message) => {
                out.add(ViolationCode::Skill, ids.0, ids.1, ids.2, message);
                continue;
            }
        };
        let (drive_km, drive_min) = match legs.by_request.get(&r.id) {
            Some(&(_, km, min)) => (km, min),
            None => (a.travel_km, a.travel_min),
        };
        let expect = [
            ("travel_km", a.travel_km, drive_km),
            ("travel_min", a.travel_min, drive_min),
            ("service_min", a.service_min, service_min),
            (
                "cost",
                a.cost,
                o.tariff.per_visit
                    + o.tariff.per_minute * (service_min + drive_min)
                    + o.tariff.per_km * drive_km,
            ),
        ];
        for (field, got, want) in expect {
            if !close(got, want) {
                out.add(
                    ViolationCode::Figures,
                    ids.0,
                    ids.1,
                    ids.2,
                    format!("{field} is {got}, the scenario gives {want}"),
                );
            }
        }
    }
    let mut over: Vec<_> = visits.iter().collect();
    over.sort_by_key(|&(id, _)| *id);
    for (&id, &n) in over {
        if let Some(o) = s.outlet(id)
            && n > o.daily_capacity
        {
            out.add(
                ViolationCode::OutletCapacityExceeded,
                None,
                None,
                Some(id),
                format!("{n} visits, capacity {}", o.daily_capacity),
            );
        }
    }
    unnecessary_crossings(s, &crossings, legs, &visits, out);
}

/// Under `WhenNecessary`: each crossing visit that a technician of the
/// request's own region could have taken instead — admitted, skilled, its
/// base within the policy's reach, its outlet with a visit left, and a
/// place in its day where the visit and every other one keep their windows
/// and the day its shift.
fn unnecessary_crossings(
    s: &Scenario,
    crossings: &[(&ServiceRequest, TechnicianId)],
    legs: &RouteLegs,
    visits: &HashMap<OutletId, u32>,
    out: &mut Out,
) {
    if crossings.is_empty() {
        return;
    }
    let travel = s.travel();
    let reach = s.policy().reach_km;
    let mut by_region: HashMap<_, Vec<_>> = HashMap::new();
    for h in s.technicians() {
        if let Some(o) = s.outlet(h.outlet) {
            let region = s.city(o.city).map(|c| c.region);
            by_region.entry(region).or_default().push((h, o));
        }
    }
    for &(r, used) in crossings {
        let region = s.city(r.city).map(|c| c.region);
        let candidates = by_region.get(&region).map_or(&[][..], Vec::as_slice);
        let home = candidates.iter().find(|&&(h, o)| {
            if !s.policy().admits(o.kind, r)
                || visits.get(&o.id).copied().unwrap_or(0) >= o.daily_capacity
            {
                return false;
            }
            let Ok(service) = service_minutes(s, h, &o.categories, r) else {
                return false;
            };
            let base = h.base.unwrap_or(o.location);
            if travel.leg(base, r.location).km > reach {
                return false;
            }
            let day = legs.days.get(&h.id).map_or(&[][..], Vec::as_slice);
            fits_somewhere(s, h, &o.categories, base, day, r, service)
        });
        if let Some((h, _)) = home {
            out.add(
                ViolationCode::RegionCrossing,
                Some(r.id),
                Some(used),
                None,
                format!(
                    "crosses its region though technician {} of the region had room for it",
                    h.id
                ),
            );
        }
    }
}

/// Whether request `r` (with `service` minutes on site) fits somewhere in
/// technician `h`'s day of `day` requests, every visit starting as early as
/// it may from the shift's start.
fn fits_somewhere(
    s: &Scenario,
    h: &Technician,
    outlet_categories: &[crate::CategoryId],
    base: Point<f64>,
    day: &[RequestId],
    r: &ServiceRequest,
    service: f64,
) -> bool {
    let travel = s.travel();
    let stops: Vec<(&ServiceRequest, f64)> = day
        .iter()
        .filter_map(|id| s.request(*id))
        .map(|q| {
            (
                q,
                service_minutes(s, h, outlet_categories, q).unwrap_or(0.0),
            )
        })
        .collect();
    let shift_end = f64::from(h.shift_start_min) + f64::from(h.shift_minutes);
    (0..=stops.len()).any(|pos| {
        let mut at = h.start.unwrap_or(base);
        let mut time = f64::from(h.shift_start_min);
        let order = stops[..pos]
            .iter()
            .copied()
            .chain([(r, service)])
            .chain(stops[pos..].iter().copied());
        for (q, minutes) in order {
            let arrive = time + travel.leg(at, q.location).minutes;
            if arrive > f64::from(q.window.end_min) + 1e-9 {
                return false;
            }
            time = arrive.max(f64::from(q.window.start_min)) + minutes;
            at = q.location;
        }
        time + travel.leg(at, base).minutes <= shift_end + 1e-9
    })
}

/// A reported bound is not above the objective, and the gap is what they give.
fn check_bound(plan: &Plan, out: &mut Out) {
    let (Some(objective), Some(bound)) = (plan.objective, plan.lower_bound) else {
        return;
    };
    if bound > objective + TOL * objective.abs().max(1.0) {
        out.add(
            ViolationCode::Figures,
            None,
            None,
            None,
            format!("the lower bound {bound} is above the objective {objective}"),
        );
    }
    if let Some(gap) = plan.gap {
        let want = ((objective - bound) / objective.abs().max(1.0)).max(0.0);
        if !close(gap, want) {
            out.add(
                ViolationCode::Figures,
                None,
                None,
                None,
                format!("the gap is {gap}; objective {objective} and bound {bound} give {want}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::close;

    #[test]
    fn an_infinite_or_missing_figure_is_close_to_nothing_else() {
        assert!(close(1.0, 1.0 + 1e-9));
        assert!(!close(1.0, 1.1));
        for x in [0.0, 5.0, 1e308, f64::NEG_INFINITY] {
            assert!(!close(f64::INFINITY, x), "{x}");
            assert!(!close(x, f64::INFINITY), "{x}");
            assert!(!close(f64::NAN, x), "{x}");
        }
        assert!(close(f64::INFINITY, f64::INFINITY));
    }
}
