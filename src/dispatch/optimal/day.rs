//! The day as an assignment problem: candidates per request, edges, capacities.

use super::Optimal;
use crate::assign::{AssignmentProblem, Edge};
use crate::dispatch::nearest::reason;
use crate::dispatch::table::{TechTable, Visit};
use crate::dispatch::{Plan, UnassignedReason};
use crate::error::Result;
use crate::model::{Scenario, ServiceRequest};
use crate::travel::TravelModel;
use rayon::prelude::*;

const EPS: f64 = 1e-9;

/// A request's candidates, or why nobody could serve it.
type Found = std::result::Result<Vec<(usize, Visit)>, UnassignedReason>;

/// The assignment problem of a day, and how its tasks map to requests.
pub(super) struct DayModel {
    pub problem: AssignmentProblem,
    /// The task of each request, if some technician could serve it.
    pub task_of: Vec<Option<u32>>,
    /// Why each request that is no task cannot be served.
    pub reason_of: Vec<Option<UnassignedReason>>,
    /// Nearest's plan as an assignment of the problem: a start for the solver.
    pub baseline: Vec<Option<u32>>,
}

pub(super) use crate::dispatch::table::dense_categories;

impl Optimal {
    pub(super) fn fits_slot(&self, v: &Visit) -> bool {
        self.slot_min.is_none_or(|q| v.working_min() <= q + EPS)
    }

    /// Every request's candidates, in the scenario's order (in parallel).
    pub(super) fn candidates_of_day(&self, s: &Scenario, table: &TechTable) -> Vec<Found> {
        s.requests()
            .par_iter()
            .map_init(Vec::new, |cats, r| {
                dense_categories(s, r, cats);
                let level = r.required_level();
                let mut out = Vec::new();
                self.candidates(s, table, r, cats, &mut out);
                if out.is_empty() {
                    let why = reason(s, table, r, cats, level, self.max_km);
                    if why != UnassignedReason::CapacityExhausted {
                        return Err(why);
                    }
                }
                Ok(out)
            })
            .collect()
    }

    /// Up to `k` technicians who could make the visit on their own, nearest first.
    fn candidates(
        &self,
        s: &Scenario,
        table: &TechTable,
        r: &ServiceRequest,
        cats: &[usize],
        out: &mut Vec<(usize, Visit)>,
    ) {
        // A visit must fit a slot or the longest shift.
        let budget = self.slot_min.unwrap_or(table.longest_shift);
        table.nearest_visits(
            s,
            r,
            cats,
            self.k,
            self.max_km,
            budget,
            |_, v| self.fits_slot(v),
            out,
        );
    }

    /// The problem: one task per request some technician could serve, its
    /// candidates plus the technician of `baseline` (Nearest's plan) as edges.
    pub(super) fn day_model(
        &self,
        s: &Scenario,
        table: &TechTable,
        found: Vec<Found>,
        baseline: &Plan,
    ) -> Result<DayModel> {
        let n = s.requests().len();
        let mut baseline_tech: Vec<Option<usize>> = vec![None; n];
        for a in &baseline.assignments {
            if let (Some(i), Some(t)) =
                (s.request_index(a.request), s.technician_index(a.technician))
            {
                baseline_tech[i] = Some(t);
            }
        }
        let mut task_of = vec![None; n];
        let mut reason_of = vec![None; n];
        let mut edges: Vec<Edge> = Vec::new();
        let mut penalties: Vec<f64> = Vec::new();
        let mut cats = Vec::new();
        for (i, (r, found)) in s.requests().iter().zip(found).enumerate() {
            let mut found = match found {
                Ok(list) => list,
                Err(why) => {
                    reason_of[i] = Some(why);
                    continue;
                }
            };
            if let Some(t) = baseline_tech[i]
                && !found.iter().any(|&(u, _)| u == t)
            {
                dense_categories(s, r, &mut cats);
                if table.covers(t, &cats, r.required_level()) {
                    let leg = s.travel().leg(table.base[t], r.location);
                    let visit = table.visit(s, leg, t, r, &cats);
                    if self.fits_slot(&visit) {
                        found.push((t, visit));
                    }
                }
            }
            let task = penalties.len() as u32;
            task_of[i] = Some(task);
            penalties.push(self.penalty(r));
            let w = Optimal::priority_weight(r.priority);
            let region = TechTable::request_region(s, r);
            for (t, visit) in found {
                let tariff = &s.outlets()[table.outlet[t]].tariff;
                let cost = tariff.cost(visit.working_min(), visit.travel_km())
                    + self.response_cost_per_min * w * visit.travel_min() / 2.0
                    + table.surcharge(s, t, region);
                // Exact minutes: Nearest's plan, the solver's start, fits.
                let load = match self.slot_min {
                    Some(_) => 1.0,
                    None => visit.working_min(),
                };
                edges.push(Edge {
                    task,
                    agent: t as u32,
                    cost,
                    load,
                });
            }
        }

        let capacities = s.technicians().iter().map(|t| {
            let minutes = f64::from(t.shift_minutes);
            self.slot_min.map_or(minutes, |q| (minutes / q).floor())
        });
        let mut builder = AssignmentProblem::builder(penalties.len())
            .agents(capacities)
            .edges(edges);
        let mut outlet_techs: Vec<Vec<u32>> = vec![Vec::new(); s.outlets().len()];
        for (t, &o) in table.outlet.iter().enumerate() {
            outlet_techs[o].push(t as u32);
        }
        for (o, techs) in outlet_techs.into_iter().enumerate() {
            if !techs.is_empty() {
                builder = builder.group(techs, s.outlets()[o].daily_capacity);
            }
        }
        for (task, &p) in penalties.iter().enumerate() {
            builder = builder.penalty(task as u32, p);
        }
        let problem = builder.build()?;
        let mut start = vec![None; problem.tasks()];
        for (i, t) in baseline_tech.iter().enumerate() {
            if let (Some(task), Some(t)) = (task_of[i], t) {
                start[task as usize] = Some(*t as u32);
            }
        }
        // Whole-minute loads may not hold all of Nearest's visits: keep what fits.
        let (baseline, _) = fitting_part(&problem, &start);
        Ok(DayModel {
            problem,
            task_of,
            reason_of,
            baseline,
        })
    }
}

/// The solver's assignment with every task dropped that is not on a
/// candidate edge or that would overfill its agent or group, in task order;
/// and whether anything was dropped.
pub(super) fn fitting_part(
    p: &AssignmentProblem,
    agent_of: &[Option<u32>],
) -> (Vec<Option<u32>>, bool) {
    let mut used = vec![0.0; p.agents()];
    let mut count = vec![0u32; p.group_capacities().len()];
    let mut out = vec![None; p.tasks()];
    let mut dropped = agent_of.len() != p.tasks();
    for (t, slot) in out.iter_mut().enumerate() {
        let Some(a) = agent_of.get(t).copied().flatten() else {
            continue;
        };
        let edges = p.task_edges(t);
        let Ok(i) = edges.binary_search_by_key(&a, |e| e.agent) else {
            dropped = true;
            continue;
        };
        let (a, load) = (a as usize, edges[i].load);
        let group = p.group_of()[a].map(|g| g as usize);
        let cap = p.capacities()[a];
        let fits = used[a] + load <= cap + 1e-9 * cap.max(1.0)
            && group.is_none_or(|g| count[g] < p.group_capacities()[g]);
        if !fits {
            dropped = true;
            continue;
        }
        used[a] += load;
        if let Some(g) = group {
            count[g] += 1;
        }
        *slot = Some(a as u32);
    }
    (out, dropped)
}
