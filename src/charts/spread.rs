//! Distribution of the dimension scores by group: one panel per dimension, a box plot per group (median,
//! quartiles, whiskers to the furthest point within 1.5 IQR) over the jittered points (at most 400 per group,
//! chosen evenly so the picture does not depend on a random seed).

use super::*;

fn quantile(sorted: &[f64], p: f64) -> f64 {
    crate::stats::bootstrap::quantile7(sorted, p)
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let title = group_title(
        r,
        s,
        ("Dimension scores by", "各维度得分分布:按"),
        ("Dimension scores", "各维度得分分布"),
    );
    let area = titled(root, s, &title)?;
    let groups: Vec<String> = match (&r.groups, &input.groups) {
        (Some(g), Some(_)) => g
            .dimensions
            .values()
            .next()
            .map(|d| d.groups.keys().cloned().collect())
            .unwrap_or_default(),
        _ => vec![s.tr("All", "全部").to_string()],
    };
    let area = legend_bottom(&area, s, &groups)?;
    let dims: Vec<&String> = r.dimensions.keys().collect();
    let cols = if dims.len() <= 2 {
        dims.len().max(1)
    } else {
        2
    };
    let rows = dims.len().div_ceil(cols);
    let panels = area.split_evenly((rows, cols));
    let (smin, smax) = (r.instrument.scale[0], r.instrument.scale[1]);
    for (d, panel) in panels.iter().enumerate().take(dims.len()) {
        let (w, h) = panel.dim_in_pixel();
        let (left, top, bottom) = (s.px(22.0), s.px(14.0), s.px(6.0));
        let ph = h as i32 - top - bottom;
        let y = |v: f64| top + ((smax - v) / (smax - smin) * ph as f64).round() as i32;
        panel.draw(&Text::new(
            dim_label(r, dims[d]),
            (w as i32 / 2, s.px(2.0)),
            s.text(8.5, &INK, HPos::Center, VPos::Top),
        ))?;
        let mut t = smin;
        while t <= smax + 1e-9 {
            panel.draw(&PathElement::new(
                vec![(left, y(t)), (w as i32 - s.px(4.0), y(t))],
                GRID.stroke_width(s.px(0.4).max(1) as u32),
            ))?;
            panel.draw(&Text::new(
                format!("{t:.0}"),
                (left - s.px(3.0), y(t)),
                s.text(7.0, &INK, HPos::Right, VPos::Center),
            ))?;
            t += 1.0;
        }
        let slot = (w as i32 - left - s.px(6.0)) / groups.len().max(1) as i32;
        for (g, name) in groups.iter().enumerate() {
            let mut vals: Vec<f64> = (0..input.scores.nrows())
                .filter(|&k| match &input.groups {
                    Some(labels) if r.groups.is_some() => {
                        labels[k].as_deref() == Some(name.as_str())
                    }
                    _ => true,
                })
                .map(|k| input.scores[(k, d)])
                .filter(|v| v.is_finite())
                .collect();
            if vals.is_empty() {
                continue;
            }
            vals.sort_by(|a, b| a.total_cmp(b));
            let cx = left + slot * g as i32 + slot / 2;
            let half = (slot / 4).max(2);
            let color = s.color(g);
            // Points: an even sample, spread sideways by a fixed pattern.
            let stride = vals.len().div_ceil(400);
            for (i, v) in vals.iter().enumerate().step_by(stride.max(1)) {
                let jitter = ((i * 7919) % 97) as i32 - 48;
                let x = cx + jitter * half / 60;
                panel.draw(&Circle::new(
                    (x, y(*v)),
                    s.px(0.9).max(1),
                    color.mix(0.35).filled(),
                ))?;
            }
            let (q1, med, q3) = (
                quantile(&vals, 0.25),
                quantile(&vals, 0.5),
                quantile(&vals, 0.75),
            );
            let iqr = q3 - q1;
            let lo = vals
                .iter()
                .copied()
                .find(|v| *v >= q1 - 1.5 * iqr)
                .unwrap_or(q1);
            let hi = vals
                .iter()
                .rev()
                .copied()
                .find(|v| *v <= q3 + 1.5 * iqr)
                .unwrap_or(q3);
            let stroke = INK.stroke_width(s.px(0.9) as u32);
            panel.draw(&Rectangle::new(
                [(cx - half, y(q3)), (cx + half, y(q1))],
                stroke,
            ))?;
            panel.draw(&PathElement::new(
                vec![(cx - half, y(med)), (cx + half, y(med))],
                INK.stroke_width(s.px(1.6) as u32),
            ))?;
            panel.draw(&PathElement::new(vec![(cx, y(q3)), (cx, y(hi))], stroke))?;
            panel.draw(&PathElement::new(vec![(cx, y(q1)), (cx, y(lo))], stroke))?;
        }
    }
    Ok(())
}
