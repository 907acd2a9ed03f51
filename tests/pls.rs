//! `perval pls` against seminr 2.3.4 and cSEM 0.6.1 on the perval-chain reference case
//! (tests/fixtures/perval-chain): expected_pls.json (make.R: PLS, PLSc, bootstrap, IPMA) and
//! expected_pls_extra.json (pls_extra.R: SRMR, cross-loadings, outer VIF, mode B, factor and centroid
//! weighting, a single-item construct, PLSpredict with fixed folds, BCa, IPMA per store). Point estimates
//! at [`PLS_ESTIMATE`]; bootstrap keys within Monte Carlo error as the fixture's README says.

mod common;
use common::pls::*;
use common::tolerance::{close, walk, PLS_ESTIMATE};
use nalgebra::DMatrix;
use perval::input::LoadOptions;
use perval::stats::pls::{self, bootstrap, predict, Settings};
use serde_json::Value;

#[test]
fn pls_matches_seminr_and_csem() {
    let e = &expected("expected_pls.json")["pls"];
    for model in ["value-chain.lav", "value-chain-short.lav"] {
        let a = pls_json(model, &["--folds", "0"]);
        assert_eq!(a["input"]["rows_used"], 465);
        let p = &a["pls"];
        assert_eq!(p["algorithm"], "PLS");
        assert_eq!(p["weighting"], "path");
        assert_eq!(p["n"], e["n"]);
        assert!(p["iterations"] == e["iterations"] || p["iterations"] == e["weight_updates"]);
        for key in [
            "outer_weights",
            "outer_loadings",
            "paths",
            "r2",
            "r2_adj",
            "f2",
            "effects",
            "reliability",
            "vif",
            "defined",
            "ipma",
        ] {
            walk(&format!("pls.{key}"), &p[key], &e[key], &point);
        }
        // HTMT pairs in either order.
        for (a_name, row) in e["htmt"].as_object().unwrap() {
            for (b_name, v) in row.as_object().unwrap() {
                let got = p["htmt"][a_name]
                    .get(b_name)
                    .or_else(|| p["htmt"][b_name].get(a_name))
                    .unwrap();
                close(
                    &format!("htmt.{a_name}.{b_name}"),
                    got,
                    v,
                    PLS_ESTIMATE,
                    false,
                );
            }
        }
        // Exactly the pairs R lists for the effects.
        for kind in ["total", "indirect"] {
            let keys = |v: &Value| {
                v["effects"][kind]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect::<std::collections::BTreeSet<_>>()
            };
            assert_eq!(keys(p), keys(e), "effects.{kind}");
        }
    }
}

#[test]
fn plsc_matches_seminr() {
    let e = &expected("expected_pls.json")["pls_consistent"];
    let a = pls_json("value-chain.lav", &["--consistent", "--folds", "0"]);
    let p = &a["pls"];
    assert_eq!(p["algorithm"], "PLSc");
    for key in [
        "outer_weights",
        "outer_loadings",
        "paths",
        "r2",
        "r2_adj",
        "effects",
    ] {
        walk(&format!("pls_consistent.{key}"), &p[key], &e[key], &point);
    }
    for (c, v) in e["rho_a"].as_object().unwrap() {
        close(
            &format!("rho_a.{c}"),
            &p["reliability"][c]["rho_a"],
            v,
            PLS_ESTIMATE,
            false,
        );
    }
}

#[test]
fn srmr_cross_loadings_and_outer_vif_match_csem_and_seminr() {
    let e = expected("expected_pls_extra.json");
    let a = pls_json("value-chain.lav", &["--folds", "0"]);
    let p = &a["pls"];
    close(
        "srmr.pls",
        &p["srmr"],
        &e["srmr"]["pls"],
        PLS_ESTIMATE,
        false,
    );
    walk(
        "cross_loadings",
        &p["cross_loadings"],
        &e["cross_loadings"],
        &point,
    );
    walk("outer_vif", &p["outer_vif"], &e["outer_vif"], &point);
    for (x, row) in e["construct_correlations"].as_object().unwrap() {
        for (y, v) in row.as_object().unwrap() {
            if let Some(got) = p["construct_correlations"][x]
                .get(y)
                .or_else(|| p["construct_correlations"][y].get(x))
            {
                close(
                    &format!("construct_correlations.{x}.{y}"),
                    got,
                    v,
                    PLS_ESTIMATE,
                    false,
                );
            } else {
                assert_eq!(x, y, "construct_correlations.{x}.{y} missing");
            }
        }
    }
    let c = pls_json("value-chain.lav", &["--consistent", "--folds", "0"]);
    close(
        "srmr.plsc",
        &c["pls"]["srmr"],
        &e["srmr"]["plsc"],
        PLS_ESTIMATE,
        false,
    );
}

#[test]
fn mode_b_factor_and_centroid_weighting_and_single_items_match_r() {
    let e = expected("expected_pls_extra.json");
    let dir = tempfile::tempdir().unwrap();
    // price as a composite (<~, mode B); the other constructs from the instrument's dimensions.
    let m = model_file(
        &dir,
        &format!("price <~ PRICE1 + PRICE2 + PRICE3 + PRICE4\n{STRUCTURE}"),
    );
    let p = &pls_json(&m, &["--folds", "0"])["pls"];
    assert_eq!(p["constructs"]["price"]["mode"], "B");
    for key in ["outer_weights", "outer_loadings", "paths", "r2"] {
        walk(
            &format!("price_mode_b.{key}"),
            &p[key],
            &e["price_mode_b"][key],
            &point,
        );
    }
    close(
        "srmr.pls_price_mode_b",
        &p["srmr"],
        &e["srmr"]["pls_price_mode_b"],
        PLS_ESTIMATE,
        false,
    );
    let f = &pls_json(
        "value-chain.lav",
        &["--folds", "0", "--weighting", "factor"],
    )["pls"];
    assert_eq!(f["weighting"], "factor");
    for key in ["outer_weights", "outer_loadings", "paths", "r2"] {
        walk(
            &format!("factor_weighting.{key}"),
            &f[key],
            &e["factor_weighting"][key],
            &point,
        );
    }
    let c = &pls_json(
        "value-chain.lav",
        &["--folds", "0", "--weighting", "centroid"],
    )["pls"];
    for key in ["outer_weights", "paths"] {
        walk(
            &format!("centroid_weighting.{key}"),
            &c[key],
            &e["centroid_weighting"][key],
            &point,
        );
    }
    // loyalty measured by LOY1 alone: the item named in the regression is a single-indicator construct.
    let m = model_file(
        &dir,
        "satisfaction ~ functional + emotional + price + social\nLOY1 ~ satisfaction + price\n",
    );
    let s = &pls_json(&m, &["--folds", "0"])["pls"];
    assert_eq!(
        s["constructs"]["LOY1"]["indicators"],
        serde_json::json!(["LOY1"])
    );
    // Listwise on the model's own 23 items: more respondents than the 25-item models.
    assert_eq!(s["n"], e["single_item"]["n"]);
    for key in ["outer_weights", "outer_loadings", "r2"] {
        walk(
            &format!("single_item.{key}"),
            &s[key],
            &e["single_item"][key],
            &point,
        );
    }
    for (k, v) in e["single_item"]["paths"].as_object().unwrap() {
        let k = k.replace("loyalty", "LOY1");
        close(
            &format!("single_item.paths.{k}"),
            &s["paths"][&k],
            v,
            PLS_ESTIMATE,
            false,
        );
    }
    assert_eq!(s["reliability"]["LOY1"]["rho_a"], 1.0);
}

/// The reversed items of the model's complete rows, in the model's indicator order, and the model.
fn chain_data() -> (DMatrix<f64>, perval::model::pls::PlsModel) {
    let mut o = LoadOptions::new(fixture("data.csv"), None);
    o.instrument = Some(fixture("instrument.toml"));
    let text = std::fs::read_to_string(fixture("value-chain.lav")).unwrap();
    let (model, loaded) = perval::model::load_pls(&o, &text, "value-chain.lav").unwrap();
    let items = &loaded.scored.items;
    let p = model.observed.len();
    let rows: Vec<usize> = (0..loaded.scored.rows.len())
        .filter(|&r| (0..p).all(|j| !items.is_missing(r, j)))
        .collect();
    let x = DMatrix::from_fn(rows.len(), p, |i, j| items.value(rows[i], j));
    (x, model)
}

#[test]
fn plspredict_matches_seminr_predictions_and_lm_benchmark() {
    let e = expected("expected_pls_extra.json");
    let (x, model) = chain_data();
    let folds: Vec<usize> = e["predict"]["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize - 1)
        .collect();
    assert_eq!(folds.len(), x.nrows());
    for (approach, key) in [
        (predict::Approach::Earliest, "earliest"),
        (predict::Approach::Direct, "direct"),
    ] {
        let rows = predict::cross_validate(
            &x,
            &model.spec,
            &Settings::default(),
            approach,
            std::slice::from_ref(&folds),
        )
        .unwrap();
        assert_eq!(rows.len(), 6);
        for r in &rows {
            let item = &model.observed[r.indicator];
            let want = &e["predict"][key][item];
            close(
                &format!("{key}.{item}.rmse"),
                &r.pls.rmse.into(),
                &want["rmse"],
                PLS_ESTIMATE,
                false,
            );
            close(
                &format!("{key}.{item}.mae"),
                &r.pls.mae.into(),
                &want["mae"],
                PLS_ESTIMATE,
                false,
            );
            close(
                &format!("{key}.{item}.q2"),
                &r.q2_predict.into(),
                &want["q2_predict"],
                PLS_ESTIMATE,
                false,
            );
            let lm = &e["predict"]["lm"][item];
            close(
                &format!("lm.{item}.rmse"),
                &r.lm.rmse.into(),
                &lm["rmse"],
                PLS_ESTIMATE,
                false,
            );
            close(
                &format!("lm.{item}.mae"),
                &r.lm.mae.into(),
                &lm["mae"],
                PLS_ESTIMATE,
                false,
            );
        }
    }
}

#[test]
fn jackknife_and_bca_match_r() {
    let e = &expected("expected_pls_extra.json")["bca"];
    let (x, model) = chain_data();
    let (from, to) = (0, 4); // functional -> satisfaction
    assert_eq!(model.path_names()[0], "functional -> satisfaction");
    let statistic = |r: &DMatrix<f64>| {
        pls::estimate(&model.spec, r, &Settings::default())
            .ok()
            .map(|est| vec![est.beta[(from, to)]])
    };
    let jack: Vec<f64> = bootstrap::jackknife(&x, 1000, statistic)
        .into_iter()
        .map(|v| v.unwrap()[0])
        .collect();
    let want: Vec<f64> = e["jackknife"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(jack.len(), want.len());
    for (i, (a, w)) in jack.iter().zip(&want).enumerate() {
        close(
            &format!("jackknife[{i}]"),
            &(*a).into(),
            &(*w).into(),
            PLS_ESTIMATE,
            false,
        );
    }
    // BCa from R's draws and R's jackknife: the formula alone, closed form.
    let mut draws: Vec<f64> = e["draws"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    draws.sort_by(f64::total_cmp);
    let bca = bootstrap::bca(e["estimate"].as_f64().unwrap(), &draws, &want).unwrap();
    for k in 0..2 {
        close(
            &format!("bca95[{k}]"),
            &bca[k].into(),
            &e["bca95"][k],
            1e-12,
            false,
        );
    }
}

#[test]
fn bootstrap_agrees_with_seminr_within_monte_carlo_error_and_is_seeded() {
    let e = &expected("expected_pls.json")["pls"]["bootstrap"];
    let a = pls_json(
        "value-chain.lav",
        &["--bootstrap", "1000", "--seed", "20011", "--folds", "0"],
    );
    let b = &a["pls"]["bootstrap"];
    assert_eq!(b["resamples"], 1000);
    assert_eq!(b["seed"], 20011);
    assert!(b["valid"].as_u64().unwrap() >= 990);
    for (block, mine) in [("paths", "paths"), ("total", "total")] {
        for (k, want) in e[block].as_object().unwrap() {
            let got = &b[mine][k];
            let (sd, sd_r) = (got["sd"].as_f64().unwrap(), want["sd"].as_f64().unwrap());
            assert!(
                (sd - sd_r).abs() <= 0.15 * sd_r,
                "{block}.{k}.sd: {sd} vs {sd_r}"
            );
            let (t, t_r) = (got["t"].as_f64().unwrap(), want["t"].as_f64().unwrap());
            assert!(
                (t - t_r).abs() <= 0.15 * t_r.abs(),
                "{block}.{k}.t: {t} vs {t_r}"
            );
            for i in 0..2 {
                let (lo, lo_r) = (
                    got["ci95"][i].as_f64().unwrap(),
                    want["ci95"][i].as_f64().unwrap(),
                );
                assert!(
                    (lo - lo_r).abs() <= 0.5 * sd_r,
                    "{block}.{k}.ci95[{i}]: {lo} vs {lo_r}"
                );
            }
        }
    }
    let ind = &e["defined"]["ind_price"];
    let got = &b["defined"]["ind_price"];
    let sd_r = ind["sd"].as_f64().unwrap();
    assert!((got["sd"].as_f64().unwrap() - sd_r).abs() <= 0.15 * sd_r);
    for i in 0..2 {
        assert!(
            (got["ci95"][i].as_f64().unwrap() - ind["ci95"][i].as_f64().unwrap()).abs()
                <= 0.5 * sd_r
        );
    }
    // The specific indirect effect price -> satisfaction -> loyalty is the same chain as ind_price.
    assert_eq!(
        b["specific"]["price -> satisfaction -> loyalty"]["sd"],
        got["sd"]
    );
    // HTMT: intervals and the one-sided tests; every pair of the model here is far below .85.
    let h = &b["htmt"]["satisfaction"]["loyalty"];
    assert!(h["upper95"].as_f64().unwrap() < 0.85 && h["p_below_085"].as_f64().unwrap() < 0.05);
    // Same seed, same draws, whatever the number of threads.
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, name: &str| {
        let out = dir.path().join(name);
        let o = perval(
            &[
                "pls",
                &fixture("data.csv"),
                "--instrument",
                &fixture("instrument.toml"),
                "--model",
                &fixture("value-chain.lav"),
                "--bootstrap",
                "300",
                "--seed",
                "7",
                "--quiet",
                "--json",
                out.to_str().unwrap(),
            ],
            Some(threads),
        );
        assert!(o.status.success());
        let v: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        (v["pls"]["bootstrap"].clone(), v["pls"]["predict"].clone())
    };
    assert_eq!(run("1", "one.json"), run("2", "two.json"));
}

#[test]
fn ipma_per_store_matches_r() {
    let e = expected("expected_pls_extra.json");
    let a = pls_json("value-chain.lav", &["--by", "store", "--folds", "0"]);
    let g = &a["pls"]["ipma_groups"];
    assert_eq!(g["by"], "store");
    assert_eq!(g["target"], "loyalty");
    for (store, want) in e["ipma_stores"].as_object().unwrap() {
        assert_eq!(g["n"][store], want["n"], "{store}");
        walk(
            &format!("ipma_stores.{store}"),
            &g["maps"][store],
            &want["points"],
            &point,
        );
    }
    let stores: Vec<&String> = g["maps"].as_object().unwrap().keys().collect();
    assert_eq!(stores, ["Harbour", "Old Town", "Riverside"]);
}

#[test]
fn mobi_without_an_instrument_matches_seminr() {
    // seminr's ECSI data: columns without an instrument, a single-item construct, 7 constructs, 12 paths.
    let dir = format!("{}/tests/fixtures/mobi", env!("CARGO_MANIFEST_DIR"));
    let e: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/expected.json")).unwrap())
            .unwrap();
    for (flags, key) in [(vec![], "pls"), (vec!["--consistent"], "plsc")] {
        let out = tempfile::NamedTempFile::new().unwrap();
        let (data, model) = (format!("{dir}/mobi.csv"), format!("{dir}/mobi.lav"));
        let mut args = vec![
            "pls",
            &data,
            "--model",
            &model,
            "--folds",
            "0",
            "--quiet",
            "--json",
            out.path().to_str().unwrap(),
        ];
        args.extend(flags);
        let o = perval(&args, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let a: Value = serde_json::from_str(&std::fs::read_to_string(out.path()).unwrap()).unwrap();
        assert_eq!(a["pls"]["n"], 250);
        for k in ["outer_weights", "outer_loadings", "paths", "r2", "r2_adj"] {
            walk(&format!("mobi.{key}.{k}"), &a["pls"][k], &e[key][k], &point);
        }
        if key == "pls" {
            walk(
                "mobi.pls.reliability",
                &a["pls"]["reliability"],
                &e["pls"]["reliability"],
                &point,
            );
        }
    }
}
