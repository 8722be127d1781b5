//! What the kinds of outlet cost: the [`CostModel`] of a plan, with the
//! checks of its fields.

use crate::error::{Problem, ProblemCode};
use crate::model::OutletKind;
use crate::planning::median::MAX_COST;
use crate::travel::Leg;
use serde::{Deserialize, Serialize};

/// What the kinds of outlet cost, in currency units (CNY in the defaults).
///
/// Every field is a finite number ≥ 0 and at most
/// [`MAX_COST`](crate::planning::median::MAX_COST); a planner refuses others,
/// naming the field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostModel {
    /// Yearly fixed cost of an owned outlet: premises, a base team, vans. Default 300,000.
    pub owned_fixed_per_year: f64,
    /// Cost of an owned technician's working minute, on site or driving. Default 0.8.
    pub owned_per_minute: f64,
    /// Fee per visit paid to a contracted outlet. Default 120.
    pub contracted_per_visit: f64,
    /// Fee per visit paid to a dealer. Default 80.
    pub dealer_per_visit: f64,
    /// Cost per km driven, by any kind. Default 1.0.
    pub per_km: f64,
    /// One-way km inside the customer's city, added to every trip. Default 8.
    pub local_km: f64,
    /// One-way minutes inside the customer's city, added to every trip. Default 15.
    pub local_min: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            owned_fixed_per_year: 300_000.0,
            owned_per_minute: 0.8,
            contracted_per_visit: 120.0,
            dealer_per_visit: 80.0,
            per_km: 1.0,
            local_km: 8.0,
            local_min: 15.0,
        }
    }
}

impl CostModel {
    /// What one visit from an owned outlet costs over a one-way `leg` (city to city).
    pub fn owned_visit(&self, leg: Leg, service_min: f64) -> f64 {
        let km = leg.km + self.local_km;
        let min = leg.minutes + self.local_min;
        self.owned_per_minute * (service_min + 2.0 * min) + self.per_km * 2.0 * km
    }

    /// What one visit from a contracted outlet or a dealer costs over a one-way `leg`.
    pub fn contract_visit(&self, kind: OutletKind, leg: Leg) -> f64 {
        let fee = match kind {
            OutletKind::Dealer => self.dealer_per_visit,
            _ => self.contracted_per_visit,
        };
        fee + self.per_km * 2.0 * (leg.km + self.local_km)
    }

    pub(super) fn problems(&self) -> Vec<Problem> {
        [
            ("owned_fixed_per_year", self.owned_fixed_per_year),
            ("owned_per_minute", self.owned_per_minute),
            ("contracted_per_visit", self.contracted_per_visit),
            ("dealer_per_visit", self.dealer_per_visit),
            ("per_km", self.per_km),
            ("local_km", self.local_km),
            ("local_min", self.local_min),
        ]
        .into_iter()
        .filter_map(|(field, v)| {
            non_negative("cost model", None, field, v).or_else(|| {
                (v > MAX_COST).then(|| {
                    Problem::new(
                        ProblemCode::OutOfRange,
                        "cost model",
                        None,
                        field,
                        format!(
                            "{} is above the largest cost a plan handles, {MAX_COST:e}",
                            crate::planning::shown(v)
                        ),
                    )
                })
            })
        })
        .collect()
    }
}

/// A problem when `v` is negative or not finite.
pub(super) fn non_negative(
    entity: &'static str,
    id: Option<u64>,
    field: &str,
    v: f64,
) -> Option<Problem> {
    (!(v.is_finite() && v >= 0.0)).then(|| {
        Problem::new(
            ProblemCode::OutOfRange,
            entity,
            id,
            field,
            format!("{v} is not a finite number ≥ 0"),
        )
    })
}
