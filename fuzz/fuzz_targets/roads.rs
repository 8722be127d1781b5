//! The road-network loaders (edge-list CSV and GeoJSON lines): any text is
//! a network or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servnet::io::roads;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = roads::read_road_csv_str(text, "fuzz");
    let _ = roads::read_road_geojson_str(text, "fuzz");
});
