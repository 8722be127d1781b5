//! A [`CoverageReport`] as CSV (one row per city) and its uncovered cities as GeoJSON.

use super::geojson::{feature, point};
use crate::error::{ErrorKind, Result};
use crate::model::{OutletKind, RegionId};
use crate::planning::coverage::{CityCoverage, CoverageReport, NearestOutlet};
use ::geojson::FeatureCollection;
use serde_json::json;
use std::collections::BTreeMap;

/// The columns of each nearest outlet, after the city's.
const KINDS: [&str; 4] = ["company_owned", "contracted", "dealer", "any"];

fn nearest_of(c: &CityCoverage) -> [Option<NearestOutlet>; 4] {
    let n = &c.nearest;
    [
        *n.get(OutletKind::CompanyOwned),
        *n.get(OutletKind::Contracted),
        *n.get(OutletKind::Dealer),
        n.any,
    ]
}

/// Writes a coverage report as CSV, one row per city in the report's order.
///
/// Columns: `city, name, province, region, region_name, population`, then
/// for each of `company_owned`, `contracted`, `dealer` and `any` the nearest
/// outlet's `…_outlet`, `…_km` and `…_minutes` (empty when there is none;
/// 3 decimals), then `covered` (`true`/`false`).
///
/// # Example
/// ```
/// use servnet::generate::{Generator, Preset};
/// use servnet::io::coverage::write_coverage_csv;
/// use servnet::planning::coverage::{CoverageOptions, Promise, coverage};
///
/// let s = Generator::new(Preset::province("Hainan")).requests(10).build()?;
/// let report = coverage(&s, &CoverageOptions::new(Promise::km(30.0)).provinces(["Hainan"]))?;
/// let mut out = Vec::new();
/// write_coverage_csv(&report, &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text.lines().count(), report.cities.len() + 1);
/// assert!(text.starts_with("city,name,province,region,region_name,population,company_owned_outlet"));
/// # Ok::<(), servnet::Error>(())
/// ```
///
/// # Errors
/// [`ErrorKind::Io`] (path `coverage CSV`) when the writer fails.
pub fn write_coverage_csv(report: &CoverageReport, writer: impl std::io::Write) -> Result<()> {
    let fail = |e: csv::Error| -> crate::Error {
        ErrorKind::Io {
            path: "coverage CSV".to_string(),
            source: e.into(),
        }
        .into()
    };
    let names: BTreeMap<RegionId, &str> = report
        .regions
        .iter()
        .map(|r| (r.region, r.name.as_str()))
        .collect();
    let mut w = csv::Writer::from_writer(writer);
    let mut header: Vec<String> = [
        "city",
        "name",
        "province",
        "region",
        "region_name",
        "population",
    ]
    .map(String::from)
    .to_vec();
    for k in KINDS {
        for field in ["outlet", "km", "minutes"] {
            header.push(format!("{k}_{field}"));
        }
    }
    header.push("covered".to_string());
    w.write_record(&header).map_err(fail)?;
    for c in &report.cities {
        let mut row = vec![
            c.city.to_string(),
            c.name.clone(),
            c.province.clone(),
            c.region.to_string(),
            names.get(&c.region).copied().unwrap_or("").to_string(),
            c.population.to_string(),
        ];
        for n in nearest_of(c) {
            match n {
                Some(n) => row.extend([
                    n.outlet.to_string(),
                    format!("{:.3}", n.km),
                    format!("{:.3}", n.minutes),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        row.push(c.is_covered().to_string());
        w.write_record(&row).map_err(fail)?;
    }
    w.flush().map_err(|e| fail(e.into()))
}

/// The uncovered cities of a report as GeoJSON points, in the report's order.
///
/// Each feature's id is `city-<id>`; its properties: `feature`
/// (`uncovered_city`), `city`, `name`, `province`, `region`, `population`,
/// and the nearest outlet of any kind (`nearest_outlet`, `nearest_km`,
/// `nearest_minutes`, null when none is reachable).
///
/// # Example
/// ```
/// use servnet::generate::{Generator, Preset};
/// use servnet::io::coverage::uncovered_geojson;
/// use servnet::planning::coverage::{CoverageOptions, Promise, coverage};
///
/// let s = Generator::new(Preset::province("Hainan")).requests(10).build()?;
/// let report = coverage(&s, &CoverageOptions::new(Promise::km(10.0)).provinces(["Hainan"]))?;
/// let fc = uncovered_geojson(&report);
/// assert_eq!(fc.features.len(), report.uncovered().count());
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn uncovered_geojson(report: &CoverageReport) -> FeatureCollection {
    let features: Vec<::geojson::Feature> = report
        .uncovered()
        .map(|c| {
            let n = c.nearest.any;
            feature(
                format!("city-{}", c.city),
                point(c.location),
                json!({
                    "feature": "uncovered_city",
                    "city": c.city.0,
                    "name": c.name,
                    "province": c.province,
                    "region": c.region.0,
                    "population": c.population,
                    "nearest_outlet": n.map(|n| n.outlet.0),
                    "nearest_km": n.map(|n| n.km),
                    "nearest_minutes": n.map(|n| n.minutes),
                }),
            )
        })
        .collect();
    FeatureCollection::new(features)
}
