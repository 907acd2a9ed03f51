//! Response files in, a validated response matrix out. The only module that knows about polars.
//!
//! Reading happens in two steps so that the instrument can be chosen from the header:
//! [`open`] reads the bytes once, detects the format (Parquet, or CSV/TSV/semicolon text with or without a
//! UTF-8 BOM) and checks the header and the row structure; [`RawFile::load`] parses the item columns with
//! polars and maps text labels, missing codes and out-of-range values, naming the row and column of any
//! problem.

mod answers;
pub mod sources;
mod text;

pub use answers::{Answers, ColumnWriter};
use rayon::prelude::*;
pub use sources::{Platform, TextEncoding};

use crate::error::{Error, Result};
use crate::instrument::Instrument;
use polars::prelude::*;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Codes read as a missing answer (besides an empty cell).
pub const MISSING_CODES: &[&str] = &["NA", "N/A"];

/// Column names taken as the respondent id, compared case-insensitively.
const ID_NAMES: &[&str] = &[
    "respondent_id",
    "respondent",
    "id",
    "responseid",
    "response_id",
    "resp_id",
    "participant",
    "participant_id",
    "subject",
    "case",
];

/// What kind of file it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Parquet,
    Text { delimiter: u8 },
}

/// A response file read into memory, header checked, not yet parsed.
#[derive(Debug)]
pub struct RawFile {
    pub path: PathBuf,
    pub columns: Vec<String>,
    format: Format,
    bytes: Vec<u8>,
    /// Byte offset where the text starts (after a BOM).
    start: usize,
    /// Line number (1-based) of each data record in a text file.
    record_lines: Vec<u32>,
    /// Byte offsets (into `bytes[start..]`) of the records that start each parsing batch.
    batch_starts: Vec<usize>,
    /// Byte ranges (into `bytes[start..]`) of blank lines, which are not respondents.
    blank_lines: Vec<std::ops::Range<usize>>,
    /// Question text of each column, when the export has one (Qualtrics, SurveyMonkey, 问卷星).
    texts: Vec<String>,
    /// Numbers written with decimal commas (semicolon-separated files).
    decimal_comma: bool,
    /// Explicit item → column mapping (`--map ITEM=COLUMN`).
    map: Vec<(String, String)>,
    /// What was detected or assumed while reading (encoding, platform, matched columns).
    pub notes: Vec<String>,
}

/// How to read a response file (command-line options).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<TextEncoding>,
    pub platform: Option<Platform>,
    /// item id → column name.
    pub map: Vec<(String, String)>,
}

/// Respondents' answers to an instrument's items, as read (before reverse keying).
#[derive(Debug, Clone)]
pub struct Responses {
    pub path: PathBuf,
    /// Data rows in the file.
    pub n_rows: usize,
    /// n × p raw answers in instrument item order (missing answers are NaN).
    pub answers: Answers,
    /// The respondent id column, if the file has one.
    pub id: Option<(String, Vec<String>)>,
    /// The `--by` column.
    pub group: Option<Groups>,
    /// What was detected while reading (encoding, platform, columns matched to items).
    pub notes: Vec<String>,
    /// Completion time in seconds per row, when the file has a duration column (read with the ids).
    pub seconds: Option<(String, Vec<Option<f64>>)>,
}

/// Column names taken as the completion time, compared case-insensitively.
const DURATION_NAMES: &[&str] = &[
    "duration (in seconds)",
    "duration",
    "duration_seconds",
    "seconds",
    "time_taken",
    "所用时间",
    "用时",
    "答题时间",
];

/// A grouping column as codes into its distinct labels (missing values have no code).
#[derive(Debug, Clone)]
pub struct Groups {
    pub column: String,
    /// Distinct labels, in order of first appearance.
    pub labels: Vec<String>,
    /// Per row: index into `labels`, None for an empty or NA cell.
    pub codes: Vec<Option<u32>>,
}

/// Builds [`Groups`] batch by batch.
struct GroupsBuilder {
    column: String,
    index: std::collections::HashMap<String, u32>,
    labels: Vec<String>,
    codes: Vec<Option<u32>>,
}

impl GroupsBuilder {
    fn new(column: &str) -> GroupsBuilder {
        GroupsBuilder {
            column: column.to_string(),
            index: Default::default(),
            labels: Vec::new(),
            codes: Vec::new(),
        }
    }

    fn push(&mut self, value: Option<&str>) {
        let code = value.map(str::trim).and_then(|t| {
            if t.is_empty() || MISSING_CODES.iter().any(|m| m.eq_ignore_ascii_case(t)) {
                return None;
            }
            if let Some(&c) = self.index.get(t) {
                return Some(c);
            }
            let c = self.labels.len() as u32;
            self.labels.push(t.to_string());
            self.index.insert(t.to_string(), c);
            Some(c)
        });
        self.codes.push(code);
    }

    fn finish(self) -> Groups {
        Groups {
            column: self.column,
            labels: self.labels,
            codes: self.codes,
        }
    }
}

impl Groups {
    /// The label of row `r`, if it has one.
    pub fn label(&self, r: usize) -> Option<&str> {
        self.codes[r].map(|c| self.labels[c as usize].as_str())
    }
}

/// Read a response file and check its header (format, duplicate names) and rows (same field count).
pub fn open(path: &Path) -> Result<RawFile> {
    open_with(path, &ReadOptions::default())
}

/// [`open`] with an encoding, a platform layout and an item → column mapping.
pub fn open_with(path: &Path, options: &ReadOptions) -> Result<RawFile> {
    from_bytes(path, read_file(path)?, options)
}

/// [`open_with`] on bytes already in memory; `path` names them in messages (the fuzz targets use this).
pub fn from_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions) -> Result<RawFile> {
    let mut raw = parse_bytes(path, bytes, options)?;
    raw.map = options.map.clone();
    for (item, column) in &options.map {
        if !raw.columns.iter().any(|c| c == column) {
            return Err(Error::MissingOption {
                file: path.to_path_buf(),
                column: column.clone(),
                suggestion: format!(
                    " (named in --map {item}={column}){}",
                    suggest(column, &raw.columns)
                ),
                available: raw.columns.join(", "),
            });
        }
    }
    Ok(raw)
}

/// Rows polars parses at a time: the parsed batch (10 MB for 19 items) is turned into compact answers before
/// the next one is read, so the file is never held as a frame of f64.
const BATCH_ROWS: usize = 1 << 16;

/// Largest file perval reads: it holds the file and one matrix of answers in memory.
pub const MAX_FILE_BYTES: u64 = 4 << 30;

fn read_file(path: &Path) -> Result<Vec<u8>> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.len() > MAX_FILE_BYTES {
            return Err(Error::BadFile {
                file: path.to_path_buf(),
                message: format!("the file is {:.1} GB; perval reads files up to 4 GB (it keeps the file and the answers in memory)", meta.len() as f64 / 1e9),
                fix: "convert it to Parquet (about 5x smaller), or split it by wave or store".into(),
            });
        }
    }
    std::fs::read(path).map_err(|e| Error::Io {
        file: path.to_path_buf(),
        message: format!("cannot read the file: {e}"),
    })
}

fn parse_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions) -> Result<RawFile> {
    let bad = |message: String, fix: &str| Error::BadFile {
        file: path.to_path_buf(),
        message,
        fix: fix.to_string(),
    };
    if bytes.is_empty() {
        return Err(bad(
            "the file is empty".into(),
            "export the survey responses again; the file has no header and no rows",
        ));
    }
    if bytes.starts_with(b"PAR1") {
        return open_parquet(path, bytes);
    }
    let mut notes = Vec::new();
    // The text as bytes from `start` on: the file itself when it is UTF-8 (no copy of a large file), else
    // the decoded or converted text.
    let (bytes, start) = if sources::is_workbook(&bytes, path) {
        notes.push("Excel workbook: the first worksheet was read".to_string());
        let csv = sources::workbook_to_csv(&bytes).map_err(|m| {
            bad(
                m,
                "save the responses as .xlsx or CSV; perval reads the first worksheet",
            )
        })?;
        (csv.into_bytes(), 0)
    } else {
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let head = &bytes[..bytes.len().min(64 * 1024)];
        if !utf16 && options.encoding.is_none() && head.contains(&0) {
            return Err(bad(
                "the file is not text (it contains NUL bytes): perval reads CSV, TSV, Excel and Parquet files".into(),
                "export the responses as CSV (comma- or tab-separated), Excel (.xlsx) or Parquet",
            ));
        }
        let (decoded, note) = sources::decode(&bytes, options.encoding).map_err(|m| {
            bad(m, "give the encoding with --encoding utf8|utf16le|utf16be|gb18030|gbk|latin1, or save the file as UTF-8 (in Excel: Save As > CSV UTF-8)")
        })?;
        notes.extend(note);
        match decoded {
            // UTF-8, perhaps after a byte-order mark: the text is the tail of the file.
            std::borrow::Cow::Borrowed(text) => {
                let start = bytes.len() - text.len();
                (bytes, start)
            }
            std::borrow::Cow::Owned(text) => (text.into_bytes(), 0),
        }
    };
    let text = std::str::from_utf8(&bytes[start..]).map_err(|_| {
        bad(
            "the file is not valid UTF-8 text".into(),
            "save the file as UTF-8 (in Excel: Save As > CSV UTF-8)",
        )
    })?;
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let delimiter = text::detect_delimiter(&text.as_bytes()[..first_line_end]);
    let mut texts = Vec::new();
    let (bytes, start) = match sources::rewrite_platform(text, delimiter as char, options.platform)
    {
        Some(r) => {
            notes.push(format!(
                "{} export: header rows combined; item columns may be matched by question text",
                r.platform.name()
            ));
            texts = r.texts;
            (r.text.into_bytes(), 0)
        }
        None => (bytes, start),
    };
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return Err(bad(
            "the file is not text (it contains NUL bytes): perval reads CSV, TSV and Parquet files"
                .into(),
            "export the responses as CSV (comma- or tab-separated, UTF-8) or Parquet",
        ));
    }
    let scan = text::scan(&bytes[start..], BATCH_ROWS).map_err(|e| match e {
        text::ScanError::NotUtf8 { line } => bad(
            format!("line {line} is not valid UTF-8 text"),
            "save the file as UTF-8 (in Excel: Save As > CSV UTF-8); files in GBK or Latin-1 must be converted first",
        ),
        text::ScanError::Ragged { record, line, found, expected } => Error::RaggedRow { file: path.to_path_buf(), row: record, line, found, expected },
        text::ScanError::UnclosedQuote { line } => bad(
            format!("a quoted field that starts on line {line} is never closed"),
            "close the quote, or remove the stray \" character",
        ),
    })?;
    if scan.header.iter().all(|h| h.trim().is_empty()) {
        return Err(bad(
            "the first line (the header) is empty".into(),
            "the first line must hold the column names",
        ));
    }
    check_duplicates(path, &scan.header)?;
    let decimal_comma = scan.delimiter == b';';
    if decimal_comma {
        notes.push("semicolon-separated: decimal commas accepted (4,5 = 4.5)".into());
    }
    Ok(RawFile {
        path: path.to_path_buf(),
        columns: scan.header,
        format: Format::Text {
            delimiter: scan.delimiter,
        },
        bytes,
        start,
        record_lines: scan.record_lines,
        batch_starts: scan.batch_starts,
        blank_lines: scan.blank_lines,
        texts,
        decimal_comma,
        map: Vec::new(),
        notes,
    })
}

fn open_parquet(path: &Path, bytes: Vec<u8>) -> Result<RawFile> {
    let mut reader = ParquetReader::new(Cursor::new(bytes.as_slice()));
    let schema = reader.schema().map_err(|e| Error::BadFile {
        file: path.to_path_buf(),
        message: format!("cannot read the Parquet file: {e}"),
        fix: "write the file again with a current Parquet writer (pandas, polars, arrow)".into(),
    })?;
    let columns: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    check_duplicates(path, &columns)?;
    Ok(RawFile {
        path: path.to_path_buf(),
        columns,
        format: Format::Parquet,
        bytes,
        start: 0,
        record_lines: Vec::new(),
        batch_starts: Vec::new(),
        blank_lines: Vec::new(),
        texts: Vec::new(),
        decimal_comma: false,
        map: Vec::new(),
        notes: Vec::new(),
    })
}

fn check_duplicates(path: &Path, names: &[String]) -> Result<()> {
    for (j, name) in names.iter().enumerate() {
        if let Some(i) = names[..j].iter().position(|n| n == name) {
            return Err(Error::DuplicateColumn {
                file: path.to_path_buf(),
                column: name.clone(),
                first: i + 1,
                second: j + 1,
            });
        }
    }
    Ok(())
}

impl RawFile {
    /// Whether every item of `instrument` can be found among the file's columns.
    pub fn fits(&self, instrument: &Instrument) -> bool {
        self.resolve(instrument).iter().all(|c| c.is_some())
    }

    /// The column of each item: `--map` first, then a column named like the item, then a column whose question
    /// text matches the item's text (exports that carry question texts).
    pub fn resolve(&self, instrument: &Instrument) -> Vec<Option<String>> {
        use sources::normalize_text;
        let texts: Vec<String> = if self.texts.len() == self.columns.len() {
            self.texts.clone()
        } else {
            self.columns.clone()
        };
        let norm_texts: Vec<String> = texts.iter().map(|t| normalize_text(t)).collect();
        instrument
            .items
            .iter()
            .map(|item| {
                if let Some((_, col)) = self.map.iter().find(|(i, _)| i == &item.id) {
                    return Some(col.clone());
                }
                if self.columns.iter().any(|c| c == &item.id) {
                    return Some(item.id.clone());
                }
                let want = normalize_text(&item.text);
                if want.is_empty() || item.text == item.id {
                    return None;
                }
                // Exact wording (possibly inside a longer header such as "Q5 - This product is well made."), else
                // a near match.
                let exact = norm_texts
                    .iter()
                    .position(|t| !t.is_empty() && (t == &want || t.ends_with(&want)));
                let best = exact.or_else(|| {
                    norm_texts
                        .iter()
                        .enumerate()
                        .map(|(k, t)| (k, strsim::jaro_winkler(t, &want)))
                        .filter(|(_, sc)| *sc >= 0.92)
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(k, _)| k)
                });
                best.map(|k| self.columns[k].clone())
            })
            .collect()
    }

    /// The name of the completion-time column, if there is one.
    pub fn duration_column(&self) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| DURATION_NAMES.contains(&c.trim().to_lowercase().as_str()))
            .map(|s| s.as_str())
    }

    /// The name of the respondent id column, if there is one.
    pub fn id_column(&self) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| ID_NAMES.contains(&c.trim().to_lowercase().as_str()))
            .map(|s| s.as_str())
    }

    /// Parse the item columns (and the id and `--by` columns) for `instrument`.
    /// `ids`: also read the respondent id and completion-time columns (score files, screening).
    pub fn load(&self, instrument: &Instrument, by: Option<&str>, ids: bool) -> Result<Responses> {
        let resolved = self.resolve(instrument);
        let mut item_columns = Vec::with_capacity(resolved.len());
        let mut notes = self.notes.clone();
        for (item, col) in instrument.items.iter().zip(&resolved) {
            match col {
                Some(c) => {
                    if c != &item.id {
                        let how = if self.map.iter().any(|(i, _)| i == &item.id) {
                            "--map".to_string()
                        } else {
                            format!("question text \"{}\"", item.text)
                        };
                        notes.push(format!("item {} read from column '{c}' ({how})", item.id));
                    }
                    item_columns.push(c.clone());
                }
                None => {
                    return Err(Error::MissingColumn {
                        file: self.path.clone(),
                        column: item.id.clone(),
                        instrument: instrument.id.clone(),
                        suggestion: suggest(&item.id, &self.columns),
                    })
                }
            }
        }
        if let Some(b) = by {
            if !self.columns.iter().any(|c| c == b) {
                return Err(Error::MissingOption {
                    file: self.path.clone(),
                    column: b.to_string(),
                    suggestion: suggest(b, &self.columns),
                    available: self.columns.join(", "),
                });
            }
        }
        // Only the columns used are parsed: the items, the group column and (for score files) the id.
        let mut needed: Vec<String> = item_columns.clone();
        needed.extend(by.map(String::from));
        if ids {
            needed.extend(self.id_column().map(String::from));
            needed.extend(self.duration_column().map(String::from));
        }
        needed.sort();
        needed.dedup();
        let p = instrument.items.len();
        let mut answers = Answers::with_rows(self.record_lines.len(), p);
        let mut group = by.map(GroupsBuilder::new);
        let id_name = self.id_column().filter(|_| ids);
        let seconds_name = self.duration_column().filter(|_| ids);
        let mut id_values: Vec<String> = Vec::new();
        let mut seconds: Vec<Option<f64>> = Vec::new();
        let mut mode = Parse::Integers;
        let batches = match self.format {
            Format::Parquet => 1,
            Format::Text { .. } => self.batch_starts.len(),
        };
        let mut first_row = 0;
        for b in 0..batches {
            let df = self.read_batch(b, &item_columns, &needed, &mut mode)?;
            // The item columns are appended on all cores; the first error in column order is reported.
            let appended: Vec<Result<()>> = answers
                .column_writers()
                .into_par_iter()
                .zip(item_columns.par_iter())
                .map(|(mut writer, column)| {
                    let col = df
                        .column(column)
                        .map_err(|e| self.polars_error(e))?
                        .as_materialized_series();
                    self.append_answers(instrument, column, col, first_row, &mut writer)
                })
                .collect();
            appended.into_iter().collect::<Result<()>>()?;
            let strings = |name: &str| -> Result<Series> {
                df.column(name)
                    .map_err(|e| self.polars_error(e))?
                    .as_materialized_series()
                    .cast(&DataType::String)
                    .map_err(|e| self.polars_error(e))
            };
            if let Some(name) = id_name {
                let s = strings(name)?;
                let ca = s.str().map_err(|e| self.polars_error(e))?;
                id_values.extend(ca.iter().map(|v| v.unwrap_or("").trim().to_string()));
            }
            if let Some(name) = seconds_name {
                let s = strings(name)?;
                let ca = s.str().map_err(|e| self.polars_error(e))?;
                seconds.extend(ca.iter().map(|v| v.and_then(parse_seconds)));
            }
            if let (Some(g), Some(name)) = (group.as_mut(), by) {
                let s = strings(name)?;
                let ca = s.str().map_err(|e| self.polars_error(e))?;
                ca.iter().for_each(|v| g.push(v));
            }
            first_row += df.height();
        }
        answers.sync_rows();
        let n = answers.nrows();
        if n == 0 {
            return Err(Error::BadFile {
                file: self.path.clone(),
                message: "the file has a header but no respondents".into(),
                fix: "export the survey again with its responses".into(),
            });
        }
        Ok(Responses {
            path: self.path.clone(),
            n_rows: n,
            answers,
            id: id_name.map(|name| (name.to_string(), id_values)),
            group: group.map(GroupsBuilder::finish),
            notes,
            seconds: seconds_name.map(|name| (name.to_string(), seconds)),
        })
    }

    /// Append one item column of a parsed batch to the answers, checking every value against the scale.
    fn append_answers(
        &self,
        instrument: &Instrument,
        column: &str,
        col: &Series,
        first_row: usize,
        out: &mut ColumnWriter,
    ) -> Result<()> {
        let out_of_range = |r: usize, v: f64| Error::OutOfRange {
            file: self.path.clone(),
            row: self.row_label(first_row + r),
            column: column.to_string(),
            value: v,
            scale: format!(
                "[{}, {}] of instrument '{}'",
                instrument.scale.min, instrument.scale.max, instrument.id
            ),
        };
        let (lo, hi) = (instrument.scale.min, instrument.scale.max);
        let mut push_checked = |r: usize, v: f64| {
            if !v.is_nan() && !(lo..=hi).contains(&v) {
                return Err(out_of_range(r, v));
            }
            out.push(v);
            Ok(())
        };
        if let Ok(ca) = col.i32() {
            for (r, v) in ca.iter().enumerate() {
                push_checked(r, v.map_or(f64::NAN, f64::from))?;
            }
            return Ok(());
        }
        if col.dtype().is_primitive_numeric() {
            let f = col
                .cast(&DataType::Float64)
                .map_err(|e| self.polars_error(e))?;
            let ca = f.f64().map_err(|e| self.polars_error(e))?;
            for (r, v) in ca.iter().enumerate() {
                push_checked(r, v.unwrap_or(f64::NAN))?;
            }
            return Ok(());
        }
        let s = col
            .cast(&DataType::String)
            .map_err(|e| self.polars_error(e))?;
        let ca = s.str().map_err(|e| self.polars_error(e))?;
        // A column holds few distinct answers ("Agree", "4", …): each is read once.
        let mut known: std::collections::HashMap<&str, Option<f64>> = Default::default();
        for (r, v) in ca.iter().enumerate() {
            let v = match v.map(str::trim) {
                None | Some("") => f64::NAN,
                Some(t) if MISSING_CODES.iter().any(|m| m.eq_ignore_ascii_case(t)) => f64::NAN,
                Some(t) => {
                    let parsed = *known.entry(t).or_insert_with(|| {
                        if self.decimal_comma {
                            instrument.parse_answer(&t.replace(',', "."))
                        } else {
                            instrument.parse_answer(t)
                        }
                    });
                    parsed.ok_or_else(|| Error::UnknownAnswer {
                        file: self.path.clone(),
                        row: self.row_label(first_row + r),
                        column: column.to_string(),
                        value: t.to_string(),
                        allowed: allowed_answers(instrument),
                    })?
                }
            };
            push_checked(r, v)?;
        }
        Ok(())
    }

    /// "row N (line L)" for messages: rows count data records from 1; lines count the file's lines.
    fn row_label(&self, index: usize) -> String {
        match self.record_lines.get(index) {
            Some(line) => format!("row {} (line {line})", index + 1),
            None => format!("row {}", index + 1),
        }
    }

    fn polars_error(&self, e: PolarsError) -> Error {
        Error::BadFile {
            file: self.path.clone(),
            message: format!("cannot parse the file: {e}"),
            fix: "check that it is a CSV/TSV file with one header row, or a Parquet file".into(),
        }
    }

    /// Parse batch `b` of the needed columns with polars (a Parquet file is one batch). Item columns are
    /// parsed as integers while they can be (fast, the usual case); `mode` steps to numbers, to numbers with
    /// "NA" codes, then to text mapped by [`Self::append_answers`], and stays there for later batches.
    fn read_batch(
        &self,
        b: usize,
        item_columns: &[String],
        needed: &[String],
        mode: &mut Parse,
    ) -> Result<DataFrame> {
        let Format::Text { delimiter } = self.format else {
            return ParquetReader::new(Cursor::new(self.bytes.as_slice()))
                .with_columns(Some(needed.to_vec()))
                .finish()
                .map_err(|e| self.polars_error(e));
        };
        let text = &self.bytes[self.start..];
        let end = self.batch_starts.get(b + 1).copied().unwrap_or(text.len());
        let begin = self.batch_starts[b];
        let blanks: Vec<&std::ops::Range<usize>> = self
            .blank_lines
            .iter()
            .filter(|r| r.start >= begin && r.end <= end)
            .collect();
        // Blank lines are rare: a batch that has some is copied without them.
        let without_blanks: Vec<u8>;
        let slice: &[u8] = if blanks.is_empty() {
            &text[begin..end]
        } else {
            let mut kept = Vec::with_capacity(end - begin);
            let mut from = begin;
            for r in blanks {
                kept.extend_from_slice(&text[from..r.start]);
                from = r.end;
            }
            kept.extend_from_slice(&text[from..end]);
            without_blanks = kept;
            &without_blanks
        };
        let projection: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| needed.contains(c))
            .map(|(k, _)| k)
            .collect();
        loop {
            let item_type = match mode {
                Parse::Integers => DataType::Int32,
                Parse::Numbers | Parse::NumbersWithCodes => DataType::Float64,
                Parse::Text => DataType::String,
            };
            let schema: Schema = self
                .columns
                .iter()
                .map(|c| {
                    let dt = if item_columns.contains(c) {
                        item_type.clone()
                    } else {
                        DataType::String
                    };
                    Field::new(c.as_str().into(), dt)
                })
                .collect();
            let nulls = matches!(mode, Parse::NumbersWithCodes | Parse::Text).then(|| {
                NullValues::AllColumns(MISSING_CODES.iter().map(|s| PlSmallStr::from(*s)).collect())
            });
            let opts = CsvReadOptions::default()
                .with_has_header(false)
                .with_schema(Some(Arc::new(schema)))
                .with_projection(Some(Arc::new(projection.clone())))
                .with_parse_options(
                    CsvParseOptions::default()
                        .with_separator(delimiter)
                        .with_decimal_comma(self.decimal_comma)
                        .with_null_values(nulls)
                        .with_missing_is_null(true),
                );
            match opts
                .into_reader_with_file_handle(Cursor::new(slice))
                .finish()
            {
                Ok(df) => return Ok(df),
                Err(e) => match mode {
                    Parse::Integers => *mode = Parse::Numbers,
                    Parse::Numbers => *mode = Parse::NumbersWithCodes,
                    Parse::NumbersWithCodes => *mode = Parse::Text,
                    Parse::Text => return Err(self.polars_error(e)),
                },
            }
        }
    }
}

/// How item columns are parsed: as integers (Likert answers; the fastest), as numbers, as numbers with
/// missing-value codes ("NA"), or as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    Integers,
    Numbers,
    NumbersWithCodes,
    Text,
}

/// What an answer may be, for messages.
fn allowed_answers(instrument: &Instrument) -> String {
    let range = format!(
        "a number in [{}, {}]",
        instrument.scale.min, instrument.scale.max
    );
    if instrument.scale.labels.is_empty() {
        format!(
            "{range} (instrument '{}' has no text labels)",
            instrument.id
        )
    } else {
        let labels: Vec<String> = instrument
            .scale
            .labels
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect();
        format!(
            "{range} or one of the labels of instrument '{}': {}",
            instrument.id,
            labels.join(", ")
        )
    }
}

/// "; did you mean 'X'?" for the closest column name, or a list of candidates.
fn suggest(name: &str, columns: &[String]) -> String {
    let lower = name.to_lowercase();
    let best = columns
        .iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase()),
                c,
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, c)) if score >= 0.5 => format!("; did you mean '{c}'?"),
        _ => String::new(),
    }
}

/// Parse a duration cell: "185", "185.5", "185秒", "3:05" (minutes:seconds).
pub fn parse_seconds(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Some((m, sec)) = t.split_once(':') {
        return Some(m.trim().parse::<f64>().ok()? * 60.0 + sec.trim().parse::<f64>().ok()?);
    }
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_seconds("185"), Some(185.0));
        assert_eq!(parse_seconds("180秒"), Some(180.0));
        assert_eq!(parse_seconds("3:05"), Some(185.0));
        assert_eq!(parse_seconds("n/a"), None);
    }

    #[test]
    fn suggestion_finds_near_names() {
        let cols = vec!["qual1".to_string(), "store".to_string()];
        assert_eq!(suggest("QUAL1", &cols), "; did you mean 'qual1'?");
        assert_eq!(suggest("XYZ", &cols), "");
    }
}
