//! Path diagrams of a structural model (ML) and a PLS path model: the latent variables of a structural model in columns by their place in the
//! chain (exogenous on the left), R² inside each endogenous variable, arrows labelled with the standardized
//! paths and significance marks (* p < .05, ** p < .01, *** p < .001); non-significant paths dashed-grey.

use super::path::{arrow, label_on_white, latent};
use super::*;

/// Significance marks of a p-value.
fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < crate::criteria::SIGNIFICANCE {
        "*"
    } else {
        ""
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(sem) = &r.sem else { return Ok(()) };
    let f = &sem.fit.indices;
    let title = format!(
        "{} — χ²({}) = {:.2}, CFI = {}, RMSEA = {}",
        s.tr(
            "Structural model, standardized paths",
            "结构模型(标准化路径)"
        ),
        f.df,
        f.chisq,
        crate::apa::apa(f.cfi),
        crate::apa::apa3(f.rmsea)
    );
    // A second-order factor's loadings on its first-order factors are drawn as its arrows to them.
    let loadings = sem
        .structure
        .second_order
        .iter()
        .flat_map(|(high, firsts)| {
            firsts.iter().filter_map(move |low| {
                let e = sem.loadings.get(low)?;
                Some(Arrow {
                    from: high.clone(),
                    to: low.clone(),
                    label: crate::apa::apa(e.std_all),
                    strong: !e.p.is_finite() || e.p < crate::criteria::SIGNIFICANCE,
                })
            })
        });
    let paths: Vec<Arrow> = loadings
        .chain(sem.regressions.iter().filter_map(|(k, e)| {
            k.split_once(" -> ").map(|(x, y)| Arrow {
                from: x.to_string(),
                to: y.to_string(),
                label: format!("{}{}", crate::apa::apa(e.std_all), stars(e.p)),
                strong: e.p < crate::criteria::SIGNIFICANCE,
            })
        }))
        .collect();
    let area = titled(root, s, &title)?;
    diagram(&area, r, s, &paths, &sem.r2, &sem.structure.observed)
}

/// The PLS path model: path coefficients (significance marks from the bootstrap, when it ran) and R².
pub(super) fn draw_pls<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    s: &Style,
) -> DrawResult<DB> {
    let r = input.report;
    let Some(p) = &r.pls else { return Ok(()) };
    let boot = p.bootstrap.as_ref();
    let paths: Vec<Arrow> = p
        .paths
        .iter()
        .filter_map(|(k, beta)| {
            let pvalue = boot.and_then(|b| b.paths.get(k)).map(|e| e.p);
            k.split_once(" -> ").map(|(x, y)| Arrow {
                from: x.to_string(),
                to: y.to_string(),
                label: format!("{}{}", crate::apa::apa(*beta), pvalue.map_or("", stars)),
                strong: pvalue.is_none_or(|q| q < crate::criteria::SIGNIFICANCE),
            })
        })
        .collect();
    let mut title = format!(
        "{} {}",
        p.algorithm,
        s.tr("path model, path coefficients", "路径模型(路径系数)")
    );
    if let Some(v) = p.srmr {
        title += &format!(" — SRMR = {}", crate::apa::apa3(v));
    }
    if boot.is_some() {
        title += s.tr(" (bootstrap p)", "(自助法 p 值)");
    }
    let area = titled(root, s, &title)?;
    diagram(&area, r, s, &paths, &p.r2, &[])
}

/// One arrow of a diagram.
struct Arrow {
    from: String,
    to: String,
    label: String,
    /// Drawn in ink; otherwise grey (not significant).
    strong: bool,
}

/// The variables in columns by their place in the chain, arrows labelled, R² above the endogenous ones.
fn diagram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &crate::report::Report,
    s: &Style,
    arrows: &[Arrow],
    r2_of: &indexmap::IndexMap<String, f64>,
    observed: &[String],
) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    // The variables, and each one's column: 0 for exogenous, else one more than its furthest predictor.
    let paths: Vec<(&str, &str, &Arrow)> = arrows
        .iter()
        .map(|a| (a.from.as_str(), a.to.as_str(), a))
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for (x, y, _) in &paths {
        for n in [*x, *y] {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let mut depth = vec![0usize; names.len()];
    for _ in 0..names.len() {
        for (x, y, _) in &paths {
            let (ix, iy) = (
                names.iter().position(|n| n == x).unwrap_or(0),
                names.iter().position(|n| n == y).unwrap_or(0),
            );
            depth[iy] = depth[iy].max(depth[ix] + 1);
        }
    }
    let columns = depth.iter().max().map_or(1, |d| d + 1);
    let col_w = w as i32 / columns as i32;
    // Ellipses leave room above for their R² when a column is crowded (a second-order factor's column).
    let crowded = (0..columns)
        .map(|c| depth.iter().filter(|&&d| d == c).count())
        .max()
        .unwrap_or(1)
        .max(1);
    let row_min = h as i32 / crowded as i32;
    let (rx, ry) = (
        (col_w as f64 * 0.30).min(w as f64 * 0.13) as i32,
        s.px(22.0).min((row_min as f64 * 0.30) as i32),
    );
    let mut pos = vec![(0, 0); names.len()];
    for c in 0..columns {
        let members: Vec<usize> = (0..names.len()).filter(|&i| depth[i] == c).collect();
        let row_h = h as i32 / members.len().max(1) as i32;
        for (k, &i) in members.iter().enumerate() {
            pos[i] = (col_w * c as i32 + col_w / 2, row_h * k as i32 + row_h / 2);
        }
    }
    let index = |n: &str| names.iter().position(|x| *x == n).unwrap_or(0);
    for (x, y, e) in &paths {
        let (ix, iy) = (index(x), index(y));
        let (a, b) = (pos[ix], pos[iy]);
        let color = if e.strong {
            RGBColor(0x22, 0x22, 0x22)
        } else {
            RGBColor(0xaa, 0xaa, 0xaa)
        };
        let text = e.label.clone();
        if depth[iy] == depth[ix] + 1 {
            // Neighbouring columns: a straight arrow between the ellipses.
            let from = (a.0 + rx, a.1);
            let to = (b.0 - rx, b.1);
            arrow(area, from, to, color, s)?;
            let mid = (
                (from.0 as f64 * 0.45 + to.0 as f64 * 0.55) as i32,
                (from.1 as f64 * 0.45 + to.1 as f64 * 0.55) as i32,
            );
            label_on_white(area, mid, text, s)?;
        } else {
            // A path that skips a column curves below the variables between, bottom to bottom.
            let from = (a.0, a.1 + ry);
            let to = (b.0, b.1 + ry);
            let low = (from.1.max(to.1) + s.px(34.0)).min(h as i32 - s.px(3.0));
            let curve: Vec<(i32, i32)> = (0..=40)
                .map(|k| {
                    let t = k as f64 / 40.0;
                    let q = |p0: i32, p1: i32, p2: i32| {
                        ((1.0 - t).powi(2) * p0 as f64
                            + 2.0 * (1.0 - t) * t * p1 as f64
                            + t * t * p2 as f64) as i32
                    };
                    (q(from.0, (from.0 + to.0) / 2, to.0), q(from.1, low, to.1))
                })
                .collect();
            area.draw(&PathElement::new(
                curve[..39].to_vec(),
                color.stroke_width(s.px(0.8).max(1) as u32),
            ))?;
            arrow(area, curve[38], curve[40], color, s)?;
            label_on_white(area, curve[20], text, s)?;
        }
    }
    for (i, name) in names.iter().enumerate() {
        // Observed variables of the structural part (covariates) are boxes, latent variables ellipses.
        if observed.iter().any(|o| o == name) {
            super::path::observed(area, pos[i], (rx, ry), r.construct_label(name), s)?;
        } else {
            latent(area, pos[i], (rx, ry), r.construct_label(name), s)?;
        }
        if let Some(r2) = r2_of.get(*name) {
            area.draw(&Text::new(
                format!("R² = {}", crate::apa::apa(*r2)),
                (pos[i].0, pos[i].1 - ry - s.px(2.0)),
                s.text(7.5, &INK, HPos::Center, VPos::Bottom),
            ))?;
        }
    }
    Ok(())
}
