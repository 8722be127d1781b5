//! The region rule under
//! [`RegionRule::WhenNecessary`](crate::model::RegionRule::WhenNecessary): a visit may cross
//! its request's region only when no technician of the region could have
//! fitted it into its day.

use super::routes::RouteLegs;
use super::rules::{region, service_minutes};
use super::violation::{At, Out, ViolationCode};
use crate::model::{
    CategoryId, OutletId, RequestId, Scenario, ServiceRequest, Technician, TechnicianId,
};
use crate::travel::TravelModel;
use geo::Point;
use std::collections::HashMap;

/// Under `WhenNecessary`: each crossing visit that a technician of the
/// request's own region could have taken instead — admitted, skilled, its
/// base within the policy's reach, its outlet with a visit left, and a
/// place in its day where the visit and every other one keep their windows
/// and the day its shift.
pub(super) fn unnecessary_crossings(
    s: &Scenario,
    crossings: &[(&ServiceRequest, TechnicianId)],
    legs: &RouteLegs,
    visits: &HashMap<OutletId, u32>,
    out: &mut Out,
) {
    if crossings.is_empty() {
        return;
    }
    let travel = s.travel();
    let reach = s.policy().reach_km;
    let mut by_region: HashMap<_, Vec<_>> = HashMap::new();
    for h in s.technicians() {
        if let Some(o) = s.outlet(h.outlet) {
            by_region.entry(region(s, o.city)).or_default().push((h, o));
        }
    }
    for &(r, used) in crossings {
        let candidates = by_region
            .get(&region(s, r.city))
            .map_or(&[][..], Vec::as_slice);
        let home = candidates.iter().find(|&&(h, o)| {
            if !s.policy().admits(o.kind, r)
                || visits.get(&o.id).copied().unwrap_or(0) >= o.daily_capacity
            {
                return false;
            }
            let Ok(service) = service_minutes(s, h, &o.categories, r) else {
                return false;
            };
            let base = h.base.unwrap_or(o.location);
            if travel.leg(base, r.location).km > reach {
                return false;
            }
            let day = legs.days.get(&h.id).map_or(&[][..], Vec::as_slice);
            fits_somewhere(s, h, &o.categories, base, day, r, service)
        });
        if let Some((h, _)) = home {
            out.add(
                ViolationCode::RegionCrossing,
                At(Some(r.id), Some(used), None),
                format!(
                    "crosses its region though technician {} of the region had room for it",
                    h.id
                ),
            );
        }
    }
}

/// Whether request `r` (with `service` minutes on site) fits somewhere in
/// technician `h`'s day of `day` requests, every visit starting as early as
/// it may from the shift's start.
fn fits_somewhere(
    s: &Scenario,
    h: &Technician,
    outlet_categories: &[CategoryId],
    base: Point<f64>,
    day: &[RequestId],
    r: &ServiceRequest,
    service: f64,
) -> bool {
    let travel = s.travel();
    let stops: Vec<(&ServiceRequest, f64)> = day
        .iter()
        .filter_map(|id| s.request(*id))
        .map(|q| {
            (
                q,
                service_minutes(s, h, outlet_categories, q).unwrap_or(0.0),
            )
        })
        .collect();
    let shift_end = f64::from(h.shift_start_min) + f64::from(h.shift_minutes);
    (0..=stops.len()).any(|pos| {
        let mut at = h.start.unwrap_or(base);
        let mut time = f64::from(h.shift_start_min);
        let order = stops[..pos]
            .iter()
            .copied()
            .chain([(r, service)])
            .chain(stops[pos..].iter().copied());
        for (q, minutes) in order {
            let arrive = time + travel.leg(at, q.location).minutes;
            if arrive > f64::from(q.window.end_min) + 1e-9 {
                return false;
            }
            time = arrive.max(f64::from(q.window.start_min)) + minutes;
            at = q.location;
        }
        time + travel.leg(at, base).minutes <= shift_end + 1e-9
    })
}
