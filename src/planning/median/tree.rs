//! Branch and bound on the facilities: best-first on the Lagrangian bound,
//! subgradient ascent at each node (warm-started from the parent's
//! multipliers), reduced-cost fixing, and the fast interchange restarted
//! from the relaxation's open sets for the incumbent.

use super::core::{Core, Fix};
use super::local::{Local, Value};
use super::relax::{Relaxed, relax, subgradient};
use crate::assign::deadline::Deadline;
use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap};

/// When to stop.
pub(super) struct Limits {
    pub deadline: Deadline,
    pub node_limit: Option<u64>,
    pub target_gap: f64,
}

/// What the search found: the open facilities of the incumbent (not
/// counting always-open ones twice), the lower bound, the nodes processed.
pub(super) struct Found {
    pub open: Vec<usize>,
    pub bound: f64,
    pub nodes: u64,
}

/// Subgradient settings for one node.
struct Ascent {
    lambda: f64,
    /// Halve the step after this many iterations without a better bound.
    stall: u32,
    max_iter: u32,
    min_lambda: f64,
    /// Run the local search from the relaxation's open set every this many iterations.
    heuristic_every: u32,
}

const ROOT: Ascent = Ascent {
    lambda: 2.0,
    stall: 30,
    max_iter: 4000,
    min_lambda: 1e-4,
    heuristic_every: 10,
};

const CHILD: Ascent = Ascent {
    lambda: 2.0,
    stall: 10,
    max_iter: 50,
    min_lambda: 1e-4,
    heuristic_every: 0,
};

/// The weight of the newest relaxation in the average of open sets.
const SHARE_WEIGHT: f64 = 0.2;

/// Branch on the facility whose average opening is nearest one half, when
/// it is at least this far from 0 and 1.
const MIN_SPLIT: f64 = 0.05;

/// An open node: its bound (rounded), the order it was made in, its fixings and multipliers.
struct Node {
    lb: f64,
    seq: u64,
    fix: Vec<Fix>,
    u: Vec<f64>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    /// The max-heap pops the smallest bound first, then the newest node.
    fn cmp(&self, other: &Self) -> Ordering {
        other.lb.total_cmp(&self.lb).then(self.seq.cmp(&other.seq))
    }
}

/// How a node's ascent ended.
enum Ended {
    /// No solution better than the incumbent in the subtree; the bound reached.
    Pruned(f64),
    /// Open: the best bound, the relaxation there, and each facility's
    /// share of the recent relaxations that opened it.
    Open(f64, Relaxed, Vec<f64>),
}

struct Search<'a> {
    core: &'a Core,
    limits: &'a Limits,
    best_open: Vec<bool>,
    best: Value,
    tried: BTreeSet<Vec<u32>>,
    /// The customers' arcs without the facilities the root closed.
    arcs: Vec<Vec<(u32, f64)>>,
    /// How many facilities were closed when `arcs` was last compacted.
    compacted: usize,
    nodes: u64,
    /// The smallest bound of a node pruned below the incumbent (target gap).
    lost: f64,
    seq: u64,
}

pub(super) fn solve(core: &Core, limits: &Limits) -> Found {
    let mut local = Local::new(core, vec![false; core.n]);
    local.greedy(limits.deadline);
    local.improve(limits.deadline);
    let mut s = Search {
        core,
        limits,
        best: local.value(),
        best_open: local.open.clone(),
        tried: BTreeSet::new(),
        arcs: core.arcs.clone(),
        compacted: 0,
        nodes: 0,
        lost: f64::INFINITY,
        seq: 0,
    };
    let root_fix = core.root();
    if limits.node_limit == Some(0) {
        let u: Vec<f64> = core.arcs.iter().map(|a| a[0].1).collect();
        let bound = relax(core, &core.arcs, &root_fix, &u)
            .map_or(f64::INFINITY, |r| core.round_bound(r.value));
        return s.found(bound);
    }
    // Start from the incumbent's serving costs (each customer's dearest arc when unserved).
    let start = Local::new(core, s.best_open.clone());
    let u: Vec<f64> = (0..core.m())
        .map(|j| {
            let d = start.nearest_cost(j);
            if d.is_finite() {
                d
            } else {
                core.arcs[j].last().map_or(0.0, |a| a.1)
            }
        })
        .collect();
    let mut heap = BinaryHeap::new();
    heap.push(Node {
        lb: f64::NEG_INFINITY,
        seq: 0,
        fix: root_fix,
        u,
    });
    while let Some(node) = heap.peek() {
        if s.prunable(node.lb) {
            let node = heap.pop().expect("peeked");
            s.note_pruned(node.lb);
            continue;
        }
        if s.out_of_budget() || s.within_target(heap.iter().map(|n| n.lb)) {
            break;
        }
        let mut node = heap.pop().expect("peeked");
        let ascent = if s.nodes == 0 { &ROOT } else { &CHILD };
        s.nodes += 1;
        let res = s.ascend(&mut node.fix, &mut node.u, ascent);
        match res {
            Ended::Pruned(lb) => s.note_pruned(lb),
            Ended::Open(lb, r, share) => {
                if s.nodes == 1 {
                    // Closed at the root is closed everywhere: drop those arcs.
                    for list in &mut s.arcs {
                        list.retain(|a| node.fix[a.0 as usize] != Fix::Closed);
                    }
                }
                if let Some(children) = s.branch(node, lb, &r, &share) {
                    heap.extend(children);
                }
            }
        }
    }
    let mut open_min = heap.iter().map(|n| n.lb).fold(f64::INFINITY, f64::min);
    if s.nodes == 0 && open_min == f64::NEG_INFINITY {
        // Stopped before the root: the relaxation at each customer's cheapest arc.
        let u: Vec<f64> = core.arcs.iter().map(|a| a[0].1).collect();
        open_min = relax(core, &core.arcs, &core.root(), &u)
            .map_or(f64::INFINITY, |r| core.round_bound(r.value).max(0.0) + 0.0);
    }
    s.found(open_min)
}

impl Search<'_> {
    fn ub(&self) -> f64 {
        if self.best.unserved == 0 {
            self.best.cost
        } else {
            f64::INFINITY
        }
    }

    /// Whether a subtree with this (unrounded or rounded) bound cannot hold a solution
    /// better than the incumbent by more than the target gap.
    fn prunable(&self, lb: f64) -> bool {
        let ub = self.ub();
        let lb = self.core.round_bound(lb);
        if ub.is_finite() {
            lb >= ub * (1.0 - self.limits.target_gap) - self.core.eps(ub)
        } else {
            let cap = self.core.cost_cap;
            lb > cap + self.core.eps(cap)
        }
    }

    fn note_pruned(&mut self, lb: f64) {
        let ub = self.ub();
        let lb = self.core.round_bound(lb);
        // Within the rounding tolerance of the incumbent counts as proven.
        if ub.is_finite() && lb < ub - self.core.eps(ub) {
            self.lost = self.lost.min(lb);
        }
    }

    fn out_of_budget(&self) -> bool {
        self.limits.node_limit.is_some_and(|n| self.nodes >= n) || self.out_of_time()
    }

    fn out_of_time(&self) -> bool {
        self.limits.deadline.passed()
    }

    /// Whether the open nodes' bounds prove the target gap (only with a target gap > 0).
    fn within_target(&self, open: impl Iterator<Item = f64>) -> bool {
        let ub = self.ub();
        if self.limits.target_gap == 0.0 || !ub.is_finite() {
            return false;
        }
        let lb = open
            .map(|l| self.core.round_bound(l))
            .fold(self.lost, f64::min);
        ub - lb <= self.limits.target_gap * ub.abs()
    }

    fn found(&self, open_min: f64) -> Found {
        let bound = self
            .core
            .round_bound(open_min)
            .min(self.lost)
            .min(self.ub());
        Found {
            open: (0..self.core.n).filter(|&i| self.best_open[i]).collect(),
            bound,
            nodes: self.nodes,
        }
    }

    /// Runs the local search from `open` (unless tried before) and keeps it when better.
    fn offer(&mut self, open: &[bool]) {
        let key: Vec<u32> = (0..self.core.n as u32)
            .filter(|&i| open[i as usize])
            .collect();
        if !self.tried.insert(key) {
            return;
        }
        let mut local = Local::new(self.core, open.to_vec());
        local.improve(self.limits.deadline);
        let v = local.value();
        if v.unserved < self.best.unserved
            || (v.unserved == self.best.unserved && v.cost < self.best.cost - self.core.eps(v.cost))
        {
            self.best = v;
            self.best_open = local.open;
        }
    }

    /// Fixes every free facility whose other side cannot beat the incumbent.
    fn fix_by_penalties(&self, fix: &mut [Fix], r: &Relaxed) {
        for ((f, &pen), &chosen) in fix.iter_mut().zip(&r.penalty).zip(&r.chosen) {
            if *f == Fix::Free && self.prunable(r.value + pen) {
                *f = if chosen { Fix::Open } else { Fix::Closed };
            }
        }
    }

    /// Subgradient ascent on the node's multipliers; leaves the best ones in `u`.
    fn ascend(&mut self, fix: &mut [Fix], u: &mut Vec<f64>, a: &Ascent) -> Ended {
        let m = self.core.m();
        let mut g = vec![0.0; m];
        let mut lambda = a.lambda;
        let mut best: Option<(f64, Relaxed)> = None;
        let mut best_norm = f64::INFINITY;
        let mut best_u = u.clone();
        let mut since = 0;
        // An exponential average of the relaxations' open sets (an estimate
        // of the LP's fractional openings), for branching.
        let mut share = vec![0.0; self.core.n];
        for iter in 1..=a.max_iter {
            let Some(r) = relax(self.core, &self.arcs, fix, u) else {
                return Ended::Pruned(f64::INFINITY);
            };
            let norm = subgradient(&self.arcs, u, &r.chosen, &mut g);
            if norm == 0.0 {
                // Every customer served once: the relaxation's open set is optimal here.
                self.offer(&r.chosen);
                return Ended::Pruned(r.value);
            }
            let better = best
                .as_ref()
                .is_none_or(|(b, _)| r.value > b + self.core.eps(*b));
            // Local search from the relaxation's open set: early on, then at better bounds.
            if a.heuristic_every > 0 && iter % a.heuristic_every == 0 && (better || iter <= 100) {
                self.offer(&r.chosen);
            }
            self.fix_by_penalties(fix, &r);
            let w = if iter == 1 { 1.0 } else { SHARE_WEIGHT };
            for (y, &c) in share.iter_mut().zip(&r.chosen) {
                *y += w * (f64::from(u8::from(c)) - *y);
            }
            let value = r.value;
            if better {
                best_norm = norm;
                best_u.clone_from(u);
                best = Some((value, r));
                since = 0;
            } else {
                since += 1;
            }
            if a.heuristic_every > 0 && iter % 16 == 0 {
                // At the root, closed is closed everywhere: drop those arcs as they come.
                let closed = fix.iter().filter(|&&f| f == Fix::Closed).count();
                if closed > self.compacted + self.core.n / 20 {
                    self.compacted = closed;
                    for list in &mut self.arcs {
                        list.retain(|a| fix[a.0 as usize] != Fix::Closed);
                    }
                }
            }
            let best_value = best.as_ref().map_or(value, |b| b.0);
            if self.prunable(best_value) {
                return Ended::Pruned(best_value);
            }
            if since >= a.stall {
                lambda /= 2.0;
                since = 0;
            }
            if lambda < a.min_lambda || self.out_of_time() {
                break;
            }
            let ub = self.ub();
            let target = if ub.is_finite() {
                ub
            } else {
                self.core.cost_cap + 1.0
            };
            let step = lambda * (target - value).max(self.core.eps(target)) / norm;
            for (uj, gj) in u.iter_mut().zip(&g) {
                *uj = (*uj + step * gj).max(0.0);
            }
        }
        *u = best_u;
        let (lb, r) = best.expect("one iteration ran");
        // Away from the root, a local search from relaxations that nearly
        // serve everyone once, and from every eighth node.
        if a.heuristic_every > 0
            || best_norm <= (m / 50).max(2) as f64
            || self.nodes.is_multiple_of(8)
        {
            self.offer(&r.chosen);
        }
        if self.prunable(lb) {
            return Ended::Pruned(lb);
        }
        self.fix_by_penalties(fix, &r);
        Ended::Open(lb, r, share)
    }

    /// The two children of an open node, or none when every facility is fixed
    /// (then the fixed open set is evaluated). It branches on the free
    /// facility whose averaged opening over the ascent is nearest one half
    /// (the relaxation is undecided there, so both children's bounds move),
    /// else as [`Search::branching_facility`] says.
    fn branch(&mut self, node: Node, lb: f64, r: &Relaxed, share: &[f64]) -> Option<[Node; 2]> {
        let split = (0..self.core.n)
            .filter(|&i| node.fix[i] == Fix::Free)
            .map(|i| (i, share[i].min(1.0 - share[i])))
            .filter(|&(_, f)| f > MIN_SPLIT)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i);
        let Some(b) = split.or_else(|| self.branching_facility(&node.fix, &node.u, r)) else {
            let open: Vec<bool> = node.fix.iter().map(|&f| f == Fix::Open).collect();
            self.offer(&open);
            return None;
        };
        let side = if r.chosen[b] { Fix::Open } else { Fix::Closed };
        let other = if r.chosen[b] { Fix::Closed } else { Fix::Open };
        let mut agree = node.fix.clone();
        agree[b] = side;
        let mut against = node.fix;
        against[b] = other;
        self.seq += 2;
        Some([
            Node {
                lb: lb + r.penalty[b],
                seq: self.seq - 1,
                fix: against,
                u: node.u.clone(),
            },
            Node {
                lb,
                seq: self.seq,
                fix: agree,
                u: node.u,
            },
        ])
    }

    /// The free facility to branch on: the open one serving the most
    /// customers that the relaxation serves more than once, else the closed
    /// one that would serve the most unserved customers, else any free one.
    fn branching_facility(&self, fix: &[Fix], u: &[f64], r: &Relaxed) -> Option<usize> {
        let core = self.core;
        let mut g = vec![0.0; core.m()];
        subgradient(&self.arcs, u, &r.chosen, &mut g);
        let mut score = vec![0.0_f64; core.n];
        for want_over in [true, false] {
            for (j, arcs) in self.arcs.iter().enumerate() {
                let over = g[j] < 0.0;
                let under = g[j] > 0.0;
                if (want_over && !over) || (!want_over && !under) {
                    continue;
                }
                for &(i, c) in arcs {
                    if c >= u[j] {
                        break;
                    }
                    if fix[i as usize] == Fix::Free {
                        score[i as usize] += u[j] - c;
                    }
                }
            }
            let best = (0..core.n)
                .filter(|&i| fix[i] == Fix::Free && score[i] > 0.0)
                .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)));
            if best.is_some() {
                return best;
            }
        }
        (0..core.n).find(|&i| fix[i] == Fix::Free)
    }
}
