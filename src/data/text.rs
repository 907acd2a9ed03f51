//! One pass over a delimited text file before polars parses it: UTF-8 check, delimiter detection from the
//! header, and a field count per record, so that a ragged row is reported with its row and line number
//! (polars would fill or reject it without saying where).

/// What the scan found.
pub struct Scan {
    pub delimiter: u8,
    pub header: Vec<String>,
    /// 1-based line number of each data record (blank lines are not records).
    pub record_lines: Vec<u32>,
    /// Byte offset of records 0, `batch`, 2·`batch`, … : where the batches that polars parses start.
    pub batch_starts: Vec<usize>,
    /// Byte ranges of blank lines between records (polars would read each as a row of missing values).
    pub blank_lines: Vec<std::ops::Range<usize>>,
}

pub enum ScanError {
    NotUtf8 {
        line: usize,
    },
    Ragged {
        record: usize,
        line: usize,
        found: usize,
        expected: usize,
    },
    UnclosedQuote {
        line: usize,
    },
}

const CANDIDATES: [u8; 3] = [b',', b'\t', b';'];

pub fn scan(bytes: &[u8], batch: usize) -> Result<Scan, ScanError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        return Err(ScanError::NotUtf8 { line });
    }
    let header_end = header_end(bytes);
    let header_bytes = &bytes[..header_end];
    let delimiter = detect_delimiter(header_bytes);
    let header = split_fields(header_bytes, delimiter);
    let expected = header.len();

    let mut record_lines: Vec<u32> = Vec::new();
    let mut batch_starts = Vec::new();
    let mut record_start_byte = 0usize;
    let mut blank_lines = Vec::new();
    let mut line_start_byte = (header_end + 1).min(bytes.len());
    let mut line = 2usize;
    let mut record_start_line = 2usize;
    let mut in_quotes = false;
    let mut fields = 1usize;
    let mut empty = true;
    let mut i = (header_end + 1).min(bytes.len());
    while i < bytes.len() {
        // Jump to the next quote or newline (rare: memchr scans 16–32 bytes at a time); the delimiters in
        // between are counted in one vectorised pass. Anything but a CR makes the line a record.
        let next = memchr::memchr2(b'"', b'\n', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        let segment = &bytes[i..next];
        if !in_quotes {
            fields += segment.iter().filter(|&&b| b == delimiter).count();
        }
        if empty {
            if let Some(k) = segment.iter().position(|&b| b != b'\r') {
                record_start_byte = i + k;
                empty = false;
            }
        }
        // The end of the file ends the last record as a newline would.
        let at_end = next == bytes.len();
        match bytes.get(next) {
            Some(b'"') => {
                if empty {
                    record_start_byte = next;
                }
                in_quotes = !in_quotes;
                empty = false;
            }
            _ => {
                // A newline (memchr2 stops only at the two) or the end of the file.
                if !in_quotes {
                    if !empty {
                        if fields != expected {
                            return Err(ScanError::Ragged {
                                record: record_lines.len() + 1,
                                line: record_start_line,
                                found: fields,
                                expected,
                            });
                        }
                        if record_lines.len() % batch == 0 {
                            batch_starts.push(record_start_byte);
                        }
                        record_lines.push(record_start_line as u32);
                    } else if !at_end {
                        blank_lines.push(line_start_byte..next + 1);
                    }
                    fields = 1;
                    empty = true;
                    record_start_line = line + 1;
                }
                line += 1;
                line_start_byte = next + 1;
            }
        }
        if at_end {
            break;
        }
        i = next + 1;
    }
    if in_quotes {
        return Err(ScanError::UnclosedQuote {
            line: record_start_line,
        });
    }
    Ok(Scan {
        delimiter,
        header,
        record_lines,
        batch_starts,
        blank_lines,
    })
}

/// Offset of the newline ending the header (quotes respected).
fn header_end(bytes: &[u8]) -> usize {
    let mut in_quotes = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => return i,
            _ => {}
        }
    }
    bytes.len()
}

/// The candidate that occurs most often outside quotes in the header (comma on a tie or none).
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &b in header {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                counts[k] += 1;
            }
        }
    }
    let mut best = 0;
    for k in 1..3 {
        if counts[k] > counts[best] {
            best = k;
        }
    }
    CANDIDATES[best]
}

/// Header cells, unquoted and without a trailing CR.
pub(super) fn split_fields(line: &[u8], delimiter: u8) -> Vec<String> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end_matches('\r');
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if in_quotes && chars.peek() == Some(&'"') {
                cur.push('"');
                chars.next();
            } else {
                in_quotes = !in_quotes;
            }
        } else if c == delimiter as char && !in_quotes {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_tab_and_counts_records() {
        let s = scan(b"a\tb\tc\r\n1\t2\t3\r\n\r\n4\t5\t6\n", 1)
            .ok()
            .unwrap();
        assert_eq!(s.delimiter, b'\t');
        assert_eq!(s.header, ["a", "b", "c"]);
        assert_eq!(s.record_lines, [2, 4]);
        assert_eq!(s.batch_starts, [7, 16]);
        assert_eq!(s.blank_lines, vec![std::ops::Range { start: 14, end: 16 }]);
    }

    #[test]
    fn ragged_row_is_located() {
        match scan(b"a,b\n1,2\n3\n", 100) {
            Err(ScanError::Ragged {
                record,
                line,
                found,
                expected,
            }) => assert_eq!((record, line, found, expected), (2, 3, 1, 2)),
            _ => panic!("expected a ragged-row error"),
        }
    }

    #[test]
    fn quoted_delimiters_and_newlines() {
        let s = scan(b"\"x,y\",b\n\"1,\n2\",3\n", 100).ok().unwrap();
        assert_eq!(s.header, ["x,y", "b"]);
        assert_eq!(s.record_lines, [2]);
    }
}
