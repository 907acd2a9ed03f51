//! The Kano family (`perval kano`): each attribute's functional and dysfunctional answers classified by the
//! evaluation table (A, O, M, I, R, Q), counted once per attribute and group in one pass over the rows, and
//! turned into the statistics of [`result`]: shares, the category by the mode and by the grouped rule, the
//! strengths, Fong's test, Better and Worse with score intervals, DuMouchel's means, the mean importance;
//! with `--by`, the same per group, the χ² test across groups and the pairwise differences.

mod groups;
pub mod result;

use crate::criteria as c;
use crate::data::RawFile;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::kano::{normalize, Attribute, Kano, STANDARD_WORDINGS};
use crate::instrument::{Instrument, Scale};
use crate::stats::kano::{Pairs, Table, Tally};
use indexmap::IndexMap;
use rayon::prelude::*;
use result::{AttributeResult, KanoBlock, KanoGroups};

/// How to run the Kano analysis.
#[derive(Debug, Clone)]
pub struct KanoOptions {
    pub table: Table,
    /// The grouping column (`--by`).
    pub by: Option<String>,
    /// What a group is, in words (`--group-label`).
    pub group_label: Option<String>,
    /// Seed of the Monte Carlo p values.
    pub seed: u64,
    /// Quadrant lines of the Kano map at the attributes' mean |Worse| and Better instead of at 0.5.
    pub lines_at_means: bool,
}

/// The Kano family's results and what it noticed.
pub struct KanoAnalysis {
    pub block: KanoBlock,
    pub findings: Vec<Finding>,
    /// Data rows in the file.
    pub rows_read: usize,
    /// What the reader detected (encoding, platform, matched columns).
    pub notes: Vec<String>,
}

/// The Kano answers of every attribute (columns 2k, 2k + 1 = functional, dysfunctional of attribute k), the
/// importance answers (one column per attribute that has one) and the groups.
struct KanoData {
    answers: crate::data::Answers,
    importance: Option<(crate::data::Answers, Vec<Option<usize>>)>,
    groups: Option<crate::data::Groups>,
    rows: usize,
    notes: Vec<String>,
}

/// Read the attributes' columns through the shared reader (codes 1–5, the declared wordings or a standard
/// one; importance on its own scale).
fn read(
    file: &RawFile,
    instrument: &Instrument,
    kano: &Kano,
    by: Option<&str>,
) -> Result<KanoData> {
    let columns: Vec<(String, String)> = kano
        .attributes
        .iter()
        .flat_map(|a| [a.functional.clone(), a.dysfunctional.clone()])
        .map(|c| (c.clone(), c))
        .collect();
    let labels: Vec<String> = if kano.answers.is_empty() {
        STANDARD_WORDINGS[0].iter().map(|s| s.to_string()).collect()
    } else {
        kano.answers.clone()
    };
    let aliases = STANDARD_WORDINGS
        .iter()
        .flat_map(|set| {
            set.iter()
                .enumerate()
                .map(|(k, w)| (normalize(w), (k + 1) as f64))
        })
        .collect();
    let answer_scale = Scale {
        min: 1.0,
        max: 5.0,
        labels,
        aliases,
    };
    let responses = file.load(
        &instrument.of_columns(&instrument.id, &columns, answer_scale),
        by,
        false,
    )?;
    check_whole_codes(file, &responses.answers, &columns)?;
    let importance = match kano.importance {
        Some((min, max)) if kano.attributes.iter().any(|a| a.importance.is_some()) => {
            let mut slot = Vec::new();
            let mut cols = Vec::new();
            for a in &kano.attributes {
                slot.push(a.importance.as_ref().map(|col| {
                    cols.push((col.clone(), col.clone()));
                    cols.len() - 1
                }));
            }
            let scale = Scale {
                min,
                max,
                labels: Vec::new(),
                aliases: Vec::new(),
            };
            let imp = file.load(
                &instrument.of_columns(&instrument.id, &cols, scale),
                None,
                false,
            )?;
            Some((imp.answers, slot))
        }
        _ => None,
    };
    Ok(KanoData {
        rows: responses.n_rows,
        answers: responses.answers,
        importance,
        groups: responses.group,
        notes: responses.notes,
    })
}

/// A Kano answer is one of the five codes: 2.5 is within [1, 5] but no answer. Each column's table of distinct
/// values is checked (not every row); the row is looked up only to name it in the message.
fn check_whole_codes(
    file: &RawFile,
    answers: &crate::data::Answers,
    columns: &[(String, String)],
) -> Result<()> {
    for (j, (column, _)) in columns.iter().enumerate() {
        let bad_row = match answers.codes(j) {
            Some((codes, values)) => values
                .iter()
                .position(|v| !v.is_nan() && v.fract() != 0.0)
                .and_then(|c| codes.iter().position(|&x| x as usize == c)),
            None => (0..answers.nrows()).find(|&r| {
                let v = answers.value(r, j);
                !v.is_nan() && v.fract() != 0.0
            }),
        };
        if let Some(r) = bad_row {
            return Err(Error::OutOfRange {
                file: file.path.clone(),
                row: format!("row {}", r + 1),
                column: column.clone(),
                value: answers.value(r, j),
                scale: "of the Kano answer codes 1–5 (like, must-be, neutral, live with, dislike)"
                    .into(),
            });
        }
    }
    Ok(())
}

/// Group of each row as its place in name order; `n_groups` for a row without a group (and for every row
/// when there are no groups).
type GroupOf = Vec<u16>;

/// The answer (1–5; 0 when missing) of each code of a Kano column.
fn answer_of(values: &[f64]) -> [u8; 256] {
    let mut map = [0u8; 256];
    for (c, v) in values.iter().enumerate().take(256) {
        if !v.is_nan() {
            map[c] = *v as u8;
        }
    }
    map
}

/// The tallies of attribute `k`: over everyone (index `n_groups`, the last) and per group. Answer pairs are
/// counted in one 6 × 6 table per group (the codes read directly); the statistics come from those counts.
fn tally(
    data: &KanoData,
    table: Table,
    k: usize,
    group_of: &GroupOf,
    n_groups: usize,
) -> (Tally, Vec<Tally>) {
    let rows = data.rows;
    let mut pairs: Vec<Pairs> = vec![[[0u64; 6]; 6]; n_groups + 1];
    let group = |r: usize| group_of.get(r).map_or(n_groups, |&g| g as usize);
    match (data.answers.codes(2 * k), data.answers.codes(2 * k + 1)) {
        (Some((fc, fv)), Some((dc, dv))) => {
            let (fa, da) = (answer_of(fv), answer_of(dv));
            if group_of.is_empty() {
                let p = &mut pairs[n_groups];
                for (f, d) in fc.iter().zip(dc) {
                    p[fa[*f as usize] as usize][da[*d as usize] as usize] += 1;
                }
            } else {
                for (r, (f, d)) in fc.iter().zip(dc).enumerate() {
                    pairs[group_of[r] as usize][fa[*f as usize] as usize]
                        [da[*d as usize] as usize] += 1;
                }
            }
        }
        // More than 255 distinct values cannot pass the whole-code check; read the values all the same.
        _ => {
            for r in 0..rows {
                let (f, d) = (
                    data.answers.value(r, 2 * k),
                    data.answers.value(r, 2 * k + 1),
                );
                let code = |v: f64| if v.is_nan() { 0 } else { v as usize };
                pairs[group(r)][code(f)][code(d)] += 1;
            }
        }
    }
    let mut per: Vec<Tally> = pairs.iter().map(|p| Tally::from_pairs(table, p)).collect();
    if let Some((answers, j)) = data
        .importance
        .as_ref()
        .and_then(|(answers, slot)| slot[k].map(|j| (answers, j)))
    {
        for r in 0..rows {
            let v = answers.value(r, j);
            if !v.is_nan() {
                per[group(r)].add_importance(v);
            }
        }
    }
    let mut all = Tally::default();
    for t in &per {
        all.merge(t);
    }
    per.truncate(n_groups);
    (all, per)
}

/// Run the Kano analysis of `instrument`'s `[kano]` section on `file`.
pub fn run(file: &RawFile, instrument: &Instrument, options: &KanoOptions) -> Result<KanoAnalysis> {
    let kano = instrument.kano.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "instrument '{}' has no [kano] section\n  fix: give a Kano instrument with --instrument (built-in: kano-restaurant, kano-restaurant-zh), or see the README's Kano section",
            instrument.id
        ))
    })?;
    let data = read(file, instrument, kano, options.by.as_deref())?;
    // Groups in text order; each row's group as its place in that order.
    let (names, group_of) = match &data.groups {
        Some(g) => {
            let mut names = g.labels.clone();
            names.sort();
            if names.len() > crate::analysis::MAX_GROUPS {
                return Err(Error::Usage(format!(
                    "--by {}: {} groups; perval compares at most {} (is it the store column?)\n  fix: group by the column that names the store, brand or product",
                    g.column,
                    names.len(),
                    crate::analysis::MAX_GROUPS
                )));
            }
            let place: Vec<usize> = g
                .labels
                .iter()
                .map(|l| names.iter().position(|n| n == l).unwrap_or(0))
                .collect();
            let none = names.len() as u16;
            let of: GroupOf = g
                .codes
                .iter()
                .map(|c| c.map_or(none, |c| place[c as usize] as u16))
                .collect();
            (names, of)
        }
        None => (Vec::new(), Vec::new()),
    };
    let tallies: Vec<(Tally, Vec<Tally>)> = (0..kano.attributes.len())
        .into_par_iter()
        .map(|k| tally(&data, options.table, k, &group_of, names.len()))
        .collect();
    let mut findings = Vec::new();
    let mut attributes = IndexMap::new();
    for (a, (all, _)) in kano.attributes.iter().zip(&tallies) {
        if all.n() == 0 {
            return Err(Error::BadFile {
                file: file.path.clone(),
                message: format!(
                    "nobody answered both questions of attribute '{}' (columns '{}' and '{}')",
                    a.id, a.functional, a.dysfunctional
                ),
                fix:
                    "check that the instrument names the right columns, or leave the attribute out"
                        .into(),
            });
        }
        let r = result_of(a, all);
        notice(a, &r, None, &mut findings);
        attributes.insert(a.id.clone(), r);
    }
    let groups = data
        .groups
        .as_ref()
        .map(|g| groups_block(kano, &tallies, &names, &group_of, g, options, &mut findings));
    let map_lines = if options.lines_at_means {
        let (worse, better): (Vec<f64>, Vec<f64>) = attributes
            .values()
            .filter_map(|a: &AttributeResult| Some((a.worse?.abs(), a.better?)))
            .unzip();
        let mean = |v: &[f64]| {
            if v.is_empty() {
                0.5
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        [mean(&worse), mean(&better)]
    } else {
        [0.5, 0.5]
    };
    Ok(KanoAnalysis {
        block: KanoBlock {
            table: options.table.name().into(),
            attributes,
            groups,
            map_lines,
        },
        findings,
        rows_read: data.rows,
        notes: data.notes,
    })
}

fn result_of(a: &Attribute, t: &Tally) -> AttributeResult {
    AttributeResult::from_tally(&a.label, a.dimension.as_deref(), t, a.importance.is_some())
}

/// The findings about one attribute's answers (over everyone: `group` None).
fn notice(a: &Attribute, r: &AttributeResult, group: Option<&str>, findings: &mut Vec<Finding>) {
    if r.n > 0 && r.better.is_none() {
        findings.push(Finding::KanoNoBetterWorse {
            attribute: a.label.clone(),
            group: group.map(String::from),
        });
    }
    if group.is_some() {
        return;
    }
    let share = |x: u64| x as f64 / r.n as f64;
    if share(r.counts.Q) >= c::KANO_QUESTIONABLE_MAX.value {
        findings.push(Finding::KanoQuestionable {
            attribute: a.label.clone(),
            count: r.counts.Q,
            n: r.n,
        });
    }
    if share(r.counts.R) >= c::KANO_REVERSE_MAX.value {
        findings.push(Finding::KanoReverse {
            attribute: a.label.clone(),
            count: r.counts.R,
            n: r.n,
        });
    }
    if let (true, Some(category), Some(grouped)) =
        (r.rules_disagree(), r.category, r.category_grouped)
    {
        findings.push(Finding::KanoRulesDisagree {
            attribute: a.label.clone(),
            category,
            grouped,
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn groups_block(
    kano: &Kano,
    tallies: &[(Tally, Vec<Tally>)],
    names: &[String],
    group_of: &GroupOf,
    g: &crate::data::Groups,
    options: &KanoOptions,
    findings: &mut Vec<Finding>,
) -> KanoGroups {
    let mut n: IndexMap<String, usize> = names.iter().map(|g| (g.clone(), 0)).collect();
    for &x in group_of.iter().filter(|&&x| (x as usize) < names.len()) {
        n[x as usize] += 1;
    }
    let mut per_group: IndexMap<String, IndexMap<String, AttributeResult>> =
        names.iter().map(|g| (g.clone(), IndexMap::new())).collect();
    let mut tests = IndexMap::new();
    let mut differences = IndexMap::new();
    for (k, (a, (_, per))) in kano.attributes.iter().zip(tallies).enumerate() {
        for (gi, name) in names.iter().enumerate() {
            let r = result_of(a, &per[gi]);
            notice(a, &r, Some(name), findings);
            per_group[name].insert(a.id.clone(), r);
        }
        let named: Vec<(&str, &Tally)> = names.iter().map(String::as_str).zip(per.iter()).collect();
        let test = groups::test(&named, options.seed.wrapping_add(k as u64));
        if let Some(t) = test.as_ref().filter(|t| t.p < c::SIGNIFICANCE) {
            let by_group: Vec<(String, crate::stats::kano::Class)> = names
                .iter()
                .filter_map(|g| per_group[g][&a.id].category.map(|c| (g.clone(), c)))
                .collect();
            if by_group.iter().any(|(_, c)| *c != by_group[0].1) {
                findings.push(Finding::KanoCategoryShift {
                    attribute: a.label.clone(),
                    by_group,
                    chisq: t.chisq,
                    df: t.df,
                    p: t.p_monte_carlo.unwrap_or(t.p),
                });
            }
        }
        tests.insert(a.id.clone(), test);
        let mut pairs = IndexMap::new();
        for i in 0..names.len() {
            for j in i + 1..names.len() {
                pairs.insert(
                    format!("{} vs {}", names[i], names[j]),
                    groups::difference(&per[i], &per[j]),
                );
            }
        }
        differences.insert(a.id.clone(), pairs);
    }
    KanoGroups {
        by: g.column.clone(),
        label: options.group_label.clone(),
        groups: per_group,
        n,
        no_group: group_of
            .iter()
            .filter(|&&x| x as usize >= names.len())
            .count(),
        tests,
        differences,
    }
}
