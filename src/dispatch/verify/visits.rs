//! Each visit of the plan on its own: a known technician and outlet, the
//! policy's kinds and region rule, the skills, and the figures the tariff
//! gives; then the outlets' daily capacities.

use super::region::unnecessary_crossings;
use super::routes::RouteLegs;
use super::rules::{close, region, service_minutes, works_for};
use super::violation::{At, Out, ViolationCode};
use crate::dispatch::Plan;
use crate::model::{OutletId, RegionRule, Scenario};
use std::collections::HashMap;

/// Each visit: technician, outlet, skills, policy, figures; then the
/// outlets' capacities and the region rule.
pub(super) fn check_visits(s: &Scenario, plan: &Plan, legs: &RouteLegs, out: &mut Out) {
    let mut crossings = Vec::new();
    let mut visits: HashMap<OutletId, u32> = HashMap::new();
    for a in &plan.assignments {
        let (Some(r), Some(t)) = (s.request(a.request), s.technician(a.technician)) else {
            if s.technician(a.technician).is_none() {
                out.add(
                    ViolationCode::UnknownId,
                    At(Some(a.request), Some(a.technician), None),
                    "no such technician".into(),
                );
            }
            continue;
        };
        let Some(o) = s.outlet(a.outlet) else {
            out.add(
                ViolationCode::UnknownId,
                At(Some(a.request), Some(a.technician), Some(a.outlet)),
                "no such outlet".into(),
            );
            continue;
        };
        let at = At(Some(r.id), Some(t.id), Some(o.id));
        if !s.policy().admits(o.kind, r) {
            out.add(
                ViolationCode::Policy,
                at,
                format!(
                    "a {} outlet may not take {:?} work of difficulty {} in these categories",
                    o.kind.as_str(),
                    r.kind,
                    r.difficulty
                ),
            );
        }
        if region(s, r.city) != region(s, o.city) {
            match s.policy().region {
                RegionRule::Never => out.add(
                    ViolationCode::RegionCrossing,
                    at,
                    "the policy never crosses a region".into(),
                ),
                RegionRule::WhenNecessary => crossings.push((r, t.id)),
                RegionRule::Freely => {}
            }
        }
        *visits.entry(o.id).or_default() += 1;
        if !works_for(t, o.id, at, out) {
            continue;
        }
        let service_min = match service_minutes(s, t, &o.categories, r) {
            Ok(m) => m,
            Err(message) => {
                out.add(ViolationCode::Skill, at, message);
                continue;
            }
        };
        let (drive_km, drive_min) = match legs.by_request.get(&r.id) {
            Some(&(_, km, min)) => (km, min),
            None => (a.travel_km, a.travel_min),
        };
        let expect = [
            ("travel_km", a.travel_km, drive_km),
            ("travel_min", a.travel_min, drive_min),
            ("service_min", a.service_min, service_min),
            (
                "cost",
                a.cost,
                o.tariff.per_visit
                    + o.tariff.per_minute * (service_min + drive_min)
                    + o.tariff.per_km * drive_km,
            ),
        ];
        for (field, got, want) in expect {
            if !close(got, want) {
                out.add(
                    ViolationCode::Figures,
                    at,
                    format!("{field} is {got}, the scenario gives {want}"),
                );
            }
        }
    }
    let mut over: Vec<_> = visits.iter().collect();
    over.sort_by_key(|&(id, _)| *id);
    for (&id, &n) in over {
        if let Some(o) = s.outlet(id)
            && n > o.daily_capacity
        {
            out.add(
                ViolationCode::OutletCapacityExceeded,
                At(None, None, Some(id)),
                format!("{n} visits, capacity {}", o.daily_capacity),
            );
        }
    }
    unnecessary_crossings(s, &crossings, legs, &visits, out);
}
