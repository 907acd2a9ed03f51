//! Section: a structural model in lavaan syntax, estimated by the ML engine as `lavaan::sem()` does by
//! default — ML with the normal likelihood, expected information, marker-variable identification — with the
//! parameter table, R², defined parameters by the delta method, modification indices, and the percentile
//! bootstrap when asked.

mod bootstrap;
mod compare;
mod monte_carlo;
pub use bootstrap::BootCi;
pub(super) mod groups;

use super::{Findings, Options};
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::model::build::{Built, Param, Var};
use crate::model::syntax::Op;
use crate::report::structural::*;
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::moments::Moments;
use crate::stats::sem::fiml::{self, MissingData};
use crate::stats::sem::{self, Cell, Matrix, Place, SampleMoments, Standardized};
use indexmap::IndexMap;
use nalgebra::{DMatrix, DVector};

/// How many modification indices the report lists.
const MODIFICATION_INDICES_SHOWN: usize = 10;
/// A latent correlation above this, or a standardized coefficient above 1, signals an empirically
/// under-identified model.
const LATENT_CORRELATION_MAX: f64 = crate::criteria::LATENT_CORRELATION_MAX.value;

/// The observed variables' columns in `scored.items`, in the model's order.
pub(super) fn columns(built: &Built, instrument: &Instrument) -> Result<Vec<usize>> {
    super::data::item_columns(&built.observed, instrument)
}

/// The complete rows' moments of the model's variables.
pub(super) fn moments(
    built: &Built,
    instrument: &Instrument,
    scored: &Scored,
) -> Result<SampleMoments> {
    let cols = columns(built, instrument)?;
    let rows: Vec<usize> = (0..scored.rows.len())
        .filter(|&r| cols.iter().all(|&j| !scored.items.is_missing(r, j)))
        .collect();
    let all = if rows.len() == scored.rows.len() {
        Moments::complete(&scored.items)
    } else {
        Moments::complete_rows(&scored.items, Some(&rows))
    };
    Ok(SampleMoments {
        n: all.n,
        means: DVector::from_iterator(cols.len(), cols.iter().map(|&j| all.means[j])),
        cov: DMatrix::from_fn(cols.len(), cols.len(), |a, b| all.cov[(cols[a], cols[b])]),
    })
}

pub(super) fn section(
    built: &Built,
    instrument: &Instrument,
    scored: &Scored,
    options: &Options,
    findings: &mut Findings,
) -> Result<SemBlock> {
    let fiml = scored.policy == MissingPolicy::Fiml;
    let (model, fitted) = fit_model(built, instrument, scored, findings)?;
    let q = model.n_params;
    if fitted.n <= q {
        return Err(Error::Usage(format!(
            "the model has {q} free parameters but only {} respondents: collect more responses (5–10 per parameter is a common rule)",
            fitted.n
        )));
    }
    let comparison = options
        .compare
        .as_ref()
        .map(|other| compare::section(built, &fitted.fit, other, instrument, scored, findings))
        .transpose()?;
    let Fitted {
        est,
        fit,
        vcov,
        unrestricted_logl,
        ..
    } = &fitted;
    let (est, fit) = (est, fit.clone());
    let std = sem::standardize(&est.values[0]);
    if !est.converged {
        findings.push(Finding::SemNotConverged {
            iterations: est.iterations,
        });
    }
    let parameters = parameter_rows(built, &est.theta, vcov.as_ref(), &std, &est.values[0]);
    judge(built, &est.values[0], &std, findings);
    let regressions = built
        .params
        .iter()
        .zip(&parameters)
        .filter(|(p, _)| p.op == Op::Regression)
        .map(|(p, row)| (format!("{} -> {}", p.rhs, p.lhs), estimate_of(row)))
        .collect();
    let loadings = built
        .params
        .iter()
        .zip(&parameters)
        .filter(|(p, _)| p.op == Op::Measured)
        .map(|(p, row)| (p.rhs.clone(), estimate_of(row)))
        .collect();
    let mut loadings_std = IndexMap::new();
    for (f, ind) in built.indicators.iter().enumerate() {
        if built.phantom[f] {
            continue;
        }
        for v in ind {
            // A second-order factor's loadings on the first-order factors are keyed by their names.
            let (name, value) = match *v {
                Var::Observed(i) => (&built.observed[i], std.lambda[(i, f)]),
                Var::Latent(g) => (&built.latents[g], std.beta[(g, f)]),
            };
            loadings_std.insert(name.clone(), value);
        }
    }
    let measurement = measurement(built, &std, &loadings_std, &fitted.item_cov, findings);
    let v = &est.values[0];
    let r2 = (0..built.latents.len())
        .filter(|&f| built.endogenous(f))
        .map(|f| {
            (
                built.latents[f].clone(),
                1.0 - v.psi[(f, f)] / v.latent_cov[(f, f)],
            )
        })
        .collect();
    let defined = defined_estimates(built, &est.theta, vcov.as_ref(), &parameters);
    let monte_carlo = options
        .monte_carlo
        .and_then(|seed| monte_carlo::run(built, &est.theta, vcov.as_ref(), seed));
    if options.monte_carlo.is_some() && monte_carlo.is_none() && !built.defined.is_empty() {
        findings.push(Finding::SemNoMonteCarlo);
    }
    let bootstrap = options.bootstrap.map(|(resamples, seed)| {
        bootstrap::run(built, instrument, scored, est, resamples, seed, options)
    });
    Ok(SemBlock {
        estimator: "ML".into(),
        missing: if fiml { "fiml" } else { "listwise" }.into(),
        information: if fiml { "observed" } else { "expected" }.into(),
        model: built.origin.clone(),
        n: fitted.n,
        missing_data: fitted.missing.clone(),
        converged: est.converged,
        iterations: est.iterations,
        fit_verdict: crate::criteria::fit_verdict(fit.cfi, fit.rmsea, fit.srmr),
        fit: SemFit {
            logl: fit.loglik,
            unrestricted_logl: *unrestricted_logl,
            indices: fit,
        },
        regressions,
        loadings,
        loadings_std,
        measurement,
        structure: structure(built),
        r2,
        defined,
        modification_indices: fitted
            .complete
            .as_ref()
            .map(|data| modification_indices(built, &model, data, est))
            .unwrap_or_default(),
        parameters,
        bootstrap: bootstrap.transpose()?,
        comparison,
        monte_carlo,
        groups: None,
    })
}

/// The model fitted by the route its missing-data policy asks for (listwise moments or FIML), after the
/// check that it is identified by counting.
fn fit_model(
    built: &Built,
    instrument: &Instrument,
    scored: &Scored,
    findings: &mut Findings,
) -> Result<(sem::Model, Fitted)> {
    let fiml = scored.policy == MissingPolicy::Fiml;
    let model = if fiml {
        with_intercepts(built)
    } else {
        built.model()
    };
    let q = model.n_params;
    let moments_count = model.n_moments();
    if q > moments_count {
        return Err(crate::model::syntax::model_error(
            &built.origin,
            1,
            &format!("the model has {q} free parameters but only {moments_count} variances and covariances (df = {}): it is not identified", moments_count as i64 - q as i64),
            "fix or equate parameters, or add indicators",
        ));
    }
    let fitted = if fiml {
        fit_fiml(built, instrument, scored, &model, findings)?
    } else {
        fit_complete(built, instrument, scored, &model)?
    };
    Ok((model, fitted))
}

/// An estimated model, by either route.
struct Fitted {
    est: sem::Estimate,
    fit: sem::FitIndices,
    vcov: Option<DMatrix<f64>>,
    n: usize,
    unrestricted_logl: f64,
    /// The complete data's moments (listwise); None under FIML.
    complete: Option<[SampleMoments; 1]>,
    /// The observed variables' covariance matrix (listwise: the rows used; FIML: the saturated EM estimate).
    item_cov: DMatrix<f64>,
    missing: Option<crate::report::MissingSummary>,
}

/// Listwise: the complete rows' moments, expected information.
fn fit_complete(
    built: &Built,
    instrument: &Instrument,
    scored: &Scored,
    model: &sem::Model,
) -> Result<Fitted> {
    let data = [moments(built, instrument, scored)?];
    let est = sem::estimate(model, &data, sem::default_start(model, &data))?;
    let (fit, logl_covariates) = sem::conditional_on_covariates(
        &sem::fit_indices(model, &data, &est)?,
        &data,
        &built.covariate_columns(),
    );
    let p = data[0].cov.nrows() as f64;
    let nf = data[0].n as f64;
    let s_logdet =
        crate::stats::linalg::spd_logdet(&(&data[0].cov * ((nf - 1.0) / nf))).unwrap_or(f64::NAN);
    Ok(Fitted {
        vcov: est.vcov(),
        n: data[0].n,
        unrestricted_logl: -nf / 2.0 * (p * (2.0 * std::f64::consts::PI).ln() + s_logdet + p)
            - logl_covariates,
        est,
        fit,
        item_cov: data[0].cov.clone(),
        complete: Some(data),
        missing: None,
    })
}

/// FIML: every respondent with an answer to a model variable, by missingness pattern; observed information.
fn fit_fiml(
    built: &Built,
    instrument: &Instrument,
    scored: &Scored,
    model: &sem::Model,
    findings: &mut Findings,
) -> Result<Fitted> {
    let cols = columns(built, instrument)?;
    let items = &scored.items;
    // A missing answer reads as NaN.
    let missing = MissingData::from_rows(items.nrows(), cols.len(), |r, j| items.value(r, cols[j]));
    super::data::missing_findings(&missing, findings);
    let h1 = fiml::saturated(&missing)?;
    let start_data = [fiml::FimlFit::start_moments(&missing, &h1)];
    let start = sem::default_start(model, &start_data);
    let item_cov = h1.sigma.clone();
    let fitted = fiml::fit(model, &missing, h1, start)?;
    Ok(Fitted {
        item_cov,
        n: missing.n,
        unrestricted_logl: fitted.saturated.loglik,
        vcov: fitted.vcov,
        est: fitted.estimate,
        fit: fitted.fit,
        complete: None,
        missing: Some(super::data::missing_summary(&missing)),
    })
}

/// The model with free intercepts (and latent means fixed at 0): the mean structure of FIML.
pub(super) fn with_intercepts(built: &Built) -> sem::Model {
    let mut g = built.pattern.clone();
    let (p, m) = (g.p(), g.m());
    let mut nu = sem::Pattern::zeros(p, 1);
    for i in 0..p {
        nu.set(i, 0, Cell::Free(built.n_params + i));
    }
    g.nu = Some(nu);
    g.alpha = Some(sem::Pattern::zeros(m, 1));
    sem::Model {
        groups: vec![g],
        n_params: built.n_params + p,
    }
}

/// The parameter table: est, se, z, p, Wald interval and std.all of every parameter.
fn parameter_rows(
    built: &Built,
    theta: &DVector<f64>,
    vcov: Option<&DMatrix<f64>>,
    std: &Standardized,
    v: &sem::GroupValues,
) -> Vec<ParameterRow> {
    built
        .params
        .iter()
        .map(|p| {
            let est = p.free.map_or(p.fixed, |k| theta[k]);
            // A covariate's (co)variance is its sample moment under fixed.x: reported as fixed, as lavaan.
            let fixed_x = built.is_covariate_moment(p);
            let se = p
                .free
                .filter(|_| !fixed_x)
                .and_then(|k| vcov.map(|vc| vc[(k, k)].max(0.0).sqrt()));
            // No test without a positive, finite standard error (p is then null, not 0).
            let tested = se.map(|s| crate::stats::distributions::wald(est, s));
            let z = tested.map(|t| t.0).filter(|z| z.is_finite());
            ParameterRow {
                lhs: p.lhs.clone(),
                op: p.op.symbol().into(),
                rhs: p.rhs.clone(),
                label: p.label.clone(),
                free: p.free.is_some() && !fixed_x,
                est,
                se,
                z,
                p: tested.map(|t| t.1).filter(|p| p.is_finite()),
                ci95: tested.map(|t| t.2).filter(|ci| ci[0].is_finite()),
                std_all: standardized(p, std, v),
            }
        })
        .collect()
}

/// std.all of one parameter.
pub(super) fn standardized(p: &Param, std: &Standardized, v: &sem::GroupValues) -> f64 {
    let Place {
        matrix, row, col, ..
    } = p.place;
    match matrix {
        Matrix::Lambda => std.lambda[(row, col)],
        Matrix::Beta => std.beta[(row, col)],
        Matrix::Psi => std.psi[(row, col)],
        Matrix::Theta => std.theta[(row, col)],
        Matrix::Nu | Matrix::Alpha => v.mu.get(row).copied().unwrap_or(f64::NAN),
    }
}

fn estimate_of(row: &ParameterRow) -> Estimate {
    Estimate {
        est: row.est,
        se: row.se.unwrap_or(f64::NAN),
        z: row.z.unwrap_or(f64::NAN),
        p: row.p.unwrap_or(f64::NAN),
        ci95: row.ci95.unwrap_or([f64::NAN; 2]),
        std_all: row.std_all,
    }
}

/// Values of labels and defined parameters: labels from `label_value`, defined names from their expressions
/// (which may use earlier defined names).
pub(super) fn evaluate_defined(built: &Built, label_value: &dyn Fn(&str) -> f64) -> Vec<f64> {
    let mut values: Vec<f64> = Vec::with_capacity(built.defined.len());
    for d in &built.defined {
        let known = |name: &str| {
            built
                .defined
                .iter()
                .position(|x| x.name == name)
                .filter(|&k| k < values.len())
                .map_or_else(|| label_value(name), |k| values[k])
        };
        values.push(d.expr.eval(&known));
    }
    values
}

/// Defined parameters: estimate, delta-method standard error from the gradient of the expression in the free
/// parameters, std.all from the standardized values of the labelled parameters (as lavaan).
fn defined_estimates(
    built: &Built,
    theta: &DVector<f64>,
    vcov: Option<&DMatrix<f64>>,
    rows: &[ParameterRow],
) -> IndexMap<String, DefinedEstimate> {
    let by_label = |l: &str| built.label_value(l, theta.as_slice());
    let std_by_label = |l: &str| {
        built
            .params
            .iter()
            .zip(rows)
            .find(|(p, _)| p.label.as_deref() == Some(l))
            .map_or(f64::NAN, |(_, r)| r.std_all)
    };
    let est = evaluate_defined(built, &by_label);
    let std_all = evaluate_defined(built, &std_by_label);
    // Gradients by central differences in each free parameter that a label names (the expressions are
    // polynomials and ratios of a few parameters; the step's error is far below the reported precision).
    let q = theta.len();
    let mut gradients = vec![DVector::zeros(q); built.defined.len()];
    for &k in built.labels.values() {
        let h = 1e-6 * theta[k].abs().max(1.0);
        let shifted = |delta: f64| {
            let mut t = theta.clone();
            t[k] += delta;
            evaluate_defined(built, &|l: &str| built.label_value(l, t.as_slice()))
        };
        let (up, down) = (shifted(h), shifted(-h));
        for (d, g) in gradients.iter_mut().enumerate() {
            g[k] = (up[d] - down[d]) / (2.0 * h);
        }
    }
    built
        .defined
        .iter()
        .enumerate()
        .map(|(d, def)| {
            let se = vcov.map_or(f64::NAN, |vc| {
                (gradients[d].transpose() * vc * &gradients[d])[(0, 0)]
                    .max(0.0)
                    .sqrt()
            });
            let (z, p, ci95) = crate::stats::distributions::wald(est[d], se);
            (
                def.name.clone(),
                DefinedEstimate {
                    estimate: Estimate {
                        est: est[d],
                        se,
                        z,
                        p,
                        ci95,
                        std_all: std_all[d],
                    },
                    formula: def.text.clone(),
                },
            )
        })
        .collect()
}

/// The second-order factors and the observed variables of the structural part.
fn structure(built: &Built) -> SemStructure {
    let second_order = built
        .indicators
        .iter()
        .enumerate()
        .filter(|(f, ind)| !built.phantom[*f] && ind.iter().all(|v| matches!(v, Var::Latent(_))))
        .map(|(f, ind)| {
            let firsts = ind
                .iter()
                .filter_map(|v| match v {
                    Var::Latent(g) => Some(built.latents[*g].clone()),
                    Var::Observed(_) => None,
                })
                .collect();
            (built.latents[f].clone(), firsts)
        })
        .collect();
    SemStructure {
        second_order,
        observed: (0..built.latents.len())
            .filter(|&f| built.phantom[f])
            .map(|f| built.latents[f].clone())
            .collect(),
        covariates: built
            .covariates
            .iter()
            .map(|&f| built.latents[f].clone())
            .collect(),
    }
}

/// CR and AVE of every factor from its standardized loadings, and the discriminant validity (HTMT,
/// Fornell–Larcker) of the first-order factors, with findings at the thresholds of `criteria`.
fn measurement(
    built: &Built,
    std: &Standardized,
    loadings_std: &IndexMap<String, f64>,
    item_cov: &DMatrix<f64>,
    findings: &mut Findings,
) -> SemMeasurement {
    use crate::criteria;
    use crate::stats::cfa;
    let mut out = SemMeasurement::default();
    let factors: Vec<usize> = (0..built.latents.len())
        .filter(|&f| !built.phantom[f])
        .collect();
    // First-order factors: those measured by items, with their items' engine rows.
    let first: Vec<(usize, Vec<usize>)> = factors
        .iter()
        .filter_map(|&f| {
            let items: Vec<usize> = built.indicators[f]
                .iter()
                .filter_map(|v| match v {
                    Var::Observed(i) => Some(*i),
                    Var::Latent(_) => None,
                })
                .collect();
            (!items.is_empty()).then_some((f, items))
        })
        .collect();
    for &f in &factors {
        let l: Vec<f64> = built.indicators[f]
            .iter()
            .map(|v| match v {
                Var::Observed(i) => built.observed[*i].as_str(),
                Var::Latent(g) => built.latents[*g].as_str(),
            })
            .filter_map(|name| loadings_std.get(name).copied())
            .collect();
        if l.len() < 2 {
            continue;
        }
        let name = &built.latents[f];
        let (c, a) = (cfa::composite_reliability(&l), cfa::ave(&l));
        if c < criteria::CR_MIN.value {
            findings.push(Finding::LowCompositeReliability {
                dimension: name.clone(),
                cr: c,
            });
        }
        if a < criteria::AVE_MIN.value {
            findings.push(Finding::LowAve {
                dimension: name.clone(),
                ave: a,
            });
        }
        out.composite_reliability.insert(name.clone(), c);
        out.ave.insert(name.clone(), a);
    }
    let sd: Vec<f64> = (0..item_cov.nrows())
        .map(|i| item_cov[(i, i)].sqrt())
        .collect();
    let r = DMatrix::from_fn(item_cov.nrows(), item_cov.ncols(), |i, j| {
        item_cov[(i, j)] / (sd[i] * sd[j])
    });
    for (a, (fa, ia)) in first.iter().enumerate() {
        let name_a = &built.latents[*fa];
        let mut row_phi = IndexMap::new();
        let mut row_htmt = IndexMap::new();
        let mut row_fl = IndexMap::new();
        if let Some(ave) = out.ave.get(name_a) {
            row_fl.insert(name_a.clone(), ave.sqrt());
        }
        for (b, (fb, ib)) in first.iter().enumerate() {
            let name_b = &built.latents[*fb];
            let corr = std.latent_cor[(*fa, *fb)];
            if b < a {
                row_fl.insert(name_b.clone(), corr);
                continue;
            }
            if b == a {
                continue;
            }
            row_phi.insert(name_b.clone(), corr);
            if let Some(h) = cfa::htmt(&r, ia, ib) {
                if h > criteria::HTMT_MAX.value {
                    findings.push(Finding::HighHtmt {
                        a: name_a.clone(),
                        b: name_b.clone(),
                        htmt: h,
                    });
                }
                row_htmt.insert(name_b.clone(), h);
            }
            let (Some(aa), Some(ab)) = (out.ave.get(name_a), out.ave.get(name_b)) else {
                continue;
            };
            if corr.abs() > aa.sqrt().min(ab.sqrt()) {
                findings.push(Finding::FornellLarcker {
                    a: name_a.clone(),
                    b: name_b.clone(),
                    correlation: corr.abs(),
                });
            }
        }
        out.factor_correlations.insert(name_a.clone(), row_phi);
        out.htmt.insert(name_a.clone(), row_htmt);
        out.fornell_larcker.insert(name_a.clone(), row_fl);
    }
    out
}

/// Findings on the solution: Heywood cases, standardized coefficients beyond ±1, latent correlations near 1.
fn judge(built: &Built, v: &sem::GroupValues, std: &Standardized, findings: &mut Findings) {
    for (i, name) in built.observed.iter().enumerate() {
        if v.theta[(i, i)] < 0.0 {
            findings.push(Finding::SemHeywood {
                variable: name.clone(),
                variance: v.theta[(i, i)],
            });
        }
    }
    let m = built.latents.len();
    for f in 0..m {
        if v.psi[(f, f)] < 0.0 {
            findings.push(Finding::SemHeywood {
                variable: built.latents[f].clone(),
                variance: v.psi[(f, f)],
            });
        }
    }
    for &(x, y) in &built.regressions {
        let b = std.beta[(y, x)];
        if b.abs() > 1.0 {
            findings.push(Finding::StandardizedAboveOne {
                path: format!("{} -> {}", built.latents[x], built.latents[y]),
                value: b,
            });
        }
    }
    for a in 0..m {
        for b in a + 1..m {
            let r = std.latent_cor[(a, b)];
            if r.abs() > LATENT_CORRELATION_MAX {
                findings.push(Finding::LatentCorrelationNearOne {
                    a: built.latents[a].clone(),
                    b: built.latents[b].clone(),
                    correlation: r,
                });
            }
        }
    }
}

/// Score tests of the cells fixed at zero: cross-loadings, residual covariances of indicators, regressions and
/// covariances among latent variables; the largest first.
fn modification_indices(
    built: &Built,
    model: &sem::Model,
    data: &[SampleMoments],
    est: &sem::Estimate,
) -> Vec<ModificationRow> {
    let g = &model.groups[0];
    let (p, m) = (g.p(), g.m());
    let zero = |c: Cell| c == Cell::Fixed(0.0);
    let place = |matrix, row, col| Place {
        group: 0,
        matrix,
        row,
        col,
    };
    // A covariate or observed outcome is no indicator and has no residual to covary; under fixed.x a
    // covariate neither depends on nor covaries with anything but the other covariates.
    let phantom_item: Vec<bool> = (0..p)
        .map(|i| (0..m).any(|f| built.phantom[f] && g.lambda.get(i, f) != Cell::Fixed(0.0)))
        .collect();
    let covariate = |f: usize| built.covariates.contains(&f);
    let mut candidates = Vec::new();
    for i in 0..p {
        for f in 0..m {
            if zero(g.lambda.get(i, f)) && !built.phantom[f] && !phantom_item[i] {
                candidates.push((
                    place(Matrix::Lambda, i, f),
                    built.latents[f].clone(),
                    "=~",
                    built.observed[i].clone(),
                ));
            }
        }
        for j in i + 1..p {
            if zero(g.theta.get(j, i)) && !phantom_item[i] && !phantom_item[j] {
                candidates.push((
                    place(Matrix::Theta, j, i),
                    built.observed[i].clone(),
                    "~~",
                    built.observed[j].clone(),
                ));
            }
        }
    }
    for a in 0..m {
        for b in 0..m {
            // A path is a candidate when neither it nor its reverse is in the model.
            if a != b && zero(g.beta.get(a, b)) && zero(g.beta.get(b, a)) && !covariate(a) {
                candidates.push((
                    place(Matrix::Beta, a, b),
                    built.latents[a].clone(),
                    "~",
                    built.latents[b].clone(),
                ));
            }
            if b > a && zero(g.psi.get(b, a)) && !covariate(a) && !covariate(b) {
                candidates.push((
                    place(Matrix::Psi, b, a),
                    built.latents[a].clone(),
                    "~~",
                    built.latents[b].clone(),
                ));
            }
        }
    }
    let places: Vec<Place> = candidates.iter().map(|c| c.0).collect();
    sem::modification_indices(model, data, est, &places)
        .into_iter()
        .take(MODIFICATION_INDICES_SHOWN)
        .map(|mi| {
            let c = candidates
                .iter()
                .find(|c| c.0 == mi.place)
                .expect("every index comes from a candidate");
            ModificationRow {
                lhs: c.1.clone(),
                op: c.2.into(),
                rhs: c.3.clone(),
                mi: mi.mi,
                epc: mi.epc,
            }
        })
        .collect()
}
