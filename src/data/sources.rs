//! What researchers actually hold, turned into one UTF-8 CSV text before parsing: Excel workbooks (calamine),
//! UTF-16 and GB18030/GBK text (encoding_rs), and the header layouts of survey platforms — Qualtrics (row 2
//! question text, row 3 ImportId JSON), SurveyMonkey (a second header row with the answer options) and
//! Wenjuanxing/问卷星 (numbered question texts as headers).

use std::borrow::Cow;

/// Survey platform whose export layout to undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    Plain,
    Qualtrics,
    Surveymonkey,
    Wjx,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Plain => "plain",
            Platform::Qualtrics => "Qualtrics",
            Platform::Surveymonkey => "SurveyMonkey",
            Platform::Wjx => "Wenjuanxing (问卷星)",
        }
    }
}

/// Text encodings perval decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextEncoding {
    Utf8,
    Utf16le,
    Utf16be,
    Gb18030,
    Gbk,
    Latin1,
}

/// Decode `bytes` to UTF-8: a BOM decides, else the given encoding, else UTF-8, else GB18030 (a superset of GBK
/// that Chinese Excel and 问卷星 exports use). Returns the text and a note when it was not plain UTF-8.
/// A cell written back as CSV text for the parser: quoted when it holds the delimiter, a quote or a line break,
/// and otherwise exactly as it was. (Not [`crate::output::csv_field`]: its spreadsheet-formula guard is for files
/// perval writes; reading must give back "@Home" or "-" unchanged.)
fn quote_field(s: &str, delimiter: char) -> String {
    if s.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn decode(
    bytes: &[u8],
    given: Option<TextEncoding>,
) -> Result<(Cow<'_, str>, Option<String>), String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(format!(
                "the file starts with a {} byte-order mark but is not valid {} text",
                enc.name(),
                enc.name()
            ));
        }
        let note = (enc != encoding_rs::UTF_8)
            .then(|| format!("read as {} (byte-order mark)", enc.name()));
        return Ok((text, note));
    }
    let enc = match given {
        Some(TextEncoding::Utf8) | None => None,
        Some(TextEncoding::Utf16le) => Some(encoding_rs::UTF_16LE),
        Some(TextEncoding::Utf16be) => Some(encoding_rs::UTF_16BE),
        Some(TextEncoding::Gb18030) | Some(TextEncoding::Gbk) => Some(encoding_rs::GB18030),
        Some(TextEncoding::Latin1) => Some(encoding_rs::WINDOWS_1252),
    };
    if let Some(enc) = enc {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(format!("the file is not valid {} text", enc.name()));
        }
        return Ok((text, Some(format!("read as {} (--encoding)", enc.name()))));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), None)),
        Err(_) if given.is_none() => guess_legacy(bytes),
        Err(e) => Err(format!(
            "the file is not valid UTF-8 (byte {})",
            e.valid_up_to()
        )),
    }
}

/// A file that is not UTF-8: GB18030/GBK (Chinese Excel, 问卷星) or Windows-1252 (Western Excel), chosen by
/// evidence — a valid GB18030 decoding is no proof, since most Latin-1 bytes pair up into Chinese characters
/// ("München" reads as "M黱chen"). Chinese characters inside a Latin word, with accented letters inside words in
/// the Windows-1252 reading, mean Windows-1252; Chinese characters only outside Latin words mean GB18030; anything
/// else stops with a request for `--encoding`, never a silent guess.
fn guess_legacy(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), String> {
    let (gb, gb_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    let (latin, latin_errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    let cjk =
        |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c);
    // Characters of kind `is` with an ASCII letter on both sides.
    let inside_words = |text: &str, is: &dyn Fn(char) -> bool| {
        let chars: Vec<char> = text.chars().collect();
        (1..chars.len().saturating_sub(1))
            .filter(|&k| {
                is(chars[k])
                    && chars[k - 1].is_ascii_alphabetic()
                    && chars[k + 1].is_ascii_alphabetic()
            })
            .count()
    };
    let cjk_in_latin = if gb_errors {
        usize::MAX
    } else {
        inside_words(&gb, &cjk)
    };
    let cjk_total = gb.chars().filter(|&c| cjk(c)).count();
    let accented_in_words = inside_words(&latin, &|c: char| c.is_alphabetic() && !c.is_ascii());
    let ask = "the file is not UTF-8, and perval cannot tell whether it is Chinese (GB18030/GBK) or Western \
        (Windows-1252) text: give it with --encoding gb18030 or --encoding latin1, or save the file as UTF-8";
    if !gb_errors && cjk_total > 0 && cjk_in_latin == 0 {
        return Ok((gb, Some("not UTF-8: read as GB18030 (GBK)".into())));
    }
    if !latin_errors && accented_in_words > 0 && (gb_errors || cjk_in_latin > 0) {
        return Ok((
            latin,
            Some(
                "not UTF-8: read as Windows-1252 (Western Excel; accented letters inside words)"
                    .into(),
            ),
        ));
    }
    Err(ask.into())
}

/// Whether the bytes are an Excel/OpenDocument workbook (zip or OLE2 container).
pub fn is_workbook(bytes: &[u8], path: &std::path::Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// A worksheet of a workbook as CSV text, with a note saying which sheet was read. `sheet` is a name or a
/// 1-based number (default: the first). A title row above the header (one filled cell over a wider row) is
/// skipped and said.
pub fn workbook_to_csv(bytes: &[u8], sheet: Option<&str>) -> Result<(String, String), String> {
    use calamine::{open_workbook_auto_from_rs, Data, Reader};
    let mut wb = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("cannot read the workbook: {e}"))?;
    let names = wb.sheet_names();
    let index = match sheet {
        None => 0,
        Some(s) => match s.trim().parse::<usize>() {
            Ok(k) if (1..=names.len()).contains(&k) => k - 1,
            _ => names.iter().position(|n| n == s).ok_or_else(|| {
                format!(
                    "the workbook has no sheet '{s}'; its sheets are: {}",
                    names.join(", ")
                )
            })?,
        },
    };
    let name = names
        .get(index)
        .cloned()
        .ok_or("the workbook has no worksheet")?;
    let range = wb
        .worksheet_range_at(index)
        .ok_or("the workbook has no worksheet")?
        .map_err(|e| format!("cannot read the worksheet '{name}': {e}"))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Data::Int(v) => v.to_string(),
                Data::Float(v) => v.to_string(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    quote_field(s, ',')
                }
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => d.as_f64().to_string(),
                Data::Error(_) | Data::Empty => String::new(),
            })
            .collect();
        // Trailing empty rows (formatting only) are not respondents.
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(cells);
    }
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.is_empty()).count();
    let mut note = format!(
        "Excel workbook: sheet '{name}' ({} of {}) was read",
        index + 1,
        names.len()
    );
    if rows.len() > 1 && filled(&rows[0]) == 1 && filled(&rows[1]) > 2 {
        let title = rows
            .remove(0)
            .into_iter()
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        note += &format!("; its first row, a title (\"{title}\"), was skipped");
    }
    let mut out = String::new();
    for cells in rows {
        out += &cells.join(",");
        out.push('\n');
    }
    Ok((out, note))
}

/// Split one CSV line (quotes respected) into cells.
fn cells(line: &str, delimiter: char) -> Vec<String> {
    super::text::split_fields(line.as_bytes(), delimiter as u8)
}

/// The first `k` records of `text` as (start, end of content, start of the next record), read with the CSV
/// rules of the data: a line break inside quotes belongs to the cell, and the record's line ending (LF or CRLF)
/// is not part of its content.
fn first_lines(text: &str, k: usize) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                let end = if i > start && bytes[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                out.push((start, end, i + 1));
                start = i + 1;
                if out.len() == k {
                    return out;
                }
            }
            _ => {}
        }
    }
    if out.len() < k && start < text.len() {
        let end = text.trim_end_matches('\r').len();
        out.push((start, end.max(start), text.len()));
    }
    out
}

/// "1、在本店消费…" / "Q5. …" / "5．…" → the question text without its number.
fn strip_numbering(s: &str) -> String {
    let t = s.trim();
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == 'Q' || c == 'q');
    if rest.len() < t.len() {
        if let Some(r) = rest.strip_prefix(['、', '.', '．', ':', '：', ' ']) {
            return r.trim().to_string();
        }
    }
    t.to_string()
}

/// Header rewritten for a platform's export: the new text (only header rows changed), the column texts used to
/// match items by wording, and the platform found.
pub struct Rewritten {
    pub text: String,
    pub texts: Vec<String>,
    pub platform: Platform,
    /// Physical lines of the file that the rewritten header replaced (beyond its first line): line numbers of
    /// the data are this much further down in the file.
    pub removed_lines: usize,
}

/// Line breaks in text[a..b].
fn lines_between(text: &str, a: usize, b: usize) -> usize {
    text.as_bytes()[a..b]
        .iter()
        .filter(|&&c| c == b'\n')
        .count()
}

/// Detect (or apply the given) platform layout and rewrite the header rows into one.
pub fn rewrite_platform(text: &str, delimiter: char, given: Option<Platform>) -> Option<Rewritten> {
    let lines = first_lines(text, 3);
    if lines.is_empty() {
        return None;
    }
    let row = |k: usize| lines.get(k).map(|&(a, b, _)| cells(&text[a..b], delimiter));
    let header = row(0)?;
    let second = row(1);
    let third = row(2);
    let detected = given.unwrap_or_else(|| {
        if third
            .as_ref()
            .is_some_and(|r| r.iter().any(|c| c.contains("ImportId")))
        {
            Platform::Qualtrics
        } else if second.as_ref().is_some_and(|r| {
            r.iter()
                .any(|c| c == "Response" || c == "Open-Ended Response")
        }) {
            Platform::Surveymonkey
        } else if header
            .iter()
            .filter(|h| {
                strip_numbering(h).len() < h.trim().len() && h.chars().any(|c| c as u32 >= 0x2E80)
            })
            .count()
            >= 2
        {
            Platform::Wjx
        } else {
            Platform::Plain
        }
    });
    let join = |cols: &[String]| {
        cols.iter()
            .map(|c| quote_field(c, delimiter))
            .collect::<Vec<_>>()
            .join(&delimiter.to_string())
            + "\n"
    };
    match detected {
        Platform::Plain => None,
        Platform::Qualtrics => {
            // Row 1: QIDs (Q5_1), row 2: question texts, row 3: ImportId JSON; data from row 4.
            let texts = second.unwrap_or_default();
            let body_start = lines.get(2).map(|l| l.2).unwrap_or(text.len());
            Some(Rewritten {
                removed_lines: lines_between(text, lines[0].2, body_start),
                text: join(&header) + &text[body_start..],
                texts,
                platform: Platform::Qualtrics,
            })
        }
        Platform::Surveymonkey => {
            // Row 1: question (blank over the later columns of a matrix), row 2: the sub-item or "Response".
            let sub = second.unwrap_or_default();
            let mut last = String::new();
            let mut names = Vec::new();
            for (k, h) in header.iter().enumerate() {
                if !h.trim().is_empty() {
                    last = h.trim().to_string();
                }
                let s = sub.get(k).map(|s| s.trim()).unwrap_or("");
                names.push(
                    if s.is_empty() || s == "Response" || s == "Open-Ended Response" {
                        last.clone()
                    } else {
                        format!("{last} - {s}")
                    },
                );
            }
            let texts: Vec<String> = header
                .iter()
                .enumerate()
                .map(|(k, _)| {
                    sub.get(k)
                        .map(|s| s.trim())
                        .filter(|s| !s.is_empty() && *s != "Response")
                        .map(String::from)
                        .unwrap_or_else(|| names[k].clone())
                })
                .collect();
            let body_start = lines.get(1).map(|l| l.2).unwrap_or(text.len());
            Some(Rewritten {
                removed_lines: lines_between(text, lines[0].2, body_start),
                text: join(&names) + &text[body_start..],
                texts,
                platform: Platform::Surveymonkey,
            })
        }
        Platform::Wjx => {
            let texts = header.iter().map(|h| strip_numbering(h)).collect();
            Some(Rewritten {
                text: text.to_string(),
                texts,
                platform: Platform::Wjx,
                removed_lines: 0,
            })
        }
    }
}

/// A comparable form of an item or question text: lower case, letters and CJK characters only.
pub fn normalize_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_utf16_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("题项,非常同意\n");
        let (text, note) = decode(&gbk, None).unwrap();
        assert_eq!(text, "题项,非常同意\n");
        assert!(note.unwrap().contains("GB18030"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "a,b\n1,2\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&utf16, None).unwrap().0, "a,b\n1,2\n");
    }

    #[test]
    fn numbering_is_stripped() {
        assert_eq!(
            strip_numbering("1、在本店消费能让我放松心情"),
            "在本店消费能让我放松心情"
        );
        assert_eq!(strip_numbering("Q5. Quality"), "Quality");
        assert_eq!(strip_numbering("QUAL1"), "QUAL1");
    }
}
