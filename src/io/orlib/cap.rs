//! OR-Library capacitated warehouse location files (`cap41.txt` … `capc.txt`).
//!
//! The first line holds the number of warehouses m and of customers n; then
//! m lines `capacity fixed_cost`; then for each customer its demand followed
//! by m numbers, the cost of serving *all* of its demand from each warehouse.
//! In the files capa–capc the capacity is the word `capacity`: OR-Library
//! prescribes a value to put in its place, given to
//! [`CapInstance::to_problem`] as the capacity override.

use super::{Tokens, quoted};
use crate::error::{ErrorKind, Result};
use crate::io::json::read_text;
use crate::planning::cfl::CflProblem;
use std::path::Path;

/// The largest number of warehouse × customer cells a file may have (10,000,000).
pub const MAX_CAP_CELLS: u64 = 10_000_000;

/// One capacitated warehouse location instance, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct CapInstance {
    /// The capacity of each warehouse; `None` where the file says `capacity`.
    pub capacity: Vec<Option<f64>>,
    /// The fixed cost of opening each warehouse.
    pub fixed_cost: Vec<f64>,
    /// The demand of each customer.
    pub demand: Vec<f64>,
    /// `cost[warehouse][customer]`: the cost of serving all of the customer's demand from the warehouse.
    pub cost: Vec<Vec<f64>>,
}

impl CapInstance {
    /// The instance as a [`CflProblem`]; `capacity`, when given, replaces
    /// every warehouse's capacity.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] (`capacity`) when a warehouse has no capacity
    /// in the file and none is given, or the override is negative or not
    /// finite; as [`CflBuilder::build`](crate::planning::cfl::CflBuilder::build)
    /// for negative numbers in a hand-built instance.
    pub fn to_problem(&self, capacity: Option<f64>) -> Result<CflProblem> {
        let mut b = CflProblem::builder();
        for (i, (&cap, &f)) in self.capacity.iter().zip(&self.fixed_cost).enumerate() {
            let cap = match (capacity, cap) {
                (Some(c), _) | (None, Some(c)) => c,
                (None, None) => {
                    return Err(ErrorKind::Parameter {
                        name: "capacity",
                        message: format!(
                            "warehouse {} has no capacity in the file; give one to override it",
                            i + 1
                        ),
                    }
                    .into());
                }
            };
            b = b.facility(f, cap);
        }
        for (j, &d) in self.demand.iter().enumerate() {
            b = b.customer(d, self.cost.iter().map(|row| row[j]));
        }
        let p = b.build()?;
        match capacity {
            Some(c) => p.with_capacity(c),
            None => Ok(p),
        }
    }
}

struct Reader<'a> {
    tokens: Tokens<'a>,
    what: &'a str,
    last_line: usize,
}

impl<'a> Reader<'a> {
    fn syntax(&self, line: usize, message: String) -> crate::Error {
        ErrorKind::Syntax {
            what: self.what.to_string(),
            line,
            column: 0,
            message,
        }
        .into()
    }

    fn token(&mut self, field: &dyn Fn() -> String) -> Result<(usize, &'a str)> {
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

    /// The next finite number ≥ 0.
    fn number(&mut self, field: &dyn Fn() -> String) -> Result<f64> {
        let (line, token) = self.token(field)?;
        match token.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(self.syntax(
                line,
                format!(
                    "{} is not a finite number ≥ 0 (expected {})",
                    quoted(token),
                    field()
                ),
            )),
        }
    }

    fn count(&mut self, field: &dyn Fn() -> String) -> Result<usize> {
        let (line, token) = self.token(field)?;
        match token.parse::<u64>() {
            Ok(v) if v > 0 && v <= MAX_CAP_CELLS => Ok(v as usize),
            _ => Err(self.syntax(
                line,
                format!(
                    "{} is not a count in 1..={MAX_CAP_CELLS} (expected {})",
                    quoted(token),
                    field()
                ),
            )),
        }
    }
}

/// Reads an OR-Library capacitated warehouse location file from its text;
/// `what` names it in error messages.
///
/// # Errors
/// [`ErrorKind::Syntax`] (with the 1-based line) for a token that is not a
/// number ≥ 0 where one is expected, counts whose product exceeds
/// [`MAX_CAP_CELLS`], a file that ends early or has tokens left over.
///
/// # Example
/// ```
/// use servnet::io::orlib::read_cap_str;
/// let text = "2 1\n10 5.\ncapacity 7.\n4\n 2.5 3.0\n";
/// let inst = read_cap_str(text, "example")?;
/// assert_eq!(inst.capacity, vec![Some(10.0), None]);
/// let p = inst.to_problem(Some(6.0))?;
/// assert_eq!(p.capacities(), &[6.0, 6.0]);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn read_cap_str(text: &str, what: &str) -> Result<CapInstance> {
    let mut r = Reader {
        tokens: Tokens::new(text),
        what,
        last_line: 1,
    };
    let m = r.count(&|| "the number of warehouses".into())?;
    let n = r.count(&|| "the number of customers".into())?;
    if (m as u64) * (n as u64) > MAX_CAP_CELLS || m + n * (m + 1) > r.tokens.max_left() {
        return Err(r.syntax(
            r.last_line,
            format!("{m} warehouses × {n} customers: more numbers than the file can hold"),
        ));
    }
    let mut capacity = Vec::with_capacity(m);
    let mut fixed_cost = Vec::with_capacity(m);
    for i in 1..=m {
        let field = || format!("the capacity of warehouse {i}");
        let (line, token) = r.token(&field)?;
        capacity.push(if token.eq_ignore_ascii_case("capacity") {
            None
        } else {
            match token.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
                _ => {
                    return Err(r.syntax(
                        line,
                        format!(
                            "{} is not a finite number ≥ 0 (expected {})",
                            quoted(token),
                            field()
                        ),
                    ));
                }
            }
        });
        fixed_cost.push(r.number(&|| format!("the fixed cost of warehouse {i}"))?);
    }
    let mut demand = Vec::with_capacity(n);
    let mut cost = vec![Vec::with_capacity(n); m];
    for j in 1..=n {
        demand.push(r.number(&|| format!("the demand of customer {j}"))?);
        for (i, row) in cost.iter_mut().enumerate() {
            row.push(r.number(&|| format!("the cost of customer {j} from warehouse {}", i + 1))?);
        }
    }
    if let Some((line, token)) = r.tokens.next() {
        return Err(r.syntax(line, format!("{} after the last customer", quoted(token))));
    }
    Ok(CapInstance {
        capacity,
        fixed_cost,
        demand,
        cost,
    })
}

/// Reads an OR-Library capacitated warehouse location file.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, then as [`read_cap_str`].
pub fn read_cap_file(path: impl AsRef<Path>) -> Result<CapInstance> {
    let path = path.as_ref();
    read_cap_str(&read_text(path)?, &path.display().to_string())
}
