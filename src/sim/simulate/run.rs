//! One strategy's run through the days: the rounds of each day, the backlog
//! they dispatch, and the scenario of each round.

use super::DAY;
use super::calls::{Job, Setup};
use crate::dispatch::{DispatchStrategy, verify};
use crate::error::Result;
use crate::model::*;
use crate::sim::{BacklogEntry, StrategyKpis};
use geo::Point;
use std::collections::HashMap;
use std::time::Instant;

/// One strategy's run through the days.
pub(super) struct Run<'a> {
    pub(super) setup: &'a Setup,
    pub(super) seed: u64,
    pub(super) every: u32,
    pub(super) days: u32,
    /// Per technician: when it leaves its last visit of the day (or its shift starts).
    pub(super) busy_until: Vec<f64>,
    /// Per technician: where its last visit of the day was; `None` while at its base.
    pub(super) at: Vec<Option<Point<f64>>>,
    pub(super) visits_used: Vec<u32>,
    pub(super) backlog: Vec<Job>,
    pub(super) repeats: Vec<Job>,
    pub(super) next_job: usize,
    pub(super) next_id: u32,
    pub(super) first_arrival: Vec<Option<f64>>,
    pub(super) parts_left: Vec<u32>,
    pub(super) last_reason: HashMap<RequestId, &'static str>,
    pub(super) worked_by_kind: [f64; 3],
    pub(super) offered_by_kind: [f64; 3],
    pub(super) kpis: StrategyKpis,
}

impl<'a> Run<'a> {
    pub(super) fn new(setup: &'a Setup, seed: u64, every: u32, days: u32) -> Run<'a> {
        let n = setup.originals.len();
        Run {
            setup,
            seed,
            every,
            days,
            busy_until: vec![0.0; setup.network.technicians().len()],
            at: vec![None; setup.network.technicians().len()],
            visits_used: vec![0; setup.network.outlets().len()],
            backlog: Vec::new(),
            repeats: Vec::new(),
            next_job: 0,
            next_id: setup.first_free_id,
            first_arrival: vec![None; n],
            parts_left: setup.parts.clone(),
            last_reason: HashMap::new(),
            worked_by_kind: [0.0; 3],
            offered_by_kind: [0.0; 3],
            kpis: StrategyKpis::default(),
        }
    }

    pub(super) fn go(
        mut self,
        strategy: &dyn DispatchStrategy,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(StrategyKpis, Vec<BacklogEntry>, f64)> {
        let net = &self.setup.network;
        let per_day = DAY.div_ceil(self.every) as usize;
        let rounds = self.days as usize * per_day;
        let mut seconds = 0.0;
        for d in 0..self.days {
            for (t, tech) in net.technicians().iter().enumerate() {
                self.busy_until[t] = f64::from(d * DAY + tech.shift_start_min);
                let kind = net.outlet(tech.outlet).map_or(0, |o| o.kind.index());
                self.offered_by_kind[kind] += f64::from(tech.shift_minutes);
            }
            self.visits_used.iter_mut().for_each(|v| *v = 0);
            for k in 0..per_day {
                let now = d * DAY + k as u32 * self.every;
                self.arrive(now);
                if !self.backlog.is_empty()
                    && let Some(round) = self.round(d, now)?
                {
                    let t = Instant::now();
                    let plan = strategy.dispatch(&round)?;
                    seconds += t.elapsed().as_secs_f64();
                    self.kpis.violations += verify(&round, &plan).len();
                    self.kpis.rounds += 1;
                    self.apply(&round, &plan);
                }
                progress(d as usize * per_day + k + 1, rounds);
            }
            self.drive_home();
        }
        let backlog = self.finish(strategy.name());
        Ok((self.kpis, backlog, seconds))
    }

    /// Calls and repeat visits due by `now` join the backlog.
    fn arrive(&mut self, now: u32) {
        let jobs = &self.setup.jobs;
        while self.next_job < jobs.len() && jobs[self.next_job].request.received_min <= now {
            self.backlog.push(jobs[self.next_job].clone());
            self.next_job += 1;
        }
        let (due, later): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.repeats)
            .into_iter()
            .partition(|j| j.request.received_min <= now);
        self.repeats = later;
        self.backlog.extend(due);
        self.backlog
            .sort_by_key(|j| (j.request.received_min, j.request.id));
    }

    /// The round's scenario: who is still on shift today, from when (the
    /// round, or when it leaves its last visit if later) and from where (its
    /// last visit of the day, or its base when it has made none), the visits
    /// left per outlet, the backlog with today's windows and priorities aged
    /// by their deadline. `None` when nobody is on shift.
    fn round(&self, d: u32, now: u32) -> Result<Option<Scenario>> {
        let net = &self.setup.network;
        let mut data = ScenarioData {
            travel: net.travel().clone(),
            catalog: net.catalog().clone(),
            policy: net.policy().clone(),
            regions: net.regions().to_vec(),
            cities: net.cities().to_vec(),
            outlets: Vec::new(),
            technicians: Vec::new(),
            requests: Vec::new(),
        };
        for (o, outlet) in net.outlets().iter().enumerate() {
            if self.visits_used[o] < outlet.daily_capacity {
                let mut outlet = outlet.clone();
                outlet.daily_capacity -= self.visits_used[o];
                data.outlets.push(outlet);
            }
        }
        for (t, tech) in net.technicians().iter().enumerate() {
            let open = net
                .outlet_index(tech.outlet)
                .is_some_and(|o| self.visits_used[o] < net.outlets()[o].daily_capacity);
            let end = d * DAY + tech.shift_end_min();
            let start = self.busy_until[t].max(f64::from(now)).ceil() as u32;
            if open && start + 15 <= end {
                let mut tech = tech.clone();
                tech.shift_start_min = start;
                tech.shift_minutes = end - start;
                tech.start = self.at[t];
                data.technicians.push(tech);
            }
        }
        if data.technicians.is_empty() {
            return Ok(None);
        }
        let day_end = (d + 1) * DAY;
        for j in &self.backlog {
            let mut r = j.request.clone();
            r.window = TimeWindow {
                start_min: j.earliest,
                end_min: day_end.max(j.earliest),
            };
            let left = self.setup.originals[j.original].deadline - f64::from(now);
            r.priority = if left <= 0.0 {
                Priority::Urgent
            } else if left <= 720.0 {
                r.priority.max(Priority::High)
            } else {
                r.priority
            };
            data.requests.push(r);
        }
        Ok(Some(Scenario::new(data)?))
    }
}
