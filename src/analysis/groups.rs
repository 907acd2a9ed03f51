//! Section: the groups of the `--by` column compared on every dimension (ANOVA, Welch, Kruskal–Wallis, Tukey
//! HSD with compact letters, Games–Howell; t, Mann–Whitney and Hedges' g for two groups), item descriptives
//! and reliability within each group, answer distributions, and measurement invariance.

use super::{invariance, Findings, MAX_GROUPS};
use crate::criteria;
use crate::data::Responses;
use crate::error::{Error, Result};
use crate::findings::{Finding, GroupRef};
use crate::instrument::Instrument;
use crate::report::{
    GroupDimension, GroupReliabilityBlock, GroupStatsBlock, GroupsBlock, PairBlock, TwoGroupsBlock,
};
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::moments::Moments;
use crate::stats::quantiles::{BoxStats, Distinct};
use crate::stats::{groups, reliability};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Group name → its rows (indices into the scored rows), in byte order of the names.
pub(super) type Members = BTreeMap<String, Vec<usize>>;

pub(super) fn section(
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    by: &str,
    findings: &mut Findings,
) -> Result<Option<GroupsBlock>> {
    let Some((members, missing_group)) = members(responses, scored, by, findings)? else {
        return Ok(None);
    };
    let names: Vec<String> = members.keys().cloned().collect();
    use crate::progress::timed;
    let dimensions = timed("groups: dimensions compared", || {
        compare_dimensions(instrument, scored, &members, &names, findings)
    });
    // Moments of each group, computed once: item descriptives, reliability and invariance all use them.
    let group_moments: Vec<Moments> = timed("groups: moments", || {
        members
            .values()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|rows| match scored.policy {
                MissingPolicy::Listwise => Moments::complete_rows(&scored.items, Some(rows)),
                MissingPolicy::Pairwise | MissingPolicy::Fiml => {
                    Moments::pairwise(&scored.items.select_rows(rows))
                }
            })
            .collect()
    });
    let items = instrument
        .items
        .iter()
        .enumerate()
        .map(|(j, item)| {
            let per_group = names
                .iter()
                .zip(&group_moments)
                .map(|(g, m)| {
                    let s = groups::summarize(m.n_item[j], m.means[j], m.sds[j]);
                    (g.clone(), GroupStatsBlock::from(s))
                })
                .collect();
            (item.id.clone(), per_group)
        })
        .collect();
    let reliability = timed("groups: reliability", || {
        reliability_by_group(instrument, by, &members, &group_moments, findings)
    });
    let listwise = (scored.policy == MissingPolicy::Listwise).then_some(group_moments.as_slice());
    let invariance = timed("groups: invariance", || {
        invariance::section(instrument, scored, &members, listwise, by, findings)
    });
    let item_distributions = timed("groups: answer counts", || {
        let mut group_of = vec![u16::MAX; scored.rows.len()];
        for (g, rows) in members.values().enumerate() {
            for &r in rows {
                group_of[r] = g as u16;
            }
        }
        let counts =
            super::data::item_counts_by_group(instrument, &scored.items, &group_of, members.len());
        names
            .iter()
            .zip(counts)
            .map(|(g, c)| Some((g.clone(), c?)))
            .collect()
    });
    Ok(Some(GroupsBlock {
        by: by.to_string(),
        label: None,
        missing_group,
        dimensions,
        items,
        reliability,
        invariance,
        item_distributions,
    }))
}

/// The groups with at least 2 respondents, and how many respondents have no group; None (with a finding)
/// when fewer than 2 groups remain.
fn members(
    responses: &Responses,
    scored: &Scored,
    by: &str,
    findings: &mut Findings,
) -> Result<Option<(Members, usize)>> {
    let Some(group) = &responses.group else {
        return Ok(None);
    };
    let mut missing_group = 0;
    let mut by_code: Vec<Vec<usize>> = vec![Vec::new(); group.labels.len()];
    for (k, &row) in scored.rows.iter().enumerate() {
        match group.codes[row] {
            Some(c) => by_code[c as usize].push(k),
            None => missing_group += 1,
        }
    }
    // Groups in byte order of their labels, as the contract orders them.
    let mut members: Members = group
        .labels
        .iter()
        .cloned()
        .zip(by_code)
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    if missing_group > 0 {
        findings.push(Finding::GroupValueMissing {
            by: by.into(),
            respondents: missing_group,
        });
    }
    if members.len() > MAX_GROUPS {
        return Err(Error::Usage(format!(
            "'{by}' has {} different values; perval compares at most {MAX_GROUPS} groups\n  fix: check that --by names a grouping column (store, brand, wave), not an id or a score",
            members.len()
        )));
    }
    let small: Vec<String> = members
        .iter()
        .filter(|(_, m)| m.len() < 2)
        .map(|(g, _)| g.clone())
        .collect();
    if !small.is_empty() {
        for g in &small {
            members.remove(g);
        }
        findings.push(Finding::SmallGroupsLeftOut {
            by: by.into(),
            groups: small,
        });
    }
    if members.len() < 2 {
        findings.push(Finding::TooFewGroups { by: by.into() });
        return Ok(None);
    }
    Ok(Some((members, missing_group)))
}

/// Every dimension compared across the groups, on all cores; results in dimension order.
fn compare_dimensions(
    instrument: &Instrument,
    scored: &Scored,
    members: &Members,
    names: &[String],
    findings: &mut Findings,
) -> IndexMap<String, GroupDimension> {
    let comparisons: Vec<_> = (0..instrument.dimensions.len())
        .into_par_iter()
        .map(|d| {
            let data: Vec<Vec<f64>> = members
                .values()
                .map(|rows| {
                    rows.iter()
                        .map(|&k| scored.scores[(k, d)])
                        .filter(|v| !v.is_nan())
                        .collect()
                })
                .collect();
            let boxes: Vec<Option<BoxStats>> = data
                .iter()
                .map(|v| BoxStats::of(&Distinct::new(v.iter().copied())))
                .collect();
            groups::compare(&data).map(|c| (c, boxes))
        })
        .collect();
    let mut out = IndexMap::new();
    for (dim, cmp) in instrument.dimensions.iter().zip(comparisons) {
        let (cmp, boxes) = match cmp {
            Ok(c) => c,
            Err(e) => {
                findings.push(Finding::GroupComparisonFailed {
                    dimension: dim.id.clone(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        let pair = |p: &groups::Pair| PairBlock {
            a: names[p.a].clone(),
            b: names[p.b].clone(),
            diff: p.diff,
            p_adj: p.p_adj,
        };
        let tukey: Vec<PairBlock> = cmp.tukey.iter().map(pair).collect();
        let letters = groups::compact_letters(
            names,
            &cmp.groups.iter().map(|s| s.mean).collect::<Vec<_>>(),
            &tukey
                .iter()
                .map(|p| (p.a.clone(), p.b.clone(), p.p_adj))
                .collect::<Vec<_>>(),
        );
        out.insert(
            dim.id.clone(),
            GroupDimension {
                groups: names
                    .iter()
                    .zip(cmp.groups)
                    .zip(boxes)
                    .map(|((g, stats), box_plot)| (g.clone(), GroupStatsBlock { stats, box_plot }))
                    .collect(),
                anova: cmp.anova,
                welch: cmp.welch,
                kruskal: cmp.kruskal,
                tukey,
                games_howell: cmp.games_howell.iter().map(pair).collect(),
                letters: names.iter().cloned().zip(letters).collect(),
                two_groups: cmp.two_groups.map(|t| TwoGroupsBlock {
                    welch_t: t.t,
                    welch_df: t.t_df,
                    welch_p: t.t_p,
                    mann_whitney_u: t.u,
                    mann_whitney_p: t.u_p,
                    mann_whitney_exact: t.u_exact,
                    hedges_g: t.hedges_g,
                }),
            },
        );
    }
    out
}

/// α and ω of every dimension in every group: does the scale work in every store?
fn reliability_by_group(
    instrument: &Instrument,
    by: &str,
    members: &Members,
    group_moments: &[Moments],
    findings: &mut Findings,
) -> IndexMap<String, IndexMap<String, GroupReliabilityBlock>> {
    let mut out = IndexMap::new();
    for ((g, rows), m) in members.iter().zip(group_moments) {
        let mut per_dim = IndexMap::new();
        let group = || {
            Some(GroupRef {
                by: by.into(),
                group: g.clone(),
            })
        };
        for dim in &instrument.dimensions {
            if dim.items.len() < 2 || rows.len() < 3 {
                continue;
            }
            match reliability::reliability(&m.select(&dim.items)) {
                Ok(rel) => {
                    if rel.alpha < criteria::ALPHA_MIN.value {
                        findings.push(Finding::LowAlpha {
                            dimension: dim.id.clone(),
                            alpha: rel.alpha,
                            group: group(),
                        });
                    }
                    per_dim.insert(
                        dim.id.clone(),
                        GroupReliabilityBlock {
                            n: rows.len(),
                            alpha: rel.alpha,
                            omega_total: rel.omega_total,
                        },
                    );
                }
                Err(e) => findings.push(Finding::ReliabilityFailed {
                    dimension: dim.id.clone(),
                    group: group(),
                    error: e.to_string(),
                }),
            }
        }
        out.insert(g.clone(), per_dim);
    }
    out
}
