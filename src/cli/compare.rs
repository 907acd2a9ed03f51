//! `perval compare FILE --by COLUMN`: the groups on every dimension and item, reliability within each group,
//! and measurement invariance across them.

use super::emit::{emit, OutputArgs};
use super::input::{self, InputArgs};
use perval::analysis::{self, Options, Sections};
use perval::findings::Finding;
use perval::instrument::Language;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval compare data/perval-stores.csv --by store
  perval compare responses.csv --by wave --json waves.json")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Column that defines the groups (store, brand, wave).
    #[arg(long)]
    by: String,
    /// What a group is, in words, for titles and prose (e.g. "restaurant" → "The restaurants differed …";
    /// "门店" for Chinese text); default: the column name.
    #[arg(long, value_name = "NOUN", requires = "by")]
    group_label: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let options = Options {
        sections: Sections::COMPARE,
        by: Some(args.by.clone()),
        group_label: args.group_label.clone(),
        ..Options::default()
    };
    let mut loaded = input::load(&args.input, Some(&args.by), false, !args.output.quiet)?;
    let report = analysis::run(&mut loaded, &options)?;
    if report.groups.is_none() {
        // Why: the findings about the grouping column.
        let why: Vec<String> = report
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f,
                    Finding::SmallGroupsLeftOut { .. }
                        | Finding::TooFewGroups { .. }
                        | Finding::GroupValueMissing { .. }
                )
            })
            .map(|f| f.text(Language::En))
            .collect();
        return Err(perval::Error::Usage(format!(
            "no comparison is possible: '{}' has fewer than two groups with at least 2 respondents\n  {}\n  fix: choose a column with two or more groups",
            args.by,
            why.join("\n  ")
        ))
        .into());
    }
    let read = super::emit::read_files(&[args.input.read.instrument.as_deref()]);
    emit(
        &report,
        &args.output,
        &super::emit::with_responses(&loaded, &read),
    )
}
