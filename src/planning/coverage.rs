//! Coverage of a service network: how far each city is from its nearest
//! outlet of each kind, and which cities (and how many people) a service
//! promise of R km and/or T minutes reaches.
//!
//! [`coverage`] measures a [`Scenario`] with its own travel model;
//! [`coverage_of`] measures plain parts (cities, regions, a list of outlets
//! and a [`TravelSpec`]), so a planner can measure a network that is not in a
//! scenario yet. Both give a [`CoverageReport`]: one [`CityCoverage`] per
//! city, one [`RegionCoverage`] per sales region, the [`CoverageTotals`], the
//! [uncovered](CoverageReport::uncovered) cities and a text
//! [summary](CoverageReport::summary).
//!
//! **Nearest** is by the travel model's km from the outlet to the city (ties
//! go to the smaller outlet id), over the outlets of one kind that service
//! the chosen category; an outlet the city cannot be reached from (a road
//! network in pieces) is never nearest. **Covered**: a city is covered by a
//! kind when some eligible outlet of that kind meets every limit of the
//! [`Promise`] — not necessarily the nearest one, which may be slower than
//! another — and covered when some allowed kind covers it.
//!
//! # Exactness
//!
//! Candidates come from the great-circle R-tree ([`GeoIndex`]) in order of
//! great-circle distance; each is measured with the travel model's
//! [`leg`](TravelModel::leg). The search stops once no later candidate can
//! beat the best km found, using a *km floor*: a factor `f` with
//! `leg km ≥ f × great-circle km` for every leg. It holds with
//! - `f` = the detour factor for [`GreatCircle`](crate::GreatCircle), whose
//!   km are the great-circle km times that factor;
//! - `f = min(1, least edge length / great-circle length of its ends)` for
//!   [`RoadTravel`]: a road leg is an access stretch (great-circle × the
//!   access detour factor, which [`RoadTravel::access`] keeps ≥ 1), a
//!   shortest path whose km are a sum of edge lengths, and another access
//!   stretch — or one access stretch when both ends snap to one node — and
//!   great-circle distance obeys the triangle inequality. Edge lengths are
//!   not required to exceed the straight line, so the floor is computed
//!   from the network's edges (China's trunk roads give 1); when it is 0
//!   every outlet of the kind is measured.
//!
//! For the promise, a candidate farther than `R / f` (km) or than the
//! model's [`reach_km`](TravelModel::reach_km)`(T)` cannot meet it. A small
//! relative slack absorbs rounding, so the result equals a scan of every
//! outlet.
//!
//! # Example
//! ```
//! use servnet::generate::{Generator, Preset};
//! use servnet::planning::coverage::{CoverageOptions, Promise, coverage};
//!
//! let scenario = Generator::new(Preset::province("Guangdong")).requests(10).build()?;
//! let options = CoverageOptions::new(Promise::km(50.0)).provinces(["Guangdong"]);
//! let report = coverage(&scenario, &options)?;
//! let covered: u64 = report.cities.iter().filter(|c| c.is_covered()).map(|c| c.population).sum();
//! assert_eq!(report.total.covered_population.any, covered);
//! assert!(report.cities.iter().all(|c| c.province == "Guangdong"));
//! println!("{}", report.summary());
//! # Ok::<(), servnet::Error>(())
//! ```

mod report;
mod search;
mod summary;

pub use report::{
    ByKind, CityCoverage, CoverageReport, CoverageTotals, NearestOutlet, RegionCoverage,
};

use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{CategoryId, City, Outlet, OutletKind, Region, Scenario};
#[cfg(doc)]
use crate::spatial::GeoIndex;
use crate::travel::{Leg, TravelSpec};
#[cfg(doc)]
use crate::travel::{RoadTravel, TravelModel};
use geo::Point;
use serde::Serialize;
use std::collections::BTreeSet;

/// A service promise: an outlet reaches a city within `km` and/or `minutes`.
///
/// With no limit at all, any reachable outlet covers a city.
///
/// ```
/// use servnet::planning::coverage::Promise;
/// let p = Promise::km(50.0).and_minutes(60.0);
/// assert_eq!((p.km, p.minutes), (Some(50.0), Some(60.0)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Promise {
    /// The most travel km, if limited.
    pub km: Option<f64>,
    /// The most travel minutes, if limited.
    pub minutes: Option<f64>,
}

impl Promise {
    /// Within `km` travel km.
    pub fn km(km: f64) -> Promise {
        Promise {
            km: Some(km),
            minutes: None,
        }
    }

    /// Within `minutes` travel minutes.
    pub fn minutes(minutes: f64) -> Promise {
        Promise {
            km: None,
            minutes: Some(minutes),
        }
    }

    /// This promise, also within `km` travel km.
    pub fn and_km(mut self, km: f64) -> Promise {
        self.km = Some(km);
        self
    }

    /// This promise, also within `minutes` travel minutes.
    pub fn and_minutes(mut self, minutes: f64) -> Promise {
        self.minutes = Some(minutes);
        self
    }

    /// Whether a leg keeps the promise: finite, and within every limit.
    pub fn holds(&self, leg: &Leg) -> bool {
        leg.km.is_finite()
            && leg.minutes.is_finite()
            && self.km.is_none_or(|r| leg.km <= r)
            && self.minutes.is_none_or(|t| leg.minutes <= t)
    }
}

impl std::fmt::Display for Promise {
    /// As it is parsed: `50km`, `90min`, `50km,90min`, or `no limit`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.km, self.minutes) {
            (Some(km), Some(min)) => write!(f, "{km}km,{min}min"),
            (Some(km), None) => write!(f, "{km}km"),
            (None, Some(min)) => write!(f, "{min}min"),
            (None, None) => f.write_str("no limit"),
        }
    }
}

impl std::str::FromStr for Promise {
    type Err = crate::ParseError;

    /// `50km`, `90min` (or `90minutes`), `50km,90min`, or a bare number of
    /// km; each number > 0 and at most [`MAX_PROMISE`](crate::limits::MAX_PROMISE).
    fn from_str(text: &str) -> Result<Promise, crate::ParseError> {
        let wrong = |reason: String| {
            crate::ParseError::new(
                "promise",
                text,
                format!(
                    "km and/or minutes, each > 0 and ≤ {}: 50km, 90min or 50km,90min",
                    crate::limits::MAX_PROMISE
                ),
            )
            .because(reason)
        };
        let mut promise = Promise::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            // The unit is the letters at the end: `1e308km` is 1e308 and km.
            let number = part.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let (slot, what) = match &part[number.len()..] {
                "" | "km" => (&mut promise.km, "km"),
                "min" | "minutes" => (&mut promise.minutes, "minutes"),
                unit => return Err(wrong(format!("`{part}` has the unknown unit `{unit}`"))),
            };
            let value: f64 = number
                .trim()
                .parse()
                .map_err(|_| wrong(format!("`{number}` in `{part}` is not a number")))?;
            if !(value.is_finite() && value > 0.0 && value <= crate::limits::MAX_PROMISE) {
                return Err(wrong(format!("`{part}` is out of range")));
            }
            if slot.replace(value).is_some() {
                return Err(wrong(format!("it gives the {what} twice")));
            }
        }
        if promise == Promise::default() {
            return Err(wrong("it is empty".to_string()));
        }
        Ok(promise)
    }
}

/// What [`coverage`] measures: the promise, and which outlets count.
///
/// Defaults: no limit, every category, every kind, every city.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageOptions {
    /// The promise a city must be reached within.
    pub promise: Promise,
    /// Only outlets servicing this product category count (default: all outlets).
    pub category: Option<CategoryId>,
    /// The outlet kinds that count, sorted (default: all).
    pub kinds: Vec<OutletKind>,
    /// Only the cities of these provinces are measured, by English name,
    /// ASCII case ignored (default, empty: every city). Outlets elsewhere still count.
    pub provinces: Vec<String>,
}

impl Default for CoverageOptions {
    fn default() -> Self {
        CoverageOptions::new(Promise::default())
    }
}

impl CoverageOptions {
    /// Options for a promise, with the other defaults.
    pub fn new(promise: Promise) -> CoverageOptions {
        CoverageOptions {
            promise,
            category: None,
            kinds: OutletKind::ALL.to_vec(),
            provinces: Vec::new(),
        }
    }

    /// Only outlets servicing `category` count.
    pub fn category(mut self, category: CategoryId) -> Self {
        self.category = Some(category);
        self
    }

    /// Only outlets of these kinds count (sorted and deduplicated).
    pub fn kinds(mut self, kinds: &[OutletKind]) -> Self {
        let set: BTreeSet<OutletKind> = kinds.iter().copied().collect();
        self.kinds = set.into_iter().collect();
        self
    }

    /// Only the cities of these provinces are measured.
    pub fn provinces<S: Into<String>>(mut self, provinces: impl IntoIterator<Item = S>) -> Self {
        self.provinces = provinces.into_iter().map(Into::into).collect();
        self
    }
}

/// The coverage of a scenario's network, with its travel model.
///
/// # Arguments
/// - `scenario`: cities, regions, outlets, catalog and travel model.
/// - `options`: the promise, category, kinds and provinces.
///
/// # Returns
/// The [`CoverageReport`].
///
/// # Complexity
/// For each city and kind, the outlets nearer (by great-circle km) than
/// the nearest by travel km divided by the km floor, or than the promise's
/// reach, are measured; see the [module docs](self).
///
/// # Errors
/// [`ErrorKind::Invalid`] listing every problem of the options: a promise
/// limit that is negative or NaN ([`ProblemCode::OutOfRange`], entity
/// `promise`, field `km` or `minutes`), a category not in the catalog
/// ([`ProblemCode::DanglingReference`], field `category`), no kind
/// ([`ProblemCode::Empty`], field `kinds`), a province no city lies in
/// ([`ProblemCode::DanglingReference`], field `provinces`).
pub fn coverage(scenario: &Scenario, options: &CoverageOptions) -> Result<CoverageReport> {
    let mut problems = option_problems(options, scenario.cities());
    if let Some(c) = options.category.filter(|&c| scenario.category(c).is_none()) {
        problems.push(Problem::new(
            ProblemCode::DanglingReference,
            "coverage options",
            None,
            "category",
            format!("category {c} is not in the catalog"),
        ));
    }
    fail_on(problems)?;
    search::measure(
        scenario.cities(),
        scenario.regions(),
        scenario.outlets(),
        scenario.travel(),
        options,
    )
}

/// The coverage of a list of outlets over cities and regions, with a travel model.
///
/// As [`coverage`], for a network that is not in a scenario. There is no
/// catalog to check the category against: a category no outlet services
/// leaves every city uncovered. The travel model is a [`TravelSpec`] (not
/// any [`TravelModel`]) because exact nearest needs its km floor (see the
/// [module docs](self)).
///
/// # Errors
/// As [`coverage`] for the options (but the category); and
/// [`ErrorKind::Invalid`] listing every problem of the parts: a city or
/// outlet whose location is not WGS84 ([`ProblemCode::BadCoordinate`],
/// field `location`), a city whose region is not in `regions`
/// ([`ProblemCode::DanglingReference`], field `region`), two regions with
/// one id ([`ProblemCode::DuplicateId`]), a travel spec out of range or
/// whose road network is not loaded (entity `travel`).
pub fn coverage_of(
    cities: &[City],
    regions: &[Region],
    outlets: &[Outlet],
    travel: &TravelSpec,
    options: &CoverageOptions,
) -> Result<CoverageReport> {
    let mut problems = option_problems(options, cities);
    let mut region_ids = BTreeSet::new();
    for r in regions {
        if !region_ids.insert(r.id) {
            problems.push(Problem::new(
                ProblemCode::DuplicateId,
                "region",
                Some(r.id.into()),
                "id",
                format!("region {} is listed twice", r.id),
            ));
        }
    }
    let bad_point = |entity, id: u64, p: Point<f64>| {
        Problem::new(
            ProblemCode::BadCoordinate,
            entity,
            Some(id),
            "location",
            format!("[{}, {}] is not a WGS84 lon/lat", p.x(), p.y()),
        )
    };
    for c in cities {
        if !crate::model::lonlat::is_valid(c.location) {
            problems.push(bad_point("city", c.id.into(), c.location));
        }
        if !region_ids.contains(&c.region) {
            problems.push(Problem::new(
                ProblemCode::DanglingReference,
                "city",
                Some(c.id.into()),
                "region",
                format!("region {} is not in the regions", c.region),
            ));
        }
    }
    for o in outlets {
        if !crate::model::lonlat::is_valid(o.location) {
            problems.push(bad_point("outlet", o.id.into(), o.location));
        }
    }
    crate::model::validate_travel(travel, &mut problems);
    fail_on(problems)?;
    search::measure(cities, regions, outlets, travel, options)
}

fn fail_on(problems: Vec<Problem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ErrorKind::Invalid(problems).into())
    }
}

fn option_problems(options: &CoverageOptions, cities: &[City]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let limits = [
        ("km", options.promise.km),
        ("minutes", options.promise.minutes),
    ];
    for (field, limit) in limits {
        if let Some(v) = limit.filter(|v| v.is_nan() || *v < 0.0) {
            problems.push(Problem::new(
                ProblemCode::OutOfRange,
                "promise",
                None,
                field,
                format!("{v} is not a limit ≥ 0"),
            ));
        }
    }
    if options.kinds.is_empty() {
        problems.push(Problem::new(
            ProblemCode::Empty,
            "coverage options",
            None,
            "kinds",
            "no outlet kind counts",
        ));
    }
    for p in &options.provinces {
        if !cities.iter().any(|c| c.province.eq_ignore_ascii_case(p)) {
            problems.push(Problem::new(
                ProblemCode::DanglingReference,
                "coverage options",
                None,
                "provinces",
                format!("no city lies in province `{p}`"),
            ));
        }
    }
    problems
}
