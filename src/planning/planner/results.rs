//! What a plan reports: who serves each city's jobs, the costs, the jobs left
//! uncovered, the points of a volume sweep and the break-even volumes.

use super::forecast::JobClass;
use crate::assign::Status;
use crate::model::{CityId, OutletId, OutletKind};
use serde::Serialize;

/// Who serves a city's jobs of one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Server {
    /// A planned company-owned outlet in this city.
    Owned(CityId),
    /// A contracted outlet.
    Contracted(OutletId),
    /// A dealer.
    Dealer(OutletId),
}

impl Server {
    /// The outlet kind of this server.
    pub fn kind(self) -> OutletKind {
        match self {
            Server::Owned(_) => OutletKind::CompanyOwned,
            Server::Contracted(_) => OutletKind::Contracted,
            Server::Dealer(_) => OutletKind::Dealer,
        }
    }
}

/// A city's jobs of one class and who serves them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// The city.
    pub city: CityId,
    /// The class of job.
    pub class: JobClass,
    /// Visits a year.
    pub visits: f64,
    /// Who serves them; `None` when nothing can within the promise.
    pub server: Option<Server>,
    /// One-way km from the server to the city (without the local km).
    pub km: f64,
    /// One-way minutes from the server to the city (without the local minutes).
    pub minutes: f64,
    /// Yearly variable cost of these visits (fees, working minutes, km).
    pub cost: f64,
}

/// Costs of a plan, a year.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CostBreakdown {
    /// Fixed costs of the owned outlets.
    pub owned_fixed: f64,
    /// Working minutes and km of the owned outlets.
    pub owned_variable: f64,
    /// Fees and km paid to contracted outlets.
    pub contracted: f64,
    /// Fees and km paid to dealers.
    pub dealer: f64,
    /// The sum of the above.
    pub total: f64,
    /// `total` over the visits served.
    pub per_visit: f64,
}

/// How a plan's solve ended: the one status of every solver.
#[deprecated(note = "use servnet::assign::Status")]
pub type PlanStatus = crate::assign::Status;

/// The word a plan's summary and JSON give its status: `optimal`,
/// `feasible`, or `uncovered` when some jobs cannot be served.
fn status_word(status: &Status) -> &'static str {
    match status {
        Status::Optimal => "optimal",
        Status::Feasible => "feasible",
        Status::Infeasible(_) => "uncovered",
    }
}

fn serialize_status<S: serde::Serializer>(status: &Status, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(status_word(status))
}

/// Why a job class of a city is not served.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncovered {
    /// The city.
    pub city: CityId,
    /// The class of job.
    pub class: JobClass,
    /// Visits a year left unserved.
    pub visits: f64,
    /// Why.
    pub reason: String,
}

/// A network plan: the owned sites, who serves what, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkPlan {
    /// How the solve ended: optimal, feasible within the reported gap, or
    /// infeasible when some jobs cannot be served within the promise (the
    /// rest are planned). Serialized as `optimal`, `feasible` or `uncovered`.
    #[serde(serialize_with = "serialize_status")]
    pub status: Status,
    /// Cities that get an owned outlet, in city order.
    pub owned: Vec<CityId>,
    /// One entry per city and class with visits, in the forecast's order.
    pub services: Vec<Service>,
    /// The jobs nothing can serve within the promise.
    pub uncovered: Vec<Uncovered>,
    /// The plan's yearly costs.
    pub cost: CostBreakdown,
    /// Visits a year by kind, in the order of [`OutletKind::ALL`].
    pub visits_by_kind: [f64; 3],
    /// Working minutes a year by kind (on site and driving), in the order of [`OutletKind::ALL`].
    pub minutes_by_kind: [f64; 3],
    /// A proven lower bound on the total cost of any plan under the same promise.
    pub bound: f64,
    /// The [`gap`](crate::assign::gap) between total and bound.
    pub gap: f64,
    /// Branch-and-bound nodes.
    pub nodes: u64,
    /// Wall-clock seconds (building the problem and solving it).
    pub seconds: f64,
}

impl NetworkPlan {
    /// Visits a year served.
    pub fn visits_served(&self) -> f64 {
        self.visits_by_kind.iter().sum()
    }

    /// Share of the served visits done by `kind`, 0–1.
    pub fn visit_share(&self, kind: OutletKind) -> f64 {
        let total = self.visits_served();
        if total > 0.0 {
            self.visits_by_kind[kind.index()] / total
        } else {
            0.0
        }
    }

    /// A few lines for a terminal: owned outlets, costs, shares by kind, the gap.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} owned outlets; {:.0} visits a year served, {:.0} uncovered in {} cities\n",
            self.owned.len(),
            self.visits_served(),
            self.uncovered.iter().map(|u| u.visits).sum::<f64>() + 0.0,
            {
                let mut c: Vec<CityId> = self.uncovered.iter().map(|u| u.city).collect();
                c.dedup();
                c.len()
            }
        );
        let c = &self.cost;
        s += &format!(
            "cost a year {:.0}: owned fixed {:.0}, owned work {:.0}, contracted {:.0}, dealers {:.0}; {:.1} per visit\n",
            c.total, c.owned_fixed, c.owned_variable, c.contracted, c.dealer, c.per_visit
        );
        s += "share of visits / of working minutes:";
        let minutes: f64 = self.minutes_by_kind.iter().sum();
        for kind in OutletKind::ALL {
            let m = if minutes > 0.0 {
                self.minutes_by_kind[kind.index()] / minutes
            } else {
                0.0
            };
            s += &format!(
                " {} {:.1}% / {:.1}%;",
                kind.as_str(),
                100.0 * self.visit_share(kind),
                100.0 * m
            );
        }
        s.pop();
        let word = status_word(&self.status);
        s += &format!(
            "\nbound {:.0}, gap {:.3}% ({}{}, {} nodes, {:.2} s)",
            self.bound,
            100.0 * self.gap,
            word[..1].to_uppercase(),
            &word[1..],
            self.nodes,
            self.seconds
        );
        s
    }
}

/// One point of a volume sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The factor the forecast was scaled by.
    pub factor: f64,
    /// Visits a year at this volume.
    pub visits: f64,
    /// Owned outlets in the plan.
    pub owned: usize,
    /// Total yearly cost.
    pub total_cost: f64,
    /// Cost per served visit.
    pub per_visit: f64,
    /// Share of visits by kind, in the order of [`OutletKind::ALL`].
    pub visit_share: [f64; 3],
    /// The plan's gap.
    pub gap: f64,
}

/// When an owned outlet in one city, serving only that city, costs less than contracting it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakEven {
    /// The city.
    pub city: CityId,
    /// Its forecast visits a year.
    pub visits: f64,
    /// Contracting cost per visit (cheapest outlet within the promise, by
    /// class; a class only owned technicians may do, by default expert jobs,
    /// at the owned cost).
    pub contract_per_visit: Option<f64>,
    /// Owned cost per visit, variable part.
    pub owned_per_visit: f64,
    /// Visits a year from which owning pays: the fixed cost over the saving per
    /// visit. `None` when owning never pays (no saving per visit) or when no
    /// contractor can serve the city within the promise (owning is then needed, not chosen).
    pub break_even_visits: Option<f64>,
}
