//! Files longer than one parsing batch (262,144 rows): every answer, group and row number must come out as if
//! the file had been read in one piece, whatever a later batch holds (missing codes, text labels, errors).

use perval::data::{self, ReadOptions};
use perval::instrument;
use std::path::Path;

const ROWS: usize = 600_000;

/// A deterministic answer in 1..=7 for row r, item j.
fn answer(r: usize, j: usize) -> u32 {
    ((r * 7 + j * 13 + (r / 3) * j) % 7) as u32 + 1
}

fn store(r: usize) -> &'static str {
    match r % 5 {
        0 => "North",
        1 => "South",
        2 => "",
        3 => "East",
        _ => "West",
    }
}

/// The reference file's layout (perval-19 items), `cell` choosing what row r, item j holds.
fn file(cell: impl Fn(usize, usize) -> String) -> Vec<u8> {
    let inst = instrument::builtin("perval-19").unwrap();
    let mut out = String::from("id,store");
    for item in &inst.items {
        out.push(',');
        out.push_str(&item.id);
    }
    out.push('\n');
    for r in 0..ROWS {
        out.push_str(&format!("{},{}", r + 1, store(r)));
        for j in 0..inst.items.len() {
            out.push(',');
            out.push_str(&cell(r, j));
        }
        out.push('\n');
        if r == 280_000 {
            out.push('\n'); // a blank line is not a respondent
        }
    }
    out.into_bytes()
}

#[test]
fn later_batches_with_codes_and_labels_read_like_the_first() {
    let inst = instrument::builtin("perval-19").unwrap();
    // Batch 1 is plain numbers; "NA" first appears in batch 2 and a text label in batch 3.
    let cell = |r: usize, j: usize| match (r, j) {
        (320_000, 3) => "NA".to_string(),
        (560_000, 5) => "Agree".to_string(),
        (560_001, 0) => String::new(),
        _ => answer(r, j).to_string(),
    };
    let raw = data::from_bytes(Path::new("big.csv"), file(cell), &ReadOptions::default()).unwrap();
    let responses = raw.load(&inst, Some("store"), true).unwrap();
    let a = &responses.answers;
    assert_eq!((a.nrows(), a.ncols()), (ROWS, 19));
    for r in 0..ROWS {
        for j in 0..19 {
            let expected = match (r, j) {
                (320_000, 3) | (560_001, 0) => f64::NAN,
                (560_000, 5) => 6.0, // "Agree" is the sixth label
                _ => answer(r, j) as f64,
            };
            let got = a.value(r, j);
            assert!(
                got == expected || (got.is_nan() && expected.is_nan()),
                "row {r}, item {j}: {got} (expected {expected})"
            );
        }
    }
    let groups = responses.group.unwrap();
    assert_eq!(groups.labels, ["North", "South", "East", "West"]);
    for r in 0..ROWS {
        assert_eq!(groups.label(r).unwrap_or(""), store(r), "row {r}");
    }
    let (_, ids) = responses.id.unwrap();
    assert_eq!(ids[ROWS - 1], ROWS.to_string());
}

#[test]
fn an_error_in_a_later_batch_names_its_own_row_and_line() {
    let inst = instrument::builtin("perval-19").unwrap();
    let cell = |r: usize, j: usize| {
        if (r, j) == (559_999, 2) {
            "9".to_string()
        } else {
            answer(r, j).to_string()
        }
    };
    let raw = data::from_bytes(Path::new("big.csv"), file(cell), &ReadOptions::default()).unwrap();
    let err = raw
        .load(&inst, Some("store"), false)
        .unwrap_err()
        .to_string();
    // Row 560,000 is on line 560,002: the header, then one blank line after row 280,001.
    assert!(err.contains("row 560000 (line 560002)"), "{err}");
    assert!(err.contains("QUAL3"), "{err}");
}
