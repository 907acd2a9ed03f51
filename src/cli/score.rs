//! `perval score FILE -o SCORES.csv`: one row per respondent used, with the id column (if the file has one),
//! the `--by` column, and one column per dimension (mean of its items after reverse keying).

use super::input::{self, InputArgs, Loaded};
use perval::output::{csv_field, write_atomic_with};
use rayon::prelude::*;
use std::fmt::Write as _;
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
    write_atomic_with(&args.output, |w| write_scores(&loaded, w))?;
    eprintln!(
        "wrote {} ({} respondents, {} left out: {} missing data)",
        args.output.display(),
        loaded.scored.rows.len(),
        loaded.scored.rows_dropped,
        loaded.scored.policy.name()
    );
    Ok(())
}

/// Write the scores as CSV: the rows are formatted on all cores, 65,536 at a time, and written in order.
pub fn write_scores(l: &Loaded, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    const CHUNK: usize = 1 << 16;
    let mut header = Vec::new();
    if let Some((name, _)) = &l.responses.id {
        header.push(csv_field(name));
    }
    if let Some(g) = &l.responses.group {
        header.push(csv_field(&g.column));
    }
    header.extend(l.instrument.dimensions.iter().map(|d| csv_field(&d.id)));
    writeln!(w, "{}", header.join(","))?;
    let rows = &l.scored.rows;
    let dims = l.instrument.dimensions.len();
    let format_rows = |start: usize| {
        let mut out = String::new();
        for (k, &row) in rows.iter().enumerate().skip(start).take(CHUNK) {
            let mut first = true;
            let mut sep = |out: &mut String| {
                if !first {
                    out.push(',');
                }
                first = false;
            };
            if let Some((_, ids)) = &l.responses.id {
                sep(&mut out);
                out.push_str(&csv_field(&ids[row]));
            }
            if let Some(g) = &l.responses.group {
                sep(&mut out);
                if let Some(label) = g.label(row) {
                    out.push_str(&csv_field(label));
                }
            }
            for d in 0..dims {
                sep(&mut out);
                let v = l.scored.scores[(k, d)];
                if !v.is_nan() {
                    let _ = write!(out, "{v}");
                }
            }
            out.push('\n');
        }
        out
    };
    // A few chunks per round, so that memory stays bounded however many rows there are.
    let starts: Vec<usize> = (0..rows.len()).step_by(CHUNK).collect();
    for round in starts.chunks(8) {
        let texts: Vec<String> = round.par_iter().map(|&s| format_rows(s)).collect();
        for t in texts {
            w.write_all(t.as_bytes())?;
        }
    }
    Ok(())
}
