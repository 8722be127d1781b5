//! Cities and sales regions, and [`Geography`]: China's cities in the seven
//! usual sales regions, from the city table shipped with the crate
//! (`data/china/cities.csv`, embedded, so no file is needed at run time).

use super::ids::{CityId, RegionId};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use geo::Point;
use serde::{Deserialize, Serialize};
use std::io::Read;

/// A city's administrative level in mainland China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    /// Directly governed: Beijing, Shanghai, Tianjin, Chongqing.
    Municipality,
    /// Sub-provincial city (e.g. Guangzhou, Shenzhen, Harbin).
    SubProvincial,
    /// Prefecture-level city, including most provincial capitals.
    Prefecture,
    /// County-level city or county seat.
    County,
}

impl AdminLevel {
    /// The name used in data files, e.g. `sub_provincial`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminLevel::Municipality => "municipality",
            AdminLevel::SubProvincial => "sub_provincial",
            AdminLevel::Prefecture => "prefecture",
            AdminLevel::County => "county",
        }
    }

    /// Parses the name used in data files.
    pub fn parse(s: &str) -> Option<AdminLevel> {
        Some(match s {
            "municipality" => AdminLevel::Municipality,
            "sub_provincial" => AdminLevel::SubProvincial,
            "prefecture" => AdminLevel::Prefecture,
            "county" => AdminLevel::County,
            _ => return None,
        })
    }
}

/// A city: where customers live and outlets stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// Id.
    pub id: CityId,
    /// Chinese name, e.g. `广州`.
    pub name_zh: String,
    /// Pinyin name, e.g. `Guangzhou`.
    pub name: String,
    /// Province (English name, e.g. `Guangdong`).
    pub province: String,
    /// Administrative level.
    pub admin_level: AdminLevel,
    /// WGS84 location, `[lon, lat]` in JSON.
    #[serde(with = "super::lonlat")]
    pub location: Point<f64>,
    /// Population.
    pub population: u64,
    /// The sales region the city belongs to.
    pub region: RegionId,
}

/// A sales region, run by one service center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Id.
    pub id: RegionId,
    /// Name, e.g. `South China`.
    pub name: String,
    /// The provinces it covers (English names, as in [`City::province`]).
    pub provinces: Vec<String>,
    /// The city of its service center.
    pub hub: CityId,
}

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
            if !super::lonlat::is_valid(location) {
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
