//! The text summary of a [`CoverageReport`].

use super::{CoverageReport, CoverageTotals};
use crate::model::OutletKind;
use std::fmt::Write;

fn millions(people: u64) -> f64 {
    people as f64 / 1e6
}

fn promise_text(report: &CoverageReport) -> String {
    let mut parts = Vec::new();
    if let Some(km) = report.promise.km {
        parts.push(format!("{km} km"));
    }
    if let Some(min) = report.promise.minutes {
        parts.push(format!("{min} min"));
    }
    if parts.is_empty() {
        "reachable (no limit)".to_string()
    } else {
        format!("within {}", parts.join(" and "))
    }
}

/// One row of a table: a label, then cities and population covered of the totals.
fn row(
    out: &mut String,
    label: &str,
    cities: usize,
    population: u64,
    t: &CoverageTotals,
    share: f64,
) {
    let _ = writeln!(
        out,
        "{label:<24} {cities:>6}/{:<6} {:>9.2}/{:<9.2} {:>6.1}%",
        t.cities,
        millions(population),
        millions(t.population),
        100.0 * share
    );
}

/// Totals by kind, one row per region, and the first `first` uncovered cities.
pub(super) fn render(report: &CoverageReport, first: usize) -> String {
    let mut out = String::new();
    let t = &report.total;
    let category = report
        .category
        .map_or_else(|| "any category".to_string(), |c| format!("category {c}"));
    let kinds: Vec<&str> = report.kinds.iter().map(|k| k.as_str()).collect();
    let _ = writeln!(
        out,
        "coverage {} ({category}; kinds {}): {} of {} cities, {:.2} of {:.2} M people ({:.1}%)",
        promise_text(report),
        kinds.join(", "),
        t.covered_cities.any,
        t.cities,
        millions(t.covered_population.any),
        millions(t.population),
        100.0 * t.covered_share.any
    );
    let header = |out: &mut String, first: &str| {
        let _ = writeln!(
            out,
            "{first:<24} {:>13} {:>19} {:>7}",
            "cities", "people (M)", "share"
        );
    };
    header(&mut out, "by kind");
    for kind in OutletKind::ALL {
        if report.kinds.contains(&kind) {
            row(
                &mut out,
                kind.as_str(),
                *t.covered_cities.get(kind),
                *t.covered_population.get(kind),
                t,
                *t.covered_share.get(kind),
            );
        }
    }
    row(
        &mut out,
        "any",
        t.covered_cities.any,
        t.covered_population.any,
        t,
        t.covered_share.any,
    );
    header(&mut out, "by region");
    for r in &report.regions {
        let rt = &r.totals;
        row(
            &mut out,
            &format!("{} {}", r.region, r.name),
            rt.covered_cities.any,
            rt.covered_population.any,
            rt,
            rt.covered_share.any,
        );
    }
    let uncovered = t.cities - t.covered_cities.any;
    let _ = writeln!(out, "uncovered: {uncovered} cities");
    for c in report.uncovered().take(first) {
        let nearest = c.nearest.any.map_or_else(
            || "no outlet reachable".to_string(),
            |n| {
                format!(
                    "{:.1} km, {:.0} min to outlet {}",
                    n.km, n.minutes, n.outlet
                )
            },
        );
        let _ = writeln!(
            out,
            "  {} {} ({}, {} people): {nearest}",
            c.city, c.name, c.province, c.population
        );
    }
    if uncovered > first {
        let _ = writeln!(out, "  … {} more", uncovered - first);
    }
    out
}
