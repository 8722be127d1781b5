//! The transportation problem of one open set, solved exactly as a min-cost
//! flow with real-valued demands and capacities.
//!
//! Customers send their demand to open facilities; a unit of customer j's
//! demand costs `cost[i][j] / demand[j]` at facility i. Successive shortest
//! paths: each customer's demand is routed along shortest augmenting paths in
//! the residual network (Dijkstra on reduced costs under node potentials),
//! so the flow is optimal for the demand routed so far after every step. A
//! path ends at the first facility with room that Dijkstra settles; when the
//! customer's cheapest open facility has room, that is the first one settled
//! and the path is a single arc.

use super::CflProblem;
use crate::assign::budget::Budget;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Per-unit serving costs, customer by customer: built once per problem.
pub(super) struct UnitCosts {
    /// `unit[j * m + i]`: the cost of one unit of customer j's demand at facility i.
    unit: Vec<f64>,
    m: usize,
}

impl UnitCosts {
    pub fn new(p: &CflProblem) -> UnitCosts {
        let (m, n) = (p.facilities(), p.customers());
        let mut unit = vec![0.0; m * n];
        for j in 0..n {
            let d = p.demand[j];
            if d > 0.0 {
                for i in 0..m {
                    unit[j * m + i] = p.cost[i][j] / d;
                }
            }
        }
        UnitCosts { unit, m }
    }

    fn at(&self, j: usize, i: usize) -> f64 {
        self.unit[j * self.m + i]
    }
}

/// An optimal allocation of one open set.
pub(super) struct Allocation {
    /// Serving cost (fixed costs not included).
    pub serving: f64,
    /// Per customer, `(facility, share)` with positive shares, by facility.
    pub flows: Vec<Vec<(u32, f64)>>,
}

/// A node of the residual network, ordered for the heap: by distance, then
/// facilities before customers, then by index (a deterministic order).
#[derive(PartialEq)]
struct Label {
    dist: f64,
    node: usize,
}

impl Eq for Label {}

impl Ord for Label {
    fn cmp(&self, other: &Self) -> Ordering {
        self.dist
            .total_cmp(&other.dist)
            .then(other.node.cmp(&self.node))
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Allocates all demand to the facilities marked `open`, optimally; `None`
/// when the open capacity is below the demand or when `budget` is spent on
/// the way (one unit of work per arc looked at).
pub(super) fn allocate(
    p: &CflProblem,
    units: &UnitCosts,
    open: &[bool],
    budget: &mut Budget,
) -> Option<Allocation> {
    let n = p.customers();
    let fac: Vec<usize> = (0..p.facilities()).filter(|&i| open[i]).collect();
    let k = fac.len();
    let room_total: f64 = fac.iter().map(|&i| p.capacity[i]).sum();
    if room_total < p.total_demand() {
        return None;
    }
    let scale = p.demand.iter().fold(1.0f64, |a, &d| a.max(d));
    let eps = 1e-9 * scale;
    let mut room: Vec<f64> = fac.iter().map(|&i| p.capacity[i]).collect();
    // flow[j * k + f]: units of customer j's demand at open facility f.
    let mut flow = vec![0.0f64; n * k];
    // The customers each open facility serves (entries may hold no flow any more).
    let mut served: Vec<Vec<u32>> = vec![Vec::new(); k];
    // Potentials: customers 0..n, facilities n..n + k.
    let mut pot = vec![0.0f64; n + k];
    let mut dist = vec![f64::INFINITY; n + k];
    let mut pred = vec![usize::MAX; n + k];
    let mut done = vec![false; n + k];
    let mut touched: Vec<usize> = Vec::new();
    let mut heap = BinaryHeap::new();

    for j0 in 0..n {
        let mut supply = p.demand[j0];
        while supply > eps {
            for &v in &touched {
                dist[v] = f64::INFINITY;
                pred[v] = usize::MAX;
                done[v] = false;
            }
            touched.clear();
            heap.clear();
            dist[j0] = 0.0;
            touched.push(j0);
            heap.push(Reverse(Label {
                dist: 0.0,
                node: j0,
            }));
            let mut target = None;
            let mut work = 0u64;
            while let Some(Reverse(Label { dist: d, node: v })) = heap.pop() {
                if done[v] {
                    continue;
                }
                done[v] = true;
                if v >= n {
                    let f = v - n;
                    if room[f] > eps {
                        target = Some(v);
                        break;
                    }
                    // Back along the flow to the customers this facility serves.
                    served[f].retain(|&j| flow[j as usize * k + f] > eps);
                    work += served[f].len() as u64;
                    for &j in &served[f] {
                        let j = j as usize;
                        let r = -units.at(j, fac[f]) + pot[v] - pot[j];
                        let nd = d + r.max(0.0);
                        if nd < dist[j] {
                            if dist[j].is_infinite() {
                                touched.push(j);
                            }
                            dist[j] = nd;
                            pred[j] = v;
                            heap.push(Reverse(Label { dist: nd, node: j }));
                        }
                    }
                } else {
                    work += k as u64;
                    for (f, &i) in fac.iter().enumerate() {
                        let w = n + f;
                        if done[w] {
                            continue;
                        }
                        let r = units.at(v, i) + pot[v] - pot[w];
                        let nd = d + r.max(0.0);
                        if nd < dist[w] {
                            if dist[w].is_infinite() {
                                touched.push(w);
                            }
                            dist[w] = nd;
                            pred[w] = v;
                            heap.push(Reverse(Label { dist: nd, node: w }));
                        }
                    }
                }
            }
            if budget.spend(work) {
                return None;
            }
            let t = target?;
            // Potentials move by min(dist, reach) - reach: every node farther
            // than the target, untouched ones included, stays where it is.
            let reach = dist[t];
            for &v in &touched {
                if done[v] {
                    pot[v] += dist[v] - reach;
                }
            }
            // The bottleneck along the path.
            let mut delta = supply.min(room[t - n]);
            let mut v = t;
            while v != j0 {
                let u = pred[v];
                if u >= n {
                    // Facility u → customer v undoes flow.
                    delta = delta.min(flow[v * k + (u - n)]);
                }
                v = u;
            }
            let mut v = t;
            while v != j0 {
                let u = pred[v];
                if u >= n {
                    let cell = &mut flow[v * k + (u - n)];
                    *cell = (*cell - delta).max(0.0);
                } else {
                    let f = v - n;
                    let cell = &mut flow[u * k + f];
                    if *cell <= eps {
                        served[f].push(u as u32);
                    }
                    *cell += delta;
                }
                v = u;
            }
            room[t - n] -= delta;
            supply -= delta;
        }
    }

    let mut serving = 0.0;
    let flows = (0..n)
        .map(|j| {
            let d = p.demand[j];
            let mut shares: Vec<(u32, f64)> = (0..k)
                .filter(|&f| flow[j * k + f] > eps)
                .map(|f| {
                    serving += flow[j * k + f] * units.at(j, fac[f]);
                    (fac[f] as u32, flow[j * k + f] / d)
                })
                .collect();
            let sum: f64 = shares.iter().map(|s| s.1).sum();
            if sum > 0.0 {
                shares.iter_mut().for_each(|s| s.1 /= sum);
            }
            shares
        })
        .collect();
    Some(Allocation { serving, flows })
}

/// A quick allocation of all demand to the facilities marked `open`, not
/// optimal: each customer in turn to its cheapest open facilities with room,
/// split where one fills up. `None` when the open capacity is below the demand.
pub(super) fn greedy(p: &CflProblem, units: &UnitCosts, open: &[bool]) -> Option<Allocation> {
    let fac: Vec<usize> = (0..p.facilities()).filter(|&i| open[i]).collect();
    let room_total: f64 = fac.iter().map(|&i| p.capacity[i]).sum();
    if room_total < p.total_demand() {
        return None;
    }
    let mut room: Vec<f64> = fac.iter().map(|&i| p.capacity[i]).collect();
    let mut order: Vec<usize> = Vec::with_capacity(fac.len());
    let mut serving = 0.0;
    let mut flows = Vec::with_capacity(p.customers());
    for j in 0..p.customers() {
        let d = p.demand[j];
        let mut shares: Vec<(u32, f64)> = Vec::new();
        let mut left = d;
        if d > 0.0 {
            order.clear();
            order.extend(0..fac.len());
            order.sort_unstable_by(|&a, &b| {
                units
                    .at(j, fac[a])
                    .total_cmp(&units.at(j, fac[b]))
                    .then(a.cmp(&b))
            });
            for &f in &order {
                if left <= 0.0 {
                    break;
                }
                let take = left.min(room[f]);
                if take > 0.0 {
                    room[f] -= take;
                    left -= take;
                    serving += take * units.at(j, fac[f]);
                    shares.push((fac[f] as u32, take / d));
                }
            }
            // Rounding may leave a sliver: the last share takes it.
            let sum: f64 = shares.iter().map(|s| s.1).sum();
            if sum > 0.0 {
                shares.iter_mut().for_each(|s| s.1 /= sum);
            }
            shares.sort_unstable_by_key(|s| s.0);
        }
        flows.push(shares);
    }
    Some(Allocation { serving, flows })
}
