//! Travel distance and time between two points.
//!
//! [`TravelModel`] is the one question every layer asks (the scenario names
//! its model, so the question and the [`TravelSpec`] live in [`crate::model`]
//! and are re-exported here); [`GreatCircle`] is the first answer: great-circle distance × a detour factor, at an average speed.
//! [`road`] is the second: shortest paths over a road network ([`RoadNetwork`]),
//! with [`RoadTravel`] as its travel model.

pub mod road;

pub use road::{
    Metric, RoadClass, RoadEdge, RoadMatrix, RoadNetwork, RoadNetworkBuilder, RoadNode, RoadPath,
    RoadTravel, Snap, SpeedTable,
};

pub use crate::model::{GreatCircle, Leg, RoadSpec, TravelModel, TravelSpec};

use crate::spatial::great_circle_km;
use geo::Point;

impl TravelModel for GreatCircle {
    fn leg(&self, from: Point<f64>, to: Point<f64>) -> Leg {
        let km = great_circle_km(from, to) * self.detour_factor;
        Leg {
            km,
            minutes: self.minutes_for_km(km),
        }
    }

    fn reach_km(&self, minutes: f64) -> f64 {
        // A little slack so that rounding never prunes a leg that fits.
        minutes.max(0.0) / 60.0 * self.speed_kmh / self.detour_factor * (1.0 + 1e-9) + 1e-9
    }

    /// The detour factor: every leg is that many times its great-circle km.
    fn km_floor(&self) -> f64 {
        self.detour_factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leg_scales_distance_by_detour_and_time_by_speed() {
        let g = GreatCircle::default().detour_factor(1.5).speed_kmh(60.0);
        let a = Point::new(116.4074, 39.9042);
        let b = Point::new(121.4737, 31.2304);
        let leg = g.leg(a, b);
        let straight = great_circle_km(a, b);
        assert!((leg.km - 1.5 * straight).abs() < 1e-9);
        assert!(
            (leg.minutes - leg.km).abs() < 1e-9,
            "60 km/h: one minute per km"
        );
        assert_eq!(g.leg(a, a).km, 0.0);
        // reach_km is the inverse of the leg's minutes, never below it.
        assert!(great_circle_km(a, b) <= g.reach_km(leg.minutes));
        assert!(great_circle_km(a, b) > g.reach_km(leg.minutes * 0.99));
    }
}
