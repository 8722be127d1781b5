//! Which outlet kinds may do which class of job, derived from a dispatch
//! [`Policy`]: the one rule dispatch, `verify` and the planner share.

use super::forecast::JobClass;
use crate::model::{Catalog, OutletKind, Policy, RequestKind};

/// Per job class (by [`JobClass`] order), per outlet kind (by
/// [`OutletKind::index`]), whether that kind may do the class's jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ClassRule([[bool; 3]; 3]);

impl ClassRule {
    /// The rule of `policy`: a kind does a class when the policy admits it
    /// for all of the class's work — every request kind, every difficulty of
    /// [`JobClass::difficulties`] and every category of the default catalog
    /// — since a forecast does not split a class's visits any finer.
    pub(super) fn of(policy: &Policy) -> ClassRule {
        let categories: Vec<_> = Catalog::default().categories.iter().map(|c| c.id).collect();
        ClassRule(JobClass::ALL.map(|class| {
            OutletKind::ALL.map(|kind| {
                RequestKind::ALL.iter().all(|&request_kind| {
                    class
                        .difficulties()
                        .all(|d| policy.admits_kind(kind, request_kind, &categories, d))
                })
            })
        }))
    }

    /// Whether outlets of `kind` may do jobs of `class`.
    pub(super) fn admits(self, class: JobClass, kind: OutletKind) -> bool {
        self.0[class.index()][kind.index()]
    }

    /// Whether only company-owned technicians may do jobs of `class`.
    pub(super) fn owned_only(self, class: JobClass) -> bool {
        !self.admits(class, OutletKind::Contracted) && !self.admits(class, OutletKind::Dealer)
    }

    /// Why jobs of `class` that nothing serves are uncovered: the kinds that
    /// may do them were not within the promise (owned outlets for expert
    /// jobs: within the escalation reach).
    pub(super) fn uncovered_reason(
        self,
        class: JobClass,
        promise_km: f64,
        escalation_km: f64,
    ) -> String {
        let mut near: Vec<&str> = [
            (OutletKind::Dealer, "dealer"),
            (OutletKind::Contracted, "contracted outlet"),
        ]
        .into_iter()
        .filter(|&(kind, _)| self.admits(class, kind))
        .map(|(_, name)| name)
        .collect();
        let owned = self.admits(class, OutletKind::CompanyOwned);
        let escalated = owned && class == JobClass::Expert;
        if owned && !escalated {
            near.push("candidate site");
        }
        let far = format!(
            "candidate site for an owned outlet within the escalation reach of {escalation_km} km"
        );
        match (near.is_empty(), escalated) {
            (true, false) => "no outlet kind may do these jobs under the policy".into(),
            (true, true) => format!("no {far}"),
            (false, false) => format!("no {} within the promise of {promise_km} km", listed(&near)),
            (false, true) => format!(
                "no {} within the promise of {promise_km} km and no {far}",
                listed(&near)
            ),
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn listed(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl Default for ClassRule {
    /// The rule of [`Policy::field`]: dealers do basic jobs, contracted
    /// outlets basic and advanced ones, expert jobs only the company's own
    /// technicians.
    fn default() -> Self {
        ClassRule::of(&Policy::field())
    }
}
