//! Outlets and technicians: the service network.

use super::catalog::SkillLevel;
use super::ids::{CategoryId, CityId, OutletId, TechnicianId};
use geo::Point;
use serde::{Deserialize, Serialize};

/// Who owns an outlet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutletKind {
    /// Owned by the maker: full control, highest fixed cost, the pool of experts.
    CompanyOwned,
    /// A contracted service company, paid per visit.
    Contracted,
    /// A dealer: close to customers, installs and simple jobs.
    Dealer,
}

impl OutletKind {
    /// All kinds.
    pub const ALL: [OutletKind; 3] = [
        OutletKind::CompanyOwned,
        OutletKind::Contracted,
        OutletKind::Dealer,
    ];

    /// The name used in files, e.g. `company_owned`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutletKind::CompanyOwned => "company_owned",
            OutletKind::Contracted => "contracted",
            OutletKind::Dealer => "dealer",
        }
    }

    /// Position in [`OutletKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for OutletKind {
    type Err = crate::ParseError;

    /// The name used in files (`company_owned`, `contracted`, `dealer`), or
    /// with a hyphen for the underscore (`company-owned`).
    fn from_str(s: &str) -> Result<OutletKind, crate::ParseError> {
        let name = s.trim().replace('-', "_");
        OutletKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                crate::ParseError::new("outlet kind", s, "company_owned, contracted or dealer")
            })
    }
}

/// An outlet's tier.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Managed directly by headquarters.
    Gold,
    /// Every other outlet.
    #[default]
    Standard,
}

/// What a visit by an outlet's technician costs:
/// `per_visit + per_minute × working minutes + per_km × travel km`.
///
/// Company-owned outlets usually charge per working minute (the technician's
/// cost); contracted outlets and dealers a fee per visit plus travel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tariff {
    /// Fixed fee per visit.
    #[serde(default)]
    pub per_visit: f64,
    /// Cost per working minute (service and travel).
    #[serde(default)]
    pub per_minute: f64,
    /// Cost per km travelled.
    #[serde(default)]
    pub per_km: f64,
}

impl Tariff {
    /// The cost of one visit.
    pub fn cost(&self, working_min: f64, travel_km: f64) -> f64 {
        self.per_visit + self.per_minute * working_min + self.per_km * travel_km
    }
}

/// A service outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outlet {
    /// Id.
    pub id: OutletId,
    /// Name.
    pub name: String,
    /// Who owns it.
    pub kind: OutletKind,
    /// Tier.
    #[serde(default)]
    pub tier: Tier,
    /// The city it stands in.
    pub city: CityId,
    /// WGS84 location, `[lon, lat]` in JSON.
    #[serde(with = "super::lonlat")]
    pub location: Point<f64>,
    /// The product categories it services.
    pub categories: Vec<CategoryId>,
    /// Visits it may make per day, over all its technicians.
    pub daily_capacity: u32,
    /// What its visits cost.
    pub tariff: Tariff,
}

/// A skill: a category at a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// The category.
    pub category: CategoryId,
    /// The level; covers the lower levels too.
    pub level: SkillLevel,
}

/// A technician, working for one outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Technician {
    /// Id.
    pub id: TechnicianId,
    /// The outlet employing or contracting the technician.
    pub outlet: OutletId,
    /// Skills; at most one per category.
    pub skills: Vec<Skill>,
    /// Start of the shift, minutes from the scenario's start.
    pub shift_start_min: u32,
    /// Length of the shift in minutes.
    pub shift_minutes: u32,
    /// Where the technician starts and ends the day, `[lon, lat]`; the outlet's location when absent.
    #[serde(
        default,
        with = "super::lonlat::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub base: Option<Point<f64>>,
    /// Where the technician is when the shift starts, `[lon, lat]`, when
    /// that is not the base: a technician already out on the road (as in a
    /// later dispatch round of the day). The day still ends at the base.
    #[serde(
        default,
        with = "super::lonlat::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<Point<f64>>,
}

impl Technician {
    /// The technician's level in a category, if any.
    pub fn level(&self, category: CategoryId) -> Option<SkillLevel> {
        self.skills
            .iter()
            .find(|s| s.category == category)
            .map(|s| s.level)
    }

    /// End of the shift, minutes from the scenario's start.
    pub fn shift_end_min(&self) -> u32 {
        self.shift_start_min.saturating_add(self.shift_minutes)
    }
}
