//! SPSS (.sav, compressed .zsav, portable .por) and Stata (.dta) files, read with polars-readstat-rs: the
//! answers as numbers (never value labels as text), declared missing values (SPSS user-missing codes and
//! ranges, Stata's extended missing values .a–.z) as missing answers and counted, each variable's label (the
//! question text, used to find items as in platform exports) and its value labels (checked against the
//! instrument's scale; the group names of a labelled `--by` column).

mod guard;

use super::RawFile;
use crate::error::{Error, Result};
use crate::instrument::Instrument;
use guard::{check_dta_header, check_sav_dictionary};
use polars::prelude::*;
use polars_readstat_rs::{InformativeNullColumns, InformativeNullMode, InformativeNullOpts};
use std::path::Path;

/// Which statistics package wrote the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Spss,
    SpssPortable,
    Stata,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Spss => "SPSS",
            Kind::SpssPortable => "SPSS portable",
            Kind::Stata => "Stata",
        }
    }
}

/// The kind of a statistics-package file, by its first bytes (or, for a file too damaged to say, by its
/// extension, so that the message names the format it should have been).
pub fn kind(bytes: &[u8], path: &Path) -> Option<Kind> {
    if bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3") {
        return Some(Kind::Spss);
    }
    if bytes.starts_with(b"<stata_dta>") {
        return Some(Kind::Stata);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("sav") | Some("zsav") => Some(Kind::Spss),
        Some("por") => Some(Kind::SpssPortable),
        // Stata 8–13 files start with their format version (113–117) and a byte order (1 or 2).
        Some("dta") => Some(Kind::Stata),
        _ => None,
    }
}

/// A statistics-package file read into a frame, with what its dictionary says of each column.
pub struct Labelled {
    pub frame: DataFrame,
    /// Variable label of each column ("" when it has none).
    pub labels: Vec<String>,
    /// Numeric value labels of each column, ascending by code.
    pub value_labels: Vec<Vec<(f64, String)>>,
    /// Answers of each column that were a declared missing value, and how the codes were declared.
    pub declared: Vec<(usize, String)>,
    /// What was read: format, encoding, compression.
    pub note: String,
}

/// Suffix of the indicator columns that say which declared missing value a cell held.
const NULL_SUFFIX: &str = "\u{1}declared_missing";

/// Read a statistics-package file held in memory. Errors are messages for the user (a damaged or encrypted
/// file, another format); a panic inside the reader is caught and reported the same way.
pub fn read(bytes: Vec<u8>, kind: Kind) -> Result<Labelled, String> {
    contained(|| read_inner(bytes, kind))
        .unwrap_or_else(|_| Err("the file is damaged: its structure could not be read".into()))
}

/// Reads in progress whose panics are caught (and reported as a damaged file).
static CONTAINED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static QUIET_HOOK: std::sync::Once = std::sync::Once::new();

/// Run `f`, catching a panic, without the panic's message on stderr: a hook installed once (chained to the one
/// before it) stays quiet while a contained read is in progress. The hook is never swapped per call, so
/// concurrent reads and the caller's own hook are left alone.
fn contained<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    use std::sync::atomic::Ordering::SeqCst;
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CONTAINED.load(SeqCst) == 0 {
                previous(info)
            }
        }));
    });
    CONTAINED.fetch_add(1, SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.fetch_sub(1, SeqCst);
    result
}

fn informative() -> Option<InformativeNullOpts> {
    let mut o = InformativeNullOpts::new(InformativeNullColumns::All);
    o.mode = InformativeNullMode::SeparateColumn {
        suffix: NULL_SUFFIX.into(),
    };
    o.use_value_labels = false;
    Some(o)
}

fn read_inner(bytes: Vec<u8>, kind: Kind) -> Result<Labelled, String> {
    let (frame, meta, note) = match kind {
        Kind::Spss => {
            if bytes.starts_with(b"$FL2")
                && bytes.len() > 64
                && bytes[64..].starts_with(b"ENCRYPTED")
            {
                return Err("the file is an encrypted SPSS file".into());
            }
            if !(bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3")) {
                return Err(not_the_format(
                    &bytes,
                    "an SPSS .sav file (it does not start with $FL2 or $FL3)",
                ));
            }
            let zsav = bytes.starts_with(b"$FL3");
            check_sav_dictionary(&bytes)?;
            let reader =
                polars_readstat_rs::SpssReader::open_bytes(bytes).map_err(|e| e.to_string())?;
            let encoding = reader.metadata().encoding.name();
            let frame = reader
                .read()
                .value_labels_as_strings(false)
                .informative_nulls(informative())
                .finish()
                .map_err(|e| e.to_string())?;
            let note = format!(
                "SPSS file{} ({encoding}): variable labels taken as question texts, declared missing values as missing answers",
                if zsav { " (.zsav, compressed)" } else { "" }
            );
            (frame, reader.metadata().metadata_df.clone(), note)
        }
        Kind::SpssPortable => {
            let source = polars_readstat_rs::InMemorySource::new(bytes);
            let (meta, frame) =
                polars_readstat_rs::read_por_from_source(&source).map_err(|e| e.to_string())?;
            let note =
                "SPSS portable file (.por): variable labels taken as question texts".to_string();
            (frame, meta.metadata_df.clone(), note)
        }
        Kind::Stata => {
            let looks_like_stata = bytes.starts_with(b"<stata_dta>")
                || (bytes.len() > 2
                    && (104..=119).contains(&bytes[0])
                    && (bytes[1] == 1 || bytes[1] == 2));
            if !looks_like_stata {
                return Err(not_the_format(&bytes, "a Stata .dta file"));
            }
            check_dta_header(&bytes)?;
            let reader =
                polars_readstat_rs::StataReader::open_bytes(bytes).map_err(|e| e.to_string())?;
            let encoding = reader.metadata().encoding.name();
            let frame = reader
                .read()
                .value_labels_as_strings(false)
                .informative_nulls(informative())
                .finish()
                .map_err(|e| e.to_string())?;
            let note = format!(
                "Stata file ({encoding}): variable labels taken as question texts, extended missing values (.a–.z) as missing answers"
            );
            (frame, reader.metadata().metadata_df.clone(), note)
        }
    };
    assemble(frame, &meta, note)
}

fn not_the_format(bytes: &[u8], what: &str) -> String {
    let text = bytes.iter().take(512).all(|b| b.is_ascii() && *b != 0);
    format!(
        "the file is not {what}{}",
        if text {
            "; it looks like text — give it a .csv or .txt name"
        } else {
            ""
        }
    )
}

/// Split off the declared-missing indicators and read the dictionary's labels.
fn assemble(frame: DataFrame, meta: &DataFrame, note: String) -> Result<Labelled, String> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| !n.ends_with(NULL_SUFFIX))
        .collect();
    let str_col = |name: &str| -> Vec<Option<String>> {
        meta.column(name)
            .ok()
            .and_then(|c| {
                c.str()
                    .ok()
                    .map(|s| s.iter().map(|v| v.map(String::from)).collect())
            })
            .unwrap_or_default()
    };
    let list_col = |name: &str| -> Vec<Option<Vec<String>>> {
        let Ok(c) = meta.column(name) else {
            return Vec::new();
        };
        let Ok(l) = c.list() else { return Vec::new() };
        (0..l.len())
            .map(|i| l.get_as_series(i))
            .map(|s| {
                s.and_then(|s| {
                    s.str()
                        .ok()
                        .map(|ca| ca.iter().map(|v| v.unwrap_or("").to_string()).collect())
                })
            })
            .collect()
    };
    let meta_names = str_col("name");
    let meta_labels = str_col("label");
    let codes = list_col("value_label_codes");
    let code_labels = list_col("value_label_labels");
    let discrete = list_col("missing_discrete");
    let f64_col = |name: &str| -> Vec<Option<f64>> {
        meta.column(name)
            .ok()
            .and_then(|c| c.cast(&DataType::Float64).ok())
            .and_then(|c| c.f64().ok().map(|s| s.iter().collect()))
            .unwrap_or_default()
    };
    let (lo, hi) = (f64_col("missing_range_lo"), f64_col("missing_range_hi"));
    let mut labels = Vec::with_capacity(names.len());
    let mut value_labels = Vec::with_capacity(names.len());
    let mut declared = Vec::with_capacity(names.len());
    for name in &names {
        let m = meta_names
            .iter()
            .position(|n| n.as_deref() == Some(name.as_str()));
        labels.push(
            m.and_then(|k| meta_labels.get(k).cloned().flatten())
                .unwrap_or_default(),
        );
        let mut vl: Vec<(f64, String)> = m
            .and_then(|k| Some((codes.get(k)?.as_ref()?, code_labels.get(k)?.as_ref()?)))
            .map(|(c, l)| {
                c.iter()
                    .zip(l)
                    .filter_map(|(c, l)| {
                        c.trim()
                            .parse::<f64>()
                            .ok()
                            .map(|v| (v, l.trim().to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        vl.sort_by(|a, b| a.0.total_cmp(&b.0));
        value_labels.push(vl);
        let mut how: Vec<String> = m
            .and_then(|k| discrete.get(k).cloned().flatten())
            .unwrap_or_default();
        if let Some(k) = m {
            if let (Some(Some(a)), Some(Some(b))) = (lo.get(k), hi.get(k)) {
                how.insert(0, format!("{a}–{b}"));
            }
        }
        let indicator = format!("{name}{NULL_SUFFIX}");
        let count = frame
            .column(&indicator)
            .map(|c| c.len() - c.null_count())
            .unwrap_or(0);
        if count > 0 && how.is_empty() {
            // Stata's extended missing values are not listed in a dictionary: name the ones found.
            if let Ok(c) = frame
                .column(&indicator)
                .and_then(|c| c.cast(&DataType::String))
            {
                if let Ok(s) = c.str() {
                    let mut seen: Vec<String> = s.iter().flatten().map(String::from).collect();
                    seen.sort();
                    seen.dedup();
                    how = seen;
                }
            }
        }
        declared.push((count, how.join(", ")));
    }
    let frame = frame
        .select(names.iter().map(|n| n.as_str()))
        .map_err(|e| e.to_string())?;
    Ok(Labelled {
        frame,
        labels,
        value_labels,
        declared,
        note,
    })
}

/// Whether a column's value labels run against the instrument's scale: the reason, or None. With the
/// instrument's own labels, the labels are compared code by code (a file whose labels match the mirrored
/// codes is reversed); otherwise (other wording, another language) by the polarity of the lowest and highest
/// labelled answers ("agree" words against "disagree" words, in English and Chinese).
pub fn reversed_scale(
    scale: &crate::instrument::Scale,
    labels: &[(f64, String)],
) -> Option<String> {
    let (min, max) = (scale.min, scale.max);
    let within: Vec<&(f64, String)> = labels
        .iter()
        .filter(|(c, _)| *c >= min && *c <= max && c.fract() == 0.0)
        .collect();
    if within.len() < 2 || !min.is_finite() || !max.is_finite() {
        return None;
    }
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if scale.labels.len() as f64 == max - min + 1.0 {
        let at = |v: f64| norm(&scale.labels[(v - min) as usize]);
        let same = within.iter().filter(|(c, l)| norm(l) == at(*c)).count();
        let mirrored = within
            .iter()
            .filter(|(c, l)| *c != min + max - *c && norm(l) == at(min + max - *c))
            .count();
        if mirrored >= 2 && mirrored > same {
            let (c, l) = within[0];
            return Some(format!(
                "its value labels say {c} = \"{l}\", where the instrument's {c} is \"{}\"",
                scale.labels[(*c - min) as usize]
            ));
        }
        if same == within.len() {
            return None;
        }
    }
    let (lo, hi) = (within[0], within[within.len() - 1]);
    let instrument_low = scale
        .labels
        .first()
        .map_or(Polarity::Negative, |l| polarity(l));
    let reversed = match instrument_low {
        Polarity::Negative => {
            polarity(&lo.1) == Polarity::Positive && polarity(&hi.1) == Polarity::Negative
        }
        Polarity::Positive => {
            polarity(&lo.1) == Polarity::Negative && polarity(&hi.1) == Polarity::Positive
        }
        Polarity::Unknown => false,
    };
    reversed.then(|| {
        format!(
            "its value labels run from {} = \"{}\" to {} = \"{}\", the instrument's from {} to {}",
            lo.0,
            lo.1,
            hi.0,
            hi.1,
            scale
                .labels
                .first()
                .map_or("disagreement".to_string(), |l| format!("\"{l}\"")),
            scale
                .labels
                .last()
                .map_or("agreement".to_string(), |l| format!("\"{l}\""))
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Negative,
    Positive,
    Unknown,
}

/// Whether an answer label expresses disagreement or dissatisfaction, or agreement or satisfaction.
fn polarity(label: &str) -> Polarity {
    let l = label.to_lowercase();
    const NEGATIVE: &[&str] = &[
        "disagree",
        "dissatisf",
        "unsatisf",
        "not ",
        "never",
        "poor",
        "bad",
        "unlikely",
        "worst",
        "不同意",
        "不满意",
        "不赞同",
        "不符合",
        "从不",
        "很差",
        "差",
    ];
    const POSITIVE: &[&str] = &[
        "agree",
        "satisf",
        "always",
        "good",
        "excellent",
        "likely",
        "best",
        "同意",
        "满意",
        "赞同",
        "符合",
        "总是",
        "很好",
        "好",
    ];
    if NEGATIVE.iter().any(|w| l.contains(w)) {
        Polarity::Negative
    } else if POSITIVE.iter().any(|w| l.contains(w)) {
        Polarity::Positive
    } else {
        Polarity::Unknown
    }
}

impl RawFile {
    /// How many item columns carry value labels equal to the instrument's scale labels (0 for files
    /// without value labels).
    pub fn label_agreement(&self, instrument: &Instrument) -> usize {
        if self.value_labels.is_empty() || instrument.scale.labels.is_empty() {
            return 0;
        }
        let norm = |s: &str| s.trim().to_lowercase();
        let columns = self.resolve(instrument);
        columns
            .iter()
            .flatten()
            .filter_map(|c| self.labels_of(c))
            .filter(|labels| {
                labels.iter().all(|(code, label)| {
                    let k = code - instrument.scale.min;
                    k < 0.0
                        || k.fract() != 0.0
                        || instrument
                            .scale
                            .labels
                            .get(k as usize)
                            .is_none_or(|l| norm(l) == norm(label))
                })
            })
            .count()
    }

    /// The value labels of a column of an SPSS or Stata file (None when it has none).
    pub(super) fn labels_of(&self, column: &str) -> Option<&[(f64, String)]> {
        let j = self.columns.iter().position(|c| c == column)?;
        self.value_labels
            .get(j)
            .filter(|v| !v.is_empty())
            .map(|v| v.as_slice())
    }

    /// SPSS and Stata files: each item's value labels must run the way the instrument's scale does (a file
    /// coded 1 = "Strongly agree" on a 1 = "Strongly disagree" instrument is refused), and the declared
    /// missing values found are said.
    pub(super) fn check_labelled_items(
        &self,
        instrument: &Instrument,
        item_columns: &[String],
        notes: &mut Vec<String>,
    ) -> Result<()> {
        for column in item_columns {
            if let Some(labels) = self.labels_of(column) {
                if let Some(problem) = reversed_scale(&instrument.scale, labels) {
                    return Err(Error::BadFile {
                        file: self.path.clone(),
                        message: format!(
                            "column '{column}' runs the other way from instrument '{}': {problem}",
                            instrument.id
                        ),
                        fix: format!(
                            "recode the column in SPSS or Stata (new = {} − old) with its value labels, or use an instrument whose scale runs the same way",
                            instrument.scale.min + instrument.scale.max
                        ),
                    });
                }
            }
        }
        let mut codes: Vec<&str> = Vec::new();
        let mut counts: Vec<String> = Vec::new();
        let mut total = 0;
        for column in item_columns {
            let Some(j) = self.columns.iter().position(|c| c == column) else {
                continue;
            };
            if let Some((n, how)) = self.declared.get(j).filter(|d| d.0 > 0) {
                total += n;
                counts.push(format!("{column} {n}"));
                if !how.is_empty() && !codes.contains(&how.as_str()) {
                    codes.push(how);
                }
            }
        }
        if total > 0 {
            notes.push(format!(
                "{total} answers were declared missing values{} and are read as missing ({})",
                if codes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", codes.join("; "))
                },
                counts.join(", ")
            ));
        }
        Ok(())
    }
}
