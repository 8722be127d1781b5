//! Simulation: the seeded generator of networks and demand, the call
//! center's triage, and a multi-day simulation that runs every dispatch
//! strategy on the same calls and reports their KPIs.

pub mod generate;
mod kpi;
mod simulate;
mod triage;

pub use kpi::{BacklogEntry, KindKpis, Report, StrategyKpis};
pub use simulate::{Progress, SIM_RESPONSE_COST, SIM_WORK_LIMIT, SimConfig, Simulation};
pub use triage::{RemoteRule, Triage};
