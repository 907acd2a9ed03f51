//! Running `perval pls` on the perval-chain reference case (tests/pls.rs, tests/pls_cli.rs).
#![allow(dead_code)]

use serde_json::Value;
use std::process::Command;

pub fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/perval-chain/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn expected(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

pub fn perval(args: &[&str], threads: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_perval"));
    c.args(args);
    if let Some(t) = threads {
        c.env("RAYON_NUM_THREADS", t);
    }
    c.output().unwrap()
}

/// Run `perval pls` on the fixture with `args`; its JSON.
pub fn pls_json(model: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let data = fixture("data.csv");
    let inst = fixture("instrument.toml");
    let m = if model.ends_with(".lav") && !model.contains('/') {
        fixture(model)
    } else {
        model.to_string()
    };
    let mut all = vec![
        "pls",
        &data,
        "--instrument",
        &inst,
        "--model",
        &m,
        "--quiet",
        "--json",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = perval(&all, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

pub fn point(_: &str) -> (f64, bool) {
    (super::tolerance::PLS_ESTIMATE, false)
}

/// A model file written for one test.
pub fn model_file(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("model.lav");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

pub const STRUCTURE: &str =
    "satisfaction ~ functional + emotional + price + social\nloyalty ~ satisfaction + price\n";
