//! The technicians' days as strategies build them: each technician's visits
//! in order with their earliest schedule, and where one more fits.
//!
//! Every strategy dispatches into [`Days`]: a request goes into a
//! technician's route at a position that keeps every visit of the route
//! inside its window and the day inside the shift ([`route::timing`]), with
//! the outlet's daily visits counted. Each day caches its schedule (arrival
//! and start of every visit, and the latest start that keeps the rest of the
//! day feasible), so testing one position costs two legs and a few
//! comparisons. [`Days::plan`] turns the days into a [`Plan`] with its routes.
//!
//! [`route::timing`]: crate::route::timing
//! [`Plan`]: crate::dispatch::Plan

mod day;
mod edit;
mod legs;
mod output;
mod place;
mod pricing;
mod request;

pub(crate) use day::Day;
pub(crate) use place::Place;
pub(crate) use pricing::{Pricing, priority_weight};
pub(crate) use request::Req;

use super::eligibility::TechTable;
use crate::model::Scenario;
use legs::Fast;
use std::borrow::Cow;

/// No technician, no request.
pub(crate) const NONE: u32 = u32::MAX;

/// Every technician's day, the outlets' visits, and who serves what.
#[derive(Clone)]
pub(crate) struct Days<'a> {
    pub s: &'a Scenario,
    pub table: &'a TechTable,
    pub pricing: Pricing,
    pub reqs: Cow<'a, [Req]>,
    pub days: Vec<Day>,
    /// Visits each outlet makes.
    pub outlet_visits: Vec<u32>,
    /// The technician serving each request, or [`NONE`].
    pub tech_of: Vec<u32>,
    /// Visits in each technician's day (its day's length, kept compact for fast scans).
    pub visits: Vec<u32>,
    /// The scenario's travel as great circles, when it is.
    fast: Option<Fast>,
}

impl<'a> Days<'a> {
    /// Empty days for every technician of the scenario.
    pub fn new(s: &'a Scenario, table: &'a TechTable, pricing: Pricing) -> Days<'a> {
        Days::with_reqs(
            s,
            table,
            pricing,
            Cow::Owned(s.requests().iter().map(|r| Req::new(s, r)).collect()),
        )
    }

    /// Empty days, with the requests' facts already worked out.
    pub fn with_reqs(
        s: &'a Scenario,
        table: &'a TechTable,
        pricing: Pricing,
        reqs: Cow<'a, [Req]>,
    ) -> Days<'a> {
        let n = reqs.len();
        Days {
            s,
            table,
            pricing,
            reqs,
            days: vec![Day::default(); s.technicians().len()],
            outlet_visits: vec![0; s.outlets().len()],
            tech_of: vec![NONE; n],
            visits: vec![0; s.technicians().len()],
            fast: Fast::of(s),
        }
    }

    /// Days for a part of the technicians: the same facts, `techs`' days
    /// copied, every other day empty (and not to be read).
    pub fn part(&self, techs: &[u32]) -> Days<'a> {
        let mut days = vec![Day::default(); self.days.len()];
        let mut visits = vec![0; self.days.len()];
        for &t in techs {
            days[t as usize].clone_from(&self.days[t as usize]);
            visits[t as usize] = self.visits[t as usize];
        }
        Days {
            s: self.s,
            table: self.table,
            pricing: self.pricing,
            reqs: self.reqs.clone(),
            days,
            outlet_visits: self.outlet_visits.clone(),
            tech_of: self.tech_of.clone(),
            visits,
            fast: self.fast,
        }
    }

    /// Whether technician `t`'s outlet has a visit left.
    #[inline]
    pub fn outlet_has_room(&self, t: usize) -> bool {
        let o = self.table.outlet(t);
        self.outlet_visits[o] < self.s.outlets()[o].daily_capacity
    }

    /// Minutes on site of technician `t` at request `i` (as
    /// [`TechTable::service_min`], from the minutes worked out once).
    #[inline]
    pub fn service_min(&self, t: usize, i: usize) -> f64 {
        let req = &self.reqs[i];
        let table = self.table;
        let factor = &self.s.catalog().level_time_factor;
        req.needs
            .cats
            .iter()
            .zip(&req.base_min)
            .map(|(&c, &m)| m * factor[usize::from(table.level_rank(t, c)) - 1])
            .sum()
    }
}
