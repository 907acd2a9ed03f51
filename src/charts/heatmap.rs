//! Heatmaps with the values printed: EFA loadings (items × factors, items sorted by their main factor) and the
//! item correlation matrix. Colours run from orange (negative) through white to blue (positive).

use super::*;

fn diverging(v: f64, s: &Style) -> RGBColor {
    let t = v.clamp(-1.0, 1.0);
    let (neg, pos) = match s.palette {
        Palette::OkabeIto => (RGBColor(0xD5, 0x5E, 0x00), RGBColor(0x00, 0x72, 0xB2)),
        Palette::Grey => (RGBColor(0x60, 0x60, 0x60), RGBColor(0x30, 0x30, 0x30)),
    };
    let end = if t < 0.0 { neg } else { pos };
    let a = t.abs();
    let f = |e: u8| (255.0 + (e as f64 - 255.0) * a).round() as u8;
    RGBColor(f(end.0), f(end.1), f(end.2))
}

fn value_text(v: f64) -> String {
    crate::apa::apa(v)
}

/// Draw a labelled matrix of coloured cells.
fn grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Style,
    rows: &[String],
    cols: &[String],
    values: &[Vec<f64>],
    blank_below: f64,
) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let label_font = s.font(8.0);
    let row_w = rows
        .iter()
        .map(|r| text_width(area, r, &label_font))
        .max()
        .unwrap_or(0)
        + s.px(6.0);
    // Column labels: horizontal when they fit their cells, else rotated to read upwards.
    let col_label_w = cols
        .iter()
        .map(|c| text_width(area, c, &label_font))
        .max()
        .unwrap_or(0);
    let provisional_w = (w as i32 - row_w - s.px(6.0)) / cols.len().max(1) as i32;
    let rotate = col_label_w > provisional_w - s.px(2.0);
    let col_h = if rotate {
        col_label_w + s.px(6.0)
    } else {
        s.px(14.0)
    };
    let cell_w = ((w as i32 - row_w - s.px(6.0)) / cols.len().max(1) as i32).max(1);
    let cell_h = ((h as i32 - col_h - s.px(4.0)) / rows.len().max(1) as i32).max(1);
    let value_pt = ((cell_h.min(cell_w) as f64 / s.scale) * 0.42).clamp(4.5, 9.0);
    for (j, c) in cols.iter().enumerate() {
        let x = row_w + cell_w * j as i32 + cell_w / 2;
        if rotate {
            let style = s
                .font(8.0)
                .color(&INK)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Left, VPos::Center));
            area.draw(&Text::new(c.clone(), (x, col_h - s.px(3.0)), style))?;
        } else {
            area.draw(&Text::new(
                c.clone(),
                (x, col_h / 2),
                s.text(8.0, &INK, HPos::Center, VPos::Center),
            ))?;
        }
    }
    for (i, rname) in rows.iter().enumerate() {
        let y0 = col_h + cell_h * i as i32;
        area.draw(&Text::new(
            rname.clone(),
            (row_w - s.px(4.0), y0 + cell_h / 2),
            s.text(8.0, &INK, HPos::Right, VPos::Center),
        ))?;
        for (j, v) in values[i].iter().enumerate() {
            let x0 = row_w + cell_w * j as i32;
            let fill = diverging(*v, s);
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell_w, y0 + cell_h)],
                fill.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell_w, y0 + cell_h)],
                WHITE.stroke_width(s.px(0.5).max(1) as u32),
            ))?;
            if v.abs() >= blank_below {
                let ink = if v.abs() > 0.6 { WHITE } else { INK };
                area.draw(&Text::new(
                    value_text(*v),
                    (x0 + cell_w / 2, y0 + cell_h / 2),
                    s.text(value_pt, &ink, HPos::Center, VPos::Center),
                ))?;
            }
        }
    }
    Ok(())
}

pub(super) fn draw_loadings<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(efa) = &r.efa else { return Ok(()) };
    let title = format!(
        "{} ({}, {}; {})",
        s.tr("EFA loadings", "探索性因子分析载荷"),
        efa.method,
        efa.rotation,
        s.tr("values below .30 not printed", "小于 .30 的载荷不显示")
    );
    let area = titled(root, s, &title)?;
    let items = efa.sorted_items();
    let rows: Vec<String> = items.iter().map(|(i, _)| (*i).clone()).collect();
    let mut cols: Vec<String> = (1..=efa.n_factors).map(|k| format!("F{k}")).collect();
    cols.push("h²".into());
    let values: Vec<Vec<f64>> = items
        .iter()
        .map(|(i, l)| l.iter().copied().chain([efa.communalities[*i]]).collect())
        .collect();
    grid(
        &area,
        s,
        &rows,
        &cols,
        &values,
        crate::criteria::LOADING_SHOWN,
    )
}

pub(super) fn draw_correlations<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(m) = &r.item_correlations else {
        return Ok(());
    };
    let area = titled(root, s, s.tr("Item correlations", "题项相关矩阵"))?;
    let items: Vec<String> = r.instrument.item_texts.keys().cloned().collect();
    grid(&area, s, &items, &items, m, 0.0)
}
