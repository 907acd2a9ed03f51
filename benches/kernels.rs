//! Criterion benchmarks of the statistical kernels on simulated data (run with `cargo bench`; CI only checks
//! that they compile). The whole pipeline against R and Python is measured by bench/compare.sh.

use criterion::{criterion_group, criterion_main, Criterion};
use perval::instrument;
use perval::scoring::{self, MissingPolicy};
use perval::simulate::{simulate, Spec};
use perval::stats::{cfa, factor, groups, moments::Moments, reliability};
use std::hint::black_box;

fn scored(
    n: usize,
) -> (
    instrument::Instrument,
    scoring::Scored,
    perval::data::Responses,
) {
    let inst = instrument::builtin("perval-19").unwrap();
    let csv = simulate(
        &inst,
        &Spec {
            n,
            groups: 5,
            seed: 3,
            ..Spec::default()
        },
    );
    let dir = std::env::temp_dir().join(format!("perval-bench-{n}.csv"));
    std::fs::write(&dir, csv).unwrap();
    let file = perval::data::open(&dir).unwrap();
    let responses = file.load(&inst, Some("store"), false).unwrap();
    let scored = scoring::score(&responses, &inst, MissingPolicy::Listwise).unwrap();
    (inst, scored, responses)
}

fn kernels(c: &mut Criterion) {
    let (inst, s, _) = scored(100_000);
    c.bench_function("moments 100k x 19", |b| {
        b.iter(|| Moments::complete(black_box(&s.items)))
    });
    let m = Moments::complete(&s.items);
    c.bench_function("reliability (alpha, omega, items) 6 items", |b| {
        b.iter(|| reliability::reliability(black_box(&m.select(&inst.dimensions[0].items))))
    });
    c.bench_function("efa minres + oblimin, 4 factors", |b| {
        b.iter(|| {
            factor::efa(
                black_box(&m.cor),
                4,
                factor::Method::Minres,
                factor::Rotation::Oblimin,
            )
        })
    });
    let model = cfa::CfaModel {
        n_items: 19,
        factors: inst.dimensions.iter().map(|d| d.items.clone()).collect(),
        second_order: false,
    };
    c.bench_function("cfa ML, 4 factors", |b| {
        b.iter(|| cfa::fit(black_box(&m.cov), s.items.nrows(), &model))
    });
    let by_group: Vec<Vec<f64>> = (0..5)
        .map(|g| {
            (g..s.scores.nrows())
                .step_by(5)
                .map(|r| s.scores[(r, 0)])
                .collect()
        })
        .collect();
    c.bench_function("group comparison 100k, 5 groups", |b| {
        b.iter(|| groups::compare(black_box(&by_group)))
    });
    c.bench_function("ptukey", |b| {
        b.iter(|| perval::stats::distributions::ptukey(black_box(3.1), 5.0, 740.0))
    });
}

criterion_group!(benches, kernels);
criterion_main!(benches);
