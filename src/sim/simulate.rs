//! Days of demand run through the call center, strategy by strategy, on the
//! same network and the same calls.
//!
//! Each day, dispatch runs in rounds (every [`SimConfig::round_every_min`]
//! minutes from midnight) over the backlog: the requests called in so far
//! and not yet served. A round is a scenario of its own — the technicians
//! with what is left of their shifts, the outlets with the visits left for
//! the day, the backlog with its windows and aged priorities — so every
//! round's plan is checked by [`verify`] against it. Work not served carries
//! over to the next round.
//!
//! Plans are routes, and technicians drive them: a round's visits happen at
//! the times of their technician's route, and a technician's position and
//! clock carry over within the day — in the next round it starts where its
//! last visit was ([`Technician::start`]), when it leaves that visit (or
//! at the round, if later). Response times and SLA hits come from the
//! arrival of the first technician at each request. A visit's km and cost
//! are those of the leg into it; the way back to the base is driven once,
//! after the day's last round, from wherever the technician's last visit
//! was, and counts in the km, cost and minutes worked of the day.

mod calls;
mod config;
mod run;
mod simulation;
mod tally;
mod visits;

pub use config::SimConfig;
pub use simulation::{Progress, SIM_RESPONSE_COST, SIM_WORK_LIMIT, Simulation};

/// Minutes in a day.
const DAY: u32 = 1440;
