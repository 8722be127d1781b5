//! The residual network of a unit-load problem, kept implicitly.
//!
//! Nodes are numbered tasks, then agents, then groups, then the sink. Arcs are
//! not stored: a task's forward arcs are its candidate edges (less the one it
//! uses) and its penalty arc (unless it uses it); an agent's are its arc up
//! to its group or the sink (while it has room) and, backwards, the edges of
//! the tasks it holds; a group's are its arc to the sink (while it has room)
//! and, backwards, its agents that hold a task. So leaving an agent costs its
//! load, not its number of candidate edges.

use crate::assign::problem::AssignmentProblem;
use std::ops::Range;

/// A task's route while it has none yet (or cannot have one).
pub(super) const UNROUTED: u32 = u32::MAX;
/// A task's route when it stays out, at its penalty.
pub(super) const AT_PENALTY: u32 = u32::MAX - 1;

/// What a node id stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Node {
    Task(usize),
    Agent(usize),
    Group(usize),
    Sink,
}

/// The problem's arcs with the current flow on them.
pub(super) struct Residual {
    tasks: usize,
    agents: usize,
    /// The candidate edges of task `t` are `first[t]..first[t + 1]`.
    first: Vec<u32>,
    /// Per edge: the agent's node id, the task and the cost.
    edge_node: Vec<u32>,
    edge_task: Vec<u32>,
    edge_cost: Vec<f64>,
    /// Per task: its penalty, ∞ when it must be assigned.
    penalty: Vec<f64>,
    /// Per task: the edge it uses, [`AT_PENALTY`] or [`UNROUTED`], and
    /// where that edge sits in `held` when it is an edge.
    route: Vec<u32>,
    held_pos: Vec<u32>,
    /// Per agent: its slots (⌊capacity⌋, at most its number of edges), the
    /// node its capacity arc leads to (its group or the sink), and the edges
    /// of the tasks it holds: `held[held_start[a]..][..load[a]]`.
    capacity: Vec<u32>,
    up: Vec<u32>,
    held_start: Vec<u32>,
    held: Vec<u32>,
    load: Vec<u32>,
    /// Per group: its task limit, the tasks its agents hold, and its agents
    /// `members[members_start[g]..members_start[g + 1]]`.
    group_capacity: Vec<u32>,
    group_load: Vec<u32>,
    members_start: Vec<u32>,
    members: Vec<u32>,
}

impl Residual {
    /// The problem's network with no flow: every task unrouted.
    pub(super) fn new(p: &AssignmentProblem) -> Residual {
        let (n, m, g) = (p.tasks(), p.agents(), p.group_capacities().len());
        let sink = (n + m + g) as u32;
        let edges = p.edges();
        let first = (0..n)
            .map(|t| p.task_edge_range(t).start as u32)
            .chain([edges.len() as u32])
            .collect();
        let mut degree = vec![0u32; m];
        for e in edges {
            degree[e.agent as usize] += 1;
        }
        let capacity: Vec<u32> = p
            .capacities()
            .iter()
            .zip(&degree)
            .map(|(&c, &d)| (c.floor().min(n as f64) as u32).min(d))
            .collect();
        let held_start = starts(capacity.iter().copied());
        let mut members_start = vec![0u32; g + 1];
        for &k in p.group_of().iter().flatten() {
            members_start[k as usize + 1] += 1;
        }
        for k in 0..g {
            members_start[k + 1] += members_start[k];
        }
        let mut members = vec![0u32; members_start[g] as usize];
        let mut fill = members_start.clone();
        for (a, k) in p.group_of().iter().enumerate() {
            if let Some(k) = k {
                members[fill[*k as usize] as usize] = a as u32;
                fill[*k as usize] += 1;
            }
        }
        Residual {
            tasks: n,
            agents: m,
            first,
            edge_node: edges.iter().map(|e| (n as u32) + e.agent).collect(),
            edge_task: edges.iter().map(|e| e.task).collect(),
            edge_cost: edges.iter().map(|e| e.cost).collect(),
            penalty: p
                .penalties()
                .iter()
                .map(|x| x.unwrap_or(f64::INFINITY))
                .collect(),
            route: vec![UNROUTED; n],
            held_pos: vec![0; n],
            up: p
                .group_of()
                .iter()
                .map(|k| k.map_or(sink, |k| (n + m) as u32 + k))
                .collect(),
            held: vec![0; held_start[m] as usize],
            held_start,
            capacity,
            load: vec![0; m],
            group_capacity: p.group_capacities().to_vec(),
            group_load: vec![0; g],
            members_start,
            members,
        }
    }

    /// Number of nodes.
    pub(super) fn nodes(&self) -> usize {
        self.sink() + 1
    }

    /// The sink's node id.
    pub(super) fn sink(&self) -> usize {
        self.tasks + self.agents + self.group_capacity.len()
    }

    /// Number of tasks (their node ids are `0..tasks`).
    pub(super) fn tasks(&self) -> usize {
        self.tasks
    }

    /// What node `v` stands for.
    #[inline]
    pub(super) fn node(&self, v: usize) -> Node {
        if v < self.tasks {
            Node::Task(v)
        } else if v < self.tasks + self.agents {
            Node::Agent(v - self.tasks)
        } else if v < self.sink() {
            Node::Group(v - self.tasks - self.agents)
        } else {
            Node::Sink
        }
    }

    /// The node id of agent `a`.
    #[inline]
    pub(super) fn agent_node(&self, a: usize) -> usize {
        self.tasks + a
    }

    /// The candidate edges of task `t`.
    #[inline]
    pub(super) fn options(&self, t: usize) -> Range<usize> {
        self.first[t] as usize..self.first[t + 1] as usize
    }

    /// The node id of edge `e`'s agent.
    #[inline]
    pub(super) fn edge_node(&self, e: usize) -> usize {
        self.edge_node[e] as usize
    }

    /// Edge `e`'s task.
    #[inline]
    pub(super) fn edge_task(&self, e: usize) -> usize {
        self.edge_task[e] as usize
    }

    /// Edge `e`'s cost.
    #[inline]
    pub(super) fn edge_cost(&self, e: usize) -> f64 {
        self.edge_cost[e]
    }

    /// Task `t`'s penalty, ∞ when it must be assigned.
    #[inline]
    pub(super) fn penalty(&self, t: usize) -> f64 {
        self.penalty[t]
    }

    /// Task `t`'s route: an edge, [`AT_PENALTY`] or [`UNROUTED`].
    #[inline]
    pub(super) fn route(&self, t: usize) -> u32 {
        self.route[t]
    }

    /// Whether agent `a` can take one more task.
    #[inline]
    pub(super) fn agent_has_room(&self, a: usize) -> bool {
        self.load[a] < self.capacity[a]
    }

    /// Whether agent `a` holds a task.
    #[inline]
    pub(super) fn agent_holds_any(&self, a: usize) -> bool {
        self.load[a] > 0
    }

    /// The node agent `a`'s capacity arc leads to: its group or the sink.
    #[inline]
    pub(super) fn up(&self, a: usize) -> usize {
        self.up[a] as usize
    }

    /// The edges of the tasks agent `a` holds.
    #[inline]
    pub(super) fn held(&self, a: usize) -> &[u32] {
        let start = self.held_start[a] as usize;
        &self.held[start..start + self.load[a] as usize]
    }

    /// Whether group `k` can take one more task.
    #[inline]
    pub(super) fn group_has_room(&self, k: usize) -> bool {
        self.group_load[k] < self.group_capacity[k]
    }

    /// The agents of group `k`.
    #[inline]
    pub(super) fn members(&self, k: usize) -> &[u32] {
        &self.members[self.members_start[k] as usize..self.members_start[k + 1] as usize]
    }

    /// Whether a unit can go from node `v` (an agent's up node) on to the
    /// sink: `v` is the sink, or a group with room.
    #[inline]
    pub(super) fn up_has_room(&self, v: usize) -> bool {
        match self.node(v) {
            Node::Group(k) => self.group_has_room(k),
            _ => true,
        }
    }

    /// Counts one more task through group `k`'s arc to the sink.
    pub(super) fn fill_group(&mut self, k: usize) {
        self.group_load[k] += 1;
    }

    /// Moves task `t` to edge `to` (or to [`AT_PENALTY`]), off its current edge if any.
    ///
    /// Only the tasks' and agents' arcs change; the caller counts a new unit
    /// through a group's arc to the sink with [`Residual::fill_group`].
    pub(super) fn move_task(&mut self, t: usize, to: u32) {
        let from = self.route[t];
        if from != UNROUTED && from != AT_PENALTY {
            // Swap the last held edge into the task's place.
            let a = self.edge_node[from as usize] as usize - self.tasks;
            let last = (self.held_start[a] + self.load[a] - 1) as usize;
            let (i, moved) = (self.held_pos[t] as usize, self.held[last]);
            self.held[i] = moved;
            self.held_pos[self.edge_task[moved as usize] as usize] = i as u32;
            self.load[a] -= 1;
        }
        self.route[t] = to;
        if to != UNROUTED && to != AT_PENALTY {
            let a = self.edge_node[to as usize] as usize - self.tasks;
            let i = self.held_start[a] + self.load[a];
            self.held[i as usize] = to;
            self.held_pos[t] = i;
            self.load[a] += 1;
        }
    }
}

/// Prefix sums: where each run of `lengths` starts, and the total last.
fn starts(lengths: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut out = vec![0];
    let mut total = 0;
    for len in lengths {
        total += len;
        out.push(total);
    }
    out
}
