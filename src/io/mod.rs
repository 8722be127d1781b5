//! Readers and writers: scenario and plan JSON, files and folders written
//! whole ([`atomic`]), China's shipped city and
//! trunk-road data, OR-Library benchmark files and benchmark reports
//! ([`bench`](mod@bench)), road networks from CSV and
//! GeoJSON ([`roads`]), simulation reports, plans as GeoJSON
//! ([`geojson`]) and SVG maps ([`map`]), and coverage reports as CSV and
//! GeoJSON ([`coverage`]).

pub mod atomic;
pub mod bench;
pub mod china;
pub mod coverage;
pub mod geojson;
mod json;
pub mod map;
pub mod network_plan;
pub mod orlib;
pub mod report;
pub mod roads;
mod svg;

pub use json::{
    load_travel, plan_from_json_str, read_plan, read_request, read_scenario, read_scenario_data,
    scenario_data_from_json_str, scenario_from_json_str, sim_config_from_json_str, to_json_string,
    write_json,
};
pub use network_plan::{read_forecast_csv, read_forecast_file};
