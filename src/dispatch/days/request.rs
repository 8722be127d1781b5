//! One request as the days see it: its point, window, weight, needs and
//! minutes on site at the basic level, worked out once.

use super::priority_weight;
use crate::dispatch::eligibility::Needs;
use crate::model::{Scenario, ServiceRequest};
use crate::route::Job;
use geo::Point;

/// One request as the days see it.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub point: Point<f64>,
    /// The point as a unit vector, for fast great-circle legs.
    pub xyz: [f64; 3],
    /// Minutes on site in each of `needs.cats` at the basic level.
    pub base_min: Vec<f64>,
    pub window_start: f64,
    pub window_end: f64,
    pub weight: f64,
    pub needs: Needs,
}

impl Req {
    pub fn new(s: &Scenario, r: &ServiceRequest) -> Req {
        let needs = Needs::of(s, r);
        let catalog = s.catalog();
        Req {
            point: r.location,
            xyz: crate::spatial::unit_vector(r.location).unwrap_or([0.0; 3]),
            base_min: needs
                .cats
                .iter()
                .map(|&c| catalog.categories[c].base_minutes(r.kind))
                .collect(),
            window_start: f64::from(r.window.start_min),
            window_end: f64::from(r.window.end_min),
            weight: priority_weight(r.priority),
            needs,
        }
    }

    pub(super) fn job(&self, service_min: f64) -> Job {
        Job {
            window_start_min: self.window_start,
            window_end_min: self.window_end,
            service_min,
        }
    }
}
