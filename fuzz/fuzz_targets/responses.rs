//! The response loader, scorer and screening on arbitrary bytes: every input ends in a result or an error
//! (bad input), never a panic. Each input is read as the built-in perval-19 and as a 3-item instrument, so
//! that short mutated files reach scoring and the statistics as well as the header checks; small files of the
//! 3-item instrument are analysed in full.
#![no_main]

use libfuzzer_sys::fuzz_target;
use perval::{analysis, data, instrument, scoring};
use std::path::Path;
use std::sync::OnceLock;

const SMALL: &str = r#"
id = "fuzz-3"
name = "three items"
[scale]
min = 1
max = 5
labels = ["no", "rather no", "neither", "rather yes", "yes"]
[[dimensions]]
id = "d"
label = "D"
items = ["a", "b", "c"]
[[items]]
id = "a"
text = "A"
[[items]]
id = "b"
text = "B"
reverse = true
[[items]]
id = "c"
text = "C"
"#;

fn instruments() -> &'static [instrument::Instrument] {
    static CELL: OnceLock<Vec<instrument::Instrument>> = OnceLock::new();
    CELL.get_or_init(|| {
        vec![
            instrument::builtin("perval-19").expect("built-in"),
            instrument::parse(SMALL, "fuzz-3.toml").expect("the fuzz instrument parses"),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    let Ok(file) = data::from_bytes(path, data.to_vec(), &data::ReadOptions::default()) else {
        return;
    };
    for instrument in instruments() {
        let by = file.columns.iter().find(|c| c.as_str() == "store").map(String::as_str);
        let Ok(responses) = file.load(instrument, by, true) else {
            continue;
        };
        for policy in [scoring::MissingPolicy::Listwise, scoring::MissingPolicy::Pairwise] {
            let Ok(scored) = scoring::score(&responses, instrument, policy) else {
                continue;
            };
            let _ = perval::screening::screen(instrument, &scored, None, None);
            // The whole analysis (EFA, CFA, invariance) for small files of the 3-item instrument: under the
            // sanitizer a 19-item analysis takes seconds, which would leave the loader barely fuzzed.
            if instrument.items.len() == 3 && scored.rows.len() <= 200 {
                let options = analysis::Options {
                    by: by.map(String::from),
                    parallel: (3, 1),
                    ..Default::default()
                };
                let _ = analysis::analyze(instrument, &responses, &scored, &options);
            }
        }
    }
});
