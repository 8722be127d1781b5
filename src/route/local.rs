//! Cheapest insertion, then 2-opt, or-opt and relocate.

use super::{Day, EPS, Tour};

/// Cheapest insertion in window order: jobs are taken by window end (then
/// start, then index), each put where it adds the fewest minutes (then km,
/// then the earliest position) among the positions that keep the order
/// feasible; a job with no such position is missed.
///
/// # Complexity
/// `O(n³)` for `n` jobs (each feasibility check is `O(n)`).
pub fn construct(day: &Day) -> Tour {
    let mut jobs: Vec<usize> = (0..day.jobs.len()).collect();
    jobs.sort_by(|&a, &b| {
        let (x, y) = (&day.jobs[a], &day.jobs[b]);
        x.window_end_min
            .total_cmp(&y.window_end_min)
            .then(x.window_start_min.total_cmp(&y.window_start_min))
            .then(a.cmp(&b))
    });
    let mut order = Vec::with_capacity(jobs.len());
    let mut buf = Vec::with_capacity(jobs.len());
    for j in jobs {
        insert_cheapest(day, &mut order, j, &mut buf);
    }
    day.tour(order)
}

/// Puts job `j` where it adds least among the feasible positions; false when none is.
fn insert_cheapest(day: &Day, order: &mut Vec<usize>, j: usize, buf: &mut Vec<usize>) -> bool {
    let m = &day.matrix;
    let mut best: Option<(f64, f64, usize)> = None;
    for pos in 0..=order.len() {
        let prev = if pos == 0 { 0 } else { order[pos - 1] + 1 };
        let next = if pos == order.len() {
            0
        } else {
            order[pos] + 1
        };
        let dmin = m.minutes(prev, j + 1) + m.minutes(j + 1, next) - m.minutes(prev, next);
        let dkm = m.km(prev, j + 1) + m.km(j + 1, next) - m.km(prev, next);
        if let Some((bm, bk, _)) = best
            && (dmin > bm + EPS || (dmin >= bm - EPS && dkm >= bk - EPS))
        {
            continue;
        }
        buf.clear();
        buf.extend_from_slice(&order[..pos]);
        buf.push(j);
        buf.extend_from_slice(&order[pos..]);
        if day.feasible(buf) {
            best = Some((dmin, dkm, pos));
        }
    }
    match best {
        Some((_, _, pos)) => {
            order.insert(pos, j);
            true
        }
        None => false,
    }
}

/// Local search from a tour: relocate (one visit), or-opt (a stretch of 2
/// or 3 visits, moved elsewhere) and 2-opt (a stretch reversed), each taken
/// only when the new order is feasible and strictly cheaper in minutes (or
/// as many minutes and fewer km), until no move improves; then each missed
/// job is tried again by cheapest insertion. Never returns a worse tour
/// than it was given (see [`Tour::better_than`]); an infeasible input
/// tour is returned unchanged.
///
/// # Complexity
/// `O(n³)` per round for `n` visits; at most `50` rounds.
pub fn improve(day: &Day, tour: Tour) -> Tour {
    if !day.feasible(&tour.order) {
        return tour;
    }
    let mut order = tour.order.clone();
    let mut cost = day.cost(&order);
    let mut buf = Vec::with_capacity(order.len());
    let try_move = |order: &mut Vec<usize>, cand: &[usize], cost: &mut (f64, f64)| {
        let c = day.cost(cand);
        if (c.0 < cost.0 - EPS || (c.0 <= cost.0 + EPS && c.1 < cost.1 - EPS)) && day.feasible(cand)
        {
            order.clear();
            order.extend_from_slice(cand);
            *cost = c;
            true
        } else {
            false
        }
    };
    for _round in 0..50 {
        let n = order.len();
        let mut moved = false;
        // Relocate and or-opt: move order[i..i + len] to before position `to` of the rest.
        for len in 1..=3.min(n) {
            for i in 0..=n - len {
                for to in 0..=n - len {
                    if to == i {
                        continue;
                    }
                    buf.clear();
                    let seg = &order[i..i + len];
                    let rest = order[..i].iter().chain(&order[i + len..]);
                    let rest: Vec<usize> = rest.copied().collect();
                    buf.extend_from_slice(&rest[..to]);
                    buf.extend_from_slice(seg);
                    buf.extend_from_slice(&rest[to..]);
                    if try_move(&mut order, &buf, &mut cost) {
                        moved = true;
                    }
                }
            }
        }
        // 2-opt: reverse order[i..=j].
        for i in 0..n {
            for j in i + 1..n {
                buf.clear();
                buf.extend_from_slice(&order[..i]);
                buf.extend(order[i..=j].iter().rev());
                buf.extend_from_slice(&order[j + 1..]);
                if try_move(&mut order, &buf, &mut cost) {
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    let missed = tour.missed.clone();
    for j in missed {
        insert_cheapest(day, &mut order, j, &mut buf);
    }
    let out = day.tour(order);
    if tour.better_than(&out) { tour } else { out }
}
