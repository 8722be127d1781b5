//! The legs of a day: the points a leg starts or ends at, and the travel
//! model's legs between them, on unit vectors when travel is by great circle.

use super::Days;
use crate::model::Scenario;
use crate::travel::{Leg, TravelModel};
use geo::Point;

/// Where a leg of a day starts or ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Node {
    Req(u32),
    Start(u32),
    Base(u32),
}

/// Great-circle legs over unit vectors: road km per unit of central angle, minutes per km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Fast {
    km_per_radian: f64,
    min_per_km: f64,
}

impl Fast {
    /// The scenario's travel as great circles, when it is.
    pub fn of(s: &Scenario) -> Option<Fast> {
        match s.travel() {
            crate::travel::TravelSpec::GreatCircle(g) => Some(Fast {
                km_per_radian: crate::spatial::EARTH_RADIUS_KM * g.detour_factor,
                min_per_km: 60.0 / g.speed_kmh,
            }),
            _ => None,
        }
    }
}

/// `asin(x)` for `x` in `[0, 1]`: by its series below 0.1 (to within about
/// 1e-15 relative, a central angle of 1,270 km and less), by the library above.
#[inline]
fn asin(x: f64) -> f64 {
    if x < 0.1 {
        let x2 = x * x;
        x * (1.0
            + x2 * (1.0 / 6.0
                + x2 * (3.0 / 40.0
                    + x2 * (5.0 / 112.0
                        + x2 * (35.0 / 1152.0 + x2 * (63.0 / 2816.0 + x2 * (231.0 / 13312.0)))))))
    } else {
        x.clamp(0.0, 1.0).asin()
    }
}

impl Days<'_> {
    fn xyz(&self, n: Node) -> [f64; 3] {
        match n {
            Node::Req(i) => self.reqs[i as usize].xyz,
            Node::Start(t) => self.table.start_xyz(t as usize),
            Node::Base(t) => self.table.base_xyz(t as usize),
        }
    }

    fn point(&self, n: Node) -> Point<f64> {
        match n {
            Node::Req(i) => self.reqs[i as usize].point,
            Node::Start(t) => self.table.start(t as usize),
            Node::Base(t) => self.table.base(t as usize),
        }
    }

    /// The leg between two nodes: the travel model's, computed on unit
    /// vectors when travel is by great circle (the same distance as
    /// [`great_circle_km`](crate::spatial::great_circle_km) up to rounding).
    #[inline]
    pub(super) fn leg(&self, a: Node, b: Node) -> Leg {
        match self.fast {
            Some(f) => {
                let (p, q) = (self.xyz(a), self.xyz(b));
                let d2 = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
                let km = f.km_per_radian * 2.0 * asin(0.5 * d2.sqrt());
                Leg {
                    km,
                    minutes: km * f.min_per_km,
                }
            }
            None => self.s.travel().leg(self.point(a), self.point(b)),
        }
    }

    /// The road km between technician `t`'s base and request `i`.
    #[inline]
    pub fn reach_km(&self, t: usize, i: usize) -> f64 {
        self.leg(Node::Base(t as u32), Node::Req(i as u32)).km
    }

    /// The node before position `pos` of technician `t`'s day (its start for 0).
    #[inline]
    pub(super) fn node_before(&self, t: usize, pos: usize) -> Node {
        if pos == 0 {
            Node::Start(t as u32)
        } else {
            Node::Req(self.days[t].stops[pos - 1])
        }
    }

    /// The node at position `pos` of technician `t`'s day (its base past the end).
    #[inline]
    pub(super) fn node_at(&self, t: usize, pos: usize) -> Node {
        let day = &self.days[t];
        if pos == day.stops.len() {
            Node::Base(t as u32)
        } else {
            Node::Req(day.stops[pos])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::asin;

    #[test]
    fn the_series_asin_matches_the_library_to_rounding() {
        for k in 0..=2000 {
            let x = k as f64 / 2000.0 * 0.15;
            let (a, b) = (asin(x), x.asin());
            assert!((a - b).abs() <= 4e-16 * b.max(1e-300), "x {x}: {a} vs {b}");
        }
    }
}
