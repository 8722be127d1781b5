//! The objective of any plan of a scenario, priced from its routes as
//! [`Optimal`] prices its own.

use super::Optimal;
use crate::dispatch::days::priority_weight;
use crate::dispatch::eligibility::Needs;
use crate::dispatch::eligibility::TechTable;
use crate::dispatch::{Plan, UnassignedReason};
use crate::error::Result;
use crate::model::Scenario;

impl Optimal {
    /// The objective of any plan of this scenario, priced from its routes
    /// as `Optimal` prices its own.
    ///
    /// Each visit's cost is read from the plan; its surcharge and its
    /// response term from the scenario and the route's start time. Whether
    /// an unassigned request is charged is decided again from the scenario
    /// (could a technician in reach have served it on its own?), not read
    /// from the plan. Visits of requests the scenario does not have count at
    /// normal priority, with no response term.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) when a setting is invalid.
    pub fn objective(&self, scenario: &Scenario, plan: &Plan) -> Result<f64> {
        self.check()?;
        let table = TechTable::new(scenario);
        let starts: std::collections::HashMap<_, _> = plan
            .routes
            .iter()
            .flat_map(|r| r.stops.iter().map(|st| (st.request, st.start_min)))
            .collect();
        let mut total = 0.0;
        for a in &plan.assignments {
            let r = scenario.request(a.request);
            let w = r.map_or(1.0, |r| priority_weight(r.priority));
            let surcharge = scenario.outlet(a.outlet).map_or(0.0, |o| {
                let region = |city| scenario.city(city).map(|c| c.region);
                let crosses = r.is_some_and(|r| region(r.city) != region(o.city));
                scenario.policy().surcharge(crosses, o.tier)
            });
            let response = match (r, starts.get(&a.request)) {
                (Some(r), Some(&start)) => {
                    self.response_cost_per_min
                        * w
                        * (start - f64::from(r.window.start_min)).max(0.0)
                }
                _ => 0.0,
            };
            total += a.cost + surcharge + response;
        }
        for u in &plan.unassigned {
            let Some(r) = scenario.request(u.request) else {
                continue;
            };
            let needs = Needs::of(scenario, r);
            if table.reason(scenario, r, &needs, self.max_km) == UnassignedReason::CapacityExhausted
            {
                total += self.unassigned_penalty * priority_weight(r.priority);
            }
        }
        Ok(total)
    }
}
