//! The input steps every subcommand shares: choose the instrument, read the file, score it.

use perval::data::{self, RawFile, Responses};
use perval::instrument::{self, Instrument};
use perval::scoring::{self, MissingPolicy, Scored};
use perval::{Error, Result};
use std::path::Path;

/// About 100,000 respondents of a 19-item survey.
const BIG_FILE_BYTES: u64 = 5_000_000;

/// The input arguments every subcommand takes.
#[derive(clap::Args)]
pub struct InputArgs {
    /// Response file: CSV/TSV/semicolon text (UTF-8, UTF-16 or GBK), Excel (.xlsx, .xls) or Parquet.
    pub file: std::path::PathBuf,
    /// Built-in instrument id or path to an instrument TOML file (default: the built-in whose items are all columns).
    #[arg(long)]
    pub instrument: Option<String>,
    /// Missing answers: listwise drops a respondent missing any item; pairwise uses every available pair.
    #[arg(long, value_enum, default_value = "listwise")]
    pub missing: MissingPolicy,
    /// Text encoding (default: from the byte-order mark, else UTF-8, else GB18030/GBK).
    #[arg(long, value_enum)]
    pub encoding: Option<data::TextEncoding>,
    /// Survey platform export layout (default: detected).
    #[arg(long = "format", value_enum)]
    pub platform: Option<data::Platform>,
    /// Read an item from a differently named column: --map QUAL1=Q5_1 (repeatable).
    #[arg(long = "map", value_name = "ITEM=COLUMN", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(format!("'{s}' is not ITEM=COLUMN, e.g. --map QUAL1=Q5_1")),
    }
}

impl InputArgs {
    pub fn read_options(&self) -> data::ReadOptions {
        data::ReadOptions {
            encoding: self.encoding,
            platform: self.platform,
            map: self.map.clone(),
        }
    }
}

/// Everything read and validated, ready for analysis.
pub struct Loaded {
    pub instrument: Instrument,
    pub responses: Responses,
    pub scored: Scored,
}

/// `--instrument` resolved: the given id or path, or else the built-ins whose items are all columns.
/// Several fit only when they are translations of one another (same items, keys and scale); then each is tried
/// in turn (English first) and the first whose labels read the answers is used.
pub fn candidate_instruments(file: &RawFile, requested: Option<&str>) -> Result<Vec<Instrument>> {
    if let Some(r) = requested {
        return Ok(vec![instrument::load(r)?]);
    }
    let fitting: Vec<Instrument> = instrument::builtins()
        .into_iter()
        .filter(|i| file.fits(i))
        .collect();
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
        Some(first) if fitting.iter().all(|i| same_scoring(first, i)) => Ok(fitting),
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

pub fn load(input: &InputArgs, by: Option<&str>, ids: bool, show_progress: bool) -> Result<Loaded> {
    let path: &Path = &input.file;
    let instrument = input.instrument.as_deref();
    let policy = input.missing;
    // Files over ~100,000 respondents take a noticeable moment: show a spinner on a terminal.
    let big = std::fs::metadata(path)
        .map(|m| m.len() > BIG_FILE_BYTES)
        .unwrap_or(false);
    let spinner =
        super::progress::spinner(show_progress && big, &format!("reading {}", path.display()));
    let file = data::open_with(path, &input.read_options())?;
    let candidates = candidate_instruments(&file, instrument)?;
    let last = candidates.len() - 1;
    for (k, instrument) in candidates.into_iter().enumerate() {
        match file.load(&instrument, by, ids) {
            Err(Error::UnknownAnswer { .. }) if k < last => continue,
            Err(e) => return Err(e),
            Ok(mut responses) => {
                // The file's bytes are no longer needed: free them before the scores are allocated.
                drop(file);
                let scored = scoring::score_in_place(&mut responses, &instrument, policy)?;
                if let Some(sp) = spinner {
                    sp.finish_and_clear();
                }
                return Ok(Loaded {
                    instrument,
                    responses,
                    scored,
                });
            }
        }
    }
    unreachable!("the last candidate either loads or returns its error")
}
