//! Progress of long steps (bootstrap, parallel analysis, polychoric correlations), reported through a trait so
//! the library never prints: the binary shows it as a bar on stderr.

use std::sync::Arc;

/// Receives progress of a long step. Implementations must be thread-safe: replicates run in parallel.
pub trait Progress: Send + Sync {
    /// A step with `total` units begins.
    fn start(&self, what: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The step is over.
    fn finish(&self);
}

/// A shareable progress sink.
pub type ProgressHandle = Arc<dyn Progress>;

/// Run `f` as a step of `total` units reported to `p` (if any).
pub fn step<T>(
    p: Option<&ProgressHandle>,
    what: &str,
    total: u64,
    f: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T,
) -> T {
    match p {
        Some(p) => {
            p.start(what, total);
            let out = f(&|n| p.advance(n));
            p.finish();
            out
        }
        None => f(&|_| {}),
    }
}

/// Run `f` and, when the environment has `PERVAL_TIMING=1`, say on stderr how long it took: where the time of
/// a run goes (BENCHMARKS.md), without a profiler. Off by default; never changes a number.
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var("PERVAL_TIMING").is_ok_and(|v| v == "1")) {
        return f();
    }
    let start = std::time::Instant::now();
    let out = f();
    eprintln!("timing: {what} {:.3} s", start.elapsed().as_secs_f64());
    out
}
