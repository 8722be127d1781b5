//! How the choice moves with volume: plans at scaled volumes, and per city
//! the volume from which owning pays.

use super::NetworkPlanner;
use super::cost::non_negative;
use super::forecast::{CityDemand, Forecast, JobClass};
use super::results::{BreakEven, SweepPoint};
use crate::error::{ErrorKind, Problem, Result};
use crate::model::OutletKind;
use crate::travel::Leg;
use std::time::Instant;

impl NetworkPlanner<'_> {
    /// Plans at each volume `factor × forecast`, in the order given.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`], and a factor that is negative or not
    /// finite (entity `sweep`, field `factor`, with its position).
    pub fn sweep(&self, forecast: &Forecast, factors: &[f64]) -> Result<Vec<SweepPoint>> {
        let bad: Vec<Problem> = factors
            .iter()
            .enumerate()
            .filter_map(|(i, &f)| non_negative("sweep", Some(i as u64), "factor", f))
            .collect();
        if !bad.is_empty() {
            return Err(ErrorKind::Invalid(bad).into());
        }
        // The options and costs per visit are the same at every volume.
        let (sites, jobs) = self.jobs(forecast)?;
        factors
            .iter()
            .map(|&factor| {
                let plan = self.solve(forecast, &sites, &jobs, factor, Instant::now())?;
                Ok(SweepPoint {
                    factor,
                    visits: factor * forecast.total_visits(),
                    owned: plan.owned.len(),
                    total_cost: plan.cost.total,
                    per_visit: plan.cost.per_visit,
                    visit_share: OutletKind::ALL.map(|k| plan.visit_share(k)),
                    gap: plan.gap,
                })
            })
            .collect()
    }

    /// Per forecast city, the volume from which an owned outlet serving only
    /// that city costs less than contracting its jobs, in the forecast's order.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`].
    pub fn break_even(&self, forecast: &Forecast) -> Result<Vec<BreakEven>> {
        let index = self.check(forecast)?;
        let home = Leg {
            km: 0.0,
            minutes: 0.0,
        };
        Ok(forecast
            .cities
            .iter()
            .map(|d| {
                let city = &self.cities[index[&d.city]];
                let options = self.contract_options(city);
                let owned_per_visit = self.cost.owned_visit(home, d.service_min);
                let mut contract = Some(0.0);
                let mut weight = 0.0;
                for class in JobClass::ALL {
                    // The class's share of the city's visits.
                    let w = CityDemand {
                        visits: 1.0,
                        ..d.clone()
                    }
                    .class_visits(class);
                    if w <= 0.0 {
                        continue;
                    }
                    weight += w;
                    let per_visit = if self.rule.owned_only(class) {
                        Some(owned_per_visit)
                    } else {
                        options[class.index()].map(|o| o.per_visit)
                    };
                    contract = match (contract, per_visit) {
                        (Some(c), Some(p)) => Some(c + w * p),
                        _ => None,
                    };
                }
                let contract_per_visit =
                    contract.map(|c| if weight > 0.0 { c / weight } else { 0.0 });
                let break_even_visits = contract_per_visit.and_then(|c| {
                    let saving = c - owned_per_visit;
                    (saving > 1e-9).then(|| self.cost.owned_fixed_per_year / saving)
                });
                BreakEven {
                    city: d.city,
                    visits: d.visits,
                    contract_per_visit,
                    owned_per_visit,
                    break_even_visits,
                }
            })
            .collect())
    }
}
