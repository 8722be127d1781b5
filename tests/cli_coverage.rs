//! `servnet coverage` on a generated scenario: tables, JSON, CSV, GeoJSON, errors.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, generate_day, s, servnet, text};

#[test]
fn coverage_prints_totals_regions_and_uncovered_cities_and_writes_csv_and_json() {
    let d = dir("coverage");
    let (scenario, csv, geojson) = (d.join("gd.json"), d.join("gd.csv"), d.join("gd.geojson"));
    generate_day(&scenario, "province:Guangdong", 20, 0);

    let o = servnet(&[
        "coverage",
        s(&scenario),
        "--km",
        "50",
        "--minutes",
        "60",
        "--category",
        "air_conditioner",
        "--csv",
        s(&csv),
        "--geojson",
        s(&geojson),
    ]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    for needle in [
        "within 50 km and 60 min",
        "by kind",
        "by region",
        "South China",
        "uncovered:",
    ] {
        assert!(out.contains(needle), "`{needle}` missing from:\n{out}");
    }
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert!(rows.starts_with("city,name,province,region,region_name,population,"));

    let o = servnet(&[
        "coverage",
        s(&scenario),
        "--km",
        "50",
        "--province",
        "Guangdong",
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let cities = report["cities"].as_array().unwrap();
    assert!(!cities.is_empty());
    assert!(cities.iter().all(|c| c["province"] == "Guangdong"));
    let covered: u64 = cities
        .iter()
        .filter(|c| c["covered"]["any"] == true)
        .map(|c| c["population"].as_u64().unwrap())
        .sum();
    assert_eq!(
        report["total"]["covered_population"]["any"].as_u64(),
        Some(covered)
    );
    assert_eq!(
        report["total"]["cities"].as_u64(),
        Some(cities.len() as u64)
    );
    // One CSV row per city of the whole scenario in the first run.
    let uncovered = geojson::FeatureCollection::try_from(
        geojson::GeoJson::from_reader(std::fs::File::open(&geojson).unwrap()).unwrap(),
    )
    .unwrap();
    assert!(uncovered.features.len() < rows.lines().count());

    let o = servnet(&["coverage", s(&scenario), "--km=-3"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--km"), "{}", text(&o));
    let o = servnet(&["coverage", s(&scenario), "--category", "toaster"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("category"), "{}", text(&o));
}
