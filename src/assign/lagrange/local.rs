//! Assignments under construction and their local search: regret insertion,
//! ejection, shift, swap and ejection chains.

use super::model::{FREE, LARGE, LEFT_OUT, Model};
use crate::assign::budget::Budget;

/// A (possibly partial) assignment with its loads, for construction and local search.
pub(super) struct Assignment {
    /// Per task: `FREE`, `LEFT_OUT` or an edge.
    pub(super) of: Vec<u32>,
    pub(super) used: Vec<f64>,
    pub(super) group_count: Vec<u32>,
    /// Tasks on each agent.
    pub(super) on: Vec<Vec<u32>>,
}

impl Assignment {
    pub(super) fn empty(m: &Model) -> Assignment {
        Assignment {
            of: vec![FREE; m.tasks()],
            used: vec![0.0; m.cap.len()],
            group_count: vec![0; m.group_cap.len()],
            on: vec![Vec::new(); m.cap.len()],
        }
    }

    pub(super) fn fits(&self, m: &Model, e: usize, leaving: Option<usize>) -> bool {
        let edge = m.edges[e];
        let a = edge.agent as usize;
        let freed = leaving
            .filter(|&l| m.edges[l].agent as usize == a)
            .map_or(0.0, |l| m.edges[l].load);
        if self.used[a] - freed + edge.load > m.cap[a] + 1e-9 * m.cap[a].max(1.0) {
            return false;
        }
        match m.group_of[a] {
            None => true,
            Some(g) => {
                let same =
                    leaving.is_some_and(|l| m.group_of[m.edges[l].agent as usize] == Some(g));
                same || self.group_count[g as usize] < m.group_cap[g as usize]
            }
        }
    }

    pub(super) fn place(&mut self, m: &Model, t: usize, option: u32) -> bool {
        if option != LEFT_OUT {
            let e = option as usize;
            if !self.fits(m, e, None) {
                return false;
            }
            let a = m.edges[e].agent as usize;
            self.used[a] += m.edges[e].load;
            if let Some(g) = m.group_of[a] {
                self.group_count[g as usize] += 1;
            }
            self.on[a].push(t as u32);
        } else if m.penalty[t].is_none() {
            return false;
        }
        self.of[t] = option;
        true
    }

    pub(super) fn remove(&mut self, m: &Model, t: usize) {
        let option = self.of[t];
        if option != LEFT_OUT && option != FREE {
            let e = m.edges[option as usize];
            let a = e.agent as usize;
            self.used[a] -= e.load;
            if let Some(g) = m.group_of[a] {
                self.group_count[g as usize] -= 1;
            }
            if let Some(i) = self.on[a].iter().position(|&x| x as usize == t) {
                self.on[a].swap_remove(i);
            }
        }
        self.of[t] = FREE;
    }

    pub(super) fn cost(&self, m: &Model) -> f64 {
        (0..m.tasks()).map(|t| m.option_cost(t, self.of[t])).sum()
    }

    /// Places every free task, by regret; one ejection when nothing fits. False if one cannot be placed.
    pub(super) fn complete(&mut self, m: &Model) -> bool {
        self.complete_tasks(m, 0..m.tasks(), true)
    }

    /// [`Assignment::complete`] for the free ones of `tasks` only; without
    /// `eject`, no other task is touched (a task that fits nowhere fails it).
    pub(super) fn complete_tasks(
        &mut self,
        m: &Model,
        tasks: impl Iterator<Item = usize>,
        eject: bool,
    ) -> bool {
        let mut order: Vec<(f64, usize)> = Vec::new();
        for t in tasks {
            if self.of[t] != FREE {
                continue;
            }
            let (a, b) = two_smallest(
                m.task_edges(t)
                    .filter(|&e| self.fits(m, e, None))
                    .map(|e| m.edges[e].cost)
                    .chain(m.penalty[t]),
            );
            let regret = if a.is_infinite() {
                f64::INFINITY
            } else {
                b - a
            };
            order.push((regret, t));
        }
        order.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for (_, t) in order {
            let best = m
                .task_edges(t)
                .filter(|&e| self.fits(m, e, None))
                .map(|e| (m.edges[e].cost, e as u32))
                .chain(m.penalty[t].map(|p| (p, LEFT_OUT)))
                .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            let placed = match best {
                Some((_, o)) => self.place(m, t, o),
                None => eject && self.eject(m, t),
            };
            if !placed {
                return false;
            }
        }
        true
    }

    /// Places `t` on an agent by moving one of that agent's tasks elsewhere.
    pub(super) fn eject(&mut self, m: &Model, t: usize) -> bool {
        let mut best: Option<(f64, u32, usize, u32)> = None;
        for f in m.task_edges(t) {
            let a = m.edges[f].agent as usize;
            for &t2 in &self.on[a] {
                let t2 = t2 as usize;
                let e2 = self.of[t2] as usize;
                // Room on `a` once t2 leaves.
                let room = self.used[a] - m.edges[e2].load + m.edges[f].load
                    <= m.cap[a] + 1e-9 * m.cap[a].max(1.0);
                if !room {
                    continue;
                }
                let moves = m
                    .task_edges(t2)
                    .filter(|&g| m.edges[g].agent as usize != a && self.fits(m, g, None))
                    .map(|g| (m.edges[g].cost, g as u32))
                    .chain(m.penalty[t2].map(|p| (p, LEFT_OUT)));
                for (c, g) in moves {
                    let delta = m.edges[f].cost + c - m.edges[e2].cost;
                    if best.is_none_or(|b| delta < b.0) {
                        best = Some((delta, f as u32, t2, g));
                    }
                }
            }
        }
        let Some((_, f, t2, g)) = best else {
            return false;
        };
        self.remove(m, t2);
        let ok = self.place(m, t, f);
        ok && self.place(m, t2, g)
    }

    /// Shift and swap moves until none improves.
    pub(super) fn improve(&mut self, m: &Model, deep: bool, budget: &Budget) {
        // Large problems get a few passes; each pass is linear in the edges.
        let max_rounds = if m.tasks() > LARGE { 2 } else { 50 };
        let eps = 1e-9;
        let mut rounds = 0;
        loop {
            let mut improved = false;
            for t in 0..m.tasks() {
                let cur = self.of[t];
                let cc = m.option_cost(t, cur);
                let leaving = (cur != LEFT_OUT).then_some(cur as usize);
                // A task on its cheapest option gains nothing by a shift, and
                // a swap with it is found from the other task's side.
                let at_cheapest = cc <= m.cheapest[t] + eps;
                if at_cheapest && !deep {
                    continue;
                }
                // Shift.
                let mut best: Option<(f64, u32)> = None;
                for f in m.task_edges(t) {
                    if f as u32 == cur {
                        continue;
                    }
                    let c = m.edges[f].cost;
                    if c < cc - eps && best.is_none_or(|b| c < b.0) && self.fits(m, f, leaving) {
                        best = Some((c, f as u32));
                    }
                }
                if let Some(p) = m.penalty[t]
                    && cur != LEFT_OUT
                    && p < cc - eps
                    && best.is_none_or(|b| p < b.0)
                {
                    best = Some((p, LEFT_OUT));
                }
                if let Some((_, o)) = best {
                    self.remove(m, t);
                    self.place(m, t, o);
                    improved = true;
                    continue;
                }
                // Swap with a task on another candidate agent.
                let Some(e1) = leaving else { continue };
                if at_cheapest {
                    if let Some((f, t2, g)) = self.chain(m, t, e1) {
                        self.apply_chain(m, t, f, t2, g);
                        improved = true;
                    }
                    continue;
                }
                let a = m.edges[e1].agent as usize;
                let mut swap: Option<(f64, usize, usize, usize)> = None;
                for f in m.task_edges(t) {
                    let b = m.edges[f].agent as usize;
                    if b == a {
                        continue;
                    }
                    for &t2 in &self.on[b] {
                        let t2 = t2 as usize;
                        let e2 = self.of[t2] as usize;
                        let Some(g) = m.edge_to(t2, a as u32) else {
                            continue;
                        };
                        let delta = m.edges[f].cost + m.edges[g].cost - cc - m.edges[e2].cost;
                        if delta >= -eps || swap.is_some_and(|s| delta >= s.0) {
                            continue;
                        }
                        let fits_a = self.used[a] - m.edges[e1].load + m.edges[g].load
                            <= m.cap[a] + 1e-9 * m.cap[a].max(1.0);
                        let fits_b = self.used[b] - m.edges[e2].load + m.edges[f].load
                            <= m.cap[b] + 1e-9 * m.cap[b].max(1.0);
                        if fits_a && fits_b {
                            swap = Some((delta, f, t2, g));
                        }
                    }
                }
                if let Some((_, f, t2, g)) = swap {
                    self.remove(m, t);
                    self.remove(m, t2);
                    self.force(m, t, f as u32);
                    self.force(m, t2, g as u32);
                    improved = true;
                    continue;
                }
                if !deep {
                    continue;
                }
                if let Some((f, t2, g)) = self.chain(m, t, e1) {
                    self.apply_chain(m, t, f, t2, g);
                    improved = true;
                }
            }
            rounds += 1;
            if !improved || rounds >= max_rounds || budget.spend(m.edges.len() as u64) {
                break;
            }
        }
    }

    /// An improving ejection chain: `t` moves from its edge `e1` to agent b,
    /// whose task t2 moves to a third agent (or out, at its penalty) to make room.
    fn chain(&self, m: &Model, t: usize, e1: usize) -> Option<(usize, usize, u32)> {
        let eps = 1e-9;
        let a = m.edges[e1].agent as usize;
        let cc = m.edges[e1].cost;
        let ga = m.group_of[a];
        let mut best: Option<(f64, usize, usize, u32)> = None;
        for f in m.task_edges(t) {
            let b = m.edges[f].agent as usize;
            if b == a {
                continue;
            }
            let gain1 = m.edges[f].cost - cc;
            // t2's move must gain more than t's costs.
            let excess = self.used[b] + m.edges[f].load - m.cap[b] * (1.0 + 1e-12);
            // t joins b and t2 leaves it, so b's group count is unchanged.
            for &t2 in &self.on[b] {
                let t2 = t2 as usize;
                let e2 = self.of[t2] as usize;
                if m.edges[e2].load < excess {
                    continue;
                }
                let base = gain1 - m.edges[e2].cost;
                if base + m.cheapest[t2] >= best.map_or(-eps, |x| x.0) {
                    continue;
                }
                for g in m.task_edges(t2) {
                    let c = m.edges[g].agent as usize;
                    if c == a || c == b {
                        continue;
                    }
                    let delta = base + m.edges[g].cost;
                    if delta >= -eps || best.is_some_and(|x| delta >= x.0) {
                        continue;
                    }
                    let fits = self.used[c] + m.edges[g].load
                        <= m.cap[c] + 1e-9 * m.cap[c].max(1.0)
                        && m.group_of[c].is_none_or(|gc| {
                            Some(gc) == ga
                                || self.group_count[gc as usize] < m.group_cap[gc as usize]
                        });
                    if fits {
                        best = Some((delta, f, t2, g as u32));
                    }
                }
                if let Some(p) = m.penalty[t2] {
                    let delta = base + p;
                    if delta < -eps && best.is_none_or(|x| delta < x.0) {
                        best = Some((delta, f, t2, LEFT_OUT));
                    }
                }
            }
        }
        best.map(|(_, f, t2, g)| (f, t2, g))
    }

    /// Moves `t` to edge `f` and `t2` to `g` (an edge or `LEFT_OUT`).
    fn apply_chain(&mut self, m: &Model, t: usize, f: usize, t2: usize, g: u32) {
        self.remove(m, t);
        self.remove(m, t2);
        self.force(m, t, f as u32);
        if g == LEFT_OUT {
            self.of[t2] = LEFT_OUT;
        } else {
            self.force(m, t2, g);
        }
    }

    /// Places without the group check (a swap keeps every group's count).
    fn force(&mut self, m: &Model, t: usize, e: u32) {
        let edge = m.edges[e as usize];
        let a = edge.agent as usize;
        self.used[a] += edge.load;
        if let Some(g) = m.group_of[a] {
            self.group_count[g as usize] += 1;
        }
        self.on[a].push(t as u32);
        self.of[t] = e;
    }
}

/// The smallest and second-smallest of some costs (∞ where there are too few).
pub(super) fn two_smallest(costs: impl Iterator<Item = f64>) -> (f64, f64) {
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
