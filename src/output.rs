//! Writing results: every file is written to a temporary name beside its target and renamed into place, so
//! a failure never leaves half a file.

use crate::error::{Error, Result};
use crate::input::Loaded;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Refuse an output that is an input (the same file, also through a link or another name of it).
pub fn not_an_input(output: &Path, inputs: &[&Path]) -> Result<()> {
    let Ok(out_meta) = std::fs::metadata(output) else {
        return Ok(()); // a new file cannot be an input
    };
    for input in inputs {
        let Ok(in_meta) = std::fs::metadata(input) else {
            continue;
        };
        if same_file(&out_meta, &in_meta)
            || std::fs::canonicalize(output).ok() == std::fs::canonicalize(input).ok()
        {
            return Err(Error::OutputIsInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Write `contents` to `path` atomically; the folder must exist (only the report folder is created, by its
/// writer). A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a pipe) is written
/// directly: renaming over it would replace the device.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(contents))
}

/// As [`write_atomic`], with the contents streamed by `write` through a buffer (a large file is never held in
/// memory as one string).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |e: std::io::Error| Error::Write {
        file: path.to_path_buf(),
        message: e.to_string(),
    };
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            let mut w = std::io::BufWriter::new(f);
            return write(&mut w).and_then(|_| w.flush()).map_err(fail);
        }
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::Write {
                file: path.to_path_buf(),
                message: format!("the folder {} does not exist", parent.display()),
            });
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// CSV field: quoted when it holds a comma, quote or line break. A text starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'`, so a spreadsheet shows it instead of running it as a formula
/// (OWASP's advice on CSV injection); numbers such as -1.5 stay numbers.
pub fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err();
    let s = if risky {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Write the scores as CSV (scores.csv, `perval score`): the id column (if the file has one), the `--by`
/// column and one column per dimension. The rows are formatted on all cores, 65,536 at a time, and written
/// in order.
pub fn write_scores(l: &Loaded, w: &mut dyn Write) -> std::io::Result<()> {
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

/// The scores as an SPSS file (.sav), for researchers who go on in SPSS: the same columns as [`write_scores`],
/// each dimension with a variable label saying what it is and how it was scored. Written next to `path`
/// and renamed into place, so a failed write leaves no partial file.
pub fn write_scores_sav(l: &Loaded, path: &Path) -> Result<()> {
    use polars::prelude::*;
    let rows = &l.scored.rows;
    let mut columns: Vec<Column> = Vec::new();
    let mut labels: std::collections::HashMap<String, String> = Default::default();
    if let Some((name, ids)) = &l.responses.id {
        let values: Vec<&str> = rows.iter().map(|&r| ids[r].as_str()).collect();
        let numeric: Option<Vec<f64>> = values.iter().map(|v| v.parse::<f64>().ok()).collect();
        columns.push(match numeric {
            Some(v) => Column::new(name.as_str().into(), v),
            None => Column::new(name.as_str().into(), values),
        });
        labels.insert(name.clone(), "Respondent id".into());
    }
    if let Some(g) = &l.responses.group {
        let values: Vec<Option<&str>> = rows.iter().map(|&r| g.label(r)).collect();
        columns.push(Column::new(g.column.as_str().into(), values));
    }
    let reversed: Vec<&str> = l
        .instrument
        .items
        .iter()
        .filter(|i| i.reverse)
        .map(|i| i.id.as_str())
        .collect();
    let (min, max) = (l.instrument.scale.min, l.instrument.scale.max);
    for (d, dim) in l.instrument.dimensions.iter().enumerate() {
        let values: Vec<Option<f64>> = (0..rows.len())
            .map(|k| Some(l.scored.scores[(k, d)]).filter(|v| !v.is_nan()))
            .collect();
        columns.push(Column::new(dim.id.as_str().into(), values));
        let items: Vec<&str> = dim
            .items
            .iter()
            .map(|&i| l.instrument.items[i].id.as_str())
            .collect();
        let rev: Vec<&str> = items
            .iter()
            .copied()
            .filter(|i| reversed.contains(i))
            .collect();
        let mut label = format!("{}: mean of {}", dim.label, items.join(" "));
        if !rev.is_empty() {
            label += &format!("; {} reversed ({} - x)", rev.join(" "), min + max);
        }
        label += &format!("; perval, missing {}", l.scored.policy.name());
        labels.insert(dim.id.clone(), label.chars().take(250).collect());
    }
    let frame = DataFrame::new_infer_height(columns).map_err(|e| Error::Internal(e.to_string()))?;
    let fail = |message: String| Error::Write {
        file: path.to_path_buf(),
        message,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(fail(format!(
                "the folder {} does not exist",
                parent.display()
            )));
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.perval-partial"));
    let written = polars_readstat_rs::SpssWriter::new(&temp)
        .with_variable_labels(labels)
        .write_df(&frame)
        .map_err(|e| e.to_string())
        .and_then(|_| std::fs::rename(&temp, path).map_err(|e| e.to_string()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(e));
    }
    Ok(())
}
