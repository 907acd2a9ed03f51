//! Progress bars on stderr (indicatif) for the library's long steps; silent when stderr is not a terminal or
//! with --quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use perval::progress::{Progress, ProgressHandle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

struct Bar(Mutex<Option<ProgressBar>>);

impl Progress for Bar {
    fn start(&self, what: &str, total: u64) {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        if let Ok(mut b) = self.0.lock() {
            *b = Some(bar);
        }
    }
    fn advance(&self, n: u64) {
        if let Ok(b) = self.0.lock() {
            if let Some(bar) = b.as_ref() {
                bar.inc(n);
            }
        }
    }
    fn finish(&self) {
        if let Ok(mut b) = self.0.lock() {
            if let Some(bar) = b.take() {
                bar.finish_and_clear();
            }
        }
    }
}

/// A progress sink when stderr is a terminal and the user did not ask for quiet.
pub fn bars(quiet: bool) -> Option<ProgressHandle> {
    (!quiet && std::io::stderr().is_terminal())
        .then(|| Arc::new(Bar(Mutex::new(None))) as ProgressHandle)
}

/// A spinner with a message, when `show` and stderr is a terminal.
pub fn spinner(show: bool, message: &str) -> Option<ProgressBar> {
    (show && std::io::stderr().is_terminal()).then(|| {
        let sp = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        sp.set_message(message.to_string());
        sp.enable_steady_tick(std::time::Duration::from_millis(120));
        sp
    })
}
