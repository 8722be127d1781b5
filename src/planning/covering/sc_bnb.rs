//! Branch and bound for set covering: a Lagrangian bound by subgradient
//! ascent at every node (multipliers on the covering rows, Beasley 1990),
//! Lagrangian heuristics, reduced-cost fixing, and depth-first branching on
//! a column of the row with the fewest free columns. With whole costs the
//! bound is raised one step at a time, each step a complete search for a
//! cover at the bound.

use super::sc::Sc;
use super::{Budget, StepSize};
use crate::assign::deadline::Deadline;

/// The best cover found, its cost and a lower bound on the optimum.
#[derive(Debug, Clone)]
pub(super) struct Outcome {
    /// Selected columns of the instance.
    pub sel: Vec<bool>,
    pub ub: f64,
    pub lb: f64,
}

/// Solves a set-covering instance: reductions, then branch and bound per
/// independent component.
///
/// With `goal = Some(k)` (whole costs only) the question is only whether a
/// cover of cost ≤ k exists: the search stops once `ub ≤ k` or `lb > k`.
pub(super) fn min_cover(sc: &Sc, goal: Option<f64>, gap: f64, budget: &mut Budget) -> Outcome {
    let (forced, parts) = sc.reduce();
    let mut sel = vec![false; sc.cost.len()];
    let mut base = 0.0;
    for &i in &forced {
        sel[i as usize] = true;
        base += sc.cost[i as usize];
    }
    let integral = sc.integral();
    let mut runs: Vec<Bnb> = parts
        .iter()
        .map(|(part, _)| Bnb::new(part, integral, gap, budget.deadline))
        .collect();
    let total_ub = |runs: &[Bnb]| base + runs.iter().map(|r| r.ub).sum::<f64>();
    let total_lb = |runs: &[Bnb]| base + runs.iter().map(|r| r.lb).sum::<f64>();
    let single = runs.len() == 1;
    for c in 0..runs.len() {
        if let Some(k) = goal
            && (total_ub(&runs) <= k || total_lb(&runs) > k)
        {
            break;
        }
        let cap = goal.map_or(f64::INFINITY, |k| {
            k - (total_lb(&runs) - base - runs[c].lb) - base + 1.0
        });
        if goal.is_none() && integral {
            runs[c].deepen(budget);
        } else {
            runs[c].run(cap, single && goal.is_some(), budget);
        }
    }
    for (run, (_, cols)) in runs.iter().zip(&parts) {
        for (l, &i) in cols.iter().enumerate() {
            sel[i as usize] |= run.best[l];
        }
    }
    Outcome {
        sel,
        ub: total_ub(&runs),
        lb: total_lb(&runs).min(total_ub(&runs)),
    }
}

/// One node: each column's state (0 free, 1 in, -1 out), the bound of the
/// parent and multipliers per row to start from.
struct Node {
    state: Vec<i8>,
    lb: f64,
    u: Vec<f64>,
}

/// The uncovered rows and free columns of a node, with local indices.
struct View {
    urows: Vec<u32>,
    fcols: Vec<u32>,
    /// `adj[start[k]..start[k + 1]]`: the local rows of free column k.
    start: Vec<usize>,
    adj: Vec<u32>,
    base: f64,
}

enum Step {
    Closed(f64),
    Branch(Node, Node),
}

struct Bnb<'a> {
    sc: &'a Sc,
    integral: bool,
    gap: f64,
    ub: f64,
    lb: f64,
    best: Vec<bool>,
    cap: f64,
    /// Excluded parts of the search space: the least bound among them.
    closed: f64,
    stack: Vec<Node>,
    cmax: f64,
    /// The root's multipliers after its ascent, to restart a search from.
    root_u: Vec<f64>,
    /// Local improvement stops here.
    deadline: Deadline,
}

impl<'a> Bnb<'a> {
    fn new(sc: &'a Sc, integral: bool, gap: f64, deadline: Deadline) -> Bnb<'a> {
        let best = sc.heuristic(deadline);
        let ub = sc.cost_of(&best);
        let m = sc.cost.len();
        let u = sc
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&i| sc.cost[i as usize] / sc.cols[i as usize].len() as f64)
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let cmin = sc.cost.iter().copied().fold(f64::INFINITY, f64::min);
        let root_u: Vec<f64> = u;
        Bnb {
            sc,
            integral,
            gap,
            ub,
            lb: if sc.rows.is_empty() {
                0.0
            } else {
                cmin.min(ub)
            },
            best,
            cap: f64::INFINITY,
            closed: f64::INFINITY,
            stack: vec![Node {
                state: vec![0; m],
                lb: f64::NEG_INFINITY,
                u: root_u.clone(),
            }],
            cmax: sc.cost.iter().copied().fold(0.0, f64::max),
            root_u,
            deadline,
        }
    }

    /// Whole costs: raises the lower bound one step at a time, each step a
    /// complete search for a cover of cost at most the bound, which either
    /// finds one (then optimal) or proves the bound one higher. The proven
    /// bound rises as the search goes, and no node is searched against a
    /// cutoff above the optimum.
    fn deepen(&mut self, budget: &mut Budget) {
        // The root alone: its bound, multipliers and Lagrangian heuristics.
        self.run(
            f64::INFINITY,
            false,
            &mut Budget {
                node_limit: Some(0),
                ..budget.clone()
            },
        );
        budget.nodes += 1;
        loop {
            if crate::assign::gap(self.ub, self.lb) <= self.gap || self.lb >= self.ub {
                return;
            }
            if budget.exhausted() {
                return;
            }
            self.stack.clear();
            self.stack.push(Node {
                state: vec![0; self.sc.cost.len()],
                lb: f64::NEG_INFINITY,
                u: self.root_u.clone(),
            });
            self.closed = f64::INFINITY;
            let before = self.lb;
            self.run(self.lb + 1.0, true, budget);
            if !self.stack.is_empty() || self.lb <= before {
                return;
            }
        }
    }

    fn eff(&self, l: f64) -> f64 {
        if self.integral { (l - 1e-6).ceil() } else { l }
    }

    fn cutoff(&self) -> f64 {
        self.ub.min(self.cap)
    }

    /// Whether a node of Lagrangian bound `l` cannot hold a solution worth finding.
    fn prunes(&self, l: f64) -> bool {
        let c = self.cutoff();
        self.eff(l) >= c - 1e-9 * c.abs().max(1.0)
            || (self.gap > 0.0 && l >= self.ub * (1.0 - self.gap))
    }

    fn offer(&mut self, sel: &[bool]) {
        let c = self.sc.cost_of(sel);
        if c < self.ub - 1e-12 * c.abs().max(1.0) {
            self.ub = c;
            self.best.copy_from_slice(sel);
        }
    }

    /// Searches (or resumes searching) with cutoff `cap`; with `first`, stops
    /// at the first cover cheaper than `cap`. Updates `ub`, `lb`, `best`.
    fn run(&mut self, cap: f64, first: bool, budget: &mut Budget) {
        self.cap = cap;
        while let Some(node) = self.stack.pop() {
            if self.prunes(node.lb) {
                self.closed = self.closed.min(self.eff(node.lb));
                continue;
            }
            let root = node.lb == f64::NEG_INFINITY;
            if (budget.exhausted() && !root) || (first && self.ub < self.cap) {
                self.stack.push(node);
                break;
            }
            budget.nodes += 1;
            match self.process(node, root) {
                Step::Closed(b) => self.closed = self.closed.min(b),
                Step::Branch(inside, outside) => {
                    self.stack.push(outside);
                    self.stack.push(inside);
                }
            }
        }
        let open = self
            .stack
            .iter()
            .map(|n| self.eff(n.lb))
            .fold(f64::INFINITY, f64::min);
        self.lb = self.lb.max(self.closed.min(open).min(self.ub));
    }

    /// Forces the only free column of a row; `None` when a row has no free column left.
    fn propagate(&self, state: &mut [i8]) -> Option<Vec<bool>> {
        let sc = self.sc;
        let mut cov = vec![false; sc.rows.len()];
        for (i, _) in state.iter().enumerate().filter(|s| *s.1 == 1) {
            for &j in &sc.cols[i] {
                cov[j as usize] = true;
            }
        }
        loop {
            let mut changed = false;
            for j in 0..sc.rows.len() {
                if cov[j] {
                    continue;
                }
                let mut free = sc.rows[j].iter().filter(|&&i| state[i as usize] == 0);
                match (free.next(), free.next()) {
                    (None, _) => return None,
                    (Some(&i), None) => {
                        state[i as usize] = 1;
                        for &r in &sc.cols[i as usize] {
                            cov[r as usize] = true;
                        }
                        changed = true;
                    }
                    _ => {}
                }
            }
            if !changed {
                return Some(cov);
            }
        }
    }

    fn view(&self, state: &[i8], cov: &[bool]) -> View {
        let sc = self.sc;
        let mut local = vec![u32::MAX; sc.rows.len()];
        let urows: Vec<u32> = (0..sc.rows.len() as u32)
            .filter(|&j| !cov[j as usize])
            .collect();
        for (l, &j) in urows.iter().enumerate() {
            local[j as usize] = l as u32;
        }
        let (mut fcols, mut start, mut adj) = (Vec::new(), vec![0], Vec::new());
        for (i, _) in state.iter().enumerate().filter(|s| *s.1 == 0) {
            let before = adj.len();
            adj.extend(
                sc.cols[i]
                    .iter()
                    .map(|&j| local[j as usize])
                    .filter(|&l| l != u32::MAX),
            );
            if adj.len() > before {
                fcols.push(i as u32);
                start.push(adj.len());
            }
        }
        let base = (0..sc.cost.len())
            .filter(|&i| state[i] == 1)
            .map(|i| sc.cost[i])
            .sum();
        View {
            urows,
            fcols,
            start,
            adj,
            base,
        }
    }

    fn reduced(&self, v: &View, u: &[f64], r: &mut [f64]) -> f64 {
        let mut l = v.base + u.iter().sum::<f64>();
        for (k, &i) in v.fcols.iter().enumerate() {
            let mut rk = self.sc.cost[i as usize];
            for &j in &v.adj[v.start[k]..v.start[k + 1]] {
                rk -= u[j as usize];
            }
            r[k] = rk;
            if rk < 0.0 {
                l += rk;
            }
        }
        l
    }

    /// The node's columns in, plus the free ones in `pick`, completed greedily, made irredundant and improved.
    fn repair(&mut self, state: &[i8], v: &View, pick: &[bool]) {
        let sc = self.sc;
        let mut sel: Vec<bool> = state.iter().map(|&s| s == 1).collect();
        for (k, &i) in v.fcols.iter().enumerate() {
            sel[i as usize] |= pick[k];
        }
        let allowed: Vec<bool> = state.iter().map(|&s| s != -1).collect();
        let mut cnt = sc.counts(&sel);
        sc.complete(&mut sel, &mut cnt, &allowed);
        sc.drop_redundant(&mut sel, &mut cnt);
        if sc.cost_of(&sel) <= self.ub + self.cmax {
            sc.improve(&mut sel, &mut cnt, &allowed, self.deadline);
        }
        if cnt.iter().all(|&c| c > 0) {
            self.offer(&sel);
        }
    }

    /// Subgradient ascent on the node's multipliers; leaves the best in `u`
    /// and returns its bound, or the node's optimal cover when the
    /// relaxation's solution covers every row at the bound.
    fn ascend(
        &mut self,
        state: &[i8],
        v: &View,
        u: &mut [f64],
        root: bool,
    ) -> (f64, Option<Vec<bool>>) {
        let (iters, mut step) = if root {
            (400, StepSize::new(2.0, 20))
        } else {
            (100, StepSize::new(1.0, 8))
        };
        let (nu, nf) = (v.urows.len(), v.fcols.len());
        let mut r = vec![0.0; nf];
        let mut g = vec![0i32; nu];
        let mut best_l = f64::NEG_INFINITY;
        let mut best_u = u.to_vec();
        for it in 0..iters {
            let l = self.reduced(v, u, &mut r);
            let improved = l > best_l + 1e-12 * l.abs().max(1.0);
            if improved {
                best_l = l;
                best_u.copy_from_slice(u);
            }
            step.record(improved);
            if self.prunes(best_l) || step.spent() {
                break;
            }
            g.fill(1);
            let pick: Vec<bool> = r.iter().map(|&x| x < 0.0).collect();
            for k in (0..nf).filter(|&k| pick[k]) {
                for &j in &v.adj[v.start[k]..v.start[k + 1]] {
                    g[j as usize] -= 1;
                }
            }
            if g.iter().all(|&x| x <= 0) {
                let mut sel: Vec<bool> = state.iter().map(|&s| s == 1).collect();
                for k in (0..nf).filter(|&k| pick[k]) {
                    sel[v.fcols[k] as usize] = true;
                }
                let c = self.sc.cost_of(&sel);
                if c <= l + 1e-9 * c.abs().max(1.0) {
                    u.copy_from_slice(&best_u);
                    return (l, Some(sel));
                }
                self.offer(&sel);
            }
            if root && it % 5 == 0 {
                self.repair(state, v, &pick);
            }
            let mut norm = 0.0;
            for j in 0..nu {
                if u[j] <= 0.0 && g[j] < 0 {
                    g[j] = 0;
                }
                norm += f64::from(g[j] * g[j]);
            }
            if norm == 0.0 {
                break;
            }
            let target = 1.05 * self.cutoff().min(self.ub);
            let target = if target.is_finite() {
                target
            } else {
                l.abs() * 1.1 + 1.0
            };
            let t = step.f * (target - l).max(1e-9) / norm;
            for j in 0..nu {
                u[j] = (u[j] + t * f64::from(g[j])).max(0.0);
            }
        }
        u.copy_from_slice(&best_u);
        (best_l, None)
    }

    fn process(&mut self, mut node: Node, root: bool) -> Step {
        let sc = self.sc;
        let mut bound = node.lb;
        let mut round = 0;
        loop {
            round += 1;
            let Some(cov) = self.propagate(&mut node.state) else {
                return Step::Closed(f64::INFINITY);
            };
            let v = self.view(&node.state, &cov);
            if v.urows.is_empty() {
                let sel: Vec<bool> = node.state.iter().map(|&s| s == 1).collect();
                self.offer(&sel);
                return Step::Closed(v.base);
            }
            let mut u: Vec<f64> = v.urows.iter().map(|&j| node.u[j as usize]).collect();
            let (l, exact) = self.ascend(&node.state, &v, &mut u, root && round == 1);
            for (k, &j) in v.urows.iter().enumerate() {
                node.u[j as usize] = u[k];
            }
            if root && round == 1 {
                self.root_u.clone_from(&node.u);
            }
            if let Some(sel) = exact {
                self.offer(&sel);
                return Step::Closed(self.eff(l));
            }
            bound = bound.max(self.eff(l));
            let mut r = vec![0.0; v.fcols.len()];
            self.reduced(&v, &u, &mut r);
            if !root {
                let pick: Vec<bool> = r.iter().map(|&x| x < 0.0).collect();
                self.repair(&node.state, &v, &pick);
            }
            if self.prunes(bound) {
                return Step::Closed(bound);
            }
            // Reduced-cost fixing: a column whose flip alone lifts the bound past the cutoff.
            let mut fixed = false;
            for (k, &i) in v.fcols.iter().enumerate() {
                if self.prunes(l + r[k].abs()) {
                    node.state[i as usize] = if r[k] >= 0.0 { -1 } else { 1 };
                    self.closed = self.closed.min(self.eff(l + r[k].abs()));
                    fixed = true;
                }
            }
            if !fixed || round == 3 {
                // Branch on the free column of least reduced cost in the row with fewest free columns.
                let Some(cov) = self.propagate(&mut node.state) else {
                    return Step::Closed(f64::INFINITY);
                };
                let rc: std::collections::BTreeMap<u32, f64> =
                    v.fcols.iter().copied().zip(r.iter().copied()).collect();
                let row = (0..sc.rows.len()).filter(|&j| !cov[j]).min_by_key(|&j| {
                    sc.rows[j]
                        .iter()
                        .filter(|&&i| node.state[i as usize] == 0)
                        .count()
                });
                let Some(row) = row else {
                    let sel: Vec<bool> = node.state.iter().map(|&s| s == 1).collect();
                    self.offer(&sel);
                    return Step::Closed(sc.cost_of(&sel));
                };
                let col = sc.rows[row]
                    .iter()
                    .copied()
                    .filter(|&i| node.state[i as usize] == 0)
                    .min_by(|&a, &b| {
                        let ra = rc.get(&a).copied().unwrap_or(sc.cost[a as usize]);
                        let rb = rc.get(&b).copied().unwrap_or(sc.cost[b as usize]);
                        ra.total_cmp(&rb).then(a.cmp(&b))
                    })
                    .unwrap_or(sc.rows[row][0]);
                let mut inside = Node {
                    state: node.state.clone(),
                    lb: bound,
                    u: node.u.clone(),
                };
                inside.state[col as usize] = 1;
                node.state[col as usize] = -1;
                node.lb = bound;
                return Step::Branch(inside, node);
            }
        }
    }
}
