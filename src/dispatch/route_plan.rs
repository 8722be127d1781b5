//! The routing of a plan made elsewhere: each technician's day ordered
//! anew, visits that no order fits repaired by insertion, and crossings of
//! a region moved home when a place has opened.

use super::eligibility::TechTable;
use super::insert::Inserter;
use super::routed::{MAX_DAY_VISITS, Route, timed_route};
use super::{Assignment, Insertion, Plan, Unassigned, UnassignedReason};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{RequestId, Scenario, TechnicianId};
use crate::route::{Day, DayMatrix, Job, RouteOptions, improve, solve};
use crate::travel::TravelModel;
use geo::Point;
use rayon::prelude::*;
use std::cell::OnceCell;
use std::collections::BTreeMap;

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
    let matrix = DayMatrix::from_fn(points.len(), |i, j| {
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
/// [`insert`](fn@super::insert) (skills, policy, outlet capacity, windows,
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
    // Built once, when the repair or the settling needs it.
    let table = OnceCell::new();
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
        return Ok(settled(s, out, &table));
    }
    if opts.repairs() {
        let mut inserter =
            Inserter::indexed(s, &out, Some(table.get_or_init(|| TechTable::new(s))))?;
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
    Ok(settled(s, again, &table))
}

/// Under [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary):
/// the plan with every visit that crosses a region without need moved into
/// the day of a technician of its region who has a place for it (a new
/// order of the days may have made room). Other plans come back as they are.
/// `table` holds the technician table once it is built (here, if it is
/// needed and not yet).
fn settled(s: &Scenario, plan: Plan, table: &OnceCell<TechTable>) -> Plan {
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
    let table = table.get_or_init(|| TechTable::new(s));
    let mut days = super::days::Days::new(s, table, super::days::Pricing::TARIFF);
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
