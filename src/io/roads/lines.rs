//! The GeoJSON line-string reader and writer.

use super::valid_lon_lat;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::io::json::read_text;
use crate::spatial::great_circle_km;
use crate::travel::road::{RoadClass, RoadNetwork};
use geo::Point;
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, JsonValue};
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;
use std::path::Path;

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
    let fc: FeatureCollection =
        serde_json::from_str(text).map_err(|e| crate::io::json::syntax(what, &e))?;
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
