//! Time limits in seconds, turned into deadlines without panics: the one
//! place where the solvers of [`assign`](crate::assign) and
//! [`planning`](crate::planning) convert a number of seconds into a `Duration` or
//! an `Instant`.
//!
//! A time limit is any number of seconds > 0, however large: `1e20`,
//! `f64::MAX` and `f64::INFINITY` all mean "no deadline in practice".
//! `Duration::from_secs_f64` panics on such numbers and `Instant + Duration`
//! may overflow, so every solver goes through [`Deadline::after`] and
//! [`solver_seconds`] instead.

use crate::error::{ErrorKind, Result};
use std::time::{Duration, Instant};

/// Time limits at or above this many seconds (about 31 years) mean no
/// deadline; good_lp's backends are given at most this many.
pub(crate) const NO_DEADLINE_S: f64 = 1e9;

/// Refuses a time limit that is not a number of seconds > 0 (NaN, zero,
/// negative); accepts any positive number, infinity included.
///
/// # Errors
/// [`ErrorKind::Parameter`] naming the setting.
pub(crate) fn check_time_limit(name: &'static str, seconds: f64) -> Result<()> {
    if seconds > 0.0 {
        return Ok(());
    }
    Err(ErrorKind::Parameter {
        name,
        message: format!("{seconds} is not a number of seconds > 0"),
    }
    .into())
}

/// The seconds to hand to an LP/MIP backend (good_lp's `with_time_limit`,
/// which converts them with `Duration::from_secs_f64`): at most
/// [`NO_DEADLINE_S`], and never NaN or negative.
pub(crate) fn solver_seconds(seconds: f64) -> f64 {
    if seconds > 0.0 {
        seconds.min(NO_DEADLINE_S)
    } else {
        0.0
    }
}

/// A point in time after which a search stops, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline.
    pub const NONE: Deadline = Deadline(None);

    /// `seconds` after `start`; none for limits of [`NO_DEADLINE_S`] or more
    /// (infinity included) and when the clock cannot represent the instant.
    /// A limit that is NaN or not positive is due at once (callers check
    /// limits with [`check_time_limit`] first).
    pub fn after(start: Instant, seconds: f64) -> Deadline {
        if seconds >= NO_DEADLINE_S {
            return Deadline::NONE;
        }
        let left = if seconds > 0.0 {
            Duration::from_secs_f64(seconds)
        } else {
            Duration::ZERO
        };
        Deadline(start.checked_add(left))
    }

    /// `after(start, seconds)` for an optional limit: none without one.
    pub fn maybe_after(start: Instant, seconds: Option<f64>) -> Deadline {
        seconds.map_or(Deadline::NONE, |s| Deadline::after(start, s))
    }

    /// Whether the deadline has passed.
    pub fn passed(&self) -> bool {
        self.0.is_some_and(|d| Instant::now() >= d)
    }

    /// Time left, `None` without a deadline.
    pub fn left(&self) -> Option<Duration> {
        self.0.map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Seconds left (infinite without a deadline).
    pub fn seconds_left(&self) -> f64 {
        self.left().map_or(f64::INFINITY, |d| d.as_secs_f64())
    }

    /// A deadline `share` (0–1) of the time left from now.
    pub fn share(&self, share: f64) -> Deadline {
        let now = Instant::now();
        match self.0 {
            None => Deadline::NONE,
            Some(d) => {
                let left = d.saturating_duration_since(now);
                Deadline(now.checked_add(left.mul_f64(share.clamp(0.0, 1.0))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_infinite_limits_are_no_deadline_and_never_panic() {
        let now = Instant::now();
        for s in [1e9, 1e20, f64::MAX, f64::INFINITY] {
            let d = Deadline::after(now, s);
            assert_eq!(d, Deadline::NONE, "{s}");
            assert!(!d.passed());
            assert_eq!(d.seconds_left(), f64::INFINITY);
            assert_eq!(solver_seconds(s), NO_DEADLINE_S);
            assert!(check_time_limit("t", s).is_ok());
        }
        // The largest limit taken at its word still converts.
        let d = Deadline::after(now, NO_DEADLINE_S * (1.0 - 1e-12));
        assert!(!d.passed() && d.seconds_left() > 1e8);
        assert!(Deadline::after(now, 1e-12).share(0.5).left().is_some());
    }

    #[test]
    fn nan_zero_and_negative_limits_are_parameter_errors_naming_the_setting() {
        for s in [f64::NAN, 0.0, -0.0, -1.0, f64::NEG_INFINITY] {
            let e = check_time_limit("time_limit_s", s).unwrap_err();
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::Parameter {
                        name: "time_limit_s",
                        ..
                    }
                ),
                "{s}"
            );
            assert!(Deadline::after(Instant::now(), s).passed(), "{s}");
            assert_eq!(solver_seconds(s), 0.0);
        }
    }
}
