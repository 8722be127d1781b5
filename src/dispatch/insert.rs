//! Live insertion: an urgent request placed into today's routes where it adds least.

use super::eligibility::{LegCache, Needs};
use super::routed::{Route, Stop, priced, route_assignments};
use super::table::TechTable;
use super::{Assignment, Plan, Unassigned, UnassignedReason};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{RegionRule, RequestId, Scenario, ServiceRequest, TechnicianId, TimeWindow};
use crate::route::{Job, Slot, TimedStop, Timeline, cheapest_slot, latest_starts, timing};
use crate::travel::TravelModel;
use geo::Point;
use std::collections::HashMap;

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

/// Live insertion into one plan's routes, with its indexes built once.
///
/// Build it once per plan (it indexes every technician, `O(n log n)`) and
/// ask [`Inserter::insert`] for each urgent request; apply an outcome with
/// [`Inserter::apply`] to keep the two in step.
pub struct Inserter<'s> {
    s: &'s Scenario,
    table: TechTable,
    /// By technician position: its route's position in the plan.
    route_of: Vec<Option<usize>>,
    /// By outlet position: visits in the plan.
    visits: Vec<u32>,
    /// Requests inserted that the scenario does not have.
    added: HashMap<RequestId, (Point<f64>, TimeWindow)>,
    candidates: usize,
    max_km: f64,
}

struct Candidate {
    t: usize,
    slot: Slot,
    cost: f64,
    service_min: f64,
}

impl<'s> Inserter<'s> {
    /// Checks the plan with [`verify`](super::verify) and indexes the
    /// scenario's technicians and the plan's routes.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every violation [`verify`](super::verify)
    /// finds: a plan whose routes break a rule, name requests the scenario
    /// does not hold (a request inserted live before: add it to the
    /// scenario, or keep using the [`Inserter`] that inserted it), or
    /// disagree with its assignments is not inserted into.
    pub fn new(s: &'s Scenario, routed: &Plan) -> Result<Inserter<'s>> {
        let violations = super::verify(s, routed);
        if !violations.is_empty() {
            let problems = violations
                .iter()
                .map(|v| {
                    Problem::new(
                        ProblemCode::Inconsistent,
                        "plan",
                        v.request.map(u64::from).or(v.technician.map(u64::from)),
                        format!("{:?}", v.code),
                        v.to_string(),
                    )
                })
                .collect();
            return Err(ErrorKind::Invalid(problems).into());
        }
        Inserter::indexed(s, routed)
    }

    /// Indexes the scenario's technicians and the plan's routes, checking
    /// only that the routes' technicians and stops' requests exist.
    pub(crate) fn indexed(s: &'s Scenario, routed: &Plan) -> Result<Inserter<'s>> {
        let mut problems = Vec::new();
        let mut route_of = vec![None; s.technicians().len()];
        for (i, route) in routed.routes.iter().enumerate() {
            match s.technician_index(route.technician) {
                Some(t) => route_of[t] = Some(i),
                None => problems.push(Problem::new(
                    ProblemCode::DanglingReference,
                    "route",
                    Some(u64::from(route.technician)),
                    "technician",
                    format!("unknown technician {}", route.technician),
                )),
            }
            for stop in &route.stops {
                if s.request(stop.request).is_none() {
                    problems.push(Problem::new(
                        ProblemCode::DanglingReference,
                        "route",
                        Some(u64::from(route.technician)),
                        "stops.request",
                        format!("unknown request {}", stop.request),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        let mut visits = vec![0; s.outlets().len()];
        for route in &routed.routes {
            if let Some(o) = s.outlet_index(route.outlet) {
                visits[o] += route.stops.len() as u32;
            }
        }
        Ok(Inserter {
            s,
            table: TechTable::new(s),
            route_of,
            visits,
            added: HashMap::new(),
            candidates: 16,
            max_km: 300.0,
        })
    }

    /// How many technicians with a place for the request (of its own region
    /// first, under the policy) are compared before the cheapest is taken
    /// (default 16; at least 1). More finds cheaper places and costs time.
    pub fn candidates(mut self, n: usize) -> Self {
        self.candidates = n.max(1);
        self
    }

    /// The farthest a technician's base may be from the request, in road km
    /// (default 300, as [`Nearest`](super::Nearest)).
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }

    /// Where the request adds least to the plan's cost (see [`insert`]).
    ///
    /// `routed` must be the plan the inserter was built from, with every
    /// outcome since applied by [`Inserter::apply`].
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] when the request breaks a rule of the
    /// scenario (unknown city or category, bad coordinate, difficulty,
    /// window) or has the id of a request already in the scenario or plan;
    /// [`ErrorKind::Parameter`] when `now_min` is NaN.
    pub fn insert(
        &self,
        routed: &Plan,
        request: &ServiceRequest,
        now_min: f64,
    ) -> Result<Insertion> {
        let mut problems = crate::model::validate_request(self.s, request);
        if self.added.contains_key(&request.id) {
            problems.push(Problem::new(
                ProblemCode::DuplicateId,
                "request",
                Some(u64::from(request.id)),
                "id",
                format!("request {} is already in the plan", request.id),
            ));
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        if now_min.is_nan() {
            return Err(ErrorKind::Parameter {
                name: "now_min",
                message: "NaN is not a time".into(),
            }
            .into());
        }
        self.place(routed, request, now_min, None)
    }

    /// The point and window of a request of the plan.
    fn stop_facts(&self, id: RequestId) -> (Point<f64>, TimeWindow) {
        match self.s.request(id) {
            Some(r) => (r.location, r.window),
            None => self.added.get(&id).copied().unwrap_or((
                Point::new(0.0, 0.0),
                TimeWindow {
                    start_min: 0,
                    end_min: u32::MAX,
                },
            )),
        }
    }

    /// The cheapest place, leaving out technician `exclude`; no checks of the request.
    pub(crate) fn place(
        &self,
        routed: &Plan,
        r: &ServiceRequest,
        now_min: f64,
        exclude: Option<TechnicianId>,
    ) -> Result<Insertion> {
        let s = self.s;
        let table = &self.table;
        let travel = s.travel();
        let needs = Needs::of(s, r);
        let region = needs.region;
        let rule = s.policy().region;
        let radius = table.search_radius_km(travel, r, self.max_km);
        let (mut home, mut other): (Option<Candidate>, Option<Candidate>) = (None, None);
        let (mut found_home, mut in_reach, mut room) = (0, false, false);
        let job = Job {
            window_start_min: f64::from(r.window.start_min),
            window_end_min: f64::from(r.window.end_min),
            service_min: 0.0,
        };
        let mut stops: Vec<TimedStop> = Vec::new();
        let mut points: Vec<Point<f64>> = Vec::new();
        let mut legs = LegCache::default();
        {
            for (t, km) in table.eligible_near(&needs, r.location) {
                if km > radius || found_home >= self.candidates {
                    break;
                }
                let is_home = rule == RegionRule::Freely || table.region[t] == region;
                if Some(table.ids[t]) == exclude {
                    continue;
                }
                let leg = legs.get(s, table, t, r.location);
                if leg.reach_km > self.max_km {
                    continue;
                }
                in_reach = true;
                let o = table.outlet[t];
                let outlet = &s.outlets()[o];
                if self.visits[o] >= outlet.daily_capacity {
                    continue;
                }
                room = true;
                let service_min = table.service_min(s, t, r, &needs);
                let job = Job { service_min, ..job };
                stops.clear();
                points.clear();
                let route = self.route_of[t].map(|i| &routed.routes[i]);
                let (depart_min, return_min, return_km) = route
                    .map_or((table.shift_start[t], 0.0, 0.0), |rt| {
                        (rt.start_min, rt.return_min, rt.return_km)
                    });
                let (start, base) = (table.start[t], table.base[t]);
                for stop in route.map_or(&[][..], |rt| &rt.stops) {
                    let (p, w) = self.stop_facts(stop.request);
                    points.push(p);
                    stops.push(TimedStop {
                        start_min: stop.start_min,
                        service_min: stop.depart_min - stop.start_min,
                        window_start_min: f64::from(w.start_min),
                        window_end_min: f64::from(w.end_min),
                        leg_min: stop.leg_min,
                        leg_km: stop.leg_km,
                    });
                }
                let timeline = Timeline {
                    shift_start_min: table.shift_start[t],
                    shift_end_min: table.shift_end[t],
                    depart_min,
                    stops: &stops,
                    return_min,
                    return_km,
                };
                let latest = latest_starts(&timeline);
                let tariff = outlet.tariff;
                let n = points.len();
                let slot = cheapest_slot(
                    &timeline,
                    &latest,
                    &job,
                    now_min,
                    (tariff.per_minute, tariff.per_km),
                    |pos| {
                        let prev = if pos == 0 { start } else { points[pos - 1] };
                        let next = if pos == n { base } else { points[pos] };
                        let into = if pos == 0 {
                            leg.out
                        } else {
                            travel.leg(prev, r.location)
                        };
                        let out = if pos == n {
                            leg.back
                        } else {
                            travel.leg(r.location, next)
                        };
                        (into, out)
                    },
                );
                let Some(slot) = slot else { continue };
                let cost = tariff.per_visit + tariff.per_minute * service_min + slot.extra_cost;
                let c = Candidate {
                    t,
                    slot,
                    cost,
                    service_min,
                };
                let best = if is_home {
                    found_home += 1;
                    &mut home
                } else {
                    &mut other
                };
                if best.as_ref().is_none_or(|b| c.cost < b.cost - 1e-9) {
                    *best = Some(c);
                }
            }
        }
        let Some(c) = home.or(other) else {
            let why = if in_reach {
                if room {
                    UnassignedReason::WindowMissed
                } else {
                    UnassignedReason::CapacityExhausted
                }
            } else {
                table.reason(s, r, &needs, self.max_km)
            };
            return Ok(Insertion::Unassigned(Unassigned {
                request: r.id,
                reason: why,
            }));
        };
        Ok(Insertion::Placed(self.placement(routed, r, c)))
    }

    fn placement(&self, routed: &Plan, r: &ServiceRequest, c: Candidate) -> Placement {
        let s = self.s;
        let travel = s.travel();
        let t = c.t;
        let tech = &s.technicians()[t];
        let (start, base) = (self.table.start[t], self.table.base[t]);
        let old = self.route_of[t].map(|i| &routed.routes[i]);
        let old_stops = old.map_or(&[][..], |rt| &rt.stops[..]);
        let pos = c.slot.position;
        let mut stops: Vec<Stop> = old_stops[..pos].to_vec();
        let prev_point = if pos == 0 {
            start
        } else {
            self.stop_facts(old_stops[pos - 1].request).0
        };
        let into = travel.leg(prev_point, r.location);
        stops.push(Stop {
            request: r.id,
            arrive_min: c.slot.arrive_min,
            start_min: c.slot.start_min,
            depart_min: c.slot.start_min + c.service_min,
            leg_km: into.km,
            leg_min: into.minutes,
        });
        let mut at = r.location;
        for stop in &old_stops[pos..] {
            let (p, w) = self.stop_facts(stop.request);
            let leg = travel.leg(at, p);
            let leave = stops.last().map_or(0.0, |x| x.depart_min);
            let job = Job {
                window_start_min: f64::from(w.start_min),
                window_end_min: f64::from(w.end_min),
                service_min: stop.depart_min - stop.start_min,
            };
            // The slot keeps every later visit in its window.
            let tm = timing::visit(leave, leg.minutes, &job).unwrap_or(timing::Times {
                arrive_min: leave + leg.minutes,
                start_min: (leave + leg.minutes).max(job.window_start_min),
                depart_min: (leave + leg.minutes).max(job.window_start_min) + job.service_min,
            });
            stops.push(Stop {
                request: stop.request,
                arrive_min: tm.arrive_min,
                start_min: tm.start_min,
                depart_min: tm.depart_min,
                leg_km: leg.km,
                leg_min: leg.minutes,
            });
            at = p;
        }
        let back = travel.leg(at, base);
        let start_min = if pos == 0 {
            c.slot.leave_min
        } else {
            old.map_or(c.slot.leave_min, |rt| rt.start_min)
        };
        let route = Route {
            technician: tech.id,
            outlet: tech.outlet,
            start_min,
            end_min: stops.last().map_or(start_min, |x| x.depart_min) + back.minutes,
            stops,
            return_km: back.km,
            return_min: back.minutes,
        };
        let (km, min) = if pos + 1 == route.stops.len() {
            (into.km + back.km, into.minutes + back.minutes)
        } else {
            (into.km, into.minutes)
        };
        let assignment = priced(
            s,
            Assignment {
                request: r.id,
                technician: tech.id,
                outlet: tech.outlet,
                travel_km: 0.0,
                travel_min: 0.0,
                service_min: c.service_min,
                cost: 0.0,
            },
            km,
            min,
        );
        Placement {
            request: r.id,
            technician: tech.id,
            position: pos,
            extra_cost: c.cost,
            extra_km: c.slot.extra_km,
            extra_min: c.slot.extra_min,
            assignment,
            route,
            facts: (r.location, r.window),
        }
    }

    /// Puts a placement's route into `routed.routes` only (a new route at the
    /// end, out of technician order) and keeps the indexes in step; the
    /// caller sorts the routes and rebuilds the plan's visits afterwards.
    pub(crate) fn apply_route(&mut self, routed: &mut Plan, p: &Placement) {
        let Some(t) = self.s.technician_index(p.technician) else {
            return;
        };
        match self.route_of[t] {
            Some(i) => routed.routes[i] = p.route.clone(),
            None => {
                routed.routes.push(p.route.clone());
                self.route_of[t] = Some(routed.routes.len() - 1);
            }
        }
        if let Some(o) = self.s.outlet_index(p.assignment.outlet) {
            self.visits[o] += 1;
        }
    }

    /// Puts an outcome of [`Inserter::insert`] into the plan and keeps the
    /// inserter's indexes in step with it.
    pub fn apply(&mut self, routed: &mut Plan, insertion: &Insertion) {
        apply(self.s, routed, insertion);
        if let Insertion::Placed(p) = insertion {
            if let Some(o) = self.s.outlet_index(p.assignment.outlet) {
                self.visits[o] += 1;
            }
            if self.s.request(p.request).is_none() {
                self.added.insert(p.request, p.facts);
            }
            self.route_of.iter_mut().for_each(|r| *r = None);
            for (i, route) in routed.routes.iter().enumerate() {
                if let Some(t) = self.s.technician_index(route.technician) {
                    self.route_of[t] = Some(i);
                }
            }
        }
    }
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
