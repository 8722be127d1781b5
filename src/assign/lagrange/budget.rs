//! What a search may spend: a deadline on the clock and a limit of work.
//!
//! Work is counted in steps the search reports at fixed points of its loops
//! (roughly one per task looked at), so a run that ends on the work limit
//! ends at the same point on every machine; a run that ends on the
//! deadline depends on the machine's speed.

use std::cell::Cell;
use std::time::{Duration, Instant};

pub(super) struct Budget {
    deadline: Instant,
    limit: u64,
    used: Cell<u64>,
}

impl Budget {
    pub fn new(deadline: Instant, limit: u64) -> Budget {
        Budget {
            deadline,
            limit,
            used: Cell::new(0),
        }
    }

    /// A budget no test reaches: a minute and no limit of work.
    #[cfg(test)]
    pub fn ample() -> Budget {
        Budget::new(Instant::now() + Duration::from_secs(60), u64::MAX)
    }

    /// Records `steps` of work; true once the work or the time is spent.
    pub fn spend(&self, steps: u64) -> bool {
        let used = self.used.get().saturating_add(steps);
        self.used.set(used);
        used >= self.limit || Instant::now() >= self.deadline
    }

    /// A budget of `share` of what is left of both, counting on from here;
    /// hand it back with [`Budget::absorb`].
    pub fn part(&self, share: f64) -> Budget {
        let now = Instant::now();
        let left = self.deadline.saturating_duration_since(now);
        let used = self.used.get();
        let work = (self.limit.saturating_sub(used) as f64 * share) as u64;
        Budget {
            deadline: now + left.mul_f64(share),
            limit: used.saturating_add(work),
            used: Cell::new(used),
        }
    }

    /// Counts the work of a [`Budget::part`] as spent here.
    pub fn absorb(&self, part: Budget) {
        self.used.set(self.used.get().max(part.used.get()));
    }

    /// Time left before the deadline.
    pub fn time_left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}
