//! The analysis pipeline: scored responses in, a finished [`Report`] out; no printing, no files.
//!
//! It reads like a table of contents. [`Options::sections`] says which sections a command shows, and only
//! those are computed. Each section computes from [`crate::stats`] and returns its typed result; what it
//! notices goes into the [`Findings`] as [`Finding`]s, judged by [`crate::criteria`].
//!
//! Reliability and dimension scores follow the missing-data policy. The factor analyses (KMO, Bartlett, EFA,
//! CFA, HTMT) and the invariance fits use the respondents complete on every item — lavaan's default (missing
//! = "listwise") — and the report says so.
//!
//! ```no_run
//! use perval::analysis::{self, Options, Sections};
//! use perval::input::{self, LoadOptions};
//! let mut loaded = input::load(&LoadOptions::new("data/perval-stores.csv", Some("store"))).unwrap();
//! let options = Options { by: Some("store".into()), sections: Sections::EFA, ..Default::default() };
//! let report = analysis::run(&mut loaded, &options).unwrap();
//! assert!(report.cfa.is_none() && report.efa.is_some());
//! ```

mod cfa;
mod data;
pub mod expectations;
mod factor;
mod groups;
mod invariance;
pub mod kano;
mod pls;
mod reliability;
mod sem;
pub use sem::BootCi;
mod setup;

use crate::data::Responses;
use crate::error::Result;
use crate::findings::Finding;
use crate::input::Loaded;
use crate::instrument::Instrument;
use crate::progress::timed;
use crate::report::Report;
use crate::scoring::Scored;
use crate::stats::factor::{Method, Rotation};

pub use crate::screening::Screen;
pub use pls::{PlsOptions, PredictOptions};

/// Which sections a command computes and shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    /// Dimension scores (n, M, SD) and reliability per dimension.
    pub reliability: bool,
    /// KMO, Bartlett, eigenvalues, parallel analysis and the EFA.
    pub factor_structure: bool,
    /// The CFA with CR, AVE, HTMT, Fornell–Larcker and modification indices.
    pub cfa: bool,
    /// The group comparison (with `by`), reliability within groups and measurement invariance.
    pub groups: bool,
    /// The structural model of [`Options::model`].
    pub sem: bool,
    /// The PLS path model of [`Options::pls`].
    pub pls: bool,
}

impl Sections {
    /// `perval analyze`: everything.
    pub const ALL: Sections = Sections {
        reliability: true,
        factor_structure: true,
        cfa: true,
        groups: true,
        sem: true,
        pls: true,
    };
    /// `perval efa`.
    pub const EFA: Sections = Sections {
        reliability: false,
        factor_structure: true,
        cfa: false,
        groups: false,
        sem: false,
        pls: false,
    };
    /// `perval cfa`.
    pub const CFA: Sections = Sections {
        reliability: false,
        factor_structure: false,
        cfa: true,
        groups: false,
        sem: false,
        pls: false,
    };
    /// `perval sem`.
    pub const SEM: Sections = Sections {
        reliability: false,
        factor_structure: false,
        cfa: false,
        groups: false,
        sem: true,
        pls: false,
    };
    /// `perval pls`.
    pub const PLS: Sections = Sections {
        reliability: false,
        factor_structure: false,
        cfa: false,
        groups: false,
        sem: false,
        pls: true,
    };
    /// `perval compare`.
    pub const COMPARE: Sections = Sections {
        reliability: false,
        factor_structure: false,
        cfa: false,
        groups: true,
        sem: false,
        pls: false,
    };
}

/// What to run and how.
#[derive(Clone)]
pub struct Options {
    pub sections: Sections,
    /// Column of the groups to compare.
    pub by: Option<String>,
    /// What a group is, in words, for titles and prose (`--group-label`); the column name by default.
    pub group_label: Option<String>,
    pub efa_method: Method,
    pub efa_rotation: Rotation,
    /// Defaults to the number of dimensions.
    pub efa_factors: Option<usize>,
    /// (replicates, seed) for percentile bootstrap intervals of alpha and omega.
    pub bootstrap: Option<(usize, u64)>,
    /// Parallel analysis: (iterations, seed).
    pub parallel: (usize, u64),
    /// The CFA model: one factor per dimension, correlated (lavaan's default), or with a second-order factor.
    pub cfa_model: CfaStructure,
    /// Correlations behind KMO, Bartlett, eigenvalues, parallel analysis and the EFA.
    pub correlation: Correlation,
    /// A structural model (`perval sem`, `analyze --model`).
    pub model: Option<crate::model::build::Built>,
    /// How the structural model's bootstrap intervals are read (`--ci percentile|bca`).
    pub boot_ci: BootCi,
    /// Seed of Monte Carlo intervals of the defined parameters (`--ci monte-carlo`).
    pub monte_carlo: Option<u64>,
    /// A second structural model fitted to the same data and compared with the first (`sem --compare`).
    pub compare: Option<crate::model::build::Built>,
    /// Items whose intercepts are free in every group of the structural model's scalar step (`--partial`).
    pub partial: Vec<String>,
    /// A PLS path model (`perval pls`, `analyze --model --estimator pls`).
    pub pls: Option<PlsOptions>,
    /// Careless-response screening (`--screen`, `--exclude-flagged`); used by [`run`].
    pub screen: Screen,
    /// Where long steps report their progress.
    pub progress: Option<crate::progress::ProgressHandle>,
}

/// Which correlation coefficient the factor analyses use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correlation {
    Pearson,
    /// Two-step ML polychoric correlations (lavaan::lavCor), for ordinal items.
    Polychoric,
}

/// Most answer categories an item may have for polychoric correlations.
pub const POLYCHORIC_MAX_CATEGORIES: usize = 15;

/// Structure of the CFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfaStructure {
    /// One factor per dimension, all factor covariances free.
    Correlated,
    /// The dimension factors load on one overall perceived-value factor.
    SecondOrder,
}

/// Default iterations and seed of the parallel analysis.
pub const PARALLEL_ITERATIONS: usize = 100;
pub const DEFAULT_SEED: u64 = 20011;
/// How many modification indices the report lists.
pub const MODIFICATION_INDICES_SHOWN: usize = 10;
/// Fewer resamples than this give percentile intervals too rough to report (Efron & Tibshirani 1993 ask for
/// 1,000 or more for a 95% interval).
pub const BOOTSTRAP_MIN: usize = 200;
/// Most groups perval compares before it asks the user to check the column.
pub const MAX_GROUPS: usize = 50;

impl Default for Options {
    fn default() -> Self {
        Options {
            sections: Sections::ALL,
            by: None,
            group_label: None,
            efa_method: Method::Minres,
            efa_rotation: Rotation::Oblimin,
            efa_factors: None,
            bootstrap: None,
            parallel: (PARALLEL_ITERATIONS, DEFAULT_SEED),
            cfa_model: CfaStructure::Correlated,
            correlation: Correlation::Pearson,
            model: None,
            partial: Vec::new(),
            compare: None,
            boot_ci: BootCi::Percentile,
            monte_carlo: None,
            pls: None,
            screen: Screen::Off,
            progress: None,
        }
    }
}

/// What the sections noticed, in the order they noticed it.
#[derive(Debug, Default)]
pub struct Findings(Vec<Finding>);

impl Findings {
    pub fn push(&mut self, f: Finding) {
        self.0.push(f);
    }
}

/// Screen the respondents (when asked; flagged ones leave `loaded.scored` with `Screen::Exclude`), then
/// analyse them.
pub fn run(loaded: &mut Loaded, options: &Options) -> Result<Report> {
    let screening = (options.screen != Screen::Off).then(|| {
        let ids = loaded.responses.id.as_ref().map(|(_, v)| v.as_slice());
        let secs = loaded.responses.seconds.as_ref().map(|(_, v)| v.as_slice());
        let mut s = crate::screening::screen(&loaded.instrument, &loaded.scored, ids, secs);
        if options.screen == Screen::Exclude && !s.flagged_rows.is_empty() {
            loaded.scored = loaded.scored.without(&s.flagged_rows);
            s.excluded = true;
        }
        s
    });
    // Leaving the flagged respondents out must leave data that can be analysed.
    if screening.as_ref().is_some_and(|s| s.excluded) {
        let path = &loaded.responses.path;
        if loaded.scored.rows.len() < 3 {
            return Err(crate::error::Error::TooFewRespondents {
                file: path.clone(),
                message: format!(
                    "only {} respondents remain after the flagged ones were left out; at least 3 are needed",
                    loaded.scored.rows.len()
                ),
                fix: "use --screen to see the flags without excluding, or collect more responses".into(),
            });
        }
        crate::scoring::check_items(
            &loaded.scored.items,
            &loaded.instrument,
            path,
            " after the flagged respondents were left out",
        )?;
    }
    let mut report = analyze(
        &loaded.instrument,
        &loaded.responses,
        &loaded.scored,
        options,
    )?;
    if let Some(s) = screening {
        if s.flagged > 0 {
            report.add_finding(Finding::CarelessResponders {
                flagged: s.flagged,
                screened: s.screened,
                excluded: s.excluded,
            });
        }
        report.screening = Some(s);
    }
    Ok(report)
}

/// The customer-needs families of an instrument that has `[kano]` or `[expectations]` beside its Likert items
/// (`analyze`): each reads its own columns of the file (opened again: the Likert reader has freed it) and adds
/// its block and findings to the report.
pub fn add_needs(
    report: &mut Report,
    instrument: &Instrument,
    load: &crate::input::LoadOptions,
    seed: u64,
) -> Result<()> {
    if instrument.kano.is_none() && instrument.expectations.is_none() {
        return Ok(());
    }
    let file = crate::data::open_with(&load.file, &load.read)?;
    let label = report.groups.as_ref().and_then(|g| g.label.clone());
    if instrument.kano.is_some() {
        let options = kano::KanoOptions {
            table: crate::stats::kano::Table::Standard,
            by: load.by.clone(),
            group_label: label.clone(),
            seed,
            lines_at_means: false,
        };
        let k = kano::run(&file, instrument, &options)?;
        report.kano = Some(k.block);
        k.findings.into_iter().for_each(|f| report.add_finding(f));
    }
    if instrument.expectations.is_some() {
        let options = expectations::ExpectationOptions {
            by: load.by.clone(),
            group_label: label,
        };
        let e = expectations::run(&file, instrument, &options)?;
        report.expectations = Some(e.block);
        e.findings.into_iter().for_each(|f| report.add_finding(f));
    }
    Ok(())
}

/// Run the sections of `options.sections` on the scored responses.
pub fn analyze(
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    options: &Options,
) -> Result<Report> {
    let sections = options.sections;
    let p = instrument.items.len();
    if let Some(k) = options.efa_factors.filter(|&k| k == 0 || k >= p) {
        return Err(crate::error::Error::Usage(format!(
            "--factors {k}: an EFA of {p} items extracts from 1 to {} factors\n  fix: choose a number in that range (the instrument has {} dimensions)",
            p - 1,
            instrument.dimensions.len()
        )));
    }
    let mut findings = Findings::default();
    if let Some((n, _)) = options.bootstrap.filter(|(n, _)| *n < BOOTSTRAP_MIN) {
        findings.push(Finding::FewResamples { resamples: n });
    }
    let pairwise_possible = sections.reliability || sections.groups;
    setup::missing_data(scored, pairwise_possible, &mut findings);
    let data = data::Prepared::new(instrument, scored);

    let mut dimensions = if sections.reliability {
        timed("reliability", || {
            reliability::section(instrument, scored, &data, options, &mut findings)
        })
    } else {
        Default::default()
    };
    // The correlations of the complete rows: for the EFA, and for a CFA on the complete rows (FIML needs none).
    let fiml = scored.policy == crate::scoring::MissingPolicy::Fiml;
    let structure = if sections.factor_structure || (sections.cfa && !fiml) {
        Some(timed("correlations", || {
            factor::correlations(instrument, responses, &data, options, &mut findings)
        })?)
    } else {
        None
    };
    let mut factor_block = None;
    if let Some(s) = &structure {
        if sections.reliability {
            factor::ordinal_alpha(instrument, s, &mut dimensions);
        }
        if sections.factor_structure {
            factor_block = Some(timed("factor structure", || {
                factor::section(instrument, s, options, &mut findings)
            }));
        }
    }
    let cfa = if sections.cfa {
        timed("cfa", || {
            cfa::section(
                instrument,
                scored,
                &data,
                structure.as_ref(),
                options,
                &mut findings,
            )
        })
    } else {
        None
    };
    let groups = match &options.by {
        Some(by) if sections.groups => timed("groups", || {
            groups::section(instrument, responses, scored, by, &mut findings)
        })?
        .map(|mut g| {
            g.label = options.group_label.clone();
            g
        }),
        _ => None,
    };
    let sem = match &options.model {
        Some(built) if sections.sem => {
            let mut block = sem::section(built, instrument, scored, options, &mut findings)?;
            if let Some(by) = &options.by {
                block.groups = sem::groups::section(
                    built,
                    instrument,
                    responses,
                    scored,
                    by,
                    &options.partial,
                    &mut findings,
                )?
                .map(|mut g| {
                    g.label = options.group_label.clone();
                    g
                });
            }
            Some(block)
        }
        _ => None,
    };
    let pls = match &options.pls {
        Some(o) if sections.pls => Some(pls::section(
            o,
            instrument,
            responses,
            scored,
            options,
            &mut findings,
        )?),
        _ => None,
    };
    if let Some(b) = sem.as_ref().and_then(|s| s.bootstrap.as_ref()) {
        if b.failed > 0 {
            findings.push(Finding::BootstrapFailures {
                failed: b.failed,
                resamples: b.resamples,
            });
        }
    }
    Ok(timed("assemble", || {
        setup::assemble(setup::Parts {
            instrument,
            responses,
            scored,
            options,
            structure: structure.as_ref(),
            n_complete: structure.as_ref().map_or_else(
                || {
                    let p = instrument.items.len();
                    (0..scored.rows.len())
                        .filter(|&r| (0..p).all(|j| !scored.items.is_missing(r, j)))
                        .count()
                },
                |s| s.n,
            ),
            dimensions,
            factor: factor_block,
            cfa,
            groups,
            sem,
            pls,
            findings: findings.0,
        })
    }))
}
