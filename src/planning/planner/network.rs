//! The planned network as outlets: the planned owned outlets, and the
//! contracted outlets and dealers with them.

use super::NetworkPlanner;
use super::results::NetworkPlan;
use crate::model::{City, CityId, Outlet, OutletId, OutletKind};
use std::collections::BTreeMap;

impl NetworkPlanner<'_> {
    /// The planned owned outlets as [`Outlet`]s (ids from `first_id` on, at
    /// their cities' locations, every category, the capacity
    /// [`crate::limits::MAX_DAILY_CAPACITY`], that is no limit in practice), for
    /// example to measure the planned network's coverage together with the
    /// contracted outlets and dealers.
    pub fn owned_outlets(&self, plan: &NetworkPlan, first_id: u32) -> Vec<Outlet> {
        let by_id: BTreeMap<CityId, &City> = self.cities.iter().map(|c| (c.id, c)).collect();
        plan.owned
            .iter()
            .filter_map(|id| by_id.get(id))
            .enumerate()
            .map(|(k, c)| Outlet {
                id: OutletId(first_id + k as u32),
                name: format!("{} company-owned (planned)", c.name),
                kind: OutletKind::CompanyOwned,
                tier: crate::model::Tier::Gold,
                city: c.id,
                location: c.location,
                categories: (0..crate::model::Catalog::default().categories.len() as u16)
                    .map(crate::model::CategoryId)
                    .collect(),
                daily_capacity: crate::limits::MAX_DAILY_CAPACITY,
                tariff: crate::model::Tariff {
                    per_visit: 0.0,
                    per_minute: self.cost.owned_per_minute,
                    per_km: self.cost.per_km,
                },
            })
            .collect()
    }

    /// The planned network: the planner's contracted outlets and dealers,
    /// then the planned owned outlets ([`NetworkPlanner::owned_outlets`],
    /// numbered after the largest outlet id), for example to measure its
    /// coverage with [`crate::planning::coverage::coverage_of`].
    pub fn planned_network(&self, plan: &NetworkPlan) -> Vec<Outlet> {
        let first_id = self.outlets.iter().map(|o| o.id.0).max().unwrap_or(0) + 1;
        let mut network: Vec<Outlet> = self
            .outlets
            .iter()
            .filter(|o| o.kind != OutletKind::CompanyOwned)
            .cloned()
            .collect();
        network.extend(self.owned_outlets(plan, first_id));
        network
    }
}
