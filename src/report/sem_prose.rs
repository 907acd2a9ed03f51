//! The results paragraphs of a structural model's extensions, in English and Chinese: its measurement model
//! (loadings, CR, AVE, discriminant validity), the comparison with an alternative model, and the latent means
//! across groups. The paths and effects are in `prose.rs`.

use super::structural::SemBlock;
use super::Report;
use crate::apa::{apa, f2, p_apa};
use crate::criteria;
use crate::instrument::Language;

/// "p = .012" / "p < .001".
fn p_clause(p: f64) -> String {
    let s = p_apa(p);
    if s.starts_with('<') {
        format!("p {s}")
    } else {
        format!("p = {s}")
    }
}

/// Loadings' range, CR and AVE against their thresholds, the second-order loadings, HTMT and Fornell–Larcker.
pub fn measurement(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    let Some(s) = &r.sem else { return };
    let m = &s.measurement;
    let item_loadings: Vec<(&String, f64)> = s
        .loadings_std
        .iter()
        .filter(|(k, _)| !s.structure.second_order.values().any(|f| f.contains(k)))
        .map(|(k, v)| (k, *v))
        .collect();
    let (Some(low), Some(high)) = (
        item_loadings.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
        item_loadings.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
    ) else {
        return;
    };
    let range = |v: &indexmap::IndexMap<String, f64>| {
        let lo = v.values().copied().fold(f64::INFINITY, f64::min);
        let hi = v.values().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let (cr_lo, cr_hi) = range(&m.composite_reliability);
    let (ave_lo, ave_hi) = range(&m.ave);
    let below = |v: &indexmap::IndexMap<String, f64>, min: f64| -> Vec<String> {
        v.iter()
            .filter(|(_, x)| **x < min)
            .map(|(k, _)| k.clone())
            .collect()
    };
    let (low_cr, low_ave) = (
        below(&m.composite_reliability, criteria::CR_MIN.value),
        below(&m.ave, criteria::AVE_MIN.value),
    );
    en.push(format!(
        "In the structural model's measurement part, standardized loadings ranged from {} ({}) to {} ({}); composite reliability ranged from {} to {} and AVE from {} to {}{}.",
        apa(low.1),
        low.0,
        apa(high.1),
        high.0,
        apa(cr_lo),
        apa(cr_hi),
        apa(ave_lo),
        apa(ave_hi),
        match (low_cr.is_empty(), low_ave.is_empty()) {
            (true, true) => format!(
                ", every factor above the thresholds of {} and {}",
                apa(criteria::CR_MIN.value),
                apa(criteria::AVE_MIN.value)
            ),
            _ => format!(
                "{}{}",
                if low_cr.is_empty() { String::new() } else { format!("; CR below {}: {}", apa(criteria::CR_MIN.value), low_cr.join(", ")) },
                if low_ave.is_empty() { String::new() } else { format!("; AVE below {}: {}", apa(criteria::AVE_MIN.value), low_ave.join(", ")) }
            ),
        }
    ));
    zh.push(format!(
        "结构模型测量部分的标准化载荷介于 {}({})与 {}({})之间;组合信度介于 {} 与 {},AVE 介于 {} 与 {}{}。",
        apa(low.1),
        low.0,
        apa(high.1),
        high.0,
        apa(cr_lo),
        apa(cr_hi),
        apa(ave_lo),
        apa(ave_hi),
        if low_cr.is_empty() && low_ave.is_empty() {
            "，均达到标准".to_string()
        } else {
            format!(
                "{}{}",
                if low_cr.is_empty() { String::new() } else { format!(";组合信度低于 {}:{}", apa(criteria::CR_MIN.value), low_cr.join("、")) },
                if low_ave.is_empty() { String::new() } else { format!(";AVE 低于 {}:{}", apa(criteria::AVE_MIN.value), low_ave.join("、")) }
            )
        }
    ));
    for (high_order, firsts) in &s.structure.second_order {
        let parts: Vec<String> = firsts
            .iter()
            .filter_map(|f| s.loadings_std.get(f).map(|l| (f, l)))
            .map(|(f, l)| {
                format!(
                    "{} (β = {})",
                    r.dimension_label_in(f, Language::En),
                    apa(*l)
                )
            })
            .collect();
        let parts_zh: Vec<String> = firsts
            .iter()
            .filter_map(|f| s.loadings_std.get(f).map(|l| (f, l)))
            .map(|(f, l)| format!("{}(β = {})", r.dimension_label_in(f, Language::Zh), apa(*l)))
            .collect();
        en.push(format!(
            "The second-order factor {high_order} loaded on {}.",
            parts.join(", ")
        ));
        zh.push(format!(
            "二阶因子 {high_order} 在{}上的载荷显著。",
            parts_zh.join("、")
        ));
    }
    let largest = m
        .htmt
        .iter()
        .flat_map(|(a, row)| row.iter().map(move |(b, h)| (a, b, *h)))
        .max_by(|x, y| x.2.total_cmp(&y.2));
    if let Some((a, b, h)) = largest {
        let ok = h < criteria::HTMT_MAX.value;
        en.push(format!(
            "{} (largest HTMT = {}, {a}–{b}; Henseler et al., 2015).",
            if ok {
                format!(
                    "Discriminant validity held: every HTMT was below {}",
                    apa(criteria::HTMT_MAX.value)
                )
            } else {
                format!(
                    "Discriminant validity is in doubt: an HTMT exceeded {}",
                    apa(criteria::HTMT_MAX.value)
                )
            },
            apa(h)
        ));
        zh.push(format!(
            "{}(最大 HTMT = {},{a}–{b})。",
            if ok {
                format!(
                    "区分效度成立:所有 HTMT 均低于 {}",
                    apa(criteria::HTMT_MAX.value)
                )
            } else {
                format!(
                    "区分效度存疑:有 HTMT 超过 {}",
                    apa(criteria::HTMT_MAX.value)
                )
            },
            apa(h)
        ));
    }
}

/// The χ² difference test and information criteria of `--compare`.
pub fn comparison(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    let Some(s) = &r.sem else { return };
    let Some(c) = &s.comparison else { return };
    if !c.converged {
        en.push(format!(
            "The alternative model ({}) did not converge and was not compared.",
            c.model
        ));
        zh.push(format!("备择模型({})未收敛,未作比较。", c.model));
        return;
    }
    let criteria_en = format!(
        "ΔCFI = {:+.3}, ΔRMSEA = {:+.3}; AIC favoured {} and BIC {}",
        c.delta_cfi,
        c.delta_rmsea,
        c.lower_aic.as_deref().unwrap_or("—"),
        c.lower_bic.as_deref().unwrap_or("—")
    );
    let criteria_zh = format!(
        "ΔCFI = {:+.3},ΔRMSEA = {:+.3};AIC 支持 {},BIC 支持 {}",
        c.delta_cfi,
        c.delta_rmsea,
        c.lower_aic.as_deref().unwrap_or("—"),
        c.lower_bic.as_deref().unwrap_or("—")
    );
    match (&c.test, &c.restricted) {
        (Some(t), Some(restricted)) => {
            let worse = t.p < criteria::SIGNIFICANCE;
            en.push(format!(
                "Compared with the alternative model, the more restricted model ({restricted}) fit {} worse, Δχ²({}) = {:.2}, {}; {criteria_en}.",
                if worse { "significantly" } else { "no" },
                t.df_diff,
                t.chisq_diff,
                p_clause(t.p)
            ));
            zh.push(format!(
                "与备择模型相比,较受限的模型({restricted}){},Δχ²({}) = {:.2},{};{criteria_zh}。",
                if worse {
                    "拟合显著变差"
                } else {
                    "拟合未显著变差"
                },
                t.df_diff,
                t.chisq_diff,
                p_clause(t.p)
            ));
        }
        _ => {
            en.push(format!(
                "The alternative model ({}) has the same df and is not nested: {criteria_en}.",
                c.model
            ));
            zh.push(format!(
                "备择模型({})自由度相同、非嵌套:{criteria_zh}。",
                c.model
            ));
        }
    }
}

/// The scalar step and the latent means that differ from the first group.
pub fn latent_means(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    let Some(g) = r.sem.as_ref().and_then(|s: &SemBlock| s.groups.as_ref()) else {
        return;
    };
    let (Some(t), Some(first)) = (g.tests.get("scalar_vs_metric"), g.groups.first()) else {
        return;
    };
    let partial = if g.partial.is_empty() {
        String::new()
    } else {
        format!(" with the intercepts of {} free", g.partial.join(", "))
    };
    en.push(format!(
        "Equal intercepts (scalar invariance{partial}) were {} against the metric model, Δχ²({}) = {:.2}, {}.",
        if t.p < criteria::SIGNIFICANCE { "rejected" } else { "not rejected" },
        t.df_diff,
        t.chisq_diff,
        p_clause(t.p)
    ));
    zh.push(format!(
        "截距等同(标量不变性{})相对于度量模型{},Δχ²({}) = {:.2},{}。",
        if g.partial.is_empty() {
            String::new()
        } else {
            format!(",{} 的截距自由估计", g.partial.join("、"))
        },
        if t.p < criteria::SIGNIFICANCE {
            "被拒绝"
        } else {
            "未被拒绝"
        },
        t.df_diff,
        t.chisq_diff,
        p_clause(t.p)
    ));
    let mut diffs_en = Vec::new();
    let mut diffs_zh = Vec::new();
    for (group, means) in g.latent_means.iter().skip(1) {
        for (factor, m) in means {
            let (Some(se), Some(p), Some(d)) = (m.se, m.p, m.d) else {
                continue;
            };
            if p >= criteria::SIGNIFICANCE {
                continue;
            }
            let f_en = r.dimension_label_in(factor, Language::En).to_lowercase();
            let f_zh = r.dimension_label_in(factor, Language::Zh);
            diffs_en.push(format!(
                "{f_en} was {} in {group} than in {first} (Δ = {:.2}, SE = {:.2}, {}, d = {})",
                if m.est > 0.0 { "higher" } else { "lower" },
                m.est,
                se,
                p_clause(p),
                f2(d)
            ));
            diffs_zh.push(format!(
                "{group}的{f_zh}{}于{first}(Δ = {:.2},SE = {:.2},{},d = {})",
                if m.est > 0.0 { "高" } else { "低" },
                m.est,
                se,
                p_clause(p),
                f2(d)
            ));
        }
    }
    if diffs_en.is_empty() {
        en.push(format!(
            "No latent mean differed significantly from {first}'s."
        ));
        zh.push(format!("各组潜均值与{first}均无显著差异。"));
    } else {
        en.push(format!(
            "In the scalar model, {} (d = difference / pooled latent SD).",
            diffs_en.join("; ")
        ));
        zh.push(format!(
            "标量模型中,{}(d = 差值 / 合并潜变量标准差)。",
            diffs_zh.join(";")
        ));
    }
}
