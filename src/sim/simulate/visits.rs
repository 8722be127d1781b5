//! A round's plan carried out: visits driven as routed, failed visits back as
//! repeats, and the drive home at the end of the day.

use super::run::Run;
use super::tally::kinds;
use crate::dispatch::Plan;
use crate::model::*;
use crate::travel::TravelModel;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

impl Run<'_> {
    /// Carries out a round's plan, route by route: each technician drives
    /// its route as timed in the plan (arrival, start and departure of every
    /// visit), is then busy until it leaves its last visit and is there
    /// when the next round begins. A visit's km are the leg into it, its
    /// cost the outlet's tariff of its minutes on site plus that leg's
    /// minutes, and that leg's km: the way back to the base is driven once,
    /// at the end of the day ([`Run::drive_home`]). Some visits fail and
    /// come back as repeats; what the plan leaves stays in the backlog.
    pub(super) fn apply(&mut self, round: &Scenario, plan: &Plan) {
        let net = &self.setup.network;
        let policy = net.policy();
        let position: HashMap<RequestId, usize> = self
            .backlog
            .iter()
            .enumerate()
            .map(|(i, j)| (j.request.id, i))
            .collect();
        let mut done = vec![false; self.backlog.len()];
        for route in &plan.routes {
            let (Some(t), Some(tech), Some(o)) = (
                net.technician_index(route.technician),
                round.technician(route.technician),
                net.outlet_index(route.outlet),
            ) else {
                continue;
            };
            let outlet = &net.outlets()[o];
            let kind = outlet.kind.index();
            for stop in &route.stops {
                let Some(&i) = position.get(&stop.request) else {
                    continue;
                };
                if done[i] {
                    continue;
                }
                done[i] = true;
                let job = &self.backlog[i];
                let service_min = stop.depart_min - stop.start_min;
                let cost = outlet.tariff.cost(service_min + stop.leg_min, stop.leg_km);
                self.busy_until[t] = stop.depart_min;
                self.at[t] = Some(job.request.location);
                self.visits_used[o] += 1;

                let level = job
                    .request
                    .categories
                    .iter()
                    .filter_map(|&c| tech.level(c))
                    .min()
                    .unwrap_or(SkillLevel::Basic);
                let fixed =
                    self.unit(job.request.id) < self.setup.triage.first_time_fix[level.index()];
                let k = &mut self.kpis;
                k.visits += 1;
                k.total_cost += cost;
                k.travel_km += stop.leg_km;
                let by = kinds(&mut k.by_kind);
                by[kind].visits += 1;
                by[kind].cost += cost;
                by[kind].travel_km += stop.leg_km;
                self.worked_by_kind[kind] += service_min + stop.leg_min;
                if job.repeat {
                    k.repeat_visits += 1;
                } else {
                    let first = &mut self.first_arrival[job.original];
                    *first = Some(first.map_or(stop.arrive_min, |f: f64| f.min(stop.arrive_min)));
                }
                if policy.escalated(job.request.difficulty) {
                    k.escalated_visits += 1;
                }
                if fixed {
                    self.parts_left[job.original] -= 1;
                    let cats = job.request.categories.len();
                    if cats > 1 {
                        k.one_stop_visits += 1;
                        k.visits_saved += cats - 1;
                    }
                } else {
                    let mut repeat = job.clone();
                    repeat.repeat = true;
                    repeat.request.id = RequestId(self.next_id);
                    self.next_id += 1;
                    // One level above the technician who failed (the difficulty that level needs).
                    let above = match level {
                        SkillLevel::Basic => 3,
                        SkillLevel::Advanced | SkillLevel::Expert => 5,
                    };
                    repeat.request.difficulty = repeat.request.difficulty.max(above);
                    repeat.request.received_min = stop.depart_min.ceil() as u32;
                    repeat.earliest = (repeat.request.received_min + 60).div_ceil(60) * 60;
                    self.repeats.push(repeat);
                }
            }
        }
        for u in &plan.unassigned {
            self.last_reason.insert(u.request, u.reason.as_str());
        }
        let mut i = 0;
        self.backlog.retain(|_| {
            i += 1;
            !done[i - 1]
        });
    }

    /// The end of a day: every technician who left its base drives back
    /// from its last visit, once. The leg counts in the km, in the cost at
    /// the outlet's tariff (per minute and per km, no visit fee) and in the
    /// minutes worked.
    pub(super) fn drive_home(&mut self) {
        let net = &self.setup.network;
        for (t, tech) in net.technicians().iter().enumerate() {
            let Some(at) = self.at[t].take() else {
                continue;
            };
            let Some(outlet) = net.outlet(tech.outlet) else {
                continue;
            };
            let leg = net.travel().leg(at, net.technician_base(tech));
            let cost = outlet.tariff.per_minute * leg.minutes + outlet.tariff.per_km * leg.km;
            let kind = outlet.kind.index();
            let k = &mut self.kpis;
            k.total_cost += cost;
            k.travel_km += leg.km;
            let by = kinds(&mut k.by_kind);
            by[kind].cost += cost;
            by[kind].travel_km += leg.km;
            self.worked_by_kind[kind] += leg.minutes;
        }
    }

    /// A draw of chance for a visit, the same for the same visit under every strategy.
    pub(super) fn unit(&self, id: RequestId) -> f64 {
        let key = self.seed ^ u64::from(id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        ChaCha8Rng::seed_from_u64(key).random::<f64>()
    }
}
