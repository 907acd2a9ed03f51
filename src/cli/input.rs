//! The reading options every command that reads responses takes, turned into the library's
//! [`LoadOptions`]; the spinner for big files.

use perval::data;
use perval::input::{self, LoadOptions, Loaded};
use perval::scoring::MissingPolicy;
use perval::Result;

/// About 100,000 respondents of a 19-item survey.
const BIG_FILE_BYTES: u64 = 5_000_000;

/// The input arguments every command that reads responses takes: `ReadArgs` and the missing-data policy.
#[derive(clap::Args)]
pub struct InputArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Missing answers: listwise drops a respondent missing any item; pairwise uses every available pair; fiml
    /// fits the CFA and structural models by full-information ML on every respondent (reliability: pairwise).
    #[arg(long, value_enum, default_value = "listwise")]
    pub missing: MissingPolicy,
}

/// Which file, which instrument and how to read it (the Kano and expectations commands take only these).
#[derive(clap::Args)]
pub struct ReadArgs {
    /// Response file: CSV/TSV/semicolon text (UTF-8, UTF-16 or GBK), Excel (.xlsx, .xls), Parquet, SPSS (.sav,
    /// .zsav, .por) or Stata (.dta).
    pub file: std::path::PathBuf,
    /// Built-in instrument id or path to an instrument TOML file (default: the built-in whose items are all columns).
    #[arg(long)]
    pub instrument: Option<String>,
    /// Text encoding (default: from the byte-order mark, else UTF-8, else GB18030/GBK).
    #[arg(long, value_enum)]
    pub encoding: Option<data::TextEncoding>,
    /// Survey platform export layout (default: detected).
    #[arg(long = "format", value_enum)]
    pub platform: Option<data::Platform>,
    /// Read an item from a differently named column: --map QUAL1=Q5_1 (repeatable).
    #[arg(long = "map", value_name = "ITEM=COLUMN", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// Answer codes that mean "missing", e.g. --na -99,999 (besides empty cells, NA and N/A).
    #[arg(
        long = "na",
        value_name = "CODES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub na: Vec<f64>,
    /// The worksheet of an Excel workbook: its name or number (default: the first).
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
}

fn parse_map(s: &str) -> std::result::Result<(String, String), String> {
    match s.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(format!("'{s}' is not ITEM=COLUMN, e.g. --map QUAL1=Q5_1")),
    }
}

impl InputArgs {
    pub fn load_options(&self, by: Option<&str>, ids: bool) -> LoadOptions {
        LoadOptions {
            missing: self.missing,
            ..self.read.load_options(by, ids)
        }
    }
}

impl ReadArgs {
    pub fn load_options(&self, by: Option<&str>, ids: bool) -> LoadOptions {
        LoadOptions {
            file: self.file.clone(),
            instrument: self.instrument.clone(),
            missing: MissingPolicy::Listwise,
            read: data::ReadOptions {
                encoding: self.encoding,
                platform: self.platform,
                map: self.map.clone(),
                na: self.na.clone(),
                sheet: self.sheet.clone(),
            },
            by: by.map(String::from),
            ids,
        }
    }
}

/// Read, validate and score, with a spinner on a terminal for files over ~100,000 respondents.
pub fn load(input: &InputArgs, by: Option<&str>, ids: bool, show_progress: bool) -> Result<Loaded> {
    let big = std::fs::metadata(&input.read.file)
        .map(|m| m.len() > BIG_FILE_BYTES)
        .unwrap_or(false);
    let spinner = super::progress::spinner(
        show_progress && big,
        &format!("reading {}", input.read.file.display()),
    );
    let loaded = input::load(&input.load_options(by, ids));
    if let Some(sp) = spinner {
        sp.finish_and_clear();
    }
    loaded
}
