//! Building and validating a [`RoadNetwork`].

use super::{HalfEdge, RoadClass, RoadEdge, RoadNetwork, RoadNode, SpeedTable};
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::spatial::{GeoIndex, great_circle_km};
use geo::Point;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;

/// Collects the nodes and edges of a [`RoadNetwork`] and validates them all at once.
///
/// Chain [`node`](Self::node) and [`edge`](Self::edge), or call
/// [`add_node`](Self::add_node) and [`add_edge`](Self::add_edge) in a loop,
/// then [`build`](Self::build). Nodes get their [`NodeIndex`] in the order
/// they were added. Parallel edges and self-loops are allowed (a shortest
/// path takes the best of parallel edges).
#[derive(Debug, Clone, Default)]
pub struct RoadNetworkBuilder {
    nodes: Vec<RoadNode>,
    edges: Vec<(u64, u64, RoadEdge)>,
    speeds: SpeedTable,
}

impl RoadNetworkBuilder {
    /// Adds a node with a user id at a WGS84 point (`x` = lon, `y` = lat).
    pub fn node(mut self, id: u64, point: Point<f64>) -> Self {
        self.add_node(id, point);
        self
    }

    /// Adds an edge between the nodes with user ids `a` and `b`.
    pub fn edge(mut self, a: u64, b: u64, length_km: f64, class: RoadClass) -> Self {
        self.add_edge(a, b, length_km, class);
        self
    }

    /// Sets the speed of each class (default: [`SpeedTable::default`]).
    pub fn speeds(mut self, speeds: SpeedTable) -> Self {
        self.speeds = speeds;
        self
    }

    /// Adds a node, in place.
    pub fn add_node(&mut self, id: u64, point: Point<f64>) -> &mut Self {
        self.nodes.push(RoadNode { id, point });
        self
    }

    /// Adds an edge, in place.
    pub fn add_edge(&mut self, a: u64, b: u64, length_km: f64, class: RoadClass) -> &mut Self {
        self.edges.push((a, b, RoadEdge { length_km, class }));
        self
    }

    /// Validates and builds the network.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every problem: a node whose longitude is
    /// not in `[-180, 180]` or latitude not in `[-90, 90]` (or not finite;
    /// [`ProblemCode::BadCoordinate`], entity `road node`, its id, field
    /// `point.lon` / `point.lat`); two nodes with one id
    /// ([`ProblemCode::DuplicateId`]); an edge to an id that is no node
    /// ([`ProblemCode::DanglingReference`], entity `road edge` with its 0-based
    /// position as id, field `from` / `to`); an edge length that is negative
    /// or not finite ([`ProblemCode::OutOfRange`], field `length_km`); a speed
    /// that is not finite and positive ([`ProblemCode::NonPositive`], entity
    /// `speed table`, the class as field).
    pub fn build(self) -> Result<RoadNetwork> {
        self.finish(true)
    }

    pub(super) fn finish(self, geographic: bool) -> Result<RoadNetwork> {
        let mut problems = Vec::new();
        for class in RoadClass::ALL {
            let v = self.speeds.speed_kmh(class);
            if !(v.is_finite() && v > 0.0) {
                problems.push(Problem::new(
                    ProblemCode::NonPositive,
                    "speed table",
                    None,
                    class.as_str(),
                    format!("{v} km/h is not a speed > 0"),
                ));
            }
        }
        for n in &self.nodes {
            let (lon, lat) = (n.point.x(), n.point.y());
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                problems.push(Problem::new(
                    ProblemCode::BadCoordinate,
                    "road node",
                    Some(n.id),
                    "point.lon",
                    format!("longitude {lon} is outside [-180, 180]"),
                ));
            }
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                problems.push(Problem::new(
                    ProblemCode::BadCoordinate,
                    "road node",
                    Some(n.id),
                    "point.lat",
                    format!("latitude {lat} is outside [-90, 90]"),
                ));
            }
        }
        let mut by_id: Vec<(u64, u32)> = Vec::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            match u32::try_from(i) {
                Ok(i) => by_id.push((n.id, i)),
                Err(_) => {
                    return Err(ErrorKind::Parameter {
                        name: "nodes",
                        message: format!("more than {} nodes", u32::MAX),
                    }
                    .into());
                }
            }
        }
        by_id.sort_unstable();
        for w in by_id.windows(2) {
            if w[0].0 == w[1].0 {
                problems.push(Problem::new(
                    ProblemCode::DuplicateId,
                    "road node",
                    Some(w[0].0),
                    "id",
                    format!("nodes {} and {} share the id", w[0].1, w[1].1),
                ));
            }
        }
        let find = |id: u64| {
            by_id
                .binary_search_by_key(&id, |&(id, _)| id)
                .ok()
                .map(|i| by_id[i].1)
        };
        let mut ends = Vec::with_capacity(self.edges.len());
        for (position, &(a, b, e)) in self.edges.iter().enumerate() {
            let position = position as u64;
            let (ia, ib) = (find(a), find(b));
            for (end, id, field) in [(ia, a, "from"), (ib, b, "to")] {
                if end.is_none() {
                    problems.push(Problem::new(
                        ProblemCode::DanglingReference,
                        "road edge",
                        Some(position),
                        field,
                        format!("node {id} does not exist (edge {a}–{b})"),
                    ));
                }
            }
            if !(e.length_km.is_finite() && e.length_km >= 0.0) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "road edge",
                    Some(position),
                    "length_km",
                    format!("{} km is not a length ≥ 0 (edge {a}–{b})", e.length_km),
                ));
            }
            if let (Some(ia), Some(ib)) = (ia, ib) {
                ends.push((ia, ib, e));
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        Ok(assemble(self.nodes, by_id, &ends, self.speeds, geographic))
    }
}

/// Puts a validated network together: graph, adjacency, components, bounds, index.
fn assemble(
    nodes: Vec<RoadNode>,
    by_id: Vec<(u64, u32)>,
    ends: &[(u32, u32, RoadEdge)],
    speeds: SpeedTable,
    geographic: bool,
) -> RoadNetwork {
    let n = nodes.len();
    let mut graph = UnGraph::with_capacity(n, ends.len());
    for node in &nodes {
        graph.add_node(*node);
    }
    let mut degree = vec![0_u32; n + 1];
    let mut unions = UnionFind::<u32>::new(n);
    let mut km_per_gc_km = f64::INFINITY;
    let mut minutes_per_gc_km = f64::INFINITY;
    let mut gc_km_per_minute = 0.0_f64;
    for &(a, b, e) in ends {
        graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), e);
        degree[a as usize] += 1;
        if a != b {
            degree[b as usize] += 1;
        }
        unions.union(a, b);
        let minutes = e.length_km / speeds.speed_kmh(e.class) * 60.0;
        let gc = if geographic {
            great_circle_km(nodes[a as usize].point, nodes[b as usize].point)
        } else {
            0.0
        };
        if gc > 0.0 {
            km_per_gc_km = km_per_gc_km.min(e.length_km / gc);
            minutes_per_gc_km = minutes_per_gc_km.min(minutes / gc);
            gc_km_per_minute = gc_km_per_minute.max(if minutes > 0.0 {
                gc / minutes
            } else {
                f64::INFINITY
            });
        }
    }
    // Compressed adjacency, arcs of each node in edge order.
    let mut first = vec![0_u32; n + 1];
    for v in 0..n {
        first[v + 1] = first[v] + degree[v];
    }
    let mut fill = first.clone();
    let mut arcs = vec![
        HalfEdge {
            to: 0,
            km: 0.0,
            minutes: 0.0
        };
        first[n] as usize
    ];
    for &(a, b, e) in ends {
        let minutes = e.length_km / speeds.speed_kmh(e.class) * 60.0;
        let mut put = |from: u32, to: u32| {
            arcs[fill[from as usize] as usize] = HalfEdge {
                to,
                km: e.length_km,
                minutes,
            };
            fill[from as usize] += 1;
        };
        put(a, b);
        if a != b {
            put(b, a);
        }
    }
    // Components numbered in the order of their smallest node.
    let mut label_of_root = vec![u32::MAX; n];
    let mut component = Vec::with_capacity(n);
    let mut component_count = 0_u32;
    for v in 0..n as u32 {
        let root = unions.find_mut(v) as usize;
        if label_of_root[root] == u32::MAX {
            label_of_root[root] = component_count;
            component_count += 1;
        }
        component.push(label_of_root[root]);
    }
    // A little slack so that rounding never makes the A* bound inadmissible.
    let shrink = |r: f64| if r.is_finite() { r * (1.0 - 1e-9) } else { 0.0 };
    let index = if geographic {
        GeoIndex::new(nodes.iter().zip(0_u32..).map(|(n, i)| (n.point, i)))
    } else {
        GeoIndex::default()
    };
    RoadNetwork {
        graph,
        speeds,
        geographic,
        by_id,
        index,
        first,
        arcs,
        component,
        component_count: component_count as usize,
        km_per_gc_km: shrink(km_per_gc_km),
        minutes_per_gc_km: shrink(minutes_per_gc_km),
        gc_km_per_minute,
    }
}

impl RoadNetwork {
    /// A network without geography from node ids and edge lengths (an
    /// abstract graph such as an OR-Library p-median instance).
    ///
    /// Every node sits at `(0, 0)` and every edge is [`RoadClass::Local`];
    /// [`RoadNetwork::path`], [`RoadNetwork::path_astar`] (which then has no
    /// bound to use and behaves as Dijkstra) and [`RoadNetwork::all_pairs`]
    /// work as on any network, in the units of the lengths, while
    /// [`RoadNetwork::snap`] returns `None`.
    ///
    /// # Errors
    /// As [`RoadNetworkBuilder::build`]: duplicate ids, edges to unknown ids,
    /// negative or non-finite lengths.
    ///
    /// # Example
    /// ```
    /// use servnet::travel::road::{Metric, RoadNetwork};
    /// let net = RoadNetwork::from_graph_lengths(1..=3, [(1, 2, 4.0), (2, 3, 5.0), (1, 3, 10.0)])?;
    /// let (a, c) = (net.node_index(1).unwrap(), net.node_index(3).unwrap());
    /// assert_eq!(net.path(a, c, Metric::Km).unwrap().km, 9.0);
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn from_graph_lengths(
        ids: impl IntoIterator<Item = u64>,
        edges: impl IntoIterator<Item = (u64, u64, f64)>,
    ) -> Result<RoadNetwork> {
        let mut b = RoadNetworkBuilder::default();
        for id in ids {
            b.add_node(id, Point::new(0.0, 0.0));
        }
        for (x, y, km) in edges {
            b.add_edge(x, y, km, RoadClass::Local);
        }
        b.finish(false)
    }
}

impl RoadNetwork {
    /// The same nodes and edges driven at other speeds.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] when a speed is not finite and positive (entity
    /// `speed table`, the class as field).
    pub fn with_speeds(&self, speeds: SpeedTable) -> Result<RoadNetwork> {
        let mut b = RoadNetworkBuilder {
            nodes: self.graph.node_weights().copied().collect(),
            edges: Vec::with_capacity(self.edge_count()),
            speeds,
        };
        for e in self.graph.edge_references() {
            use petgraph::visit::EdgeRef;
            let (a, z) = (self.graph[e.source()].id, self.graph[e.target()].id);
            b.edges.push((a, z, *e.weight()));
        }
        b.finish(self.geographic)
    }
}
