//! Errors: one boxed error type with a non-exhaustive kind, and the
//! validation problems a scenario can have, each with a stable code.

use std::fmt;

/// The result type of fallible servnet operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from servnet: a box around an [`ErrorKind`], so `Result`s stay small.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error and returns its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// The validation problems, when the error is [`ErrorKind::Invalid`]; empty otherwise.
    pub fn problems(&self) -> &[Problem] {
        match self.kind() {
            ErrorKind::Invalid(problems) => problems,
            _ => &[],
        }
    }
}

impl Error {
    /// An [`ErrorKind::Parameter`] error: `name`'s value is wrong, as `message` says.
    pub fn parameter(name: &'static str, message: impl Into<String>) -> Error {
        ErrorKind::Parameter {
            name,
            message: message.into(),
        }
        .into()
    }
}

/// A text that is none of a type's accepted forms: the error of every
/// [`FromStr`](std::str::FromStr) of servnet's types, naming what it expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What the text should have named, e.g. `outlet kind`.
    pub what: &'static str,
    /// The text.
    pub input: String,
    /// What is wrong with it, when more can be said than that it is none of the forms.
    pub reason: Option<String>,
    /// The accepted forms, e.g. `company_owned, contracted or dealer`.
    pub expected: String,
}

impl ParseError {
    /// The error of `input`, which is no `what`; `expected` lists the accepted forms.
    pub fn new(what: &'static str, input: &str, expected: impl Into<String>) -> ParseError {
        ParseError {
            what,
            input: input.to_string(),
            reason: None,
            expected: expected.into(),
        }
    }

    /// This error, saying what is wrong with the text.
    pub fn because(mut self, reason: impl Into<String>) -> ParseError {
        self.reason = Some(reason.into());
        self
    }

    /// This error as the [`ErrorKind::Parameter`] of the parameter `name`.
    pub fn for_parameter(self, name: &'static str) -> Error {
        Error::parameter(name, self.to_string())
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is no {}", self.input, self.what)?;
        if let Some(reason) = &self.reason {
            write!(f, ": {reason}")?;
        }
        write!(f, "; expected {}", self.expected)
    }
}

impl std::error::Error for ParseError {}

impl From<ParseError> for Error {
    /// The [`ErrorKind::Parameter`] named by what the text should have named.
    fn from(e: ParseError) -> Self {
        let what = e.what;
        e.for_parameter(what)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.kind() {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The kinds of [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The text is not well-formed JSON (or CSV), or has the wrong overall shape.
    #[error("{what}: cannot read line {line}, column {column}: {message}")]
    Syntax {
        /// What was being read (a file name or a description).
        what: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error (0 when the format does not say).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The input was read but breaks one or more rules; every problem is listed.
    #[error("{} problem(s): {}", .0.len(), ProblemList(.0))]
    Invalid(Vec<Problem>),
    /// A parameter given to a function or command is out of its range.
    #[error("parameter `{name}`: {message}")]
    Parameter {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Stable codes of validation problems. The number never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[non_exhaustive]
pub enum ProblemCode {
    /// E1001: a field has the wrong type, an unknown enum value or is
    /// missing, or the element is not an object.
    Shape,
    /// E1002: an object has a field the format does not know (a misspelt name).
    UnknownField,
    /// E1003: an object gives the same key more than once.
    DuplicateKey,
    /// E1100: two entities of one kind share an id.
    DuplicateId,
    /// E1200: a reference names an id that does not exist.
    DanglingReference,
    /// E1300: a coordinate is NaN, infinite or outside lon [-180, 180] / lat [-90, 90].
    BadCoordinate,
    /// E1400: a capacity, shift or duration is zero or negative.
    NonPositive,
    /// E1500: a list that must not be empty is empty (skills, categories, provinces).
    Empty,
    /// E1600: a time window ends before it starts.
    TimeWindow,
    /// E1700: a value is outside its allowed range (difficulty, factors, costs).
    OutOfRange,
    /// E1800: two fields disagree (a request's categories its outlet cannot serve, a region listed twice for a province).
    Inconsistent,
    /// E1900: a size is past its documented limit (see [`crate::limits`]):
    /// the work it would make grows faster than the input.
    TooLarge,
}

impl ProblemCode {
    /// The code as printed, e.g. `E1100`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Shape => "E1001",
            ProblemCode::UnknownField => "E1002",
            ProblemCode::DuplicateKey => "E1003",
            ProblemCode::DuplicateId => "E1100",
            ProblemCode::DanglingReference => "E1200",
            ProblemCode::BadCoordinate => "E1300",
            ProblemCode::NonPositive => "E1400",
            ProblemCode::Empty => "E1500",
            ProblemCode::TimeWindow => "E1600",
            ProblemCode::OutOfRange => "E1700",
            ProblemCode::Inconsistent => "E1800",
            ProblemCode::TooLarge => "E1900",
        }
    }

    /// A short action that fixes problems of this code.
    pub fn hint(self) -> &'static str {
        match self {
            ProblemCode::Shape => "fix the field so it matches the documented format",
            ProblemCode::UnknownField => "correct the field's name, or remove it",
            ProblemCode::DuplicateKey => "give each key of an object once",
            ProblemCode::DuplicateId => "give every entity of a kind its own id",
            ProblemCode::DanglingReference => "add the referenced entity or correct the id",
            ProblemCode::BadCoordinate => {
                "give WGS84 degrees: lon in [-180, 180], lat in [-90, 90]"
            }
            ProblemCode::NonPositive => "give a value greater than zero",
            ProblemCode::Empty => "list at least one element",
            ProblemCode::TimeWindow => "make the window end at or after its start",
            ProblemCode::OutOfRange => "give a value inside the documented range",
            ProblemCode::Inconsistent => "make the fields agree",
            ProblemCode::TooLarge => "split or reduce the input below the documented limit",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One validation problem: a code, the entity and its id, the field, and what is wrong.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    /// Stable code.
    pub code: ProblemCode,
    /// The kind of entity, e.g. `technician`.
    pub entity: &'static str,
    /// The entity's id, when it has one and it can be read.
    pub id: Option<u64>,
    /// The field, e.g. `skills`; for problems of shape, its path in the file,
    /// e.g. `outlets[0].daily_capacity`.
    pub field: String,
    /// What is wrong, with the offending value.
    pub message: String,
}

impl Problem {
    /// A new problem.
    pub fn new(
        code: ProblemCode,
        entity: &'static str,
        id: Option<u64>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            entity,
            id,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.entity)?;
        if let Some(id) = self.id {
            write!(f, " {id}")?;
        }
        write!(
            f,
            ", field `{}`: {} ({})",
            self.field,
            self.message,
            self.code.hint()
        )
    }
}
