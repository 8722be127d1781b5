//! Routes: each technician's day as driven, timed by the one timing rule;
//! plans built from them; and the routing of a plan made elsewhere.

use super::insert::Inserter;
use super::{Assignment, Insertion, Plan, Unassigned, UnassignedReason};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{OutletId, RequestId, Scenario, TechnicianId};
use crate::route::{Day, Job, Matrix, RouteOptions, improve, solve, timing};
use crate::travel::{Leg, TravelModel};
use geo::Point;
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
    let t = s.technician_index(tech).expect("checked technician");
    let technician = &s.technicians()[t];
    let requests: Vec<_> = visits
        .iter()
        .map(|a| s.request(a.request).expect("checked request"))
        .collect();
    let travel = s.travel();
    let (start, base) = (
        s.technician_start(technician),
        s.technician_base(technician),
    );
    let points: Vec<Point<f64>> = std::iter::once(base)
        .chain(requests.iter().map(|r| r.location))
        .collect();
    // Node 0: legs out of it leave the day's start, legs into it reach the base.
    let matrix = Matrix::from_fn(points.len(), |i, j| {
        let from = if i == 0 { start } else { points[i] };
        travel.leg(from, points[j])
    });
    let jobs: Vec<Job> = visits
        .iter()
        .zip(&requests)
        .map(|(a, r)| Job {
            window_start_min: f64::from(r.window.start_min),
            window_end_min: f64::from(r.window.end_min),
            service_min: a.service_min,
        })
        .collect();
    let day = Day::new(
        f64::from(technician.shift_start_min),
        f64::from(technician.shift_end_min()),
        jobs.clone(),
        matrix,
    )
    .expect("valid scenario data");
    let tour = solve(&day, opts);
    // The day as the plan gives it, when it keeps the rules, improved by
    // local search: a new order is taken only when it is better.
    let given: Vec<usize> = (0..jobs.len()).collect();
    let tour = if day.feasible(&given) {
        let kept = day.tour(given);
        let kept = if opts.uses_local_search() {
            improve(&day, kept)
        } else {
            kept
        };
        if tour.better_than(&kept) { tour } else { kept }
    } else {
        tour
    };
    let ordered: Vec<_> = tour
        .order
        .iter()
        .map(|&j| (requests[j].id, requests[j].location, jobs[j]))
        .collect();
    let mut missed: Vec<Assignment> = tour.missed.iter().map(|&j| visits[j].clone()).collect();
    let mut kept = ordered;
    let route = loop {
        match timed_route(s, t, &kept) {
            Ok(route) => break route,
            Err(k) => {
                let id = kept.remove(k).0;
                missed.extend(
                    visits
                        .iter()
                        .filter(|a| a.request == id)
                        .map(|a| (*a).clone()),
                );
            }
        }
    };
    DayResult { route, missed }
}

/// The most visits one technician's day may hold in a plan to route: a day
/// is ordered over a table of legs between its visits, which grows with the
/// square of their number.
pub const MAX_DAY_VISITS: usize = 1_000;

/// Every structural problem of a plan to route: unknown ids, a visit's
/// outlet that is not its technician's, minutes on site that are not a
/// number ≥ 0, a request listed twice or not at all, a day of more than
/// [`MAX_DAY_VISITS`] visits.
fn check_plan(s: &Scenario, plan: &Plan) -> Result<()> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<RequestId, usize> = BTreeMap::new();
    let mut per_tech: BTreeMap<TechnicianId, usize> = BTreeMap::new();
    for a in &plan.assignments {
        let id = Some(u64::from(a.request));
        *seen.entry(a.request).or_default() += 1;
        *per_tech.entry(a.technician).or_default() += 1;
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
    for u in &plan.unassigned {
        *seen.entry(u.request).or_default() += 1;
        if s.request(u.request).is_none() {
            problems.push(Problem::new(
                ProblemCode::DanglingReference,
                "unassigned",
                Some(u64::from(u.request)),
                "request",
                format!("unknown request {}", u.request),
            ));
        }
    }
    for (&request, &n) in &seen {
        if n > 1 {
            problems.push(Problem::new(
                ProblemCode::DuplicateId,
                "plan",
                Some(u64::from(request)),
                "request",
                format!("request {request} is listed {n} times (assigned or unassigned)"),
            ));
        }
    }
    for r in s.requests() {
        if !seen.contains_key(&r.id) {
            problems.push(Problem::new(
                ProblemCode::Inconsistent,
                "plan",
                Some(u64::from(r.id)),
                "request",
                format!("request {} is neither assigned nor unassigned", r.id),
            ));
        }
    }
    for (&technician, &n) in &per_tech {
        if n > MAX_DAY_VISITS {
            problems.push(Problem::new(
                ProblemCode::OutOfRange,
                "plan",
                Some(u64::from(technician)),
                "technician",
                format!(
                    "technician {technician} has {n} visits; a day to route holds at most {MAX_DAY_VISITS}"
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ErrorKind::Invalid(problems).into())
    }
}

/// Routes every technician's day of a plan anew: orders each technician's
/// visits from its start and back to the base so that every visit starts
/// inside its window and the day ends by the shift's end, with the fewest
/// minutes driven (then km), by [`route::solve`](crate::route::solve) —
/// days in parallel. For plans made elsewhere, or to re-order the days of
/// a strategy's plan.
///
/// The plan returned carries the routes; each visit's km and minutes are
/// the leg into it (the last visit's also the way back) and its cost is
/// recomputed from them under the outlet's tariff. Its objective, lower
/// bound and gap are cleared: they described the plan before.
///
/// A day is re-ordered only when the new order serves more visits or
/// drives less than the plan's own order (when that keeps the rules).
/// Under [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary) a
/// visit that crosses its region is moved afterwards into the day of a
/// technician of its region who has a place for it, as the strategies do.
///
/// A visit that no order of its technician's day can fit is repaired when
/// [`RouteOptions::repair`] is on (the default): placed into another
/// technician's route by cheapest insertion under the same rules as
/// [`insert`](super::insert) (skills, policy, outlet capacity, windows,
/// shift), requests taken by id; when that fails too, or repair is off, it
/// moves to `unassigned` with [`UnassignedReason::WindowMissed`].
///
/// The plan's assignments say who visits whom; its routes, if any, are
/// not read.
///
/// # Errors
/// [`ErrorKind::Invalid`] listing every problem of the plan's structure: an
/// assignment naming a request or technician the scenario does not have, an
/// outlet that is not its technician's, minutes on site that are not a
/// finite number ≥ 0, a request listed twice (assigned or unassigned) or
/// not at all, a technician with more than [`MAX_DAY_VISITS`] visits.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest, verify};
/// use servnet::dispatch::route_plan;
/// use servnet::generate::{Generator, Preset};
/// use servnet::route::RouteOptions;
/// let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
/// let plan = Nearest::new().dispatch(&day)?;
/// let again = route_plan(&day, &plan, &RouteOptions::new())?;
/// assert!(verify(&day, &again).is_empty());
/// assert!(again.travel_km() <= plan.travel_km() + 1e-6);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn route_plan(s: &Scenario, plan: &Plan, opts: &RouteOptions) -> Result<Plan> {
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

    let mut missed: Vec<Assignment> = Vec::new();
    let mut routes = Vec::with_capacity(results.len());
    for r in results {
        missed.extend(r.missed);
        if !r.route.stops.is_empty() {
            routes.push(r.route);
        }
    }
    let mut out = Plan::from_routes(s, &plan.strategy, routes, plan.unassigned.clone());
    out.coordinated = plan.coordinated.clone();
    missed.sort_by_key(|a| a.request);
    if missed.is_empty() {
        return Ok(settled(s, out));
    }
    if opts.repairs() {
        let mut inserter = Inserter::indexed(s, &out)?;
        for a in &missed {
            let r = s.request(a.request).expect("checked request");
            match inserter.place(&out, r, f64::NEG_INFINITY, Some(a.technician)) {
                Ok(Insertion::Placed(p)) => inserter.apply_route(&mut out, &p),
                _ => out.unassigned.push(Unassigned {
                    request: a.request,
                    reason: UnassignedReason::WindowMissed,
                }),
            }
        }
    } else {
        out.unassigned.extend(missed.iter().map(|a| Unassigned {
            request: a.request,
            reason: UnassignedReason::WindowMissed,
        }));
    }
    let mut routes = std::mem::take(&mut out.routes);
    routes.sort_by_key(|r| r.technician);
    let coordinated = std::mem::take(&mut out.coordinated);
    let mut again = Plan::from_routes(s, &plan.strategy, routes, out.unassigned);
    again.coordinated = coordinated;
    Ok(settled(s, again))
}

/// Under [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary):
/// the plan with every visit that crosses a region without need moved into
/// the day of a technician of its region who has a place for it (a new
/// order of the days may have made room). Other plans come back as they are.
fn settled(s: &Scenario, plan: Plan) -> Plan {
    if s.policy().region != crate::RegionRule::WhenNecessary {
        return plan;
    }
    let region_of = |city| s.city(city).map(|c| c.region);
    let crosses =
        plan.assignments
            .iter()
            .any(|a| match (s.request(a.request), s.outlet(a.outlet)) {
                (Some(r), Some(o)) => region_of(r.city) != region_of(o.city),
                _ => false,
            });
    if !crosses {
        return plan;
    }
    let table = super::table::TechTable::new(s);
    let mut days = super::days::Days::new(s, &table, super::days::Pricing::TARIFF);
    for route in &plan.routes {
        let Some(t) = s.technician_index(route.technician) else {
            continue;
        };
        for (pos, stop) in route.stops.iter().enumerate() {
            if let Some(i) = s.request_index(stop.request) {
                days.insert(t, i, pos);
            }
        }
    }
    if super::region::settle(&mut days, s.policy().reach_km) == 0 {
        return plan;
    }
    let mut out = days.plan(&plan.strategy, plan.unassigned);
    out.coordinated = plan.coordinated;
    out
}
