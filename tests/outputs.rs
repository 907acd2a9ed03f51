//! What perval writes must never destroy or poison what the researcher has: an output that is the input is
//! refused, spreadsheet formulas and HTML in the data stay text, LaTeX tables compile, a report folder holds
//! one run's files, and a write error names the path and the fix. One readable case each.

mod common;

use common::{fixture, perval};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of the reference data in `dir` as `name`, its store names replaced by `store(row)`.
fn data_with_stores(dir: &Path, name: &str, store: impl Fn(usize) -> String) -> PathBuf {
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = lines.next().unwrap().to_string() + "\n";
    for (k, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        cells[1] = store(k);
        out += &(cells.join(",") + "\n");
    }
    let p = dir.join(name);
    std::fs::write(&p, out).unwrap();
    p
}

/// The report folder of `analyze DATA --by store --out DIR` with the reference instrument.
fn report_by_store(data: &Path, dir: &Path) -> PathBuf {
    let o = perval(&[
        "analyze",
        data.to_str().unwrap(),
        "--instrument",
        &fixture("instrument.toml"),
        "--by",
        "store",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.to_path_buf()
}

fn refused(o: &Output, fragment: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(fragment), "{err}");
}

#[test]
fn an_output_that_is_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.csv");
    std::fs::copy(fixture("data.csv"), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let d = data.to_str().unwrap();
    let inst = fixture("instrument.toml");
    refused(
        &perval(&["analyze", d, "--instrument", &inst, "--json", d, "--quiet"]),
        "this is the input file",
    );
    refused(
        &perval(&["score", d, "--instrument", &inst, "-o", d]),
        "this is the input file",
    );
    // Through a link.
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&data, &link).unwrap();
    refused(
        &perval(&[
            "analyze",
            d,
            "--instrument",
            &inst,
            "--json",
            link.to_str().unwrap(),
            "--quiet",
        ]),
        "this is the input file",
    );
    // The report folder's scores.csv is the input.
    let scores = dir.path().join("scores.csv");
    std::fs::copy(&data, &scores).unwrap();
    refused(
        &perval(&[
            "analyze",
            scores.to_str().unwrap(),
            "--instrument",
            &inst,
            "--out",
            dir.path().to_str().unwrap(),
            "--quiet",
        ]),
        "this is the input file",
    );
    assert_eq!(std::fs::read(&data).unwrap(), before);
    assert_eq!(std::fs::read(&scores).unwrap(), before);
    // A chart must be named for its format.
    refused(
        &perval(&["chart", "means", d, "--instrument", &inst, "-o", d]),
        "must be .png or .svg",
    );
}

#[test]
fn formulas_and_html_in_the_data_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "=HYPERLINK(\"http://x\")",
        "@SUM(A1)",
        "<script>alert(1)</script>",
    ];
    // Each store name as a quoted CSV cell.
    let data = data_with_stores(dir.path(), "data.csv", |k| {
        format!("\"{}\"", names[k % 3].replace('"', "\"\""))
    });
    let out = report_by_store(&data, &dir.path().join("report"));
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(
        scores.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{}",
        &scores[..300]
    );
    assert!(scores.contains(",'@SUM(A1),"));
    let table = std::fs::read_to_string(out.join("tables/table6_groups.csv")).unwrap();
    assert!(table.contains("'@SUM(A1) M (SD)"), "{table}");
    assert!(!scores
        .lines()
        .skip(1)
        .any(|l| l.contains(",=") || l.contains(",@")));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!md.contains("<script>") && md.contains("&lt;script>"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert"));
}

#[test]
fn latex_tables_are_plain_ascii_with_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_with_stores(dir.path(), "data.csv", |k| {
        ["A&B_1", "50%", "x^2~#"][k % 3].to_string()
    });
    let out = report_by_store(&data, &dir.path().join("report"));
    for entry in std::fs::read_dir(out.join("tables")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "tex") {
            let tex = std::fs::read_to_string(&p).unwrap();
            assert!(
                tex.is_ascii(),
                "{}: {}",
                p.display(),
                tex.chars().filter(|c| !c.is_ascii()).collect::<String>()
            );
            if p.ends_with("table6_groups.tex") {
                assert!(
                    tex.contains("A\\&B\\_1")
                        && tex.contains("50\\%")
                        && tex.contains("x\\^{}2\\~{}\\#"),
                    "{tex}"
                );
            }
        }
    }
    // With a TeX installation, every table compiles.
    if Command::new("pdflatex").arg("--version").output().is_ok() {
        for entry in std::fs::read_dir(out.join("tables")).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_none_or(|e| e != "tex") {
                continue;
            }
            let doc = dir.path().join("doc.tex");
            std::fs::write(
                &doc,
                format!(
                    "\\documentclass{{article}}\\usepackage{{booktabs}}\\begin{{document}}\\input{{{}}}\\end{{document}}\n",
                    p.display()
                ),
            )
            .unwrap();
            let o = Command::new("pdflatex")
                .args(["-interaction=nonstopmode", "-halt-on-error", "doc.tex"])
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&o.stdout)
            );
        }
    }
}

#[test]
fn a_reused_report_folder_holds_one_runs_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = out.to_str().unwrap();
    let inst = fixture("instrument.toml");
    let data = fixture("data.csv");
    assert!(perval(&[
        "analyze",
        &data,
        "--instrument",
        &inst,
        "--by",
        "store",
        "--out",
        o,
        "--quiet"
    ])
    .status
    .success());
    assert!(out.join("tables/table6_groups.csv").exists());
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    assert!(perval(&[
        "analyze",
        &data,
        "--instrument",
        &inst,
        "--out",
        o,
        "--quiet"
    ])
    .status
    .success());
    assert!(!out.join("tables/table6_groups.csv").exists());
    assert!(!out.join("tables/table6_groups.tex").exists());
    assert!(!out.join("charts/likert-groups.png").exists());
    assert!(out.join("tables/table1_descriptives.csv").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine",
        "not perval's: kept"
    );
}

#[test]
fn write_errors_name_the_path_and_create_no_folders() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a/b/c.json");
    let o = perval(&[
        "analyze",
        &fixture("data.csv"),
        "--instrument",
        &fixture("instrument.toml"),
        "--json",
        target.to_str().unwrap(),
        "--quiet",
    ]);
    refused(&o, "does not exist");
    assert!(String::from_utf8_lossy(&o.stderr).contains("fix:"));
    assert!(!dir.path().join("a").exists(), "no folder was created");
}

#[test]
fn options_that_cannot_work_are_refused_or_warned_about() {
    let data = fixture("data.csv");
    let inst = fixture("instrument.toml");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("out.json");
    let j = json.to_str().unwrap();
    refused(
        &perval(&["efa", &data, "--instrument", &inst, "--factors", "0"]),
        "--factors 0",
    );
    refused(
        &perval(&[
            "analyze",
            &data,
            "--instrument",
            &inst,
            "--map",
            "NOPE=QUAL1",
            "--json",
            j,
        ]),
        "'NOPE' is not an item",
    );
    refused(
        &perval(&[
            "analyze",
            &data,
            "--instrument",
            &inst,
            "--map",
            "QUAL1=EMO1",
            "--map",
            "QUAL2=EMO1",
            "--json",
            j,
        ]),
        "both mapped to column 'EMO1'",
    );
    refused(
        &perval(&[
            "chart",
            "means",
            &data,
            "--instrument",
            &inst,
            "--width",
            "40in",
            "--height",
            "40in",
            "--dpi",
            "2400",
            "-o",
            dir.path().join("c.png").to_str().unwrap(),
        ]),
        "pixels",
    );
    assert!(!json.exists() && !dir.path().join("c.png").exists());
    let o = perval(&[
        "analyze",
        &data,
        "--instrument",
        &inst,
        "--bootstrap",
        "50",
        "--json",
        j,
        "--quiet",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(v["warnings"].as_array().unwrap().iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("50 resamples gives a rough interval")));
}

#[test]
fn messages_speak_of_what_is_actually_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("data.csv");
    // A missing instrument file is a missing file.
    refused(
        &perval(&["analyze", &data, "--instrument", "/no/such/file.toml"]),
        "no such file",
    );
    // One bad cell in an English numeric file: the error speaks of the English instrument's labels.
    let text = std::fs::read_to_string(fixture("exports/plain.csv")).unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, text.replacen("\n2,South,6,", "\n2,South,four,", 1)).unwrap();
    let o = perval(&["analyze", bad.to_str().unwrap()]);
    refused(&o, "'four'");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Strongly agree") && !err.contains("非常同意"),
        "{err}"
    );
    // Instrument files: a duplicate [[items]] table, labels that differ only in case.
    let inst = std::fs::read_to_string(fixture("instrument.toml")).unwrap();
    let twice = dir.path().join("twice.toml");
    std::fs::write(
        &twice,
        inst.clone() + "\n[[items]]\nid = \"QUAL1\"\n\n[[items]]\nid = \"QUAL1\"\n",
    )
    .unwrap();
    refused(
        &perval(&["analyze", &data, "--instrument", twice.to_str().unwrap()]),
        "appears twice",
    );
    let case = dir.path().join("case.toml");
    std::fs::write(
        &case,
        inst.replacen("\"Disagree\"", "\"strongly disagree\"", 1),
    )
    .unwrap();
    refused(
        &perval(&["analyze", &data, "--instrument", case.to_str().unwrap()]),
        "differ only in case",
    );
    // scores.csv for Excel on Chinese Windows.
    let scores = dir.path().join("scores.csv");
    let o = perval(&[
        "score",
        &data,
        "--instrument",
        &fixture("instrument.toml"),
        "--bom",
        "-o",
        scores.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(std::fs::read(&scores)
        .unwrap()
        .starts_with("\u{feff}".as_bytes()));
}

#[test]
fn excluding_flagged_respondents_is_validated_after_excluding() {
    let dir = tempfile::tempdir().unwrap();
    let header = std::fs::read_to_string(fixture("data.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let mut text = header + "\n";
    // Eight straight-liners and two careful respondents.
    for k in 0..8 {
        text += &format!("{k},North,{}\n", vec!["4"; 19].join(","));
    }
    text += "8,North,1,2,3,4,5,6,7,1,2,3,4,5,6,7,1,2,3,4,5\n";
    text += "9,South,2,3,4,5,6,7,1,2,3,4,5,6,7,1,2,3,4,5,6\n";
    let data = dir.path().join("data.csv");
    std::fs::write(&data, text).unwrap();
    let out = dir.path().join("out.json");
    let o = perval(&[
        "analyze",
        data.to_str().unwrap(),
        "--instrument",
        &fixture("instrument.toml"),
        "--exclude-flagged",
        "--json",
        out.to_str().unwrap(),
    ]);
    refused(&o, "after the flagged ones were left out");
    assert!(!out.exists());
}

#[test]
fn missing_value_codes_are_missing_answers() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let coded = text
        .replacen("\n2,South,6,", "\n2,South,-99,", 1)
        .replacen(",7\n", ",999\n", 3);
    let data = dir.path().join("coded.csv");
    std::fs::write(&data, coded).unwrap();
    let inst = fixture("instrument.toml");
    let d = data.to_str().unwrap();
    refused(
        &perval(&["analyze", d, "--instrument", &inst]),
        "outside the scale",
    );
    let json = |extra: &[&str], instrument: &str| -> serde_json::Value {
        let out = dir.path().join("out.json");
        let mut args = vec![
            "analyze",
            d,
            "--instrument",
            instrument,
            "--json",
            out.to_str().unwrap(),
            "--quiet",
        ];
        args.extend_from_slice(extra);
        let o = perval(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    };
    let with_flag = json(&["--na", "-99,999"], &inst);
    let base: serde_json::Value = {
        let out = dir.path().join("base.json");
        let o = perval(&[
            "analyze",
            &fixture("data.csv"),
            "--instrument",
            &inst,
            "--json",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert!(o.status.success());
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    };
    let dropped = |v: &serde_json::Value| v["input"]["rows_dropped"].as_u64().unwrap();
    assert!(
        dropped(&with_flag) > dropped(&base),
        "coded answers are missing answers"
    );
    // The same codes from the instrument file.
    let with_key = dir.path().join("coded.toml");
    let toml = std::fs::read_to_string(&inst).unwrap();
    let first_table = toml.find("\n[").unwrap();
    std::fs::write(
        &with_key,
        format!(
            "{}\nmissing = [-99, 999]{}",
            &toml[..first_table],
            &toml[first_table..]
        ),
    )
    .unwrap();
    let from_key = json(&[], with_key.to_str().unwrap());
    assert_eq!(dropped(&from_key), dropped(&with_flag));
}

/// A German Excel export in Windows-1252 is read as Windows-1252, not as GBK ("M黱chen"); Chinese GBK files
/// stay GBK.
#[test]
fn western_legacy_encoding_is_not_read_as_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let german = text
        .replace(",North,", ",München,")
        .replace(",South,", ",Düsseldorf,");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&german);
    let data = dir.path().join("german.csv");
    std::fs::write(&data, &bytes).unwrap();
    let out = dir.path().join("out.json");
    let o = perval(&[
        "analyze",
        data.to_str().unwrap(),
        "--instrument",
        &fixture("instrument.toml"),
        "--by",
        "store",
        "--json",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let groups = v["groups"]["dimensions"]["price"]["groups"]
        .as_object()
        .unwrap();
    assert!(
        groups.contains_key("München") && groups.contains_key("Düsseldorf"),
        "{groups:?}"
    );
    assert!(v["input"]["notes"].to_string().contains("Windows-1252"));
}

/// Data on the second sheet, under a title row: `--sheet` chooses the sheet, the title row is skipped, and the
/// note says which sheet was read.
#[test]
fn a_workbook_sheet_is_chosen_and_its_title_row_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "Survey notes")
        .unwrap();
    let ws = wb.add_worksheet().set_name("Responses").unwrap();
    ws.write_string(0, 0, "Store survey 2026").unwrap();
    for (r, line) in text.lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            let row = r as u32 + 1;
            match v.parse::<f64>() {
                Ok(x) if r > 0 => ws.write_number(row, c as u16, x).map(|_| ()),
                _ => ws.write_string(row, c as u16, v).map(|_| ()),
            }
            .unwrap();
        }
    }
    let xlsx = dir.path().join("survey.xlsx");
    wb.save(&xlsx).unwrap();
    let out = dir.path().join("out.json");
    let inst = fixture("instrument.toml");
    let x = xlsx.to_str().unwrap();
    refused(
        &perval(&["analyze", x, "--instrument", &inst]),
        "is not in the file",
    );
    let o = perval(&[
        "analyze",
        x,
        "--instrument",
        &inst,
        "--sheet",
        "Responses",
        "--json",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["input"]["rows_read"], 900);
    let notes = v["input"]["notes"].to_string();
    assert!(
        notes.contains("sheet 'Responses' (2 of 2)") && notes.contains("title"),
        "{notes}"
    );
    refused(
        &perval(&["analyze", x, "--instrument", &inst, "--sheet", "Data"]),
        "no sheet 'Data'",
    );
}

/// A stray NUL byte and a huge number in a cell are located, not described as "not text" or "value inf".
#[test]
fn damaged_cells_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("data.csv")).unwrap();
    let inst = fixture("instrument.toml");
    let nul = dir.path().join("nul.csv");
    std::fs::write(&nul, text.replacen("\n2,South,6,", "\n2,South,6\0,", 1)).unwrap();
    refused(
        &perval(&["analyze", nul.to_str().unwrap(), "--instrument", &inst]),
        "line 3, column 3 holds a NUL byte",
    );
    let huge = dir.path().join("huge.csv");
    std::fs::write(
        &huge,
        text.replacen(
            "\n2,South,6,",
            &format!("\n2,South,{},", "9".repeat(400)),
            1,
        ),
    )
    .unwrap();
    let o = perval(&["analyze", huge.to_str().unwrap(), "--instrument", &inst]);
    refused(&o, "too large to be an answer");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("inf"));
}
