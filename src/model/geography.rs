//! Cities and sales regions.

use super::ids::{CityId, RegionId};
use geo::Point;
use serde::{Deserialize, Serialize};

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
