//! Careless-response screening (`--screen`): indices computed on each respondent's answers as given (before
//! reverse keying), the rules that flag a respondent, and the list of flagged respondents with their reasons.
//!
//! * longstring — the longest run of identical consecutive answers (Johnson 2005); flagged when longer than
//!   half the items;
//! * IRV — intra-individual response variability, the SD of a respondent's answers (Dunn et al. 2018); flagged
//!   when 0 (the same answer to every item);
//! * Mahalanobis D² of the reverse-keyed answers from the sample centroid, with its χ²(p) p-value (Meade & Craig
//!   2012); flagged when p < .001;
//! * completion time, when the file has a duration column; flagged when under 2 seconds per item (Huang et al.
//!   2012).

use crate::instrument::Instrument;
use crate::scoring::Scored;
use crate::stats::linalg::spd_inverse;
use crate::stats::moments::Moments;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Mahalanobis p below which a respondent is flagged (Meade & Craig 2012).
pub const MAHALANOBIS_P: f64 = 0.001;
/// Seconds per item below which a completion is flagged as too fast (Huang et al. 2012).
pub const SECONDS_PER_ITEM: f64 = 2.0;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlaggedRespondent {
    /// 1-based data row in the file.
    pub row: usize,
    pub id: Option<String>,
    pub reasons: Vec<String>,
    pub longstring: usize,
    pub irv: f64,
    pub mahalanobis_d2: Option<f64>,
    pub mahalanobis_p: Option<f64>,
    pub seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Screening {
    pub screened: usize,
    pub flagged: usize,
    /// Whether the flagged respondents were left out of the analysis (`--exclude-flagged`).
    pub excluded: bool,
    pub rules: Vec<String>,
    pub counts: ScreeningCounts,
    pub respondents: Vec<FlaggedRespondent>,
    /// The rows (indices into the scored rows) flagged.
    #[serde(skip)]
    pub flagged_rows: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ScreeningCounts {
    pub longstring: usize,
    pub irv: usize,
    pub mahalanobis: usize,
    pub speed: usize,
}

/// Careless-response screening: off, reported, or reported and the flagged respondents left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Off,
    Report,
    Exclude,
}

/// Screen the scored respondents. `ids` and `seconds` are per file row (optional).
pub fn screen(
    instrument: &Instrument,
    scored: &Scored,
    ids: Option<&[String]>,
    seconds: Option<&[Option<f64>]>,
) -> Screening {
    let (n, p) = (scored.items.nrows(), scored.items.ncols());
    let sum = instrument.scale.min + instrument.scale.max;
    let raw = |r: usize, j: usize| {
        let v = scored.items.value(r, j);
        if instrument.items[j].reverse {
            sum - v
        } else {
            v
        }
    };
    let long_limit = p / 2;
    // Mahalanobis distances need complete rows and an invertible covariance matrix.
    let complete: Vec<usize> = (0..n)
        .filter(|&r| (0..p).all(|j| !scored.items.is_missing(r, j)))
        .collect();
    let moments =
        (complete.len() > p).then(|| Moments::complete_rows(&scored.items, Some(&complete)));
    let inverse = moments.as_ref().and_then(|m| spd_inverse(&m.cov));
    let chi = ChiSquared::new(p as f64).ok();
    let mut counts = ScreeningCounts::default();
    let mut respondents = Vec::new();
    let mut flagged_rows = Vec::new();
    for r in 0..n {
        let answers: Vec<f64> = (0..p).map(|j| raw(r, j)).filter(|v| !v.is_nan()).collect();
        let mut longest = 0;
        let mut run = 0;
        let mut prev = f64::NAN;
        for &v in &answers {
            run = if v == prev { run + 1 } else { 1 };
            prev = v;
            longest = longest.max(run);
        }
        let (_, irv) = if answers.len() > 1 {
            crate::stats::moments::mean_sd(&answers)
        } else {
            (f64::NAN, f64::NAN)
        };
        let (d2, pval) = match (&moments, &inverse) {
            (Some(m), Some(inv)) if (0..p).all(|j| !scored.items.is_missing(r, j)) => {
                let d = nalgebra::DVector::from_iterator(
                    p,
                    (0..p).map(|j| scored.items.value(r, j) - m.means[j]),
                );
                let d2 = (d.transpose() * inv * &d)[(0, 0)];
                (Some(d2), chi.as_ref().map(|c| c.sf(d2)))
            }
            _ => (None, None),
        };
        let file_row = scored.rows[r];
        let secs = seconds.and_then(|s| s[file_row]);
        let mut reasons = Vec::new();
        if longest > long_limit {
            reasons.push(format!("longstring {longest} of {p} items"));
            counts.longstring += 1;
        }
        if irv == 0.0 {
            reasons.push("the same answer to every item (IRV = 0)".into());
            counts.irv += 1;
        }
        if pval.is_some_and(|pv| pv < MAHALANOBIS_P) {
            reasons.push(format!(
                "multivariate outlier (D² = {:.1}, p < .001)",
                d2.unwrap_or(f64::NAN)
            ));
            counts.mahalanobis += 1;
        }
        if secs.is_some_and(|s| s < SECONDS_PER_ITEM * p as f64) {
            reasons.push(format!(
                "completed in {:.0} s (< {} s per item)",
                secs.unwrap_or(0.0),
                SECONDS_PER_ITEM
            ));
            counts.speed += 1;
        }
        if !reasons.is_empty() {
            flagged_rows.push(r);
            respondents.push(FlaggedRespondent {
                row: file_row + 1,
                id: ids.map(|i| i[file_row].clone()),
                reasons,
                longstring: longest,
                irv,
                mahalanobis_d2: d2,
                mahalanobis_p: pval,
                seconds: secs,
            });
        }
    }
    let mut rules = vec![
        format!("longstring > {long_limit} (half the items; Johnson 2005)"),
        "IRV = 0 (Dunn et al. 2018)".to_string(),
        "Mahalanobis D² with p < .001 (Meade & Craig 2012)".to_string(),
    ];
    if seconds.is_some() {
        rules.push(format!(
            "completion time < {SECONDS_PER_ITEM} s per item (Huang et al. 2012)"
        ));
    }
    Screening {
        screened: n,
        flagged: respondents.len(),
        excluded: false,
        rules,
        counts,
        respondents,
        flagged_rows,
    }
}
