//! What the command-line tests share (they need the `cli` feature): running
//! `servnet`, its output, scratch directories.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `servnet` binary with `args`.
pub fn servnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_servnet"))
        .args(args)
        .output()
        .expect("runs")
}

/// What the command printed to standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard output, then standard error.
pub fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

/// A fresh scratch directory for one test of this test binary.
pub fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "servnet-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
