//! One phase of the search: the day cut into parts, each part built and
//! searched on its own thread, and the parts' days put back together.

use super::candidates::Candidates;
use super::search::{Part, Settings};
use super::{MAX_PARTS, Optimal, T_END, T_START, partition};
use crate::dispatch::days::{Days, NONE};
use rayon::prelude::*;
use std::time::{Duration, Instant};

impl Optimal {
    /// Searches `days` part by part, in parallel, with `steps` steps in all.
    /// Returns whether the deadline stopped any part, and the requests it
    /// came before while building.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn search_parts<'a>(
        &self,
        days: &mut Days<'a>,
        cand: &Candidates,
        phase: u32,
        steps: u64,
        construct: bool,
        home_only: bool,
        deadline: Instant,
    ) -> (bool, Vec<u32>) {
        if Instant::now() >= deadline {
            let left = if construct {
                (0..days.reqs.len() as u32)
                    .filter(|&i| cand.servable[i as usize] && days.tech_of[i as usize] == NONE)
                    .collect()
            } else {
                Vec::new()
            };
            return (true, left);
        }
        // At most about MAX_PARTS parts: a part's setting up costs a pass over every technician.
        let size = self.part_size.max(days.reqs.len().div_ceil(MAX_PARTS));
        let cut = partition::cut(days, cand, size, phase);
        let total: usize = cut.requests.iter().map(Vec::len).sum();
        let scale = |n: usize| {
            if total == 0 {
                0
            } else {
                ((steps as f64) * n as f64 / total as f64).round() as u64
            }
        };
        let base: &Days<'a> = days;
        // Against the clock, each part's share of the phase's time on the
        // threads (parts wait their turn on a thread).
        let threads = rayon::current_num_threads() as f64;
        let phase_s = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let slot = |n: usize| {
            self.anytime.then(|| {
                Duration::from_secs_f64(
                    (phase_s * threads * n as f64 / total.max(1) as f64).min(phase_s),
                )
            })
        };
        // Per part: each of its technicians with its day's requests.
        let results: Vec<PartResult> = cut
            .requests
            .par_iter()
            .enumerate()
            .map(|(p, requests)| {
                let settings = Settings {
                    steps: scale(requests.len()),
                    t_start: T_START,
                    t_end: T_END,
                    seed: self.seed
                        ^ (u64::from(phase) << 32)
                        ^ (p as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    home_only,
                    max_km: self.max_km,
                    deadline: Some(deadline),
                    slot: slot(requests.len()),
                };
                let techs: Vec<u32> = (0..cut.part_of.len() as u32)
                    .filter(|&t| cut.part_of[t as usize] == p as u32)
                    .collect();
                let mut part = Part::new(
                    base.part(&techs),
                    cand,
                    &cut.part_of,
                    p as u32,
                    requests.clone(),
                    settings,
                );
                let unreached = if construct {
                    part.construct()
                } else {
                    Vec::new()
                };
                let stopped = part.search() || !unreached.is_empty();
                let routes: Vec<(u32, Vec<u32>)> = (0..part.days.days.len())
                    .filter(|&t| cut.part_of[t] == p as u32)
                    .map(|t| (t as u32, part.days.days[t].stops.clone()))
                    .collect();
                PartResult {
                    routes,
                    stopped,
                    unreached,
                }
            })
            .collect();
        let stopped = results.iter().any(|r| r.stopped);
        let unreached: Vec<u32> = results
            .iter()
            .flat_map(|r| r.unreached.iter().copied())
            .collect();
        // Every part's days are emptied before any is filled: a request may
        // have moved between two technicians of one part.
        for r in &results {
            for (t, _) in &r.routes {
                let t = *t as usize;
                while !days.days[t].stops.is_empty() {
                    let pos = days.days[t].stops.len() - 1;
                    days.remove_at(t, pos);
                }
            }
        }
        for r in results {
            for (t, stops) in r.routes {
                for (pos, &i) in stops.iter().enumerate() {
                    days.insert(t as usize, i as usize, pos);
                }
            }
        }
        (stopped, unreached)
    }
}

/// What the search of one part gives back.
struct PartResult {
    /// Each technician of the part with its day's requests.
    routes: Vec<(u32, Vec<u32>)>,
    /// The deadline stopped the part's work.
    stopped: bool,
    /// The requests the deadline came before while building.
    unreached: Vec<u32>,
}
