//! The expectations family (`perval expectations`): each item asked as the adequate (minimum acceptable), the
//! desired (ideal) and the perceived level; per item and dimension the three means, the adequacy gap (MSA =
//! perceived − adequate) and the superiority gap (MSS = perceived − desired) with t intervals, and the shares
//! below the zone of tolerance and above it (Parasuraman, Zeithaml & Berry 1994); by group the same, with
//! MSA and MSS compared across the groups as `compare` compares dimension scores.

pub mod result;

use crate::data::{Answers, RawFile};
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::{Instrument, Level};
use crate::stats::distributions::t975;
use indexmap::IndexMap;
use result::{ExpectationGroups, ExpectationsBlock, GapComparisons, GapTest, PairDiff, Zone};

/// How to run the expectations analysis.
#[derive(Debug, Clone, Default)]
pub struct ExpectationOptions {
    pub by: Option<String>,
    pub group_label: Option<String>,
}

pub struct ExpectationAnalysis {
    pub block: ExpectationsBlock,
    pub findings: Vec<Finding>,
    pub rows_read: usize,
    pub notes: Vec<String>,
}

/// One respondent's three scores on an item or dimension (means of the answers), and where perceived falls.
#[derive(Debug, Clone, Copy)]
struct Scores {
    adequate: f64,
    desired: f64,
    perceived: f64,
    below: bool,
    above: bool,
}

/// Each respondent's scores over `items` (column triples into the answers), None when an answer is missing.
/// The comparisons with the bounds use the sums, so that equal means are equal (a mean of four answers
/// rounds differently from another).
fn scores(answers: &Answers, items: &[usize], r: usize) -> Option<Scores> {
    let mut sums = [0.0; 3];
    for &k in items {
        for (l, sum) in sums.iter_mut().enumerate() {
            let v = answers.value(r, 3 * k + l);
            if v.is_nan() {
                return None;
            }
            *sum += v;
        }
    }
    let n = items.len() as f64;
    Some(Scores {
        adequate: sums[0] / n,
        desired: sums[1] / n,
        perceived: sums[2] / n,
        below: sums[2] < sums[0],
        above: sums[2] > sums[1],
    })
}

/// Mean, and the t interval of the mean, of `x` (two passes).
fn mean_ci(x: &[f64]) -> (Option<f64>, Option<[f64; 2]>) {
    let n = x.len();
    if n == 0 {
        return (None, None);
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (Some(mean), None);
    }
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half = t975((n - 1) as f64) * (var / n as f64).sqrt();
    (Some(mean), Some([mean - half, mean + half]))
}

fn zone(s: &[Scores]) -> Zone {
    let n = s.len();
    let mean =
        |f: &dyn Fn(&Scores) -> f64| (n > 0).then(|| s.iter().map(f).sum::<f64>() / n as f64);
    let share = |f: &dyn Fn(&Scores) -> bool| {
        (n > 0).then(|| s.iter().filter(|x| f(x)).count() as f64 / n as f64)
    };
    let msa: Vec<f64> = s.iter().map(|x| x.perceived - x.adequate).collect();
    let mss: Vec<f64> = s.iter().map(|x| x.perceived - x.desired).collect();
    let (msa_mean, msa_ci95) = mean_ci(&msa);
    let (mss_mean, mss_ci95) = mean_ci(&mss);
    Zone {
        n,
        adequate: mean(&|x| x.adequate),
        desired: mean(&|x| x.desired),
        perceived: mean(&|x| x.perceived),
        msa: msa_mean,
        mss: mss_mean,
        msa_ci95,
        mss_ci95,
        below_adequate: share(&|x| x.below),
        above_desired: share(&|x| x.above),
        zone_width: mean(&|x| x.desired - x.adequate),
    }
}

/// Read every item's three columns through the shared reader, reverse-keyed items reversed in all three.
fn read(
    file: &RawFile,
    instrument: &Instrument,
    by: Option<&str>,
) -> Result<crate::data::Responses> {
    let e = instrument.expectations.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "instrument '{}' has no [expectations] section\n  fix: give an expectations instrument with --instrument (built-in: perval-expectations), or see the README",
            instrument.id
        ))
    })?;
    // The column name doubles as the question text: a derived column is never matched by an item's text.
    let columns: Vec<(String, String)> = instrument
        .items
        .iter()
        .flat_map(|it| Level::ALL.map(|l| e.column(l, &it.id)))
        .map(|c| (c.clone(), c))
        .collect();
    let mut responses = file.load(
        &instrument.of_columns(&instrument.id, &columns, instrument.scale.clone()),
        by,
        false,
    )?;
    for (k, it) in instrument.items.iter().enumerate() {
        if it.reverse {
            for l in 0..3 {
                responses
                    .answers
                    .map_values(3 * k + l, |x| crate::scoring::reverse(instrument, x));
            }
        }
    }
    Ok(responses)
}

pub fn run(
    file: &RawFile,
    instrument: &Instrument,
    options: &ExpectationOptions,
) -> Result<ExpectationAnalysis> {
    let responses = read(file, instrument, options.by.as_deref())?;
    let answers = &responses.answers;
    let rows = answers.nrows();
    let per_row = |items: &[usize]| -> Vec<Option<Scores>> {
        (0..rows).map(|r| scores(answers, items, r)).collect()
    };
    let complete = |v: &[Option<Scores>], keep: &dyn Fn(usize) -> bool| -> Vec<Scores> {
        v.iter()
            .enumerate()
            .filter(|(r, _)| keep(*r))
            .filter_map(|(_, s)| *s)
            .collect()
    };
    let mut findings = Vec::new();
    let mut items = IndexMap::new();
    let (mut inverted, mut pairs) = (0u64, 0u64);
    for (k, it) in instrument.items.iter().enumerate() {
        let s = complete(&per_row(&[k]), &|_| true);
        inverted += s.iter().filter(|x| x.adequate > x.desired).count() as u64;
        pairs += s.len() as u64;
        items.insert(it.id.clone(), zone(&s));
    }
    if inverted > 0 {
        findings.push(Finding::AdequateAboveDesired {
            answers: inverted,
            pairs,
        });
    }
    let dimension_rows: Vec<Vec<Option<Scores>>> = instrument
        .dimensions
        .iter()
        .map(|d| per_row(&d.items))
        .collect();
    let mut dimensions = IndexMap::new();
    for (d, v) in instrument.dimensions.iter().zip(&dimension_rows) {
        let z = zone(&complete(v, &|_| true));
        if z.n == 0 {
            return Err(Error::BadFile {
                file: file.path.clone(),
                message: format!(
                    "no respondent answered all three questions of every item of dimension '{}'",
                    d.id
                ),
                fix: "check the column patterns of [expectations] against the file's header".into(),
            });
        }
        notice(&d.label, &z, None, &mut findings);
        dimensions.insert(d.id.clone(), z);
    }
    let groups = responses.group.as_ref().map(|g| {
        let mut names = g.labels.clone();
        names.sort();
        let mut per: IndexMap<String, IndexMap<String, Zone>> = IndexMap::new();
        let mut comparisons = IndexMap::new();
        for (d, v) in instrument.dimensions.iter().zip(&dimension_rows) {
            let mut by_group: Vec<Vec<Scores>> = Vec::new();
            for name in &names {
                let code = g.labels.iter().position(|l| l == name).map(|c| c as u32);
                let s = complete(v, &|r| g.codes[r] == code);
                let z = zone(&s);
                notice(&d.label, &z, Some(name), &mut findings);
                per.entry(name.clone()).or_default().insert(d.id.clone(), z);
                by_group.push(s);
            }
            comparisons.insert(d.id.clone(), compare_gaps(&names, &by_group));
        }
        ExpectationGroups {
            by: g.column.clone(),
            label: options.group_label.clone(),
            groups: per,
            no_group: g.codes.iter().filter(|c| c.is_none()).count(),
            comparisons,
        }
    });
    Ok(ExpectationAnalysis {
        block: ExpectationsBlock {
            dimensions,
            items,
            groups,
        },
        findings,
        rows_read: responses.n_rows,
        notes: responses.notes.clone(),
    })
}

/// Perceived below the adequate level or above the desired one, beyond the interval's doubt.
fn notice(label: &str, z: &Zone, group: Option<&str>, findings: &mut Vec<Finding>) {
    if let (Some(msa), Some(ci)) = (z.msa, z.msa_ci95) {
        if ci[1] < 0.0 {
            findings.push(Finding::BelowAdequate {
                dimension: label.to_string(),
                group: group.map(String::from),
                msa,
                ci,
            });
        }
    }
    if let (Some(mss), Some(ci)) = (z.mss, z.mss_ci95) {
        if ci[0] > 0.0 {
            findings.push(Finding::AboveDesired {
                dimension: label.to_string(),
                group: group.map(String::from),
                mss,
                ci,
            });
        }
    }
}

/// MSA and MSS compared across the groups with at least 2 respondents (none when fewer than 2 such groups).
fn compare_gaps(names: &[String], groups: &[Vec<Scores>]) -> GapComparisons {
    let kept: Vec<usize> = (0..names.len()).filter(|&g| groups[g].len() >= 2).collect();
    let test = |gap: &dyn Fn(&Scores) -> f64| -> Option<GapTest> {
        if kept.len() < 2 {
            return None;
        }
        let x: Vec<Vec<f64>> = kept
            .iter()
            .map(|&g| groups[g].iter().map(gap).collect())
            .collect();
        let c = crate::stats::groups::compare(&x).ok()?;
        Some(GapTest {
            anova: c.anova,
            welch: c.welch,
            kruskal: c.kruskal,
            games_howell: c
                .games_howell
                .iter()
                .map(|p| {
                    (
                        format!("{} vs {}", names[kept[p.a]], names[kept[p.b]]),
                        PairDiff {
                            diff: -p.diff,
                            p_adj: p.p_adj,
                        },
                    )
                })
                .collect(),
        })
    };
    GapComparisons {
        msa: test(&|s| s.perceived - s.adequate),
        mss: test(&|s| s.perceived - s.desired),
    }
}
