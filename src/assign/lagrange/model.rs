//! The problem in the layout the relaxation reads: each agent's edges in
//! one contiguous array, integrality flags, cheapest options and a dense
//! edge table for small problems; and how a task's option is encoded.

use crate::assign::problem::{AssignmentProblem, Edge};

/// Problems of more tasks than this are large: cheaper local search, fewer heuristic calls.
pub(super) const LARGE: usize = 20_000;

/// A task not yet fixed.
pub(super) const FREE: u32 = u32::MAX;
/// A task fixed to stay unassigned (at its penalty).
pub(super) const LEFT_OUT: u32 = u32::MAX - 1;

/// The problem in the layout the relaxation needs.
pub(super) struct Model<'a> {
    pub problem: &'a AssignmentProblem,
    pub edges: &'a [Edge],
    /// The edges of each agent in one contiguous array (agent `a`'s are
    /// `agent_edges[agent_first[a]..agent_first[a + 1]]`), so a relaxation
    /// reads them in order rather than chasing indices.
    pub agent_edges: Vec<AgentEdge>,
    pub agent_first: Vec<usize>,
    pub cap: &'a [f64],
    pub penalty: &'a [Option<f64>],
    pub group_of: &'a [Option<u32>],
    pub group_cap: &'a [u32],
    /// Per agent: loads and capacity are integers, so its knapsack is exact.
    pub integral: Vec<bool>,
    /// Every cost and penalty is an integer.
    pub integral_costs: bool,
    /// The cheapest option of each task (an edge or its penalty).
    pub cheapest: Vec<f64>,
    /// The edge of (task, agent) at `task * agents + agent` (`u32::MAX` if none), for small dense problems.
    pub dense: Vec<u32>,
}

/// The largest task × agent table kept for edge lookups.
const DENSE_CELLS: usize = 1 << 22;

impl<'a> Model<'a> {
    pub fn new(p: &'a AssignmentProblem) -> Model<'a> {
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

    pub fn tasks(&self) -> usize {
        self.problem.tasks()
    }

    pub fn task_edges(&self, t: usize) -> std::ops::Range<usize> {
        self.problem.task_edge_range(t)
    }

    /// The edges of agent `a`, contiguous.
    pub fn of_agent(&self, a: usize) -> &[AgentEdge] {
        &self.agent_edges[self.agent_first[a]..self.agent_first[a + 1]]
    }

    pub fn edge_to(&self, t: usize, agent: u32) -> Option<usize> {
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

    pub fn obviously_infeasible(&self) -> Option<String> {
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

    pub fn option_cost(&self, t: usize, option: u32) -> f64 {
        if option == LEFT_OUT {
            self.penalty[t].unwrap_or(f64::INFINITY)
        } else {
            self.edges[option as usize].cost
        }
    }
}

/// An edge as its agent's relaxation reads it.
#[derive(Debug, Clone, Copy)]
pub(super) struct AgentEdge {
    pub edge: u32,
    pub task: u32,
    pub cost: f64,
    pub load: f64,
}
