//! Structure checks run before the reader: every count an SPSS dictionary, a ZSAV index or a Stata header
//! declares must fit in the file, so that a damaged or hostile count is bad input and not a multi-gigabyte
//! allocation inside the reader (fuzzing found four such inputs; FUZZING.md).

/// Walk an SPSS file's dictionary records and check every count and length in them against the bytes that
/// follow, before the reader allocates by them: a damaged or hostile count (a value-label record claiming
/// two billion labels) is bad input, not a 16 GB allocation.
pub(super) fn check_sav_dictionary(bytes: &[u8]) -> Result<(), String> {
    let damaged = |at: usize, what: &str| {
        format!("the file is damaged: {what} at byte {at} does not fit in the file")
    };
    let u32_at = |at: usize, big: bool| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let layout = u32_at(64, false).ok_or_else(|| damaged(0, "the header"))?;
    let big = !(layout == 2 || layout == 3);
    if big && !matches!(u32_at(64, true), Some(2 | 3)) {
        return Err("the file is damaged: its header has no valid layout code".into());
    }
    let len = bytes.len();
    let case_size = u32_at(68, big).unwrap_or(0) as i32;
    if case_size > 0 && case_size as usize * 32 > len {
        return Err(damaged(68, "the number of variables"));
    }
    let mut at = 176;
    loop {
        let rec = u32_at(at, big).ok_or_else(|| damaged(at, "the dictionary"))?;
        let start = at;
        at += 4;
        let need = |at: usize, n: u64, what: &str| -> Result<usize, String> {
            let end = at as u64 + n;
            if end > len as u64 {
                Err(damaged(start, what))
            } else {
                Ok(end as usize)
            }
        };
        match rec {
            2 => {
                let has_label =
                    u32_at(at + 4, big).ok_or_else(|| damaged(start, "a variable record"))?;
                let missing =
                    u32_at(at + 8, big).ok_or_else(|| damaged(start, "a variable record"))? as i32;
                at = need(at, 28, "a variable record")?;
                if has_label == 1 {
                    let l =
                        u32_at(at, big).ok_or_else(|| damaged(start, "a variable label"))? as u64;
                    at = need(at, 4 + l.div_ceil(4) * 4, "a variable label")?;
                }
                if !(-3..=3).contains(&missing) {
                    return Err(damaged(start, "a missing-value list"));
                }
                at = need(
                    at,
                    missing.unsigned_abs() as u64 * 8,
                    "a missing-value list",
                )?;
            }
            3 => {
                let count =
                    u32_at(at, big).ok_or_else(|| damaged(start, "a value-label record"))? as u64;
                at = need(at, 4, "a value-label record")?;
                // Each label takes at least 16 bytes (8 for the value, 8 for its length and text).
                need(at, count * 16, "a value-label record")?;
                for _ in 0..count {
                    let l = *bytes
                        .get(at + 8)
                        .ok_or_else(|| damaged(start, "a value label"))?
                        as u64;
                    at = need(at, 8 + (l + 8) / 8 * 8, "a value label")?;
                }
            }
            4 => {
                let count = u32_at(at, big)
                    .ok_or_else(|| damaged(start, "a value-label variable list"))?
                    as u64;
                at = need(at, 4 + count * 4, "a value-label variable list")?;
            }
            6 => {
                let lines =
                    u32_at(at, big).ok_or_else(|| damaged(start, "a document record"))? as u64;
                at = need(at, 4 + lines * 80, "a document record")?;
            }
            7 => {
                let size = u32_at(at + 4, big)
                    .ok_or_else(|| damaged(start, "an extension record"))?
                    as u64;
                let count = u32_at(at + 8, big)
                    .ok_or_else(|| damaged(start, "an extension record"))?
                    as u64;
                at = need(at, 12 + size * count, "an extension record")?;
            }
            999 => {
                // The header's case count must fit in the data that follows: every value takes 8 bytes
                // uncompressed, at least a command byte compressed, and zlib (.zsav) shrinks at most ~1032:1.
                let data = len.saturating_sub(at + 4) as u64;
                let cases = u32_at(80, big).unwrap_or(0) as i32;
                let compression = u32_at(72, big).unwrap_or(0);
                if bytes.starts_with(b"$FL3") {
                    check_zsav_index(bytes, at + 4, big).map_err(|what| damaged(at + 4, what))?;
                }
                if cases > 0 && case_size > 0 {
                    let values = cases as u64 * case_size as u64;
                    let room = match compression {
                        0 => data / 8,
                        1 => data,
                        _ => data.saturating_mul(1032),
                    };
                    if values > room {
                        return Err(damaged(80, "the number of cases"));
                    }
                }
                return Ok(());
            }
            other => {
                return Err(format!(
                "the file is damaged: an unknown dictionary record (type {other}) at byte {start}"
            ))
            }
        }
    }
}

/// A .zsav file's block index (zheader at `at`, trailer at the offset it gives) must lie within the file.
fn check_zsav_index(bytes: &[u8], at: usize, big: bool) -> Result<(), &'static str> {
    let i64_at = |k: usize| -> Option<i64> {
        let b: [u8; 8] = bytes.get(k..k + 8)?.try_into().ok()?;
        Some(if big {
            i64::from_be_bytes(b)
        } else {
            i64::from_le_bytes(b)
        })
    };
    let trailer = i64_at(at + 8).ok_or("the compressed-data header")?;
    let len = bytes.len() as u64;
    if trailer < 0 || trailer as u64 + 24 > len {
        return Err("the compressed-data index");
    }
    let t = trailer as usize;
    let b: [u8; 4] = bytes[t + 20..t + 24]
        .try_into()
        .map_err(|_| "the compressed-data index")?;
    let blocks = if big {
        i32::from_be_bytes(b)
    } else {
        i32::from_le_bytes(b)
    };
    if blocks < 0 || t as u64 + 24 + blocks as u64 * 24 > len {
        return Err("the compressed-data index");
    }
    Ok(())
}

/// A Stata file's variable and observation counts must fit in the file (each variable has a name of at least
/// 9 bytes, each observation at least a byte per variable) before the reader allocates by them.
pub(super) fn check_dta_header(bytes: &[u8]) -> Result<(), String> {
    let len = bytes.len() as u64;
    let damaged = |what: &str| format!("the file is damaged: its {what} does not fit in the file");
    let find = |tag: &[u8]| bytes.windows(tag.len()).take(512).position(|w| w == tag);
    let (vars, obs) = if bytes.starts_with(b"<stata_dta>") {
        let release = find(b"<release>")
            .and_then(|k| {
                std::str::from_utf8(bytes.get(k + 9..k + 12)?)
                    .ok()?
                    .parse::<u32>()
                    .ok()
            })
            .ok_or_else(|| damaged("header"))?;
        let big = find(b"<byteorder>MSF").is_some();
        let num = |at: usize, width: usize| -> Option<u64> {
            let b = bytes.get(at..at + width)?;
            let mut v: u64 = 0;
            for k in 0..width {
                let byte = if big { b[k] } else { b[width - 1 - k] } as u64;
                v = (v << 8) | byte;
            }
            Some(v)
        };
        let k_at = find(b"<K>").ok_or_else(|| damaged("header"))? + 3;
        let n_at = find(b"<N>").ok_or_else(|| damaged("header"))? + 3;
        let vars =
            num(k_at, if release >= 119 { 4 } else { 2 }).ok_or_else(|| damaged("header"))?;
        let obs = num(n_at, if release >= 118 { 8 } else { 4 }).ok_or_else(|| damaged("header"))?;
        (vars, obs)
    } else {
        let big = bytes.get(1) == Some(&1);
        let num = |at: usize, width: usize| -> Option<u64> {
            let b = bytes.get(at..at + width)?;
            Some(if big {
                b.iter().fold(0u64, |v, &x| (v << 8) | x as u64)
            } else {
                b.iter().rev().fold(0u64, |v, &x| (v << 8) | x as u64)
            })
        };
        (
            num(4, 2).ok_or_else(|| damaged("header"))?,
            num(6, 4).ok_or_else(|| damaged("header"))?,
        )
    };
    if vars.saturating_mul(9) > len {
        return Err(damaged("number of variables"));
    }
    if obs.saturating_mul(vars.max(1)) > len {
        return Err(damaged("number of observations"));
    }
    Ok(())
}
