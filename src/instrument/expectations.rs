//! The `[expectations]` section of an instrument: each item asked three times — the adequate (minimum
//! acceptable) level, the desired (ideal) level and the perceived performance — in columns named by patterns.

use serde::Deserialize;

/// The three answers to one item, in the order of every table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Adequate,
    Desired,
    Perceived,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Adequate, Level::Desired, Level::Perceived];

    pub fn key(self) -> &'static str {
        match self {
            Level::Adequate => "adequate",
            Level::Desired => "desired",
            Level::Perceived => "perceived",
        }
    }
}

/// A validated `[expectations]` section: the column pattern of each level, `{item}` standing for the item id.
#[derive(Debug, Clone)]
pub struct Expectations {
    pub adequate: String,
    pub desired: String,
    pub perceived: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExpectations {
    adequate: String,
    desired: String,
    perceived: String,
}

pub(super) fn validate(raw: RawExpectations) -> Result<Expectations, super::kano::Problem> {
    let e = Expectations {
        adequate: raw.adequate,
        desired: raw.desired,
        perceived: raw.perceived,
    };
    for level in Level::ALL {
        let p = e.pattern(level);
        if !p.contains("{item}") {
            return Err((
                level.key().to_string(),
                format!("[expectations] {} = \"{p}\" has no {{item}}", level.key()),
                "write the column pattern with {item} where the item id goes, e.g. adequate = \"{item}_MIN\"".into(),
            ));
        }
    }
    for (k, a) in Level::ALL.iter().enumerate() {
        if let Some(b) = Level::ALL[..k]
            .iter()
            .find(|b| e.pattern(**b) == e.pattern(*a))
        {
            return Err((
                a.key().to_string(),
                format!(
                    "[expectations] {} and {} have the same pattern",
                    b.key(),
                    a.key()
                ),
                "give each of the three answers its own column pattern".into(),
            ));
        }
    }
    Ok(e)
}

impl Expectations {
    pub fn pattern(&self, level: Level) -> &str {
        match level {
            Level::Adequate => &self.adequate,
            Level::Desired => &self.desired,
            Level::Perceived => &self.perceived,
        }
    }

    /// The column of `item`'s answer at `level`.
    pub fn column(&self, level: Level, item: &str) -> String {
        self.pattern(level).replace("{item}", item)
    }
}
