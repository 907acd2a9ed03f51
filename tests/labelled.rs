//! SPSS and Stata files (tests/fixtures/labelled: written by R's haven 2.5.1, Python's pyreadstat 1.3.7 and
//! GNU PSPP 1.6.2 from the reference data; the scripts beside them): each gives exactly the numbers of the same
//! data as CSV; declared missing values are missing answers, counted in the notes; variable labels find the
//! items; value labels name the groups and are checked against the scale's direction; the scores go back to
//! SPSS; damaged, foreign and encrypted files are bad input.

mod common;

use common::{fixture, perval};

use serde_json::Value;
use std::path::Path;

/// `perval analyze FILE --by store` with the reference instrument; the JSON.
fn analyze(file: &str, instrument: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let o = perval(&[
        "analyze",
        file,
        "--instrument",
        instrument,
        "--by",
        "store",
        "--quiet",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// The results without what names the file and how it was read.
fn numbers(mut v: Value) -> Value {
    let input = v["input"].as_object_mut().unwrap();
    input.remove("file");
    input.remove("notes");
    v
}

#[test]
fn spss_and_stata_files_give_the_numbers_of_the_csv() {
    let inst = fixture("instrument.toml");
    let csv = numbers(analyze(&fixture("data.csv"), &inst));
    assert_eq!(csv["input"]["rows_used"], 743);
    for file in [
        "perval-stores.sav",
        "perval-stores.zsav",
        "perval-stores.dta",
        "perval-stores-q.sav",
        "pyreadstat.sav",
    ] {
        let v = analyze(&fixture(&format!("labelled/{file}")), &inst);
        let notes = v["input"]["notes"].to_string();
        assert_eq!(numbers(v), csv, "{file}");
        // 85 of the 171 empty cells were written as a declared missing value; they are counted and said.
        assert!(
            notes.contains("85 answers were declared missing values"),
            "{file}: {notes}"
        );
        match file {
            "perval-stores.dta" => assert!(
                notes.contains("Stata file") && notes.contains("(.a)"),
                "{notes}"
            ),
            "pyreadstat.sav" => assert!(notes.contains("97–99"), "{notes}"),
            "perval-stores.zsav" => assert!(notes.contains(".zsav, compressed"), "{notes}"),
            _ => assert!(
                notes.contains("SPSS file") && notes.contains("(9)"),
                "{notes}"
            ),
        }
        if file != "pyreadstat.sav" {
            // The store column holds codes 1..3 with value labels: the labels are the group names.
            assert!(
                notes.contains(
                    "store: value labels used as group names (1 = Central, 2 = North, 3 = South)"
                ),
                "{file}: {notes}"
            );
        }
    }
}

#[test]
fn items_are_found_by_their_variable_labels() {
    let v = analyze(
        &fixture("labelled/perval-stores-q.sav"),
        &fixture("instrument.toml"),
    );
    let notes = v["input"]["notes"].to_string();
    assert!(
        notes.contains("item QUAL1 read from column 'Q1' (question text"),
        "{notes}"
    );
}

#[test]
fn chinese_and_old_codepage_files_read_as_their_csv() {
    let zh = numbers(analyze(&fixture("labelled/perval-zh.sav"), "perval-19-zh"));
    let zh_csv = numbers(analyze(
        &fixture("labelled/expected-zh.csv"),
        "perval-19-zh",
    ));
    assert_eq!(zh, zh_csv);
    let groups = zh["groups"]["dimensions"]["functional"]["groups"]
        .as_object()
        .unwrap();
    for store in ["东门店", "北门店", "南门店"] {
        assert!(groups.contains_key(store), "{store}: {groups:?}");
    }
    // Without --instrument, the Chinese value labels choose the Chinese translation of the same items.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("auto.json");
    let o = perval(&[
        "analyze",
        &fixture("labelled/perval-zh.sav"),
        "--quiet",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let auto: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(auto["instrument"]["id"], "perval-19-zh");
    // Windows-1252 (written by PSPP): the accented store names come out right.
    let inst = fixture("instrument.toml");
    let cp = analyze(&fixture("labelled/codepage.sav"), &inst);
    assert!(
        cp["input"]["notes"].to_string().contains("windows-1252"),
        "{}",
        cp["input"]["notes"]
    );
    assert_eq!(
        numbers(cp.clone()),
        numbers(analyze(&fixture("labelled/codepage.csv"), &inst))
    );
    assert!(cp["groups"]["dimensions"]["functional"]["groups"]
        .get("München")
        .is_some());
}

#[test]
fn a_reversed_scale_is_refused() {
    let o = perval(&[
        "analyze",
        &fixture("labelled/reversed.sav"),
        "--instrument",
        &fixture("instrument.toml"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("reversed.sav"), "{err}");
    assert!(err.contains("column 'QUAL1' runs the other way"), "{err}");
    assert!(err.contains("1 = \"Strongly agree\""), "{err}");
    assert!(err.contains("new = 8 − old"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn scores_go_back_to_spss_with_labels() {
    let dir = tempfile::tempdir().unwrap();
    let sav = dir.path().join("scores.sav");
    let csv = dir.path().join("scores.csv");
    let input = fixture("labelled/perval-stores.sav");
    let inst = fixture("instrument.toml");
    for out in [&sav, &csv] {
        let o = perval(&[
            "score",
            &input,
            "--instrument",
            &inst,
            "--by",
            "store",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Read back by perval's own SPSS reader: same rows and scores as the CSV, labels that say how.
    let bytes = std::fs::read(&sav).unwrap();
    assert!(bytes.starts_with(b"$FL2"));
    let back = perval::data::labelled::read(bytes, perval::data::labelled::Kind::Spss).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "respondent_id",
            "store",
            "functional",
            "emotional",
            "price",
            "social"
        ]
    );
    let names: Vec<String> = back
        .frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, header);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(back.frame.height(), rows.len());
    let price = back.frame.column("price").unwrap().f64().unwrap().clone();
    let store = back.frame.column("store").unwrap().str().unwrap().clone();
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(store.get(k), Some(row[1]));
        let want: f64 = row[4].parse().unwrap();
        assert!((price.get(k).unwrap() - want).abs() < 1e-12);
    }
    let functional = back.labels[2].as_str();
    assert!(
        functional.contains("mean of QUAL1 QUAL2 QUAL3 QUAL4 QUAL5 QUAL6"),
        "{functional}"
    );
    assert!(
        functional.contains("QUAL4 QUAL5 reversed (8 - x)"),
        "{functional}"
    );
}

#[test]
fn damaged_foreign_and_encrypted_files_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(fixture("labelled/perval-stores.sav")).unwrap();
    let dta = std::fs::read(fixture("labelled/perval-stores.dta")).unwrap();
    let csv = std::fs::read(fixture("data.csv")).unwrap();
    let mut encrypted = b"ENCRYPTEDSAVSPSS".to_vec();
    encrypted.extend_from_slice(&good[..400]);
    // Found by the fuzz target: a value-label record claiming two billion labels, a header claiming more
    // cases than the data can hold, a .zsav index of 10⁹ blocks, a Stata
    // header with 10⁹ variables (16, 10, 25 and 5 GB allocations inside the reader, before the dictionary walk
    // that now checks every count against the file).
    let oom = std::fs::read(fixture("labelled/fuzz-oom-value-labels.sav")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "fuzz-oom.sav",
            oom,
            "a value-label record at byte 2456 does not fit in the file",
        ),
        (
            "truncated.sav",
            good[..good.len() / 3].to_vec(),
            "cannot read the SPSS file",
        ),
        (
            "header-only.sav",
            good[..120].to_vec(),
            "cannot read the SPSS file",
        ),
        (
            "truncated.dta",
            dta[..2000].to_vec(),
            "cannot read the Stata file",
        ),
        ("text.sav", csv.clone(), "looks like text"),
        ("text.dta", csv, "not a Stata .dta file"),
        ("encrypted.sav", encrypted, "encrypted"),
        (
            "noise.sav",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
            "cannot read the SPSS file",
        ),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let o = perval(&["analyze", path.to_str().unwrap(), "--quiet"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        assert!(err.contains("fix:"), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn every_prefix_and_byte_flip_of_an_spss_file_is_read_or_refused() {
    // A light stand-in for the fuzz target in CI: every 97th prefix and 300 single-byte changes.
    let good = std::fs::read(fixture("labelled/perval-stores.sav")).unwrap();
    let inst = perval::instrument::load(&fixture("instrument.toml")).unwrap();
    let path = Path::new("mutated.sav");
    let mut variants: Vec<Vec<u8>> = (1..good.len())
        .step_by(97)
        .map(|n| good[..n].to_vec())
        .collect();
    for k in 0..300usize {
        let mut b = good.clone();
        let at = (k * 7919) % b.len();
        b[at] ^= 0x5a;
        variants.push(b);
    }
    for bytes in variants {
        if let Ok(raw) = perval::data::from_bytes(path, bytes, &Default::default()) {
            let _ = raw.load(&inst, Some("store"), true);
        }
    }
}
