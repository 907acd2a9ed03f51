//! Every chart kind drawn into memory from the reference data: the PNG decodes, has the asked size and DPI, and
//! is not blank; SVG output is well-formed text; Chinese labels and store names get a CJK font; groups beyond
//! the palette get marker shapes.

mod common;

use common::fixture;

use perval::analysis::{self, Options};
use perval::charts::{self, ChartInput, Format, Kind, Lang, Options as ChartOptions};
use perval::instrument;
use perval::scoring::{self, MissingPolicy};
use std::path::Path;

struct Prepared {
    report: perval::report::Report,
    scores: nalgebra::DMatrix<f64>,
    groups: charts::ScoreGroups,
}

fn prepare(instrument_id: &str) -> Prepared {
    prepare_file(instrument_id, Path::new(&fixture("data.csv")))
}

fn prepare_file(instrument_id: &str, data: &Path) -> Prepared {
    let inst = instrument::load(instrument_id).unwrap();
    let file = perval::data::open(data).unwrap();
    let responses = file.load(&inst, Some("store"), false).unwrap();
    let scored = scoring::score(&responses, &inst, MissingPolicy::Listwise).unwrap();
    // A small structural model over the dimensions, for the structural diagram.
    let statements =
        perval::model::syntax::parse("emotional ~ functional + price\nsocial ~ emotional", "test")
            .unwrap();
    let model = perval::model::build::build(&statements, Some(&inst), "test").unwrap();
    // The same model by PLS, for the PLS diagram and the importance–performance maps (overall, by store).
    let pls = perval::model::pls::build(&statements, Some(&inst), "test").unwrap();
    let opts = Options {
        by: Some("store".into()),
        model: Some(model),
        pls: Some(analysis::PlsOptions {
            model: pls,
            consistent: false,
            settings: Default::default(),
            predict: None,
            target: None,
        }),
        ..Default::default()
    };
    let report = analysis::analyze(&inst, &responses, &scored, &opts).unwrap();
    let g = responses.group.as_ref().unwrap();
    let groups = charts::ScoreGroups {
        labels: g.labels.clone(),
        codes: scored.rows.iter().map(|&r| g.codes[r]).collect(),
    };
    Prepared {
        report,
        scores: scored.scores.clone(),
        groups,
    }
}

impl Prepared {
    fn input(&self) -> ChartInput<'_> {
        ChartInput {
            report: &self.report,
            scores: &self.scores,
            groups: Some(self.groups.clone()),
        }
    }
}

/// Decode a PNG: (width, height, pixels per metre, share of non-white pixels).
fn decode(png_bytes: &[u8]) -> (u32, u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let ppm = reader.info().pixel_dims.map(|d| d.xppu).unwrap_or(0);
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = &buf[..info.buffer_size()];
    let inked = px.chunks(3).filter(|c| c.iter().any(|&v| v < 240)).count();
    (
        info.width,
        info.height,
        ppm,
        inked as f64 / (info.width * info.height) as f64,
    )
}

#[test]
fn every_kind_draws_a_png_of_the_asked_size() {
    let p = prepare(&fixture("instrument.toml"));
    let input = p.input();
    let o = ChartOptions {
        width_in: 4.0,
        height_in: 3.0,
        dpi: 150.0,
        ..Default::default()
    };
    for kind in Kind::ALL {
        assert!(
            charts::applies(kind, &input),
            "{kind:?} applies to the reference analysis"
        );
        let bytes = charts::render(kind, &input, &o).unwrap();
        let (w, h, ppm, inked) = decode(&bytes);
        assert_eq!((w, h), (600, 450), "{kind:?} size");
        assert_eq!(ppm, 5906, "{kind:?} records 150 dpi");
        assert!(inked > 0.01, "{kind:?} is blank ({inked})");
    }
}

#[test]
fn svg_output_is_text_with_the_asked_size() {
    let p = prepare(&fixture("instrument.toml"));
    let input = p.input();
    let o = ChartOptions {
        format: Format::Svg,
        ..Default::default()
    };
    let svg = String::from_utf8(charts::render(Kind::Path, &input, &o).unwrap()).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{}",
        &svg[..100]
    );
    assert!(svg.contains("width=\"624\"") && svg.contains("QUAL1") && svg.contains(".79"));
}

#[test]
fn chinese_labels_are_drawn_with_a_cjk_font() {
    if charts::fonts::cjk_family().is_none() {
        panic!(
            "no CJK font on this machine: {} (CI installs fonts-wqy-microhei)",
            charts::fonts::CJK_FIX
        );
    }
    let p = prepare("perval-19-zh");
    let input = p.input();
    let o = ChartOptions {
        lang: Lang::Zh,
        width_in: 5.0,
        height_in: 6.0,
        dpi: 100.0,
        ..Default::default()
    };
    let bytes = charts::render(Kind::Likert, &input, &o).unwrap();
    let (w, h, _, inked) = decode(&bytes);
    assert_eq!((w, h), (500, 600));
    assert!(inked > 0.05);
    let svg = String::from_utf8(
        charts::render(
            Kind::Likert,
            &input,
            &ChartOptions {
                format: Format::Svg,
                lang: Lang::Zh,
                ..o
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert!(
        svg.contains("该产品质量稳定"),
        "the item text is written in Chinese"
    );
}

#[test]
fn english_labels_over_chinese_item_texts_use_the_cjk_font() {
    let cjk = charts::fonts::cjk_family().expect("a CJK font (CI installs fonts-wqy-microhei)");
    let p = prepare("perval-19-zh");
    let input = p.input();
    let o = ChartOptions {
        format: Format::Svg,
        lang: Lang::En,
        ..Default::default()
    };
    let svg = String::from_utf8(charts::render(Kind::Likert, &input, &o).unwrap()).unwrap();
    assert!(
        svg.contains("该产品质量稳定"),
        "the Chinese item text is drawn"
    );
    assert!(
        svg.contains(&format!("font-family=\"{cjk}\"")),
        "drawn with the CJK family {cjk}, not a Latin font that shows boxes"
    );
}

#[test]
fn groups_beyond_the_palette_get_their_own_marker_shape() {
    // The reference data with the respondents dealt round-robin to nine stores: Okabe–Ito has eight colours.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let store = header.split(',').position(|c| c == "store").unwrap();
    let mut out = vec![header.to_string()];
    for (k, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        cells[store] = format!("Store {}", k % 9 + 1);
        out.push(cells.join(","));
    }
    let data = dir.path().join("nine.csv");
    std::fs::write(&data, out.join("\n")).unwrap();
    let p = prepare_file(&fixture("instrument.toml"), &data);
    let o = ChartOptions {
        format: Format::Svg,
        ..Default::default()
    };
    for kind in [Kind::Means, Kind::Profile] {
        let svg = String::from_utf8(charts::render(kind, &p.input(), &o).unwrap()).unwrap();
        // Store 1 and Store 9 share the first colour; Store 9's points and key are squares.
        let squares = svg
            .matches("<rect")
            .zip(svg.split("<rect").skip(1))
            .filter(|(_, rest)| rest.split('>').next().unwrap().contains("#E69F00"))
            .count();
        assert_eq!(
            squares,
            4 + 1,
            "{kind:?}: four dimension points and the key"
        );
    }
}

#[test]
fn a_character_no_font_has_stops_the_chart_and_is_named() {
    // A store named with an emoji: neither DejaVu Sans nor a CJK font has it, so the chart is refused rather
    // than drawn with a box; Hangul, which the CJK font has, is drawn.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    for (name, refused) in [("Noodle \u{1F35C}", true), ("서울", false)] {
        let data = dir.path().join("named.csv");
        std::fs::write(&data, text.replace(",Central,", &format!(",{name},"))).unwrap();
        let p = prepare_file(&fixture("instrument.toml"), &data);
        let o = ChartOptions {
            format: Format::Svg,
            ..Default::default()
        };
        match charts::render(Kind::Means, &p.input(), &o) {
            Err(e) if refused => {
                let msg = e.to_string();
                assert!(
                    msg.contains("'\u{1F35C}' (U+1F35C)") && msg.contains("fix:"),
                    "{msg}"
                );
            }
            Ok(svg) if !refused => {
                let svg = String::from_utf8(svg).unwrap();
                assert!(svg.contains(name), "the Hangul store name is drawn");
            }
            other => panic!("{name}: {:?}", other.map(|b| b.len())),
        }
    }
}
