//! Helpers the integration tests share: running the binary, the fixtures, reading a JSON result.

// Each test crate uses the parts it needs.
#![allow(dead_code)]

pub mod pls;
pub mod tolerance;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run the `perval` binary with `args`.
pub fn perval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perval"))
        .args(args)
        .output()
        .expect("run perval")
}

/// Run `perval` with `args` and a `--json` file in a temporary folder; the parsed results (the run must succeed).
pub fn perval_json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--json", out.to_str().unwrap(), "--quiet"]);
    let o = perval(&all);
    assert!(o.status.success(), "perval {args:?} failed: {}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// A file in tests/fixtures.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A file of the structural reference case, tests/fixtures/perval-chain.
pub fn chain(name: &str) -> String {
    fixture(&format!("perval-chain/{name}"))
}

/// A fixture's JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Write `contents` to `dir/name`.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// Assert a rejected run: exit 2, every fragment in the message, and nothing in `dir` afterwards but what
/// was there before.
pub fn assert_rejected(args: &[&str], fragments: &[&str], dir: &Path) {
    let before: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let o = perval(args);
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "exit status for {args:?}: {msg}");
    for f in fragments {
        assert!(msg.contains(f), "message lacks '{f}': {msg}");
    }
    assert!(!msg.contains("panicked"), "{msg}");
    let after: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(
        before.len(),
        after.len(),
        "files written for a rejected input: {after:?}"
    );
}
