//! The `perval` binary: parse the command line, run the subcommand, map errors to exit codes
//! (0 success, 2 bad input or usage, 1 internal failure).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let bad_input = e
                .downcast_ref::<perval::Error>()
                .map(|pe| pe.is_bad_input())
                .unwrap_or(false);
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}
