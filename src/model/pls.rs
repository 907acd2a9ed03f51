//! From parsed statements to a PLS path model: `=~` constructs are mode A, `<~` constructs mode B, an
//! instrument dimension named in a regression without its own line is a mode A construct of its items, and
//! an item named in a regression is a single-indicator construct. Paths come from `~` lines (labels allowed,
//! for `:=` effects); PLS estimates no covariances and fixes no weights, so `~~` lines and fixed values are
//! refused with the reason.

use super::build::{did_you_mean, Defined};
use super::syntax::{model_error, Modifier, Op, Statement};
use crate::error::Result;
use crate::instrument::Instrument;
use crate::stats::pls::{Mode, Spec};
use std::collections::HashMap;

/// A PLS model resolved against the instrument.
#[derive(Debug, Clone)]
pub struct PlsModel {
    /// The model file or built-in id, for messages.
    pub origin: String,
    pub constructs: Vec<String>,
    /// Each construct's label: the instrument dimension's of the same name, else the name.
    pub construct_labels: Vec<String>,
    /// The label in the other language, from a built-in translation of the instrument.
    pub translated_labels: Vec<Option<String>>,
    /// Indicators (data columns), block by block.
    pub observed: Vec<String>,
    pub spec: Spec,
    /// Constructs measured by an instrument dimension without a line of their own.
    pub from_instrument: Vec<String>,
    /// Label → path index.
    pub labels: HashMap<String, usize>,
    pub defined: Vec<Defined>,
}

impl PlsModel {
    /// "X -> Y" of each path.
    pub fn path_names(&self) -> Vec<String> {
        self.spec
            .paths
            .iter()
            .map(|&(x, y)| format!("{} -> {}", self.constructs[x], self.constructs[y]))
            .collect()
    }

    /// The defined parameters' values for the given path coefficients, in order (a defined parameter may use
    /// the ones before it).
    pub fn evaluate_defined(&self, path_value: &dyn Fn(usize) -> f64) -> Vec<f64> {
        let mut values: Vec<f64> = Vec::new();
        for d in &self.defined {
            let v = d.expr.eval(&|label: &str| {
                if let Some(&k) = self.labels.get(label) {
                    path_value(k)
                } else {
                    self.defined
                        .iter()
                        .position(|e| e.name == label)
                        .and_then(|k| values.get(k).copied())
                        .unwrap_or(f64::NAN)
                }
            });
            values.push(v);
        }
        values
    }
}

pub fn build(
    statements: &[Statement],
    instrument: Option<&Instrument>,
    origin: &str,
) -> Result<PlsModel> {
    let err = |line: usize, message: String, fix: &str| model_error(origin, line, &message, fix);
    let dims: HashMap<&str, &crate::instrument::Dimension> = instrument
        .map(|i| i.dimensions.iter().map(|d| (d.id.as_str(), d)).collect())
        .unwrap_or_default();
    let items: Vec<&str> = instrument
        .map(|i| i.items.iter().map(|x| x.id.as_str()).collect())
        .unwrap_or_default();
    // Constructs with their own line.
    let mut constructs: Vec<String> = Vec::new();
    let mut modes: Vec<Mode> = Vec::new();
    let mut listed: Vec<Vec<(String, usize)>> = Vec::new();
    for s in statements {
        if let Statement::Relation { line, lhs, op, rhs } = s {
            match op {
                Op::Measured | Op::Composite => {
                    if constructs.contains(lhs) {
                        return Err(err(
                            *line,
                            format!("'{lhs}' is measured twice"),
                            "list all its indicators on one line",
                        ));
                    }
                    for t in rhs {
                        if !matches!(t.modifier, Modifier::None | Modifier::Free) {
                            return Err(err(
                                *line,
                                format!("'{}' carries a fixed value or label: PLS estimates every outer weight", t.var),
                                "remove the modifier (`x` rather than `1*x` or `a*x`)",
                            ));
                        }
                    }
                    constructs.push(lhs.clone());
                    modes.push(if *op == Op::Measured {
                        Mode::A
                    } else {
                        Mode::B
                    });
                    listed.push(rhs.iter().map(|t| (t.var.clone(), *line)).collect());
                }
                Op::Covariance => {
                    return Err(err(
                        *line,
                        format!("'{lhs} ~~ …': PLS path models estimate no covariances"),
                        "remove the line (`perval sem` fits residual covariances)",
                    ))
                }
                Op::Regression => {}
            }
        }
    }
    // Instrument dimensions named in regressions (in the instrument's order), then single items.
    let regression_names: Vec<(&str, usize)> = statements
        .iter()
        .filter_map(|s| match s {
            Statement::Relation {
                line,
                lhs,
                op: Op::Regression,
                rhs,
            } => Some(
                std::iter::once((lhs.as_str(), *line))
                    .chain(rhs.iter().map(move |t| (t.var.as_str(), *line))),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    let mut from_instrument = Vec::new();
    if let Some(inst) = instrument {
        for d in &inst.dimensions {
            if !constructs.contains(&d.id) && regression_names.iter().any(|(n, _)| *n == d.id) {
                constructs.push(d.id.clone());
                modes.push(Mode::A);
                listed.push(
                    d.items
                        .iter()
                        .map(|&i| (inst.items[i].id.clone(), 0))
                        .collect(),
                );
                from_instrument.push(d.id.clone());
            }
        }
    }
    let known: Vec<String> = constructs
        .iter()
        .cloned()
        .chain(dims.keys().map(|s| s.to_string()))
        .chain(items.iter().map(|s| s.to_string()))
        .collect();
    for &(name, line) in &regression_names {
        if constructs.iter().any(|c| c == name) {
            continue;
        }
        if instrument.is_some() && !items.contains(&name) {
            return Err(err(
                line,
                format!("'{name}' is neither a construct of the model nor an item or dimension of the instrument{}", did_you_mean(name, &known)),
                "correct the name, define it with an =~ or <~ line, or choose the instrument that has it",
            ));
        }
        constructs.push(name.to_string());
        modes.push(Mode::A);
        listed.push(vec![(name.to_string(), line)]);
    }
    // Indicators: each a data column, in one block only.
    let mut observed: Vec<String> = Vec::new();
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    for (c, list) in listed.iter().enumerate() {
        let mut block = Vec::new();
        for (var, line) in list {
            if constructs.iter().any(|k| k == var) && !(list.len() == 1 && var == &constructs[c]) {
                return Err(err(
                    *line,
                    format!(
                        "'{var}' is a construct: higher-order constructs are not supported in PLS"
                    ),
                    "list the items of the lower-order constructs instead",
                ));
            }
            if instrument.is_some() && !items.contains(&var.as_str()) {
                return Err(err(
                    *line,
                    format!(
                        "'{var}' is not an item of the instrument{}",
                        did_you_mean(var, &known)
                    ),
                    "correct the name, or choose the instrument that has it",
                ));
            }
            if observed.contains(var) {
                return Err(err(
                    *line,
                    format!("'{var}' is an indicator of two constructs"),
                    "give each item to one construct",
                ));
            }
            observed.push(var.clone());
            block.push(observed.len() - 1);
        }
        if block.is_empty() {
            return Err(err(
                1,
                format!("'{}' has no indicators", constructs[c]),
                "list its items",
            ));
        }
        blocks.push(block);
    }
    // Paths.
    let index = |n: &str, line: usize| {
        constructs.iter().position(|c| c == n).ok_or_else(|| {
            err(
                line,
                format!("'{n}' is not a construct of the model"),
                "define it with an =~ or <~ line",
            )
        })
    };
    let mut paths: Vec<(usize, usize)> = Vec::new();
    let mut labels: HashMap<String, usize> = HashMap::new();
    let mut defined = Vec::new();
    for s in statements {
        match s {
            Statement::Relation {
                line,
                lhs,
                op: Op::Regression,
                rhs,
            } => {
                let y = index(lhs, *line)?;
                for t in rhs {
                    let x = index(&t.var, *line)?;
                    if x == y {
                        return Err(err(
                            *line,
                            format!("'{lhs}' cannot be regressed on itself"),
                            "remove it from the right side",
                        ));
                    }
                    if paths.contains(&(x, y)) {
                        return Err(err(
                            *line,
                            format!("the path {} -> {lhs} is given twice", t.var),
                            "keep one",
                        ));
                    }
                    match &t.modifier {
                        Modifier::Fixed(v) => {
                            return Err(err(
                                *line,
                                format!("'{v}*{}': PLS estimates every path", t.var),
                                "remove the fixed value",
                            ))
                        }
                        Modifier::Label(l) => {
                            if labels.insert(l.clone(), paths.len()).is_some() {
                                return Err(err(*line, format!("the label '{l}' is used twice: PLS has no equality constraints"), "give each path its own label"));
                            }
                        }
                        Modifier::None | Modifier::Free => {}
                    }
                    paths.push((x, y));
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
            Statement::Constraint { line, .. } => {
                return Err(err(
                    *line,
                    "equality constraints (`==`) are not part of a PLS path model: PLS estimates every path freely".into(),
                    "remove the line, or fit the model with `perval sem`",
                ))
            }
            _ => {}
        }
    }
    if paths.is_empty() {
        return Err(err(
            1,
            "the model has no paths (`~` lines): PLS-SEM estimates a structural model".into(),
            "add the regressions, e.g. `satisfaction ~ functional + price`",
        ));
    }
    for (c, name) in constructs.iter().enumerate() {
        if !paths.iter().any(|p| p.0 == c || p.1 == c) {
            return Err(err(
                1,
                format!(
                    "'{name}' is in no path: PLS needs every construct in the structural model"
                ),
                "add its paths or remove its line",
            ));
        }
    }
    let spec = Spec {
        blocks,
        modes,
        paths,
    };
    if spec.causal_order().len() < spec.endogenous().len() {
        return Err(err(
            1,
            "the paths form a loop: PLS path models must be recursive".into(),
            "remove a path of the loop",
        ));
    }
    let mut names: Vec<String> = labels.keys().cloned().collect();
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
                    "label a path with it, e.g. `y ~ a*x`",
                ));
            }
        }
        names.push(d.name.clone());
    }
    let construct_labels = constructs
        .iter()
        .map(|c| {
            dims.get(c.as_str())
                .map_or_else(|| c.clone(), |d| d.label.clone())
        })
        .collect();
    let translations = instrument
        .and_then(crate::instrument::translated_labels)
        .unwrap_or_default();
    let translated_labels = constructs
        .iter()
        .map(|c| {
            translations
                .iter()
                .find(|(id, _)| id == c)
                .map(|(_, l)| l.clone())
        })
        .collect();
    Ok(PlsModel {
        origin: origin.to_string(),
        constructs,
        construct_labels,
        translated_labels,
        observed,
        spec,
        from_instrument,
        labels,
        defined,
    })
}
