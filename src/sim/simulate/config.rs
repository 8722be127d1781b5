//! The call center's settings for a simulation, with their defaults and checks.

use super::DAY;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::*;
use crate::sim::Triage;
use serde::{Deserialize, Serialize};

/// The call center's settings for a simulation: triage, the dispatch policy
/// and how often dispatch runs. Loadable from JSON, checked when loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimConfig {
    /// Phone resolution, first-time fix, SLAs.
    #[serde(default)]
    pub triage: Triage,
    /// Which outlet kinds take which work, escalation, region crossing.
    #[serde(default = "sim_policy")]
    pub policy: Policy,
    /// Minutes between dispatch rounds, from midnight (60: every hour; 1440: once a day).
    #[serde(default = "default_round")]
    pub round_every_min: u32,
}

/// The trade's policy ([`Policy::field`]), but free to cross regions at its
/// crossing cost, so that strategies that keep to the region and those that
/// do not can be compared.
fn sim_policy() -> Policy {
    Policy {
        region: RegionRule::Freely,
        ..Policy::field()
    }
}

fn default_round() -> u32 {
    240
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            triage: Triage::default(),
            policy: sim_policy(),
            round_every_min: default_round(),
        }
    }
}

impl SimConfig {
    /// Every problem of the settings against the default catalog (empty when sound).
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = self.triage.problems();
        out.extend(self.policy.problems(&Catalog::default()));
        if !(1..=DAY).contains(&self.round_every_min) {
            out.push(Problem::new(
                ProblemCode::OutOfRange,
                "simulation",
                None,
                "round_every_min",
                format!("{} is outside 1..=1440", self.round_every_min),
            ));
        }
        out
    }

    pub(super) fn check(&self) -> Result<()> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ErrorKind::Invalid(problems).into())
        }
    }
}
