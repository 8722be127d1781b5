//! The recreate half of a step: a request's cheapest feasible place among
//! its granular candidates (the days of its nearest requests, an empty day
//! of each kind, the days at its nearest sites), and the requests put back
//! in one of SISR's orders, or built from nothing.

use super::{BLINK, CLOCK_EVERY, EMPTY_SITES, FALLBACK_TECHS, Part};
use crate::dispatch::days::{NONE, Place};
use rand::Rng;
use std::time::Instant;

impl Part<'_, '_> {
    /// Whether technician `t` of this part may take request `i` within reach.
    fn eligible(&self, t: usize, i: usize) -> bool {
        if self.part_of[t] != self.part {
            return false;
        }
        let table = self.days.table;
        let needs = &self.days.reqs[i].needs;
        if !table.may_serve(t, needs)
            || (self.settings.home_only && table.region(t) != needs.region)
        {
            return false;
        }
        self.cand.sites[i].contains(&table.site_of(t))
            || self.days.reach_km(t, i) <= self.settings.max_km
    }

    /// The cheapest place for `i` in technician `t`'s day, skipping places
    /// by chance when `blink` is set; `None` also when even the visit's
    /// fixed cost is above `bound`.
    fn place_in(&mut self, t: usize, i: usize, blink: bool, bound: f64) -> Option<Place> {
        if !self.days.outlet_has_room(t) {
            return None;
        }
        let service = self.days.service_min(t, i);
        if self.days.fixed_cost(t, i, service) > bound {
            return None;
        }
        let rng = &mut self.rng;
        self.days
            .cheapest_place(t, i, service, || blink && rng.random::<f64>() < BLINK)
    }

    /// The cheapest place for request `i` among its granular candidates.
    pub fn best_insertion(&mut self, i: usize, blink: bool) -> Option<(usize, Place)> {
        self.mark = self.mark.wrapping_add(1);
        if self.mark == 0 {
            self.seen.iter_mut().for_each(|x| *x = 0);
            self.mark = 1;
        }
        let mark = self.mark;
        let mut best: Option<(usize, Place)> = None;
        let consider = |best: &mut Option<(usize, Place)>, t: usize, p: Option<Place>| {
            if let Some(p) = p
                && best.as_ref().is_none_or(|(_, b)| p.better_than(b))
            {
                *best = Some((t, p));
            }
        };
        // A place costs at least its visit's fixed cost: days whose fixed cost
        // is above the best place so far are not looked into.
        let bound =
            |best: &Option<(usize, Place)>| best.as_ref().map_or(f64::INFINITY, |(_, p)| p.delta);
        let cand = self.cand;
        // The days of the nearest requests.
        for &j in &cand.near[i] {
            let t = self.days.tech_of[j as usize];
            if t == NONE || self.seen[t as usize] == mark {
                continue;
            }
            let t = t as usize;
            self.seen[t] = mark;
            if self.eligible(t, i) {
                let p = self.place_in(t, i, blink, bound(&best));
                consider(&mut best, t, p);
            }
        }
        // One empty day of each kind among the technicians who could serve
        // it (at its nearest few sites in the search's steps).
        self.classes.clear();
        let table = self.days.table;
        let (mut sites, mut last_site) = (0, u32::MAX);
        for &t in &cand.techs[i] {
            let t = t as usize;
            if table.site_of(t) != last_site {
                last_site = table.site_of(t);
                sites += 1;
                if blink && sites > EMPTY_SITES {
                    break;
                }
            }
            if self.days.visits[t] != 0 || self.seen[t] == mark || !self.mine(t, i) {
                continue;
            }
            self.seen[t] = mark;
            let start = table.start(t);
            let key = (
                self.days.service_min(t, i).to_bits(),
                table.shift_start(t).to_bits(),
                table.shift_end(t).to_bits(),
                table.outlet(t),
                start.x().to_bits() ^ start.y().to_bits().rotate_left(32),
            );
            if self.classes.contains(&key) {
                continue;
            }
            self.classes.push(key);
            let p = self.place_in(t, i, blink, bound(&best));
            consider(&mut best, t, p);
        }
        if best.is_some() {
            return best;
        }
        // Every day of a technician at the nearest sites who could serve it
        // (those of the nearest few in the search's steps).
        let techs = &cand.techs[i];
        let techs = if blink {
            &techs[..techs.len().min(FALLBACK_TECHS)]
        } else {
            &techs[..]
        };
        for &t in techs {
            let t = t as usize;
            if self.seen[t] == mark || !self.mine(t, i) {
                continue;
            }
            self.seen[t] = mark;
            let p = self.place_in(t, i, false, bound(&best));
            consider(&mut best, t, p);
        }
        best
    }

    /// Puts request `i` at its place; returns the objective's change.
    fn put(&mut self, i: usize, t: usize, pos: usize) -> f64 {
        self.save(t);
        self.moved.push((i as u32, NONE));
        self.pull_out(i as u32);
        self.days.insert(t, i, pos) - self.days.penalty(i)
    }

    /// Puts every request of `order` back at its cheapest place, or leaves it out.
    pub(super) fn recreate(&mut self, order: &[u32], blink: bool) -> f64 {
        let mut delta = 0.0;
        for &i in order {
            let i = i as usize;
            if self.days.tech_of[i] != NONE {
                continue;
            }
            if let Some((t, p)) = self.best_insertion(i, blink) {
                delta += self.put(i, t, p.pos);
            }
        }
        delta
    }

    /// Builds the part's days from nothing (or from what it holds): every
    /// left-out request, the most urgent and the most constrained first.
    /// Returns the requests the deadline came before.
    pub fn construct(&mut self) -> Vec<u32> {
        let mut order: Vec<u32> = self.out.clone();
        let reqs = &self.days.reqs;
        let cand = self.cand;
        order.sort_by(|&a, &b| {
            let (x, y) = (&reqs[a as usize], &reqs[b as usize]);
            y.weight
                .total_cmp(&x.weight)
                .then(
                    cand.sites[a as usize]
                        .len()
                        .cmp(&cand.sites[b as usize].len()),
                )
                .then(x.window_end.total_cmp(&y.window_end))
                .then(a.cmp(&b))
        });
        self.step += 1;
        let mut unreached = Vec::new();
        for (k, chunk) in order.chunks(CLOCK_EVERY).enumerate() {
            if self.settings.deadline.is_some_and(|d| Instant::now() >= d) {
                unreached = order[k * CLOCK_EVERY..].to_vec();
                break;
            }
            self.objective += self.recreate(chunk, false);
        }
        self.commit();
        self.record_best();
        unreached
    }

    /// Orders the requests to put back: at random, the heaviest first, the
    /// farthest from the seed's area first or the nearest first (SISR's mix).
    pub(super) fn order(&mut self, order: &mut [u32]) {
        let pick = self.rng.random_range(0..11);
        let reqs = &self.days.reqs;
        match pick {
            0..4 => {
                for k in (1..order.len()).rev() {
                    let j = self.rng.random_range(0..=k);
                    order.swap(k, j);
                }
            }
            4..8 => order.sort_by(|&a, &b| {
                reqs[b as usize]
                    .weight
                    .total_cmp(&reqs[a as usize].weight)
                    .then(
                        reqs[a as usize]
                            .window_end
                            .total_cmp(&reqs[b as usize].window_end),
                    )
                    .then(a.cmp(&b))
            }),
            _ => {
                let Some(&first) = order.first() else { return };
                let at = reqs[first as usize].point;
                let d = |i: u32| crate::spatial::great_circle_km(at, reqs[i as usize].point);
                if pick < 10 {
                    order.sort_by(|&a, &b| d(b).total_cmp(&d(a)).then(a.cmp(&b)));
                } else {
                    order.sort_by(|&a, &b| d(a).total_cmp(&d(b)).then(a.cmp(&b)));
                }
            }
        }
    }
}
