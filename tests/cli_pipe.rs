//! Every `servnet` command with its standard output a pipe that closes
//! early (`servnet … | head -1`): no panic, and the documented exit status —
//! 141 (128 + SIGPIPE, what a shell reports for a Unix tool killed by a
//! closed pipe) when something could not be printed, the command's own
//! status when everything was. Files a command writes are written whole
//! either way.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, generate_day, s, servnet, text};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// The exit status of a command whose standard output closed before it finished printing.
const CLOSED_PIPE: i32 = 141;

/// How the reader of the pipe behaves.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// Reads one line, then closes the pipe (`| head -1`).
    OneLine,
    /// Closes the pipe before the command prints anything (`| true`).
    Closed,
}

/// Runs `servnet args` with standard output a pipe the `reader` closes early;
/// returns the exit status and standard error.
fn run_piped(args: &[&str], reader: Reader) -> (ExitStatus, String) {
    // `Closed`: a pipe whose read end is closed before the command starts,
    // so even a command that prints at once finds it closed.
    let (stdout, reads_a_line) = match reader {
        Reader::OneLine => (Stdio::piped(), true),
        Reader::Closed => {
            let (read, write) = std::io::pipe().expect("a pipe");
            drop(read);
            (Stdio::from(write), false)
        }
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_servnet"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    if reads_a_line {
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout).read_line(&mut line).expect("reads");
    }
    // The pipe's read end is closed here, in both cases.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("reads");
    (child.wait().expect("waits"), stderr)
}

/// Small inputs for every command, in `d`.
struct Inputs {
    day: PathBuf,
    plan: PathBuf,
    request: PathBuf,
    gap: PathBuf,
    cap: PathBuf,
    pmed: PathBuf,
}

fn inputs(d: &Path) -> Inputs {
    let day = d.join("day.json");
    generate_day(&day, "province:Hainan", 60, 5);
    let plan = d.join("plan.json");
    let o = servnet(&["dispatch", s(&day), "--out", s(&plan)]);
    assert!(o.status.success(), "{}", text(&o));
    let scenario = servnet::io::read_scenario(&day).unwrap();
    let mut r = scenario.requests()[0].clone();
    r.id = servnet::RequestId(900_000);
    let request = d.join("request.json");
    std::fs::write(&request, serde_json::to_string(&r).unwrap()).unwrap();
    let gap = d.join("gapa.txt");
    std::fs::write(
        &gap,
        "2\n2 3\n 1 2 3\n 4 5 6\n 1 1 1\n 1 1 1\n 2 2\n2 2\n 1 2\n 3 4\n 1 1\n 1 1\n 1 1\n",
    )
    .unwrap();
    let cap = d.join("cap1.txt");
    std::fs::write(&cap, "2 3\n10 70\n100 50\n4\n1 4\n3\n2 6\n5\n3 8\n").unwrap();
    let pmed = d.join("pmed1.txt");
    std::fs::write(&pmed, "4 3 2\n1 2 1\n2 3 2\n3 4 3\n").unwrap();
    Inputs {
        day,
        plan,
        request,
        gap,
        cap,
        pmed,
    }
}

/// Every command, with small inputs, writing its files under `out`; and
/// whether it prints anything on standard output.
fn commands<'a>(i: &'a Inputs, out: &'a Path) -> Vec<(Vec<String>, bool)> {
    let o = |name: &str| out.join(name).to_str().unwrap().to_string();
    let args = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let (day, plan) = (s(&i.day), s(&i.plan));
    vec![
        (
            args(&[
                "generate",
                "--preset",
                "province:Hainan",
                "--requests",
                "30",
                "--out",
                &o("generated.json"),
            ]),
            false,
        ),
        (args(&["validate", day]), true),
        (
            args(&["dispatch", day, "--out", &o("dispatched.json")]),
            true,
        ),
        (args(&["verify", day, plan]), true),
        (
            args(&["route", day, plan, "--out", &o("routed.json")]),
            true,
        ),
        (
            args(&[
                "insert",
                day,
                plan,
                s(&i.request),
                "--out",
                &o("inserted.json"),
            ]),
            true,
        ),
        (
            args(&[
                "simulate",
                "--preset",
                "province:Hainan",
                "--days",
                "1",
                "--requests-per-day",
                "40",
                "--strategies",
                "nearest,regret",
                "--out",
                &o("week"),
            ]),
            true,
        ),
        (
            args(&["coverage", day, "--km", "50", "--csv", &o("coverage.csv")]),
            true,
        ),
        (args(&["coverage", day, "--km", "50", "--json"]), true),
        (
            args(&[
                "plan",
                "--preset",
                "province:Hainan",
                "--visits",
                "20000",
                "--sweep",
                "1,2",
                "--out",
                &o("network"),
            ]),
            true,
        ),
        (
            args(&[
                "plan",
                "--preset",
                "province:Hainan",
                "--visits",
                "20000",
                "--sweep",
                "1",
                "--json",
            ]),
            true,
        ),
        (args(&["orlib", "gap", s(&i.gap)]), true),
        (args(&["orlib", "gap", s(&i.gap), "--json"]), true),
        (args(&["orlib", "cap", s(&i.cap)]), true),
        (args(&["orlib", "pmed", s(&i.pmed), "--json"]), true),
        (args(&["--help"]), true),
        (args(&["help", "route"]), true),
        (args(&["plan", "--help"]), true),
        (args(&["--version"]), true),
    ]
}

#[test]
fn no_command_panics_when_its_output_pipe_closes() {
    let d = dir("pipe");
    let i = inputs(&d);
    for reader in [Reader::OneLine, Reader::Closed] {
        let out = d.join(format!("{reader:?}"));
        std::fs::create_dir_all(&out).unwrap();
        for (args, prints) in commands(&i, &out) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (status, stderr) = run_piped(&args, reader);
            assert!(
                !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
                "{reader:?} {args:?}: {stderr}"
            );
            let code = status.code();
            match (reader, prints) {
                // Nothing to print: the pipe's state does not matter.
                (_, false) => assert_eq!(code, Some(0), "{reader:?} {args:?}: {stderr}"),
                // Nothing could be printed.
                (Reader::Closed, true) => {
                    assert_eq!(code, Some(CLOSED_PIPE), "{reader:?} {args:?}: {stderr}")
                }
                // The reader may close before or after the rest was printed.
                (Reader::OneLine, true) => assert!(
                    code == Some(0) || code == Some(CLOSED_PIPE),
                    "{reader:?} {args:?}: {status} {stderr}"
                ),
            }
        }
        // Whatever became of standard output, the files were written whole.
        for plan in ["dispatched.json", "routed.json"] {
            let o = servnet(&["verify", s(&i.day), s(&out.join(plan))]);
            assert_eq!(o.status.code(), Some(0), "{reader:?} {plan}: {}", text(&o));
        }
        let inserted = servnet::io::read_plan(out.join("inserted.json"));
        assert!(inserted.is_ok(), "{reader:?}: {inserted:?}");
        for f in [
            "generated.json",
            "coverage.csv",
            "week/kpis.json",
            "week/kpis.csv",
            "week/backlog.csv",
            "week/strategies.svg",
            "network/plan.csv",
            "network/plan.geojson",
            "network/plan.svg",
            "network/sweep.csv",
            "network/break_even.csv",
            "network/coverage.csv",
        ] {
            let bytes =
                std::fs::read(out.join(f)).unwrap_or_else(|e| panic!("{reader:?} {f}: {e}"));
            assert!(!bytes.is_empty(), "{reader:?} {f} is empty");
        }
    }
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn a_closed_standard_error_does_not_panic_either() {
    let d = dir("pipe-stderr");
    let i = inputs(&d);
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for (args, _) in commands(&i, &out) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_servnet"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        drop(child.stderr.take());
        let status = child.wait().expect("waits");
        // A panic exits 101; a closed standard error does not stop the work.
        assert_eq!(status.code(), Some(0), "{args:?}: {status}");
    }
    std::fs::remove_dir_all(d).ok();
}
