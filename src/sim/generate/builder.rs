//! The generator's builder: its settings, the cities of its preset, and the
//! scenario it builds from them.

use super::Preset;
use super::demand::requests;
use super::network::{outlets, technicians};
use crate::error::{ErrorKind, Result};
use crate::model::*;
use crate::travel::TravelSpec;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The most requests, or technicians, one generated scenario may hold.
pub const MAX_ENTITIES: usize = 10_000_000;

/// Builds a scenario: network and one day of demand.
///
/// Defaults: 1,000 requests, seed 0, July, one technician per 3 requests
/// (at least one per outlet).
///
/// # Example
/// ```
/// use servnet::generate::{Generator, Preset};
/// let day = Generator::new(Preset::province("Zhejiang")).requests(500).seed(7).build()?;
/// assert_eq!(day.requests().len(), 500);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    preset: Preset,
    pub(in crate::sim) requests: usize,
    pub(in crate::sim) seed: u64,
    pub(in crate::sim) month: u8,
    technicians: Option<usize>,
    geography: Option<Geography>,
    policy: Policy,
    travel: TravelSpec,
}

impl Generator {
    /// A generator for a preset, with the defaults.
    pub fn new(preset: Preset) -> Generator {
        Generator {
            preset,
            requests: 1000,
            seed: 0,
            month: 7,
            technicians: None,
            geography: None,
            policy: Policy::default(),
            travel: TravelSpec::default(),
        }
    }

    /// Number of requests in the day.
    pub fn requests(mut self, n: usize) -> Self {
        self.requests = n;
        self
    }

    /// The seed of the random generator.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Month of the day, 1–12: sets the product mix (air conditioners peak in summer).
    pub fn month(mut self, month: u8) -> Self {
        self.month = month;
        self
    }

    /// Number of technicians (default: one per 3 requests, at least one per outlet).
    pub fn technicians(mut self, n: usize) -> Self {
        self.technicians = Some(n);
        self
    }

    /// The cities and regions to use instead of the shipped table of China.
    pub fn geography(mut self, geography: Geography) -> Self {
        self.geography = Some(geography);
        self
    }

    /// The dispatch policy the scenario carries (default: [`Policy::default`]).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The travel model the scenario carries (default: [`TravelSpec::default`],
    /// great-circle distance; [`crate::io::china::china_trunk_travel`] for
    /// China's trunk roads).
    pub fn travel(mut self, travel: TravelSpec) -> Self {
        self.travel = travel;
        self
    }

    /// The geography and the positions of the preset's cities in it.
    pub(super) fn geography_and_area(&self) -> Result<(Geography, Vec<usize>)> {
        let geography = match &self.geography {
            Some(g) => g.clone(),
            None => Geography::china()?,
        };
        let area: Vec<usize> = match &self.preset {
            Preset::National => (0..geography.cities.len()).collect(),
            Preset::Province(name) => {
                let key = fold(name);
                let list: Vec<usize> = (0..geography.cities.len())
                    .filter(|&i| fold(&geography.cities[i].province) == key)
                    .collect();
                if list.is_empty() {
                    let mut known: Vec<&str> = geography
                        .regions
                        .iter()
                        .flat_map(|r| r.provinces.iter().map(String::as_str))
                        .collect();
                    known.sort_unstable();
                    return Err(param(
                        "preset",
                        format!("no city in province `{name}`; known: {}", known.join(", ")),
                    ));
                }
                list
            }
        };
        Ok((geography, area))
    }

    /// The positions of the preset's cities in the geography.
    pub(crate) fn area(&self) -> Result<Vec<usize>> {
        Ok(self.geography_and_area()?.1)
    }

    /// Generates the scenario.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for an unknown province, a month outside 1–12,
    /// or more than [`MAX_ENTITIES`] requests or technicians.
    pub fn build(&self) -> Result<Scenario> {
        if !(1..=12).contains(&self.month) {
            return Err(param("month", format!("{} is outside 1..=12", self.month)));
        }
        if self.requests > MAX_ENTITIES {
            return Err(param(
                "requests",
                format!("{} is more than {MAX_ENTITIES}", self.requests),
            ));
        }
        if let Some(n) = self.technicians.filter(|&n| n > MAX_ENTITIES) {
            return Err(param(
                "technicians",
                format!("{n} is more than {MAX_ENTITIES}"),
            ));
        }
        let (geography, area) = self.geography_and_area()?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let catalog = Catalog::default();
        let outlets = outlets(&geography, &area, &mut rng);
        let n_tech = self
            .technicians
            .unwrap_or(self.requests.div_ceil(3))
            .max(outlets.len());
        let (technicians, outlets) = technicians(&geography, outlets, n_tech, &mut rng);
        let requests = requests(&geography, &area, self.requests, self.month, &mut rng);
        Scenario::new(ScenarioData {
            travel: self.travel.clone(),
            catalog,
            policy: self.policy.clone(),
            regions: geography.regions,
            cities: geography.cities,
            outlets,
            technicians,
            requests,
        })
    }
}

pub(super) fn param(name: &'static str, message: String) -> crate::Error {
    ErrorKind::Parameter { name, message }.into()
}
