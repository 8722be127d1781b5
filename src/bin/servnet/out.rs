//! Everything `servnet` prints goes through here: a closed standard output
//! (`servnet … | head -1`) or standard error never stops a command with a
//! panic. Once standard output cannot be written, the rest of what a
//! command prints is dropped, the command still writes its files, and it
//! exits [`CLOSED_PIPE`] (unless it failed on its own account).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status of a command whose standard output closed before
/// everything was printed: 128 + SIGPIPE, what a shell reports for a Unix
/// tool stopped by a closed pipe.
pub const CLOSED_PIPE: u8 = 141;

/// Whether standard output could not be written.
static LOST: AtomicBool = AtomicBool::new(false);
/// Why, when it was not a closed pipe.
static FAILURE: Mutex<Option<std::io::Error>> = Mutex::new(None);

fn lost(e: std::io::Error) {
    LOST.store(true, Ordering::Relaxed);
    if e.kind() != std::io::ErrorKind::BrokenPipe
        && let Ok(mut f) = FAILURE.lock()
    {
        f.get_or_insert(e);
    }
}

/// Prints to standard output, dropping the text once it cannot be written.
pub fn print(args: std::fmt::Arguments) {
    if LOST.load(Ordering::Relaxed) {
        return;
    }
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        lost(e);
    }
}

/// Prints to standard error; a closed standard error is ignored.
pub fn eprint(args: std::fmt::Arguments) {
    std::io::stderr().lock().write_fmt(args).ok();
}

/// Whether standard output is gone: what is printed from now on is dropped.
pub fn closed() -> bool {
    LOST.load(Ordering::Relaxed)
}

/// Flushes standard output and gives the exit status: `code`, or
/// [`CLOSED_PIPE`] in place of success when standard output closed early,
/// or 2 when it could not be written for another reason.
pub fn finish(code: ExitCode) -> ExitCode {
    if !closed()
        && let Err(e) = std::io::stdout().lock().flush()
    {
        lost(e);
    }
    if !closed() || code != ExitCode::SUCCESS {
        return code;
    }
    let failure = FAILURE.lock().ok().and_then(|mut f| f.take());
    match failure {
        Some(e) => {
            eprint(format_args!("error: standard output: {e}\n"));
            ExitCode::from(2)
        }
        None => ExitCode::from(CLOSED_PIPE),
    }
}

/// `print!` to standard output through [`print`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::print(format_args!($($arg)*))
    };
}

/// `println!` to standard output through [`print`].
macro_rules! outln {
    () => {
        $crate::out::print(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::out::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` through [`eprint`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::out::eprint(format_args!("{}\n", format_args!($($arg)*)))
    };
}
