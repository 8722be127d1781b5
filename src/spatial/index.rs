//! [`GeoIndex`], the one exact great-circle index: an R\*-tree over unit
//! vectors with k-nearest, nearest and radius queries, ties broken by payload.

use geo::Point;
use rstar::{PointDistance, RTree};

use super::knn::{self, Entry, SphereParams};
use super::{InvalidCoordinate, chord2_bound, chord2_to_km, unit_vector};

/// Squared chord distance below which [`GeoIndex::remove`] treats a stored
/// position as "the same place" (chord 1e-9 ≈ 6.4 mm on the Earth). This
/// makes equivalent spellings such as longitude 180 and -180 interchangeable.
const SAME_PLACE_CHORD2: f64 = 1e-18;

/// Sorts `(payload, km)` pairs by distance, then payload.
#[inline]
fn sort_by_km_then_payload<T: Ord>(v: &mut [(T, f64)]) {
    let order = |a: &(T, f64), b: &(T, f64)| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0));
    if !v.is_sorted_by(|a, b| order(a, b).is_le()) {
        v.sort_unstable_by(order);
    }
}

/// An exact great-circle spatial index of WGS84 points, each carrying a small
/// `Copy` payload `T` (for example a technician's dense `u32` index).
///
/// Built on an R\*-tree over unit vectors in 3D (see the [module
/// docs](super)). Distances are great-circle kilometres consistent with
/// [`great_circle_km`](super::great_circle_km). Several items may share a position, and the same
/// payload may be stored more than once.
///
/// Points with non-finite coordinates or a latitude outside `[-90, 90]` are
/// never stored: [`GeoIndex::new`] skips and counts them, [`GeoIndex::insert`]
/// returns an error.
///
/// # Example
///
/// ```
/// use geo::Point;
/// use servnet::spatial::GeoIndex;
///
/// // Technicians 0..=3 with their positions (lon, lat).
/// let mut index = GeoIndex::new([
///     (Point::new(116.41, 39.90), 0_u32), // Beijing
///     (Point::new(121.47, 31.23), 1),     // Shanghai
///     (Point::new(113.26, 23.13), 2),     // Guangzhou
///     (Point::new(f64::NAN, 10.0), 3),    // bad record: skipped
/// ]);
/// assert_eq!(index.len(), 3);
/// assert_eq!(index.skipped_invalid(), 1);
///
/// // Nearest eligible technician to Nanjing within 500 km, excluding #1.
/// let nanjing = Point::new(118.80, 32.06);
/// assert_eq!(index.nearest_where(nanjing, 500.0, |&t| t != 1), None);
/// let (tech, km) = index.nearest_where(nanjing, f64::INFINITY, |_| true).unwrap();
/// assert_eq!(tech, 1);
/// assert!((km - 270.0).abs() < 10.0);
///
/// // The two nearest, sorted by distance.
/// let two = index.k_nearest_where(nanjing, 2, f64::INFINITY, |_| true);
/// assert_eq!(two.iter().map(|&(t, _)| t).collect::<Vec<_>>(), [1, 0]);
///
/// // Shanghai's technician is fully booked: remove them.
/// assert!(index.remove(Point::new(121.47, 31.23), 1));
/// assert_eq!(index.nearest_where(nanjing, 500.0, |_| true), None);
/// ```
#[derive(Debug, Clone)]
pub struct GeoIndex<T> {
    tree: RTree<Entry<T>, SphereParams>,
    skipped_invalid: usize,
}

impl<T> Default for GeoIndex<T> {
    fn default() -> Self {
        Self {
            tree: RTree::new_with_params(),
            skipped_invalid: 0,
        }
    }
}

impl<T> FromIterator<(Point<f64>, T)> for GeoIndex<T> {
    /// Same as [`GeoIndex::new`].
    fn from_iter<I: IntoIterator<Item = (Point<f64>, T)>>(iter: I) -> Self {
        Self::new(iter)
    }
}

impl<T> GeoIndex<T> {
    /// Builds an index by bulk loading `(point, payload)` pairs.
    ///
    /// Points with a non-finite coordinate or a latitude outside `[-90, 90]`
    /// are skipped; their number is returned by
    /// [`skipped_invalid`](Self::skipped_invalid).
    ///
    /// # Complexity
    ///
    /// `O(n log n)` for `n` items (bulk loading produces a better tree than
    /// `n` calls to [`insert`](Self::insert)).
    pub fn new(items: impl IntoIterator<Item = (Point<f64>, T)>) -> Self {
        let mut skipped_invalid = 0;
        let entries: Vec<Entry<T>> = items
            .into_iter()
            .filter_map(|(p, t)| match unit_vector(p) {
                Some(v) => Some(Entry::new(v, t)),
                None => {
                    skipped_invalid += 1;
                    None
                }
            })
            .collect();
        Self {
            tree: RTree::bulk_load_with_params(entries),
            skipped_invalid,
        }
    }

    /// Number of items stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// `true` if no item is stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Number of points skipped by [`new`](Self::new) because of invalid
    /// coordinates (non-finite, or latitude outside `[-90, 90]`).
    #[must_use]
    pub fn skipped_invalid(&self) -> usize {
        self.skipped_invalid
    }

    /// Adds one item.
    ///
    /// # Errors
    ///
    /// [`InvalidCoordinate`] if a coordinate is not finite or the latitude is
    /// outside `[-90, 90]`; the index is then unchanged.
    ///
    /// # Complexity
    ///
    /// `O(log n)`.
    pub fn insert(&mut self, point: Point<f64>, payload: T) -> Result<(), InvalidCoordinate> {
        let v = unit_vector(point).ok_or(InvalidCoordinate {
            lon: point.x(),
            lat: point.y(),
        })?;
        self.tree.insert(Entry::new(v, payload));
        Ok(())
    }

    /// Iterates over all stored payloads, in unspecified order.
    ///
    /// # Complexity
    ///
    /// `O(n)` for the whole iteration.
    pub fn payloads(&self) -> impl Iterator<Item = &T> {
        self.tree.iter().map(|e| &e.data)
    }
}

impl<T: Copy> GeoIndex<T> {
    /// Removes one item with this payload stored at this position and
    /// returns `true`, or returns `false` if there is none (or the point is
    /// invalid).
    ///
    /// The position matches if it is within about 6 mm of the stored one, so
    /// equivalent spellings (longitude 180 vs -180, or 0 vs 360) match. If
    /// several such items exist, only the closest one is removed.
    ///
    /// # Complexity
    ///
    /// `O(log n)` (plus the number of items stored at that very place).
    pub fn remove(&mut self, point: Point<f64>, payload: T) -> bool
    where
        T: PartialEq,
    {
        let Some(q) = unit_vector(point) else {
            return false;
        };
        let mut best: Option<(Entry<T>, f64)> = None;
        for e in self.tree.locate_within_distance(q, SAME_PLACE_CHORD2) {
            if e.data != payload {
                continue;
            }
            let d2 = e.distance_2(&q);
            if best.is_none_or(|(_, b)| d2 < b) {
                best = Some((*e, d2));
            }
        }
        match best {
            Some((e, _)) => self.tree.remove(&e).is_some(),
            None => false,
        }
    }

    /// All items in non-decreasing great-circle distance from `point`, as
    /// `(payload, km)`.
    ///
    /// Items at exactly the same distance come in unspecified order (use
    /// [`k_nearest_where`](Self::k_nearest_where) for a deterministic
    /// tie-break). An invalid `point` yields nothing. The iterator is lazy:
    /// stop early to pay only for the items consumed.
    ///
    /// # Complexity
    ///
    /// `O(log n)` to create and amortised `O(log n)` per item yielded.
    pub fn nearest_iter(&self, point: Point<f64>) -> impl Iterator<Item = (T, f64)> {
        unit_vector(point)
            .into_iter()
            .flat_map(move |q| self.tree.nearest_neighbor_iter_with_distance_2(&q))
            // The running maximum guards the non-decreasing guarantee against
            // any last-ulp wobble of `asin`; the tree order itself is exact.
            .scan(0.0_f64, |last, (e, d2)| {
                let km = chord2_to_km(d2).max(*last);
                *last = km;
                Some((e.data, km))
            })
    }

    /// The `k` nearest items to `point` that pass `filter` and lie within
    /// `max_km` (inclusive), as `(payload, km)` sorted by distance, then by
    /// payload.
    ///
    /// Use `f64::INFINITY` for no distance cap. When several items tie
    /// exactly for the last place, those with the smallest payloads are kept,
    /// so the result depends only on the stored items, not on insertion
    /// order. Returns an empty `Vec` if `k == 0`, if `max_km` is negative or
    /// NaN, or if `point` is invalid.
    ///
    /// `filter` should be a pure predicate: it is called at most once per
    /// stored item, in unspecified order, and only on items that could still
    /// make the result (it is never called on items farther than an
    /// already-known `k`-th candidate).
    ///
    /// # Complexity
    ///
    /// A depth-first branch-and-bound descent of the R\*-tree that visits
    /// nodes nearest-first and prunes those farther than the current `k`-th
    /// candidate: about `O(log n + m)` for well-spread data, where `m` is the
    /// number of items closer than the `k`-th accepted one (accepted or
    /// not). With a selective filter, see [`KeyedGeoIndex`](super::KeyedGeoIndex) to shrink `m`.
    /// No heap allocation besides the result.
    #[must_use]
    pub fn k_nearest_where(
        &self,
        point: Point<f64>,
        k: usize,
        max_km: f64,
        filter: impl FnMut(&T) -> bool,
    ) -> Vec<(T, f64)>
    where
        T: Ord,
    {
        let mut out = Vec::new();
        self.k_nearest_where_into(point, k, max_km, filter, &mut out);
        out
    }

    /// Same as [`k_nearest_where`](Self::k_nearest_where) but writes into
    /// `out` (cleared first), so that hot loops can reuse one allocation.
    ///
    /// `out` may temporarily grow beyond `k` when items tie for the last
    /// place; it is truncated to `k` before returning.
    ///
    /// # Complexity
    ///
    /// As [`k_nearest_where`](Self::k_nearest_where); no allocation once
    /// `out` has enough capacity.
    pub fn k_nearest_where_into(
        &self,
        point: Point<f64>,
        k: usize,
        max_km: f64,
        filter: impl FnMut(&T) -> bool,
        out: &mut Vec<(T, f64)>,
    ) where
        T: Ord,
    {
        out.clear();
        if k == 0 {
            return;
        }
        let (Some(q), Some(bound)) = (unit_vector(point), chord2_bound(max_km)) else {
            return;
        };
        let mut search = knn::Search {
            q,
            threshold: bound,
            max_km,
            filter,
            collect: knn::TopK { k, out },
        };
        search.visit(self.tree.root());
        // `out` holds (payload, squared chord) sorted by (d2, payload),
        // possibly with extra items tied for the k-th place.
        out.truncate(k);
        for r in out.iter_mut() {
            r.1 = chord2_to_km(r.1);
        }
        // Re-sorting is a no-op unless `asin` wobbles in its last bit.
        sort_by_km_then_payload(out);
    }

    /// The nearest item to `point` that passes `filter` and lies within
    /// `max_km` (inclusive), as `(payload, km)`; exact ties go to the
    /// smallest payload.
    ///
    /// Use `f64::INFINITY` for no distance cap. Returns `None` if there is no
    /// such item, if `max_km` is negative or NaN, or if `point` is invalid.
    ///
    /// # Complexity
    ///
    /// As [`k_nearest_where`](Self::k_nearest_where) with `k = 1`: about
    /// `O(log n + m)`, where `m` is the number of items closer than the
    /// answer. Never allocates. `filter` should be pure; it is called at most
    /// once per item, in unspecified order.
    #[must_use]
    pub fn nearest_where(
        &self,
        point: Point<f64>,
        max_km: f64,
        filter: impl FnMut(&T) -> bool,
    ) -> Option<(T, f64)>
    where
        T: Ord,
    {
        let q = unit_vector(point)?;
        let bound = chord2_bound(max_km)?;
        let mut search = knn::Search {
            q,
            threshold: bound,
            max_km,
            filter,
            collect: knn::Best { best: None },
        };
        search.visit(self.tree.root());
        search.collect.best.map(|(t, d2)| (t, chord2_to_km(d2)))
    }

    /// All items within `radius_km` (inclusive) of `point` that pass
    /// `filter`, as `(payload, km)` sorted by distance, then by payload.
    ///
    /// Returns an empty `Vec` if `radius_km` is negative or NaN, or if
    /// `point` is invalid. A radius of at least half the Earth's
    /// circumference (≈ 20015.1 km) covers every item.
    ///
    /// # Complexity
    ///
    /// `O(log n + m + r log r)`, where `m` is the number of items within the
    /// radius and `r` the number returned.
    #[must_use]
    pub fn within_radius_where(
        &self,
        point: Point<f64>,
        radius_km: f64,
        filter: impl FnMut(&T) -> bool,
    ) -> Vec<(T, f64)>
    where
        T: Ord,
    {
        let mut out = Vec::new();
        self.within_radius_where_into(point, radius_km, filter, &mut out);
        out
    }

    /// Same as [`within_radius_where`](Self::within_radius_where) but writes
    /// into `out` (cleared first), so that hot loops can reuse one
    /// allocation.
    ///
    /// # Complexity
    ///
    /// As [`within_radius_where`](Self::within_radius_where).
    pub fn within_radius_where_into(
        &self,
        point: Point<f64>,
        radius_km: f64,
        mut filter: impl FnMut(&T) -> bool,
        out: &mut Vec<(T, f64)>,
    ) where
        T: Ord,
    {
        out.clear();
        let (Some(q), Some(bound)) = (unit_vector(point), chord2_bound(radius_km)) else {
            return;
        };
        for e in self.tree.locate_within_distance(q, bound) {
            if !filter(&e.data) {
                continue;
            }
            let km = chord2_to_km(e.distance_2(&q));
            if km <= radius_km {
                out.push((e.data, km));
            }
        }
        sort_by_km_then_payload(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lon: f64, lat: f64) -> Point<f64> {
        Point::new(lon, lat)
    }

    #[test]
    fn insert_rejects_invalid_and_remove_matches_equivalent_longitudes() {
        let mut idx = GeoIndex::default();
        let err = idx.insert(p(f64::NAN, 1.0), 7_u32).unwrap_err();
        assert!(err.lon.is_nan() && err.lat == 1.0);
        assert!(idx.insert(p(0.0, 90.5), 7).is_err());
        assert!(idx.insert(p(f64::INFINITY, 0.0), 7).is_err());
        assert!(idx.is_empty());
        idx.insert(p(180.0, 10.0), 1).unwrap();
        idx.insert(p(180.0, 10.0), 2).unwrap();
        assert!(!idx.remove(p(-180.0, 10.0), 3));
        assert!(!idx.remove(p(-179.0, 10.0), 1));
        assert!(!idx.remove(p(f64::NAN, 10.0), 1));
        assert!(idx.remove(p(-180.0, 10.0), 1));
        assert!(!idx.remove(p(180.0, 10.0), 1));
        assert_eq!(idx.len(), 1);
        assert!(idx.remove(p(540.0, 10.0), 2));
        assert!(idx.is_empty());
    }

    #[test]
    fn ties_are_broken_by_payload_whatever_the_insertion_order() {
        // Eight items at one place plus a farther one: k = 3 keeps 0, 1, 2.
        let here = p(100.0, 30.0);
        let forward: GeoIndex<u32> = (0..8).map(|i| (here, i)).collect();
        let mut backward = GeoIndex::default();
        for i in (0..8).rev() {
            backward.insert(here, i).unwrap();
        }
        backward.insert(p(101.0, 30.0), 100).unwrap();
        for idx in [&forward, &backward] {
            let got = idx.k_nearest_where(p(100.2, 30.0), 3, f64::INFINITY, |_| true);
            assert_eq!(got.iter().map(|r| r.0).collect::<Vec<_>>(), [0, 1, 2]);
            let near = idx.nearest_where(p(100.2, 30.0), f64::INFINITY, |&t| t > 4);
            assert_eq!(near.map(|r| r.0), Some(5));
        }
    }

    #[test]
    fn invalid_queries_return_nothing() {
        let idx: GeoIndex<u32> = [(p(0.0, 0.0), 1)].into_iter().collect();
        let bad = p(f64::NAN, f64::NAN);
        assert_eq!(idx.nearest_iter(bad).count(), 0);
        assert!(idx.k_nearest_where(bad, 3, 1e9, |_| true).is_empty());
        assert!(idx.within_radius_where(bad, 1e9, |_| true).is_empty());
        assert_eq!(idx.nearest_where(bad, 1e9, |_| true), None);
        let ok = p(0.0, 0.0);
        assert!(idx.k_nearest_where(ok, 3, f64::NAN, |_| true).is_empty());
        assert!(idx.k_nearest_where(ok, 3, -1.0, |_| true).is_empty());
        assert!(idx.k_nearest_where(ok, 0, 1.0, |_| true).is_empty());
        assert_eq!(idx.k_nearest_where(ok, 3, 0.0, |_| true), [(1, 0.0)]);
        assert!(idx.within_radius_where(ok, f64::NAN, |_| true).is_empty());
        assert_eq!(idx.within_radius_where(ok, 0.0, |_| true), [(1, 0.0)]);
        assert_eq!(idx.nearest_where(ok, -0.5, |_| true), None);
    }
}
