//! Road networks from files: an edge-list CSV and GeoJSON line strings.
//!
//! **CSV**: a header and one edge per line,
//! `from_id,from_lon,from_lat,to_id,to_lon,to_lat,length_km,class`. A node
//! is named by its id; every line that names it must give the same
//! coordinates. An empty `length_km` means the great-circle length between
//! the two ends. `class` is a [`RoadClass`](crate::travel::RoadClass) name or an OpenStreetMap
//! `highway` value ([`RoadClass::from_name`](crate::travel::RoadClass::from_name)).
//!
//! **GeoJSON**: a FeatureCollection of `LineString` (or `MultiLineString`)
//! features; each consecutive pair of coordinates is an edge. Coordinates
//! that are equal after rounding to 10⁻⁷° are one node, so lines that share
//! a coordinate are joined there; nodes get the ids 0, 1, … in the order
//! they first appear. Each feature's properties give `class` (a
//! [`RoadClass`](crate::travel::RoadClass) name) or, failing that, `highway` (an OpenStreetMap value),
//! and optionally `length_km`, the length of the whole line, spread over its
//! segments in proportion to their great-circle lengths (without it, each
//! segment is as long as its great-circle length).
//!
//! The writers [`road_csv_string`] and [`road_geojson_string`] give one
//! line or feature per edge, which the readers read back to the same
//! network (nodes without edges are not written).
//!
//! # Example
//! ```
//! use servnet::io::roads::read_road_csv_str;
//! let text = "from_id,from_lon,from_lat,to_id,to_lon,to_lat,length_km,class\n\
//!             1,113.26,23.13,2,114.06,22.54,105,motorway\n\
//!             2,114.06,22.54,3,114.17,22.32,,local\n";
//! let net = read_road_csv_str(text, "roads.csv")?;
//! assert_eq!((net.node_count(), net.edge_count()), (3, 2));
//! # Ok::<(), servnet::Error>(())
//! ```

mod edge_list;
mod lines;

pub use edge_list::{read_road_csv_file, read_road_csv_str, road_csv_string};
pub use lines::{read_road_geojson_file, read_road_geojson_str, road_geojson_string};

/// Whether a longitude and latitude are on the globe: finite, lon in `[-180, 180]`, lat in `[-90, 90]`.
pub(super) fn valid_lon_lat(lon: f64, lat: f64) -> bool {
    lon.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}
