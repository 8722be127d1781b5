//! The demand-forecast CSV reader: any bytes are a forecast or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servnet::planning::planner::JobMix;

fuzz_target!(|data: &[u8]| {
    let _ = servnet::io::network_plan::read_forecast_csv(data, "fuzz", &JobMix::default());
});
