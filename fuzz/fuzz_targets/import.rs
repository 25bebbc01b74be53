//! Any bytes at all, as a contact file: sniffing, decoding, workbook and text parsing, header
//! detection and mapping must answer with a report or an error, never a panic or a hang.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use shisa::import::{ImportOptions, parse};

fuzz_target!(|data: &[u8]| {
    let _ = parse(Path::new("fuzz.csv"), data.to_vec(), &ImportOptions::default());
});
