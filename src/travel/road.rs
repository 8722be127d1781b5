//! A road network: shortest paths in km and minutes, snapping, and travel
//! legs between any two points on it.
//!
//! - [`RoadNetwork`]: an undirected [`petgraph`] graph of [`RoadNode`]s
//!   (a user id and a WGS84 point) and [`RoadEdge`]s (a length and a
//!   [`RoadClass`], driven at the class's speed from a [`SpeedTable`]), built
//!   and validated by [`RoadNetwork::builder`], or from bare lengths by
//!   [`RoadNetwork::from_graph_lengths`] for graphs without geography.
//!   It snaps points to their nearest node ([`RoadNetwork::snap`]), finds
//!   shortest paths by Dijkstra ([`RoadNetwork::path`]) or A\*
//!   ([`RoadNetwork::path_astar`]) under a [`Metric`], reports its connected
//!   [components](RoadNetwork::components), and gives all-pairs distances.
//! - [`RoadTravel`]: a [`TravelModel`](super::TravelModel) on a shared
//!   network with a per-source cache, and the parallel
//!   [`RoadTravel::many_to_many`] [`RoadMatrix`].
//!
//! Unreachable is never a number: a path between two components is `None`,
//! a matrix cell is `None`, and a [`Leg`](super::Leg) is infinite.
//!
//! # Example
//! ```
//! use geo::Point;
//! use servnet::travel::road::{Metric, RoadClass, RoadNetwork};
//!
//! let net = RoadNetwork::builder()
//!     .node(1, Point::new(113.26, 23.13)) // Guangzhou
//!     .node(2, Point::new(114.06, 22.54)) // Shenzhen
//!     .node(3, Point::new(113.12, 23.02)) // Foshan
//!     .edge(1, 2, 105.0, RoadClass::Expressway)
//!     .edge(1, 3, 20.0, RoadClass::Arterial)
//!     .build()?;
//! let (foshan, shenzhen) = (net.node_index(3).unwrap(), net.node_index(2).unwrap());
//! let path = net.path(foshan, shenzhen, Metric::Minutes).unwrap();
//! assert_eq!(path.km, 125.0);
//! assert!((path.minutes - (20.0 + 63.0)).abs() < 1e-9); // 60 km/h, then 100 km/h
//! assert_eq!(net.snap(Point::new(114.0, 22.6)).unwrap().node, shenzhen);
//! # Ok::<(), servnet::Error>(())
//! ```

mod build;
mod search;
mod travel;

pub use build::RoadNetworkBuilder;
pub use travel::{RoadMatrix, RoadTravel};

use crate::spatial::GeoIndex;
use geo::Point;
use petgraph::graph::{NodeIndex, UnGraph};
use serde::{Deserialize, Serialize};

/// The kind of a road, which sets its default speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoadClass {
    /// A controlled-access expressway (OSM `motorway`); 100 km/h.
    Expressway,
    /// A national or provincial trunk road (OSM `trunk`); 80 km/h.
    Highway,
    /// A main urban or county road (OSM `primary`, `secondary`); 60 km/h.
    Arterial,
    /// A minor, residential or service road (OSM `tertiary` and below); 40 km/h.
    Local,
    /// A ramp or link between roads (OSM `*_link`); 30 km/h.
    Connector,
}

impl RoadClass {
    /// Every class, in the order of [`SpeedTable`]'s entries.
    pub const ALL: [RoadClass; 5] = [
        RoadClass::Expressway,
        RoadClass::Highway,
        RoadClass::Arterial,
        RoadClass::Local,
        RoadClass::Connector,
    ];

    /// The class's default speed in km/h.
    pub fn default_speed_kmh(self) -> f64 {
        match self {
            RoadClass::Expressway => 100.0,
            RoadClass::Highway => 80.0,
            RoadClass::Arterial => 60.0,
            RoadClass::Local => 40.0,
            RoadClass::Connector => 30.0,
        }
    }

    /// The class's name as written in files: `expressway`, `highway`, `arterial`, `local`, `connector`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoadClass::Expressway => "expressway",
            RoadClass::Highway => "highway",
            RoadClass::Arterial => "arterial",
            RoadClass::Local => "local",
            RoadClass::Connector => "connector",
        }
    }

    /// The class of a name: one of [`RoadClass::as_str`]'s names, or an
    /// OpenStreetMap `highway` value (`motorway` → expressway; `trunk` →
    /// highway; `primary`, `secondary` → arterial; `tertiary`,
    /// `unclassified`, `residential`, `living_street`, `service`, `road`,
    /// `track` → local; `motorway_link` … `tertiary_link` → connector).
    /// Case and surrounding blanks are ignored; `None` for any other name.
    pub fn from_name(name: &str) -> Option<RoadClass> {
        let name = name.trim().to_ascii_lowercase();
        Some(match name.as_str() {
            "expressway" | "motorway" => RoadClass::Expressway,
            "highway" | "trunk" => RoadClass::Highway,
            "arterial" | "primary" | "secondary" => RoadClass::Arterial,
            "local" | "tertiary" | "unclassified" | "residential" | "living_street" | "service"
            | "road" | "track" => RoadClass::Local,
            "connector" | "motorway_link" | "trunk_link" | "primary_link" | "secondary_link"
            | "tertiary_link" => RoadClass::Connector,
            _ => return None,
        })
    }

    fn position(self) -> usize {
        match self {
            RoadClass::Expressway => 0,
            RoadClass::Highway => 1,
            RoadClass::Arterial => 2,
            RoadClass::Local => 3,
            RoadClass::Connector => 4,
        }
    }
}

/// The speed of each [`RoadClass`], in km/h; by default [`RoadClass::default_speed_kmh`].
///
/// ```
/// use servnet::travel::road::{RoadClass, SpeedTable};
/// let slow = SpeedTable::default().kmh(RoadClass::Expressway, 90.0);
/// assert_eq!(slow.speed_kmh(RoadClass::Expressway), 90.0);
/// assert_eq!(slow.max_kmh(), 90.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeedTable {
    speeds: [f64; 5],
}

impl Default for SpeedTable {
    fn default() -> Self {
        SpeedTable {
            speeds: RoadClass::ALL.map(RoadClass::default_speed_kmh),
        }
    }
}

impl SpeedTable {
    /// Sets the speed of one class. [`RoadNetworkBuilder::build`] rejects a
    /// speed that is not finite and positive.
    pub fn kmh(mut self, class: RoadClass, speed_kmh: f64) -> Self {
        self.speeds[class.position()] = speed_kmh;
        self
    }

    /// The speed of a class in km/h.
    pub fn speed_kmh(&self, class: RoadClass) -> f64 {
        self.speeds[class.position()]
    }

    /// The largest speed of any class, in km/h.
    pub fn max_kmh(&self) -> f64 {
        self.speeds.iter().copied().fold(0.0, f64::max)
    }
}

/// A node of a road network: the user's id and a WGS84 point (`x` = lon, `y` = lat).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadNode {
    /// The user's id, unique in the network.
    pub id: u64,
    /// Where the node is (lon, lat in degrees); `(0, 0)` in a network without geography.
    pub point: Point<f64>,
}

/// An edge of a road network: its length and class, drivable both ways.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadEdge {
    /// Length in km, finite and ≥ 0.
    pub length_km: f64,
    /// The class, which sets the speed.
    pub class: RoadClass,
}

/// What a shortest path minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Metric {
    /// Road length.
    Km,
    /// Driving time: each edge takes `length_km / speed × 60` minutes. The default.
    #[default]
    Minutes,
}

/// A point snapped to its nearest node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The nearest node (ties go to the smallest index).
    pub node: NodeIndex,
    /// The great-circle distance from the point to the node, in km.
    pub distance_km: f64,
}

/// A shortest path: its length, time and nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadPath {
    /// Total length in km.
    pub km: f64,
    /// Total time in minutes.
    pub minutes: f64,
    /// The nodes from the start to the end, both included.
    pub nodes: Vec<NodeIndex>,
}

/// One half-edge of the compact adjacency used by the searches.
#[derive(Debug, Clone, Copy)]
struct HalfEdge {
    to: u32,
    km: f64,
    minutes: f64,
}

/// A road network; see the [module docs](self).
///
/// Nodes are numbered densely by [`NodeIndex`] in the order they were added;
/// [`RoadNetwork::node_index`] maps a user id to its index.
#[derive(Debug, Clone)]
pub struct RoadNetwork {
    graph: UnGraph<RoadNode, RoadEdge>,
    speeds: SpeedTable,
    geographic: bool,
    /// Node index by user id, sorted by id.
    by_id: Vec<(u64, u32)>,
    index: GeoIndex<u32>,
    /// Compressed adjacency: the arcs of node `v` are `arcs[first[v]..first[v + 1]]`.
    first: Vec<u32>,
    arcs: Vec<HalfEdge>,
    /// Component label of each node: components are numbered by their smallest node.
    component: Vec<u32>,
    component_count: usize,
    /// A\* lower bounds: km and minutes per great-circle km, at most over every edge.
    km_per_gc_km: f64,
    minutes_per_gc_km: f64,
    /// The largest great-circle km covered per minute of driving on any edge.
    gc_km_per_minute: f64,
}

impl RoadNetwork {
    /// A builder of a network with geography; see [`RoadNetworkBuilder`].
    pub fn builder() -> RoadNetworkBuilder {
        RoadNetworkBuilder::default()
    }

    /// The underlying undirected graph.
    pub fn graph(&self) -> &UnGraph<RoadNode, RoadEdge> {
        &self.graph
    }

    /// The speeds the edge minutes were computed with.
    pub fn speeds(&self) -> &SpeedTable {
        &self.speeds
    }

    /// `false` for a network made by [`RoadNetwork::from_graph_lengths`]:
    /// its nodes have no place, and [`RoadNetwork::snap`] returns `None`.
    pub fn is_geographic(&self) -> bool {
        self.geographic
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node at an index, or `None` past the end.
    pub fn node(&self, index: NodeIndex) -> Option<&RoadNode> {
        self.graph.node_weight(index)
    }

    /// The index of the node with a user id.
    pub fn node_index(&self, id: u64) -> Option<NodeIndex> {
        self.by_id
            .binary_search_by_key(&id, |&(id, _)| id)
            .ok()
            .map(|i| NodeIndex::new(self.by_id[i].1 as usize))
    }

    /// The minutes an edge takes at its class's speed.
    pub fn edge_minutes(&self, edge: &RoadEdge) -> f64 {
        edge.length_km / self.speeds.speed_kmh(edge.class) * 60.0
    }

    /// The nearest node to a point by great-circle distance; `None` for an
    /// invalid point, an empty network or one without geography.
    ///
    /// # Complexity
    /// About `O(log n)` on the R\*-tree of the nodes.
    pub fn snap(&self, point: Point<f64>) -> Option<Snap> {
        if !self.geographic {
            return None;
        }
        self.index
            .nearest_where(point, f64::INFINITY, |_| true)
            .map(|(node, distance_km)| Snap {
                node: NodeIndex::new(node as usize),
                distance_km,
            })
    }

    /// The number of connected components.
    pub fn component_count(&self) -> usize {
        self.component_count
    }

    /// The component of a node, numbered from 0 in the order of each
    /// component's smallest node index; `None` past the end.
    pub fn component_of(&self, node: NodeIndex) -> Option<usize> {
        self.component.get(node.index()).map(|&c| c as usize)
    }

    /// The connected components, each a sorted list of nodes, in the order of
    /// their smallest node. Paths exist exactly between nodes of one component.
    pub fn components(&self) -> Vec<Vec<NodeIndex>> {
        let mut out = vec![Vec::new(); self.component_count];
        for (v, &c) in self.component.iter().enumerate() {
            out[c as usize].push(NodeIndex::new(v));
        }
        out
    }

    /// Whether two nodes are connected; `false` when either does not exist.
    pub fn connected(&self, a: NodeIndex, b: NodeIndex) -> bool {
        match (self.component_of(a), self.component_of(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }

    /// The largest great-circle distance, in km, that `minutes` of driving on
    /// the network can span (never less than the truth, for any path).
    pub fn reach_km(&self, minutes: f64) -> f64 {
        let reach = minutes.max(0.0) * self.gc_km_per_minute;
        if reach.is_nan() {
            return f64::INFINITY;
        }
        reach * (1.0 + 1e-9) + 1e-9
    }
}
