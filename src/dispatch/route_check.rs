//! The independent checker of routes: times re-derived from the scenario's travel model.

use super::{RoutedPlan, Violation, ViolationCode};
use crate::model::{OutletId, RequestId, Scenario, TechnicianId};
use crate::travel::TravelModel;
use std::collections::{HashMap, HashSet};

const TOL: f64 = 1e-6;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL * a.abs().max(b.abs()).max(1.0)
}

/// Checks the routes of a routed plan against the scenario and the plan and
/// returns every violation (empty when they are sound).
///
/// Checked, with legs recomputed from the scenario's travel model (1e-6
/// relative tolerance): each stop's leg is the leg from the previous stop
/// (or the base), its arrival the previous departure (or the route's start)
/// plus the leg's minutes, its start no earlier than the arrival and the
/// window's start and no later than the window's end, its departure the
/// start plus the plan's minutes on site; the route leaves the base no
/// earlier than the shift's start, its way back is the leg to the base and
/// it ends, by the shift's end, at the last departure plus that leg. Every
/// assigned request is in exactly one route, every stop is an assignment of
/// the plan, with the route's technician and outlet, the outlet is the
/// technician's, routes come in ascending technician id, one per
/// technician, and each visit's km and minutes in the plan are its leg (the
/// last of a route also the way back). Run [`verify`](super::verify) on
/// `routed.plan` for the rules of the plan itself (skills, policy,
/// capacity, costs).
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest};
/// use servnet::dispatch::{ViolationCode, route_plan, verify_routes};
/// use servnet::generate::{Generator, Preset};
/// use servnet::route::RouteOptions;
/// let day = Generator::new(Preset::province("Hainan")).requests(200).seed(2).build()?;
/// let plan = Nearest::new().dispatch(&day)?;
/// let mut routed = route_plan(&day, &plan, &RouteOptions::new())?;
/// assert!(verify_routes(&day, &routed).is_empty());
/// routed.routes[0].stops[0].arrive_min -= 5.0; // an arrival the legs do not give
/// assert_eq!(verify_routes(&day, &routed)[0].code, ViolationCode::RouteTiming);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn verify_routes(s: &Scenario, routed: &RoutedPlan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |code,
                 request: Option<RequestId>,
                 technician: Option<TechnicianId>,
                 outlet: Option<OutletId>,
                 message: String| {
        out.push(Violation {
            code,
            request,
            technician,
            outlet,
            message,
        })
    };
    let travel = s.travel();
    let plan = &routed.plan;
    let by_request: HashMap<RequestId, usize> = plan
        .assignments
        .iter()
        .enumerate()
        .map(|(i, a)| (a.request, i))
        .collect();
    let mut routed_requests: HashSet<RequestId> = HashSet::new();
    let mut last_tech: Option<TechnicianId> = None;
    for route in &routed.routes {
        let (tid, oid) = (Some(route.technician), Some(route.outlet));
        if last_tech.is_some_and(|l| l >= route.technician) {
            v(
                ViolationCode::RouteMismatch,
                None,
                tid,
                oid,
                "routes are not in ascending technician id, one per technician".into(),
            );
        }
        last_tech = Some(route.technician);
        let Some(t) = s.technician(route.technician) else {
            v(
                ViolationCode::UnknownId,
                None,
                tid,
                oid,
                "no such technician".into(),
            );
            continue;
        };
        if t.outlet != route.outlet {
            v(
                ViolationCode::WrongOutlet,
                None,
                tid,
                oid,
                format!("the technician works for outlet {}", t.outlet),
            );
        }
        let base = s.technician_base(t);
        let (shift_start, shift_end) = (f64::from(t.shift_start_min), f64::from(t.shift_end_min()));
        if route.start_min < shift_start - TOL {
            v(
                ViolationCode::RouteTiming,
                None,
                tid,
                oid,
                format!(
                    "leaves the base at minute {:.3}, before the shift starts at {shift_start}",
                    route.start_min
                ),
            );
        }
        let (mut at, mut time) = (base, route.start_min);
        let last = route.stops.len().saturating_sub(1);
        for (k, stop) in route.stops.iter().enumerate() {
            let rid = Some(stop.request);

            if !routed_requests.insert(stop.request) {
                v(
                    ViolationCode::RouteMismatch,
                    rid,
                    tid,
                    oid,
                    "the request is in more than one route, or twice in one".into(),
                );
            }
            let Some(r) = s.request(stop.request) else {
                v(
                    ViolationCode::UnknownId,
                    rid,
                    tid,
                    oid,
                    "no such request".into(),
                );
                continue;
            };
            let leg = travel.leg(at, r.location);
            if !close(stop.leg_km, leg.km) || !close(stop.leg_min, leg.minutes) {
                v(
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
            if !close(stop.arrive_min, time + leg.minutes) {
                v(
                    ViolationCode::RouteTiming,
                    rid,
                    tid,
                    oid,
                    format!(
                        "arrives at minute {:.6}; leaving at {time:.6} with a {:.6}-minute leg gives {:.6}",
                        stop.arrive_min,
                        leg.minutes,
                        time + leg.minutes
                    ),
                );
            }
            let ws = f64::from(r.window.start_min);
            if stop.start_min < stop.arrive_min - TOL || stop.start_min < ws - TOL {
                v(
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
            if stop.start_min > f64::from(r.window.end_min) + TOL {
                v(
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
            match by_request.get(&stop.request).map(|&i| &plan.assignments[i]) {
                None => v(
                    ViolationCode::RouteMismatch,
                    rid,
                    tid,
                    oid,
                    "the route visits a request the plan does not assign".into(),
                ),
                Some(a) => {
                    if a.technician != route.technician || a.outlet != route.outlet {
                        v(
                            ViolationCode::RouteMismatch,
                            rid,
                            tid,
                            oid,
                            format!(
                                "the plan assigns it to technician {} of outlet {}",
                                a.technician, a.outlet
                            ),
                        );
                    }
                    if !close(stop.depart_min, stop.start_min + a.service_min) {
                        v(
                            ViolationCode::RouteTiming,
                            rid,
                            tid,
                            oid,
                            format!(
                                "departs at minute {:.6}; the start plus {:.6} minutes on site gives {:.6}",
                                stop.depart_min,
                                a.service_min,
                                stop.start_min + a.service_min
                            ),
                        );
                    }
                    let (mut km, mut min) = (leg.km, leg.minutes);
                    if k == last {
                        let back = travel.leg(r.location, base);
                        km += back.km;
                        min += back.minutes;
                    }
                    if !close(a.travel_km, km) || !close(a.travel_min, min) {
                        v(
                            ViolationCode::Figures,
                            rid,
                            tid,
                            oid,
                            format!(
                                "the plan records {:.6} km, {:.6} min; the route drives {km:.6} km, {min:.6} min",
                                a.travel_km, a.travel_min
                            ),
                        );
                    }
                }
            }
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
            v(
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
            v(
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
        if route.end_min > shift_end + TOL {
            v(
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
    }
    let mut missing: Vec<_> = plan
        .assignments
        .iter()
        .filter(|a| !routed_requests.contains(&a.request))
        .collect();
    missing.sort_by_key(|a| a.request);
    for a in missing {
        v(
            ViolationCode::RouteMismatch,
            Some(a.request),
            Some(a.technician),
            Some(a.outlet),
            "the plan assigns the request but no route visits it".into(),
        );
    }
    out
}
