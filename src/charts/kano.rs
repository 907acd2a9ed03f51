//! Kano figures: the Better vs |Worse| map (quadrants at 0.5: attractive top left, one-dimensional top right,
//! must-be bottom right, indifferent bottom left), one map per group on a grid, the continuous (DuMouchel)
//! plot with 95% intervals, and the class shares per attribute as stacked bars.

use super::labels::{place, Placed};
use super::*;
use crate::analysis::kano::result::{AttributeResult, KanoBlock};
use crate::stats::kano::Class;
use indexmap::IndexMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KanoKind {
    Map,
    MapGroups,
    Continuous,
    Classes,
}

pub(crate) struct KanoFigure<'a> {
    pub block: &'a KanoBlock,
    pub kind: KanoKind,
}

impl Figure for KanoFigure<'_> {
    fn name(&self) -> &str {
        match self.kind {
            KanoKind::Map => "kano-map",
            KanoKind::MapGroups => "kano-map-groups",
            KanoKind::Continuous => "kano-continuous",
            KanoKind::Classes => "kano-classes",
        }
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Style) -> DrawResult<DB> {
        match self.kind {
            KanoKind::Map | KanoKind::MapGroups => {
                // Dry runs on a scratch bitmap find the labels that will not fit, until the strip under the
                // maps (legend and key) has the room the key's lines need; the maps are then drawn above it
                // and the key lists exactly the numbers that final drawing gave.
                let (w, h) = root.dim_in_pixel();
                let strip = |lines: usize| s.px(14.0) + lines as i32 * s.px(8.5);
                let mut scratch = vec![255u8; w as usize * h as usize * 3];
                let mut key_h = strip(0);
                for _ in 0..4 {
                    let unplaced = {
                        let dry =
                            BitMapBackend::with_buffer(&mut scratch, (w, h)).into_drawing_area();
                        let (maps, _) = dry.split_vertically(h as i32 - key_h);
                        self.maps(&maps, s).unwrap_or_default()
                    };
                    let needed = strip(key_lines(root, s, &unplaced).len());
                    if needed == key_h {
                        break;
                    }
                    key_h = needed.max(key_h);
                }
                let (maps, key) = root.split_vertically(h as i32 - key_h);
                let unplaced = self.maps(&maps, s)?;
                legend(&key, s, self.block)?;
                for (i, line) in key_lines(root, s, &unplaced).iter().enumerate() {
                    key.draw(&Text::new(
                        line.clone(),
                        (s.px(8.0), s.px(13.0) + i as i32 * s.px(8.5)),
                        s.text(7.0, &INK, HPos::Left, VPos::Top),
                    ))?;
                }
                Ok(())
            }
            KanoKind::Continuous => super::kano_scores::continuous(root, s, self.block),
            KanoKind::Classes => super::kano_scores::classes(root, s, self.block),
        }
    }
}

impl KanoFigure<'_> {
    /// The map (or the maps by group on a grid); the numbered labels that did not fit beside their points.
    fn maps<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        s: &Style,
    ) -> DrawResult<DB, Vec<(usize, String)>> {
        let k = self.block;
        if self.kind == KanoKind::Map {
            let area = titled(
                root,
                s,
                s.tr(
                    "Kano map: satisfaction and dissatisfaction coefficients",
                    "Kano 图:满意与不满意系数",
                ),
            )?;
            let imp = importance_range(std::iter::once(&k.attributes));
            return map_panel(&area, s, &k.attributes, None, imp, true, k.map_lines);
        }
        let Some(g) = &k.groups else {
            return Ok(Vec::new());
        };
        let noun = g.label.as_deref().unwrap_or(&g.by);
        let title = match s.lang {
            Lang::Zh => format!("Kano 图(按{noun})"),
            Lang::En => format!("Kano maps by {noun}"),
        };
        let area = titled(root, s, &title)?;
        let cols = g.groups.len().clamp(1, 3);
        let rows = g.groups.len().div_ceil(cols);
        let panels = area.split_evenly((rows, cols));
        let imp = importance_range(g.groups.values());
        let mut unplaced = Vec::new();
        for (i, ((name, attrs), panel)) in g.groups.iter().zip(panels.iter()).enumerate() {
            let heading = format!("{name} (n = {})", g.n.get(name).copied().unwrap_or(0));
            for u in map_panel(
                panel,
                s,
                attrs,
                Some(&heading),
                imp,
                i % cols == 0,
                k.map_lines,
            )? {
                if !unplaced.contains(&u) {
                    unplaced.push(u);
                }
            }
        }
        unplaced.sort();
        Ok(unplaced)
    }
}

/// The colours (each attribute's class by the mode) and, when importance was asked, what the point area means.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    k: &KanoBlock,
) -> DrawResult<DB> {
    let mut x = s.px(8.0);
    let y = s.px(6.0);
    let font = s.font(7.0);
    for c in [Class::A, Class::O, Class::M, Class::I, Class::R, Class::Q] {
        area.draw(&Circle::new(
            (x + s.px(2.5), y),
            s.px(2.5),
            class_color(s, c).filled(),
        ))?;
        let name = s.tr(c.name(false), c.name(true)).to_string();
        area.draw(&Text::new(
            name.clone(),
            (x + s.px(7.0), y),
            s.text(7.0, &INK, HPos::Left, VPos::Center),
        ))?;
        x += s.px(14.0) + text_width(area, &name, &font);
    }
    if k.attributes.values().any(|a| a.importance.is_some()) {
        let t = s
            .tr(
                "(colour: class by the mode; area: mean importance)",
                "(颜色:众数类别;面积:平均重要性)",
            )
            .to_string();
        area.draw(&Text::new(
            t,
            (x, y),
            s.text(7.0, &INK, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

/// The key of the labels that did not fit, wrapped to the figure's width.
pub(super) fn key_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Style,
    unplaced: &[(usize, String)],
) -> Vec<String> {
    if unplaced.is_empty() {
        return Vec::new();
    }
    let (w, _) = root.dim_in_pixel();
    let text: Vec<String> = unplaced.iter().map(|(k, l)| format!("{k} {l}")).collect();
    wrap(root, &text.join(" · "), &s.font(7.0), w as i32 - s.px(16.0))
}

/// The colour of a class (Okabe–Ito, or greys).
pub(super) fn class_color(s: &Style, c: Class) -> RGBColor {
    match s.palette {
        Palette::OkabeIto => [
            RGBColor(0x00, 0x9E, 0x73),
            RGBColor(0x00, 0x72, 0xB2),
            RGBColor(0xD5, 0x5E, 0x00),
            RGBColor(0x99, 0x99, 0x99),
            RGBColor(0xCC, 0x79, 0xA7),
            RGBColor(0xF0, 0xE4, 0x42),
        ][c.index()],
        Palette::Grey => {
            let g = [0x30, 0x60, 0x10, 0xB0, 0x80, 0xD8][c.index()];
            RGBColor(g, g, g)
        }
    }
}

/// The smallest and largest mean importance over the maps (None: no attribute has one).
fn importance_range<'a>(
    maps: impl Iterator<Item = &'a IndexMap<String, AttributeResult>>,
) -> Option<(f64, f64)> {
    let v: Vec<f64> = maps
        .flat_map(|m| m.values().filter_map(|a| a.importance))
        .collect();
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (!v.is_empty()).then_some((lo, hi))
}

/// One map; returns the (number, label) of the labels that did not fit beside their points.
fn map_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    attrs: &IndexMap<String, AttributeResult>,
    heading: Option<&str>,
    importance: Option<(f64, f64)>,
    y_title: bool,
    lines: [f64; 2],
) -> DrawResult<DB, Vec<(usize, String)>> {
    let (w, h) = area.dim_in_pixel();
    let top = if heading.is_some() {
        s.px(15.0)
    } else {
        s.px(6.0)
    };
    let (left, bottom, right) = (
        if y_title { s.px(34.0) } else { s.px(22.0) },
        s.px(28.0),
        s.px(8.0),
    );
    let (pw, ph) = (w as i32 - left - right, h as i32 - top - bottom);
    if let Some(t) = heading {
        area.draw(&Text::new(
            t.to_string(),
            (left + pw / 2, s.px(2.0)),
            s.text(8.5, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    let x = |v: f64| left + (v * pw as f64).round() as i32;
    let y = |v: f64| top + ((1.0 - v) * ph as f64).round() as i32;
    for t in 0..=5 {
        let v = t as f64 / 5.0;
        area.draw(&PathElement::new(
            vec![(left, y(v)), (left + pw, y(v))],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&PathElement::new(
            vec![(x(v), top), (x(v), top + ph)],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        let label = format!("{v:.1}");
        area.draw(&Text::new(
            label.clone(),
            (left - s.px(3.0), y(v)),
            s.text(7.5, &INK, HPos::Right, VPos::Center),
        ))?;
        area.draw(&Text::new(
            label,
            (x(v), top + ph + s.px(3.0)),
            s.text(7.5, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + pw, top + ph)],
        INK.stroke_width(s.px(0.6).max(1) as u32),
    ))?;
    let quad = RGBColor(0x77, 0x77, 0x77).stroke_width(s.px(0.8).max(1) as u32);
    area.draw(&PathElement::new(
        vec![(x(lines[0]), top), (x(lines[0]), top + ph)],
        quad,
    ))?;
    area.draw(&PathElement::new(
        vec![(left, y(lines[1])), (left + pw, y(lines[1]))],
        quad,
    ))?;
    // The quadrants' names in their outer corners.
    let corner = |c: Class| format!("{} ({})", s.tr(c.name(false), c.name(true)), c.letter());
    let grey = RGBColor(0x66, 0x66, 0x66);
    let pad = s.px(3.0);
    for (c, at, hp, vp) in [
        (Class::A, (left + pad, top + pad), HPos::Left, VPos::Top),
        (
            Class::O,
            (left + pw - pad, top + pad),
            HPos::Right,
            VPos::Top,
        ),
        (
            Class::M,
            (left + pw - pad, top + ph - pad),
            HPos::Right,
            VPos::Bottom,
        ),
        (
            Class::I,
            (left + pad, top + ph - pad),
            HPos::Left,
            VPos::Bottom,
        ),
    ] {
        area.draw(&Text::new(corner(c), at, s.text(7.0, &grey, hp, vp)))?;
    }
    // The points: Better up, |Worse| right; the area by importance.
    let shown: Vec<(usize, &AttributeResult, (i32, i32), i32)> = attrs
        .values()
        .enumerate()
        .filter_map(|(k, a)| {
            let (b, wv) = (a.better?, a.worse?);
            let radius = match (importance, a.importance) {
                (Some((lo, hi)), Some(m)) if hi > lo => {
                    let f = (m - lo) / (hi - lo);
                    s.px(2.2 + 3.3 * f.sqrt())
                }
                _ => s.px(3.0),
            };
            Some((k + 1, a, (x(wv.abs()), y(b)), radius))
        })
        .collect();
    let font = s.font(7.5);
    let sizes: Vec<(i32, i32)> = shown
        .iter()
        .map(|(_, a, _, _)| (text_width(area, &a.label, &font), s.px(8.5)))
        .collect();
    let points: Vec<(i32, i32)> = shown.iter().map(|p| p.2).collect();
    let radii: Vec<i32> = shown.iter().map(|p| p.3).collect();
    // Labels stay clear of the quadrant names: the frame for labels is inset by one text line.
    let frame = (
        left + 1,
        top + s.px(10.0),
        left + pw - 1,
        top + ph - s.px(10.0),
    );
    let placed = place(&points, &radii, &sizes, frame, s.px(1.5), &[]);
    let mut unplaced = Vec::new();
    for ((number, a, at, radius), p) in shown.iter().zip(&placed) {
        let color = a.category.map_or(INK, |c| class_color(s, c));
        area.draw(&Circle::new(*at, *radius, color.mix(0.85).filled()))?;
        area.draw(&Circle::new(
            *at,
            *radius,
            INK.stroke_width(s.px(0.4).max(1) as u32),
        ))?;
        match p {
            Some(p) => label_at(area, s, &a.label, *at, p)?,
            None => {
                area.draw(&Text::new(
                    number.to_string(),
                    (at.0 + radius + s.px(1.0), at.1),
                    s.text(7.0, &INK, HPos::Left, VPos::Center),
                ))?;
                unplaced.push((*number, a.label.clone()));
            }
        }
    }
    area.draw(&Text::new(
        s.tr(
            "|Worse| (dissatisfaction if absent)",
            "|Worse|(缺失时的不满意程度)",
        )
        .to_string(),
        (left + pw / 2, h as i32 - s.px(2.0)),
        s.text(8.5, &INK, HPos::Center, VPos::Bottom),
    ))?;
    if y_title {
        area.draw(&Text::new(
            s.tr(
                "Better (satisfaction if present)",
                "Better(具备时的满意程度)",
            )
            .to_string(),
            (s.px(2.0), top + ph / 2),
            s.font(8.5)
                .color(&INK)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(unplaced)
}

pub(super) fn label_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    label: &str,
    at: (i32, i32),
    p: &Placed,
) -> DrawResult<DB> {
    let r = p.rect;
    if p.leader {
        let corner = (
            if p.right { r.0 } else { r.2 },
            if p.above { r.3 } else { r.1 },
        );
        area.draw(&PathElement::new(
            vec![at, corner],
            RGBColor(0x99, 0x99, 0x99).stroke_width(s.px(0.5).max(1) as u32),
        ))?;
    }
    let (hpos, x_at) = if p.right {
        (HPos::Left, r.0)
    } else {
        (HPos::Right, r.2)
    };
    let (vpos, y_at) = if p.above {
        (VPos::Bottom, r.3)
    } else {
        (VPos::Top, r.1)
    };
    area.draw(&Text::new(
        label.to_string(),
        (x_at, y_at),
        s.text(7.5, &INK, hpos, vpos),
    ))
}
