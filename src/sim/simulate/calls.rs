//! The calls of a simulation: how many a day, drawn through the day,
//! triaged, and split into the jobs every strategy dispatches.

use super::{DAY, Simulation};
use crate::dispatch::split_one_stop;
use crate::error::Result;
use crate::model::*;
use crate::sim::Triage;
use crate::sim::generate::{DemandMix, cumulative_weights, pick_index};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Calls by hour of the day: the call center answers 7×24, most calls come by day.
const HOURS: [f64; 24] = [
    0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 1.0, 3.0, 7.0, 9.0, 10.0, 9.0, 7.0, 8.0, 9.0, 8.0, 7.0, 6.0, 5.0,
    4.0, 3.0, 2.0, 1.0, 0.6,
];

/// Calls by day of the week, Monday first: more at the weekend.
const WEEKDAYS: [f64; 7] = [1.0, 0.95, 0.95, 1.0, 1.05, 1.25, 1.2];

impl Simulation {
    /// The calls of every day, as drawn (more at the weekend).
    fn day_calls(&self, day: u32) -> usize {
        (self.generator.requests as f64 * WEEKDAYS[day as usize % 7]).round() as usize
    }

    /// The calls of the whole simulation.
    pub(super) fn calls(&self) -> u64 {
        (0..self.days.min(7))
            .map(|d| {
                let weeks = (self.days - d).div_ceil(7);
                (self.day_calls(d) as u64).saturating_mul(u64::from(weeks))
            })
            .fold(0u64, u64::saturating_add)
    }

    pub(super) fn setup(&self) -> Result<Setup> {
        let generator = self.generator.clone().policy(self.config.policy.clone());
        let area = generator.area()?;
        let mut data = generator.build()?.into_data();
        data.requests.clear();
        let network = Scenario::new(data)?;

        // The calls, day by day.
        let mut rng = ChaCha8Rng::seed_from_u64(self.generator.seed ^ 0x0CA1_1CE7_7E55_0001);
        let geography = Geography {
            regions: network.regions().to_vec(),
            cities: network.cities().to_vec(),
        };
        let mix = DemandMix::new(&geography, &area, self.generator.month);
        let hours = cumulative_weights(HOURS);
        let mut calls = Vec::new();
        for d in 0..self.days {
            let n = self.day_calls(d);
            for _ in 0..n {
                let id = calls.len() as u32 + 1;
                calls.push(mix.draw(id, &mut rng, |rng| {
                    let hour = pick_index(&hours, rng) as u32;
                    let received = d * DAY + hour * 60 + rng.random_range(0..60);
                    let earliest = (received + 60).div_ceil(60) * 60;
                    (
                        received,
                        TimeWindow {
                            start_min: earliest,
                            end_min: earliest,
                        },
                    )
                }));
            }
        }
        calls.sort_by_key(|r| (r.received_min, r.id));

        // Triage: by phone, or dispatched as one-stop or coordinated visits.
        let triage = &self.config.triage;
        let mut phone = vec![false; calls.len()];
        for (i, r) in calls.iter().enumerate() {
            phone[i] = rng.random::<f64>() < triage.remote_probability(r);
        }
        let mut originals = Vec::with_capacity(calls.len());
        let mut index_of: HashMap<RequestId, usize> = HashMap::new();
        let mut dispatched = Vec::new();
        for (i, r) in calls.iter().enumerate() {
            let level = network
                .city(r.city)
                .map_or(AdminLevel::County, |c| c.admin_level);
            originals.push(Original {
                id: r.id,
                received: r.received_min,
                deadline: f64::from(r.received_min) + triage.sla_minutes(level),
                phone: phone[i],
            });
            index_of.insert(r.id, i);
            if !phone[i] {
                let mut any_time = r.clone();
                any_time.window = TimeWindow {
                    start_min: 0,
                    end_min: limits::MAX_MINUTE,
                };
                dispatched.push(any_time);
            }
        }
        let mut data = network.data().clone();
        data.requests = dispatched;
        let split = split_one_stop(&Scenario::new(data)?)?;
        let mut parent: HashMap<RequestId, RequestId> = HashMap::new();
        for c in &split.coordinated {
            for &p in &c.parts {
                parent.insert(p, c.request);
            }
        }
        let mut jobs: Vec<Job> = split
            .scenario
            .requests()
            .iter()
            .map(|r| {
                let original = index_of[parent.get(&r.id).unwrap_or(&r.id)];
                let call = &calls[original];
                let mut request = r.clone();
                request.window = call.window;
                Job {
                    original,
                    earliest: call.window.start_min,
                    repeat: false,
                    request,
                }
            })
            .collect();
        jobs.sort_by_key(|j| (j.request.received_min, j.request.id));
        let mut parts = vec![0u32; calls.len()];
        for j in &jobs {
            parts[j.original] += 1;
        }
        Ok(Setup {
            network,
            originals,
            parts,
            jobs,
            coordinated: split.coordinated.len(),
            first_free_id: split
                .scenario
                .requests()
                .iter()
                .map(|r| r.id.0)
                .max()
                .unwrap_or(0)
                + 1,
            triage: triage.clone(),
        })
    }
}

/// A request as the call center took it.
pub(super) struct Original {
    pub(super) id: RequestId,
    pub(super) received: u32,
    pub(super) deadline: f64,
    pub(super) phone: bool,
}

/// A visit to make: a request, a part of a split one, or a repeat visit.
#[derive(Clone)]
pub(super) struct Job {
    pub(super) original: usize,
    pub(super) earliest: u32,
    pub(super) repeat: bool,
    pub(super) request: ServiceRequest,
}

pub(super) struct Setup {
    pub(super) network: Scenario,
    pub(super) originals: Vec<Original>,
    /// Visits each request needs before it is served (1, or its parts).
    pub(super) parts: Vec<u32>,
    pub(super) jobs: Vec<Job>,
    pub(super) coordinated: usize,
    pub(super) first_free_id: u32,
    pub(super) triage: Triage,
}
