//! What a search of [`assign`](crate::assign) or [`planning`](crate::planning) may
//! spend: a deadline on the clock and a limit of work.
//!
//! Work is counted in steps the search reports at fixed points of its loops,
//! so a run that ends on the work limit ends at the same point on every
//! machine and every run; a run that ends on the deadline depends on the
//! machine's speed.

use super::deadline::Deadline;
use std::cell::Cell;
use std::time::Duration;

/// A deadline and a work limit, and the work done so far.
///
/// Once spent, a budget stays spent: the work done only grows and the
/// deadline does not move.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    deadline: Deadline,
    limit: Option<u64>,
    used: Cell<u64>,
}

impl Budget {
    /// A budget ending at `deadline` or after `limit` steps of work, whichever comes first.
    pub fn new(deadline: Deadline, limit: Option<u64>) -> Budget {
        Budget {
            deadline,
            limit,
            used: Cell::new(0),
        }
    }

    /// No deadline and no limit of work.
    pub fn unlimited() -> Budget {
        Budget::new(Deadline::NONE, None)
    }

    /// A budget no test reaches: a minute and no limit of work.
    #[cfg(test)]
    pub fn ample() -> Budget {
        Budget::new(
            Deadline::after(std::time::Instant::now(), 60.0),
            Some(u64::MAX),
        )
    }

    /// Records `steps` of work; true once the work or the time is spent (and from then on).
    pub fn spend(&self, steps: u64) -> bool {
        let used = self.used.get().saturating_add(steps);
        self.used.set(used);
        self.limit.is_some_and(|l| used >= l) || self.deadline.passed()
    }

    /// Whether the work or the time is spent, without recording any.
    pub fn spent(&self) -> bool {
        self.spend(0)
    }

    /// Whether the deadline has passed.
    pub fn time_up(&self) -> bool {
        self.deadline.passed()
    }

    /// The work done so far.
    pub fn used(&self) -> u64 {
        self.used.get()
    }

    /// The work count at which `share` (0–1) of the work left is spent; `None` without a limit.
    pub fn work_mark(&self, share: f64) -> Option<u64> {
        let used = self.used.get();
        self.limit.map(|l| {
            let left = l.saturating_sub(used) as f64;
            used.saturating_add((left * share.clamp(0.0, 1.0)) as u64)
        })
    }

    /// A budget of `share` of what is left of both, counting on from here;
    /// hand it back with [`Budget::absorb`].
    pub fn part(&self, share: f64) -> Budget {
        let used = self.used.get();
        Budget {
            deadline: self.deadline.share(share),
            limit: self.limit.map(|l| {
                let work = (l.saturating_sub(used) as f64 * share) as u64;
                used.saturating_add(work)
            }),
            used: Cell::new(used),
        }
    }

    /// Counts the work of a [`Budget::part`] as spent here.
    pub fn absorb(&self, part: Budget) {
        self.used.set(self.used.get().max(part.used.get()));
    }

    /// The deadline.
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// Time left before the deadline (`Duration::MAX` without one).
    pub fn time_left(&self) -> Duration {
        self.deadline.left().unwrap_or(Duration::MAX)
    }
}
