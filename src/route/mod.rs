//! One technician's day: the order of the visits, their times, and room for one more.
//!
//! A [`Day`] is a shift, a few [`Job`]s and a small travel [`DayMatrix`] between
//! the technician's base (node 0) and the jobs (node `j + 1` for job `j`).
//! [`solve`] orders the jobs from the base and back so that every visit
//! starts inside its window and the technician is back by the end of the
//! shift, serving as many jobs as can be served and, among such orders,
//! driving the fewest minutes (then the fewest km).
//!
//! # Time windows
//!
//! As in the model ([`TimeWindow`](crate::TimeWindow)), a window bounds the
//! *start* of a visit, both ends inclusive: a technician who arrives before
//! `window_start_min` waits; the visit must start no later than
//! `window_end_min` (the promised deadline) and may run past it.
//!
//! # Algorithms
//!
//! - [`construct`]: cheapest insertion, jobs taken by window end.
//! - [`improve`]: local search — 2-opt (reversal of a stretch), or-opt
//!   (moving a stretch of 2 or 3 visits) and relocate (moving one visit),
//!   each move taken only when the new order is feasible and strictly
//!   cheaper; then jobs left out are tried again.
//! - [`exact`]: labels over subsets (dynamic programming with dominance on
//!   minutes, km and time), exact for small days; [`brute_force`] is the
//!   reference it is tested against.
//! - [`cheapest_slot`]: live insertion into a timed route in `O(length)`,
//!   with the latest start of every later visit precomputed.
//!
//! Everything here is deterministic: ties are broken by position.

mod exact;
mod insert;
mod local;
pub mod timing;

pub use exact::{EXACT_MAX_JOBS, brute_force, exact};
pub use insert::{Slot, TimedStop, Timeline, cheapest_slot, latest_starts};
pub use local::{construct, improve};
pub use timing::{Schedule, Times, schedule};

use crate::error::{ErrorKind, Result};
use crate::travel::{Leg, TravelModel};
use geo::Point;
pub(crate) use timing::EPS;

/// Travel km and minutes between every pair of a few points.
#[derive(Debug, Clone, PartialEq)]
pub struct DayMatrix {
    n: usize,
    km: Vec<f64>,
    minutes: Vec<f64>,
}

impl DayMatrix {
    /// The legs of a travel model between every pair of `points`.
    ///
    /// # Complexity
    /// `n²` calls of [`TravelModel::leg`].
    pub fn new(travel: &dyn TravelModel, points: &[Point<f64>]) -> DayMatrix {
        DayMatrix::from_fn(points.len(), |i, j| travel.leg(points[i], points[j]))
    }

    /// A matrix of `n` nodes whose leg from `i` to `j` is `leg(i, j)`; the
    /// diagonal is zero whatever `leg` says.
    pub fn from_fn(n: usize, mut leg: impl FnMut(usize, usize) -> Leg) -> DayMatrix {
        let mut km = vec![0.0; n * n];
        let mut minutes = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let l = leg(i, j);
                    km[i * n + j] = l.km;
                    minutes[i * n + j] = l.minutes;
                }
            }
        }
        DayMatrix { n, km, minutes }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the matrix has no node.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Minutes from node `i` to node `j`.
    #[inline]
    pub fn minutes(&self, i: usize, j: usize) -> f64 {
        self.minutes[i * self.n + j]
    }

    /// Km from node `i` to node `j`.
    #[inline]
    pub fn km(&self, i: usize, j: usize) -> f64 {
        self.km[i * self.n + j]
    }
}

/// A visit to make: its window and its minutes on site.
///
/// [`timing`] says when it happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Job {
    /// Earliest start of the visit, minutes.
    pub window_start_min: f64,
    /// Latest start of the visit, minutes.
    pub window_end_min: f64,
    /// Minutes on site.
    pub service_min: f64,
}

/// One technician's day to route: a shift, jobs and the matrix between the
/// base (node 0) and the jobs (node `j + 1` for job `j`).
///
/// Legs out of node 0 leave the day's start and legs into node 0 return
/// to the base: for a technician who starts away from the base, the
/// matrix's row 0 holds the legs from the start.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    shift_start_min: f64,
    shift_end_min: f64,
    jobs: Vec<Job>,
    matrix: DayMatrix,
}

/// An order of a day's jobs: those served, in order, and those left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    /// Jobs in the order visited (indices into [`Day::jobs`]).
    pub order: Vec<usize>,
    /// Jobs no order could fit, ascending.
    pub missed: Vec<usize>,
    /// Minutes driven, the way back included.
    pub travel_min: f64,
    /// Km driven, the way back included.
    pub travel_km: f64,
}

impl Tour {
    /// Whether `self` is better than `other`: serves more jobs, or as many
    /// in fewer minutes (1e-9 tolerance), or as many minutes and fewer km.
    pub fn better_than(&self, other: &Tour) -> bool {
        better(
            (self.order.len(), self.travel_min, self.travel_km),
            (other.order.len(), other.travel_min, other.travel_km),
        )
    }
}

pub(crate) fn better(a: (usize, f64, f64), b: (usize, f64, f64)) -> bool {
    if a.0 != b.0 {
        return a.0 > b.0;
    }
    if (a.1 - b.1).abs() > EPS {
        return a.1 < b.1;
    }
    a.2 < b.2 - EPS
}

impl Day {
    /// A day; `matrix` has one node more than there are jobs.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when the matrix has the wrong size, the shift
    /// ends before it starts, or a job's window or minutes are not finite
    /// or its window ends before it starts.
    pub fn new(
        shift_start_min: f64,
        shift_end_min: f64,
        jobs: Vec<Job>,
        matrix: DayMatrix,
    ) -> Result<Day> {
        let bad = |name, message: String| Err(ErrorKind::Parameter { name, message }.into());
        if matrix.len() != jobs.len() + 1 {
            return bad(
                "matrix",
                format!(
                    "{} nodes for {} jobs and the base",
                    matrix.len(),
                    jobs.len()
                ),
            );
        }
        if !(shift_start_min.is_finite()
            && shift_end_min.is_finite()
            && shift_start_min <= shift_end_min)
        {
            return bad(
                "shift_end_min",
                format!("shift [{shift_start_min}, {shift_end_min}]"),
            );
        }
        for (j, job) in jobs.iter().enumerate() {
            if !(job.window_start_min.is_finite()
                && job.window_end_min.is_finite()
                && job.window_start_min <= job.window_end_min
                && job.service_min.is_finite()
                && job.service_min >= 0.0)
            {
                return bad("jobs", format!("job {j}: {job:?}"));
            }
        }
        Ok(Day {
            shift_start_min,
            shift_end_min,
            jobs,
            matrix,
        })
    }

    /// The jobs.
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// The travel matrix (node 0 the base).
    pub fn matrix(&self) -> &DayMatrix {
        &self.matrix
    }

    /// Start of the shift, minutes.
    pub fn shift_start_min(&self) -> f64 {
        self.shift_start_min
    }

    /// End of the shift, minutes.
    pub fn shift_end_min(&self) -> f64 {
        self.shift_end_min
    }

    /// Minutes and km of driving the order from the base and back.
    pub fn cost(&self, order: &[usize]) -> (f64, f64) {
        let m = &self.matrix;
        let (mut min, mut km, mut at) = (0.0, 0.0, 0);
        for &j in order {
            min += m.minutes(at, j + 1);
            km += m.km(at, j + 1);
            at = j + 1;
        }
        (min + m.minutes(at, 0), km + m.km(at, 0))
    }

    /// Whether the order keeps every window and ends by the shift's end,
    /// leaving the base at the shift's start.
    pub fn feasible(&self, order: &[usize]) -> bool {
        self.end_min(order).is_some()
    }

    /// When the technician is back at the base after driving `order`, leaving at the
    /// shift's start; `None` when a window or the shift's end is missed.
    pub fn end_min(&self, order: &[usize]) -> Option<f64> {
        let m = &self.matrix;
        let (mut t, mut at) = (self.shift_start_min, 0);
        for &j in order {
            t = timing::visit(t, m.minutes(at, j + 1), &self.jobs[j])?.depart_min;
            at = j + 1;
        }
        let end = t + m.minutes(at, 0);
        timing::in_shift(end, self.shift_end_min).then_some(end)
    }

    /// The times of each visit of a feasible order, leaving the base as late
    /// as the first visit allows (so the technician does not wait at the
    /// first door); `None` when the order is not feasible.
    pub fn times(&self, order: &[usize]) -> Option<(f64, Vec<Times>)> {
        let m = &self.matrix;
        let mut legs = Vec::with_capacity(order.len());
        let mut at = 0;
        for &j in order {
            legs.push(m.minutes(at, j + 1));
            at = j + 1;
        }
        let jobs: Vec<Job> = order.iter().map(|&j| self.jobs[j]).collect();
        let day = timing::schedule(
            self.shift_start_min,
            self.shift_end_min,
            &legs,
            &jobs,
            m.minutes(at, 0),
        )?;
        Some((day.leave_min, day.times))
    }

    pub(crate) fn tour(&self, order: Vec<usize>) -> Tour {
        let (travel_min, travel_km) = self.cost(&order);
        let mut served = vec![false; self.jobs.len()];
        for &j in &order {
            served[j] = true;
        }
        Tour {
            missed: (0..self.jobs.len()).filter(|&j| !served[j]).collect(),
            order,
            travel_min,
            travel_km,
        }
    }
}

/// How [`solve`] routes a day, and how `route_plan` handles the visits that do not fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteOptions {
    exact_up_to: usize,
    local_search: bool,
    repair: bool,
}

impl Default for RouteOptions {
    fn default() -> Self {
        RouteOptions {
            exact_up_to: 8,
            local_search: true,
            repair: true,
        }
    }
}

impl RouteOptions {
    /// Exact up to 8 jobs, local search above, repair on.
    pub fn new() -> Self {
        RouteOptions::default()
    }

    /// Days of at most this many jobs are solved exactly (default 8; at most 12, larger values are capped).
    pub fn exact_up_to(mut self, jobs: usize) -> Self {
        self.exact_up_to = jobs.min(12);
        self
    }

    /// Whether construction is followed by local search (default true).
    pub fn local_search(mut self, on: bool) -> Self {
        self.local_search = on;
        self
    }

    /// Whether `route_plan` tries to move a visit no order can fit to another
    /// technician before leaving it unassigned (default true).
    pub fn repair(mut self, on: bool) -> Self {
        self.repair = on;
        self
    }

    /// The largest day solved exactly.
    pub fn exact_limit(&self) -> usize {
        self.exact_up_to
    }

    /// Whether local search runs.
    pub fn uses_local_search(&self) -> bool {
        self.local_search
    }

    /// Whether `route_plan` repairs.
    pub fn repairs(&self) -> bool {
        self.repair
    }
}

/// Routes one day: exactly when it has at most [`RouteOptions::exact_up_to`]
/// jobs, else by [`construct`] and (unless turned off) [`improve`].
///
/// # Example
/// ```
/// use servnet::route::{Day, Job, DayMatrix, RouteOptions, solve};
/// use servnet::travel::Leg;
/// // Base at 0, customers at 10, 20 and 5 on a line; one minute per unit.
/// let x = [0.0, 10.0, 20.0, 5.0];
/// let m = DayMatrix::from_fn(4, |i, j| {
///     let d = f64::abs(x[i] - x[j]);
///     Leg { km: d, minutes: d }
/// });
/// let job = |a, b| Job { window_start_min: a, window_end_min: b, service_min: 10.0 };
/// let day = Day::new(0.0, 200.0, vec![job(0.0, 200.0), job(0.0, 200.0), job(0.0, 200.0)], m)?;
/// let tour = solve(&day, &RouteOptions::new());
/// assert_eq!(tour.travel_min, 40.0); // out to 20 and back
/// assert!(tour.missed.is_empty());
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn solve(day: &Day, opts: &RouteOptions) -> Tour {
    if day.jobs.len() <= opts.exact_up_to
        && let Ok(tour) = exact(day)
    {
        return tour;
    }
    let tour = construct(day);
    if opts.local_search {
        improve(day, tour)
    } else {
        tour
    }
}
