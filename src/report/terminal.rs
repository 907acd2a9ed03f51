//! Plain-text tables for the terminal (comfy-table), rendered from a finished [`Report`].

use super::Report;
use crate::apa::{apa, p_apa, p_clause};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

/// A terminal table with the given header.
pub(super) fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(header.iter().map(Cell::new));
    t
}

/// A right-aligned cell.
pub(super) fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

fn num(x: f64, digits: usize) -> Cell {
    let s = if x.is_nan() {
        "—".to_string()
    } else {
        format!("{x:.digits$}")
    };
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// The whole report as text.
pub fn render(r: &Report) -> String {
    [
        header(r),
        reliability(r),
        factor_structure(r),
        efa(r),
        cfa(r),
        groups(r),
        super::sem_text::render(r),
        super::pls_text::render(r),
        r.kano
            .as_ref()
            .map(super::kano::terminal)
            .unwrap_or_default(),
        r.expectations
            .as_ref()
            .map(|e| super::expectations::terminal(e, &r.instrument.dimension_labels))
            .unwrap_or_default(),
        screening(r),
        footer(r),
    ]
    .concat()
}

/// Input, notes and reverse keying.
fn header(r: &Report) -> String {
    let mut out = String::new();
    let i = &r.input;
    out += &format!(
        "perval {} — {} ({})\n",
        r.perval_version, r.instrument.name, r.instrument.id
    );
    out += &format!(
        "{}: {} respondents read, {} used, {} left out (missing data: {})\n",
        i.file, i.rows_read, i.rows_used, i.rows_dropped, i.missing_policy
    );
    if i.missing_policy == crate::scoring::MissingPolicy::Fiml {
        out += "Missing data: full-information ML for the CFA and structural model; reliability and scores from pairwise-complete data; EFA and invariance on the complete rows\n";
    }
    for note in &i.notes {
        out += &format!("  note: {note}\n");
    }
    if !r.instrument.reverse_keyed.is_empty() {
        out += &format!(
            "Reverse-keyed: {} — scored {}\n",
            r.instrument.reverse_keyed.join(", "),
            r.settings.reverse_scoring
        );
    }

    out
}

/// Reliability by dimension and the item table.
fn reliability(r: &Report) -> String {
    let mut out = String::new();
    if !r.dimensions.is_empty() {
        out += "\nReliability by dimension\n";
        let mut t = table(&[
            "dimension",
            "items",
            "n",
            "M",
            "SD",
            "α",
            "α 95% CI (Feldt)",
            "ω total",
            "λ6",
            "mean r",
        ]);
        for (id, d) in &r.dimensions {
            let mut row = vec![
                Cell::new(id),
                Cell::new(d.items.len()),
                Cell::new(d.n),
                num(d.mean, 2),
                num(d.sd, 2),
            ];
            match &d.reliability {
                Some(rel) => {
                    row.push(Cell::new(apa(rel.alpha)));
                    let mut ci = format!(
                        "[{}, {}]",
                        apa(rel.alpha_ci95_feldt[0]),
                        apa(rel.alpha_ci95_feldt[1])
                    );
                    if let Some(b) = &rel.bootstrap {
                        ci += &format!(
                            "; boot [{}, {}]",
                            apa(b.alpha_ci95[0]),
                            apa(b.alpha_ci95[1])
                        );
                    }
                    row.push(Cell::new(ci));
                    row.push(Cell::new(apa(rel.omega_total)));
                    row.push(Cell::new(apa(rel.lambda6)));
                    row.push(Cell::new(apa(rel.average_r)));
                }
                None => row.extend((0..5).map(|_| Cell::new("—"))),
            }
            t.add_row(row);
        }
        out += &format!("{t}\n");

        out += "\nItems\n";
        let mut t = table(&[
            "dimension",
            "item",
            "M",
            "SD",
            "r.drop",
            "α if deleted",
            "flag",
        ]);
        for (id, d) in &r.dimensions {
            let Some(rel) = &d.reliability else { continue };
            for (item, s) in &rel.items {
                let flags: Vec<String> = r
                    .findings
                    .iter()
                    .filter_map(|f| f.item_note())
                    .filter(|(d, i, _)| d == id && i == item)
                    .map(|(_, _, note)| note)
                    .collect();
                let name = if r.instrument.reverse_keyed.contains(item) {
                    format!("{item} (R)")
                } else {
                    item.clone()
                };
                t.add_row(vec![
                    Cell::new(id),
                    Cell::new(name),
                    num(s.mean, 2),
                    num(s.sd, 2),
                    Cell::new(apa(s.r_drop)),
                    Cell::new(s.alpha_if_deleted.map(apa).unwrap_or_else(|| "—".into())),
                    Cell::new(flags.join("; ")),
                ]);
            }
        }
        out += &format!("{t}\n");
    }
    out
}

/// KMO, Bartlett, eigenvalues and the parallel analysis.
fn factor_structure(r: &Report) -> String {
    let mut out = String::new();
    if let Some(f) = &r.factorability {
        out += &format!(
            "\nFactorability: KMO = {}; Bartlett's test χ²({}) = {:.2}, p {}\n",
            apa(f.kmo),
            f.bartlett.df,
            f.bartlett.chi2,
            p_clause(f.bartlett.p)
        );
    }
    if let Some(ev) = &r.eigenvalues {
        let shown: Vec<String> = ev.iter().take(8).map(|v| format!("{v:.2}")).collect();
        out += &format!(
            "Eigenvalues: {}{}\n",
            shown.join(", "),
            if ev.len() > 8 { ", …" } else { "" }
        );
    }
    if let Some(pa) = &r.parallel_analysis {
        out += &format!(
            "Parallel analysis ({} random data sets, seed {}, {:.0}th percentile): {} suggested\n",
            pa.iterations,
            pa.seed,
            pa.percentile * 100.0,
            match pa.suggested_factors {
                1 => "1 factor".to_string(),
                k => format!("{k} factors"),
            }
        );
    }
    out
}

/// The EFA loadings, sorted as psych sorts them.
fn efa(r: &Report) -> String {
    let mut out = String::new();
    if let Some(e) = &r.efa {
        out += &format!(
            "\nEFA: {} extraction, {} rotation, {} factors (loadings < .30 blank)\n",
            e.method, e.rotation, e.n_factors
        );
        let mut header: Vec<String> = vec!["item".into()];
        header.extend((1..=e.n_factors).map(|k| format!("F{k}")));
        header.push("h²".into());
        let mut t = table(&header.iter().map(String::as_str).collect::<Vec<_>>());
        // Sorted by the factor of the largest loading, then by its size (as psych's fa.sort).
        let rows = e.sorted_items();
        for (item, l) in rows {
            let mut row = vec![Cell::new(item)];
            row.extend(l.iter().map(|v| {
                Cell::new(if v.abs() < crate::criteria::LOADING_SHOWN {
                    String::new()
                } else {
                    apa(*v)
                })
                .set_alignment(CellAlignment::Right)
            }));
            row.push(Cell::new(apa(e.communalities[item])));
            t.add_row(row);
        }
        let mut row = vec![Cell::new("SS loadings")];
        row.extend(e.ss_loadings.iter().map(|v| num(*v, 2)));
        row.push(Cell::new(""));
        t.add_row(row);
        out += &format!("{t}\n");
    }
    out
}

/// The CFA fit line, CR and AVE, discriminant validity and modification indices.
fn cfa(r: &Report) -> String {
    let mut out = String::new();
    if let Some(c) = &r.cfa {
        let f = &c.fit;
        out += &format!(
            "\nCFA ({} factors, ML, N = {}): {}, AIC = {:.1}, BIC = {:.1}\n",
            c.composite_reliability.len(),
            c.n,
            crate::apa::fit_line(f),
            f.aic,
            f.bic
        );
        if let Some(m) = &c.missing_data {
            out += &format!(
                "{}; standard errors from the observed information.\n",
                m.sentence()
            );
        }
        let mut t = table(&["dimension", "CR", "AVE", "√AVE", "min λ", "max λ"]);
        for (d, cr) in &c.composite_reliability {
            let items = &r.instrument.dimension_items[d];
            let ls: Vec<f64> = items.iter().map(|i| c.loadings_std[i]).collect();
            let min = ls.iter().copied().fold(f64::INFINITY, f64::min);
            let max = ls.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            t.add_row(vec![
                Cell::new(d),
                Cell::new(apa(*cr)),
                Cell::new(apa(c.ave[d])),
                Cell::new(apa(c.ave[d].sqrt())),
                Cell::new(apa(min)),
                Cell::new(apa(max)),
            ]);
        }
        out += &format!("{t}\n");
        out += "Discriminant validity: factor correlations below the diagonal, √AVE on it, HTMT above it (original HTMT, arithmetic means; Henseler et al. 2015)\n";
        let dims: Vec<&String> = c.composite_reliability.keys().collect();
        let mut header = vec![""];
        header.extend(dims.iter().map(|s| s.as_str()));
        let mut t = table(&header);
        for (a, da) in dims.iter().enumerate() {
            let mut row = vec![Cell::new(da)];
            for (b, db) in dims.iter().enumerate() {
                let v = if a == b {
                    c.ave[*da].sqrt()
                } else if b < a {
                    c.factor_correlations[*db]
                        .get(*da)
                        .copied()
                        .unwrap_or(f64::NAN)
                } else {
                    c.htmt[*da].get(*db).copied().unwrap_or(f64::NAN)
                };
                row.push(Cell::new(apa(v)).set_alignment(CellAlignment::Right));
            }
            t.add_row(row);
        }
        out += &format!("{t}\n");
        if let Some(so) = &c.second_order_loadings_std {
            let shown: Vec<String> = so.iter().map(|(d, l)| format!("{d} {}", apa(*l))).collect();
            out += &format!(
                "Second-order factor: standardized loadings {}\n",
                shown.join(", ")
            );
        }
        if !c.modification_indices.is_empty() {
            out += "Largest modification indices (expected drop in χ² if freed; EPC = expected change)\n";
            let mut t = table(&["parameter", "MI", "EPC"]);
            for mi in &c.modification_indices {
                t.add_row(vec![
                    Cell::new(format!("{} {} {}", mi.lhs, mi.op, mi.rhs)),
                    num(mi.mi, 2),
                    num(mi.epc, 3),
                ]);
            }
            out += &format!("{t}\n");
        }
    }
    out
}

/// The group comparison, reliability within groups and measurement invariance.
fn groups(r: &Report) -> String {
    let mut out = String::new();
    if let Some(g) = &r.groups {
        out += &format!(
            "\nGroups by '{}' (Tukey HSD: pairs marked * differ at p < .05)\n",
            g.by
        );
        let mut t = table(&[
            "dimension",
            "group means, highest first (M, SD, n)",
            "F / Welch F",
            "p (Welch)",
            "η²",
            "Kruskal H",
            "differing pairs",
        ]);
        for (d, gd) in &g.dimensions {
            let mut ranked: Vec<(&String, &super::GroupStatsBlock)> = gd.groups.iter().collect();
            ranked.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean));
            let means = ranked
                .iter()
                .map(|(n, s)| format!("{n} {:.2} ({:.2}, {})", s.mean, s.sd, s.n))
                .collect::<Vec<_>>()
                .join("\n");
            let pairs = gd
                .tukey
                .iter()
                .filter(|p| p.p_adj < crate::criteria::SIGNIFICANCE)
                .map(|p| format!("{} vs {}* ({:+.2})", p.b, p.a, p.diff))
                .collect::<Vec<_>>()
                .join("\n");
            t.add_row(vec![
                Cell::new(d),
                Cell::new(means),
                Cell::new(format!("{:.2} / {:.2}", gd.anova.f, gd.welch.f)),
                Cell::new(format!("{} ({})", p_apa(gd.anova.p), p_apa(gd.welch.p))),
                Cell::new(apa(gd.anova.eta2)),
                Cell::new(format!("{:.2}, p {}", gd.kruskal.h, p_clause(gd.kruskal.p))),
                Cell::new(if pairs.is_empty() {
                    "none".to_string()
                } else {
                    pairs
                }),
            ]);
        }
        out += &format!("{t}\n");
        if !g.reliability.is_empty() {
            out += &format!("Reliability within each {} (α / ω)\n", g.by);
            let dims: Vec<&String> = g.dimensions.keys().collect();
            let mut header = vec![g.by.as_str(), "n"];
            header.extend(dims.iter().map(|d| d.as_str()));
            let mut t = table(&header);
            for (group, per) in &g.reliability {
                let n = per.values().next().map(|r| r.n).unwrap_or(0);
                let mut row = vec![Cell::new(group), Cell::new(n)];
                row.extend(dims.iter().map(|d| {
                    Cell::new(
                        per.get(*d)
                            .map(|r| format!("{} / {}", apa(r.alpha), apa(r.omega_total)))
                            .unwrap_or_else(|| "—".into()),
                    )
                }));
                t.add_row(row);
            }
            out += &format!("{t}\n");
        }
        if let Some(inv) = &g.invariance {
            out += &format!(
                "Measurement invariance across {} (multi-group CFA, ML)\n",
                g.by
            );
            let mut t = table(&[
                "model",
                "χ²",
                "df",
                "CFI",
                "RMSEA",
                "Δχ² (Δdf), p",
                "ΔCFI",
                "ΔRMSEA",
            ]);
            for (name, l) in &inv.levels {
                let delta = match (l.delta_chisq, l.delta_df, l.delta_p) {
                    (Some(c), Some(d), Some(p)) => format!("{c:.2} ({d}), p {}", p_clause(p)),
                    _ => String::new(),
                };
                t.add_row(vec![
                    Cell::new(name),
                    num(l.chisq, 2),
                    Cell::new(l.df),
                    Cell::new(format!("{:.3}", l.cfi)),
                    Cell::new(format!("{:.3}", l.rmsea)),
                    Cell::new(delta),
                    Cell::new(l.delta_cfi.map(|v| format!("{v:+.3}")).unwrap_or_default()),
                    Cell::new(
                        l.delta_rmsea
                            .map(|v| format!("{v:+.3}"))
                            .unwrap_or_default(),
                    ),
                ]);
            }
            out += &format!("{t}\nVerdict: {}\n", inv.verdict);
        }
    }
    out
}

/// Careless-response screening.
fn screening(r: &Report) -> String {
    let mut out = String::new();
    if let Some(sc) = &r.screening {
        out += &format!(
            "\nCareless-response screening: {} of {} respondents flagged{} (longstring {}, IRV {}, Mahalanobis {}, speed {})\n",
            sc.flagged,
            sc.screened,
            if sc.excluded { " and excluded" } else { ", kept" },
            sc.counts.longstring,
            sc.counts.irv,
            sc.counts.mahalanobis,
            sc.counts.speed
        );
        out += &format!("Rules: {}\n", sc.rules.join("; "));
        for f in sc.respondents.iter().take(15) {
            out += &format!(
                "  row {}{}: {}\n",
                f.row,
                f.id.as_deref()
                    .map(|i| format!(" (id {i})"))
                    .unwrap_or_default(),
                f.reasons.join("; ")
            );
        }
        if sc.respondents.len() > 15 {
            out += &format!(
                "  … {} more in the JSON (screening.respondents)\n",
                sc.respondents.len() - 15
            );
        }
    }
    out
}

/// Settings and warnings.
fn footer(r: &Report) -> String {
    let mut out = String::new();
    // Only the settings of the sections that ran.
    let s = &r.settings;
    let mut settings = vec![format!("missing data {}", s.missing_policy)];
    if r.factorability.is_some() || r.cfa.is_some() {
        settings.push(format!("factor analyses on {}", s.factor_rows));
        settings.push(format!("correlations {}", s.correlation));
    }
    if r.efa.is_some() {
        settings.push(format!("EFA {} + {}", s.efa_method, s.efa_rotation));
    }
    if r.cfa.is_some() {
        settings.push(format!("CFA {}", s.cfa_estimator));
    }
    out += &format!("\nSettings: {}.\n", settings.join("; "));
    if !r.warnings.is_empty() {
        out += "\nWarnings\n";
        for w in &r.warnings {
            out += &format!("  ! {w}\n");
        }
    }
    out
}
