//! The day cut into parts that are searched in parallel: outlets split by
//! alternate cuts of longitude and latitude that balance the requests,
//! every technician with its outlet (so an outlet's daily visits belong to
//! one part), each request with the part of its technician (or, left out,
//! of its nearest candidate technician).

use super::candidates::Candidates;
use crate::dispatch::days::{Days, NONE};

/// A cut of the day.
pub(crate) struct Cut {
    /// Per technician: its part.
    pub part_of: Vec<u32>,
    /// Per part: its requests (servable ones), ascending.
    pub requests: Vec<Vec<u32>>,
}

/// Cuts the day into parts of at most about `size` requests; `phase`
/// chooses the first direction of the cuts, so that two phases cut along
/// different lines. The cut depends on the day only, never on the number
/// of threads.
pub(crate) fn cut(days: &Days, cand: &Candidates, size: usize, phase: u32) -> Cut {
    let table = days.table;
    let outlets = days.s.outlets();
    let home = |i: usize| -> Option<usize> {
        let t = days.tech_of[i];
        if t != NONE {
            Some(table.outlet(t as usize))
        } else {
            cand.techs[i].first().map(|&t| table.outlet(t as usize))
        }
    };
    let mut weight = vec![0usize; outlets.len()];
    for i in 0..days.reqs.len() {
        if cand.servable[i]
            && let Some(o) = home(i)
        {
            weight[o] += 1;
        }
    }
    let points: Vec<geo::Point<f64>> = outlets.iter().map(|o| o.location).collect();
    let mut order: Vec<u32> = (0..outlets.len() as u32).collect();
    let mut part_of_outlet = vec![0u32; outlets.len()];
    let mut parts = 0u32;
    split(
        &points,
        &weight,
        &mut order,
        size.max(1),
        phase % 2,
        &mut part_of_outlet,
        &mut parts,
    );
    let part_of: Vec<u32> = table.outlets().iter().map(|&o| part_of_outlet[o]).collect();
    let mut requests = vec![Vec::new(); parts.max(1) as usize];
    for i in 0..days.reqs.len() {
        if cand.servable[i]
            && let Some(o) = home(i)
        {
            requests[part_of_outlet[o] as usize].push(i as u32);
        }
    }
    Cut { part_of, requests }
}

/// Splits `order` (outlets) in two at the median of their weight along
/// `axis` (0: longitude, 1: latitude), recursively, until a piece weighs at
/// most `size` or holds one site; numbers the pieces.
fn split(
    points: &[geo::Point<f64>],
    weight: &[usize],
    order: &mut [u32],
    size: usize,
    axis: u32,
    part_of: &mut [u32],
    parts: &mut u32,
) {
    let total: usize = order.iter().map(|&s| weight[s as usize]).sum();
    if total <= size || order.len() <= 1 {
        for &s in order.iter() {
            part_of[s as usize] = *parts;
        }
        *parts += 1;
        return;
    }
    let coord = |s: u32| {
        let p = points[s as usize];
        if axis == 0 { p.x() } else { p.y() }
    };
    order.sort_by(|&a, &b| coord(a).total_cmp(&coord(b)).then(a.cmp(&b)));
    let mut sum = 0;
    let mut at = order.len() / 2;
    for (k, &s) in order.iter().enumerate() {
        sum += weight[s as usize];
        if 2 * sum >= total {
            at = (k + 1).clamp(1, order.len() - 1);
            break;
        }
    }
    let (left, right) = order.split_at_mut(at);
    split(points, weight, left, size, 1 - axis, part_of, parts);
    split(points, weight, right, size, 1 - axis, part_of, parts);
}
