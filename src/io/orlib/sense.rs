//! Whether a GAP file's costs are profits to maximise or costs to minimise:
//! [`Sense`], guessed from OR-Library's file names or parsed from `min` / `max`.

use crate::error::{Error, ErrorKind};
use std::fmt;
use std::str::FromStr;

/// Whether a file's costs are profits to maximise or costs to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sense {
    /// The costs are profits: the best assignment has the largest objective.
    Maximize,
    /// The costs are costs: the best assignment has the smallest objective.
    Minimize,
}

impl Sense {
    /// The usual sense of an OR-Library GAP file by its name: `gap1` … `gap12`
    /// maximise, `gapa` … `gapd` minimise; `None` for any other name.
    ///
    /// The name may carry a directory and a `.txt` extension, and case is
    /// ignored: `data/GAP7.txt` maximises.
    pub fn of_file_name(name: &str) -> Option<Sense> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let stem = match base
            .len()
            .checked_sub(4)
            .and_then(|i| base.split_at_checked(i))
        {
            Some((stem, ext)) if ext.eq_ignore_ascii_case(".txt") => stem,
            _ => base,
        };
        let (prefix, rest) = stem.split_at_checked(3)?;
        if !prefix.eq_ignore_ascii_case("gap") {
            return None;
        }
        match rest.to_ascii_lowercase().as_str() {
            "a" | "b" | "c" | "d" => Some(Sense::Minimize),
            digits if !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) => {
                match digits.parse::<u32>() {
                    Ok(1..=12) => Some(Sense::Maximize),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// `min` or `max`, the form [`Sense::from_str`] reads.
impl fmt::Display for Sense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sense::Minimize => "min",
            Sense::Maximize => "max",
        })
    }
}

/// Reads `min` or `max` (as `servnet orlib gap --sense` takes them), or the
/// long forms `minimize`/`minimise` and `maximize`/`maximise`; case is ignored.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`sense`) naming the accepted forms for any other text.
///
/// # Example
/// ```
/// use servnet::io::orlib::Sense;
/// assert_eq!("max".parse::<Sense>()?, Sense::Maximize);
/// assert_eq!(Sense::Minimize.to_string().parse::<Sense>()?, Sense::Minimize);
/// assert!("up".parse::<Sense>().unwrap_err().to_string().contains("min or max"));
/// # Ok::<(), servnet::Error>(())
/// ```
impl FromStr for Sense {
    type Err = Error;

    fn from_str(s: &str) -> Result<Sense, Error> {
        match s.to_ascii_lowercase().as_str() {
            "min" | "minimize" | "minimise" => Ok(Sense::Minimize),
            "max" | "maximize" | "maximise" => Ok(Sense::Maximize),
            _ => Err(ErrorKind::Parameter {
                name: "sense",
                message: format!(
                    "`{s}` is not a sense: give min or max \
                     (or minimize, minimise, maximize, maximise; any case)"
                ),
            }
            .into()),
        }
    }
}
