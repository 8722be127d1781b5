//! Where one more request fits in a technician's day: a place and its
//! cost, the order of places, and the cheapest feasible place of a day.

use super::Days;
use super::legs::Node;
use crate::route::timing;
use crate::travel::Leg;

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

impl Days<'_> {
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
            self.table.shift_start(t)
        } else {
            let p = &day.sched[pos - 1];
            p.start + p.service
        };
        let job = req.job(service);
        let tm = timing::visit(leave, into.minutes, &job)?;
        let out = out();
        let arrive_next = tm.depart_min + out.minutes;
        let (skip, mut response) = if pos == n {
            if !timing::in_shift(arrive_next, self.table.shift_end(t)) {
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
                    let start =
                        timing::start(arrive, self.reqs[day.stops[k] as usize].window_start);
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
        let tariff = &self.s.outlets()[self.table.outlet(t)].tariff;
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
}
