//! From parsed statements to the ML engine's matrices, as `lavaan::sem()` builds its model by default: the
//! first indicator of each factor is its marker (loading 1), every indicator has a free residual variance,
//! every latent variable a free (disturbance) variance, exogenous latent variables covary, and labels shared
//! by several parameters make them equal. Latent variables named like an instrument dimension and given no
//! `=~` line are measured by that dimension's items.

use super::syntax::{model_error, Expr, Modifier, Op, Statement};
use crate::error::Result;
use crate::instrument::Instrument;
use crate::stats::sem::{self, Cell, GroupPattern, Matrix, Place};
use std::collections::HashMap;

/// A variable of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Latent(usize),
    Observed(usize),
}

/// A parameter of the model as lavaan's parameter table lists it.
#[derive(Debug, Clone)]
pub struct Param {
    pub lhs: String,
    pub op: Op,
    pub rhs: String,
    pub label: Option<String>,
    /// Free parameter index, or None for a fixed value.
    pub free: Option<usize>,
    pub fixed: f64,
    /// The matrix cell (group 0).
    pub place: Place,
}

/// A defined parameter (`:=`).
#[derive(Debug, Clone)]
pub struct Defined {
    pub name: String,
    pub expr: Expr,
    pub text: String,
    pub line: usize,
}

/// A model ready for the engine.
#[derive(Debug, Clone)]
pub struct Built {
    /// The model file or built-in id, for messages.
    pub origin: String,
    pub latents: Vec<String>,
    /// Observed variables (data columns), in the order of the engine's rows.
    pub observed: Vec<String>,
    /// Indicators of each latent variable, as (variable, is it latent).
    pub indicators: Vec<Vec<Var>>,
    /// Latent variables measured by an instrument dimension without an `=~` line.
    pub from_instrument: Vec<String>,
    pub pattern: GroupPattern,
    pub n_params: usize,
    pub params: Vec<Param>,
    /// Label → free parameter index (labels held equal by `a == b` share one).
    pub labels: HashMap<String, usize>,
    /// Labels fixed by `a == 0.5`, with their values.
    pub fixed_labels: HashMap<String, f64>,
    pub defined: Vec<Defined>,
    /// Regressions as (predictor, outcome) latent indices with the statement order.
    pub regressions: Vec<(usize, usize)>,
    /// Per latent variable: an observed variable of the structural part standing in as a single-indicator
    /// latent (loading 1, no residual), not a factor.
    pub phantom: Vec<bool>,
    /// The exogenous observed covariates (latent indices): their variances and covariances are the sample
    /// moments and not parameters (lavaan's fixed.x = TRUE).
    pub covariates: Vec<usize>,
    /// Columns of the file that are not items of the instrument, with the model line naming each first.
    pub covariate_lines: Vec<(String, usize)>,
}

impl Built {
    /// A label's value at the parameters `theta`: its free parameter, or the value it is fixed at; NaN for
    /// a name that is no label.
    pub fn label_value(&self, label: &str, theta: &[f64]) -> f64 {
        match self.labels.get(label) {
            Some(&k) => theta[k],
            None => self.fixed_labels.get(label).copied().unwrap_or(f64::NAN),
        }
    }

    /// The observed columns (engine rows) of the exogenous covariates.
    pub fn covariate_columns(&self) -> Vec<usize> {
        self.covariates
            .iter()
            .filter_map(|&f| match self.indicators[f][..] {
                [Var::Observed(i)] => Some(i),
                _ => None,
            })
            .collect()
    }

    /// A variance or covariance of exogenous covariates: fixed at the sample moments (fixed.x).
    pub fn is_covariate_moment(&self, p: &Param) -> bool {
        p.place.matrix == Matrix::Psi
            && self.covariates.contains(&p.place.row)
            && self.covariates.contains(&p.place.col)
    }

    /// A latent variable is endogenous when it is regressed on others or is a first-order factor of a
    /// second-order one: it has a disturbance and an R².
    pub fn endogenous(&self, f: usize) -> bool {
        self.regressions.iter().any(|r| r.1 == f)
            || self
                .indicators
                .iter()
                .any(|ind| ind.contains(&Var::Latent(f)))
    }
    pub fn model(&self) -> sem::Model {
        sem::Model {
            groups: vec![self.pattern.clone()],
            n_params: self.n_params,
        }
    }
}

/// Resolve names and build the matrices. `instrument` supplies dimensions and items; without one, every
/// name that is not a latent variable is a column of the file.
pub fn build(
    statements: &[Statement],
    instrument: Option<&Instrument>,
    origin: &str,
) -> Result<Built> {
    let err = |line: usize, message: String, fix: String| model_error(origin, line, &message, &fix);
    // Latent variables: left sides of =~, then dimension names used without one.
    let mut latents: Vec<String> = Vec::new();
    let mut measured_line: HashMap<String, usize> = HashMap::new();
    for s in statements {
        if let Statement::Relation { line, lhs, op, .. } = s {
            match op {
                Op::Measured => {
                    if measured_line.insert(lhs.clone(), *line).is_some() {
                        return Err(err(
                            *line,
                            format!("'{lhs}' is measured twice"),
                            "list all its indicators on one =~ line".into(),
                        ));
                    }
                    latents.push(lhs.clone());
                }
                Op::Composite => {
                    return Err(err(
                        *line,
                        format!("'{lhs} <~ …' is a composite, which only `perval pls` estimates"),
                        "use =~ for a reflective factor in `perval sem`".into(),
                    ));
                }
                _ => {}
            }
        }
    }
    let dims: HashMap<&str, &crate::instrument::Dimension> = instrument
        .map(|i| i.dimensions.iter().map(|d| (d.id.as_str(), d)).collect())
        .unwrap_or_default();
    let items: Vec<&str> = instrument
        .map(|i| i.items.iter().map(|x| x.id.as_str()).collect())
        .unwrap_or_default();
    let mut from_instrument = Vec::new();
    for s in statements {
        if let Statement::Relation { lhs, op, rhs, .. } = s {
            // A dimension name anywhere — also on the right of `=~` (a second-order factor over dimensions) —
            // is a latent variable measured by the dimension's items unless an item has the same id.
            let mut names = vec![lhs.as_str()];
            names.extend(rhs.iter().map(|t| t.var.as_str()));
            for n in names {
                let is_item = *op == Op::Measured && items.contains(&n);
                if !latents.iter().any(|l| l == n) && dims.contains_key(n) && !is_item {
                    latents.push(n.to_string());
                    from_instrument.push(n.to_string());
                }
            }
        }
    }
    let latent_index = |n: &str| latents.iter().position(|l| l == n);
    // Every other name is an observed variable: an item of the instrument, or (without one) a column.
    let mut observed: Vec<String> = Vec::new();
    let known: Vec<String> = latents
        .iter()
        .cloned()
        .chain(dims.keys().map(|s| s.to_string()))
        .chain(items.iter().map(|s| s.to_string()))
        .collect();
    // Names in `~` lines that are neither latent variables nor items are columns of the file (covariates such
    // as age or a 0/1 dummy), with the line that names them first; the file is checked for them on loading.
    let mut covariate_lines: Vec<(String, usize)> = Vec::new();
    let mut var_of = |name: &str,
                      line: usize,
                      observed: &mut Vec<String>,
                      in_regression: bool|
     -> Result<Var> {
        if let Some(f) = latent_index(name) {
            return Ok(Var::Latent(f));
        }
        let named_covariate = covariate_lines.iter().any(|c| c.0 == name);
        if instrument.is_some() && !items.contains(&name) && (in_regression || named_covariate) {
            if !covariate_lines.iter().any(|c| c.0 == name) {
                covariate_lines.push((name.to_string(), line));
            }
        } else if instrument.is_some() && !items.contains(&name) {
            return Err(err(
                line,
                format!("'{name}' is neither a latent variable of the model nor an item or dimension of the instrument{}", did_you_mean(name, &known)),
                "correct the name, measure it with an =~ line, or choose the instrument that has it".into(),
            ));
        }
        Ok(Var::Observed(
            match observed.iter().position(|o| o == name) {
                Some(i) => i,
                None => {
                    observed.push(name.to_string());
                    observed.len() - 1
                }
            },
        ))
    };
    // Indicators, in lavaan's order: the =~ lines first, then the instrument's dimensions.
    let mut indicators: Vec<Vec<(Var, Modifier)>> = vec![Vec::new(); latents.len()];
    for s in statements {
        if let Statement::Relation {
            line,
            lhs,
            op: Op::Measured,
            rhs,
        } = s
        {
            let f = latent_index(lhs).expect("an =~ left side is a latent variable");
            for t in rhs {
                let v = var_of(&t.var, *line, &mut observed, false)?;
                if v == Var::Latent(f) {
                    return Err(err(
                        *line,
                        format!("'{lhs}' cannot measure itself"),
                        "remove it from its own =~ line".into(),
                    ));
                }
                indicators[f].push((v, t.modifier.clone()));
            }
        }
    }
    for name in &from_instrument {
        let f = latent_index(name).expect("pushed as a latent");
        let d = dims[name.as_str()];
        let inst = instrument.expect("dimensions come from an instrument");
        for &i in &d.items {
            let v = var_of(&inst.items[i].id, 0, &mut observed, false)?;
            indicators[f].push((v, Modifier::None));
        }
    }
    // Structural statements: both sides must be latent variables (observed variables enter as indicators).
    let mut regressions: Vec<(Var, Var, Modifier, usize)> = Vec::new();
    let mut covariances: Vec<(Var, Var, Modifier, usize)> = Vec::new();
    let mut defined = Vec::new();
    for s in statements {
        match s {
            Statement::Relation {
                line,
                lhs,
                op: Op::Regression,
                rhs,
            } => {
                let y = var_of(lhs, *line, &mut observed, true)?;
                for t in rhs {
                    let x = var_of(&t.var, *line, &mut observed, true)?;
                    if x == y {
                        return Err(err(
                            *line,
                            format!("'{lhs}' cannot be regressed on itself"),
                            "remove it from the right side".into(),
                        ));
                    }
                    regressions.push((x, y, t.modifier.clone(), *line));
                }
            }
            Statement::Relation {
                line,
                lhs,
                op: Op::Covariance,
                rhs,
            } => {
                let a = var_of(lhs, *line, &mut observed, false)?;
                for t in rhs {
                    let b = var_of(&t.var, *line, &mut observed, false)?;
                    covariances.push((a, b, t.modifier.clone(), *line));
                }
            }
            Statement::Defined {
                line,
                name,
                expr,
                text,
            } => defined.push(Defined {
                name: name.clone(),
                expr: expr.clone(),
                text: text.clone(),
                line: *line,
            }),
            _ => {}
        }
    }
    // Observed variables in the structural part (covariates, an observed outcome) enter as single-indicator
    // latent variables, loading fixed at 1 and no residual (lavaan's phantom representation), so that the
    // engine's regressions stay among latent variables.
    let mut phantom = vec![false; latents.len()];
    let mut phantom_of: HashMap<usize, usize> = HashMap::new();
    for (x, y, _, line) in &regressions {
        for v in [*x, *y] {
            let Var::Observed(i) = v else { continue };
            if phantom_of.contains_key(&i) {
                continue;
            }
            if indicators
                .iter()
                .any(|ind| ind.iter().any(|(w, _)| *w == v))
            {
                return Err(err(
                    *line,
                    format!("'{}' is an indicator of a factor and also a variable of a regression", observed[i]),
                    "regress on the factor it measures, or use another column as the observed variable".into(),
                ));
            }
            latents.push(observed[i].clone());
            indicators.push(vec![(v, Modifier::None)]);
            phantom.push(true);
            phantom_of.insert(i, latents.len() - 1);
        }
    }
    let as_latent = |v: Var| match v {
        Var::Observed(i) => phantom_of.get(&i).map_or(v, |&f| Var::Latent(f)),
        latent => latent,
    };
    let regressions: Vec<(usize, usize, Modifier, usize)> = regressions
        .into_iter()
        .map(|(x, y, modifier, line)| {
            let index = |v: Var| match as_latent(v) {
                Var::Latent(f) => f,
                Var::Observed(_) => {
                    unreachable!("every observed variable of a regression is a phantom")
                }
            };
            (index(x), index(y), modifier, line)
        })
        .collect();
    for c in covariances.iter_mut() {
        c.0 = as_latent(c.0);
        c.1 = as_latent(c.1);
        if matches!(
            (c.0, c.1),
            (Var::Latent(_), Var::Observed(_)) | (Var::Observed(_), Var::Latent(_))
        ) {
            return Err(err(
                c.3,
                "a covariance of a latent and an observed variable is not supported".into(),
                "covary latent variables with latent ones, and items with items".into(),
            ));
        }
    }
    for (f, ind) in indicators.iter().enumerate() {
        if ind.is_empty() {
            let line = statements.iter().find_map(|s| match s {
                Statement::Relation { line, lhs, rhs, .. }
                    if lhs == &latents[f] || rhs.iter().any(|t| t.var == latents[f]) =>
                {
                    Some(*line)
                }
                _ => None,
            });
            return Err(err(
                line.unwrap_or(1),
                format!("'{}' has no indicators", latents[f]),
                "measure it with an =~ line".into(),
            ));
        }
    }
    let p = observed.len();
    let m = latents.len();
    let mut b = Builder::new(p, m);
    b.constraints(statements, origin)?;
    // Loadings (=~): the first indicator is the marker unless a modifier says otherwise.
    for (f, ind) in indicators.iter().enumerate() {
        if phantom[f] {
            if let [(Var::Observed(i), _)] = ind[..] {
                b.fixed(place(Matrix::Lambda, i, f), 1.0);
                b.fixed(place(Matrix::Theta, i, i), 0.0);
            }
            continue;
        }
        for (k, (v, modifier)) in ind.iter().enumerate() {
            let (lhs, rhs) = (latents[f].clone(), name_of(*v, &latents, &observed));
            let place = match *v {
                Var::Observed(i) => place(Matrix::Lambda, i, f),
                Var::Latent(g) => place(Matrix::Beta, g, f),
            };
            let default = if k == 0 { Some(1.0) } else { None };
            b.cell(place, modifier, default, lhs, Op::Measured, rhs);
        }
    }
    let endogenous: Vec<bool> = (0..m)
        .map(|f| {
            regressions.iter().any(|r| r.1 == f)
                || indicators
                    .iter()
                    .any(|ind| ind.iter().any(|(v, _)| *v == Var::Latent(f)))
        })
        .collect();
    for (x, y, modifier, _) in &regressions {
        b.cell(
            place(Matrix::Beta, *y, *x),
            modifier,
            None,
            latents[*y].clone(),
            Op::Regression,
            latents[*x].clone(),
        );
    }
    // Variances: residual variances of indicators, (disturbance) variances of latent variables.
    let user_cov = |a: Var, c: Var| {
        covariances
            .iter()
            .find(|(x, y, _, _)| (*x == a && *y == c) || (*x == c && *y == a))
    };
    let indicator_items: Vec<usize> = (0..p)
        .filter(|&i| {
            indicators
                .iter()
                .zip(&phantom)
                .any(|(ind, &ph)| !ph && ind.iter().any(|(v, _)| *v == Var::Observed(i)))
        })
        .collect();
    for &i in &indicator_items {
        let modifier =
            user_cov(Var::Observed(i), Var::Observed(i)).map_or(Modifier::None, |c| c.2.clone());
        b.cell(
            place(Matrix::Theta, i, i),
            &modifier,
            None,
            observed[i].clone(),
            Op::Covariance,
            observed[i].clone(),
        );
    }
    for (f, name) in latents.iter().enumerate() {
        let modifier =
            user_cov(Var::Latent(f), Var::Latent(f)).map_or(Modifier::None, |c| c.2.clone());
        b.cell(
            place(Matrix::Psi, f, f),
            &modifier,
            None,
            name.clone(),
            Op::Covariance,
            name.clone(),
        );
    }
    // Covariances: exogenous latent variables covary by default; then the model's own ~~ lines.
    // Observed covariates covary with one another but not with the latent factors (lavaan's fixed.x).
    let exogenous: Vec<usize> = (0..m).filter(|&f| !endogenous[f]).collect();
    for (k, &a) in exogenous.iter().enumerate() {
        for &c in exogenous[k + 1..]
            .iter()
            .filter(|&&c| phantom[c] == phantom[a])
        {
            let modifier =
                user_cov(Var::Latent(a), Var::Latent(c)).map_or(Modifier::None, |x| x.2.clone());
            b.cell(
                place(Matrix::Psi, c, a),
                &modifier,
                None,
                latents[a].clone(),
                Op::Covariance,
                latents[c].clone(),
            );
        }
    }
    for (a, c, modifier, line) in &covariances {
        let (matrix, i, j, lhs, rhs) = match (*a, *c) {
            (Var::Observed(i), Var::Observed(j)) => {
                (Matrix::Theta, i, j, &observed[i], &observed[j])
            }
            (Var::Latent(i), Var::Latent(j)) => (Matrix::Psi, i, j, &latents[i], &latents[j]),
            _ => unreachable!("mixed covariances were refused above"),
        };
        if i == j
            || (matrix == Matrix::Psi
                && exogenous.contains(&i)
                && exogenous.contains(&j)
                && phantom[i] == phantom[j])
        {
            continue; // handled above
        }
        if matrix == Matrix::Theta
            && (!indicator_items.contains(&i) || !indicator_items.contains(&j))
        {
            return Err(err(
                *line,
                format!("'{lhs} ~~ {rhs}': both must be indicators of latent variables"),
                "measure them with =~ lines".into(),
            ));
        }
        b.cell(
            place(matrix, i.max(j), i.min(j)),
            modifier,
            None,
            lhs.clone(),
            Op::Covariance,
            rhs.clone(),
        );
    }
    // Every latent variable needs a scale: a fixed loading or a fixed variance.
    for (f, name) in latents.iter().enumerate().filter(|(f, _)| !phantom[*f]) {
        let fixed_loading = b
            .params
            .iter()
            .any(|q| q.op == Op::Measured && &q.lhs == name && q.free.is_none() && q.fixed != 0.0);
        let fixed_variance = b
            .params
            .iter()
            .any(|q| q.place == place(Matrix::Psi, f, f) && q.free.is_none());
        if !fixed_loading && !fixed_variance {
            let line = measured_line.get(name).copied().unwrap_or(1);
            return Err(err(line, format!("'{name}' has no scale: its first loading is freed and its variance is not fixed"), format!("fix one loading (drop NA* from its first indicator) or its variance (`{name} ~~ 1*{name}`)")));
        }
    }
    b.finish_labels();
    // Every label a constraint names is a parameter's label.
    for s in statements {
        if let Statement::Constraint {
            line,
            label,
            equals,
        } = s
        {
            let mut named = vec![label.as_str()];
            if let super::syntax::Equals::Label(other) = equals {
                named.push(other);
            }
            for l in named {
                if !b.labels.contains_key(l) && !b.fixed_labels.contains_key(l) {
                    let known: Vec<String> = b.labels.keys().cloned().collect();
                    return Err(err(
                        *line,
                        format!("'{l}' in the constraint is not a label of the model{}", did_you_mean(l, &known)),
                        "label the parameter first, e.g. `satisfaction ~ a*price`, then write `a == b` or `a == 0.5`".into(),
                    ));
                }
            }
        }
    }
    // Labels in defined parameters must exist (or be defined before).
    let mut names: Vec<String> = b
        .labels
        .keys()
        .chain(b.fixed_labels.keys())
        .cloned()
        .collect();
    for d in &defined {
        for l in d.expr.labels() {
            if !names.iter().any(|n| n == l) {
                return Err(err(
                    d.line,
                    format!(
                        "'{l}' in '{} := {}' is not a label of the model{}",
                        d.name,
                        d.text,
                        did_you_mean(l, &names)
                    ),
                    "label a parameter with it, e.g. `y ~ a*x`".into(),
                ));
            }
        }
        names.push(d.name.clone());
    }
    Ok(Built {
        origin: origin.to_string(),
        latents,
        observed,
        indicators: indicators
            .into_iter()
            .map(|ind| ind.into_iter().map(|(v, _)| v).collect())
            .collect(),
        from_instrument,
        n_params: b.next,
        pattern: b.pattern,
        params: b.params,
        labels: b.labels,
        fixed_labels: b.fixed_labels,
        defined,
        regressions: regressions.iter().map(|r| (r.0, r.1)).collect(),
        covariates: (0..m).filter(|&f| phantom[f] && !endogenous[f]).collect(),
        phantom,
        covariate_lines,
    })
}

fn name_of(v: Var, latents: &[String], observed: &[String]) -> String {
    match v {
        Var::Latent(f) => latents[f].clone(),
        Var::Observed(i) => observed[i].clone(),
    }
}

fn place(matrix: Matrix, row: usize, col: usize) -> Place {
    Place {
        group: 0,
        matrix,
        row,
        col,
    }
}

/// " (did you mean 'x'?)" for the closest name, when one is close.
pub fn did_you_mean(name: &str, known: &[String]) -> String {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default()
}

/// Fills the matrices and the parameter table.
struct Builder {
    pattern: GroupPattern,
    next: usize,
    params: Vec<Param>,
    labels: HashMap<String, usize>,
    /// `a == b`: each label's representative (labels held equal share one parameter).
    same: HashMap<String, String>,
    /// Representatives fixed by `a == 0.5`; after [`Builder::finish_labels`], every label so fixed.
    fixed_labels: HashMap<String, f64>,
    /// Labels written on cells, with their representative.
    written: Vec<(String, String)>,
}

impl Builder {
    fn new(p: usize, m: usize) -> Builder {
        Builder {
            pattern: GroupPattern::new(p, m, false),
            next: 0,
            params: Vec::new(),
            labels: HashMap::new(),
            same: HashMap::new(),
            fixed_labels: HashMap::new(),
            written: Vec::new(),
        }
    }

    fn representative(&self, label: &str) -> String {
        let mut at = label.to_string();
        while let Some(next) = self.same.get(&at) {
            at = next.clone();
        }
        at
    }

    /// Read the model's `==` lines: labels held equal join one representative; a fixed value is kept on it.
    fn constraints(&mut self, statements: &[Statement], origin: &str) -> Result<()> {
        for s in statements {
            let Statement::Constraint {
                line,
                label,
                equals,
            } = s
            else {
                continue;
            };
            let a = self.representative(label);
            let clash = |x: f64, y: f64| {
                model_error(
                    origin,
                    *line,
                    &format!("'{label}' is fixed at {x} and at {y}"),
                    "keep one value",
                )
            };
            match equals {
                super::syntax::Equals::Value(v) => {
                    if let Some(&old) = self.fixed_labels.get(&a) {
                        if old != *v {
                            return Err(clash(old, *v));
                        }
                    }
                    self.fixed_labels.insert(a, *v);
                }
                super::syntax::Equals::Label(other) => {
                    let b = self.representative(other);
                    if a == b {
                        continue;
                    }
                    if let Some(vb) = self.fixed_labels.remove(&b) {
                        if let Some(&va) = self.fixed_labels.get(&a) {
                            if va != vb {
                                return Err(clash(va, vb));
                            }
                        }
                        self.fixed_labels.insert(a.clone(), vb);
                    }
                    self.same.insert(b, a);
                }
            }
        }
        Ok(())
    }

    /// Every written label maps to its representative's parameter (or fixed value).
    fn finish_labels(&mut self) {
        let mut fixed = HashMap::new();
        for (label, rep) in &self.written {
            if let Some(&v) = self.fixed_labels.get(rep) {
                fixed.insert(label.clone(), v);
            } else if let Some(&k) = self.labels.get(rep) {
                self.labels.insert(label.clone(), k);
            }
        }
        // Representatives that no cell carries stay out of the table.
        self.labels
            .retain(|l, _| self.written.iter().any(|(w, _)| w == l));
        self.fixed_labels = fixed;
    }

    /// Fix one cell that is not a parameter of the model's table (a phantom's loading and residual).
    fn fixed(&mut self, place: Place, value: f64) {
        let pat = match place.matrix {
            Matrix::Lambda => &mut self.pattern.lambda,
            _ => &mut self.pattern.theta,
        };
        pat.set(place.row, place.col, Cell::Fixed(value));
    }

    /// Set one cell from its modifier; `default` is the value of an unmodified fixed cell (a marker).
    fn cell(
        &mut self,
        place: Place,
        modifier: &Modifier,
        default: Option<f64>,
        lhs: String,
        op: Op,
        rhs: String,
    ) {
        let (cell, label) = match modifier {
            Modifier::Fixed(v) => (Cell::Fixed(*v), None),
            Modifier::None if default.is_some() => (Cell::Fixed(default.unwrap_or(0.0)), None),
            Modifier::Label(l) => {
                let rep = self.representative(l);
                self.written.push((l.clone(), rep.clone()));
                match self.fixed_labels.get(&rep) {
                    Some(&v) => (Cell::Fixed(v), Some(l.clone())),
                    None => {
                        let k = *self.labels.entry(rep).or_insert_with(|| {
                            self.next += 1;
                            self.next - 1
                        });
                        (Cell::Free(k), Some(l.clone()))
                    }
                }
            }
            Modifier::None | Modifier::Free => {
                self.next += 1;
                (Cell::Free(self.next - 1), None)
            }
        };
        let pat = match place.matrix {
            Matrix::Lambda => &mut self.pattern.lambda,
            Matrix::Beta => &mut self.pattern.beta,
            Matrix::Psi => &mut self.pattern.psi,
            Matrix::Theta => &mut self.pattern.theta,
            Matrix::Nu | Matrix::Alpha => {
                unreachable!("single-group models have no mean structure")
            }
        };
        if matches!(place.matrix, Matrix::Psi | Matrix::Theta) {
            pat.set_sym(place.row, place.col, cell);
        } else {
            pat.set(place.row, place.col, cell);
        }
        let (free, fixed) = match cell {
            Cell::Free(k) => (Some(k), 0.0),
            Cell::Fixed(v) => (None, v),
        };
        self.params.push(Param {
            lhs,
            op,
            rhs,
            label,
            free,
            fixed,
            place,
        });
    }
}
