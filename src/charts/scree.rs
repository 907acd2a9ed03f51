//! Scree plot: eigenvalues of the item correlation matrix with the parallel-analysis line (95th percentile of
//! random data) and Kaiser's eigenvalue-1 line.

use super::*;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(ev) = &r.eigenvalues else {
        return Ok(());
    };
    let area = titled(
        root,
        s,
        s.tr("Scree plot with parallel analysis", "碎石图与平行分析"),
    )?;
    let mut names = vec![s.tr("Observed eigenvalues", "观测特征值").to_string()];
    if let Some(pa) = &r.parallel_analysis {
        names.push(format!(
            "{} ({:.0}th percentile, {} {})",
            s.tr("Random data", "随机数据"),
            pa.percentile * 100.0,
            pa.iterations,
            s.tr("sets", "组")
        ));
    }
    let area = legend_bottom(&area, s, &names)?;
    let (w, h) = area.dim_in_pixel();
    let (left, bottom, top, right) = (s.px(34.0), s.px(30.0), s.px(6.0), s.px(10.0));
    let (pw, ph) = (w as i32 - left - right, h as i32 - top - bottom);
    let n = ev.len();
    let ymax = ev.first().copied().unwrap_or(1.0).max(1.0).ceil();
    let x = |k: usize| left + (k as f64 / (n.max(2) - 1) as f64 * pw as f64).round() as i32;
    let y = |v: f64| top + ((ymax - v) / ymax * ph as f64).round() as i32;
    let step = if ymax > 8.0 { 2.0 } else { 1.0 };
    let mut t = 0.0;
    while t <= ymax + 1e-9 {
        area.draw(&PathElement::new(
            vec![(left, y(t)), (left + pw, y(t))],
            GRID.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&Text::new(
            format!("{t:.0}"),
            (left - s.px(4.0), y(t)),
            s.text(8.5, &INK, HPos::Right, VPos::Center),
        ))?;
        t += step;
    }
    // Kaiser criterion.
    area.draw(&PathElement::new(
        vec![(left, y(1.0)), (left + pw, y(1.0))],
        RGBColor(0x99, 0x99, 0x99).stroke_width(s.px(0.8) as u32),
    ))?;
    for k in 0..n {
        if n <= 25 || k % 2 == 0 {
            area.draw(&Text::new(
                format!("{}", k + 1),
                (x(k), top + ph + s.px(4.0)),
                s.text(8.0, &INK, HPos::Center, VPos::Top),
            ))?;
        }
    }
    area.draw(&Text::new(
        s.tr("Factor number", "因子序号").to_string(),
        (left + pw / 2, h as i32 - s.px(2.0)),
        s.text(9.0, &INK, HPos::Center, VPos::Bottom),
    ))?;
    area.draw(&Text::new(
        s.tr("Eigenvalue", "特征值").to_string(),
        (s.px(2.0), top + ph / 2),
        s.font(9.0)
            .color(&INK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    let observed: Vec<(i32, i32)> = ev.iter().enumerate().map(|(k, v)| (x(k), y(*v))).collect();
    area.draw(&PathElement::new(
        observed.clone(),
        s.color(0).stroke_width(s.px(1.5) as u32),
    ))?;
    for p in &observed {
        area.draw(&Circle::new(*p, s.px(2.5), s.color(0).filled()))?;
    }
    if let Some(pa) = &r.parallel_analysis {
        let random: Vec<(i32, i32)> = pa
            .random_eigenvalues
            .iter()
            .enumerate()
            .map(|(k, v)| (x(k), y(*v)))
            .collect();
        // Dashed: short segments.
        for pair in random.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let steps = 6;
            for i in (0..steps).step_by(2) {
                let p = |t: f64| {
                    (
                        a.0 + ((b.0 - a.0) as f64 * t) as i32,
                        a.1 + ((b.1 - a.1) as f64 * t) as i32,
                    )
                };
                area.draw(&PathElement::new(
                    vec![p(i as f64 / steps as f64), p((i + 1) as f64 / steps as f64)],
                    s.color(1).stroke_width(s.px(1.5) as u32),
                ))?;
            }
        }
        for p in &random {
            area.draw(&Rectangle::new(
                [
                    (p.0 - s.px(2.0), p.1 - s.px(2.0)),
                    (p.0 + s.px(2.0), p.1 + s.px(2.0)),
                ],
                s.color(1).filled(),
            ))?;
        }
        let note = format!(
            "{}: {}",
            s.tr("Factors suggested", "建议因子数"),
            pa.suggested_factors
        );
        area.draw(&Text::new(
            note,
            (left + pw - s.px(4.0), top + s.px(4.0)),
            s.text(9.0, &INK, HPos::Right, VPos::Top),
        ))?;
    }
    Ok(())
}
