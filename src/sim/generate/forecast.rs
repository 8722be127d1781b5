//! What the network planner takes from the generator: a yearly demand
//! forecast by city and the job mix of the generated requests.

use super::Generator;
use super::builder::param;
use super::demand::{DemandMix, demand_weight};
use crate::error::Result;
use crate::model::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

impl Generator {
    /// A yearly demand forecast by city for the network planner
    /// ([`crate::planning::planner`]): `yearly_visits` spread over the preset's
    /// cities in proportion to the demand the generator draws from (a city's
    /// population), and the job mix — the shares of basic (difficulty 1–2)
    /// and expert (difficulty 5) jobs and the mean minutes on site per visit
    /// at the basic level — measured on 2,000 requests drawn for each month
    /// with the generator's seed.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for an unknown province, or `yearly_visits`
    /// negative or not finite.
    ///
    /// # Example
    /// ```
    /// use servnet::generate::{Generator, Preset};
    /// let f = Generator::new(Preset::province("Hainan")).forecast(100_000.0)?;
    /// assert!((f.total_visits() - 100_000.0).abs() < 1e-6);
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn forecast(&self, yearly_visits: f64) -> Result<crate::planning::planner::Forecast> {
        use crate::planning::planner::{CityDemand, Forecast};
        if !(yearly_visits.is_finite() && yearly_visits >= 0.0) {
            return Err(param(
                "yearly_visits",
                format!("{yearly_visits} is not a finite number ≥ 0"),
            ));
        }
        let mix = self.job_mix()?;
        let (geography, area) = self.geography_and_area()?;
        let weight: f64 = area
            .iter()
            .map(|&i| demand_weight(&geography.cities[i]))
            .sum();
        Ok(Forecast {
            cities: area
                .iter()
                .map(|&i| {
                    let c = &geography.cities[i];
                    CityDemand {
                        city: c.id,
                        visits: yearly_visits * demand_weight(c) / weight,
                        basic_share: mix.basic_share,
                        expert_share: mix.expert_share,
                        service_min: mix.service_min,
                    }
                })
                .collect(),
        })
    }

    /// The job mix of the generator's requests over a year (see
    /// [`Generator::forecast`]).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for an unknown province.
    pub fn job_mix(&self) -> Result<crate::planning::planner::JobMix> {
        let (geography, area) = self.geography_and_area()?;
        let catalog = Catalog::default();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let (mut n, mut basic, mut expert, mut minutes) = (0u32, 0u32, 0u32, 0.0);
        for month in 1..=12 {
            let mix = DemandMix::new(&geography, &area, month);
            for id in 0..2000 {
                let r = mix.draw(id, &mut rng, |_| {
                    (
                        0,
                        TimeWindow {
                            start_min: 0,
                            end_min: 0,
                        },
                    )
                });
                n += 1;
                basic += u32::from(r.difficulty <= 2);
                expert += u32::from(r.difficulty >= 5);
                minutes += r
                    .categories
                    .iter()
                    .filter_map(|&c| catalog.category(c))
                    .map(|c| c.base_minutes(r.kind))
                    .sum::<f64>();
            }
        }
        let n = f64::from(n);
        Ok(crate::planning::planner::JobMix {
            basic_share: f64::from(basic) / n,
            expert_share: f64::from(expert) / n,
            service_min: minutes / n,
        })
    }
}
