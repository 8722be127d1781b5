//! The simulation's settings reader: any text is settings or a list of problems.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = servnet::io::sim_config_from_json_str(text, "fuzz");
    }
});
