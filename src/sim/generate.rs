//! A seeded generator of a national (or one province's) service network and a day's demand.
//!
//! The network follows the field: company-owned service centers in the large
//! cities, contracted service companies in the prefecture-level cities, dealers
//! in the county-level cities; technicians with a realistic skill mix (few
//! experts, mostly at owned outlets). Demand is placed around cities in
//! proportion to population, with a product mix by month (air-conditioner
//! installations peak in summer), a share of multi-category households and a
//! mix of difficulties. The same parameters and seed give the same scenario.

mod builder;
mod demand;
mod draw;
mod forecast;
mod network;
mod preset;

pub use builder::{Generator, MAX_ENTITIES};
pub(crate) use demand::DemandMix;
pub(crate) use draw::{cumulative_weights, pick_index};
pub use preset::Preset;

/// Category ids of the default catalog.
const AC: u16 = 0;
const WHITE: [u16; 4] = [0, 1, 2, 7];
const KITCHEN: [u16; 4] = [3, 4, 5, 6];
