//! Importance–performance maps (Ringle & Sarstedt 2016): each construct's importance (unstandardized total
//! effect on the target) on x and its performance (0–100) on y, with quadrant lines at the mean importance
//! and mean performance. The constructs to the right and below the lines matter most and perform least:
//! where to invest. With groups, one map per group side by side on shared axes.

use super::*;
use crate::report::pls::IpmaPoint;
use indexmap::IndexMap;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some((target, points)) = r.pls.as_ref().and_then(|p| p.ipma.iter().next()) else {
        return Ok(());
    };
    let title = match s.lang {
        Lang::Zh => format!("重要性–绩效图:{}", r.construct_label(target)),
        Lang::En => format!(
            "Importance–performance map for {}",
            r.construct_label(target)
        ),
    };
    let area = titled(root, s, &title)?;
    let (lo, hi) = ranges(std::iter::once(points));
    panel(&area, r, s, points, None, (lo, hi), true)
}

pub(super) fn draw_groups<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(g) = r.pls.as_ref().and_then(|p| p.ipma_groups.as_ref()) else {
        return Ok(());
    };
    let title = match s.lang {
        Lang::Zh => format!(
            "重要性–绩效图:{}(按 {})",
            r.construct_label(&g.target),
            g.by
        ),
        Lang::En => format!(
            "Importance–performance maps for {} by {}",
            r.construct_label(&g.target),
            g.by
        ),
    };
    let area = titled(root, s, &title)?;
    let k = g.maps.len().max(1);
    let panels = area.split_evenly((1, k));
    let (lo, hi) = ranges(g.maps.values());
    for (i, ((group, points), sub)) in g.maps.iter().zip(panels.iter()).enumerate() {
        let n = g.n.get(group).copied().unwrap_or(0);
        panel(
            sub,
            r,
            s,
            points,
            Some(&format!("{group} (n = {n})")),
            (lo, hi),
            i == 0,
        )?;
    }
    Ok(())
}

/// Shared axis ranges: importance from 0 (or the smallest negative) to the largest, performance around the
/// points in steps of 10.
fn ranges<'a>(
    maps: impl Iterator<Item = &'a IndexMap<String, IpmaPoint>>,
) -> ((f64, f64), (f64, f64)) {
    let (mut x0, mut x1, mut y0, mut y1) = (0.0f64, 0.0f64, 100.0f64, 0.0f64);
    for m in maps {
        for p in m.values() {
            x0 = x0.min(p.importance);
            x1 = x1.max(p.importance);
            y0 = y0.min(p.performance);
            y1 = y1.max(p.performance);
        }
    }
    let pad = (x1 - x0).max(0.05) * 0.12;
    let x = ((x0 - if x0 < 0.0 { pad } else { 0.0 }), x1 + pad);
    let y = (
        ((y0 - 5.0) / 10.0).floor().max(0.0) * 10.0,
        (((y1 + 5.0) / 10.0).ceil() * 10.0).min(100.0),
    );
    (x, if y.1 > y.0 { y } else { (0.0, 100.0) })
}

/// One map: axes, quadrant lines at the means, labelled points.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &crate::report::Report,
    s: &Style,
    points: &IndexMap<String, IpmaPoint>,
    heading: Option<&str>,
    ((x0, x1), (y0, y1)): ((f64, f64), (f64, f64)),
    y_title: bool,
) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let top = if heading.is_some() {
        s.px(16.0)
    } else {
        s.px(6.0)
    };
    let (left, bottom, right) = (
        if y_title { s.px(36.0) } else { s.px(24.0) },
        s.px(30.0),
        s.px(8.0),
    );
    let (pw, ph) = (w as i32 - left - right, h as i32 - top - bottom);
    if let Some(t) = heading {
        area.draw(&Text::new(
            t.to_string(),
            (left + pw / 2, s.px(2.0)),
            s.text(9.0, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    let x = |v: f64| left + ((v - x0) / (x1 - x0) * pw as f64).round() as i32;
    let y = |v: f64| top + ((y1 - v) / (y1 - y0) * ph as f64).round() as i32;
    // Grid and tick labels.
    let mut t = y0;
    while t <= y1 + 1e-9 {
        area.draw(&PathElement::new(
            vec![(left, y(t)), (left + pw, y(t))],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&Text::new(
            format!("{t:.0}"),
            (left - s.px(3.0), y(t)),
            s.text(8.0, &INK, HPos::Right, VPos::Center),
        ))?;
        t += 10.0;
    }
    // About one tick per 40 points of panel width.
    let step = nice_step(x1 - x0, (pw as f64 / s.px(40.0) as f64).clamp(3.0, 8.0));
    let mut t = (x0 / step).ceil() * step;
    while t <= x1 + 1e-9 {
        area.draw(&PathElement::new(
            vec![(x(t), top), (x(t), top + ph)],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        let digits = if step >= 0.1 - 1e-12 { 1 } else { 2 };
        area.draw(&Text::new(
            format!("{t:.digits$}"),
            (x(t), top + ph + s.px(3.0)),
            s.text(8.0, &INK, HPos::Center, VPos::Top),
        ))?;
        t += step;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + pw, top + ph)],
        INK.stroke_width(s.px(0.6).max(1) as u32),
    ))?;
    // Quadrant lines at the means of this map.
    let k = points.len().max(1) as f64;
    let mi = points.values().map(|p| p.importance).sum::<f64>() / k;
    let mp = points.values().map(|p| p.performance).sum::<f64>() / k;
    let quad = RGBColor(0x88, 0x88, 0x88).stroke_width(s.px(0.8).max(1) as u32);
    for seg in (0..20).step_by(2) {
        let f = |i: i32| i as f64 / 20.0;
        let (ya, yb) = (
            top + (ph as f64 * f(seg)) as i32,
            top + (ph as f64 * f(seg + 1)) as i32,
        );
        area.draw(&PathElement::new(vec![(x(mi), ya), (x(mi), yb)], quad))?;
        let (xa, xb) = (
            left + (pw as f64 * f(seg)) as i32,
            left + (pw as f64 * f(seg + 1)) as i32,
        );
        area.draw(&PathElement::new(vec![(xa, y(mp)), (xb, y(mp))], quad))?;
    }
    // Labels beside their points, moved to another corner when they would overlap one drawn before.
    let font = s.font(8.0);
    // Every point's disc is taken before any label is placed, so no label covers another point.
    let dot = s.px(3.0);
    let mut taken: Vec<(i32, i32, i32, i32)> = points
        .values()
        .map(|p| {
            let (px, py) = (x(p.importance), y(p.performance));
            (px - dot, py - dot, px + dot, py + dot)
        })
        .collect();
    for (c, p) in points {
        let at = (x(p.importance), y(p.performance));
        // High importance, low performance: the priority quadrant, in orange.
        let priority = p.importance > mi && p.performance < mp;
        let color = if priority { s.color(4) } else { s.color(3) };
        area.draw(&Circle::new(at, s.px(3.0), color.filled()))?;
        let label = r.construct_label(c).to_string();
        let (tw, th) = (text_width(area, &label, &font), s.px(9.0));
        let gap = s.px(4.0);
        // The four corners beside the point, then the same a line and two lines further out.
        let corners = [(1, -1), (-1, -1), (1, 1), (-1, 1)];
        // (x0, y0, x1, y1, text to the right, text above)
        let boxes: Vec<(i32, i32, i32, i32, bool, bool)> = (0..3)
            .flat_map(|step| corners.iter().map(move |&c| (step, c)))
            .map(|(step, (sx, sy))| {
                let x0 = if sx > 0 { at.0 + gap } else { at.0 - gap - tw };
                let out = step * th;
                let y0 = if sy < 0 {
                    at.1 - gap - th - out
                } else {
                    at.1 + gap + out
                };
                (x0, y0, x0 + tw, y0 + th, sx > 0, sy < 0)
            })
            .collect();
        let fits = |b: &(i32, i32, i32, i32, bool, bool)| {
            b.0 >= left
                && b.2 <= left + pw
                && b.1 >= top
                && b.3 <= top + ph
                && !taken
                    .iter()
                    .any(|t| b.0 < t.2 && t.0 < b.2 && b.1 < t.3 && t.1 < b.3)
        };
        let chosen = boxes.iter().position(fits);
        let b = &boxes[chosen.unwrap_or(if at.0 > left + pw / 2 { 1 } else { 0 })];
        taken.push((b.0, b.1, b.2, b.3));
        // A label moved away from its point is joined to it by a thin line.
        if chosen.is_some_and(|k| k >= corners.len()) {
            let corner = (if b.4 { b.0 } else { b.2 }, if b.5 { b.3 } else { b.1 });
            area.draw(&PathElement::new(
                vec![at, corner],
                RGBColor(0x99, 0x99, 0x99).stroke_width(s.px(0.5).max(1) as u32),
            ))?;
        }
        let (hpos, x_at) = if b.4 {
            (HPos::Left, b.0)
        } else {
            (HPos::Right, b.2)
        };
        let (vpos, y_at) = if b.5 {
            (VPos::Bottom, b.3)
        } else {
            (VPos::Top, b.1)
        };
        area.draw(&Text::new(
            label,
            (x_at, y_at),
            s.text(8.0, &INK, hpos, vpos),
        ))?;
    }
    area.draw(&Text::new(
        s.tr("Importance (total effect)", "重要性(总效应)")
            .to_string(),
        (left + pw / 2, h as i32 - s.px(2.0)),
        s.text(9.0, &INK, HPos::Center, VPos::Bottom),
    ))?;
    if y_title {
        area.draw(&Text::new(
            s.tr("Performance (0–100)", "绩效(0–100)").to_string(),
            (s.px(2.0), top + ph / 2),
            s.font(9.0)
                .color(&INK)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(())
}

/// A tick step of 1, 2 or 5 × 10^k giving at most `most` ticks over `span`.
fn nice_step(span: f64, most: f64) -> f64 {
    let mag = 10f64.powf((span / most).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|st| span / st <= most)
        .unwrap_or(10.0 * mag)
}
