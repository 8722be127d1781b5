//! Crossing a sales region under [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary):
//! a visit may leave the request's region only when no technician of the
//! region within the policy's reach, whose outlet has a visit left, has a
//! place for it in its day.

use super::days::{Days, NONE};
use super::eligibility::LegCache;

/// Moves every visit that crosses a region without need into the day of
/// the nearest technician of the request's region who may serve it, is
/// within `reach_km` road km of it, and has a place for it (its outlet with
/// a visit left), until none is left. Returns the number of visits moved.
///
/// A move frees room in another region, which may make one of that
/// region's own crossings unnecessary, hence the passes; each move removes
/// a crossing, so they end.
pub(super) fn settle(days: &mut Days, reach_km: f64) -> usize {
    let (s, table) = (days.s, days.table);
    let mut moved = 0;
    loop {
        let mut changed = false;
        for i in 0..days.reqs.len() {
            let t = days.tech_of[i];
            let needs = &days.reqs[i].needs;
            if t == NONE || needs.region == u32::MAX || table.region(t as usize) == needs.region {
                continue;
            }
            let r = &s.requests()[i];
            let mut legs = LegCache::default();
            let found = table
                .eligible_near(needs, r.location)
                .take_while(|&(_, km)| km <= reach_km)
                .filter(|&(h, _)| table.region(h) == needs.region)
                .find_map(|(h, _)| {
                    let leg = legs.get(s, table, h, r.location);
                    table.alone(s, h, r, needs, leg, reach_km)?;
                    days.best_place(h, i).map(|(p, _)| (h, p.pos))
                });
            if let Some((h, pos)) = found {
                days.remove(i);
                days.insert(h, i, pos);
                moved += 1;
                changed = true;
            }
        }
        if !changed {
            return moved;
        }
    }
}
