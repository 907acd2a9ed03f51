//! The PLS path model in words, English and Chinese: the measurement model (reliability, convergent and
//! discriminant validity), the paths into each outcome, the indirect effects, PLSpredict's verdict
//! (Shmueli et al. 2019) and what the importance–performance map says to invest in, overall and by group.

use super::pls::{BootEstimate, IpmaPoint, PlsBlock};
use super::Report;
use crate::apa::apa;
use crate::instrument::Language;
use indexmap::IndexMap;

pub(super) fn paragraphs(r: &Report, en: &mut Vec<String>, zh: &mut Vec<String>) {
    let Some(p) = &r.pls else { return };
    let name = |c: &str| r.construct_label_in(c, Language::En).to_string();
    let name_zh = |c: &str| r.construct_label_in(c, Language::Zh).to_string();
    measurement(p, en, zh, &name, &name_zh);
    let boot = p.bootstrap.as_ref();
    let how = match boot {
        Some(b) => format!("{} bootstrap resamples", b.resamples),
        None => "no bootstrap".into(),
    };
    en.push(format!(
        "In the {} path model ({} weighting, n = {}, {how}), the model-implied correlations left an SRMR of {}.",
        p.algorithm,
        p.weighting,
        p.n,
        p.srmr.map_or("—".into(), crate::apa::apa3)
    ));
    zh.push(format!(
        "{} 路径模型({}加权,n = {}{})的 SRMR 为 {}。",
        p.algorithm,
        match p.weighting.as_str() {
            "path" => "路径",
            "factor" => "因子",
            _ => "质心",
        },
        p.n,
        boot.map_or(String::new(), |b| format!(",自助抽样 {} 次", b.resamples)),
        p.srmr.map_or("—".into(), crate::apa::apa3)
    ));
    let stat = |beta: f64, b: Option<&BootEstimate>| match b {
        Some(b) => format!(
            "β = {}, 95% CI [{}, {}]",
            apa(beta),
            apa(b.ci95[0]),
            apa(b.ci95[1])
        ),
        None => format!("β = {}", apa(beta)),
    };
    for (y, r2) in &p.r2 {
        let into: Vec<(&str, f64, Option<&BootEstimate>)> = p
            .paths
            .iter()
            .filter_map(|(k, beta)| {
                k.split_once(" -> ")
                    .filter(|(_, to)| to == y)
                    .map(|(x, _)| (x, *beta, boot.and_then(|b| b.paths.get(k))))
            })
            .collect();
        // Without the bootstrap every path is described; with it, those whose interval excludes zero.
        let (sig, not): (Vec<_>, Vec<_>) = into
            .iter()
            .partition(|(_, _, b)| b.is_none_or(|b| b.ci95[0] > 0.0 || b.ci95[1] < 0.0));
        let list = |v: &[&(&str, f64, Option<&BootEstimate>)], zh: bool| {
            let parts: Vec<String> = v
                .iter()
                .map(|(x, beta, b)| {
                    if zh {
                        format!("{}({})", name_zh(x), stat(*beta, *b))
                    } else {
                        format!("{} ({})", name(x).to_lowercase(), stat(*beta, *b))
                    }
                })
                .collect();
            join(&parts, if zh { "和" } else { "and" })
        };
        if !sig.is_empty() {
            en.push(format!(
                "{} predicted {} (R² = {}).",
                capitalize(&list(&sig, false)),
                name(y).to_lowercase(),
                apa(*r2)
            ));
            zh.push(format!(
                "{}影响{}(R² = {})。",
                list(&sig, true),
                name_zh(y),
                apa(*r2)
            ));
        }
        if !not.is_empty() {
            en.push(format!(
                "{} did not predict {} (the interval includes zero).",
                capitalize(&list(&not, false)),
                name(y).to_lowercase()
            ));
            zh.push(format!(
                "{}对{}的影响不显著(区间包含 0)。",
                list(&not, true),
                name_zh(y)
            ));
        }
    }
    if let Some(b) = boot {
        for (chain, v) in &p.effects.specific {
            let Some(e) = b.specific.get(chain) else {
                continue;
            };
            let parts: Vec<&str> = chain.split(" -> ").collect();
            let (x, y) = (parts[0], parts[parts.len() - 1]);
            let through: Vec<String> = parts[1..parts.len() - 1]
                .iter()
                .map(|m| name(m).to_lowercase())
                .collect();
            let through_zh: Vec<String> = parts[1..parts.len() - 1]
                .iter()
                .map(|m| name_zh(m))
                .collect();
            let interval = format!(
                "β = {}, 95% CI [{}, {}]",
                apa(*v),
                apa(e.ci95[0]),
                apa(e.ci95[1])
            );
            if e.ci95[0] > 0.0 || e.ci95[1] < 0.0 {
                en.push(format!(
                    "{} had an indirect effect on {} through {}, {interval}.",
                    name(x),
                    name(y).to_lowercase(),
                    through.join(" and then ")
                ));
                zh.push(format!(
                    "{}通过{}对{}的间接效应显著,{interval}。",
                    name_zh(x),
                    through_zh.join("、"),
                    name_zh(y)
                ));
            } else {
                en.push(format!(
                    "The indirect effect of {} on {} through {} was not significant, {interval}.",
                    name(x).to_lowercase(),
                    name(y).to_lowercase(),
                    through.join(" and then ")
                ));
                zh.push(format!(
                    "{}通过{}对{}的间接效应不显著,{interval}。",
                    name_zh(x),
                    through_zh.join("、"),
                    name_zh(y)
                ));
            }
        }
    }
    if let Some(pr) = &p.predict {
        let k = pr.indicators.len();
        let positive = pr
            .indicators
            .values()
            .filter(|x| x.q2_predict > 0.0)
            .count();
        let (power, power_zh) = match pr.pls_better {
            b if b == k => ("high", "高"),
            b if 2 * b > k => ("medium", "中等"),
            0 => ("no", "无"),
            _ => ("low", "低"),
        };
        en.push(format!(
            "In PLSpredict ({}-fold cross-validation, {} repetitions), Q²predict was positive for {positive} of {k} indicators of the outcomes and PLS predicted {} of {k} better than the linear-model benchmark: {power} predictive power (Shmueli et al., 2019).",
            pr.folds, pr.repetitions, pr.pls_better
        ));
        zh.push(format!(
            "PLSpredict({} 折交叉验证,重复 {} 次)中,{k} 个结果变量指标中有 {positive} 个 Q²predict 为正,PLS 对其中 {} 个的预测优于线性模型基准,预测力{power_zh}(Shmueli 等,2019)。",
            pr.folds, pr.repetitions, pr.pls_better
        ));
    }
    for (target, points) in &p.ipma {
        let (e, z) = priority(points, &name, &name_zh);
        en.push(format!("For {}, {e}", name(target).to_lowercase()));
        zh.push(format!("就{}而言,{z}", name_zh(target)));
    }
    if let Some(g) = &p.ipma_groups {
        let mut found = Vec::new();
        let mut found_zh = Vec::new();
        let mut none = Vec::new();
        for (group, points) in &g.maps {
            match top_priority(points) {
                Some(c) => {
                    found.push(format!("{} in {group}", name(c).to_lowercase()));
                    found_zh.push(format!("{group}为{}", name_zh(c)));
                }
                None => none.push(group.clone()),
            }
        }
        let mut e = format!("Estimated within each {}, ", g.by);
        let mut z = format!("按 {} 分别估计,", g.by);
        if !found.is_empty() {
            e += &format!("the construct that combined above-average importance with below-average performance — where to invest — was {}", join(&found, "and"));
            z += &format!(
                "重要性高于平均而绩效低于平均、最值得投入的构念:{}",
                found_zh.join(";")
            );
            if !none.is_empty() {
                e += &format!("; in {} no construct did", join(&none, "and"));
                z += &format!(";{}没有这样的构念", none.join("、"));
            }
        } else {
            e += "no construct combined above-average importance with below-average performance in any group";
            z += "各组均没有重要性高于平均而绩效低于平均的构念";
        }
        en.push(e + ".");
        zh.push(z + "。");
    }
}

/// Reliability and validity in one or two sentences.
fn measurement(
    p: &PlsBlock,
    en: &mut Vec<String>,
    zh: &mut Vec<String>,
    name: &dyn Fn(&str) -> String,
    name_zh: &dyn Fn(&str) -> String,
) {
    let multi: Vec<(&String, &super::pls::ConstructReliability)> = p
        .reliability
        .iter()
        .filter(|(c, _)| {
            p.constructs[c.as_str()].indicators.len() > 1 && p.constructs[c.as_str()].mode == "A"
        })
        .collect();
    if multi.is_empty() {
        return;
    }
    let range = |f: &dyn Fn(&super::pls::ConstructReliability) -> f64| {
        let v: Vec<f64> = multi.iter().map(|(_, r)| f(r)).collect();
        (
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    };
    let (rc0, rc1) = range(&|r| r.rho_c);
    let (ra0, ra1) = range(&|r| r.rho_a);
    let (av0, av1) = range(&|r| r.ave);
    let low_ave: Vec<&String> = multi
        .iter()
        .filter(|(_, r)| r.ave < crate::criteria::AVE_MIN.value)
        .map(|(c, _)| *c)
        .collect();
    en.push(format!(
        "In the measurement model, ρ_C ranged from {} to {} and ρ_A from {} to {}; AVE ranged from {} to {}{}.",
        apa(rc0),
        apa(rc1),
        apa(ra0),
        apa(ra1),
        apa(av0),
        apa(av1),
        if low_ave.is_empty() {
            ", above .50 for every construct".to_string()
        } else {
            format!(", below .50 for {}", low_ave.iter().map(|c| name(c).to_lowercase()).collect::<Vec<_>>().join(", "))
        }
    ));
    zh.push(format!(
        "测量模型中,ρ_C 介于 {} 与 {} 之间,ρ_A 介于 {} 与 {} 之间;AVE 介于 {} 与 {} 之间{}。",
        apa(rc0),
        apa(rc1),
        apa(ra0),
        apa(ra1),
        apa(av0),
        apa(av1),
        if low_ave.is_empty() {
            ",均高于 .50".to_string()
        } else {
            format!(
                ",其中{}低于 .50",
                low_ave
                    .iter()
                    .map(|c| name_zh(c))
                    .collect::<Vec<_>>()
                    .join("、")
            )
        }
    ));
    let max = p
        .htmt
        .iter()
        .flat_map(|(a, row)| row.iter().map(move |(b, v)| (a, b, *v)))
        .max_by(|x, y| x.2.total_cmp(&y.2));
    if let Some((a, b, v)) = max {
        let upper = p.bootstrap.as_ref().and_then(|bt| {
            let all: Vec<f64> = bt
                .htmt
                .values()
                .flat_map(|row| row.values().map(|e| e.upper95))
                .collect();
            (!all.is_empty()).then(|| all.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        });
        let max = crate::criteria::HTMT_MAX.value;
        let ok = v < max && upper.is_none_or(|u| u < max);
        en.push(format!(
            "The largest HTMT was {} ({} and {}){}; discriminant validity {}.",
            apa(v),
            name(a).to_lowercase(),
            name(b).to_lowercase(),
            upper.map_or(String::new(), |u| format!(
                ", and every one-sided 95% bootstrap upper bound was at most {}",
                apa(u)
            )),
            if ok {
                "holds by the .85 criterion (Henseler et al., 2015)"
            } else {
                "is in doubt by the .85 criterion (Henseler et al., 2015)"
            }
        ));
        zh.push(format!(
            "HTMT 最大为 {}({}与{}){},{}。",
            apa(v),
            name_zh(a),
            name_zh(b),
            upper.map_or(String::new(), |u| format!(
                ",自助法单侧 95% 上限最大为 {}",
                apa(u)
            )),
            if ok {
                "按 .85 标准具有区分效度(Henseler 等,2015)"
            } else {
                "按 .85 标准区分效度存疑(Henseler 等,2015)"
            }
        ));
    }
}

/// The priority quadrant's most important construct: above the map's mean importance, below its mean
/// performance (the orange points of the chart).
fn top_priority(points: &IndexMap<String, IpmaPoint>) -> Option<&str> {
    let k = points.len().max(1) as f64;
    let mp = points.values().map(|p| p.performance).sum::<f64>() / k;
    let mi = points.values().map(|p| p.importance).sum::<f64>() / k;
    points
        .iter()
        .filter(|(_, p)| p.performance < mp && p.importance > mi)
        .max_by(|a, b| a.1.importance.total_cmp(&b.1.importance))
        .map(|(c, _)| c.as_str())
}

/// What the map says, as the rest of a sentence: (English, Chinese).
fn priority(
    points: &IndexMap<String, IpmaPoint>,
    name: &dyn Fn(&str) -> String,
    name_zh: &dyn Fn(&str) -> String,
) -> (String, String) {
    let most = points
        .iter()
        .max_by(|a, b| a.1.importance.total_cmp(&b.1.importance));
    let Some((top, tp)) = most else {
        return (String::new(), String::new());
    };
    let mut e = format!(
        "{} was the most important driver (total effect {:.2}, performance {:.1} of 100)",
        name(top).to_lowercase(),
        tp.importance,
        tp.performance
    );
    let mut z = format!(
        "{}是最重要的驱动因素(总效应 {:.2},绩效 {:.1}/100)",
        name_zh(top),
        tp.importance,
        tp.performance
    );
    match top_priority(points) {
        Some(c) => {
            let pt = points[c];
            e += &format!("; {} combined high importance ({:.2}) with below-average performance ({:.1}): the first place to improve.", name(c).to_lowercase(), pt.importance, pt.performance);
            z += &format!(
                ";{}重要性较高({:.2})而绩效低于平均({:.1}),应优先改进。",
                name_zh(c),
                pt.importance,
                pt.performance
            );
        }
        None => {
            e += "; no construct combined above-average importance with below-average performance.";
            z += ";没有构念同时具有高于平均的重要性和低于平均的绩效。";
        }
    }
    (e, z)
}

fn join(parts: &[String], and: &str) -> String {
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            if and == "和" {
                format!("{}{and}{last}", rest.join("、"))
            } else {
                format!("{} {and} {last}", rest.join(", "))
            }
        }
        _ => parts.join(""),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
