//! Published optimal values: the GAP optima list (`gap1: 336 327 …`) and the
//! Markdown tables of OR-Library's `optima.md` (capacitated warehouse
//! location, p-median), read into maps by instance name.

use crate::error::Result;
use crate::io::json::read_text;
use std::collections::BTreeMap;
use std::path::Path;

/// Published optimal values of GAP files by file stem (`"gap1"` → `[336, 327, 339, 341, 326]`),
/// in file order, from a text with lines such as `  - gap1: 336 327 339 341 326`.
///
/// A line counts when, after an optional `-` or `*` bullet, it is a name that
/// starts with `gap` (any case) and holds only ASCII letters and digits, a
/// colon, and one or more integers. Every other line is skipped; when a name
/// appears twice, its last line counts.
pub fn read_gap_optima_str(text: &str) -> BTreeMap<String, Vec<i64>> {
    let mut optima = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix(['-', '*']).map_or(line, str::trim_start);
        let Some((name, values)) = line.split_once(':') else {
            continue;
        };
        let is_gap = name
            .get(..3)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("gap"));
        if !is_gap || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let Ok(values) = values
            .split_ascii_whitespace()
            .map(str::parse::<i64>)
            .collect::<std::result::Result<Vec<_>, _>>()
        else {
            continue;
        };
        if !values.is_empty() {
            optima.insert(name.to_string(), values);
        }
    }
    optima
}

/// Published optimal values of GAP files from a file such as `optima.md`; see [`read_gap_optima_str`].
///
/// # Errors
/// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be read.
pub fn read_gap_optima_file(path: impl AsRef<Path>) -> Result<BTreeMap<String, Vec<i64>>> {
    Ok(read_gap_optima_str(&read_text(path.as_ref())?))
}

/// Published optimal values by instance name from Markdown tables such as
/// OR-Library's `optima.md` (`| cap61 | 16 × 50 | 932615.750 |`, or several
/// instances a row: `| pmed1 | 100 | 5 | 5819 | pmed16 | 400 | 5 | 8162 |`).
///
/// In each table row, a cell that is a name (ASCII letters then digits, such
/// as `cap61`) starts an instance, and the last number before the next name
/// (or the row's end) is its optimum. Rows without a name, and names with no
/// number after them, are skipped; when a name appears twice, its last row counts.
///
/// # Example
/// ```
/// use servnet::io::orlib::read_table_optima_str;
/// let o = read_table_optima_str("| pmed1 | 100 | 5 | 5819 | pmed16 | 400 | 5 | 8162 |\n| cap61 | 16 × 50 | 932615.750 |");
/// assert_eq!((o["pmed1"], o["pmed16"], o["cap61"]), (5819.0, 8162.0, 932615.75));
/// ```
pub fn read_table_optima_str(text: &str) -> BTreeMap<String, f64> {
    let is_name = |c: &str| {
        let letters = c.bytes().take_while(u8::is_ascii_alphabetic).count();
        letters > 0 && letters < c.len() && c.bytes().skip(letters).all(|b| b.is_ascii_digit())
    };
    let mut optima = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            continue;
        }
        let mut current: Option<(&str, Option<f64>)> = None;
        let mut finish = |c: Option<(&str, Option<f64>)>| {
            if let Some((name, Some(v))) = c {
                optima.insert(name.to_string(), v);
            }
        };
        for cell in line.split('|').map(str::trim) {
            if is_name(cell) {
                finish(current.take());
                current = Some((cell, None));
            } else if let (Some(c), Ok(v)) = (current.as_mut(), cell.parse::<f64>())
                && v.is_finite()
            {
                c.1 = Some(v);
            }
        }
        finish(current);
    }
    optima
}

/// [`read_table_optima_str`] of a file such as `optima.md`.
///
/// # Errors
/// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be read.
pub fn read_table_optima_file(path: impl AsRef<Path>) -> Result<BTreeMap<String, f64>> {
    Ok(read_table_optima_str(&read_text(path.as_ref())?))
}
