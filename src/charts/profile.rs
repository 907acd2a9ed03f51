//! Store profile radar: the dimensions around a circle on the instrument's scale, one polygon per group.

use super::*;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let (names, means, _) = group_means(r, s);
    let title = group_title(
        r,
        s,
        ("Perceived-value profile by", "各组感知价值轮廓:按"),
        ("Perceived-value profile", "感知价值轮廓"),
    );
    let area = titled(root, s, &title)?;
    let area = legend_bottom(&area, s, &names)?;
    let (w, h) = area.dim_in_pixel();
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let label_room = s.px(70.0) as f64;
    let radius = (cx.min(cy) - label_room.min(cx.min(cy) * 0.45)).max(10.0);
    let dims: Vec<&String> = r.dimensions.keys().collect();
    let k = dims.len().max(1);
    let (lo, hi) = scale_bounds(r, &means);
    let angle =
        |d: usize| -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * d as f64 / k as f64;
    let point = |d: usize, v: f64| {
        let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        let a = angle(d);
        (
            (cx + radius * t * a.cos()).round() as i32,
            (cy + radius * t * a.sin()).round() as i32,
        )
    };
    // Grid: one ring per scale point, spokes, ring labels on the first spoke.
    let steps = (hi - lo).round().max(1.0) as usize;
    for step in 0..=steps {
        let v = lo + (hi - lo) * step as f64 / steps as f64;
        let mut ring: Vec<(i32, i32)> = (0..k).map(|d| point(d, v)).collect();
        ring.push(ring[0]);
        area.draw(&PathElement::new(ring, GRID.stroke_width(s.px(0.6) as u32)))?;
        if step > 0 {
            let (x, y) = point(0, v);
            area.draw(&Text::new(
                format!("{v:.0}"),
                (x + s.px(3.0), y),
                s.text(7.5, &RGBColor(0x77, 0x77, 0x77), HPos::Left, VPos::Center),
            ))?;
        }
    }
    for (d, dim) in dims.iter().enumerate() {
        area.draw(&PathElement::new(
            vec![point(d, lo), point(d, hi)],
            GRID.stroke_width(s.px(0.6) as u32),
        ))?;
        let a = angle(d);
        let (lx, ly) = (
            (cx + (radius + s.px(8.0) as f64) * a.cos()) as i32,
            (cy + (radius + s.px(8.0) as f64) * a.sin()) as i32,
        );
        let hpos = if a.cos() > 0.3 {
            HPos::Left
        } else if a.cos() < -0.3 {
            HPos::Right
        } else {
            HPos::Center
        };
        let font = s.font(9.0);
        let lines = wrap(&area, &dim_label(r, dim), &font, s.px(90.0));
        let vpos_shift = if a.sin() < -0.5 {
            -(s.px(11.0) * (lines.len() as i32 - 1)) / 2 - s.px(4.0)
        } else if a.sin() > 0.5 {
            s.px(11.0) * (lines.len() as i32 - 1) / 2 + s.px(4.0)
        } else {
            0
        };
        draw_lines(
            &area,
            &lines,
            lx,
            ly + vpos_shift,
            s.px(11.0),
            &s.text(9.0, &INK, hpos, VPos::Center),
        )?;
    }
    for (g, m) in means.iter().enumerate() {
        let mut poly: Vec<(i32, i32)> = (0..k).map(|d| point(d, m[d])).collect();
        let color = s.color(g);
        area.draw(&Polygon::new(poly.clone(), color.mix(0.12).filled()))?;
        poly.push(poly[0]);
        area.draw(&PathElement::new(
            poly.clone(),
            color.stroke_width(s.px(1.5) as u32),
        ))?;
        for p in &poly[..k] {
            marker(&area, s, g, *p, s.px(2.2))?;
        }
    }
    Ok(())
}

/// The instrument's scale bounds.
pub(super) fn scale_bounds(r: &Report, _means: &[Vec<f64>]) -> (f64, f64) {
    (r.instrument.scale[0], r.instrument.scale[1])
}
