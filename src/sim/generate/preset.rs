//! The preset: which part of China to generate, all of it or one province.

use crate::error::{ErrorKind, Result};

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

    /// Parses `national` or `province:<name>`.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] naming `preset` for anything else.
    pub fn parse(s: &str) -> Result<Preset> {
        if s == "national" {
            Ok(Preset::National)
        } else if let Some(name) = s.strip_prefix("province:").filter(|n| !n.is_empty()) {
            Ok(Preset::province(name))
        } else {
            Err(ErrorKind::Parameter {
                name: "preset",
                message: format!("`{s}` is neither `national` nor `province:<name>`"),
            }
            .into())
        }
    }
}
