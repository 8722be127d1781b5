//! Shortest paths: Dijkstra and A\* over the compact adjacency.

use super::{Metric, RoadNetwork, RoadPath};
use crate::spatial::great_circle_km;
use petgraph::graph::NodeIndex;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A heap entry: smallest key first, ties by smallest node, so the order of
/// settling (and with it every result) is deterministic.
#[derive(Clone, Copy, PartialEq)]
struct State {
    key: f64,
    node: u32,
}

impl Eq for State {}

impl Ord for State {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .key
            .total_cmp(&self.key)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for State {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const NONE: u32 = u32::MAX;

/// The result of one search: per node, the metric's distance, the other
/// unit along the same tree path, and the predecessor on it.
pub(super) struct Tree {
    pub(super) km: Vec<f64>,
    pub(super) minutes: Vec<f64>,
    pred: Vec<u32>,
}

impl RoadNetwork {
    /// One search from `source`: Dijkstra when `astar` is false, else A\*
    /// towards `target` with the great-circle bound; stops once `target` is
    /// settled (when given).
    fn search(&self, source: u32, target: Option<u32>, metric: Metric, astar: bool) -> Tree {
        let n = self.node_count();
        let mut tree = Tree {
            km: vec![f64::INFINITY; n],
            minutes: vec![f64::INFINITY; n],
            pred: vec![NONE; n],
        };
        let mut settled = vec![false; n];
        let per_gc_km = match metric {
            Metric::Km => self.km_per_gc_km,
            Metric::Minutes => self.minutes_per_gc_km,
        };
        let goal = target.map(|t| self.graph[NodeIndex::new(t as usize)].point);
        let bound = |v: u32| match goal {
            Some(g) if astar && per_gc_km > 0.0 && self.geographic => {
                great_circle_km(self.graph[NodeIndex::new(v as usize)].point, g) * per_gc_km
            }
            _ => 0.0,
        };
        let mut heap = BinaryHeap::new();
        tree.km[source as usize] = 0.0;
        tree.minutes[source as usize] = 0.0;
        heap.push(State {
            key: bound(source),
            node: source,
        });
        while let Some(State { node, .. }) = heap.pop() {
            let u = node as usize;
            if settled[u] {
                continue;
            }
            settled[u] = true;
            if Some(node) == target {
                break;
            }
            let (gu, ou) = match metric {
                Metric::Km => (tree.km[u], tree.minutes[u]),
                Metric::Minutes => (tree.minutes[u], tree.km[u]),
            };
            let arcs = &self.arcs[self.first[u] as usize..self.first[u + 1] as usize];
            for a in arcs {
                let v = a.to as usize;
                if settled[v] {
                    continue;
                }
                let (w, o) = match metric {
                    Metric::Km => (a.km, a.minutes),
                    Metric::Minutes => (a.minutes, a.km),
                };
                let g = gu + w;
                let (gv, ov) = match metric {
                    Metric::Km => (&mut tree.km[v], &mut tree.minutes[v]),
                    Metric::Minutes => (&mut tree.minutes[v], &mut tree.km[v]),
                };
                if g < *gv {
                    *gv = g;
                    *ov = ou + o;
                    tree.pred[v] = node;
                    heap.push(State {
                        key: g + bound(a.to),
                        node: a.to,
                    });
                }
            }
        }
        tree
    }

    fn path_by(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        metric: Metric,
        astar: bool,
    ) -> Option<RoadPath> {
        if !self.connected(from, to) {
            return None;
        }
        let (s, t) = (from.index() as u32, to.index() as u32);
        let tree = self.search(s, Some(t), metric, astar);
        let mut nodes = vec![to];
        let mut v = t;
        while v != s {
            v = tree.pred[v as usize];
            if v == NONE {
                // Unreachable despite the component label: never a wrong number.
                return None;
            }
            nodes.push(NodeIndex::new(v as usize));
        }
        nodes.reverse();
        Some(RoadPath {
            km: tree.km[t as usize],
            minutes: tree.minutes[t as usize],
            nodes,
        })
    }

    /// The shortest path by `metric` from one node to another, by Dijkstra's
    /// algorithm; `None` when they are in different components or either
    /// index does not exist. The path's other unit (minutes for
    /// [`Metric::Km`], km for [`Metric::Minutes`]) is that of the path found;
    /// among equally short paths the search is deterministic.
    ///
    /// # Complexity
    /// `O((n + m) log n)` at worst; stops once `to` is settled.
    pub fn path(&self, from: NodeIndex, to: NodeIndex, metric: Metric) -> Option<RoadPath> {
        self.path_by(from, to, metric, false)
    }

    /// As [`RoadNetwork::path`], by A\* with a great-circle lower bound: the
    /// straight distance to `to` times the smallest km (or minutes) per
    /// great-circle km of any edge, an admissible and consistent bound even
    /// when an edge is shorter than the straight line between its ends.
    /// Same length as [`RoadNetwork::path`] (up to rounding); among equally
    /// short paths it may pick another one.
    ///
    /// # Complexity
    /// As [`RoadNetwork::path`] at worst; usually far fewer nodes settled.
    pub fn path_astar(&self, from: NodeIndex, to: NodeIndex, metric: Metric) -> Option<RoadPath> {
        self.path_by(from, to, metric, true)
    }

    /// The shortest-path tree from `source` by `metric`, as `(km, minutes)`
    /// per node, infinite for unreachable nodes.
    pub(super) fn tree_from(&self, source: u32, metric: Metric) -> Tree {
        self.search(source, None, metric, false)
    }

    /// The distance by `metric` from `source` to every node, by Dijkstra;
    /// `None` for nodes in other components. Empty when `source` does not exist.
    ///
    /// # Complexity
    /// `O((n + m) log n)`.
    pub fn distances_from(&self, source: NodeIndex, metric: Metric) -> Vec<Option<f64>> {
        if source.index() >= self.node_count() {
            return Vec::new();
        }
        let tree = self.tree_from(source.index() as u32, metric);
        let d = match metric {
            Metric::Km => tree.km,
            Metric::Minutes => tree.minutes,
        };
        d.into_iter().map(|x| x.is_finite().then_some(x)).collect()
    }

    /// The distance by `metric` between every pair of nodes, as
    /// `all[from][to]` by node index; `None` between components. One
    /// Dijkstra per node, in parallel (rayon); the result does not depend on
    /// the number of threads.
    ///
    /// # Complexity
    /// `O(n (n + m) log n)` work, `O(n²)` memory.
    ///
    /// # Example
    /// ```
    /// use servnet::travel::road::{Metric, RoadNetwork};
    /// let net = RoadNetwork::from_graph_lengths(1..=4, [(1, 2, 3.0), (2, 3, 4.0)])?;
    /// let all = net.all_pairs(Metric::Km);
    /// assert_eq!(all[0][2], Some(7.0));
    /// assert_eq!(all[0][3], None); // node 4 is alone
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn all_pairs(&self, metric: Metric) -> Vec<Vec<Option<f64>>> {
        (0..self.node_count())
            .into_par_iter()
            .map(|s| self.distances_from(NodeIndex::new(s), metric))
            .collect()
    }
}
