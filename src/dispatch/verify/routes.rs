//! The routes checked against the plan and timed again: one route per
//! technician in ascending id, every stop an assignment of its technician,
//! every leg and time from the travel model and the catalog.

use super::rules::{TOL, above, close, service_minutes, works_for};
use super::violation::{At, Out, ViolationCode};
use crate::dispatch::{Plan, Route};
use crate::model::{CategoryId, OutletId, RequestId, Scenario, Technician, TechnicianId};
use crate::travel::{Leg, TravelModel};
use geo::Point;
use std::collections::HashMap;

/// What the routes say of each visit: its technician, and the km and
/// minutes it should carry (the leg in, the last of a day also the way back).
pub(super) struct RouteLegs {
    pub by_request: HashMap<RequestId, (TechnicianId, f64, f64)>,
    /// Per technician with a route: its stops' requests in order.
    pub days: HashMap<TechnicianId, Vec<RequestId>>,
}

pub(super) fn check_routes(s: &Scenario, plan: &Plan, out: &mut Out) -> RouteLegs {
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
        let at = At::route(route);
        if last_tech.is_some_and(|l| l >= route.technician) {
            out.add(
                ViolationCode::RouteMismatch,
                at,
                "routes are not in ascending technician id, one per technician".into(),
            );
        }
        last_tech = Some(route.technician);
        for stop in &route.stops {
            *in_routes.entry(stop.request).or_default() += 1;
        }
        let Some(t) = s.technician(route.technician) else {
            out.add(ViolationCode::UnknownId, at, "no such technician".into());
            continue;
        };
        works_for(t, route.outlet, at, out);
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
                at,
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
            At(Some(a.request), Some(a.technician), Some(a.outlet)),
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
    outlet_categories: &[CategoryId],
    start_point: Point<f64>,
    base: Point<f64>,
    shift_end: f64,
    assigned: &HashMap<RequestId, (TechnicianId, OutletId, f64)>,
    legs: &mut RouteLegs,
    out: &mut Out,
) {
    let travel = s.travel();
    let at_route = At::route(route);
    let (mut at, mut time) = (start_point, route.start_min);
    let last = route.stops.len().saturating_sub(1);
    let mut day = Vec::with_capacity(route.stops.len());
    for (k, stop) in route.stops.iter().enumerate() {
        let at_stop = at_route.request(stop.request);
        let Some(r) = s.request(stop.request) else {
            out.add(
                ViolationCode::UnknownId,
                at_stop,
                "the route visits no such request".into(),
            );
            continue;
        };
        day.push(r.id);
        match assigned.get(&r.id) {
            None => out.add(
                ViolationCode::RouteMismatch,
                at_stop,
                "the route visits a request the plan does not assign".into(),
            ),
            Some(&(at_tech, at_outlet, _))
                if at_tech != route.technician || at_outlet != route.outlet =>
            {
                out.add(
                    ViolationCode::RouteMismatch,
                    at_stop,
                    format!("the plan assigns it to technician {at_tech} of outlet {at_outlet}"),
                )
            }
            Some(_) => {}
        }
        let leg = travel.leg(at, r.location);
        check_leg("the leg in", (stop.leg_km, stop.leg_min), leg, at_stop, out);
        let arrive = time + leg.minutes;
        if !close(stop.arrive_min, arrive) {
            out.add(
                ViolationCode::RouteTiming,
                at_stop,
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
                at_stop,
                format!(
                    "starts at minute {:.3}, before its arrival at {:.3} or its window's start at {ws}",
                    stop.start_min, stop.arrive_min
                ),
            );
        }
        if above(stop.start_min, we) {
            out.add(
                ViolationCode::TimeWindow,
                at_stop,
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
                at_stop,
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
        Leg {
            km: 0.0,
            minutes: 0.0,
        }
    } else {
        travel.leg(at, base)
    };
    let reported = (route.return_km, route.return_min);
    check_leg("the way back", reported, back, at_route, out);
    if !close(route.end_min, time + back.minutes) {
        out.add(
            ViolationCode::RouteTiming,
            at_route,
            format!(
                "ends at minute {:.6}; the last departure and the way back give {:.6}",
                route.end_min,
                time + back.minutes
            ),
        );
    }
    if above(route.end_min, shift_end) {
        out.add(
            ViolationCode::ShiftExceeded,
            at_route,
            format!(
                "back at minute {:.3}, after the shift ends at {shift_end}",
                route.end_min
            ),
        );
    }
    legs.days.insert(route.technician, day);
}

/// A leg as a route reports it, `(km, minutes)`, against the travel model's
/// `leg`; `what` names it in the message.
fn check_leg(what: &str, reported: (f64, f64), leg: Leg, at: At, out: &mut Out) {
    let (km, minutes) = reported;
    if !close(km, leg.km) || !close(minutes, leg.minutes) {
        out.add(
            ViolationCode::RouteTiming,
            at,
            format!(
                "{what} is {km:.6} km, {minutes:.6} min; the travel model gives {:.6} km, {:.6} min",
                leg.km, leg.minutes
            ),
        );
    }
}
