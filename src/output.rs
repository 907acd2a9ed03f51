//! Writing results: every file is written to a temporary name beside its target and renamed into place, so
//! a failure never leaves half a file.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Write `contents` to `path` atomically, creating the parent folder. A target that exists and is not a regular
/// file (`/dev/null`, `/dev/stdout`, a pipe) is written directly: renaming over it would replace the device.
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
        std::fs::create_dir_all(parent).map_err(fail)?;
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

/// CSV field: quoted when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
