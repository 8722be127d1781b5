//! The exact nearest-outlet search behind [`coverage`](super::coverage).

use super::report::{
    ByKind, CityCoverage, CoverageReport, CoverageTotals, NearestOutlet, RegionCoverage,
};
use super::{CoverageOptions, Promise};
use crate::error::Result;
use crate::model::{City, Outlet, OutletKind, Region, RegionId};
use crate::spatial::GeoIndex;
use crate::travel::{TravelModel, TravelSpec};
use geo::Point;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Relative and absolute (km) slack on great-circle lower bounds: the index's
/// distances agree with [`great_circle_km`](crate::spatial::great_circle_km) to well within 1e-6 relative.
const REL_SLACK: f64 = 1e-5;
const ABS_SLACK_KM: f64 = 1e-6;

/// The km floor `f` of a travel model: every leg's km ≥ `f` × great-circle km.
fn km_floor(travel: &TravelSpec) -> f64 {
    let f = travel.km_floor();
    if f.is_finite() && f > 0.0 { f } else { 0.0 }
}

/// The eligible outlets of one kind, by great-circle distance.
struct KindIndex {
    kind: OutletKind,
    /// Payload: position in the outlet slice.
    index: GeoIndex<u32>,
}

/// Everything one city's search needs.
struct Search<'a> {
    outlets: &'a [Outlet],
    kinds: Vec<KindIndex>,
    travel: &'a TravelSpec,
    promise: Promise,
    floor: f64,
    /// Great-circle km beyond which no outlet can keep the promise.
    reach_km: f64,
}

impl Search<'_> {
    /// The nearest outlet of one kind, and whether one keeps the promise.
    fn kind(&self, k: &KindIndex, city: Point<f64>) -> (Option<NearestOutlet>, bool) {
        let mut best: Option<NearestOutlet> = None;
        let mut covered = false;
        for (i, gc_km) in k.index.nearest_iter(city) {
            // No later candidate lies nearer than this, by great circle.
            let gc = gc_km * (1.0 - REL_SLACK) - ABS_SLACK_KM;
            let nearest_known = best.is_some_and(|b| gc * self.floor > b.km);
            let coverage_known = covered || gc > self.reach_km;
            if nearest_known && coverage_known {
                break;
            }
            let o = &self.outlets[i as usize];
            let leg = self.travel.leg(o.location, city);
            if !leg.km.is_finite() {
                continue;
            }
            if best.is_none_or(|b| (leg.km, o.id) < (b.km, b.outlet)) {
                best = Some(NearestOutlet {
                    outlet: o.id,
                    kind: k.kind,
                    km: leg.km,
                    minutes: leg.minutes,
                });
            }
            covered = covered || self.promise.holds(&leg);
        }
        (best, covered)
    }

    fn city(&self, c: &City) -> CityCoverage {
        let mut nearest = ByKind::<Option<NearestOutlet>>::default();
        let mut covered = ByKind::<bool>::default();
        for k in &self.kinds {
            let (n, cov) = self.kind(k, c.location);
            *nearest.get_mut(k.kind) = n;
            *covered.get_mut(k.kind) = cov;
            covered.any |= cov;
            if let Some(n) = n
                && nearest
                    .any
                    .is_none_or(|b| (n.km, n.outlet) < (b.km, b.outlet))
            {
                nearest.any = Some(n);
            }
        }
        CityCoverage {
            city: c.id,
            name: c.name.clone(),
            province: c.province.clone(),
            region: c.region,
            population: c.population,
            location: c.location,
            nearest,
            covered,
        }
    }
}

/// Measures validated parts.
pub(super) fn measure(
    cities: &[City],
    regions: &[Region],
    outlets: &[Outlet],
    travel: &TravelSpec,
    options: &CoverageOptions,
) -> Result<CoverageReport> {
    let floor = km_floor(travel);
    let promise = options.promise;
    let by_km = match promise.km {
        Some(r) if floor > 0.0 => r / floor,
        _ => f64::INFINITY,
    };
    let by_minutes = promise
        .minutes
        .map_or(f64::INFINITY, |t| travel.reach_km(t));
    let kinds = options
        .kinds
        .iter()
        .map(|&kind| KindIndex {
            kind,
            index: GeoIndex::new(
                outlets
                    .iter()
                    .zip(0_u32..)
                    .filter(|(o, _)| {
                        o.kind == kind && options.category.is_none_or(|c| o.categories.contains(&c))
                    })
                    .map(|(o, i)| (o.location, i)),
            ),
        })
        .collect();
    let search = Search {
        outlets,
        kinds,
        travel,
        promise,
        floor,
        reach_km: by_km.min(by_minutes),
    };
    let wanted = |c: &&City| {
        options.provinces.is_empty()
            || options
                .provinces
                .iter()
                .any(|p| c.province.eq_ignore_ascii_case(p))
    };
    let measured: Vec<&City> = cities.iter().filter(wanted).collect();
    let cities: Vec<CityCoverage> = measured.par_iter().map(|c| search.city(c)).collect();
    let names: BTreeMap<RegionId, &str> = regions.iter().map(|r| (r.id, r.name.as_str())).collect();
    let mut by_region: BTreeMap<RegionId, CoverageTotals> = BTreeMap::new();
    let mut total = CoverageTotals::default();
    for c in &cities {
        total.add(c);
        by_region.entry(c.region).or_default().add(c);
    }
    let regions = by_region
        .into_iter()
        .map(|(region, totals)| RegionCoverage {
            region,
            name: names.get(&region).copied().unwrap_or("").to_string(),
            totals: totals.finish(),
        })
        .collect();
    Ok(CoverageReport {
        promise,
        category: options.category,
        kinds: options.kinds.clone(),
        cities,
        regions,
        total: total.finish(),
    })
}
