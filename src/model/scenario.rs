//! The scenario: everything a dispatch or planning run reads, validated once.

use super::validate::validate;
use super::*;
use crate::error::{ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The plain data of a scenario, as read from or written to JSON.
///
/// Build a [`Scenario`] from it with [`Scenario::new`], which checks every rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioData {
    /// How travel distance and time are computed.
    #[serde(default)]
    pub travel: TravelSpec,
    /// The product catalog.
    #[serde(default)]
    pub catalog: Catalog,
    /// The dispatch policy (default: every kind takes all work, regions crossed only when necessary).
    #[serde(default)]
    pub policy: Policy,
    /// Sales regions.
    pub regions: Vec<Region>,
    /// Cities.
    pub cities: Vec<City>,
    /// Outlets.
    pub outlets: Vec<Outlet>,
    /// Technicians.
    pub technicians: Vec<Technician>,
    /// Requests to dispatch.
    pub requests: Vec<ServiceRequest>,
}

/// A validated scenario: every id unique, every reference resolved, every value in range.
///
/// Entities keep the order of the input; `*_index` methods map an id to its
/// position in the corresponding slice.
#[derive(Debug, Clone)]
pub struct Scenario {
    data: ScenarioData,
    region_index: HashMap<RegionId, usize>,
    city_index: HashMap<CityId, usize>,
    outlet_index: HashMap<OutletId, usize>,
    technician_index: HashMap<TechnicianId, usize>,
    request_index: HashMap<RequestId, usize>,
    category_index: HashMap<CategoryId, usize>,
}

fn index_of<K: std::hash::Hash + Eq, T>(items: &[T], key: impl Fn(&T) -> K) -> HashMap<K, usize> {
    items.iter().enumerate().map(|(i, t)| (key(t), i)).collect()
}

impl Scenario {
    /// Validates the data and builds the scenario.
    ///
    /// # Example
    /// ```
    /// use servnet::{ProblemCode, Scenario, ScenarioData};
    /// let mut data = ScenarioData::default();
    /// assert!(Scenario::new(data.clone()).is_ok(), "an empty scenario is valid");
    /// data.catalog.categories.clear();
    /// let err = Scenario::new(data).unwrap_err();
    /// assert_eq!(err.problems()[0].code, ProblemCode::Empty);
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem found, each with a code,
    /// the entity, its id and the field.
    pub fn new(data: ScenarioData) -> Result<Scenario> {
        let problems = validate(&data);
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        Ok(Scenario {
            region_index: index_of(&data.regions, |r| r.id),
            city_index: index_of(&data.cities, |c| c.id),
            outlet_index: index_of(&data.outlets, |o| o.id),
            technician_index: index_of(&data.technicians, |t| t.id),
            request_index: index_of(&data.requests, |r| r.id),
            category_index: index_of(&data.catalog.categories, |c| c.id),
            data,
        })
    }

    /// The plain data.
    pub fn data(&self) -> &ScenarioData {
        &self.data
    }

    /// Consumes the scenario and returns its plain data.
    pub fn into_data(self) -> ScenarioData {
        self.data
    }

    /// How travel is computed.
    pub fn travel(&self) -> &TravelSpec {
        &self.data.travel
    }

    /// The product catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.data.catalog
    }

    /// The dispatch policy.
    pub fn policy(&self) -> &Policy {
        &self.data.policy
    }

    /// Sales regions.
    pub fn regions(&self) -> &[Region] {
        &self.data.regions
    }

    /// Cities.
    pub fn cities(&self) -> &[City] {
        &self.data.cities
    }

    /// Outlets.
    pub fn outlets(&self) -> &[Outlet] {
        &self.data.outlets
    }

    /// Technicians.
    pub fn technicians(&self) -> &[Technician] {
        &self.data.technicians
    }

    /// Requests.
    pub fn requests(&self) -> &[ServiceRequest] {
        &self.data.requests
    }

    /// Position of a region in [`Scenario::regions`].
    pub fn region_index(&self, id: RegionId) -> Option<usize> {
        self.region_index.get(&id).copied()
    }

    /// Position of a city in [`Scenario::cities`].
    pub fn city_index(&self, id: CityId) -> Option<usize> {
        self.city_index.get(&id).copied()
    }

    /// Position of an outlet in [`Scenario::outlets`].
    pub fn outlet_index(&self, id: OutletId) -> Option<usize> {
        self.outlet_index.get(&id).copied()
    }

    /// Position of a technician in [`Scenario::technicians`].
    pub fn technician_index(&self, id: TechnicianId) -> Option<usize> {
        self.technician_index.get(&id).copied()
    }

    /// Position of a request in [`Scenario::requests`].
    pub fn request_index(&self, id: RequestId) -> Option<usize> {
        self.request_index.get(&id).copied()
    }

    /// Position of a category in the catalog's list.
    pub fn category_index(&self, id: CategoryId) -> Option<usize> {
        self.category_index.get(&id).copied()
    }

    /// The city with this id.
    pub fn city(&self, id: CityId) -> Option<&City> {
        self.city_index(id).map(|i| &self.data.cities[i])
    }

    /// The outlet with this id.
    pub fn outlet(&self, id: OutletId) -> Option<&Outlet> {
        self.outlet_index(id).map(|i| &self.data.outlets[i])
    }

    /// The technician with this id.
    pub fn technician(&self, id: TechnicianId) -> Option<&Technician> {
        self.technician_index(id).map(|i| &self.data.technicians[i])
    }

    /// The request with this id.
    pub fn request(&self, id: RequestId) -> Option<&ServiceRequest> {
        self.request_index(id).map(|i| &self.data.requests[i])
    }

    /// The category with this id.
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.category_index(id)
            .map(|i| &self.data.catalog.categories[i])
    }

    /// Where a technician starts and ends the day: the base, or the outlet's location.
    pub fn technician_base(&self, technician: &Technician) -> geo::Point<f64> {
        technician.base.unwrap_or_else(|| {
            self.outlet(technician.outlet)
                .map(|o| o.location)
                .unwrap_or(geo::Point::new(0.0, 0.0))
        })
    }

    /// Where a technician's day starts: [`Technician::start`], or the base.
    pub fn technician_start(&self, technician: &Technician) -> geo::Point<f64> {
        technician
            .start
            .unwrap_or_else(|| self.technician_base(technician))
    }

    /// The sales region of a city.
    pub fn city_region(&self, city: CityId) -> Option<RegionId> {
        self.city(city).map(|c| c.region)
    }
}

impl Serialize for Scenario {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}
