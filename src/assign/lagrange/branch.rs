//! Depth-first branch and bound: a node fixes what the sensitivity of its
//! knapsacks allows, re-optimises its multipliers, and branches on a task
//! the relaxation covers not exactly once.

use super::dual::Ascent;
use super::model::{FREE, LEFT_OUT};
use super::search::Search;

impl Search<'_> {
    /// Branch and bound below a node whose ascent is given.
    pub fn node(&mut self, asc: Ascent) {
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
    pub fn untight(&self, asc: &Ascent) -> std::result::Result<(usize, u32), f64> {
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

    pub fn task_has_option(&self, t: usize) -> bool {
        self.m.penalty[t].is_some() || self.m.task_edges(t).any(|e| !self.st.forbidden[e])
    }

    /// A free task the relaxation does not cover exactly once, and the edge to branch on.
    pub fn branching(&self, asc: &Ascent) -> Option<(usize, u32)> {
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
}
