//! The edge-list CSV reader and writer.

use super::valid_lon_lat;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::io::json::read_text;
use crate::spatial::great_circle_km;
use crate::travel::road::{RoadClass, RoadNetwork};
use geo::Point;
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
