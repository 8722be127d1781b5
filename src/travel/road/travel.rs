//! [`RoadTravel`]: legs between any two points over a shared road network,
//! with a per-source cache, and the parallel many-to-many [`RoadMatrix`].

use super::{Metric, RoadNetwork, Snap};
use crate::error::{ErrorKind, Result};
use crate::spatial::great_circle_km;
use crate::travel::{GreatCircle, Leg, TravelModel};
use geo::Point;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

/// Road km and minutes from one source node to every node (infinite when unreachable).
#[derive(Debug)]
struct Row {
    km: Vec<f64>,
    minutes: Vec<f64>,
}

/// Travel over a road network: a [`TravelModel`] whose legs snap both points
/// to their nearest nodes and drive the shortest road path between them.
///
/// A leg is the *access* stretch from the point to its node (great-circle ×
/// the access detour factor, at the access speed; by default ×1.3 at
/// 30 km/h), the road path by the [`Metric`] (by default the fastest), and
/// the access stretch from the last node to the point. A point to itself is
/// a zero leg; two points that snap to one node are joined directly by the
/// access model (a trip inside one town does not drive to its centre and back).
///
/// **Unreachable legs.** Between points whose nodes lie in different
/// components, or from an invalid point (or on a network without geography),
/// [`TravelModel::leg`] returns a leg with infinite km and minutes — this is
/// the one exception to the trait's "finite values for valid points"; the
/// [`RoadMatrix`] of [`RoadTravel::many_to_many`] says `None` instead.
///
/// **Cache.** The first leg from a source node runs one Dijkstra from it and
/// keeps the whole row (km and minutes to every node); later legs from that
/// node are a lookup. Rows depend only on the network, the metric and the
/// source, so results never depend on the order or threads in which they
/// were filled. The cache only grows (at most one row of `16 × nodes` bytes
/// per source node); [`RoadTravel::clear_cache`] empties it.
///
/// # Example
/// ```
/// use geo::Point;
/// use servnet::TravelModel;
/// use servnet::travel::road::{RoadClass, RoadNetwork, RoadTravel};
/// use std::sync::Arc;
///
/// let net = RoadNetwork::builder()
///     .node(1, Point::new(113.26, 23.13))
///     .node(2, Point::new(114.06, 22.54))
///     .node(3, Point::new(120.0, 30.0)) // off on its own
///     .edge(1, 2, 105.0, RoadClass::Expressway)
///     .build()?;
/// let travel = RoadTravel::new(Arc::new(net));
/// let leg = travel.leg(Point::new(113.26, 23.13), Point::new(114.06, 22.54));
/// assert_eq!((leg.km, leg.minutes), (105.0, 63.0));
/// let cut_off = travel.leg(Point::new(113.26, 23.13), Point::new(120.0, 30.0));
/// assert!(cut_off.km.is_infinite() && cut_off.minutes.is_infinite());
/// let m = travel.many_to_many(&[Point::new(113.26, 23.13)], &[Point::new(120.0, 30.0)]);
/// assert_eq!(m.get(0, 0), None);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug)]
pub struct RoadTravel {
    net: Arc<RoadNetwork>,
    metric: Metric,
    access: GreatCircle,
    cache: RwLock<BTreeMap<u32, Arc<Row>>>,
}

/// The legs between every source and every target of
/// [`RoadTravel::many_to_many`]: a cell is `Some(leg)` when the target can be
/// reached from the source and `None` when it cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMatrix {
    rows: usize,
    cols: usize,
    cells: Vec<Option<Leg>>,
}

impl RoadMatrix {
    /// The number of sources (rows).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The number of targets (columns).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The leg from source `i` to target `j`; `None` when unreachable or
    /// when `i` or `j` is out of range.
    pub fn get(&self, i: usize, j: usize) -> Option<Leg> {
        if i < self.rows && j < self.cols {
            self.cells[i * self.cols + j]
        } else {
            None
        }
    }

    /// The cells of source `i`, one per target; empty when `i` is out of range.
    pub fn row(&self, i: usize) -> &[Option<Leg>] {
        if i < self.rows {
            &self.cells[i * self.cols..(i + 1) * self.cols]
        } else {
            &[]
        }
    }

    /// The number of reachable cells.
    pub fn reachable_count(&self) -> usize {
        self.cells.iter().filter(|c| c.is_some()).count()
    }
}

const UNREACHABLE: Leg = Leg {
    km: f64::INFINITY,
    minutes: f64::INFINITY,
};

impl RoadTravel {
    /// Travel on a shared network, by the fastest path ([`Metric::Minutes`]),
    /// with access stretches at ×1.3 and 30 km/h, and an empty cache.
    pub fn new(net: Arc<RoadNetwork>) -> Self {
        RoadTravel {
            net,
            metric: Metric::Minutes,
            access: GreatCircle {
                detour_factor: 1.3,
                speed_kmh: 30.0,
            },
            cache: RwLock::new(BTreeMap::new()),
        }
    }

    /// Sets what road paths minimise (and empties the cache).
    pub fn metric(mut self, metric: Metric) -> Self {
        self.metric = metric;
        self.cache = RwLock::new(BTreeMap::new());
        self
    }

    /// Sets the detour factor and speed of the access stretches between a
    /// point and its node.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] (`access`) when the detour factor is not
    /// finite and ≥ 1 or the speed not finite and positive.
    pub fn access(mut self, access: GreatCircle) -> Result<Self> {
        let ok_factor = access.detour_factor.is_finite() && access.detour_factor >= 1.0;
        let ok_speed = access.speed_kmh.is_finite() && access.speed_kmh > 0.0;
        if !(ok_factor && ok_speed) {
            return Err(ErrorKind::Parameter {
                name: "access",
                message: format!(
                    "detour factor {} must be finite and ≥ 1, speed {} km/h finite and > 0",
                    access.detour_factor, access.speed_kmh
                ),
            }
            .into());
        }
        self.access = access;
        Ok(self)
    }

    /// The network.
    pub fn network(&self) -> &Arc<RoadNetwork> {
        &self.net
    }

    /// The metric road paths minimise.
    pub fn path_metric(&self) -> Metric {
        self.metric
    }

    /// The number of source nodes whose row is cached.
    pub fn cached_sources(&self) -> usize {
        self.cache.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Empties the cache.
    pub fn clear_cache(&self) {
        self.cache
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn compute_row(&self, source: u32) -> Row {
        let tree = self.net.tree_from(source, self.metric);
        Row {
            km: tree.km,
            minutes: tree.minutes,
        }
    }

    fn cached(&self, source: u32) -> Option<Arc<Row>> {
        let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
        cache.get(&source).cloned()
    }

    fn row(&self, source: u32) -> Arc<Row> {
        if let Some(row) = self.cached(source) {
            return row;
        }
        let row = Arc::new(self.compute_row(source));
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        // Another thread may have put the same row in meanwhile: either is the same numbers.
        Arc::clone(cache.entry(source).or_insert(row))
    }

    /// The road leg from one node to another by the metric, from the cache;
    /// `None` when unreachable or either index does not exist.
    pub fn node_leg(&self, from: NodeIndex, to: NodeIndex) -> Option<Leg> {
        if !self.net.connected(from, to) {
            return None;
        }
        let row = self.row(from.index() as u32);
        let (km, minutes) = (row.km[to.index()], row.minutes[to.index()]);
        (km.is_finite() && minutes.is_finite()).then_some(Leg { km, minutes })
    }

    fn access_leg(&self, snap: &Snap) -> Leg {
        let km = snap.distance_km * self.access.detour_factor;
        Leg {
            km,
            minutes: self.access.minutes_for_km(km),
        }
    }

    /// Two points of one node's area, joined by the access model.
    fn direct(&self, from: Point<f64>, to: Point<f64>) -> Leg {
        self.access.leg(from, to)
    }

    fn join(&self, a: &Snap, row: &Row, b: &Snap) -> Option<Leg> {
        let (km, minutes) = (row.km[b.node.index()], row.minutes[b.node.index()]);
        if !(km.is_finite() && minutes.is_finite()) {
            return None;
        }
        let (x, y) = (self.access_leg(a), self.access_leg(b));
        Some(Leg {
            km: x.km + km + y.km,
            minutes: x.minutes + minutes + y.minutes,
        })
    }

    /// The leg between two points, `None` when unreachable; as [`TravelModel::leg`].
    pub fn try_leg(&self, from: Point<f64>, to: Point<f64>) -> Option<Leg> {
        if from == to && self.net.snap(from).is_some() {
            return Some(Leg {
                km: 0.0,
                minutes: 0.0,
            });
        }
        let (a, b) = (self.net.snap(from)?, self.net.snap(to)?);
        if a.node == b.node {
            return Some(self.direct(from, to));
        }
        if !self.net.connected(a.node, b.node) {
            return None;
        }
        self.join(&a, &self.row(a.node.index() as u32), &b)
    }

    /// The legs from every source to every target: cell `(i, j)` is
    /// [`RoadTravel::try_leg`]`(sources[i], targets[j])`.
    ///
    /// Points are snapped once each; one Dijkstra runs per distinct source
    /// node not yet cached, in parallel (rayon), and the rows join the cache.
    /// The matrix does not depend on the number of threads or on what was
    /// cached before.
    ///
    /// # Complexity
    /// `O(s (n + m) log n)` work for `s` distinct uncached source nodes, plus
    /// `O(|sources| × |targets|)` for the cells.
    pub fn many_to_many(&self, sources: &[Point<f64>], targets: &[Point<f64>]) -> RoadMatrix {
        let net = &*self.net;
        let from: Vec<Option<Snap>> = sources.par_iter().map(|&p| net.snap(p)).collect();
        let to: Vec<Option<Snap>> = targets.par_iter().map(|&p| net.snap(p)).collect();
        let distinct: BTreeSet<u32> = from
            .iter()
            .flatten()
            .map(|s| s.node.index() as u32)
            .collect();
        let mut rows: BTreeMap<u32, Arc<Row>> = BTreeMap::new();
        let mut missing = Vec::new();
        for &s in &distinct {
            match self.cached(s) {
                Some(row) => {
                    rows.insert(s, row);
                }
                None => missing.push(s),
            }
        }
        let computed: Vec<(u32, Arc<Row>)> = missing
            .par_iter()
            .map(|&s| (s, Arc::new(self.compute_row(s))))
            .collect();
        {
            let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
            for (s, row) in computed {
                rows.insert(s, Arc::clone(cache.entry(s).or_insert(row)));
            }
        }
        let cols = targets.len();
        let mut cells = vec![None; sources.len() * cols];
        if cols > 0 {
            cells.par_chunks_mut(cols).enumerate().for_each(|(i, out)| {
                let Some(a) = &from[i] else { return };
                let row = &rows[&(a.node.index() as u32)];
                for (j, cell) in out.iter_mut().enumerate() {
                    let Some(b) = &to[j] else { continue };
                    *cell = if sources[i] == targets[j] {
                        Some(Leg {
                            km: 0.0,
                            minutes: 0.0,
                        })
                    } else if a.node == b.node {
                        Some(self.direct(sources[i], targets[j]))
                    } else {
                        self.join(a, row, b)
                    };
                }
            });
        }
        RoadMatrix {
            rows: sources.len(),
            cols,
            cells,
        }
    }
}

impl TravelModel for RoadTravel {
    /// The road leg; infinite km and minutes when unreachable (see [`RoadTravel`]).
    fn leg(&self, from: Point<f64>, to: Point<f64>) -> Leg {
        self.try_leg(from, to).unwrap_or(UNREACHABLE)
    }

    /// The network's great-circle km per minute at most, on any edge or access
    /// stretch, times `minutes`: a leg's straight distance is at most the sum
    /// of its parts', each at most its minutes times that rate.
    fn reach_km(&self, minutes: f64) -> f64 {
        let access = self.access.speed_kmh / (60.0 * self.access.detour_factor);
        let rate = self.net.gc_km_per_minute.max(access);
        let reach = minutes.max(0.0) * rate;
        if reach.is_nan() {
            return f64::INFINITY;
        }
        reach * (1.0 + 1e-9) + 1e-9
    }

    /// `min(1, least edge km / great-circle km of its ends)`: a leg is access
    /// stretches (at least their great-circle km, the detour factor being ≥ 1)
    /// and edges (each at least the floor times its ends' great-circle km),
    /// and by the triangle inequality their great-circle km add up to at
    /// least the leg's.
    fn km_floor(&self) -> f64 {
        let graph = self.net.graph();
        let mut floor = 1.0_f64;
        for e in graph.edge_references() {
            let gc = great_circle_km(graph[e.source()].point, graph[e.target()].point);
            if gc > 0.0 {
                floor = floor.min(e.weight().length_km / gc);
            }
        }
        floor
    }
}
