//! The technicians' days as strategies build them: each technician's visits
//! in order with their earliest schedule, and where one more fits.
//!
//! Every strategy dispatches into [`Days`]: a request goes into a
//! technician's route at a position that keeps every visit of the route
//! inside its window and the day inside the shift ([`route::timing`]), with
//! the outlet's daily visits counted. Each day caches its schedule (arrival
//! and start of every visit, and the latest start that keeps the rest of the
//! day feasible), so testing one position costs two legs and a few
//! comparisons. [`Days::plan`] turns the days into a [`Plan`] with its routes.

use super::eligibility::Needs;
use super::plan::{Plan, Unassigned};
use super::routed::{Route, timed_route};
use super::table::TechTable;
use crate::model::{Priority, Scenario, ServiceRequest};
use crate::route::{Job, timing};
use crate::travel::{Leg, TravelModel};
use geo::Point;
use std::borrow::Cow;

/// No technician, no request.
pub(crate) const NONE: u32 = u32::MAX;

const ZERO: Leg = Leg {
    km: 0.0,
    minutes: 0.0,
};

/// What a priority weighs in the objective: low 0.5, normal 1, high 2, urgent 4.
pub(crate) fn priority_weight(priority: Priority) -> f64 {
    match priority {
        Priority::Low => 0.5,
        Priority::Normal => 1.0,
        Priority::High => 2.0,
        Priority::Urgent => 4.0,
    }
}

/// How a routed plan is priced: each visit's tariff cost (its fee, its
/// minutes on site and its share of the day's driving), the policy's
/// surcharge, `response_cost_per_min × weight` per minute the visit starts
/// after its window opens, and `unassigned_penalty × weight` for a request
/// left out that some technician could have served.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pricing {
    pub unassigned_penalty: f64,
    pub response_cost_per_min: f64,
}

impl Pricing {
    /// The tariff alone: no penalty, no response term (the greedy rules' cheapest place).
    pub const TARIFF: Pricing = Pricing {
        unassigned_penalty: 0.0,
        response_cost_per_min: 0.0,
    };
}

/// One request as the days see it.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub point: Point<f64>,
    /// The point as a unit vector, for fast great-circle legs.
    pub xyz: [f64; 3],
    /// Minutes on site in each of `needs.cats` at the basic level.
    pub base_min: Vec<f64>,
    pub window_start: f64,
    pub window_end: f64,
    pub weight: f64,
    pub needs: Needs,
}

impl Req {
    pub fn new(s: &Scenario, r: &ServiceRequest) -> Req {
        let needs = Needs::of(s, r);
        let catalog = s.catalog();
        Req {
            point: r.location,
            xyz: crate::spatial::unit_vector(r.location).unwrap_or([0.0; 3]),
            base_min: needs
                .cats
                .iter()
                .map(|&c| catalog.categories[c].base_minutes(r.kind))
                .collect(),
            window_start: f64::from(r.window.start_min),
            window_end: f64::from(r.window.end_min),
            weight: priority_weight(r.priority),
            needs,
        }
    }

    fn job(&self, service_min: f64) -> Job {
        Job {
            window_start_min: self.window_start,
            window_end_min: self.window_end,
            service_min,
        }
    }
}

/// The cached schedule of one visit of a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sched {
    /// The leg into the visit.
    pub leg: Leg,
    pub service: f64,
    pub arrive: f64,
    pub start: f64,
    /// The latest start that keeps every later visit and the way back feasible.
    pub latest: f64,
}

/// One technician's day.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Day {
    /// Requests (positions in the scenario) in the order visited.
    pub stops: Vec<u32>,
    pub sched: Vec<Sched>,
    /// The way back to the base (zero without visits).
    pub back: Leg,
    /// The day's share of the objective (without penalties).
    pub cost: f64,
}

/// A place for a request in a technician's day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Place {
    /// The request goes before this visit (the day's length: at the end).
    pub pos: usize,
    /// What the objective grows by (penalties aside).
    pub delta: f64,
    /// Minutes of driving the day gains.
    pub extra_min: f64,
    /// Km the day gains.
    pub extra_km: f64,
}

impl Place {
    /// Whether `self` is cheaper than `other`: by the objective, then
    /// minutes, then km (1e-9 tolerance), then the earlier position.
    pub fn better_than(&self, other: &Place) -> bool {
        let key = |x: f64, y: f64| {
            if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
                std::cmp::Ordering::Equal
            } else {
                x.total_cmp(&y)
            }
        };
        key(self.delta, other.delta)
            .then(key(self.extra_min, other.extra_min))
            .then(key(self.extra_km, other.extra_km))
            .then(self.pos.cmp(&other.pos))
            .is_lt()
    }
}

/// Where a leg of a day starts or ends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Req(u32),
    Start(u32),
    Base(u32),
}

/// Great-circle legs over unit vectors: road km per unit of central angle, minutes per km.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fast {
    km_per_radian: f64,
    min_per_km: f64,
}

/// `asin(x)` for `x` in `[0, 1]`: by its series below 0.1 (to within about
/// 1e-15 relative, a central angle of 1,270 km and less), by the library above.
#[inline]
fn asin(x: f64) -> f64 {
    if x < 0.1 {
        let x2 = x * x;
        x * (1.0
            + x2 * (1.0 / 6.0
                + x2 * (3.0 / 40.0
                    + x2 * (5.0 / 112.0
                        + x2 * (35.0 / 1152.0 + x2 * (63.0 / 2816.0 + x2 * (231.0 / 13312.0)))))))
    } else {
        x.clamp(0.0, 1.0).asin()
    }
}

/// Every technician's day, the outlets' visits, and who serves what.
#[derive(Clone)]
pub(crate) struct Days<'a> {
    pub s: &'a Scenario,
    pub table: &'a TechTable,
    pub pricing: Pricing,
    pub reqs: Cow<'a, [Req]>,
    pub days: Vec<Day>,
    /// Visits each outlet makes.
    pub outlet_visits: Vec<u32>,
    /// The technician serving each request, or [`NONE`].
    pub tech_of: Vec<u32>,
    /// Visits in each technician's day (its day's length, kept compact for fast scans).
    pub visits: Vec<u32>,
    /// The scenario's travel as great circles, when it is.
    fast: Option<Fast>,
}

impl<'a> Days<'a> {
    /// Empty days for every technician of the scenario.
    pub fn new(s: &'a Scenario, table: &'a TechTable, pricing: Pricing) -> Days<'a> {
        Days::with_reqs(
            s,
            table,
            pricing,
            Cow::Owned(s.requests().iter().map(|r| Req::new(s, r)).collect()),
        )
    }

    /// Empty days, with the requests' facts already worked out.
    pub fn with_reqs(
        s: &'a Scenario,
        table: &'a TechTable,
        pricing: Pricing,
        reqs: Cow<'a, [Req]>,
    ) -> Days<'a> {
        let n = reqs.len();
        Days {
            s,
            table,
            pricing,
            reqs,
            days: vec![Day::default(); s.technicians().len()],
            outlet_visits: vec![0; s.outlets().len()],
            tech_of: vec![NONE; n],
            visits: vec![0; s.technicians().len()],
            fast: match s.travel() {
                crate::travel::TravelSpec::GreatCircle(g) => Some(Fast {
                    km_per_radian: crate::spatial::EARTH_RADIUS_KM * g.detour_factor,
                    min_per_km: 60.0 / g.speed_kmh,
                }),
                _ => None,
            },
        }
    }

    /// Days for a part of the technicians: the same facts, `techs`' days
    /// copied, every other day empty (and not to be read).
    pub fn part(&self, techs: &[u32]) -> Days<'a> {
        let mut days = vec![Day::default(); self.days.len()];
        let mut visits = vec![0; self.days.len()];
        for &t in techs {
            days[t as usize].clone_from(&self.days[t as usize]);
            visits[t as usize] = self.visits[t as usize];
        }
        Days {
            s: self.s,
            table: self.table,
            pricing: self.pricing,
            reqs: self.reqs.clone(),
            days,
            outlet_visits: self.outlet_visits.clone(),
            tech_of: self.tech_of.clone(),
            visits,
            fast: self.fast,
        }
    }

    fn xyz(&self, n: Node) -> [f64; 3] {
        match n {
            Node::Req(i) => self.reqs[i as usize].xyz,
            Node::Start(t) => self.table.start_xyz[t as usize],
            Node::Base(t) => self.table.base_xyz[t as usize],
        }
    }

    fn point(&self, n: Node) -> Point<f64> {
        match n {
            Node::Req(i) => self.reqs[i as usize].point,
            Node::Start(t) => self.table.start[t as usize],
            Node::Base(t) => self.table.base[t as usize],
        }
    }

    /// The leg between two nodes: the travel model's, computed on unit
    /// vectors when travel is by great circle (the same distance as
    /// [`great_circle_km`](crate::spatial::great_circle_km) up to rounding).
    #[inline]
    fn leg(&self, a: Node, b: Node) -> Leg {
        match self.fast {
            Some(f) => {
                let (p, q) = (self.xyz(a), self.xyz(b));
                let d2 = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
                let km = f.km_per_radian * 2.0 * asin(0.5 * d2.sqrt());
                Leg {
                    km,
                    minutes: km * f.min_per_km,
                }
            }
            None => self.s.travel().leg(self.point(a), self.point(b)),
        }
    }

    /// The road km between technician `t`'s base and request `i`.
    #[inline]
    pub fn reach_km(&self, t: usize, i: usize) -> f64 {
        self.leg(Node::Base(t as u32), Node::Req(i as u32)).km
    }

    /// Whether technician `t`'s outlet has a visit left.
    #[inline]
    pub fn outlet_has_room(&self, t: usize) -> bool {
        let o = self.table.outlet[t];
        self.outlet_visits[o] < self.s.outlets()[o].daily_capacity
    }

    /// Minutes on site of technician `t` at request `i` (as
    /// [`TechTable::service_min`], from the minutes worked out once).
    #[inline]
    pub fn service_min(&self, t: usize, i: usize) -> f64 {
        let req = &self.reqs[i];
        let table = self.table;
        let factor = &self.s.catalog().level_time_factor;
        req.needs
            .cats
            .iter()
            .zip(&req.base_min)
            .map(|(&c, &m)| m * factor[usize::from(table.levels[t * table.ncat + c]) - 1])
            .sum()
    }

    /// What a visit of technician `t` to request `i` costs apart from the
    /// driving: the fee, the minutes on site, the surcharge (what any place
    /// for it costs at least).
    #[inline]
    pub fn fixed_cost(&self, t: usize, i: usize, service: f64) -> f64 {
        let tariff = &self.s.outlets()[self.table.outlet[t]].tariff;
        tariff.per_visit
            + tariff.per_minute * service
            + self.table.surcharge(self.s, t, self.reqs[i].needs.region)
    }

    #[inline]
    fn response(&self, i: usize, start: f64) -> f64 {
        let r = &self.reqs[i];
        self.pricing.response_cost_per_min * r.weight * (start - r.window_start).max(0.0)
    }

    /// The penalty of leaving request `i` out.
    #[inline]
    pub fn penalty(&self, i: usize) -> f64 {
        self.pricing.unassigned_penalty * self.reqs[i].weight
    }

    /// The node before position `pos` of technician `t`'s day (its start for 0).
    #[inline]
    fn node_before(&self, t: usize, pos: usize) -> Node {
        if pos == 0 {
            Node::Start(t as u32)
        } else {
            Node::Req(self.days[t].stops[pos - 1])
        }
    }

    /// The node at position `pos` of technician `t`'s day (its base past the end).
    #[inline]
    fn node_at(&self, t: usize, pos: usize) -> Node {
        let day = &self.days[t];
        if pos == day.stops.len() {
            Node::Base(t as u32)
        } else {
            Node::Req(day.stops[pos])
        }
    }

    /// Request `i` (with `service` minutes on site) at position `pos` of
    /// technician `t`'s day, if the day stays feasible (the outlet's room is
    /// not looked at), with the leg into the request given, the leg out of
    /// it worked out only when the window is met, and the visit's fixed cost
    /// given.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn place_with(
        &self,
        t: usize,
        i: usize,
        service: f64,
        pos: usize,
        into: Leg,
        out: impl FnOnce() -> Leg,
        fixed: f64,
    ) -> Option<Place> {
        let day = &self.days[t];
        let req = &self.reqs[i];
        let n = day.stops.len();
        let leave = if pos == 0 {
            self.table.shift_start[t]
        } else {
            let p = &day.sched[pos - 1];
            p.start + p.service
        };
        let job = req.job(service);
        let tm = timing::visit(leave, into.minutes, &job)?;
        let out = out();
        let arrive_next = tm.depart_min + out.minutes;
        let (skip, mut response) = if pos == n {
            if !timing::in_shift(arrive_next, self.table.shift_end[t]) {
                return None;
            }
            (day.back, 0.0)
        } else {
            let next = &day.sched[pos];
            if arrive_next > next.latest + timing::EPS {
                return None;
            }
            // Later visits start later: their response grows.
            let mut r = 0.0;
            if self.pricing.response_cost_per_min > 0.0 {
                let mut arrive = arrive_next;
                for k in pos..n {
                    let x = &day.sched[k];
                    let start = arrive.max(self.reqs[day.stops[k] as usize].window_start);
                    let push = start - x.start;
                    if push <= 0.0 {
                        break;
                    }
                    r += self.response(day.stops[k] as usize, start)
                        - self.response(day.stops[k] as usize, x.start);
                    if k + 1 < n {
                        arrive = start + x.service + day.sched[k + 1].leg.minutes;
                    }
                }
            }
            (next.leg, r)
        };
        response += self.response(i, tm.start_min);
        let tariff = &self.s.outlets()[self.table.outlet[t]].tariff;
        let extra_min = into.minutes + out.minutes - skip.minutes;
        let extra_km = into.km + out.km - skip.km;
        Some(Place {
            pos,
            delta: fixed + tariff.per_minute * extra_min + tariff.per_km * extra_km + response,
            extra_min,
            extra_km,
        })
    }

    /// The cheapest feasible place for request `i` (with `service` minutes
    /// on site) in technician `t`'s day among the positions `skip` does not
    /// skip, or `None`; the outlet's room is not looked at. Each leg between
    /// the request and a point of the day is worked out once (once for both
    /// ways under great circles).
    pub fn cheapest_place(
        &self,
        t: usize,
        i: usize,
        service: f64,
        mut skip: impl FnMut() -> bool,
    ) -> Option<Place> {
        const CACHED: usize = 32;
        let n = self.days[t].stops.len();
        let me = Node::Req(i as u32);
        let fixed = self.fixed_cost(t, i, service);
        let node = |k: usize| -> Node {
            if k == 0 {
                Node::Start(t as u32)
            } else if k == n + 1 {
                Node::Base(t as u32)
            } else {
                Node::Req(self.days[t].stops[k - 1])
            }
        };
        let symmetric = self.fast.is_some() && n + 2 <= CACHED;
        let mut cache = [Leg::default(); CACHED];
        let mut have = [false; CACHED];
        let mut leg_with = |k: usize, inbound: bool| -> Leg {
            if symmetric {
                if !have[k] {
                    cache[k] = self.leg(node(k), me);
                    have[k] = true;
                }
                cache[k]
            } else if inbound {
                self.leg(node(k), me)
            } else {
                self.leg(me, node(k))
            }
        };
        let mut best: Option<Place> = None;
        for pos in 0..=n {
            if skip() {
                continue;
            }
            let into = leg_with(pos, true);
            let out = leg_with(pos + 1, false);
            if let Some(p) = self.place_with(t, i, service, pos, into, || out, fixed)
                && best.is_none_or(|b| p.better_than(&b))
            {
                best = Some(p);
            }
        }
        best
    }

    /// The cheapest feasible place for request `i` in technician `t`'s day
    /// (see [`Place::better_than`]), `None` when there is none or the
    /// outlet has no visit left.
    pub fn best_place(&self, t: usize, i: usize) -> Option<(Place, f64)> {
        if !self.outlet_has_room(t) {
            return None;
        }
        let service = self.service_min(t, i);
        self.cheapest_place(t, i, service, || false)
            .map(|p| (p, service))
    }

    /// Puts request `i` into technician `t`'s day at `pos`; returns what the objective grew by.
    pub fn insert(&mut self, t: usize, i: usize, pos: usize) -> f64 {
        let service = self.service_min(t, i);
        let before = self.days[t].cost;
        let me = Node::Req(i as u32);
        let into = self.leg(self.node_before(t, pos), me);
        let out = self.leg(me, self.node_at(t, pos));
        let day = &mut self.days[t];
        day.stops.insert(pos, i as u32);
        let blank = Sched {
            leg: into,
            service,
            arrive: 0.0,
            start: 0.0,
            latest: 0.0,
        };
        day.sched.insert(pos, blank);
        if pos + 1 < day.stops.len() {
            day.sched[pos + 1].leg = out;
        } else {
            day.back = out;
        }
        self.outlet_visits[self.table.outlet[t]] += 1;
        self.visits[t] += 1;
        self.tech_of[i] = t as u32;
        self.retime(t);
        self.days[t].cost - before
    }

    /// Takes request `i` out of its technician's day; returns what the
    /// objective grew by (usually a negative number), 0 when it was not in one.
    pub fn remove(&mut self, i: usize) -> f64 {
        let t = self.tech_of[i];
        if t == NONE {
            return 0.0;
        }
        let t = t as usize;
        let Some(pos) = self.days[t].stops.iter().position(|&x| x as usize == i) else {
            return 0.0;
        };
        self.remove_at(t, pos)
    }

    /// Takes the visit at `pos` out of technician `t`'s day.
    pub fn remove_at(&mut self, t: usize, pos: usize) -> f64 {
        let before = self.days[t].cost;
        let i = self.days[t].stops[pos] as usize;
        let prev = self.node_before(t, pos);
        let day = &mut self.days[t];
        day.stops.remove(pos);
        day.sched.remove(pos);
        if day.stops.is_empty() {
            day.back = ZERO;
        } else {
            let next = self.node_at(t, pos);
            let leg = self.leg(prev, next);
            let day = &mut self.days[t];
            if pos < day.stops.len() {
                day.sched[pos].leg = leg;
            } else {
                day.back = leg;
            }
        }
        self.outlet_visits[self.table.outlet[t]] -= 1;
        self.visits[t] -= 1;
        self.tech_of[i] = NONE;
        self.retime(t);
        self.days[t].cost - before
    }

    /// Puts back a day as it was (from an undo log), keeping the outlets'
    /// visits in step; the requests' technicians are the caller's.
    pub fn restore_day(&mut self, t: usize, day: Day) {
        let o = self.table.outlet[t];
        let (now, was) = (self.days[t].stops.len(), day.stops.len());
        self.outlet_visits[o] = self.outlet_visits[o] + was as u32 - now as u32;
        self.visits[t] = was as u32;
        self.days[t] = day;
    }

    /// Recomputes technician `t`'s schedule, latest starts and cost from its legs.
    pub fn retime(&mut self, t: usize) {
        let tariff = self.s.outlets()[self.table.outlet[t]].tariff;
        let (shift_start, shift_end) = (self.table.shift_start[t], self.table.shift_end[t]);
        let mut day = std::mem::take(&mut self.days[t]);
        let mut time = shift_start;
        let mut cost = tariff.per_minute * day.back.minutes + tariff.per_km * day.back.km;
        for (k, &i) in day.stops.iter().enumerate() {
            let i = i as usize;
            let x = &mut day.sched[k];
            let req = &self.reqs[i];
            // A feasible day keeps every window; an infeasible one (only with a
            // travel model that breaks the triangle inequality) still gets
            // times, as though its window stayed open.
            let job = req.job(x.service);
            let open = Job {
                window_end_min: f64::INFINITY,
                ..job
            };
            let tm = timing::visit(time, x.leg.minutes, &job)
                .or_else(|| timing::visit(time, x.leg.minutes, &open))
                .expect("a window open to the end is met");
            (x.arrive, x.start) = (tm.arrive_min, tm.start_min);
            time = tm.depart_min;
            cost += self.fixed_cost(t, i, x.service)
                + tariff.per_minute * x.leg.minutes
                + tariff.per_km * x.leg.km
                + self.response(i, x.start);
        }
        let mut limit = shift_end - day.back.minutes;
        for k in (0..day.stops.len()).rev() {
            let x = &mut day.sched[k];
            x.latest = timing::latest_start(
                self.reqs[day.stops[k] as usize].window_end,
                x.service,
                limit,
            );
            limit = x.latest - x.leg.minutes;
        }
        day.cost = cost;
        self.days[t] = day;
    }

    /// The objective: every day's cost, and the penalty of every request
    /// left out for which `servable` holds.
    pub fn objective(&self, servable: impl Fn(usize) -> bool) -> f64 {
        let days: f64 = self.days.iter().map(|d| d.cost).sum();
        let left: f64 = (0..self.reqs.len())
            .filter(|&i| self.tech_of[i] == NONE && servable(i))
            .map(|i| self.penalty(i))
            .sum();
        days + left
    }

    /// The routes of the days, in ascending technician id, timed by the
    /// travel model; a visit a route cannot keep (never with a travel model
    /// that keeps the triangle inequality) is left out and returned.
    pub fn routes(&self) -> (Vec<Route>, Vec<u32>) {
        let s = self.s;
        let mut techs: Vec<usize> = (0..self.days.len())
            .filter(|&t| !self.days[t].stops.is_empty())
            .collect();
        techs.sort_by_key(|&t| s.technicians()[t].id);
        let mut routes = Vec::with_capacity(techs.len());
        let mut dropped = Vec::new();
        for t in techs {
            let day = &self.days[t];
            let mut stops: Vec<(u32, f64)> = day
                .stops
                .iter()
                .zip(&day.sched)
                .map(|(&i, x)| (i, x.service))
                .collect();
            loop {
                let visits: Vec<_> = stops
                    .iter()
                    .map(|&(i, service)| {
                        let r = &s.requests()[i as usize];
                        (r.id, r.location, self.reqs[i as usize].job(service))
                    })
                    .collect();
                match timed_route(s, t, &visits) {
                    Ok(route) => {
                        routes.push(route);
                        break;
                    }
                    Err(k) => dropped.push(stops.remove(k).0),
                }
            }
        }
        (routes, dropped)
    }

    /// The plan of the days: routes, visits, and `unassigned` (which must
    /// hold every request not in a day).
    pub fn plan(&self, strategy: &str, mut unassigned: Vec<Unassigned>) -> Plan {
        let (routes, dropped) = self.routes();
        unassigned.extend(dropped.into_iter().map(|i| Unassigned {
            request: self.s.requests()[i as usize].id,
            reason: super::UnassignedReason::WindowMissed,
        }));
        Plan::from_routes(self.s, strategy, routes, unassigned)
    }
}

#[cfg(test)]
mod tests {
    use super::asin;

    #[test]
    fn the_series_asin_matches_the_library_to_rounding() {
        for k in 0..=2000 {
            let x = k as f64 / 2000.0 * 0.15;
            let (a, b) = (asin(x), x.asin());
            assert!((a - b).abs() <= 4e-16 * b.max(1e-300), "x {x}: {a} vs {b}");
        }
    }
}
