//! The renderers are pure functions of a `Report`: these tests hand them reports built by hand (a real report
//! read back from JSON, then changed) and check what a reader sees — the results paragraph follows the
//! findings and verdicts, the flags table and the terminal read the findings, and nothing re-judges a number.

use perval::criteria::{AlphaVerdict, FitVerdict};
use perval::findings::{Finding, GroupRef};
use perval::instrument::Language;
use perval::report::{flags, prose, tables, terminal, Report};

/// The reference report (perval-stores, by store), through JSON and back.
fn reference_report() -> Report {
    let dir = env!("CARGO_MANIFEST_DIR");
    let inst = perval::instrument::load(&format!("{dir}/tests/fixtures/instrument.toml")).unwrap();
    let file = perval::data::open(format!("{dir}/tests/fixtures/data.csv").as_ref()).unwrap();
    let responses = file.load(&inst, Some("store"), false).unwrap();
    let scored =
        perval::scoring::score(&responses, &inst, perval::scoring::MissingPolicy::Listwise)
            .unwrap();
    let opts = perval::analysis::Options {
        by: Some("store".into()),
        ..Default::default()
    };
    let report = perval::analysis::analyze(&inst, &responses, &scored, &opts).unwrap();
    let json = report.to_json();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_json(), json, "a report survives JSON unchanged");
    back
}

#[test]
fn warnings_are_the_findings_in_english() {
    let r = reference_report();
    let worded: Vec<String> = r.findings.iter().map(|f| f.text(Language::En)).collect();
    assert_eq!(r.warnings, worded);
    assert!(r
        .findings
        .iter()
        .any(|f| matches!(f, Finding::AlphaRisesWithout { item, .. } if item == "PRICE4")));
}

#[test]
fn results_paragraph_follows_the_verdicts() {
    let mut r = reference_report();
    let (en, zh) = prose::results(&r);
    assert!(en.contains("The items were suitable for factor analysis (KMO = .91;"));
    assert!(en.contains("answered every item and were analysed (157 excluded; listwise deletion)"));
    assert!(en.contains("fit the data well"));
    assert!(en.contains("Measurement invariance across stores:"), "{en}");
    assert!(
        en.contains("Parallel analysis suggested 4 factors;"),
        "{en}"
    );
    // Dimensions are named by their labels, not their ids.
    assert!(
        en.contains("ranged from .83 (social value) to .89 (emotional value)"),
        "{en}"
    );
    assert!(zh.contains("适合进行因子分析"));

    // Not factorable: the paragraph must not claim it was.
    let f = r.factorability.as_mut().unwrap();
    f.kmo = 0.52;
    f.suitable = false;
    // A poor fit, as the section would judge it.
    r.cfa.as_mut().unwrap().fit_verdict = FitVerdict::Poor;
    // Pairwise deletion.
    r.input.missing_policy = perval::scoring::MissingPolicy::Pairwise;
    let (en, zh) = prose::results(&r);
    assert!(!en.contains("The items were suitable"), "{en}");
    assert!(
        en.contains("not clearly suitable for factor analysis (KMO = .52;"),
        "{en}"
    );
    assert!(en.contains("fit the data poorly"));
    // A grouping column named like a question is not pluralised.
    r.groups.as_mut().unwrap().by = "Q1".into();
    let (en_q1, _) = prose::results(&r);
    assert!(en_q1.contains("The groups of 'Q1' differed"), "{en_q1}");
    // --group-label names the groups in both languages, in the English plural.
    r.groups.as_mut().unwrap().label = Some("branch".into());
    let (en_label, _) = prose::results(&r);
    assert!(en_label.contains("The branches differed"), "{en_label}");
    assert!(
        en_label.contains("Measurement invariance across branches:"),
        "{en_label}"
    );
    r.groups.as_mut().unwrap().label = Some("门店".into());
    let (_, zh_label) = prose::results(&r);
    assert!(zh_label.contains("不同门店在"), "{zh_label}");
    r.groups.as_mut().unwrap().label = None;
    r.groups.as_mut().unwrap().by = "store".into();
    // The English instrument is the built-in perval-19's twin: the Chinese paragraph names the dimensions in
    // Chinese, from perval-19-zh; without a translation it falls back to the instrument's own labels.
    assert!(
        zh.contains("(社会价值)") && zh.contains("不同store在情感价值上"),
        "{zh}"
    );
    assert!(
        !zh.contains("(social)") && !zh.contains("Emotional value"),
        "{zh}"
    );
    let mut untranslated = r.clone();
    untranslated.instrument.translated_labels.clear();
    let (_, zh_en_labels) = prose::results(&untranslated);
    assert!(
        zh_en_labels.contains("不同store在Emotional value上"),
        "{zh_en_labels}"
    );
    assert!(en.contains("answered at least one item"), "{en}");
    assert!(!en.contains("answered every item and were analysed"));
    assert!(zh.contains("成对删除") && zh.contains("拟合欠佳"));

    // The α sentence reads the verdicts, not the numbers.
    for d in r.dimensions.values_mut() {
        d.reliability.as_mut().unwrap().alpha_verdict = AlphaVerdict::Low;
    }
    let (en, _) = prose::results(&r);
    assert!(en.contains("below the conventional .70 for at least one dimension"));
}

#[test]
fn flags_and_item_notes_come_from_the_findings() {
    let mut r = reference_report();
    let before = flags::flags(&r).len();
    r.add_finding(Finding::LowKmo { kmo: 0.55 });
    r.add_finding(Finding::CfaHeywood {
        item: "12".into(),
        residual_variance: -0.02,
        loading_std: 1.01,
    });
    let f = flags::flags(&r);
    assert_eq!(f.len(), before + 2);
    assert_eq!(f[before].check, "KMO < .60");
    assert_eq!(f[before].source, "Kaiser (1974)");
    // A numeric item id is named as it is, never garbled by a text substitution.
    assert!(r
        .warnings
        .last()
        .unwrap()
        .contains("item 12 has a negative residual variance"));

    // The terminal's item table notes what the findings say, and only that.
    let text = terminal::render(&r);
    assert!(text.contains("α rises to .86 without it"), "{text}");
    r.findings
        .retain(|f| !matches!(f, Finding::AlphaRisesWithout { .. }));
    assert!(!terminal::render(&r).contains("α rises to"));
}

#[test]
fn tables_show_the_letters_the_analysis_computed() {
    let mut r = reference_report();
    let groups = r.groups.as_mut().unwrap();
    let price = groups.dimensions.get_mut("price").unwrap();
    assert_eq!(price.letters["South"], "a");
    price.letters.insert("South".into(), "z".into());
    let t = tables::tables(&r);
    let g = t.iter().find(|t| t.id == "table6_groups").unwrap();
    let row = g
        .rows
        .iter()
        .find(|row| row[0] == "Functional value (price/value for money)")
        .unwrap();
    assert!(row.iter().any(|c| c.ends_with(" z")), "{row:?}");
}

#[test]
fn every_finding_reads_in_english_and_chinese() {
    let g = || GroupRef {
        by: "store".into(),
        group: "North".into(),
    };
    let all = vec![
        Finding::RowsDropped {
            dropped: 3,
            read: 10,
            policy: "listwise".into(),
            alternative: None,
        },
        Finding::LowAlpha {
            dimension: "price".into(),
            alpha: 0.61,
            group: Some(g()),
        },
        Finding::BartlettNotSignificant {
            chi2: 3.2,
            df: 3,
            p: 0.36,
        },
        Finding::PoorFit {
            factors: 4,
            cfi: 0.87,
            rmsea: 0.09,
            srmr: 0.05,
        },
        Finding::NonInvariance {
            by: "store".into(),
            supported: perval::findings::InvarianceLevel::Configural,
        },
        Finding::InvarianceNotTested {
            group: g(),
            complete: 12,
            items: 19,
        },
    ];
    for f in all {
        let (en, zh) = (f.text(Language::En), f.text(Language::Zh));
        assert!(!en.is_empty() && !zh.is_empty());
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
    }
    let poor = Finding::PoorFit {
        factors: 4,
        cfi: 0.87,
        rmsea: 0.05,
        srmr: 0.05,
    };
    assert_eq!(poor.flag().unwrap().value, "CFI = .87");
}
