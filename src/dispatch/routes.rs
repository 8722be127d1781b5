//! Routed plans: each technician's visits chained into one day from the base and back.

use super::insert::Inserter;
use super::{Assignment, Insertion, Plan, Unassigned, UnassignedReason};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{OutletId, RequestId, Scenario, TechnicianId};
use crate::route::{Day, Job, Matrix, RouteOptions, Tour, solve};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Km of the leg from the previous visit (or the base).
    pub leg_km: f64,
    /// Minutes of that leg.
    pub leg_min: f64,
}

/// One technician's day: from the base, through the visits, back to the base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The technician.
    pub technician: TechnicianId,
    /// The technician's outlet.
    pub outlet: OutletId,
    /// When the technician leaves the base, minutes.
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

/// A plan whose visits are chained into routes, one per technician with visits.
///
/// `plan` is routed ([`Plan::routed`]): its visits' km, minutes and costs are
/// those of the routes. `routes` are in ascending technician id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoutedPlan {
    /// The plan, with the figures of the routes.
    pub plan: Plan,
    /// The routes, by technician id.
    pub routes: Vec<Route>,
}

impl RoutedPlan {
    /// The route of a technician, if it has visits.
    pub fn route(&self, technician: TechnicianId) -> Option<&Route> {
        self.routes
            .binary_search_by_key(&technician, |r| r.technician)
            .ok()
            .map(|i| &self.routes[i])
    }

    /// Km driven over all routes.
    pub fn travel_km(&self) -> f64 {
        self.routes.iter().map(Route::travel_km).sum()
    }

    /// Minutes driven over all routes.
    pub fn travel_min(&self) -> f64 {
        self.routes.iter().map(Route::travel_min).sum()
    }
}

/// The plan's record of a visit driven with the given km and minutes, priced
/// as the plan prices visits: the outlet's tariff over the working minutes
/// (service and driving) and the km.
pub(crate) fn priced(s: &Scenario, mut a: Assignment, km: f64, min: f64) -> Assignment {
    a.travel_km = km;
    a.travel_min = min;
    a.cost = s
        .outlet(a.outlet)
        .map_or(0.0, |o| o.tariff.cost(a.service_min + min, km));
    a
}

/// The plan's records of a route's visits: each carries the leg into it,
/// the last also the way back; `service` gives each request's minutes on site.
pub(crate) fn route_assignments(
    s: &Scenario,
    route: &Route,
    mut service: impl FnMut(RequestId) -> f64,
) -> Vec<Assignment> {
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
                service_min: service(stop.request),
                cost: 0.0,
            };
            priced(s, a, km, min)
        })
        .collect()
}

/// One technician's visits, routed.
struct DayResult {
    route: Route,
    missed: Vec<Assignment>,
}

fn route_day(
    s: &Scenario,
    tech: TechnicianId,
    visits: &[&Assignment],
    opts: &RouteOptions,
) -> DayResult {
    // Checked by the caller: the technician and every request exist.
    let t = s.technician(tech).expect("checked technician");
    let base = s.technician_base(t);
    let requests: Vec<_> = visits
        .iter()
        .map(|a| s.request(a.request).expect("checked request"))
        .collect();
    let points: Vec<_> = std::iter::once(base)
        .chain(requests.iter().map(|r| r.location))
        .collect();
    let matrix = Matrix::new(s.travel(), &points);
    let jobs = visits
        .iter()
        .zip(&requests)
        .map(|(a, r)| Job {
            window_start_min: f64::from(r.window.start_min),
            window_end_min: f64::from(r.window.end_min),
            service_min: a.service_min,
        })
        .collect();
    let start = f64::from(t.shift_start_min);
    let end = f64::from(t.shift_end_min());
    let day = Day::new(start, end, jobs, matrix).expect("valid scenario data");
    let tour = solve(&day, opts);
    let route = timed_route(&day, &tour, tech, t.outlet, |j| visits[j].request);
    DayResult {
        route,
        missed: tour.missed.iter().map(|&j| visits[j].clone()).collect(),
    }
}

/// The route of a feasible tour, leaving the base as late as the first visit allows.
fn timed_route(
    day: &Day,
    tour: &Tour,
    technician: TechnicianId,
    outlet: OutletId,
    request: impl Fn(usize) -> RequestId,
) -> Route {
    let m = day.matrix();
    let (start_min, times) = day
        .times(&tour.order)
        .unwrap_or((day.shift_start_min(), Vec::new()));
    let mut at = 0;
    let mut stops = Vec::with_capacity(tour.order.len());
    for (&j, tm) in tour.order.iter().zip(&times) {
        stops.push(Stop {
            request: request(j),
            arrive_min: tm.arrive_min,
            start_min: tm.start_min,
            depart_min: tm.depart_min,
            leg_km: m.km(at, j + 1),
            leg_min: m.minutes(at, j + 1),
        });
        at = j + 1;
    }
    let (return_km, return_min) = if stops.is_empty() {
        (0.0, 0.0)
    } else {
        (m.km(at, 0), m.minutes(at, 0))
    };
    let end_min = stops.last().map_or(start_min, |s| s.depart_min) + return_min;
    Route {
        technician,
        outlet,
        start_min,
        stops,
        return_km,
        return_min,
        end_min,
    }
}

fn check_plan(s: &Scenario, plan: &Plan) -> Result<()> {
    let mut problems = Vec::new();
    for a in &plan.assignments {
        let id = Some(u64::from(a.request));
        let mut bad = |field: &str, message: String| {
            problems.push(Problem::new(
                ProblemCode::DanglingReference,
                "assignment",
                id,
                field,
                message,
            ))
        };
        if s.request(a.request).is_none() {
            bad("request", format!("unknown request {}", a.request));
        }
        match s.technician(a.technician) {
            None => bad("technician", format!("unknown technician {}", a.technician)),
            Some(t) if t.outlet != a.outlet => bad(
                "outlet",
                format!(
                    "technician {} works for outlet {}, not {}",
                    t.id, t.outlet, a.outlet
                ),
            ),
            Some(_) => {}
        }
        if !(a.service_min.is_finite() && a.service_min >= 0.0) {
            problems.push(Problem::new(
                ProblemCode::OutOfRange,
                "assignment",
                id,
                "service_min",
                format!("{} is not a finite number ≥ 0", a.service_min),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ErrorKind::Invalid(problems).into())
    }
}

/// Routes every technician's day of a plan: orders each technician's visits
/// from the base and back so that every visit starts inside its window and
/// the day ends by the shift's end, with the fewest minutes driven (then
/// km), by [`route::solve`](crate::route::solve) — days in parallel.
///
/// The plan returned is [routed](Plan::routed): each technician's visits in
/// the order driven, each visit's km and minutes the leg into it (the last
/// visit's also the way back), costs recomputed from them under the outlet's
/// tariff as strategies price visits. Its objective, lower bound and gap are
/// cleared: they described the round trips.
///
/// A visit that no order of its technician's day can fit is repaired when
/// [`RouteOptions::repair`] is on (the default): placed into another
/// technician's route by cheapest insertion under the same rules as
/// [`insert`](super::insert) (skills, policy, outlet capacity, windows,
/// shift), requests taken by id; when that fails too, or repair is off, it
/// moves to `unassigned` with [`UnassignedReason::WindowMissed`].
///
/// # Errors
/// [`ErrorKind::Invalid`] when an assignment names a request or technician
/// the scenario does not have, an outlet that is not its technician's, or
/// minutes on site that are not a finite number ≥ 0.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest, verify};
/// use servnet::dispatch::{route_plan, verify_routes};
/// use servnet::generate::{Generator, Preset};
/// use servnet::route::RouteOptions;
/// let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
/// let plan = Nearest::new().dispatch(&day)?;
/// let routed = route_plan(&day, &plan, &RouteOptions::new())?;
/// assert!(verify(&day, &routed.plan).is_empty());
/// assert!(verify_routes(&day, &routed).is_empty());
/// assert!(routed.travel_km() <= plan.summary(&day).travel_km + 1e-6);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn route_plan(s: &Scenario, plan: &Plan, opts: &RouteOptions) -> Result<RoutedPlan> {
    check_plan(s, plan)?;
    let mut by_tech: BTreeMap<TechnicianId, Vec<&Assignment>> = BTreeMap::new();
    for a in &plan.assignments {
        by_tech.entry(a.technician).or_default().push(a);
    }
    let days: Vec<(TechnicianId, Vec<&Assignment>)> = by_tech.into_iter().collect();
    let results: Vec<DayResult> = days
        .par_iter()
        .map(|(tech, visits)| route_day(s, *tech, visits, opts))
        .collect();

    let mut service: BTreeMap<RequestId, f64> = plan
        .assignments
        .iter()
        .map(|a| (a.request, a.service_min))
        .collect();
    let mut missed: Vec<Assignment> = Vec::new();
    let mut routes = Vec::with_capacity(results.len());
    for r in results {
        missed.extend(r.missed);
        if !r.route.stops.is_empty() {
            routes.push(r.route);
        }
    }
    let mut out = RoutedPlan {
        plan: Plan {
            strategy: plan.strategy.clone(),
            objective: None,
            lower_bound: None,
            gap: None,
            assignments: Vec::new(),
            unassigned: plan.unassigned.clone(),
            coordinated: plan.coordinated.clone(),
            routed: true,
        },
        routes,
    };
    missed.sort_by_key(|a| a.request);
    if !missed.is_empty() && opts.repairs() {
        let mut inserter = Inserter::new(s, &out)?;
        for a in &missed {
            let r = s.request(a.request).expect("checked request");
            match inserter.place(&out, r, f64::NEG_INFINITY, Some(a.technician)) {
                Ok(Insertion::Placed(p)) => {
                    service.insert(a.request, p.assignment.service_min);
                    inserter.apply_route(&mut out, &p);
                }
                _ => out.plan.unassigned.push(Unassigned {
                    request: a.request,
                    reason: UnassignedReason::WindowMissed,
                }),
            }
        }
        out.routes.sort_by_key(|r| r.technician);
    } else {
        out.plan
            .unassigned
            .extend(missed.iter().map(|a| Unassigned {
                request: a.request,
                reason: UnassignedReason::WindowMissed,
            }));
    }
    for route in &out.routes {
        let a = route_assignments(s, route, |id| service.get(&id).copied().unwrap_or(0.0));
        out.plan.assignments.extend(a);
    }
    Ok(out)
}
