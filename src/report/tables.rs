//! APA-style tables built from a [`Report`], as plain data: each renders to CSV, LaTeX (booktabs), Markdown and
//! HTML. Bounded statistics have no leading zero (α = .87), p-values below .001 read "< .001".

use super::Report;
use crate::apa::{apa, apa3, f2, p_apa};

/// One numbered table.
#[derive(Debug, Clone)]
pub struct Table {
    /// File stem in tables/.
    pub id: &'static str,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
}

/// All tables that apply, numbered in order.
pub fn tables(r: &Report) -> Vec<Table> {
    let mut out = Vec::new();
    if !r.dimensions.is_empty() {
        out.extend([descriptives(r), items(r)]);
    }
    out.extend(efa(r));
    out.extend(cfa_fit(r));
    out.extend(validity(r));
    out.extend(groups(r));
    out.extend(super::sem_tables::tables(r));
    out.extend(super::pls_tables::tables(r));
    if let Some(k) = &r.kano {
        out.extend(super::kano::tables(k));
    }
    if let Some(e) = &r.expectations {
        out.extend(super::expectations::tables(
            e,
            &r.instrument.dimension_labels,
        ));
    }
    out
}

fn descriptives(r: &Report) -> Table {
    let cfa = r.cfa.as_ref();
    let rows = r
        .dimensions
        .iter()
        .map(|(id, d)| {
            let rel = d.reliability.as_ref();
            vec![
                d.label.clone(),
                d.items.len().to_string(),
                f2(d.mean),
                f2(d.sd),
                rel.map(|x| {
                    format!(
                        "{} [{}, {}]",
                        apa(x.alpha),
                        apa(x.alpha_ci95_feldt[0]),
                        apa(x.alpha_ci95_feldt[1])
                    )
                })
                .unwrap_or("—".into()),
                rel.map(|x| apa(x.omega_total)).unwrap_or("—".into()),
                cfa.and_then(|c| c.composite_reliability.get(id))
                    .map(|v| apa(*v))
                    .unwrap_or("—".into()),
                cfa.and_then(|c| c.ave.get(id))
                    .map(|v| apa(*v))
                    .unwrap_or("—".into()),
            ]
        })
        .collect();
    Table {
        id: "table1_descriptives",
        title: "Descriptive statistics, reliability and convergent validity of the perceived-value dimensions".into(),
        header: ["Dimension", "k", "M", "SD", "α [95% CI]", "ω", "CR", "AVE"].iter().map(|s| s.to_string()).collect(),
        rows,
        note: format!(
            "N = {}. α = Cronbach's alpha with Feldt's 95% confidence interval; ω = McDonald's omega total (one-factor minres); CR = composite reliability and AVE = average variance extracted from the standardized CFA loadings. Missing data: {}.",
            r.input.rows_used, r.input.missing_policy
        ),
    }
}

fn items(r: &Report) -> Table {
    let mut rows = Vec::new();
    for (id, d) in &r.dimensions {
        let Some(rel) = &d.reliability else { continue };
        for (item, s) in &rel.items {
            let text = r
                .instrument
                .item_texts
                .get(item)
                .cloned()
                .unwrap_or_default();
            let mark = if r.instrument.reverse_keyed.contains(item) {
                " (R)"
            } else {
                ""
            };
            rows.push(vec![
                id.clone(),
                format!("{item}{mark}"),
                text,
                f2(s.mean),
                f2(s.sd),
                apa(s.r_drop),
                s.alpha_if_deleted.map(apa).unwrap_or("—".into()),
            ]);
        }
    }
    Table {
        id: "table2_items",
        title: "Item statistics".into(),
        header: ["Dimension", "Item", "Text", "M", "SD", "r.drop", "α if deleted"].iter().map(|s| s.to_string()).collect(),
        rows,
        note: "r.drop = corrected item–total correlation. (R) = reverse-keyed, scored (min + max) − x; means are of the scored answers.".into(),
    }
}

fn efa(r: &Report) -> Option<Table> {
    let e = r.efa.as_ref()?;
    let items = e.sorted_items();
    let mut rows: Vec<Vec<String>> = items
        .iter()
        .map(|(item, l)| {
            let mut row = vec![(*item).clone()];
            row.extend(l.iter().map(|v| {
                if v.abs() < crate::criteria::LOADING_SHOWN {
                    String::new()
                } else {
                    apa(*v)
                }
            }));
            row.push(apa(e.communalities[*item]));
            row
        })
        .collect();
    let mut ss = vec!["SS loadings".to_string()];
    ss.extend(e.ss_loadings.iter().map(|v| f2(*v)));
    ss.push(String::new());
    let mut prop = vec!["Proportion of variance".to_string()];
    prop.extend(e.proportion_var.iter().map(|v| apa(*v)));
    prop.push(String::new());
    rows.push(ss);
    rows.push(prop);
    let mut header = vec!["Item".to_string()];
    header.extend((1..=e.n_factors).map(|k| format!("F{k}")));
    header.push("h²".into());
    let pa = r
        .parallel_analysis
        .as_ref()
        .map(|p| {
            format!(
                " Parallel analysis ({} random data sets, seed {}) suggested {} {}.",
                p.iterations,
                p.seed,
                p.suggested_factors,
                if p.suggested_factors == 1 {
                    "factor"
                } else {
                    "factors"
                }
            )
        })
        .unwrap_or_default();
    let fc = if e.n_factors > 1 && e.rotation.is_oblique() {
        let cors: Vec<String> = (0..e.n_factors)
            .flat_map(|a| (a + 1..e.n_factors).map(move |b| (a, b)))
            .map(|(a, b)| {
                format!(
                    "F{}–F{} = {}",
                    a + 1,
                    b + 1,
                    apa(e.factor_correlations[a][b])
                )
            })
            .collect();
        format!(" Factor correlations: {}.", cors.join(", "))
    } else {
        String::new()
    };
    Some(Table {
        id: "table3_efa",
        title: format!(
            "Exploratory factor analysis ({} extraction, {} rotation)",
            e.method, e.rotation
        ),
        header,
        rows,
        note: format!(
            "Pattern loadings below .30 are omitted. h² = communality.{}{} Correlations: {}.",
            fc,
            pa,
            r.settings
                .correlation
                .split(" (")
                .next()
                .unwrap_or("pearson")
        ),
    })
}

fn cfa_fit(r: &Report) -> Option<Table> {
    let c = r.cfa.as_ref()?;
    let f = &c.fit;
    let mut rows = vec![vec![
        format!("{} ({})", c.composite_reliability.len(), c.model),
        f2(f.chisq),
        f.df.to_string(),
        p_apa(f.pvalue),
        apa(f.cfi),
        apa(f.tli),
        format!(
            "{} [{}, {}]",
            apa3(f.rmsea),
            apa3(f.rmsea_ci90[0]),
            apa3(f.rmsea_ci90[1])
        ),
        apa3(f.srmr),
        format!("{:.1}", f.aic),
        format!("{:.1}", f.bic),
    ]];
    if let Some(inv) = r.groups.as_ref().and_then(|g| g.invariance.as_ref()) {
        for (name, l) in &inv.levels {
            rows.push(vec![
                format!("{name} invariance"),
                f2(l.chisq),
                l.df.to_string(),
                p_apa(l.pvalue),
                apa(l.cfi),
                apa(l.tli),
                apa3(l.rmsea),
                "—".into(),
                "—".into(),
                "—".into(),
            ]);
        }
    }
    Some(Table {
        id: "table4_cfa_fit",
        title: "Confirmatory factor analysis: model fit".into(),
        header: ["Model", "χ²", "df", "p", "CFI", "TLI", "RMSEA [90% CI]", "SRMR", "AIC", "BIC"].iter().map(|s| s.to_string()).collect(),
        rows,
        note: format!(
            "N = {}. Maximum likelihood (normal likelihood, as lavaan's default), first loading of each factor fixed to 1. Hu and Bentler (1999) suggest CFI ≥ .95, RMSEA ≤ .06 and SRMR ≤ .08.{}",
            c.n,
            if r.groups.as_ref().and_then(|g| g.invariance.as_ref()).is_some() { " Invariance models: multi-group CFA across groups; RMSEA × √G as lavaan." } else { "" }
        ),
    })
}

fn validity(r: &Report) -> Option<Table> {
    let c = r.cfa.as_ref()?;
    let dims: Vec<&String> = c.composite_reliability.keys().collect();
    let rows = dims
        .iter()
        .enumerate()
        .map(|(a, da)| {
            let mut row = vec![r
                .dimensions
                .get(*da)
                .map(|d| d.label.clone())
                .unwrap_or((*da).clone())];
            for (b, db) in dims.iter().enumerate() {
                let v = if a == b {
                    format!("({})", apa(c.ave[*da].sqrt()))
                } else if b < a {
                    c.factor_correlations
                        .get(*db)
                        .and_then(|m| m.get(*da))
                        .map(|v| apa(*v))
                        .unwrap_or_default()
                } else {
                    c.htmt
                        .get(*da)
                        .and_then(|m| m.get(*db))
                        .map(|v| apa(*v))
                        .unwrap_or_default()
                };
                row.push(v);
            }
            row
        })
        .collect();
    let mut header = vec!["Dimension".to_string()];
    header.extend((1..=dims.len()).map(|k| k.to_string()));
    Some(Table {
        id: "table5_validity",
        title: "Discriminant validity: Fornell–Larcker criterion and HTMT".into(),
        header,
        rows,
        note: "Diagonal (in parentheses): square root of the AVE. Below the diagonal: CFA factor correlations (Fornell & Larcker, 1981: each should be smaller than both square roots). Above the diagonal: heterotrait–monotrait ratios, original definition with arithmetic means (Henseler, Ringle & Sarstedt, 2015; values below .85 support discriminant validity). Columns follow the row order.".into(),
    })
}

fn groups(r: &Report) -> Option<Table> {
    let g = r.groups.as_ref()?;
    let names: Vec<String> = g
        .dimensions
        .values()
        .next()?
        .groups
        .keys()
        .cloned()
        .collect();
    let rows = g
        .dimensions
        .iter()
        .map(|(d, gd)| {
            let mut row = vec![r.dimension_label(d).to_string()];
            for n in &names {
                let s = &gd.groups[n];
                let letters = gd.letters.get(n).map(String::as_str).unwrap_or("");
                row.push(format!(
                    "{} ({}){}",
                    f2(s.mean),
                    f2(s.sd),
                    if letters.is_empty() {
                        String::new()
                    } else {
                        format!(" {letters}")
                    }
                ));
            }
            row.push(format!("{} / {}", f2(gd.anova.f), f2(gd.welch.f)));
            row.push(format!("{} / {}", p_apa(gd.anova.p), p_apa(gd.welch.p)));
            row.push(apa(gd.anova.eta2));
            row
        })
        .collect();
    let mut header = vec!["Dimension".to_string()];
    header.extend(names.iter().map(|n| format!("{n} M (SD)")));
    header.extend([
        "F / Welch F".to_string(),
        "p / Welch p".to_string(),
        "η²".to_string(),
    ]);
    let counts: Vec<String> = names
        .iter()
        .map(|n| {
            format!(
                "{n}: n = {}",
                g.dimensions
                    .values()
                    .next()
                    .map(|d| d.groups[n].n)
                    .unwrap_or(0)
            )
        })
        .collect();
    Some(Table {
        id: "table6_groups",
        title: format!("Perceived value by {}", g.noun()),
        header,
        rows,
        note: format!(
            "{}. F: one-way ANOVA; Welch F: Welch's ANOVA for unequal variances. Means sharing a letter do not differ (Tukey HSD, p ≥ .05).",
            counts.join("; ")
        ),
    })
}

impl Table {
    pub fn to_csv(&self) -> String {
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| crate::output::csv_field(c))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut out = line(&self.header) + "\n";
        for r in &self.rows {
            out += &(line(r) + "\n");
        }
        out
    }

    pub fn to_latex(&self, number: usize) -> String {
        let esc = |s: &str| latex_escape(s);
        let cols = "l".to_string() + &"r".repeat(self.header.len().saturating_sub(1));
        let mut out = format!("% Table {number}: requires \\usepackage{{booktabs}}\n\\begin{{table}}[htbp]\n\\centering\n\\caption{{{}}}\n\\label{{tab:{}}}\n\\begin{{tabular}}{{{cols}}}\n\\toprule\n", esc(&self.title), self.id);
        out += &(self
            .header
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" & ")
            + " \\\\\n\\midrule\n");
        for r in &self.rows {
            out += &(r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" & ") + " \\\\\n");
        }
        out += &format!("\\bottomrule\n\\end{{tabular}}\n\\par\\smallskip\\footnotesize\\textit{{Note.}} {}\n\\end{{table}}\n", esc(&self.note));
        out
    }

    pub fn to_markdown(&self, number: usize) -> String {
        let cell = |s: &str| md_escape(s);
        let mut out = format!("**Table {number}**  \n*{}*\n\n", md_escape(&self.title));
        out += &format!(
            "| {} |\n",
            self.header
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        out += &format!(
            "|{}|\n",
            self.header
                .iter()
                .enumerate()
                .map(|(i, _)| if i == 0 { ":--" } else { "--:" })
                .collect::<Vec<_>>()
                .join("|")
        );
        for r in &self.rows {
            out += &format!(
                "| {} |\n",
                r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
        out += &format!("\n*Note.* {}\n", md_escape(&self.note));
        out
    }

    pub fn to_html(&self, number: usize) -> String {
        let esc = html_escape;
        let mut out = format!("<figure class=\"table\"><figcaption><b>Table {number}</b><br><i>{}</i></figcaption><table>\n<thead><tr>", esc(&self.title));
        for h in &self.header {
            let left = matches!(h.as_str(), "Text" | "Item" | "Dimension" | "Model");
            out += &format!(
                "<th{}>{}</th>",
                if left { " class=\"l\"" } else { "" },
                esc(h)
            );
        }
        out += "</tr></thead>\n<tbody>\n";
        // Text columns are left-aligned, numbers right-aligned.
        let text_col: Vec<bool> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, h)| i == 0 || matches!(h.as_str(), "Text" | "Item" | "Dimension" | "Model"))
            .collect();
        for r in &self.rows {
            out += "<tr>";
            for (i, c) in r.iter().enumerate() {
                out += &format!(
                    "<td{}>{}</td>",
                    if text_col.get(i).copied().unwrap_or(false) {
                        " class=\"l\""
                    } else if c.starts_with('[') || c.starts_with("< ") || c.contains(" [") {
                        // An interval or "< .001" is read as one piece: never broken over two lines.
                        " class=\"nw\""
                    } else {
                        ""
                    },
                    esc(c)
                );
            }
            out += "</tr>\n";
        }
        out += &format!(
            "</tbody></table><p class=\"note\"><i>Note.</i> {}</p></figure>\n",
            esc(&self.note)
        );
        out
    }
}

/// Escape text for HTML.
/// Text for LaTeX: the special characters escaped, and the symbols perval writes (α ω η χ λ β Δ ≤ ≥ × − ² √ →
/// …) as math or text commands, so that every table compiles with pdflatex (Latin text in UTF-8 is LaTeX's
/// default input encoding; Chinese text needs xelatex with ctex).
pub fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out += "\\textbackslash{}",
            '{' => out += "\\{",
            '}' => out += "\\}",
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out += "\\^{}",
            '~' => out += "\\~{}",
            '<' => out += "\\textless{}",
            '>' => out += "\\textgreater{}",
            'α' => out += "$\\alpha$",
            'β' => out += "$\\beta$",
            'ω' => out += "$\\omega$",
            'η' => out += "$\\eta$",
            'χ' => out += "$\\chi$",
            'λ' => out += "$\\lambda$",
            'Δ' => out += "$\\Delta$",
            '≤' => out += "$\\leq$",
            '≥' => out += "$\\geq$",
            '×' => out += "$\\times$",
            '±' => out += "$\\pm$",
            '−' => out += "$-$",
            '–' => out += "--",
            '—' => out += "---",
            '²' => out += "$^2$",
            '√' => out += "$\\surd$",
            '→' => out += "$\\rightarrow$",
            '…' => out += "\\ldots{}",
            '’' => out.push('\''),
            '“' => out += "``",
            '”' => out += "''",
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown: what could start an HTML tag (`<` before a letter, `/`, `!` or `?`) or an entity (`&`
/// before a letter or `#`) is written as an entity, so HTML in the data is shown, not run, while "p < .001"
/// stays as it reads; `|` cannot end a table cell and a line break cannot break a table row.
pub fn md_escape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, &c) in chars.iter().enumerate() {
        let next = chars.get(k + 1).copied().unwrap_or(' ');
        match c {
            '<' if next.is_alphabetic() || matches!(next, '/' | '!' | '?') => out += "&lt;",
            '&' if next.is_alphabetic() || next == '#' => out += "&amp;",
            '|' => out += "\\|",
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apa_numbers() {
        assert_eq!(p_apa(0.0004), "< .001");
        assert_eq!(p_apa(0.0134), ".013");
        assert_eq!(apa3(0.0193), ".019");
    }
}
