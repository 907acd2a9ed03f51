//! Instruments: which items a questionnaire has, how they group into dimensions, the answer scale and which
//! items are reverse-keyed. Read from TOML (format in the README) and validated before any data is touched.
//!
//! ```
//! let inst = perval::instrument::builtin("perval-19").unwrap();
//! assert_eq!(inst.dimensions.len(), 4);
//! assert_eq!(inst.items.len(), 19);
//! assert!(inst.items[inst.item_index("QUAL4").unwrap()].reverse);
//! ```

pub mod expectations;
pub mod kano;

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

pub use expectations::{Expectations, Level};
pub use kano::Kano;

/// Built-in instruments, embedded in the binary: (id, TOML source).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "perval-19",
        include_str!("../../instruments/perval-19.toml"),
    ),
    (
        "perval-19-zh",
        include_str!("../../instruments/perval-19-zh.toml"),
    ),
    (
        "perval-restaurant-zh",
        include_str!("../../instruments/perval-restaurant-zh.toml"),
    ),
    (
        "perval-chain",
        include_str!("../../instruments/perval-chain.toml"),
    ),
    (
        "perval-chain-zh",
        include_str!("../../instruments/perval-chain-zh.toml"),
    ),
    (
        "perval-restaurant-chain-zh",
        include_str!("../../instruments/perval-restaurant-chain-zh.toml"),
    ),
    (
        "perval-expectations",
        include_str!("../../instruments/perval-expectations.toml"),
    ),
    (
        "kano-restaurant",
        include_str!("../../instruments/kano-restaurant.toml"),
    ),
    (
        "kano-restaurant-zh",
        include_str!("../../instruments/kano-restaurant-zh.toml"),
    ),
];

/// Language of an instrument's labels and of the reports made with it ("en" or "zh" in the results).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Zh,
}

/// The answer scale: numeric bounds and, optionally, one text label per point from `min` to `max`.
#[derive(Debug, Clone)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
    pub labels: Vec<String>,
    /// Other wordings read as a scale point (normalized text, value): the standard Kano answers.
    pub aliases: Vec<(String, f64)>,
}

/// A dimension (subscale): its id, label and the indices of its items in [`Instrument::items`].
#[derive(Debug, Clone)]
pub struct Dimension {
    pub id: String,
    pub label: String,
    pub items: Vec<usize>,
}

/// One questionnaire item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Column name in the response file.
    pub id: String,
    pub text: String,
    /// Reverse-keyed: scored as `(scale.min + scale.max) - x`.
    pub reverse: bool,
    /// Index of its dimension in [`Instrument::dimensions`].
    pub dimension: usize,
    /// Not an answer on the scale but a number of its own (a structural model's covariate: age, a 0/1
    /// dummy): any finite number, no labels, never reversed.
    pub covariate: bool,
}

/// A validated instrument. Items are stored in dimension order (the order of every table and matrix).
#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub citation: Option<String>,
    pub language: Language,
    pub scale: Scale,
    pub dimensions: Vec<Dimension>,
    pub items: Vec<Item>,
    /// Answer codes that mean "missing" (`missing = [-99, 999]`), besides empty cells.
    pub missing: Vec<f64>,
    /// The TOML text it was read from (printed by `perval instruments show`).
    pub source: String,
    /// A Kano questionnaire's attributes (`perval kano`).
    pub kano: Option<Kano>,
    /// The three answers per item of a zone-of-tolerance survey (`perval expectations`).
    pub expectations: Option<Expectations>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: String,
    name: String,
    citation: Option<String>,
    language: Option<String>,
    /// Optional in a Kano questionnaire without dimensions.
    scale: Option<RawScale>,
    #[serde(default)]
    dimensions: Vec<RawDimension>,
    #[serde(default)]
    items: Vec<RawItem>,
    /// Answer codes that mean "missing".
    #[serde(default)]
    missing: Vec<f64>,
    kano: Option<kano::RawKano>,
    expectations: Option<expectations::RawExpectations>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    min: f64,
    max: f64,
    #[serde(default)]
    labels: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: String,
    label: Option<String>,
    items: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    text: Option<String>,
    #[serde(default)]
    reverse: bool,
    /// A translation or note for readers of the file; not used in any computation.
    #[allow(dead_code)]
    gloss: Option<String>,
}

/// The built-in instrument with this id.
pub fn builtin(id: &str) -> Option<Instrument> {
    BUILTIN
        .iter()
        .find(|(bid, _)| *bid == id)
        .map(|(bid, src)| {
            // Proven by the test `builtins_parse`: every embedded file is valid.
            parse(src, &format!("<built-in {bid}>")).expect("built-in instrument is valid")
        })
}

/// The dimension labels (id → label) of a built-in translation of `inst`: an instrument in the other language
/// with the same dimensions holding the same items. The report's paragraph in that language uses them.
pub fn translated_labels(inst: &Instrument) -> Option<Vec<(String, String)>> {
    let shape = |i: &Instrument| -> Vec<(String, Vec<String>)> {
        i.dimensions
            .iter()
            .map(|d| {
                let mut items: Vec<String> =
                    d.items.iter().map(|&k| i.items[k].id.clone()).collect();
                items.sort();
                (d.id.clone(), items)
            })
            .collect()
    };
    let wanted = shape(inst);
    builtins()
        .into_iter()
        .find(|b| b.language != inst.language && shape(b) == wanted)
        .map(|b| b.dimensions.into_iter().map(|d| (d.id, d.label)).collect())
}

/// All built-in instruments, in the order of [`BUILTIN`].
pub fn builtins() -> Vec<Instrument> {
    BUILTIN.iter().filter_map(|(id, _)| builtin(id)).collect()
}

/// Resolve `--instrument`: a built-in id, or else a path to a TOML file.
pub fn load(id_or_path: &str) -> Result<Instrument> {
    if let Some(inst) = builtin(id_or_path) {
        return Ok(inst);
    }
    let path = Path::new(id_or_path);
    if !path.exists() {
        // A path (a folder or a .toml name) that is not there is a missing file, not an unknown id.
        if id_or_path.contains(['/', '\\']) || id_or_path.ends_with(".toml") {
            return Err(Error::Io {
                file: path.to_path_buf(),
                message: "no such file\n  fix: check the path of the instrument file, or give a built-in id (`perval instruments`)".into(),
            });
        }
        return Err(Error::UnknownInstrument(id_or_path.to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::Instrument {
        file: id_or_path.to_string(),
        line: 1,
        message: format!("cannot read the file as UTF-8 text: {e}"),
        fix: "save the instrument as a UTF-8 TOML file".into(),
    })?;
    parse(&text, id_or_path)
}

/// Parse and validate an instrument from TOML text; `file` names it in error messages.
pub fn parse(text: &str, file: &str) -> Result<Instrument> {
    let raw: RawInstrument = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| line_at(text, s.start))
            .unwrap_or(1);
        Error::Instrument {
            file: file.to_string(),
            line,
            message: e.message().trim().to_string(),
            fix: "see the instrument format in the README (keys: id, name, citation, language, [scale] min/max/labels, [[dimensions]] id/label/items, [[items]] id/text/reverse)".into(),
        }
    })?;
    validate(raw, text, file)
}

fn validate(raw: RawInstrument, text: &str, file: &str) -> Result<Instrument> {
    let fail = |needle: &str, message: String, fix: &str| Error::Instrument {
        file: file.to_string(),
        line: line_of(text, needle),
        message,
        fix: fix.to_string(),
    };
    if raw.id.trim().is_empty() {
        return Err(fail(
            "id",
            "key 'id' is empty".into(),
            "give the instrument a short id, e.g. id = \"perval-19\"",
        ));
    }
    let language = match raw.language.as_deref() {
        None | Some("en") => Language::En,
        Some("zh") => Language::Zh,
        Some(other) => {
            return Err(fail(
                "language",
                format!("key 'language' is \"{other}\""),
                "use language = \"en\" or language = \"zh\"",
            ))
        }
    };
    let kano = raw
        .kano
        .map(kano::validate)
        .transpose()
        .map_err(|(needle, message, fix)| fail(&needle, message, &fix))?;
    let expectations = raw
        .expectations
        .map(expectations::validate)
        .transpose()
        .map_err(|(needle, message, fix)| fail(&needle, message, &fix))?;
    // A Kano questionnaire may have no Likert part: no scale, no dimensions.
    let kano_only = kano.is_some() && raw.dimensions.is_empty();
    let scale = match raw.scale {
        Some(s) => s,
        None if kano_only => RawScale {
            min: 1.0,
            max: 5.0,
            labels: Vec::new(),
        },
        None => {
            return Err(fail(
                "[[dimensions]]",
                "the instrument has no [scale]".into(),
                "add a [scale] table with min and max (and optionally labels)",
            ))
        }
    };
    if expectations.is_some() && raw.dimensions.is_empty() {
        return Err(fail(
            "[expectations]",
            "an [expectations] instrument needs [[dimensions]] with the items asked three times"
                .into(),
            "add [[dimensions]] tables with id, label and items",
        ));
    }
    let s = &scale;
    if !(s.min.is_finite() && s.max.is_finite() && s.min < s.max) {
        return Err(fail(
            "min",
            format!(
                "[scale] needs min < max (found min = {}, max = {})",
                s.min, s.max
            ),
            "set e.g. min = 1 and max = 7",
        ));
    }
    if !s.labels.is_empty() {
        let points = s.max - s.min + 1.0;
        if s.min.fract() != 0.0 || s.max.fract() != 0.0 || points != s.labels.len() as f64 {
            return Err(fail(
                "labels",
                format!(
                    "[scale] labels has {} entries but the scale {}..{} has {} points",
                    s.labels.len(),
                    s.min,
                    s.max,
                    points
                ),
                "give one label per scale point, from min to max",
            ));
        }
        // Answers are matched to labels ignoring case and spaces: labels must differ in more than that.
        let norm = |l: &str| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        for (k, a) in s.labels.iter().enumerate() {
            if let Some(b) = s.labels[..k].iter().find(|b| norm(b) == norm(a)) {
                return Err(fail(
                    "labels",
                    format!("[scale] labels '{b}' and '{a}' differ only in case or spacing, so answers cannot tell them apart"),
                    "give every scale point its own wording",
                ));
            }
        }
    }
    if raw.dimensions.is_empty() && !kano_only {
        return Err(fail(
            "[scale]",
            "the instrument has no [[dimensions]]".into(),
            "add at least one [[dimensions]] table with id, label and items",
        ));
    }

    let mut dimensions = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for (d, dim) in raw.dimensions.iter().enumerate() {
        if dim.id.trim().is_empty() {
            return Err(fail(
                "[[dimensions]]",
                "a dimension has an empty id".into(),
                "give every dimension an id",
            ));
        }
        if dimensions.iter().any(|x: &Dimension| x.id == dim.id) {
            return Err(fail(
                &format!("\"{}\"", dim.id),
                format!("two dimensions have the id '{}'", dim.id),
                "give every dimension a unique id",
            ));
        }
        if dim.items.is_empty() {
            return Err(fail(
                &format!("\"{}\"", dim.id),
                format!("dimension '{}' has no items", dim.id),
                "list the dimension's item columns in items = [...]",
            ));
        }
        let mut idx = Vec::new();
        for id in &dim.items {
            if id.trim().is_empty() {
                return Err(fail(
                    &format!("\"{}\"", dim.id),
                    format!("dimension '{}' lists an empty item id", dim.id),
                    "remove the empty entry",
                ));
            }
            if items.iter().any(|it| &it.id == id) {
                return Err(fail(
                    &format!("\"{id}\""),
                    format!("item '{id}' is listed twice (an item belongs to one dimension)"),
                    "list every item in exactly one dimension",
                ));
            }
            idx.push(items.len());
            items.push(Item {
                id: id.clone(),
                text: id.clone(),
                reverse: false,
                dimension: d,
                covariate: false,
            });
        }
        dimensions.push(Dimension {
            id: dim.id.clone(),
            label: dim.label.clone().unwrap_or_else(|| dim.id.clone()),
            items: idx,
        });
    }
    for (k, detail) in raw.items.iter().enumerate() {
        if raw.items[..k].iter().any(|d| d.id == detail.id) {
            return Err(fail(
                &format!("id = \"{}\"", detail.id),
                format!("[[items]] entry '{}' appears twice", detail.id),
                "keep one [[items]] table per item",
            ));
        }
        let Some(item) = items.iter_mut().find(|it| it.id == detail.id) else {
            return Err(fail(
                &format!("id = \"{}\"", detail.id),
                format!("[[items]] entry '{}' is not in any dimension", detail.id),
                "add the item to a dimension's items, or remove its [[items]] entry",
            ));
        };
        if let Some(t) = &detail.text {
            item.text = t.clone();
        }
        item.reverse = detail.reverse;
    }
    Ok(Instrument {
        id: raw.id,
        name: raw.name,
        citation: raw.citation,
        language,
        scale: Scale {
            min: scale.min,
            max: scale.max,
            labels: scale.labels,
            aliases: Vec::new(),
        },
        dimensions,
        items,
        missing: raw.missing,
        source: text.to_string(),
        kano,
        expectations,
    })
}

impl Instrument {
    /// Index of the item with this id.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|it| it.id == id)
    }

    /// Map a text answer to its scale value: a number, or a label (case- and space-insensitive).
    pub fn parse_answer(&self, text: &str) -> Option<f64> {
        let t = text.trim();
        if let Ok(v) = t.parse::<f64>() {
            return Some(v);
        }
        let key = normalize_label(t);
        self.scale
            .labels
            .iter()
            .position(|l| normalize_label(l) == key)
            .map(|i| self.scale.min + i as f64)
            .or_else(|| {
                self.scale
                    .aliases
                    .iter()
                    .find(|(a, _)| *a == key)
                    .map(|(_, v)| *v)
            })
    }

    /// An instrument of bare columns for the reader: one single-item dimension per (column, text), answers on
    /// `scale`. The Kano and expectations families read their questions through it.
    pub fn of_columns(&self, id: &str, columns: &[(String, String)], scale: Scale) -> Instrument {
        let items: Vec<Item> = columns
            .iter()
            .enumerate()
            .map(|(k, (column, text))| Item {
                id: column.clone(),
                text: text.clone(),
                reverse: false,
                dimension: k,
                covariate: false,
            })
            .collect();
        let dimensions = items
            .iter()
            .enumerate()
            .map(|(k, i)| Dimension {
                id: i.id.clone(),
                label: i.id.clone(),
                items: vec![k],
            })
            .collect();
        Instrument {
            id: id.to_string(),
            name: self.name.clone(),
            citation: None,
            language: self.language,
            scale,
            dimensions,
            items,
            missing: self.missing.clone(),
            source: self.source.clone(),
            kano: None,
            expectations: None,
        }
    }

    /// Whether the instrument has Likert items to score (a Kano questionnaire may have none).
    pub fn has_items(&self) -> bool {
        !self.items.is_empty()
    }
}

/// Lower case without any white space, curly apostrophes straight: "Strongly  Agree " and "strongly agree"
/// are the same label, and so are "I can’t" and "I can't".
pub fn normalize_label(s: &str) -> String {
    kano::normalize(s)
}

/// 1-based line of byte offset `pos`.
fn line_at(text: &str, pos: usize) -> usize {
    text[..pos.min(text.len())].matches('\n').count() + 1
}

/// 1-based line of the first occurrence of `needle` (1 if absent).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map(|p| line_at(text, p)).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        for (id, src) in BUILTIN {
            let inst = parse(src, id).unwrap();
            assert_eq!(&inst.id, id);
            if let Some(k) = &inst.kano {
                assert_eq!(k.attributes.len(), 12);
                assert!(inst.items.is_empty());
                continue;
            }
            if inst.expectations.is_some() {
                assert_eq!((inst.dimensions.len(), inst.items.len()), (4, 17));
                continue;
            }
            // The value chain instruments add satisfaction and loyalty (3 items each).
            let outcomes = usize::from(id.contains("chain"));
            assert_eq!(inst.dimensions.len(), 4 + 2 * outcomes);
            assert_eq!(inst.items.len(), 19 + 6 * outcomes);
        }
    }

    #[test]
    fn perval19_reverse_items() {
        let inst = builtin("perval-19").unwrap();
        let rev: Vec<_> = inst
            .items
            .iter()
            .filter(|i| i.reverse)
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(rev, ["QUAL4", "QUAL5"]);
        assert_eq!(inst.parse_answer(" strongly  AGREE"), Some(7.0));
        assert_eq!(inst.parse_answer("4"), Some(4.0));
        assert_eq!(inst.parse_answer("maybe"), None);
    }

    #[test]
    fn zh_labels() {
        let inst = builtin("perval-19-zh").unwrap();
        assert_eq!(inst.language, Language::Zh);
        assert_eq!(inst.parse_answer("非常同意"), Some(7.0));
        assert_eq!(inst.parse_answer("非常不同意"), Some(1.0));
    }

    #[test]
    fn errors_name_key_and_line() {
        let bad = "id = \"x\"\nname = \"y\"\n[scale]\nmin = 1\nmax = 5\nlables = []\n[[dimensions]]\nid = \"a\"\nitems = [\"A1\"]\n";
        let e = parse(bad, "bad.toml").unwrap_err().to_string();
        assert!(e.contains("bad.toml: line 6"), "{e}");
        assert!(e.contains("lables"), "{e}");

        let dup = "id = \"x\"\nname = \"y\"\n[scale]\nmin = 1\nmax = 5\n[[dimensions]]\nid = \"a\"\nitems = [\"A1\", \"A2\"]\n[[dimensions]]\nid = \"b\"\nitems = [\"A1\"]\n";
        let e = parse(dup, "dup.toml").unwrap_err().to_string();
        assert!(e.contains("listed twice") && e.contains("line 8"), "{e}");

        let labels = "id = \"x\"\nname = \"y\"\n[scale]\nmin = 1\nmax = 5\nlabels = [\"a\", \"b\"]\n[[dimensions]]\nid = \"a\"\nitems = [\"A1\"]\n";
        let e = parse(labels, "l.toml").unwrap_err().to_string();
        assert!(e.contains("line 6") && e.contains("5 points"), "{e}");
    }
}
