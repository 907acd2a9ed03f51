//! Diverging stacked bars of the item answers (as the R likert package draws them): disagreement to the left of
//! zero, agreement to the right, a neutral middle category split across it; items grouped by dimension with
//! their texts as labels. Answers are shown as given, before reverse keying (marked "(R)").

use super::*;

fn lerp(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let f = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}

/// Category colours: dark orange … light grey … dark blue (colour-blind safe ends).
fn category_colors(k: usize, s: &Style) -> Vec<RGBColor> {
    let (neg, mid, pos) = match s.palette {
        Palette::OkabeIto => (
            RGBColor(0xD5, 0x5E, 0x00),
            RGBColor(0xE0, 0xE0, 0xE0),
            RGBColor(0x00, 0x72, 0xB2),
        ),
        Palette::Grey => (
            RGBColor(0x30, 0x30, 0x30),
            RGBColor(0xE8, 0xE8, 0xE8),
            RGBColor(0x90, 0x90, 0x90),
        ),
    };
    (0..k)
        .map(|c| {
            let t = if k == 1 {
                0.5
            } else {
                c as f64 / (k - 1) as f64
            };
            if t < 0.5 {
                lerp(neg, mid, t / 0.5 * 0.85)
            } else if t > 0.5 {
                lerp(mid, pos, 0.15 + (t - 0.5) / 0.5 * 0.85)
            } else {
                mid
            }
        })
        .collect()
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(dist) = &r.item_distributions else {
        return Ok(());
    };
    let k = dist.values().next().map(Vec::len).unwrap_or(0);
    let area = titled(
        root,
        s,
        s.tr(
            "Item answers (percent of respondents)",
            "各题项作答分布(受访者百分比)",
        ),
    )?;
    let labels: Vec<String> = if r.instrument.scale_labels.len() == k {
        r.instrument.scale_labels.clone()
    } else {
        (0..k)
            .map(|c| format!("{}", r.instrument.scale[0] + c as f64))
            .collect()
    };
    let colors = category_colors(k, s);
    let area = likert_legend(&area, s, &labels, &colors)?;
    let (w, h) = area.dim_in_pixel();
    let label_w = (w as f64 * 0.42) as i32;
    let (x0, x1) = (label_w + s.px(6.0), w as i32 - s.px(10.0));
    let axis_h = s.px(16.0);
    let rows: usize = r
        .instrument
        .dimension_items
        .values()
        .map(|v| v.len() + 1)
        .sum();
    let row_h = ((h as i32 - axis_h) / rows.max(1) as i32).max(1);
    let font_pt = (row_h as f64 / s.scale * 0.55).clamp(5.5, 8.5);
    let x_of = |pct: f64| x0 + (((pct + 100.0) / 200.0) * (x1 - x0) as f64).round() as i32;
    // Gridlines at -100, -50, 0, 50, 100 %.
    for pct in [-100.0, -50.0, 0.0, 50.0, 100.0] {
        let color = if pct == 0.0 {
            RGBColor(0x88, 0x88, 0x88)
        } else {
            GRID
        };
        area.draw(&PathElement::new(
            vec![(x_of(pct), 0), (x_of(pct), h as i32 - axis_h)],
            color.stroke_width(s.px(0.5) as u32),
        ))?;
        area.draw(&Text::new(
            format!("{:.0}%", pct.abs()),
            (x_of(pct), h as i32 - axis_h + s.px(3.0)),
            s.text(7.5, &INK, HPos::Center, VPos::Top),
        ))?;
    }
    let mut row = 0i32;
    for (dim, items) in &r.instrument.dimension_items {
        let y = row * row_h + row_h / 2;
        area.draw(&Text::new(
            dim_label(r, dim),
            (s.px(2.0), y),
            s.font(font_pt + 0.5)
                .style(FontStyle::Bold)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        row += 1;
        for item in items {
            let counts = &dist[item];
            let n: usize = counts.iter().sum();
            let y0 = row * row_h + row_h / 8;
            let y1 = (row + 1) * row_h - row_h / 8;
            let reverse = r.instrument.reverse_keyed.contains(item);
            let text = r
                .instrument
                .item_texts
                .get(item)
                .cloned()
                .unwrap_or_else(|| item.clone());
            let text = if reverse { format!("{text} (R)") } else { text };
            let font = s.font(font_pt);
            let mut lines = wrap(&area, &text, &font, label_w - s.px(10.0));
            if lines.len() > 2 {
                lines.truncate(2);
                lines[1].push('…');
            }
            let line_h = (font_pt * s.scale * 1.15) as i32;
            draw_lines(
                &area,
                &lines,
                label_w,
                (y0 + y1) / 2,
                line_h,
                &s.text(font_pt, &INK, HPos::Right, VPos::Center),
            )?;
            if n == 0 {
                row += 1;
                continue;
            }
            let pct: Vec<f64> = counts
                .iter()
                .map(|&c| 100.0 * c as f64 / n as f64)
                .collect();
            // Left edge: minus the disagreeing share and half the neutral one.
            let half = k / 2;
            let neutral = if k % 2 == 1 { pct[half] } else { 0.0 };
            let mut start = -(pct[..half].iter().sum::<f64>() + neutral / 2.0);
            for (c, p) in pct.iter().enumerate() {
                let (a, b) = (x_of(start), x_of(start + p));
                if b > a {
                    area.draw(&Rectangle::new([(a, y0), (b, y1)], colors[c].filled()))?;
                }
                start += p;
            }
            row += 1;
        }
    }
    Ok(())
}

/// The category legend (all scale points in order) at the bottom.
fn likert_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    labels: &[String],
    colors: &[RGBColor],
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.dim_in_pixel();
    let font = s.font(7.5);
    let sw = s.px(8.0);
    let cell = (w as i32 - s.px(10.0)) / labels.len().max(1) as i32;
    let wrapped: Vec<Vec<String>> = labels
        .iter()
        .map(|l| wrap(area, l, &font, cell - s.px(4.0)))
        .collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let line_h = s.px(9.0);
    let block = sw + s.px(3.0) + lines * line_h + s.px(4.0);
    let top = h as i32 - block;
    for (c, l) in wrapped.iter().enumerate() {
        let cx = s.px(5.0) + cell * c as i32 + cell / 2;
        area.draw(&Rectangle::new(
            [(cx - sw, top), (cx + sw, top + sw)],
            colors[c].filled(),
        ))?;
        for (i, line) in l.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                (cx, top + sw + s.px(2.0) + i as i32 * line_h),
                s.text(7.5, &INK, HPos::Center, VPos::Top),
            ))?;
        }
    }
    Ok(area.margin(0, block as u32 + s.px(4.0) as u32, 0, 0))
}
