//! Response files in, a validated response matrix out. The only module that knows about polars.
//!
//! Reading happens in two steps so that the instrument can be chosen from the header:
//! [`open`] reads the bytes once, detects the format (Parquet, or CSV/TSV/semicolon text with or without a
//! UTF-8 BOM) and checks the header and the row structure; [`RawFile::load`] parses the item columns with
//! polars and maps text labels, missing codes and out-of-range values, naming the row and column of any
//! problem.

mod answers;
pub mod labelled;
mod load;
pub mod sources;
mod text;

pub use answers::{Answers, ColumnWriter};
pub use load::parse_seconds;
use load::suggest;
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
    // 问卷星 (wjx) and Tencent Survey exports.
    "序号",
    "答卷编号",
    "编号",
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
    /// Missing-value codes (`--na`).
    na: Vec<f64>,
    /// SPSS and Stata files: each column's numeric value labels (ascending codes; empty for other files).
    value_labels: Vec<Vec<(f64, String)>>,
    /// SPSS and Stata files: each column's answers that were declared missing values, and the codes.
    declared: Vec<(usize, String)>,
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
    /// Answers that mean "missing" (`--na -99,999`), besides empty cells, NA and N/A.
    pub na: Vec<f64>,
    /// The worksheet of a workbook (name or 1-based number; default: the first).
    pub sheet: Option<String>,
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
            // Consecutive rows often share a group (files sorted by store): no hashing then.
            if let Some(&Some(last)) = self.codes.last() {
                if self.labels[last as usize] == t {
                    return Some(last);
                }
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

impl RawFile {
    /// Whether the file's text (its first 64 KB, header included) has Chinese characters: between an
    /// instrument and its Chinese translation, which the answers are written in.
    pub fn has_cjk_text(&self) -> bool {
        let text = &self.bytes[self.start..];
        let head = &text[..text.len().min(64 * 1024)];
        String::from_utf8_lossy(head)
            .chars()
            .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
            || self
                .value_labels
                .iter()
                .flatten()
                .any(|(_, l)| l.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
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
    raw.na = options.na.clone();
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

/// Rows polars parses at a time: the parsed batch (20 MB of integers for 19 items; larger batches cost polars less per row: 1M rows parse in 0.5 s instead of 0.7 s) is turned into compact answers before
/// the next one is read, so the file is never held as a frame of f64.
const BATCH_ROWS: usize = 1 << 18;

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
    if let Some(kind) = labelled::kind(&bytes, path) {
        return open_labelled(path, bytes, kind);
    }
    let mut notes = Vec::new();
    // The text as bytes from `start` on: the file itself when it is UTF-8 (no copy of a large file), else
    // the decoded or converted text.
    let (bytes, start) = if sources::is_workbook(&bytes, path) {
        let (csv, note) =
            sources::workbook_to_csv(&bytes, options.sheet.as_deref()).map_err(|m| {
                bad(
                m,
                "choose the worksheet with --sheet NAME or --sheet N, or save the responses as CSV",
            )
            })?;
        notes.push(note);
        (csv.into_bytes(), 0)
    } else {
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let head = &bytes[..bytes.len().min(64 * 1024)];
        if !utf16 && options.encoding.is_none() {
            if let Some(place) = stray_nul(head) {
                return Err(bad(
                    format!("{place} holds a NUL byte (\\0), which no text answer contains"),
                    "remove that character (a damaged export or a copy from another program), or export the file again",
                ));
            }
        }
        if !utf16 && options.encoding.is_none() && head.contains(&0) {
            return Err(bad(
                "the file is not text (it contains NUL bytes): perval reads CSV, TSV, Excel, Parquet, SPSS and Stata files".into(),
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
    // Classic Mac "CSV (Macintosh)" files end lines with CR alone: read each CR as a line break (in place).
    let mut bytes = bytes;
    if memchr::memchr(b'\n', &bytes[start..]).is_none()
        && memchr::memchr(b'\r', &bytes[start..]).is_some()
    {
        notes.push("line ends are CR alone (classic Mac): read as line breaks".into());
        for b in &mut bytes[start..] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
    }
    let text = std::str::from_utf8(&bytes[start..]).map_err(|_| {
        bad(
            "the file is not valid UTF-8 text".into(),
            "save the file as UTF-8 (in Excel: Save As > CSV UTF-8)",
        )
    })?;
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let delimiter = text::detect_delimiter(&text.as_bytes()[..first_line_end]);
    let mut texts = Vec::new();
    let mut line_offset = 0u32;
    let (bytes, start) = match sources::rewrite_platform(text, delimiter as char, options.platform)
    {
        Some(r) => {
            line_offset = r.removed_lines as u32;
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
            "the file is not text (it contains NUL bytes): perval reads CSV, TSV, Excel, Parquet, SPSS and Stata files"
                .into(),
            "export the responses as CSV (comma- or tab-separated, UTF-8) or Parquet",
        ));
    }
    let scan = text::scan(&bytes[start..], BATCH_ROWS).map_err(|e| match e {
        text::ScanError::NotUtf8 { line } => bad(
            format!("line {line} is not valid UTF-8 text"),
            "save the file as UTF-8 (in Excel: Save As > CSV UTF-8); files in GBK or Latin-1 must be converted first",
        ),
        text::ScanError::Ragged { record, line, found, expected } => Error::RaggedRow { file: path.to_path_buf(), row: record, line: line + line_offset as usize, found, expected },
        text::ScanError::UnclosedQuote { line } => bad(
            format!("a quoted field that starts on line {} is never closed", line + line_offset as usize),
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
        // Line numbers in the file, beyond the header rows an export's rewrite replaced.
        record_lines: scan.record_lines.iter().map(|l| l + line_offset).collect(),
        batch_starts: scan.batch_starts,
        blank_lines: scan.blank_lines,
        texts,
        decimal_comma,
        map: Vec::new(),
        na: Vec::new(),
        value_labels: Vec::new(),
        declared: Vec::new(),
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
        na: Vec::new(),
        value_labels: Vec::new(),
        declared: Vec::new(),
        notes: Vec::new(),
    })
}

/// An SPSS or Stata file: read with its dictionary, then held as Parquet in memory so that the answers are
/// parsed and checked by the same code as every other file.
fn open_labelled(path: &Path, bytes: Vec<u8>, kind: labelled::Kind) -> Result<RawFile> {
    let bad = |message: String| {
        Error::BadFile {
        file: path.to_path_buf(),
        message: format!("cannot read the {} file: {message}", kind.name()),
        fix: match kind {
            labelled::Kind::Stata => "save it again from Stata (`save`, any version from 8 on), or export it as CSV".into(),
            _ => "save it again from SPSS or PSPP without a password (File > Save As), or export it as CSV".into(),
        },
    }
    };
    let file = labelled::read(bytes, kind).map_err(bad)?;
    if file.frame.height() == 0 {
        return Err(Error::BadFile {
            file: path.to_path_buf(),
            message: format!("the {} file has variables but no cases", kind.name()),
            fix: "save the data set again with its responses".into(),
        });
    }
    let mut frame = file.frame;
    let mut parquet = Vec::new();
    ParquetWriter::new(&mut parquet)
        .finish(&mut frame)
        .map_err(|e| {
            Error::Internal(format!("holding the {} file as Parquet: {e}", kind.name()))
        })?;
    let mut raw = open_parquet(path, parquet)?;
    raw.texts = file.labels;
    raw.value_labels = file.value_labels;
    raw.declared = file.declared;
    raw.notes.push(file.note);
    Ok(raw)
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

/// Where a text file holds a stray NUL byte ("line 3, column 2"): a few NULs in otherwise readable text, not a
/// binary file (which has many).
fn stray_nul(head: &[u8]) -> Option<String> {
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls == 0 || nuls * 1000 > head.len() {
        return None;
    }
    let at = memchr::memchr(0, head)?;
    let line_start = head[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |k| k + 1);
    let line = head[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let header_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let delimiter = text::detect_delimiter(&head[..header_end]);
    let column = head[line_start..at]
        .iter()
        .filter(|&&b| b == delimiter)
        .count()
        + 1;
    Some(format!("line {line}, column {column}"))
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
