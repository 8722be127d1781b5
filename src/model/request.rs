//! Customer service requests.

use super::catalog::{RequestKind, SkillLevel};
use super::ids::{CategoryId, CityId, RequestId};
use geo::Point;
use serde::{Deserialize, Serialize};

/// How urgent a request is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The usual.
    #[default]
    Normal,
    /// Before normal work.
    High,
    /// As soon as possible.
    Urgent,
}

/// When a visit may start: minutes from the scenario's start, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    /// Earliest start of the visit.
    pub start_min: u32,
    /// Latest start of the visit (the promised deadline).
    pub end_min: u32,
}

/// A customer's request for a visit.
///
/// A request with several categories is a one-stop household visit: one
/// technician who covers all of them serves it in one visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequest {
    /// Id.
    pub id: RequestId,
    /// The customer's city.
    pub city: CityId,
    /// The customer's location, `[lon, lat]` in JSON.
    #[serde(with = "super::lonlat")]
    pub location: Point<f64>,
    /// The product categories to service; several make a one-stop visit.
    pub categories: Vec<CategoryId>,
    /// Install, repair or maintenance.
    pub kind: RequestKind,
    /// Difficulty from 1 (simple) to 5 (expert only); see [`SkillLevel::for_difficulty`].
    pub difficulty: u8,
    /// When the call center received it, minutes from the scenario's start.
    pub received_min: u32,
    /// When the visit may start.
    pub window: TimeWindow,
    /// Priority.
    #[serde(default)]
    pub priority: Priority,
}

impl ServiceRequest {
    /// The skill level every category of this request needs.
    pub fn required_level(&self) -> SkillLevel {
        SkillLevel::for_difficulty(self.difficulty)
    }
}
