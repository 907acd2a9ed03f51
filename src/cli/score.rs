//! `perval score FILE -o SCORES.csv`: one row per respondent used, with the id column (if the file has one),
//! the `--by` column, and one column per dimension (mean of its items after reverse keying).

use super::input::{self, InputArgs, Loaded};
use perval::output::{csv_field, write_atomic};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Group column to copy into the scores file.
    #[arg(long)]
    by: Option<String>,
    /// Output CSV file.
    #[arg(short = 'o', long = "output", value_name = "SCORES.csv")]
    output: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let i = &args.input;
    let loaded = input::load(i, args.by.as_deref(), true, true)?;
    write_atomic(&args.output, scores_csv(&loaded).as_bytes())?;
    eprintln!(
        "wrote {} ({} respondents, {} left out: {} missing data)",
        args.output.display(),
        loaded.scored.rows.len(),
        loaded.scored.rows_dropped,
        loaded.scored.policy.name()
    );
    Ok(())
}

/// The scores as CSV text.
pub fn scores_csv(l: &Loaded) -> String {
    let mut header = Vec::new();
    if let Some((name, _)) = &l.responses.id {
        header.push(csv_field(name));
    }
    if let Some(g) = &l.responses.group {
        header.push(csv_field(&g.column));
    }
    header.extend(l.instrument.dimensions.iter().map(|d| csv_field(&d.id)));
    let mut out = header.join(",") + "\n";
    for (k, &row) in l.scored.rows.iter().enumerate() {
        let mut fields = Vec::new();
        if let Some((_, ids)) = &l.responses.id {
            fields.push(csv_field(&ids[row]));
        }
        if let Some(g) = &l.responses.group {
            fields.push(g.label(row).map(csv_field).unwrap_or_default());
        }
        for d in 0..l.instrument.dimensions.len() {
            let v = l.scored.scores[(k, d)];
            fields.push(if v.is_nan() {
                String::new()
            } else {
                format!("{v}")
            });
        }
        out += &fields.join(",");
        out.push('\n');
    }
    out
}
