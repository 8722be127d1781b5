//! What a search may spend: a deadline on the clock and a limit of work.
//!
//! Work is counted in steps the search reports at fixed points of its loops
//! (roughly one per task looked at), so a run that ends on the work limit
//! ends at the same point on every machine; a run that ends on the
//! deadline depends on the machine's speed.

use crate::assign::deadline::Deadline;
use std::cell::Cell;
use std::time::Duration;

pub(super) struct Budget {
    deadline: Deadline,
    limit: u64,
    used: Cell<u64>,
}

impl Budget {
    pub fn new(deadline: Deadline, limit: u64) -> Budget {
        Budget {
            deadline,
            limit,
            used: Cell::new(0),
        }
    }

    /// A budget no test reaches: a minute and no limit of work.
    #[cfg(test)]
    pub fn ample() -> Budget {
        Budget::new(Deadline::after(std::time::Instant::now(), 60.0), u64::MAX)
    }

    /// Records `steps` of work; true once the work or the time is spent.
    pub fn spend(&self, steps: u64) -> bool {
        let used = self.used.get().saturating_add(steps);
        self.used.set(used);
        used >= self.limit || self.deadline.passed()
    }

    /// Whether the deadline has passed.
    pub fn time_up(&self) -> bool {
        self.deadline.passed()
    }

    /// Whether the work or the time is spent, without recording any.
    pub fn spent(&self) -> bool {
        self.spend(0)
    }

    /// A budget of `share` of what is left of both, counting on from here;
    /// hand it back with [`Budget::absorb`].
    pub fn part(&self, share: f64) -> Budget {
        let used = self.used.get();
        let work = (self.limit.saturating_sub(used) as f64 * share) as u64;
        Budget {
            deadline: self.deadline.share(share),
            limit: used.saturating_add(work),
            used: Cell::new(used),
        }
    }

    /// Counts the work of a [`Budget::part`] as spent here.
    pub fn absorb(&self, part: Budget) {
        self.used.set(self.used.get().max(part.used.get()));
    }

    /// Time left before the deadline (`Duration::MAX` without one).
    pub fn time_left(&self) -> Duration {
        self.deadline.left().unwrap_or(Duration::MAX)
    }
}
