//! A step's undo log — each day touched kept as it was, each request moved
//! — and the best days seen, recorded and put back.

use super::Part;
use crate::dispatch::days::NONE;

impl Part<'_, '_> {
    /// Keeps technician `t`'s day as it was before this step, once.
    pub(super) fn save(&mut self, t: usize) {
        if self.saved_at[t] != self.step {
            self.saved_at[t] = self.step;
            self.saved.push((t as u32, self.days.days[t].clone()));
        }
        if !self.is_dirty[t] {
            self.is_dirty[t] = true;
            self.dirty.push(t as u32);
        }
    }

    /// Forgets the undo log: the step stands.
    pub(super) fn commit(&mut self) {
        self.saved.clear();
        self.moved.clear();
    }

    /// Restores the days and the requests the step touched.
    pub(super) fn undo(&mut self) {
        for (t, day) in std::mem::take(&mut self.saved).into_iter().rev() {
            self.days.restore_day(t as usize, day);
        }
        let moved = std::mem::take(&mut self.moved);
        for &(i, t) in moved.iter().rev() {
            self.days.tech_of[i as usize] = t;
        }
        for &(i, _) in &moved {
            if self.days.tech_of[i as usize] == NONE {
                self.push_out(i);
            } else {
                self.pull_out(i);
            }
        }
        self.moved = moved;
        self.moved.clear();
    }

    pub(super) fn record_best(&mut self) {
        if self.objective < self.best_objective - 1e-9 * self.best_objective.abs().max(1.0) {
            self.best_objective = self.objective;
            for t in self.dirty.drain(..) {
                let t = t as usize;
                self.is_dirty[t] = false;
                self.best[t].clone_from(&self.days.days[t].stops);
            }
        }
    }

    /// Puts the best days seen back (the days of the part only).
    pub(super) fn restore_best(&mut self) {
        if self.objective <= self.best_objective + 1e-9 * self.best_objective.abs().max(1.0) {
            return;
        }
        let techs: Vec<usize> = self.techs.iter().map(|&t| t as usize).collect();
        for &t in &techs {
            while !self.days.days[t].stops.is_empty() {
                let pos = self.days.days[t].stops.len() - 1;
                self.days.remove_at(t, pos);
            }
        }
        for &t in &techs {
            let stops = std::mem::take(&mut self.best[t]);
            for (pos, &i) in stops.iter().enumerate() {
                self.days.insert(t, i as usize, pos);
            }
            self.best[t] = stops;
        }
        for k in 0..self.requests.len() {
            let i = self.requests[k];
            if self.days.tech_of[i as usize] == NONE {
                self.push_out(i);
            } else {
                self.pull_out(i);
            }
        }
        self.objective = self.own_objective();
    }
}
