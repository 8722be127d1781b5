//! China's national trunk lines (expressways of the 7918 / 71118 plan, and a
//! few national highways in Tibet) as ordered lists of cities.

use super::{Geography, csv_syntax, fold};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::CityId;
use crate::spatial::{GeoIndex, great_circle_km};
use crate::travel::{RoadClass, RoadNetwork, RoadTravel};
use geo::Point;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

const EXPRESSWAYS_CSV: &str = include_str!("../../../data/china/expressways.csv");

/// What kind of road a [`TrunkLine`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RoadKind {
    /// A national expressway (`G1`, `G15`, `G3012` …).
    Expressway,
    /// A national highway, used where there is no expressway (`G318` …).
    NationalHighway,
}

impl RoadKind {
    /// The name used in data files: `expressway` or `national_highway`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoadKind::Expressway => "expressway",
            RoadKind::NationalHighway => "national_highway",
        }
    }

    /// Parses the name used in data files.
    pub fn parse(s: &str) -> Option<RoadKind> {
        match s {
            "expressway" => Some(RoadKind::Expressway),
            "national_highway" => Some(RoadKind::NationalHighway),
            _ => None,
        }
    }
}

/// One trunk line: its code, name, kind and the cities it passes, in order.
///
/// A ring (such as `G98` around Hainan) starts and ends at the same city.
#[derive(Debug, Clone, PartialEq)]
pub struct TrunkLine {
    /// The line's code, e.g. `G15`.
    pub line: String,
    /// The line's name, e.g. `Shenyang–Haikou Expressway`.
    pub name: String,
    /// Expressway or national highway.
    pub kind: RoadKind,
    /// The cities the line passes, in order; at least two.
    pub cities: Vec<CityId>,
}

#[derive(Deserialize)]
struct Row {
    line: String,
    name: String,
    #[serde(default)]
    kind: Option<String>,
    seq: String,
    city: String,
    province: String,
}

impl Geography {
    /// China's national trunk lines from the shipped table
    /// (`data/china/expressways.csv`), resolved against these cities.
    ///
    /// The table is an approximation made from public plan documents (see
    /// `data/README.md`); a user with real road data reads that instead
    /// with [`trunk_lines_from_csv`].
    ///
    /// # Errors
    /// As [`trunk_lines_from_csv`]: for the shipped table, only when this
    /// geography lacks a city the table names (e.g. a geography read from
    /// another city file).
    ///
    /// # Example
    /// ```
    /// use servnet::io::china::Geography;
    ///
    /// let china = Geography::china()?;
    /// let lines = china.trunk_lines()?;
    /// let g4 = lines.iter().find(|l| l.line == "G4").unwrap();
    /// let first = china.cities.iter().find(|c| c.id == g4.cities[0]).unwrap();
    /// assert_eq!(first.name, "Beijing");
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn trunk_lines(&self) -> Result<Vec<TrunkLine>> {
        trunk_lines_from_csv(
            EXPRESSWAYS_CSV.as_bytes(),
            "data/china/expressways.csv",
            self,
        )
    }
}

/// Reads trunk lines (columns `line,name,kind,seq,city,province`; `kind`,
/// `expressway` or `national_highway`, may be left out and then means
/// `expressway`) and resolves each city by its pinyin name and province
/// (ignoring case and punctuation) in `geography`.
///
/// One row per city of a line. A line's rows need not be contiguous, but
/// their `seq` must be `0, 1, 2, …` with no gap or repeat; the cities are
/// taken in `seq` order. Lines are returned in the order they first appear.
///
/// # Errors
/// [`ErrorKind::Syntax`] for a row that cannot be read. [`ErrorKind::Invalid`]
/// listing every problem at once, each naming the line (and the city where
/// one is at fault) in its message, with the file's line number as its id:
/// an unknown city or one not in the named province
/// ([`ProblemCode::DanglingReference`]); a `seq` that is not a number, or a
/// gap or repeat in a line's `seq` ([`ProblemCode::Shape`]); an unknown
/// kind ([`ProblemCode::Shape`]); rows of one line with different names or
/// kinds ([`ProblemCode::Inconsistent`]); a line with fewer than two cities
/// ([`ProblemCode::Empty`]).
pub fn trunk_lines_from_csv(
    reader: impl Read,
    what: &str,
    geography: &Geography,
) -> Result<Vec<TrunkLine>> {
    let index: BTreeMap<(String, String), CityId> = geography
        .cities
        .iter()
        .map(|c| ((fold(&c.name), fold(&c.province)), c.id))
        .collect();
    // Per line, in order of first appearance: name, kind, (seq, city) pairs.
    struct Stop {
        seq: u64,
        at: u64,
        city: Option<CityId>,
        name: String,
    }
    struct Building {
        line: String,
        name: String,
        kind: RoadKind,
        stops: Vec<Stop>,
        first_row: u64,
        bad_seq: bool,
    }
    let mut lines: Vec<Building> = Vec::new();
    let mut problems = Vec::new();
    let mut rdr = csv::Reader::from_reader(reader);
    let syntax = |e: csv::Error| csv_syntax(what, &e);
    let headers = rdr.headers().map_err(syntax)?.clone();
    for record in rdr.records() {
        let record = record.map_err(syntax)?;
        let at = record.position().map_or(0, |p| p.line());
        let row: Row = record.deserialize(Some(&headers)).map_err(syntax)?;
        let problem = |code, field: &str, message: String| {
            Problem::new(code, "trunk_line", Some(at), field, message)
        };
        let code = row.line.trim();
        let kind_text = row.kind.as_deref().map_or("", str::trim);
        let kind = if kind_text.is_empty() {
            RoadKind::Expressway
        } else if let Some(k) = RoadKind::parse(kind_text) {
            k
        } else {
            problems.push(problem(
                ProblemCode::Shape,
                "kind",
                format!("line `{code}`: unknown kind `{kind_text}`"),
            ));
            RoadKind::Expressway
        };
        let pos = match lines.iter().position(|b| b.line == code) {
            Some(pos) => pos,
            None => {
                lines.push(Building {
                    line: code.to_string(),
                    name: row.name.trim().to_string(),
                    kind,
                    stops: Vec::new(),
                    first_row: at,
                    bad_seq: false,
                });
                lines.len() - 1
            }
        };
        let b = &mut lines[pos];
        if b.name != row.name.trim() || b.kind != kind {
            problems.push(problem(
                ProblemCode::Inconsistent,
                "name/kind",
                format!(
                    "line `{code}`, city `{}`: name `{}` / kind `{}` differ from the line's first row (`{}` / `{}`)",
                    row.city,
                    row.name.trim(),
                    kind.as_str(),
                    b.name,
                    b.kind.as_str()
                ),
            ));
        }
        let city = index.get(&(fold(&row.city), fold(&row.province))).copied();
        if city.is_none() {
            problems.push(problem(
                ProblemCode::DanglingReference,
                "city",
                format!(
                    "line `{code}`, seq {}: no city `{}` in province `{}`",
                    row.seq.trim(),
                    row.city,
                    row.province
                ),
            ));
        }
        match row.seq.trim().parse::<u64>() {
            Ok(seq) => b.stops.push(Stop {
                seq,
                at,
                city,
                name: row.city,
            }),
            Err(_) => {
                b.bad_seq = true;
                problems.push(problem(
                    ProblemCode::Shape,
                    "seq",
                    format!(
                        "line `{code}`, city `{}`: seq `{}` is not a whole number ≥ 0",
                        row.city, row.seq
                    ),
                ));
            }
        }
    }
    for b in &mut lines {
        b.stops.sort_by_key(|s| (s.seq, s.at));
        for (want, s) in b.stops.iter().enumerate() {
            if b.bad_seq || s.seq == want as u64 {
                continue;
            }
            let what = if s.seq < want as u64 {
                "repeats an earlier seq"
            } else {
                "leaves a gap"
            };
            problems.push(Problem::new(
                ProblemCode::Shape,
                "trunk_line",
                Some(s.at),
                "seq",
                format!(
                    "line `{}`, city `{}`: seq {} {what} (expected {want}; seq runs 0, 1, 2, …)",
                    b.line, s.name, s.seq
                ),
            ));
            break;
        }
        if b.stops.len() < 2 {
            problems.push(Problem::new(
                ProblemCode::Empty,
                "trunk_line",
                Some(b.first_row),
                "city",
                format!("line `{}` has fewer than two cities", b.line),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    Ok(lines
        .into_iter()
        .map(|b| TrunkLine {
            line: b.line,
            name: b.name,
            kind: b.kind,
            cities: b.stops.into_iter().filter_map(|s| s.city).collect(),
        })
        .collect())
}

/// Road km per great-circle km along a trunk line between two of its cities.
const TRUNK_DETOUR: f64 = 1.2;
/// Road km per great-circle km on the roads between neighbouring cities.
const LOCAL_DETOUR: f64 = 1.3;
/// Each city's roads to its nearest other cities.
const NEIGHBOURS: usize = 3;
/// Each city's roads to its nearest cities on a trunk line.
const TRUNK_ACCESS: usize = 2;

impl Geography {
    /// A road network of China built from the shipped trunk lines
    /// ([`Geography::trunk_lines`]): one node per city (its id as the node
    /// id), the lines' consecutive cities joined as expressways (national
    /// highways in Tibet) at ×1.2 their great-circle distance, every city
    /// joined to its 3 nearest cities by arterial roads and to its 2 nearest
    /// trunk cities by highways, both at ×1.3.
    ///
    /// It is an approximation, good for comparing regions and for seeing
    /// where straight lines mislead (mountains, bays, the Qiongzhou Strait
    /// to Hainan); a user with real road data reads it instead with
    /// [`crate::io::roads`].
    ///
    /// # Errors
    /// As [`Geography::trunk_lines`], and [`crate::travel::RoadNetwork`]'s
    /// builder for cities with invalid coordinates.
    ///
    /// # Example
    /// ```
    /// use servnet::io::china::Geography;
    ///
    /// let china = Geography::china()?;
    /// let roads = china.trunk_network()?;
    /// assert_eq!(roads.node_count(), china.cities.len());
    /// assert_eq!(roads.component_count(), 1);
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn trunk_network(&self) -> Result<RoadNetwork> {
        let lines = self.trunk_lines()?;
        let point: BTreeMap<CityId, Point<f64>> =
            self.cities.iter().map(|c| (c.id, c.location)).collect();
        let gc = |a: CityId, b: CityId| great_circle_km(point[&a], point[&b]);
        let mut b = RoadNetwork::builder();
        for c in &self.cities {
            b.add_node(u64::from(c.id.0), c.location);
        }
        // Each pair once, the fastest class kept.
        let mut roads: BTreeMap<(CityId, CityId), (f64, RoadClass)> = BTreeMap::new();
        let mut road = |a: CityId, b: CityId, detour: f64, class: RoadClass| {
            if a == b {
                return;
            }
            let key = (a.min(b), a.max(b));
            let new = (gc(a, b) * detour, class);
            let keep = roads
                .get(&key)
                .is_none_or(|old| class.default_speed_kmh() > old.1.default_speed_kmh());
            if keep {
                roads.insert(key, new);
            }
        };
        let mut on_trunk: Vec<CityId> = Vec::new();
        for line in &lines {
            let class = match line.kind {
                RoadKind::Expressway => RoadClass::Expressway,
                RoadKind::NationalHighway => RoadClass::Highway,
            };
            for w in line.cities.windows(2) {
                road(w[0], w[1], TRUNK_DETOUR, class);
            }
            on_trunk.extend(&line.cities);
        }
        on_trunk.sort_unstable();
        on_trunk.dedup();
        let all: GeoIndex<CityId> = self.cities.iter().map(|c| (c.location, c.id)).collect();
        let trunk: GeoIndex<CityId> = on_trunk.iter().map(|&c| (point[&c], c)).collect();
        for c in &self.cities {
            for (n, _) in all.k_nearest_where(c.location, NEIGHBOURS, f64::INFINITY, |&n| n != c.id)
            {
                road(c.id, n, LOCAL_DETOUR, RoadClass::Arterial);
            }
            for (n, _) in
                trunk.k_nearest_where(c.location, TRUNK_ACCESS, f64::INFINITY, |&n| n != c.id)
            {
                road(c.id, n, LOCAL_DETOUR, RoadClass::Highway);
            }
        }
        for ((x, y), (km, class)) in roads {
            b.add_edge(u64::from(x.0), u64::from(y.0), km, class);
        }
        b.build()
    }
}

pub use crate::model::CHINA_TRUNK;

/// Road travel over China's shipped trunk roads
/// ([`Geography::trunk_network`]), built once and shared: local trips (two
/// points nearest the same city) and the stretch to the nearest city are
/// great-circle × 1.3 at 40 km/h, as [`crate::travel::GreatCircle`]'s default.
///
/// # Errors
/// As [`Geography::china`] and [`Geography::trunk_network`].
pub fn china_trunk_travel() -> Result<Arc<RoadTravel>> {
    static TRAVEL: OnceLock<Arc<RoadTravel>> = OnceLock::new();
    if let Some(t) = TRAVEL.get() {
        return Ok(Arc::clone(t));
    }
    let net = Geography::china()?.trunk_network()?;
    let travel = RoadTravel::new(Arc::new(net)).access(crate::travel::GreatCircle::default())?;
    Ok(Arc::clone(TRAVEL.get_or_init(|| Arc::new(travel))))
}
