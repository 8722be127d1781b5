//! Readers and writers: scenario and plan JSON, China's shipped city data,
//! OR-Library benchmark files.

pub mod china;
mod json;
pub mod orlib;
pub mod report;

pub use json::{
    plan_from_json_str, read_plan, read_request, read_routed_plan, read_scenario,
    read_scenario_data, routed_plan_from_json_str, scenario_data_from_json_str,
    scenario_from_json_str, to_json_string, write_json,
};
