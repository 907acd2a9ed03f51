//! The figures of the customer-needs families: the Kano map (Better vs |Worse|), one map per group, the
//! continuous (DuMouchel) plot, the class shares per attribute, and the zone of tolerance by dimension. Each
//! is drawn as PNG (300 dpi) and SVG, with labels in the instrument's language.

use super::fonts::{self, texts_family};
use super::kano::{KanoFigure, KanoKind};
use super::zone::ZoneFigure;
use super::{render_figure, Format, Lang, Options};
use crate::error::Result;
use crate::findings::Finding;
use crate::report::folder::Chart;
use crate::report::needs::NeedsReport;

/// Every text of the report a figure may draw.
fn texts(r: &NeedsReport) -> Vec<&str> {
    let mut t: Vec<&str> = vec![r.instrument.name.as_str()];
    t.extend(r.instrument.dimension_labels.values().map(String::as_str));
    if let Some(k) = &r.kano {
        t.extend(k.attributes.values().map(|a| a.label.as_str()));
        if let Some(g) = &k.groups {
            t.extend(g.groups.keys().map(String::as_str));
            t.push(&g.by);
        }
    }
    if let Some(e) = &r.expectations {
        if let Some(g) = &e.groups {
            t.extend(g.groups.keys().map(String::as_str));
            t.push(&g.by);
        }
    }
    t
}

/// Draws a figure at the given size in the given font family.
type Draw<'a> = Box<dyn Fn(&Options, &'static str) -> Result<Vec<u8>> + 'a>;
/// A figure to draw: (file stem, caption, height in inches, how to draw it).
type Planned<'a> = (String, String, f64, Draw<'a>);

/// Every figure that applies.
fn figures(r: &NeedsReport) -> Vec<Planned<'_>> {
    let mut out: Vec<Planned<'_>> = Vec::new();
    if let Some(k) = &r.kano {
        let n = k.attributes.len() as f64;
        let lines = if k.map_lines == [0.5, 0.5] {
            "quadrant lines at 0.5".to_string()
        } else {
            format!(
                "quadrant lines at the attributes' means ({:.2}, {:.2})",
                k.map_lines[0], k.map_lines[1]
            )
        };
        let map_caption = format!("Kano map: Better (satisfaction if present) against |Worse| (dissatisfaction if absent), {lines}; point area by mean importance where asked.");
        let groups_caption = format!("Kano maps by group, on shared axes ({lines}).");
        let mut kinds = vec![
            (KanoKind::Map, "kano-map", map_caption.as_str(), 5.0),
            (KanoKind::Classes, "kano-classes", "Kano classes: the share of each class among the respondents who answered both questions, per attribute.", (1.4 + 0.32 * n).clamp(3.0, 11.0)),
            (KanoKind::Continuous, "kano-continuous", "Continuous Kano scores (DuMouchel): mean functional against mean dysfunctional score with 95% t intervals.", 5.0),
        ];
        if let Some(g) = &k.groups {
            let cols = g.groups.len().clamp(1, 3);
            let rows = g.groups.len().div_ceil(cols);
            kinds.insert(
                1,
                (
                    KanoKind::MapGroups,
                    "kano-map-groups",
                    groups_caption.as_str(),
                    1.0 + 3.4 * rows as f64,
                ),
            );
        }
        for (kind, name, caption, height) in kinds {
            out.push((
                name.to_string(),
                caption.to_string(),
                height,
                Box::new(move |o: &Options, family| {
                    render_figure(&KanoFigure { block: k, kind }, family, o)
                }),
            ));
        }
    }
    if let Some(e) = &r.expectations {
        let groups = e.groups.as_ref().map_or(1, |g| g.groups.len());
        let rows = e.dimensions.len() * (groups + 1);
        out.push((
            "zone-of-tolerance".into(),
            "Zone of tolerance by dimension: the band from the adequate to the desired mean, the perceived mean marked (one row per group).".into(),
            (1.3 + 0.22 * rows as f64).clamp(3.0, 11.0),
            Box::new(move |o: &Options, family| {
                render_figure(&ZoneFigure { block: e, labels: &r.instrument.dimension_labels }, family, o)
            }),
        ));
    }
    out
}

/// Draw every figure that applies (PNG and SVG); Chinese labels fall back to English, with a finding, when no
/// CJK font is installed.
pub fn draw_all(r: &NeedsReport) -> Result<(Vec<Chart>, Vec<Finding>)> {
    let wanted = if r.language() == crate::instrument::Language::Zh {
        Lang::Zh
    } else {
        Lang::En
    };
    let mut findings = Vec::new();
    let lang = if wanted == Lang::Zh && fonts::cjk_family().is_none() {
        findings.push(Finding::NoCjkFont {
            fix: fonts::CJK_FIX.to_string(),
        });
        Lang::En
    } else {
        wanted
    };
    let family = match texts_family(&texts(r), lang) {
        Ok(f) => f,
        Err(e) => {
            findings.push(Finding::ChartsNotDrawn {
                reason: e.to_string(),
            });
            return Ok((Vec::new(), findings));
        }
    };
    let mut charts = Vec::new();
    for (name, caption, height, draw) in figures(r) {
        for format in [Format::Png, Format::Svg] {
            let o = Options {
                height_in: height,
                format,
                lang,
                ..Options::default()
            };
            let ext = if format == Format::Png { "png" } else { "svg" };
            charts.push(Chart {
                name: format!("{name}.{ext}"),
                caption: caption.clone(),
                bytes: draw(&o, family)?,
            });
        }
    }
    Ok((charts, findings))
}
