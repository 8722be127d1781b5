//! The ranges of the numeric options: each option is parsed by one of these,
//! so a value out of range is refused by name before any work (clap's
//! message: `invalid value '0' for '--technicians <TECHNICIANS>': …`, exit 2).

/// The largest number of requests or technicians (the generator's limit).
pub const MAX_COUNT: u64 = servnet::generate::MAX_ENTITIES as u64;

/// The longest time limit, in seconds (about 11.6 days).
pub const MAX_SECONDS: f64 = 1e6;

/// The farthest promise or reach, in km or minutes.
pub const MAX_REACH: f64 = servnet::limits::MAX_PROMISE;

/// The largest cost, fee or yearly number of visits.
pub const MAX_AMOUNT: f64 = 1e12;

/// A whole number in `LO..=HI`.
pub fn count<const LO: u64, const HI: u64>(text: &str) -> Result<usize, String> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number from {LO} to {HI}"))?;
    if !(LO..=HI).contains(&n) {
        return Err(format!("{n} is outside {LO}..={HI}"));
    }
    usize::try_from(n).map_err(|_| format!("{n} is too large for this machine"))
}

/// A finite number in `lo..=hi`, or `lo < x <= hi` when `open` is true.
fn number(text: &str, lo: f64, open: bool, hi: f64, what: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    let low_ok = if open { x > lo } else { x >= lo };
    if !(x.is_finite() && low_ok && x <= hi) {
        let low = if open { ">" } else { "≥" };
        return Err(format!("{what}: expected a number {low} {lo} and ≤ {hi}"));
    }
    Ok(x)
}

/// Seconds: `0 < s <= MAX_SECONDS`.
pub fn seconds(text: &str) -> Result<f64, String> {
    number(text, 0.0, true, MAX_SECONDS, &format!("{text} seconds"))
}

/// A promise or reach in km or minutes: `0 < x <= MAX_REACH`.
pub fn reach(text: &str) -> Result<f64, String> {
    number(text, 0.0, true, MAX_REACH, text)
}

/// A distance that may be zero: `0 <= x <= MAX_REACH`.
pub fn distance(text: &str) -> Result<f64, String> {
    number(text, 0.0, false, MAX_REACH, text)
}

/// A cost or fee: `0 <= x <= MAX_AMOUNT`.
pub fn amount(text: &str) -> Result<f64, String> {
    number(text, 0.0, false, MAX_AMOUNT, text)
}

/// A yearly number of visits or a capacity: `0 < x <= MAX_AMOUNT`.
pub fn positive(text: &str) -> Result<f64, String> {
    number(text, 0.0, true, MAX_AMOUNT, text)
}

/// A volume factor of the sweep: `0 < x <= 1000`.
pub fn factor(text: &str) -> Result<f64, String> {
    number(text, 0.0, true, 1000.0, text)
}

/// A relative gap: `0 <= x < 1`.
pub fn gap(text: &str) -> Result<f64, String> {
    let x = number(text, 0.0, false, 1.0, text)?;
    if x >= 1.0 {
        return Err(format!("{text}: expected a relative gap ≥ 0 and < 1"));
    }
    Ok(x)
}

/// A minute of the day's clock: `0 <= x <= MAX_SECONDS` (minutes).
pub fn minute(text: &str) -> Result<f64, String> {
    number(text, 0.0, false, MAX_SECONDS, text)
}
