//! Lagrangian relaxation with local search and branch and bound: the
//! generalized assignment problem at any loads, with a proven lower bound.
//!
//! Relaxing "each task goes exactly once" with multipliers λ (and the group
//! limits with multipliers μ ≥ 0) splits the problem into one 0-1 knapsack
//! per agent: take the edges whose reduced cost `cost − λ[task] + μ[group]`
//! is negative, within the agent's capacity. The knapsacks are solved exactly
//! (dynamic programming or branch and bound; the bound is then at least as
//! strong as the LP relaxation, often much stronger), or by their LP bound
//! when that would take too long; either way the relaxed value is a lower
//! bound on every feasible assignment. Subgradient steps raise it. Large
//! problems start from prices on the capacities ([`prices`]) and take their
//! steps only where capacity is short ([`regional`]).
//!
//! Feasible assignments come from the knapsack solutions (or a warm start):
//! each task keeps its cheapest selection, the rest are inserted by regret
//! (with one ejection when no agent has room), then improved by shift, swap
//! and ejection-chain moves; tasks still left out are put back by longer
//! ejection chains, by clearing room and by re-planning their candidate
//! agents ([`chains`]).
//!
//! Small problems are then closed by depth-first branch and bound: at every
//! node the multipliers are re-optimised from the parent's, edges are fixed
//! by what forcing them in or out would do to the knapsacks' values, and the
//! search branches on a task the relaxation covers not exactly once.

use super::deadline::{Deadline, check_time_limit};
use super::knapsack::{Item, Knapsack, Sensitivity};
use super::problem::{AssignmentProblem, AssignmentSolver, Edge, Solution, Status};
use crate::error::{ErrorKind, Result};
use budget::Budget;
use chains::{ChainLimits, ChainSearch};
use local::Assignment;
use prices::Prices;
use std::time::Instant;

mod budget;
mod chains;
mod local;
mod prices;
mod regional;

/// The relative gap under which a solution is reported optimal (costs that
/// are not integers only; with integer costs the bound is rounded up).
pub const OPTIMAL_GAP: f64 = 1e-6;

/// With integer costs, how far above `cost − 1` the cutoff lies: a node
/// closed by it holds no assignment cheaper than the incumbent's `cost`.
/// Bounds are rounded up with half this tolerance, so that the cutoff
/// itself rounds up to `cost`.
const CUTOFF_MARGIN: f64 = 1e-6;

/// Problems of more tasks than this are large: cheaper local search, fewer heuristic calls.
const LARGE: usize = 20_000;

/// Price updates of the capacity-price ascent per agent and group, at most.
const PRICE_UPDATES_PER_UNIT: usize = 10;

/// Ejection-chain searches for left-out tasks: short and cheap first, then deeper.
const CHAIN_PASSES: [ChainLimits; 2] = [
    ChainLimits {
        expansions: 300,
        depth: 5,
    },
    ChainLimits {
        expansions: 2_000,
        depth: 8,
    },
];

/// The share of the time left that a large problem's price steps may take.
const PRICE_STEPS_SHARE: f64 = 0.6;

/// Subgradient steps on the region where capacity is short, at most.
const REGIONAL_STEPS: usize = 2_000;

/// Rounds of re-planning around left-out tasks, at most.
const REPACK_ROUNDS: usize = 4;

/// A task not yet fixed.
const FREE: u32 = u32::MAX;
/// A task fixed to stay unassigned (at its penalty).
const LEFT_OUT: u32 = u32::MAX - 1;

/// A lower bound on the cost of every assignment of `problem`, from prices
/// on its capacities alone: the dual of the LP relaxation, approached by
/// coordinate ascent on the prices and then projected subgradient steps
/// towards `target` (the cost of a known assignment, or any number at
/// least the optimum; infinity to skip the steps). No assignment is built.
///
/// Every task is free to take its cheapest priced option, so any prices
/// give a valid bound; the search stops after about `work_limit` steps of
/// work (one per edge looked at) or `time_limit_s` seconds, whichever
/// comes first. A run that ends on the work limit gives the same bound on
/// every machine.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, price_bound};
/// // One agent of capacity 5, two tasks of load 3: one must take its penalty of 10.
/// let p = AssignmentProblem::builder(2)
///     .agents([5.0])
///     .edge(0, 0, 1.0, 3.0)
///     .edge(1, 0, 2.0, 3.0)
///     .penalty(0, 10.0)
///     .penalty(1, 10.0)
///     .build()?;
/// let bound = price_bound(&p, f64::INFINITY, u64::MAX, 10.0);
/// assert!(bound <= 11.0 + 1e-9 && bound > 3.0);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn price_bound(
    problem: &AssignmentProblem,
    target: f64,
    work_limit: u64,
    time_limit_s: f64,
) -> f64 {
    let m = Model::new(problem);
    let budget = Budget::new(Deadline::after(Instant::now(), time_limit_s), work_limit);
    let units = m.cap.len() + m.group_cap.len();
    // An update of one price looks at about its unit's share of the edges.
    let per_update = (m.edges.len() / units.max(1)) as u64 + 1;
    let updates = (work_limit / per_update).min((PRICE_UPDATES_PER_UNIT * units) as u64);
    let mut prices = Prices::ascend(&m, updates as usize, &budget);
    let ascended = prices.bound(&m);
    let stepped = prices.subgradient(&m, target, &budget);
    ascended.max(stepped)
}

/// Lagrangian relaxation of the assignment constraints, a primal heuristic
/// with local search, and branch and bound on problems of up to
/// [`Lagrangian::branch_tasks`] tasks.
///
/// Returns the best assignment found with a lower bound. With integer costs
/// (OR-Library instances) the bound is rounded up, so a solve that closes the
/// gap reports [`Status::Optimal`]; otherwise optimal means within a relative
/// [`OPTIMAL_GAP`].
///
/// Runs that end on the time limit depend on the machine's speed; runs that
/// end on the gap, on optimality, on [`Lagrangian::node_limit`] or on
/// [`Lagrangian::work_limit`] do not.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, AssignmentSolver, Lagrangian, Status};
/// // Agents of capacity 7 and 5; three tasks of loads 3, 3 and 4.
/// let p = AssignmentProblem::builder(3)
///     .agents([7.0, 5.0])
///     .edge(0, 0, 1.0, 3.0).edge(0, 1, 2.0, 3.0)
///     .edge(1, 0, 1.0, 3.0).edge(1, 1, 4.0, 3.0)
///     .edge(2, 0, 1.0, 4.0).edge(2, 1, 3.0, 4.0)
///     .build()?;
/// let s = Lagrangian::new().solve(&p)?;
/// assert_eq!(s.status, Status::Optimal);
/// assert_eq!(s.cost, 4.0); // tasks 1 and 2 share agent 0 (3 + 4 = 7), task 0 goes to agent 1
/// assert_eq!(s.agent_of, [Some(1), Some(0), Some(0)]);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lagrangian {
    time_limit_s: f64,
    target_gap: f64,
    branch_tasks: usize,
    node_limit: u64,
    work_limit: u64,
    prices_above: usize,
    warm_start: Option<Vec<Option<u32>>>,
}

impl Default for Lagrangian {
    fn default() -> Self {
        Lagrangian::new()
    }
}

impl Lagrangian {
    /// Defaults: a 10 s time limit, a target gap of 0 (prove optimality),
    /// branch and bound on problems of up to 5,000 tasks, no node limit,
    /// capacity prices above 20,000 tasks.
    pub fn new() -> Self {
        Lagrangian {
            time_limit_s: 10.0,
            target_gap: 0.0,
            branch_tasks: 5_000,
            node_limit: u64::MAX,
            work_limit: u64::MAX,
            prices_above: LARGE,
            warm_start: None,
        }
    }

    /// Stops after this many seconds (> 0) with the best assignment and bound found.
    pub fn time_limit_s(mut self, seconds: f64) -> Self {
        self.time_limit_s = seconds;
        self
    }

    /// Stops once the relative gap `(cost − bound) / max(|cost|, 1)` is at most this (e.g. 0.005).
    pub fn target_gap(mut self, gap: f64) -> Self {
        self.target_gap = gap;
        self
    }

    /// Branches only on problems of at most this many tasks; larger ones stop after the root.
    pub fn branch_tasks(mut self, tasks: usize) -> Self {
        self.branch_tasks = tasks;
        self
    }

    /// Starts from this assignment (the agent of each task, `None` for
    /// unassigned), improved by local search; ignored unless
    /// [`AssignmentProblem::evaluate`] accepts it. The answer is never worse.
    pub fn warm_start(mut self, agent_of: Vec<Option<u32>>) -> Self {
        self.warm_start = Some(agent_of);
        self
    }

    /// Problems of more than this many tasks (default 20,000) start from
    /// prices on the capacities, found by coordinate ascent on the dual of
    /// the LP relaxation, rather than from subgradient steps alone: on a
    /// national day this prices local capacity shortages in a fraction of a
    /// second, where the steps on each task's multiplier barely move.
    pub fn prices_above(mut self, tasks: usize) -> Self {
        self.prices_above = tasks;
        self
    }

    /// Stops branching after this many nodes, for runs that must not depend on the clock.
    pub fn node_limit(mut self, nodes: u64) -> Self {
        self.node_limit = nodes;
        self
    }

    /// Stops after this many steps of work (≥ 1; default no limit) with the
    /// best assignment and bound found. A step is roughly one task looked at
    /// by the ascent, the local search or the chains, counted at fixed points
    /// of the search, so a run that ends on this limit ends the same way on
    /// every machine: the limit of choice for runs that must be repeatable.
    pub fn work_limit(mut self, steps: u64) -> Self {
        self.work_limit = steps;
        self
    }
}

impl AssignmentSolver for Lagrangian {
    fn name(&self) -> &str {
        "lagrangian"
    }

    fn solve(&self, problem: &AssignmentProblem) -> Result<Solution> {
        let started = Instant::now();
        check_time_limit("time_limit_s", self.time_limit_s)?;
        if self.work_limit == 0 {
            return Err(ErrorKind::Parameter {
                name: "work_limit",
                message: "0 is not a number of steps ≥ 1".into(),
            }
            .into());
        }
        if !(self.target_gap.is_finite() && self.target_gap >= 0.0) {
            return Err(ErrorKind::Parameter {
                name: "target_gap",
                message: format!("{} is not a gap ≥ 0", self.target_gap),
            }
            .into());
        }
        let model = Model::new(problem);
        if let Some(why) = model.obviously_infeasible() {
            return Ok(Solution {
                agent_of: vec![None; problem.tasks()],
                cost: f64::INFINITY,
                lower_bound: f64::INFINITY,
                status: Status::Infeasible(why),
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        let deadline = Deadline::after(started, self.time_limit_s);
        let mut search = Search::new(&model, self, Budget::new(deadline, self.work_limit));
        if let Some(start) = &self.warm_start
            && problem.evaluate(start).is_ok()
        {
            search.start_from(start);
        }
        search.run();
        Ok(search.finish(problem, started))
    }
}

/// The problem in the layout the relaxation needs.
struct Model<'a> {
    problem: &'a AssignmentProblem,
    edges: &'a [Edge],
    /// The edges of each agent in one contiguous array (agent `a`'s are
    /// `agent_edges[agent_first[a]..agent_first[a + 1]]`), so a relaxation
    /// reads them in order rather than chasing indices.
    agent_edges: Vec<AgentEdge>,
    agent_first: Vec<usize>,
    cap: &'a [f64],
    penalty: &'a [Option<f64>],
    group_of: &'a [Option<u32>],
    group_cap: &'a [u32],
    /// Per agent: loads and capacity are integers, so its knapsack is exact.
    integral: Vec<bool>,
    /// Every cost and penalty is an integer.
    integral_costs: bool,
    /// The cheapest option of each task (an edge or its penalty).
    cheapest: Vec<f64>,
    /// The edge of (task, agent) at `task * agents + agent` (`u32::MAX` if none), for small dense problems.
    dense: Vec<u32>,
}

/// The largest task × agent table kept for edge lookups.
const DENSE_CELLS: usize = 1 << 22;

impl<'a> Model<'a> {
    fn new(p: &'a AssignmentProblem) -> Model<'a> {
        let edges = p.edges();
        let n = p.tasks();
        let mut by_agent = vec![Vec::new(); p.agents()];
        let is_int = |x: f64| x.fract() == 0.0 && x.abs() < 1e15;
        let mut integral: Vec<bool> = p.capacities().iter().map(|&c| is_int(c)).collect();
        for (i, e) in edges.iter().enumerate() {
            by_agent[e.agent as usize].push(i as u32);
            if !is_int(e.load) {
                integral[e.agent as usize] = false;
            }
        }
        let integral_costs = edges.iter().all(|e| is_int(e.cost))
            && p.penalties().iter().flatten().all(|&c| is_int(c));
        let agents = p.agents();
        let mut dense = Vec::new();
        if n.saturating_mul(agents) <= DENSE_CELLS {
            dense = vec![u32::MAX; n * agents];
            for (i, e) in edges.iter().enumerate() {
                dense[e.task as usize * agents + e.agent as usize] = i as u32;
            }
        }
        let cheapest = (0..n).map(|t| p.cheapest_option(t)).collect();
        let mut agent_first = vec![0usize; agents + 1];
        let mut agent_edges = Vec::with_capacity(edges.len());
        for (a, list) in by_agent.iter().enumerate() {
            agent_edges.extend(list.iter().map(|&i| {
                let e = edges[i as usize];
                AgentEdge {
                    edge: i,
                    task: e.task,
                    cost: e.cost,
                    load: e.load,
                }
            }));
            agent_first[a + 1] = agent_edges.len();
        }
        Model {
            agent_edges,
            agent_first,
            cheapest,
            dense,
            problem: p,
            edges,
            cap: p.capacities(),
            penalty: p.penalties(),
            group_of: p.group_of(),
            group_cap: p.group_capacities(),
            integral,
            integral_costs,
        }
    }

    fn tasks(&self) -> usize {
        self.problem.tasks()
    }

    fn task_edges(&self, t: usize) -> std::ops::Range<usize> {
        self.problem.task_edge_range(t)
    }

    /// The edges of agent `a`, contiguous.
    fn of_agent(&self, a: usize) -> &[AgentEdge] {
        &self.agent_edges[self.agent_first[a]..self.agent_first[a + 1]]
    }

    fn edge_to(&self, t: usize, agent: u32) -> Option<usize> {
        if !self.dense.is_empty() {
            let e = self.dense[t * self.cap.len() + agent as usize];
            return (e != u32::MAX).then_some(e as usize);
        }
        let r = self.task_edges(t);
        let start = r.start;
        self.edges[r]
            .binary_search_by_key(&agent, |e| e.agent)
            .ok()
            .map(|i| start + i)
    }

    fn obviously_infeasible(&self) -> Option<String> {
        for t in 0..self.tasks() {
            if self.penalty[t].is_some() {
                continue;
            }
            let r = self.task_edges(t);
            if r.is_empty() {
                return Some(format!(
                    "task {t} has no candidate agent and may not stay unassigned"
                ));
            }
            let fits = self.edges[r].iter().any(|e| {
                e.load <= self.cap[e.agent as usize] + 1e-9
                    && self.group_of[e.agent as usize]
                        .is_none_or(|g| self.group_cap[g as usize] > 0)
            });
            if !fits {
                return Some(format!(
                    "task {t} fits no candidate agent's capacity and may not stay unassigned"
                ));
            }
        }
        None
    }

    fn option_cost(&self, t: usize, option: u32) -> f64 {
        if option == LEFT_OUT {
            self.penalty[t].unwrap_or(f64::INFINITY)
        } else {
            self.edges[option as usize].cost
        }
    }
}

/// An edge as its agent's relaxation reads it.
#[derive(Debug, Clone, Copy)]
struct AgentEdge {
    edge: u32,
    task: u32,
    cost: f64,
    load: f64,
}

/// The node of the branch-and-bound tree being solved: fixed tasks and forbidden edges.
struct State {
    forbidden: Vec<bool>,
    forbidden_count: usize,
    /// Per task: `FREE`, `LEFT_OUT` or the fixed edge.
    fixed: Vec<u32>,
    residual: Vec<f64>,
    group_left: Vec<i64>,
    fixed_cost: f64,
    trail: Vec<Change>,
}

#[derive(Clone, Copy)]
enum Change {
    Forbid(u32),
    Fix(u32, u32),
}

impl State {
    fn new(m: &Model) -> State {
        State {
            forbidden: vec![false; m.edges.len()],
            forbidden_count: 0,
            fixed: vec![FREE; m.tasks()],
            residual: m.cap.to_vec(),
            group_left: m.group_cap.iter().map(|&c| i64::from(c)).collect(),
            fixed_cost: 0.0,
            trail: Vec::new(),
        }
    }

    fn forbid(&mut self, e: usize) {
        if !self.forbidden[e] {
            self.forbidden[e] = true;
            self.forbidden_count += 1;
            self.trail.push(Change::Forbid(e as u32));
        }
    }

    /// Fixes task `t` to `option` (an edge or `LEFT_OUT`); false if it breaks a capacity.
    fn fix(&mut self, m: &Model, t: usize, option: u32) -> bool {
        debug_assert_eq!(self.fixed[t], FREE);
        self.fixed[t] = option;
        self.trail.push(Change::Fix(t as u32, option));
        if option == LEFT_OUT {
            self.fixed_cost += m.penalty[t].unwrap_or(f64::INFINITY);
            return m.penalty[t].is_some();
        }
        let e = m.edges[option as usize];
        let a = e.agent as usize;
        self.residual[a] -= e.load;
        self.fixed_cost += e.cost;
        let mut ok = self.residual[a] >= -1e-9 * m.cap[a].max(1.0);
        if let Some(g) = m.group_of[a] {
            self.group_left[g as usize] -= 1;
            ok &= self.group_left[g as usize] >= 0;
        }
        ok
    }

    fn undo(&mut self, m: &Model, mark: usize) {
        while self.trail.len() > mark {
            match self.trail.pop() {
                Some(Change::Forbid(e)) => {
                    self.forbidden[e as usize] = false;
                    self.forbidden_count -= 1;
                }
                Some(Change::Fix(t, option)) => {
                    let t = t as usize;
                    self.fixed[t] = FREE;
                    if option == LEFT_OUT {
                        self.fixed_cost -= m.penalty[t].unwrap_or(f64::INFINITY);
                    } else {
                        let e = m.edges[option as usize];
                        let a = e.agent as usize;
                        self.residual[a] += e.load;
                        self.fixed_cost -= e.cost;
                        if let Some(g) = m.group_of[a] {
                            self.group_left[g as usize] += 1;
                        }
                    }
                }
                None => break,
            }
        }
    }

    /// The capacity agent `a` has left, with the tolerance [`AssignmentProblem::evaluate`] allows.
    fn room(&self, m: &Model, a: usize) -> f64 {
        self.residual[a] + 1e-9 * m.cap[a].max(1.0)
    }

    /// Whether the edge may still be used.
    fn open(&self, m: &Model, e: usize) -> bool {
        !self.forbidden[e] && self.fixed[m.edges[e].task as usize] == FREE
    }
}

/// The relaxation at one set of multipliers.
#[derive(Clone, Default)]
struct Dual {
    value: f64,
    /// How often each free task is covered (knapsack selections plus its penalty option).
    cover: Vec<f64>,
    /// Selected edges with their fraction.
    chosen: Vec<(u32, f64)>,
    /// Free tasks whose penalty option is taken.
    left_out: Vec<u32>,
    group_count: Vec<f64>,
}

struct Search<'a> {
    m: &'a Model<'a>,
    cfg: &'a Lagrangian,
    budget: Budget,
    st: State,
    knap: Knapsack,
    sens: Sensitivity,
    items: Vec<Item>,
    /// Best assignment: per task an edge or `LEFT_OUT`.
    best: Option<Vec<u32>>,
    best_cost: f64,
    root_bound: f64,
    /// Lowest bound of a node closed by its bound (or solved).
    closed_min: f64,
    /// Lowest bound of a node left unexplored.
    open_min: f64,
    nodes: u64,
    complete: bool,
    timed_out: bool,
    /// With integer costs: every assignment is proven to cost at least this.
    proven: f64,
    /// With integer costs: the cost the current search looks for (∞ outside it).
    guess: f64,
}

#[derive(Clone)]
struct Ascent {
    bound: f64,
    lambda: Vec<f64>,
    mu: Vec<f64>,
    dual: Dual,
}

impl<'a> Search<'a> {
    fn new(m: &'a Model<'a>, cfg: &'a Lagrangian, budget: Budget) -> Search<'a> {
        Search {
            m,
            cfg,
            budget,
            st: State::new(m),
            knap: Knapsack::default(),
            sens: Sensitivity::default(),
            items: Vec::new(),
            best: None,
            best_cost: f64::INFINITY,
            root_bound: f64::NEG_INFINITY,
            closed_min: f64::INFINITY,
            open_min: f64::INFINITY,
            nodes: 0,
            complete: true,
            timed_out: false,
            proven: f64::NEG_INFINITY,
            guess: f64::INFINITY,
        }
    }

    /// Takes a feasible assignment as the first incumbent, after local search.
    fn start_from(&mut self, agent_of: &[Option<u32>]) {
        let m = self.m;
        let mut sol = Assignment::empty(m);
        for (t, a) in agent_of.iter().enumerate() {
            let option = match a {
                None => LEFT_OUT,
                Some(a) => match m.edge_to(t, *a) {
                    Some(e) => e as u32,
                    None => return,
                },
            };
            if !sol.place(m, t, option) {
                return;
            }
        }
        self.polish(&mut sol, m.tasks() <= LARGE);
        self.best_cost = sol.cost(m);
        self.best = Some(sol.of);
    }

    fn out_of_time(&mut self) -> bool {
        if !self.timed_out && self.budget.spend(self.m.edges.len() as u64) {
            self.timed_out = true;
        }
        self.timed_out
    }

    /// Whether the time or the work is spent, recording no work.
    fn spent(&mut self) -> bool {
        if !self.timed_out && self.budget.spent() {
            self.timed_out = true;
        }
        self.timed_out
    }

    /// Nodes whose bound reaches this cannot hold an assignment worth finding.
    fn cutoff(&self) -> f64 {
        let ub = self.best_cost;
        if !ub.is_finite() {
            return self.guess + 1.0 - CUTOFF_MARGIN;
        }
        let scale = ub.abs().max(1.0);
        let mut slack = (self.cfg.target_gap * scale).max(1e-9 * scale);
        if self.m.integral_costs {
            slack = slack.max(1.0 - CUTOFF_MARGIN);
        }
        (ub - slack).min(self.guess + 1.0 - CUTOFF_MARGIN)
    }

    fn run(&mut self) {
        let m = self.m;
        let n = m.tasks();
        // Start: λ at each task's second-cheapest option, so its cheapest has a negative reduced cost.
        let lambda: Vec<f64> = (0..n)
            .map(|t| {
                let (a, b) = two_smallest(
                    m.edges[m.task_edges(t)]
                        .iter()
                        .map(|e| e.cost)
                        .chain(m.penalty[t]),
                );
                if b.is_finite() { b } else { a + 1.0 }
            })
            .collect();
        let mu = vec![0.0; m.group_cap.len()];
        let asc = if n > self.cfg.prices_above {
            self.priced_root()
        } else {
            let root_iters = 400 + 4 * n.min(5_000);
            self.ascent(lambda, mu, root_iters, 2.0, 25, 10)
        };
        self.root_bound = asc.bound;
        if self.done(asc.bound) {
            self.closed_min = self.closed_min.min(asc.bound);
            return;
        }
        if n > self.cfg.branch_tasks {
            self.complete = false;
            self.open_min = self.open_min.min(asc.bound);
            return;
        }
        if !m.integral_costs || !self.best_cost.is_finite() {
            // Without an incumbent, a plain search finds one or proves there is none.
            self.node(asc);
            return;
        }
        // Integer costs: search for an assignment of cost `guess`, from the
        // root bound up. The cutoff `guess + 1` fixes far more edges than the
        // incumbent's would, and a search that ends without one proves `guess + 1`.
        self.proven = (asc.bound - 1e-6).ceil();
        loop {
            if self.best_cost <= self.proven + 0.5 || self.close_enough() {
                break;
            }
            // Each guess is a search of its own: none may start once the budget is spent.
            if self.out_of_time() {
                self.complete = false;
                break;
            }
            self.guess = self.proven;
            self.complete = true;
            self.node(asc.clone());
            if self.best_cost <= self.guess + 0.5 {
                break;
            }
            if !self.complete {
                break;
            }
            self.proven = self.guess + 1.0;
        }
        self.guess = f64::INFINITY;
    }

    /// The root of a large problem: prices on the capacities by coordinate
    /// ascent and subgradient steps, then subgradient steps on the task
    /// multipliers they give, on the region where capacity is short.
    fn priced_root(&mut self) -> Ascent {
        let m = self.m;
        let units = m.cap.len() + m.group_cap.len();
        let mut prices = Prices::ascend(m, PRICE_UPDATES_PER_UNIT * units, &self.budget);
        if self.best.is_none() {
            // The steps aim at the incumbent's cost: build one from the relaxation first.
            self.ascent(prices.lambda(m), prices.group.clone(), 1, 0.1, 25, 1);
        }
        // Price steps where the coordinate ascent jammed, for a share of the time left.
        let part = self.budget.part(PRICE_STEPS_SHARE);
        prices.subgradient(m, self.best_cost, &part);
        self.budget.absorb(part);
        // The knapsacks at these multipliers are worth at least the prices' own bound `D`.
        let lambda = prices.lambda(m);
        // The region: tasks the prices lift above their cheapest option
        // (capacity is short around them) and tasks the incumbent leaves out.
        let region: Vec<u32> = (0..m.tasks())
            .filter(|&t| {
                lambda[t] > m.cheapest[t] + 1e-9 * m.cheapest[t].abs().max(1.0)
                    || self.best.as_ref().is_some_and(|b| b[t] == LEFT_OUT)
            })
            .map(|t| t as u32)
            .collect();
        let (_, lambda) = self.regional_ascent(lambda, &prices.group, &region, REGIONAL_STEPS);
        // One full relaxation at the best multipliers: the bound and the node's solution.
        self.ascent(lambda, prices.group, 1, 0.1, 25, 0)
    }

    /// Local search, then left-out tasks put back: by ejection chains, by
    /// clearing room on one agent, and by re-planning their candidate
    /// agents' tasks, rounds of the last two repeated while they place some.
    fn polish(&self, sol: &mut Assignment, deep: bool) {
        let m = self.m;
        sol.improve(m, deep, &self.budget);
        let mut chains = ChainSearch::default();
        for limits in CHAIN_PASSES {
            chains.insert_left_out(m, sol, limits, &self.budget);
        }
        let mut placed = chains.clear_for_left_out(m, sol, &self.budget);
        for _ in 0..REPACK_ROUNDS {
            placed += chains::repack_left_out(m, sol, &self.budget);
            if placed == 0 {
                break;
            }
            placed = chains.insert_left_out(m, sol, CHAIN_PASSES[1], &self.budget);
            sol.improve(m, deep, &self.budget);
        }
    }

    /// Takes `sol` as the incumbent if it costs less.
    fn keep(&mut self, sol: Assignment) {
        let cost = sol.cost(self.m);
        if cost < self.best_cost - 1e-9 * cost.abs().max(1.0) {
            self.best_cost = cost;
            self.best = Some(sol.of);
        }
    }

    /// Whether the incumbent is within the target gap of the proven bound.
    fn close_enough(&self) -> bool {
        let ub = self.best_cost;
        ub.is_finite() && (ub - self.proven) <= self.cfg.target_gap * ub.abs().max(1.0)
    }

    /// Whether a node of this bound needs no further search.
    fn done(&self, bound: f64) -> bool {
        bound >= self.cutoff()
    }

    /// Subgradient ascent from `lambda`; returns the best multipliers seen.
    fn ascent(
        &mut self,
        mut lambda: Vec<f64>,
        mut mu: Vec<f64>,
        iterations: usize,
        theta0: f64,
        patience: usize,
        heuristic_every: usize,
    ) -> Ascent {
        let m = self.m;
        let n = m.tasks();
        let mut dual = Dual {
            cover: vec![0.0; n],
            group_count: vec![0.0; m.group_cap.len()],
            ..Dual::default()
        };
        let mut best = Ascent {
            bound: f64::NEG_INFINITY,
            lambda: lambda.clone(),
            mu: mu.clone(),
            dual: Dual::default(),
        };
        let mut theta = theta0;
        let mut stale = 0;
        for it in 0..iterations.max(1) {
            self.relax(&lambda, &mu, &mut dual);
            if dual.value > best.bound + 1e-9 * dual.value.abs().max(1.0) {
                best.bound = dual.value;
                best.lambda.clone_from(&lambda);
                best.mu.clone_from(&mu);
                best.dual.clone_from(&dual);
                stale = 0;
            } else {
                stale += 1;
                if stale >= patience {
                    theta *= 0.5;
                    stale = 0;
                }
            }
            if heuristic_every > 0 && it % heuristic_every == 0 {
                self.heuristic(&dual, n <= LARGE);
            }
            if self.done(best.bound) || theta < 1e-4 || self.out_of_time() {
                break;
            }
            // Subgradient: 1 − cover for free tasks; count − limit for groups (projected at μ = 0).
            let mut norm = 0.0;
            for t in 0..n {
                if self.st.fixed[t] == FREE {
                    let s = 1.0 - dual.cover[t];
                    norm += s * s;
                }
            }
            for (g, &c) in dual.group_count.iter().enumerate() {
                let s = c - self.st.group_left[g] as f64;
                if mu[g] > 0.0 || s > 0.0 {
                    norm += s * s;
                }
            }
            if norm < 1e-12 {
                // Every task covered once and no group over its limit: this point is optimal for the node.
                break;
            }
            let target = if self.best_cost.is_finite() || self.guess.is_finite() {
                self.best_cost.min(self.guess + 1.0)
            } else {
                best.bound + (0.05 * best.bound.abs()).max(1.0)
            };
            let step = theta * (target - dual.value).max(1e-9 * target.abs().max(1.0)) / norm;
            for ((l, &f), &c) in lambda.iter_mut().zip(&self.st.fixed).zip(&dual.cover) {
                if f == FREE {
                    *l += step * (1.0 - c);
                }
            }
            for (g, &c) in dual.group_count.iter().enumerate() {
                mu[g] = (mu[g] + step * (c - self.st.group_left[g] as f64)).max(0.0);
            }
        }
        if best.dual.cover.is_empty() {
            best.dual = dual;
        }
        self.heuristic(&best.dual.clone(), heuristic_every > 0);
        best
    }

    /// Puts in `self.items` the open edges of agent `a` with a negative
    /// reduced cost at (λ, μ) that fit its remaining capacity.
    fn collect_items(&mut self, a: usize, lambda: &[f64], mu: &[f64]) {
        let m = self.m;
        let st = &self.st;
        let shift = m.group_of[a].map_or(0.0, |g| mu[g as usize]);
        let room = st.room(m, a);
        self.items.clear();
        for edge in m.of_agent(a) {
            let t = edge.task as usize;
            let r = edge.cost - lambda[t] + shift;
            if r < 0.0
                && edge.load <= room
                && st.fixed[t] == FREE
                && (st.forbidden_count == 0 || !st.forbidden[edge.edge as usize])
            {
                self.items.push(Item {
                    edge: edge.edge,
                    profit: -r,
                    weight: edge.load,
                });
            }
        }
    }

    /// Solves the relaxation at (λ, μ) under the current node.
    fn relax(&mut self, lambda: &[f64], mu: &[f64], out: &mut Dual) {
        let m = self.m;
        let st = &self.st;
        out.chosen.clear();
        out.left_out.clear();
        out.group_count.iter_mut().for_each(|c| *c = 0.0);
        let mut value = st.fixed_cost;
        for (t, cover) in out.cover.iter_mut().enumerate() {
            *cover = 0.0;
            if st.fixed[t] != FREE {
                continue;
            }
            value += lambda[t];
            if let Some(p) = m.penalty[t]
                && p < lambda[t]
            {
                value += p - lambda[t];
                *cover = 1.0;
                out.left_out.push(t as u32);
            }
        }
        for (g, &left) in st.group_left.iter().enumerate() {
            value -= mu[g] * left as f64;
        }
        // Exact knapsacks at every size: a branch and bound that gives up falls back to the LP bound.
        let exact = true;
        for a in 0..m.cap.len() {
            self.collect_items(a, lambda, mu);
            if self.items.is_empty() {
                continue;
            }
            let from = out.chosen.len();
            let profit = self.knap.solve(
                &self.items,
                self.st.room(m, a),
                m.integral[a],
                exact,
                &mut out.chosen,
            );
            value -= profit;
            for &(e, f) in &out.chosen[from..] {
                out.cover[m.edges[e as usize].task as usize] += f;
                if let Some(g) = m.group_of[a] {
                    out.group_count[g as usize] += f;
                }
            }
        }
        out.value = value;
    }

    /// Builds an assignment from the relaxation's selections and improves it.
    fn heuristic(&mut self, dual: &Dual, deep: bool) {
        let m = self.m;
        if self.best.is_some() && self.out_of_time() {
            return;
        }
        let n = m.tasks();
        let mut sol = Assignment::empty(m);
        // Fixed tasks first.
        for t in 0..n {
            let f = self.st.fixed[t];
            if f != FREE && !sol.place(m, t, f) {
                return;
            }
        }
        // Whole selections, cheapest first for tasks selected more than once.
        let mut picks: Vec<(u32, f64)> = dual
            .chosen
            .iter()
            .filter(|&&(_, f)| f >= 1.0 - 1e-9)
            .map(|&(e, _)| (e, m.edges[e as usize].cost))
            .collect();
        picks.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        for (e, _) in picks {
            let t = m.edges[e as usize].task as usize;
            if sol.of[t] == FREE {
                sol.place(m, t, e);
            }
        }
        for &t in &dual.left_out {
            if sol.of[t as usize] == FREE {
                sol.place(m, t as usize, LEFT_OUT);
            }
        }
        if !sol.complete(m) {
            return;
        }
        self.polish(&mut sol, deep);
        self.keep(sol);
    }

    /// Branch and bound below a node whose ascent is given.
    fn node(&mut self, asc: Ascent) {
        self.nodes += 1;
        if self.done(asc.bound) {
            self.closed_min = self.closed_min.min(asc.bound);
            return;
        }
        let mark = self.st.trail.len();
        let mut asc = asc;
        for _ in 0..4 {
            let before = self.st.trail.len();
            if !self.fix_by_sensitivity(&asc) {
                // No improving assignment below this node.
                self.closed_min = self.closed_min.min(self.cutoff());
                self.st.undo(self.m, mark);
                return;
            }
            if self.st.trail.len() == before {
                break;
            }
            // Fixing changed the node: the relaxation's solution must be recomputed.
            asc = self.ascent(asc.lambda.clone(), asc.mu.clone(), 30, 0.3, 3, 0);
            if self.done(asc.bound) {
                self.closed_min = self.closed_min.min(asc.bound);
                self.st.undo(self.m, mark);
                return;
            }
        }

        let branch = match self.branching(&asc) {
            Some(b) => Ok(b),
            None => self.untight(&asc),
        };
        let (t, e) = match branch {
            Ok(b) => b,
            Err(value) => {
                // The relaxation's solution is feasible and optimal here: the node is solved.
                self.closed_min = self.closed_min.min(value);
                self.st.undo(self.m, mark);
                return;
            }
        };
        for child in 0..2 {
            if self.out_of_time() || self.nodes >= self.cfg.node_limit {
                self.complete = false;
                self.open_min = self.open_min.min(asc.bound);
                break;
            }
            let child_mark = self.st.trail.len();
            let feasible = if child == 0 {
                self.st.fix(self.m, t, e)
            } else {
                self.st.forbid(e as usize);
                self.task_has_option(t)
            };
            if feasible {
                let a = self.ascent(asc.lambda.clone(), asc.mu.clone(), 30, 0.3, 3, 0);
                if a.bound.is_finite() {
                    self.node(a);
                }
            }
            self.st.undo(self.m, child_mark);
        }
        self.st.undo(self.m, mark);
    }

    /// When every task is covered once but the relaxation's solution is not
    /// feasible (a group over its limit) or costs more than its bound (a
    /// group limit with a positive multiplier and room left): a task to
    /// branch on; `Err(value)` when the node is solved at that value.
    fn untight(&self, asc: &Ascent) -> std::result::Result<(usize, u32), f64> {
        let m = self.m;
        let d = &asc.dual;
        // A group over its limit: branch on one of its tasks.
        let over = |g: Option<u32>| {
            g.is_some_and(|g| {
                d.group_count[g as usize] > self.st.group_left[g as usize] as f64 + 1e-9
            })
        };
        if let Some(&(e, _)) = d.chosen.iter().find(|&&(e, _)| {
            self.st.open(m, e as usize) && over(m.group_of[m.edges[e as usize].agent as usize])
        }) {
            return Ok((m.edges[e as usize].task as usize, e));
        }
        let cost = self.st.fixed_cost
            + d.chosen
                .iter()
                .map(|&(e, _)| m.edges[e as usize].cost)
                .sum::<f64>()
            + d.left_out
                .iter()
                .map(|&t| m.option_cost(t as usize, LEFT_OUT))
                .sum::<f64>();
        if cost <= asc.bound + 1e-9 * cost.abs().max(1.0) {
            return Err(asc.bound);
        }
        let assigned = d
            .chosen
            .iter()
            .find(|&&(e, _)| self.st.open(m, e as usize))
            .map(|&(e, _)| (m.edges[e as usize].task as usize, e));
        let left_out = || {
            d.left_out.iter().find_map(|&t| {
                let t = t as usize;
                m.task_edges(t)
                    .find(|&e| self.st.open(m, e))
                    .map(|e| (t, e as u32))
            })
        };
        // Nothing left to branch on: the relaxation's solution is the node's only assignment.
        assigned.or_else(left_out).ok_or(cost)
    }

    fn task_has_option(&self, t: usize) -> bool {
        self.m.penalty[t].is_some() || self.m.task_edges(t).any(|e| !self.st.forbidden[e])
    }

    /// Forbids edges that cannot be in an assignment below the cutoff, and
    /// fixes edges that must be; false when the node holds none.
    fn fix_by_sensitivity(&mut self, asc: &Ascent) -> bool {
        let m = self.m;
        let cutoff = self.cutoff();
        let room = cutoff - asc.bound;
        let mut forced: Vec<(usize, u32)> = Vec::new();
        let agents = if cutoff.is_finite() { m.cap.len() } else { 0 };
        for a in 0..agents {
            // Fixing by an agent's tables is sound on its own: stop between agents when spent.
            if self.spent() {
                break;
            }
            let shift = m.group_of[a].map_or(0.0, |g| asc.mu[g as usize]);
            self.collect_items(a, &asc.lambda, &asc.mu);
            let budget = &self.budget;
            let exact = m.integral[a]
                && self
                    .sens
                    .compute(&self.items, self.st.room(m, a), |cells| budget.spend(cells));
            if exact {
                let best = self.sens.best();
                for (k, it) in self.items.iter().enumerate() {
                    let e = it.edge as usize;
                    if best - self.sens.with[k] >= room {
                        self.st.forbid(e);
                    } else if best - self.sens.without[k] >= room {
                        forced.push((m.edges[e].task as usize, it.edge));
                    }
                }
            }
            for edge in m.of_agent(a) {
                let e = edge.edge as usize;
                if !self.st.open(m, e) {
                    continue;
                }
                let re = edge.cost - asc.lambda[edge.task as usize] + shift;
                if re < 0.0 && edge.load <= self.st.room(m, a) {
                    continue;
                }
                // Forcing an item that was not worth taking: its reduced cost plus the capacity it takes.
                let loss = if exact {
                    re + self.sens.best() - self.sens.within(edge.load)
                } else {
                    re
                };
                if loss >= room {
                    self.st.forbid(e);
                }
            }
        }
        forced.sort_unstable();
        for w in forced.windows(2) {
            if w[0].0 == w[1].0 && w[0].1 != w[1].1 {
                return false;
            }
        }
        forced.dedup();
        for (t, e) in forced {
            if self.st.fixed[t] == FREE && !self.st.forbidden[e as usize] && !self.st.fix(m, t, e) {
                return false;
            }
        }
        // Tasks left with no option, or with one.
        for t in 0..m.tasks() {
            if self.st.fixed[t] != FREE {
                continue;
            }
            let mut open = m.task_edges(t).filter(|&e| !self.st.forbidden[e]);
            let one = open.next();
            let two = open.next();
            let only = match (one, two, m.penalty[t].is_some()) {
                (None, _, false) => return false,
                (None, _, true) => Some(LEFT_OUT),
                (Some(e), None, false) => Some(e as u32),
                _ => None,
            };
            if let Some(option) = only
                && !self.st.fix(m, t, option)
            {
                return false;
            }
        }
        true
    }

    /// A free task the relaxation does not cover exactly once, and the edge to branch on.
    fn branching(&self, asc: &Ascent) -> Option<(usize, u32)> {
        let m = self.m;
        let d = &asc.dual;
        let mut pick: Option<(f64, usize)> = None;
        for t in 0..m.tasks() {
            if self.st.fixed[t] != FREE {
                continue;
            }
            let v = (1.0 - d.cover[t]).abs();
            if v < 1e-9 {
                continue;
            }
            let heavy = m.edges[m.task_edges(t)]
                .iter()
                .map(|e| e.load / m.cap[e.agent as usize].max(1e-9))
                .fold(0.0, f64::max);
            let score = v + heavy;
            if pick.is_none_or(|(s, _)| score > s) {
                pick = Some((score, t));
            }
        }
        let Some((_, t)) = pick else {
            // Covered exactly once everywhere: fractional covers still need a branch.
            return d
                .chosen
                .iter()
                .find(|&&(e, f)| f < 1.0 - 1e-9 && self.st.open(m, e as usize))
                .map(|&(e, _)| (m.edges[e as usize].task as usize, e));
        };
        let r = |e: usize| {
            let edge = m.edges[e];
            edge.cost - asc.lambda[t]
                + m.group_of[edge.agent as usize].map_or(0.0, |g| asc.mu[g as usize])
        };
        let chosen = d
            .chosen
            .iter()
            .filter(|&&(e, _)| {
                m.edges[e as usize].task as usize == t && !self.st.forbidden[e as usize]
            })
            .map(|&(e, _)| e as usize);
        let over = d.cover[t] > 1.0 && chosen.clone().next().is_some();
        let candidates: Box<dyn Iterator<Item = usize>> = if over {
            Box::new(chosen)
        } else {
            Box::new(m.task_edges(t).filter(|&e| {
                !self.st.forbidden[e]
                    && m.edges[e].load <= self.st.room(m, m.edges[e].agent as usize)
            }))
        };
        let e = candidates.min_by(|&a, &b| r(a).total_cmp(&r(b)).then(a.cmp(&b)));
        match e {
            Some(e) => Some((t, e as u32)),
            // No open edge fits: the only way is to forbid them all, which the child does.
            None => m
                .task_edges(t)
                .find(|&e| !self.st.forbidden[e])
                .map(|e| (t, e as u32)),
        }
    }

    fn finish(self, p: &AssignmentProblem, started: Instant) -> Solution {
        let m = self.m;
        let seconds = started.elapsed().as_secs_f64();
        // Every assignment lies in a node closed by its bound or left open.
        let mut bound = if self.proven > f64::NEG_INFINITY {
            self.root_bound.max(self.proven)
        } else {
            self.root_bound.max(self.closed_min.min(self.open_min))
        };
        // Nodes closed by the cutoff have bound `cost − 1 + CUTOFF_MARGIN`:
        // a tolerance as wide as the margin would round that down to `cost − 1`.
        if m.integral_costs && bound.is_finite() {
            bound = (bound - CUTOFF_MARGIN / 2.0).ceil();
        }
        let Some(best) = self.best else {
            let status = if self.complete && !self.timed_out && bound == f64::INFINITY {
                Status::Infeasible(
                    "no assignment meets every capacity (proved by branch and bound)".into(),
                )
            } else {
                Status::Infeasible(format!(
                    "no feasible assignment found{}; the problem may still have one",
                    if self.timed_out {
                        " within the time or work limit"
                    } else {
                        ""
                    }
                ))
            };
            return Solution {
                agent_of: vec![None; p.tasks()],
                cost: f64::INFINITY,
                lower_bound: bound,
                status,
                seconds,
            };
        };
        let agent_of: Vec<Option<u32>> = best
            .iter()
            .map(|&o| (o != LEFT_OUT).then(|| m.edges[o as usize].agent))
            .collect();
        let cost = p.evaluate(&agent_of).unwrap_or(self.best_cost);
        let bound = bound.min(cost);
        // Optimal within a relative 1e-6, the tolerance MIP solvers report optimality at.
        let status = if cost - bound <= OPTIMAL_GAP * cost.abs().max(1.0) {
            Status::Optimal
        } else {
            Status::Feasible
        };
        Solution {
            agent_of,
            cost,
            lower_bound: bound,
            status,
            seconds,
        }
    }
}

/// The smallest and second-smallest of some costs (∞ where there are too few).
fn two_smallest(costs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut a, mut b) = (f64::INFINITY, f64::INFINITY);
    for c in costs {
        if c < a {
            b = a;
            a = c;
        } else if c < b {
            b = c;
        }
    }
    (a, b)
}
