//! One error type for the library. Every variant describes the user's problem with the file, row and column
//! attached and, where one exists, the fix. The binary maps [`Error::is_bad_input`] to exit status 2.

use std::path::PathBuf;

/// Result with perval's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between reading a file and writing a result.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An instrument file that is not valid TOML or breaks a rule of the format.
    #[error("{file}: line {line}: {message}\n  fix: {fix}")]
    Instrument {
        file: String,
        line: usize,
        message: String,
        fix: String,
    },

    /// `--instrument` named neither a built-in instrument nor a readable file.
    #[error("unknown instrument '{0}'\n  fix: run `perval instruments` for the built-in ids, or give the path of a TOML file")]
    UnknownInstrument(String),

    /// No built-in instrument (or several) has all its items among the file's columns.
    #[error("{file}: {message}\n  fix: {fix}")]
    InstrumentChoice {
        file: PathBuf,
        message: String,
        fix: String,
    },

    /// The response file could not be opened or read.
    #[error("{file}: {message}")]
    Io { file: PathBuf, message: String },

    /// The response file is unusable as a whole (not text, empty, no respondents, ...).
    #[error("{file}: {message}\n  fix: {fix}")]
    BadFile {
        file: PathBuf,
        message: String,
        fix: String,
    },

    /// An item column named by the instrument is not in the file.
    #[error("{file}: column '{column}' (an item of instrument '{instrument}') is not in the file{suggestion}\n  fix: rename the column, or choose another instrument with --instrument")]
    MissingColumn {
        file: PathBuf,
        column: String,
        instrument: String,
        /// Already formatted: "; did you mean 'X'?" or empty.
        suggestion: String,
    },

    /// A column named on the command line (`--by`) is not in the file.
    #[error(
        "{file}: no column '{column}'{suggestion}\n  fix: the file's columns are: {available}"
    )]
    MissingOption {
        file: PathBuf,
        column: String,
        suggestion: String,
        available: String,
    },

    /// Two header cells have the same name.
    #[error("{file}: the header has two columns named '{column}' (columns {first} and {second})\n  fix: give every column a unique name")]
    DuplicateColumn {
        file: PathBuf,
        column: String,
        first: usize,
        second: usize,
    },

    /// A row with more or fewer fields than the header.
    #[error("{file}: row {row} (line {line}) has {found} fields but the header has {expected}\n  fix: check that row for an unquoted delimiter or a missing value; every row needs one field per column")]
    RaggedRow {
        file: PathBuf,
        row: usize,
        line: usize,
        found: usize,
        expected: usize,
    },

    /// A numeric answer outside the instrument's scale.
    #[error("{file}: {row}, column '{column}': value {value} is outside the scale {scale}\n  fix: correct the value, leave the cell empty if it is missing (or declare missing-value codes: --na {value}), or use an instrument with the right scale")]
    OutOfRange {
        file: PathBuf,
        /// "row N (line L)".
        row: String,
        column: String,
        value: f64,
        /// "[1, 7] of instrument 'perval-19'".
        scale: String,
    },

    /// A text answer that is neither a number nor one of the scale's labels.
    #[error("{file}: {row}, column '{column}': '{value}' is not a number and not a scale label\n  fix: use {allowed}; leave the cell empty (or NA) when the answer is missing")]
    UnknownAnswer {
        file: PathBuf,
        /// "row N (line L)".
        row: String,
        column: String,
        value: String,
        /// What the instrument accepts, e.g. "a number in [1, 7] or one of the labels of perval-19: ...".
        allowed: String,
    },

    /// Several cells that are not answers ([`Error::OutOfRange`] or [`Error::UnknownAnswer`]), in file order:
    /// the first [`BAD_CELLS_SHOWN`] of `total`, so a file is fixed in one round, not one run per cell.
    #[error("{}", bad_cells_message(file, cells, *total))]
    BadCells {
        file: PathBuf,
        cells: Vec<Error>,
        total: usize,
    },

    /// Too few respondents left for the statistics.
    #[error("{file}: {message}\n  fix: {fix}")]
    TooFewRespondents {
        file: PathBuf,
        message: String,
        fix: String,
    },

    /// An item nobody answered, or one everybody answered the same way.
    #[error("{file}: column '{column}': {message}\n  fix: {fix}")]
    DegenerateItem {
        file: PathBuf,
        column: String,
        message: String,
        fix: String,
    },

    /// A command-line value that makes no sense (e.g. `--bootstrap 0`).
    #[error("{0}")]
    Usage(String),

    /// A matrix that must be positive definite is not (e.g. perfectly collinear items).
    #[error("{what} is not positive definite\n  fix: {fix}")]
    NotPositiveDefinite { what: String, fix: String },

    /// Writing an output file failed.
    #[error("writing {file}: {message}\n  fix: check that the folder exists and that you may write there, and that the disk is not full")]
    Write { file: PathBuf, message: String },

    /// An output would replace an input file.
    #[error("{output}: this is the input file {input}; writing there would destroy the data\n  fix: choose another output name")]
    OutputIsInput { output: PathBuf, input: PathBuf },

    /// A chart drawn into memory failed (a bug, not the user's input).
    #[error("drawing the {chart} chart failed: {message}\n  fix: please report this with the command you ran")]
    Draw { chart: String, message: String },

    /// A model (lavaan syntax) that cannot be read or estimated.
    #[error("{origin}: line {line}: {message}\n  fix: {fix}")]
    Model {
        /// The model file or built-in model id.
        origin: String,
        line: usize,
        message: String,
        fix: String,
    },

    /// A broken invariant inside perval (a bug, not the user's input).
    #[error("internal error: {0}\n  fix: please report this with the command you ran")]
    Internal(String),
}

impl Error {
    /// Whether the error is the user's input (exit 2) rather than an internal failure (exit 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Internal(_) | Error::Draw { .. })
    }

    /// Whether the file has text answers the instrument does not know (another translation may read them).
    pub fn is_unknown_answer(&self) -> bool {
        match self {
            Error::UnknownAnswer { .. } => true,
            Error::BadCells { cells, .. } => cells.iter().any(Error::is_unknown_answer),
            _ => false,
        }
    }
}

/// How many offending cells one message lists.
pub const BAD_CELLS_SHOWN: usize = 20;

fn bad_cells_message(file: &std::path::Path, cells: &[Error], total: usize) -> String {
    let shown = if total > cells.len() {
        format!(" (the first {} shown)", cells.len())
    } else {
        String::new()
    };
    let mut out = format!("{}: {total} cells are not answers{shown}:", file.display());
    let mut out_of_range: Vec<String> = Vec::new();
    let mut allowed = None;
    for cell in cells {
        match cell {
            Error::OutOfRange {
                row,
                column,
                value,
                scale,
                ..
            } => {
                out += &format!(
                    "\n  {row}, column '{column}': value {value} is outside the scale {scale}"
                );
                let v = value.to_string();
                if !out_of_range.contains(&v) {
                    out_of_range.push(v);
                }
            }
            Error::UnknownAnswer {
                row,
                column,
                value,
                allowed: a,
                ..
            } => {
                out += &format!(
                    "\n  {row}, column '{column}': '{value}' is not a number and not a scale label"
                );
                allowed = Some(a.clone());
            }
            other => out += &format!("\n  {other}"),
        }
    }
    if !out_of_range.is_empty() {
        out += &format!(
            "\n  fix: correct the values outside the scale, leave a cell empty if the answer is missing (or declare missing-value codes: --na {}), or use an instrument with the right scale",
            out_of_range.join(",")
        );
    }
    if let Some(a) = allowed {
        out +=
            &format!("\n  fix: use {a}; leave the cell empty (or NA) when the answer is missing");
    }
    out
}
