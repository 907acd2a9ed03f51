//! A results section a researcher can paste and edit, in English and in Chinese, with numbers in APA style.

use super::Report;
use crate::apa::{apa, p_clause};
use crate::criteria::AlphaVerdict;
use crate::findings::{fit_words, InvarianceLevel};
use crate::instrument::Language;
use crate::scoring::MissingPolicy;

fn range_by<F: Fn(&super::ReliabilityBlock) -> f64>(
    r: &Report,
    f: F,
) -> Option<((String, f64), (String, f64))> {
    let vals: Vec<(String, f64)> = r
        .dimensions
        .iter()
        .filter_map(|(id, d)| d.reliability.as_ref().map(|x| (id.clone(), f(x))))
        .collect();
    let lo = vals.iter().cloned().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let hi = vals.iter().cloned().max_by(|a, b| a.1.total_cmp(&b.1))?;
    Some((lo, hi))
}

fn fit_line(r: &Report) -> Option<(String, String)> {
    let c = r.cfa.as_ref()?;
    let stats = crate::apa::fit_line(&c.fit);
    let (en_word, zh_word) = fit_words(c.fit_verdict);
    let factors = c.composite_reliability.len();
    let en = format!("The {factors}-factor model fit the data {en_word}, {stats}.");
    let zh = format!("{factors}因子模型的拟合{zh_word}:{stats}。");
    Some((en, zh))
}

/// (English, Chinese) results paragraphs.
pub fn results(r: &Report) -> (String, String) {
    let mut en = Vec::new();
    let mut zh = Vec::new();
    for part in [
        sample,
        reliability,
        factorability,
        efa,
        cfa,
        groups,
        super::sem_prose::measurement,
        structural,
        super::sem_prose::comparison,
        super::sem_prose::latent_means,
        super::pls_prose::paragraphs,
        needs,
    ] {
        part(r, &mut en, &mut zh);
    }
    (en.join(" "), zh.join(""))
}

/// The Kano and zone-of-tolerance paragraphs, when the instrument has those sections.
fn needs(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    if let Some(k) = &r.kano {
        en.push(super::kano::prose(k, false));
        zh.push(super::kano::prose(k, true));
    }
    if let Some(e) = &r.expectations {
        en.push(super::expectations::prose(
            e,
            &r.instrument.dimension_labels,
            false,
        ));
        zh.push(super::expectations::prose(
            e,
            &r.instrument.dimension_labels,
            true,
        ));
    }
}

/// Who was analysed, under which missing-data policy.
fn sample(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    let i = &r.input;
    if i.missing_policy == MissingPolicy::Fiml {
        en.push(format!(
            "Of {} respondents, {} answered at least one item and were analysed ({} excluded); the CFA and structural models were estimated by full-information maximum likelihood on all of them, reliability from pairwise-complete data, and the exploratory analyses from the respondents who answered every item.",
            i.rows_read, i.rows_used, i.rows_dropped
        ));
        zh.push(format!(
            "共回收 {} 份问卷,其中 {} 份至少回答了一题并纳入分析(剔除 {} 份);验证性因子分析与结构模型采用全信息极大似然估计,信度基于成对删除,探索性分析仅使用全部作答的问卷。",
            i.rows_read, i.rows_used, i.rows_dropped
        ));
    } else if i.missing_policy == MissingPolicy::Pairwise {
        en.push(format!(
            "Of {} respondents, {} answered at least one item and were analysed ({} excluded); missing answers were handled by pairwise deletion, and the factor analyses used the respondents who answered every item.",
            i.rows_read, i.rows_used, i.rows_dropped
        ));
        zh.push(format!(
            "共回收 {} 份问卷,其中 {} 份至少回答了一题并纳入分析(剔除 {} 份);缺失值采用成对删除,因子分析仅使用全部作答的问卷。",
            i.rows_read, i.rows_used, i.rows_dropped
        ));
    } else {
        en.push(format!(
            "Of {} respondents, {} answered every item and were analysed ({} excluded; listwise deletion).",
            i.rows_read, i.rows_used, i.rows_dropped
        ));
        zh.push(format!(
            "共回收 {} 份问卷,其中 {} 份作答完整并纳入分析(剔除 {} 份;缺失值处理:列删除)。",
            i.rows_read, i.rows_used, i.rows_dropped
        ));
    }
}

/// The range of α and ω.
fn reliability(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    if let (Some(((alo_d, alo), (ahi_d, ahi))), Some(((olo_d, olo), (ohi_d, ohi)))) =
        (range_by(r, |x| x.alpha), range_by(r, |x| x.omega_total))
    {
        let worst = r
            .dimensions
            .values()
            .filter_map(|d| d.reliability.as_ref().map(|x| x.alpha_verdict))
            .min()
            .unwrap_or(AlphaVerdict::Low);
        let en_name = |d: &str| r.dimension_label_in(d, Language::En).to_lowercase();
        en.push(format!(
            "Internal consistency was {}: Cronbach's α ranged from {} ({}) to {} ({}) and McDonald's ω from {} ({}) to {} ({}).",
            match worst { AlphaVerdict::Good => "good", AlphaVerdict::Acceptable => "acceptable", AlphaVerdict::Low => "below the conventional .70 for at least one dimension" },
            apa(alo),
            en_name(&alo_d),
            apa(ahi),
            en_name(&ahi_d),
            apa(olo),
            en_name(&olo_d),
            apa(ohi),
            en_name(&ohi_d)
        ));
        let zh_name = |d: &str| r.dimension_label_in(d, Language::Zh).to_string();
        let (alo_d, ahi_d, olo_d, ohi_d) = (
            zh_name(&alo_d),
            zh_name(&ahi_d),
            zh_name(&olo_d),
            zh_name(&ohi_d),
        );
        zh.push(format!(
            "各维度内部一致性{}:Cronbach's α 介于 {}({alo_d})与 {}({ahi_d})之间,McDonald's ω 介于 {}({olo_d})与 {}({ohi_d})之间。",
            match worst { AlphaVerdict::Good => "良好", AlphaVerdict::Acceptable => "可以接受", AlphaVerdict::Low => "至少一个维度低于 .70 的常用标准" },
            apa(alo),
            apa(ahi),
            apa(olo),
            apa(ohi)
        ));
    }
}

/// KMO and Bartlett, and whether they allow a factor analysis.
fn factorability(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    if let Some(f) = &r.factorability {
        let b = &f.bartlett;
        let stats = format!(
            "KMO = {}; Bartlett's test χ²({}) = {:.2}, p {}",
            apa(f.kmo),
            b.df,
            b.chi2,
            p_clause(b.p)
        );
        let zh_stats = format!(
            "KMO 值为 {},Bartlett 球形检验 χ²({}) = {:.2},p {}",
            apa(f.kmo),
            b.df,
            b.chi2,
            p_clause(b.p)
        );
        if f.suitable {
            en.push(format!(
                "The items were suitable for factor analysis ({stats})."
            ));
            zh.push(format!("{zh_stats},适合进行因子分析。"));
        } else {
            en.push(format!(
                "The items were not clearly suitable for factor analysis ({stats}; KMO ≥ .60 and a significant Bartlett test are expected), so the factor analyses below should be read with caution."
            ));
            zh.push(format!(
                "{zh_stats},未完全满足因子分析的前提(KMO ≥ .60 且 Bartlett 检验显著),以下因子分析结果需谨慎解读。"
            ));
        }
    }
}

/// Parallel analysis and the EFA.
fn efa(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    if let (Some(e), Some(pa)) = (&r.efa, &r.parallel_analysis) {
        en.push(format!(
            "Parallel analysis suggested {} {}; an exploratory factor analysis ({}, {} rotation) with {} {} explained {:.1}% of the item variance.",
            pa.suggested_factors,
            if pa.suggested_factors == 1 { "factor" } else { "factors" },
            e.method,
            e.rotation,
            e.n_factors,
            if e.n_factors == 1 { "factor" } else { "factors" },
            100.0 * e.proportion_var.iter().sum::<f64>()
        ));
        zh.push(format!(
            "平行分析建议保留 {} 个因子;探索性因子分析({} 提取,{} 旋转)提取 {} 个因子,共解释 {:.1}% 的题项方差。",
            pa.suggested_factors,
            e.method,
            e.rotation,
            e.n_factors,
            100.0 * e.proportion_var.iter().sum::<f64>()
        ));
    }
}

/// The CFA fit, CR, AVE and HTMT.
fn cfa(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    if let (Some((fen, fzh)), Some(c)) = (fit_line(r), &r.cfa) {
        en.push(fen);
        zh.push(fzh);
        let cr_min = c
            .composite_reliability
            .values()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let ave_min = c.ave.values().copied().fold(f64::INFINITY, f64::min);
        let htmt_max = c
            .htmt
            .values()
            .flat_map(|m| m.values().copied())
            .fold(f64::NEG_INFINITY, f64::max);
        let htmt_high = r
            .findings
            .iter()
            .any(|f| matches!(f, crate::findings::Finding::HighHtmt { .. }));
        en.push(format!(
            "Composite reliability was at least {} and AVE at least {}; the largest HTMT ratio was {}{}.",
            apa(cr_min),
            apa(ave_min),
            apa(htmt_max),
            if htmt_high { ", above .85, which questions discriminant validity" } else { ", below .85, supporting discriminant validity" }
        ));
        zh.push(format!(
            "组合信度(CR)均不低于 {},平均方差抽取量(AVE)均不低于 {};最大 HTMT 值为 {}{}。",
            apa(cr_min),
            apa(ave_min),
            apa(htmt_max),
            if htmt_high {
                ",高于 .85,区分效度存疑"
            } else {
                ",低于 .85,区分效度良好"
            }
        ));
    }
}

/// Invariance and the group differences per dimension.
fn groups(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    if let Some(g) = &r.groups {
        if let Some(inv) = &g.invariance {
            en.push(format!(
                "Measurement invariance across {}: {}.",
                across(g),
                inv.verdict
            ));
            zh.push(format!(
                "跨{}测量不变性检验:{}。",
                g.noun(),
                match inv.supported {
                    InvarianceLevel::Scalar => "标量不变性成立,可以比较各组维度均值",
                    InvarianceLevel::Metric => "度量不变性成立而标量不变性不成立,均值比较需谨慎",
                    InvarianceLevel::Configural => "仅形态不变性成立,各组得分不宜直接比较",
                }
            ));
        }
        for (d, gd) in &g.dimensions {
            let label = r.dimension_label_in(d, Language::En);
            let label_zh = r.dimension_label_in(d, Language::Zh);
            let w = &gd.welch;
            let sig = w.p < crate::criteria::SIGNIFICANCE;
            let mut ranked: Vec<(&String, &super::GroupStatsBlock)> = gd.groups.iter().collect();
            ranked.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean));
            let (top, s) = ranked[0];
            let stats = format!(
                "Welch's F({}, {:.2}) = {:.2}, p {}, η² = {}",
                w.df1,
                w.df2,
                w.f,
                p_clause(w.p),
                apa(gd.anova.eta2)
            );
            if sig {
                en.push(format!(
                    "{} differed in {} ({}); {} scored highest (M = {:.2}, SD = {:.2}).",
                    groups_of(g),
                    label.to_lowercase(),
                    stats,
                    top,
                    s.mean,
                    s.sd
                ));
                zh.push(format!(
                    "不同{}在{}上存在显著差异({}),其中 {} 得分最高(M = {:.2},SD = {:.2})。",
                    g.noun(),
                    label_zh,
                    stats,
                    top,
                    s.mean,
                    s.sd
                ));
            } else {
                en.push(format!(
                    "{} did not differ significantly in {} ({}).",
                    groups_of(g),
                    label.to_lowercase(),
                    stats
                ));
                zh.push(format!(
                    "不同{}在{}上差异不显著({})。",
                    g.noun(),
                    label_zh,
                    stats
                ));
            }
        }
    }
}

/// The structural model: its fit, the predictors of each endogenous variable, and each indirect effect with
/// its interval ("Price value had an indirect effect on loyalty through satisfaction, b = .17, 95% CI …").
fn structural(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    let Some(s) = &r.sem else { return };
    let (en_word, zh_word) = fit_words(s.fit_verdict);
    let fit = crate::apa::fit_line(&s.fit.indices);
    en.push(format!(
        "The structural model fit the data {en_word}, {fit}."
    ));
    zh.push(format!("结构模型的拟合{zh_word}:{fit}。"));
    let label = |v: &str| r.dimension_label_in(v, Language::En).to_string();
    let label_zh = |v: &str| r.dimension_label_in(v, Language::Zh).to_string();
    let beta =
        |e: &super::structural::Estimate| format!("β = {}, p {}", apa(e.std_all), p_clause(e.p));
    for (y, r2) in &s.r2 {
        let into: Vec<(&str, &super::structural::Estimate)> = s
            .regressions
            .iter()
            .filter_map(|(k, e)| {
                k.split_once(" -> ")
                    .filter(|(_, to)| to == y)
                    .map(|(x, _)| (x, e))
            })
            .collect();
        let (sig, not): (Vec<_>, Vec<_>) = into
            .iter()
            .partition(|(_, e)| e.p < crate::criteria::SIGNIFICANCE);
        let list = |v: &[&(&str, &super::structural::Estimate)], and: &str| {
            let name = |x: &str| if and == "和" { label_zh(x) } else { label(x) };
            let parts: Vec<String> = v
                .iter()
                .map(|(x, e)| format!("{} ({})", name(x), beta(e)))
                .collect();
            match parts.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} {and} {last}", rest.join(", "))
                }
                _ => parts.join(""),
            }
        };
        if !sig.is_empty() {
            en.push(format!(
                "{} predicted {} (R² = {}).",
                capitalize(&list(&sig, "and")),
                label(y).to_lowercase(),
                apa(*r2)
            ));
            zh.push(format!(
                "{}显著影响{}(R² = {})。",
                list(&sig, "和"),
                label_zh(y),
                apa(*r2)
            ));
        }
        if !not.is_empty() {
            en.push(format!(
                "{} did not significantly predict {}.",
                capitalize(&list(&not, "and")),
                label(y).to_lowercase()
            ));
            zh.push(format!(
                "{}对{}的影响不显著。",
                list(&not, "和"),
                label_zh(y)
            ));
        }
    }
    let boot = s.bootstrap.as_ref();
    let mc = s.monte_carlo.as_ref();
    for (name, d) in &s.defined {
        let e = &d.estimate;
        let (ci, kind) = match mc.and_then(|m| m.defined.get(name)) {
            Some(ci) => (*ci, "Monte Carlo "),
            None => match boot.and_then(|b| b.defined.get(name)) {
                Some(b) => (b.ci95, "bootstrap "),
                None => (e.ci95, ""),
            },
        };
        let interval = format!(
            "b = {:.2}, 95% {kind}CI [{:.2}, {:.2}]",
            e.est, ci[0], ci[1]
        );
        let excludes_zero = ci[0] > 0.0 || ci[1] < 0.0;
        match mediation(s, &d.formula) {
            Some((x, m, y)) => {
                let (xz, mz, yz) = (label_zh(x), label_zh(m), label_zh(y));
                let (x, m, y) = (label(x), label(m), label(y));
                if excludes_zero {
                    en.push(format!(
                        "{} had an indirect effect on {} through {}, {interval}.",
                        capitalize(&x),
                        y.to_lowercase(),
                        m.to_lowercase()
                    ));
                    zh.push(format!("{xz}通过{mz}对{yz}的间接效应显著,{interval}。"));
                } else {
                    en.push(format!("The indirect effect of {} on {} through {} was not significant, {interval}.", x.to_lowercase(), y.to_lowercase(), m.to_lowercase()));
                    zh.push(format!("{xz}通过{mz}对{yz}的间接效应不显著,{interval}。"));
                }
            }
            None => {
                en.push(format!(
                    "The effect {name} = {} was {interval}{}.",
                    d.formula,
                    if excludes_zero {
                        ""
                    } else {
                        " (the interval includes zero)"
                    }
                ));
                zh.push(format!(
                    "效应 {name} = {} 为 {interval}{}。",
                    d.formula,
                    if excludes_zero {
                        ""
                    } else {
                        "(区间包含 0)"
                    }
                ));
            }
        }
    }
}

/// An indirect effect `a*b` whose labels are the paths X -> M and M -> Y: (X, M, Y).
fn mediation<'a>(
    s: &'a super::structural::SemBlock,
    formula: &str,
) -> Option<(&'a str, &'a str, &'a str)> {
    let (a, b) = formula.split_once('*')?;
    let path = |l: &str| {
        s.parameters
            .iter()
            .find(|p| p.op == "~" && p.label.as_deref() == Some(l))
            .map(|p| (p.rhs.as_str(), p.lhs.as_str()))
    };
    let ((x, m1), (m2, y)) = (path(a)?, path(b)?);
    (m1 == m2).then_some((x, m1, y))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// "The restaurants" for `--group-label restaurant`, "The stores" for a grouping column named like a word
/// ("store"), else "The groups of 'Q1'": a column name such as Q1 or a question text cannot be pluralised.
fn groups_of(g: &super::GroupsBlock) -> String {
    let by = &g.by;
    if let Some(label) = &g.label {
        format!("The {}", plural(label))
    } else if word_like(by) {
        format!("The {}", plural(by))
    } else {
        format!("The groups of '{by}'")
    }
}

/// "stores" after "across": the label or a word-like column name in the plural, else "the groups of 'Q1'".
fn across(g: &super::GroupsBlock) -> String {
    let by = &g.by;
    match &g.label {
        Some(label) => plural(label),
        None if word_like(by) => plural(by),
        None => format!("the groups of '{by}'"),
    }
}

/// A column named like an English noun ("store"), which can be pluralised; not "Q1" or a question text.
fn word_like(by: &str) -> bool {
    !by.is_empty() && by.len() <= 20 && by.chars().all(|c| c.is_ascii_lowercase())
}

/// The English plural of a noun (regular forms; a phrase's last word; non-English text as is).
fn plural(noun: &str) -> String {
    if !noun.is_ascii() || noun.is_empty() {
        return noun.to_string();
    }
    let consonant_y =
        noun.ends_with('y') && !noun[..noun.len() - 1].ends_with(|c: char| "aeiou".contains(c));
    if consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| noun.ends_with(e))
    {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}
