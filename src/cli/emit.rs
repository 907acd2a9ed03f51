//! Writing a command's results: the JSON (when asked) and the tables on the terminal (unless quiet).

use anyhow::Context;
use perval::output::write_atomic;
use perval::report::Report;
use std::path::PathBuf;

/// Write the JSON and print the tables. Nothing is written before this point, so a rejected input leaves no
/// file behind.
pub fn emit(report: &Report, json: Option<&PathBuf>, quiet: bool) -> anyhow::Result<()> {
    if let Some(path) = json {
        write_atomic(path, report.to_json().as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if !quiet {
        super::print_out(&perval::report::terminal::render(report))?;
    }
    Ok(())
}
