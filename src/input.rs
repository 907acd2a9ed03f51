//! The input steps every command shares: choose the instrument, read the file, score it. A library user
//! gets the same choice of instrument and the same checks as the command line.
//!
//! ```no_run
//! use perval::input::{self, LoadOptions};
//! let loaded = input::load(&LoadOptions::new("data/perval-stores.csv", Some("store"))).unwrap();
//! println!("{} respondents used", loaded.scored.rows.len());
//! ```

use crate::data::{self, RawFile, ReadOptions, Responses};
use crate::error::{Error, Result};
use crate::instrument::{self, Instrument};
use crate::scoring::{self, MissingPolicy, Scored};
use std::path::PathBuf;

/// What to read and how.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub file: PathBuf,
    /// Built-in instrument id or path to a TOML file; None: the built-in whose items are all columns.
    pub instrument: Option<String>,
    pub missing: MissingPolicy,
    /// Encoding, platform layout and item-to-column map.
    pub read: ReadOptions,
    /// The grouping column.
    pub by: Option<String>,
    /// Also read the respondent id and completion-time columns (scores file, screening).
    pub ids: bool,
}

impl LoadOptions {
    /// Defaults: instrument chosen from the columns, listwise deletion, encoding and layout detected.
    pub fn new(file: impl Into<PathBuf>, by: Option<&str>) -> LoadOptions {
        LoadOptions {
            file: file.into(),
            instrument: None,
            missing: MissingPolicy::Listwise,
            read: ReadOptions::default(),
            by: by.map(String::from),
            ids: false,
        }
    }
}

/// Everything read and validated, ready for analysis.
pub struct Loaded {
    pub instrument: Instrument,
    pub responses: Responses,
    pub scored: Scored,
}

/// The instruments to try: the requested id or path, or else the built-ins whose items are all columns.
/// Several fit only when they are translations of one another (same items, keys and scale); then each is tried
/// in turn (English first) and the first whose labels read the answers is used.
pub fn candidate_instruments(file: &RawFile, requested: Option<&str>) -> Result<Vec<Instrument>> {
    if let Some(r) = requested {
        return Ok(vec![instrument::load(r)?]);
    }
    let mut fitting: Vec<Instrument> = instrument::builtins()
        .into_iter()
        .filter(|i| i.has_items() && file.fits(i))
        .collect();
    // An instrument whose items all belong to a larger fitting one (perval-19 within perval-chain) gives way
    // to it: the file was collected with the larger one.
    let contains = |big: &Instrument, small: &Instrument| {
        small
            .items
            .iter()
            .all(|s| big.items.iter().any(|b| b.id == s.id))
    };
    let all = fitting.clone();
    fitting.retain(|i| {
        !all.iter()
            .any(|big| big.items.len() > i.items.len() && contains(big, i))
    });
    let same_scoring = |a: &Instrument, b: &Instrument| {
        a.scale.min == b.scale.min
            && a.scale.max == b.scale.max
            && a.items.len() == b.items.len()
            && a.items
                .iter()
                .zip(&b.items)
                .all(|(x, y)| x.id == y.id && x.reverse == y.reverse && x.dimension == y.dimension)
    };
    match fitting.first() {
        None => Err(Error::InstrumentChoice {
            file: file.path.clone(),
            message: "no built-in instrument has all its items among the file's columns".into(),
            fix: format!(
                "give one with --instrument ID or --instrument FILE.toml (built-in: {}); the file's columns are: {}",
                instrument::BUILTIN.iter().map(|b| b.0).collect::<Vec<_>>().join(", "),
                file.columns.join(", ")
            ),
        }),
        Some(first) if fitting.iter().all(|i| same_scoring(first, i)) => {
            // An SPSS or Stata file says its language in its value labels: the translation whose scale labels
            // they are is tried first (the order is otherwise the built-ins').
            fitting.sort_by_key(|i| std::cmp::Reverse(file.label_agreement(i)));
            Ok(fitting)
        }
        Some(_) => Err(Error::InstrumentChoice {
            file: file.path.clone(),
            message: format!(
                "several built-in instruments fit the columns: {}",
                fitting.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
            fix: "choose one with --instrument ID".into(),
        }),
    }
}

/// Read, validate and score the responses.
pub fn load(o: &LoadOptions) -> Result<Loaded> {
    let file = crate::progress::timed("open and check", || data::open_with(&o.file, &o.read))?;
    let candidates = candidate_instruments(&file, o.instrument.as_deref())?;
    if let Some(i) = candidates.iter().find(|i| !i.has_items()) {
        return Err(Error::Usage(format!(
            "instrument '{}' is a Kano questionnaire without Likert items: nothing to score\n  fix: run perval kano {} --instrument {}",
            i.id,
            o.file.display(),
            o.instrument.as_deref().unwrap_or(&i.id)
        )));
    }
    let last = candidates.len() - 1;
    // When no translation reads the answers, the error speaks of the first (English) one.
    let mut first_error = None;
    for (k, instrument) in candidates.into_iter().enumerate() {
        match crate::progress::timed("parse and code", || {
            file.load(&instrument, o.by.as_deref(), o.ids)
        }) {
            Err(e) if e.is_unknown_answer() && k < last => {
                first_error.get_or_insert(e);
                continue;
            }
            Err(e) if e.is_unknown_answer() => return Err(first_error.unwrap_or(e)),
            Err(e) => return Err(e),
            Ok(mut responses) => {
                // The file's bytes are no longer needed: free them before the scores are allocated.
                drop(file);
                let scored = crate::progress::timed("score", || {
                    scoring::score_in_place(&mut responses, &instrument, o.missing)
                })?;
                return Ok(Loaded {
                    instrument,
                    responses,
                    scored,
                });
            }
        }
    }
    Err(Error::Internal(
        "the last candidate instrument neither loaded nor failed".into(),
    ))
}

/// A questionnaire section a family reads its own columns by (not the Likert items of `load`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Questionnaire {
    /// `[kano]`: each attribute's functional, dysfunctional and importance columns.
    Kano,
    /// `[expectations]`: each item's adequate, desired and perceived columns.
    Expectations,
}

impl Questionnaire {
    fn section(self) -> &'static str {
        match self {
            Questionnaire::Kano => "[kano]",
            Questionnaire::Expectations => "[expectations]",
        }
    }

    /// The columns the instrument's section names (None: the instrument has no such section).
    pub fn columns(self, i: &Instrument) -> Option<Vec<String>> {
        match self {
            Questionnaire::Kano => i.kano.as_ref().map(|k| {
                k.attributes
                    .iter()
                    .flat_map(|a| {
                        [
                            Some(&a.functional),
                            Some(&a.dysfunctional),
                            a.importance.as_ref(),
                        ]
                        .into_iter()
                        .flatten()
                        .cloned()
                    })
                    .collect()
            }),
            Questionnaire::Expectations => i.expectations.as_ref().map(|e| {
                i.items
                    .iter()
                    .flat_map(|it| instrument::Level::ALL.map(|l| e.column(l, &it.id)))
                    .collect()
            }),
        }
    }
}

/// The response file and the instrument of a family that reads its own columns: the requested instrument
/// (which must have the section), or else the one built-in with the section whose columns are all in the file.
pub fn open_questionnaire(o: &LoadOptions, kind: Questionnaire) -> Result<(RawFile, Instrument)> {
    let file = data::open_with(&o.file, &o.read)?;
    let section = kind.section();
    if let Some(r) = o.instrument.as_deref() {
        let inst = instrument::load(r)?;
        if kind.columns(&inst).is_none() {
            return Err(Error::Usage(format!(
                "instrument '{}' has no {section} section\n  fix: give an instrument with one (see `perval instruments`), or add the section (README)",
                inst.id
            )));
        }
        // Its columns are found (by name, --map or question text) and checked by the reader.
        return Ok((file, inst));
    }
    let mut fitting: Vec<Instrument> = instrument::builtins()
        .into_iter()
        .filter(|i| {
            kind.columns(i)
                .is_some_and(|c| c.iter().all(|c| file.columns.contains(c)))
        })
        .collect();
    // An instrument and its translation name the same columns: the file's language chooses.
    let same_columns = fitting
        .windows(2)
        .all(|w| kind.columns(&w[0]) == kind.columns(&w[1]));
    if fitting.len() > 1 && same_columns {
        let zh = file.has_cjk_text();
        let k = fitting
            .iter()
            .position(|i| (i.language == instrument::Language::Zh) == zh)
            .unwrap_or(0);
        let chosen = fitting.swap_remove(k);
        return Ok((file, chosen));
    }
    match fitting.len() {
        1 => Ok((file, fitting.into_iter().next().expect("one instrument"))),
        0 => Err(Error::InstrumentChoice {
            file: file.path.clone(),
            message: format!("no built-in instrument with a {section} section has all its columns in the file"),
            fix: format!(
                "give one with --instrument FILE.toml (README: instruments); the file's columns are: {}",
                file.columns.join(", ")
            ),
        }),
        _ => Err(Error::InstrumentChoice {
            file: file.path.clone(),
            message: format!(
                "several built-in instruments fit the columns: {}",
                fitting.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
            fix: "choose one with --instrument ID".into(),
        }),
    }
}
