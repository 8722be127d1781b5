//! China's cities, the seven usual sales regions and the national trunk
//! roads, shipped with the crate.
//!
//! The city table is `data/china/cities.csv` and the trunk lines
//! `data/china/expressways.csv` (see `data/README.md` for their sources and
//! licenses); both are embedded in the library, so [`Geography::china`] and
//! [`Geography::trunk_lines`] need no file at run time.

use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{AdminLevel, City, CityId, Region, RegionId};
use serde::Deserialize;
use std::io::Read;

mod trunk;

pub use trunk::{CHINA_TRUNK, RoadKind, TrunkLine, china_trunk_travel, trunk_lines_from_csv};

const CITIES_CSV: &str = include_str!("../../data/china/cities.csv");

/// The seven sales regions: name, hub city (pinyin) and provinces.
const REGIONS: [(&str, &str, &[&str]); 7] = [
    (
        "North China",
        "Beijing",
        &["Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia"],
    ),
    (
        "Northeast China",
        "Shenyang",
        &["Liaoning", "Jilin", "Heilongjiang"],
    ),
    (
        "East China",
        "Shanghai",
        &[
            "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong",
        ],
    ),
    ("Central China", "Wuhan", &["Henan", "Hubei", "Hunan"]),
    (
        "South China",
        "Guangzhou",
        &["Guangdong", "Guangxi", "Hainan"],
    ),
    (
        "Southwest China",
        "Chengdu",
        &["Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet"],
    ),
    (
        "Northwest China",
        "Xi'an",
        &["Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"],
    ),
];

/// Cities with their sales regions.
#[derive(Debug, Clone, PartialEq)]
pub struct Geography {
    /// The sales regions.
    pub regions: Vec<Region>,
    /// The cities, each in one region.
    pub cities: Vec<City>,
}

#[derive(Deserialize)]
struct Row {
    id: u32,
    name_zh: String,
    name_pinyin: String,
    province: String,
    admin_level: String,
    lon: f64,
    lat: f64,
    population: u64,
}

/// A CSV reader's error as [`ErrorKind::Syntax`], at the line the reader gives.
pub(crate) fn csv_syntax(what: &str, e: &csv::Error) -> crate::Error {
    ErrorKind::Syntax {
        what: what.to_string(),
        line: e.position().map_or(0, |p| p.line() as usize),
        column: 0,
        message: e.to_string(),
    }
    .into()
}

/// A name folded for matching: ASCII letters and digits, lower case (`Xi'an` → `xian`).
pub(crate) fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Geography {
    /// Mainland China's cities from the shipped table, in the seven sales regions.
    ///
    /// # Errors
    /// Only if the shipped table were damaged: as [`Geography::from_csv`].
    pub fn china() -> Result<Geography> {
        Geography::from_csv(CITIES_CSV.as_bytes(), "data/china/cities.csv")
    }

    /// Reads a city table (columns `id,name_zh,name_pinyin,province,admin_level,lon,lat,population`)
    /// and places every city in one of the seven sales regions by its province.
    ///
    /// # Errors
    /// [`ErrorKind::Syntax`] for a row that cannot be read; [`ErrorKind::Invalid`]
    /// listing every unknown province or admin level, bad coordinate and duplicate id.
    pub fn from_csv(reader: impl Read, what: &str) -> Result<Geography> {
        let mut regions: Vec<Region> = REGIONS
            .iter()
            .enumerate()
            .map(|(i, (name, _, provinces))| Region {
                id: RegionId(i as u32 + 1),
                name: name.to_string(),
                provinces: provinces.iter().map(|p| p.to_string()).collect(),
                hub: CityId(0),
            })
            .collect();
        let mut cities = Vec::new();
        let mut problems = Vec::new();
        let mut rdr = csv::Reader::from_reader(reader);
        for row in rdr.deserialize::<Row>() {
            let row = row.map_err(|e| csv_syntax(what, &e))?;
            let id = u64::from(row.id);
            let Some(region) = regions
                .iter()
                .find(|r| r.provinces.iter().any(|p| fold(p) == fold(&row.province)))
            else {
                problems.push(Problem::new(
                    ProblemCode::DanglingReference,
                    "city",
                    Some(id),
                    "province",
                    format!("unknown province `{}`", row.province),
                ));
                continue;
            };
            let Some(admin_level) = AdminLevel::parse(&row.admin_level) else {
                problems.push(Problem::new(
                    ProblemCode::Shape,
                    "city",
                    Some(id),
                    "admin_level",
                    format!("unknown admin level `{}`", row.admin_level),
                ));
                continue;
            };
            let location = geo::Point::new(row.lon, row.lat);
            if !crate::model::lonlat::is_valid(location) {
                problems.push(Problem::new(
                    ProblemCode::BadCoordinate,
                    "city",
                    Some(id),
                    "lon/lat",
                    format!("[{}, {}] is not a WGS84 lon/lat", row.lon, row.lat),
                ));
                continue;
            }
            cities.push(City {
                id: CityId(row.id),
                name_zh: row.name_zh,
                name: row.name_pinyin,
                province: region
                    .provinces
                    .iter()
                    .find(|p| fold(p) == fold(&row.province))
                    .cloned()
                    .unwrap_or(row.province),
                admin_level,
                location,
                population: row.population,
                region: region.id,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for c in &cities {
            if !seen.insert(c.id) {
                problems.push(Problem::new(
                    ProblemCode::DuplicateId,
                    "city",
                    Some(u64::from(c.id)),
                    "id",
                    "id is used more than once",
                ));
            }
        }
        for (region, (_, hub, _)) in regions.iter_mut().zip(REGIONS) {
            // The hub is the named city, or else the region's most populous city.
            let in_region = cities.iter().filter(|c| c.region == region.id);
            let named = in_region.clone().find(|c| fold(&c.name) == fold(hub));
            match named
                .or_else(|| in_region.max_by_key(|c| (c.population, std::cmp::Reverse(c.id))))
            {
                Some(c) => region.hub = c.id,
                None => problems.push(Problem::new(
                    ProblemCode::Empty,
                    "region",
                    Some(u64::from(region.id)),
                    "hub",
                    format!("no city of {} is in the table", region.name),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        Ok(Geography { regions, cities })
    }

    /// The cities of one province (matched by English name, ignoring case and punctuation).
    pub fn province(&self, name: &str) -> Vec<&City> {
        let key = fold(name);
        self.cities
            .iter()
            .filter(|c| fold(&c.province) == key)
            .collect()
    }

    /// The city with this pinyin name (ignoring case and punctuation), the most populous if several.
    pub fn city_named(&self, name: &str) -> Option<&City> {
        let key = fold(name);
        self.cities
            .iter()
            .filter(|c| fold(&c.name) == key)
            .max_by_key(|c| c.population)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_bad_row_at_once() {
        let csv = "id,name_zh,name_pinyin,province,admin_level,lon,lat,population\n\
                   1,北京,Beijing,Beijing,municipality,116.4,39.9,100\n\
                   2,x,X,Atlantis,county,100,30,1\n\
                   3,y,Y,Hebei,village,100,30,1\n\
                   4,z,Z,Hebei,county,200,30,1\n";
        let err = Geography::from_csv(csv.as_bytes(), "t").unwrap_err();
        let ids: Vec<_> = err.problems().iter().filter_map(|p| p.id).collect();
        assert!(
            ids.contains(&2) && ids.contains(&3) && ids.contains(&4),
            "{err}"
        );
    }
}
