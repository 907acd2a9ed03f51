//! The instrument parser on arbitrary text: it must return an instrument or an error, never panic, and an
//! instrument it accepts must be usable (items in dimensions, a scale that reverse-keys inside itself).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(instrument) = perval::instrument::parse(text, "fuzz.toml") {
        assert!(!instrument.items.is_empty());
        assert!(instrument.scale.min < instrument.scale.max);
        for dim in &instrument.dimensions {
            for &j in &dim.items {
                assert!(j < instrument.items.len());
            }
        }
        for label in &instrument.scale.labels {
            let _ = instrument.parse_answer(label);
        }
        let mid = (instrument.scale.min + instrument.scale.max) / 2.0;
        let r = perval::scoring::reverse(&instrument, mid);
        assert!((r - mid).abs() < 1e-9);
    }
});
