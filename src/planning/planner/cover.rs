//! The fewest outlet sites that put every forecast city within the promise,
//! whatever their kind: the set covering view of a planner's cities.

use super::NetworkPlanner;
use super::forecast::Forecast;
use crate::error::Result;
use crate::model::CityId;
use crate::planning::covering::{CoverProblem, CoverSolution, SetCover};
use crate::spatial::great_circle_km;

impl NetworkPlanner<'_> {
    /// The fewest outlet sites among the candidate cities that put every
    /// forecast city within the promise (km and, if set, minutes), whatever
    /// their kind: the set covering problem, solved by
    /// [`SetCover`] with a proven bound.
    /// Sites are positions in the candidate list ([`NetworkPlanner::candidates`],
    /// or every city in order), customers the forecast's cities in order;
    /// [`NetworkPlanner::cover_sites`] turns the open sites into cities.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`].
    pub fn min_cover(&self, forecast: &Forecast) -> Result<CoverSolution> {
        let index = self.check(forecast)?;
        let sites = self.candidate_sites(&index);
        let mut builder = CoverProblem::builder(sites.len());
        for d in &forecast.cities {
            let to = self.cities[index[&d.city]].location;
            let arcs: Vec<(usize, f64)> = sites
                .iter()
                .enumerate()
                .filter(|&(_, &i)| great_circle_km(self.cities[i].location, to) <= self.promise_km)
                .map(|(s, &i)| (s, self.travel.leg(self.cities[i].location, to)))
                .filter(|&(_, leg)| self.within_promise(leg))
                .map(|(s, leg)| (s, leg.km))
                .collect();
            builder = builder.customer(d.visits, arcs);
        }
        let radius = if self.promise_km.is_finite() {
            self.promise_km
        } else {
            f64::MAX
        };
        SetCover::new(radius)
            .time_limit_s(self.time_limit_s)
            .node_limit(self.node_limit)
            .solve(&builder.build()?)
    }

    /// The cities of a [`NetworkPlanner::min_cover`] solution's open sites.
    pub fn cover_sites(&self, solution: &CoverSolution) -> Vec<CityId> {
        let index = self.city_index();
        let sites = self.candidate_sites(&index);
        solution
            .open
            .iter()
            .filter_map(|&s| sites.get(s).map(|&i| self.cities[i].id))
            .collect()
    }
}
