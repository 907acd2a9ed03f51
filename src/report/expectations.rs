//! The zone of tolerance on the terminal: per dimension and item the adequate, desired and perceived means,
//! MSA and MSS with their intervals and the shares outside the zone; by group the dimensions again, with the
//! groups compared on each gap.

use super::terminal::{right, table};
use crate::analysis::expectations::result::{ExpectationsBlock, Zone};
use crate::apa::{apa, p_apa};
use indexmap::IndexMap;

fn opt(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.2}"))
}

fn gap(m: Option<f64>, ci: Option<[f64; 2]>) -> String {
    match (m, ci) {
        (Some(m), Some([lo, hi])) => format!("{m:.2} [{lo:.2}, {hi:.2}]"),
        (Some(m), None) => format!("{m:.2}"),
        _ => "—".into(),
    }
}

fn share(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{:.1}%", 100.0 * v))
}

fn zone_table<'a>(rows: impl Iterator<Item = (String, &'a Zone)>, first: &str) -> String {
    let mut t = table(&[
        first,
        "n",
        "adequate",
        "desired",
        "perceived",
        "MSA [95% CI]",
        "MSS [95% CI]",
        "below adequate",
        "above desired",
    ]);
    for (name, z) in rows {
        t.add_row([
            comfy_table::Cell::new(name),
            right(z.n.to_string()),
            right(opt(z.adequate)),
            right(opt(z.desired)),
            right(opt(z.perceived)),
            right(gap(z.msa, z.msa_ci95)),
            right(gap(z.mss, z.mss_ci95)),
            right(share(z.below_adequate)),
            right(share(z.above_desired)),
        ]);
    }
    format!("{t}\n")
}

pub fn terminal(e: &ExpectationsBlock, labels: &IndexMap<String, String>) -> String {
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut out = String::from(
        "\nZone of tolerance by dimension (MSA = perceived − adequate, MSS = perceived − desired, per respondent; t intervals)\n",
    );
    out += &zone_table(e.dimensions.iter().map(|(d, z)| (label(d), z)), "dimension");
    out += "\nBy item\n";
    out += &zone_table(e.items.iter().map(|(i, z)| (i.clone(), z)), "item");
    if let Some(g) = &e.groups {
        for (name, dims) in &g.groups {
            out += &format!("\n{} = {name}\n", g.by);
            out += &zone_table(dims.iter().map(|(d, z)| (label(d), z)), "dimension");
        }
        out += &format!(
            "\nGroups compared ('{}'; {} respondents without a group value left out)\n",
            g.by, g.no_group
        );
        let mut t = table(&[
            "dimension",
            "gap",
            "ANOVA F (df), p, η²",
            "Welch F, p",
            "Kruskal–Wallis H, p",
            "Games–Howell pairs p < .05",
        ]);
        for (d, c) in &g.comparisons {
            for (name, test) in [("MSA", &c.msa), ("MSS", &c.mss)] {
                let Some(test) = test else { continue };
                let pairs: Vec<String> = test
                    .games_howell
                    .iter()
                    .filter(|(_, p)| p.p_adj < crate::criteria::SIGNIFICANCE)
                    .map(|(k, p)| format!("{k} ({:+.2})", p.diff))
                    .collect();
                t.add_row([
                    comfy_table::Cell::new(label(d)),
                    comfy_table::Cell::new(name),
                    right(format!(
                        "{:.2} ({}, {}), {}, {}",
                        test.anova.f,
                        test.anova.df1,
                        test.anova.df2,
                        p_apa(test.anova.p),
                        apa(test.anova.eta2)
                    )),
                    right(format!("{:.2}, {}", test.welch.f, p_apa(test.welch.p))),
                    right(format!("{:.2}, {}", test.kruskal.h, p_apa(test.kruskal.p))),
                    comfy_table::Cell::new(if pairs.is_empty() {
                        "—".into()
                    } else {
                        pairs.join("; ")
                    }),
                ]);
            }
        }
        out += &format!("{t}\n");
    }
    out
}

fn zone_rows<'a>(rows: impl Iterator<Item = (String, &'a Zone)>) -> Vec<Vec<String>> {
    rows.map(|(name, z)| {
        vec![
            name,
            z.n.to_string(),
            opt(z.adequate),
            opt(z.desired),
            opt(z.perceived),
            gap(z.msa, z.msa_ci95),
            gap(z.mss, z.mss_ci95),
            share(z.below_adequate),
            share(z.above_desired),
        ]
    })
    .collect()
}

const ZONE_HEADER: [&str; 9] = [
    "",
    "n",
    "Adequate M",
    "Desired M",
    "Perceived M",
    "MSA [95% CI]",
    "MSS [95% CI]",
    "Below zone",
    "Above zone",
];
const ZONE_NOTE: &str = "MSA = perceived − adequate (measure of service adequacy), MSS = perceived − desired (measure of service superiority), per respondent, then averaged (Parasuraman, Zeithaml, & Berry, 1994); 95% t intervals. Below zone: perceived strictly below adequate; above zone: perceived strictly above desired.";

fn header(first: &str) -> Vec<String> {
    let mut h: Vec<String> = ZONE_HEADER.iter().map(|s| s.to_string()).collect();
    h[0] = first.to_string();
    h
}

/// The APA tables: dimensions, items and (with groups) the dimensions by group.
pub fn tables(
    e: &ExpectationsBlock,
    labels: &IndexMap<String, String>,
) -> Vec<super::tables::Table> {
    use super::tables::Table;
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut out = vec![
        Table {
            id: "table_zone_dimensions",
            title: "Zone of tolerance by dimension".into(),
            header: header("Dimension"),
            rows: zone_rows(e.dimensions.iter().map(|(d, z)| (label(d), z))),
            note: ZONE_NOTE.into(),
        },
        Table {
            id: "table_zone_items",
            title: "Zone of tolerance by item".into(),
            header: header("Item"),
            rows: zone_rows(e.items.iter().map(|(i, z)| (i.clone(), z))),
            note: ZONE_NOTE.into(),
        },
    ];
    if let Some(g) = &e.groups {
        let mut rows = Vec::new();
        for (name, dims) in &g.groups {
            rows.extend(zone_rows(
                dims.iter()
                    .map(|(d, z)| (format!("{name}: {}", label(d)), z)),
            ));
        }
        out.push(Table {
            id: "table_zone_groups",
            title: format!(
                "Zone of tolerance by {}",
                g.label.as_deref().unwrap_or(&g.by)
            ),
            header: header("Group: dimension"),
            rows,
            note: ZONE_NOTE.into(),
        });
    }
    out
}

/// The results paragraph: where perceived performance falls against the zone, overall and by group.
pub fn prose(e: &ExpectationsBlock, labels: &IndexMap<String, String>, zh: bool) -> String {
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut below = Vec::new();
    let mut within = Vec::new();
    let mut above = Vec::new();
    for (d, z) in &e.dimensions {
        let s = format!(
            "{} (MSA = {}, 95% CI [{}])",
            label(d),
            opt(z.msa),
            z.msa_ci95
                .map_or("—".into(), |[a, b]| format!("{a:.2}, {b:.2}"))
        );
        match (z.msa_ci95, z.mss_ci95) {
            (Some([_, hi]), _) if hi < 0.0 => below.push(s),
            (_, Some([lo, _])) if lo > 0.0 => above.push(s),
            _ => within.push(s),
        }
    }
    let mut out = if zh {
        let mut v = Vec::new();
        if !below.is_empty() {
            v.push(format!("低于可接受的最低水平:{}", below.join("、")));
        }
        if !within.is_empty() {
            v.push(format!(
                "位于容忍区间内(或与其下限无显著差异):{}",
                within.join("、")
            ));
        }
        if !above.is_empty() {
            v.push(format!("高于理想水平:{}", above.join("、")));
        }
        format!("以感知水平减最低可接受水平(MSA)衡量,{}。", v.join(";"))
    } else {
        let mut v = Vec::new();
        if !below.is_empty() {
            v.push(format!("below the adequate level for {}", below.join(", ")));
        }
        if !within.is_empty() {
            v.push(format!(
                "within the zone of tolerance (or not distinguishable from its lower bound) for {}",
                within.join(", ")
            ));
        }
        if !above.is_empty() {
            v.push(format!("above the desired level for {}", above.join(", ")));
        }
        format!(
            "Perceived performance was {} (Parasuraman, Zeithaml, & Berry, 1994).",
            v.join("; ")
        )
    };
    if let Some(g) = &e.groups {
        let differing: Vec<String> = g
            .comparisons
            .iter()
            .filter_map(|(d, c)| {
                let t = c.msa.as_ref()?;
                (t.welch.p < crate::criteria::SIGNIFICANCE).then(|| {
                    format!(
                        "{} (Welch F({:.0}, {:.1}) = {:.2}, p {})",
                        label(d),
                        t.welch.df1,
                        t.welch.df2,
                        t.welch.f,
                        crate::apa::p_clause(t.welch.p)
                    )
                })
            })
            .collect();
        let noun = g.label.as_deref().unwrap_or(&g.by);
        out += &match (zh, differing.is_empty()) {
            (true, true) => format!("各{noun}的 MSA 没有显著差异。"),
            (true, false) => format!("各{noun}的 MSA 存在显著差异:{}。", differing.join(";")),
            (false, true) => {
                format!(" The groups of {noun} did not differ in MSA on any dimension.")
            }
            (false, false) => format!(
                " The groups of {noun} differed in MSA on {}.",
                differing.join("; ")
            ),
        };
    }
    out
}
