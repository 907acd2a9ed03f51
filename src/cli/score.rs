//! `perval score FILE -o SCORES.csv|SCORES.sav`: one row per respondent used, with the id column (if the file
//! has one), the `--by` column, and one column per dimension (mean of its items after reverse keying); a .sav
//! output is an SPSS file whose variable labels say how each dimension was scored.

use super::input::{self, InputArgs};
use perval::output::{write_atomic_with, write_scores};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval score responses.csv --by store -o scores.csv
  perval score responses.csv --missing pairwise --bom -o scores-for-excel.csv
  perval score survey.sav --by store -o scores.sav")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Group column to copy into the scores file.
    #[arg(long)]
    by: Option<String>,
    /// Output file: CSV, or an SPSS data file when the name ends in .sav.
    #[arg(short = 'o', long = "output", value_name = "SCORES.csv")]
    output: PathBuf,
    /// Start the file with a UTF-8 byte-order mark, so that Excel on Chinese (and other) Windows reads its text
    /// correctly.
    #[arg(long)]
    bom: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let i = &args.input;
    let loaded = input::load(i, args.by.as_deref(), true, true)?;
    perval::output::not_an_input(&args.output, &[loaded.responses.path.as_path()])?;
    let sav = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sav"));
    if sav {
        perval::output::write_scores_sav(&loaded, &args.output)?;
    } else {
        write_atomic_with(&args.output, |w| {
            if args.bom {
                w.write_all("\u{feff}".as_bytes())?;
            }
            write_scores(&loaded, w)
        })?;
    }
    eprintln!(
        "wrote {} ({} respondents, {} left out: {} missing data)",
        args.output.display(),
        loaded.scored.rows.len(),
        loaded.scored.rows_dropped,
        loaded.scored.policy.name()
    );
    Ok(())
}
