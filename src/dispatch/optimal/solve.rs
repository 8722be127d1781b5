//! The dispatch of [`Optimal`]: candidates, the phases of search beside the
//! lower bound, crossings of a region settled, and the plan with its
//! objective, bound and gap.

use super::candidates::Candidates;
use super::search::{Part, Settings};
use super::{Optimal, bound};
use crate::dispatch::days::{Days, NONE, Req};
use crate::dispatch::eligibility::TechTable;
use crate::dispatch::region::settle;
use crate::dispatch::{DispatchStrategy, Plan, Unassigned, UnassignedReason};
use crate::error::Result;
use crate::model::{RegionRule, Scenario};
use rayon::prelude::*;
use std::borrow::Cow;
use std::time::{Duration, Instant};

impl DispatchStrategy for Optimal {
    fn name(&self) -> &str {
        "optimal"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.check()?;
        let started = Instant::now();
        let deadline = started + Duration::from_secs_f64(self.time_limit_s.min(1e9));
        let table = TechTable::new(s);
        let reqs: Vec<Req> = s.requests().par_iter().map(|r| Req::new(s, r)).collect();
        let limits = (self.sites, self.neighbours, self.max_km);
        let cand = Candidates::new(s, &table, &reqs, limits, deadline);
        // Requests the time limit left without a place: unreached while
        // building, or before their candidates were looked for.
        let mut late: Vec<bool> = cand.late.clone();
        let mut stopped = late.iter().any(|&x| x);
        let servable = cand.servable.iter().filter(|&&x| x).count();
        let mut days = Days::with_reqs(s, &table, self.pricing(), Cow::Borrowed(&reqs));
        let rule = s.policy().region;
        let home_only = rule == RegionRule::WhenNecessary;
        let steps = self.steps(servable);
        let phases = if servable > self.part_size { 2 } else { 1 };
        // The bound needs no plan: it is worked out beside the search.
        let ((bound, bound_stopped), (searched_stopped, unreached)) = rayon::join(
            || bound::lower_bound(self, s, &table, &reqs, &cand, deadline),
            || {
                let (mut any_stopped, mut unreached) = (false, Vec::new());
                for phase in 0..phases {
                    let share = match steps {
                        u64::MAX => u64::MAX,
                        _ => {
                            steps / phases as u64 + u64::from(phase == 0) * (steps % phases as u64)
                        }
                    };
                    // Against the clock, the phases share what is left of the time
                    // (keeping a tenth for the rest of the work).
                    let end = if self.anytime {
                        let left = deadline
                            .saturating_duration_since(Instant::now())
                            .mul_f64(0.9);
                        Instant::now() + left.div_f64(f64::from(phases - phase))
                    } else {
                        deadline
                    };
                    let (stop, left) = self.search_parts(
                        &mut days,
                        &cand,
                        phase,
                        share,
                        phase == 0,
                        home_only,
                        end,
                    );
                    any_stopped |= stop;
                    unreached.extend(left);
                }
                (any_stopped, unreached)
            },
        );
        stopped |= searched_stopped || bound_stopped;
        for i in unreached {
            late[i as usize] = true;
        }
        if home_only {
            // Requests its region cannot take may cross; then crossings that
            // a place at home has opened for go home.
            let all = vec![0u32; s.technicians().len()];
            let left: Vec<u32> = (0..reqs.len())
                .filter(|&i| cand.servable[i] && days.tech_of[i] == NONE && !late[i])
                .map(|i| i as u32)
                .collect();
            if !left.is_empty() {
                let settings = Settings {
                    steps: 0,
                    t_start: 1.0,
                    t_end: 1.0,
                    seed: self.seed,
                    home_only: false,
                    max_km: self.max_km,
                    deadline: Some(deadline),
                    slot: None,
                };
                let mut part = Part::new(days.clone(), &cand, &all, 0, left, settings);
                for i in part.construct() {
                    late[i as usize] = true;
                    stopped = true;
                }
                days = part.days;
            }
            settle(&mut days, s.policy().reach_km);
        }
        let unassigned: Vec<Unassigned> = (0..reqs.len())
            .filter(|&i| days.tech_of[i] == NONE)
            .map(|i| {
                let r = &s.requests()[i];
                Unassigned {
                    request: r.id,
                    reason: if late[i] {
                        UnassignedReason::TimeLimit
                    } else if cand.servable[i] {
                        UnassignedReason::CapacityExhausted
                    } else {
                        table.reason(s, r, &reqs[i].needs, self.max_km)
                    },
                }
            })
            .collect();
        // A request the time limit left out counts its penalty, as one that could be served.
        let objective = days.objective(|i| cand.servable[i] || late[i]);
        let mut plan = days.plan(self.name(), unassigned);
        plan.objective = Some(objective);
        if let Some(bound) = bound {
            let lower_bound = bound.min(objective);
            plan.lower_bound = Some(lower_bound);
            plan.gap = Some(((objective - lower_bound) / objective.abs().max(1.0)).max(0.0));
        }
        plan.time_limited = self.anytime || stopped;
        Ok(plan)
    }
}
