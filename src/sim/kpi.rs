//! What a simulation reports: KPIs per strategy and per outlet kind.

use crate::model::{OutletKind, RequestId};
use serde::Serialize;
use std::collections::BTreeMap;

/// KPIs of one outlet kind under one strategy.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KindKpis {
    /// The outlet kind.
    pub kind: String,
    /// Visits its technicians made.
    pub visits: usize,
    /// Its share of all visits, 0–1.
    pub share: f64,
    /// What its technicians' routes cost under its outlets' tariffs: the
    /// visits (fee, minutes on site and the leg into each) and the drives
    /// back to the base at the end of each day.
    pub cost: f64,
    /// Km its technicians drove along their routes, the drives back to the
    /// base at the end of each day included.
    pub travel_km: f64,
    /// Minutes worked (on site and driving, the drives back to the base
    /// included; not waiting) over minutes of shift offered, 0–1.
    pub utilisation: f64,
}

/// A request still open at the end of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacklogEntry {
    /// The request.
    pub request: RequestId,
    /// Hours since the call.
    pub age_h: f64,
    /// Why its last round left it (`not_dispatched_yet` when no round has seen it,
    /// `awaiting_repeat_visit` when a first visit failed and the repeat is pending).
    pub reason: String,
}

/// The KPIs of one strategy over the whole run.
///
/// `requests_total = resolved_by_phone + served + backlog`: every request
/// is accounted for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StrategyKpis {
    /// The strategy's name.
    pub strategy: String,
    /// Requests called in.
    pub requests_total: usize,
    /// Requests solved by phone, never dispatched.
    pub resolved_by_phone: usize,
    /// Requests whose every visit fixed what it came for.
    pub served: usize,
    /// Requests still open at the end (see [`Report::backlog`]).
    pub backlog: usize,
    /// Share of requests answered within their SLA, 0–1, over those answered
    /// and those whose deadline passed unanswered: answered in time when the
    /// first technician arrives (at the arrival time of its route) by the
    /// deadline.
    pub sla_hit_rate: f64,
    /// Mean hours from the call to the first technician's arrival, as driven
    /// in its route.
    pub response_mean_h: f64,
    /// 95th percentile of those hours.
    pub response_p95_h: f64,
    /// Visits made, repeat and coordinated visits included.
    pub visits: usize,
    /// Repeat visits after a first visit that did not fix the fault.
    pub repeat_visits: usize,
    /// Visits that went to the company's own technicians because of their difficulty.
    pub escalated_visits: usize,
    /// Household requests of several categories served in one visit.
    pub one_stop_visits: usize,
    /// Visits those saved against one visit per category.
    pub visits_saved: usize,
    /// Household requests split into coordinated visits (no technician in reach covers them all).
    pub coordinated_requests: usize,
    /// Km driven along the technicians' routes: each visit's leg from the
    /// previous visit (or from the base, for a technician's first visit of
    /// the day), and once per technician and day the drive from its last
    /// visit back to the base.
    pub travel_km: f64,
    /// `travel_km` per visit.
    pub travel_km_per_visit: f64,
    /// What the routes cost under the outlets' tariffs: each visit its fee,
    /// its minutes on site and its leg's minutes and km; each drive back to
    /// the base at the end of a day its minutes and km.
    pub total_cost: f64,
    /// `total_cost` per visit.
    pub cost_per_visit: f64,
    /// Per outlet kind: company-owned, contracted, dealer.
    pub by_kind: Vec<KindKpis>,
    /// Open requests at the end by the reason their last round gave.
    pub unassigned_by_reason: BTreeMap<String, usize>,
    /// Dispatch rounds run.
    pub rounds: usize,
    /// Rule violations `verify` found in the rounds' plans (0 for a sound strategy).
    pub violations: usize,
}

/// The result of a simulation: the same demand, each strategy's KPIs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// One entry per strategy, in the order given.
    pub strategies: Vec<StrategyKpis>,
    /// Per strategy, the requests still open at the end, with their age.
    #[serde(skip)]
    pub backlog: Vec<Vec<BacklogEntry>>,
    /// Per strategy, seconds spent in its dispatch rounds (not part of the
    /// serialized report, which is the same on every run).
    #[serde(skip)]
    pub dispatch_seconds: Vec<f64>,
}

impl Report {
    /// A side-by-side table of the main KPIs, one row per strategy.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<16} {:>9} {:>8} {:>9} {:>8} {:>7} {:>8} {:>8} {:>9} {:>12} {:>8} {:>8} {:>7}\n",
            "strategy",
            "requests",
            "phone",
            "served",
            "backlog",
            "SLA %",
            "resp h",
            "p95 h",
            "visits",
            "total cost",
            "cost/vis",
            "km/vis",
            "repeat"
        );
        for k in &self.strategies {
            out.push_str(&format!(
                "{:<16} {:>9} {:>8} {:>9} {:>8} {:>7.2} {:>8.1} {:>8.1} {:>9} {:>12.0} {:>8.1} {:>8.1} {:>7}\n",
                k.strategy,
                k.requests_total,
                k.resolved_by_phone,
                k.served,
                k.backlog,
                100.0 * k.sla_hit_rate,
                k.response_mean_h,
                k.response_p95_h,
                k.visits,
                k.total_cost,
                k.cost_per_visit,
                k.travel_km_per_visit,
                k.repeat_visits
            ));
        }
        out.push_str(&format!(
            "\n{:<16} {:>30} {:>30} {:>30}\n",
            "share of visits", "company-owned (util %)", "contracted (util %)", "dealer (util %)"
        ));
        for k in &self.strategies {
            let cell = |i: usize| {
                k.by_kind.get(i).map_or(String::new(), |b| {
                    format!("{:.1}% ({:.1})", 100.0 * b.share, 100.0 * b.utilisation)
                })
            };
            out.push_str(&format!(
                "{:<16} {:>30} {:>30} {:>30}\n",
                k.strategy,
                cell(0),
                cell(1),
                cell(2)
            ));
        }
        out.push_str(&format!(
            "\n{:<16} {:>10} {:>10} {:>10} {:>12} {:>10}\n",
            "", "one-stop", "saved", "split", "escalated", "violations"
        ));
        for k in &self.strategies {
            out.push_str(&format!(
                "{:<16} {:>10} {:>10} {:>10} {:>12} {:>10}\n",
                k.strategy,
                k.one_stop_visits,
                k.visits_saved,
                k.coordinated_requests,
                k.escalated_visits,
                k.violations
            ));
        }
        out
    }
}

pub(super) fn kind_name(i: usize) -> String {
    OutletKind::ALL[i].as_str().to_string()
}
