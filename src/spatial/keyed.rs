//! One [`GeoIndex`] per key, for queries that only want items of one kind.

use std::collections::BTreeMap;

use geo::Point;

use super::{GeoIndex, InvalidCoordinate};

/// A family of [`GeoIndex`]es, one per key `K`, for queries restricted to the
/// items registered under one key.
///
/// A filtered nearest-neighbour query on a plain [`GeoIndex`] walks every
/// item closer than the `k`-th accepted one, so a selective filter (say, "has
/// skill X at level Expert") makes it walk many rejected items. Registering
/// each item under the keys it qualifies for (for example `(category,
/// level)` for every level up to the technician's own) makes the query walk
/// only qualifying items; a residual filter (availability, capacity) can
/// still be passed.
///
/// An item may be registered under any number of keys; it is stored once
/// per key. Results have the same guarantees as on [`GeoIndex`] (exact
/// great-circle order, ties broken by payload, nothing returned for an
/// invalid point). Querying a key with no items returns nothing.
///
/// ```
/// use geo::Point;
/// use servnet::spatial::KeyedGeoIndex;
///
/// // (product category, technician) registrations.
/// let index = KeyedGeoIndex::new([
///     ("fridge", Point::new(116.41, 39.90), 0_u32),
///     ("washer", Point::new(116.41, 39.90), 0),
///     ("fridge", Point::new(121.47, 31.23), 1),
///     ("washer", Point::new(117.20, 39.13), 2),
/// ]);
/// assert_eq!(index.len(), 4);
/// let tianjin = Point::new(117.20, 39.13);
/// let fridge = index.k_nearest_where(&"fridge", tianjin, 8, f64::INFINITY, |_| true);
/// assert_eq!(fridge.iter().map(|&(t, _)| t).collect::<Vec<_>>(), [0, 1]);
/// assert_eq!(index.nearest_where(&"oven", tianjin, f64::INFINITY, |_| true), None);
/// ```
#[derive(Debug, Clone)]
pub struct KeyedGeoIndex<K, T> {
    by_key: BTreeMap<K, GeoIndex<T>>,
}

impl<K, T> Default for KeyedGeoIndex<K, T> {
    fn default() -> Self {
        Self {
            by_key: BTreeMap::new(),
        }
    }
}

impl<K: Ord, T> FromIterator<(K, Point<f64>, T)> for KeyedGeoIndex<K, T> {
    /// Same as [`KeyedGeoIndex::new`].
    fn from_iter<I: IntoIterator<Item = (K, Point<f64>, T)>>(iter: I) -> Self {
        Self::new(iter)
    }
}

impl<K: Ord, T> KeyedGeoIndex<K, T> {
    /// Builds the index from `(key, point, payload)` registrations, bulk
    /// loading one [`GeoIndex`] per distinct key.
    ///
    /// Registrations with invalid coordinates are skipped and counted (see
    /// [`skipped_invalid`](Self::skipped_invalid)).
    ///
    /// # Complexity
    ///
    /// `O(n log n)` for `n` registrations.
    pub fn new(items: impl IntoIterator<Item = (K, Point<f64>, T)>) -> Self {
        let mut grouped: BTreeMap<K, Vec<(Point<f64>, T)>> = BTreeMap::new();
        for (key, point, payload) in items {
            grouped.entry(key).or_default().push((point, payload));
        }
        Self {
            by_key: grouped
                .into_iter()
                .map(|(key, items)| (key, GeoIndex::new(items)))
                .collect(),
        }
    }

    /// The index of one key, if any item was ever registered under it.
    ///
    /// # Complexity
    ///
    /// `O(log (number of keys))`.
    #[must_use]
    pub fn get(&self, key: &K) -> Option<&GeoIndex<T>> {
        self.by_key.get(key)
    }

    /// The keys in increasing order (including keys whose items were all
    /// removed).
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.by_key.keys()
    }

    /// Total number of registrations over all keys (an item registered under
    /// three keys counts three times).
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_key.values().map(GeoIndex::len).sum()
    }

    /// `true` if no registration is stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_key.values().all(GeoIndex::is_empty)
    }

    /// Number of registrations skipped by [`new`](Self::new) because of
    /// invalid coordinates.
    #[must_use]
    pub fn skipped_invalid(&self) -> usize {
        self.by_key.values().map(GeoIndex::skipped_invalid).sum()
    }

    /// Registers one item under `key`.
    ///
    /// # Errors
    ///
    /// [`InvalidCoordinate`] if the point is invalid; nothing is changed.
    ///
    /// # Complexity
    ///
    /// `O(log n + log (number of keys))`.
    pub fn insert(
        &mut self,
        key: K,
        point: Point<f64>,
        payload: T,
    ) -> Result<(), InvalidCoordinate> {
        match self.by_key.get_mut(&key) {
            Some(index) => index.insert(point, payload),
            None => {
                let mut index = GeoIndex::default();
                index.insert(point, payload)?;
                self.by_key.insert(key, index);
                Ok(())
            }
        }
    }
}

impl<K: Ord, T: Copy> KeyedGeoIndex<K, T> {
    /// `query` on the index of `key`; the default (nothing) for a key
    /// without items. Every query of this type is one of [`GeoIndex`]'s,
    /// asked of one key's index.
    fn on_key<R: Default>(&self, key: &K, query: impl FnOnce(&GeoIndex<T>) -> R) -> R {
        self.by_key.get(key).map(query).unwrap_or_default()
    }

    /// Removes one registration of `payload` at `point` under `key`; see
    /// [`GeoIndex::remove`] for how positions match.
    ///
    /// # Complexity
    ///
    /// `O(log n + log (number of keys))`.
    pub fn remove(&mut self, key: &K, point: Point<f64>, payload: T) -> bool
    where
        T: PartialEq,
    {
        self.by_key
            .get_mut(key)
            .is_some_and(|index| index.remove(point, payload))
    }

    /// Removes one registration of `payload` at `point` under every key
    /// (for example when a technician's capacity is used up) and returns how
    /// many were removed.
    ///
    /// # Complexity
    ///
    /// `O(number of keys · log n)`.
    pub fn remove_everywhere(&mut self, point: Point<f64>, payload: T) -> usize
    where
        T: PartialEq,
    {
        self.by_key
            .values_mut()
            .filter_map(|index| index.remove(point, payload).then_some(()))
            .count()
    }

    /// [`GeoIndex::k_nearest_where`] on the items registered under `key`.
    ///
    /// # Complexity
    ///
    /// `O(log (number of keys) + (m + 1) log n)`, where `m` counts only
    /// items of this key closer than the `k`-th accepted one.
    #[must_use]
    pub fn k_nearest_where(
        &self,
        key: &K,
        point: Point<f64>,
        k: usize,
        max_km: f64,
        filter: impl FnMut(&T) -> bool,
    ) -> Vec<(T, f64)>
    where
        T: Ord,
    {
        self.on_key(key, |index| index.k_nearest_where(point, k, max_km, filter))
    }

    /// [`GeoIndex::k_nearest_where_into`] on the items registered under
    /// `key`: writes into `out` (cleared first, left empty for an unknown
    /// key).
    ///
    /// # Complexity
    ///
    /// As [`k_nearest_where`](Self::k_nearest_where); no allocation once
    /// `out` has enough capacity.
    pub fn k_nearest_where_into(
        &self,
        key: &K,
        point: Point<f64>,
        k: usize,
        max_km: f64,
        filter: impl FnMut(&T) -> bool,
        out: &mut Vec<(T, f64)>,
    ) where
        T: Ord,
    {
        out.clear();
        self.on_key(key, |index| {
            index.k_nearest_where_into(point, k, max_km, filter, out);
        });
    }

    /// [`GeoIndex::nearest_where`] on the items registered under `key`.
    ///
    /// # Complexity
    ///
    /// `O(log (number of keys) + (m + 1) log n)`, where `m` counts only
    /// items of this key closer than the answer.
    #[must_use]
    pub fn nearest_where(
        &self,
        key: &K,
        point: Point<f64>,
        max_km: f64,
        filter: impl FnMut(&T) -> bool,
    ) -> Option<(T, f64)>
    where
        T: Ord,
    {
        self.on_key(key, |index| index.nearest_where(point, max_km, filter))
    }

    /// [`GeoIndex::within_radius_where`] on the items registered under
    /// `key`.
    ///
    /// # Complexity
    ///
    /// `O(log (number of keys) + log n + m + r log r)`, where `m` counts the
    /// items of this key within the radius and `r` those returned.
    #[must_use]
    pub fn within_radius_where(
        &self,
        key: &K,
        point: Point<f64>,
        radius_km: f64,
        filter: impl FnMut(&T) -> bool,
    ) -> Vec<(T, f64)>
    where
        T: Ord,
    {
        self.on_key(key, |index| {
            index.within_radius_where(point, radius_km, filter)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_partition_queries_and_removal_everywhere() {
        let a = Point::new(100.0, 30.0);
        let b = Point::new(101.0, 30.0);
        let mut idx: KeyedGeoIndex<(u8, u8), u32> =
            [((0, 0), a, 1), ((0, 1), a, 1), ((1, 0), b, 2)]
                .into_iter()
                .collect();
        assert!(idx.insert((0, 0), Point::new(f64::NAN, 0.0), 9).is_err());
        idx.insert((2, 0), b, 3).unwrap();
        assert_eq!(idx.len(), 4);
        assert_eq!(idx.keys().count(), 4);
        let q = Point::new(100.9, 30.0);
        assert_eq!(
            idx.nearest_where(&(0, 1), q, f64::INFINITY, |_| true)
                .map(|r| r.0),
            Some(1)
        );
        assert_eq!(idx.nearest_where(&(9, 9), q, f64::INFINITY, |_| true), None);
        let mut out = vec![(0, 0.0)];
        idx.k_nearest_where_into(&(9, 9), q, 3, f64::INFINITY, |_| true, &mut out);
        assert!(out.is_empty());
        assert_eq!(idx.remove_everywhere(a, 1), 2);
        assert!(
            idx.k_nearest_where(&(0, 0), q, 3, f64::INFINITY, |_| true)
                .is_empty()
        );
        assert!(idx.remove(&(1, 0), b, 2));
        assert!(!idx.remove(&(1, 0), b, 2));
        assert_eq!(idx.len(), 1);
        assert!(!idx.is_empty());
        assert_eq!(idx.within_radius_where(&(2, 0), q, 50.0, |_| true).len(), 1);
    }
}
