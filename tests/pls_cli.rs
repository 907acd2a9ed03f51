//! `perval pls` as a user meets it, on the perval-chain reference case: the report folder and `analyze
//! --estimator pls`, models PLS cannot estimate, inadmissible solutions and failed resamples.

mod common;
use common::pls::*;
use common::tolerance::walk;
use serde_json::Value;

#[test]
fn models_pls_cannot_estimate_are_refused_with_the_line_and_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("data.csv");
    let inst = fixture("instrument.toml");
    for (text, says) in [
        (
            format!("{STRUCTURE}SAT1 ~~ SAT2\n"),
            "estimate no covariances",
        ),
        (
            "satisfaction ~ 0.5*price\nloyalty ~ satisfaction\n".to_string(),
            "estimates every path",
        ),
        (
            "satisfaction ~ price + loyalty\nloyalty ~ satisfaction\n".to_string(),
            "loop",
        ),
        (
            "satisfaction ~ prise\nloyalty ~ satisfaction\n".to_string(),
            "did you mean 'price'",
        ),
        (
            "price =~ PRICE1 + PRICE2\nsatisfaction =~ SAT1\n".to_string(),
            "no paths",
        ),
        (
            "satisfaction ~ a*price + a*functional\nloyalty ~ satisfaction\n".to_string(),
            "no equality constraints",
        ),
    ] {
        let m = model_file(&dir, &text);
        let o = perval(
            &[
                "pls",
                &data,
                "--instrument",
                &inst,
                "--model",
                &m,
                "--quiet",
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{text}: {err}");
        assert!(err.contains("fix"), "{err}");
        assert!(o.stdout.is_empty());
    }
    let o = perval(
        &[
            "pls",
            &data,
            "--instrument",
            &inst,
            "--model",
            "value-chain",
            "--missing",
            "fiml",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let o = perval(
        &[
            "pls",
            &data,
            "--instrument",
            &inst,
            "--model",
            "value-chain",
            "--target",
            "price",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("satisfaction, loyalty"));
}

#[test]
fn report_folder_and_analyze_estimator_pls() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let (data, inst, model) = (
        fixture("data.csv"),
        fixture("instrument.toml"),
        fixture("value-chain-short.lav"),
    );
    let o = perval(
        &[
            "pls",
            &data,
            "--instrument",
            &inst,
            "--model",
            &model,
            "--bootstrap",
            "300",
            "--by",
            "store",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "charts/pls-paths.png",
        "charts/pls-paths.svg",
        "charts/ipma.png",
        "charts/ipma-groups.png",
        "tables/table10_pls_structural.csv",
        "tables/table12_pls_ipma.tex",
        "report.html",
        "results.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // Labels from the instrument, the paragraph's verdicts, the Chinese paragraph with translated labels.
    assert!(md.contains("Customer satisfaction → Store loyalty"), "{md}");
    assert!(md.contains("had an indirect effect on store loyalty through customer satisfaction"));
    assert!(md.contains("discriminant validity holds by the .85 criterion"));
    assert!(md.contains("价格价值(物有所值)通过顾客满意对顾客忠诚的间接效应显著"));
    assert!(md.contains("PLS path model ("), "settings line");
    let svg = std::fs::read_to_string(out.join("charts/pls-paths.svg")).unwrap();
    assert!(svg.contains("R² = .44") && svg.contains(".50***"));
    // analyze --estimator pls: the same block as perval pls.
    let json = dir.path().join("a.json");
    let o = perval(
        &[
            "analyze",
            &data,
            "--instrument",
            &inst,
            "--model",
            "value-chain",
            "--estimator",
            "pls",
            "--quiet",
            "--json",
            json.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert!(a["cfa"].is_object() && a["sem"].is_null());
    let e = &expected("expected_pls.json")["pls"];
    walk("analyze.pls.paths", &a["pls"]["paths"], &e["paths"], &point);
    walk("analyze.pls.ipma", &a["pls"]["ipma"], &e["ipma"], &point);
}

/// A small file of two-item constructs X, M, Y (columns x1 x2 m1 m2 y1 y2), written for one test.
fn small_file(dir: &tempfile::TempDir, rows: &[[i32; 6]]) -> String {
    let mut text = String::from("x1,x2,m1,m2,y1,y2\n");
    for r in rows {
        text += &r
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(",");
        text.push('\n');
    }
    let path = dir.path().join("small.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn inadmissible_solutions_and_failed_resamples_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let model = model_file(
        &dir,
        "X =~ x1 + x2\nM =~ m1 + m2\nY =~ y1 + y2\nM ~ X\nY ~ M + X\n",
    );
    // x2 varies in one respondent only: many resamples leave it constant.
    let mut rows = Vec::new();
    for i in 0..30 {
        let a = 1 + (i * 7 % 5);
        let b = 1 + (i * 3 % 5);
        rows.push([
            a,
            if i == 4 { 5 } else { 3 },
            b,
            (a + b) / 2,
            (a + 2 * b) % 5 + 1,
            b,
        ]);
    }
    let data = small_file(&dir, &rows);
    let out = dir.path().join("o.json");
    let o = perval(
        &[
            "pls",
            &data,
            "--model",
            &model,
            "--bootstrap",
            "200",
            "--folds",
            "0",
            "--quiet",
            "--json",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let b = &v["pls"]["bootstrap"];
    let failed = b["failed"].as_u64().unwrap();
    assert!(failed > 0, "some resamples leave x2 constant");
    assert_eq!(
        b["failed_reasons"]["constant construct"].as_u64(),
        Some(failed)
    );
    assert_eq!(b["valid"].as_u64().unwrap() + failed, 200);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["finding"] == "bootstrap_failures"));
    // PLSc where x3 is x2 reversed and x1 unrelated to both (tests/fixtures/pls-negative-rho-a.csv): ρ_A of X
    // is negative, so its square root — PLSc's correction — does not exist; said with the fix, exit 2.
    let model = model_file(&dir, "X =~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X\n");
    let data = format!(
        "{}/tests/fixtures/pls-negative-rho-a.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = perval(
        &[
            "pls",
            &data,
            "--model",
            &model,
            "--consistent",
            "--folds",
            "0",
            "--quiet",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ρ_A of 'X'") && err.contains("reverse keying of x1, x2, x3"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    // Without --consistent the same data estimate (PLS needs no ρ_A), and ρ_A is reported as it is.
    let o = perval(
        &[
            "pls",
            &data,
            "--model",
            &model,
            "--folds",
            "0",
            "--quiet",
            "--json",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(v["pls"]["reliability"]["X"]["rho_a"].as_f64().unwrap() < 0.0);
}

#[test]
fn non_convergence_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.json");
    let (data, inst, model) = (
        fixture("data.csv"),
        fixture("instrument.toml"),
        fixture("value-chain.lav"),
    );
    let o = perval(
        &[
            "pls",
            &data,
            "--instrument",
            &inst,
            "--model",
            &model,
            "--max-iterations",
            "2",
            "--folds",
            "0",
            "--json",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("NOT CONVERGED after 2 iterations"), "{text}");
    assert!(text.contains("did not converge in 2 iterations"), "{text}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["pls"]["converged"], false);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["finding"] == "pls_not_converged"));
}
