//! The maximal-covering engine: dominance, greedy, swaps, a Lagrangian
//! upper bound (multipliers on the coverage rows) and branch and bound.

use super::sc::Sc;
use super::{Budget, StepSize};
use crate::assign::deadline::Deadline;

/// A maximal-covering instance over a set-covering one (rows with weights),
/// its incumbent and its upper bound.
pub(super) struct Mc<'a> {
    sc: &'a Sc,
    w: Vec<f64>,
    k: usize,
    gap: f64,
    integral: bool,
    allowed: Vec<bool>,
    /// The incumbent's columns.
    pub best: Vec<bool>,
    /// The weight the incumbent covers.
    pub value: f64,
    /// An upper bound on the weight any `k` columns cover.
    pub bound: f64,
    /// The search looks only for solutions worth more than this.
    floor: f64,
    /// The swaps of the local search stop here.
    deadline: Deadline,
}

struct Node {
    state: Vec<i8>,
    ub: f64,
    lam: Vec<f64>,
}

enum Step {
    Closed(f64),
    Branch(Node, Node),
}

impl<'a> Mc<'a> {
    /// Drops dominated columns and finds an incumbent by greedy and swaps
    /// (which stop at the deadline).
    pub fn new(sc: &'a Sc, w: Vec<f64>, k: usize, gap: f64, deadline: Deadline) -> Mc<'a> {
        let m = sc.cost.len();
        let mut allowed = vec![true; m];
        for i in 0..m {
            let Some(&first) = sc.cols[i].first() else {
                allowed[i] = false;
                continue;
            };
            allowed[i] = !sc.rows[first as usize].iter().any(|&d| {
                let d = d as usize;
                d != i
                    && allowed[d]
                    && (sc.cols[d].len() > sc.cols[i].len() || d < i)
                    && subset(&sc.cols[i], &sc.cols[d])
            });
        }
        let integral = w.iter().all(|x| x.fract() == 0.0);
        let total: f64 = w.iter().sum();
        let mut mc = Mc {
            sc,
            w,
            k,
            gap,
            integral,
            allowed,
            best: vec![false; m],
            value: 0.0,
            bound: total,
            floor: f64::NEG_INFINITY,
            deadline,
        };
        let mut sel = vec![false; m];
        mc.greedy(&mut sel, mc.k);
        mc.swaps(&mut sel);
        mc.offer(&sel);
        mc
    }

    fn value_of(&self, sel: &[bool]) -> f64 {
        let cnt = self.sc.counts(sel);
        cnt.iter()
            .zip(&self.w)
            .filter(|x| *x.0 > 0)
            .map(|x| x.1)
            .sum()
    }

    fn offer(&mut self, sel: &[bool]) {
        let v = self.value_of(sel);
        if v > self.value + 1e-12 * v.abs().max(1.0) || !self.best.iter().any(|&b| b) {
            self.value = v;
            self.best.copy_from_slice(sel);
        }
    }

    /// Adds up to `more` allowed columns, each the one of largest new weight.
    fn greedy(&self, sel: &mut [bool], more: usize) {
        let sc = self.sc;
        let mut cnt = sc.counts(sel);
        let gain = |i: usize, cnt: &[u32]| -> f64 {
            sc.cols[i]
                .iter()
                .filter(|&&j| cnt[j as usize] == 0)
                .map(|&j| self.w[j as usize])
                .sum()
        };
        let mut heap: std::collections::BinaryHeap<(Key, std::cmp::Reverse<u32>)> =
            (0..sc.cost.len())
                .filter(|&i| self.allowed[i] && !sel[i])
                .map(|i| (Key(gain(i, &cnt)), std::cmp::Reverse(i as u32)))
                .collect();
        let mut added = 0;
        while added < more {
            let Some((Key(g), std::cmp::Reverse(i))) = heap.pop() else {
                break;
            };
            let i = i as usize;
            let now = gain(i, &cnt);
            if now < g
                && heap
                    .peek()
                    .is_some_and(|top| top.0.0 > now || (top.0.0 == now && top.1.0 < i as u32))
            {
                heap.push((Key(now), std::cmp::Reverse(i as u32)));
                continue;
            }
            if now <= 0.0 {
                break;
            }
            sel[i] = true;
            added += 1;
            for &j in &sc.cols[i] {
                cnt[j as usize] += 1;
            }
        }
    }

    /// Best-improvement swaps of one selected column for one allowed closed column.
    fn swaps(&self, sel: &mut [bool]) {
        let sc = self.sc;
        let m = sc.cost.len();
        for _ in 0..10_000 {
            if self.deadline.passed() {
                return;
            }
            let cnt = sc.counts(sel);
            let mut loss = vec![0.0; m];
            for (j, &c) in cnt.iter().enumerate() {
                if c == 1
                    && let Some(&a) = sc.rows[j].iter().find(|&&a| sel[a as usize])
                {
                    loss[a as usize] += self.w[j];
                }
            }
            let Some(cheapest) = (0..m)
                .filter(|&a| sel[a])
                .min_by(|&a, &b| loss[a].total_cmp(&loss[b]).then(a.cmp(&b)))
            else {
                return;
            };
            let mut extra = vec![0.0; m];
            let mut best: Option<(f64, usize, usize)> = None;
            for b in (0..m).filter(|&b| self.allowed[b] && !sel[b]) {
                let mut add = 0.0;
                let mut touched = Vec::new();
                for &j in &sc.cols[b] {
                    let j = j as usize;
                    match cnt[j] {
                        0 => add += self.w[j],
                        1 => {
                            if let Some(&a) = sc.rows[j].iter().find(|&&a| sel[a as usize]) {
                                extra[a as usize] += self.w[j];
                                touched.push(a as usize);
                            }
                        }
                        _ => {}
                    }
                }
                let mut pick = (add - loss[cheapest], cheapest);
                for &a in &touched {
                    let d = add + extra[a] - loss[a];
                    if d > pick.0 || (d == pick.0 && a < pick.1) {
                        pick = (d, a);
                    }
                }
                for &a in &touched {
                    extra[a] = 0.0;
                }
                let tol = 1e-9 * self.value.abs().max(1.0);
                if pick.0 > tol && best.is_none_or(|x| pick.0 > x.0) {
                    best = Some((pick.0, pick.1, b));
                }
            }
            let Some((_, a, b)) = best else { return };
            sel[a] = false;
            sel[b] = true;
        }
    }

    fn eff(&self, l: f64) -> f64 {
        if self.integral { (l + 1e-6).floor() } else { l }
    }

    /// Whether a node of Lagrangian bound `l` cannot beat the incumbent.
    fn prunes(&self, l: f64) -> bool {
        let v = self.value.max(self.floor);
        self.eff(l) <= v + 1e-9 * v.abs().max(1.0) || (self.gap > 0.0 && l <= v * (1.0 + self.gap))
    }

    /// Branch and bound from the root; sets `bound` (and improves `best`).
    ///
    /// The root first, then searches that ask "is there a solution worth
    /// more than T?" for T halfway between the incumbent and the bound: a
    /// complete search lowers the bound to T (or finds a better incumbent),
    /// so the proven gap halves step by step; the last search, with T the
    /// incumbent, proves optimality.
    pub fn run(&mut self, budget: &mut Budget) {
        let mut lam: Vec<f64> = self.w.iter().map(|&w| 0.5 * w).collect();
        let mut root_only = Budget {
            node_limit: Some(0),
            ..budget.clone()
        };
        self.floor = f64::NEG_INFINITY;
        self.search(&mut lam, &mut root_only);
        budget.nodes = root_only.nodes;
        for pass in 0.. {
            let v = self.value;
            if budget.exhausted()
                || self.bound <= v
                || crate::assign::gap(v, self.bound) <= self.gap
            {
                break;
            }
            let mid = self.eff(0.5 * (v + self.bound));
            let last = pass >= 16 || mid <= v + 1e-9 * v.abs().max(1.0);
            self.floor = if last { f64::NEG_INFINITY } else { mid };
            // Every pruned node adds its own bound to what `search` proves.
            let complete = self.search(&mut lam, budget);
            if !complete || last {
                break;
            }
        }
        self.floor = f64::NEG_INFINITY;
    }

    /// One search from the root with the multipliers `lam` (left at the
    /// root's best), pruning what cannot beat both the incumbent and the
    /// floor; returns whether it finished. Lowers `bound` to what it proves.
    fn search(&mut self, lam: &mut Vec<f64>, budget: &mut Budget) -> bool {
        let root = Node {
            state: self
                .allowed
                .iter()
                .map(|&a| if a { 0 } else { -1 })
                .collect(),
            ub: f64::INFINITY,
            lam: lam.clone(),
        };
        let mut stack = vec![root];
        let mut closed = f64::NEG_INFINITY;
        while let Some(node) = stack.pop() {
            if self.prunes(node.ub) {
                closed = closed.max(self.eff(node.ub));
                continue;
            }
            let is_root = node.ub == f64::INFINITY;
            if budget.exhausted() && !is_root {
                stack.push(node);
                break;
            }
            budget.nodes += 1;
            match self.process(node, is_root, &mut closed) {
                Step::Closed(b) => closed = closed.max(b),
                Step::Branch(inside, outside) => {
                    if is_root {
                        lam.clone_from(&outside.lam);
                    }
                    stack.push(outside);
                    stack.push(inside);
                }
            }
        }
        let open = stack
            .iter()
            .map(|n| self.eff(n.ub))
            .fold(f64::NEG_INFINITY, f64::max);
        self.bound = closed.max(open).max(self.value).min(self.bound);
        stack.is_empty()
    }

    fn process(&mut self, mut node: Node, root: bool, closed: &mut f64) -> Step {
        let sc = self.sc;
        let m = sc.cost.len();
        let mut round = 0;
        loop {
            round += 1;
            let inside: Vec<bool> = node.state.iter().map(|&s| s == 1).collect();
            let used = inside.iter().filter(|&&b| b).count();
            if used > self.k {
                return Step::Closed(f64::NEG_INFINITY);
            }
            let left = self.k - used;
            let cnt = sc.counts(&inside);
            let free: Vec<usize> = (0..m).filter(|&i| node.state[i] == 0).collect();
            if left == 0 || free.len() <= left {
                let mut sel = inside.clone();
                if left > 0 {
                    for &i in &free {
                        sel[i] = true;
                    }
                }
                self.offer(&sel);
                return Step::Closed(self.value_of(&sel));
            }
            let base: f64 = cnt
                .iter()
                .zip(&self.w)
                .filter(|x| *x.0 > 0)
                .map(|x| x.1)
                .sum();
            let open_row: Vec<bool> = (0..sc.rows.len())
                .map(|j| cnt[j] == 0 && sc.rows[j].iter().any(|&i| node.state[i as usize] == 0))
                .collect();
            let (l, v, order) = self.descend(
                &mut node.lam,
                &inside,
                &free,
                &open_row,
                base,
                left,
                root && round == 1,
            );
            let bound = node.ub.min(self.eff(l));
            if self.prunes(bound) {
                return Step::Closed(bound);
            }
            // Reduced-cost fixing against the k-th and (k+1)-th best column values.
            let kth = v[order[left - 1]];
            let next = order[left..].iter().map(|&o| v[o]).fold(0.0, f64::max);
            let mut fixed = false;
            for (rank, &o) in order.iter().enumerate() {
                let i = free[o];
                let (moved, to) = if rank < left {
                    (l - v[o] + next, 1)
                } else {
                    (l - kth + v[o], -1)
                };
                if self.prunes(moved) {
                    node.state[i] = to;
                    *closed = closed.max(self.eff(moved));
                    fixed = true;
                }
            }
            if !fixed || round >= 3 {
                let best_free = |part: &[usize]| {
                    part.iter()
                        .copied()
                        .filter(|&o| node.state[free[o]] == 0)
                        .min_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)))
                };
                let Some(o) = best_free(&order[..left]).or_else(|| best_free(&order[left..]))
                else {
                    continue;
                };
                let col = free[o];
                let mut inside = Node {
                    state: node.state.clone(),
                    ub: bound,
                    lam: node.lam.clone(),
                };
                inside.state[col] = 1;
                node.state[col] = -1;
                node.ub = bound;
                return Step::Branch(inside, node);
            }
        }
    }

    /// Subgradient descent on the node's multipliers `lam` (left at the
    /// best, for the children); returns the best bound, the free columns' values
    /// under the best multipliers and the free columns with the `left` best
    /// (by value, then index) first.
    #[allow(clippy::too_many_arguments)]
    fn descend(
        &mut self,
        lam: &mut [f64],
        inside: &[bool],
        free: &[usize],
        open_row: &[bool],
        base: f64,
        left: usize,
        root: bool,
    ) -> (f64, Vec<f64>, Vec<usize>) {
        let sc = self.sc;
        let (iters, mut step) = if root {
            (400, StepSize::new(1.0, 20))
        } else {
            (50, StepSize::new(0.25, 6))
        };
        let mut best_lam = lam.to_vec();
        let mut best_l = f64::INFINITY;
        let mut v = vec![0.0; free.len()];
        let mut order: Vec<usize> = (0..free.len()).collect();
        let mut g = vec![0i32; sc.rows.len()];
        let w = self.w.clone();
        let eval = |lam: &[f64], v: &mut [f64], order: &mut Vec<usize>| -> f64 {
            let mut l = base;
            for (j, &o) in open_row.iter().enumerate() {
                if o {
                    l += (w[j] - lam[j]).max(0.0);
                }
            }
            for (k, &i) in free.iter().enumerate() {
                v[k] = sc.cols[i]
                    .iter()
                    .filter(|&&j| open_row[j as usize])
                    .map(|&j| lam[j as usize])
                    .sum();
            }
            // The `left` best columns first (in no order), the others after.
            order.select_nth_unstable_by(left - 1, |&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
            l + order[..left].iter().map(|&o| v[o].max(0.0)).sum::<f64>()
        };
        for it in 0..iters {
            let l = eval(lam, &mut v, &mut order);
            let improved = l < best_l - 1e-12 * l.abs().max(1.0);
            if improved {
                best_l = l;
                best_lam.copy_from_slice(lam);
            }
            step.record(improved);
            if root || it % 10 == 0 {
                let mut sel = inside.to_vec();
                for &o in &order[..left] {
                    sel[free[o]] = true;
                }
                if root && it % 50 == 0 {
                    self.swaps(&mut sel);
                }
                self.offer(&sel);
            }
            if self.prunes(best_l) || step.spent() {
                break;
            }
            g.fill(0);
            for &o in &order[..left] {
                for &j in &sc.cols[free[o]] {
                    g[j as usize] += 1;
                }
            }
            let mut norm = 0.0;
            for j in 0..sc.rows.len() {
                if !open_row[j] {
                    g[j] = 0;
                    continue;
                }
                if lam[j] < self.w[j] {
                    g[j] -= 1;
                }
                if (lam[j] <= 0.0 && g[j] > 0) || (lam[j] >= self.w[j] && g[j] < 0) {
                    g[j] = 0;
                }
                norm += f64::from(g[j] * g[j]);
            }
            if norm == 0.0 {
                break;
            }
            let t = step.f * (l - self.value).max(1e-9 * l.abs().max(1.0)) / norm;
            for j in 0..sc.rows.len() {
                lam[j] = (lam[j] - t * f64::from(g[j])).clamp(0.0, self.w[j]);
            }
        }
        let l = eval(&best_lam, &mut v, &mut order);
        let mut sel = inside.to_vec();
        for &o in &order[..left] {
            sel[free[o]] = true;
        }
        self.offer(&sel);
        lam.copy_from_slice(&best_lam);
        (l.min(best_l), v, order)
    }
}

/// Whether sorted `a` is a subset of sorted `b`.
fn subset(a: &[u32], b: &[u32]) -> bool {
    let mut it = b.iter();
    a.iter().all(|x| it.any(|y| y == x))
}

/// A weight ordered by `total_cmp` for the greedy's heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}
