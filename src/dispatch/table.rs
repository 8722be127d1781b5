//! Dense per-technician facts that strategies look up in their inner loops,
//! and the sites (distinct bases) where technicians start their day.

use crate::model::{Scenario, ServiceRequest, SkillLevel};
use crate::spatial::GeoIndex;
use crate::travel::{Leg, TravelModel};
use geo::Point;
use std::collections::HashMap;

/// What a visit by one technician to one request takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Visit {
    pub leg: Leg,
    pub service_min: f64,
}

impl Visit {
    pub fn travel_km(&self) -> f64 {
        2.0 * self.leg.km
    }
    pub fn travel_min(&self) -> f64 {
        2.0 * self.leg.minutes
    }
    pub fn working_min(&self) -> f64 {
        self.service_min + self.travel_min()
    }
}

/// Technicians as dense arrays: levels by category, outlet, region, base, shift.
///
/// A *skill key* `c * 3 + l` stands for category `c` at level index `l` or above.
/// Technicians who share a base share a *site*; the spatial indexes hold sites,
/// so that an outlet's many technicians are one point, not many.
pub(crate) struct TechTable {
    /// Categories in the catalog.
    pub ncat: usize,
    /// `levels[t * ncat + c]`: 0 when technician `t` cannot serve category `c`
    /// (no skill, or the outlet does not serve it), else level index + 1.
    pub levels: Vec<u8>,
    pub outlet: Vec<usize>,
    pub region: Vec<usize>,
    pub base: Vec<Point<f64>>,
    pub shift_start: Vec<f64>,
    pub shift_end: Vec<f64>,
    /// The site of each technician.
    pub site_of: Vec<u32>,
    /// The location of each site.
    pub site_point: Vec<Point<f64>>,
    /// Per skill key: the sites with at least one technician of that key.
    pub site_trees: Vec<GeoIndex<u32>>,
    /// `site_members[key * sites + site]`: the technicians of that key at that site, ascending.
    pub site_members: Vec<Vec<u32>>,
    /// Per skill key: how many technicians have it.
    pub skill_count: Vec<usize>,
    /// The longest shift, in minutes.
    pub longest_shift: f64,
    /// The earliest shift start, in minutes.
    pub earliest_start: f64,
}

impl TechTable {
    pub fn new(s: &Scenario) -> TechTable {
        let ncat = s.catalog().categories.len();
        let n = s.technicians().len();
        let mut levels = vec![0u8; n * ncat];
        let mut outlet = Vec::with_capacity(n);
        let mut region = Vec::with_capacity(n);
        let mut base = Vec::with_capacity(n);
        let mut shift_start = Vec::with_capacity(n);
        let mut shift_end = Vec::with_capacity(n);
        let mut sites: HashMap<(u64, u64), u32> = HashMap::new();
        let mut site_point = Vec::new();
        let mut site_of = Vec::with_capacity(n);
        for (t, tech) in s.technicians().iter().enumerate() {
            let o = s.outlet_index(tech.outlet).unwrap_or(0);
            let out = &s.outlets()[o];
            let p = s.technician_base(tech);
            for skill in &tech.skills {
                if let Some(c) = s.category_index(skill.category)
                    && out.categories.contains(&skill.category)
                {
                    levels[t * ncat + c] = skill.level.index() as u8 + 1;
                }
            }
            outlet.push(o);
            region.push(
                s.city(out.city)
                    .and_then(|c| s.region_index(c.region))
                    .unwrap_or(usize::MAX),
            );
            base.push(p);
            site_of.push(
                *sites
                    .entry((p.x().to_bits(), p.y().to_bits()))
                    .or_insert_with(|| {
                        site_point.push(p);
                        site_point.len() as u32 - 1
                    }),
            );
            shift_start.push(f64::from(tech.shift_start_min));
            shift_end.push(f64::from(tech.shift_end_min()));
        }
        let nsites = site_point.len();
        let nkeys = ncat * 3;
        let mut site_members: Vec<Vec<u32>> = vec![Vec::new(); nkeys * nsites];
        let mut skill_count = vec![0; nkeys];
        for t in 0..n {
            for key in skill_keys(&levels, ncat, t) {
                site_members[key * nsites + site_of[t] as usize].push(t as u32);
                skill_count[key] += 1;
            }
        }
        let site_trees = (0..nkeys)
            .map(|key| {
                GeoIndex::new(
                    (0..nsites)
                        .filter(|&site| !site_members[key * nsites + site].is_empty())
                        .map(|site| (site_point[site], site as u32)),
                )
            })
            .collect();
        let longest_shift = s
            .technicians()
            .iter()
            .map(|t| f64::from(t.shift_minutes))
            .fold(0.0, f64::max);
        let earliest_start = shift_start.iter().copied().fold(f64::INFINITY, f64::min);
        TechTable {
            ncat,
            levels,
            outlet,
            region,
            base,
            shift_start,
            shift_end,
            site_of,
            site_point,
            site_trees,
            site_members,
            skill_count,
            longest_shift,
            earliest_start,
        }
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.site_point.len()
    }

    /// Number of skill keys.
    pub fn keys(&self) -> usize {
        self.ncat * 3
    }

    /// The skill keys technician `t` is listed under.
    pub fn skill_keys(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        skill_keys(&self.levels, self.ncat, t)
    }

    /// Every technician of skill `key`, as `(technician, km)` by great-circle
    /// distance from `at`, then by index.
    pub fn nearest(&self, key: usize, at: Point<f64>) -> impl Iterator<Item = (usize, f64)> + '_ {
        let members = &self.site_members[key * self.sites()..(key + 1) * self.sites()];
        self.site_trees[key]
            .nearest_iter(at)
            .flat_map(move |(site, km)| {
                members[site as usize]
                    .iter()
                    .map(move |&t| (t as usize, km))
            })
    }

    /// The fewest minutes on site a request of these categories can take, at
    /// `level` or above: a lower bound on any technician's visit.
    pub fn least_service_min(
        &self,
        s: &Scenario,
        r: &ServiceRequest,
        cats: &[usize],
        level: SkillLevel,
    ) -> f64 {
        let catalog = s.catalog();
        let factor = catalog.level_time_factor[level.index()..]
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        cats.iter()
            .map(|&c| catalog.categories[c].base_minutes(r.kind) * factor)
            .sum()
    }

    /// Whether technician `t` covers every category (dense indices) at `level` or above.
    pub fn covers(&self, t: usize, cats: &[usize], level: SkillLevel) -> bool {
        let need = level.index() as u8 + 1;
        cats.iter().all(|&c| self.levels[t * self.ncat + c] >= need)
    }

    /// The visit of technician `t` (who covers `cats`) to request `r`, with
    /// the leg from the technician's base already known.
    pub fn visit(
        &self,
        s: &Scenario,
        leg: Leg,
        t: usize,
        r: &ServiceRequest,
        cats: &[usize],
    ) -> Visit {
        let catalog = s.catalog();
        let service_min = cats
            .iter()
            .map(|&c| {
                let level = SkillLevel::ALL[usize::from(self.levels[t * self.ncat + c] - 1)];
                catalog.service_minutes(&catalog.categories[c], r.kind, level)
            })
            .sum();
        Visit { leg, service_min }
    }

    /// Whether the visit fits the request's window inside technician `t`'s shift:
    /// the technician can arrive by the window's end, and start by the window's start
    /// or later, serve and drive back before the shift ends.
    pub fn on_time(&self, t: usize, r: &ServiceRequest, v: &Visit) -> bool {
        let arrive = self.shift_start[t] + v.leg.minutes;
        let start = arrive.max(f64::from(r.window.start_min));
        arrive <= f64::from(r.window.end_min)
            && start + v.service_min + v.leg.minutes <= self.shift_end[t]
    }

    /// The skill key of the rarest skill among `cats` at `level`: the
    /// technicians worth walking for a request. `None` when `cats` is empty.
    pub fn rarest(&self, cats: &[usize], level: SkillLevel) -> Option<usize> {
        cats.iter()
            .map(|&c| c * 3 + level.index())
            .min_by_key(|&k| (self.skill_count[k], k))
    }

    /// Every technician whose visit to `r` could fit some shift lies within
    /// this great-circle distance: the leg must fit half the longest shift and
    /// reach the location before the window closes. Negative when nothing can.
    pub fn search_radius_km(
        &self,
        travel: &dyn TravelModel,
        r: &ServiceRequest,
        max_km: f64,
    ) -> f64 {
        let by_window = f64::from(r.window.end_min) - self.earliest_start;
        let minutes = (self.longest_shift / 2.0).min(by_window);
        if minutes < 0.0 {
            return -1.0;
        }
        travel.reach_km(minutes).min(max_km)
    }
}

fn skill_keys(levels: &[u8], ncat: usize, t: usize) -> impl Iterator<Item = usize> + '_ {
    (0..ncat).flat_map(move |c| (0..usize::from(levels[t * ncat + c])).map(move |l| c * 3 + l))
}
