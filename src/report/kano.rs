//! The Kano results on the terminal: the classification table, Better/Worse with intervals, DuMouchel's means
//! and the importance, then (with `--by`) each group's classes and the χ² tests.

use super::terminal::{right, table};
use crate::analysis::kano::result::{AttributeResult, KanoBlock};
use crate::apa::{apa, p_apa};
use crate::stats::kano::Class;

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("—".into(), |v| format!("{v:.digits$}"))
}

fn interval(x: Option<[f64; 2]>) -> String {
    x.map_or("—".into(), |[lo, hi]| format!("[{lo:.2}, {hi:.2}]"))
}

/// "A" or, when the two rules disagree, "A / I" (mode / grouped rule).
pub fn category_cell(r: &AttributeResult) -> String {
    match (r.category, r.category_grouped) {
        (Some(c), Some(g)) if c != g => format!("{} / {}", c.letter(), g.letter()),
        (Some(c), _) => c.letter().to_string(),
        _ => "—".into(),
    }
}

pub fn terminal(k: &KanoBlock) -> String {
    let mut out = format!(
        "\nKano classification ({} evaluation table; category = the mode, ties M > O > A > I > R > Q; \"A / I\" = mode / (A+O+M) vs (I+R+Q) rule)\n",
        k.table
    );
    let mut t = table(&[
        "attribute",
        "n",
        "A",
        "O",
        "M",
        "I",
        "R",
        "Q",
        "category",
        "CS",
        "TS",
        "Fong a−b vs crit",
    ]);
    for r in k.attributes.values() {
        let mut row = vec![r.label.clone(), r.n.to_string()];
        row.extend(Class::ALL.iter().map(|&c| r.counts.get(c).to_string()));
        row.push(category_cell(r));
        row.push(opt(r.category_strength, 2));
        row.push(opt(r.total_strength, 2));
        row.push(format!(
            "{} vs {}{}",
            r.fong.a - r.fong.b,
            opt(r.fong.critical, 1),
            if r.fong.significant { " *" } else { "" }
        ));
        t.add_row(row.into_iter().enumerate().map(|(j, s)| {
            if j == 0 || j == 8 {
                comfy_table::Cell::new(s)
            } else {
                right(s)
            }
        }));
    }
    out += &format!("{t}\n");
    out += "CS = category strength (Lee & Newcomb 1997), TS = total strength; * Fong (1996): the top two classes differ\n";

    out += "\nBetter and Worse (Berger et al. 1993; 95% Wilson score intervals), DuMouchel's means (functional 4 … −2, dysfunctional −2 … 4)\n";
    let mut t = table(&[
        "attribute",
        "Better",
        "95% CI",
        "Worse",
        "95% CI",
        "functional M (SD)",
        "dysfunctional M (SD)",
        "importance M (SD)",
    ]);
    for r in k.attributes.values() {
        t.add_row([
            comfy_table::Cell::new(&r.label),
            right(opt(r.better, 2)),
            right(interval(r.better_ci95)),
            right(opt(r.worse, 2)),
            right(interval(r.worse_ci95)),
            right(format!(
                "{} ({})",
                opt(r.functional_mean, 2),
                opt(r.functional_sd, 2)
            )),
            right(format!(
                "{} ({})",
                opt(r.dysfunctional_mean, 2),
                opt(r.dysfunctional_sd, 2)
            )),
            right(match r.importance {
                Some(m) => format!("{m:.2} ({})", opt(r.importance_sd, 2)),
                None => "—".into(),
            }),
        ]);
    }
    out += &format!("{t}\n");

    if let Some(g) = &k.groups {
        out += &format!(
            "\nBy '{}' ({}; {} respondents without a group value are in the totals only)\n",
            g.by,
            g.n.iter()
                .map(|(name, n)| format!("{name} n = {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            g.no_group
        );
        let mut header: Vec<String> = vec!["attribute".into()];
        header.extend(
            g.groups
                .keys()
                .map(|name| format!("{name}: class, Better, Worse")),
        );
        header.push("χ² (df), p, V".into());
        let refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = table(&refs);
        for (id, all) in &k.attributes {
            let mut row = vec![comfy_table::Cell::new(&all.label)];
            for per in g.groups.values() {
                let r = &per[id];
                row.push(right(format!(
                    "{}, {}, {}",
                    category_cell(r),
                    opt(r.better, 2),
                    opt(r.worse, 2)
                )));
            }
            row.push(right(match g.tests.get(id).and_then(|t| t.as_ref()) {
                Some(t) => format!(
                    "{:.2} ({}), {}{}, {}",
                    t.chisq,
                    t.df,
                    p_apa(t.p),
                    t.p_monte_carlo
                        .map(|p| format!(" (MC {})", p_apa(p)))
                        .unwrap_or_default(),
                    apa(t.cramers_v)
                ),
                None => "—".into(),
            }));
            t.add_row(row);
        }
        out += &format!("{t}\n");
        out += "χ²: Pearson, no continuity correction, groups × (A, O, M, I) with empty classes left out; V = Cramér's V; MC = Monte Carlo p (2,000 tables) where an expected count is below 5\n";
    }
    out
}

fn apa_opt(x: Option<f64>) -> String {
    x.map_or("—".into(), apa)
}

fn apa_interval(x: Option<[f64; 2]>) -> String {
    x.map_or("—".into(), |[lo, hi]| {
        format!("[{}, {}]", apa(lo), apa(hi))
    })
}

/// The APA tables: classification, Better/Worse and DuMouchel, and (with groups) the groups compared.
pub fn tables(k: &KanoBlock) -> Vec<super::tables::Table> {
    use super::tables::Table;
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for r in k.attributes.values() {
        let mut row = vec![r.label.clone(), r.n.to_string()];
        row.extend(Class::ALL.iter().map(|&c| r.counts.get(c).to_string()));
        row.push(category_cell(r));
        row.push(apa_opt(r.category_strength));
        row.push(apa_opt(r.total_strength));
        row.push(format!(
            "{}{}",
            r.fong.a - r.fong.b,
            if r.fong.significant { "*" } else { "" }
        ));
        rows.push(row);
    }
    out.push(Table {
        id: "table_kano_classification",
        title: format!("Kano classification of the attributes ({} evaluation table)", k.table),
        header: ["Attribute", "n", "A", "O", "M", "I", "R", "Q", "Category", "CS", "TS", "Fong a − b"].map(String::from).to_vec(),
        rows,
        note: "A = attractive, O = one-dimensional, M = must-be, I = indifferent, R = reverse, Q = questionable (Berger et al., 1993). Category: the most frequent class (ties M > O > A > I > R > Q); \"A / I\": the mode / the (A+O+M) vs (I+R+Q) rule when they differ. CS = category strength (Lee & Newcomb, 1997); TS = total strength. * The two most frequent classes differ (Fong, 1996).".into(),
    });
    let rows = k
        .attributes
        .values()
        .map(|r| {
            vec![
                r.label.clone(),
                apa_opt(r.better),
                apa_interval(r.better_ci95),
                apa_opt(r.worse),
                apa_interval(r.worse_ci95),
                format!(
                    "{} ({})",
                    opt(r.functional_mean, 2),
                    opt(r.functional_sd, 2)
                ),
                format!(
                    "{} ({})",
                    opt(r.dysfunctional_mean, 2),
                    opt(r.dysfunctional_sd, 2)
                ),
                r.importance.map_or("—".into(), |m| {
                    format!("{m:.2} ({})", opt(r.importance_sd, 2))
                }),
            ]
        })
        .collect();
    out.push(Table {
        id: "table_kano_better_worse",
        title: "Satisfaction (Better) and dissatisfaction (Worse) coefficients, continuous scores and importance".into(),
        header: ["Attribute", "Better", "95% CI", "Worse", "95% CI", "Functional M (SD)", "Dysfunctional M (SD)", "Importance M (SD)"].map(String::from).to_vec(),
        rows,
        note: "Better = (A + O)/(A + O + M + I); Worse = −(O + M)/(A + O + M + I) (Berger et al., 1993); 95% Wilson score intervals. Functional and dysfunctional scores after DuMouchel (Berger et al., 1993): like 4, must-be 2, neutral 0, live with −1, dislike −2 (dysfunctional −2, −1, 0, 2, 4).".into(),
    });
    if let Some(g) = &k.groups {
        let mut header = vec!["Attribute".to_string()];
        header.extend(
            g.groups
                .keys()
                .map(|name| format!("{name} (n = {})", g.n.get(name).copied().unwrap_or(0))),
        );
        header.extend(["χ²", "df", "p", "V"].map(String::from));
        let rows = k
            .attributes
            .iter()
            .map(|(id, all)| {
                let mut row = vec![all.label.clone()];
                for per in g.groups.values() {
                    let r = &per[id];
                    row.push(format!(
                        "{} ({}, {})",
                        category_cell(r),
                        apa_opt(r.better),
                        apa_opt(r.worse)
                    ));
                }
                match g.tests.get(id).and_then(|t| t.as_ref()) {
                    Some(t) => row.extend([
                        format!("{:.2}", t.chisq),
                        t.df.to_string(),
                        p_apa(t.p_monte_carlo.unwrap_or(t.p))
                            + if t.p_monte_carlo.is_some() { "ᵃ" } else { "" },
                        apa(t.cramers_v),
                    ]),
                    None => row.extend(["—", "—", "—", "—"].map(String::from)),
                }
                row
            })
            .collect();
        out.push(Table {
            id: "table_kano_groups",
            title: format!("Kano classes by {}", g.label.as_deref().unwrap_or(&g.by)),
            header,
            rows,
            note: "Cells: category (Better, Worse). χ²: Pearson's test without continuity correction of the groups × (A, O, M, I) table, classes empty in every group left out; V = Cramér's V. ᵃ Monte Carlo p (2,000 tables with the observed margins), an expected count being below 5.".into(),
        });
    }
    out
}

/// The results paragraph: how many attributes fell in each class, the strongest satisfier and dissatisfier,
/// where the rules disagree and where the groups differ.
pub fn prose(k: &KanoBlock, zh: bool) -> String {
    let mut by_class: Vec<(Class, Vec<&str>)> = Vec::new();
    for r in k.attributes.values() {
        if let Some(c) = r.category {
            match by_class.iter_mut().find(|(k, _)| *k == c) {
                Some((_, v)) => v.push(&r.label),
                None => by_class.push((c, vec![&r.label])),
            }
        }
    }
    by_class.sort_by_key(|(c, _)| Class::TIE_ORDER.iter().position(|x| x == c));
    let n = k.attributes.len();
    let worst = k
        .attributes
        .values()
        .filter(|r| r.worse.is_some())
        .min_by(|a, b| {
            a.worse
                .partial_cmp(&b.worse)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    let best = k
        .attributes
        .values()
        .filter(|r| r.better.is_some())
        .max_by(|a, b| {
            a.better
                .partial_cmp(&b.better)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    let mut out = String::new();
    if zh {
        let parts: Vec<String> = by_class
            .iter()
            .map(|(c, v)| format!("{} 项为{}({})", v.len(), c.name(true), v.join("、")))
            .collect();
        out += &format!(
            "按 Kano 评价表({})的众数归类,{n} 项属性中{}。",
            k.table,
            parts.join(";")
        );
        if let Some(w) = worst {
            out += &format!(
                "“{}”是最强的不满因素,Worse = {} {};",
                w.label,
                apa_opt(w.worse),
                apa_interval(w.worse_ci95)
            );
        }
        if let Some(b) = best {
            out += &format!(
                "“{}”最能提升满意度,Better = {} {}(95% Wilson 区间)。",
                b.label,
                apa_opt(b.better),
                apa_interval(b.better_ci95)
            );
        }
    } else {
        let parts: Vec<String> = by_class
            .iter()
            .map(|(c, v)| format!("{} {} ({})", v.len(), c.name(false), v.join(", ")))
            .collect();
        out += &format!(
            "By the most frequent class ({} evaluation table; Berger et al., 1993), of {n} attributes {}.",
            k.table,
            parts.join("; ")
        );
        if let Some(w) = worst {
            out += &format!(
                " {} was the strongest dissatisfier, Worse = {}, 95% CI {}",
                w.label,
                apa_opt(w.worse),
                apa_interval(w.worse_ci95)
            );
        }
        if let Some(b) = best {
            out += &format!(
                "; {} the strongest satisfier, Better = {}, 95% CI {} (Wilson score intervals).",
                b.label,
                apa_opt(b.better),
                apa_interval(b.better_ci95)
            );
        }
    }
    out += &by_dimension(k, zh);
    let disagree: Vec<String> = k
        .attributes
        .values()
        .filter(|r| r.rules_disagree())
        .map(|r| format!("{} ({})", r.label, category_cell(r)))
        .collect();
    if !disagree.is_empty() {
        out += &if zh {
            format!(
                "众数与 (A+O+M)/(I+R+Q) 比较法结论不同的属性:{}。",
                disagree.join("、")
            )
        } else {
            format!(
                " The mode and the (A+O+M) vs (I+R+Q) rule disagree for {} (mode / rule).",
                disagree.join(", ")
            )
        };
    }
    if let Some(g) = &k.groups {
        let differing: Vec<String> = k
            .attributes
            .iter()
            .filter_map(|(id, r)| {
                let t = g.tests.get(id)?.as_ref()?;
                let p = t.p_monte_carlo.unwrap_or(t.p);
                (p < crate::criteria::SIGNIFICANCE).then(|| {
                    format!(
                        "{} (χ²({}) = {:.2}, p {}, V = {})",
                        r.label,
                        t.df,
                        t.chisq,
                        crate::apa::p_clause(p),
                        apa(t.cramers_v)
                    )
                })
            })
            .collect();
        let noun = g.label.as_deref().unwrap_or(&g.by);
        out += &match (zh, differing.is_empty()) {
            (true, true) => format!("各{noun}之间,没有属性的类别分布存在显著差异(p ≥ .05)。"),
            (true, false) => format!("各{noun}之间类别分布显著不同的属性:{}。", differing.join(";")),
            (false, true) => format!(" No attribute's class distribution differed between the groups of {noun} (all p ≥ .05)."),
            (false, false) => format!(" The class distribution differed between the groups of {noun} for {}.", differing.join("; ")),
        };
    }
    out
}

/// "By value dimension: functional 3 must-be, 1 one-dimensional; emotional 2 attractive, …" from the attributes'
/// `dimension` tags (nothing when no attribute is tagged).
fn by_dimension(k: &KanoBlock, zh: bool) -> String {
    let mut dims: Vec<(&str, Vec<Class>)> = Vec::new();
    for r in k.attributes.values() {
        let (Some(d), Some(c)) = (r.dimension.as_deref(), r.category) else {
            continue;
        };
        match dims.iter_mut().find(|(x, _)| *x == d) {
            Some((_, v)) => v.push(c),
            None => dims.push((d, vec![c])),
        }
    }
    if dims.is_empty() {
        return String::new();
    }
    let name = |d: &str| -> String {
        if !zh {
            return d.to_string();
        }
        match d {
            "functional" => "功能价值".into(),
            "emotional" => "体验(情感)价值".into(),
            "social" => "社会价值".into(),
            "price" => "价格价值".into(),
            other => other.to_string(),
        }
    };
    let parts: Vec<String> = dims
        .iter()
        .map(|(d, classes)| {
            let counts: Vec<String> = Class::TIE_ORDER
                .iter()
                .filter_map(|c| {
                    let n = classes.iter().filter(|x| *x == c).count();
                    (n > 0).then(|| {
                        if zh {
                            format!("{n} 项{}", c.name(true))
                        } else {
                            format!("{n} {}", c.name(false))
                        }
                    })
                })
                .collect();
            if zh {
                format!("{}:{}", name(d), counts.join("、"))
            } else {
                format!("{} {}", name(d), counts.join(", "))
            }
        })
        .collect();
    if zh {
        format!("按所服务的价值维度:{}。", parts.join(";"))
    } else {
        format!(
            " By the value dimension each attribute serves: {}.",
            parts.join("; ")
        )
    }
}
