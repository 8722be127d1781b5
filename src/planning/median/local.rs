//! The incumbent: a greedy start and Whitaker's fast interchange, which
//! prices every swap (one facility in, one out) in one pass over the
//! incoming facility's arcs, from each customer's nearest and second
//! nearest open facility.

use super::core::Core;
use crate::assign::deadline::Deadline;

const NONE: u32 = u32::MAX;

/// A cost that also counts the customers left unserved: fewer unserved
/// first, then the cheaper.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Value {
    pub unserved: i64,
    pub cost: f64,
}

impl Value {
    /// Whether `self` is better than `other` by more than `eps`.
    fn beats(self, other: Value, eps: f64) -> bool {
        self.unserved < other.unserved
            || (self.unserved == other.unserved && self.cost < other.cost - eps)
    }
}

/// An open set with each customer's nearest and second-nearest open facility.
pub(super) struct Local<'a> {
    core: &'a Core,
    pub open: Vec<bool>,
    /// Open facilities that are not always open.
    counted: usize,
    f1: Vec<u32>,
    d1: Vec<f64>,
    f2: Vec<u32>,
    d2: Vec<f64>,
    loss: Vec<f64>,
    loss_inf: Vec<i64>,
    adj: Vec<f64>,
    adj_inf: Vec<i64>,
    touched: Vec<u32>,
}

/// The open set's closing costs, between moves.
struct Prices {
    /// Open facilities that may close.
    removable: Vec<u32>,
    /// The smallest change that counts as an improvement.
    eps: f64,
    /// The dearest second-nearest cost of any customer.
    reach: f64,
}

/// A move: open `add`, close `drop` (either may be missing), and its change in value.
#[derive(Clone, Copy)]
struct Move {
    add: u32,
    drop: u32,
    delta: Value,
}

/// Whether arc `(c, i)` comes before the facility `f` at cost `d` (by cost, then index).
fn before(c: f64, i: u32, d: f64, f: u32) -> bool {
    c < d || (c == d && i < f)
}

impl<'a> Local<'a> {
    /// The state of the open set `open` (always-open facilities are added).
    pub fn new(core: &'a Core, mut open: Vec<bool>) -> Local<'a> {
        for (o, &a) in open.iter_mut().zip(&core.always) {
            *o |= a;
        }
        let (n, m) = (core.n, core.m());
        let counted = (0..n).filter(|&i| open[i] && !core.always[i]).count();
        let mut s = Local {
            core,
            open,
            counted,
            f1: vec![NONE; m],
            d1: vec![f64::INFINITY; m],
            f2: vec![NONE; m],
            d2: vec![f64::INFINITY; m],
            loss: vec![0.0; n],
            loss_inf: vec![0; n],
            adj: vec![0.0; n],
            adj_inf: vec![0; n],
            touched: Vec::new(),
        };
        for j in 0..m {
            s.rescan(j);
        }
        s
    }

    /// Recomputes customer j's nearest and second-nearest open facility.
    fn rescan(&mut self, j: usize) {
        let mut found = self.core.arcs[j].iter().filter(|a| self.open[a.0 as usize]);
        let first = found.next().copied();
        let second = found.next().copied();
        (self.f1[j], self.d1[j]) = first.unwrap_or((NONE, f64::INFINITY));
        (self.f2[j], self.d2[j]) = second.unwrap_or((NONE, f64::INFINITY));
    }

    /// Customer j's cost at its nearest open facility (infinite when none).
    pub fn nearest_cost(&self, j: usize) -> f64 {
        self.d1[j]
    }

    /// The fixed costs of the open facilities plus the serving costs, and the unserved customers.
    pub fn value(&self) -> Value {
        let fixed: f64 = (0..self.core.n)
            .filter(|&i| self.open[i])
            .map(|i| self.core.fixed[i])
            .sum();
        let mut cost = fixed;
        let mut unserved = 0;
        for &d in &self.d1 {
            if d.is_finite() {
                cost += d;
            } else {
                unserved += 1;
            }
        }
        Value { unserved, cost }
    }

    fn open_facility(&mut self, i: u32) {
        self.open[i as usize] = true;
        if !self.core.always[i as usize] {
            self.counted += 1;
        }
        for &(j, c) in &self.core.by_facility[i as usize] {
            let j = j as usize;
            if before(c, i, self.d1[j], self.f1[j]) {
                (self.f2[j], self.d2[j]) = (self.f1[j], self.d1[j]);
                (self.f1[j], self.d1[j]) = (i, c);
            } else if before(c, i, self.d2[j], self.f2[j]) {
                (self.f2[j], self.d2[j]) = (i, c);
            }
        }
    }

    fn close_facility(&mut self, r: u32) {
        self.open[r as usize] = false;
        if !self.core.always[r as usize] {
            self.counted -= 1;
        }
        for k in 0..self.core.by_facility[r as usize].len() {
            let j = self.core.by_facility[r as usize][k].0 as usize;
            if self.f1[j] == r || self.f2[j] == r {
                self.rescan(j);
            }
        }
    }

    /// Whether one more facility may open without closing one.
    fn may_add(&self) -> bool {
        match self.core.count {
            super::Count::Exactly(_) => false,
            _ => self.core.limit().is_none_or(|p| self.counted < p),
        }
    }

    /// Whether a facility may close without opening one.
    fn may_drop(&self) -> bool {
        !matches!(self.core.count, super::Count::Exactly(_))
    }

    /// Greedy start: opens, one at a time, the facility that lowers the
    /// value most, while the count allows; with a p-median count until p
    /// are open, otherwise while opening helps.
    ///
    /// Once `deadline` passes, a p-median count is filled with the first
    /// closed facilities by index, any other count stops where it is.
    pub fn greedy(&mut self, deadline: Deadline) {
        let target = self.core.limit().unwrap_or(self.core.n);
        let exactly = matches!(self.core.count, super::Count::Exactly(_));
        while self.counted < target {
            if deadline.passed() {
                if exactly {
                    for i in 0..self.core.n as u32 {
                        if self.counted >= target {
                            break;
                        }
                        if !self.open[i as usize] {
                            self.open_facility(i);
                        }
                    }
                }
                break;
            }
            let mut best: Option<(u32, Value)> = None;
            for i in 0..self.core.n as u32 {
                if self.open[i as usize] {
                    continue;
                }
                let (gain_inf, gain) = self.gain(i);
                let delta = Value {
                    unserved: -gain_inf,
                    cost: self.core.fixed[i as usize] - gain,
                };
                if best.is_none_or(|(_, b)| delta.beats(b, 0.0)) {
                    best = Some((i, delta));
                }
            }
            let Some((i, delta)) = best else { break };
            let zero = Value {
                unserved: 0,
                cost: 0.0,
            };
            if !exactly && !delta.beats(zero, self.core.eps(self.value().cost)) {
                break;
            }
            self.open_facility(i);
        }
    }

    /// The customers newly served and the serving cost saved by opening `i`.
    fn gain(&self, i: u32) -> (i64, f64) {
        let (mut inf, mut gain) = (0, 0.0);
        for &(j, c) in &self.core.by_facility[i as usize] {
            let d = self.d1[j as usize];
            if c < d {
                if d.is_finite() {
                    gain += d - c;
                } else {
                    inf += 1;
                }
            }
        }
        (inf, gain)
    }

    /// Fast interchange: visits the closed facilities in turn (and, where the
    /// count allows, a drop after the last one), applying the first move
    /// that improves — the candidate in with the best facility out, or in
    /// alone — until a full round finds none or `deadline` passes.
    pub fn improve(&mut self, deadline: Deadline) {
        let n = self.core.n;
        let mut state = self.prices();
        let (mut pos, mut idle) = (0, 0);
        while idle <= n && !deadline.passed() {
            let mv = if pos == n {
                self.best_drop(&state)
            } else if !self.open[pos] {
                self.best_with(pos as u32, &state)
            } else {
                None
            };
            match mv {
                Some(mv) => {
                    if mv.drop != NONE {
                        self.close_facility(mv.drop);
                    }
                    if mv.add != NONE {
                        self.open_facility(mv.add);
                    }
                    state = self.prices();
                    idle = 0;
                }
                None => idle += 1,
            }
            pos = (pos + 1) % (n + 1);
        }
    }

    /// What closing each open facility would cost, for the current open set.
    fn prices(&mut self) -> Prices {
        let core = self.core;
        let removable: Vec<u32> = (0..core.n as u32)
            .filter(|&r| self.open[r as usize] && !core.always[r as usize])
            .collect();
        for &r in &removable {
            self.loss[r as usize] = 0.0;
            self.loss_inf[r as usize] = 0;
        }
        for j in 0..core.m() {
            let r = self.f1[j];
            if r != NONE && !core.always[r as usize] {
                if self.f2[j] == NONE {
                    self.loss_inf[r as usize] += 1;
                } else {
                    self.loss[r as usize] += self.d2[j] - self.d1[j];
                }
            }
        }
        Prices {
            removable,
            eps: core.eps(self.value().cost),
            // No arc dearer than every customer's second-nearest cost changes anything.
            reach: self.d2.iter().fold(0.0_f64, |a, &d| a.max(d)),
        }
    }

    /// Whether `delta` improves and beats the best so far.
    fn keep(best: &mut Option<Move>, mv: Move, eps: f64) {
        let zero = Value {
            unserved: 0,
            cost: 0.0,
        };
        if mv.delta.beats(zero, eps) && best.is_none_or(|b| mv.delta.beats(b.delta, 0.0)) {
            *best = Some(mv);
        }
    }

    /// The best improving drop, where the count allows one.
    fn best_drop(&self, st: &Prices) -> Option<Move> {
        if !self.may_drop() {
            return None;
        }
        let mut best = None;
        for &r in &st.removable {
            let delta = Value {
                unserved: self.loss_inf[r as usize],
                cost: self.loss[r as usize] - self.core.fixed[r as usize],
            };
            Self::keep(
                &mut best,
                Move {
                    add: NONE,
                    drop: r,
                    delta,
                },
                st.eps,
            );
        }
        best
    }

    /// The best improving move that opens the closed facility `i`: alone,
    /// or in place of the open facility whose closing then costs least.
    fn best_with(&mut self, i: u32, st: &Prices) -> Option<Move> {
        let core = self.core;
        let (mut gain_inf, mut gain) = (0_i64, 0.0);
        for &(j, c) in &core.by_facility[i as usize] {
            if c > st.reach {
                break;
            }
            let j = j as usize;
            let (f1, d1, f2, d2) = (self.f1[j], self.d1[j], self.f2[j], self.d2[j]);
            if before(c, i, d1, f1) {
                if f1 == NONE {
                    gain_inf += 1;
                    continue;
                }
                gain += d1 - c;
                if f2 == NONE {
                    self.adj_inf[f1 as usize] -= 1;
                } else {
                    self.adj[f1 as usize] -= d2 - d1;
                }
                self.touched.push(f1);
            } else if before(c, i, d2, f2) {
                if f2 == NONE {
                    self.adj_inf[f1 as usize] -= 1;
                    self.adj[f1 as usize] += c - d1;
                } else {
                    self.adj[f1 as usize] -= d2 - c;
                }
                self.touched.push(f1);
            }
        }
        let fi = core.fixed[i as usize];
        let mut best = None;
        if self.may_add() {
            let delta = Value {
                unserved: -gain_inf,
                cost: fi - gain,
            };
            Self::keep(
                &mut best,
                Move {
                    add: i,
                    drop: NONE,
                    delta,
                },
                st.eps,
            );
        }
        for &r in &st.removable {
            let ru = r as usize;
            let delta = Value {
                unserved: self.loss_inf[ru] + self.adj_inf[ru] - gain_inf,
                cost: fi - core.fixed[ru] - gain + self.loss[ru] + self.adj[ru],
            };
            Self::keep(
                &mut best,
                Move {
                    add: i,
                    drop: r,
                    delta,
                },
                st.eps,
            );
        }
        for r in self.touched.drain(..) {
            self.adj[r as usize] = 0.0;
            self.adj_inf[r as usize] = 0;
        }
        best
    }
}
