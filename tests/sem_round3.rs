//! The structural-model extensions of `perval sem` against lavaan 0.6-14 on the perval-chain case
//! (tests/fixtures/perval-chain: `expected_round3.json`, written by `make_round3.R`; its README, "Third round",
//! says what was called for each key): observed covariates (fixed.x), a second-order factor over the
//! instrument's dimensions, latent means with score tests and partial invariance across stores, and bootstrap
//! intervals of standardized effects. Tolerances are the README's "Tolerances for the third-round runs".

mod common;
use serde_json::Value;

fn round3() -> Value {
    common::fixture_json("perval-chain/expected_round3.json")
}

/// Run the reference run `id` (its `args`, file names relative to the fixture folder) and return perval's
/// JSON and the expected run.
fn run(id: &str) -> (Value, Value) {
    let all = round3();
    let expected = all["runs"][id].clone();
    assert!(expected.is_object(), "no run {id}");
    let args: Vec<String> = expected["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_str().unwrap();
            if a.ends_with(".csv") || a.ends_with(".toml") || a.ends_with(".lav") {
                common::chain(a)
            } else {
                a.to_string()
            }
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    (common::perval_json(&args), expected)
}

/// |perval − lavaan| within the README's tolerance for the key at `path`.
fn compare(path: &str, actual: &Value, expected: &Value) {
    let key = path
        .rsplit('.')
        .next()
        .unwrap_or(path)
        .split('[')
        .next()
        .unwrap_or(path);
    let (Some(a), Some(e)) = (actual.as_f64(), expected.as_f64()) else {
        panic!("{path}: expected number {expected}, got {actual}")
    };
    let bound = match key {
        // χ²-like values: 1e-3 relative, at least 1e-4 absolute.
        "chisq"
        | "chisq_scaled"
        | "chisq_shift_parameter"
        | "chisq_diff"
        | "logl"
        | "aic"
        | "bic" => (1e-3 * e.abs()).max(1e-4),
        "p" | "pvalue" | "pvalue_scaled" => 1e-4,
        _ => 1e-4 * e.abs().max(1.0),
    };
    assert!(
        (a - e).abs() <= bound,
        "{path}: perval {a}, lavaan {e} (|diff| {:.3e} > {bound:.1e})",
        (a - e).abs()
    );
}

/// Every key of `expected` is in `actual` and agrees: numbers by [`compare`], integers (df, npar, n), strings
/// and booleans exactly.
fn walk(path: &str, actual: &Value, expected: &Value) {
    match expected {
        Value::Object(map) => {
            for (k, v) in map {
                let sub = format!("{path}.{k}");
                let a = actual
                    .get(k)
                    .unwrap_or_else(|| panic!("{sub}: missing in perval's output"));
                walk(&sub, a, v);
            }
        }
        Value::Array(items) => {
            let arr = actual
                .as_array()
                .unwrap_or_else(|| panic!("{path}: expected an array, got {actual}"));
            assert_eq!(arr.len(), items.len(), "{path}: length");
            for (i, v) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), &arr[i], v);
            }
        }
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            if actual.is_i64() || actual.is_u64() {
                assert_eq!(actual, expected, "{path}");
            } else {
                compare(path, actual, expected);
            }
        }
        Value::Number(_) => compare(path, actual, expected),
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

fn check(id: &str) -> Value {
    let (actual, expected) = run(id);
    let block = expected["block"].as_str().unwrap();
    walk(block, &actual[block], &expected[block]);
    actual
}

#[test]
fn second_order_value_factor_over_the_dimensions_matches_lavaan() {
    let a = check("sem_second_order");
    // value's marker is functional; its loadings are keyed by the first-order factors' names.
    assert!(a["sem"]["loadings"]["functional"]["se"].is_null());
    assert!(a["sem"]["loadings"]["emotional"]["se"].as_f64().unwrap() > 0.0);
}

#[test]
fn observed_covariates_are_fixed_x_as_lavaan() {
    let a = check("sem_covariates");
    let sem = &a["sem"];
    assert_eq!(
        sem["structure"]["covariates"],
        serde_json::json!(["member", "age"])
    );
    // The covariates' moments are reported as fixed (not parameters), and they are no factors.
    let age = sem["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["lhs"] == "age" && p["op"] == "~~" && p["rhs"] == "age")
        .expect("age ~~ age row");
    assert_eq!(age["free"], false);
    assert!(age["se"].is_null());
    assert!(sem["loadings_std"].get("age").is_none());
    assert!(sem["composite_reliability"].get("age").is_none());
}

#[test]
fn a_text_covariate_is_refused_with_the_recode_to_make() {
    let dir = tempfile::tempdir().unwrap();
    let data = std::fs::read_to_string(common::chain("data_covariates.csv")).unwrap();
    let mut lines = data.lines();
    let mut out = format!("{},gender\n", lines.next().unwrap());
    for (k, line) in lines.enumerate() {
        out += &format!("{line},{}\n", if k % 2 == 0 { "female" } else { "male" });
    }
    let file = common::write(dir.path(), "gender.csv", out);
    let model = common::write(
        dir.path(),
        "m.lav",
        "satisfaction ~ price + gender\nloyalty ~ satisfaction",
    );
    common::assert_rejected(
        &[
            "sem",
            file.to_str().unwrap(),
            "--instrument",
            &common::chain("instrument.toml"),
            "--model",
            model.to_str().unwrap(),
        ],
        &[
            "gender.csv",
            "row 1 (line 2), column 'gender'",
            "\"female\" is text",
            "recode it as a 0/1 column",
            "gender_male = 1 for \"male\" and 0 for \"female\"",
        ],
        dir.path(),
    );
}

#[test]
fn a_covariate_missing_from_the_file_names_the_model_line() {
    let dir = tempfile::tempdir().unwrap();
    let model = common::write(
        dir.path(),
        "m.lav",
        "satisfaction ~ price\nloyalty ~ satisfaction + agee\n",
    );
    common::assert_rejected(
        &[
            "sem",
            &common::chain("data_covariates.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--model",
            model.to_str().unwrap(),
        ],
        &[
            "m.lav",
            "line 2",
            "'agee'",
            "nor a column of",
            "did you mean 'age'",
        ],
        dir.path(),
    );
}

/// Monte Carlo (README, "Tolerances for the third-round runs"): se within 15%, ci95 bounds within 0.6 × the
/// expected bootstrap se, std_ci95 bounds within 0.6 × std_se, valid within 5% of the resamples.
#[test]
fn bootstrap_intervals_of_standardized_effects_agree_within_monte_carlo_error() {
    let (a, e) = run("sem_bootstrap_std");
    let (a, e) = (&a["sem"]["bootstrap"], &e["sem"]["bootstrap"]);
    assert_eq!(a["resamples"], e["resamples"]);
    assert_eq!(a["seed"], e["seed"]);
    let valid = a["valid"].as_f64().unwrap();
    assert!((valid - e["valid"].as_f64().unwrap()).abs() <= 0.05 * 1000.0);
    for block in ["regressions", "defined"] {
        for (key, x) in e[block].as_object().unwrap() {
            let y = &a[block][key];
            let at = |v: &Value, k: &str, i: usize| v[k][i].as_f64().unwrap();
            let se = x["se"].as_f64().unwrap();
            let ratio = y["se"].as_f64().unwrap() / se;
            assert!(
                (0.85..=1.15).contains(&ratio),
                "{block}.{key}.se ratio {ratio}"
            );
            let std_se = x["std_se"].as_f64().unwrap();
            for i in 0..2 {
                let d = (at(y, "ci95", i) - at(x, "ci95", i)).abs();
                assert!(
                    d <= 0.6 * se,
                    "{block}.{key}.ci95[{i}]: |diff| {d} > 0.6 se"
                );
                let d = (at(y, "std_ci95", i) - at(x, "std_ci95", i)).abs();
                assert!(
                    d <= 0.6 * std_se,
                    "{block}.{key}.std_ci95[{i}]: |diff| {d} > 0.6 std_se"
                );
            }
        }
    }
}

#[test]
fn latent_means_and_intercept_score_tests_across_stores_match_lavaan() {
    let a = check("sem_groups");
    let g = &a["sem"]["groups"];
    // The first store is the reference: its means are fixed at 0 and carry no test.
    assert!(g["latent_means"]["Harbour"]["price"]["se"].is_null());
    assert!(
        g["latent_means"]["Riverside"]["price"]["d"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn partial_invariance_frees_the_named_intercepts_as_lavaan() {
    let a = check("sem_groups_partial");
    let g = &a["sem"]["groups"];
    assert!(g["intercept_tests"].get("SAT2").is_none());
    assert_eq!(g["partial"], serde_json::json!(["SAT2"]));
}

#[test]
fn partial_names_an_item_of_the_model_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    common::assert_rejected(
        &[
            "sem",
            &common::chain("data.csv"),
            "--instrument",
            &common::chain("instrument.toml"),
            "--model",
            &common::chain("value-chain-groups.lav"),
            "--by",
            "store",
            "--partial",
            "SAT9",
        ],
        &[
            "--partial SAT9",
            "not an indicator of the model",
            "did you mean",
        ],
        dir.path(),
    );
}

/// `round3_extra.R` (lavaan 0.6-14): what `expected_round3.json` lacks.
fn extra(case: &str) -> (Value, Value) {
    let all = common::fixture_json("perval-chain/expected_round3_extra.json");
    let e = all[case].clone();
    let args: Vec<String> = e["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_str().unwrap();
            if a.contains('.') {
                common::chain(a)
            } else {
                a.to_string()
            }
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    (common::perval_json(&args), e)
}

#[test]
fn equality_constraints_match_lavaan() {
    let (a, e) = extra("constrained");
    walk("sem", &a["sem"], &e["sem"]);
    // `e == 0` fixes the path: no standard error, no test.
    let fixed = &a["sem"]["regressions"]["price -> loyalty"];
    assert_eq!(fixed["est"].as_f64(), Some(0.0));
    assert!(fixed["se"].is_null() && fixed["p"].is_null());
}

#[test]
fn comparing_full_with_partial_mediation_matches_lavtestlrt() {
    let (a, e) = extra("compare");
    let c = &a["sem"]["comparison"];
    walk("sem.comparison", c, &e["comparison"]);
    assert_eq!(
        c["restricted"].as_str().unwrap(),
        common::chain("value-chain-full-mediation.lav")
    );
}

/// Monte Carlo: perval draws its own numbers. A 2.5% quantile of 20,000 normal draws has a Monte Carlo SD of
/// about 0.02 SE, so the bounds agree within 0.1 × the delta-method SE (round3_extra.R says so).
#[test]
fn monte_carlo_intervals_of_defined_effects_agree_with_semtools() {
    let (a, e) = extra("monte_carlo");
    let mc = &a["sem"]["monte_carlo"];
    assert_eq!(mc["draws"], e["draws"]);
    for (name, x) in e["defined"].as_object().unwrap() {
        let se = x["se"].as_f64().unwrap();
        for i in 0..2 {
            let (p, r) = (
                mc["defined"][name][i].as_f64().unwrap(),
                x["mc_ci95"][i].as_f64().unwrap(),
            );
            assert!(
                (p - r).abs() <= 0.1 * se,
                "{name}[{i}]: perval {p}, semTools {r}"
            );
        }
    }
}

#[test]
fn monte_carlo_intervals_do_not_depend_on_the_number_of_threads() {
    let args = [
        "sem",
        &common::chain("data.csv"),
        "--instrument",
        &common::chain("instrument.toml"),
        "--model",
        &common::chain("value-chain.lav"),
        "--ci",
        "monte-carlo",
        "--seed",
        "7",
    ]
    .map(String::from);
    let run = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.json");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_perval"))
            .args(&args)
            .args(["--quiet", "--json", out.to_str().unwrap()])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success());
        let v: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        v["sem"]["monte_carlo"].clone()
    };
    assert_eq!(run("1"), run("2"));
}

/// lavaan's bca.simple on its seed-20011 bootstrap; perval's resamples differ: bounds within 0.6 × the
/// bootstrap SE (the README's bootstrap tolerance).
#[test]
fn bias_corrected_bootstrap_intervals_agree_with_lavaan_bca_simple() {
    let (a, e) = extra("bca");
    let b = &a["sem"]["bootstrap"];
    assert!(b["ci_method"]
        .as_str()
        .unwrap()
        .starts_with("bias-corrected"));
    for (key, x) in e["intervals"].as_object().unwrap() {
        let y = if key.contains("->") {
            &b["regressions"][key]
        } else {
            &b["defined"][key]
        };
        let se = x["se"].as_f64().unwrap();
        for i in 0..2 {
            let (p, r) = (
                y["ci95"][i].as_f64().unwrap(),
                x["ci95"][i].as_f64().unwrap(),
            );
            assert!(
                (p - r).abs() <= 0.6 * se,
                "{key}[{i}]: perval {p}, lavaan {r}"
            );
        }
    }
}

/// In a second-order model the first-order factors' intercepts stay at 0, so every latent mean reported is
/// identified (lavaan frees them too and warns that the model is not identified).
#[test]
fn second_order_latent_means_are_identified() {
    let a = common::perval_json(&[
        "sem",
        &common::chain("data.csv"),
        "--instrument",
        &common::chain("instrument.toml"),
        "--model",
        &common::chain("value-second-order.lav"),
        "--by",
        "store",
        "--group-label",
        "stores",
    ]);
    assert_eq!(a["sem"]["groups"]["label"], "stores");
    let means = &a["sem"]["groups"]["latent_means"]["Riverside"];
    assert!(means.get("functional").is_none());
    for f in ["value", "satisfaction", "loyalty"] {
        let se = means[f]["se"].as_f64().unwrap();
        assert!(se > 0.05 && se < 0.5, "{f}: se {se}");
    }
}

/// The bootstrap under FIML against lavaan's (missing = "ml", se = "bootstrap"): Monte Carlo, se within 15%,
/// bounds within 0.6 × se.
#[test]
fn fiml_bootstrap_agrees_with_lavaan_within_monte_carlo_error() {
    let (a, e) = extra("fiml_bootstrap");
    let b = &a["sem"]["bootstrap"];
    assert_eq!(a["sem"]["missing"], "fiml");
    assert!(b["valid"].as_u64().unwrap() >= 950);
    for block in ["regressions", "defined"] {
        for (key, x) in e[block].as_object().unwrap() {
            let y = &b[block][key];
            let se = x["se"].as_f64().unwrap();
            let ratio = y["se"].as_f64().unwrap() / se;
            assert!(
                (0.85..=1.15).contains(&ratio),
                "{block}.{key}.se ratio {ratio}"
            );
            for i in 0..2 {
                let (p, r) = (
                    y["ci95"][i].as_f64().unwrap(),
                    x["ci95"][i].as_f64().unwrap(),
                );
                assert!(
                    (p - r).abs() <= 0.6 * se,
                    "{block}.{key}[{i}]: perval {p}, lavaan {r}"
                );
            }
        }
    }
}
