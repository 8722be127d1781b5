//! Min-cost flow for unit loads: exact, and fast on national days.
//!
//! When every assignment uses one unit of capacity, the problem is a
//! transportation problem: tasks → agents (capacity ⌊capacity⌋) → groups
//! (their task limit) → sink, plus a task → sink arc at its penalty when it may
//! stay unassigned. Its LP has integral optima, so min-cost flow solves it
//! exactly and the lower bound equals the cost.
//!
//! Tasks are added one at a time; each is routed along a shortest augmenting
//! path in the residual network (Dijkstra on reduced costs, node potentials
//! kept valid after each step, the search stopped as soon as the sink is
//! reached). After every step the flow is optimal for the tasks added so far,
//! so the final flow is optimal.

use super::problem::{AssignmentProblem, AssignmentSolver, Solution, Status};
use crate::error::{ErrorKind, Result};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

/// The min-cost-flow solver for problems whose every edge has load 1.
///
/// # Complexity
/// One Dijkstra per task over the part of the residual network nearer (in
/// reduced cost) than the first free agent: near-linear when capacity is
/// ample, `O(n · E log V)` in the worst case.
///
/// # Example
/// ```
/// use servnet::assign::{AssignmentProblem, AssignmentSolver, MinCostFlow, Status};
/// // Two tasks, two agents of capacity 1; the cheap agent can take only one.
/// let p = AssignmentProblem::builder(2)
///     .agents([1.0, 1.0])
///     .edge(0, 0, 1.0, 1.0).edge(0, 1, 5.0, 1.0)
///     .edge(1, 0, 2.0, 1.0).edge(1, 1, 3.0, 1.0)
///     .build()?;
/// let s = MinCostFlow.solve(&p)?;
/// assert_eq!((s.cost, s.status), (4.0, Status::Optimal)); // 0 → agent 0, 1 → agent 1
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MinCostFlow;

#[derive(Clone, Copy)]
struct Arc {
    to: u32,
    cap: i64,
    cost: f64,
}

struct Network {
    arcs: Vec<Arc>,
    /// Arcs leaving node `v`: `out[start[v]..start[v + 1]]` (indices into `arcs`).
    start: Vec<usize>,
    out: Vec<u32>,
}

impl Network {
    /// Arcs come in pairs: `a` and its reverse `a ^ 1`.
    fn new(nodes: usize, pairs: &[(u32, u32, i64, f64)]) -> Network {
        let mut arcs = Vec::with_capacity(2 * pairs.len());
        let mut degree = vec![0usize; nodes + 1];
        for &(u, v, cap, cost) in pairs {
            arcs.push(Arc { to: v, cap, cost });
            arcs.push(Arc {
                to: u,
                cap: 0,
                cost: -cost,
            });
            degree[u as usize + 1] += 1;
            degree[v as usize + 1] += 1;
        }
        for v in 0..nodes {
            degree[v + 1] += degree[v];
        }
        let mut fill = degree.clone();
        let mut out = vec![0u32; arcs.len()];
        for (i, &(u, v, _, _)) in pairs.iter().enumerate() {
            out[fill[u as usize]] = 2 * i as u32;
            fill[u as usize] += 1;
            out[fill[v as usize]] = 2 * i as u32 + 1;
            fill[v as usize] += 1;
        }
        Network {
            arcs,
            start: degree,
            out,
        }
    }

    fn leaving(&self, v: usize) -> &[u32] {
        &self.out[self.start[v]..self.start[v + 1]]
    }
}

#[derive(PartialEq)]
struct Entry(f64, u32);
impl Eq for Entry {}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl AssignmentSolver for MinCostFlow {
    fn name(&self) -> &str {
        "flow"
    }

    fn solve(&self, p: &AssignmentProblem) -> Result<Solution> {
        let started = Instant::now();
        if !p.unit_loads() {
            return Err(ErrorKind::Parameter {
                name: "problem",
                message: "min-cost flow needs every edge to have load 1".into(),
            }
            .into());
        }
        let (n, m, g) = (p.tasks(), p.agents(), p.group_capacities().len());
        let agent = |a: u32| (n + a as usize) as u32;
        let group = |k: u32| (n + m + k as usize) as u32;
        let sink = (n + m + g) as u32;
        let nodes = n + m + g + 1;
        let mut pairs = Vec::with_capacity(p.edges().len() + n + m + g);
        for e in p.edges() {
            pairs.push((e.task, agent(e.agent), 1, e.cost));
        }
        for (t, pen) in p.penalties().iter().enumerate() {
            if let Some(pen) = pen {
                pairs.push((t as u32, sink, 1, *pen));
            }
        }
        for (a, (&cap, grp)) in p.capacities().iter().zip(p.group_of()).enumerate() {
            let units = cap.floor().min(n as f64) as i64;
            let to = grp.map_or(sink, group);
            pairs.push((agent(a as u32), to, units, 0.0));
        }
        for (k, &cap) in p.group_capacities().iter().enumerate() {
            pairs.push((group(k as u32), sink, i64::from(cap), 0.0));
        }
        let mut net = Network::new(nodes, &pairs);

        // Potentials: 0 on agents, groups and the sink keeps their arcs (cost 0)
        // non-negative; a task's potential is set when it is added.
        let mut pot = vec![0.0f64; nodes];
        let mut dist = vec![f64::INFINITY; nodes];
        let mut pred = vec![u32::MAX; nodes];
        let mut done = vec![false; nodes];
        let mut touched: Vec<u32> = Vec::new();
        let mut heap = BinaryHeap::new();
        let mut stuck = None;
        for t in 0..n {
            // The task has no arc into it yet: any potential that keeps its arcs non-negative will do.
            pot[t] = net
                .leaving(t)
                .iter()
                .map(|&a| net.arcs[a as usize])
                .filter(|arc| arc.cap > 0)
                .map(|arc| pot[arc.to as usize] - arc.cost)
                .fold(f64::NEG_INFINITY, f64::max);
            if pot[t] == f64::NEG_INFINITY {
                pot[t] = 0.0;
            }
            for &v in &touched {
                dist[v as usize] = f64::INFINITY;
                pred[v as usize] = u32::MAX;
                done[v as usize] = false;
            }
            touched.clear();
            heap.clear();
            dist[t] = 0.0;
            touched.push(t as u32);
            heap.push(Entry(0.0, t as u32));
            let mut reached = false;
            while let Some(Entry(d, v)) = heap.pop() {
                let v = v as usize;
                if done[v] || d > dist[v] {
                    continue;
                }
                done[v] = true;
                if v == sink as usize {
                    reached = true;
                    break;
                }
                for &a in net.leaving(v) {
                    let arc = net.arcs[a as usize];
                    if arc.cap <= 0 {
                        continue;
                    }
                    let w = arc.to as usize;
                    let reduced = (arc.cost + pot[v] - pot[w]).max(0.0);
                    let nd = d + reduced;
                    if nd < dist[w] {
                        if dist[w] == f64::INFINITY {
                            touched.push(w as u32);
                        }
                        dist[w] = nd;
                        pred[w] = a;
                        heap.push(Entry(nd, w as u32));
                    }
                }
            }
            if !reached {
                // Nowhere to go, even by moving other tasks: only possible without a penalty.
                stuck.get_or_insert(t);
                continue;
            }
            let total = dist[sink as usize];
            for &v in &touched {
                let v = v as usize;
                if done[v] {
                    pot[v] += dist[v] - total;
                }
            }
            let mut v = sink as usize;
            while v != t {
                let a = pred[v] as usize;
                net.arcs[a].cap -= 1;
                net.arcs[a ^ 1].cap += 1;
                v = net.arcs[a ^ 1].to as usize;
            }
        }

        // Read the assignment off the task → agent arcs that carry flow.
        let mut agent_of = vec![None; n];
        let mut cost = 0.0;
        for (i, e) in p.edges().iter().enumerate() {
            if net.arcs[2 * i].cap == 0 {
                agent_of[e.task as usize] = Some(e.agent);
                cost += e.cost;
            }
        }
        for (t, pen) in p.penalties().iter().enumerate() {
            if agent_of[t].is_none() {
                cost += pen.unwrap_or(0.0);
            }
        }
        let status = match stuck {
            Some(t) => Status::Infeasible(format!(
                "task {t} must be assigned, but every candidate agent (and its group) is full even after moving other tasks"
            )),
            None => Status::Optimal,
        };
        Ok(Solution {
            agent_of,
            cost,
            lower_bound: if stuck.is_some() { f64::INFINITY } else { cost },
            status,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
