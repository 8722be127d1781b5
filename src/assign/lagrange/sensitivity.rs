//! Fixing by sensitivity: edges that cannot be in an assignment below the
//! cutoff are forbidden, and edges that must be are fixed, from each
//! agent's knapsack values with an item forced in or out.

use super::dual::Ascent;
use super::model::{FREE, LEFT_OUT};
use super::search::Search;

impl Search<'_> {
    /// Forbids edges that cannot be in an assignment below the cutoff, and
    /// fixes edges that must be; false when the node holds none.
    pub fn fix_by_sensitivity(&mut self, asc: &Ascent) -> bool {
        let m = self.m;
        let cutoff = self.cutoff();
        let room = cutoff - asc.bound;
        let mut forced: Vec<(usize, u32)> = Vec::new();
        let agents = if cutoff.is_finite() { m.cap.len() } else { 0 };
        for a in 0..agents {
            // Fixing by an agent's tables is sound on its own: stop between agents when spent.
            if self.spent() {
                break;
            }
            let shift = m.group_of[a].map_or(0.0, |g| asc.mu[g as usize]);
            self.collect_items(a, &asc.lambda, &asc.mu);
            let budget = &self.budget;
            let exact = m.integral[a]
                && self
                    .sens
                    .compute(&self.items, self.st.room(m, a), |cells| budget.spend(cells));
            if exact {
                let best = self.sens.best();
                for (k, it) in self.items.iter().enumerate() {
                    let e = it.edge as usize;
                    if best - self.sens.with[k] >= room {
                        self.st.forbid(e);
                    } else if best - self.sens.without[k] >= room {
                        forced.push((m.edges[e].task as usize, it.edge));
                    }
                }
            }
            for edge in m.of_agent(a) {
                let e = edge.edge as usize;
                if !self.st.open(m, e) {
                    continue;
                }
                let re = edge.cost - asc.lambda[edge.task as usize] + shift;
                if re < 0.0 && edge.load <= self.st.room(m, a) {
                    continue;
                }
                // Forcing an item that was not worth taking: its reduced cost plus the capacity it takes.
                let loss = if exact {
                    re + self.sens.best() - self.sens.within(edge.load)
                } else {
                    re
                };
                if loss >= room {
                    self.st.forbid(e);
                }
            }
        }
        forced.sort_unstable();
        for w in forced.windows(2) {
            if w[0].0 == w[1].0 && w[0].1 != w[1].1 {
                return false;
            }
        }
        forced.dedup();
        for (t, e) in forced {
            if self.st.fixed[t] == FREE && !self.st.forbidden[e as usize] && !self.st.fix(m, t, e) {
                return false;
            }
        }
        // Tasks left with no option, or with one.
        for t in 0..m.tasks() {
            if self.st.fixed[t] != FREE {
                continue;
            }
            let mut open = m.task_edges(t).filter(|&e| !self.st.forbidden[e]);
            let one = open.next();
            let two = open.next();
            let only = match (one, two, m.penalty[t].is_some()) {
                (None, _, false) => return false,
                (None, _, true) => Some(LEFT_OUT),
                (Some(e), None, false) => Some(e as u32),
                _ => None,
            };
            if let Some(option) = only
                && !self.st.fix(m, t, option)
            {
                return false;
            }
        }
        true
    }
}
