//! The customers of the location problem: each forecast city's jobs of one
//! class, with the cheapest contract and the owned sites within reach.

use super::NetworkPlanner;
use super::forecast::{Forecast, JobClass};
use super::results::Server;
use crate::error::Result;
use crate::model::{City, CityId, OutletKind};
use crate::spatial::great_circle_km;
use crate::travel::Leg;
use std::collections::BTreeMap;

/// The cheapest contracting option for one class of one city.
#[derive(Debug, Clone, Copy)]
pub(super) struct ContractOption {
    pub(super) server: Server,
    pub(super) leg: Leg,
    pub(super) per_visit: f64,
}

/// One customer of the location problem: a city's jobs of one class.
pub(super) struct Job {
    /// Position in the forecast.
    pub(super) demand: usize,
    pub(super) class: JobClass,
    /// Visits a year at the forecast's volume.
    pub(super) visits: f64,
    pub(super) contract: Option<ContractOption>,
    /// The owned sites within reach: position in the candidate sites, leg, cost per visit.
    pub(super) owned: Vec<(usize, Leg, f64)>,
}

impl NetworkPlanner<'_> {
    pub(super) fn within_promise(&self, leg: Leg) -> bool {
        leg.km <= self.promise_km && self.promise_min.is_none_or(|m| leg.minutes <= m)
    }

    /// Positions (in `cities`) of the candidate sites.
    pub(super) fn candidate_sites(&self, index: &BTreeMap<CityId, usize>) -> Vec<usize> {
        match &self.candidates {
            Some(c) => c.iter().filter_map(|id| index.get(id).copied()).collect(),
            None => (0..self.cities.len()).collect(),
        }
    }

    /// The cheapest contracting option of each class for a city within the promise.
    pub(super) fn contract_options(&self, city: &City) -> [Option<ContractOption>; 3] {
        let mut best: [Option<ContractOption>; 3] = [None; 3];
        for o in self.outlets {
            let server = match o.kind {
                OutletKind::CompanyOwned => continue,
                OutletKind::Contracted => Server::Contracted(o.id),
                OutletKind::Dealer => Server::Dealer(o.id),
            };
            let classes: Vec<JobClass> = JobClass::ALL
                .into_iter()
                .filter(|&class| self.rule.admits(class, o.kind))
                .collect();
            if classes.is_empty() || great_circle_km(o.location, city.location) > self.promise_km {
                continue;
            }
            let leg = self.travel.leg(o.location, city.location);
            if !self.within_promise(leg) {
                continue;
            }
            let per_visit = self.cost.contract_visit(o.kind, leg);
            for class in classes {
                let slot = &mut best[class.index()];
                if slot.is_none_or(|b| per_visit < b.per_visit) {
                    *slot = Some(ContractOption {
                        server,
                        leg,
                        per_visit,
                    });
                }
            }
        }
        best
    }

    /// The candidate sites (positions in `cities`) and the jobs with their
    /// options and costs per visit: everything about a forecast that does not
    /// depend on its volume.
    pub(super) fn jobs(&self, forecast: &Forecast) -> Result<(Vec<usize>, Vec<Job>)> {
        let index = self.check(forecast)?;
        let sites = self.candidate_sites(&index);

        // One customer per city and class with visits.
        let mut jobs: Vec<Job> = Vec::new();
        let reach = self.promise_km.max(self.escalation_km);
        for (k, d) in forecast.cities.iter().enumerate() {
            let city = &self.cities[index[&d.city]];
            let contract = self.contract_options(city);
            let mut legs: Vec<(usize, Leg)> = Vec::new();
            for (s, &site) in sites.iter().enumerate() {
                let at = self.cities[site].location;
                if great_circle_km(at, city.location) > reach {
                    continue;
                }
                legs.push((s, self.travel.leg(at, city.location)));
            }
            for class in JobClass::ALL {
                let visits = d.class_visits(class);
                if visits <= 0.0 {
                    continue;
                }
                // Owned outlets within the promise, or the escalation reach for expert jobs.
                let owned_admitted = self.rule.admits(class, OutletKind::CompanyOwned);
                let owned = legs
                    .iter()
                    .filter(|(_, leg)| {
                        owned_admitted
                            && match class {
                                JobClass::Expert => leg.km <= self.escalation_km,
                                _ => self.within_promise(*leg),
                            }
                    })
                    .map(|&(s, leg)| (s, leg, self.cost.owned_visit(leg, d.service_min)))
                    .collect();
                jobs.push(Job {
                    demand: k,
                    class,
                    visits,
                    contract: contract[class.index()],
                    owned,
                });
            }
        }

        Ok((sites, jobs))
    }
}
