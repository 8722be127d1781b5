//! The scenario reader and validation: any text is a scenario or a list of
//! problems, never a panic; a valid scenario is dispatched by the field's
//! rule and the plan passes the checker.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servnet::{DispatchStrategy, Nearest, verify};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = servnet::io::scenario_from_json_str(text, "fuzz") {
        // Keep each run short: small days only.
        if s.requests().len() <= 50 && s.technicians().len() <= 50 {
            let plan = Nearest::new()
                .dispatch(&s)
                .expect("a valid scenario dispatches");
            assert!(verify(&s, &plan).is_empty(), "Nearest's plan breaks a rule");
        }
    }
});
