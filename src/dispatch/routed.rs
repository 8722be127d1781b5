//! Routed days: each technician's day as driven ([`Route`], [`Stop`]),
//! timed by the one timing rule, and the plan's records and totals read
//! from them.

use super::{Assignment, Plan, Unassigned};
use crate::model::{OutletId, RequestId, Scenario, TechnicianId};
use crate::route::{Job, timing};
use crate::travel::{Leg, TravelModel};
use geo::Point;
use serde::{Deserialize, Serialize};

/// One visit of a route, with its times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// The request visited.
    pub request: RequestId,
    /// Arrival at the customer, minutes from the scenario's start.
    pub arrive_min: f64,
    /// Start of the visit: the arrival, or the window's start when the technician is early.
    pub start_min: f64,
    /// When the technician leaves: the start plus the minutes on site.
    pub depart_min: f64,
    /// Km of the leg from the previous visit (or the day's start).
    pub leg_km: f64,
    /// Minutes of that leg.
    pub leg_min: f64,
}

/// One technician's day: from its start (the base, or
/// [`Technician::start`](crate::Technician::start)), through the visits,
/// back to the base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The technician.
    pub technician: TechnicianId,
    /// The technician's outlet.
    pub outlet: OutletId,
    /// When the technician leaves its start, minutes.
    pub start_min: f64,
    /// The visits in order.
    pub stops: Vec<Stop>,
    /// Km from the last visit back to the base.
    pub return_km: f64,
    /// Minutes from the last visit back to the base.
    pub return_min: f64,
    /// When the technician is back at the base.
    pub end_min: f64,
}

impl Route {
    /// Km driven over the day.
    pub fn travel_km(&self) -> f64 {
        self.stops.iter().map(|s| s.leg_km).sum::<f64>() + self.return_km
    }

    /// Minutes driven over the day.
    pub fn travel_min(&self) -> f64 {
        self.stops.iter().map(|s| s.leg_min).sum::<f64>() + self.return_min
    }
}

/// The route of technician `t` (position in the scenario) through `visits`
/// in order — each a request, its location, and its window with the
/// minutes on site — timed by [`route::timing`](crate::route::timing) with
/// the scenario's travel model, leaving the start as late as the first visit
/// allows. `Err(k)`: visit `k` breaks its window, or (the last) the shift.
pub(crate) fn timed_route(
    s: &Scenario,
    t: usize,
    visits: &[(RequestId, Point<f64>, Job)],
) -> std::result::Result<Route, usize> {
    let tech = &s.technicians()[t];
    let travel = s.travel();
    let mut legs: Vec<Leg> = Vec::with_capacity(visits.len());
    let mut at = s.technician_start(tech);
    for &(_, p, _) in visits {
        legs.push(travel.leg(at, p));
        at = p;
    }
    let back = if visits.is_empty() {
        Leg {
            km: 0.0,
            minutes: 0.0,
        }
    } else {
        travel.leg(at, s.technician_base(tech))
    };
    let minutes: Vec<f64> = legs.iter().map(|l| l.minutes).collect();
    let jobs: Vec<Job> = visits.iter().map(|v| v.2).collect();
    let (start, end) = (
        f64::from(tech.shift_start_min),
        f64::from(tech.shift_end_min()),
    );
    let Some(day) = timing::schedule(start, end, &minutes, &jobs, back.minutes) else {
        // The first visit that breaks the rule, leaving at the shift's start.
        let mut time = start;
        for (k, job) in jobs.iter().enumerate() {
            match timing::visit(time, minutes[k], job) {
                Some(tm) => time = tm.depart_min,
                None => return Err(k),
            }
        }
        return Err(jobs.len().saturating_sub(1));
    };
    Ok(Route {
        technician: tech.id,
        outlet: tech.outlet,
        start_min: day.leave_min,
        stops: visits
            .iter()
            .zip(&legs)
            .zip(&day.times)
            .map(|((v, leg), tm)| Stop {
                request: v.0,
                arrive_min: tm.arrive_min,
                start_min: tm.start_min,
                depart_min: tm.depart_min,
                leg_km: leg.km,
                leg_min: leg.minutes,
            })
            .collect(),
        return_km: back.km,
        return_min: back.minutes,
        end_min: day.end_min,
    })
}

/// The plan's record of a visit driven with the given km and minutes, priced
/// under the outlet's tariff: the fee, the working minutes (on site and
/// driving) and the km.
pub(crate) fn priced(s: &Scenario, mut a: Assignment, km: f64, min: f64) -> Assignment {
    a.travel_km = km;
    a.travel_min = min;
    a.cost = s
        .outlet(a.outlet)
        .map_or(0.0, |o| o.tariff.cost(a.service_min + min, km));
    a
}

/// The plan's records of a route's visits: each carries the leg into it,
/// the last also the way back; minutes on site are each stop's departure
/// minus its start.
pub(crate) fn route_assignments(s: &Scenario, route: &Route) -> Vec<Assignment> {
    let last = route.stops.len().saturating_sub(1);
    route
        .stops
        .iter()
        .enumerate()
        .map(|(k, stop)| {
            let (km, min) = if k == last {
                (
                    stop.leg_km + route.return_km,
                    stop.leg_min + route.return_min,
                )
            } else {
                (stop.leg_km, stop.leg_min)
            };
            let a = Assignment {
                request: stop.request,
                technician: route.technician,
                outlet: route.outlet,
                travel_km: 0.0,
                travel_min: 0.0,
                service_min: stop.depart_min - stop.start_min,
                cost: 0.0,
            };
            priced(s, a, km, min)
        })
        .collect()
}

impl Plan {
    /// The plan of these routes (in ascending technician id) and these
    /// unassigned requests: each route's visits become the plan's
    /// assignments, in route order, priced under the outlets' tariffs;
    /// unassigned requests are sorted by id. No objective, bound or gap.
    pub fn from_routes(
        s: &Scenario,
        strategy: &str,
        routes: Vec<Route>,
        mut unassigned: Vec<Unassigned>,
    ) -> Plan {
        unassigned.sort_by_key(|u| u.request);
        Plan {
            strategy: strategy.to_string(),
            assignments: routes
                .iter()
                .flat_map(|r| route_assignments(s, r))
                .collect(),
            unassigned,
            routes,
            ..Plan::default()
        }
    }

    /// Km driven over all routes.
    pub fn travel_km(&self) -> f64 {
        self.routes.iter().map(Route::travel_km).sum()
    }

    /// Minutes driven over all routes.
    pub fn travel_min(&self) -> f64 {
        self.routes.iter().map(Route::travel_min).sum()
    }

    /// The route of a technician, if it has visits.
    pub fn route(&self, technician: TechnicianId) -> Option<&Route> {
        self.routes
            .binary_search_by_key(&technician, |r| r.technician)
            .ok()
            .map(|i| &self.routes[i])
    }
}

/// The most visits one technician's day may hold in a plan to route: a day
/// is ordered over a table of legs between its visits, which grows with the
/// square of their number.
pub const MAX_DAY_VISITS: usize = 1_000;
