//! Plain data of a service network: ids, the catalog, cities and regions
//! (China's shipped in [`Geography`]), outlets and technicians, requests,
//! how travel is measured ([`TravelSpec`]),
//! and the validated [`Scenario`].

mod catalog;
mod geography;
mod ids;
pub mod limits;
pub(crate) mod lonlat;
mod network;
mod policy;
mod request;
mod scenario;
mod travel;
mod validate;

pub use catalog::{Catalog, Category, RequestKind, SkillLevel};
pub use geography::{AdminLevel, City, Geography, Region};
pub(crate) use geography::{csv_syntax, fold};
pub use ids::{CategoryId, CityId, OutletId, RegionId, RequestId, TechnicianId};
pub use network::{Outlet, OutletKind, Skill, Tariff, Technician, Tier};
pub use policy::{KindRule, Policy, RegionRule};
pub use request::{Priority, ServiceRequest, TimeWindow};
pub use scenario::{Scenario, ScenarioData};
pub(crate) use travel::validate_spec as validate_travel;
pub use travel::{CHINA_TRUNK, GreatCircle, Leg, RoadSpec, TravelModel, TravelSpec};
pub(crate) use validate::{Ids, Unread, validate_request, validate_unread};
