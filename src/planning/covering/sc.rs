//! The set-covering instance of the engine, its heuristics (Chvátal's
//! greedy, redundancy removal, add-and-drop improvement) and its reductions
//! (forced and free columns, row and column dominance, components).

use crate::assign::deadline::Deadline;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A set-covering instance: columns with costs, and for each row the
/// columns that cover it (every row has at least one).
#[derive(Debug, Clone)]
pub(super) struct Sc {
    pub cost: Vec<f64>,
    /// Per row, the columns covering it, sorted.
    pub rows: Vec<Vec<u32>>,
    /// Per column, the rows it covers, sorted.
    pub cols: Vec<Vec<u32>>,
}

impl Sc {
    /// An instance from column costs and, per row, its covering columns.
    pub fn new(cost: Vec<f64>, mut rows: Vec<Vec<u32>>) -> Sc {
        let mut cols = vec![Vec::new(); cost.len()];
        for (j, row) in rows.iter_mut().enumerate() {
            row.sort_unstable();
            row.dedup();
            for &i in row.iter() {
                cols[i as usize].push(j as u32);
            }
        }
        Sc { cost, rows, cols }
    }

    /// Whether every cost is a whole number (bounds may then be rounded up).
    pub fn integral(&self) -> bool {
        self.cost.iter().all(|c| c.fract() == 0.0)
    }

    /// The cost of the selected columns.
    pub fn cost_of(&self, sel: &[bool]) -> f64 {
        sel.iter()
            .zip(&self.cost)
            .filter(|s| *s.0)
            .map(|s| s.1)
            .sum()
    }

    /// How many selected columns cover each row.
    pub fn counts(&self, sel: &[bool]) -> Vec<u32> {
        let mut cnt = vec![0; self.rows.len()];
        for (i, _) in sel.iter().enumerate().filter(|s| *s.1) {
            for &j in &self.cols[i] {
                cnt[j as usize] += 1;
            }
        }
        cnt
    }

    /// Adds allowed columns, cheapest per newly covered row first
    /// (Chvátal), until every row is covered. Rows no allowed column covers
    /// stay uncovered.
    pub fn complete(&self, sel: &mut [bool], cnt: &mut [u32], allowed: &[bool]) {
        let fresh = |i: usize, cnt: &[u32]| {
            self.cols[i]
                .iter()
                .filter(|&&j| cnt[j as usize] == 0)
                .count()
        };
        let mut heap: BinaryHeap<Ratio> = (0..self.cost.len())
            .filter(|&i| allowed[i] && !sel[i])
            .filter_map(|i| {
                let n = fresh(i, cnt);
                (n > 0).then(|| Ratio(self.cost[i] / n as f64, i as u32))
            })
            .collect();
        while let Some(Ratio(r, i)) = heap.pop() {
            let i = i as usize;
            let n = fresh(i, cnt);
            if n == 0 {
                continue;
            }
            let now = self.cost[i] / n as f64;
            if now > r && heap.peek().is_some_and(|top| top.better_than(now, i)) {
                heap.push(Ratio(now, i as u32));
                continue;
            }
            sel[i] = true;
            for &j in &self.cols[i] {
                cnt[j as usize] += 1;
            }
        }
    }

    /// Drops selected columns (costliest first) whose rows are all covered twice.
    pub fn drop_redundant(&self, sel: &mut [bool], cnt: &mut [u32]) {
        let mut order: Vec<usize> = (0..sel.len()).filter(|&i| sel[i]).collect();
        order.sort_by(|&a, &b| self.cost[b].total_cmp(&self.cost[a]).then(b.cmp(&a)));
        for i in order {
            self.try_drop(i, sel, cnt);
        }
    }

    fn try_drop(&self, i: usize, sel: &mut [bool], cnt: &mut [u32]) -> bool {
        if !self.cols[i].iter().all(|&j| cnt[j as usize] >= 2) {
            return false;
        }
        sel[i] = false;
        for &j in &self.cols[i] {
            cnt[j as usize] -= 1;
        }
        true
    }

    /// Local improvement: adds one allowed column and drops every selected
    /// column made redundant, when that lowers the cost; repeats until no
    /// such move is left.
    /// Stops at the deadline.
    pub fn improve(&self, sel: &mut [bool], cnt: &mut [u32], allowed: &[bool], deadline: Deadline) {
        for _pass in 0..50 {
            let mut better = false;
            for c in 0..self.cost.len() {
                if sel[c] || !allowed[c] || self.cols[c].is_empty() {
                    continue;
                }
                if deadline.passed() {
                    return;
                }
                let mut touched: Vec<usize> = self.cols[c]
                    .iter()
                    .flat_map(|&j| self.rows[j as usize].iter())
                    .map(|&i| i as usize)
                    .filter(|&i| sel[i])
                    .collect();
                touched.sort_by(|&a, &b| self.cost[b].total_cmp(&self.cost[a]).then(a.cmp(&b)));
                touched.dedup();
                sel[c] = true;
                for &j in &self.cols[c] {
                    cnt[j as usize] += 1;
                }
                let mut dropped = Vec::new();
                for d in touched {
                    if self.try_drop(d, sel, cnt) {
                        dropped.push(d);
                    }
                }
                let saved: f64 = dropped.iter().map(|&d| self.cost[d]).sum();
                if saved > self.cost[c] + 1e-9 * saved.max(1.0) {
                    better = true;
                    continue;
                }
                for d in dropped {
                    sel[d] = true;
                    for &j in &self.cols[d] {
                        cnt[j as usize] += 1;
                    }
                }
                sel[c] = false;
                for &j in &self.cols[c] {
                    cnt[j as usize] -= 1;
                }
            }
            if !better {
                break;
            }
        }
    }

    /// Greedy, redundancy removal and improvement from an empty selection.
    pub fn heuristic(&self, deadline: Deadline) -> Vec<bool> {
        let all = vec![true; self.cost.len()];
        let mut sel = vec![false; self.cost.len()];
        let mut cnt = vec![0; self.rows.len()];
        self.complete(&mut sel, &mut cnt, &all);
        self.drop_redundant(&mut sel, &mut cnt);
        self.improve(&mut sel, &mut cnt, &all, deadline);
        sel
    }

    /// Reduces the instance: forces the columns of cost 0 and the only
    /// column of a row, drops rows that contain another row's columns and
    /// columns whose rows another column at most as costly covers (or that
    /// cost more than the cheapest covers of their rows), until nothing
    /// changes. Returns the forced columns and the instance that is left,
    /// split into its independent parts, each with its columns' original
    /// indices.
    pub fn reduce(&self) -> (Vec<u32>, Vec<(Sc, Vec<u32>)>) {
        let (n, m) = (self.rows.len(), self.cost.len());
        let mut row_on = vec![true; n];
        let mut col_on = vec![true; m];
        let mut forced = Vec::new();
        let force = |i: usize, forced: &mut Vec<u32>, row_on: &mut [bool], col_on: &mut [bool]| {
            forced.push(i as u32);
            col_on[i] = false;
            for &j in &self.cols[i] {
                row_on[j as usize] = false;
            }
        };
        for i in 0..m {
            if self.cost[i] == 0.0 && !self.cols[i].is_empty() {
                force(i, &mut forced, &mut row_on, &mut col_on);
            }
        }
        loop {
            let before = (forced.len(), count(&row_on), count(&col_on));
            // Forced columns: a row's only column.
            for j in 0..n {
                if !row_on[j] {
                    continue;
                }
                let mut on = self.rows[j].iter().filter(|&&i| col_on[i as usize]);
                if let (Some(&i), None) = (on.next(), on.next()) {
                    force(i as usize, &mut forced, &mut row_on, &mut col_on);
                }
            }
            let arow = active(&self.rows, &row_on, &col_on);
            let acol = active(&self.cols, &col_on, &row_on);
            // Row dominance: row j is implied when another row k's columns are a subset of j's.
            for k in 0..n {
                if !row_on[k] || arow[k].is_empty() {
                    continue;
                }
                for &j in &acol[arow[k][0] as usize] {
                    let j = j as usize;
                    if j != k
                        && row_on[j]
                        && (arow[j].len() > arow[k].len() || (arow[j] == arow[k] && j > k))
                        && subset(&arow[k], &arow[j])
                    {
                        row_on[j] = false;
                    }
                }
            }
            let acol = active(&self.cols, &col_on, &row_on);
            // Column dominance, and columns dearer than the cheapest cover of their rows.
            let cheapest: Vec<f64> = (0..n)
                .map(|j| {
                    self.rows[j]
                        .iter()
                        .filter(|&&i| col_on[i as usize])
                        .map(|&i| self.cost[i as usize])
                        .fold(f64::INFINITY, f64::min)
                })
                .collect();
            for i in 0..m {
                if !col_on[i] {
                    continue;
                }
                let Some(&first) = acol[i].first() else {
                    col_on[i] = false;
                    continue;
                };
                let sum: f64 = acol[i].iter().map(|&j| cheapest[j as usize]).sum();
                let dear = self.cost[i] > sum + 1e-9 * sum.max(1.0) && acol[i].len() > 1;
                let dominated = self.rows[first as usize].iter().any(|&d| {
                    let d = d as usize;
                    d != i
                        && col_on[d]
                        && self.cost[d] <= self.cost[i]
                        && (acol[d].len() > acol[i].len()
                            || self.cost[d] < self.cost[i]
                            || (acol[d] == acol[i] && d < i))
                        && subset(&acol[i], &acol[d])
                });
                if dear || dominated {
                    col_on[i] = false;
                }
            }
            if before == (forced.len(), count(&row_on), count(&col_on)) {
                break;
            }
        }
        forced.sort_unstable();
        (forced, self.split(&row_on, &col_on))
    }

    /// The active part, split into independent components (rows linked
    /// through shared columns), each in order of its smallest row.
    fn split(&self, row_on: &[bool], col_on: &[bool]) -> Vec<(Sc, Vec<u32>)> {
        let n = self.rows.len();
        let mut comp = vec![u32::MAX; n];
        let mut parts = Vec::new();
        for start in 0..n {
            if !row_on[start] || comp[start] != u32::MAX {
                continue;
            }
            let id = parts.len() as u32;
            let mut rows = vec![start];
            comp[start] = id;
            let mut k = 0;
            let mut cols = Vec::new();
            let mut seen_col = std::collections::BTreeSet::new();
            while k < rows.len() {
                let j = rows[k];
                k += 1;
                for &i in self.rows[j].iter().filter(|&&i| col_on[i as usize]) {
                    if !seen_col.insert(i) {
                        continue;
                    }
                    cols.push(i);
                    for &r in &self.cols[i as usize] {
                        let r = r as usize;
                        if row_on[r] && comp[r] == u32::MAX {
                            comp[r] = id;
                            rows.push(r);
                        }
                    }
                }
            }
            rows.sort_unstable();
            cols.sort_unstable();
            let local: std::collections::BTreeMap<u32, u32> = cols
                .iter()
                .enumerate()
                .map(|(l, &i)| (i, l as u32))
                .collect();
            let sub_rows = rows
                .iter()
                .map(|&j| {
                    self.rows[j]
                        .iter()
                        .filter_map(|i| local.get(i).copied())
                        .collect()
                })
                .collect();
            let cost = cols.iter().map(|&i| self.cost[i as usize]).collect();
            parts.push((Sc::new(cost, sub_rows), cols));
        }
        parts
    }
}

fn count(flags: &[bool]) -> usize {
    flags.iter().filter(|&&f| f).count()
}

/// Per entry of `lists` that is on, its members that are on (sorted, as the lists are).
fn active(lists: &[Vec<u32>], on: &[bool], member_on: &[bool]) -> Vec<Vec<u32>> {
    lists
        .iter()
        .zip(on)
        .map(|(l, &o)| {
            if o {
                l.iter()
                    .copied()
                    .filter(|&x| member_on[x as usize])
                    .collect()
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// Whether sorted `a` is a subset of sorted `b`.
fn subset(a: &[u32], b: &[u32]) -> bool {
    let mut it = b.iter();
    a.iter().all(|x| it.any(|y| y == x))
}

/// A column's cost per newly covered row; the heap pops the smallest, then the lowest column.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ratio(f64, u32);

impl Ratio {
    /// Whether this entry pops before ratio `r` of column `i`.
    fn better_than(&self, r: f64, i: usize) -> bool {
        self.0 < r || (self.0 == r && (self.1 as usize) < i)
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}
