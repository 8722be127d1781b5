//! The 0-1 knapsack subproblems of the Lagrangian relaxation: exact by
//! dynamic programming over integral capacity, or the LP (Dantzig) bound when
//! loads are not integral or the table would be too large; and the
//! sensitivity tables that tell what forcing one item in or out costs.

/// One item: an edge of the agent, its profit (> 0 for the items worth taking) and its weight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub edge: u32,
    pub profit: f64,
    pub weight: f64,
}

/// The largest DP table (items × (capacity + 1) cells) solved exactly.
pub(crate) const DP_CELLS: usize = 1 << 21;

/// Integral knapsacks of at most this many DP cells skip the branch and bound.
const SMALL_DP_CELLS: usize = 1 << 14;

/// Nodes the branch-and-bound knapsack may visit per item before falling back.
const BB_NODES_PER_ITEM: usize = 200;

/// Profit per unit of weight; weightless items first.
fn ratio(i: &Item) -> f64 {
    if i.weight <= 0.0 {
        f64::INFINITY
    } else {
        i.profit / i.weight
    }
}

/// Reusable buffers for knapsack solves.
#[derive(Debug, Default)]
pub(crate) struct Knapsack {
    best: Vec<f64>,
    keep: Vec<bool>,
    order: Vec<usize>,
    /// Items in ratio order, with prefix sums of weight and profit.
    sorted: Vec<Item>,
    pw: Vec<f64>,
    pp: Vec<f64>,
    take: Vec<bool>,
    best_take: Vec<bool>,
}

impl Knapsack {
    /// Maximises the profit of items within `capacity`; pushes the chosen
    /// items as (edge, fraction) and returns the profit. With `exact`, a
    /// bounded branch and bound is tried first, then the DP when `integral`
    /// says the weights and capacity are integers; otherwise (or when the
    /// table is too large) the LP bound is returned and one item may be
    /// fractional. The returned value is never below the integer optimum.
    pub fn solve(
        &mut self,
        items: &[Item],
        capacity: f64,
        integral: bool,
        exact: bool,
        chosen: &mut Vec<(u32, f64)>,
    ) -> f64 {
        let total: f64 = items.iter().map(|i| i.weight).sum();
        if total <= capacity + 1e-9 {
            chosen.extend(items.iter().map(|i| (i.edge, 1.0)));
            return items.iter().map(|i| i.profit).sum();
        }
        if !exact {
            return self.dantzig(items, capacity, chosen);
        }
        let cap = capacity.min(total).max(0.0).floor() as usize;
        // A small table is cheaper than a search whose worst case is exponential.
        if integral && items.len().saturating_mul(cap + 1) <= SMALL_DP_CELLS {
            return self.dp(items, cap, chosen);
        }
        if let Some(v) = self.branch_and_bound(items, capacity, chosen) {
            return v;
        }
        if integral && items.len().saturating_mul(cap + 1) <= DP_CELLS {
            self.dp(items, cap, chosen)
        } else {
            self.dantzig(items, capacity, chosen)
        }
    }

    /// Depth-first branch and bound over items in ratio order with the
    /// Dantzig bound (exact for any weights); `None` when it would take too
    /// many nodes, so the caller falls back to the DP or the LP bound.
    fn branch_and_bound(
        &mut self,
        items: &[Item],
        capacity: f64,
        chosen: &mut Vec<(u32, f64)>,
    ) -> Option<f64> {
        let n = items.len();
        self.sorted.clear();
        self.sorted.extend_from_slice(items);
        // By the ratio itself: cross products are no total order (weights of 0, rounding).
        self.sorted
            .sort_by(|a, b| ratio(b).total_cmp(&ratio(a)).then(a.edge.cmp(&b.edge)));
        self.pw.clear();
        self.pp.clear();
        self.pw.push(0.0);
        self.pp.push(0.0);
        for it in &self.sorted {
            self.pw
                .push(self.pw.last().copied().unwrap_or(0.0) + it.weight);
            self.pp
                .push(self.pp.last().copied().unwrap_or(0.0) + it.profit);
        }
        self.take.clear();
        self.take.resize(n, false);
        self.best_take.clear();
        self.best_take.resize(n, false);
        // Greedy start: every item that still fits, in ratio order.
        let mut left = capacity;
        let mut best = 0.0;
        for (k, it) in self.sorted.iter().enumerate() {
            if it.weight <= left {
                left -= it.weight;
                best += it.profit;
                self.best_take[k] = true;
            }
        }
        let mut bb = Bb {
            s: &self.sorted,
            pw: &self.pw,
            pp: &self.pp,
            take: &mut self.take,
            best_take: &mut self.best_take,
            best,
            nodes: 0,
            limit: BB_NODES_PER_ITEM * n.max(8),
        };
        if !bb.search(0, capacity, 0.0) {
            return None;
        }
        let best = bb.best;
        for (k, it) in self.sorted.iter().enumerate() {
            if self.best_take[k] {
                chosen.push((it.edge, 1.0));
            }
        }
        Some(best)
    }

    fn dp(&mut self, items: &[Item], cap: usize, chosen: &mut Vec<(u32, f64)>) -> f64 {
        let w = cap + 1;
        self.best.clear();
        self.best.resize(w, 0.0);
        self.keep.clear();
        self.keep.resize(items.len() * w, false);
        for (k, it) in items.iter().enumerate() {
            let wt = it.weight as usize;
            if wt > cap {
                continue;
            }
            let keep = &mut self.keep[k * w..(k + 1) * w];
            for c in (wt..w).rev() {
                let v = self.best[c - wt] + it.profit;
                if v > self.best[c] {
                    self.best[c] = v;
                    keep[c] = true;
                }
            }
        }
        let value = self.best[cap];
        let mut c = cap;
        for k in (0..items.len()).rev() {
            if self.keep[k * w + c] {
                chosen.push((items[k].edge, 1.0));
                c -= items[k].weight as usize;
            }
        }
        value
    }

    fn dantzig(&mut self, items: &[Item], capacity: f64, chosen: &mut Vec<(u32, f64)>) -> f64 {
        self.order.clear();
        self.order.extend(0..items.len());
        self.order.sort_by(|&a, &b| {
            ratio(&items[b])
                .total_cmp(&ratio(&items[a]))
                .then(a.cmp(&b))
        });
        let mut left = capacity.max(0.0);
        let mut value = 0.0;
        for &k in &self.order {
            let it = items[k];
            if it.weight <= left {
                left -= it.weight;
                value += it.profit;
                chosen.push((it.edge, 1.0));
            } else {
                let f = left / it.weight;
                if f > 1e-12 {
                    value += it.profit * f;
                    chosen.push((it.edge, f));
                }
                break;
            }
        }
        value
    }
}

struct Bb<'a> {
    s: &'a [Item],
    pw: &'a [f64],
    pp: &'a [f64],
    take: &'a mut [bool],
    best_take: &'a mut [bool],
    best: f64,
    nodes: usize,
    limit: usize,
}

impl Bb<'_> {
    /// The Dantzig bound on the profit of items `k..` within `room`.
    fn bound(&self, k: usize, room: f64) -> f64 {
        // The first index s > k with pw[s] − pw[k] > room: items k..s−1 fit whole.
        let base = self.pw[k];
        let s = k + self.pw[k..].partition_point(|&w| w - base <= room) - 1;
        let mut b = self.pp[s] - self.pp[k];
        if s < self.s.len() {
            let it = self.s[s];
            b += (room - (self.pw[s] - base)) * it.profit / it.weight.max(1e-300);
        }
        b
    }

    /// False when the node budget ran out.
    fn search(&mut self, k: usize, room: f64, value: f64) -> bool {
        self.nodes += 1;
        if self.nodes > self.limit {
            return false;
        }
        if value > self.best + 1e-12 * self.best.abs().max(1.0) {
            self.best = value;
            self.best_take.copy_from_slice(self.take);
        }
        if k == self.s.len() {
            return true;
        }
        if value + self.bound(k, room) <= self.best + 1e-12 * self.best.abs().max(1.0) {
            return true;
        }
        let it = self.s[k];
        if it.weight <= room {
            self.take[k] = true;
            let ok = self.search(k + 1, room - it.weight, value + it.profit);
            self.take[k] = false;
            if !ok {
                return false;
            }
        }
        self.search(k + 1, room, value)
    }
}

/// What forcing each item in or out does to the best profit, for exact (integral) knapsacks.
///
/// `items` are the items worth taking (profit > 0). For item k:
/// `without[k]` is the best profit without it and `with[k]` the best profit
/// when it is forced in (−∞ when it does not fit). `fits(w)` gives the best
/// profit of all items within `capacity − w`, for an item outside the list.
#[derive(Debug, Default)]
pub(crate) struct Sensitivity {
    fwd: Vec<f64>,
    bwd: Vec<f64>,
    pub with: Vec<f64>,
    pub without: Vec<f64>,
    cap: usize,
    n: usize,
}

impl Sensitivity {
    /// Builds the forward and backward tables; `false` when the tables would
    /// be too large, or when `spend` — told the cells of each row as they are
    /// filled — says the budget is spent.
    pub fn compute(
        &mut self,
        items: &[Item],
        capacity: f64,
        mut spend: impl FnMut(u64) -> bool,
    ) -> bool {
        let cap = capacity.max(0.0).floor() as usize;
        let n = items.len();
        let w = cap + 1;
        if (n + 1).saturating_mul(w) > DP_CELLS {
            return false;
        }
        self.cap = cap;
        self.n = n;
        self.fwd.clear();
        self.fwd.resize((n + 1) * w, 0.0);
        self.bwd.clear();
        self.bwd.resize((n + 1) * w, 0.0);
        let row = w as u64;
        for (k, it) in items.iter().enumerate() {
            if spend(row) {
                return false;
            }
            let (done, rest) = self.fwd.split_at_mut((k + 1) * w);
            let prev = &done[k * w..];
            let next = &mut rest[..w];
            next.copy_from_slice(prev);
            let wt = it.weight as usize;
            for c in wt..w {
                next[c] = next[c].max(prev[c - wt] + it.profit);
            }
        }
        // bwd row k: items k.. ; row n is empty.
        for k in (0..n).rev() {
            if spend(row) {
                return false;
            }
            let (head, tail) = self.bwd.split_at_mut((k + 1) * w);
            let next = &tail[..w];
            let row = &mut head[k * w..];
            row.copy_from_slice(next);
            let wt = items[k].weight as usize;
            for c in wt..w {
                row[c] = row[c].max(next[c - wt] + items[k].profit);
            }
        }
        self.with.clear();
        self.without.clear();
        for (k, it) in items.iter().enumerate() {
            // Two combinations of up to `w` cells each.
            if spend(2 * row) {
                return false;
            }
            let f = &self.fwd[k * w..(k + 1) * w];
            let b = &self.bwd[(k + 1) * w..(k + 2) * w];
            let combine = |room: usize| (0..=room).map(|c| f[c] + b[room - c]).fold(0.0, f64::max);
            self.without.push(combine(cap));
            let wt = it.weight as usize;
            self.with.push(if wt <= cap {
                it.profit + combine(cap - wt)
            } else {
                f64::NEG_INFINITY
            });
        }
        true
    }

    /// The best profit of all items within `capacity − weight` (−∞ if `weight` exceeds the capacity).
    pub fn within(&self, weight: f64) -> f64 {
        let wt = weight.max(0.0).ceil() as usize;
        if wt > self.cap {
            f64::NEG_INFINITY
        } else {
            self.fwd[self.n * (self.cap + 1) + self.cap - wt]
        }
    }

    /// The best profit of all items within the capacity.
    pub fn best(&self) -> f64 {
        self.fwd[self.n * (self.cap + 1) + self.cap]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// The best profit of a subset within `capacity`, by enumeration.
    fn brute_force(items: &[Item], capacity: f64) -> f64 {
        (0u32..1 << items.len())
            .filter_map(|set| {
                let picked = items.iter().enumerate().filter(|(k, _)| set >> k & 1 == 1);
                let weight: f64 = picked.clone().map(|(_, i)| i.weight).sum();
                (weight <= capacity + 1e-9).then(|| picked.map(|(_, i)| i.profit).sum())
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn exact_solves_equal_brute_force_with_weightless_and_tied_items() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut knapsack = Knapsack::default();
        for round in 0..600 {
            // Long lists reach the sort's merge, which checks the order is total.
            let n = if round % 2 == 0 {
                rng.random_range(1..12)
            } else {
                rng.random_range(20..60)
            };
            // Weights of 0 and profits in a fixed ratio to their weights make
            // cross-multiplied comparisons inconsistent; the sort must not care.
            let items: Vec<Item> = (0..n)
                .map(|k| {
                    let weight: f64 = if rng.random_bool(0.2) {
                        0.0
                    } else {
                        rng.random_range(0.1..9.0)
                    };
                    let profit: f64 = if rng.random_bool(0.3) {
                        weight * 0.7
                    } else {
                        rng.random_range(0.1..20.0)
                    };
                    Item {
                        edge: k,
                        profit: profit.max(1e-3),
                        weight,
                    }
                })
                .collect();
            let capacity = rng.random_range(0.0..20.0);
            let mut chosen = Vec::new();
            let value = knapsack.solve(&items, capacity, false, true, &mut chosen);
            let best = if n < 12 {
                brute_force(&items, capacity)
            } else {
                0.0
            };
            assert!(
                value >= best - 1e-9,
                "round {round}: {value} below the optimum {best}"
            );
            // An integral selection is a feasible one at exactly its value.
            if chosen.iter().all(|&(_, f)| f == 1.0) {
                let weight: f64 = chosen.iter().map(|&(e, _)| items[e as usize].weight).sum();
                let profit: f64 = chosen.iter().map(|&(e, _)| items[e as usize].profit).sum();
                assert!(weight <= capacity + 1e-9, "round {round}: over capacity");
                assert!((profit - value).abs() < 1e-9);
                assert!(
                    n >= 12 || (value - best).abs() < 1e-9,
                    "round {round}: not optimal"
                );
            }
        }
    }
}
