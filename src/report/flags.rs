//! Quality flags: each check that failed, with what it means, its source and what to try.

use super::Report;
use crate::analysis::{apa, thresholds as t};

/// One failed check.
#[derive(Debug, Clone)]
pub struct Flag {
    pub check: String,
    pub value: String,
    pub meaning: &'static str,
    pub source: &'static str,
    pub try_next: &'static str,
}

pub fn flags(r: &Report) -> Vec<Flag> {
    let mut out = Vec::new();
    for (id, d) in &r.dimensions {
        let Some(rel) = &d.reliability else { continue };
        if rel.alpha < t::ALPHA_MIN {
            out.push(Flag {
                check: format!("α of {id} < .70"),
                value: apa(rel.alpha),
                meaning: "the items of the dimension do not measure one thing consistently",
                source: "Nunnally (1978)",
                try_next: "look for items with low or negative r.drop; check reverse keying",
            });
        }
        for (item, s) in &rel.items {
            if s.r_drop < t::R_DROP_MIN {
                out.push(Flag {
                    check: format!("r.drop of {item} < .30"),
                    value: apa(s.r_drop),
                    meaning: if s.r_drop < 0.0 { "the item runs against its dimension: probably a reverse-keyed item scored as is" } else { "the item shares little with the rest of its dimension" },
                    source: "Nunnally & Bernstein (1994)",
                    try_next: if s.r_drop < 0.0 { "set reverse = true for it in the instrument, if it is negatively worded" } else { "consider dropping or rewording it" },
                });
            }
        }
    }
    if let Some(c) = &r.cfa {
        for (d, v) in &c.composite_reliability {
            if *v < t::CR_MIN {
                out.push(Flag {
                    check: format!("CR of {d} < .70"),
                    value: apa(*v),
                    meaning: "the factor's indicators are not reliable as a set",
                    source: "Hair et al. (2010)",
                    try_next: "drop weak indicators (standardized loading < .50)",
                });
            }
        }
        for (d, v) in &c.ave {
            if *v < t::AVE_MIN {
                out.push(Flag {
                    check: format!("AVE of {d} < .50"),
                    value: apa(*v),
                    meaning: "the factor explains less of its items' variance than error does",
                    source: "Fornell & Larcker (1981)",
                    try_next: "drop weak indicators; report CR alongside",
                });
            }
        }
        for (a, row) in &c.htmt {
            for (b, v) in row {
                if *v > t::HTMT_MAX {
                    out.push(Flag {
                        check: format!("HTMT {a}–{b} > .85"),
                        value: apa(*v),
                        meaning: "the two dimensions may not be distinct",
                        source: "Henseler, Ringle & Sarstedt (2015)",
                        try_next: "inspect cross-loadings; consider merging the dimensions",
                    });
                }
            }
        }
        if c.fit.cfi < t::CFI_MIN {
            out.push(Flag {
                check: "CFI < .90".into(),
                value: apa(c.fit.cfi),
                meaning: "the model reproduces the covariances poorly",
                source: "Hu & Bentler (1999)",
                try_next: "look at the modification indices and the loadings",
            });
        }
        if c.fit.rmsea > t::RMSEA_MAX {
            out.push(Flag {
                check: "RMSEA > .08".into(),
                value: format!("{:.3}", c.fit.rmsea),
                meaning: "the model misfits per degree of freedom",
                source: "Browne & Cudeck (1993); Hu & Bentler (1999)",
                try_next: "look at the modification indices and the loadings",
            });
        }
    }
    for w in &r.warnings {
        if w.contains("Heywood") {
            out.push(Flag {
                check: "Heywood case".into(),
                value: w.clone(),
                meaning: "an impossible estimate (negative variance or communality ≥ 1)",
                source: "Kolenikov & Bollen (2012)",
                try_next: "fewer factors, another extraction method, or drop the item",
            });
        }
    }
    if let Some(inv) = r.groups.as_ref().and_then(|g| g.invariance.as_ref()) {
        if inv.supported != "scalar" {
            out.push(Flag {
                check: "Measurement non-invariance".into(),
                value: inv.supported.to_string(),
                meaning: "group means of the dimensions may reflect item bias",
                source: "Chen (2007)",
                try_next: "test partial invariance; compare relationships rather than means",
            });
        }
    }
    out
}
