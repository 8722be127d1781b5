//! The technicians who still have time, for exact nearest searches that stay
//! fast when an area is saturated.
//!
//! Technicians are kept per skill key and site (see [`TechTable`]) in tiers of
//! the minutes their shift has left beyond the minutes on site of their
//! visits so far. A day through a customer drives at least there and back to
//! the base (at least back, for a technician that starts away from it), so a
//! technician with little time left can only take a visit close to its base:
//! a walk outward from a request looks at a site's lower tiers only while the
//! site is near enough, and busy technicians far away cost nothing.

use super::eligibility::TechTable;
use crate::spatial::GeoIndex;
use crate::travel::TravelModel;
use geo::Point;

/// Upper ends of the tiers of remaining minutes; the last tier is open.
const TIER_TOPS: [f64; 5] = [60.0, 120.0, 180.0, 240.0, 360.0];
const TIERS: usize = TIER_TOPS.len() + 1;

pub(crate) struct LiveIndex {
    sites: usize,
    /// Per skill key: the sites with at least one live technician of that key.
    trees: Vec<GeoIndex<u32>>,
    /// `members[(key * sites + site) * TIERS + tier]`: live technicians, ascending.
    members: Vec<Vec<u32>>,
    /// Live technicians per key and site.
    live_count: Vec<u32>,
    /// Current tier of each technician; `usize::MAX` once removed.
    tier_of: Vec<usize>,
}

impl LiveIndex {
    pub fn new(table: &TechTable, minutes_left: &[f64]) -> LiveIndex {
        let sites = table.index().sites();
        let tier_of: Vec<usize> = minutes_left.iter().map(|&m| tier(m)).collect();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); table.index().keys() * sites * TIERS];
        let mut live_count = vec![0u32; table.index().keys() * sites];
        for (t, &k) in tier_of.iter().enumerate() {
            for key in table.index().skill_keys(t) {
                let ks = key * sites + table.site_of(t) as usize;
                members[ks * TIERS + k].push(t as u32);
                live_count[ks] += 1;
            }
        }
        LiveIndex {
            sites,
            trees: table.index().skill_trees().to_vec(),
            members,
            live_count,
            tier_of,
        }
    }

    /// Moves technician `t` to the tier of its remaining minutes.
    pub fn update(&mut self, table: &TechTable, t: usize, minutes_left: f64) {
        let old = self.tier_of[t];
        let new = tier(minutes_left);
        if old == new || old == usize::MAX {
            return;
        }
        for key in table.index().skill_keys(t) {
            let ks = key * self.sites + table.site_of(t) as usize;
            remove_sorted(&mut self.members[ks * TIERS + old], t as u32);
            insert_sorted(&mut self.members[ks * TIERS + new], t as u32);
        }
        self.tier_of[t] = new;
    }

    /// Takes technician `t` out of every search.
    pub fn remove(&mut self, table: &TechTable, t: usize) {
        let old = self.tier_of[t];
        if old == usize::MAX {
            return;
        }
        let site = table.site_of(t);
        for key in table.index().skill_keys(t) {
            let ks = key * self.sites + site as usize;
            remove_sorted(&mut self.members[ks * TIERS + old], t as u32);
            self.live_count[ks] -= 1;
            if self.live_count[ks] == 0 {
                self.trees[key].remove(table.index().site_point(site), site);
            }
        }
        self.tier_of[t] = usize::MAX;
    }

    /// Live technicians of skill `key` as `(technician, km)`, by great-circle
    /// distance from `at`, then by index — leaving out only those who cannot
    /// make a visit of at least `work_min` minutes (service alone) in their
    /// remaining time, and everything beyond `radius_km`. `legs` is the
    /// least number of times a day through `at` drives the distance to the
    /// base: 2, or 1 when technicians may start away from their base.
    pub fn nearest<'a>(
        &'a self,
        travel: &dyn TravelModel,
        key: usize,
        at: Point<f64>,
        work_min: f64,
        radius_km: f64,
        legs: f64,
    ) -> impl Iterator<Item = (usize, f64)> + 'a {
        // How far each tier's technicians can still go and come back.
        let mut reach = [f64::NEG_INFINITY; TIERS];
        for (k, top) in TIER_TOPS.iter().copied().chain([f64::INFINITY]).enumerate() {
            if top >= work_min {
                reach[k] = travel.reach_km((top - work_min) / legs).min(radius_km);
            }
        }
        let sites = self.sites;
        self.trees[key]
            .nearest_iter(at)
            .take_while(move |&(_, km)| km <= radius_km)
            .flat_map(move |(site, km)| {
                let ks = key * sites + site as usize;
                let mut lists: [&[u32]; TIERS] = [&[]; TIERS];
                for (k, list) in lists.iter_mut().enumerate() {
                    if km <= reach[k] {
                        *list = &self.members[ks * TIERS + k];
                    }
                }
                // Merge the site's tiers by technician index.
                std::iter::from_fn(move || {
                    let k = (0..TIERS)
                        .filter(|&k| !lists[k].is_empty())
                        .min_by_key(|&k| lists[k][0])?;
                    let t = lists[k][0];
                    lists[k] = &lists[k][1..];
                    Some((t as usize, km))
                })
            })
    }
}

fn tier(minutes_left: f64) -> usize {
    TIER_TOPS.partition_point(|&top| top <= minutes_left)
}

fn remove_sorted(list: &mut Vec<u32>, t: u32) {
    if let Ok(i) = list.binary_search(&t) {
        list.remove(i);
    }
}

fn insert_sorted(list: &mut Vec<u32>, t: u32) {
    if let Err(i) = list.binary_search(&t) {
        list.insert(i, t);
    }
}
