//! Draws of chance shared by the generator and the simulator: a point
//! scattered around a city, an index from cumulative weights.

use rand::Rng;

/// A point at a uniformly random place within `radius_km` of `center`.
pub(super) fn scatter(
    center: geo::Point<f64>,
    radius_km: f64,
    rng: &mut impl Rng,
) -> geo::Point<f64> {
    let r = radius_km * rng.random::<f64>().sqrt();
    let theta = std::f64::consts::TAU * rng.random::<f64>();
    let km_per_deg = 111.195;
    let lat = (center.y() + r * theta.sin() / km_per_deg).clamp(-89.9, 89.9);
    let lon = center.x() + r * theta.cos() / (km_per_deg * lat.to_radians().cos().max(0.01));
    geo::Point::new(lon, lat)
}

/// Index drawn from cumulative weights.
pub(super) fn pick(cumulative: &[f64], rng: &mut impl Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.random::<f64>() * total;
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len().saturating_sub(1))
}

pub(super) fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// An index drawn from cumulative weights (crate-wide, for the simulator's arrivals).
pub(crate) fn pick_index(cumulative_weights: &[f64], rng: &mut impl Rng) -> usize {
    pick(cumulative_weights, rng)
}

/// Cumulative sums of weights (crate-wide, for the simulator's arrivals).
pub(crate) fn cumulative_weights(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    cumulative(weights)
}
