//! Property tests (proptest) of the invariants in STYLE.md and of robustness on arbitrary input: the
//! instrument parser and the response loader return errors, never panic.

use nalgebra::DMatrix;
use perval::stats::moments::Moments;
use perval::stats::reliability::reliability;
use proptest::prelude::*;

/// n × k answers on a 1..7 scale that share a common factor (so alpha is defined and positive).
fn answers() -> impl Strategy<Value = DMatrix<f64>> {
    (20usize..60, 3usize..7).prop_flat_map(|(n, k)| {
        (
            proptest::collection::vec(-2i32..=2, n),
            proptest::collection::vec(-2i32..=2, n * k),
        )
            .prop_map(move |(common, noise)| {
                DMatrix::from_fn(n, k, |r, j| {
                    (4 + common[r] + noise[r * k + j] / 2).clamp(1, 7) as f64
                })
            })
    })
}

fn usable(x: &DMatrix<f64>) -> bool {
    let m = Moments::complete(x);
    (0..x.ncols()).all(|j| m.cov[(j, j)] > 0.0) && m.cov.clone().cholesky().is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reliability_ignores_item_order_and_shifts(x in answers(), shift in -3.0f64..3.0) {
        prop_assume!(usable(&x));
        let base = reliability(&Moments::complete(&x)).unwrap();
        let k = x.ncols();
        let reversed: Vec<usize> = (0..k).rev().collect();
        let shuffled = reliability(&Moments::complete(&x.select_columns(&reversed))).unwrap();
        let shifted = reliability(&Moments::complete(&x.add_scalar(shift))).unwrap();
        for other in [&shuffled, &shifted] {
            prop_assert!((other.alpha - base.alpha).abs() < 1e-9);
            prop_assert!((other.alpha_std - base.alpha_std).abs() < 1e-9);
            prop_assert!((other.lambda6 - base.lambda6).abs() < 1e-9);
            prop_assert!((other.average_r - base.average_r).abs() < 1e-9);
        }
        // Items shuffled: the item statistics move with their items.
        for (j, item) in base.items.iter().enumerate() {
            prop_assert!((shuffled.items[k - 1 - j].r_drop - item.r_drop).abs() < 1e-9);
        }
    }

    #[test]
    fn reverse_keying_twice_is_the_identity(x in 1.0f64..7.0) {
        let inst = perval::instrument::builtin("perval-19").unwrap();
        prop_assert!((perval::scoring::reverse(&inst, perval::scoring::reverse(&inst, x)) - x).abs() < 1e-12);
    }

    #[test]
    fn instrument_parser_never_panics(text in "\\PC{0,400}") {
        let _ = perval::instrument::parse(&text, "arbitrary.toml");
    }

    #[test]
    fn instrument_parser_survives_mutated_instruments(cut in 0usize..2000, insert in "[\\[\\]=\"a-z0-9 \\n]{0,12}") {
        let src = perval::instrument::BUILTIN[0].1;
        let at = src.char_indices().map(|(i, _)| i).nth(cut % src.chars().count()).unwrap_or(0);
        let text = format!("{}{}{}", &src[..at], insert, &src[at..]);
        let _ = perval::instrument::parse(&text, "mutated.toml");
    }

    #[test]
    fn response_loader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, &bytes).unwrap();
        let inst = perval::instrument::builtin("perval-19").unwrap();
        if let Ok(file) = perval::data::open(&path) {
            if let Ok(responses) = file.load(&inst, None, true) {
                let _ = perval::scoring::score(&responses, &inst, perval::scoring::MissingPolicy::Pairwise);
            }
        }
    }

    #[test]
    fn response_loader_survives_mangled_csv(row in 1usize..30, field in 0usize..21, value in "[-0-9a-zA-Z.,;\" ]{0,8}") {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/exports/plain.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut cells: Vec<String> = lines[row].split(',').map(String::from).collect();
        let f = field % cells.len();
        cells[f] = value;
        lines[row] = cells.join(",");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let inst = perval::instrument::builtin("perval-19").unwrap();
        if let Ok(file) = perval::data::open(&path) {
            if let Ok(responses) = file.load(&inst, Some("store"), true) {
                if let Ok(scored) = perval::scoring::score(&responses, &inst, perval::scoring::MissingPolicy::Listwise) {
                    let opts = perval::analysis::Options { by: Some("store".into()), ..Default::default() };
                    let _ = perval::analysis::analyze(&inst, &responses, &scored, &opts);
                }
            }
        }
    }
}
