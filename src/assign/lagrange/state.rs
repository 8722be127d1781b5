//! The node of the branch-and-bound tree: fixed tasks and forbidden edges,
//! the capacity they leave, and the trail that undoes them.

use super::model::{FREE, LEFT_OUT, Model};

/// The node of the branch-and-bound tree being solved: fixed tasks and forbidden edges.
pub(super) struct State {
    pub forbidden: Vec<bool>,
    pub forbidden_count: usize,
    /// Per task: `FREE`, `LEFT_OUT` or the fixed edge.
    pub fixed: Vec<u32>,
    pub residual: Vec<f64>,
    pub group_left: Vec<i64>,
    pub fixed_cost: f64,
    pub trail: Vec<Change>,
}

#[derive(Clone, Copy)]
pub(super) enum Change {
    Forbid(u32),
    Fix(u32, u32),
}

impl State {
    pub fn new(m: &Model) -> State {
        State {
            forbidden: vec![false; m.edges.len()],
            forbidden_count: 0,
            fixed: vec![FREE; m.tasks()],
            residual: m.cap.to_vec(),
            group_left: m.group_cap.iter().map(|&c| i64::from(c)).collect(),
            fixed_cost: 0.0,
            trail: Vec::new(),
        }
    }

    pub fn forbid(&mut self, e: usize) {
        if !self.forbidden[e] {
            self.forbidden[e] = true;
            self.forbidden_count += 1;
            self.trail.push(Change::Forbid(e as u32));
        }
    }

    /// Fixes task `t` to `option` (an edge or `LEFT_OUT`); false if it breaks a capacity.
    pub fn fix(&mut self, m: &Model, t: usize, option: u32) -> bool {
        debug_assert_eq!(self.fixed[t], FREE);
        self.fixed[t] = option;
        self.trail.push(Change::Fix(t as u32, option));
        if option == LEFT_OUT {
            self.fixed_cost += m.penalty[t].unwrap_or(f64::INFINITY);
            return m.penalty[t].is_some();
        }
        let e = m.edges[option as usize];
        let a = e.agent as usize;
        self.residual[a] -= e.load;
        self.fixed_cost += e.cost;
        let mut ok = self.residual[a] >= -1e-9 * m.cap[a].max(1.0);
        if let Some(g) = m.group_of[a] {
            self.group_left[g as usize] -= 1;
            ok &= self.group_left[g as usize] >= 0;
        }
        ok
    }

    pub fn undo(&mut self, m: &Model, mark: usize) {
        while self.trail.len() > mark {
            match self.trail.pop() {
                Some(Change::Forbid(e)) => {
                    self.forbidden[e as usize] = false;
                    self.forbidden_count -= 1;
                }
                Some(Change::Fix(t, option)) => {
                    let t = t as usize;
                    self.fixed[t] = FREE;
                    if option == LEFT_OUT {
                        self.fixed_cost -= m.penalty[t].unwrap_or(f64::INFINITY);
                    } else {
                        let e = m.edges[option as usize];
                        let a = e.agent as usize;
                        self.residual[a] += e.load;
                        self.fixed_cost -= e.cost;
                        if let Some(g) = m.group_of[a] {
                            self.group_left[g as usize] += 1;
                        }
                    }
                }
                None => break,
            }
        }
    }

    /// The capacity agent `a` has left, with the tolerance [`AssignmentProblem::evaluate`] allows.
    pub fn room(&self, m: &Model, a: usize) -> f64 {
        self.residual[a] + 1e-9 * m.cap[a].max(1.0)
    }

    /// Whether the edge may still be used.
    pub fn open(&self, m: &Model, e: usize) -> bool {
        !self.forbidden[e] && self.fixed[m.edges[e].task as usize] == FREE
    }
}
