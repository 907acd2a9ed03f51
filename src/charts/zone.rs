//! The zone of tolerance: for each dimension a band from the adequate to the desired mean, with the perceived
//! mean marked — a filled diamond inside the zone, an open one outside it — one row per group under the
//! dimension's overall row.

use super::*;
use crate::analysis::expectations::result::{ExpectationsBlock, Zone};
use indexmap::IndexMap;

pub(crate) struct ZoneFigure<'a> {
    pub block: &'a ExpectationsBlock,
    pub labels: &'a IndexMap<String, String>,
}

impl Figure for ZoneFigure<'_> {
    fn name(&self) -> &str {
        "zone-of-tolerance"
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Style) -> DrawResult<DB> {
        let e = self.block;
        let area = titled(
            root,
            s,
            s.tr("Zone of tolerance by dimension", "各维度的容忍区间"),
        )?;
        let label = |id: &str| {
            self.labels
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        };
        // Rows: each dimension overall, then its groups.
        let mut rows: Vec<(String, bool, &Zone)> = Vec::new();
        for (d, z) in &e.dimensions {
            rows.push((label(d), true, z));
            if let Some(g) = &e.groups {
                for (name, dims) in &g.groups {
                    if let Some(z) = dims.get(d) {
                        rows.push((format!("  {name}"), false, z));
                    }
                }
            }
        }
        let (w, h) = area.dim_in_pixel();
        let font = s.font(8.0);
        let label_w = rows
            .iter()
            .map(|r| text_width(&area, &r.0, &font))
            .max()
            .unwrap_or(0)
            .min(w as i32 / 2);
        let (left, top, right, bottom) = (label_w + s.px(8.0), s.px(4.0), s.px(10.0), s.px(40.0));
        let (pw, ph) = (w as i32 - left - right, h as i32 - top - bottom);
        let values: Vec<f64> = rows
            .iter()
            .flat_map(|r| [r.2.adequate, r.2.desired, r.2.perceived])
            .flatten()
            .collect();
        // Whole numbers around the means, with room for a marker at either end.
        let lo = (values.iter().copied().fold(f64::INFINITY, f64::min) - 0.15).floor();
        let hi = (values.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 0.15).ceil();
        let (x0, x1) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        let x = |v: f64| left + ((v - x0) / (x1 - x0) * pw as f64).round() as i32;
        let mut t = x0;
        while t <= x1 + 1e-9 {
            area.draw(&PathElement::new(
                vec![(x(t), top), (x(t), top + ph)],
                GRID.stroke_width(s.px(0.5) as u32),
            ))?;
            area.draw(&Text::new(
                format!("{t:.0}"),
                (x(t), top + ph + s.px(2.0)),
                s.text(7.5, &INK, HPos::Center, VPos::Top),
            ))?;
            t += 1.0;
        }
        let n = rows.len().max(1) as i32;
        let row_h = ph / n;
        let band = s.color(1);
        let marker = s.color(4);
        for (i, (name, overall, z)) in rows.iter().enumerate() {
            let yc = top + i as i32 * row_h + row_h / 2;
            let tall = if *overall {
                row_h * 6 / 10
            } else {
                row_h * 4 / 10
            };
            area.draw(&Text::new(
                name.clone(),
                (left - s.px(4.0), yc),
                s.text(
                    if *overall { 8.0 } else { 7.0 },
                    &INK,
                    HPos::Right,
                    VPos::Center,
                ),
            ))?;
            let (Some(a), Some(d), Some(p)) = (z.adequate, z.desired, z.perceived) else {
                continue;
            };
            let (xa, xd) = (x(a.min(d)), x(a.max(d)));
            area.draw(&Rectangle::new(
                [(xa, yc - tall / 2), (xd.max(xa + 1), yc + tall / 2)],
                band.mix(if *overall { 0.55 } else { 0.35 }).filled(),
            ))?;
            let r = s.px(if *overall { 3.6 } else { 3.0 });
            let (px, _) = (x(p), yc);
            let diamond = vec![
                (px, yc - r),
                (px + r, yc),
                (px, yc + r),
                (px - r, yc),
                (px, yc - r),
            ];
            let inside = p >= a && p <= d;
            if inside {
                area.draw(&Polygon::new(diamond.clone(), marker.filled()))?;
            } else {
                area.draw(&Polygon::new(diamond.clone(), WHITE.filled()))?;
            }
            area.draw(&PathElement::new(
                diamond,
                marker.stroke_width(s.px(0.9).max(1) as u32),
            ))?;
        }
        area.draw(&Text::new(
            s.tr("Mean on the answer scale", "量表均值").to_string(),
            (left + pw / 2, top + ph + s.px(12.0)),
            s.text(8.5, &INK, HPos::Center, VPos::Top),
        ))?;
        // The legend.
        let ly = h as i32 - s.px(6.0);
        let mut lx = left;
        area.draw(&Rectangle::new(
            [(lx, ly - s.px(3.0)), (lx + s.px(10.0), ly + s.px(3.0))],
            band.mix(0.55).filled(),
        ))?;
        let t1 = s
            .tr("zone: adequate to desired", "容忍区间:最低可接受至理想")
            .to_string();
        area.draw(&Text::new(
            t1.clone(),
            (lx + s.px(13.0), ly),
            s.text(7.0, &INK, HPos::Left, VPos::Center),
        ))?;
        lx += s.px(22.0) + text_width(&area, &t1, &s.font(7.0));
        let r = s.px(3.0);
        area.draw(&Polygon::new(
            vec![(lx, ly - r), (lx + r, ly), (lx, ly + r), (lx - r, ly)],
            marker.filled(),
        ))?;
        let t2 = s
            .tr(
                "perceived (open: outside the zone)",
                "感知水平(空心:在区间外)",
            )
            .to_string();
        area.draw(&Text::new(
            t2,
            (lx + s.px(6.0), ly),
            s.text(7.0, &INK, HPos::Left, VPos::Center),
        ))?;
        Ok(())
    }
}
