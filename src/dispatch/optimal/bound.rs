//! A lower bound on the objective of every plan that keeps the rules.
//!
//! The routes are relaxed into an assignment. A visit of technician `t` to
//! request `r` costs at least its fee, its minutes on site at `t`'s levels,
//! the surcharge, the response term of the earliest arrival `t` could make,
//! and the tariff of the cheapest leg that could lead into it: from `t`'s
//! start, or from another request that could come before it in a day (one
//! whose window opens early enough for its visit and the leg to reach `r`
//! before `r`'s window closes). Every visit of a route has exactly one leg
//! into it, so a route's driving is at least the sum of those cheapest
//! legs; its minutes load `t`'s shift the same way, and every visit uses
//! one of its outlet's daily visits. A request no technician could serve on
//! its own costs nothing either way; any other request is served or pays
//! its penalty.
//!
//! The assignment problem is bounded by prices on its capacities
//! ([`price_bound`](crate::assign::price_bound)). For large days the
//! technicians of one outlet and base are pooled into one agent with their
//! shifts' minutes: a visit then costs and loads at least the least of what
//! any of them would (the best level in each category, the earliest shift
//! start), which relaxes further and keeps the problem small.

use super::Optimal;
use super::candidates::Candidates;
use crate::assign::{AssignmentProblem, Edge, price_bound};
use crate::dispatch::days::Req;
use crate::dispatch::eligibility::LegCache;
use crate::dispatch::eligibility::TechTable;
use crate::model::{Scenario, ServiceRequest, SkillLevel};
use crate::route::timing;
use crate::spatial::GeoIndex;
use crate::travel::{Leg, TravelModel, TravelSpec};
use rayon::prelude::*;
use std::time::Instant;

/// Technicians × requests above which technicians are pooled by outlet and base.
const PER_TECHNICIAN_MAX: usize = 1_000_000;
/// Work of the price search per edge of the relaxation.
const WORK_PER_EDGE: u64 = 2;

/// The lower bound: the relaxation's prices, raised by coordinate ascent
/// for a fixed amount of work (never a time, so that the same day always
/// gets the same bound, whatever ends the search).
///
/// When the deadline comes first, the bound falls back on the relaxation
/// at zero prices (every request at its cheapest option), the same on
/// every run; `None` when the relaxation itself was not built in time. The
/// flag tells whether the deadline stopped the work.
pub(super) fn lower_bound(
    opt: &Optimal,
    s: &Scenario,
    table: &TechTable,
    reqs: &[Req],
    cand: &Candidates,
    deadline: Instant,
) -> (Option<f64>, bool) {
    let Some(problem) = relaxation(opt, s, table, reqs, cand, deadline) else {
        return if Instant::now() >= deadline {
            (None, true)
        } else {
            (Some(0.0), false)
        };
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return (Some(problem.trivial_bound()), true);
    }
    let work = WORK_PER_EDGE.saturating_mul(problem.edges().len() as u64 + 1);
    let bound = price_bound(&problem, f64::INFINITY, work, left.as_secs_f64());
    if Instant::now() >= deadline {
        (Some(problem.trivial_bound()), true)
    } else {
        (Some(bound), false)
    }
}

/// The relaxation as an assignment problem: one task per servable request
/// (in the scenario's order), agents technicians or pools, one group per
/// outlet with its daily visits. `None` when the problem cannot be built,
/// or when the deadline comes before it is.
pub(super) fn relaxation(
    opt: &Optimal,
    s: &Scenario,
    table: &TechTable,
    reqs: &[Req],
    cand: &Candidates,
    deadline: Instant,
) -> Option<AssignmentProblem> {
    let into = cheapest_legs_in(s, table, reqs, cand, deadline)?;
    let tasks: Vec<usize> = (0..reqs.len()).filter(|&i| cand.servable[i]).collect();
    let per_tech = s.requests().len().saturating_mul(s.technicians().len()) <= PER_TECHNICIAN_MAX;
    let pools = if per_tech {
        Pools::each(s, table)
    } else {
        Pools::by_site(s, table)
    };
    let edges: Vec<Option<Vec<Edge>>> = tasks
        .par_iter()
        .enumerate()
        .map(|(task, &i)| {
            (Instant::now() < deadline)
                .then(|| pools.edges(opt, s, table, reqs, i, task as u32, into[i]))
        })
        .collect();
    let edges: Vec<Vec<Edge>> = edges.into_iter().collect::<Option<_>>()?;
    let penalties = tasks
        .iter()
        .map(|&i| opt.unassigned_penalty * reqs[i].weight);
    let mut builder = AssignmentProblem::builder(tasks.len())
        .agents(pools.capacity.iter().copied())
        .edges(edges.into_iter().flatten());
    let mut outlet_pools: Vec<Vec<u32>> = vec![Vec::new(); s.outlets().len()];
    for (a, &o) in pools.outlet.iter().enumerate() {
        outlet_pools[o].push(a as u32);
    }
    for (o, agents) in outlet_pools.into_iter().enumerate() {
        if !agents.is_empty() {
            builder = builder.group(agents, s.outlets()[o].daily_capacity);
        }
    }
    for (task, p) in penalties.enumerate() {
        builder = builder.penalty(task as u32, p);
    }
    builder.build().ok()
}

/// Per request, the cheapest leg (km and minutes, each at least) that could
/// lead into it from another request: one that could be served before it.
/// Under the great-circle model legs grow with distance, so the nearest
/// requests decide, and when none of them could come before, a leg at
/// least as long as to the farthest of them; under other models, zero.
fn cheapest_legs_in(
    s: &Scenario,
    table: &TechTable,
    reqs: &[Req],
    cand: &Candidates,
    deadline: Instant,
) -> Option<Vec<Leg>> {
    let travel = s.travel();
    let monotone = matches!(travel, TravelSpec::GreatCircle(_));
    s.requests()
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            if !monotone || cand.near[i].is_empty() {
                return Some(Leg::default());
            }
            if Instant::now() >= deadline {
                return None;
            }
            let mut best: Option<Leg> = None;
            for &j in &cand.near[i] {
                let q = &s.requests()[j as usize];
                let leg = travel.leg(q.location, r.location);
                if best.is_some_and(|b| b.km <= leg.km) {
                    break;
                }
                let earliest_leave =
                    reqs[j as usize].window_start + least_service(s, table, q, &reqs[j as usize]);
                if earliest_leave + leg.minutes <= reqs[i].window_end + 1e-9 {
                    best = Some(leg);
                }
            }
            Some(best.unwrap_or_else(|| {
                let far = cand.near[i][cand.near[i].len() - 1] as usize;
                travel.leg(s.requests()[far].location, r.location)
            }))
        })
        .collect()
}

fn least_service(s: &Scenario, table: &TechTable, r: &ServiceRequest, req: &Req) -> f64 {
    if req.needs.known {
        table.least_service_min(s, r, &req.needs)
    } else {
        0.0
    }
}

/// The agents of the relaxation: single technicians, or the technicians of
/// one outlet and base pooled.
struct Pools {
    /// Per pool: its technicians.
    members: Vec<Vec<u32>>,
    outlet: Vec<usize>,
    capacity: Vec<f64>,
    /// Per pool: the highest level (index + 1, 0 for none) in each dense category.
    levels: Vec<Vec<u8>>,
    /// Per pool: its members' distinct starts, and their earliest shift start and latest shift end.
    starts: Vec<Vec<geo::Point<f64>>>,
    shift: Vec<(f64, f64)>,
    index: Option<GeoIndex<u32>>,
}

impl Pools {
    fn each(s: &Scenario, table: &TechTable) -> Pools {
        let n = s.technicians().len();
        Pools {
            members: (0..n as u32).map(|t| vec![t]).collect(),
            outlet: table.outlets().to_vec(),
            capacity: s
                .technicians()
                .iter()
                .map(|t| f64::from(t.shift_minutes))
                .collect(),
            levels: Vec::new(),
            starts: Vec::new(),
            shift: Vec::new(),
            index: None,
        }
    }

    fn by_site(s: &Scenario, table: &TechTable) -> Pools {
        let mut key: std::collections::BTreeMap<(usize, u32), usize> = Default::default();
        let mut members: Vec<Vec<u32>> = Vec::new();
        for t in 0..s.technicians().len() {
            let k = (table.outlet(t), table.site_of(t));
            let a = *key.entry(k).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[a].push(t as u32);
        }
        let outlet = members
            .iter()
            .map(|m| table.outlet(m[0] as usize))
            .collect();
        let capacity = members
            .iter()
            .map(|m| {
                m.iter()
                    .map(|&t| f64::from(s.technicians()[t as usize].shift_minutes))
                    .sum()
            })
            .collect();
        let levels = members
            .iter()
            .map(|m| {
                (0..table.index().categories())
                    .map(|c| {
                        m.iter()
                            .map(|&t| table.level_rank(t as usize, c))
                            .max()
                            .unwrap_or(0)
                    })
                    .collect()
            })
            .collect();
        let starts = members
            .iter()
            .map(|m| {
                let mut points: Vec<geo::Point<f64>> = Vec::new();
                for &t in m {
                    let p = table.start(t as usize);
                    if !points.contains(&p) {
                        points.push(p);
                    }
                }
                points
            })
            .collect();
        let shift = members
            .iter()
            .map(|m| {
                m.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &t| {
                        (
                            a.min(table.shift_start(t as usize)),
                            b.max(table.shift_end(t as usize)),
                        )
                    })
            })
            .collect();
        let index = GeoIndex::new(
            members
                .iter()
                .enumerate()
                .map(|(a, m)| (table.base(m[0] as usize), a as u32)),
        );
        Pools {
            members,
            outlet,
            capacity,
            levels,
            starts,
            shift,
            index: Some(index),
        }
    }

    /// The edges of request `i` (task `task`).
    #[allow(clippy::too_many_arguments)]
    fn edges(
        &self,
        opt: &Optimal,
        s: &Scenario,
        table: &TechTable,
        reqs: &[Req],
        i: usize,
        task: u32,
        into: Leg,
    ) -> Vec<Edge> {
        let r = &s.requests()[i];
        let req = &reqs[i];
        let needs = &req.needs;
        let travel = s.travel();
        let radius = table.search_radius_km(travel, r, opt.max_km);
        let mut out = Vec::new();
        let mut edge = |agent: usize, t: usize, service: f64, out_leg: Leg, shift_start: f64| {
            let tariff = &s.outlets()[table.outlet(t)].tariff;
            let km = out_leg.km.min(into.km);
            let min = out_leg.minutes.min(into.minutes);
            let arrive = shift_start + out_leg.minutes;
            let late = timing::start(arrive, req.window_start) - req.window_start;
            let response = opt.response_cost_per_min * req.weight * late;
            out.push(Edge {
                task,
                agent: agent as u32,
                cost: tariff.per_visit
                    + tariff.per_minute * (service + min)
                    + tariff.per_km * km
                    + table.surcharge(s, t, needs.region)
                    + response,
                load: service + min,
            });
        };
        match &self.index {
            None => {
                let mut legs = LegCache::default();
                for (t, km) in table.eligible_near(needs, r.location) {
                    if km > radius {
                        break;
                    }
                    let leg = legs.get(s, table, t, r.location);
                    let Some(visit) = table.alone(s, t, r, needs, leg, opt.max_km) else {
                        continue;
                    };
                    edge(t, t, visit.service_min, leg.out, table.shift_start(t));
                }
            }
            Some(index) => {
                if !needs.known {
                    return out;
                }
                let catalog = s.catalog();
                for (a, km) in index.nearest_iter(r.location) {
                    if km > radius {
                        break;
                    }
                    let a = a as usize;
                    let first = self.members[a][0] as usize;
                    if !needs.kinds[usize::from(table.kind(first))]
                        || (needs.home_only && table.region(first) != needs.region)
                    {
                        continue;
                    }
                    let levels = &self.levels[a];
                    let need = needs.level.index() as u8 + 1;
                    if needs.cats.iter().any(|&c| levels[c] < need) {
                        continue;
                    }
                    let service: f64 = needs
                        .cats
                        .iter()
                        .map(|&c| {
                            let level = SkillLevel::ALL[usize::from(levels[c] - 1)];
                            catalog.service_minutes(&catalog.categories[c], r.kind, level)
                        })
                        .sum();
                    let base = table.base(first);
                    if travel.leg(base, r.location).km > opt.max_km {
                        continue;
                    }
                    // The pool's most favourable member: the nearest start, the
                    // earliest shift start, the latest shift end.
                    let mut out_leg: Option<Leg> = None;
                    for &p in &self.starts[a] {
                        let leg = travel.leg(p, r.location);
                        out_leg = Some(match out_leg {
                            Some(l) => Leg {
                                km: l.km.min(leg.km),
                                minutes: l.minutes.min(leg.minutes),
                            },
                            None => leg,
                        });
                    }
                    let (start_min, end_max) = self.shift[a];
                    let Some(out_leg) = out_leg else { continue };
                    let back = travel.leg(r.location, base);
                    let arrive = start_min + out_leg.minutes;
                    if arrive > req.window_end + 1e-9
                        || timing::start(arrive, req.window_start) + service + back.minutes
                            > end_max + 1e-9
                    {
                        continue;
                    }
                    edge(a, first, service, out_leg, start_min);
                }
            }
        }
        out
    }
}
