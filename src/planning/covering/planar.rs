//! Random planar covering instances, for tests and benchmarks at the scale
//! of China's ~650 cities without geography.

use super::CoverProblem;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How the points of a [`planar`] instance are spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Spread {
    /// Uniform over the square.
    Uniform,
    /// Around a dozen centres, denser in one half, as cities are.
    Clustered,
}

/// A random planar instance: `points` points in a `side_km` × `side_km`
/// square, each both a customer (weight a whole number in 10..=2000) and a
/// candidate site (cost 1), with an arc from every customer to every site
/// within `reach_km` (straight-line distance, so each customer reaches its
/// own site at distance 0). The same seed gives the same instance; with
/// `points = 0` the instance has no site (which the builder alone refuses).
///
/// # Example
/// ```
/// use servnet::planning::covering::{Spread, planar};
/// let p = planar(650, 3000.0, 300.0, Spread::Uniform, 7);
/// assert_eq!((p.sites(), p.customers()), (650, 650));
/// assert!(p.arcs(0).iter().all(|a| a.1 <= 300.0));
/// ```
pub fn planar(
    points: usize,
    side_km: f64,
    reach_km: f64,
    spread: Spread,
    seed: u64,
) -> CoverProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres: Vec<(f64, f64, f64)> = (0..12)
        .map(|k| {
            // Two thirds of the centres in the eastern half.
            let east = k % 3 != 0;
            let x = if east {
                rng.random_range(0.5..1.0)
            } else {
                rng.random_range(0.0..0.5)
            };
            (
                x * side_km,
                rng.random_range(0.0..side_km),
                rng.random_range(0.03..0.12) * side_km,
            )
        })
        .collect();
    let xy: Vec<(f64, f64)> = (0..points)
        .map(|_| match spread {
            Spread::Uniform => (
                rng.random_range(0.0..side_km),
                rng.random_range(0.0..side_km),
            ),
            Spread::Clustered => {
                let (cx, cy, s) = centres[rng.random_range(0..centres.len())];
                // A sum of uniforms: a bell around the centre, clamped to the square.
                let bell = |rng: &mut ChaCha8Rng| {
                    (0..4).map(|_| rng.random_range(-1.0..1.0)).sum::<f64>() * 0.5
                };
                (
                    (cx + s * bell(&mut rng)).clamp(0.0, side_km),
                    (cy + s * bell(&mut rng)).clamp(0.0, side_km),
                )
            }
        })
        .collect();
    let mut b = CoverProblem::builder(points);
    for &(x, y) in &xy {
        let weight = f64::from(rng.random_range(10..=2000));
        let arcs: Vec<(usize, f64)> = xy
            .iter()
            .enumerate()
            .map(|(s, &(sx, sy))| (s, (x - sx).hypot(y - sy)))
            .filter(|a| a.1 <= reach_km)
            .collect();
        b = b.customer(weight, arcs);
    }
    match b.build() {
        Ok(p) => p,
        // Unreachable for points ≥ 1 (finite numbers, indices in range); an
        // empty instance has no site, which the builder refuses.
        Err(_) => CoverProblem {
            cost: Vec::new(),
            fixed: Vec::new(),
            weight: Vec::new(),
            arcs: Vec::new(),
        },
    }
}
