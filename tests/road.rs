//! The road network: Dijkstra and A* against a Floyd–Warshall reference on
//! random graphs with disconnected pieces, snapping against brute force, the
//! CSV and GeoJSON loaders, `RoadTravel`'s legs and matrix, and — when the
//! OR-Library files are present — the p-median graphs' distances.

// Distance matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use geo::Point;
use petgraph::graph::NodeIndex;
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, RngSeed};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::io::orlib::{read_pmed_file, read_pmed_str};
use servnet::io::roads::{
    read_road_csv_str, read_road_geojson_str, road_csv_string, road_geojson_string,
};
use servnet::spatial::great_circle_km;
use servnet::travel::road::{Metric, RoadClass, RoadNetwork, RoadTravel, SpeedTable};
use servnet::{ErrorKind, ProblemCode, TravelModel};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x40ad),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a == b) || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Floyd–Warshall over an n × n matrix, infinity for no path.
fn floyd_warshall(n: usize, edges: &[(usize, usize, f64)]) -> Vec<Vec<f64>> {
    let mut d = vec![vec![f64::INFINITY; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0.0;
    }
    for &(a, b, w) in edges {
        if w < d[a][b] {
            d[a][b] = w;
            d[b][a] = w;
        }
    }
    for k in 0..n {
        for i in 0..n {
            let dik = d[i][k];
            if dik.is_infinite() {
                continue;
            }
            for j in 0..n {
                let via = dik + d[k][j];
                if via < d[i][j] {
                    d[i][j] = via;
                }
            }
        }
    }
    d
}

const CLASSES: [RoadClass; 5] = RoadClass::ALL;

/// A random geographic graph: points around south China, edges with
/// lengths from 0.5 to 2 times their great-circle length (so some are
/// shorter than the straight line), between random pairs; often in pieces.
/// Points, and edges as (from, to, km, class position).
type Graph = (Vec<Point<f64>>, Vec<(usize, usize, f64, usize)>);

fn graph() -> impl Strategy<Value = Graph> {
    (1_usize..=30).prop_flat_map(|n| {
        let points = prop::collection::vec((105.0..115.0_f64, 20.0..28.0_f64), n);
        let edges = prop::collection::vec((0..n, 0..n, 0.5..2.0_f64, 0..5_usize), 0..=2 * n);
        (points, edges).prop_map(|(ps, es)| {
            let ps: Vec<Point<f64>> = ps.into_iter().map(|(x, y)| Point::new(x, y)).collect();
            let es = es
                .into_iter()
                .map(|(a, b, f, c)| (a, b, great_circle_km(ps[a], ps[b]) * f, c))
                .collect();
            (ps, es)
        })
    })
}

fn build(points: &[Point<f64>], edges: &[(usize, usize, f64, usize)]) -> RoadNetwork {
    let mut b = RoadNetwork::builder();
    for (i, &p) in points.iter().enumerate() {
        // User ids differ from indices, to catch a mix-up.
        b.add_node(1000 + 7 * i as u64, p);
    }
    for &(x, y, km, c) in edges {
        b.add_edge(1000 + 7 * x as u64, 1000 + 7 * y as u64, km, CLASSES[c]);
    }
    b.build().expect("valid network")
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn dijkstra_and_astar_equal_floyd_warshall((points, edges) in graph()) {
        let net = build(&points, &edges);
        let n = points.len();
        let speeds = SpeedTable::default();
        let km_edges: Vec<_> = edges.iter().map(|&(a, b, km, _)| (a, b, km)).collect();
        let min_edges: Vec<_> = edges
            .iter()
            .map(|&(a, b, km, c)| (a, b, km / speeds.speed_kmh(CLASSES[c]) * 60.0))
            .collect();
        let fw_km = floyd_warshall(n, &km_edges);
        let fw_min = floyd_warshall(n, &min_edges);
        let all_km = net.all_pairs(Metric::Km);
        for i in 0..n {
            for j in 0..n {
                let (a, b) = (NodeIndex::new(i), NodeIndex::new(j));
                prop_assert_eq!(net.connected(a, b), fw_km[i][j].is_finite());
                for (metric, fw) in [(Metric::Km, &fw_km), (Metric::Minutes, &fw_min)] {
                    let d = net.path(a, b, metric);
                    let s = net.path_astar(a, b, metric);
                    prop_assert_eq!(d.is_some(), fw[i][j].is_finite(), "{} {}", i, j);
                    prop_assert_eq!(s.is_some(), fw[i][j].is_finite());
                    if let (Some(d), Some(s)) = (d, s) {
                        let (dv, sv) = match metric {
                            Metric::Km => (d.km, s.km),
                            _ => (d.minutes, s.minutes),
                        };
                        prop_assert!(close(dv, fw[i][j]), "{:?} {}→{}: {} vs FW {}", metric, i, j, dv, fw[i][j]);
                        prop_assert!(close(sv, fw[i][j]), "A* {:?} {}→{}: {} vs FW {}", metric, i, j, sv, fw[i][j]);
                        prop_assert_eq!(d.nodes.first(), Some(&a));
                        prop_assert_eq!(d.nodes.last(), Some(&b));
                        prop_assert_eq!(s.nodes.last(), Some(&b));
                        // The other unit is that of a real path: never below its own shortest.
                        let (other, fw_other) = match metric {
                            Metric::Km => (d.minutes, &fw_min),
                            _ => (d.km, &fw_km),
                        };
                        prop_assert!(other >= fw_other[i][j] - 1e-9 * other.max(1.0));
                    }
                }
                prop_assert_eq!(all_km[i][j].is_some(), fw_km[i][j].is_finite());
                if let Some(d) = all_km[i][j] {
                    prop_assert!(close(d, fw_km[i][j]));
                    for k in 0..n {
                        if let (Some(x), Some(y)) = (all_km[i][k], all_km[k][j]) {
                            prop_assert!(d <= x + y + 1e-9 * (x + y).max(1.0), "triangle {} {} {}", i, k, j);
                        }
                    }
                }
            }
        }
        let comps = net.components();
        prop_assert_eq!(comps.len(), net.component_count());
        prop_assert_eq!(comps.iter().map(Vec::len).sum::<usize>(), n);
    }

    #[test]
    fn road_travel_legs_match_the_matrix_and_reach_bounds_them((points, edges) in graph(), seed in any::<u64>()) {
        let net = Arc::new(build(&points, &edges));
        let travel = RoadTravel::new(Arc::clone(&net));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut pick = || Point::new(rng.random_range(104.0..116.0), rng.random_range(19.0..29.0));
        let sources: Vec<Point<f64>> = (0..6).map(|_| pick()).chain([points[0]]).collect();
        let targets: Vec<Point<f64>> = (0..5).map(|_| pick()).chain([points[0]]).collect();
        let cold = RoadTravel::new(Arc::clone(&net)).many_to_many(&sources, &targets);
        for (i, &s) in sources.iter().enumerate() {
            for (j, &t) in targets.iter().enumerate() {
                let leg = travel.leg(s, t);
                let a = net.snap(s).unwrap();
                let b = net.snap(t).unwrap();
                match cold.get(i, j) {
                    Some(cell) => {
                        prop_assert_eq!(cell, leg);
                        prop_assert!(leg.km.is_finite() && leg.minutes.is_finite());
                        prop_assert!(great_circle_km(s, t) <= travel.reach_km(leg.minutes));
                        prop_assert!(net.connected(a.node, b.node));
                    }
                    None => {
                        prop_assert!(leg.km.is_infinite() && leg.minutes.is_infinite());
                        prop_assert!(!net.connected(a.node, b.node));
                    }
                }
            }
        }
        // Warm: the same matrix from the filled cache.
        prop_assert_eq!(travel.many_to_many(&sources, &targets), cold);
        prop_assert_eq!(travel.leg(points[0], points[0]).km, 0.0);
    }

    #[test]
    fn abstract_graphs_equal_floyd_warshall(
        n in 1_usize..=30,
        edges in prop::collection::vec((0..30_usize, 0..30_usize, 0..100_u32), 0..60),
    ) {
        let edges: Vec<(usize, usize, f64)> =
            edges.into_iter().map(|(a, b, w)| (a % n, b % n, f64::from(w))).collect();
        let net = RoadNetwork::from_graph_lengths(
            (1..=n as u64).rev(),
            edges.iter().map(|&(a, b, w)| (n as u64 - a as u64, n as u64 - b as u64, w)),
        ).unwrap();
        prop_assert!(!net.is_geographic());
        let fw = floyd_warshall(n, &edges);
        let all = net.all_pairs(Metric::Km);
        for i in 0..n {
            for j in 0..n {
                prop_assert_eq!(all[i][j], fw[i][j].is_finite().then_some(fw[i][j]));
                let astar = net.path_astar(NodeIndex::new(i), NodeIndex::new(j), Metric::Km);
                prop_assert_eq!(astar.map(|p| p.km), all[i][j]);
            }
        }
    }
}

#[test]
fn snapping_finds_the_true_nearest_node() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut b = RoadNetwork::builder();
    let points: Vec<Point<f64>> = (0..300)
        .map(|_| Point::new(rng.random_range(73.0..135.0), rng.random_range(18.0..53.0)))
        .collect();
    for (i, &p) in points.iter().enumerate() {
        b.add_node(i as u64, p);
    }
    let net = b.build().unwrap();
    for _ in 0..500 {
        let q = Point::new(rng.random_range(70.0..140.0), rng.random_range(15.0..55.0));
        let best = points
            .iter()
            .map(|&p| great_circle_km(p, q))
            .fold(f64::INFINITY, f64::min);
        let snap = net.snap(q).unwrap();
        let own = great_circle_km(net.node(snap.node).unwrap().point, q);
        assert!(
            close(own, best),
            "{q:?}: snapped {own} km, nearest {best} km"
        );
        assert!((snap.distance_km - best).abs() <= 1e-6 * best.max(1.0));
    }
    assert!(net.snap(Point::new(f64::NAN, 0.0)).is_none());
}

#[test]
fn builder_names_field_and_id_of_every_problem() {
    let err = RoadNetwork::builder()
        .node(1, Point::new(100.0, 30.0))
        .node(1, Point::new(101.0, 30.0))
        .node(2, Point::new(f64::NAN, 30.0))
        .node(3, Point::new(100.0, 95.0))
        .edge(1, 9, 3.0, RoadClass::Local)
        .edge(1, 3, -1.0, RoadClass::Local)
        .speeds(SpeedTable::default().kmh(RoadClass::Highway, 0.0))
        .build()
        .unwrap_err();
    let got: Vec<(ProblemCode, &str, Option<u64>, &str)> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.entity, p.id, p.field.as_str()))
        .collect();
    for want in [
        (ProblemCode::NonPositive, "speed table", None, "highway"),
        (
            ProblemCode::BadCoordinate,
            "road node",
            Some(2),
            "point.lon",
        ),
        (
            ProblemCode::BadCoordinate,
            "road node",
            Some(3),
            "point.lat",
        ),
        (ProblemCode::DuplicateId, "road node", Some(1), "id"),
        (ProblemCode::DanglingReference, "road edge", Some(0), "to"),
        (ProblemCode::OutOfRange, "road edge", Some(1), "length_km"),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert_eq!(got.len(), 6, "{got:?}");
}

fn random_network(seed: u64) -> RoadNetwork {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let points: Vec<Point<f64>> = (0..20)
        .map(|_| Point::new(rng.random_range(110.0..112.0), rng.random_range(22.0..24.0)))
        .collect();
    let edges: Vec<_> = (0..40)
        .map(|_| {
            let (a, b) = (rng.random_range(0..20), rng.random_range(0..20));
            let km = great_circle_km(points[a], points[b]) * rng.random_range(1.0..1.5);
            (a, b, km, rng.random_range(0..5))
        })
        .filter(|&(a, b, _, _)| a != b)
        .collect();
    build(&points, &edges)
}

type EdgeKey = ((u64, u64), (u64, u64), String);

/// The edges as (rounded end points, sorted; class), with their lengths.
fn edge_set(net: &RoadNetwork) -> Vec<(EdgeKey, f64)> {
    use petgraph::visit::EdgeRef;
    let g = net.graph();
    let key = |p: Point<f64>| ((p.x() * 1e7).round() as u64, (p.y() * 1e7).round() as u64);
    let mut out: Vec<_> = g
        .edge_references()
        .map(|e| {
            let (a, b) = (key(g[e.source()].point), key(g[e.target()].point));
            let (a, b) = (a.min(b), a.max(b));
            (
                (a, b, e.weight().class.as_str().to_string()),
                e.weight().length_km,
            )
        })
        .collect();
    out.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
    out
}

#[test]
fn csv_round_trip_keeps_nodes_and_edges() {
    let net = random_network(5);
    let text = road_csv_string(&net);
    let back = read_road_csv_str(&text, "round trip").unwrap();
    assert_eq!(back.edge_count(), net.edge_count());
    for n in back.graph().node_weights() {
        let i = net.node_index(n.id).expect("same ids");
        assert_eq!(net.node(i).unwrap().point, n.point);
    }
    assert_eq!(edge_set(&back), edge_set(&net));
    assert_eq!(road_csv_string(&back), text);
}

#[test]
fn geojson_round_trip_keeps_the_graph() {
    let net = random_network(6);
    let text = road_geojson_string(&net);
    let back = read_road_geojson_str(&text, "round trip").unwrap();
    assert_eq!(back.edge_count(), net.edge_count());
    let (x, y) = (edge_set(&net), edge_set(&back));
    assert_eq!(x.len(), y.len());
    for (a, b) in x.iter().zip(&y) {
        assert_eq!(a.0, b.0);
        assert!(close(a.1, b.1), "{} vs {}", a.1, b.1);
    }
    // Shortest paths agree between the original and the one read back.
    let p = net.graph()[NodeIndex::new(0)].point;
    let (s0, s1) = (net.snap(p).unwrap(), back.snap(p).unwrap());
    let (d0, d1) = (
        net.distances_from(s0.node, Metric::Km),
        back.distances_from(s1.node, Metric::Km),
    );
    let mut f0: Vec<f64> = d0.into_iter().flatten().collect();
    let mut f1: Vec<f64> = d1.into_iter().flatten().collect();
    f0.sort_by(f64::total_cmp);
    f1.sort_by(f64::total_cmp);
    assert_eq!(f0.len(), f1.len());
    assert!(f0.iter().zip(&f1).all(|(a, b)| close(*a, *b)));
}

#[test]
fn geojson_joins_lines_at_shared_coordinates_and_maps_osm_classes() {
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"highway":"motorway","length_km":30},
       "geometry":{"type":"LineString","coordinates":[[113.0,23.0],[113.1,23.0],[113.2,23.0]]}},
      {"type":"Feature","properties":{"highway":"residential"},
       "geometry":{"type":"LineString","coordinates":[[113.10000000001,23.0],[113.1,23.1]]}}
    ]}"#;
    let net = read_road_geojson_str(text, "t").unwrap();
    assert_eq!((net.node_count(), net.edge_count()), (4, 3));
    assert_eq!(net.component_count(), 1);
    let classes: Vec<RoadClass> = net.graph().edge_weights().map(|e| e.class).collect();
    assert_eq!(
        classes,
        [
            RoadClass::Expressway,
            RoadClass::Expressway,
            RoadClass::Local
        ]
    );
    let total: f64 = net
        .graph()
        .edge_weights()
        .take(2)
        .map(|e| e.length_km)
        .sum();
    assert!(close(total, 30.0));
}

fn problem_fields(err: &servnet::Error) -> Vec<(ProblemCode, Option<u64>, String)> {
    err.problems()
        .iter()
        .map(|p| (p.code, p.id, p.field.clone()))
        .collect()
}

#[test]
fn csv_errors_name_line_and_field() {
    let head = "from_id,from_lon,from_lat,to_id,to_lon,to_lat,length_km,class\n";
    let text = format!(
        "{head}1,113,23,2,114,23,,local\n2,114,95,3,115,23,5,local\n3,115,23,4,116,23,-2,avenue\n1,113.5,23,4,116,23,x,local\n"
    );
    let err = read_road_csv_str(&text, "bad.csv").unwrap_err();
    let got = problem_fields(&err);
    for want in [
        (ProblemCode::BadCoordinate, Some(3), "from_lat".to_string()),
        (ProblemCode::OutOfRange, Some(4), "length_km".to_string()),
        (ProblemCode::Shape, Some(4), "class".to_string()),
        (ProblemCode::Inconsistent, Some(5), "from_lon".to_string()),
        (ProblemCode::Shape, Some(5), "length_km".to_string()),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    let err = read_road_csv_str("from_id,from_lon\n1,2\n", "short.csv").unwrap_err();
    assert!(
        problem_fields(&err)
            .iter()
            .any(|p| p.2 == "class" && p.1 == Some(1))
    );
    let ok = read_road_csv_str(&format!("{head}1,113,23,2,114,23,,local\n"), "x").unwrap();
    let e = ok.graph().edge_weights().next().unwrap();
    assert!(close(
        e.length_km,
        great_circle_km(Point::new(113.0, 23.0), Point::new(114.0, 23.0))
    ));
}

#[test]
fn geojson_errors_name_feature_and_field() {
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"class":"local"},
       "geometry":{"type":"LineString","coordinates":[[113.0,23.0],[113.1,23.0]]}},
      {"type":"Feature","properties":{"class":"local"},"geometry":{"type":"Point","coordinates":[1.0,2.0]}},
      {"type":"Feature","properties":{"highway":"skyway"},
       "geometry":{"type":"LineString","coordinates":[[113.0,23.0],[113.1,23.0]]}},
      {"type":"Feature","properties":{"class":"local","length_km":-3},
       "geometry":{"type":"LineString","coordinates":[[113.0,23.0],[200.0,23.0]]}},
      {"type":"Feature","properties":{},
       "geometry":{"type":"LineString","coordinates":[[113.0,23.0]]}}
    ]}"#;
    let err = read_road_geojson_str(text, "bad.geojson").unwrap_err();
    let got = problem_fields(&err);
    for want in [
        (ProblemCode::Shape, Some(1), "geometry".to_string()),
        (
            ProblemCode::Shape,
            Some(2),
            "properties.highway".to_string(),
        ),
        (
            ProblemCode::OutOfRange,
            Some(3),
            "properties.length_km".to_string(),
        ),
        (
            ProblemCode::BadCoordinate,
            Some(3),
            "geometry.coordinates[1]".to_string(),
        ),
        (ProblemCode::Shape, Some(4), "properties.class".to_string()),
        (
            ProblemCode::Shape,
            Some(4),
            "geometry.coordinates".to_string(),
        ),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert_eq!(got.len(), 6, "{got:?}");
    let err = read_road_geojson_str("{\"type\": \"FeatureCollection\",\n \"features\": [}", "x")
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Syntax { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn pmed_reader_keeps_the_last_of_a_repeated_edge() {
    let text = "4 4 2\n1 2 10\n2 3 5\n2 1 3\n3 4 1\n";
    let g = read_pmed_str(text, "t").unwrap();
    assert_eq!((g.vertices, g.p, g.edge_lines), (4, 2, 4));
    assert_eq!(g.edges, [(1, 2, 3), (2, 3, 5), (3, 4, 1)]);
    let d = g.distances().unwrap();
    assert_eq!(d[0][3], Some(9.0));
    let err = read_pmed_str("3 2 1\n1 2 4\n2 7 1\n", "t").unwrap_err();
    assert_eq!(
        problem_fields(&err),
        [(ProblemCode::DanglingReference, Some(3), "j".to_string())]
    );
    let err = read_pmed_str("3 2 1\n1 2 4\n", "t").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Syntax { .. }), "{err}");
    let err = read_pmed_str("3 1 1\n1 2 4\n9\n", "t").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Syntax { line: 3, .. }),
        "{err}"
    );
}

/// The test's own reading of a pmed file: vertices and the last cost of each pair.
fn parse_pmed(path: &Path) -> (usize, BTreeMap<(usize, usize), i64>) {
    let text = std::fs::read_to_string(path).unwrap();
    let nums: Vec<i64> = text
        .split_ascii_whitespace()
        .map(|t| t.parse().unwrap())
        .collect();
    let (n, e) = (nums[0] as usize, nums[1] as usize);
    let mut last = BTreeMap::new();
    for k in 0..e {
        let (i, j, c) = (
            nums[3 + 3 * k] as usize,
            nums[4 + 3 * k] as usize,
            nums[5 + 3 * k],
        );
        last.insert((i.min(j), i.max(j)), c);
    }
    (n, last)
}

fn pmed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/orlib/pmed")
}

/// Every pmed file, when present: the reader agrees with the test's own
/// reading, and the network's all-pairs distances are the shortest paths —
/// proven for all files by an optimality certificate (d(s,s) = 0, no edge
/// can shorten any distance, every finite distance is reached by a tight
/// edge; with positive costs that is exactly the shortest-path matrix), and
/// compared with Floyd–Warshall for the files up to 200 vertices (all files
/// in an optimised build, `cargo test --release --test road`).
#[test]
fn or_library_pmed_distances_when_present() {
    let dir = pmed_dir();
    if !dir.is_dir() {
        println!("skipped: no OR-Library pmed files in {}", dir.display());
        return;
    }
    let fw_max = if cfg!(debug_assertions) {
        200
    } else {
        usize::MAX
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("pmed") && n.ends_with(".txt"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut with_fw = 0;
    for path in &files {
        let g = read_pmed_file(path).unwrap_or_else(|e| panic!("{e}"));
        let (n, last) = parse_pmed(path);
        assert_eq!(g.vertices, n);
        let mine: Vec<(usize, usize, i64)> = last.iter().map(|(&(i, j), &c)| (i, j, c)).collect();
        assert_eq!(g.edges, mine, "{}", path.display());
        assert!(
            mine.iter().all(|e| e.2 > 0),
            "the certificate needs positive costs"
        );
        let d = g.distances().unwrap();
        for s in 0..n {
            assert_eq!(d[s][s], Some(0.0));
            let ds = |v: usize| d[s][v].unwrap_or(f64::INFINITY);
            let mut tight = vec![false; n];
            tight[s] = true;
            for &(i, j, c) in &mine {
                let (a, b, c) = (i - 1, j - 1, c as f64);
                for (u, v) in [(a, b), (b, a)] {
                    assert!(
                        ds(v) <= ds(u) + c,
                        "{}: edge {i}-{j} shortens {s}→{v}",
                        path.display()
                    );
                    if ds(u).is_finite() && ds(u) + c == ds(v) {
                        tight[v] = true;
                    }
                }
            }
            for v in 0..n {
                assert!(
                    tight[v] || d[s][v].is_none(),
                    "{}: {s}→{v} has no tight edge",
                    path.display()
                );
            }
        }
        if n <= fw_max {
            let edges: Vec<_> = mine
                .iter()
                .map(|&(i, j, c)| (i - 1, j - 1, c as f64))
                .collect();
            let fw = floyd_warshall(n, &edges);
            for s in 0..n {
                for v in 0..n {
                    assert_eq!(d[s][v], fw[s][v].is_finite().then_some(fw[s][v]));
                }
            }
            with_fw += 1;
        }
    }
    println!(
        "{} pmed files: all certified, {with_fw} also against Floyd–Warshall",
        files.len()
    );
}

#[test]
fn matrix_does_not_depend_on_threads_or_cache_and_serves_as_dyn_travel_model() {
    let net = Arc::new(random_network(9));
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let pts: Vec<Point<f64>> = (0..40)
        .map(|_| Point::new(rng.random_range(109.5..112.5), rng.random_range(21.5..24.5)))
        .collect();
    let run = |threads: usize, warm: bool| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let travel = RoadTravel::new(Arc::clone(&net));
        if warm {
            let _ = travel.leg(pts[3], pts[7]);
            assert_eq!(travel.cached_sources(), 1);
        }
        pool.install(|| travel.many_to_many(&pts, &pts[..25]))
    };
    let one = run(1, false);
    assert_eq!(run(2, true), one);
    assert_eq!(run(4, false), one);
    let travel = RoadTravel::new(Arc::clone(&net)).metric(Metric::Km);
    let model: &dyn TravelModel = &travel;
    let by_km = travel.many_to_many(&pts, &pts[..25]);
    for i in 0..pts.len() {
        for j in 0..25 {
            let leg = model.leg(pts[i], pts[j]);
            assert_eq!(by_km.get(i, j).is_some(), leg.km.is_finite());
            if let (Some(fast), Some(short)) = (one.get(i, j), by_km.get(i, j)) {
                // The shortest path is never longer, the fastest never slower.
                assert!(short.km <= fast.km + 1e-9 && fast.minutes <= short.minutes + 1e-9);
                assert_eq!(short, leg);
            }
        }
    }
}
