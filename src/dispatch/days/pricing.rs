//! How the days are priced: the priorities' weights, the pricing of a
//! routed plan, and each visit's fixed cost, response cost and penalty.

use super::{Days, NONE};
use crate::model::Priority;

/// What a priority weighs in the objective: low 0.5, normal 1, high 2, urgent 4.
pub(crate) fn priority_weight(priority: Priority) -> f64 {
    match priority {
        Priority::Low => 0.5,
        Priority::Normal => 1.0,
        Priority::High => 2.0,
        Priority::Urgent => 4.0,
    }
}

/// How a routed plan is priced: each visit's tariff cost (its fee, its
/// minutes on site and its share of the day's driving), the policy's
/// surcharge, `response_cost_per_min × weight` per minute the visit starts
/// after its window opens, and `unassigned_penalty × weight` for a request
/// left out that some technician could have served.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pricing {
    pub unassigned_penalty: f64,
    pub response_cost_per_min: f64,
}

impl Pricing {
    /// The tariff alone: no penalty, no response term (the greedy rules' cheapest place).
    pub const TARIFF: Pricing = Pricing {
        unassigned_penalty: 0.0,
        response_cost_per_min: 0.0,
    };
}

impl Days<'_> {
    /// What a visit of technician `t` to request `i` costs apart from the
    /// driving: the fee, the minutes on site, the surcharge (what any place
    /// for it costs at least).
    #[inline]
    pub fn fixed_cost(&self, t: usize, i: usize, service: f64) -> f64 {
        let tariff = &self.s.outlets()[self.table.outlet(t)].tariff;
        tariff.per_visit
            + tariff.per_minute * service
            + self.table.surcharge(self.s, t, self.reqs[i].needs.region)
    }

    #[inline]
    pub(super) fn response(&self, i: usize, start: f64) -> f64 {
        let r = &self.reqs[i];
        self.pricing.response_cost_per_min * r.weight * (start - r.window_start).max(0.0)
    }

    /// The penalty of leaving request `i` out.
    #[inline]
    pub fn penalty(&self, i: usize) -> f64 {
        self.pricing.unassigned_penalty * self.reqs[i].weight
    }

    /// The objective: every day's cost, and the penalty of every request
    /// left out for which `servable` holds.
    pub fn objective(&self, servable: impl Fn(usize) -> bool) -> f64 {
        let days: f64 = self.days.iter().map(|d| d.cost).sum();
        let left: f64 = (0..self.reqs.len())
            .filter(|&i| self.tech_of[i] == NONE && servable(i))
            .map(|i| self.penalty(i))
            .sum();
        days + left
    }
}
