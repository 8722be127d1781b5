//! Exact great-circle nearest-neighbour search over WGS84 points.
//!
//! Points are given as [`geo::Point<f64>`] with `x` = longitude and `y` =
//! latitude, both in degrees. Internally every point is mapped to a unit
//! vector in 3D (an earth-centred, earth-fixed position on the unit sphere).
//! The straight-line (chord) distance between two such vectors is a strictly
//! increasing function of their great-circle distance, so a Euclidean
//! R\*-tree ([`rstar`]) over the 3D vectors answers great-circle
//! nearest-neighbour and radius queries *exactly*, with no special cases at
//! the poles or across the antimeridian.
//!
//! Distances are reported in kilometres on a sphere of radius
//! [`EARTH_RADIUS_KM`]; [`great_circle_km`] is the crate-wide definition of
//! distance and the index agrees with it to well within 1e-6 relative.
//!
//! * [`GeoIndex`] holds `(point, payload)` pairs, where the payload is a small
//!   `Copy` value such as a technician's dense index.
//! * [`KeyedGeoIndex`] keeps one [`GeoIndex`] per key (for example a product
//!   category and skill level), so that a query only walks the items
//!   registered under the key it asks for.
//!
//! # Invalid coordinates
//!
//! A coordinate is valid when longitude and latitude are both finite and the
//! latitude lies in `[-90, 90]` (any finite longitude is accepted and wraps
//! around the globe). Invalid points are never stored: [`GeoIndex::new`]
//! skips them and counts them ([`GeoIndex::skipped_invalid`]), and
//! [`GeoIndex::insert`] rejects them with [`InvalidCoordinate`]. Queries from
//! an invalid point return nothing (an empty iterator, an empty `Vec`, or
//! `None`). Nothing in this module panics on any input, NaN included.
//!
//! # Determinism
//!
//! The results of `k_nearest_where`, `nearest_where` and
//! `within_radius_where` depend only on the stored items (and on `filter`,
//! which should be a pure predicate), not on insertion order or on the shape
//! of the tree: they are sorted by distance, items at exactly the same
//! distance are ordered by payload (`T: Ord`), and when the `k`-th place is
//! tied the tied items with the smallest payloads are kept.
//! [`GeoIndex::nearest_iter`] yields exact ties in unspecified order.
//!
//! # Performance
//!
//! `k_nearest_where` and `nearest_where` run an allocation-free depth-first
//! branch-and-bound descent of the tree (nearest subtrees first, pruned
//! against the current `k`-th distance). Their cost grows with the number of
//! items *rejected* by the filter that are nearer than the answer, so for
//! selective filters register items by key in a [`KeyedGeoIndex`] and query
//! only the key that matters; `benches/spatial.rs` measures both.

mod index;
mod keyed;
mod knn;

pub use index::GeoIndex;
pub use keyed::KeyedGeoIndex;

use geo::Point;

/// Mean Earth radius in kilometres (IUGG mean radius R1 = 6371.0088 km).
///
/// This is the single radius used for every distance in the crate.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres between two WGS84 points
/// (`x` = longitude, `y` = latitude, degrees), by the haversine formula on a
/// sphere of radius [`EARTH_RADIUS_KM`].
///
/// This is the crate-wide definition of distance. The result is in
/// `[0, π·EARTH_RADIUS_KM]` (about 20015.1 km) for finite inputs. If any
/// coordinate is NaN or infinite the result is NaN; latitudes outside
/// `[-90, 90]` are not validated (the formula is simply evaluated). Never
/// panics.
///
/// ```
/// use geo::Point;
/// use servnet::spatial::great_circle_km;
///
/// let beijing = Point::new(116.4074, 39.9042);
/// let shanghai = Point::new(121.4737, 31.2304);
/// let d = great_circle_km(beijing, shanghai);
/// assert!((d - 1067.0).abs() < 5.0);
/// ```
#[must_use]
pub fn great_circle_km(a: Point<f64>, b: Point<f64>) -> f64 {
    let lat_a = a.y().to_radians();
    let lat_b = b.y().to_radians();
    let half_dlat = 0.5 * (lat_b - lat_a);
    let half_dlon = 0.5 * (b.x() - a.x()).to_radians();
    let s_lat = half_dlat.sin();
    let s_lon = half_dlon.sin();
    let h = s_lat * s_lat + lat_a.cos() * lat_b.cos() * s_lon * s_lon;
    // `clamp` keeps NaN as NaN (unlike `min`), and guards rounding above 1.
    2.0 * EARTH_RADIUS_KM * h.sqrt().clamp(0.0, 1.0).asin()
}

/// Error returned by [`GeoIndex::insert`] for a point that cannot be placed
/// on the globe: a non-finite coordinate, or a latitude outside `[-90, 90]`.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "invalid WGS84 coordinate (lon {lon}, lat {lat}): both must be finite and latitude within [-90, 90]"
)]
pub struct InvalidCoordinate {
    /// The rejected longitude in degrees.
    pub lon: f64,
    /// The rejected latitude in degrees.
    pub lat: f64,
}

/// Unit vector on the sphere for a valid WGS84 point, `None` otherwise.
#[inline]
pub(crate) fn unit_vector(p: Point<f64>) -> Option<[f64; 3]> {
    let (lon, lat) = (p.x(), p.y());
    if !lon.is_finite() || !(-90.0..=90.0).contains(&lat) {
        // `contains` is false for NaN and for ±∞.
        return None;
    }
    let (s_lat, c_lat) = lat.to_radians().sin_cos();
    let (s_lon, c_lon) = lon.to_radians().sin_cos();
    Some([c_lat * c_lon, c_lat * s_lon, s_lat])
}

/// Great-circle kilometres for a squared chord length on the unit sphere.
#[inline]
pub(crate) fn chord2_to_km(d2: f64) -> f64 {
    // d2 is finite and non-negative for stored points and valid queries.
    2.0 * EARTH_RADIUS_KM * (0.5 * d2.sqrt()).clamp(0.0, 1.0).asin()
}

/// A squared-chord bound that every item within `km` satisfies, or `None`
/// when no item can be within `km` (negative or NaN).
///
/// The bound carries a small relative slack so that rounding in the
/// km ↔ chord conversion never prunes an item that the exact per-item
/// check (`chord2_to_km(d2) <= km`) would accept.
#[inline]
fn chord2_bound(km: f64) -> Option<f64> {
    if km.is_nan() || km < 0.0 {
        return None;
    }
    let half_angle = 0.5 * km / EARTH_RADIUS_KM;
    if half_angle >= 0.5 * std::f64::consts::PI * (1.0 - 1e-12) {
        return Some(f64::INFINITY);
    }
    let chord = 2.0 * half_angle.sin();
    let slack = chord * (1.0 + 1e-9) + 1e-15;
    Some(slack * slack)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lon: f64, lat: f64) -> Point<f64> {
        Point::new(lon, lat)
    }

    #[test]
    fn unit_vector_validates() {
        assert!(unit_vector(p(0.0, 0.0)).is_some());
        assert!(unit_vector(p(1e300, 90.0)).is_some());
        assert!(unit_vector(p(-540.0, -90.0)).is_some());
        for bad in [
            p(f64::NAN, 0.0),
            p(0.0, f64::NAN),
            p(f64::INFINITY, 0.0),
            p(0.0, f64::NEG_INFINITY),
            p(0.0, 90.000_001),
            p(0.0, -91.0),
        ] {
            assert!(unit_vector(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn chord_km_matches_haversine() {
        let pairs = [
            (p(0.0, 0.0), p(0.0, 0.0)),
            (p(0.0, 0.0), p(0.0, 1e-9)),
            (p(116.4074, 39.9042), p(121.4737, 31.2304)),
            (p(179.9, 0.0), p(-179.9, 0.0)),
            (p(0.0, 90.0), p(0.0, -90.0)),
            (p(0.0, 0.0), p(180.0, 0.0)),
            (p(10.0, 45.0), p(-170.0, -44.9999)),
            (p(-73.0, 40.0), p(2.35, 48.85)),
        ];
        for (a, b) in pairs {
            let (ua, ub) = (unit_vector(a).unwrap(), unit_vector(b).unwrap());
            let d2: f64 = (0..3).map(|i| (ua[i] - ub[i]).powi(2)).sum();
            let via_chord = chord2_to_km(d2);
            let via_hav = great_circle_km(a, b);
            assert!(
                (via_chord - via_hav).abs() <= 1e-6 * via_hav.max(1.0),
                "{a:?} {b:?}: {via_chord} vs {via_hav}"
            );
        }
    }

    #[test]
    fn chord_bound_never_prunes_accepted_items() {
        for km in [0.0, 1e-9, 0.5, 1.0, 22.2, 1067.0, 10_000.0, 20_015.0] {
            let b = chord2_bound(km).unwrap();
            // The largest d2 accepted by the exact check must be within the bound.
            let c = 2.0 * (0.5 * km / EARTH_RADIUS_KM).sin();
            assert!(chord2_to_km(c * c) <= km * (1.0 + 1e-12) + 1e-12);
            assert!(c * c <= b);
        }
        assert_eq!(chord2_bound(20_016.0), Some(f64::INFINITY));
        assert_eq!(chord2_bound(f64::INFINITY), Some(f64::INFINITY));
        assert_eq!(chord2_bound(-1.0), None);
        assert_eq!(chord2_bound(f64::NAN), None);
    }

    #[test]
    fn great_circle_nan_is_nan() {
        assert!(great_circle_km(p(f64::NAN, 0.0), p(0.0, 0.0)).is_nan());
        assert!(great_circle_km(p(0.0, 0.0), p(0.0, f64::INFINITY)).is_nan());
    }
}
