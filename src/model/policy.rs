//! The call center's dispatch policy, as data a scenario carries: which
//! outlet kinds may take which work, which requests are escalated to the
//! company's own technicians, and when dispatch may cross a sales region.
//!
//! Every strategy obeys it and [`verify`](crate::verify) checks it, so a
//! comparison of strategies compares them under the same rules.

use super::catalog::{Catalog, RequestKind};
use super::ids::CategoryId;
use super::limits::{self, num, past};
use super::network::{OutletKind, Tier};
use super::request::ServiceRequest;
use crate::error::{Problem, ProblemCode};
use serde::{Deserialize, Serialize};

/// One kind of work an outlet kind may take: request kinds, up to a
/// difficulty, optionally only some categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    /// The outlet kind the rule admits.
    pub kind: OutletKind,
    /// The request kinds it may take (all when absent).
    #[serde(default = "all_request_kinds")]
    pub request_kinds: Vec<RequestKind>,
    /// The highest difficulty it may take, 1–5.
    #[serde(default = "hardest")]
    pub max_difficulty: u8,
    /// The categories it may take (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<CategoryId>>,
}

fn all_request_kinds() -> Vec<RequestKind> {
    RequestKind::ALL.to_vec()
}

fn hardest() -> u8 {
    5
}

impl KindRule {
    /// A rule admitting `kind` for every request kind and category up to `max_difficulty`.
    pub fn new(kind: OutletKind, max_difficulty: u8) -> KindRule {
        KindRule {
            kind,
            request_kinds: all_request_kinds(),
            max_difficulty,
            categories: None,
        }
    }

    /// Only these request kinds.
    pub fn request_kinds(mut self, kinds: &[RequestKind]) -> KindRule {
        self.request_kinds = kinds.to_vec();
        self
    }

    /// Only these categories.
    pub fn categories(mut self, categories: impl IntoIterator<Item = CategoryId>) -> KindRule {
        self.categories = Some(categories.into_iter().collect());
        self
    }

    fn admits(&self, category: CategoryId, kind: RequestKind, difficulty: u8) -> bool {
        self.request_kinds.contains(&kind)
            && difficulty <= self.max_difficulty
            && self
                .categories
                .as_ref()
                .is_none_or(|cs| cs.contains(&category))
    }
}

/// When dispatch may send a request to a technician of another sales region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionRule {
    /// Never: a request no technician of its region can take stays unassigned.
    Never,
    /// Only when no eligible technician of the request's region within
    /// [`Policy::reach_km`] has room left for the visit in the final plan.
    #[default]
    WhenNecessary,
    /// Whenever a strategy prefers it; [`Policy::crossing_cost`] is charged in its objective.
    Freely,
}

impl RegionRule {
    /// The rule as written in JSON and on the command line, e.g. `when_necessary`.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionRule::Never => "never",
            RegionRule::WhenNecessary => "when_necessary",
            RegionRule::Freely => "freely",
        }
    }

    /// Parses `never`, `when_necessary` (or `when-necessary`) or `freely`.
    pub fn parse(s: &str) -> Option<RegionRule> {
        match s {
            "never" => Some(RegionRule::Never),
            "when_necessary" | "when-necessary" => Some(RegionRule::WhenNecessary),
            "freely" => Some(RegionRule::Freely),
            _ => None,
        }
    }
}

/// The dispatch policy of a scenario.
///
/// The default admits every outlet kind for all work, escalates nothing,
/// crosses regions only when necessary and charges nothing extra.
/// [`Policy::field`] is the split the trade uses.
///
/// # Example
/// ```
/// use servnet::{OutletKind, Policy, RequestKind, ServiceRequest};
/// let policy = Policy::field();
/// // Dealers install, and take simple jobs; contracted outlets ordinary
/// // repairs; difficulty 5 goes to the company's own technicians only.
/// assert!(policy.admits_kind(OutletKind::Dealer, RequestKind::Install, &[servnet::CategoryId(0)], 3));
/// assert!(!policy.admits_kind(OutletKind::Dealer, RequestKind::Repair, &[servnet::CategoryId(0)], 3));
/// assert!(!policy.admits_kind(OutletKind::Contracted, RequestKind::Repair, &[servnet::CategoryId(0)], 5));
/// assert!(policy.admits_kind(OutletKind::CompanyOwned, RequestKind::Repair, &[servnet::CategoryId(0)], 5));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The work each outlet kind may take: a kind takes a request when, for
    /// every category of it, one of the kind's rules admits it. A kind with
    /// no rule takes nothing.
    #[serde(default = "admit_all")]
    pub rules: Vec<KindRule>,
    /// Requests of a higher difficulty go only to company-owned technicians
    /// (5: nothing is escalated).
    #[serde(default = "hardest")]
    pub escalate_above: u8,
    /// When dispatch may leave the request's sales region.
    #[serde(default)]
    pub region: RegionRule,
    /// Cost per visit outside the request's region, in strategies' objectives.
    #[serde(default)]
    pub crossing_cost: f64,
    /// Road km within which a technician of the region counts as "in reach"
    /// for [`RegionRule::WhenNecessary`].
    #[serde(default = "default_reach")]
    pub reach_km: f64,
    /// Cost per visit by an outlet below the gold tier, in strategies'
    /// objectives: how much the call center prefers its gold outlets.
    #[serde(default)]
    pub gold_preference: f64,
}

fn admit_all() -> Vec<KindRule> {
    OutletKind::ALL
        .iter()
        .map(|&k| KindRule::new(k, 5))
        .collect()
}

fn default_reach() -> f64 {
    300.0
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            rules: admit_all(),
            escalate_above: 5,
            region: RegionRule::default(),
            crossing_cost: 0.0,
            reach_km: default_reach(),
            gold_preference: 0.0,
        }
    }
}

impl Policy {
    /// The trade's split of work: dealers install (up to difficulty 3) and
    /// take simple jobs (difficulty ≤ 2); contracted outlets take ordinary
    /// work (difficulty ≤ 4); company-owned outlets take everything, and
    /// alone take difficulty 5 (escalated). Crossing a region only when
    /// necessary, at 50 per visit; 10 per visit in favour of gold outlets.
    pub fn field() -> Policy {
        Policy {
            rules: vec![
                KindRule::new(OutletKind::Dealer, 3).request_kinds(&[RequestKind::Install]),
                KindRule::new(OutletKind::Dealer, 2),
                KindRule::new(OutletKind::Contracted, 4),
                KindRule::new(OutletKind::CompanyOwned, 5),
            ],
            escalate_above: 4,
            region: RegionRule::WhenNecessary,
            crossing_cost: 50.0,
            reach_km: default_reach(),
            gold_preference: 10.0,
        }
    }

    /// Whether a request of `difficulty` goes only to company-owned technicians.
    pub fn escalated(&self, difficulty: u8) -> bool {
        difficulty > self.escalate_above
    }

    /// Whether an outlet of `kind` may take work of these categories, request kind and difficulty.
    pub fn admits_kind(
        &self,
        kind: OutletKind,
        request_kind: RequestKind,
        categories: &[CategoryId],
        difficulty: u8,
    ) -> bool {
        (kind == OutletKind::CompanyOwned || !self.escalated(difficulty))
            && categories.iter().all(|&c| {
                self.rules
                    .iter()
                    .any(|r| r.kind == kind && r.admits(c, request_kind, difficulty))
            })
    }

    /// Whether an outlet of `kind` may take request `r`.
    pub fn admits(&self, kind: OutletKind, r: &ServiceRequest) -> bool {
        self.admits_kind(kind, r.kind, &r.categories, r.difficulty)
    }

    /// The outlet kinds that may take `r`, indexed by [`OutletKind::index`].
    pub fn admitted_kinds(&self, r: &ServiceRequest) -> [bool; 3] {
        OutletKind::ALL.map(|k| self.admits(k, r))
    }

    /// What a strategy's objective adds to a visit: the crossing cost when
    /// the technician is of another region, the gold preference when the
    /// outlet is below the gold tier.
    pub fn surcharge(&self, crosses: bool, tier: Tier) -> f64 {
        let mut x = 0.0;
        if crosses {
            x += self.crossing_cost;
        }
        if tier != Tier::Gold {
            x += self.gold_preference;
        }
        x
    }

    /// Every problem of the policy against a catalog: ranges, unknown
    /// categories, and work (category × request kind × difficulty) that no
    /// outlet kind may take.
    pub(crate) fn problems(&self, catalog: &Catalog) -> Vec<Problem> {
        self.problems_knowing(catalog, &|c| catalog.category(c).is_some())
    }

    /// [`Policy::problems`], with `known` telling which categories exist
    /// (those of the catalog, and those of a file that could not be read).
    pub(crate) fn problems_knowing(
        &self,
        catalog: &Catalog,
        known: &dyn Fn(CategoryId) -> bool,
    ) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |code, field: &str, message: String| {
            out.push(Problem::new(code, "policy", None, field, message));
        };
        if !(1..=5).contains(&self.escalate_above) {
            bad(
                ProblemCode::OutOfRange,
                "escalate_above",
                format!("{} is outside 1..=5", self.escalate_above),
            );
        }
        for (field, v) in [
            ("crossing_cost", self.crossing_cost),
            ("gold_preference", self.gold_preference),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                bad(
                    ProblemCode::OutOfRange,
                    field,
                    format!("{} is not a finite cost ≥ 0", num(v)),
                );
            } else if v > limits::MAX_PRICE {
                bad(
                    ProblemCode::OutOfRange,
                    field,
                    past(num(v), limits::MAX_PRICE, "MAX_PRICE"),
                );
            }
        }
        if !(self.reach_km.is_finite() && self.reach_km > 0.0) {
            bad(
                ProblemCode::NonPositive,
                "reach_km",
                format!("{} is not a distance > 0", num(self.reach_km)),
            );
        } else if self.reach_km > limits::MAX_REACH_KM {
            bad(
                ProblemCode::OutOfRange,
                "reach_km",
                past(
                    format!("{} km", num(self.reach_km)),
                    limits::MAX_REACH_KM,
                    "MAX_REACH_KM",
                ),
            );
        }
        if self.rules.len() > limits::MAX_RULES {
            bad(
                ProblemCode::TooLarge,
                "rules",
                past(
                    format!("{} rules", self.rules.len()),
                    limits::MAX_RULES,
                    "MAX_RULES",
                ),
            );
            return out;
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if !(1..=5).contains(&rule.max_difficulty) {
                bad(
                    ProblemCode::OutOfRange,
                    "rules",
                    format!(
                        "rule {} ({}): max_difficulty {} is outside 1..=5",
                        i + 1,
                        rule.kind.as_str(),
                        rule.max_difficulty
                    ),
                );
            }
            for c in rule.categories.iter().flatten() {
                if !known(*c) {
                    bad(
                        ProblemCode::DanglingReference,
                        "rules",
                        format!(
                            "rule {} ({}): unknown category {c}",
                            i + 1,
                            rule.kind.as_str()
                        ),
                    );
                }
            }
        }
        for cat in &catalog.categories {
            for kind in RequestKind::ALL {
                let orphan = (1..=5u8).find(|&d| {
                    !OutletKind::ALL
                        .iter()
                        .any(|&k| self.admits_kind(k, kind, &[cat.id], d))
                });
                if let Some(d) = orphan {
                    bad(
                        ProblemCode::Inconsistent,
                        "rules",
                        format!(
                            "category {} ({}) {kind:?} at difficulty {d} has no eligible outlet kind",
                            cat.id, cat.code
                        ),
                    );
                }
            }
        }
        out
    }
}
