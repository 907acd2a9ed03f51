//! Answers held compactly: one byte per answer. An item has few distinct answers (a 7-point scale has 7), so
//! each column keeps a code per respondent and a table of the values the codes stand for; code 0 is a
//! missing answer. A million respondents × 19 items take 19 MB instead of a 152 MB matrix of f64, and
//! reverse keying rewrites a column's table instead of its answers. A column with more than 255 distinct
//! values (a continuous rating) is kept as f64 values.
//!
//! ```
//! use perval::data::Answers;
//! use perval::stats::moments::Columns;
//! let mut a = Answers::with_rows(3, 2);
//! for (j, col) in [[1.0, 2.0, f64::NAN], [7.0, 7.0, 4.5]].iter().enumerate() {
//!     for &v in col {
//!         a.push(j, v);
//!     }
//! }
//! a.sync_rows();
//! assert_eq!(a.value(1, 0), 2.0);
//! assert!(a.value(2, 0).is_nan());
//! a.map_values(1, |v| 8.0 - v);
//! assert_eq!(a.value(2, 1), 3.5);
//! ```

use crate::stats::moments::{Columns, Rows};
use nalgebra::DMatrix;

/// Code of a missing answer.
const MISSING: u8 = 0;

/// Respondents × items answers, one column per item.
#[derive(Debug, Clone)]
pub struct Answers {
    n: usize,
    columns: Vec<Column>,
}

#[derive(Debug, Clone)]
enum Column {
    /// Codes into `values`; `values[0]` is NaN (missing). `by_integer[v]` is the code of the integer v in
    /// 0..=255 (0 when unseen), so that the usual integer answers are coded without a search.
    Coded {
        codes: Vec<u8>,
        values: Vec<f64>,
        by_integer: Box<[u8; 256]>,
    },
    /// More than 255 distinct values: the values themselves.
    Dense(Vec<f64>),
}

impl Column {
    fn new(capacity: usize) -> Column {
        Column::Coded {
            codes: Vec::with_capacity(capacity),
            values: vec![f64::NAN],
            by_integer: Box::new([0; 256]),
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Coded { codes, .. } => codes.len(),
            Column::Dense(v) => v.len(),
        }
    }

    #[inline]
    fn push(&mut self, v: f64) {
        match self {
            Column::Dense(values) => values.push(v),
            Column::Coded {
                codes,
                values,
                by_integer,
            } => {
                if v.is_nan() {
                    codes.push(MISSING);
                    return;
                }
                // `as u8` saturates, so only an integer in 0..=255 converts back to itself.
                let small = f64::from(v as u8) == v;
                if small && by_integer[v as u8 as usize] != 0 {
                    codes.push(by_integer[v as u8 as usize]);
                    return;
                }
                let found = values[1..]
                    .iter()
                    .position(|&x| x == v)
                    .map(|k| k as u8 + 1);
                let code = match found {
                    Some(c) => {
                        if small {
                            by_integer[v as u8 as usize] = c;
                        }
                        c
                    }
                    None if values.len() <= 255 => {
                        values.push(v);
                        let c = (values.len() - 1) as u8;
                        if small {
                            by_integer[v as u8 as usize] = c;
                        }
                        c
                    }
                    None => {
                        // A 256th distinct value: keep this column as plain numbers.
                        let mut dense: Vec<f64> = Vec::with_capacity(codes.capacity());
                        dense.extend(codes.iter().map(|&c| values[c as usize]));
                        dense.push(v);
                        *self = Column::Dense(dense);
                        return;
                    }
                };
                codes.push(code);
            }
        }
    }

    fn get(&self, r: usize) -> f64 {
        match self {
            Column::Coded { codes, values, .. } => values[codes[r] as usize],
            Column::Dense(v) => v[r],
        }
    }
}

impl Answers {
    /// An empty table of `p` items, with room for `n` respondents.
    pub fn with_rows(n: usize, p: usize) -> Answers {
        Answers {
            n: 0,
            columns: (0..p).map(|_| Column::new(n)).collect(),
        }
    }

    /// The answers of a dense matrix (rows = respondents, NaN = missing).
    pub fn from_matrix(x: &DMatrix<f64>) -> Answers {
        let (n, p) = x.shape();
        let mut a = Answers::with_rows(n, p);
        for j in 0..p {
            for &v in x.column(j).iter() {
                a.push(j, v);
            }
        }
        a.sync_rows();
        a
    }

    /// Append one answer to column `j`. Columns are filled in any order; call [`Answers::sync_rows`] once
    /// every column has its answers.
    #[inline]
    pub fn push(&mut self, j: usize, v: f64) {
        self.columns[j].push(v);
    }

    /// One writer per column, to fill the columns on several threads at once.
    pub fn column_writers(&mut self) -> Vec<ColumnWriter<'_>> {
        self.columns.iter_mut().map(ColumnWriter).collect()
    }

    /// Set the row count to that of the shortest column, after [`Answers::push`].
    pub fn sync_rows(&mut self) {
        self.n = self.columns.iter().map(Column::len).min().unwrap_or(0);
    }

    /// Respondents.
    pub fn nrows(&self) -> usize {
        self.n
    }

    /// Items.
    pub fn ncols(&self) -> usize {
        self.columns.len()
    }

    /// The answer of row `r` to item `j` (NaN if missing).
    pub fn value(&self, r: usize, j: usize) -> f64 {
        self.columns[j].get(r)
    }

    pub fn is_missing(&self, r: usize, j: usize) -> bool {
        match &self.columns[j] {
            Column::Coded { codes, .. } => codes[r] == MISSING,
            Column::Dense(v) => v[r].is_nan(),
        }
    }

    /// Add 1 to `counts[r]` for every row `r` that answered item `j`; returns how many did.
    pub fn count_answered(&self, j: usize, counts: &mut [u32]) -> usize {
        let mut answered = 0;
        let mut add = |c: &mut u32, present: bool| {
            *c += u32::from(present);
            answered += usize::from(present);
        };
        match &self.columns[j] {
            Column::Coded { codes, .. } => {
                for (c, &code) in counts.iter_mut().zip(codes) {
                    add(c, code != MISSING);
                }
            }
            Column::Dense(v) => {
                for (c, x) in counts.iter_mut().zip(v) {
                    add(c, !x.is_nan());
                }
            }
        }
        answered
    }

    /// Apply `f` to every answer of column `j` (reverse keying). NaN stays NaN.
    pub fn map_values(&mut self, j: usize, f: impl Fn(f64) -> f64) {
        match &mut self.columns[j] {
            Column::Coded {
                values, by_integer, ..
            } => {
                for v in values[1..].iter_mut() {
                    *v = f(*v);
                }
                // The integer shortcut points at codes of the old values; later pushes search instead.
                by_integer.fill(0);
            }
            Column::Dense(v) => {
                for x in v.iter_mut().filter(|x| !x.is_nan()) {
                    *x = f(*x);
                }
            }
        }
    }

    /// Column `j` as codes per respondent and the value each code stands for (code 0: missing), or None when
    /// the column holds more than 255 distinct values. Counting codes is how a family that needs only
    /// frequencies (Kano's answer pairs) reads a million rows in milliseconds.
    pub fn codes(&self, j: usize) -> Option<(&[u8], &[f64])> {
        match &self.columns[j] {
            Column::Coded { codes, values, .. } => Some((codes, values)),
            Column::Dense(_) => None,
        }
    }

    /// Each distinct answer of column `j` among the given rows (all when None) with its count, missing
    /// answers left out; in order of first appearance.
    pub fn value_counts(&self, j: usize, rows: Option<&[usize]>) -> Vec<(f64, usize)> {
        match &self.columns[j] {
            Column::Coded { codes, values, .. } => {
                let mut counts = vec![0usize; values.len()];
                match rows {
                    None => codes.iter().for_each(|&c| counts[c as usize] += 1),
                    Some(rows) => rows.iter().for_each(|&r| counts[codes[r] as usize] += 1),
                }
                (1..values.len())
                    .filter(|&c| counts[c] > 0)
                    .map(|c| (values[c], counts[c]))
                    .collect()
            }
            Column::Dense(v) => {
                let mut out: Vec<(f64, usize)> = Vec::new();
                let mut index = std::collections::HashMap::new();
                let mut add = |x: f64| {
                    if x.is_nan() {
                        return;
                    }
                    let k = *index.entry(x.to_bits()).or_insert_with(|| {
                        out.push((x, 0));
                        out.len() - 1
                    });
                    out[k].1 += 1;
                };
                match rows {
                    None => v.iter().for_each(|&x| add(x)),
                    Some(rows) => rows.iter().for_each(|&r| add(v[r])),
                }
                out
            }
        }
    }

    /// The given rows, in the given order.
    pub fn select_rows(&self, rows: &[usize]) -> Answers {
        let columns = self
            .columns
            .iter()
            .map(|c| match c {
                Column::Coded {
                    codes,
                    values,
                    by_integer,
                } => Column::Coded {
                    codes: rows.iter().map(|&r| codes[r]).collect(),
                    values: values.clone(),
                    by_integer: by_integer.clone(),
                },
                Column::Dense(v) => Column::Dense(rows.iter().map(|&r| v[r]).collect()),
            })
            .collect();
        Answers {
            n: rows.len(),
            columns,
        }
    }

    /// A dense copy of the given rows (all when None): n × p × 8 bytes.
    pub fn to_matrix(&self, rows: Option<&[usize]>) -> DMatrix<f64> {
        let n = rows.map_or(self.n, |r| r.len());
        let p = self.columns.len();
        let mut out = DMatrix::<f64>::zeros(n, p);
        let data = out.as_mut_slice();
        for j in 0..p {
            let sel = rows.map_or(Rows::From(0), Rows::Index);
            self.fill(j, sel, &mut data[j * n..(j + 1) * n]);
        }
        out
    }
}

/// Appends answers to one column of [`Answers`]; call [`Answers::sync_rows`] when done.
pub struct ColumnWriter<'a>(&'a mut Column);

impl ColumnWriter<'_> {
    #[inline]
    pub fn push(&mut self, v: f64) {
        self.0.push(v);
    }
}

impl Columns for Answers {
    fn nrows(&self) -> usize {
        Answers::nrows(self)
    }

    fn ncols(&self) -> usize {
        Answers::ncols(self)
    }

    fn value(&self, r: usize, j: usize) -> f64 {
        Answers::value(self, r, j)
    }

    fn fill(&self, j: usize, rows: Rows<'_>, out: &mut [f64]) {
        match (&self.columns[j], rows) {
            (Column::Coded { codes, values, .. }, Rows::From(start)) => {
                for (o, &c) in out.iter_mut().zip(&codes[start..]) {
                    *o = values[c as usize];
                }
            }
            (Column::Coded { codes, values, .. }, Rows::Index(idx)) => {
                for (o, &r) in out.iter_mut().zip(idx) {
                    *o = values[codes[r] as usize];
                }
            }
            (Column::Dense(v), Rows::From(start)) => {
                let len = out.len();
                out.copy_from_slice(&v[start..start + len]);
            }
            (Column::Dense(v), Rows::Index(idx)) => {
                for (o, &r) in out.iter_mut().zip(idx) {
                    *o = v[r];
                }
            }
        }
    }

    /// One pass over two coded columns, counting each pair of codes: a 7-point scale has 49 cells however
    /// many respondents there are.
    fn joint_counts(&self, i: usize, j: usize) -> Option<Vec<(f64, f64, usize)>> {
        let (
            Column::Coded {
                codes: a,
                values: va,
                ..
            },
            Column::Coded {
                codes: b,
                values: vb,
                ..
            },
        ) = (&self.columns[i], &self.columns[j])
        else {
            return None;
        };
        let kb = vb.len();
        let mut table = vec![0usize; va.len() * kb];
        for (&x, &y) in a.iter().zip(b) {
            table[x as usize * kb + y as usize] += 1;
        }
        Some(
            (1..va.len())
                .flat_map(|x| (1..kb).map(move |y| (x, y)))
                .filter(|&(x, y)| table[x * kb + y] > 0)
                .map(|(x, y)| (va[x], vb[y], table[x * kb + y]))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_distinct_values_switch_to_dense() {
        let values: Vec<f64> = (0..600).map(|k| k as f64 / 7.0).collect();
        let x = DMatrix::from_column_slice(600, 1, &values);
        let a = Answers::from_matrix(&x);
        assert!(matches!(a.columns[0], Column::Dense(_)));
        for (r, &v) in values.iter().enumerate() {
            assert_eq!(a.value(r, 0), v);
        }
        assert_eq!(a.to_matrix(None), x);
    }

    #[test]
    fn codes_round_trip_with_missing_and_reverse_keying() {
        let x =
            DMatrix::from_row_slice(4, 2, &[1.0, 2.5, f64::NAN, 2.5, 7.0, f64::NAN, 1.0, 300.0]);
        let mut a = Answers::from_matrix(&x);
        assert_eq!(a.nrows(), 4);
        assert_eq!(4 - a.count_answered(0, &mut [0; 4]), 1);
        assert!(a.is_missing(2, 1));
        a.map_values(0, |v| 8.0 - v);
        assert_eq!(a.value(0, 0), 7.0);
        assert_eq!(a.value(2, 0), 1.0);
        // A push after reverse keying must not reuse the old integer shortcut.
        a.push(0, 1.0);
        a.push(1, 1.0);
        a.sync_rows();
        assert_eq!(a.value(4, 0), 1.0);
        let sel = a.select_rows(&[3, 0]);
        assert_eq!(sel.value(0, 1), 300.0);
        assert_eq!(sel.value(1, 0), 7.0);
        assert_eq!(a.value_counts(0, None), vec![(7.0, 2), (1.0, 2)]);
    }
}
