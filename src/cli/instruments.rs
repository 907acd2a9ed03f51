//! `perval instruments` lists the built-in instruments; `perval instruments show ID` prints one as TOML.

use perval::instrument;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval instruments
  perval instruments show perval-19-zh > my-instrument.toml")]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Print a built-in instrument (or an instrument file) as TOML.
    Show {
        /// Built-in id or path.
        id: String,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.action {
        None => {
            let mut t = comfy_table::Table::new();
            t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.set_header(["id", "name", "items", "dimensions", "scale", "language"]);
            for inst in instrument::builtins() {
                t.add_row([
                    inst.id.clone(),
                    inst.name.clone(),
                    inst.items.len().to_string(),
                    inst.dimensions
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    format!("{}–{}", inst.scale.min, inst.scale.max),
                    format!("{:?}", inst.language).to_lowercase(),
                ]);
            }
            super::print_out(&format!("{t}\n"))
        }
        Some(Action::Show { id }) => {
            let inst = instrument::load(&id)?;
            super::print_out(&inst.source)
        }
    }
}
