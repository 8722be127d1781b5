//! The cheapest place of a request: each technician near it whom the rules
//! admit is offered the request's cheapest feasible slot in its route, and
//! the cheapest of those (of its own region first) makes the placement.

use super::inserter::Inserter;
use super::{Insertion, Placement};
use crate::dispatch::eligibility::{LegCache, Needs};
use crate::dispatch::routed::{Route, Stop, priced};
use crate::dispatch::{Assignment, Plan, Unassigned, UnassignedReason};
use crate::error::Result;
use crate::model::{RegionRule, ServiceRequest, TechnicianId};
use crate::route::{Job, Slot, TimedStop, Timeline, cheapest_slot, latest_starts, timing};
use crate::travel::TravelModel;
use geo::Point;

/// A technician's cheapest slot for the request, and what it costs.
struct Candidate {
    t: usize,
    slot: Slot,
    cost: f64,
    service_min: f64,
}

impl Inserter<'_> {
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
                let is_home = rule == RegionRule::Freely || table.region(t) == region;
                if Some(table.id(t)) == exclude {
                    continue;
                }
                let leg = legs.get(s, table, t, r.location);
                if leg.reach_km > self.max_km {
                    continue;
                }
                in_reach = true;
                let o = table.outlet(t);
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
                    .map_or((table.shift_start(t), 0.0, 0.0), |rt| {
                        (rt.start_min, rt.return_min, rt.return_km)
                    });
                let (start, base) = (table.start(t), table.base(t));
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
                    shift_start_min: table.shift_start(t),
                    shift_end_min: table.shift_end(t),
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
        let (start, base) = (self.table.start(t), self.table.base(t));
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
            let tm = timing::visit(leave, leg.minutes, &job).unwrap_or_else(|| {
                let arrive_min = leave + leg.minutes;
                let start_min = timing::start(arrive_min, job.window_start_min);
                timing::Times {
                    arrive_min,
                    start_min,
                    depart_min: start_min + job.service_min,
                }
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
}
