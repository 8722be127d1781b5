//! The capacitated assignment problem over sparse candidate edges, and its solutions.

use super::solver::Status;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use serde::Serialize;

/// A candidate: task `task` may go to agent `agent` at `cost`, using `load` of its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Edge {
    /// The task.
    pub task: u32,
    /// The agent.
    pub agent: u32,
    /// What the assignment costs (may be negative, e.g. a profit).
    pub cost: f64,
    /// How much of the agent's capacity it uses (≥ 0).
    pub load: f64,
}

/// A capacitated assignment problem: minimise the cost of assigning tasks to
/// agents along candidate edges, within agent capacities and group capacities
/// (a number of tasks shared by a group of agents), where each task is either
/// assigned or, if it has a penalty, left unassigned at that penalty.
///
/// Knows nothing of geography: a dispatch day, an OR-Library instance and a
/// random test case are all the same numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentProblem {
    tasks: usize,
    capacity: Vec<f64>,
    group_of: Vec<Option<u32>>,
    group_capacity: Vec<u32>,
    penalty: Vec<Option<f64>>,
    /// Sorted by (task, agent).
    edges: Vec<Edge>,
    /// Edges of task `t` are `edges[first[t]..first[t + 1]]`.
    first: Vec<usize>,
}

/// Builds an [`AssignmentProblem`]; [`ProblemBuilder::build`] checks every rule.
#[derive(Debug, Clone, Default)]
pub struct ProblemBuilder {
    tasks: usize,
    capacity: Vec<f64>,
    groups: Vec<(Vec<u32>, u32)>,
    penalties: Vec<(u32, f64)>,
    edges: Vec<Edge>,
}

impl ProblemBuilder {
    /// Adds an agent with a capacity and returns its index.
    pub fn agent(&mut self, capacity: f64) -> u32 {
        self.capacity.push(capacity);
        self.capacity.len() as u32 - 1
    }

    /// Adds agents with these capacities.
    pub fn agents(mut self, capacities: impl IntoIterator<Item = f64>) -> Self {
        self.capacity.extend(capacities);
        self
    }

    /// A group of agents that together take at most `capacity` tasks. An agent belongs to at most one group.
    pub fn group(mut self, agents: impl IntoIterator<Item = u32>, capacity: u32) -> Self {
        self.groups.push((agents.into_iter().collect(), capacity));
        self
    }

    /// A candidate edge.
    pub fn edge(mut self, task: u32, agent: u32, cost: f64, load: f64) -> Self {
        self.edges.push(Edge {
            task,
            agent,
            cost,
            load,
        });
        self
    }

    /// Candidate edges.
    pub fn edges(mut self, edges: impl IntoIterator<Item = Edge>) -> Self {
        self.edges.extend(edges);
        self
    }

    /// Task `task` may stay unassigned at this penalty (by default every task must be assigned).
    pub fn penalty(mut self, task: u32, penalty: f64) -> Self {
        self.penalties.push((task, penalty));
        self
    }

    /// Checks every rule and builds the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem: an index out of range, a
    /// cost or penalty that is not finite, a load or capacity that is negative
    /// or not finite, an agent in two groups, the same (task, agent) twice.
    pub fn build(self) -> Result<AssignmentProblem> {
        let mut problems = Vec::new();
        let mut bad = |entity, id: usize, field: &str, code, message: String| {
            problems.push(Problem::new(code, entity, Some(id as u64), field, message));
        };
        for (a, &c) in self.capacity.iter().enumerate() {
            if !(c.is_finite() && c >= 0.0) {
                bad(
                    "agent",
                    a,
                    "capacity",
                    ProblemCode::OutOfRange,
                    format!("{c} is not a finite number ≥ 0"),
                );
            }
        }
        let mut penalty = vec![None; self.tasks];
        for &(t, p) in &self.penalties {
            match penalty.get_mut(t as usize) {
                None => bad(
                    "task",
                    t as usize,
                    "penalty",
                    ProblemCode::DanglingReference,
                    format!("task {t} of {}", self.tasks),
                ),
                Some(_) if !p.is_finite() => bad(
                    "task",
                    t as usize,
                    "penalty",
                    ProblemCode::OutOfRange,
                    format!("{p} is not finite"),
                ),
                Some(slot) => *slot = Some(p),
            }
        }
        let agents = self.capacity.len();
        let mut group_of = vec![None; agents];
        for (g, (members, _)) in self.groups.iter().enumerate() {
            for &a in members {
                match group_of.get_mut(a as usize) {
                    None => bad(
                        "group",
                        g,
                        "agents",
                        ProblemCode::DanglingReference,
                        format!("unknown agent {a}"),
                    ),
                    Some(Some(other)) if *other != g as u32 => bad(
                        "group",
                        g,
                        "agents",
                        ProblemCode::Inconsistent,
                        format!("agent {a} is also in group {other}"),
                    ),
                    Some(slot) => *slot = Some(g as u32),
                }
            }
        }
        for (i, e) in self.edges.iter().enumerate() {
            if e.task as usize >= self.tasks {
                bad(
                    "edge",
                    i,
                    "task",
                    ProblemCode::DanglingReference,
                    format!("task {} of {}", e.task, self.tasks),
                );
            }
            if e.agent as usize >= agents {
                bad(
                    "edge",
                    i,
                    "agent",
                    ProblemCode::DanglingReference,
                    format!("agent {} of {agents}", e.agent),
                );
            }
            if !e.cost.is_finite() {
                bad(
                    "edge",
                    i,
                    "cost",
                    ProblemCode::OutOfRange,
                    format!("{} is not finite", e.cost),
                );
            }
            if !(e.load.is_finite() && e.load >= 0.0) {
                bad(
                    "edge",
                    i,
                    "load",
                    ProblemCode::OutOfRange,
                    format!("{} is not a finite number ≥ 0", e.load),
                );
            }
        }
        let mut edges = self.edges;
        edges.sort_by_key(|e| (e.task, e.agent));
        for w in edges.windows(2) {
            if (w[0].task, w[0].agent) == (w[1].task, w[1].agent) {
                bad(
                    "task",
                    w[0].task as usize,
                    "edges",
                    ProblemCode::DuplicateId,
                    format!("agent {} is a candidate twice", w[0].agent),
                );
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        let mut first = vec![0; self.tasks + 1];
        for e in &edges {
            first[e.task as usize + 1] += 1;
        }
        for t in 0..self.tasks {
            first[t + 1] += first[t];
        }
        Ok(AssignmentProblem {
            tasks: self.tasks,
            capacity: self.capacity,
            group_of,
            group_capacity: self.groups.iter().map(|g| g.1).collect(),
            penalty,
            edges,
            first,
        })
    }
}

impl AssignmentProblem {
    /// A builder for a problem with this many tasks.
    pub fn builder(tasks: usize) -> ProblemBuilder {
        ProblemBuilder {
            tasks,
            ..ProblemBuilder::default()
        }
    }

    /// Number of tasks.
    pub fn tasks(&self) -> usize {
        self.tasks
    }

    /// Number of agents.
    pub fn agents(&self) -> usize {
        self.capacity.len()
    }

    /// Capacity of each agent.
    pub fn capacities(&self) -> &[f64] {
        &self.capacity
    }

    /// The group of each agent, if any.
    pub fn group_of(&self) -> &[Option<u32>] {
        &self.group_of
    }

    /// How many tasks each group may take.
    pub fn group_capacities(&self) -> &[u32] {
        &self.group_capacity
    }

    /// The penalty of leaving each task unassigned; `None` when it must be assigned.
    pub fn penalties(&self) -> &[Option<f64>] {
        &self.penalty
    }

    /// All edges, sorted by (task, agent).
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The candidate edges of one task.
    pub fn task_edges(&self, task: usize) -> &[Edge] {
        &self.edges[self.task_edge_range(task)]
    }

    /// Where the edges of one task sit in [`AssignmentProblem::edges`].
    pub fn task_edge_range(&self, task: usize) -> std::ops::Range<usize> {
        self.first[task]..self.first[task + 1]
    }

    /// The cheapest option of one task: its cheapest edge, or its penalty if
    /// lower (∞ when it has neither).
    pub fn cheapest_option(&self, task: usize) -> f64 {
        self.task_edges(task)
            .iter()
            .map(|e| e.cost)
            .fold(self.penalty[task].unwrap_or(f64::INFINITY), f64::min)
    }

    /// The sum of every task's cheapest option: a lower bound that ignores capacities.
    pub fn trivial_bound(&self) -> f64 {
        (0..self.tasks).map(|t| self.cheapest_option(t)).sum()
    }

    /// Whether every edge uses one unit of capacity.
    pub fn unit_loads(&self) -> bool {
        self.edges.iter().all(|e| e.load == 1.0)
    }

    /// The cost of an assignment (task → agent or unassigned), or why it is not feasible.
    ///
    /// # Errors
    /// A message naming the first broken rule: wrong length, a task on an agent
    /// that is not its candidate, an unassigned task without a penalty, an
    /// agent or group over capacity.
    pub fn evaluate(&self, agent_of: &[Option<u32>]) -> std::result::Result<f64, String> {
        if agent_of.len() != self.tasks {
            return Err(format!(
                "{} tasks in the assignment, {} in the problem",
                agent_of.len(),
                self.tasks
            ));
        }
        let mut cost = 0.0;
        let mut used = vec![0.0; self.agents()];
        let mut count = vec![0u32; self.group_capacity.len()];
        for (t, a) in agent_of.iter().enumerate() {
            match a {
                None => match self.penalty[t] {
                    Some(p) => cost += p,
                    None => return Err(format!("task {t} must be assigned")),
                },
                Some(a) => {
                    let Ok(i) = self.task_edges(t).binary_search_by_key(a, |e| e.agent) else {
                        return Err(format!("agent {a} is not a candidate of task {t}"));
                    };
                    let e = self.task_edges(t)[i];
                    cost += e.cost;
                    used[*a as usize] += e.load;
                    if let Some(g) = self.group_of[*a as usize] {
                        count[g as usize] += 1;
                    }
                }
            }
        }
        for (a, (&u, &c)) in used.iter().zip(&self.capacity).enumerate() {
            if u > c + 1e-9 * c.abs().max(1.0) {
                return Err(format!("agent {a} carries {u} of capacity {c}"));
            }
        }
        for (g, (&n, &c)) in count.iter().zip(&self.group_capacity).enumerate() {
            if n > c {
                return Err(format!("group {g} takes {n} tasks, capacity {c}"));
            }
        }
        Ok(cost)
    }
}

/// A solution: the assignment, its cost, a lower bound on every feasible cost, and the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// The agent of each task, or `None` when it is left unassigned.
    pub agent_of: Vec<Option<u32>>,
    /// Cost of the assignment, penalties included.
    pub cost: f64,
    /// No feasible assignment costs less.
    pub lower_bound: f64,
    /// How the solve ended.
    pub status: Status,
    /// Wall-clock seconds the solve took.
    pub seconds: f64,
}

impl Solution {
    /// The relative [`gap`](super::gap) between cost and lower bound; 0 when optimal.
    pub fn gap(&self) -> f64 {
        super::solver::gap(self.cost, self.lower_bound)
    }
}

/// A solver of [`AssignmentProblem`]s.
///
/// Implementers must return an assignment that [`AssignmentProblem::evaluate`]
/// accepts at the reported cost (unless the status is infeasible), and a lower
/// bound no feasible assignment beats.
pub trait AssignmentSolver: Send + Sync {
    /// A short name, e.g. `flow`.
    fn name(&self) -> &str;

    /// Solves the problem.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when the solver does not apply to the problem
    /// (say, a unit-load method on general loads). Infeasibility is a status, not an error.
    fn solve(&self, problem: &AssignmentProblem) -> Result<Solution>;
}
