//! A scenario's technicians and outlets, searchable by who may do the work.

use super::{GeoIndex, KeyedGeoIndex};
use crate::model::{
    CategoryId, OutletId, OutletKind, RegionId, Scenario, ServiceRequest, SkillLevel, TechnicianId,
};
use geo::Point;
use std::collections::HashMap;

/// Who may take a job: categories at a level, outlet kinds, a region, a distance.
///
/// The default admits everyone: no category, [`SkillLevel::Basic`], every
/// outlet kind, any region, any distance.
///
/// ```
/// use servnet::{CategoryId, OutletKind, SkillLevel};
/// use servnet::spatial::Eligibility;
/// let e = Eligibility::new()
///     .category(CategoryId(0))
///     .level(SkillLevel::Expert)
///     .kinds(&[OutletKind::CompanyOwned])
///     .max_km(150.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Eligibility {
    categories: Vec<CategoryId>,
    level: SkillLevel,
    kinds: [bool; 3],
    region: Option<RegionId>,
    max_km: f64,
}

impl Default for Eligibility {
    fn default() -> Self {
        Eligibility {
            categories: Vec::new(),
            level: SkillLevel::Basic,
            kinds: [true; 3],
            region: None,
            max_km: f64::INFINITY,
        }
    }
}

impl Eligibility {
    /// Admits everyone.
    pub fn new() -> Self {
        Eligibility::default()
    }

    /// What a request needs: all of its categories at the level of its difficulty.
    pub fn for_request(request: &ServiceRequest) -> Self {
        Eligibility::new()
            .categories(request.categories.iter().copied())
            .level(request.required_level())
    }

    /// Also requires this category.
    pub fn category(mut self, category: CategoryId) -> Self {
        self.categories.push(category);
        self
    }

    /// Also requires these categories.
    pub fn categories(mut self, categories: impl IntoIterator<Item = CategoryId>) -> Self {
        self.categories.extend(categories);
        self
    }

    /// The level every category needs (a higher level covers lower ones); technicians only.
    pub fn level(mut self, level: SkillLevel) -> Self {
        self.level = level;
        self
    }

    /// Only outlets (or technicians of outlets) of these kinds.
    pub fn kinds(mut self, kinds: &[OutletKind]) -> Self {
        self.kinds = OutletKind::ALL.map(|k| kinds.contains(&k));
        self
    }

    /// Only outlets (or technicians of outlets) in the cities of this region.
    pub fn region(mut self, region: RegionId) -> Self {
        self.region = Some(region);
        self
    }

    /// No farther than this great-circle distance.
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }
}

/// A technician or outlet found by a search, with its great-circle distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found<Id> {
    /// The technician or outlet.
    pub id: Id,
    /// Its outlet (for an outlet, itself).
    pub outlet: OutletId,
    /// Great-circle km from the query point to its base.
    pub km: f64,
}

/// Dense facts shared by both indexes: category positions, regions.
struct Lookup {
    category: HashMap<CategoryId, usize>,
    region: HashMap<RegionId, u32>,
}

impl Lookup {
    fn new(s: &Scenario) -> Lookup {
        Lookup {
            category: s
                .catalog()
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id, i))
                .collect(),
            region: s
                .regions()
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, i as u32))
                .collect(),
        }
    }

    /// Dense categories of `e`, or `None` when one is unknown (nobody qualifies).
    fn categories(&self, e: &Eligibility) -> Option<Vec<usize>> {
        e.categories
            .iter()
            .map(|c| self.category.get(c).copied())
            .collect()
    }

    /// Dense region of `e`: `Ok(None)` for any, `Err(())` when unknown (nobody qualifies).
    fn region(&self, e: &Eligibility) -> Result<Option<u32>, ()> {
        match e.region {
            None => Ok(None),
            Some(r) => self.region.get(&r).map(|&i| Some(i)).ok_or(()),
        }
    }
}

fn outlet_region(s: &Scenario, lookup: &Lookup, outlet: usize) -> u32 {
    s.city(s.outlets()[outlet].city)
        .and_then(|c| lookup.region.get(&c.region).copied())
        .unwrap_or(u32::MAX)
}

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
/// use servnet::spatial::{Eligibility, TechnicianIndex};
/// let day = Generator::new(Preset::province("Shandong")).requests(300).seed(2).build()?;
/// let index = TechnicianIndex::new(&day);
/// let r = &day.requests()[0];
/// let found = index.nearest(r.location, 8, &Eligibility::for_request(r));
/// assert!(found.windows(2).all(|w| w[0].km <= w[1].km));
/// # Ok::<(), servnet::Error>(())
/// ```
pub struct TechnicianIndex {
    lookup: Lookup,
    pub(crate) ncat: usize,
    /// `levels[t * ncat + c]`: 0 without the category, else level index + 1.
    pub(crate) levels: Vec<u8>,
    pub(crate) kind: Vec<u8>,
    /// Position of the technician's region in the scenario; `u32::MAX` for none.
    pub(crate) region: Vec<u32>,
    pub(crate) ids: Vec<TechnicianId>,
    pub(crate) outlets: Vec<OutletId>,
    pub(crate) base: Vec<Point<f64>>,
    pub(crate) site_of: Vec<u32>,
    pub(crate) site_point: Vec<Point<f64>>,
    /// Per skill key `c * 3 + l`, then one more for "any": the sites with such technicians.
    pub(crate) site_trees: Vec<GeoIndex<u32>>,
    /// `site_members[key * sites + site]`: those technicians, ascending.
    pub(crate) site_members: Vec<Vec<u32>>,
    /// Per skill key: how many technicians have it.
    pub(crate) skill_count: Vec<usize>,
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
                if let Some(&c) = lookup.category.get(&skill.category)
                    && outlet.categories.contains(&skill.category)
                {
                    levels[t * ncat + c] = skill.level.index() as u8 + 1;
                }
            }
            kind.push(outlet.kind.index() as u8);
            region.push(outlet_region(s, &lookup, o));
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

    /// Number of sites (distinct bases).
    pub(crate) fn sites(&self) -> usize {
        self.site_point.len()
    }

    /// Number of skill keys (`3 ×` categories), not counting "any".
    pub(crate) fn keys(&self) -> usize {
        self.ncat * 3
    }

    /// The skill keys technician `t` is listed under (not counting "any").
    pub(crate) fn skill_keys(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        skill_keys(&self.levels, self.ncat, t)
    }

    /// Whether technician `t` covers every category (dense indices) at `level` or above.
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

    /// Every technician of skill `key`, as `(technician, km)` by great-circle
    /// distance from `at`, then by index within a site.
    pub(crate) fn walk(
        &self,
        key: usize,
        at: Point<f64>,
    ) -> impl Iterator<Item = (usize, f64)> + '_ {
        let members = &self.site_members[key * self.sites()..(key + 1) * self.sites()];
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
        self.search(at, e, k, e.max_km)
    }

    /// Every eligible technician within `radius_km` (and the eligibility's `max_km`), nearest first.
    pub fn within_radius(
        &self,
        at: Point<f64>,
        radius_km: f64,
        e: &Eligibility,
    ) -> Vec<Found<TechnicianId>> {
        self.search(at, e, usize::MAX, radius_km.min(e.max_km))
    }

    fn search(
        &self,
        at: Point<f64>,
        e: &Eligibility,
        k: usize,
        max_km: f64,
    ) -> Vec<Found<TechnicianId>> {
        let mut out: Vec<(f64, u32)> = Vec::new();
        let (Some(cats), Ok(region)) = (self.lookup.categories(e), self.lookup.region(e)) else {
            return Vec::new();
        };
        if k == 0 || max_km.is_nan() {
            return Vec::new();
        }
        let eligible = |t: usize| {
            e.kinds[usize::from(self.kind[t])]
                && region.is_none_or(|r| self.region[t] == r)
                && self.covers(t, &cats, e.level)
        };
        let key = self.rarest(&cats, e.level);
        let members = &self.site_members[key * self.sites()..(key + 1) * self.sites()];
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

/// The outlets of a scenario, for nearest and radius searches by eligibility
/// (categories served, kind, region; the level does not apply to outlets).
pub struct OutletIndex {
    lookup: Lookup,
    ncat: usize,
    /// `serves[o * ncat + c]`.
    serves: Vec<bool>,
    kind: Vec<u8>,
    region: Vec<u32>,
    ids: Vec<OutletId>,
    by_category: KeyedGeoIndex<u16, u32>,
    all: GeoIndex<u32>,
}

impl OutletIndex {
    /// Indexes every outlet of the scenario at its location.
    pub fn new(s: &Scenario) -> OutletIndex {
        let lookup = Lookup::new(s);
        let ncat = s.catalog().categories.len();
        let mut serves = vec![false; s.outlets().len() * ncat];
        let mut entries = Vec::new();
        for (o, outlet) in s.outlets().iter().enumerate() {
            for c in &outlet.categories {
                if let Some(&c) = lookup.category.get(c) {
                    serves[o * ncat + c] = true;
                    entries.push((c as u16, outlet.location, o as u32));
                }
            }
        }
        OutletIndex {
            serves,
            kind: s.outlets().iter().map(|o| o.kind.index() as u8).collect(),
            region: (0..s.outlets().len())
                .map(|o| outlet_region(s, &lookup, o))
                .collect(),
            ids: s.outlets().iter().map(|o| o.id).collect(),
            by_category: KeyedGeoIndex::new(entries),
            all: GeoIndex::new(
                s.outlets()
                    .iter()
                    .enumerate()
                    .map(|(o, x)| (x.location, o as u32)),
            ),
            lookup,
            ncat,
        }
    }

    /// The `k` nearest eligible outlets, nearest first (ties by position in the scenario).
    pub fn nearest(&self, at: Point<f64>, k: usize, e: &Eligibility) -> Vec<Found<OutletId>> {
        self.search(e, |index, filter| {
            index.k_nearest_where(at, k, e.max_km, filter)
        })
    }

    /// Every eligible outlet within `radius_km` (and the eligibility's `max_km`), nearest first.
    pub fn within_radius(
        &self,
        at: Point<f64>,
        radius_km: f64,
        e: &Eligibility,
    ) -> Vec<Found<OutletId>> {
        let radius = radius_km.min(e.max_km);
        self.search(e, |index, filter| {
            index.within_radius_where(at, radius, filter)
        })
    }

    fn search(
        &self,
        e: &Eligibility,
        query: impl FnOnce(&GeoIndex<u32>, &dyn Fn(&u32) -> bool) -> Vec<(u32, f64)>,
    ) -> Vec<Found<OutletId>> {
        let (Some(cats), Ok(region)) = (self.lookup.categories(e), self.lookup.region(e)) else {
            return Vec::new();
        };
        let filter = |&o: &u32| {
            let o = o as usize;
            e.kinds[usize::from(self.kind[o])]
                && region.is_none_or(|r| self.region[o] == r)
                && cats.iter().all(|&c| self.serves[o * self.ncat + c])
        };
        let index = match cats.first() {
            Some(&c) => self.by_category.get(&(c as u16)),
            None => Some(&self.all),
        };
        index
            .map(|index| query(index, &filter))
            .unwrap_or_default()
            .into_iter()
            .map(|(o, km)| Found {
                id: self.ids[o as usize],
                outlet: self.ids[o as usize],
                km,
            })
            .collect()
    }
}
