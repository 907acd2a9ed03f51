//! Fonts for the charts. Latin text uses the bundled DejaVu Sans, so a chart looks the same on every machine.
//! Chinese text needs a CJK font, which is too large to bundle: the first of the usual system fonts that exists
//! is used (or the file named by `--font` or `PERVAL_CJK_FONT`). Every character of the data a chart draws is
//! looked up in the chosen font ([`chart_family`]): text the bundled font lacks takes the CJK font, and a
//! character no font has refuses the chart with the character named — never drawn as boxes.

use super::Lang;
use crate::error::{Error, Result};
use crate::report::Report;
use plotters::style::{register_font, FontStyle};
use std::sync::OnceLock;

/// Family name of the bundled Latin font (also written into SVG files).
pub const LATIN: &str = "DejaVu Sans";
const LATIN_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const LATIN_BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Where CJK fonts live on Debian/Ubuntu, macOS and Windows, in order of preference.
/// A font is used only if it also has Latin letters and digits (Droid Sans Fallback, for one, has not: its
/// numbers would be boxes).
pub const CJK_CANDIDATES: &[(&str, &str)] = &[
    (
        "Noto Sans CJK SC",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ),
    (
        "WenQuanYi Micro Hei",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    ),
    (
        "WenQuanYi Zen Hei",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ),
    (
        "Noto Sans CJK SC",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ),
    (
        "Noto Sans CJK SC",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    ),
    (
        "Noto Sans CJK SC",
        "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
    ),
    ("AR PL UMing", "/usr/share/fonts/truetype/arphic/uming.ttc"),
    ("PingFang SC", "/System/Library/Fonts/PingFang.ttc"),
    (
        "Hiragino Sans GB",
        "/System/Library/Fonts/Hiragino Sans GB.ttc",
    ),
    ("STHeiti", "/System/Library/Fonts/STHeiti Light.ttc"),
    ("Arial Unicode MS", "/Library/Fonts/Arial Unicode.ttf"),
    ("Microsoft YaHei", "C:\\Windows\\Fonts\\msyh.ttc"),
    ("Microsoft YaHei", "C:\\Windows\\Fonts\\msyh.ttf"),
    ("SimHei", "C:\\Windows\\Fonts\\simhei.ttf"),
    ("SimSun", "C:\\Windows\\Fonts\\simsun.ttc"),
];

/// The message for a missing CJK font.
pub const CJK_FIX: &str = "install a CJK font that also has Latin letters, e.g. on Debian/Ubuntu `apt-get install fonts-noto-cjk` (or fonts-wqy-microhei), or name one with --font /path/to/font.ttf (or PERVAL_CJK_FONT); or draw English labels with --lang en";

static LATIN_REGISTERED: OnceLock<bool> = OnceLock::new();
static CJK_FONT_FILE: OnceLock<std::path::PathBuf> = OnceLock::new();

/// Use this font file for Chinese text (`--font PATH`), before the system's fonts. Call it before drawing.
pub fn use_cjk_font(path: &std::path::Path) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io {
        file: path.to_path_buf(),
        message: format!("cannot read the font: {e}"),
    })?;
    if !covers_chinese_and_latin(&bytes) {
        return Err(Error::Usage(format!(
            "{}: the font lacks Chinese characters or Latin letters and digits\n  fix: {CJK_FIX}",
            path.display()
        )));
    }
    let _ = CJK_FONT_FILE.set(path.to_path_buf());
    Ok(())
}
static CJK_REGISTERED: OnceLock<Option<&'static str>> = OnceLock::new();
static CJK_BYTES: OnceLock<&'static [u8]> = OnceLock::new();

/// The characters of `texts` (letters, digits, punctuation; not spaces or controls) that the registered font
/// `family` has no glyph for, in order of appearance, at most ten.
pub fn missing_glyphs(family: &str, texts: &[&str]) -> Vec<char> {
    use ab_glyph::{Font, FontRef};
    let bytes = if family == LATIN {
        LATIN_TTF
    } else {
        match CJK_BYTES.get() {
            Some(b) => *b,
            None => return Vec::new(),
        }
    };
    let Ok(font) = FontRef::try_from_slice(bytes) else {
        return Vec::new();
    };
    let mut missing = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in texts.iter().flat_map(|t| t.chars()) {
        if c.is_whitespace() || c.is_control() || !seen.insert(c) {
            continue;
        }
        if font.glyph_id(c).0 == 0 {
            missing.push(c);
            if missing.len() == 10 {
                break;
            }
        }
    }
    missing
}

/// "'서' (U+C11C), '울' (U+C6B8)" for a message.
pub fn describe(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("'{c}' (U+{:04X})", *c as u32))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The font family to draw `lang` with, registering it on first use.
pub fn family(lang: Lang) -> Result<&'static str> {
    let latin_ok = *LATIN_REGISTERED.get_or_init(|| {
        register_font(LATIN, FontStyle::Normal, LATIN_TTF).is_ok()
            && register_font(LATIN, FontStyle::Bold, LATIN_BOLD_TTF).is_ok()
    });
    if !latin_ok {
        return Err(Error::Usage(
            "the bundled chart font could not be loaded".into(),
        ));
    }
    match lang {
        Lang::En => Ok(LATIN),
        Lang::Zh => cjk_family().ok_or_else(|| {
            Error::Usage(format!(
                "no Chinese (CJK) font was found for the chart labels\n  fix: {CJK_FIX}"
            ))
        }),
    }
}

/// The registered CJK family, if a CJK font was found.
pub fn cjk_family() -> Option<&'static str> {
    *CJK_REGISTERED.get_or_init(|| {
        let from_flag = CJK_FONT_FILE
            .get()
            .map(|p| ("CJK", p.to_string_lossy().to_string()));
        let from_env = std::env::var("PERVAL_CJK_FONT").ok().map(|p| ("CJK", p));
        let candidates = from_flag
            .into_iter()
            .chain(from_env)
            .chain(CJK_CANDIDATES.iter().map(|(n, p)| (*n, p.to_string())));
        for (name, path) in candidates {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            if !covers_chinese_and_latin(&bytes) {
                continue;
            }
            // plotters keeps fonts for the whole process: the bytes are leaked once, on first use.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            if register_font(name, FontStyle::Normal, bytes).is_ok() {
                let _ = CJK_BYTES.set(bytes);
                return Some(name);
            }
        }
        None
    })
}

/// Whether the font has glyphs for Chinese characters, Latin letters, digits and fullwidth punctuation.
fn covers_chinese_and_latin(bytes: &[u8]) -> bool {
    use ab_glyph::{Font, FontRef};
    let Ok(font) = FontRef::try_from_slice(bytes) else {
        return false;
    };
    "价值Aa1.%（".chars().all(|c| font.glyph_id(c).0 != 0)
}

/// Every text of the data a chart may draw: group names and noun, dimension labels, item texts, scale labels,
/// the instrument's name.
fn report_texts(r: &Report) -> Vec<&str> {
    let mut texts: Vec<&str> = vec![r.instrument.name.as_str()];
    if let Some(g) = &r.groups {
        texts.push(g.noun());
        if let Some(d) = g.dimensions.values().next() {
            texts.extend(d.groups.keys().map(String::as_str));
        }
    }
    texts.extend(r.instrument.dimension_labels.values().map(String::as_str));
    texts.extend(r.instrument.item_texts.values().map(String::as_str));
    texts.extend(r.instrument.scale_labels.iter().map(String::as_str));
    texts
}

/// Whether any text a chart may draw (group names, labels, item texts) has Chinese characters.
pub fn report_has_cjk(r: &Report) -> bool {
    report_texts(r).iter().any(|s| {
        s.chars().any(|c| {
            ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c)
        })
    })
}

/// The font family for `lang` that can draw every character of the report's texts. English labels over
/// Chinese (or other) text take the CJK font; characters that no available font has stop the chart with the
/// characters named — never boxes.
pub fn chart_family(r: &Report, lang: Lang) -> Result<&'static str> {
    texts_family(&report_texts(r), lang)
}

/// Whether any of `texts` has Chinese characters.
pub fn has_cjk(texts: &[&str]) -> bool {
    texts.iter().any(|s| {
        s.chars().any(|c| {
            ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c)
        })
    })
}

/// The font family for `lang` that can draw every character of `texts` (see [`chart_family`]).
pub fn texts_family(texts: &[&str], lang: Lang) -> Result<&'static str> {
    let texts = texts.to_vec();
    let latin_lacks = missing_glyphs(family(Lang::En)?, &texts);
    let needs_cjk = lang == Lang::En && (has_cjk(&texts) || !latin_lacks.is_empty());
    let family = family(if needs_cjk { Lang::Zh } else { lang }).map_err(|e| {
        if needs_cjk {
            Error::Usage(format!(
                "the chart's text (group names or item texts) has characters such as {} that the bundled font lacks, and no CJK font was found\n  fix: {}",
                describe(&latin_lacks),
                CJK_FIX
            ))
        } else {
            e
        }
    })?;
    let lacking = missing_glyphs(family, &texts);
    if !lacking.is_empty() {
        return Err(Error::Usage(format!(
            "the chart's text (group names or item texts) has characters that the font '{family}' cannot draw: {}\n  fix: name a font that has them with --font PATH (e.g. Noto Sans CJK for Korean or Japanese), or rename those groups",
            describe(&lacking)
        )));
    }
    Ok(family)
}
