//! Distribution of the dimension scores by group: one panel per dimension, a box plot per group (median,
//! quartiles, whiskers to the furthest point within 1.5 IQR) over the jittered points (at most 400 per group,
//! chosen evenly so the picture does not depend on a random seed).

use super::*;
use crate::stats::quantiles::Distinct;

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
        // Each group's scores on this dimension, gathered in one pass over the respondents.
        let mut per_group: Vec<Vec<f64>> = vec![Vec::new(); groups.len()];
        let column = input.scores.column(d);
        match &input.groups {
            Some(sg) if r.groups.is_some() => {
                // Position in `groups` of each code of the file's labels.
                let mut position = vec![None; sg.labels.len()];
                for (g, name) in groups.iter().enumerate() {
                    if let Some(c) = sg.code(name) {
                        position[c as usize] = Some(g);
                    }
                }
                for (k, code) in sg.codes.iter().enumerate() {
                    if let Some(g) = code.and_then(|c| position[c as usize]) {
                        per_group[g].push(column[k]);
                    }
                }
            }
            _ => per_group[0].extend(column.iter().copied()),
        }
        for (g, vals) in per_group.into_iter().enumerate() {
            let vals = Distinct::new(vals.into_iter());
            let n = vals.len();
            if n == 0 {
                continue;
            }
            let cx = left + slot * g as i32 + slot / 2;
            let half = (slot / 4).max(2);
            let color = s.color(g);
            // Points: an even sample of the sorted scores, spread sideways by a fixed pattern.
            let stride = n.div_ceil(400);
            for i in (0..n).step_by(stride.max(1)) {
                let jitter = ((i * 7919) % 97) as i32 - 48;
                let x = cx + jitter * half / 60;
                panel.draw(&Circle::new(
                    (x, y(vals.at(i))),
                    s.px(0.9).max(1),
                    color.mix(0.35).filled(),
                ))?;
            }
            // The box is the report's: quartiles and whiskers computed by the analysis.
            let box_plot = match &r.groups {
                Some(gr) if input.groups.is_some() => gr
                    .dimensions
                    .get(dims[d])
                    .and_then(|x| x.groups.get(&groups[g]))
                    .and_then(|x| x.box_plot),
                _ => r.dimensions[dims[d]].box_plot,
            };
            let Some(b) = box_plot else { continue };
            let (q1, med, q3, lo, hi) = (b.q1, b.median, b.q3, b.lower_whisker, b.upper_whisker);
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
