//! The shipped trunk lines: they resolve, cover mainland China, are in a
//! plausible order, and join every city into one network; bad files are
//! reported with the line and the city.

use petgraph::unionfind::UnionFind;
use servnet::io::china::{Geography, RoadKind, TrunkLine, trunk_lines_from_csv};
use servnet::spatial::great_circle_km;
use servnet::{City, CityId, ErrorKind, ProblemCode};
use std::collections::{BTreeMap, BTreeSet};

/// Consecutive cities of a line farther apart than this are an ordering mistake.
const MAX_STEP_KM: f64 = 600.0;

fn china() -> (Geography, Vec<TrunkLine>) {
    let china = Geography::china().unwrap();
    let lines = china.trunk_lines().unwrap();
    (china, lines)
}

fn by_id(china: &Geography) -> BTreeMap<CityId, &City> {
    china.cities.iter().map(|c| (c.id, c)).collect()
}

#[test]
fn every_shipped_line_resolves_with_unique_codes() {
    let (china, lines) = china();
    assert!(lines.len() >= 30, "only {} lines", lines.len());
    let codes: BTreeSet<&str> = lines.iter().map(|l| l.line.as_str()).collect();
    assert_eq!(codes.len(), lines.len(), "a line code appears twice");
    let ids = by_id(&china);
    for l in &lines {
        assert!(
            l.cities.len() >= 2,
            "{} has {} cities",
            l.line,
            l.cities.len()
        );
        assert!(l.line.starts_with('G'), "{}", l.line);
        assert!(!l.name.is_empty(), "{} has no name", l.line);
        for c in &l.cities {
            assert!(
                ids.contains_key(c),
                "{}: city id {c} not in the geography",
                l.line
            );
        }
        for w in l.cities.windows(2) {
            assert_ne!(w[0], w[1], "{}: a city twice in a row", l.line);
        }
    }
    // The radial lines G1..G7 are all there and leave from Beijing.
    let beijing = china.city_named("Beijing").unwrap().id;
    for g in 1..=7 {
        let code = format!("G{g}");
        let l = lines
            .iter()
            .find(|l| l.line == code)
            .unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(l.cities[0], beijing, "{code} does not start in Beijing");
        assert_eq!(l.kind, RoadKind::Expressway);
    }
}

#[test]
fn every_province_of_mainland_china_is_on_some_line() {
    let (china, lines) = china();
    let ids = by_id(&china);
    let on_lines: BTreeSet<&str> = lines
        .iter()
        .flat_map(|l| &l.cities)
        .map(|c| ids[c].province.as_str())
        .collect();
    let all: BTreeSet<&str> = china.cities.iter().map(|c| c.province.as_str()).collect();
    assert_eq!(all.len(), 31);
    let missing: Vec<_> = all.difference(&on_lines).collect();
    assert!(missing.is_empty(), "provinces on no line: {missing:?}");
}

#[test]
fn consecutive_cities_on_a_line_are_close() {
    let (china, lines) = china();
    let ids = by_id(&china);
    for l in &lines {
        for w in l.cities.windows(2) {
            let (a, b) = (ids[&w[0]], ids[&w[1]]);
            let d = great_circle_km(a.location, b.location);
            assert!(
                d < MAX_STEP_KM,
                "{}: {} -> {} is {d:.0} km",
                l.line,
                a.name,
                b.name
            );
        }
    }
}

#[test]
fn lines_and_nearest_connectors_join_every_city() {
    let (china, lines) = china();
    let index: BTreeMap<CityId, usize> = china
        .cities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let mut uf = UnionFind::<usize>::new(china.cities.len());
    let mut trunk = BTreeSet::new();
    for l in &lines {
        for w in l.cities.windows(2) {
            uf.union(index[&w[0]], index[&w[1]]);
        }
        trunk.extend(l.cities.iter().map(|c| index[c]));
    }
    // The trunk lines alone are one network.
    let first = *trunk.first().unwrap();
    let apart: Vec<_> = trunk
        .iter()
        .filter(|&&i| !uf.equiv(first, i))
        .map(|&i| &china.cities[i].name)
        .collect();
    assert!(
        apart.is_empty(),
        "trunk cities not joined to the rest: {apart:?}"
    );
    // With a connector from each other city to its nearest trunk city, so is China.
    for (i, c) in china.cities.iter().enumerate() {
        if trunk.contains(&i) {
            continue;
        }
        let nearest = trunk
            .iter()
            .copied()
            .min_by(|&a, &b| {
                let da = great_circle_km(c.location, china.cities[a].location);
                let db = great_circle_km(c.location, china.cities[b].location);
                da.total_cmp(&db)
            })
            .unwrap();
        uf.union(i, nearest);
    }
    let roots: BTreeSet<usize> = (0..china.cities.len()).map(|i| uf.find(i)).collect();
    assert_eq!(roots.len(), 1, "{} components", roots.len());
}

#[test]
fn ring_lines_close_on_their_first_city() {
    let (_, lines) = china();
    let g98 = lines.iter().find(|l| l.line == "G98").unwrap();
    assert_eq!(g98.cities.first(), g98.cities.last());
}

const HEADER: &str = "line,name,kind,seq,city,province\n";

fn read(rows: &str) -> servnet::Result<Vec<TrunkLine>> {
    let china = Geography::china().unwrap();
    trunk_lines_from_csv(format!("{HEADER}{rows}").as_bytes(), "test", &china)
}

#[test]
fn reads_a_user_file_in_seq_order_and_kind_defaults_to_expressway() {
    let china = Geography::china().unwrap();
    let csv = "line,name,seq,city,province\n\
               X1,Test,1,Tianjin,Tianjin\n\
               X1,Test,0,Beijing,Beijing\n\
               X1,Test,2,Cangzhou,Hebei\n";
    let lines = trunk_lines_from_csv(csv.as_bytes(), "test", &china).unwrap();
    assert_eq!(lines.len(), 1);
    let names: Vec<_> = lines[0]
        .cities
        .iter()
        .map(|id| &china.cities.iter().find(|c| c.id == *id).unwrap().name)
        .collect();
    assert_eq!(names, ["Beijing", "Tianjin", "Cangzhou"]);
    assert_eq!(lines[0].kind, RoadKind::Expressway);
}

#[test]
fn unknown_city_is_reported_with_its_line_and_name() {
    let err = read(
        "G1,A,expressway,0,Beijing,Beijing\n\
         G1,A,expressway,1,Atlantis,Hebei\n\
         G9,B,expressway,0,Tianjin,Tianjin\n\
         G9,B,expressway,1,Suzhou,Zhejiang\n",
    )
    .unwrap_err();
    let problems = err.problems();
    assert_eq!(problems.len(), 2, "{err}");
    assert!(
        problems
            .iter()
            .all(|p| p.code == ProblemCode::DanglingReference)
    );
    assert!(problems[0].message.contains("`G1`") && problems[0].message.contains("Atlantis"));
    // Suzhou exists, but not in Zhejiang.
    assert!(problems[1].message.contains("`G9`") && problems[1].message.contains("Suzhou"));
    assert_eq!(problems[0].id, Some(3), "file line of the bad row");
}

#[test]
fn gap_repeat_or_garbage_in_seq_is_reported_with_line_and_city() {
    let gap = read(
        "G1,A,expressway,0,Beijing,Beijing\n\
         G1,A,expressway,2,Tianjin,Tianjin\n",
    )
    .unwrap_err();
    let p = &gap.problems()[0];
    assert_eq!((p.code, p.field.as_str()), (ProblemCode::Shape, "seq"));
    assert!(
        p.message.contains("`G1`") && p.message.contains("Tianjin"),
        "{p}"
    );

    let repeat = read(
        "G2,A,expressway,0,Beijing,Beijing\n\
         G2,A,expressway,1,Tianjin,Tianjin\n\
         G2,A,expressway,1,Cangzhou,Hebei\n",
    )
    .unwrap_err();
    let p = &repeat.problems()[0];
    assert!(
        p.message.contains("`G2`") && p.message.contains("Cangzhou"),
        "{p}"
    );

    let garbage = read(
        "G3,A,expressway,0,Beijing,Beijing\n\
         G3,A,expressway,one,Tianjin,Tianjin\n",
    )
    .unwrap_err();
    let p = &garbage.problems()[0];
    assert_eq!(p.field, "seq");
    assert!(
        p.message.contains("`G3`") && p.message.contains("Tianjin"),
        "{p}"
    );
}

#[test]
fn unknown_kind_mixed_names_and_single_city_lines_are_reported() {
    let err = read(
        "G1,A,motorway,0,Beijing,Beijing\n\
         G1,A,motorway,1,Tianjin,Tianjin\n\
         G2,A,expressway,0,Beijing,Beijing\n\
         G2,B,expressway,1,Tianjin,Tianjin\n\
         G3,C,national_highway,0,Lhasa,Tibet\n",
    )
    .unwrap_err();
    let codes: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.field.clone()))
        .collect();
    assert!(
        codes.contains(&(ProblemCode::Shape, "kind".into())),
        "{err}"
    );
    assert!(
        codes.contains(&(ProblemCode::Inconsistent, "name/kind".into())),
        "{err}"
    );
    assert!(
        codes.contains(&(ProblemCode::Empty, "city".into())),
        "{err}"
    );
}

#[test]
fn a_row_that_cannot_be_read_is_a_syntax_error() {
    let err = read("G1,A,expressway,0,Beijing\n").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Syntax { .. }), "{err}");
}
