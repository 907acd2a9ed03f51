//! `perval sem` against lavaan on the perval-chain reference case (tests/fixtures/perval-chain: data,
//! instrument, models and lavaan's values, written by make.R with R 4.2.2 and lavaan 0.6-14), every key at the
//! tolerances of its README (tests/common/tolerance.rs); the bootstrap keys within Monte Carlo error.

mod common;
use common::tolerance::{close, walk, SEM_ESTIMATE, SEM_FIT_INDEX, SEM_LIKELIHOOD};
use serde_json::Value;
use std::process::Command;

fn expected(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(common::chain(name)).unwrap()).unwrap()
}

/// Run `perval sem` with `args` and return its JSON.
fn sem(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let o = Command::new(env!("CARGO_BIN_EXE_perval"))
        .args([
            "sem",
            &common::chain("data.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--quiet",
            "--json",
            out.to_str().unwrap(),
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// The tolerance of a key of the "sem" block (README of perval-chain, "Tolerances").
fn sem_tolerance(path: &str) -> (f64, bool) {
    let key = path.rsplit('.').next().unwrap_or(path);
    if path.contains(".fit.") {
        match key {
            "chisq" | "logl" | "aic" | "bic" | "baseline_chisq" | "unrestricted_logl" => {
                (SEM_LIKELIHOOD, false)
            }
            "pvalue" => (SEM_ESTIMATE, true),
            _ => (SEM_FIT_INDEX, false),
        }
    } else if key == "p" {
        (SEM_ESTIMATE, true)
    } else {
        (SEM_ESTIMATE, false)
    }
}

fn check_point_estimates(actual: &Value, e: &Value) {
    for key in ["n", "estimator", "missing", "converged", "information"] {
        assert_eq!(actual[key], e[key], "sem.{key}");
    }
    let mut fit = e["fit"].clone();
    // srmr_nomean equals srmr without a mean structure; perval writes srmr.
    fit.as_object_mut().unwrap().remove("srmr_nomean");
    walk("sem.fit", &actual["fit"], &fit, &sem_tolerance);
    for key in ["regressions", "loadings_std", "r2"] {
        walk(&format!("sem.{key}"), &actual[key], &e[key], &sem_tolerance);
    }
    for (name, d) in e["defined"].as_object().unwrap() {
        let a = &actual["defined"][name];
        assert_eq!(a["formula"], d["formula"], "defined.{name}.formula");
        let mut numbers = d.clone();
        numbers.as_object_mut().unwrap().remove("formula");
        walk(&format!("sem.defined.{name}"), a, &numbers, &sem_tolerance);
    }
}

#[test]
fn value_chain_matches_lavaan() {
    let e = expected("expected_sem.json");
    let a = sem(&["--model", &common::chain("value-chain.lav")]);
    for key in ["rows_read", "rows_used", "rows_dropped", "missing_policy"] {
        assert_eq!(a["input"][key], e["input"][key], "input.{key}");
    }
    check_point_estimates(&a["sem"], &e["sem"]);
}

#[test]
fn the_short_model_takes_its_measurement_from_the_instrument() {
    let e = expected("expected_sem.json");
    let a = sem(&["--model", &common::chain("value-chain-short.lav")]);
    check_point_estimates(&a["sem"], &e["sem"]);
}

/// The bootstrap draws its own resamples: standard errors within 15% of lavaan's, interval bounds within half
/// a bootstrap standard error (perval-chain README, "Bootstrap keys").
#[test]
fn bootstrap_intervals_agree_within_monte_carlo_error() {
    let e = &expected("expected_sem.json")["sem"]["bootstrap"];
    let a = &sem(&[
        "--model",
        &common::chain("value-chain.lav"),
        "--bootstrap",
        "1000",
        "--seed",
        "20011",
    ])["sem"]["bootstrap"];
    assert_eq!(a["resamples"], 1000);
    assert_eq!(a["seed"], 20011);
    assert!(a["valid"].as_u64().unwrap() >= 990);
    for block in ["regressions", "defined"] {
        for (key, x) in e[block].as_object().unwrap() {
            let y = &a[block][key];
            let (se_r, se_p) = (x["se"].as_f64().unwrap(), y["se"].as_f64().unwrap());
            assert!(
                (se_p - se_r).abs() <= 0.15 * se_r,
                "{block}.{key}.se: perval {se_p}, lavaan {se_r}"
            );
            for k in 0..2 {
                let (r, p) = (
                    x["ci95"][k].as_f64().unwrap(),
                    y["ci95"][k].as_f64().unwrap(),
                );
                assert!(
                    (p - r).abs() <= 0.5 * se_r,
                    "{block}.{key}.ci95[{k}]: perval {p}, lavaan {r}"
                );
            }
        }
    }
    // The same seed gives the same intervals.
    let again = &sem(&[
        "--model",
        &common::chain("value-chain.lav"),
        "--bootstrap",
        "1000",
        "--seed",
        "20011",
    ])["sem"]["bootstrap"];
    assert_eq!(a, again);
}

#[test]
fn built_in_value_chain_model_runs_on_the_built_in_instrument() {
    let a = sem(&["--model", "value-chain"]);
    let s = &a["sem"];
    // Five indirect effects and the total effect of price value, through labels a1..a4, b and c.
    for name in [
        "ind_functional",
        "ind_emotional",
        "ind_price",
        "ind_social",
        "total_price",
    ] {
        assert!(s["defined"][name]["est"].is_f64(), "{name}");
    }
    let e = expected("expected_sem.json");
    close(
        "defined.ind_price.est",
        &s["defined"]["ind_price"]["est"],
        &e["sem"]["defined"]["ind_price"]["est"],
        SEM_ESTIMATE,
        false,
    );
}

#[test]
fn model_errors_name_the_line_and_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("bad.lav");
    std::fs::write(
        &model,
        "# value chain\nsatisfaction ~ functional + emotinal\nloyalty ~ satisfaction\n",
    )
    .unwrap();
    let out = dir.path().join("out.json");
    let o = Command::new(env!("CARGO_BIN_EXE_perval"))
        .args([
            "sem",
            &common::chain("data.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--model",
            model.to_str().unwrap(),
            "--json",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.lav: line 2") && err.contains("did you mean 'emotional'"),
        "{err}"
    );
    assert!(!out.exists(), "no output for a rejected model");
}

/// Paths across stores: configural, metric and equal-paths models, their χ² difference tests, each path
/// alone, per-store paths and R² (lavaan multi-group `sem(group = "store", group.equal = …)`).
#[test]
fn store_comparison_matches_lavaan() {
    let e = &expected("expected_groups_sem.json")["groups_sem"];
    let tight = expected("chisq_by_group.json");
    let a = sem(&[
        "--model",
        &common::chain("value-chain-groups.lav"),
        "--by",
        "store",
    ]);
    let g = &a["sem"]["groups"];
    assert_eq!(g["by"], e["by"]);
    assert_eq!(g["groups"], e["groups"]);
    assert_eq!(g["n"], e["n"]);
    for (ours, theirs) in [
        ("configural", "configural"),
        ("metric", "metric"),
        ("equal_paths", "metric_equal_paths"),
    ] {
        let em = &e["models"][theirs];
        assert_eq!(g["models"][ours]["converged"], em["converged"]);
        let mut fit = em["fit"].clone();
        fit.as_object_mut().unwrap().remove("srmr_nomean");
        walk(
            &format!("groups.models.{ours}.fit"),
            &g["models"][ours]["fit"],
            &fit,
            &sem_tolerance,
        );
        // Each store's share of χ², against lavaan refitted to a tight optimum (chisq_by_group.R): the
        // default stop of expected_groups_sem.json leaves the shares ~3e-4 from it while the total agrees.
        walk(
            &format!("groups.models.{ours}.chisq_by_group"),
            &g["models"][ours]["chisq_by_group"],
            &tight[ours],
            &|_: &str| (SEM_LIKELIHOOD, false),
        );
    }
    let diff = |p: &str| {
        if p.ends_with(".p") {
            (SEM_ESTIMATE, true)
        } else {
            (SEM_LIKELIHOOD, false)
        }
    };
    walk("groups.tests", &g["tests"], &e["tests"], &diff);
    walk(
        "groups.path_tests",
        &g["path_tests"],
        &e["path_tests"],
        &diff,
    );
    walk(
        "groups.regressions",
        &g["regressions"],
        &e["regressions"],
        &sem_tolerance,
    );
    walk("groups.r2", &g["r2"], &e["r2"], &sem_tolerance);
}

/// Every feature of the syntax against lavaan (features.lav, features.R → expected_features.json): labels
/// holding loadings and paths equal, a fixed loading, a fixed residual variance, a fixed factor covariance, a
/// residual covariance, statements across and within lines, defined parameters of defined parameters.
#[test]
fn syntax_features_match_lavaan() {
    let e = expected("expected_features.json");
    let a = sem(&["--model", &common::chain("features.lav")]);
    let s = &a["sem"];
    assert_eq!(s["n"], e["n"]);
    let mut fit = e["fit"].clone();
    fit.as_object_mut().unwrap().remove("pvalue");
    walk("sem.fit", &s["fit"], &fit, &sem_tolerance);
    walk("sem.r2", &s["r2"], &e["r2"], &sem_tolerance);
    let rows = s["parameters"].as_array().unwrap();
    let mut compared = 0;
    for r in e["parameters"].as_array().unwrap() {
        let (lhs, op, rhs) = (
            r["lhs"].as_str().unwrap(),
            r["op"].as_str().unwrap(),
            r["rhs"].as_str().unwrap(),
        );
        if op == ":=" {
            let d = &s["defined"][lhs];
            for key in ["est", "se", "std_all"] {
                close(
                    &format!("defined.{lhs}.{key}"),
                    &d[key],
                    &r[key],
                    SEM_ESTIMATE,
                    false,
                );
            }
            compared += 1;
            continue;
        }
        let ours = rows
            .iter()
            .find(|x| {
                x["op"] == op
                    && ((x["lhs"] == lhs && x["rhs"] == rhs)
                        || (op == "~~" && x["lhs"] == rhs && x["rhs"] == lhs))
            })
            .unwrap_or_else(|| panic!("{lhs} {op} {rhs} missing from perval's parameter table"));
        let path = format!("{lhs} {op} {rhs}");
        close(
            &format!("{path} est"),
            &ours["est"],
            &r["est"],
            SEM_ESTIMATE,
            false,
        );
        close(
            &format!("{path} std_all"),
            &ours["std_all"],
            &r["std_all"],
            SEM_ESTIMATE,
            false,
        );
        if r["se"].as_f64().unwrap() > 0.0 {
            close(
                &format!("{path} se"),
                &ours["se"],
                &r["se"],
                SEM_ESTIMATE,
                false,
            );
        } else {
            assert!(ours["se"].is_null(), "{path} is fixed");
        }
        compared += 1;
    }
    assert_eq!(compared, e["parameters"].as_array().unwrap().len());
    assert_eq!(rows.len() + 3, compared, "the same parameters, no more");
}

/// `analyze --model` adds the structural sections: the sem block, the diagram, the table and the paragraph.
#[test]
fn analyze_with_a_model_adds_the_structural_sections() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_perval"))
        .args([
            "analyze",
            &common::chain("data.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--model",
            "value-chain",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let e = expected("expected_sem.json");
    close(
        "sem.regressions.price -> satisfaction.est",
        &results["sem"]["regressions"]["price -> satisfaction"]["est"],
        &e["sem"]["regressions"]["price -> satisfaction"]["est"],
        SEM_ESTIMATE,
        false,
    );
    assert!(results["cfa"].is_object() && results["dimensions"].is_object());
    assert!(out.join("charts/structural.png").exists());
    let table = std::fs::read_to_string(out.join("tables/table7_structural.csv")).unwrap();
    assert!(
        table.contains("Customer satisfaction → Store loyalty"),
        "{table}"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("Functional value (price/value for money) had an indirect effect on store loyalty through customer satisfaction, b = 0.17, 95% CI [0.10, 0.24]."),
        "{md}"
    );
    assert!(md.contains("通过顾客满意") || md.contains("通过Customer satisfaction"));
}

/// Modification indices of the value chain against lavaan's modindices() (modindices.R): perval's ten largest
/// are lavaan's ten largest, with the same MI and EPC.
#[test]
fn modification_indices_match_lavaan() {
    let e = expected("expected_modindices.json");
    let theirs = e["modification_indices"].as_array().unwrap();
    let a = sem(&["--model", &common::chain("value-chain.lav")]);
    let ours = a["sem"]["modification_indices"].as_array().unwrap();
    assert_eq!(ours.len(), 10);
    for (k, m) in ours.iter().enumerate() {
        let (lhs, op, rhs) = (&m["lhs"], &m["op"], &m["rhs"]);
        let t = &theirs[k];
        let same = t["op"] == *op
            && ((t["lhs"] == *lhs && t["rhs"] == *rhs)
                || (op == "~~" && t["lhs"] == *rhs && t["rhs"] == *lhs));
        assert!(same, "row {k}: perval {lhs} {op} {rhs}, lavaan {t}");
        close(
            &format!("mi[{k}].mi"),
            &m["mi"],
            &t["mi"],
            SEM_ESTIMATE,
            false,
        );
        close(
            &format!("mi[{k}].epc"),
            &m["epc"],
            &t["epc"],
            SEM_ESTIMATE,
            false,
        );
    }
}

/// Full-information ML on all 600 respondents (expected_fiml.json: lavaan `sem(..., missing = "ml")` and
/// `cfa(..., missing = "ml")`, standard errors from the observed information).
#[test]
fn fiml_matches_lavaan() {
    let e = expected("expected_fiml.json");
    let a = sem(&[
        "--model",
        &common::chain("value-chain.lav"),
        "--missing",
        "fiml",
    ]);
    let s = &a["sem"];
    let es = &e["sem"];
    assert_eq!(s["n"], es["n"]);
    assert_eq!(s["missing"], "fiml");
    assert_eq!(s["information"], es["information"]);
    let mut fit = es["fit"].clone();
    fit.as_object_mut().unwrap().remove("srmr_nomean");
    walk("sem.fit", &s["fit"], &fit, &sem_tolerance);
    for key in ["regressions", "loadings_std", "r2"] {
        walk(&format!("sem.{key}"), &s[key], &es[key], &sem_tolerance);
    }
    for (name, d) in es["defined"].as_object().unwrap() {
        let mut numbers = d.clone();
        numbers.as_object_mut().unwrap().remove("formula");
        walk(
            &format!("sem.defined.{name}"),
            &s["defined"][name],
            &numbers,
            &sem_tolerance,
        );
    }

    // The CFA of the six dimensions by FIML.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cfa.json");
    let o = Command::new(env!("CARGO_BIN_EXE_perval"))
        .args([
            "cfa",
            &common::chain("data.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--missing",
            "fiml",
            "--quiet",
            "--json",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let (c, ec) = (&c["cfa"], &e["cfa"]);
    assert_eq!(c["n"], ec["n"]);
    assert_eq!(c["information"], ec["information"]);
    let mut fit = ec["fit"].clone();
    fit.as_object_mut().unwrap().remove("srmr_nomean");
    fit.as_object_mut().unwrap().remove("unrestricted_logl");
    fit.as_object_mut().unwrap().remove("logl");
    walk("cfa.fit", &c["fit"], &fit, &sem_tolerance);
    for key in [
        "loadings_std",
        "composite_reliability",
        "ave",
        "htmt",
        "factor_correlations",
    ] {
        walk(&format!("cfa.{key}"), &c[key], &ec[key], &sem_tolerance);
    }
    assert_eq!(c["missing_data"]["respondents"], 600);
}

/// FIML on a harder missingness pattern of our own (fiml_hard.R: a planned-missing block, loyalty items
/// missing at random by satisfaction, 2% blanks; 187 patterns), against lavaan's `sem(..., missing = "ml")`.
#[test]
fn fiml_with_planned_and_mar_missingness_matches_lavaan() {
    let e = expected("expected_fiml_hard.json");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let o = Command::new(env!("CARGO_BIN_EXE_perval"))
        .args([
            "sem",
            &common::chain("fiml_hard.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--model",
            &common::chain("value-chain.lav"),
            "--missing",
            "fiml",
            "--quiet",
            "--json",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let s = &a["sem"];
    assert_eq!(s["n"], e["n"]);
    assert_eq!(s["missing_data"]["patterns"], e["patterns"]);
    close(
        "missing_data.min_coverage",
        &s["missing_data"]["min_coverage"],
        &e["coverage_min"],
        1e-12,
        false,
    );
    walk("sem.fit", &s["fit"], &e["fit"], &sem_tolerance);
    walk(
        "sem.regressions",
        &s["regressions"],
        &e["regressions"],
        &sem_tolerance,
    );
    walk("sem.r2", &s["r2"], &e["r2"], &sem_tolerance);
    walk("sem.defined", &s["defined"], &e["defined"], &sem_tolerance);
}

/// FIML at scale: a million simulated respondents with 1% of answers missing, grouped into patterns; the fit
/// converges, every respondent is used, and the loadings agree with the complete rows' to two decimals.
#[test]
fn fiml_reads_a_million_respondents_by_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("million.csv");
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_perval"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&[
        "simulate",
        "--n",
        "1000000",
        "--seed",
        "7",
        "--missing-rate",
        "0.01",
        "-o",
        data.to_str().unwrap(),
    ]);
    let json = |missing: &str| -> Value {
        let out = dir.path().join(format!("{missing}.json"));
        run(&[
            "cfa",
            data.to_str().unwrap(),
            "--missing",
            missing,
            "--quiet",
            "--json",
            out.to_str().unwrap(),
        ]);
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    };
    let fiml = json("fiml");
    let listwise = json("listwise");
    let c = &fiml["cfa"];
    assert_eq!(c["converged"], true);
    assert_eq!(c["n"], 1_000_000);
    let m = &c["missing_data"];
    assert!(m["patterns"].as_u64().unwrap() > 100, "{m}");
    assert!(
        (m["missing_share"].as_f64().unwrap() - 0.01).abs() < 0.001,
        "{m}"
    );
    for (item, l) in c["loadings_std"].as_object().unwrap() {
        let lw = listwise["cfa"]["loadings_std"][item].as_f64().unwrap();
        assert!((l.as_f64().unwrap() - lw).abs() < 0.01, "{item}");
    }
}

/// A defined parameter whose standard error is zero or not finite (a constant, a division by zero) has no
/// test: z, p and the interval are null in the JSON and "—" on the terminal, never p = 0 or "< .001".
#[test]
fn a_defined_parameter_without_a_standard_error_claims_no_significance() {
    let dir = tempfile::tempdir().unwrap();
    let model = common::write(
        dir.path(),
        "m.lav",
        "satisfaction ~ a1*functional + a2*emotional + a3*price + a4*social\nloyalty ~ b*satisfaction + c*price\nind := a1*b\nflat := 2 + 3\nnothing := a1/0\n",
    );
    let data = common::chain("data.csv");
    let args = [
        "sem",
        data.as_str(),
        "--instrument",
        "perval-chain",
        "--model",
        model.to_str().unwrap(),
    ];
    let r = common::perval_json(&args);
    let d = &r["sem"]["defined"];
    assert!(d["ind"]["p"].as_f64().unwrap() < 0.001);
    for name in ["flat", "nothing"] {
        assert!(
            d[name]["p"].is_null() && d[name]["z"].is_null(),
            "{name}: {}",
            d[name]
        );
        assert!(d[name]["ci95"][0].is_null(), "{name}: {}", d[name]);
    }
    let text = common::stdout(&common::perval(&args));
    let line = text.lines().find(|l| l.contains("nothing")).unwrap();
    assert!(
        !line.contains("< .001") && !line.contains("inf") && !line.contains("NaN"),
        "{line}"
    );
}

/// Every file that was read is protected, and every output is checked before any is written.
#[test]
fn no_output_replaces_the_model_the_instrument_or_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let model = common::write(
        dir.path(),
        "m.lav",
        "satisfaction ~ functional + price\nloyalty ~ satisfaction\n",
    );
    let inst = common::write(
        dir.path(),
        "chain.toml",
        common::perval(&["instruments", "show", "perval-chain"]).stdout,
    );
    let data = common::write(
        dir.path(),
        "data.csv",
        std::fs::read(common::chain("data.csv")).unwrap(),
    );
    let (m, i, d) = (
        model.to_str().unwrap(),
        inst.to_str().unwrap(),
        data.to_str().unwrap(),
    );
    let before: Vec<Vec<u8>> = [&model, &inst, &data]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let out = dir.path().join("report");
    for target in [m, i, d] {
        for command in ["sem", "pls"] {
            let o = common::perval(&[
                command,
                d,
                "--instrument",
                i,
                "--model",
                m,
                "--json",
                target,
                "--out",
                out.to_str().unwrap(),
            ]);
            assert_eq!(
                o.status.code(),
                Some(2),
                "{command} --json {target}: {}",
                common::stderr(&o)
            );
            assert!(
                !out.exists(),
                "{command}: the report folder was written before the JSON was refused"
            );
        }
        let o = common::perval(&[
            "analyze",
            d,
            "--instrument",
            i,
            "--model",
            m,
            "--json",
            target,
        ]);
        assert_eq!(o.status.code(), Some(2), "analyze --json {target}");
    }
    let after: Vec<Vec<u8>> = [&model, &inst, &data]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after);
    let o = common::perval(&["models", "show", "value-chian"]);
    assert!(
        common::stderr(&o).contains("did you mean 'value-chain'?"),
        "{}",
        common::stderr(&o)
    );
}
