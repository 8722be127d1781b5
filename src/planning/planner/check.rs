//! The checks a planner runs before it plans: its settings, the cost model,
//! the cities and the forecast, every problem reported at once.

use super::NetworkPlanner;
use super::cost::non_negative;
use super::forecast::Forecast;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::CityId;
use std::collections::{BTreeMap, BTreeSet};

impl NetworkPlanner<'_> {
    pub(super) fn check(&self, forecast: &Forecast) -> Result<BTreeMap<CityId, usize>> {
        let mut problems = self.cost.problems();
        let settings = [
            ("promise_km", self.promise_km),
            ("escalation_km", self.escalation_km),
            ("promise_minutes", self.promise_min.unwrap_or(0.0)),
        ];
        problems.extend(
            settings
                .into_iter()
                .filter_map(|(field, v)| non_negative("planner", None, field, v)),
        );
        let index = self.city_index();
        for c in self.cities {
            if !crate::model::lonlat::is_valid(c.location) {
                problems.push(Problem::new(
                    ProblemCode::BadCoordinate,
                    "city",
                    Some(u64::from(c.id.0)),
                    "location",
                    format!(
                        "({}, {}) is not a WGS84 longitude and latitude",
                        c.location.x(),
                        c.location.y()
                    ),
                ));
            }
        }
        if let Some(cands) = &self.candidates {
            for c in cands {
                if !index.contains_key(c) {
                    problems.push(Problem::new(
                        ProblemCode::DanglingReference,
                        "candidate",
                        Some(u64::from(c.0)),
                        "city",
                        format!("city {c} is not among the planner's cities"),
                    ));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for d in &forecast.cities {
            let id = Some(u64::from(d.city.0));
            if !index.contains_key(&d.city) {
                problems.push(Problem::new(
                    ProblemCode::DanglingReference,
                    "forecast city",
                    id,
                    "city",
                    format!("city {} has demand but no coordinates: it is not among the planner's cities", d.city),
                ));
            }
            if !seen.insert(d.city) {
                problems.push(Problem::new(
                    ProblemCode::DuplicateId,
                    "forecast city",
                    id,
                    "city",
                    format!("city {} appears twice in the forecast", d.city),
                ));
            }
            for (field, v) in [
                ("visits", d.visits),
                ("service_min", d.service_min),
                ("basic_share", d.basic_share),
                ("expert_share", d.expert_share),
            ] {
                problems.extend(non_negative("forecast city", id, field, v));
            }
            if d.basic_share + d.expert_share > 1.0 + 1e-9 {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "forecast city",
                    id,
                    "basic_share",
                    format!(
                        "basic_share {} + expert_share {} is more than 1",
                        d.basic_share, d.expert_share
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(index)
        } else {
            Err(ErrorKind::Invalid(problems).into())
        }
    }

    /// Each city's position in `cities`, by id.
    pub(super) fn city_index(&self) -> BTreeMap<CityId, usize> {
        self.cities
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect()
    }
}
