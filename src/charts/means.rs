//! Dimension means by group with 95% confidence intervals (t), groups side by side within each dimension.

use super::*;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let (names, means, cis) = group_means(r, s);
    let mut title = group_title(
        r,
        s,
        ("Mean perceived value by", "各维度均值(95% 置信区间):按"),
        ("Mean perceived value", "各维度均值(95% 置信区间)"),
    );
    if s.lang == Lang::En {
        title.push_str(" (95% CI)");
    }
    let area = titled(root, s, &title)?;
    let area = legend_bottom(&area, s, &names)?;
    let dims: Vec<&String> = r.dimensions.keys().collect();
    let (w, h) = area.dim_in_pixel();
    let left = s.px(34.0);
    let label_font = s.font(9.0);
    let slot = (w as i32 - left - s.px(8.0)) / dims.len().max(1) as i32;
    let label_lines: Vec<Vec<String>> = dims
        .iter()
        .map(|d| wrap(&area, &dim_label(r, d), &label_font, slot - s.px(6.0)))
        .collect();
    let max_lines = label_lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let bottom = s.px(8.0) + max_lines * s.px(11.0);
    let (top, plot_h) = (s.px(6.0), h as i32 - s.px(6.0) - bottom);
    // y range: the CIs with some room, within the scale.
    let (smin, smax) = (r.instrument.scale[0], r.instrument.scale[1]);
    let all: Vec<f64> = cis
        .iter()
        .flatten()
        .flat_map(|c| c.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    let (dmin, dmax) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let lo = (dmin - 0.25).floor().max(smin);
    let hi = (dmax + 0.25).ceil().min(smax).max(lo + 1.0);
    let y = |v: f64| top + ((hi - v) / (hi - lo) * plot_h as f64).round() as i32;
    // Axis, gridlines and tick labels.
    let step = if hi - lo > 4.0 { 1.0 } else { 0.5 };
    let mut t = lo;
    while t <= hi + 1e-9 {
        area.draw(&PathElement::new(
            vec![(left, y(t)), (w as i32 - s.px(8.0), y(t))],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        let label = if step < 1.0 {
            format!("{t:.1}")
        } else {
            format!("{t:.0}")
        };
        area.draw(&Text::new(
            label,
            (left - s.px(4.0), y(t)),
            s.text(8.5, &INK, HPos::Right, VPos::Center),
        ))?;
        t += step;
    }
    area.draw(&PathElement::new(
        vec![(left, top), (left, top + plot_h)],
        INK.stroke_width(s.px(0.8) as u32),
    ))?;
    let ylabel = s.tr("Mean score", "均值");
    area.draw(&Text::new(
        ylabel.to_string(),
        (s.px(6.0), top + plot_h / 2),
        s.font(9.0)
            .color(&INK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    let groups = names.len().max(1) as i32;
    let dodge = (slot / (groups + 1)).min(s.px(18.0));
    for (d, lines) in label_lines.iter().enumerate() {
        let cx = left + slot * d as i32 + slot / 2;
        draw_lines(
            &area,
            lines,
            cx,
            top + plot_h + s.px(6.0) + (lines.len() as i32 - 1) * s.px(11.0) / 2 + s.px(5.0),
            s.px(11.0),
            &s.text(9.0, &INK, HPos::Center, VPos::Center),
        )?;
        for g in 0..names.len() {
            let x = cx + (g as i32 - (groups - 1) / 2) * dodge
                - if groups % 2 == 0 { dodge / 2 } else { 0 };
            let (m, ci) = (means[g][d], cis[g][d]);
            if !m.is_finite() {
                continue;
            }
            let color = s.color(g);
            let cap = s.px(3.0);
            area.draw(&PathElement::new(
                vec![(x, y(ci[0])), (x, y(ci[1]))],
                color.stroke_width(s.px(1.2) as u32),
            ))?;
            area.draw(&PathElement::new(
                vec![(x - cap, y(ci[0])), (x + cap, y(ci[0]))],
                color.stroke_width(s.px(1.2) as u32),
            ))?;
            area.draw(&PathElement::new(
                vec![(x - cap, y(ci[1])), (x + cap, y(ci[1]))],
                color.stroke_width(s.px(1.2) as u32),
            ))?;
            marker(&area, s, g, (x, y(m)), s.px(3.0))?;
        }
    }
    Ok(())
}
