//! Publication charts drawn with plotters, from a finished [`Report`] (and, for the score distributions, the
//! respondents' scores). Each kind lives in its own module with a `draw` function generic over the plotters
//! backend; [`render`] draws into a memory buffer and returns PNG (with its DPI recorded) or SVG bytes.
//!
//! Sizes are physical (inches at a DPI); text sizes are in points and scale with the DPI, so a figure keeps
//! its proportions at any resolution. The Latin font (DejaVu Sans) is bundled; Chinese text needs a CJK font
//! from the system (see [`fonts`]).

pub mod fonts;
mod heatmap;
mod ipma;
mod kano;
mod kano_scores;
mod keys;
mod labels;
mod likert;
mod means;
pub mod needs;
mod path;
mod profile;
mod scree;
mod spread;
mod structural;
mod zone;

use crate::error::{Error, Result};
use crate::report::Report;
use nalgebra::DMatrix;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use fonts::{chart_family, report_has_cjk};
pub(crate) use keys::{legend_bottom, marker};

/// The chart kinds, in the order a report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Store profile radar: one polygon per group over the dimensions.
    Profile,
    /// Dimension means by group with 95% confidence intervals.
    Means,
    /// Diverging stacked bars of the item answers, centred on the scale midpoint.
    Likert,
    /// The same bars for each group, item by item (with `--by`).
    LikertGroups,
    /// Scree plot with the parallel-analysis line.
    Scree,
    /// EFA loadings heatmap.
    Loadings,
    /// Item correlation heatmap.
    Correlations,
    /// Distribution of dimension scores by group (box plots with the points).
    Distribution,
    /// CFA path diagram (standardized loadings and factor correlations).
    Path,
    /// Structural path diagram (standardized paths with significance marks, R²).
    Structural,
    /// PLS path diagram (path coefficients, bootstrap significance marks, R²).
    PlsPaths,
    /// Importance–performance map of the PLS model's target.
    Ipma,
    /// Importance–performance maps per group, side by side (`pls --by`).
    IpmaGroups,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Profile,
        Kind::Means,
        Kind::Likert,
        Kind::LikertGroups,
        Kind::Scree,
        Kind::Loadings,
        Kind::Correlations,
        Kind::Distribution,
        Kind::Path,
        Kind::Structural,
        Kind::PlsPaths,
        Kind::Ipma,
        Kind::IpmaGroups,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Kind::Profile => "profile",
            Kind::Means => "means",
            Kind::Likert => "likert",
            Kind::LikertGroups => "likert-groups",
            Kind::Scree => "scree",
            Kind::Loadings => "loadings",
            Kind::Correlations => "correlations",
            Kind::Distribution => "distribution",
            Kind::Path => "path",
            Kind::Structural => "structural",
            Kind::PlsPaths => "pls-paths",
            Kind::Ipma => "ipma",
            Kind::IpmaGroups => "ipma-groups",
        }
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Png,
    Svg,
}

/// Colour scheme for groups and categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Palette {
    /// Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
    OkabeIto,
    /// Shades of grey, for print in black and white.
    Grey,
}

/// Labels in English or Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    En,
    Zh,
}

/// Size, resolution and look of a chart.
#[derive(Debug, Clone)]
pub struct Options {
    pub width_in: f64,
    pub height_in: f64,
    pub dpi: f64,
    pub format: Format,
    pub palette: Palette,
    pub lang: Lang,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            width_in: 6.5,
            height_in: 4.5,
            dpi: 300.0,
            format: Format::Png,
            palette: Palette::OkabeIto,
            lang: Lang::En,
        }
    }
}

/// What the charts are drawn from.
pub struct ChartInput<'a> {
    pub report: &'a Report,
    /// Respondents × dimensions scores (NaN = no score).
    pub scores: &'a DMatrix<f64>,
    /// The group of each score row, when the analysis had `--by`.
    pub groups: Option<ScoreGroups>,
}

impl<'a> ChartInput<'a> {
    /// The report with the scores and groups of the respondents it used.
    pub fn new(
        report: &'a Report,
        scored: &'a crate::scoring::Scored,
        responses: &crate::data::Responses,
    ) -> ChartInput<'a> {
        let groups = responses.group.as_ref().map(|g| ScoreGroups {
            labels: g.labels.clone(),
            codes: scored.rows.iter().map(|&row| g.codes[row]).collect(),
        });
        ChartInput {
            report,
            scores: &scored.scores,
            groups,
        }
    }
}

/// The group of each score row: a code into `labels` (None for a row without a group).
#[derive(Debug, Clone)]
pub struct ScoreGroups {
    pub labels: Vec<String>,
    pub codes: Vec<Option<u32>>,
}

impl ScoreGroups {
    /// The code of `label`, if some row has it.
    pub fn code(&self, label: &str) -> Option<u32> {
        self.labels
            .iter()
            .position(|l| l == label)
            .map(|c| c as u32)
    }
}

/// Whether `kind` can be drawn from this input (e.g. no path diagram without a CFA).
pub fn applies(kind: Kind, input: &ChartInput) -> bool {
    let r = input.report;
    match kind {
        Kind::Profile | Kind::Means | Kind::Distribution => !r.dimensions.is_empty(),
        Kind::Likert => r.item_distributions.is_some(),
        Kind::LikertGroups => r
            .groups
            .as_ref()
            .is_some_and(|g| g.item_distributions.is_some()),
        Kind::Scree => r.eigenvalues.is_some(),
        Kind::Loadings => r.efa.is_some(),
        Kind::Correlations => r.item_correlations.is_some(),
        Kind::Path => r.cfa.is_some(),
        Kind::Structural => r.sem.as_ref().is_some_and(|s| !s.regressions.is_empty()),
        Kind::PlsPaths => r.pls.is_some(),
        Kind::Ipma => r
            .pls
            .as_ref()
            .is_some_and(|p| p.ipma.values().any(|m| !m.is_empty())),
        Kind::IpmaGroups => r
            .pls
            .as_ref()
            .is_some_and(|p| p.ipma_groups.as_ref().is_some_and(|g| !g.maps.is_empty())),
    }
}

/// Most pixels a chart may have (an RGB buffer of 300 MB).
pub const MAX_PIXELS: u64 = 100_000_000;

/// Pixel size of a chart.
pub fn pixel_size(o: &Options) -> (u32, u32) {
    let (w, h) = match o.format {
        // SVG user units are CSS pixels (96 per inch).
        Format::Svg => (o.width_in * 96.0, o.height_in * 96.0),
        Format::Png => (o.width_in * o.dpi, o.height_in * o.dpi),
    };
    (w.round().max(50.0) as u32, h.round().max(50.0) as u32)
}

/// Draw one chart; PNG or SVG bytes.
pub fn render(kind: Kind, input: &ChartInput, o: &Options) -> Result<Vec<u8>> {
    if !applies(kind, input) {
        return Err(Error::Usage(format!(
            "the {} chart needs results this analysis does not have",
            kind.name()
        )));
    }
    let family = chart_family(input.report, o.lang)?;
    render_figure(&ReportFigure { kind, input }, family, o)
}

/// A figure that can draw itself on any plotters backend: a chart kind of a [`Report`], or a figure of the
/// customer-needs families ([`needs`]). [`render_figure`] turns it into PNG or SVG bytes.
pub(crate) trait Figure {
    fn name(&self) -> &str;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Style) -> DrawResult<DB>;
}

struct ReportFigure<'a> {
    kind: Kind,
    input: &'a ChartInput<'a>,
}

impl Figure for ReportFigure<'_> {
    fn name(&self) -> &str {
        self.kind.name()
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Style) -> DrawResult<DB> {
        draw(self.kind, root, self.input, s)
    }
}

/// Draw a figure in `family` at the size and in the format of `o`.
pub(crate) fn render_figure<F: Figure>(
    figure: &F,
    family: &'static str,
    o: &Options,
) -> Result<Vec<u8>> {
    let (w, h) = pixel_size(o);
    let pixels = w as u64 * h as u64;
    if pixels > MAX_PIXELS {
        return Err(Error::Usage(format!(
            "the chart would be {w} × {h} = {pixels} pixels; perval draws at most {MAX_PIXELS}\n  fix: a smaller --width/--height or --dpi (a 6.5-inch figure at 600 dpi is 3900 pixels wide)"
        )));
    }
    let scale = match o.format {
        Format::Svg => 96.0 / 72.0,
        Format::Png => o.dpi / 72.0,
    };
    let style = Style {
        scale,
        family,
        palette: o.palette,
        lang: o.lang,
    };
    let fail = |e: String| Error::Draw {
        chart: figure.name().into(),
        message: e,
    };
    match o.format {
        Format::Png => {
            let mut buf = vec![255u8; (pixels * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
                figure
                    .draw(&root, &style)
                    .map_err(|e| fail(e.to_string()))?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            encode_png(&buf, w, h, o.dpi).map_err(fail)
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
                figure
                    .draw(&root, &style)
                    .map_err(|e| fail(e.to_string()))?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            Ok(svg.into_bytes())
        }
    }
}

pub(crate) type DrawResult<DB, T = ()> =
    std::result::Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    kind: Kind,
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    match kind {
        Kind::Profile => profile::draw(root, input, s),
        Kind::Means => means::draw(root, input, s),
        Kind::Likert => likert::draw(root, input, s),
        Kind::LikertGroups => likert::draw_by_group(root, input, s),
        Kind::Scree => scree::draw(root, input, s),
        Kind::Loadings => heatmap::draw_loadings(root, input, s),
        Kind::Correlations => heatmap::draw_correlations(root, input, s),
        Kind::Distribution => spread::draw(root, input, s),
        Kind::Path => path::draw(root, input, s),
        Kind::Structural => structural::draw(root, input, s),
        Kind::PlsPaths => structural::draw_pls(root, input, s),
        Kind::Ipma => ipma::draw(root, input, s),
        Kind::IpmaGroups => ipma::draw_groups(root, input, s),
    }
}

/// PNG with its physical resolution (pHYs), so layout programs place it at the intended size.
fn encode_png(rgb: &[u8], w: u32, h: u32, dpi: f64) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let ppm = (dpi / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Shared look: text sizes in points, the font, the palette.
pub(crate) struct Style {
    /// Pixels per point.
    scale: f64,
    family: &'static str,
    palette: Palette,
    lang: Lang,
}

const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];
const GREYS: [u8; 6] = [0x20, 0x70, 0xA8, 0x50, 0x90, 0xC0];
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

impl Style {
    /// Pixels for a length in points.
    fn px(&self, pt: f64) -> i32 {
        (pt * self.scale).round() as i32
    }
    fn font(&self, pt: f64) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(self.family),
            pt * self.scale,
            FontStyle::Normal,
        )
    }
    fn text(&self, pt: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
        self.font(pt).color(color).pos(Pos::new(h, v))
    }
    /// Colour of series k.
    fn color(&self, k: usize) -> RGBColor {
        match self.palette {
            Palette::OkabeIto => OKABE_ITO[k % OKABE_ITO.len()],
            Palette::Grey => {
                let g = GREYS[k % GREYS.len()];
                RGBColor(g, g, g)
            }
        }
    }
    /// How many series have distinct colours.
    fn colors(&self) -> usize {
        match self.palette {
            Palette::OkabeIto => OKABE_ITO.len(),
            Palette::Grey => GREYS.len(),
        }
    }
    fn tr<'a>(&self, en: &'a str, zh: &'a str) -> &'a str {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Width of `text` in pixels.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &FontDesc,
) -> i32 {
    area.estimate_text_size(text, &TextStyle::from(font.clone()))
        .map(|(w, _)| w as i32)
        .unwrap_or(0)
}

/// Split text into lines no wider than `max_px` (words for Latin text, characters for CJK).
pub(crate) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &FontDesc,
    max_px: i32,
) -> Vec<String> {
    let width = |t: &str| text_width(area, t, font);
    let cjk = text.chars().any(|c| c as u32 >= 0x2E80);
    let tokens: Vec<String> = if cjk {
        text.chars().map(String::from).collect()
    } else {
        text.split_whitespace().map(String::from).collect()
    };
    let sep = if cjk { "" } else { " " };
    let mut lines = Vec::new();
    let mut cur = String::new();
    for t in tokens {
        let candidate = if cur.is_empty() {
            t.clone()
        } else {
            format!("{cur}{sep}{t}")
        };
        if width(&candidate) > max_px && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur = t;
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Draw lines of text centred (vertically) on `y`.
pub(crate) fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    x: i32,
    y: i32,
    line_h: i32,
    style: &TextStyle,
) -> DrawResult<DB> {
    let top = y - line_h * (lines.len() as i32 - 1) / 2;
    for (k, l) in lines.iter().enumerate() {
        area.draw(&Text::new(
            l.clone(),
            (x, top + k as i32 * line_h),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// A title at the top; returns the area below it.
pub(crate) fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Style,
    title: &str,
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = root.dim_in_pixel();
    let font = s.font(11.0);
    let lines = wrap(root, title, &font, w as i32 - s.px(20.0));
    let line_h = s.px(14.0);
    for (k, l) in lines.iter().enumerate() {
        root.draw(&Text::new(
            l.clone(),
            (w as i32 / 2, s.px(8.0) + k as i32 * line_h),
            s.text(11.0, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    let used = s.px(12.0) + line_h * lines.len() as i32;
    Ok(root.margin(used as u32, 0, 0, 0))
}

/// A title that names the grouping column when there is one: "<by_prefix> store" or the plain title.
pub(crate) fn group_title(
    r: &Report,
    s: &Style,
    by_prefix: (&str, &str),
    plain: (&str, &str),
) -> String {
    match &r.groups {
        Some(g) => format!("{} {}", s.tr(by_prefix.0, by_prefix.1), g.noun()),
        None => s.tr(plain.0, plain.1).to_string(),
    }
}

/// Label of a dimension: its label from the instrument (wrapped by the caller).
pub(crate) fn dim_label(r: &Report, id: &str) -> String {
    r.instrument
        .dimension_labels
        .get(id)
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// Group names, means[g][d] and 95% intervals ci[g][d].
pub(crate) type GroupMeans = (Vec<String>, Vec<Vec<f64>>, Vec<Vec<[f64; 2]>>);

/// Group means per dimension — one "All respondents" group without --by.
pub(crate) fn group_means(r: &Report, s: &Style) -> GroupMeans {
    match &r.groups {
        Some(g) => {
            let names: Vec<String> = g
                .dimensions
                .values()
                .next()
                .map(|d| d.groups.keys().cloned().collect())
                .unwrap_or_default();
            let means = names
                .iter()
                .map(|n| {
                    r.dimensions
                        .keys()
                        .map(|d| {
                            g.dimensions
                                .get(d)
                                .and_then(|x| x.groups.get(n))
                                .map(|x| x.mean)
                                .unwrap_or(f64::NAN)
                        })
                        .collect()
                })
                .collect();
            let cis = names
                .iter()
                .map(|n| {
                    r.dimensions
                        .keys()
                        .map(|d| {
                            g.dimensions
                                .get(d)
                                .and_then(|x| x.groups.get(n))
                                .map(|x| x.ci95)
                                .unwrap_or([f64::NAN; 2])
                        })
                        .collect()
                })
                .collect();
            (names, means, cis)
        }
        None => {
            let means = vec![r.dimensions.values().map(|d| d.mean).collect()];
            let cis = vec![r.dimensions.values().map(|d| d.ci95).collect()];
            (
                vec![s.tr("All respondents", "全部受访者").to_string()],
                means,
                cis,
            )
        }
    }
}
