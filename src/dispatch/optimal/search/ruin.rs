//! The ruin half of a step: strings of visits taken out of the routes
//! near a seed request (SISR's adjacent strings), or out of the days of
//! technicians who could take a left-out request.

use super::{Part, RUIN_MEAN, STRING_MAX, TARGETED};
use crate::dispatch::days::NONE;
use rand::Rng;

impl Part<'_, '_> {
    /// Takes request `i` out of its day; returns the objective's change.
    fn take(&mut self, i: usize) -> f64 {
        let t = self.days.tech_of[i] as usize;
        self.save(t);
        self.moved.push((i as u32, t as u32));
        self.push_out(i as u32);
        self.days.remove(i) + self.days.penalty(i)
    }

    /// A step's ruin: strings of visits taken out of routes near a seed.
    /// Usually the seed is any request of the part and the routes those of
    /// its nearest requests (SISR's adjacent strings); now and then it is a
    /// left-out request and the routes those of technicians who could take
    /// it, so that room is made where it is missing. Returns the requests to
    /// put back (a left-out seed first, then those taken out and the
    /// left-out ones among the seed's neighbours) and the objective's change.
    pub(super) fn ruin(&mut self) -> (Vec<u32>, f64, bool) {
        let targeted = !self.out.is_empty() && self.rng.random::<f64>() < TARGETED;
        let seed = if targeted {
            self.out[self.rng.random_range(0..self.out.len())] as usize
        } else {
            self.requests[self.rng.random_range(0..self.requests.len())] as usize
        };
        let l_max = STRING_MAX.min(self.mean_len).max(1.0);
        let ks_max = (4.0 * RUIN_MEAN / (1.0 + l_max) - 1.0).max(1.0);
        let strings = self.rng.random_range(1.0..ks_max + 1.0).floor() as usize;
        let mut order = Vec::new();
        let mut delta = 0.0;
        let mut ruined: Vec<u32> = Vec::new();
        let cand = self.cand;
        if targeted {
            order.push(seed as u32);
            let mut techs: Vec<u32> = cand.techs[seed]
                .iter()
                .copied()
                .filter(|&t| self.days.visits[t as usize] != 0 && self.mine(t as usize, seed))
                .collect();
            for _ in 0..strings.min(techs.len()) {
                let k = self.rng.random_range(0..techs.len());
                let t = techs.swap_remove(k) as usize;
                let len = self.days.days[t].stops.len();
                let at = self.rng.random_range(0..len);
                delta += self.cut_string(t, at, l_max, &mut order);
            }
            return (order, delta, true);
        }
        for &c in std::iter::once(&(seed as u32)).chain(&cand.near[seed]) {
            if ruined.len() >= strings {
                break;
            }
            let c = c as usize;
            let t = self.days.tech_of[c];
            if t == NONE {
                if self.out_at[c] != NONE {
                    order.push(c as u32);
                }
                continue;
            }
            let t = t as usize;
            if self.part_of[t] != self.part || ruined.contains(&(t as u32)) {
                continue;
            }
            ruined.push(t as u32);
            let at = self.days.days[t]
                .stops
                .iter()
                .position(|&x| x as usize == c)
                .unwrap_or(0);
            delta += self.cut_string(t, at, l_max, &mut order);
        }
        (order, delta, false)
    }

    /// Takes out of technician `t`'s day a string of random length (at most
    /// `l_max`) that holds position `at`; appends its requests to `order`
    /// and returns the objective's change.
    fn cut_string(&mut self, t: usize, at: usize, l_max: f64, order: &mut Vec<u32>) -> f64 {
        let len = self.days.days[t].stops.len();
        let longest = (len as f64).min(l_max).max(1.0);
        let l = (self.rng.random_range(1.0..longest + 1.0).floor() as usize).clamp(1, len);
        let lo = at.saturating_sub(l - 1);
        let hi = at.min(len - l);
        let from = if hi > lo {
            self.rng.random_range(lo..=hi)
        } else {
            lo
        };
        let mut delta = 0.0;
        for pos in (from..from + l).rev() {
            let i = self.days.days[t].stops[pos] as usize;
            delta += self.take(i);
            order.push(i as u32);
        }
        delta
    }
}
