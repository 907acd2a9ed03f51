//! The Kano figures drawn from the scores rather than the map: DuMouchel's continuous scores with 95% intervals,
//! and each attribute's class shares as a stacked bar.

use super::kano::{class_color, key_lines, label_at};
use super::labels::place;
use super::*;
use crate::analysis::kano::result::{AttributeResult, KanoBlock};
use crate::stats::kano::Class;

/// DuMouchel's continuous scores: mean dysfunctional (x) against mean functional (y), 95% t intervals as
/// error bars in both directions.
pub(super) fn continuous<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Style,
    k: &KanoBlock,
) -> DrawResult<DB> {
    let area = titled(
        root,
        s,
        s.tr(
            "Continuous Kano scores (DuMouchel)",
            "连续 Kano 得分(DuMouchel)",
        ),
    )?;
    let (w, h) = area.dim_in_pixel();
    let (left, top, right, bottom) = (s.px(34.0), s.px(6.0), s.px(8.0), s.px(28.0));
    let (pw, ph) = (w as i32 - left - right, h as i32 - top - bottom);
    let ci = |m: Option<f64>, sd: Option<f64>, n: u64| -> Option<(f64, f64, f64)> {
        let (m, sd) = (m?, sd?);
        let half =
            crate::stats::distributions::t975((n as f64 - 1.0).max(1.0)) * sd / (n as f64).sqrt();
        Some((m, m - half, m + half))
    };
    // (attribute, dysfunctional (mean, lo, hi), functional (mean, lo, hi)).
    type Interval = (f64, f64, f64);
    let points: Vec<(&AttributeResult, Interval, Interval)> = k
        .attributes
        .values()
        .filter_map(|a| {
            Some((
                a,
                ci(a.dysfunctional_mean, a.dysfunctional_sd, a.n)?,
                ci(a.functional_mean, a.functional_sd, a.n)?,
            ))
        })
        .collect();
    // Whole-number axes around the intervals, always showing 0 (and never beyond the scores' −2 … 4).
    let (mut x0, mut x1, mut y0, mut y1) = (0.0f64, 1.0f64, 0.0f64, 1.0f64);
    for (_, dx, fy) in &points {
        x0 = x0.min(dx.1);
        x1 = x1.max(dx.2);
        y0 = y0.min(fy.1);
        y1 = y1.max(fy.2);
    }
    let (x0, x1, y0, y1) = (
        x0.floor().max(-2.0),
        (x1 + 0.2).ceil().min(4.0),
        y0.floor().max(-2.0),
        (y1 + 0.2).ceil().min(4.0),
    );
    let x = |v: f64| left + ((v - x0) / (x1 - x0) * pw as f64).round() as i32;
    let y = |v: f64| top + ((y1 - v) / (y1 - y0) * ph as f64).round() as i32;
    let mut t = x0;
    while t <= x1 + 1e-9 {
        area.draw(&PathElement::new(
            vec![(x(t), top), (x(t), top + ph)],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&Text::new(
            format!("{t:.0}"),
            (x(t), top + ph + s.px(3.0)),
            s.text(7.5, &INK, HPos::Center, VPos::Top),
        ))?;
        t += 1.0;
    }
    let mut t = y0;
    while t <= y1 + 1e-9 {
        area.draw(&PathElement::new(
            vec![(left, y(t)), (left + pw, y(t))],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&Text::new(
            format!("{t:.0}"),
            (left - s.px(3.0), y(t)),
            s.text(7.5, &INK, HPos::Right, VPos::Center),
        ))?;
        t += 1.0;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + pw, top + ph)],
        INK.stroke_width(s.px(0.6).max(1) as u32),
    ))?;
    let zero = RGBColor(0x77, 0x77, 0x77).stroke_width(s.px(0.8).max(1) as u32);
    area.draw(&PathElement::new(
        vec![(x(0.0), top), (x(0.0), top + ph)],
        zero,
    ))?;
    area.draw(&PathElement::new(
        vec![(left, y(0.0)), (left + pw, y(0.0))],
        zero,
    ))?;
    let bar = INK.stroke_width(s.px(0.6).max(1) as u32);
    let centres: Vec<(i32, i32)> = points
        .iter()
        .map(|(_, dx, fy)| (x(dx.0), y(fy.0)))
        .collect();
    for ((a, dx, fy), &at) in points.iter().zip(&centres) {
        area.draw(&PathElement::new(
            vec![(x(dx.1), at.1), (x(dx.2), at.1)],
            bar,
        ))?;
        area.draw(&PathElement::new(
            vec![(at.0, y(fy.1)), (at.0, y(fy.2))],
            bar,
        ))?;
        let color = a.category.map_or(INK, |c| class_color(s, c));
        area.draw(&Circle::new(at, s.px(2.6), color.filled()))?;
    }
    let font = s.font(7.5);
    let sizes: Vec<(i32, i32)> = points
        .iter()
        .map(|(a, _, _)| (text_width(&area, &a.label, &font), s.px(8.5)))
        .collect();
    let radii = vec![s.px(2.6); centres.len()];
    let thin = s.px(0.8).max(1);
    let bars: Vec<super::labels::Rect> = points
        .iter()
        .zip(&centres)
        .flat_map(|((_, dx, fy), &at)| {
            [
                (x(dx.1), at.1 - thin, x(dx.2), at.1 + thin),
                (at.0 - thin, y(fy.2), at.0 + thin, y(fy.1)),
            ]
        })
        .collect();
    let placed = place(
        &centres,
        &radii,
        &sizes,
        (left + 1, top + 1, left + pw - 1, top + ph - 1),
        s.px(1.5),
        &bars,
    );
    let mut unplaced = Vec::new();
    for (k, (((a, _, _), &at), p)) in points.iter().zip(&centres).zip(&placed).enumerate() {
        match p {
            Some(p) => label_at(&area, s, &a.label, at, p)?,
            None => {
                area.draw(&Text::new(
                    (k + 1).to_string(),
                    (at.0 + s.px(3.5), at.1),
                    s.text(7.0, &INK, HPos::Left, VPos::Center),
                ))?;
                unplaced.push((k + 1, a.label.clone()));
            }
        }
    }
    area.draw(&Text::new(
        s.tr(
            "Dysfunctional score (−2 like absence … 4 dislike absence)",
            "反向题得分(−2 喜欢缺失 … 4 不喜欢缺失)",
        )
        .to_string(),
        (left + pw / 2, h as i32 - s.px(2.0)),
        s.text(8.5, &INK, HPos::Center, VPos::Bottom),
    ))?;
    area.draw(&Text::new(
        s.tr("Functional score (−2 … 4 like)", "正向题得分(−2 … 4 喜欢)")
            .to_string(),
        (s.px(2.0), top + ph / 2),
        s.font(8.5)
            .color(&INK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    // Labels that did not fit are numbered; the key goes in the plot's top left corner, inside the frame.
    for (i, line) in key_lines(&area, s, &unplaced).iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (left + s.px(3.0), top + s.px(2.0) + i as i32 * s.px(8.5)),
            s.text(7.0, &INK, HPos::Left, VPos::Top),
        ))?;
    }
    Ok(())
}

/// Each attribute's class shares as one stacked bar (A, O, M, I, R, Q), the mode's letter at the right.
pub(super) fn classes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Style,
    k: &KanoBlock,
) -> DrawResult<DB> {
    let area = titled(
        root,
        s,
        s.tr("Kano classes by attribute", "各属性的 Kano 类别构成"),
    )?;
    let (w, h) = area.dim_in_pixel();
    let font = s.font(7.5);
    let label_w = k
        .attributes
        .values()
        .map(|a| text_width(&area, &a.label, &font))
        .max()
        .unwrap_or(0)
        .min(w as i32 / 3);
    let (left, top, right, bottom) = (label_w + s.px(8.0), s.px(4.0), s.px(30.0), s.px(34.0));
    let (pw, ph) = (w as i32 - left - right, h as i32 - top - bottom);
    let n = k.attributes.len().max(1) as i32;
    let row = ph / n;
    let bar_h = (row as f64 * 0.7) as i32;
    for t in 0..=4 {
        let v = t as f64 / 4.0;
        let xv = left + (v * pw as f64) as i32;
        area.draw(&PathElement::new(
            vec![(xv, top), (xv, top + ph)],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&Text::new(
            format!("{:.0}%", v * 100.0),
            (xv, top + ph + s.px(2.0)),
            s.text(7.5, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    for (i, a) in k.attributes.values().enumerate() {
        let yc = top + i as i32 * row + row / 2;
        area.draw(&Text::new(
            a.label.clone(),
            (left - s.px(4.0), yc),
            s.text(7.5, &INK, HPos::Right, VPos::Center),
        ))?;
        let Some(shares) = &a.shares else { continue };
        let mut at = 0.0;
        for c in Class::ALL {
            let v = shares.get(c);
            let (xa, xb) = (
                left + (at * pw as f64) as i32,
                left + ((at + v) * pw as f64) as i32,
            );
            if xb > xa {
                area.draw(&Rectangle::new(
                    [(xa, yc - bar_h / 2), (xb, yc + bar_h / 2)],
                    class_color(s, c).filled(),
                ))?;
            }
            at += v;
        }
        let letter = crate::report::kano::category_cell(a);
        area.draw(&Text::new(
            letter,
            (left + pw + s.px(4.0), yc),
            s.text(7.5, &INK, HPos::Left, VPos::Center),
        ))?;
    }
    // The legend under the axis.
    let (mut x, ly) = (left, h as i32 - s.px(6.0));
    for c in Class::ALL {
        let name = format!("{} {}", c.letter(), s.tr(c.name(false), c.name(true)));
        area.draw(&Rectangle::new(
            [(x, ly - s.px(3.0)), (x + s.px(6.0), ly + s.px(3.0))],
            class_color(s, c).filled(),
        ))?;
        area.draw(&Text::new(
            name.clone(),
            (x + s.px(8.0), ly),
            s.text(7.0, &INK, HPos::Left, VPos::Center),
        ))?;
        x += s.px(14.0) + text_width(&area, &name, &s.font(7.0));
    }
    Ok(())
}
