//! The day's requests as one capacitated assignment problem over sparse
//! candidate edges, solved with a lower bound.

mod day;

use super::nearest::reason;
use super::region::settle;
use super::table::TechTable;
use super::{Assignment, DispatchStrategy, Nearest, Plan, Unassigned, UnassignedReason};
use crate::assign::{AssignmentProblem, AssignmentSolver, Lagrangian, MinCostFlow, Status};
use crate::error::{ErrorKind, Result};
use crate::model::{Priority, RegionRule, Scenario, ServiceRequest};
use crate::travel::TravelModel;
use day::{dense_categories, fitting_part};
use std::fmt;
use std::sync::Arc;

/// Optimal dispatch: every request of the day at once, as a capacitated
/// assignment problem, solved to a reported gap.
///
/// **Candidates.** For each request, the [`k`](Optimal::k) nearest technicians
/// (by great-circle distance from their base, ties by position in the
/// scenario) who cover every category at the level its difficulty needs or
/// higher, whose outlet serves the categories, who are no farther than
/// [`max_km`](Optimal::max_km) road km and whose visit alone fits the shift
/// and meets the time window — the same tests as [`Nearest`]. The technician
/// `Nearest` would choose is added when not among them.
///
/// **Loads and capacities.** A visit loads its technician with its working
/// minutes (round trip and service at the technician's levels); a
/// technician's capacity is the shift's minutes and an
/// outlet's is its daily visits. With [`slots`](Optimal::slots) every visit
/// uses one slot instead. The time windows need no more than the candidate
/// test: a visit is checked on its own from the start of the shift, as
/// [`verify`](super::verify) does.
///
/// **Objective**, minimised, with `w` the request's [priority
/// weight](Optimal::priority_weight):
///
/// - each visit: its `cost` under the outlet's tariff, plus
///   `response_cost_per_min × w × one-way travel minutes` (the time the
///   customer waits for the technician to arrive), plus the policy's
///   [surcharge](crate::Policy::surcharge) for crossing a region or using an
///   outlet below the gold tier;
/// - each request left unassigned that some skilled technician in reach
///   could have served on its own (reason `capacity_exhausted`):
///   `unassigned_penalty × w`. Requests no plan can serve cost nothing.
///
/// The default penalty outweighs any visit of a generated network, so as
/// many requests as possible are served, urgent ones first. The plan carries
/// the objective, a lower bound (no plan that uses the candidate edges and
/// the loads above does better) and the relative gap; [`Optimal::objective`]
/// prices any plan the same way. Should `Nearest`'s own plan price lower (a
/// solver stopped early, or `Nearest` filling a shift to the last fraction of
/// a minute), that plan is returned, so `Optimal` with minute loads is never
/// worse than `Nearest`; slots restrict the plans on purpose and are left
/// alone.
///
/// **Policy.** Candidates are only technicians whose outlet kind the
/// scenario's [`Policy`](crate::Policy) admits, of the request's own region
/// under [`RegionRule::Never`]. Under `WhenNecessary` a visit the solver
/// sends across a region is moved home afterwards when a technician there
/// has room (the lower bound stays valid: it bounds a looser problem).
///
/// **Solver.** [`MinCostFlow`] (exact) when every load is 1, else
/// [`Lagrangian`] with the time limit and target gap; or any
/// [`AssignmentSolver`] given with [`solver`](Optimal::solver).
///
/// Unassigned requests carry the reason [`Nearest`] would give.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Optimal, verify, generate::{Generator, Preset}};
/// let scenario = Generator::new(Preset::province("Hainan")).requests(200).seed(1).build()?;
/// // Two-hour slots: unit loads, solved exactly by min-cost flow.
/// let plan = Optimal::new().slots(120.0).dispatch(&scenario)?;
/// assert!(verify(&scenario, &plan).is_empty());
/// assert_eq!(plan.assignments.len() + plan.unassigned.len(), 200);
/// assert_eq!(plan.gap, Some(0.0));
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Clone)]
pub struct Optimal {
    k: usize,
    max_km: f64,
    time_limit_s: f64,
    work_limit: Option<u64>,
    target_gap: f64,
    slot_min: Option<f64>,
    unassigned_penalty: f64,
    response_cost_per_min: f64,
    solver: Option<Arc<dyn AssignmentSolver>>,
}

impl Default for Optimal {
    fn default() -> Self {
        Optimal {
            k: 16,
            max_km: 300.0,
            time_limit_s: 7.0,
            work_limit: None,
            target_gap: 0.005,
            slot_min: None,
            unassigned_penalty: 2000.0,
            response_cost_per_min: 0.25,
            solver: None,
        }
    }
}

impl fmt::Debug for Optimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Optimal")
            .field("k", &self.k)
            .field("max_km", &self.max_km)
            .field("time_limit_s", &self.time_limit_s)
            .field("work_limit", &self.work_limit)
            .field("target_gap", &self.target_gap)
            .field("slot_min", &self.slot_min)
            .field("unassigned_penalty", &self.unassigned_penalty)
            .field("response_cost_per_min", &self.response_cost_per_min)
            .field(
                "solver",
                &self.solver.as_ref().map(|s| s.name().to_string()),
            )
            .finish()
    }
}

impl Optimal {
    /// The defaults: 16 candidates per request, a reach of 300 road km, a
    /// 7 s time limit (the candidate search comes on top) and a 0.5% target
    /// gap for the solver, minute loads, a penalty of 2000 per unserved
    /// request and 0.25 per minute of response (both at normal priority), the
    /// solver chosen by the loads.
    pub fn new() -> Self {
        Optimal::default()
    }

    /// Sets how many candidates each request gets (≥ 1).
    pub fn k(mut self, k: usize) -> Self {
        self.k = k;
        self
    }

    /// Sets the reach: the farthest a technician is sent, in road km (> 0; may be infinite).
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }

    /// Sets the default solver's time limit in seconds (> 0); not used by a solver given with [`Optimal::solver`].
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = seconds;
        self
    }

    /// Sets a limit of work for the default solver (≥ 1 steps, see
    /// [`Lagrangian::work_limit`]): a solve that ends on it gives the same
    /// plan on every machine, where one that ends on the time limit does not.
    /// Keep the time limit above what the work takes, as a safety net.
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.work_limit = Some(steps);
        self
    }

    /// Sets the default solver's target relative gap (≥ 0, e.g. 0.005 for 0.5%).
    pub fn target_gap(mut self, gap: f64) -> Self {
        self.target_gap = gap;
        self
    }

    /// Unit loads: each shift is cut into ⌊shift / `slot_min`⌋ slots, only
    /// visits that fit one slot are candidates, and each uses one slot (> 0).
    pub fn slots(mut self, slot_min: f64) -> Self {
        self.slot_min = Some(slot_min);
        self
    }

    /// Sets the cost of leaving a servable request of normal priority unassigned (≥ 0).
    pub fn unassigned_penalty(mut self, cost: f64) -> Self {
        self.unassigned_penalty = cost;
        self
    }

    /// Sets the cost per minute a customer of normal priority waits for the technician's arrival (≥ 0).
    pub fn response_cost_per_min(mut self, cost: f64) -> Self {
        self.response_cost_per_min = cost;
        self
    }

    /// Solves with this solver instead of the default.
    pub fn solver(mut self, solver: Arc<dyn AssignmentSolver>) -> Self {
        self.solver = Some(solver);
        self
    }

    /// What a priority weighs in the objective: low 0.5, normal 1, high 2, urgent 4.
    pub fn priority_weight(priority: Priority) -> f64 {
        match priority {
            Priority::Low => 0.5,
            Priority::Normal => 1.0,
            Priority::High => 2.0,
            Priority::Urgent => 4.0,
        }
    }

    /// The objective of any plan of this scenario, priced as `Optimal` prices its own.
    ///
    /// Whether an unassigned request is charged is decided again from the
    /// scenario (could a skilled technician in reach have served it on its
    /// own?), not read from the plan. Visits of requests the scenario does not
    /// have count at normal priority.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when a setting is invalid.
    pub fn objective(&self, scenario: &Scenario, plan: &Plan) -> Result<f64> {
        self.check()?;
        let table = TechTable::new(scenario);
        let visits: f64 = plan
            .assignments
            .iter()
            .map(|a| self.visit_term(scenario, a))
            .sum();
        let mut left = 0.0;
        let mut cats = Vec::new();
        for u in &plan.unassigned {
            let Some(r) = scenario.request(u.request) else {
                continue;
            };
            dense_categories(scenario, r, &mut cats);
            let why = reason(scenario, &table, r, &cats, r.required_level(), self.max_km);
            if why == UnassignedReason::CapacityExhausted {
                left += self.penalty(r);
            }
        }
        Ok(visits + left)
    }

    fn penalty(&self, r: &ServiceRequest) -> f64 {
        self.unassigned_penalty * Optimal::priority_weight(r.priority)
    }

    /// A visit's share of the objective; `travel_min` is the round trip.
    fn visit_term(&self, s: &Scenario, a: &Assignment) -> f64 {
        let r = s.request(a.request);
        let w = r.map_or(1.0, |r| Optimal::priority_weight(r.priority));
        let surcharge = s.outlet(a.outlet).map_or(0.0, |o| {
            let region = |city| s.city(city).map(|c| c.region);
            let crosses = r.is_some_and(|r| region(r.city) != region(o.city));
            s.policy().surcharge(crosses, o.tier)
        });
        a.cost + self.response_cost_per_min * w * a.travel_min / 2.0 + surcharge
    }

    /// The objective of a plan whose unassigned requests carry the reasons Nearest gives.
    fn priced(&self, s: &Scenario, plan: &Plan) -> f64 {
        let visits: f64 = plan.assignments.iter().map(|a| self.visit_term(s, a)).sum();
        let left: f64 = plan
            .unassigned
            .iter()
            .filter(|u| u.reason == UnassignedReason::CapacityExhausted)
            .filter_map(|u| s.request(u.request))
            .map(|r| self.penalty(r))
            .sum();
        visits + left
    }

    /// The day as an assignment problem, exactly as [`DispatchStrategy::dispatch`]
    /// solves it: one task per request, one agent per technician, a group per
    /// outlet with a visit limit. For benchmarks and for users who want to try
    /// another solver on the same numbers.
    ///
    /// # Errors
    /// As [`DispatchStrategy::dispatch`].
    pub fn assignment_problem(&self, s: &Scenario) -> Result<AssignmentProblem> {
        self.check()?;
        let table = TechTable::new(s);
        let baseline = Nearest::new().max_km(self.max_km).dispatch(s)?;
        let found = self.candidates_of_day(s, &table);
        Ok(self.day_model(s, &table, found, &baseline)?.problem)
    }

    fn check(&self) -> Result<()> {
        let bad = |name, message| Err(ErrorKind::Parameter { name, message }.into());
        if self.k == 0 {
            return bad("k", "0 candidates per request".into());
        }
        if self.max_km.is_nan() || self.max_km <= 0.0 {
            return bad("max_km", format!("{} is not a distance > 0", self.max_km));
        }
        if !(self.time_limit_s.is_finite() && self.time_limit_s > 0.0) {
            let t = self.time_limit_s;
            return bad(
                "time_limit_s",
                format!("{t} is not a number of seconds > 0"),
            );
        }
        if self.work_limit == Some(0) {
            return bad("work_limit", "0 is not a number of steps ≥ 1".into());
        }
        if !(self.target_gap.is_finite() && self.target_gap >= 0.0) {
            return bad(
                "target_gap",
                format!("{} is not a gap ≥ 0", self.target_gap),
            );
        }
        if let Some(q) = self.slot_min.filter(|q| !(q.is_finite() && *q > 0.0)) {
            return bad("slots", format!("{q} is not a number of minutes > 0"));
        }
        for (name, x) in [
            ("unassigned_penalty", self.unassigned_penalty),
            ("response_cost_per_min", self.response_cost_per_min),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                return bad(name, format!("{x} is not a finite cost ≥ 0"));
            }
        }
        Ok(())
    }

    fn solve(
        &self,
        problem: &AssignmentProblem,
        start: &[Option<u32>],
    ) -> Result<crate::assign::Solution> {
        match &self.solver {
            Some(solver) => solver.solve(problem),
            None if problem.unit_loads() => MinCostFlow.solve(problem),
            None => Lagrangian::new()
                .time_limit_s(self.time_limit_s)
                .target_gap(self.target_gap)
                .warm_start(start.to_vec())
                .node_limit(NODE_LIMIT)
                .work_limit(self.work_limit.unwrap_or(u64::MAX))
                .solve(problem),
        }
    }
}

/// Branch-and-bound nodes the default solver may use: a limit of work, not of
/// time, so the same day gives the same plan on any machine.
const NODE_LIMIT: u64 = 200;

impl DispatchStrategy for Optimal {
    fn name(&self) -> &str {
        "optimal"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.check()?;
        let table = TechTable::new(s);
        let (baseline, found) = rayon::join(
            || Nearest::new().max_km(self.max_km).dispatch(s),
            || self.candidates_of_day(s, &table),
        );
        let baseline = baseline?;
        let day = self.day_model(s, &table, found, &baseline)?;
        let solution = self.solve(&day.problem, &day.baseline)?;

        // Keep only what fits: a sound solver's answer fits whole.
        let (agent_of, trimmed) = fitting_part(&day.problem, &solution.agent_of);
        let mut exact = solution.status == Status::Optimal && !trimmed;
        let solver_bound = match solution.status {
            Status::Infeasible(_) => f64::NEG_INFINITY,
            _ => solution.lower_bound,
        };
        let trivial = day.problem.trivial_bound();
        let bound = if solver_bound.is_finite() {
            solver_bound.max(trivial)
        } else {
            trivial
        };

        let requests = s.requests();
        let mut order: Vec<usize> = (0..requests.len()).collect();
        order.sort_by_key(|&i| (requests[i].received_min, requests[i].id));
        let mut plan = Plan {
            strategy: self.name().to_string(),
            ..Plan::default()
        };
        let mut cats = Vec::new();
        for i in order {
            let r = &requests[i];
            let Some(t) = day.task_of[i].and_then(|task| agent_of[task as usize]) else {
                plan.unassigned.push(Unassigned {
                    request: r.id,
                    reason: day.reason_of[i].unwrap_or(UnassignedReason::CapacityExhausted),
                });
                continue;
            };
            let t = t as usize;
            dense_categories(s, r, &mut cats);
            let visit = table.visit(s, s.travel().leg(table.base[t], r.location), t, r, &cats);
            plan.assignments.push(table.assignment(s, t, r, &visit));
        }
        if s.policy().region == RegionRule::WhenNecessary && settle(s, &table, &mut plan) > 0 {
            exact = false;
        }
        let mut objective = self.priced(s, &plan);
        // With minute loads, never worse than Nearest (whose plan may not fit whole minutes).
        let theirs = self.priced(s, &baseline);
        if self.slot_min.is_none() && theirs < objective - 1e-9 * objective.abs().max(1.0) {
            plan.assignments = baseline.assignments;
            plan.unassigned = baseline.unassigned;
            objective = theirs;
            exact = false;
        }
        let lower_bound = if exact {
            objective
        } else {
            bound.min(objective)
        };
        plan.objective = Some(objective);
        plan.lower_bound = Some(lower_bound);
        plan.gap = Some(((objective - lower_bound) / objective.abs().max(1.0)).max(0.0));
        Ok(plan)
    }
}
