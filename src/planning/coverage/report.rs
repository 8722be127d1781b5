//! The report of a coverage run: per city, per region, totals.

use super::{Promise, summary};
use crate::model::{CategoryId, CityId, OutletId, OutletKind, RegionId};
use geo::Point;
use serde::Serialize;

/// One value per outlet kind, and one for any (allowed) kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ByKind<T> {
    /// Company-owned outlets.
    pub company_owned: T,
    /// Contracted outlets.
    pub contracted: T,
    /// Dealers.
    pub dealer: T,
    /// Any allowed kind.
    pub any: T,
}

impl<T> ByKind<T> {
    /// The value of one kind.
    pub fn get(&self, kind: OutletKind) -> &T {
        match kind {
            OutletKind::CompanyOwned => &self.company_owned,
            OutletKind::Contracted => &self.contracted,
            OutletKind::Dealer => &self.dealer,
        }
    }

    pub(super) fn get_mut(&mut self, kind: OutletKind) -> &mut T {
        match kind {
            OutletKind::CompanyOwned => &mut self.company_owned,
            OutletKind::Contracted => &mut self.contracted,
            OutletKind::Dealer => &mut self.dealer,
        }
    }

    /// The kinds' values then `any`'s, in the order of [`OutletKind::ALL`].
    fn all_mut(&mut self) -> [&mut T; 4] {
        [
            &mut self.company_owned,
            &mut self.contracted,
            &mut self.dealer,
            &mut self.any,
        ]
    }
}

/// The nearest outlet of a kind to a city, and the leg from it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NearestOutlet {
    /// The outlet.
    pub outlet: OutletId,
    /// Its kind.
    pub kind: OutletKind,
    /// Travel km from the outlet to the city.
    pub km: f64,
    /// Travel minutes from the outlet to the city.
    pub minutes: f64,
}

/// The coverage of one city.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityCoverage {
    /// The city.
    pub city: CityId,
    /// Its (pinyin) name.
    pub name: String,
    /// Its province.
    pub province: String,
    /// Its sales region.
    pub region: RegionId,
    /// Its population.
    pub population: u64,
    /// Its location, `[lon, lat]` in JSON.
    #[serde(with = "crate::model::lonlat")]
    pub location: Point<f64>,
    /// The nearest eligible outlet of each kind, and of any kind (`None`: none reachable).
    pub nearest: ByKind<Option<NearestOutlet>>,
    /// Whether an eligible outlet of each kind, and of any kind, keeps the promise.
    pub covered: ByKind<bool>,
}

impl CityCoverage {
    /// Whether some eligible outlet keeps the promise.
    pub fn is_covered(&self) -> bool {
        self.covered.any
    }
}

/// Cities and population, and how much of them is covered.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CoverageTotals {
    /// Cities measured.
    pub cities: usize,
    /// Their population.
    pub population: u64,
    /// Cities covered, by kind and by any kind.
    pub covered_cities: ByKind<usize>,
    /// Population of the covered cities, by kind and by any kind.
    pub covered_population: ByKind<u64>,
    /// `covered_population / population` (0 when the population is 0).
    pub covered_share: ByKind<f64>,
}

impl CoverageTotals {
    pub(super) fn add(&mut self, c: &CityCoverage) {
        self.cities += 1;
        self.population += c.population;
        let flags = [
            c.covered.company_owned,
            c.covered.contracted,
            c.covered.dealer,
            c.covered.any,
        ];
        for ((n, p), f) in self
            .covered_cities
            .all_mut()
            .into_iter()
            .zip(self.covered_population.all_mut())
            .zip(flags)
        {
            if f {
                *n += 1;
                *p += c.population;
            }
        }
    }

    pub(super) fn finish(mut self) -> Self {
        let pops = [
            self.covered_population.company_owned,
            self.covered_population.contracted,
            self.covered_population.dealer,
            self.covered_population.any,
        ];
        for (s, p) in self.covered_share.all_mut().into_iter().zip(pops) {
            *s = if self.population == 0 {
                0.0
            } else {
                p as f64 / self.population as f64
            };
        }
        self
    }
}

/// The coverage of one sales region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionCoverage {
    /// The region.
    pub region: RegionId,
    /// Its name.
    pub name: String,
    /// Its measured cities' totals.
    pub totals: CoverageTotals,
}

/// The coverage of a network; see the [module docs](super).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// The promise measured.
    pub promise: Promise,
    /// The category outlets had to service, if any.
    pub category: Option<CategoryId>,
    /// The outlet kinds that counted.
    pub kinds: Vec<OutletKind>,
    /// One entry per measured city, in the order of the input.
    pub cities: Vec<CityCoverage>,
    /// One entry per region with a measured city, by region id.
    pub regions: Vec<RegionCoverage>,
    /// Over every measured city.
    pub total: CoverageTotals,
}

impl CoverageReport {
    /// The cities no eligible outlet covers, in the order of [`CoverageReport::cities`].
    pub fn uncovered(&self) -> impl Iterator<Item = &CityCoverage> {
        self.cities.iter().filter(|c| !c.is_covered())
    }

    /// A small text table: totals by kind, the regions, and the first uncovered cities.
    pub fn summary(&self) -> String {
        summary::render(self, 10)
    }
}
