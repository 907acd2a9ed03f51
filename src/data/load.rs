//! Loading a read file against an instrument: columns matched to items (by id, `--map`, or question text),
//! answers parsed batch by batch and coded, groups, ids and completion times; every rejection names the file,
//! row and column.

use super::*;

impl RawFile {
    /// Whether every item of `instrument` can be found among the file's columns.
    pub fn fits(&self, instrument: &Instrument) -> bool {
        self.resolve(instrument).iter().all(|c| c.is_some())
    }

    /// The column of each item: `--map` first, then a column named like the item, then a column whose question
    /// text matches the item's text (exports that carry question texts).
    /// Every `--map ITEM=COLUMN` names an item of the instrument and a column of the file, and no column is
    /// mapped to two items.
    fn check_map(&self, instrument: &Instrument) -> Result<()> {
        let ids: Vec<String> = instrument.items.iter().map(|i| i.id.clone()).collect();
        for (k, (item, col)) in self.map.iter().enumerate() {
            if !ids.contains(item) {
                return Err(Error::Usage(format!(
                    "--map {item}={col}: '{item}' is not an item of instrument '{}'{}\n  fix: map one of its items: {}",
                    instrument.id,
                    suggest(item, &ids),
                    ids.join(", ")
                )));
            }
            if !self.columns.contains(col) {
                return Err(Error::Usage(format!(
                    "--map {item}={col}: {} has no column '{col}'{}\n  fix: give a column name exactly as in the header",
                    self.path.display(),
                    suggest(col, &self.columns)
                )));
            }
            if let Some((other, _)) = self.map[..k].iter().find(|(_, c)| c == col) {
                return Err(Error::Usage(format!(
                    "--map: items '{other}' and '{item}' are both mapped to column '{col}'\n  fix: map each item to its own column"
                )));
            }
        }
        Ok(())
    }

    pub fn resolve(&self, instrument: &Instrument) -> Vec<Option<String>> {
        use sources::normalize_text;
        let texts: Vec<String> = if self.texts.len() == self.columns.len() {
            self.texts.clone()
        } else {
            self.columns.clone()
        };
        let norm_texts: Vec<String> = texts.iter().map(|t| normalize_text(t)).collect();
        instrument
            .items
            .iter()
            .map(|item| {
                if let Some((_, col)) = self.map.iter().find(|(i, _)| i == &item.id) {
                    return Some(col.clone());
                }
                if self.columns.iter().any(|c| c == &item.id) {
                    return Some(item.id.clone());
                }
                // The id with spaces around it or in another case (" QUAL1 ", "qual1").
                if let Some(c) = self
                    .columns
                    .iter()
                    .find(|c| c.trim().eq_ignore_ascii_case(&item.id))
                {
                    return Some(c.clone());
                }
                let want = normalize_text(&item.text);
                if want.is_empty() || item.text == item.id {
                    return None;
                }
                // Exact wording (possibly inside a longer header such as "Q5 - This product is well made."), else
                // a near match.
                let exact = norm_texts
                    .iter()
                    .position(|t| !t.is_empty() && (t == &want || t.ends_with(&want)));
                let best = exact.or_else(|| {
                    norm_texts
                        .iter()
                        .enumerate()
                        .map(|(k, t)| (k, strsim::jaro_winkler(t, &want)))
                        .filter(|(_, sc)| *sc >= 0.92)
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(k, _)| k)
                });
                best.map(|k| self.columns[k].clone())
            })
            .collect()
    }

    /// The name of the completion-time column, if there is one.
    pub fn duration_column(&self) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| DURATION_NAMES.contains(&c.trim().to_lowercase().as_str()))
            .map(|s| s.as_str())
    }

    /// The name of the respondent id column, if there is one.
    pub fn id_column(&self) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| ID_NAMES.contains(&c.trim().to_lowercase().as_str()))
            .map(|s| s.as_str())
    }

    /// Parse the item columns (and the id and `--by` columns) for `instrument`.
    /// `ids`: also read the respondent id and completion-time columns (score files, screening).
    pub fn load(&self, instrument: &Instrument, by: Option<&str>, ids: bool) -> Result<Responses> {
        self.check_map(instrument)?;
        let resolved = self.resolve(instrument);
        let mut item_columns = Vec::with_capacity(resolved.len());
        let mut notes = self.notes.clone();
        for (item, col) in instrument.items.iter().zip(&resolved) {
            match col {
                Some(c) => {
                    if c != &item.id {
                        let how = if self.map.iter().any(|(i, _)| i == &item.id) {
                            "--map".to_string()
                        } else if c.trim().eq_ignore_ascii_case(&item.id) {
                            "the item id, with spaces or another case".to_string()
                        } else {
                            format!("question text \"{}\"", item.text)
                        };
                        notes.push(format!("item {} read from column '{c}' ({how})", item.id));
                    }
                    item_columns.push(c.clone());
                }
                None => {
                    return Err(Error::MissingColumn {
                        file: self.path.clone(),
                        column: item.id.clone(),
                        instrument: instrument.id.clone(),
                        suggestion: suggest(&item.id, &self.columns),
                    })
                }
            }
        }
        if !self.value_labels.is_empty() {
            self.check_labelled_items(instrument, &item_columns, &mut notes)?;
        }
        if let Some(b) = by {
            if !self.columns.iter().any(|c| c == b) {
                return Err(Error::MissingOption {
                    file: self.path.clone(),
                    column: b.to_string(),
                    suggestion: suggest(b, &self.columns),
                    available: self.columns.join(", "),
                });
            }
        }
        if let Some(b) = by.filter(|b| item_columns.iter().any(|c| c == b)) {
            let others: Vec<&str> = self
                .columns
                .iter()
                .filter(|c| !item_columns.contains(c) && Some(c.as_str()) != self.id_column())
                .map(|c| c.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "{}: --by '{b}' is an item column of instrument '{}': groups formed by an item's own answers \
                 leave it constant within each group, so its dimension cannot be compared or checked for reliability\n  \
                 fix: group by the column that names the store, brand or product{}",
                self.path.display(),
                instrument.id,
                if others.is_empty() {
                    " (this file has no column besides the items)".to_string()
                } else {
                    format!(" (columns that are not items: {})", others.join(", "))
                }
            )));
        }
        // Only the columns used are parsed: the items, the group column and (for score files) the id.
        let mut needed: Vec<String> = item_columns.clone();
        needed.extend(by.map(String::from));
        if ids {
            needed.extend(self.id_column().map(String::from));
            needed.extend(self.duration_column().map(String::from));
        }
        needed.sort();
        needed.dedup();
        let p = instrument.items.len();
        let mut answers = Answers::with_rows(self.record_lines.len(), p);
        let mut group = by.map(GroupsBuilder::new);
        let id_name = self.id_column().filter(|_| ids);
        let seconds_name = self.duration_column().filter(|_| ids);
        let mut id_values: Vec<String> = Vec::new();
        let mut seconds: Vec<Option<f64>> = Vec::new();
        let mut mode = Parse::Integers;
        let batches = match self.format {
            Format::Parquet => 1,
            Format::Text { .. } => self.batch_starts.len(),
        };
        let mut first_row = 0;
        // Cells that are not answers, as ((row, column index), error): the first few of each column, and how
        // many in all, so that one message lists them in file order.
        let mut bad_cells: Vec<((usize, usize), Error)> = Vec::new();
        let mut bad_total = 0;
        for b in 0..batches {
            let df = self.read_batch(b, &item_columns, &needed, &mut mode)?;
            // The item columns are appended on all cores; a fatal error is reported in column order.
            let appended: Vec<Result<BadAnswers>> = answers
                .column_writers()
                .into_par_iter()
                .zip(item_columns.par_iter().zip(&instrument.items))
                .map(|(mut writer, (column, item))| {
                    let col = df
                        .column(column)
                        .map_err(|e| self.polars_error(e))?
                        .as_materialized_series();
                    if item.covariate {
                        self.append_covariate(instrument, column, col, first_row, &mut writer)
                            .map(|()| BadAnswers::default())
                    } else {
                        self.append_answers(instrument, column, col, first_row, &mut writer)
                    }
                })
                .collect();
            for (c, found) in appended.into_iter().enumerate() {
                let found = found?;
                bad_total += found.total;
                bad_cells.extend(found.first.into_iter().map(|(r, e)| ((r, c), e)));
            }
            let strings = |name: &str| -> Result<Series> {
                df.column(name)
                    .map_err(|e| self.polars_error(e))?
                    .as_materialized_series()
                    .cast(&DataType::String)
                    .map_err(|e| self.polars_error(e))
            };
            if let Some(name) = id_name {
                let s = strings(name)?;
                let ca = s.str().map_err(|e| self.polars_error(e))?;
                id_values.extend(ca.iter().map(|v| v.unwrap_or("").trim().to_string()));
            }
            if let Some(name) = seconds_name {
                let s = strings(name)?;
                let ca = s.str().map_err(|e| self.polars_error(e))?;
                seconds.extend(ca.iter().map(|v| v.and_then(parse_seconds)));
            }
            if let (Some(g), Some(name)) = (group.as_mut(), by) {
                let s = strings(name)?;
                let ca = s.str().map_err(|e| self.polars_error(e))?;
                match self.labels_of(name) {
                    // A labelled group column: the labels are the group names.
                    Some(labels) => ca.iter().for_each(|v| {
                        let code = v.and_then(|t| t.trim().parse::<f64>().ok());
                        let label = code.and_then(|c| labels.iter().find(|l| l.0 == c));
                        g.push(label.map(|l| l.1.as_str()).or(v))
                    }),
                    None => ca.iter().for_each(|v| g.push(v)),
                }
            }
            first_row += df.height();
        }
        if bad_total > 0 {
            bad_cells.sort_by_key(|(at, _)| *at);
            let mut cells: Vec<Error> = bad_cells.into_iter().map(|(_, e)| e).collect();
            if bad_total == 1 {
                return Err(cells.remove(0));
            }
            cells.truncate(crate::error::BAD_CELLS_SHOWN);
            return Err(Error::BadCells {
                file: self.path.clone(),
                cells,
                total: bad_total,
            });
        }
        if let Some(labels) = by.and_then(|b| self.labels_of(b)) {
            let shown: Vec<String> = labels
                .iter()
                .take(12)
                .map(|(c, l)| format!("{c} = {l}"))
                .collect();
            notes.push(format!(
                "{}: value labels used as group names ({}{})",
                by.unwrap_or_default(),
                shown.join(", "),
                if labels.len() > 12 { ", …" } else { "" }
            ));
        }
        answers.sync_rows();
        let n = answers.nrows();
        if n == 0 {
            return Err(Error::BadFile {
                file: self.path.clone(),
                message: "the file has a header but no respondents".into(),
                fix: "export the survey again with its responses".into(),
            });
        }
        Ok(Responses {
            path: self.path.clone(),
            n_rows: n,
            answers,
            id: id_name.map(|name| (name.to_string(), id_values)),
            group: group.map(GroupsBuilder::finish),
            notes,
            seconds: seconds_name.map(|name| (name.to_string(), seconds)),
        })
    }

    /// Append one item column of a parsed batch to the answers, checking every value against the scale. Cells
    /// that are not answers are kept as missing and returned; the error is a file that cannot be read on.
    fn append_answers(
        &self,
        instrument: &Instrument,
        column: &str,
        col: &Series,
        first_row: usize,
        out: &mut ColumnWriter,
    ) -> Result<BadAnswers> {
        let mut bad = BadAnswers::default();
        let out_of_range = |r: usize, v: f64| Error::OutOfRange {
            file: self.path.clone(),
            row: self.row_label(first_row + r),
            column: column.to_string(),
            value: v,
            scale: format!(
                "[{}, {}] of instrument '{}'",
                instrument.scale.min, instrument.scale.max, instrument.id
            ),
        };
        let (lo, hi) = (instrument.scale.min, instrument.scale.max);
        // Missing-value codes of the file (`--na`) and of the instrument (`missing = [...]`).
        let codes: Vec<f64> = self.na.iter().chain(&instrument.missing).copied().collect();
        let mut push_checked = |r: usize, v: f64| {
            let v = if codes.contains(&v) { f64::NAN } else { v };
            if v.is_infinite() {
                return Err(Error::BadFile {
                    file: self.path.clone(),
                    message: format!(
                        "{}, column '{column}': the cell holds a number too large to be an answer",
                        self.row_label(first_row + r)
                    ),
                    fix: "check that cell: the file may be damaged, or a long code was pasted into it".into(),
                });
            }
            if !v.is_nan() && !(lo..=hi).contains(&v) {
                bad.add(first_row + r, out_of_range(r, v));
                out.push(f64::NAN);
                return Ok(());
            }
            out.push(v);
            Ok(())
        };
        if let Ok(ca) = col.i32() {
            if codes.is_empty() {
                // The usual case (integer answers, no missing-value codes): the values and the validity bits
                // read directly, each answer range-checked and coded.
                let mut r = 0;
                for arr in ca.downcast_iter() {
                    let values = arr.values().as_slice();
                    let mut one = |r: usize, v: Option<i32>| match v {
                        None => out.push(f64::NAN),
                        Some(v) => {
                            let x = f64::from(v);
                            if (lo..=hi).contains(&x) {
                                out.push(x);
                            } else {
                                bad.add(first_row + r, out_of_range(r, x));
                                out.push(f64::NAN);
                            }
                        }
                    };
                    match arr.validity() {
                        None => values.iter().for_each(|&v| {
                            one(r, Some(v));
                            r += 1;
                        }),
                        Some(valid) => values.iter().zip(valid.iter()).for_each(|(&v, ok)| {
                            one(r, ok.then_some(v));
                            r += 1;
                        }),
                    }
                }
                return Ok(bad);
            }
            for (r, v) in ca.iter().enumerate() {
                push_checked(r, v.map_or(f64::NAN, f64::from))?;
            }
            return Ok(bad);
        }
        if col.dtype().is_primitive_numeric() {
            let f = col
                .cast(&DataType::Float64)
                .map_err(|e| self.polars_error(e))?;
            let ca = f.f64().map_err(|e| self.polars_error(e))?;
            for (r, v) in ca.iter().enumerate() {
                push_checked(r, v.unwrap_or(f64::NAN))?;
            }
            return Ok(bad);
        }
        let s = col
            .cast(&DataType::String)
            .map_err(|e| self.polars_error(e))?;
        let ca = s.str().map_err(|e| self.polars_error(e))?;
        // A column holds few distinct answers ("Agree", "4", …): each is read once.
        let mut known: std::collections::HashMap<&str, Option<f64>> = Default::default();
        let mut unknown = BadAnswers::default();
        for (r, v) in ca.iter().enumerate() {
            let v = match v.map(str::trim) {
                None | Some("") => f64::NAN,
                Some(t) if MISSING_CODES.iter().any(|m| m.eq_ignore_ascii_case(t)) => f64::NAN,
                Some(t) => {
                    let parsed = *known.entry(t).or_insert_with(|| {
                        if self.decimal_comma {
                            instrument.parse_answer(&t.replace(',', "."))
                        } else {
                            instrument.parse_answer(t)
                        }
                    });
                    parsed.unwrap_or_else(|| {
                        unknown.add(
                            first_row + r,
                            Error::UnknownAnswer {
                                file: self.path.clone(),
                                row: self.row_label(first_row + r),
                                column: column.to_string(),
                                value: t.to_string(),
                                allowed: allowed_answers(instrument),
                            },
                        );
                        f64::NAN
                    })
                }
            };
            push_checked(r, v)?;
        }
        bad.merge(unknown);
        Ok(bad)
    }

    /// Append a covariate column (not an answer on the scale): any finite number; empty cells, "NA" and the
    /// missing-value codes are missing. Text is refused with the recode that makes it a number.
    fn append_covariate(
        &self,
        instrument: &Instrument,
        column: &str,
        col: &Series,
        first_row: usize,
        out: &mut ColumnWriter,
    ) -> Result<()> {
        let codes: Vec<f64> = self.na.iter().chain(&instrument.missing).copied().collect();
        let s = col
            .cast(&DataType::String)
            .map_err(|e| self.polars_error(e))?;
        let ca = s.str().map_err(|e| self.polars_error(e))?;
        let mut texts: Vec<String> = Vec::new();
        let mut first_text: Option<usize> = None;
        for (r, v) in ca.iter().enumerate() {
            let t = v.map(str::trim).unwrap_or("");
            if t.is_empty() || MISSING_CODES.iter().any(|m| m.eq_ignore_ascii_case(t)) {
                out.push(f64::NAN);
                continue;
            }
            let number = if self.decimal_comma {
                t.replace(',', ".").parse::<f64>().ok()
            } else {
                t.parse::<f64>().ok()
            };
            match number {
                Some(x) if x.is_finite() => out.push(if codes.contains(&x) { f64::NAN } else { x }),
                _ => {
                    first_text.get_or_insert(r);
                    if texts.len() < 6 && !texts.iter().any(|x| x == t) {
                        texts.push(t.to_string());
                    }
                    out.push(f64::NAN);
                }
            }
        }
        let Some(r) = first_text else { return Ok(()) };
        let quoted: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
        let fix = match texts.as_slice() {
            [a, b] => format!(
                "recode it as a 0/1 column, e.g. {column}_{} = 1 for \"{b}\" and 0 for \"{a}\", and name that column in the model",
                b.to_lowercase().replace(' ', "_")
            ),
            _ => format!(
                "recode it as numbers, or as 0/1 dummy columns (one per category but one) named in the model; its values include {}",
                quoted.join(", ")
            ),
        };
        Err(Error::BadFile {
            file: self.path.clone(),
            message: format!(
                "{}, column '{column}': {} is text, but a variable of the structural model must be a number (column '{column}' holds {})",
                self.row_label(first_row + r),
                quoted[0],
                quoted.join(", ")
            ),
            fix,
        })
    }

    /// "row N (line L)" for messages: rows count data records from 1; lines count the file's lines.
    fn row_label(&self, index: usize) -> String {
        match self.record_lines.get(index) {
            Some(line) => format!("row {} (line {line})", index + 1),
            None => format!("row {}", index + 1),
        }
    }

    fn polars_error(&self, e: PolarsError) -> Error {
        Error::BadFile {
            file: self.path.clone(),
            message: format!("cannot parse the file: {e}"),
            fix: "check that it is a CSV/TSV file with one header row, or a Parquet file".into(),
        }
    }

    /// Parse batch `b` of the needed columns with polars (a Parquet file is one batch). Item columns are
    /// parsed as integers while they can be (fast, the usual case); `mode` steps to numbers, to numbers with
    /// "NA" codes, then to text mapped by [`Self::append_answers`], and stays there for later batches.
    fn read_batch(
        &self,
        b: usize,
        item_columns: &[String],
        needed: &[String],
        mode: &mut Parse,
    ) -> Result<DataFrame> {
        let Format::Text { delimiter } = self.format else {
            return ParquetReader::new(Cursor::new(self.bytes.as_slice()))
                .with_columns(Some(needed.to_vec()))
                .finish()
                .map_err(|e| self.polars_error(e));
        };
        let text = &self.bytes[self.start..];
        let end = self.batch_starts.get(b + 1).copied().unwrap_or(text.len());
        let begin = self.batch_starts[b];
        let blanks: Vec<&std::ops::Range<usize>> = self
            .blank_lines
            .iter()
            .filter(|r| r.start >= begin && r.end <= end)
            .collect();
        // Blank lines are rare: a batch that has some is copied without them.
        let without_blanks: Vec<u8>;
        let slice: &[u8] = if blanks.is_empty() {
            &text[begin..end]
        } else {
            let mut kept = Vec::with_capacity(end - begin);
            let mut from = begin;
            for r in blanks {
                kept.extend_from_slice(&text[from..r.start]);
                from = r.end;
            }
            kept.extend_from_slice(&text[from..end]);
            without_blanks = kept;
            &without_blanks
        };
        let projection: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| needed.contains(c))
            .map(|(k, _)| k)
            .collect();
        loop {
            let item_type = match mode {
                Parse::Integers => DataType::Int32,
                Parse::Numbers | Parse::NumbersWithCodes => DataType::Float64,
                Parse::Text => DataType::String,
            };
            let schema: Schema = self
                .columns
                .iter()
                .map(|c| {
                    let dt = if item_columns.contains(c) {
                        item_type.clone()
                    } else {
                        DataType::String
                    };
                    Field::new(c.as_str().into(), dt)
                })
                .collect();
            let nulls = matches!(mode, Parse::NumbersWithCodes | Parse::Text).then(|| {
                NullValues::AllColumns(MISSING_CODES.iter().map(|s| PlSmallStr::from(*s)).collect())
            });
            let opts = CsvReadOptions::default()
                .with_has_header(false)
                .with_schema(Some(Arc::new(schema)))
                .with_projection(Some(Arc::new(projection.clone())))
                .with_parse_options(
                    CsvParseOptions::default()
                        .with_separator(delimiter)
                        .with_decimal_comma(self.decimal_comma)
                        .with_null_values(nulls)
                        .with_missing_is_null(true),
                );
            match opts
                .into_reader_with_file_handle(Cursor::new(slice))
                .finish()
            {
                Ok(df) => return Ok(df),
                Err(e) => match mode {
                    Parse::Integers => *mode = Parse::Numbers,
                    Parse::Numbers => *mode = Parse::NumbersWithCodes,
                    Parse::NumbersWithCodes => *mode = Parse::Text,
                    Parse::Text => return Err(self.polars_error(e)),
                },
            }
        }
    }
}

/// How item columns are parsed: as integers (Likert answers; the fastest), as numbers, as numbers with
/// missing-value codes ("NA"), or as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    Integers,
    Numbers,
    NumbersWithCodes,
    Text,
}

/// What an answer may be, for messages.
fn allowed_answers(instrument: &Instrument) -> String {
    let range = format!(
        "a number in [{}, {}]",
        instrument.scale.min, instrument.scale.max
    );
    if instrument.scale.labels.is_empty() {
        format!(
            "{range} (instrument '{}' has no text labels)",
            instrument.id
        )
    } else {
        let labels: Vec<String> = instrument
            .scale
            .labels
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect();
        format!(
            "{range} or one of the labels of instrument '{}': {}",
            instrument.id,
            labels.join(", ")
        )
    }
}

/// "; did you mean 'X'?" for the closest column name, or a list of candidates.
pub(super) fn suggest(name: &str, columns: &[String]) -> String {
    let lower = name.to_lowercase();
    let best = columns
        .iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase()),
                c,
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, c)) if score >= 0.5 => format!("; did you mean '{c}'?"),
        _ => String::new(),
    }
}

/// Parse a duration cell: "185", "185.5", "185秒", "3:05" (minutes:seconds).
pub fn parse_seconds(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Some((m, sec)) = t.split_once(':') {
        return Some(m.trim().parse::<f64>().ok()? * 60.0 + sec.trim().parse::<f64>().ok()?);
    }
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
}

/// The cells of one item column that are not answers: the first [`crate::error::BAD_CELLS_SHOWN`] (row, error)
/// and how many in all.
#[derive(Default)]
struct BadAnswers {
    first: Vec<(usize, Error)>,
    total: usize,
}

impl BadAnswers {
    fn add(&mut self, row: usize, e: Error) {
        self.total += 1;
        if self.first.len() < crate::error::BAD_CELLS_SHOWN {
            self.first.push((row, e));
        }
    }

    fn merge(&mut self, other: BadAnswers) {
        self.total += other.total;
        self.first.extend(other.first);
        self.first.sort_by_key(|(r, _)| *r);
        self.first.truncate(crate::error::BAD_CELLS_SHOWN);
    }
}
