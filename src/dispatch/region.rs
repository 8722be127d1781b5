//! Crossing a sales region under [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary):
//! a visit may leave the request's region only when no eligible technician
//! of the region within the policy's reach has room for it in the final plan.

use super::Plan;
use super::table::TechTable;
use crate::model::{Scenario, TechnicianId};
use crate::travel::{Leg, TravelModel};

const EPS: f64 = 1e-9;

/// Moves every visit that crosses a region without need to the nearest
/// technician of the request's region who has room, until none is left.
/// Returns the number of visits moved.
///
/// A move frees room in another region, which may make one of that
/// region's own crossings unnecessary, hence the passes; each move removes
/// a crossing, so they end.
pub(super) fn settle(s: &Scenario, table: &TechTable, plan: &mut Plan) -> usize {
    let n = s.technicians().len();
    let mut minutes_left: Vec<f64> = s
        .technicians()
        .iter()
        .map(|t| f64::from(t.shift_minutes))
        .collect();
    let mut visits_left: Vec<i64> = s
        .outlets()
        .iter()
        .map(|o| i64::from(o.daily_capacity))
        .collect();
    let tech_of = |id: TechnicianId| s.technician_index(id).filter(|&t| t < n);
    for a in &plan.assignments {
        if let Some(t) = tech_of(a.technician) {
            minutes_left[t] -= a.working_min();
            visits_left[table.outlet[t]] -= 1;
        }
    }
    let reach = s.policy().reach_km;
    let travel = s.travel();
    let mut moved = 0;
    let mut cats = Vec::new();
    loop {
        let mut changed = false;
        for a in &mut plan.assignments {
            let (Some(r), Some(t)) = (s.request(a.request), tech_of(a.technician)) else {
                continue;
            };
            let region = TechTable::request_region(s, r);
            if region == u32::MAX || table.region[t] == region {
                continue;
            }
            cats.clear();
            cats.extend(r.categories.iter().filter_map(|&c| s.category_index(c)));
            let level = r.required_level();
            let kinds = s.policy().admitted_kinds(r);
            let mut last: Option<(geo::Point<f64>, Leg)> = None;
            let mut found = None;
            for (h, _) in table
                .walk(table.rarest(&cats, level), r.location)
                .take_while(|&(_, km)| km <= reach)
            {
                if table.region[h] != region
                    || !table.admitted(h, &kinds)
                    || !table.covers(h, &cats, level)
                    || visits_left[table.outlet[h]] <= 0
                {
                    continue;
                }
                let base = table.base[h];
                let leg = match last {
                    Some((p, leg)) if p == base => leg,
                    _ => travel.leg(base, r.location),
                };
                last = Some((base, leg));
                let visit = table.visit(s, leg, h, r, &cats);
                if leg.km <= reach
                    && visit.working_min() <= minutes_left[h] + EPS
                    && table.on_time(h, r, &visit)
                {
                    found = Some((h, visit));
                    break;
                }
            }
            if let Some((h, visit)) = found {
                minutes_left[t] += a.working_min();
                visits_left[table.outlet[t]] += 1;
                minutes_left[h] -= visit.working_min();
                visits_left[table.outlet[h]] -= 1;
                *a = table.assignment(s, h, r, &visit);
                moved += 1;
                changed = true;
            }
        }
        if !changed {
            return moved;
        }
    }
}
