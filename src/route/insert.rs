//! Live insertion of one more visit into a timed route, in `O(length)`.

use super::{EPS, Job};
use crate::travel::Leg;

/// A visit of a timed route, as insertion sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedStop {
    /// Planned start of the visit, minutes.
    pub start_min: f64,
    /// Minutes on site.
    pub service_min: f64,
    /// Earliest start the window allows.
    pub window_start_min: f64,
    /// Latest start the window allows.
    pub window_end_min: f64,
    /// Minutes of the leg into the visit.
    pub leg_min: f64,
    /// Km of the leg into the visit.
    pub leg_km: f64,
}

/// A technician's timed route: the shift, when the technician leaves the
/// base, the visits in order and the way back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeline<'a> {
    /// Start of the shift, minutes.
    pub shift_start_min: f64,
    /// End of the shift, minutes.
    pub shift_end_min: f64,
    /// When the technician leaves the base.
    pub depart_min: f64,
    /// The visits, in order.
    pub stops: &'a [TimedStop],
    /// Minutes from the last visit back to the base (0 without visits).
    pub return_min: f64,
    /// Km from the last visit back to the base (0 without visits).
    pub return_km: f64,
}

/// Where and when a new visit fits into a route.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// The new visit goes before this visit of the route (its length: at the end).
    pub position: usize,
    /// When the technician leaves the previous visit (or the base) for the new one.
    pub leave_min: f64,
    /// Arrival at the new visit.
    pub arrive_min: f64,
    /// Start of the new visit.
    pub start_min: f64,
    /// Minutes of driving the route gains.
    pub extra_min: f64,
    /// Km of driving the route gains.
    pub extra_km: f64,
    /// `per_min × extra_min + per_km × extra_km` for the weights asked for.
    pub extra_cost: f64,
}

/// The latest start of each visit that keeps every later visit inside its
/// window and the return by the shift's end (a backward pass).
///
/// # Complexity
/// `O(length)`.
pub fn latest_starts(t: &Timeline) -> Vec<f64> {
    let mut out = vec![0.0; t.stops.len()];
    let mut limit = t.shift_end_min - t.return_min;
    for (i, s) in t.stops.iter().enumerate().rev() {
        out[i] = super::timing::latest_start(s.window_end_min, s.service_min, limit);
        limit = out[i] - s.leg_min;
    }
    out
}

/// The cheapest place for `job` in the route that keeps every visit in its
/// window and the return by the shift's end, where the technician has not
/// yet left the previous visit (or the base) at `now_min`: visits already
/// started, or driven to, keep their place and times, later ones may start
/// later.
///
/// `legs(position)` gives the legs from the previous visit (or the base)
/// to the job and from the job to the next visit (or the base); `latest` is
/// [`latest_starts`] of the route. The cost of a place is `per_min ×
/// minutes + per_km × km` of the driving it adds; ties go to fewer minutes,
/// then fewer km, then the earlier place. The technician leaves the base no
/// earlier than the shift's start and `now_min`, and, for a new first
/// visit, no earlier than needed to arrive at its window's start.
///
/// # Complexity
/// `O(length)` plus one call of `legs` per place tried.
pub fn cheapest_slot(
    t: &Timeline,
    latest: &[f64],
    job: &Job,
    now_min: f64,
    (per_min, per_km): (f64, f64),
    mut legs: impl FnMut(usize) -> (Leg, Leg),
) -> Option<Slot> {
    let n = t.stops.len();
    let mut best: Option<Slot> = None;
    for pos in 0..=n {
        let leave = if pos == 0 {
            if n > 0 && t.depart_min < now_min - EPS {
                continue;
            }
            t.shift_start_min.max(now_min)
        } else {
            let s = &t.stops[pos - 1];
            let leave = s.start_min + s.service_min;
            if leave < now_min - EPS {
                continue;
            }
            leave
        };
        let (into, out) = legs(pos);
        let Some(times) = super::timing::visit(leave, into.minutes, job) else {
            continue;
        };
        let (arrive, start) = (times.arrive_min, times.start_min);
        let done = times.depart_min + out.minutes;
        let (skip_min, skip_km) = if pos == n {
            if !super::timing::in_shift(done, t.shift_end_min) {
                continue;
            }
            (t.return_min, t.return_km)
        } else {
            let q = &t.stops[pos];
            if latest
                .get(pos)
                .is_none_or(|&l| done.max(q.window_start_min) > l + EPS)
            {
                continue;
            }
            (q.leg_min, q.leg_km)
        };
        let extra_min = into.minutes + out.minutes - skip_min;
        let extra_km = into.km + out.km - skip_km;
        let extra_cost = per_min * extra_min + per_km * extra_km;
        let better = best.as_ref().is_none_or(|b| {
            let key = |x: f64, y: f64| {
                if (x - y).abs() <= EPS {
                    std::cmp::Ordering::Equal
                } else {
                    x.total_cmp(&y)
                }
            };
            key(extra_cost, b.extra_cost)
                .then(key(extra_min, b.extra_min))
                .then(key(extra_km, b.extra_km))
                .is_lt()
        });
        if better {
            let (leave, arrive) = if pos == 0 {
                let l = super::timing::first_departure(leave, into.minutes, job);
                (l, l + into.minutes)
            } else {
                (leave, arrive)
            };
            best = Some(Slot {
                position: pos,
                leave_min: leave,
                arrive_min: arrive,
                start_min: start,
                extra_min,
                extra_km,
                extra_cost,
            });
        }
    }
    best
}
