//! The `[kano]` section of an instrument: attributes asked as a functional question ("If the restaurant has
//! free Wi-Fi, how do you feel?") and a dysfunctional one ("If it does not …"), paired by name, never by column
//! position; the answer wordings; an optional self-stated importance per attribute.

use serde::Deserialize;

/// The five Kano answers in their fixed order (codes 1–5).
pub const ANSWER_NAMES: [&str; 5] = ["like", "must-be", "neutral", "live with", "dislike"];

/// The wordings recognised without being declared, one set per row, each in the order like, must-be (expect),
/// neutral, live with, dislike: Berger et al. (1993, p. 4) and the variants in common use; the Chinese ones of
/// 问卷星's and the textbooks' Kano questionnaires.
pub const STANDARD_WORDINGS: &[[&str; 5]] = &[
    [
        "I like it that way",
        "It must be that way",
        "I am neutral",
        "I can live with it that way",
        "I dislike it that way",
    ],
    [
        "I like it",
        "I expect it",
        "I am neutral",
        "I can live with it",
        "I dislike it",
    ],
    [
        "I like it",
        "I expect it",
        "I'm neutral",
        "I can tolerate it",
        "I dislike it",
    ],
    [
        "I like it that way",
        "I expect it that way",
        "I am neutral",
        "I can tolerate it that way",
        "I dislike it that way",
    ],
    ["Like", "Must-be", "Neutral", "Live with", "Dislike"],
    ["我很喜欢", "理应如此", "无所谓", "能忍受", "我很不喜欢"],
    ["喜欢", "理所当然", "无所谓", "能忍受", "不喜欢"],
    [
        "我喜欢这样",
        "它理应如此",
        "无所谓",
        "我能忍受",
        "我不喜欢这样",
    ],
    ["很喜欢", "必须这样", "无所谓", "可以忍受", "很不喜欢"],
];

/// A validated `[kano]` section.
#[derive(Debug, Clone)]
pub struct Kano {
    /// The declared answer texts (five, like … dislike), or empty: codes 1–5 and the standard wordings only.
    pub answers: Vec<String>,
    /// Bounds of the self-stated importance scale.
    pub importance: Option<(f64, f64)>,
    pub attributes: Vec<Attribute>,
}

/// One attribute and the columns of its questions.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub id: String,
    pub label: String,
    pub functional: String,
    pub dysfunctional: String,
    pub importance: Option<String>,
    /// The value dimension the attribute serves (a `[[dimensions]]` id or free text).
    pub dimension: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKano {
    #[serde(default)]
    answers: Vec<String>,
    importance: Option<RawRange>,
    #[serde(default)]
    attributes: Vec<RawAttribute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: f64,
    max: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttribute {
    id: String,
    label: Option<String>,
    functional: String,
    dysfunctional: String,
    importance: Option<String>,
    dimension: Option<String>,
    /// A translation or note for readers of the file; not used in any computation.
    #[allow(dead_code)]
    gloss: Option<String>,
}

/// A problem in the section: (text to find the line by, message, fix).
pub(super) type Problem = (String, String, String);

pub(super) fn validate(raw: RawKano) -> Result<Kano, Problem> {
    let problem =
        |needle: &str, message: String, fix: &str| (needle.to_string(), message, fix.to_string());
    if !raw.answers.is_empty() && raw.answers.len() != 5 {
        return Err(problem(
            "answers",
            format!(
                "[kano] answers has {} entries; a Kano question has five answers",
                raw.answers.len()
            ),
            "list the five wordings in the order like, must-be, neutral, live with, dislike",
        ));
    }
    for (k, a) in raw.answers.iter().enumerate() {
        if let Some(b) = raw.answers[..k]
            .iter()
            .find(|b| normalize(b) == normalize(a))
        {
            return Err(problem(
                "answers",
                format!("[kano] answers '{b}' and '{a}' differ only in case or spacing"),
                "give every answer its own wording",
            ));
        }
        if a.trim().parse::<f64>().is_ok() {
            return Err(problem(
                "answers",
                format!("[kano] answer '{a}' is a number; numbers are read as the codes 1–5"),
                "give the answers' wordings, or leave `answers` out when the file holds codes",
            ));
        }
    }
    let importance = match raw.importance {
        Some(r) if !(r.min.is_finite() && r.max.is_finite() && r.min < r.max) => {
            return Err(problem(
                "importance",
                format!(
                    "[kano] importance needs min < max (found min = {}, max = {})",
                    r.min, r.max
                ),
                "write e.g. importance = { min = 1, max = 9 }",
            ))
        }
        r => r.map(|r| (r.min, r.max)),
    };
    if raw.attributes.is_empty() {
        return Err(problem(
            "[kano]",
            "the [kano] section has no [[kano.attributes]]".into(),
            "add one [[kano.attributes]] table per attribute with id, label, functional and dysfunctional",
        ));
    }
    let mut attributes: Vec<Attribute> = Vec::new();
    let mut columns: Vec<(String, String)> = Vec::new();
    for a in raw.attributes {
        if a.id.trim().is_empty() {
            return Err(problem(
                "[[kano.attributes]]",
                "an attribute has an empty id".into(),
                "give every attribute an id",
            ));
        }
        if attributes.iter().any(|b| b.id == a.id) {
            return Err(problem(
                &format!("\"{}\"", a.id),
                format!("two attributes have the id '{}'", a.id),
                "give every attribute a unique id",
            ));
        }
        let mut own = vec![&a.functional, &a.dysfunctional];
        own.extend(a.importance.as_ref());
        for col in own {
            if col.trim().is_empty() {
                return Err(problem(
                    &format!("\"{}\"", a.id),
                    format!("attribute '{}' names an empty column", a.id),
                    "give the column names exactly as in the file's header",
                ));
            }
            if let Some((other, _)) = columns.iter().find(|(_, c)| c == col) {
                let whose = if other == &a.id {
                    "twice".to_string()
                } else {
                    format!("by '{other}' and '{}'", a.id)
                };
                return Err(problem(
                    &format!("\"{col}\""),
                    format!("column '{col}' is named {whose}: one column holds one question"),
                    "give every question of every attribute its own column",
                ));
            }
            columns.push((a.id.clone(), col.clone()));
        }
        if a.importance.is_some() && importance.is_none() {
            return Err(problem(
                &format!("\"{}\"", a.importance.as_deref().unwrap_or_default()),
                format!(
                    "attribute '{}' has an importance column but [kano] has no importance scale",
                    a.id
                ),
                "add importance = { min = 1, max = 9 } (your scale's bounds) to [kano]",
            ));
        }
        attributes.push(Attribute {
            label: a.label.unwrap_or_else(|| a.id.clone()),
            id: a.id,
            functional: a.functional,
            dysfunctional: a.dysfunctional,
            importance: a.importance,
            dimension: a.dimension,
        });
    }
    Ok(Kano {
        answers: raw.answers,
        importance,
        attributes,
    })
}

impl Kano {
    /// The answer code (1 like … 5 dislike) of a cell's text: a code, a declared wording or a standard one.
    pub fn parse_answer(&self, text: &str) -> Option<u8> {
        let t = text.trim();
        if let Ok(v) = t.parse::<f64>() {
            return (v.fract() == 0.0 && (1.0..=5.0).contains(&v)).then_some(v as u8);
        }
        let key = normalize(t);
        let declared = self.answers.iter().position(|a| normalize(a) == key);
        declared
            .or_else(|| {
                STANDARD_WORDINGS
                    .iter()
                    .find_map(|set| set.iter().position(|a| normalize(a) == key))
            })
            .map(|k| k as u8 + 1)
    }

    /// The wordings accepted, for messages.
    pub fn accepted(&self) -> String {
        let shown: Vec<&str> = if self.answers.is_empty() {
            STANDARD_WORDINGS[0].to_vec()
        } else {
            self.answers.iter().map(String::as_str).collect()
        };
        let texts: Vec<String> = shown.iter().map(|a| format!("\"{a}\"")).collect();
        format!(
            "a code 1–5 (like, must-be, neutral, live with, dislike) or {}{}",
            texts.join(", "),
            if self.answers.is_empty() {
                " (or another standard English or Chinese wording)"
            } else {
                ""
            }
        )
    }
}

/// Lower case, no white space, curly apostrophes straight: "I can’t" and "i can't" are the same wording.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kano(answers: &[&str]) -> Kano {
        Kano {
            answers: answers.iter().map(|s| s.to_string()).collect(),
            importance: None,
            attributes: vec![],
        }
    }

    #[test]
    fn answers_are_codes_declared_or_standard_wordings() {
        let k = kano(&[]);
        assert_eq!(k.parse_answer("1"), Some(1));
        assert_eq!(k.parse_answer("5"), Some(5));
        assert_eq!(k.parse_answer("6"), None);
        assert_eq!(k.parse_answer("2.5"), None);
        assert_eq!(k.parse_answer("  i LIKE it that way "), Some(1));
        assert_eq!(k.parse_answer("I can\u{2019}t say"), None);
        assert_eq!(k.parse_answer("I\u{2019}m neutral"), Some(3));
        assert_eq!(k.parse_answer("理应如此"), Some(2));
        assert_eq!(k.parse_answer("我很不喜欢"), Some(5));
        assert_eq!(k.parse_answer("能忍受"), Some(4));
        let k = kano(&["Love it", "Expected", "Don't care", "Tolerable", "Hate it"]);
        assert_eq!(k.parse_answer("don\u{2019}t care"), Some(3));
        assert_eq!(k.parse_answer("I dislike it"), Some(5));
    }

    #[test]
    fn standard_wordings_never_contradict_each_other() {
        for (s, set) in STANDARD_WORDINGS.iter().enumerate() {
            for (k, w) in set.iter().enumerate() {
                for other in &STANDARD_WORDINGS[..s] {
                    if let Some(j) = other.iter().position(|o| normalize(o) == normalize(w)) {
                        assert_eq!(j, k, "'{w}' means two answers");
                    }
                }
            }
        }
    }
}
