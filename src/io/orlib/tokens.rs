//! The whitespace-separated tokens of an OR-Library file, each with its
//! line, and the parser the readers share: the next token or integer, or a
//! syntax error naming the field that was expected.

use crate::error::{ErrorKind, Result};

/// The whitespace-separated tokens of a text, each with its 1-based line.
pub(super) struct Tokens<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Tokens {
            rest: text.strip_prefix('\u{feff}').unwrap_or(text),
            line: 1,
        }
    }

    /// An upper bound on the number of tokens left: each but the last needs a separator.
    pub(super) fn max_left(&self) -> usize {
        self.rest.len() / 2 + 1
    }

    pub(super) fn next(&mut self) -> Option<(usize, &'a str)> {
        let Some(start) = self.rest.find(|c: char| !c.is_ascii_whitespace()) else {
            self.rest = "";
            return None;
        };
        let (blank, after) = self.rest.split_at(start);
        self.line += blank.bytes().filter(|&b| b == b'\n').count();
        let end = after
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(after.len());
        let (token, rest) = after.split_at(end);
        self.rest = rest;
        Some((self.line, token))
    }
}

/// A token as quoted in a message: at most 24 characters.
pub(super) fn quoted(token: &str) -> String {
    let mut chars = token.chars();
    let head: String = chars.by_ref().take(24).collect();
    if chars.next().is_some() {
        format!("`{head}…`")
    } else {
        format!("`{head}`")
    }
}

pub(super) struct Parser<'a> {
    pub(super) tokens: Tokens<'a>,
    what: &'a str,
    /// The line of the last token read (1 before any).
    pub(super) last_line: usize,
}

impl<'a> Parser<'a> {
    /// A parser of `text`; `what` names the text in errors.
    pub(super) fn new(text: &'a str, what: &'a str) -> Self {
        Parser {
            tokens: Tokens::new(text),
            what,
            last_line: 1,
        }
    }

    pub(super) fn syntax(&self, line: usize, message: String) -> crate::Error {
        ErrorKind::Syntax {
            what: self.what.to_string(),
            line,
            column: 0,
            message,
        }
        .into()
    }

    /// The next token and its line; `field` describes it for an error message.
    pub(super) fn token(&mut self, field: impl FnOnce() -> String) -> Result<(usize, &'a str)> {
        match self.tokens.next() {
            None => Err(self.syntax(
                self.last_line,
                format!("the file ends early, before {}", field()),
            )),
            Some((line, token)) => {
                self.last_line = line;
                Ok((line, token))
            }
        }
    }

    /// The next integer; `field` describes it for an error message.
    pub(super) fn number(&mut self, field: impl Fn() -> String) -> Result<i64> {
        let (line, token) = self.token(&field)?;
        token.parse::<i64>().map_err(|_| {
            self.syntax(
                line,
                format!("{} is not an integer (expected {})", quoted(token), field()),
            )
        })
    }

    /// An m × n table, row by row.
    pub(super) fn table(
        &mut self,
        agents: usize,
        jobs: usize,
        name: &str,
        at: &str,
    ) -> Result<Vec<Vec<i64>>> {
        let mut rows = Vec::with_capacity(agents.min(self.tokens.max_left()));
        for agent in 0..agents {
            let mut row = Vec::with_capacity(jobs.min(self.tokens.max_left()));
            for job in 0..jobs {
                row.push(self.number(|| {
                    format!("the {name} of agent {} for job {} {at}", agent + 1, job + 1)
                })?);
            }
            rows.push(row);
        }
        Ok(rows)
    }
}
