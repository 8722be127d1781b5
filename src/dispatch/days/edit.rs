//! Changing a day: a request put in or taken out, a day put back from an
//! undo log, and the schedule, latest starts and cost worked out again.

use super::day::{Day, Sched};
use super::legs::Node;
use super::{Days, NONE};
use crate::route::{Job, timing};
use crate::travel::Leg;

const ZERO: Leg = Leg {
    km: 0.0,
    minutes: 0.0,
};

impl Days<'_> {
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
        self.outlet_visits[self.table.outlet(t)] += 1;
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
        self.outlet_visits[self.table.outlet(t)] -= 1;
        self.visits[t] -= 1;
        self.tech_of[i] = NONE;
        self.retime(t);
        self.days[t].cost - before
    }

    /// Puts back a day as it was (from an undo log), keeping the outlets'
    /// visits in step; the requests' technicians are the caller's.
    pub fn restore_day(&mut self, t: usize, day: Day) {
        let o = self.table.outlet(t);
        let (now, was) = (self.days[t].stops.len(), day.stops.len());
        self.outlet_visits[o] = self.outlet_visits[o] + was as u32 - now as u32;
        self.visits[t] = was as u32;
        self.days[t] = day;
    }

    /// Recomputes technician `t`'s schedule, latest starts and cost from its legs.
    pub fn retime(&mut self, t: usize) {
        let tariff = self.s.outlets()[self.table.outlet(t)].tariff;
        let (shift_start, shift_end) = (self.table.shift_start(t), self.table.shift_end(t));
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
}
