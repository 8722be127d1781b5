//! Simulation: the seeded generator of networks and demand.

pub mod generate;
