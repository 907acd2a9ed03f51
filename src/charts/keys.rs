//! Series keys: the point marker of each series (colour, then shape once the colours repeat) and the legend of
//! swatches below a chart.

use super::*;

/// The point marker of series k, centred on `at` with radius `r`: a circle while the colours last, then a square,
/// a triangle and a diamond for each further round of colours, so more groups than colours stay apart.
pub(crate) fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    k: usize,
    (x, y): (i32, i32),
    r: i32,
) -> DrawResult<DB> {
    let fill = s.color(k).filled();
    match (k / s.colors()) % 4 {
        0 => area.draw(&Circle::new((x, y), r, fill)),
        1 => area.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill)),
        2 => {
            let t = r + r / 3;
            area.draw(&Polygon::new(
                vec![(x, y - t), (x + t, y + r), (x - t, y + r)],
                fill,
            ))
        }
        _ => {
            let t = r + r / 3;
            area.draw(&Polygon::new(
                vec![(x, y - t), (x + t, y), (x, y + t), (x - t, y)],
                fill,
            ))
        }
    }
}

/// A legend row of coloured swatches and labels, centred at the bottom; returns the area above it.
pub(crate) fn legend_bottom<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    labels: &[String],
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    if labels.len() < 2 {
        return Ok(area.clone());
    }
    let (w, h) = area.dim_in_pixel();
    let font = s.font(9.0);
    let sw = s.px(9.0);
    let gap = s.px(12.0);
    let widths: Vec<i32> = labels
        .iter()
        .map(|l| text_width(area, l, &font) + sw + s.px(4.0))
        .collect();
    // Rows that fit the width.
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut row_w = 0;
    for (k, wk) in widths.iter().enumerate() {
        if row_w + wk > w as i32 - s.px(20.0) && !rows.last().map(|r| r.is_empty()).unwrap_or(true)
        {
            rows.push(Vec::new());
            row_w = 0;
        }
        if let Some(r) = rows.last_mut() {
            r.push(k);
        }
        row_w += wk + gap;
    }
    let line_h = s.px(14.0);
    let top = h as i32 - line_h * rows.len() as i32 - s.px(4.0);
    for (ri, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|&k| widths[k] + gap).sum::<i32>() - gap;
        let mut x = (w as i32 - total) / 2;
        let y = top + ri as i32 * line_h + line_h / 2;
        for &k in row {
            if labels.len() > s.colors() {
                // Colours repeat: the key shows each series' marker shape as well.
                marker(area, s, k, (x + sw / 2, y), sw / 2)?;
            } else {
                area.draw(&Rectangle::new(
                    [(x, y - sw / 2), (x + sw, y + sw / 2)],
                    s.color(k).filled(),
                ))?;
            }
            area.draw(&Text::new(
                labels[k].clone(),
                (x + sw + s.px(4.0), y),
                s.text(9.0, &INK, HPos::Left, VPos::Center),
            ))?;
            x += widths[k] + gap;
        }
    }
    Ok(area.margin(0, (h as i32 - top + s.px(4.0)) as u32, 0, 0))
}
