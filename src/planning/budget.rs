//! What a planning search may spend: a deadline and a count of work.
//!
//! Work is counted in steps of the search's own loops, so a run that a work
//! limit ends stops at the same point on every machine and every run; a run
//! that the deadline ends depends on the machine's speed.

use crate::assign::deadline::Deadline;

/// A deadline and a work limit, and the work done so far.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    deadline: Deadline,
    limit: Option<u64>,
    used: u64,
    spent: bool,
}

impl Budget {
    /// A budget ending at `deadline` or after `limit` steps of work, whichever comes first.
    pub fn new(deadline: Deadline, limit: Option<u64>) -> Budget {
        Budget {
            deadline,
            limit,
            used: 0,
            spent: false,
        }
    }

    /// No deadline and no limit of work.
    pub fn unlimited() -> Budget {
        Budget::new(Deadline::NONE, None)
    }

    /// Records `steps` of work; true once the work or the time is spent (and from then on).
    pub fn spend(&mut self, steps: u64) -> bool {
        self.used = self.used.saturating_add(steps);
        if !self.spent && (self.limit.is_some_and(|l| self.used >= l) || self.deadline.passed()) {
            self.spent = true;
        }
        self.spent
    }

    /// The work done so far.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// The work count at which `share` (0–1) of the work left is spent; `None` without a limit.
    pub fn work_mark(&self, share: f64) -> Option<u64> {
        self.limit.map(|l| {
            let left = l.saturating_sub(self.used) as f64;
            self.used
                .saturating_add((left * share.clamp(0.0, 1.0)) as u64)
        })
    }

    /// The deadline.
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }
}
