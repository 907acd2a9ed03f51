//! Writing a command's results: the JSON (when asked) and the tables on the terminal (unless quiet), with the
//! two flags every analysing command takes.

use perval::output::write_atomic;
use perval::report::Report;
use std::path::PathBuf;

/// `--json` and `--quiet`.
#[derive(clap::Args)]
pub struct OutputArgs {
    /// Write the results as JSON (schema perval/1) to this file.
    #[arg(long, value_name = "OUT.json")]
    pub json: Option<PathBuf>,
    /// Print nothing on the terminal (files are still written).
    #[arg(long)]
    pub quiet: bool,
}

/// Write the JSON and print the tables. Nothing is written before this point, so a rejected input leaves no
/// file behind.
pub fn emit(
    report: &Report,
    output: &OutputArgs,
    inputs: &[&std::path::Path],
) -> anyhow::Result<()> {
    if let Some(path) = &output.json {
        perval::output::not_an_input(path, inputs)?;
        write_atomic(path, report.to_json().as_bytes())?;
    }
    if !output.quiet {
        super::print_out(&perval::report::terminal::render(report))?;
    }
    Ok(())
}

/// The report folder of `--out [DIR]`: DIR, or reports/<input file stem><suffix>/ for `--out` alone.
pub fn report_dir(out: &Option<PathBuf>, input: &std::path::Path, suffix: &str) -> PathBuf {
    out.clone().unwrap_or_else(|| {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "report".into());
        PathBuf::from("reports").join(format!("{stem}{suffix}"))
    })
}

/// A model command's output: the report folder when `--out` was given (under reports/<stem><suffix>/ for
/// `--out` alone), then the JSON and the tables.
pub fn write_model_report(
    mut report: Report,
    loaded: &perval::input::Loaded,
    out: &Option<Option<PathBuf>>,
    suffix: &str,
    output: &OutputArgs,
    read: &[PathBuf],
) -> anyhow::Result<()> {
    let inputs = with_responses(loaded, read);
    // Every output is checked before any is written: a --json onto an input leaves no report folder behind.
    if let Some(path) = &output.json {
        perval::output::not_an_input(path, &inputs)?;
    }
    if let Some(dir) = out {
        let dir = report_dir(dir, &loaded.responses.path, suffix);
        perval::report::folder::write(
            &dir,
            loaded,
            &mut report,
            &perval::report::folder::Look::default(),
        )?;
        if !output.quiet {
            eprintln!(
                "wrote the report to {}/ (report.html, report.md, results.json, tables/, charts/)",
                dir.display()
            );
        }
    }
    emit(&report, output, &inputs)
}

/// The response file and the other files read, as the inputs no output may replace.
pub fn with_responses<'a>(
    loaded: &'a perval::input::Loaded,
    read: &'a [PathBuf],
) -> Vec<&'a std::path::Path> {
    std::iter::once(loaded.responses.path.as_path())
        .chain(read.iter().map(PathBuf::as_path))
        .collect()
}

/// The files besides the responses that a command read (an instrument or model given as a path): no output may
/// replace them.
pub fn read_files(names: &[Option<&str>]) -> Vec<PathBuf> {
    names
        .iter()
        .flatten()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect()
}

/// `--bootstrap 0` is refused: the message says what a usual number of resamples is.
pub fn check_resamples(bootstrap: Option<usize>, usual: &str) -> anyhow::Result<()> {
    if bootstrap == Some(0) {
        return Err(perval::Error::Usage(format!(
            "--bootstrap needs at least 1 resample ({usual})"
        ))
        .into());
    }
    Ok(())
}
