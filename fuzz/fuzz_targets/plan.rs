//! The plan reader, the checker, routing and live insertion on a small
//! fixed day: any text is a plan or a syntax error, the checker lists
//! violations without panicking, and routing and insertion refuse a broken
//! plan with problems rather than panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servnet::generate::{Generator, Preset};
use servnet::route::RouteOptions;
use servnet::{Scenario, dispatch, verify};
use std::sync::OnceLock;

fn day() -> &'static Scenario {
    static DAY: OnceLock<Scenario> = OnceLock::new();
    DAY.get_or_init(|| {
        Generator::new(Preset::province("Hainan"))
            .requests(30)
            .technicians(8)
            .seed(1)
            .build()
            .expect("generated day")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(plan) = servnet::io::plan_from_json_str(text, "fuzz") else {
        return;
    };
    let s = day();
    let violations = verify(s, &plan);
    if let Ok(routed) = dispatch::route_plan(s, &plan, &RouteOptions::new()) {
        let _ = verify(s, &routed);
    }
    if violations.is_empty() {
        let mut urgent = s.requests()[0].clone();
        urgent.id = servnet::RequestId(1_000_000);
        let _ = dispatch::insert(s, &plan, &urgent, 600.0);
    }
});
