//! [`Eligibility`], who a search admits (categories at a level, outlet kinds,
//! a region, a distance), its answer [`Found`], and how a scenario resolves
//! the criteria into the dense positions the indexes store.

use crate::model::{
    CategoryId, OutletId, OutletKind, RegionId, Scenario, ServiceRequest, SkillLevel,
};
use std::collections::HashMap;

/// Who may take a job: categories at a level, outlet kinds, a region, a distance.
///
/// The default admits everyone: no category, [`SkillLevel::Basic`], every
/// outlet kind, any region, any distance.
///
/// ```
/// use servnet::{CategoryId, OutletKind, SkillLevel};
/// use servnet::dispatch::Eligibility;
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

/// An [`Eligibility`] in the dense positions of one scenario.
pub(super) struct Criteria {
    /// Dense catalog positions of the categories asked for.
    cats: Vec<usize>,
    level: SkillLevel,
    kinds: [bool; 3],
    /// Dense position of the region asked for; `None` for any.
    region: Option<u32>,
    max_km: f64,
}

impl Criteria {
    /// The categories asked for, as dense catalog positions.
    pub(super) fn cats(&self) -> &[usize] {
        &self.cats
    }

    /// The level every category needs.
    pub(super) fn level(&self) -> SkillLevel {
        self.level
    }

    /// The distance cap of the eligibility.
    pub(super) fn max_km(&self) -> f64 {
        self.max_km
    }

    /// Whether an outlet of kind `kind` (by [`OutletKind::index`]) in the
    /// region at dense position `region` is admitted.
    pub(super) fn admits(&self, kind: u8, region: u32) -> bool {
        self.kinds[usize::from(kind)] && self.region.is_none_or(|r| region == r)
    }
}

/// Dense facts shared by both indexes: category positions, regions.
pub(super) struct Lookup {
    category: HashMap<CategoryId, usize>,
    region: HashMap<RegionId, u32>,
}

impl Lookup {
    pub(super) fn new(s: &Scenario) -> Lookup {
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

    /// The dense catalog position of a category, if it is in the catalog.
    pub(super) fn category(&self, c: &CategoryId) -> Option<usize> {
        self.category.get(c).copied()
    }

    /// `e` in dense positions, or `None` when one of its categories or its
    /// region is unknown (nobody qualifies).
    pub(super) fn criteria(&self, e: &Eligibility) -> Option<Criteria> {
        let cats = e
            .categories
            .iter()
            .map(|c| self.category(c))
            .collect::<Option<Vec<usize>>>()?;
        let region = match e.region {
            None => None,
            Some(r) => Some(*self.region.get(&r)?),
        };
        Some(Criteria {
            cats,
            level: e.level,
            kinds: e.kinds,
            region,
            max_km: e.max_km,
        })
    }

    /// Dense position of the region of outlet `outlet`; `u32::MAX` for none.
    pub(super) fn outlet_region(&self, s: &Scenario, outlet: usize) -> u32 {
        s.city(s.outlets()[outlet].city)
            .and_then(|c| self.region.get(&c.region).copied())
            .unwrap_or(u32::MAX)
    }
}
