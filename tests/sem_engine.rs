//! The ML engine (`perval::stats::sem`) on a full structural model, against lavaan: the value chain of
//! tests/fixtures/perval-chain (four value dimensions → satisfaction → loyalty, price also → loyalty), built
//! by hand as LISREL matrices and fitted to the 465 complete respondents. The reference values are lavaan's
//! `sem(model, data, missing = "listwise")` (make.R in that folder; R 4.2.2, lavaan 0.6-14), compared under
//! the SEM tolerances of tests/common/tolerance.rs.

mod common;
use common::tolerance::{close, SEM_ESTIMATE, SEM_FIT_INDEX, SEM_LIKELIHOOD};
use nalgebra::DVector;
use perval::stats::moments::Moments;
use perval::stats::sem::{self, Cell, GroupPattern, Model, SampleMoments};
use serde_json::{json, Value};

/// Latent variables in instrument order.
const LATENTS: [&str; 6] = [
    "functional",
    "emotional",
    "price",
    "social",
    "satisfaction",
    "loyalty",
];
/// Regressions (from, to) of value-chain.lav.
const PATHS: [(usize, usize); 6] = [(0, 4), (1, 4), (2, 4), (3, 4), (4, 5), (2, 5)];

/// The value-chain model: marker loadings, free residual variances, the four exogenous dimensions
/// covarying, disturbance variances of satisfaction and loyalty, and the six paths. Returns the model and
/// the parameter index of each path.
fn value_chain(dims: &[Vec<usize>], p: usize) -> (Model, Vec<usize>) {
    let mut g = GroupPattern::new(p, 6, false);
    let mut k = 0;
    let mut free = || {
        k += 1;
        Cell::Free(k - 1)
    };
    for (f, items) in dims.iter().enumerate() {
        for (n, &i) in items.iter().enumerate() {
            g.lambda
                .set(i, f, if n == 0 { Cell::Fixed(1.0) } else { free() });
        }
    }
    for i in 0..p {
        g.theta.set(i, i, free());
    }
    for a in 0..4 {
        for b in 0..=a {
            g.psi.set_sym(a, b, free());
        }
    }
    g.psi.set(4, 4, free());
    g.psi.set(5, 5, free());
    let mut paths = Vec::new();
    for &(from, to) in &PATHS {
        let c = free();
        if let Cell::Free(idx) = c {
            paths.push(idx);
        }
        g.beta.set(to, from, c);
    }
    (
        Model {
            groups: vec![g],
            n_params: k,
        },
        paths,
    )
}

/// The fit indices against lavaan's, each at its tolerance; `extra` adds likelihoods to compare.
fn check_fit(f: &sem::FitIndices, ef: &Value, extra: &[(&str, f64)]) {
    assert_eq!(f.df as u64, ef["df"].as_u64().unwrap());
    assert_eq!(f.npar as u64, ef["npar"].as_u64().unwrap());
    assert_eq!(f.baseline_df as u64, ef["baseline_df"].as_u64().unwrap());
    let likelihoods = [
        ("chisq", f.chisq),
        ("logl", f.loglik),
        ("aic", f.aic),
        ("bic", f.bic),
        ("baseline_chisq", f.baseline_chisq),
    ];
    for (key, value) in likelihoods.iter().chain(extra) {
        close(
            &format!("fit.{key}"),
            &json!(value),
            &ef[*key],
            SEM_LIKELIHOOD,
            false,
        );
    }
    let indices = [
        ("cfi", f.cfi),
        ("tli", f.tli),
        ("rmsea", f.rmsea),
        ("srmr", f.srmr),
    ];
    for (key, value) in indices {
        close(
            &format!("fit.{key}"),
            &json!(value),
            &ef[key],
            SEM_FIT_INDEX,
            false,
        );
    }
    for (k, bound) in f.rmsea_ci90.iter().enumerate() {
        close(
            "fit.rmsea_ci90",
            &json!(bound),
            &ef["rmsea_ci90"][k],
            SEM_FIT_INDEX,
            false,
        );
    }
}

#[test]
fn value_chain_matches_lavaan() {
    let inst = perval::instrument::load(&common::chain("instrument.toml")).unwrap();
    let file = perval::data::open(common::chain("data.csv").as_ref()).unwrap();
    let responses = file.load(&inst, None, false).unwrap();
    let scored =
        perval::scoring::score(&responses, &inst, perval::scoring::MissingPolicy::Listwise)
            .unwrap();
    let m = Moments::complete(&scored.items);
    assert_eq!(m.n, 465);
    let dims: Vec<Vec<usize>> = inst.dimensions.iter().map(|d| d.items.clone()).collect();
    let ids: Vec<&str> = inst.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, LATENTS);
    let p = inst.items.len();
    let (model, paths) = value_chain(&dims, p);
    let data = [SampleMoments {
        n: m.n,
        means: DVector::from_iterator(p, m.means.iter().copied()),
        cov: m.cov.clone(),
    }];
    let est = sem::estimate(&model, &data, sem::default_start(&model, &data)).unwrap();
    assert!(est.converged);
    let fit = sem::fit_indices(&model, &data, &est).unwrap();

    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(common::chain("expected_sem.json")).unwrap())
            .unwrap();
    let e = &expected["sem"];
    let ef = &e["fit"];
    check_fit(&fit, ef, &[]);

    // Paths: estimate, standard error (expected information), z and std.all.
    let vcov = est.vcov().unwrap();
    let std = sem::standardize(&est.values[0]);
    for (&(from, to), &k) in PATHS.iter().zip(&paths) {
        let key = format!("{} -> {}", LATENTS[from], LATENTS[to]);
        let r = &e["regressions"][&key];
        let (b, se) = (est.theta[k], vcov[(k, k)].sqrt());
        close(
            &format!("{key}.est"),
            &json!(b),
            &r["est"],
            SEM_ESTIMATE,
            false,
        );
        close(
            &format!("{key}.se"),
            &json!(se),
            &r["se"],
            SEM_ESTIMATE,
            false,
        );
        close(
            &format!("{key}.z"),
            &json!(b / se),
            &r["z"],
            SEM_ESTIMATE,
            false,
        );
        close(
            &format!("{key}.std_all"),
            &json!(std.beta[(to, from)]),
            &r["std_all"],
            SEM_ESTIMATE,
            false,
        );
    }
    // R² of the endogenous variables: 1 − ψ/Var(η).
    let v = &est.values[0];
    for (f, name) in [(4, "satisfaction"), (5, "loyalty")] {
        let r2 = 1.0 - v.psi[(f, f)] / v.latent_cov[(f, f)];
        close(
            &format!("r2.{name}"),
            &json!(r2),
            &e["r2"][name],
            SEM_ESTIMATE,
            false,
        );
    }
    // Standardized loadings.
    for (f, items) in dims.iter().enumerate() {
        for &i in items {
            let id = &inst.items[i].id;
            close(
                &format!("loadings_std.{id}"),
                &json!(std.lambda[(i, f)]),
                &e["loadings_std"][id],
                SEM_ESTIMATE,
                false,
            );
        }
    }
}

/// Full-information ML through the engine: the six-factor CFA of tests/fixtures/perval-chain on all 600
/// respondents, against lavaan's `cfa(..., missing = "ml")` (expected_fiml.json).
#[test]
fn fiml_cfa_matches_lavaan() {
    use perval::stats::cfa::CfaModel;
    use perval::stats::sem::fiml::{self, MissingData};
    let inst = perval::instrument::load(&common::chain("instrument.toml")).unwrap();
    let file = perval::data::open(common::chain("data.csv").as_ref()).unwrap();
    let responses = file.load(&inst, None, false).unwrap();
    let scored =
        perval::scoring::score(&responses, &inst, perval::scoring::MissingPolicy::Pairwise)
            .unwrap();
    let (n, p) = (scored.items.nrows(), scored.items.ncols());
    let data = MissingData::from_rows(n, p, |r, j| {
        if scored.items.is_missing(r, j) {
            f64::NAN
        } else {
            scored.items.value(r, j)
        }
    });
    assert_eq!((data.n, data.empty), (600, 0));
    let cfa = CfaModel {
        n_items: p,
        factors: inst.dimensions.iter().map(|d| d.items.clone()).collect(),
        second_order: false,
    };
    let mut next = 0;
    let pattern = cfa.pattern(true, &mut next);
    let model = Model {
        groups: vec![pattern],
        n_params: next,
    };
    let h1 = fiml::saturated(&data).unwrap();
    let start_data = [fiml::FimlFit::start_moments(&data, &h1)];
    let fitted = fiml::fit(&model, &data, h1, sem::default_start(&model, &start_data)).unwrap();
    assert!(fitted.estimate.converged);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(common::chain("expected_fiml.json")).unwrap(),
    )
    .unwrap();
    let ef = &expected["cfa"]["fit"];
    let f = &fitted.fit;
    check_fit(f, ef, &[("unrestricted_logl", fitted.saturated.loglik)]);
    let std = sem::standardize(&fitted.estimate.values[0]);
    for (fct, d) in inst.dimensions.iter().enumerate() {
        for &i in &d.items {
            let id = &inst.items[i].id;
            close(
                &format!("loadings_std.{id}"),
                &json!(std.lambda[(i, fct)]),
                &expected["cfa"]["loadings_std"][id],
                SEM_ESTIMATE,
                false,
            );
        }
    }
}
