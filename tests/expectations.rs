//! `perval expectations` against the independent reference (tests/fixtures/expectations: make.py): n and the
//! group names exact, means and shares to 1e-9, the t intervals to 1e-6.

mod common;

use common::tolerance::walk;
use common::{assert_rejected, fixture, fixture_json, perval_json, write};
use serde_json::Value;

fn tolerance(path: &str) -> (f64, bool) {
    if path.contains("_ci95") {
        (1e-6, false)
    } else {
        (1e-9, false)
    }
}

fn run(extra: &[&str]) -> Value {
    let (d, i) = (
        fixture("expectations/data.csv"),
        fixture("expectations/instrument.toml"),
    );
    let mut args = vec!["expectations", d.as_str(), "--instrument", i.as_str()];
    args.extend_from_slice(extra);
    perval_json(&args)
}

#[test]
fn matches_the_reference() {
    let a = run(&[]);
    walk(
        "expectations",
        &a["expectations"],
        &fixture_json("expectations/expected.json")["expectations"],
        &tolerance,
    );
    let a = run(&["--by", "store"]);
    let e = fixture_json("expectations/expected_by_store.json");
    walk(
        "expectations",
        &a["expectations"],
        &e["expectations"],
        &tolerance,
    );
    let names: Vec<&String> = a["expectations"]["groups"]["groups"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        names,
        e["expectations"]["groups"]["groups"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>()
    );
    // Answers with the adequate level above the desired one are kept and counted.
    assert!(a["warnings"]
        .to_string()
        .contains("adequate level above the desired one"));
    // The stores are compared on MSA (Riverside best on quality, worst on price).
    let c = &a["expectations"]["groups"]["comparisons"]["price"]["msa"];
    assert!(c["welch"]["p"].as_f64().unwrap() < 0.05, "{c}");
}

#[test]
fn other_column_patterns_and_reverse_keyed_items() {
    // The same data with the patterns MIN_{item} / DES_{item} / PER_{item}, QUAL1 stored reversed on 1–9.
    let text = std::fs::read_to_string(fixture("expectations/data.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header: Vec<String> = lines[0]
        .split(',')
        .map(|h| match (h.strip_suffix("_MIN"), h.strip_suffix("_DES")) {
            (Some(i), _) => format!("MIN_{i}"),
            (_, Some(i)) => format!("DES_{i}"),
            _ if h.starts_with("QUAL")
                || h.starts_with("EMO")
                || h.starts_with("PRICE")
                || h.starts_with("SOC") =>
            {
                format!("PER_{h}")
            }
            _ => h.to_string(),
        })
        .collect();
    let qual1: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.ends_with("_QUAL1"))
        .map(|(k, _)| k)
        .collect();
    lines[0] = header.join(",");
    for l in lines.iter_mut().skip(1) {
        let mut cells: Vec<String> = l.split(',').map(String::from).collect();
        for &k in &qual1 {
            if let Ok(v) = cells[k].parse::<i32>() {
                cells[k] = (10 - v).to_string();
            }
        }
        *l = cells.join(",");
    }
    let inst = std::fs::read_to_string(fixture("expectations/instrument.toml"))
        .unwrap()
        .replace("\"{item}_MIN\"", "\"MIN_{item}\"")
        .replace("\"{item}_DES\"", "\"DES_{item}\"")
        .replace("perceived = \"{item}\"", "perceived = \"PER_{item}\"")
        + "\n[[items]]\nid = \"QUAL1\"\nreverse = true\n";
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "patterns.csv", lines.join("\n") + "\n");
    let toml = write(dir.path(), "patterns.toml", inst);
    let a = perval_json(&[
        "expectations",
        data.to_str().unwrap(),
        "--instrument",
        toml.to_str().unwrap(),
        "--by",
        "store",
    ]);
    let e = fixture_json("expectations/expected_by_store.json");
    walk(
        "expectations",
        &a["expectations"],
        &e["expectations"],
        &tolerance,
    );
}

#[test]
fn bad_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let json = out.join("r.json");
    let inst = fixture("expectations/instrument.toml");
    let text = std::fs::read_to_string(fixture("expectations/data.csv")).unwrap();
    // A missing desired column.
    let f = write(
        dir.path(),
        "missing.csv",
        text.replacen("EMO2_DES", "EMO2_WANT", 1),
    );
    assert_rejected(
        &[
            "expectations",
            f.to_str().unwrap(),
            "--instrument",
            &inst,
            "--json",
            json.to_str().unwrap(),
        ],
        &["EMO2_DES"],
        &out,
    );
    // An answer outside the 1–9 scale.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[2].split(',').map(String::from).collect();
    cells[2] = "12".into();
    lines[2] = cells.join(",");
    let f = write(dir.path(), "range.csv", lines.join("\n"));
    assert_rejected(
        &[
            "expectations",
            f.to_str().unwrap(),
            "--instrument",
            &inst,
            "--json",
            json.to_str().unwrap(),
        ],
        &["row 2", "QUAL1_MIN", "12"],
        &out,
    );
    // An instrument without [expectations].
    assert_rejected(
        &[
            "expectations",
            f.to_str().unwrap(),
            "--instrument",
            "perval-19",
            "--json",
            json.to_str().unwrap(),
        ],
        &["no [expectations] section"],
        &out,
    );
}

#[test]
fn analyze_adds_the_zone_of_tolerance_for_an_instrument_with_expectations() {
    let data = format!(
        "{}/data/perval-expectations.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let own = perval_json(&["expectations", &data, "--by", "store"]);
    let analyzed = perval_json(&["analyze", &data, "--by", "store"]);
    assert_eq!(analyzed["instrument"]["id"], "perval-expectations");
    // The Likert analysis is of the perceived answers; the zone of tolerance is the family's own.
    assert!(analyzed["dimensions"]["price"]["reliability"]["alpha"]
        .as_f64()
        .is_some());
    assert_eq!(analyzed["expectations"], own["expectations"]);
}
