//! SPSS (.sav, compressed .zsav, portable .por) and Stata (.dta) files, read with polars-readstat-rs: the
//! answers as numbers (never value labels as text), declared missing values (SPSS user-missing codes and
//! ranges, Stata's extended missing values .a–.z) as missing answers and counted, each variable's label (the
//! question text, used to find items as in platform exports) and its value labels (checked against the
//! instrument's scale; the group names of a labelled `--by` column).

use super::RawFile;
use crate::error::{Error, Result};
use crate::instrument::Instrument;
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
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes, kind)));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| Err("the file is damaged: its structure could not be read".into()))
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

/// Walk an SPSS file's dictionary records and check every count and length in them against the bytes that
/// follow, before the reader allocates by them: a damaged or hostile count (a value-label record claiming
/// two billion labels) is bad input, not a 16 GB allocation.
fn check_sav_dictionary(bytes: &[u8]) -> Result<(), String> {
    let damaged = |at: usize, what: &str| {
        format!("the file is damaged: {what} at byte {at} does not fit in the file")
    };
    let u32_at = |at: usize, big: bool| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let layout = u32_at(64, false).ok_or_else(|| damaged(0, "the header"))?;
    let big = !(layout == 2 || layout == 3);
    if big && !matches!(u32_at(64, true), Some(2 | 3)) {
        return Err("the file is damaged: its header has no valid layout code".into());
    }
    let len = bytes.len();
    let case_size = u32_at(68, big).unwrap_or(0) as i32;
    if case_size > 0 && case_size as usize * 32 > len {
        return Err(damaged(68, "the number of variables"));
    }
    let mut at = 176;
    loop {
        let rec = u32_at(at, big).ok_or_else(|| damaged(at, "the dictionary"))?;
        let start = at;
        at += 4;
        let need = |at: usize, n: u64, what: &str| -> Result<usize, String> {
            let end = at as u64 + n;
            if end > len as u64 {
                Err(damaged(start, what))
            } else {
                Ok(end as usize)
            }
        };
        match rec {
            2 => {
                let has_label =
                    u32_at(at + 4, big).ok_or_else(|| damaged(start, "a variable record"))?;
                let missing =
                    u32_at(at + 8, big).ok_or_else(|| damaged(start, "a variable record"))? as i32;
                at = need(at, 28, "a variable record")?;
                if has_label == 1 {
                    let l =
                        u32_at(at, big).ok_or_else(|| damaged(start, "a variable label"))? as u64;
                    at = need(at, 4 + l.div_ceil(4) * 4, "a variable label")?;
                }
                if !(-3..=3).contains(&missing) {
                    return Err(damaged(start, "a missing-value list"));
                }
                at = need(
                    at,
                    missing.unsigned_abs() as u64 * 8,
                    "a missing-value list",
                )?;
            }
            3 => {
                let count =
                    u32_at(at, big).ok_or_else(|| damaged(start, "a value-label record"))? as u64;
                at = need(at, 4, "a value-label record")?;
                // Each label takes at least 16 bytes (8 for the value, 8 for its length and text).
                need(at, count * 16, "a value-label record")?;
                for _ in 0..count {
                    let l = *bytes
                        .get(at + 8)
                        .ok_or_else(|| damaged(start, "a value label"))?
                        as u64;
                    at = need(at, 8 + (l + 8) / 8 * 8, "a value label")?;
                }
            }
            4 => {
                let count = u32_at(at, big)
                    .ok_or_else(|| damaged(start, "a value-label variable list"))?
                    as u64;
                at = need(at, 4 + count * 4, "a value-label variable list")?;
            }
            6 => {
                let lines =
                    u32_at(at, big).ok_or_else(|| damaged(start, "a document record"))? as u64;
                at = need(at, 4 + lines * 80, "a document record")?;
            }
            7 => {
                let size = u32_at(at + 4, big)
                    .ok_or_else(|| damaged(start, "an extension record"))?
                    as u64;
                let count = u32_at(at + 8, big)
                    .ok_or_else(|| damaged(start, "an extension record"))?
                    as u64;
                at = need(at, 12 + size * count, "an extension record")?;
            }
            999 => {
                // The header's case count must fit in the data that follows: every value takes 8 bytes
                // uncompressed, at least a command byte compressed, and zlib (.zsav) shrinks at most ~1032:1.
                let data = len.saturating_sub(at + 4) as u64;
                let cases = u32_at(80, big).unwrap_or(0) as i32;
                let compression = u32_at(72, big).unwrap_or(0);
                if bytes.starts_with(b"$FL3") {
                    check_zsav_index(bytes, at + 4, big).map_err(|what| damaged(at + 4, what))?;
                }
                if cases > 0 && case_size > 0 {
                    let values = cases as u64 * case_size as u64;
                    let room = match compression {
                        0 => data / 8,
                        1 => data,
                        _ => data.saturating_mul(1032),
                    };
                    if values > room {
                        return Err(damaged(80, "the number of cases"));
                    }
                }
                return Ok(());
            }
            other => {
                return Err(format!(
                "the file is damaged: an unknown dictionary record (type {other}) at byte {start}"
            ))
            }
        }
    }
}

/// A .zsav file's block index (zheader at `at`, trailer at the offset it gives) must lie within the file.
fn check_zsav_index(bytes: &[u8], at: usize, big: bool) -> Result<(), &'static str> {
    let i64_at = |k: usize| -> Option<i64> {
        let b: [u8; 8] = bytes.get(k..k + 8)?.try_into().ok()?;
        Some(if big {
            i64::from_be_bytes(b)
        } else {
            i64::from_le_bytes(b)
        })
    };
    let trailer = i64_at(at + 8).ok_or("the compressed-data header")?;
    let len = bytes.len() as u64;
    if trailer < 0 || trailer as u64 + 24 > len {
        return Err("the compressed-data index");
    }
    let t = trailer as usize;
    let b: [u8; 4] = bytes[t + 20..t + 24]
        .try_into()
        .map_err(|_| "the compressed-data index")?;
    let blocks = if big {
        i32::from_be_bytes(b)
    } else {
        i32::from_le_bytes(b)
    };
    if blocks < 0 || t as u64 + 24 + blocks as u64 * 24 > len {
        return Err("the compressed-data index");
    }
    Ok(())
}

/// A Stata file's variable and observation counts must fit in the file (each variable has a name of at least
/// 9 bytes, each observation at least a byte per variable) before the reader allocates by them.
fn check_dta_header(bytes: &[u8]) -> Result<(), String> {
    let len = bytes.len() as u64;
    let damaged = |what: &str| format!("the file is damaged: its {what} does not fit in the file");
    let find = |tag: &[u8]| bytes.windows(tag.len()).take(512).position(|w| w == tag);
    let (vars, obs) = if bytes.starts_with(b"<stata_dta>") {
        let release = find(b"<release>")
            .and_then(|k| {
                std::str::from_utf8(bytes.get(k + 9..k + 12)?)
                    .ok()?
                    .parse::<u32>()
                    .ok()
            })
            .ok_or_else(|| damaged("header"))?;
        let big = find(b"<byteorder>MSF").is_some();
        let num = |at: usize, width: usize| -> Option<u64> {
            let b = bytes.get(at..at + width)?;
            let mut v: u64 = 0;
            for k in 0..width {
                let byte = if big { b[k] } else { b[width - 1 - k] } as u64;
                v = (v << 8) | byte;
            }
            Some(v)
        };
        let k_at = find(b"<K>").ok_or_else(|| damaged("header"))? + 3;
        let n_at = find(b"<N>").ok_or_else(|| damaged("header"))? + 3;
        let vars =
            num(k_at, if release >= 119 { 4 } else { 2 }).ok_or_else(|| damaged("header"))?;
        let obs = num(n_at, if release >= 118 { 8 } else { 4 }).ok_or_else(|| damaged("header"))?;
        (vars, obs)
    } else {
        let big = bytes.get(1) == Some(&1);
        let num = |at: usize, width: usize| -> Option<u64> {
            let b = bytes.get(at..at + width)?;
            Some(if big {
                b.iter().fold(0u64, |v, &x| (v << 8) | x as u64)
            } else {
                b.iter().rev().fold(0u64, |v, &x| (v << 8) | x as u64)
            })
        };
        (
            num(4, 2).ok_or_else(|| damaged("header"))?,
            num(6, 4).ok_or_else(|| damaged("header"))?,
        )
    };
    if vars.saturating_mul(9) > len {
        return Err(damaged("number of variables"));
    }
    if obs.saturating_mul(vars.max(1)) > len {
        return Err(damaged("number of observations"));
    }
    Ok(())
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
