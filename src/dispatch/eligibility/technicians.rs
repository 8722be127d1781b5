//! [`TechnicianIndex`]: a scenario's technicians by skill key and site, for
//! nearest and radius searches by [`Eligibility`].

use super::criteria::{Eligibility, Found, Lookup};
use crate::model::{OutletId, Scenario, SkillLevel, TechnicianId};
use crate::spatial::GeoIndex;
use geo::Point;
use std::collections::HashMap;

/// The technicians of a scenario, for nearest and radius searches by eligibility.
///
/// A technician has a category only when its outlet also serves it.
/// Technicians who share a base (usually their outlet) share a *site*; for
/// every skill key — a category at a level or above — the index keeps an
/// R-tree of the sites where some technician has it, and per site the list of
/// those technicians. A search walks sites outward from the query point and
/// looks only at technicians of the rarest skill it asks for.
///
/// ```
/// use servnet::generate::{Generator, Preset};
/// use servnet::dispatch::{Eligibility, TechnicianIndex};
/// let day = Generator::new(Preset::province("Shandong")).requests(300).seed(2).build()?;
/// let index = TechnicianIndex::new(&day);
/// let r = &day.requests()[0];
/// let found = index.nearest(r.location, 8, &Eligibility::for_request(r));
/// assert!(found.windows(2).all(|w| w[0].km <= w[1].km));
/// # Ok::<(), servnet::Error>(())
/// ```
pub struct TechnicianIndex {
    lookup: Lookup,
    ncat: usize,
    /// `levels[t * ncat + c]`: 0 without the category, else level index + 1.
    levels: Vec<u8>,
    kind: Vec<u8>,
    /// Position of the technician's region in the scenario; `u32::MAX` for none.
    region: Vec<u32>,
    ids: Vec<TechnicianId>,
    outlets: Vec<OutletId>,
    base: Vec<Point<f64>>,
    site_of: Vec<u32>,
    site_point: Vec<Point<f64>>,
    /// Per skill key `c * 3 + l`, then one more for "any": the sites with such technicians.
    site_trees: Vec<GeoIndex<u32>>,
    /// `site_members[key * sites + site]`: those technicians, ascending.
    site_members: Vec<Vec<u32>>,
    /// Per skill key: how many technicians have it.
    skill_count: Vec<usize>,
}

impl TechnicianIndex {
    /// Indexes every technician of the scenario at its base.
    ///
    /// # Complexity
    /// `O(n + s log s)` for `n` (technician, skill key) pairs and `s` (site, skill key) pairs.
    pub fn new(s: &Scenario) -> TechnicianIndex {
        let lookup = Lookup::new(s);
        let ncat = s.catalog().categories.len();
        let n = s.technicians().len();
        let mut levels = vec![0u8; n * ncat];
        let mut kind = Vec::with_capacity(n);
        let mut region = Vec::with_capacity(n);
        let mut base = Vec::with_capacity(n);
        let mut sites: HashMap<(u64, u64), u32> = HashMap::new();
        let mut site_point = Vec::new();
        let mut site_of = Vec::with_capacity(n);
        for (t, tech) in s.technicians().iter().enumerate() {
            let o = s.outlet_index(tech.outlet).unwrap_or(0);
            let outlet = &s.outlets()[o];
            for skill in &tech.skills {
                if let Some(c) = lookup.category(&skill.category)
                    && outlet.categories.contains(&skill.category)
                {
                    levels[t * ncat + c] = skill.level.index() as u8 + 1;
                }
            }
            kind.push(outlet.kind.index() as u8);
            region.push(lookup.outlet_region(s, o));
            let p = s.technician_base(tech);
            base.push(p);
            site_of.push(
                *sites
                    .entry((p.x().to_bits(), p.y().to_bits()))
                    .or_insert_with(|| {
                        site_point.push(p);
                        site_point.len() as u32 - 1
                    }),
            );
        }
        let nsites = site_point.len();
        let any = ncat * 3;
        let mut site_members: Vec<Vec<u32>> = vec![Vec::new(); (any + 1) * nsites];
        let mut skill_count = vec![0; any + 1];
        for t in 0..n {
            for key in skill_keys(&levels, ncat, t).chain([any]) {
                site_members[key * nsites + site_of[t] as usize].push(t as u32);
                skill_count[key] += 1;
            }
        }
        let site_trees = (0..=any)
            .map(|key| {
                GeoIndex::new(
                    (0..nsites)
                        .filter(|&site| !site_members[key * nsites + site].is_empty())
                        .map(|site| (site_point[site], site as u32)),
                )
            })
            .collect();
        TechnicianIndex {
            ids: s.technicians().iter().map(|t| t.id).collect(),
            outlets: s.technicians().iter().map(|t| t.outlet).collect(),
            lookup,
            ncat,
            levels,
            kind,
            region,
            base,
            site_of,
            site_point,
            site_trees,
            site_members,
            skill_count,
        }
    }

    /// The id of technician `t`.
    #[inline]
    pub(crate) fn id(&self, t: usize) -> TechnicianId {
        self.ids[t]
    }

    /// Where technician `t` is based.
    #[inline]
    pub(crate) fn base(&self, t: usize) -> Point<f64> {
        self.base[t]
    }

    /// The kind of technician `t`'s outlet, by [`OutletKind::index`](crate::OutletKind::index).
    #[inline]
    pub(crate) fn kind(&self, t: usize) -> u8 {
        self.kind[t]
    }

    /// Position of technician `t`'s region in the scenario; `u32::MAX` for none.
    #[inline]
    pub(crate) fn region(&self, t: usize) -> u32 {
        self.region[t]
    }

    /// Technician `t`'s level in category `c` (a dense catalog position), if it has the category.
    #[inline]
    pub(crate) fn level(&self, t: usize, c: usize) -> Option<SkillLevel> {
        let l = self.levels[t * self.ncat + c];
        (l > 0).then(|| SkillLevel::ALL[usize::from(l - 1)])
    }

    /// Technician `t`'s rank in category `c`: 0 without the category, else
    /// level index + 1.
    #[inline]
    pub(crate) fn level_rank(&self, t: usize, c: usize) -> u8 {
        self.levels[t * self.ncat + c]
    }

    /// Number of categories in the catalog.
    #[inline]
    pub(crate) fn categories(&self) -> usize {
        self.ncat
    }

    /// The categories technician `t` has (dense catalog positions, ascending), with its level in each.
    pub(crate) fn skills(&self, t: usize) -> impl Iterator<Item = (usize, SkillLevel)> + '_ {
        (0..self.ncat).filter_map(move |c| Some((c, self.level(t, c)?)))
    }

    /// The site (distinct base) of technician `t`.
    #[inline]
    pub(crate) fn site_of(&self, t: usize) -> u32 {
        self.site_of[t]
    }

    /// Where site `site` is.
    #[inline]
    pub(crate) fn site_point(&self, site: u32) -> Point<f64> {
        self.site_point[site as usize]
    }

    /// Number of sites (distinct bases).
    #[inline]
    pub(crate) fn sites(&self) -> usize {
        self.site_point.len()
    }

    /// Number of skill keys (`3 ×` categories), not counting "any".
    #[inline]
    pub(crate) fn keys(&self) -> usize {
        self.ncat * 3
    }

    /// Per skill key (not counting "any"): the sites with technicians of that key.
    pub(crate) fn skill_trees(&self) -> &[GeoIndex<u32>] {
        &self.site_trees[..self.keys()]
    }

    /// The skill keys technician `t` is listed under (not counting "any").
    pub(crate) fn skill_keys(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        skill_keys(&self.levels, self.ncat, t)
    }

    /// Whether technician `t` covers every category (dense indices) at `level` or above.
    #[inline]
    pub(crate) fn covers(&self, t: usize, cats: &[usize], level: SkillLevel) -> bool {
        let need = level.index() as u8 + 1;
        cats.iter().all(|&c| self.levels[t * self.ncat + c] >= need)
    }

    /// The skill key of the rarest skill among `cats` at `level`; "any" when `cats` is empty.
    pub(crate) fn rarest(&self, cats: &[usize], level: SkillLevel) -> usize {
        cats.iter()
            .map(|&c| c * 3 + level.index())
            .min_by_key(|&k| (self.skill_count[k], k))
            .unwrap_or(self.keys())
    }

    /// The technicians of each site of skill `key`, by site.
    fn members(&self, key: usize) -> &[Vec<u32>] {
        &self.site_members[key * self.sites()..(key + 1) * self.sites()]
    }

    /// Every technician of skill `key`, as `(technician, km)` by great-circle
    /// distance from `at`, then by index within a site.
    pub(crate) fn walk(
        &self,
        key: usize,
        at: Point<f64>,
    ) -> impl Iterator<Item = (usize, f64)> + '_ {
        let members = self.members(key);
        self.site_trees[key]
            .nearest_iter(at)
            .flat_map(move |(site, km)| {
                members[site as usize]
                    .iter()
                    .map(move |&t| (t as usize, km))
            })
    }

    /// The `k` nearest eligible technicians, nearest first (ties by position in the scenario).
    ///
    /// # Complexity
    /// About `O(log s)` per site walked; a site costs its technicians of the
    /// rarest asked-for skill until `k` eligible ones are found there.
    pub fn nearest(&self, at: Point<f64>, k: usize, e: &Eligibility) -> Vec<Found<TechnicianId>> {
        self.search(at, e, k, None)
    }

    /// Every eligible technician within `radius_km` (and the eligibility's `max_km`), nearest first.
    pub fn within_radius(
        &self,
        at: Point<f64>,
        radius_km: f64,
        e: &Eligibility,
    ) -> Vec<Found<TechnicianId>> {
        self.search(at, e, usize::MAX, Some(radius_km))
    }

    /// Up to `k` eligible technicians within the eligibility's `max_km` and
    /// `radius_km`, if given, nearest first.
    fn search(
        &self,
        at: Point<f64>,
        e: &Eligibility,
        k: usize,
        radius_km: Option<f64>,
    ) -> Vec<Found<TechnicianId>> {
        let mut out: Vec<(f64, u32)> = Vec::new();
        let Some(c) = self.lookup.criteria(e) else {
            return Vec::new();
        };
        let max_km = radius_km.map_or(c.max_km(), |r| r.min(c.max_km()));
        if k == 0 || max_km.is_nan() {
            return Vec::new();
        }
        let eligible = |t: usize| {
            c.admits(self.kind[t], self.region[t]) && self.covers(t, c.cats(), c.level())
        };
        let key = self.rarest(c.cats(), c.level());
        let members = self.members(key);
        for (site, km) in self.site_trees[key].nearest_iter(at) {
            if km > max_km || (out.len() >= k && km > out[k - 1].0) {
                break;
            }
            // At most k from one site: a site's technicians all lie at the same distance.
            let here = members[site as usize]
                .iter()
                .filter(|&&t| eligible(t as usize))
                .take(k);
            out.extend(here.map(|&t| (km, t)));
        }
        // Sites at exactly the same distance merge by technician position.
        out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        out.truncate(k);
        out.into_iter()
            .map(|(km, t)| Found {
                id: self.ids[t as usize],
                outlet: self.outlets[t as usize],
                km,
            })
            .collect()
    }
}

fn skill_keys(levels: &[u8], ncat: usize, t: usize) -> impl Iterator<Item = usize> + '_ {
    (0..ncat).flat_map(move |c| (0..usize::from(levels[t * ncat + c])).map(move |l| c * 3 + l))
}
