//! Structural models in lavaan syntax: read a model file or a built-in model, resolve it against the
//! instrument, and read the data it needs.
//!
//! ```
//! use perval::model;
//! let statements = model::syntax::parse("satisfaction ~ price\nloyalty ~ satisfaction", "example").unwrap();
//! let inst = perval::instrument::builtin("perval-chain").unwrap();
//! let built = model::build::build(&statements, Some(&inst), "example").unwrap();
//! assert_eq!(built.latents, ["satisfaction", "price", "loyalty"]);
//! ```

pub mod build;
pub mod pls;
pub mod syntax;

use crate::error::{Error, Result};
use crate::input::{candidate_instruments, LoadOptions, Loaded};
use crate::instrument::{Dimension, Instrument, Item, Language, Scale};
use build::Built;
use std::path::Path;

/// Built-in models: (id, description, lavaan syntax).
pub const BUILTIN: &[(&str, &str, &str)] = &[(
    "value-chain",
    "the four value dimensions -> satisfaction -> loyalty, price also -> loyalty; indirect effects through satisfaction",
    include_str!("../../models/value-chain.lav"),
)];

/// The model's text and its name for messages: a built-in id or a file.
pub fn read(arg: &str) -> Result<(String, String)> {
    if let Some((id, _, text)) = BUILTIN.iter().find(|(id, _, _)| *id == arg) {
        return Ok((text.to_string(), format!("model '{id}'")));
    }
    let path = Path::new(arg);
    if !path.exists() {
        return Err(Error::Usage(format!(
            "'{arg}' is neither a built-in model nor a file\n  fix: give a lavaan model file, or one of: {} (`perval models`)",
            BUILTIN.iter().map(|b| b.0).collect::<Vec<_>>().join(", ")
        )));
    }
    std::fs::read_to_string(path)
        .map(|t| (t, arg.to_string()))
        .map_err(|e| Error::Io {
            file: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// A model argument (file or built-in id) read, parsed and resolved against `instrument`.
pub fn resolve(arg: &str, instrument: Option<&Instrument>) -> Result<Built> {
    let (text, origin) = read(arg)?;
    let statements = syntax::parse(&text, &origin)?;
    build::build(&statements, instrument, &origin)
}

/// A model argument read, parsed and resolved as a PLS path model against `instrument`.
pub fn resolve_pls(arg: &str, instrument: Option<&Instrument>) -> Result<pls::PlsModel> {
    let (text, origin) = read(arg)?;
    let statements = syntax::parse(&text, &origin)?;
    pls::build(&statements, instrument, &origin)
}

/// Parse and resolve the model, choose the instrument as `analyze` does (none when none fits and none was
/// asked for), and read the model's observed variables with listwise deletion on them only (as lavaan).
pub fn load(o: &LoadOptions, text: &str, origin: &str) -> Result<(Built, Loaded)> {
    load_as(o, text, origin, build::build, |b: &Built| &b.observed)
}

/// [`load`] with a second model to compare (`sem --compare`): resolved against the same instrument, and
/// required to use exactly the first model's observed variables, so that both are fitted to the same rows.
pub fn load_with_alternative(
    o: &LoadOptions,
    text: &str,
    origin: &str,
    other: (&str, &str),
) -> Result<(Built, Built, Loaded)> {
    let statements = syntax::parse(other.0, other.1)?;
    let (built, loaded) = load(o, text, origin)?;
    // The sub-instrument read for the first model names only its variables: the second is built against
    // the full instrument (the same choice), then checked against the first's variables.
    let full = match o.instrument.as_deref() {
        Some(r) => Some(crate::instrument::load(r)?),
        None => crate::instrument::builtins()
            .into_iter()
            .find(|i| i.id == loaded.instrument.id),
    };
    let alternative = build::build(&statements, full.as_ref(), other.1)?;
    let mut a: Vec<&String> = built.observed.iter().collect();
    let mut b: Vec<&String> = alternative.observed.iter().collect();
    a.sort();
    b.sort();
    if a != b {
        let only = |x: &[&String], y: &[&String]| -> Vec<String> {
            x.iter()
                .filter(|v| !y.contains(v))
                .map(|v| v.to_string())
                .collect()
        };
        let (in_a, in_b) = (only(&a, &b), only(&b, &a));
        return Err(Error::Usage(format!(
            "--compare: {} and {} do not use the same observed variables ({}{}): a χ² difference, AIC and BIC compare models of the same data only
  fix: give both models the same items and covariates (fix a path at 0, `y ~ 0*x`, instead of leaving a variable out)",
            origin,
            other.1,
            if in_a.is_empty() { String::new() } else { format!("only in the first: {}", in_a.join(", ")) },
            if in_b.is_empty() { String::new() } else { format!("{}only in the second: {}", if in_a.is_empty() { "" } else { "; " }, in_b.join(", ")) },
        )));
    }
    Ok((built, alternative, loaded))
}

/// [`load`] for a PLS path model (`<~` composites allowed, no covariances).
pub fn load_pls(o: &LoadOptions, text: &str, origin: &str) -> Result<(pls::PlsModel, Loaded)> {
    load_as(o, text, origin, pls::build, |m: &pls::PlsModel| &m.observed)
}

fn load_as<M>(
    o: &LoadOptions,
    text: &str,
    origin: &str,
    build: fn(&[syntax::Statement], Option<&Instrument>, &str) -> Result<M>,
    observed: fn(&M) -> &[String],
) -> Result<(M, Loaded)> {
    let statements = syntax::parse(text, origin)?;
    let file = crate::data::open_with(&o.file, &o.read)?;
    let candidates = match candidate_instruments(&file, o.instrument.as_deref()) {
        Ok(c) => c,
        Err(Error::InstrumentChoice { .. }) if o.instrument.is_none() => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut last_error = None;
    for instrument in candidates
        .iter()
        .map(Some)
        .chain(candidates.is_empty().then_some(None))
    {
        let built = build(&statements, instrument, origin)?;
        let sub = observed_instrument(observed(&built), instrument);
        check_covariate_columns(&sub, &file, instrument, &statements, origin)?;
        match file.load(&sub, o.by.as_deref(), o.ids) {
            Err(e) if e.is_unknown_answer() => last_error = Some(e),
            Err(e) => return Err(e),
            Ok(mut responses) => {
                let scored = crate::scoring::score_in_place(&mut responses, &sub, o.missing)?;
                return Ok((
                    built,
                    Loaded {
                        instrument: sub,
                        responses,
                        scored,
                    },
                ));
            }
        }
    }
    Err(last_error.unwrap_or_else(|| Error::Internal("no instrument was tried".into())))
}

/// Every column a model names that is not an item of the instrument (a covariate) is a column of the file;
/// otherwise the model line that names it is the error, with the nearest name.
fn check_covariate_columns(
    sub: &Instrument,
    file: &crate::data::RawFile,
    instrument: Option<&Instrument>,
    statements: &[syntax::Statement],
    origin: &str,
) -> Result<()> {
    let Some(inst) = instrument else {
        return Ok(());
    };
    for item in sub.items.iter().filter(|i| i.covariate) {
        if file.columns.iter().any(|c| c == &item.id) {
            continue;
        }
        let line = statements
            .iter()
            .find_map(|s| match s {
                syntax::Statement::Relation { line, lhs, rhs, .. }
                    if lhs == &item.id || rhs.iter().any(|t| t.var == item.id) =>
                {
                    Some(*line)
                }
                _ => None,
            })
            .unwrap_or(1);
        let known: Vec<String> = inst
            .dimensions
            .iter()
            .map(|d| d.id.clone())
            .chain(inst.items.iter().map(|i| i.id.clone()))
            .chain(file.columns.iter().cloned())
            .collect();
        return Err(syntax::model_error(
            origin,
            line,
            &format!(
                "'{}' is neither a latent variable of the model, an item or dimension of instrument '{}', nor a column of {}{}",
                item.id,
                inst.id,
                file.path.display(),
                build::did_you_mean(&item.id, &known)
            ),
            "correct the name, measure it with an =~ line, or add the column (a covariate such as age) to the file",
        ));
    }
    Ok(())
}

/// The instrument of the model's observed variables only, in the engine's order: items keep their text,
/// reverse keying and scale; without an instrument every variable is a number on an open scale.
fn observed_instrument(observed: &[String], instrument: Option<&Instrument>) -> Instrument {
    let item = |id: &str| instrument.and_then(|i| i.items.iter().find(|x| x.id == id));
    let items: Vec<Item> = observed
        .iter()
        .enumerate()
        .map(|(k, id)| Item {
            id: id.clone(),
            text: item(id).map_or_else(|| id.clone(), |x| x.text.clone()),
            reverse: item(id).is_some_and(|x| x.reverse),
            dimension: k,
            covariate: instrument.is_some() && item(id).is_none(),
        })
        .collect();
    // One dimension per observed variable: scores are not used by the structural model.
    let dimensions = items
        .iter()
        .enumerate()
        .map(|(k, i)| Dimension {
            id: i.id.clone(),
            label: i.id.clone(),
            items: vec![k],
        })
        .collect();
    match instrument {
        Some(i) => Instrument {
            id: i.id.clone(),
            name: i.name.clone(),
            citation: i.citation.clone(),
            language: i.language,
            scale: i.scale.clone(),
            dimensions,
            items,
            missing: i.missing.clone(),
            source: i.source.clone(),
            kano: None,
            expectations: None,
        },
        None => Instrument {
            id: "columns".into(),
            name: "the model's columns".into(),
            citation: None,
            language: Language::En,
            scale: Scale {
                min: f64::NEG_INFINITY,
                max: f64::INFINITY,
                labels: Vec::new(),
                aliases: Vec::new(),
            },
            dimensions,
            items,
            missing: Vec::new(),
            source: "model".into(),
            kano: None,
            expectations: None,
        },
    }
}
