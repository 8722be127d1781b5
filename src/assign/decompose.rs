//! Decomposition: split a problem into its independent parts and solve them in parallel.
//!
//! Tasks and agents are the nodes of the candidate graph, edges join them,
//! and the agents of one group are joined too (they share a task limit). Two
//! parts with no path between them share no constraint, so their optima add
//! up to the optimum of the whole. A national day falls apart into regions;
//! each region is solved on its own, on every core.

use super::problem::{AssignmentProblem, AssignmentSolver, Edge, Solution};
use super::solver::Status;
use crate::error::{Error, ErrorKind, Result};
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use std::ops::Range;
use std::time::Instant;

/// One independent part of an [`AssignmentProblem`]: the tasks, agents and
/// groups that are connected by candidate edges or by group membership.
///
/// Ids are those of the original problem, in ascending order; the part's own
/// sub-problem numbers them by position in these lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Component {
    /// The tasks of the part, ascending.
    pub tasks: Vec<u32>,
    /// The agents of the part, ascending.
    pub agents: Vec<u32>,
    /// The groups whose agents are in the part, ascending.
    pub groups: Vec<u32>,
}

/// The independent parts of a problem.
///
/// Every task and every agent is in exactly one part: a task without
/// candidate edges is a part of its own, and so is an agent without edges
/// outside any group. A group with no agents is in no part.
///
/// # Returns
/// The parts ordered by their smallest task; parts without tasks (idle
/// agents) come last, ordered by their smallest agent.
///
/// # Complexity
/// `O((T + A + E) · α)` for `T` tasks, `A` agents and `E` edges (union-find).
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, components};
/// // Tasks 0 and 2 share agent 1; task 1 has only agent 0; agent 2 is idle.
/// let p = AssignmentProblem::builder(3)
///     .agents([1.0, 2.0, 1.0])
///     .edge(0, 1, 1.0, 1.0).edge(2, 1, 1.0, 1.0).edge(1, 0, 1.0, 1.0)
///     .build()?;
/// let parts = components(&p);
/// assert_eq!(parts.len(), 3);
/// assert_eq!((parts[0].tasks.as_slice(), parts[0].agents.as_slice()), (&[0, 2][..], &[1][..]));
/// assert_eq!((parts[1].tasks.as_slice(), parts[1].agents.as_slice()), (&[1][..], &[0][..]));
/// assert_eq!((parts[2].tasks.as_slice(), parts[2].agents.as_slice()), (&[][..], &[2][..]));
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn components(problem: &AssignmentProblem) -> Vec<Component> {
    split(problem).parts
}

/// The parts, and where each task, agent and group sits within its part.
struct Split {
    parts: Vec<Component>,
    task_pos: Vec<u32>,
    agent_pos: Vec<u32>,
    group_pos: Vec<u32>,
}

fn split(p: &AssignmentProblem) -> Split {
    let (n, m) = (p.tasks(), p.agents());
    let mut uf = UnionFind::<usize>::new(n + m);
    for e in p.edges() {
        uf.union(e.task as usize, n + e.agent as usize);
    }
    let mut first_member: Vec<Option<usize>> = vec![None; p.group_capacities().len()];
    for (a, g) in p.group_of().iter().enumerate() {
        if let Some(slot) = g.and_then(|g| first_member.get_mut(g as usize)) {
            match *slot {
                None => *slot = Some(a),
                Some(b) => {
                    uf.union(n + a, n + b);
                }
            }
        }
    }
    let root = uf.into_labeling();
    let mut part_of_root = vec![usize::MAX; n + m];
    let mut part_of = vec![0usize; n + m];
    let mut parts: Vec<Component> = Vec::new();
    let mut task_pos = vec![0u32; n];
    let mut agent_pos = vec![0u32; m];
    for (v, &r) in root.iter().enumerate() {
        if part_of_root[r] == usize::MAX {
            part_of_root[r] = parts.len();
            parts.push(Component::default());
        }
        let k = part_of_root[r];
        part_of[v] = k;
        let part = &mut parts[k];
        if v < n {
            task_pos[v] = part.tasks.len() as u32;
            part.tasks.push(v as u32);
        } else {
            agent_pos[v - n] = part.agents.len() as u32;
            part.agents.push((v - n) as u32);
        }
    }
    let mut group_pos = vec![0u32; first_member.len()];
    for (g, first) in first_member.iter().enumerate() {
        if let Some(a) = first {
            let part = &mut parts[part_of[n + a]];
            group_pos[g] = part.groups.len() as u32;
            part.groups.push(g as u32);
        }
    }
    // Parts were numbered by their smallest node, tasks first: the order documented.
    Split {
        parts,
        task_pos,
        agent_pos,
        group_pos,
    }
}

/// Solves each independent part of a problem with an inner solver, in
/// parallel (rayon), and merges the parts' solutions.
///
/// The merged solution maps every part's assignment back to the original ids;
/// its cost and lower bound are the sums over the parts; it is
/// [`Status::Optimal`] when every part is, [`Status::Infeasible`] when any
/// part is (with that part's reason, ids translated back), and
/// [`Status::Feasible`] otherwise; `seconds` is the wall time of the whole
/// solve. Parts are merged in the order of [`components`], so the result does
/// not depend on which thread finishes first.
///
/// A part with a single task is solved directly, without the inner solver:
/// the cheapest candidate whose agent (and group) has room for it, or its
/// penalty when that is cheaper (a candidate wins ties). So a day of 100,000
/// isolated tasks costs no 100,000 solver set-ups. For many small parts of
/// several tasks, [`Decomposed::batch_tasks`] packs them into fewer
/// sub-problems.
///
/// The inner solver's own limits apply to each sub-problem: a time limit of
/// 10 s on a MIP may take 10 s per part, spread over the cores.
///
/// Translating an inner reason back rewrites each number that follows the
/// word `task`, `agent` or `group`; a reason is also prefixed by the part it
/// comes from.
///
/// # Complexity
/// Splitting is near-linear; then the inner solver's cost on each part,
/// spread over the cores.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, AssignmentSolver, Decomposed, MinCostFlow, Status};
/// // Two regions that share nothing: tasks 0, 1 with agents 0, 1; task 2 with agent 2.
/// let p = AssignmentProblem::builder(3)
///     .agents([1.0, 1.0, 1.0])
///     .edge(0, 0, 1.0, 1.0).edge(0, 1, 5.0, 1.0)
///     .edge(1, 0, 2.0, 1.0).edge(1, 1, 3.0, 1.0)
///     .edge(2, 2, 7.0, 1.0)
///     .build()?;
/// let solver = Decomposed::new(MinCostFlow);
/// assert_eq!(solver.name(), "decomposed(flow)");
/// let s = solver.solve(&p)?;
/// assert_eq!((s.cost, s.status), (11.0, Status::Optimal));
/// assert_eq!(s.agent_of, [Some(0), Some(1), Some(2)]);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposed<S> {
    inner: S,
    name: String,
    batch_tasks: usize,
}

impl<S: AssignmentSolver> Decomposed<S> {
    /// Solves each part with `inner`, one sub-problem per part (no batching).
    pub fn new(inner: S) -> Self {
        let name = format!("decomposed({})", inner.name());
        Decomposed {
            inner,
            name,
            batch_tasks: 0,
        }
    }

    /// Packs runs of consecutive parts with fewer than `tasks` tasks each into
    /// one sub-problem of about `tasks` tasks (default 0: no packing).
    ///
    /// Packing saves the inner solver's set-up on many small parts, and suits
    /// a solver whose time grows about linearly with size, such as
    /// [`MinCostFlow`](super::MinCostFlow) (say, `batch_tasks(256)`). It does
    /// not suit a MIP, whose branching on packed parts can multiply.
    pub fn batch_tasks(mut self, tasks: usize) -> Self {
        self.batch_tasks = tasks;
        self
    }

    /// The solver of each part.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Solves the parts `parts` as one sub-problem; the assignment is in
    /// original agent ids, aligned with the parts' tasks one after another,
    /// and a reason names original ids.
    fn solve_job(
        &self,
        p: &AssignmentProblem,
        split: &Split,
        parts: &[Component],
    ) -> Result<Solution> {
        let merged;
        let whole = match parts {
            [part] => match part.tasks.as_slice() {
                [] => {
                    return Ok(Solution {
                        agent_of: Vec::new(),
                        cost: 0.0,
                        lower_bound: 0.0,
                        status: Status::Optimal,
                        seconds: 0.0,
                    });
                }
                &[t] => return Ok(alone(p, t as usize)),
                _ => part,
            },
            _ => {
                merged = Component {
                    tasks: parts.iter().flat_map(|c| &c.tasks).copied().collect(),
                    agents: parts.iter().flat_map(|c| &c.agents).copied().collect(),
                    groups: parts.iter().flat_map(|c| &c.groups).copied().collect(),
                };
                &merged
            }
        };
        let sub = subproblem(p, split, parts)?;
        let mut s = self.inner.solve(&sub).map_err(|e| in_part(e, whole))?;
        for a in &mut s.agent_of {
            *a = a.and_then(|a| whole.agents.get(a as usize).copied());
        }
        if let Status::Infeasible(reason) = &s.status {
            let packed = match parts.len() {
                1 => String::new(),
                k => format!("{k} parts solved together, "),
            };
            s.status = Status::Infeasible(format!(
                "in the part of task {} ({packed}{} tasks, {} agents): {}",
                whole.tasks.first().map_or(0, |&t| t),
                whole.tasks.len(),
                whole.agents.len(),
                translate(reason, whole)
            ));
        }
        Ok(s)
    }

    /// The parts solved together, as ranges of `parts`, in order; task-less parts are left out.
    fn jobs(&self, parts: &[Component]) -> Vec<Range<usize>> {
        let mut jobs = Vec::new();
        let mut run: Option<(usize, usize)> = None; // (first part, tasks so far)
        for (k, part) in parts.iter().enumerate() {
            let n = part.tasks.len();
            if n == 0 {
                continue;
            }
            if n >= self.batch_tasks {
                if let Some((first, _)) = run.take() {
                    jobs.push(first..k);
                }
                jobs.push(k..k + 1);
                continue;
            }
            let (first, tasks) = run.get_or_insert((k, 0));
            *tasks += n;
            if *tasks >= self.batch_tasks {
                jobs.push(*first..k + 1);
                run = None;
            }
        }
        if let Some((first, _)) = run {
            // Task-less parts come last, so the run ends at the last part with tasks.
            let end = parts
                .iter()
                .rposition(|c| !c.tasks.is_empty())
                .map_or(first, |k| k + 1);
            jobs.push(first..end);
        }
        jobs
    }
}

impl<S: AssignmentSolver> AssignmentSolver for Decomposed<S> {
    fn name(&self) -> &str {
        &self.name
    }

    fn solve(&self, p: &AssignmentProblem) -> Result<Solution> {
        let started = Instant::now();
        let split = split(p);
        let jobs = self.jobs(&split.parts);
        let solved: Vec<Result<Solution>> = jobs
            .par_iter()
            .map(|job| self.solve_job(p, &split, &split.parts[job.clone()]))
            .collect();
        let mut agent_of = vec![None; p.tasks()];
        let (mut cost, mut lower_bound) = (0.0, 0.0);
        let mut all_optimal = true;
        let mut infeasible: Option<String> = None;
        let mut more_infeasible = 0usize;
        for (job, s) in jobs.into_iter().zip(solved) {
            let s = s?;
            let tasks = split.parts[job].iter().flat_map(|c| &c.tasks);
            for (&t, a) in tasks.zip(s.agent_of) {
                agent_of[t as usize] = a;
            }
            cost += s.cost;
            lower_bound += s.lower_bound;
            match s.status {
                Status::Optimal => {}
                Status::Feasible => all_optimal = false,
                Status::Infeasible(reason) => {
                    if infeasible.is_none() {
                        infeasible = Some(reason);
                    } else {
                        more_infeasible += 1;
                    }
                }
            }
        }
        let status = match infeasible {
            Some(reason) if more_infeasible > 0 => Status::Infeasible(format!(
                "{reason} (and {more_infeasible} other part(s) are infeasible)"
            )),
            Some(reason) => Status::Infeasible(reason),
            None if all_optimal => Status::Optimal,
            None => Status::Feasible,
        };
        Ok(Solution {
            agent_of,
            cost,
            lower_bound,
            status,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// A task alone in its part: its cheapest candidate with room, or its penalty.
fn alone(p: &AssignmentProblem, t: usize) -> Solution {
    let fits = |e: &Edge| {
        let cap = p.capacities()[e.agent as usize];
        let group_room = p.group_of()[e.agent as usize].is_none_or(|g| {
            p.group_capacities()
                .get(g as usize)
                .is_some_and(|&c| c >= 1)
        });
        e.load <= cap + 1e-9 * cap.abs().max(1.0) && group_room
    };
    let best =
        p.task_edges(t)
            .iter()
            .filter(|e| fits(e))
            .fold(None::<&Edge>, |best, e| match best {
                Some(b) if b.cost <= e.cost => Some(b),
                _ => Some(e),
            });
    let penalty = p.penalties()[t];
    let (agent, cost, status) = match (best, penalty) {
        (Some(e), Some(pen)) if pen < e.cost => (None, pen, Status::Optimal),
        (Some(e), _) => (Some(e.agent), e.cost, Status::Optimal),
        (None, Some(pen)) => (None, pen, Status::Optimal),
        (None, None) if p.task_edges(t).is_empty() => (
            None,
            f64::INFINITY,
            Status::Infeasible(format!(
                "task {t} has no candidate agent and may not stay unassigned"
            )),
        ),
        (None, None) => (
            None,
            f64::INFINITY,
            Status::Infeasible(format!(
                "task {t} may not stay unassigned, but none of its candidate agents has room for it"
            )),
        ),
    };
    Solution {
        agent_of: vec![agent],
        cost,
        lower_bound: cost,
        status,
        seconds: 0.0,
    }
}

/// The sub-problem of consecutive parts, numbered by position in the parts'
/// lists put one after another.
fn subproblem(
    p: &AssignmentProblem,
    split: &Split,
    parts: &[Component],
) -> Result<AssignmentProblem> {
    let tasks = parts.iter().map(|c| c.tasks.len()).sum();
    let mut b = AssignmentProblem::builder(tasks).agents(
        parts
            .iter()
            .flat_map(|c| &c.agents)
            .map(|&a| p.capacities()[a as usize]),
    );
    let (mut task0, mut agent0) = (0u32, 0u32);
    for part in parts {
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); part.groups.len()];
        for (i, &a) in part.agents.iter().enumerate() {
            if let Some(g) = p.group_of()[a as usize]
                && let Some(list) = members.get_mut(split.group_pos[g as usize] as usize)
            {
                list.push(agent0 + i as u32);
            }
        }
        for (&g, list) in part.groups.iter().zip(members) {
            b = b.group(list, p.group_capacities()[g as usize]);
        }
        for &t in &part.tasks {
            let local = task0 + split.task_pos[t as usize];
            if let Some(pen) = p.penalties()[t as usize] {
                b = b.penalty(local, pen);
            }
            b = b.edges(p.task_edges(t as usize).iter().map(|e| Edge {
                task: local,
                agent: agent0 + split.agent_pos[e.agent as usize],
                ..*e
            }));
        }
        task0 += part.tasks.len() as u32;
        agent0 += part.agents.len() as u32;
    }
    b.build()
}

/// An inner solver's error, with the part it comes from.
fn in_part(error: Error, part: &Component) -> Error {
    match error.into_kind() {
        ErrorKind::Parameter { name, message } => ErrorKind::Parameter {
            name,
            message: format!(
                "{} (in the part of task {})",
                translate(&message, part),
                part.tasks.first().map_or(0, |&t| t)
            ),
        }
        .into(),
        kind => kind.into(),
    }
}

/// Rewrites the part's own ids in a message to the original ones: each number
/// right after the word `task`, `agent` or `group`.
fn translate(message: &str, part: &Component) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut ids: Option<&[u32]> = None;
    for word in message.split(' ') {
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let original = ids
            .zip(word[..digits].parse::<usize>().ok())
            .and_then(|(ids, i)| ids.get(i))
            .map(|id| format!("{id}{}", &word[digits..]));
        out.push(original.unwrap_or_else(|| word.to_string()));
        ids = match word {
            "task" | "Task" => Some(&part.tasks),
            "agent" | "Agent" => Some(&part.agents),
            "group" | "Group" => Some(&part.groups),
            _ => None,
        };
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_the_numbers_after_task_agent_and_group() {
        let part = Component {
            tasks: vec![10, 11],
            agents: vec![4, 7],
            groups: vec![3],
        };
        assert_eq!(
            translate(
                "task 1 must be assigned; agent 0 carries 5, group 0 full, task 9",
                &part
            ),
            "task 11 must be assigned; agent 4 carries 5, group 3 full, task 9"
        );
    }
}
