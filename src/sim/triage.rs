//! Triage, the call center's step before dispatch: what is solved by phone,
//! how likely a visit fixes the fault, and how fast each request must be answered.

use crate::error::{Problem, ProblemCode};
use crate::limits;
use crate::model::{AdminLevel, CategoryId, RequestKind, ServiceRequest, SkillLevel};
use serde::{Deserialize, Serialize};

/// Requests the call center may solve by phone: of these request kinds (and
/// categories, when given), up to a difficulty, each with a probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteRule {
    /// The request kinds the rule covers.
    pub request_kinds: Vec<RequestKind>,
    /// The categories it covers (all when absent); every category of the request must be covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<CategoryId>>,
    /// The hardest request it covers, 1–5.
    pub max_difficulty: u8,
    /// The chance, 0–1, that the phone call solves a covered request.
    pub probability: f64,
}

impl RemoteRule {
    fn covers(&self, r: &ServiceRequest) -> bool {
        self.request_kinds.contains(&r.kind)
            && r.difficulty <= self.max_difficulty
            && self
                .categories
                .as_ref()
                .is_none_or(|cs| r.categories.iter().all(|c| cs.contains(c)))
    }
}

/// The call center's triage settings.
///
/// # Example
/// ```
/// use servnet::sim::Triage;
/// let t = Triage::default();
/// assert!(t.problems().is_empty());
/// let mut bad = Triage::default();
/// bad.first_time_fix[0] = -0.1;
/// assert_eq!(bad.problems()[0].field, "first_time_fix");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    /// Rules for solving by phone; the first rule that covers a request decides.
    pub remote: Vec<RemoteRule>,
    /// The chance, 0–1, that a visit fixes the fault, by the technician's
    /// level (Basic, Advanced, Expert). A visit that fails comes back as a
    /// repeat visit, escalated one level above the technician who failed
    /// (to the company's own technicians when the policy escalates that difficulty).
    pub first_time_fix: [f64; 3],
    /// Hours within which a technician must arrive, in cities (prefecture level and above).
    pub sla_city_hours: f64,
    /// Hours within which a technician must arrive, in county-level towns.
    pub sla_county_hours: f64,
}

impl Default for Triage {
    /// 30% of simple repairs and 15% of simple maintenance calls
    /// (difficulty ≤ 2) solved by phone; first-time fix 85% / 92% / 97% by level; 24 h in
    /// cities, 48 h in county towns.
    fn default() -> Self {
        Triage {
            remote: vec![
                RemoteRule {
                    request_kinds: vec![RequestKind::Repair],
                    categories: None,
                    max_difficulty: 2,
                    probability: 0.30,
                },
                RemoteRule {
                    request_kinds: vec![RequestKind::Maintenance],
                    categories: None,
                    max_difficulty: 2,
                    probability: 0.15,
                },
            ],
            first_time_fix: [0.85, 0.92, 0.97],
            sla_city_hours: 24.0,
            sla_county_hours: 48.0,
        }
    }
}

impl Triage {
    /// Every problem of the settings (empty when they are sound): a
    /// probability outside 0–1, an SLA of zero hours or less, a difficulty
    /// outside 1–5, a rule with no request kind.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |code, field: &str, message: String| {
            out.push(Problem::new(code, "triage", None, field, message));
        };
        let probability = |p: f64| p.is_finite() && (0.0..=1.0).contains(&p);
        if self.remote.len() > limits::MAX_RULES {
            bad(
                ProblemCode::TooLarge,
                "remote",
                limits::past(
                    format!("{} rules", self.remote.len()),
                    limits::MAX_RULES,
                    "MAX_RULES",
                ),
            );
        }
        for (i, rule) in self.remote.iter().enumerate() {
            if !probability(rule.probability) {
                bad(
                    ProblemCode::OutOfRange,
                    "remote",
                    format!(
                        "rule {}: probability {} is outside 0..=1",
                        i + 1,
                        rule.probability
                    ),
                );
            }
            if !(1..=5).contains(&rule.max_difficulty) {
                bad(
                    ProblemCode::OutOfRange,
                    "remote",
                    format!(
                        "rule {}: max_difficulty {} is outside 1..=5",
                        i + 1,
                        rule.max_difficulty
                    ),
                );
            }
            if rule.request_kinds.is_empty() {
                bad(
                    ProblemCode::Empty,
                    "remote",
                    format!("rule {}: no request kind", i + 1),
                );
            }
        }
        for (level, p) in SkillLevel::ALL.iter().zip(self.first_time_fix) {
            if !probability(p) {
                bad(
                    ProblemCode::OutOfRange,
                    "first_time_fix",
                    format!("{p} for {level:?} is outside 0..=1"),
                );
            }
        }
        for (field, h) in [
            ("sla_city_hours", self.sla_city_hours),
            ("sla_county_hours", self.sla_county_hours),
        ] {
            if !(h.is_finite() && h > 0.0) {
                bad(
                    ProblemCode::NonPositive,
                    field,
                    format!("{h} is not a number of hours > 0"),
                );
            } else if h > limits::MAX_SLA_HOURS {
                bad(
                    ProblemCode::OutOfRange,
                    field,
                    limits::past(
                        format!("{} hours", limits::num(h)),
                        limits::MAX_SLA_HOURS,
                        "MAX_SLA_HOURS",
                    ),
                );
            }
        }
        out
    }

    /// The chance that the phone solves `r` (0 when no rule covers it).
    pub fn remote_probability(&self, r: &ServiceRequest) -> f64 {
        self.remote
            .iter()
            .find(|rule| rule.covers(r))
            .map_or(0.0, |rule| rule.probability)
    }

    /// Minutes from the call within which a technician must arrive, by the
    /// admin level of the request's city.
    pub fn sla_minutes(&self, level: AdminLevel) -> f64 {
        let hours = match level {
            AdminLevel::County => self.sla_county_hours,
            _ => self.sla_city_hours,
        };
        hours * 60.0
    }
}
