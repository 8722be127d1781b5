//! Exact routing of small days: labels over subsets, and brute force to test them by.

use super::{Day, EPS, Tour, better};
use crate::error::{ErrorKind, Result};

/// The most jobs [`exact`] and [`brute_force`] accept.
pub const EXACT_MAX_JOBS: usize = 16;

fn too_many(day: &Day) -> Result<()> {
    if day.jobs.len() > EXACT_MAX_JOBS {
        return Err(ErrorKind::Parameter {
            name: "jobs",
            message: format!(
                "{} jobs; exact routing takes at most {EXACT_MAX_JOBS}",
                day.jobs.len()
            ),
        }
        .into());
    }
    Ok(())
}

#[derive(Clone, Copy)]
struct Label {
    mask: u32,
    last: u8,
    min: f64,
    km: f64,
    /// When the technician leaves the last job.
    time: f64,
    parent: u32,
}

/// The best tour of a day: the most jobs served, then the fewest minutes,
/// then the fewest km, found by extending partial routes one job at a time
/// and keeping, for each set of jobs and last job, only the partial routes
/// no other beats on minutes, km and time all at once.
///
/// # Complexity
/// `O(2ⁿ · n² · L)` for `n` jobs and `L` labels kept per state; meant for
/// days of up to about 10 jobs.
///
/// # Errors
/// [`ErrorKind::Parameter`] for more than [`EXACT_MAX_JOBS`] jobs.
pub fn exact(day: &Day) -> Result<Tour> {
    too_many(day)?;
    let n = day.jobs.len();
    let m = &day.matrix;
    let mut arena: Vec<Label> = Vec::new();
    // states[mask * n + last]: indices into `arena`.
    let mut states: Vec<Vec<u32>> = vec![Vec::new(); (1usize << n) * n.max(1)];
    let push = |arena: &mut Vec<Label>, states: &mut Vec<Vec<u32>>, l: Label| {
        let list = &mut states[l.mask as usize * n + usize::from(l.last)];
        let dominated = |a: &Label, b: &Label| {
            a.min <= b.min + EPS && a.km <= b.km + EPS && a.time <= b.time + EPS
        };
        if list.iter().any(|&i| dominated(&arena[i as usize], &l)) {
            return;
        }
        list.retain(|&i| !dominated(&l, &arena[i as usize]));
        list.push(arena.len() as u32);
        arena.push(l);
    };
    let extend = |from: Option<&Label>, j: usize| -> Option<Label> {
        let (at, t, mask, min, km, parent) = match from {
            None => (0, day.shift_start_min, 0u32, 0.0, 0.0, u32::MAX),
            Some(l) => (usize::from(l.last) + 1, l.time, l.mask, l.min, l.km, 0),
        };
        let time = super::timing::visit(t, m.minutes(at, j + 1), &day.jobs[j])?.depart_min;
        if !super::timing::in_shift(time, day.shift_end_min) {
            return None;
        }
        Some(Label {
            mask: mask | 1 << j,
            last: j as u8,
            min: min + m.minutes(at, j + 1),
            km: km + m.km(at, j + 1),
            time,
            parent,
        })
    };
    for j in 0..n {
        if let Some(l) = extend(None, j) {
            push(&mut arena, &mut states, l);
        }
    }
    // A mask only grows, so increasing masks visit every state after its parents.
    for mask in 1..(1u32 << n) {
        for last in 0..n {
            if mask & (1 << last) == 0 {
                continue;
            }
            let labels = states[mask as usize * n + last].clone();
            for li in labels {
                let l = arena[li as usize];
                for j in 0..n {
                    if mask & (1 << j) != 0 {
                        continue;
                    }
                    if let Some(mut next) = extend(Some(&l), j) {
                        next.parent = li;
                        push(&mut arena, &mut states, next);
                    }
                }
            }
        }
    }
    let mut best: Option<((usize, f64, f64), u32)> = None;
    for (i, l) in arena.iter().enumerate() {
        let back = usize::from(l.last) + 1;
        if !super::timing::in_shift(l.time + m.minutes(back, 0), day.shift_end_min) {
            continue;
        }
        let key = (
            l.mask.count_ones() as usize,
            l.min + m.minutes(back, 0),
            l.km + m.km(back, 0),
        );
        if best.is_none_or(|(b, _)| better(key, b)) {
            best = Some((key, i as u32));
        }
    }
    let mut order = Vec::new();
    let mut at = best.map_or(u32::MAX, |(_, i)| i);
    while at != u32::MAX {
        let l = &arena[at as usize];
        order.push(usize::from(l.last));
        at = l.parent;
    }
    order.reverse();
    Ok(day.tour(order))
}

/// The best tour by trying every sequence of distinct jobs (every subset in
/// every order): the reference [`exact`] is tested against.
///
/// # Complexity
/// `O(e · n · n!)`; use for at most 7 or 8 jobs.
///
/// # Errors
/// [`ErrorKind::Parameter`] for more than [`EXACT_MAX_JOBS`] jobs.
pub fn brute_force(day: &Day) -> Result<Tour> {
    too_many(day)?;
    type Best = Option<((usize, f64, f64), Vec<usize>)>;
    fn walk(day: &Day, seq: &mut Vec<usize>, used: &mut [bool], best: &mut Best) {
        if day.feasible(seq) {
            let (min, km) = day.cost(seq);
            let key = (seq.len(), min, km);
            if best.as_ref().is_none_or(|(b, _)| better(key, *b)) {
                *best = Some((key, seq.clone()));
            }
        }
        for j in 0..used.len() {
            if !used[j] {
                used[j] = true;
                seq.push(j);
                walk(day, seq, used, best);
                seq.pop();
                used[j] = false;
            }
        }
    }
    let mut best = None;
    walk(
        day,
        &mut Vec::new(),
        &mut vec![false; day.jobs.len()],
        &mut best,
    );
    Ok(day.tour(best.map(|(_, o)| o).unwrap_or_default()))
}
