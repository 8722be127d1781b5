//! The relaxation's solution at one set of multipliers, and the best point
//! an ascent reached.

/// The relaxation at one set of multipliers.
#[derive(Clone, Default)]
pub(super) struct Dual {
    pub value: f64,
    /// How often each free task is covered (knapsack selections plus its penalty option).
    pub cover: Vec<f64>,
    /// Selected edges with their fraction.
    pub chosen: Vec<(u32, f64)>,
    /// Free tasks whose penalty option is taken.
    pub left_out: Vec<u32>,
    pub group_count: Vec<f64>,
}

/// The best point of an ascent: its bound, multipliers and relaxation.
#[derive(Clone)]
pub(super) struct Ascent {
    pub bound: f64,
    pub lambda: Vec<f64>,
    pub mu: Vec<f64>,
    pub dual: Dual,
}
