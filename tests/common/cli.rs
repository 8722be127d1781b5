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

/// Runs the `servnet` binary with `args`, killing it and failing the test
/// if it runs longer than `seconds`.
pub fn servnet_within(args: &[&str], seconds: u64) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_servnet"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // Drain both pipes on threads so a chatty command never blocks.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).ok();
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let until = Instant::now() + Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if Instant::now() > until {
            child.kill().ok();
            child.wait().ok();
            panic!("{args:?} still running after {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("reads"),
        stderr: err.join().expect("reads"),
    }
}

/// Generates a day of `requests` requests on `preset` with `seed` into
/// `path` with `servnet generate`, and asserts that it succeeded.
pub fn generate_day(path: &Path, preset: &str, requests: usize, seed: u64) {
    let (requests, seed) = (requests.to_string(), seed.to_string());
    let o = servnet(&[
        "generate",
        "--preset",
        preset,
        "--requests",
        &requests,
        "--seed",
        &seed,
        "--out",
        s(path),
    ]);
    assert!(o.status.success(), "{}", text(&o));
}
