//! `perval kano` against the independent reference (tests/fixtures/kano-restaurant: make.py, numpy + scipy):
//! every count exact, every share and mean to 1e-9, χ², V and p to 1e-6; the same results from text answers
//! and from codes; bad input refused with the file, row and column.

mod common;

use common::tolerance::walk;
use common::{assert_rejected, fixture, fixture_json, perval, perval_json, stderr, write};
use serde_json::Value;

/// The README's tolerances by key.
fn tolerance(path: &str) -> (f64, bool) {
    let key = path.rsplit('.').next().unwrap_or("");
    match key {
        "importance" | "p" => (1e-6, true),
        "chisq" | "cramers_v" => (1e-6, false),
        _ => (1e-9, false),
    }
}

fn run(data: &str, instrument: &str, table: &str, by: bool) -> Value {
    let (d, i) = (
        fixture(&format!("kano-restaurant/{data}")),
        fixture(&format!("kano-restaurant/{instrument}")),
    );
    let mut args = vec![
        "kano",
        d.as_str(),
        "--instrument",
        i.as_str(),
        "--table",
        table,
    ];
    if by {
        args.extend(["--by", "store"]);
    }
    perval_json(&args)
}

fn check(actual: &Value, expected: &Value) {
    assert_eq!(actual["schema"], "perval/1");
    walk("kano", &actual["kano"], &expected["kano"], &tolerance);
    if let Some(groups) = expected["kano"]["groups"]["groups"].as_object() {
        let names: Vec<&String> = actual["kano"]["groups"]["groups"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            names,
            groups.keys().collect::<Vec<_>>(),
            "group names (no group for the blank store)"
        );
    }
}

#[test]
fn matches_the_reference_with_text_answers_and_with_codes() {
    for table in ["standard", "pouliot"] {
        for by in [false, true] {
            let expected = fixture_json(&format!(
                "kano-restaurant/expected_{}{table}.json",
                if by { "by_store_" } else { "" }
            ));
            check(&run("data.csv", "instrument.toml", table, by), &expected);
            check(
                &run("data_codes.csv", "instrument_codes.toml", table, by),
                &expected,
            );
        }
    }
}

#[test]
fn edge_cases_of_the_rules() {
    let r = run("data.csv", "instrument.toml", "standard", true);
    let a = &r["kano"]["attributes"];
    // O = A → O; A = I → A; I = R → I; M = O → M; A+O+M = I+R+Q → mode A, grouped I.
    assert_eq!(a["qr"]["category"], "O");
    assert_eq!(a["points"]["category"], "A");
    assert_eq!(a["music"]["category"], "I");
    assert_eq!(a["spice"]["category"], "M");
    assert_eq!(
        (
            a["dessert"]["category"].as_str(),
            a["dessert"]["category_grouped"].as_str()
        ),
        (Some("A"), Some("I"))
    );
    // No importance column → no importance key.
    assert!(a["kids"].get("importance").is_none());
    assert_eq!(r["kano"]["groups"]["tests"]["robot"]["df"], 4);
    // Better and Worse lie inside their intervals; the intervals inside [0, 1] and [−1, 0].
    for (id, x) in a.as_object().unwrap() {
        let (b, w) = (x["better"].as_f64().unwrap(), x["worse"].as_f64().unwrap());
        let (bl, bh) = (
            x["better_ci95"][0].as_f64().unwrap(),
            x["better_ci95"][1].as_f64().unwrap(),
        );
        let (wl, wh) = (
            x["worse_ci95"][0].as_f64().unwrap(),
            x["worse_ci95"][1].as_f64().unwrap(),
        );
        assert!(0.0 <= bl && bl < b && b < bh && bh <= 1.0, "{id}");
        assert!(-1.0 <= wl && wl < w && w < wh && wh <= 0.0, "{id}");
    }
    // The dessert attribute's two rules disagree: a finding says so; parking differs between the stores.
    let warnings = r["warnings"].to_string();
    assert!(
        warnings.contains("Free dessert") && warnings.contains("report both"),
        "{warnings}"
    );
    assert!(
        warnings.contains("Robot waiters") && warnings.contains("questionable"),
        "{warnings}"
    );
    assert!(
        warnings.contains("Free parking") && warnings.contains(" at "),
        "{warnings}"
    );
}

/// The reference data with Chinese and other standard wordings, codes mixed in, curly apostrophes and odd
/// spacing: the same results as the English texts.
#[test]
fn standard_wordings_are_recognised_without_being_declared() {
    let text = std::fs::read_to_string(fixture("kano-restaurant/data.csv")).unwrap();
    let swaps = [
        ("I dislike it that way", "5"),
        ("I like it that way", "我很喜欢"),
        ("It must be that way", "理应如此"),
        ("I am neutral", "  I\u{2019}M  neutral "),
        ("I can live with it that way", "能忍受"),
    ];
    let mut changed = text.clone();
    for (from, to) in swaps {
        changed = changed.replace(from, to);
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "zh.csv", changed);
    let codes = fixture("kano-restaurant/instrument_codes.toml");
    let a = perval_json(&[
        "kano",
        f.to_str().unwrap(),
        "--instrument",
        &codes,
        "--by",
        "store",
    ]);
    let expected = fixture_json("kano-restaurant/expected_by_store_standard.json");
    check(&a, &expected);
}

#[test]
fn monte_carlo_p_for_small_tables_is_seeded_and_thread_independent() {
    // 3 stores × 10 respondents: every expected count is below 5.
    let mut csv = String::from("store,WIFI_F,WIFI_D\n");
    let pairs = [
        (1, 3),
        (1, 5),
        (3, 5),
        (3, 3),
        (1, 3),
        (2, 5),
        (3, 3),
        (1, 5),
        (1, 3),
        (3, 5),
    ];
    for (g, store) in ["A", "B", "C"].iter().enumerate() {
        for (k, (f, d)) in pairs.iter().enumerate() {
            let (f, d) = if g == 2 && k < 5 { (3, 5) } else { (*f, *d) };
            csv += &format!("{store},{f},{d}\n");
        }
    }
    let inst = "id = \"k\"\nname = \"k\"\n[kano]\n[[kano.attributes]]\nid = \"wifi\"\nfunctional = \"WIFI_F\"\ndysfunctional = \"WIFI_D\"\n";
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "small.csv", csv);
    let toml = write(dir.path(), "k.toml", inst);
    let args = [
        "kano",
        data.to_str().unwrap(),
        "--instrument",
        toml.to_str().unwrap(),
        "--by",
        "store",
    ];
    let one = perval_json(&args);
    let test = &one["kano"]["groups"]["tests"]["wifi"];
    let p = test["p_monte_carlo"].as_f64().expect("a Monte Carlo p");
    assert!(test["min_expected"].as_f64().unwrap() < 5.0);
    assert!(
        p > 0.0 && p <= 1.0 && (p * 2001.0 - (p * 2001.0).round()).abs() < 1e-9,
        "{p}"
    );
    let single = std::process::Command::new(env!("CARGO_BIN_EXE_perval"))
        .args(args)
        .args([
            "--json",
            dir.path().join("1.json").to_str().unwrap(),
            "--quiet",
        ])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(single.status.success(), "{}", stderr(&single));
    let single: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("1.json")).unwrap()).unwrap();
    assert_eq!(
        single["kano"]["groups"]["tests"]["wifi"]["p_monte_carlo"],
        test["p_monte_carlo"]
    );
}

#[test]
fn bad_input_is_refused_with_the_place_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let inst = fixture("kano-restaurant/instrument.toml");
    let text = std::fs::read_to_string(fixture("kano-restaurant/data_codes.csv")).unwrap();
    let codes = fixture("kano-restaurant/instrument_codes.toml");
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let json = out.join("r.json");
    let json = json.to_str().unwrap();

    // A functional column without its dysfunctional twin.
    let header: Vec<&str> = lines[0].split(',').collect();
    let no_twin = text.replacen("WIFI_D", "WIFI_X", 1);
    let f = write(dir.path(), "twin.csv", no_twin);
    assert_rejected(
        &[
            "kano",
            f.to_str().unwrap(),
            "--instrument",
            &codes,
            "--json",
            json,
        ],
        &["WIFI_D", "twin.csv"],
        &out,
    );

    // A code outside 1–5, and a code that is no whole number.
    let col = header.iter().position(|h| *h == "CLEAN_F").unwrap();
    for (bad, name) in [("6", "six.csv"), ("2.5", "half.csv")] {
        let mut cells: Vec<String> = lines[3].split(',').map(String::from).collect();
        cells[col] = bad.into();
        let mut l = lines.clone();
        l[3] = cells.join(",");
        let f = write(dir.path(), name, l.join("\n") + "\n");
        assert_rejected(
            &[
                "kano",
                f.to_str().unwrap(),
                "--instrument",
                &codes,
                "--json",
                json,
            ],
            &["row 3", "CLEAN_F", bad],
            &out,
        );
    }

    // An answer that is no label.
    let t = std::fs::read_to_string(fixture("kano-restaurant/data.csv")).unwrap();
    let f = write(
        dir.path(),
        "label.csv",
        t.replacen("I am neutral", "Maybe", 1),
    );
    assert_rejected(
        &[
            "kano",
            f.to_str().unwrap(),
            "--instrument",
            &inst,
            "--json",
            json,
        ],
        &["Maybe", "label.csv", "I like it that way"],
        &out,
    );

    // An importance outside its scale.
    let col = header.iter().position(|h| *h == "WIFI_IMP").unwrap();
    let mut cells: Vec<String> = lines[5].split(',').map(String::from).collect();
    cells[col] = "10".into();
    lines[5] = cells.join(",");
    let f = write(dir.path(), "imp.csv", lines.join("\n") + "\n");
    assert_rejected(
        &[
            "kano",
            f.to_str().unwrap(),
            "--instrument",
            &codes,
            "--json",
            json,
        ],
        &["WIFI_IMP", "10", "row 5"],
        &out,
    );

    // An instrument without [kano]; a Kano instrument given to analyze.
    assert_rejected(
        &[
            "kano",
            f.to_str().unwrap(),
            "--instrument",
            "perval-19",
            "--json",
            json,
        ],
        &["no [kano] section"],
        &out,
    );
    assert_rejected(
        &[
            "analyze",
            f.to_str().unwrap(),
            "--instrument",
            &codes,
            "--json",
            json,
        ],
        &["Kano questionnaire", "perval kano"],
        &out,
    );

    // One column named by two attributes.
    let twice = std::fs::read_to_string(&codes)
        .unwrap()
        .replacen("\"CLEAN_D\"", "\"WIFI_D\"", 1);
    let t = write(dir.path(), "twice.toml", twice);
    let o = perval(&[
        "kano",
        f.to_str().unwrap(),
        "--instrument",
        t.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("one column holds one question"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn builtin_instruments_are_listed_and_chosen_from_the_columns() {
    let o = perval(&["instruments"]);
    let list = String::from_utf8_lossy(&o.stdout).to_string();
    for id in [
        "kano-restaurant",
        "kano-restaurant-zh",
        "perval-expectations",
    ] {
        assert!(list.contains(id), "{list}");
    }
    let o = perval(&["instruments", "show", "kano-restaurant-zh"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("理应如此"));
    // A file with the built-in's columns, answered in Chinese: the Chinese instrument is chosen.
    let attrs = [
        "CLEAN", "TASTE", "SPEED", "KITCHEN", "WIFI", "MUSIC", "BIRTHDAY", "KIDS", "PHOTO",
        "MEMBER", "POINTS", "PRICES",
    ];
    let mut csv = String::from("store");
    for a in attrs {
        csv += &format!(",{a}_F,{a}_D,{a}_IMP");
    }
    csv += "\n";
    let answers = ["我很喜欢", "理应如此", "无所谓", "能忍受", "我很不喜欢"];
    for r in 0..40 {
        csv += if r % 2 == 0 { "东门店" } else { "西门店" };
        for (k, _) in attrs.iter().enumerate() {
            csv += &format!(
                ",{},{},{}",
                answers[(r + k) % 3],
                answers[(r * 7 + k) % 5],
                1 + (r + k) % 9
            );
        }
        csv += "\n";
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "zh.csv", csv);
    let r = perval_json(&["kano", f.to_str().unwrap(), "--by", "store"]);
    assert_eq!(r["instrument"]["id"], "kano-restaurant-zh");
    assert_eq!(r["kano"]["attributes"]["clean"]["n"], 40);
}

/// Real exports: a Qualtrics side-by-side question (QIDs Q5#1_1 / Q5#2_1 in row 1, texts in row 2, ImportIds in
/// row 3) and 问卷星 matrix questions (the attribute in the column header, "2(免费无线网络)"), their columns named
/// in the instrument as the export names them.
#[test]
fn qualtrics_side_by_side_and_wjx_matrix_exports() {
    let q = perval_json(&[
        "kano",
        &fixture("kano-exports/qualtrics-side-by-side.csv"),
        "--instrument",
        &fixture("kano-exports/qualtrics.toml"),
        "--by",
        "store",
    ]);
    let wifi = &q["kano"]["attributes"]["wifi"];
    assert_eq!(
        (
            wifi["n"].as_u64(),
            wifi["counts"]["O"].as_u64(),
            wifi["counts"]["A"].as_u64()
        ),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(q["kano"]["attributes"]["parking"]["category"], "M");
    let w = perval_json(&[
        "kano",
        &fixture("kano-exports/wjx-matrix.csv"),
        "--instrument",
        &fixture("kano-exports/wjx.toml"),
        "--by",
        "1、您常去的门店",
    ]);
    // 免费无线网络: (我很喜欢, 我很不喜欢) O, (理应如此, 我很不喜欢) M, (无所谓, 无所谓) I: a three-way tie → M.
    assert_eq!(w["kano"]["attributes"]["wifi"]["category"], "M");
    assert_eq!(w["kano"]["groups"]["groups"].as_object().unwrap().len(), 2);
}
