//! The preset: which part of China to generate, all of it or one province.

use crate::error::{ParseError, Result};

/// Which part of China to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preset {
    /// All of mainland China.
    National,
    /// One province, by English name (e.g. `Guangdong`; case and punctuation ignored).
    Province(String),
}

impl Preset {
    /// One province.
    pub fn province(name: impl Into<String>) -> Preset {
        Preset::Province(name.into())
    }

    /// Parses `national` or `province:<name>` (as [`FromStr`](std::str::FromStr)).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) naming `preset` for anything else.
    pub fn parse(s: &str) -> Result<Preset> {
        Ok(s.parse()?)
    }
}

impl std::fmt::Display for Preset {
    /// As it is parsed: `national` or `province:<name>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Preset::National => f.write_str("national"),
            Preset::Province(name) => write!(f, "province:{name}"),
        }
    }
}

impl std::str::FromStr for Preset {
    type Err = ParseError;

    /// `national` or `province:<name>`.
    fn from_str(s: &str) -> std::result::Result<Preset, ParseError> {
        if s == "national" {
            Ok(Preset::National)
        } else if let Some(name) = s.strip_prefix("province:").filter(|n| !n.is_empty()) {
            Ok(Preset::province(name))
        } else {
            Err(ParseError::new(
                "preset",
                s,
                "national or province:<name> (e.g. province:Zhejiang)",
            ))
        }
    }
}
