//! The KPIs counted at the end of a run, and the requests it leaves open.

use super::DAY;
use super::run::Run;
use crate::sim::kpi::{BacklogEntry, KindKpis, kind_name};
use std::collections::HashMap;

impl Run<'_> {
    /// The KPIs at the end, and the requests still open with their age.
    pub(super) fn finish(&mut self, name: &str) -> Vec<BacklogEntry> {
        let end = f64::from(self.days * DAY);
        let setup = self.setup;
        let mut open_reason: HashMap<usize, &'static str> = HashMap::new();
        for j in &self.repeats {
            open_reason.insert(j.original, "awaiting_repeat_visit");
        }
        for j in self.backlog.iter().chain(&setup.jobs[self.next_job..]) {
            let reason = if j.repeat {
                "awaiting_repeat_visit"
            } else {
                self.last_reason
                    .get(&j.request.id)
                    .copied()
                    .unwrap_or("not_dispatched_yet")
            };
            open_reason.entry(j.original).or_insert(reason);
        }
        let k = &mut self.kpis;
        k.strategy = name.to_string();
        k.requests_total = setup.originals.len();
        k.coordinated_requests = setup.coordinated;
        let mut backlog = Vec::new();
        let (mut hits, mut misses) = (0usize, 0usize);
        let mut response = Vec::new();
        for (i, o) in setup.originals.iter().enumerate() {
            if o.phone {
                k.resolved_by_phone += 1;
                continue;
            }
            if self.parts_left[i] == 0 {
                k.served += 1;
            } else {
                let reason = open_reason
                    .get(&i)
                    .copied()
                    .unwrap_or("awaiting_repeat_visit");
                *k.unassigned_by_reason
                    .entry(reason.to_string())
                    .or_default() += 1;
                backlog.push(BacklogEntry {
                    request: o.id,
                    age_h: (end - f64::from(o.received)) / 60.0,
                    reason: reason.to_string(),
                });
            }
            match self.first_arrival[i] {
                Some(at) => {
                    response.push((at - f64::from(o.received)) / 60.0);
                    if at <= o.deadline {
                        hits += 1;
                    } else {
                        misses += 1;
                    }
                }
                None if end > o.deadline => misses += 1,
                None => {}
            }
        }
        k.backlog = backlog.len();
        k.sla_hit_rate = ratio(hits as f64, (hits + misses) as f64);
        response.sort_by(f64::total_cmp);
        k.response_mean_h = ratio(response.iter().sum(), response.len() as f64);
        k.response_p95_h = response
            .get((response.len() * 95).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or(0.0);
        k.travel_km_per_visit = ratio(k.travel_km, k.visits as f64);
        k.cost_per_visit = ratio(k.total_cost, k.visits as f64);
        for (i, b) in kinds(&mut k.by_kind).iter_mut().enumerate() {
            b.share = ratio(b.visits as f64, k.visits as f64);
            b.utilisation = ratio(self.worked_by_kind[i], self.offered_by_kind[i]);
        }
        backlog
    }
}

/// The KPIs per outlet kind, one entry per kind once there is any.
pub(super) fn kinds(by_kind: &mut Vec<KindKpis>) -> &mut [KindKpis] {
    if by_kind.is_empty() {
        *by_kind = (0..3)
            .map(|i| KindKpis {
                kind: kind_name(i),
                ..KindKpis::default()
            })
            .collect();
    }
    by_kind
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}
