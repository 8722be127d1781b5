//! [`OutletIndex`]: a scenario's outlets by category served, for nearest and
//! radius searches by [`Eligibility`].

use super::criteria::{Eligibility, Found, Lookup};
use crate::model::{OutletId, Scenario};
use crate::spatial::{GeoIndex, KeyedGeoIndex};
use geo::Point;

/// The outlets of a scenario, for nearest and radius searches by eligibility
/// (categories served, kind, region; the level does not apply to outlets).
pub struct OutletIndex {
    lookup: Lookup,
    ncat: usize,
    /// `serves[o * ncat + c]`.
    serves: Vec<bool>,
    kind: Vec<u8>,
    region: Vec<u32>,
    ids: Vec<OutletId>,
    by_category: KeyedGeoIndex<u16, u32>,
    all: GeoIndex<u32>,
}

impl OutletIndex {
    /// Indexes every outlet of the scenario at its location.
    pub fn new(s: &Scenario) -> OutletIndex {
        let lookup = Lookup::new(s);
        let ncat = s.catalog().categories.len();
        let mut serves = vec![false; s.outlets().len() * ncat];
        let mut entries = Vec::new();
        for (o, outlet) in s.outlets().iter().enumerate() {
            for c in &outlet.categories {
                if let Some(c) = lookup.category(c) {
                    serves[o * ncat + c] = true;
                    entries.push((c as u16, outlet.location, o as u32));
                }
            }
        }
        OutletIndex {
            serves,
            kind: s.outlets().iter().map(|o| o.kind.index() as u8).collect(),
            region: (0..s.outlets().len())
                .map(|o| lookup.outlet_region(s, o))
                .collect(),
            ids: s.outlets().iter().map(|o| o.id).collect(),
            by_category: KeyedGeoIndex::new(entries),
            all: GeoIndex::new(
                s.outlets()
                    .iter()
                    .enumerate()
                    .map(|(o, x)| (x.location, o as u32)),
            ),
            lookup,
            ncat,
        }
    }

    /// The `k` nearest eligible outlets, nearest first (ties by position in the scenario).
    pub fn nearest(&self, at: Point<f64>, k: usize, e: &Eligibility) -> Vec<Found<OutletId>> {
        self.search(e, |index, max_km, filter| {
            index.k_nearest_where(at, k, max_km, filter)
        })
    }

    /// Every eligible outlet within `radius_km` (and the eligibility's `max_km`), nearest first.
    pub fn within_radius(
        &self,
        at: Point<f64>,
        radius_km: f64,
        e: &Eligibility,
    ) -> Vec<Found<OutletId>> {
        self.search(e, |index, max_km, filter| {
            index.within_radius_where(at, radius_km.min(max_km), filter)
        })
    }

    /// Runs `query` on the index of the first category asked for (or of all
    /// outlets), with the eligibility's `max_km` and a filter of the rest.
    fn search(
        &self,
        e: &Eligibility,
        query: impl FnOnce(&GeoIndex<u32>, f64, &dyn Fn(&u32) -> bool) -> Vec<(u32, f64)>,
    ) -> Vec<Found<OutletId>> {
        let Some(c) = self.lookup.criteria(e) else {
            return Vec::new();
        };
        let filter = |&o: &u32| {
            let o = o as usize;
            c.admits(self.kind[o], self.region[o])
                && c.cats().iter().all(|&cat| self.serves[o * self.ncat + cat])
        };
        let index = match c.cats().first() {
            Some(&cat) => self.by_category.get(&(cat as u16)),
            None => Some(&self.all),
        };
        index
            .map(|index| query(index, c.max_km(), &filter))
            .unwrap_or_default()
            .into_iter()
            .map(|(o, km)| Found {
                id: self.ids[o as usize],
                outlet: self.ids[o as usize],
                km,
            })
            .collect()
    }
}
