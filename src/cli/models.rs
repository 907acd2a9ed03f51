//! `perval models` lists the built-in structural models; `perval models show ID` prints one in lavaan syntax.

use perval::model;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval models
  perval models show value-chain > my-model.lav")]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Print a built-in model (lavaan syntax; a starting point for your own).
    Show {
        /// Built-in model id.
        id: String,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.action {
        None => {
            let mut t = comfy_table::Table::new();
            t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.set_header(["id", "model", "instruments"]);
            for (id, about, _) in model::BUILTIN {
                t.add_row([
                    id.to_string(),
                    about.to_string(),
                    "perval-chain, perval-chain-zh, perval-restaurant-chain-zh".to_string(),
                ]);
            }
            super::print_out(&format!("{t}\n"))
        }
        Some(Action::Show { id }) => match model::BUILTIN.iter().find(|m| m.0 == id) {
            Some((_, _, text)) => super::print_out(text),
            None => Err(perval::Error::Usage(format!(
                "'{id}' is not a built-in model{}\n  fix: run `perval models` for the list",
                model::BUILTIN
                    .iter()
                    .map(|m| m.0)
                    .min_by_key(|m| strsim::levenshtein(m, &id))
                    .filter(|m| strsim::levenshtein(m, &id) <= 3)
                    .map(|m| format!(" (did you mean '{m}'?)"))
                    .unwrap_or_default()
            ))
            .into()),
        },
    }
}
