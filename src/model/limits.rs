//! The documented limits of the input, checked at validation.
//!
//! Two kinds of limit keep the work bounded by the input:
//!
//! - **Numbers** that could overflow into infinities or NaN in the work done
//!   with them (a tariff of `1e308` times a few minutes is infinite): each is
//!   refused past its limit with [`ProblemCode::OutOfRange`] (E1700), naming
//!   the field and the limit. The limits are far beyond any real value.
//! - **Sizes** that would make work grow faster than the input (dispatch
//!   keeps tables of technicians × categories, and an index per category and
//!   level): refused past their limit with [`ProblemCode::TooLarge`] (E1900).
//!
//! A simulation's size is checked before any work, with
//! [`ErrorKind::Parameter`](crate::ErrorKind::Parameter).
//!
//! [`ProblemCode::OutOfRange`]: crate::ProblemCode::OutOfRange
//! [`ProblemCode::TooLarge`]: crate::ProblemCode::TooLarge

/// The most categories a catalog may hold: 256. [`CategoryId`](crate::CategoryId)
/// is a `u16`, but dispatch keeps a table of technicians × categories and a
/// spatial index per category and level. It is also the most skills a
/// technician, and the most categories an outlet, may list.
pub const MAX_CATEGORIES: usize = 256;

/// The most cells of the tables dispatch keeps by category:
/// (technicians + outlets) × categories, 100 million (about 100 MB).
pub const MAX_CATEGORY_CELLS: u64 = 100_000_000;

/// The most categories one request may list (a one-stop household visit): 16.
pub const MAX_REQUEST_CATEGORIES: usize = 16;

/// The most rules a [`Policy`](crate::Policy) (and a triage's phone rules) may hold: 256.
pub const MAX_RULES: usize = 256;

/// The latest minute of a time point — a request's `received_min` and
/// window, a technician's `shift_start_min` — counted from the scenario's
/// start: 5,270,400, that is 3,660 days (ten years and a little).
pub const MAX_MINUTE: u32 = 5_270_400;

/// The longest shift, in minutes: 1,440 (a day).
pub const MAX_SHIFT_MIN: u32 = 1_440;

/// The longest on-site service time of a catalog category, in minutes: 1,440 (a day).
pub const MAX_SERVICE_MIN: f64 = 1_440.0;

/// The highest price: each component of a [`Tariff`](crate::Tariff) (per
/// visit, per minute, per km) and each cost of a [`Policy`](crate::Policy)
/// (`crossing_cost`, `gold_preference`): 1,000,000.
pub const MAX_PRICE: f64 = 1e6;

/// The longest reach of a [`Policy`](crate::Policy), in road km: 40,000 (the equator).
pub const MAX_REACH_KM: f64 = 40_000.0;

/// The farthest service promise, in km or in minutes: 100,000.
pub const MAX_PROMISE: f64 = 1e5;

/// The slowest average speed of great-circle travel: 1 km/h.
pub const MIN_SPEED_KMH: f64 = 1.0;

/// The fastest average speed of great-circle travel: 300 km/h.
pub const MAX_SPEED_KMH: f64 = 300.0;

/// The largest population of a city: 2,000,000,000.
pub const MAX_POPULATION: u64 = 2_000_000_000;

/// The most visits an outlet may make a day: 1,000,000.
pub const MAX_DAILY_CAPACITY: u32 = 1_000_000;

/// The longest service-level promise of a triage, in hours: 8,760 (a year).
pub const MAX_SLA_HOURS: f64 = 8_760.0;

/// The most calls one simulation may draw over all its days: 2,000,000
/// (for example 20,000 a day for 100 days). The calls of every day are
/// drawn, split and kept before the first round, and each strategy keeps
/// its own state of them.
pub const MAX_SIM_CALLS: u64 = 2_000_000;

/// The most days one simulation may run: 3,650 (ten years), so that every
/// minute of it stays within [`MAX_MINUTE`].
pub const MAX_SIM_DAYS: u32 = 3_650;

/// The message of a value past its limit, naming the limit's constant.
pub(crate) fn past(
    value: impl std::fmt::Display,
    limit: impl std::fmt::Display,
    name: &str,
) -> String {
    format!("{value} is past the limit of {limit} (servnet::limits::{name})")
}

/// A number as a message shows it: in full, or in scientific notation when very large or small.
pub(crate) fn num(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}
