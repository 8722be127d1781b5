//! The demand side of a plan: a yearly forecast by city, the classes of job
//! it splits each city's visits into, and the mix of those classes.

use crate::model::CityId;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// The kinds of job a forecast splits a city's visits into.
///
/// Which outlet kinds may do each class follows the planner's dispatch
/// policy ([`NetworkPlanner::policy`](super::NetworkPlanner::policy)); the
/// kinds named below are those of the default, [`Policy::field`](crate::model::Policy::field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobClass {
    /// Installations and simple jobs (difficulty 1–2): any outlet, dealers included.
    Basic,
    /// Harder repairs (difficulty 3–4): contracted or owned outlets.
    Advanced,
    /// Expert jobs (difficulty 5): the company's own technicians only.
    Expert,
}

impl JobClass {
    /// All classes, in order.
    pub const ALL: [JobClass; 3] = [JobClass::Basic, JobClass::Advanced, JobClass::Expert];

    /// The request difficulties of the class: 1–2, 3–4 or 5.
    pub fn difficulties(self) -> RangeInclusive<u8> {
        match self {
            JobClass::Basic => 1..=2,
            JobClass::Advanced => 3..=4,
            JobClass::Expert => 5..=5,
        }
    }

    /// The name used in files, e.g. `basic`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobClass::Basic => "basic",
            JobClass::Advanced => "advanced",
            JobClass::Expert => "expert",
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// One city's yearly demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityDemand {
    /// The city.
    pub city: CityId,
    /// Visits a year.
    pub visits: f64,
    /// Share of the visits that are [`JobClass::Basic`], 0–1.
    pub basic_share: f64,
    /// Share of the visits that are [`JobClass::Expert`], 0–1; the rest,
    /// `1 − basic − expert`, are [`JobClass::Advanced`].
    pub expert_share: f64,
    /// Minutes on site per visit, on average.
    pub service_min: f64,
}

impl CityDemand {
    /// The visits of one class.
    pub fn class_visits(&self, class: JobClass) -> f64 {
        let share = match class {
            JobClass::Basic => self.basic_share,
            JobClass::Expert => self.expert_share,
            JobClass::Advanced => 1.0 - self.basic_share - self.expert_share,
        };
        self.visits * share.max(0.0)
    }
}

/// The mix of jobs in a city's visits: the shares of basic and expert jobs
/// and the mean minutes on site per visit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JobMix {
    /// Share of [`JobClass::Basic`] visits, 0–1. Default 0.5.
    pub basic_share: f64,
    /// Share of [`JobClass::Expert`] visits, 0–1. Default 0.05.
    pub expert_share: f64,
    /// Minutes on site per visit. Default 80.
    pub service_min: f64,
}

impl Default for JobMix {
    fn default() -> Self {
        JobMix {
            basic_share: 0.5,
            expert_share: 0.05,
            service_min: 80.0,
        }
    }
}

/// A yearly demand forecast by city (from the generator,
/// [`crate::generate::Generator::forecast`], or a user's CSV,
/// [`crate::io::network_plan::read_forecast_csv`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Forecast {
    /// One entry per city with demand, in the order given.
    pub cities: Vec<CityDemand>,
}

impl Forecast {
    /// Visits a year over all cities.
    pub fn total_visits(&self) -> f64 {
        self.cities.iter().map(|c| c.visits).sum()
    }

    /// The same forecast with every city's visits multiplied by `factor`.
    pub fn scaled(&self, factor: f64) -> Forecast {
        Forecast {
            cities: self
                .cities
                .iter()
                .map(|c| CityDemand {
                    visits: c.visits * factor,
                    ..c.clone()
                })
                .collect(),
        }
    }
}
