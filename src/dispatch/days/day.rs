//! One technician's day: its visits in order with the cached schedule of
//! each, the way back and the day's cost.

use crate::travel::Leg;

/// The cached schedule of one visit of a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sched {
    /// The leg into the visit.
    pub leg: Leg,
    pub service: f64,
    pub arrive: f64,
    pub start: f64,
    /// The latest start that keeps every later visit and the way back feasible.
    pub latest: f64,
}

/// One technician's day.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Day {
    /// Requests (positions in the scenario) in the order visited.
    pub stops: Vec<u32>,
    pub sched: Vec<Sched>,
    /// The way back to the base (zero without visits).
    pub back: Leg,
    /// The day's share of the objective (without penalties).
    pub cost: f64,
}
