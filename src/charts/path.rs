//! CFA path diagram: items as boxes, factors as ellipses, arrows from each factor to its items labelled with
//! the standardized loadings, curved lines between factors labelled with their correlations (or, for the
//! second-order model, arrows from the overall factor).

use super::*;

pub(super) fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
    s: &Style,
) -> DrawResult<DB> {
    area.draw(&PathElement::new(
        vec![from, to],
        color.stroke_width(s.px(0.8).max(1) as u32),
    ))?;
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let size = s.px(4.0) as f64;
    let base = (to.0 as f64 - ux * size, to.1 as f64 - uy * size);
    let left = (
        (base.0 - uy * size * 0.45) as i32,
        (base.1 + ux * size * 0.45) as i32,
    );
    let right = (
        (base.0 + uy * size * 0.45) as i32,
        (base.1 - ux * size * 0.45) as i32,
    );
    area.draw(&Polygon::new(vec![to, left, right], color.filled()))
}

fn ellipse(cx: i32, cy: i32, rx: i32, ry: i32) -> Vec<(i32, i32)> {
    (0..=72)
        .map(|k| {
            let a = k as f64 / 72.0 * 2.0 * std::f64::consts::PI;
            (
                cx + (rx as f64 * a.cos()) as i32,
                cy + (ry as f64 * a.sin()) as i32,
            )
        })
        .collect()
}

/// An ellipse for a latent variable with its label wrapped inside.
pub(super) fn latent<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    (rx, ry): (i32, i32),
    label: &str,
    s: &Style,
) -> DrawResult<DB> {
    area.draw(&Polygon::new(ellipse(x, y, rx, ry), WHITE.filled()))?;
    area.draw(&PathElement::new(
        ellipse(x, y, rx, ry),
        INK.stroke_width(s.px(1.0).max(1) as u32),
    ))?;
    label_inside(area, (x, y), 2 * rx, label, s)
}

/// A variable's label, wrapped to `width` and centred at (x, y), at most three lines.
fn label_inside<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    width: i32,
    label: &str,
    s: &Style,
) -> DrawResult<DB> {
    let font = s.font(8.0);
    let lines = wrap(area, label, &font, width - s.px(6.0));
    draw_lines(
        area,
        &lines[..lines.len().min(3)],
        x,
        y,
        s.px(9.5),
        &s.text(8.0, &INK, HPos::Center, VPos::Center),
    )
}

/// A box for an observed variable (a covariate) with its label wrapped inside.
pub(super) fn observed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    (rx, ry): (i32, i32),
    label: &str,
    s: &Style,
) -> DrawResult<DB> {
    let (w, h) = (rx, ry);
    area.draw(&Rectangle::new(
        [(x - w, y - h), (x + w, y + h)],
        WHITE.filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x - w, y - h), (x + w, y + h)],
        INK.stroke_width(s.px(1.0).max(1) as u32),
    ))?;
    label_inside(area, (x, y), 2 * w, label, s)
}

/// A value on a white patch (so that lines do not cross it).
pub(super) fn label_on_white<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    text: String,
    s: &Style,
) -> DrawResult<DB> {
    area.draw(&Rectangle::new(
        [
            (x - s.px(10.0), y - s.px(5.0)),
            (x + s.px(10.0), y + s.px(5.0)),
        ],
        WHITE.filled(),
    ))?;
    area.draw(&Text::new(
        text,
        (x, y),
        s.text(7.0, &INK, HPos::Center, VPos::Center),
    ))
}

/// Where things go: item rows on the left, factors to their right.
struct Geometry {
    row_h: i32,
    box_w: i32,
    box_h: i32,
    box_x: i32,
    fx: i32,
    rx: i32,
    ry: i32,
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(cfa) = &r.cfa else { return Ok(()) };
    let f = &cfa.fit;
    let title = format!(
        "{} — χ²({}) = {:.2}, CFI = {}, RMSEA = {}",
        s.tr("CFA, standardized estimates", "验证性因子分析(标准化估计)"),
        f.df,
        f.chisq,
        crate::apa::apa(f.cfi),
        crate::apa::apa3(f.rmsea)
    );
    let area = titled(root, s, &title)?;
    let (w, h) = area.dim_in_pixel();
    let dims: Vec<(&String, &Vec<String>)> = r.instrument.dimension_items.iter().collect();
    let p: usize = dims.iter().map(|(_, v)| v.len()).sum();
    let gap_rows = dims.len().saturating_sub(1);
    let row_h = (h as i32 - s.px(8.0)) / (p + gap_rows).max(1) as i32;
    let second_order = cfa.second_order_loadings_std.is_some();
    let g = Geometry {
        row_h,
        box_w: (w as f64 * 0.14) as i32,
        box_h: (row_h as f64 * 0.72) as i32,
        box_x: s.px(6.0),
        fx: (w as f64 * if second_order { 0.5 } else { 0.55 }) as i32,
        rx: (w as f64 * 0.09) as i32,
        ry: (row_h as f64 * 1.1).max(s.px(14.0) as f64) as i32,
    };
    let factor_pos = draw_measurement(&area, r, cfa, &dims, &g, s)?;
    match &cfa.second_order_loadings_std {
        Some(second) => {
            let centre = ((w as f64 * 0.85) as i32, h as i32 / 2);
            for ((dim, _), pos) in dims.iter().zip(&factor_pos) {
                let from = (centre.0 - g.rx, centre.1);
                let to = (pos.0 + g.rx, pos.1);
                arrow(&area, from, to, RGBColor(0x44, 0x44, 0x44), s)?;
                let l = second.get(*dim).copied().unwrap_or(f64::NAN);
                let (mx, my) = ((from.0 + to.0) / 2, (from.1 + to.1) / 2);
                area.draw(&Text::new(
                    crate::apa::apa(l),
                    (mx, my - s.px(5.0)),
                    s.text(7.5, &INK, HPos::Center, VPos::Center),
                ))?;
            }
            let label = s.tr("Perceived value", "感知价值");
            latent(&area, centre, (g.rx, g.ry), label, s)
        }
        None => draw_correlations(&area, cfa, &dims, &factor_pos, &g, s),
    }
}

/// Items as boxes, factors as ellipses, loadings on the arrows; returns each factor's centre.
fn draw_measurement<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &Report,
    cfa: &crate::report::CfaBlock,
    dims: &[(&String, &Vec<String>)],
    g: &Geometry,
    s: &Style,
) -> DrawResult<DB, Vec<(i32, i32)>> {
    let item_pt = ((g.box_h as f64 / s.scale) * 0.55).clamp(5.0, 8.5);
    let mut row = 0i32;
    let mut factor_pos = Vec::new();
    for (dim, items) in dims {
        let first = row;
        for item in items.iter() {
            let cy = s.px(4.0) + row * g.row_h + g.row_h / 2;
            area.draw(&Rectangle::new(
                [
                    (g.box_x, cy - g.box_h / 2),
                    (g.box_x + g.box_w, cy + g.box_h / 2),
                ],
                INK.stroke_width(s.px(0.8).max(1) as u32),
            ))?;
            area.draw(&Text::new(
                (*item).clone(),
                (g.box_x + g.box_w / 2, cy),
                s.text(item_pt, &INK, HPos::Center, VPos::Center),
            ))?;
            row += 1;
        }
        let fy = s.px(4.0) + (first + row - 1) * g.row_h / 2 + g.row_h / 2;
        factor_pos.push((g.fx, fy));
        row += 1;
        for (k, item) in items.iter().enumerate() {
            let cy = s.px(4.0) + (first + k as i32) * g.row_h + g.row_h / 2;
            let from = (g.fx - g.rx, fy);
            let to = (g.box_x + g.box_w, cy);
            arrow(area, from, to, RGBColor(0x44, 0x44, 0x44), s)?;
            let l = cfa
                .loadings_std
                .get(item.as_str())
                .copied()
                .unwrap_or(f64::NAN);
            let mid = (
                (from.0 as f64 * 0.35 + to.0 as f64 * 0.65) as i32,
                (from.1 as f64 * 0.35 + to.1 as f64 * 0.65) as i32,
            );
            label_on_white(area, mid, crate::apa::apa(l), s)?;
        }
        latent(area, (g.fx, fy), (g.rx, g.ry), &dim_label(r, dim), s)?;
    }
    Ok(factor_pos)
}

/// Factor correlations: curves bulging to the right, further out for factors further apart.
fn draw_correlations<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cfa: &crate::report::CfaBlock,
    dims: &[(&String, &Vec<String>)],
    factor_pos: &[(i32, i32)],
    g: &Geometry,
    s: &Style,
) -> DrawResult<DB> {
    let (rx, ry) = (g.rx, g.ry);
    for a in 0..dims.len() {
        for b in a + 1..dims.len() {
            let corr = cfa
                .factor_correlations
                .get(dims[a].0)
                .and_then(|m| m.get(dims[b].0))
                .copied()
                .unwrap_or(f64::NAN);
            let (pa, pb) = (factor_pos[a], factor_pos[b]);
            // Each pair leaves and enters the ellipses at its own height so the curves do not share ends.
            let n = dims.len() as i32;
            let offset = |k: usize, other: usize| {
                (other as i32 - k as i32).signum() * ry / 2 * ((other as i32 - k as i32).abs())
                    / n.max(1)
            };
            let bulge = s.px(28.0) * (b - a) as i32;
            let start = (pa.0 + rx - s.px(2.0), pa.1 + offset(a, b));
            let end = (pb.0 + rx - s.px(2.0), pb.1 + offset(b, a));
            let ctrl = (start.0 + bulge * 2, (start.1 + end.1) / 2);
            let curve: Vec<(i32, i32)> = (0..=40)
                .map(|k| {
                    let t = k as f64 / 40.0;
                    let q = |p0: i32, p1: i32, p2: i32| {
                        ((1.0 - t).powi(2) * p0 as f64
                            + 2.0 * (1.0 - t) * t * p1 as f64
                            + t * t * p2 as f64) as i32
                    };
                    (q(start.0, ctrl.0, end.0), q(start.1, ctrl.1, end.1))
                })
                .collect();
            area.draw(&PathElement::new(
                curve.clone(),
                RGBColor(0x66, 0x66, 0x66).stroke_width(s.px(0.7).max(1) as u32),
            ))?;
            label_on_white(area, curve[20], crate::apa::apa(corr), s)?;
        }
    }
    Ok(())
}
