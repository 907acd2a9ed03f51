//! The SPSS and Stata readers on arbitrary bytes: read as a .sav, a .dta and a .por file, then loaded for
//! the built-in perval-19 instrument, every input ends in a result or an error (bad input), never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use perval::{data, instrument};
use std::path::Path;
use std::sync::OnceLock;

fuzz_target!(|bytes: &[u8]| {
    static PERVAL: OnceLock<instrument::Instrument> = OnceLock::new();
    let perval = PERVAL.get_or_init(|| instrument::builtin("perval-19").expect("built in"));
    for name in ["fuzz.sav", "fuzz.dta", "fuzz.por"] {
        if let Ok(raw) = data::from_bytes(Path::new(name), bytes.to_vec(), &Default::default()) {
            let _ = raw.load(perval, Some("store"), true);
        }
    }
});
