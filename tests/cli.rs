//! The `perval` binary as a user meets it: the example analysis, the file formats it reads, and every kind of
//! bad input the foundation issue lists — each must exit with status 2, name the file, row and column, say
//! what would fix it, and write no output file.

mod common;

use common::{fixture, perval, stderr, write};

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The reference data as lines (header first).
fn reference_lines() -> Vec<String> {
    std::fs::read_to_string(fixture("data.csv"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// Run `analyze` on `file` with the reference instrument and return the JSON results.
fn analyze_json(file: &Path, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let inst = fixture("instrument.toml");
    let mut args = vec![
        "analyze",
        file.to_str().unwrap(),
        "--instrument",
        inst.as_str(),
        "--json",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = perval(&args);
    assert!(o.status.success(), "perval failed: {}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// Assert a rejected input: exit 2, every expected fragment in the message, no output written.
fn assert_rejected(file: &Path, fragments: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let inst = fixture("instrument.toml");
    let before = std::fs::read(file).ok();
    let o = perval(&[
        "analyze",
        file.to_str().unwrap(),
        "--instrument",
        &inst,
        "--json",
        out.to_str().unwrap(),
    ]);
    let msg = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "exit status for {}: {msg}",
        file.display()
    );
    assert!(
        msg.contains(&file.display().to_string()),
        "message names the file: {msg}"
    );
    assert!(msg.contains("fix:"), "message says what to do: {msg}");
    for f in fragments {
        assert!(msg.contains(f), "message should contain {f:?}: {msg}");
    }
    assert!(!out.exists(), "no output file on rejected input");
    assert_eq!(
        std::fs::read(file).ok(),
        before,
        "the input file is never changed"
    );
    assert!(!msg.contains("panicked"), "{msg}");
}

#[test]
fn example_analysis_writes_json_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = perval(&[
        "analyze",
        &fixture("data.csv"),
        "--instrument",
        &fixture("instrument.toml"),
        "--by",
        "store",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("900 respondents read, 743 used, 157 left out"),
        "{text}"
    );
    assert!(
        text.contains("alpha of 'price' rises from .84 to .86 without PRICE4"),
        "{text}"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], "perval/1");
    assert_eq!(json["groups"]["by"], "store");
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert_eq!(
        scores.lines().next().unwrap(),
        "respondent_id,store,functional,emotional,price,social"
    );
    assert_eq!(scores.lines().count(), 744);
}

#[test]
fn builtin_instrument_is_chosen_from_the_columns() {
    // perval-19 and perval-19-zh share item ids; numbers are read by the English one first.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("auto.json");
    let o = perval(&[
        "analyze",
        &fixture("data.csv"),
        "--quiet",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(out)
        .unwrap()
        .contains("\"id\": \"perval-19\""));
}

#[test]
fn tsv_with_bom_and_crlf_gives_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let body: Vec<String> = reference_lines()
        .iter()
        .map(|l| l.replace(',', "\t"))
        .collect();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(body.join("\r\n").as_bytes());
    bytes.extend(b"\r\n");
    let tsv = write(dir.path(), "data.tsv", bytes);
    let a = analyze_json(&tsv, &[]);
    let b = analyze_json(Path::new(&fixture("data.csv")), &[]);
    assert_eq!(a["dimensions"], b["dimensions"]);
    assert_eq!(a["input"]["rows_used"], 743);
}

#[test]
fn text_labels_and_missing_codes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let labels = [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ];
    let mut lines = reference_lines();
    for line in lines.iter_mut().skip(1) {
        let fields: Vec<String> = line
            .split(',')
            .enumerate()
            .map(|(i, f)| match (i, f.parse::<usize>()) {
                (i, Ok(v)) if i >= 2 && i % 2 == 0 => {
                    format!("  {} ", labels[v - 1].to_uppercase())
                }
                (i, Err(_)) if i >= 2 && f.is_empty() => "NA".to_string(),
                _ => f.to_string(),
            })
            .collect();
        *line = fields.join(",");
    }
    let csv = write(dir.path(), "labels.csv", lines.join("\n"));
    let a = analyze_json(&csv, &[]);
    let b = analyze_json(Path::new(&fixture("data.csv")), &[]);
    assert_eq!(a["dimensions"], b["dimensions"]);
}

#[test]
fn score_writes_id_group_and_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    let o = perval(&[
        "score",
        &fixture("data.csv"),
        "--instrument",
        "perval-19",
        "--by",
        "store",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "respondent_id,store,functional,emotional,price,social"
    );
    // Respondent 2: QUAL 6,6,7,(8-2),(8-3),6 -> 36/6 = 6; EMO 6,6,5,7,6 -> 6; PRICE 6,6,6,6; SOC 6,7,5,6 -> 6.
    assert!(text.lines().any(|l| l == "2,South,6,6,6,6"), "{text}");
}

#[test]
fn score_keeps_the_wjx_respondent_number() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    let o = perval(&["score", &export("wjx.csv"), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("序号,functional,emotional,price,social"));
    assert!(lines.next().unwrap().starts_with("1,"));
}

#[test]
fn instruments_list_and_show() {
    let o = perval(&["instruments"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for id in ["perval-19", "perval-19-zh", "perval-restaurant-zh"] {
        assert!(text.contains(id), "{text}");
    }
    let o = perval(&["instruments", "show", "perval-restaurant-zh"]);
    let toml = String::from_utf8_lossy(&o.stdout);
    assert!(toml.contains("在本店消费能让我放松心情"), "{toml}");
    perval::instrument::parse(&toml, "shown").unwrap();
    let o = perval(&["instruments", "show", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_item_column_suggests_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = reference_lines();
    lines[0] = lines[0].replace("QUAL3", "Qual_3");
    let f = write(dir.path(), "renamed.csv", lines.join("\n"));
    assert_rejected(&f, &["QUAL3", "did you mean 'Qual_3'"]);
}

#[test]
fn duplicate_columns_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = reference_lines();
    lines[0] = lines[0].replace("EMO2", "EMO1");
    let f = write(dir.path(), "dup.csv", lines.join("\n"));
    assert_rejected(&f, &["two columns named 'EMO1'", "columns 9 and 10"]);
}

#[test]
fn ragged_row_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = reference_lines();
    lines[5].push_str(",7");
    let f = write(dir.path(), "ragged.csv", lines.join("\n"));
    assert_rejected(&f, &["row 5 (line 6) has 22 fields but the header has 21"]);
}

#[test]
fn binary_and_empty_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "picture.csv",
        [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3],
    );
    assert_rejected(&f, &["not text"]);
    let f = write(dir.path(), "empty.csv", "");
    assert_rejected(&f, &["empty"]);
    let f = write(
        dir.path(),
        "header.csv",
        reference_lines()[0].clone() + "\n",
    );
    assert_rejected(&f, &["no respondents"]);
}

#[test]
fn out_of_range_value_names_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = reference_lines();
    // Row 3 (line 4): "3,Central,5,6,5,2,1,6,..." -> QUAL2 = 9
    lines[3] = lines[3].replacen("3,Central,5,6,", "3,Central,5,9,", 1);
    let f = write(dir.path(), "range.csv", lines.join("\n"));
    assert_rejected(
        &f,
        &["row 3 (line 4)", "column 'QUAL2'", "value 9", "[1, 7]"],
    );
}

#[test]
fn unknown_label_names_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = reference_lines();
    lines[2] = lines[2].replacen("2,South,6,", "2,South,quite good,", 1);
    let f = write(dir.path(), "label.csv", lines.join("\n"));
    assert_rejected(
        &f,
        &[
            "row 2 (line 3)",
            "column 'QUAL1'",
            "'quite good'",
            "Strongly agree",
        ],
    );
}

#[test]
fn every_bad_cell_is_listed_at_once_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let lines = reference_lines();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let mut rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    rows[10][col("EMO2")] = "99".into();
    rows[3][col("EMO2")] = "four".into();
    rows[3][col("QUAL1")] = "9".into();
    for row in &mut rows[100..130] {
        row[col("SOC1")] = "0".into();
    }
    let text: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    let f = write(dir.path(), "cells.csv", text.join("\n"));
    assert_rejected(
        &f,
        &[
            "33 cells are not answers (the first 20 shown):\n  row 3 (line 4), column 'QUAL1': value 9",
            "\n  row 3 (line 4), column 'EMO2': 'four' is not a number and not a scale label\n  row 10 (line 11), column 'EMO2': value 99",
            "row 116 (line 117), column 'SOC1'",
            "--na 9,99,0",
            "Strongly agree",
        ],
    );
    let e = stderr(&perval(&[
        "analyze",
        f.to_str().unwrap(),
        "--instrument",
        &fixture("instrument.toml"),
    ]));
    assert!(!e.contains("row 117 "), "only the first 20 cells: {e}");
}

#[test]
fn too_few_respondents_item_without_answers_and_constant_item() {
    let dir = tempfile::tempdir().unwrap();
    let lines = reference_lines();
    let f = write(
        dir.path(),
        "two.csv",
        [lines[0].clone(), lines[2].clone(), lines[3].clone()].join("\n"),
    );
    assert_rejected(&f, &["only 2 of 2 respondents", "at least 3"]);

    let blank_col = |line: &str, col: usize, value: &str| {
        let mut f: Vec<String> = line.split(',').map(String::from).collect();
        f[col] = value.to_string();
        f.join(",")
    };
    let empty: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.clone()
            } else {
                blank_col(l, 12, "")
            }
        })
        .collect();
    let f = write(dir.path(), "noanswers.csv", empty.join("\n"));
    assert_rejected(&f, &["column 'EMO5'", "no answers"]);

    let constant: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.clone()
            } else {
                blank_col(l, 12, "4")
            }
        })
        .collect();
    let f = write(dir.path(), "constant.csv", constant.join("\n"));
    assert_rejected(&f, &["column 'EMO5'", "same answer"]);
}

#[test]
fn bad_instrument_file_names_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.toml",
        "id = \"x\"\nname = \"y\"\n[scale]\nmin = 1\nmax = \"seven\"\n",
    );
    let o = perval(&[
        "analyze",
        &fixture("data.csv"),
        "--instrument",
        bad.to_str().unwrap(),
    ]);
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(msg.contains("bad.toml: line 5"), "{msg}");
}

#[test]
fn unknown_group_column_is_rejected() {
    let o = perval(&[
        "analyze",
        &fixture("data.csv"),
        "--instrument",
        &fixture("instrument.toml"),
        "--by",
        "Store",
    ]);
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("no column 'Store'; did you mean 'store'?"),
        "{msg}"
    );
}

#[test]
fn grouping_by_an_item_column_is_refused() {
    let o = perval(&[
        "analyze",
        &fixture("data.csv"),
        "--instrument",
        &fixture("instrument.toml"),
        "--by",
        "QUAL1",
    ]);
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("data.csv: --by 'QUAL1' is an item column"),
        "{msg}"
    );
    assert!(msg.contains("columns that are not items: store"), "{msg}");
    assert!(!msg.contains("duplicates another"), "{msg}");
}

#[test]
fn parquet_gives_the_same_numbers() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(fixture("data.csv").into()))
        .unwrap()
        .finish()
        .unwrap();
    let path = dir.path().join("data.parquet");
    let mut f = std::fs::File::create(&path).unwrap();
    ParquetWriter::new(&mut f).finish(&mut df).unwrap();
    let a = analyze_json(&path, &["--by", "store"]);
    let b = analyze_json(Path::new(&fixture("data.csv")), &["--by", "store"]);
    assert_eq!(a["dimensions"], b["dimensions"]);
    assert_eq!(a["groups"], b["groups"]);
}

#[test]
fn bootstrap_is_reproducible_for_a_seed_whatever_the_threads() {
    let run = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.json");
        let o = Command::new(env!("CARGO_BIN_EXE_perval"))
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "analyze",
                &fixture("data.csv"),
                "--instrument",
                "perval-19",
                "--bootstrap",
                "200",
                "--seed",
                "7",
                "--quiet",
                "--json",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        v["dimensions"]["functional"]["reliability"]["bootstrap"].clone()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one, two);
    let ci = one["alpha_ci95"].as_array().unwrap();
    let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
    // The interval brackets the sample alpha (.8707) and is narrow for n = 743.
    assert!(lo < 0.8707 && 0.8707 < hi && hi - lo < 0.05, "{lo} {hi}");
}

#[test]
fn efa_and_cfa_subcommands_write_their_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let efa = dir.path().join("efa.json");
    let o = perval(&[
        "efa",
        &fixture("data.csv"),
        "--instrument",
        "perval-19",
        "--factors",
        "3",
        "--method",
        "pa",
        "--rotation",
        "varimax",
        "--json",
        efa.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&efa).unwrap()).unwrap();
    assert_eq!(v["efa"]["n_factors"], 3);
    assert_eq!(v["efa"]["method"], "pa");
    assert_eq!(v["efa"]["rotation"], "varimax");
    assert_eq!(v["parallel_analysis"]["suggested_factors"], 4);
    assert!(v.get("cfa").is_none() && v.get("dimensions").is_none());

    let cfa = dir.path().join("cfa.json");
    let o = perval(&[
        "cfa",
        &fixture("data.csv"),
        "--instrument",
        "perval-19",
        "--model",
        "second-order",
        "--json",
        cfa.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("QUAL4 ~~ QUAL5"), "{text}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&cfa).unwrap()).unwrap();
    assert_eq!(v["cfa"]["model"], "second-order");
    assert_eq!(v["cfa"]["fit"]["df"], 148);
    assert!(v.get("efa").is_none());
}

/// The reference data with the store column rewritten by `store(row index)`.
fn with_stores(dir: &Path, name: &str, store: impl Fn(usize) -> String) -> PathBuf {
    let lines: Vec<String> = reference_lines()
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l;
            }
            let mut f: Vec<String> = l.split(',').map(String::from).collect();
            f[1] = store(i);
            f.join(",")
        })
        .collect();
    write(dir, name, lines.join("\n"))
}

#[test]
fn compare_handles_missing_small_single_and_too_many_groups() {
    let dir = tempfile::tempdir().unwrap();
    let inst = fixture("instrument.toml");
    // Missing group values and a group with one respondent.
    let f = with_stores(dir.path(), "odd.csv", |i| match i {
        1..=10 => String::new(),
        11 => "Lonely".into(),
        _ if i % 2 == 0 => "East".into(),
        _ => "West".into(),
    });
    let out = dir.path().join("c.json");
    let o = perval(&[
        "compare",
        f.to_str().unwrap(),
        "--instrument",
        &inst,
        "--by",
        "store",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("have no value in 'store'"), "{text}");
    assert!(
        text.contains("'Lonely'") && text.contains("fewer than 2 respondents"),
        "{text}"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let groups: Vec<&String> = v["groups"]["dimensions"]["price"]["groups"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(groups, ["East", "West"]);
    assert!(v["groups"]["missing_group"].as_u64().unwrap() > 0);
    assert!(v["groups"]["dimensions"]["price"]["two_groups"]["hedges_g"].is_number());

    // A single group: nothing to compare.
    let f = with_stores(dir.path(), "one.csv", |_| "Only".into());
    let o = perval(&[
        "compare",
        f.to_str().unwrap(),
        "--instrument",
        &inst,
        "--by",
        "store",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("fewer than two groups"),
        "{}",
        stderr(&o)
    );

    // An id-like column with hundreds of values.
    let f = with_stores(dir.path(), "many.csv", |i| format!("S{i}"));
    let o = perval(&[
        "compare",
        f.to_str().unwrap(),
        "--instrument",
        &inst,
        "--by",
        "store",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at most 50 groups"), "{}", stderr(&o));
}

fn export(name: &str) -> String {
    fixture(&format!("exports/{name}"))
}

/// `analyze` JSON of a file with extra arguments (instrument chosen automatically unless given).
fn analyze_args(file: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let mut args = vec!["analyze", file, "--json", out.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    let o = perval(&args);
    assert!(o.status.success(), "perval {args:?} failed: {}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn platform_exports_give_the_numbers_of_the_plain_file() {
    let plain = analyze_args(&export("plain.csv"), &["--instrument", "perval-19"]);
    let cases: [(&str, &[&str]); 3] = [
        ("qualtrics.csv", &[]),
        ("surveymonkey.csv", &[]),
        ("wjx.csv", &[]),
    ];
    for (file, extra) in cases {
        let got = analyze_args(&export(file), extra);
        assert_eq!(
            got["dimensions"]["price"]["reliability"]["alpha"],
            plain["dimensions"]["price"]["reliability"]["alpha"],
            "{file}"
        );
        assert_eq!(
            got["dimensions"]["functional"]["mean"], plain["dimensions"]["functional"]["mean"],
            "{file}"
        );
        let notes = got["input"]["notes"].to_string();
        assert!(
            notes.contains("export") && notes.contains("question text"),
            "{file}: {notes}"
        );
    }
    // 问卷星 files are GB18030 text with Chinese labels: the Chinese instrument is chosen and the encoding noted.
    let wjx = analyze_args(&export("wjx.csv"), &[]);
    assert!(wjx["input"]["notes"].to_string().contains("GB18030"));
    assert_eq!(wjx["instrument"]["id"], "perval-19-zh");
}

#[test]
fn explicit_map_encodings_excel_and_decimal_commas() {
    let dir = tempfile::tempdir().unwrap();
    let plain = analyze_args(&export("plain.csv"), &["--instrument", "perval-19"]);
    let text = std::fs::read_to_string(export("plain.csv")).unwrap();

    // --map: a renamed column.
    let renamed = write(
        dir.path(),
        "renamed.csv",
        text.replacen("QUAL1", "q_quality_1", 1),
    );
    let got = analyze_args(
        renamed.to_str().unwrap(),
        &["--instrument", "perval-19", "--map", "QUAL1=q_quality_1"],
    );
    assert_eq!(got["dimensions"], plain["dimensions"]);

    // UTF-16 LE with BOM and GBK without: decoded.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let f = write(dir.path(), "utf16.csv", utf16);
    assert_eq!(
        analyze_args(f.to_str().unwrap(), &["--instrument", "perval-19"])["dimensions"],
        plain["dimensions"]
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let f = write(dir.path(), "gbk.csv", gbk.as_ref());
    assert_eq!(
        analyze_args(
            f.to_str().unwrap(),
            &["--instrument", "perval-19", "--encoding", "gbk"]
        )["dimensions"],
        plain["dimensions"]
    );

    // Semicolons with decimal commas (European Excel).
    let semi: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.replace(',', ";")
            } else {
                l.split(',')
                    .enumerate()
                    .map(|(k, v)| {
                        if k >= 2 {
                            format!("{v},0")
                        } else {
                            v.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(";")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let f = write(dir.path(), "semicolon.csv", semi);
    assert_eq!(
        analyze_args(f.to_str().unwrap(), &["--instrument", "perval-19"])["dimensions"],
        plain["dimensions"]
    );

    // An Excel workbook with the same cells.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            match v.parse::<f64>() {
                Ok(x) if r > 0 => ws.write_number(r as u32, c as u16, x).map(|_| ()),
                _ => ws.write_string(r as u32, c as u16, v).map(|_| ()),
            }
            .unwrap();
        }
    }
    let xlsx = dir.path().join("responses.xlsx");
    wb.save(&xlsx).unwrap();
    assert_eq!(
        analyze_args(xlsx.to_str().unwrap(), &["--instrument", "perval-19"])["dimensions"],
        plain["dimensions"]
    );
}

#[test]
fn screening_flags_straightliners_and_speeders() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = reference_lines();
    // Row 2 answers 4 to every item; add a duration column where row 3 took 12 seconds.
    lines[2] = format!("2,South,{}", vec!["4"; 19].join(","));
    for (i, l) in lines.iter_mut().enumerate() {
        l.push_str(if i == 0 {
            ",duration"
        } else if i == 3 {
            ",12"
        } else {
            ",300"
        });
    }
    let f = write(dir.path(), "careless.csv", lines.join("\n"));
    let kept = analyze_json(&f, &["--screen"]);
    let s = &kept["screening"];
    let rows: Vec<u64> = s["respondents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    assert!(rows.contains(&2) && rows.contains(&3), "{s}");
    let reasons = s["respondents"].to_string();
    assert!(
        reasons.contains("IRV = 0") && reasons.contains("completed in 12 s"),
        "{reasons}"
    );
    assert_eq!(s["excluded"], false);
    let excluded = analyze_json(&f, &["--exclude-flagged"]);
    let flagged = excluded["screening"]["flagged"].as_u64().unwrap();
    assert_eq!(
        excluded["input"]["rows_used"].as_u64().unwrap() + flagged,
        kept["input"]["rows_used"].as_u64().unwrap()
    );
}

#[test]
fn writing_to_a_device_leaves_it_a_device() {
    // `--json /dev/null` must write to the device, not rename a file over it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let o = perval(&[
            "analyze",
            &fixture("data.csv"),
            "--instrument",
            "perval-19",
            "--quiet",
            "--json",
            "/dev/null",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }
}

/// Real exports that used to fail: a Qualtrics export with CRLF line ends and a line break inside a question
/// text, whose item tags are the column names; a "CSV (Macintosh)" file with CR-only line ends; item ids with
/// spaces around them or in another case. Each gives the numbers of the plain file; errors name the file's line.
#[test]
fn crlf_qualtrics_mac_line_ends_and_loose_headers_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let plain = analyze_args(&export("plain.csv"), &["--instrument", "perval-19"]);
    let same = |got: &Value, what: &str| {
        assert_eq!(
            got["dimensions"]["price"]["reliability"]["alpha"],
            plain["dimensions"]["price"]["reliability"]["alpha"],
            "{what}"
        );
    };
    // Qualtrics with the item tags as column names, CRLF, and a line break inside a question text.
    let text = std::fs::read_to_string(export("plain.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let n = header.split(',').count();
    let mut texts = vec!["Question".to_string(); n];
    texts[2] = "\"This product has\nconsistent quality.\"".into();
    let import: Vec<String> = (0..n)
        .map(|k| format!("\"{{\"\"ImportId\"\":\"\"QID{k}\"\"}}\""))
        .collect();
    let mut q = format!(
        "{header}\r\n{}\r\n{}\r\n",
        texts.join(","),
        import.join(",")
    );
    for l in lines {
        q += l;
        q += "\r\n";
    }
    let file = write(dir.path(), "qualtrics-crlf.csv", &q);
    same(
        &analyze_args(file.to_str().unwrap(), &["--instrument", "perval-19"]),
        "qualtrics crlf",
    );
    // An error names the line of the file (header rows included).
    let bad = q.replacen("\r\n2,South,6,", "\r\n2,South,99,", 1);
    let bad_file = write(dir.path(), "qualtrics-bad.csv", &bad);
    let o = perval(&[
        "analyze",
        bad_file.to_str().unwrap(),
        "--instrument",
        "perval-19",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 5"), "{}", stderr(&o));
    // CR-only line ends.
    let mac = write(dir.path(), "mac.csv", text.replace('\n', "\r"));
    let got = analyze_args(mac.to_str().unwrap(), &["--instrument", "perval-19"]);
    same(&got, "mac");
    assert!(got["input"]["notes"].to_string().contains("CR alone"));
    // " QUAL1 " and "qual2".
    let loose = write(
        dir.path(),
        "loose.csv",
        text.replacen("QUAL1", " QUAL1 ", 1)
            .replacen("QUAL2", "qual2", 1),
    );
    let got = analyze_args(loose.to_str().unwrap(), &["--instrument", "perval-19"]);
    same(&got, "loose headers");
    assert!(got["input"]["notes"].to_string().contains("another case"));
}

#[test]
fn a_font_without_chinese_or_a_missing_font_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_font = write(dir.path(), "plain.ttf", "not a font");
    let out = dir.path().join("out");
    for font in [not_a_font.clone(), dir.path().join("absent.ttf")] {
        let o = perval(&[
            "analyze",
            &fixture("data.csv"),
            "--instrument",
            &fixture("instrument.toml"),
            "--font",
            font.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{e}");
        assert!(
            e.contains(font.file_name().unwrap().to_str().unwrap()),
            "{e}"
        );
        assert!(!out.exists(), "no partial output");
    }
    let e = stderr(&perval(&[
        "chart",
        "likert",
        &fixture("data.csv"),
        "--instrument",
        &fixture("instrument.toml"),
        "--font",
        not_a_font.to_str().unwrap(),
        "--output",
        dir.path().join("l.png").to_str().unwrap(),
    ]));
    assert!(e.contains("lacks Chinese characters"), "{e}");
}

#[test]
fn analyze_writes_no_charts_when_a_character_cannot_be_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let data = write(
        dir.path(),
        "emoji.csv",
        text.replace(",Central,", ",Noodle \u{1F35C},"),
    );
    let out = dir.path().join("report");
    let o = perval(&[
        "analyze",
        data.to_str().unwrap(),
        "--instrument",
        &fixture("instrument.toml"),
        "--by",
        "store",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("results.json").exists() && out.join("tables").exists());
    assert!(!out.join("charts").exists(), "no empty charts folder");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("no charts were drawn") && warnings.contains("U+1F35C"),
        "{warnings}"
    );
}
