//! The OR-Library readers (generalized assignment, p-median, capacitated
//! location, published optima): any text is instances or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servnet::io::orlib;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = orlib::read_gap_str(text, "fuzz");
    let _ = orlib::read_pmed_str(text, "fuzz");
    let _ = orlib::read_cap_str(text, "fuzz");
    let _ = orlib::read_gap_optima_str(text);
    let _ = orlib::read_table_optima_str(text);
});
