//! `perval chart KIND FILE -o OUT.png|OUT.svg`: one publication chart; the format is the output file's
//! extension. (`perval analyze --out DIR` draws every chart that applies into DIR/charts/.)

use super::input::{self, InputArgs};
use perval::analysis::{self, Options};
use perval::charts::{self, ChartInput, Format, Kind, Lang, Palette};
use perval::instrument::Language;
use perval::output::write_atomic;
use perval::report::folder::{self, Look};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval chart profile data/perval-stores.csv --by store -o profile.png
  perval chart path responses.csv -o figure2.svg --width 16.5cm
  perval chart likert responses.csv -o likert.png --palette grey --dpi 600
  perval chart structural responses.csv --instrument perval-chain --model value-chain -o figure3.png")]
pub struct Args {
    /// Which chart.
    #[arg(value_enum)]
    kind: Kind,
    #[command(flatten)]
    input: InputArgs,
    /// Column that defines the groups (store, brand, wave).
    #[arg(long)]
    by: Option<String>,
    /// What a group is, in words, for titles and prose (e.g. "restaurant" → "The restaurants differed …";
    /// "门店" for Chinese text); default: the column name.
    #[arg(long, value_name = "NOUN", requires = "by")]
    group_label: Option<String>,
    /// A structural model (lavaan syntax file or built-in id) for the `structural` (ML), `pls-paths`, `ipma` and
    /// `ipma-groups` (PLS) charts.
    #[arg(long)]
    model: Option<String>,
    /// Output file: .png or .svg.
    #[arg(short = 'o', long = "output", value_name = "OUT.png")]
    output: PathBuf,
    #[command(flatten)]
    look: LookArgs,
}

/// Size, resolution, colours and language of charts.
#[derive(clap::Args, Clone)]
pub struct LookArgs {
    /// Resolution of PNG files.
    #[arg(long, default_value_t = 300.0)]
    dpi: f64,
    /// Width, e.g. 6.5in, 16.5cm, 165mm (a bare number is inches).
    #[arg(long, default_value = "6.5in", value_parser = parse_length)]
    width: f64,
    /// Height, e.g. 4.5in or 11.4cm (default: suited to the chart).
    #[arg(long, value_parser = parse_length)]
    height: Option<f64>,
    /// Colours: okabe-ito (colour-blind safe) or grey.
    #[arg(long, value_enum, default_value = "okabe-ito")]
    palette: Palette,
    /// Label language (default: the instrument's).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// A font file for Chinese text (used before the system's CJK fonts).
    #[arg(long, value_name = "PATH")]
    font: Option<PathBuf>,
}

impl LookArgs {
    fn look(&self) -> Look {
        Look {
            dpi: self.dpi,
            width: self.width,
            height: self.height,
            palette: self.palette,
            lang: self.lang,
        }
    }
}

/// A length in inches from "6.5in", "16.5cm", "165mm" or "6.5".
fn parse_length(s: &str) -> Result<f64, String> {
    let t = s.trim().to_lowercase();
    let (num, factor) = if let Some(v) = t.strip_suffix("in") {
        (v, 1.0)
    } else if let Some(v) = t.strip_suffix("cm") {
        (v, 1.0 / 2.54)
    } else if let Some(v) = t.strip_suffix("mm") {
        (v, 1.0 / 25.4)
    } else {
        (t.as_str(), 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if (1.0..=40.0).contains(&(v * factor)) => Ok(v * factor),
        Ok(_) => Err(format!("'{s}' is outside 1 to 40 inches")),
        Err(_) => Err(format!(
            "'{s}' is not a length: write e.g. 6.5in, 16.5cm or 165mm"
        )),
    }
}

/// The image format from the output file's extension.
fn format_of(output: &std::path::Path) -> perval::Result<Format> {
    match output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => Ok(Format::Png),
        Some(e) if e.eq_ignore_ascii_case("svg") => Ok(Format::Svg),
        _ => Err(perval::Error::Usage(format!(
            "{}: the chart's format is taken from the file's extension, which must be .png or .svg\n  fix: name the output e.g. {}.png",
            output.display(),
            output.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "chart".into())
        ))),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !(30.0..=2400.0).contains(&args.look.dpi) {
        return Err(perval::Error::Usage(format!(
            "--dpi {} is outside 30..2400 (journals ask for 300 to 600)",
            args.look.dpi
        ))
        .into());
    }
    let format = format_of(&args.output)?;
    if let Some(font) = &args.look.font {
        perval::charts::fonts::use_cjk_font(font)?;
    }
    let mut options = Options {
        by: args.by.clone(),
        group_label: args.group_label.clone(),
        ..Options::default()
    };
    let mut loaded = input::load(&args.input, args.by.as_deref(), false, true)?;
    if let Some(m) = &args.model {
        if matches!(args.kind, Kind::PlsPaths | Kind::Ipma | Kind::IpmaGroups) {
            options.pls = Some(perval::analysis::PlsOptions {
                model: perval::model::resolve_pls(m, Some(&loaded.instrument))?,
                consistent: false,
                settings: Default::default(),
                predict: None,
                target: None,
            });
        } else {
            options.model = Some(perval::model::resolve(m, Some(&loaded.instrument))?);
        }
    }
    let report = analysis::run(&mut loaded, &options)?;
    let input = ChartInput::new(&report, &loaded.scored, &loaded.responses);
    if !charts::applies(args.kind, &input) {
        return Err(perval::Error::Usage(format!(
            "the {} chart cannot be drawn from this file: {}",
            args.kind.name(),
            match args.kind {
                Kind::Likert => "the scale has no integer points",
                Kind::LikertGroups => "it needs --by COLUMN and a scale with integer points",
                Kind::Path => "the CFA could not be run (see `perval cfa`)",
                Kind::Structural | Kind::PlsPaths | Kind::Ipma =>
                    "it needs a structural model: add --model MODEL",
                Kind::IpmaGroups =>
                    "it needs a structural model and groups: add --model MODEL --by COLUMN",
                _ => "the factor analysis could not be run (see `perval efa`)",
            }
        ))
        .into());
    }
    let (o, finding) = folder::chart_options(args.kind, &args.look.look(), &report, format);
    let bytes = charts::render(args.kind, &input, &o)?;
    perval::output::not_an_input(&args.output, &[loaded.responses.path.as_path()])?;
    write_atomic(&args.output, &bytes)?;
    if let Some(f) = finding {
        eprintln!("warning: {}", f.text(Language::En));
    }
    let (w, h) = charts::pixel_size(&o);
    eprintln!(
        "wrote {} ({w} × {h} px{})",
        args.output.display(),
        if format == Format::Png {
            format!(", {} dpi", o.dpi)
        } else {
            String::new()
        }
    );
    Ok(())
}
