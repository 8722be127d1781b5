//! Road networks from files: an edge-list CSV and GeoJSON line strings.
//!
//! **CSV**: a header and one edge per line,
//! `from_id,from_lon,from_lat,to_id,to_lon,to_lat,length_km,class`. A node
//! is named by its id; every line that names it must give the same
//! coordinates. An empty `length_km` means the great-circle length between
//! the two ends. `class` is a [`RoadClass`] name or an OpenStreetMap
//! `highway` value ([`RoadClass::from_name`]).
//!
//! **GeoJSON**: a FeatureCollection of `LineString` (or `MultiLineString`)
//! features; each consecutive pair of coordinates is an edge. Coordinates
//! that are equal after rounding to 10⁻⁷° are one node, so lines that share
//! a coordinate are joined there; nodes get the ids 0, 1, … in the order
//! they first appear. Each feature's properties give `class` (a
//! [`RoadClass`] name) or, failing that, `highway` (an OpenStreetMap value),
//! and optionally `length_km`, the length of the whole line, spread over its
//! segments in proportion to their great-circle lengths (without it, each
//! segment is as long as its great-circle length).
//!
//! The writers [`road_csv_string`] and [`road_geojson_string`] give one
//! line or feature per edge, which the readers read back to the same
//! network (nodes without edges are not written).
//!
//! # Example
//! ```
//! use servnet::io::roads::read_road_csv_str;
//! let text = "from_id,from_lon,from_lat,to_id,to_lon,to_lat,length_km,class\n\
//!             1,113.26,23.13,2,114.06,22.54,105,motorway\n\
//!             2,114.06,22.54,3,114.17,22.32,,local\n";
//! let net = read_road_csv_str(text, "roads.csv")?;
//! assert_eq!((net.node_count(), net.edge_count()), (3, 2));
//! # Ok::<(), servnet::Error>(())
//! ```

use super::json::read_text;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::spatial::great_circle_km;
use crate::travel::road::{RoadClass, RoadNetwork};
use geo::Point;
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, JsonValue};
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt::Write as _;
use std::path::Path;

const COLUMNS: [&str; 8] = [
    "from_id",
    "from_lon",
    "from_lat",
    "to_id",
    "to_lon",
    "to_lat",
    "length_km",
    "class",
];

fn csv_problem(code: ProblemCode, line: u64, field: &str, message: String) -> Problem {
    Problem::new(code, "road csv line", Some(line), field, message)
}

fn valid_lon_lat(lon: f64, lat: f64) -> bool {
    lon.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// Reads a road network from an edge-list CSV text; `what` names the text in errors.
///
/// # Errors
/// [`ErrorKind::Syntax`] for text the CSV reader cannot read (with its line);
/// [`ErrorKind::Invalid`] listing every problem, each as entity `road csv
/// line` with the 1-based line as id and the column as field: a missing
/// column in the header ([`ProblemCode::Shape`], line 1), a value that is not
/// a number or an unknown class ([`ProblemCode::Shape`]), a coordinate
/// outside the globe ([`ProblemCode::BadCoordinate`]), a negative or
/// non-finite length ([`ProblemCode::OutOfRange`]), a node given different
/// coordinates on two lines ([`ProblemCode::Inconsistent`], the message names
/// the node and the earlier line).
pub fn read_road_csv_str(text: &str, what: &str) -> Result<RoadNetwork> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let syntax = |e: csv::Error| -> crate::Error {
        let line = e.position().map_or(0, |p| p.line() as usize);
        ErrorKind::Syntax {
            what: what.to_string(),
            line,
            column: 0,
            message: e.to_string(),
        }
        .into()
    };
    let headers = reader.headers().map_err(syntax)?.clone();
    let mut problems = Vec::new();
    let mut col = [0_usize; 8];
    for (k, name) in COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h == *name) {
            Some(i) => col[k] = i,
            None => problems.push(csv_problem(
                ProblemCode::Shape,
                1,
                name,
                format!("the header has no `{name}` column"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    // Node id → (point, first line); nodes in order of first appearance.
    let mut nodes: BTreeMap<u64, (Point<f64>, u64)> = BTreeMap::new();
    let mut order = Vec::new();
    let mut edges = Vec::new();
    for record in reader.records() {
        let record = record.map_err(syntax)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |k: usize| record.get(col[k]).unwrap_or("");
        let number = |k: usize, problems: &mut Vec<Problem>| -> Option<f64> {
            match field(k).parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    problems.push(csv_problem(
                        ProblemCode::Shape,
                        line,
                        COLUMNS[k],
                        format!("`{}` is not a number", field(k)),
                    ));
                    None
                }
            }
        };
        let mut ends = Vec::with_capacity(2);
        for base in [0, 3] {
            let id = match field(base).parse::<u64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    problems.push(csv_problem(
                        ProblemCode::Shape,
                        line,
                        COLUMNS[base],
                        format!("`{}` is not a node id (an integer ≥ 0)", field(base)),
                    ));
                    None
                }
            };
            let lon = number(base + 1, &mut problems);
            let lat = number(base + 2, &mut problems);
            let (Some(id), Some(lon), Some(lat)) = (id, lon, lat) else {
                continue;
            };
            if !valid_lon_lat(lon, lat) {
                problems.push(csv_problem(
                    ProblemCode::BadCoordinate,
                    line,
                    if lon.is_finite() && (-180.0..=180.0).contains(&lon) {
                        COLUMNS[base + 2]
                    } else {
                        COLUMNS[base + 1]
                    },
                    format!("node {id} at lon {lon}, lat {lat} is off the globe"),
                ));
                continue;
            }
            let point = Point::new(lon, lat);
            match nodes.entry(id) {
                Entry::Vacant(v) => {
                    v.insert((point, line));
                    order.push(id);
                }
                Entry::Occupied(o) if o.get().0 != point => problems.push(csv_problem(
                    ProblemCode::Inconsistent,
                    line,
                    COLUMNS[base + 1],
                    format!(
                        "node {id} is at ({lon}, {lat}) here but at ({}, {}) on line {}",
                        o.get().0.x(),
                        o.get().0.y(),
                        o.get().1
                    ),
                )),
                Entry::Occupied(_) => {}
            }
            ends.push((id, point));
        }
        let length = match field(6) {
            "" => None,
            _ => match number(6, &mut problems) {
                Some(v) if v.is_finite() && v >= 0.0 => Some(v),
                Some(v) => {
                    problems.push(csv_problem(
                        ProblemCode::OutOfRange,
                        line,
                        "length_km",
                        format!("{v} km is not a length ≥ 0"),
                    ));
                    None
                }
                None => None,
            },
        };
        let class = RoadClass::from_name(field(7));
        if class.is_none() {
            problems.push(csv_problem(
                ProblemCode::Shape,
                line,
                "class",
                format!("`{}` is not a road class", field(7)),
            ));
        }
        if let ([(a, pa), (b, pb)], Some(class)) = (ends.as_slice(), class) {
            let km = length.unwrap_or_else(|| great_circle_km(*pa, *pb));
            edges.push((*a, *b, km, class));
        }
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    let mut b = RoadNetwork::builder();
    for id in order {
        b.add_node(id, nodes[&id].0);
    }
    for (a, z, km, class) in edges {
        b.add_edge(a, z, km, class);
    }
    b.build()
}

/// Reads a road network from an edge-list CSV file.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, then as [`read_road_csv_str`].
pub fn read_road_csv_file(path: impl AsRef<Path>) -> Result<RoadNetwork> {
    let path = path.as_ref();
    read_road_csv_str(&read_text(path)?, &path.display().to_string())
}

/// The network as an edge-list CSV, one line per edge in edge order, with
/// every length written out.
pub fn road_csv_string(net: &RoadNetwork) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    let g = net.graph();
    for e in g.edge_references() {
        let (a, b) = (&g[e.source()], &g[e.target()]);
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            a.id,
            a.point.x(),
            a.point.y(),
            b.id,
            b.point.x(),
            b.point.y(),
            e.weight().length_km,
            e.weight().class.as_str()
        );
    }
    out
}

fn feature_problem(code: ProblemCode, feature: usize, field: &str, message: String) -> Problem {
    Problem::new(code, "road feature", Some(feature as u64), field, message)
}

/// The class of a feature from its `class` or `highway` property.
fn feature_class(i: usize, props: Option<&JsonObject>) -> std::result::Result<RoadClass, Problem> {
    for key in ["class", "highway"] {
        match props.and_then(|p| p.get(key)) {
            None | Some(JsonValue::Null) => continue,
            Some(JsonValue::String(s)) => {
                return RoadClass::from_name(s).ok_or_else(|| {
                    feature_problem(
                        ProblemCode::Shape,
                        i,
                        &format!("properties.{key}"),
                        format!("`{s}` is not a road class"),
                    )
                });
            }
            Some(other) => {
                return Err(feature_problem(
                    ProblemCode::Shape,
                    i,
                    &format!("properties.{key}"),
                    format!("{other} is not a string"),
                ));
            }
        }
    }
    Err(feature_problem(
        ProblemCode::Shape,
        i,
        "properties.class",
        "missing: give `class` or `highway`".to_string(),
    ))
}

/// The optional `length_km` of a feature.
fn feature_length(
    i: usize,
    props: Option<&JsonObject>,
) -> std::result::Result<Option<f64>, Problem> {
    match props.and_then(|p| p.get("length_km")) {
        None | Some(JsonValue::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(km) if km.is_finite() && km >= 0.0 => Ok(Some(km)),
            _ => Err(feature_problem(
                ProblemCode::OutOfRange,
                i,
                "properties.length_km",
                format!("{v} is not a length ≥ 0"),
            )),
        },
    }
}

/// A coordinate key: degrees rounded to 10⁻⁷.
fn key(p: Point<f64>) -> (i64, i64) {
    ((p.x() * 1e7).round() as i64, (p.y() * 1e7).round() as i64)
}

/// Reads a road network from a GeoJSON FeatureCollection text; `what` names the text in errors.
///
/// # Errors
/// [`ErrorKind::Syntax`] for text that is not a GeoJSON FeatureCollection
/// (with the line and column); [`ErrorKind::Invalid`] listing every problem,
/// each as entity `road feature` with the 0-based feature index as id and
/// the field: a missing geometry or one that is not a line
/// (`geometry`, [`ProblemCode::Shape`]), a line of fewer than two positions
/// or a position without lon and lat (`geometry.coordinates`), a coordinate
/// off the globe (`geometry.coordinates[k]`, [`ProblemCode::BadCoordinate`]),
/// a missing or unknown class (`properties.class` / `properties.highway`,
/// [`ProblemCode::Shape`]), and a negative or non-numeric
/// `properties.length_km` ([`ProblemCode::OutOfRange`]).
pub fn read_road_geojson_str(text: &str, what: &str) -> Result<RoadNetwork> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fc: FeatureCollection = serde_json::from_str(text).map_err(|e| -> crate::Error {
        ErrorKind::Syntax {
            what: what.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
        .into()
    })?;
    let mut problems = Vec::new();
    let mut ids: BTreeMap<(i64, i64), u64> = BTreeMap::new();
    let mut b = RoadNetwork::builder();
    for (i, feature) in fc.features.iter().enumerate() {
        let props = feature.properties.as_ref();
        let class = feature_class(i, props).map_err(|p| problems.push(p)).ok();
        let length = feature_length(i, props)
            .map_err(|p| problems.push(p))
            .ok()
            .flatten();
        let parts: Vec<&Vec<geojson::Position>> = match feature.geometry.as_ref().map(|g| &g.value)
        {
            Some(GeometryValue::LineString { coordinates }) => vec![coordinates],
            Some(GeometryValue::MultiLineString { coordinates }) => coordinates.iter().collect(),
            Some(other) => {
                problems.push(feature_problem(
                    ProblemCode::Shape,
                    i,
                    "geometry",
                    format!("a {} is not a LineString", other.type_name()),
                ));
                continue;
            }
            None => {
                problems.push(feature_problem(
                    ProblemCode::Shape,
                    i,
                    "geometry",
                    "missing".to_string(),
                ));
                continue;
            }
        };
        // The segments of every part, as pairs of points.
        let mut segments = Vec::new();
        let mut bad = false;
        let mut k = 0;
        for part in parts {
            if part.len() < 2 {
                problems.push(feature_problem(
                    ProblemCode::Shape,
                    i,
                    "geometry.coordinates",
                    format!("a line of {} position(s); at least 2 needed", part.len()),
                ));
                bad = true;
                continue;
            }
            let mut last: Option<Point<f64>> = None;
            for pos in part {
                let c = pos.as_slice();
                if c.len() < 2 {
                    problems.push(feature_problem(
                        ProblemCode::Shape,
                        i,
                        &format!("geometry.coordinates[{k}]"),
                        format!("{} number(s); lon and lat needed", c.len()),
                    ));
                    bad = true;
                } else if !valid_lon_lat(c[0], c[1]) {
                    problems.push(feature_problem(
                        ProblemCode::BadCoordinate,
                        i,
                        &format!("geometry.coordinates[{k}]"),
                        format!("lon {}, lat {} is off the globe", c[0], c[1]),
                    ));
                    bad = true;
                } else {
                    let p = Point::new(c[0], c[1]);
                    if let Some(q) = last {
                        segments.push((q, p));
                    }
                    last = Some(p);
                }
                k += 1;
            }
        }
        let Some(class) = class else { continue };
        if bad {
            continue;
        }
        let mut node = |p: Point<f64>, b: &mut crate::travel::RoadNetworkBuilder| {
            let next = ids.len() as u64;
            *ids.entry(key(p)).or_insert_with(|| {
                b.add_node(next, p);
                next
            })
        };
        let ends: Vec<(u64, u64, f64)> = segments
            .iter()
            .map(|&(p, q)| (node(p, &mut b), node(q, &mut b), great_circle_km(p, q)))
            .filter(|&(x, y, _)| x != y)
            .collect();
        let total: f64 = ends.iter().map(|e| e.2).sum();
        for &(x, y, gc) in &ends {
            let km = match length {
                None => gc,
                Some(len) if total > 0.0 => len * gc / total,
                Some(len) => len / ends.len() as f64,
            };
            b.add_edge(x, y, km, class);
        }
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    b.build()
}

/// Reads a road network from a GeoJSON file.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, then as [`read_road_geojson_str`].
pub fn read_road_geojson_file(path: impl AsRef<Path>) -> Result<RoadNetwork> {
    let path = path.as_ref();
    read_road_geojson_str(&read_text(path)?, &path.display().to_string())
}

/// The network as a GeoJSON FeatureCollection, one two-point `LineString`
/// feature per edge in edge order, with properties `class` and `length_km`.
pub fn road_geojson_string(net: &RoadNetwork) -> String {
    let g = net.graph();
    let features = g
        .edge_references()
        .map(|e| {
            let (a, b) = (g[e.source()].point, g[e.target()].point);
            let mut props = JsonObject::new();
            props.insert("class".into(), e.weight().class.as_str().into());
            props.insert("length_km".into(), e.weight().length_km.into());
            Feature {
                bbox: None,
                geometry: Some(Geometry::new(GeometryValue::new_line_string([
                    [a.x(), a.y()],
                    [b.x(), b.y()],
                ]))),
                id: None,
                properties: Some(props),
                foreign_members: None,
            }
        })
        .collect();
    let fc = FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    serde_json::to_string(&fc).unwrap_or_default()
}
