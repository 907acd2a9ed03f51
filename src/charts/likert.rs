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

/// The drawing area and geometry shared by both Likert charts: title, category legend, gridlines.
struct Frame<DB: DrawingBackend> {
    area: DrawingArea<DB, Shift>,
    colors: Vec<RGBColor>,
    /// Right edge of the label column.
    label_w: i32,
    x0: i32,
    x1: i32,
    row_h: i32,
    font_pt: f64,
}

impl<DB: DrawingBackend> Frame<DB> {
    fn new(
        root: &DrawingArea<DB, Shift>,
        r: &Report,
        s: &Style,
        title: &str,
        k: usize,
        rows: usize,
    ) -> std::result::Result<Self, DrawingAreaErrorKind<DB::ErrorType>> {
        let area = titled(root, s, title)?;
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
        let axis_h = s.px(16.0);
        let row_h = ((h as i32 - axis_h) / rows.max(1) as i32).max(1);
        let frame = Frame {
            colors,
            label_w,
            x0: label_w + s.px(6.0),
            x1: w as i32 - s.px(10.0),
            row_h,
            font_pt: (row_h as f64 / s.scale * 0.55).clamp(5.5, 8.5),
            area,
        };
        // Gridlines at -100, -50, 0, 50, 100 %.
        for pct in [-100.0, -50.0, 0.0, 50.0, 100.0] {
            let color = if pct == 0.0 {
                RGBColor(0x88, 0x88, 0x88)
            } else {
                GRID
            };
            frame.area.draw(&PathElement::new(
                vec![(frame.x_of(pct), 0), (frame.x_of(pct), h as i32 - axis_h)],
                color.stroke_width(s.px(0.5) as u32),
            ))?;
            frame.area.draw(&Text::new(
                format!("{:.0}%", pct.abs()),
                (frame.x_of(pct), h as i32 - axis_h + s.px(3.0)),
                s.text(7.5, &INK, HPos::Center, VPos::Top),
            ))?;
        }
        Ok(frame)
    }

    fn x_of(&self, pct: f64) -> i32 {
        self.x0 + (((pct + 100.0) / 200.0) * (self.x1 - self.x0) as f64).round() as i32
    }

    /// A dimension's name as a bold row header.
    fn header(&self, s: &Style, text: &str, row: i32) -> DrawResult<DB> {
        self.area.draw(&Text::new(
            text.to_string(),
            (s.px(2.0), row * self.row_h + self.row_h / 2),
            s.font(self.font_pt + 0.5)
                .style(FontStyle::Bold)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        Ok(())
    }

    /// One diverging bar between y0 and y1: the disagreeing share and half the neutral one left of zero.
    fn bar(&self, counts: &[usize], y0: i32, y1: i32) -> DrawResult<DB> {
        let n: usize = counts.iter().sum();
        if n == 0 {
            return Ok(());
        }
        let k = counts.len();
        let pct: Vec<f64> = counts
            .iter()
            .map(|&c| 100.0 * c as f64 / n as f64)
            .collect();
        let half = k / 2;
        let neutral = if k % 2 == 1 { pct[half] } else { 0.0 };
        let mut start = -(pct[..half].iter().sum::<f64>() + neutral / 2.0);
        for (c, p) in pct.iter().enumerate() {
            let (a, b) = (self.x_of(start), self.x_of(start + p));
            if b > a {
                self.area
                    .draw(&Rectangle::new([(a, y0), (b, y1)], self.colors[c].filled()))?;
            }
            start += p;
        }
        Ok(())
    }
}

/// An item's text for a label, "(R)" marking a reverse-keyed item.
fn item_label(r: &Report, item: &str) -> String {
    let text = r
        .instrument
        .item_texts
        .get(item)
        .cloned()
        .unwrap_or_else(|| item.to_string());
    if r.instrument.reverse_keyed.iter().any(|x| x == item) {
        format!("{text} (R)")
    } else {
        text
    }
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
    let rows: usize = r
        .instrument
        .dimension_items
        .values()
        .map(|v| v.len() + 1)
        .sum();
    let title = s.tr(
        "Item answers (percent of respondents)",
        "各题项作答分布(受访者百分比)",
    );
    let f = Frame::new(root, r, s, title, k, rows)?;
    let mut row = 0i32;
    for (dim, items) in &r.instrument.dimension_items {
        f.header(s, &dim_label(r, dim), row)?;
        row += 1;
        for item in items {
            let y0 = row * f.row_h + f.row_h / 8;
            let y1 = (row + 1) * f.row_h - f.row_h / 8;
            let font = s.font(f.font_pt);
            let mut lines = wrap(&f.area, &item_label(r, item), &font, f.label_w - s.px(10.0));
            if lines.len() > 2 {
                lines.truncate(2);
                lines[1].push('…');
            }
            let line_h = (f.font_pt * s.scale * 1.15) as i32;
            draw_lines(
                &f.area,
                &lines,
                f.label_w,
                (y0 + y1) / 2,
                line_h,
                &s.text(f.font_pt, &INK, HPos::Right, VPos::Center),
            )?;
            if let Some(d) = dist.get(item) {
                f.bar(d, y0, y1)?;
            }
            row += 1;
        }
    }
    Ok(())
}

/// The Likert bars of every group, item by item: the item's text on its own row, then one bar per group
/// labelled with the group's name (the R likert package's `grouping`).
pub(super) fn draw_by_group<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(groups) = &r.groups else {
        return Ok(());
    };
    let Some(by_group) = &groups.item_distributions else {
        return Ok(());
    };
    let k = by_group
        .values()
        .next()
        .and_then(|d| d.values().next())
        .map(Vec::len)
        .unwrap_or(0);
    let items: usize = r.instrument.dimension_items.values().map(Vec::len).sum();
    let rows = r.instrument.dimension_items.len() + items * (by_group.len() + 1);
    let title = format!(
        "{} {}",
        s.tr("Item answers by", "各题项作答分布:按"),
        groups.noun()
    );
    let f = Frame::new(root, r, s, &title, k, rows)?;
    let mut row = 0i32;
    for (dim, dim_items) in &r.instrument.dimension_items {
        f.header(s, &dim_label(r, dim), row)?;
        row += 1;
        for item in dim_items {
            let font = s.font(f.font_pt);
            let mut lines = wrap(&f.area, &item_label(r, item), &font, f.x1 - s.px(10.0));
            lines.truncate(1);
            f.area.draw(&Text::new(
                lines.pop().unwrap_or_default(),
                (s.px(8.0), row * f.row_h + f.row_h / 2),
                s.text(f.font_pt, &INK, HPos::Left, VPos::Center),
            ))?;
            row += 1;
            for (g, dist) in by_group {
                let y0 = row * f.row_h + f.row_h / 10;
                let y1 = (row + 1) * f.row_h - f.row_h / 10;
                f.area.draw(&Text::new(
                    g.clone(),
                    (f.label_w, (y0 + y1) / 2),
                    s.text(f.font_pt - 0.5, &INK, HPos::Right, VPos::Center),
                ))?;
                if let Some(d) = dist.get(item) {
                    f.bar(d, y0, y1)?;
                }
                row += 1;
            }
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
