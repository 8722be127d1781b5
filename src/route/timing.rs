//! The timing rule of a technician's day, written once.
//!
//! A technician leaves its start (the base, or where it stands when the
//! shift begins) no earlier than the shift's start, drives to the first
//! visit, waits there for the window to open if early, serves, drives on,
//! and after the last visit drives back to the base, which it must reach by
//! the shift's end. A visit must *start* by its window's end (the promised
//! deadline) and may run past it. The technician leaves its start as late as
//! the first visit allows, so it never waits at the first door; this moves
//! no start time, since every visit starts as early as the rule lets it.
//!
//! Every strategy, live insertion, the routing of a day and the simulator
//! time visits with these functions; [`verify`](crate::verify) keeps an
//! independent copy of the rule.

use super::Job;

/// Tolerance of time comparisons, in minutes.
pub(crate) const EPS: f64 = 1e-9;

/// When a visit of a day happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Times {
    /// Arrival at the customer, minutes.
    pub arrive_min: f64,
    /// Start of the visit: the arrival or the window's start, whichever is later.
    pub start_min: f64,
    /// End of the visit, when the technician leaves.
    pub depart_min: f64,
}

/// The visit's times when the technician leaves the previous place at
/// `leave_min` on a leg of `leg_min` minutes; `None` when it would start
/// after its window's end.
#[inline]
pub fn visit(leave_min: f64, leg_min: f64, job: &Job) -> Option<Times> {
    let arrive_min = leave_min + leg_min;
    if arrive_min > job.window_end_min + EPS {
        return None;
    }
    let start_min = start(arrive_min, job.window_start_min);
    Some(Times {
        arrive_min,
        start_min,
        depart_min: start_min + job.service_min,
    })
}

/// When a visit starts: at the arrival, or when its window opens if the
/// technician is early. Every place that times a visit starts it here.
#[inline]
pub fn start(arrive_min: f64, window_start_min: f64) -> f64 {
    arrive_min.max(window_start_min)
}

/// Whether a day that is back at the base at `end_min` keeps a shift ending at `shift_end_min`.
#[inline]
pub fn in_shift(end_min: f64, shift_end_min: f64) -> bool {
    end_min <= shift_end_min + EPS
}

/// When the technician leaves its start for a first visit `leg_min` minutes
/// away: as late as the visit's window allows, never before the shift.
#[inline]
pub fn first_departure(shift_start_min: f64, leg_min: f64, job: &Job) -> f64 {
    (job.window_start_min - leg_min).max(shift_start_min)
}

/// The latest start of a visit (its window's end, and early enough to
/// leave by `leave_by_min` after `service_min` on site) that keeps the rest
/// of the day feasible: the backward pass of the timing rule, from the
/// shift's end less the way back, through each later visit's latest start
/// less the leg to it.
#[inline]
pub fn latest_start(window_end_min: f64, service_min: f64, leave_by_min: f64) -> f64 {
    window_end_min.min(leave_by_min - service_min)
}

/// A timed day: when the technician leaves its start, each visit's times,
/// and when it is back at the base.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// When the technician leaves its start, minutes.
    pub leave_min: f64,
    /// The visits' times, in order.
    pub times: Vec<Times>,
    /// When the technician is back at the base, minutes.
    pub end_min: f64,
}

/// The day of visits `jobs`, each reached by a leg of `legs_min[k]` minutes
/// from the previous visit (the first from the start), and `return_min`
/// minutes back to the base, inside the shift `[shift_start_min,
/// shift_end_min]`; `None` when a window or the shift's end is missed.
///
/// # Panics
/// When `legs_min` and `jobs` differ in length.
///
/// # Example
/// ```
/// use servnet::route::{Job, schedule};
/// let job = |a, b| Job { window_start_min: a, window_end_min: b, service_min: 30.0 };
/// let day = schedule(480.0, 1080.0, &[20.0, 10.0], &[job(600.0, 840.0), job(480.0, 660.0)], 25.0).unwrap();
/// assert_eq!(day.leave_min, 580.0); // leaves so as to arrive as the first window opens
/// assert_eq!(day.times[1].start_min, 640.0); // 600 + 30 on site + 10 on the road
/// assert_eq!(day.end_min, 695.0);
/// assert!(schedule(480.0, 690.0, &[20.0, 10.0], &[job(600.0, 840.0), job(480.0, 660.0)], 25.0).is_none());
/// ```
pub fn schedule(
    shift_start_min: f64,
    shift_end_min: f64,
    legs_min: &[f64],
    jobs: &[Job],
    return_min: f64,
) -> Option<Schedule> {
    assert_eq!(legs_min.len(), jobs.len(), "one leg per visit");
    let leave_min = match (legs_min.first(), jobs.first()) {
        (Some(&leg), Some(job)) => first_departure(shift_start_min, leg, job),
        _ => shift_start_min,
    };
    let mut times = Vec::with_capacity(jobs.len());
    let mut t = leave_min;
    for (&leg, job) in legs_min.iter().zip(jobs) {
        let tm = visit(t, leg, job)?;
        t = tm.depart_min;
        times.push(tm);
    }
    let end_min = if jobs.is_empty() {
        leave_min
    } else {
        t + return_min
    };
    in_shift(end_min, shift_end_min).then_some(Schedule {
        leave_min,
        times,
        end_min,
    })
}
