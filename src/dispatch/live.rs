//! Technicians with time left, by skill and by how much time is left, for exact nearest searches.
//!
//! Technicians who share a base (usually their outlet) form one site in the
//! R-trees, so the trees stay small and a move touches a tree only when a
//! site empties or fills. A technician with little time left can only make a
//! visit close to its base, so each tier of remaining minutes is searched only
//! as far as a visit could still fit: a request walks few busy technicians,
//! however saturated its area is.

use super::table::TechTable;
use crate::spatial::GeoIndex;
use crate::travel::TravelModel;
use geo::Point;
use std::collections::HashMap;

/// Upper ends of the tiers of remaining minutes; the last tier is open.
/// Few tiers: each costs a tree descent per request.
const TIER_TOPS: [f64; 2] = [120.0, 240.0];
const TIERS: usize = TIER_TOPS.len() + 1;

pub(crate) struct LiveIndex {
    /// `trees[key * TIERS + tier]`: the sites with at least one technician of that skill key and tier.
    trees: Vec<GeoIndex<u32>>,
    /// Technicians, ascending, per tree and site: `members[tree * sites + site]`.
    members: Vec<Vec<u32>>,
    sites: usize,
    site_of: Vec<u32>,
    site_point: Vec<Point<f64>>,
    /// Current tier of each technician; `usize::MAX` once removed.
    tier_of: Vec<usize>,
}

impl LiveIndex {
    pub fn new(table: &TechTable, minutes_left: &[f64]) -> LiveIndex {
        let mut sites: HashMap<(u64, u64), u32> = HashMap::new();
        let mut site_point = Vec::new();
        let site_of: Vec<u32> = table
            .base
            .iter()
            .map(|p| {
                *sites
                    .entry((p.x().to_bits(), p.y().to_bits()))
                    .or_insert_with(|| {
                        site_point.push(*p);
                        site_point.len() as u32 - 1
                    })
            })
            .collect();
        let tier_of: Vec<usize> = minutes_left.iter().map(|&m| tier(m)).collect();
        let sites = site_point.len();
        let ntrees = table.by_skill.len() * TIERS;
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); ntrees * sites];
        for (t, &k) in tier_of.iter().enumerate() {
            for key in table.skill_keys(t) {
                members[(key * TIERS + k) * sites + site_of[t] as usize].push(t as u32);
            }
        }
        let trees = (0..ntrees)
            .map(|tree| {
                GeoIndex::new(
                    (0..sites)
                        .filter(|&site| !members[tree * sites + site].is_empty())
                        .map(|site| (site_point[site], site as u32)),
                )
            })
            .collect();
        LiveIndex {
            trees,
            members,
            sites,
            site_of,
            site_point,
            tier_of,
        }
    }

    fn take_out(&mut self, table: &TechTable, t: usize, tier: usize) {
        let site = self.site_of[t];
        for key in table.skill_keys(t) {
            let tree = key * TIERS + tier;
            let list = &mut self.members[tree * self.sites + site as usize];
            if let Ok(i) = list.binary_search(&(t as u32)) {
                list.remove(i);
                if list.is_empty() {
                    self.trees[tree].remove(self.site_point[site as usize], site);
                }
            }
        }
    }

    fn put_in(&mut self, table: &TechTable, t: usize, tier: usize) {
        let site = self.site_of[t];
        for key in table.skill_keys(t) {
            let tree = key * TIERS + tier;
            let list = &mut self.members[tree * self.sites + site as usize];
            if list.is_empty() {
                // The base was valid when the technician was first indexed.
                let _ = self.trees[tree].insert(self.site_point[site as usize], site);
            }
            if let Err(i) = list.binary_search(&(t as u32)) {
                list.insert(i, t as u32);
            }
        }
    }

    /// Moves technician `t` to the tier of its new remaining minutes.
    pub fn update(&mut self, table: &TechTable, t: usize, minutes_left: f64) {
        let old = self.tier_of[t];
        let new = tier(minutes_left);
        if old != new && old != usize::MAX {
            self.take_out(table, t, old);
            self.put_in(table, t, new);
            self.tier_of[t] = new;
        }
    }

    /// Takes technician `t` out of every search.
    pub fn remove(&mut self, table: &TechTable, t: usize) {
        let old = self.tier_of[t];
        if old != usize::MAX {
            self.take_out(table, t, old);
            self.tier_of[t] = usize::MAX;
        }
    }

    /// Technicians of skill `key` as `(technician, km)`, by great-circle
    /// distance from `at` and then by index, leaving out only those that
    /// cannot make a visit of at least `work_min` minutes (service alone)
    /// within `radius_km` and their remaining time.
    pub fn nearest<'a>(
        &'a self,
        travel: &dyn TravelModel,
        key: usize,
        at: Point<f64>,
        work_min: f64,
        radius_km: f64,
    ) -> impl Iterator<Item = (usize, f64)> + 'a {
        let mut walks = Vec::with_capacity(TIERS);
        for (k, top) in TIER_TOPS.iter().copied().chain([f64::INFINITY]).enumerate() {
            let tree = key * TIERS + k;
            if top < work_min || self.trees[tree].is_empty() {
                continue;
            }
            let reach = travel.reach_km((top - work_min) / 2.0).min(radius_km);
            let members = &self.members[tree * self.sites..(tree + 1) * self.sites];
            let walk = self.trees[tree]
                .nearest_iter(at)
                .take_while(move |&(_, km)| km <= reach)
                .flat_map(move |(site, km)| {
                    members[site as usize]
                        .iter()
                        .map(move |&t| (t as usize, km))
                });
            walks.push(walk.peekable());
        }
        // Merge the tiers' walks by distance, then technician index.
        std::iter::from_fn(move || {
            let i = walks
                .iter_mut()
                .enumerate()
                .filter_map(|(i, w)| w.peek().map(|&(t, km)| (km, t, i)))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?
                .2;
            walks[i].next()
        })
    }
}

fn tier(minutes_left: f64) -> usize {
    TIER_TOPS.partition_point(|&top| top <= minutes_left)
}
