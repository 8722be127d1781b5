//! Files and folders the `servnet` commands write: whole or not at all, even
//! when the command is killed while writing; never over one of its inputs;
//! and a write that cannot succeed refused before any work.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, generate_day, s, servnet, servnet_within, stdout, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Asserts a refused command: exit 2, nothing printed, the message names `needle`.
fn assert_refused(args: &[&str], needle: &str) {
    let o = servnet(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
    assert!(
        stdout(&o).is_empty(),
        "{args:?}: refused before any work, yet printed: {}",
        text(&o)
    );
    assert!(
        text(&o).contains(needle),
        "{args:?}: no `{needle}` in {}",
        text(&o)
    );
    assert!(!text(&o).contains("panicked"), "{args:?}: {}", text(&o));
}

#[test]
fn an_output_that_is_an_input_is_refused_before_any_work() {
    let d = dir("same-file");
    let (day, plan, req) = (d.join("day.json"), d.join("plan.json"), d.join("req.json"));
    generate_day(&day, "province:Hainan", 40, 1);
    let o = servnet(&["dispatch", s(&day), "--out", s(&plan)]);
    assert!(o.status.success(), "{}", text(&o));
    let scenario = servnet::io::read_scenario(&day).unwrap();
    let mut r = scenario.requests()[0].clone();
    r.id = servnet::RequestId(900_000);
    std::fs::write(&req, serde_json::to_string(&r).unwrap()).unwrap();
    let (day_bytes, plan_bytes) = (std::fs::read(&day).unwrap(), std::fs::read(&plan).unwrap());
    // The same file by another spelling.
    std::fs::create_dir_all(d.join("sub")).unwrap();
    let other = d.join("sub").join("..").join("day.json");
    // Each with the option and the input it would overwrite.
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["dispatch", s(&day), "--out", s(&day)],
            "out",
            "day.json",
        ),
        (
            vec!["dispatch", s(&day), "--out", s(&other)],
            "out",
            "day.json",
        ),
        (
            vec!["dispatch", s(&day), "--geojson", s(&day)],
            "geojson",
            "day.json",
        ),
        (
            vec!["dispatch", s(&day), "--map", s(&day)],
            "map",
            "day.json",
        ),
        (
            vec!["route", s(&day), s(&plan), "--out", s(&plan)],
            "out",
            "plan.json",
        ),
        (
            vec!["route", s(&day), s(&plan), "--geojson", s(&day)],
            "geojson",
            "day.json",
        ),
        (
            vec!["insert", s(&day), s(&plan), s(&req), "--out", s(&plan)],
            "out",
            "plan.json",
        ),
        (
            vec!["insert", s(&day), s(&plan), s(&req), "--out", s(&req)],
            "out",
            "req.json",
        ),
        (
            vec!["coverage", s(&day), "--csv", s(&day)],
            "csv",
            "day.json",
        ),
        (
            vec!["coverage", s(&day), "--geojson", s(&day)],
            "geojson",
            "day.json",
        ),
    ];
    for (args, option, input) in cases {
        assert_refused(&args, &format!("`{option}`"));
        assert_refused(&args, input);
    }
    // Two outputs in one file: one would overwrite the other.
    let x = d.join("x.json");
    assert_refused(
        &["dispatch", s(&day), "--out", s(&x), "--geojson", s(&x)],
        "x.json",
    );
    assert!(!x.exists());
    // A hard link and a symbolic link to the scenario are the scenario.
    #[cfg(unix)]
    {
        let (hard, soft) = (d.join("hard.json"), d.join("soft.json"));
        std::fs::hard_link(&day, &hard).unwrap();
        std::os::unix::fs::symlink(&day, &soft).unwrap();
        assert_refused(&["dispatch", s(&day), "--out", s(&hard)], "out");
        assert_refused(&["dispatch", s(&soft), "--out", s(&day)], "out");
    }
    // A folder of outputs that would replace an input.
    let week = d.join("week");
    std::fs::create_dir_all(&week).unwrap();
    let config = week.join("kpis.json");
    std::fs::write(&config, r#"{"round_every_min": 60}"#).unwrap();
    assert_refused(
        &[
            "simulate",
            "--preset",
            "province:Hainan",
            "--days",
            "1",
            "--config",
            s(&config),
            "--out",
            s(&week),
        ],
        "kpis.json",
    );
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        r#"{"round_every_min": 60}"#
    );
    let net = d.join("net");
    std::fs::create_dir_all(&net).unwrap();
    let forecast = net.join("plan.csv");
    std::fs::write(&forecast, "city,visits\n").unwrap();
    assert_refused(
        &[
            "plan",
            "--preset",
            "province:Hainan",
            "--forecast",
            s(&forecast),
            "--out",
            s(&net),
        ],
        "plan.csv",
    );
    assert_eq!(std::fs::read(&day).unwrap(), day_bytes, "the scenario");
    assert_eq!(std::fs::read(&plan).unwrap(), plan_bytes, "the plan");
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn outputs_that_cannot_be_written_are_refused_before_any_work() {
    let d = dir("fail-early");
    let day = d.join("day.json");
    generate_day(&day, "province:Hainan", 40, 1);
    let file = d.join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let folder = d.join("a-folder");
    std::fs::create_dir_all(&folder).unwrap();
    let missing = d.join("missing").join("plan.json");
    let simulate = |out: &Path| {
        vec![
            "simulate".to_string(),
            "--preset".into(),
            "province:Hainan".into(),
            "--days".into(),
            "1".into(),
            "--requests-per-day".into(),
            "40".into(),
            "--out".into(),
            s(out).into(),
        ]
    };
    let plan = |out: &Path| {
        vec![
            "plan".to_string(),
            "--preset".into(),
            "province:Hainan".into(),
            "--visits".into(),
            "20000".into(),
            "--sweep".into(),
            "1".into(),
            "--out".into(),
            s(out).into(),
        ]
    };
    let owned = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases: Vec<(Vec<String>, &str)> = vec![
        // A folder of outputs where a file is, or under a file.
        (simulate(&file), "a-file"),
        (simulate(&file.join("week")), "a-file"),
        (plan(&file), "a-file"),
        // A file of output where a folder is, or in a folder that does not exist.
        (
            owned(&["dispatch", s(&day), "--out", s(&folder)]),
            "a-folder",
        ),
        (
            owned(&["dispatch", s(&day), "--map", s(&missing)]),
            "missing",
        ),
        (
            owned(&[
                "generate",
                "--preset",
                "province:Hainan",
                "--out",
                s(&folder),
            ]),
            "a-folder",
        ),
        (
            owned(&["coverage", s(&day), "--km", "50", "--csv", s(&missing)]),
            "missing",
        ),
    ];
    for (args, needle) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_refused(&args, needle);
    }
    // Refused at once, not after the work: a national week or plan takes
    // many seconds before anything is written.
    for args in [
        vec!["simulate", "--preset", "national", "--out", s(&file)],
        vec!["plan", "--preset", "national", "--out", s(&file)],
        vec![
            "dispatch",
            s(&day),
            "--strategy",
            "optimal",
            "--out",
            s(&folder),
        ],
    ] {
        let o = servnet_within(&args, 5);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(stdout(&o).is_empty(), "{args:?}: {}", text(&o));
    }
    // A folder holding other files is not replaced: its files stay.
    let notes = folder.join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let args = simulate(&folder);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_refused(&args, "notes.txt");
    let args = plan(&folder);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_refused(&args, "notes.txt");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn a_folder_of_outputs_is_replaced_whole() {
    let d = dir("folder-whole");
    let week = d.join("week");
    let run = |seed: &str| {
        servnet(&[
            "simulate",
            "--preset",
            "province:Hainan",
            "--days",
            "1",
            "--requests-per-day",
            "40",
            "--strategies",
            "nearest",
            "--seed",
            seed,
            "--out",
            s(&week),
        ])
    };
    let o = run("1");
    assert!(o.status.success(), "{}", text(&o));
    let first = files(&week);
    assert_eq!(first.len(), 4, "{:?}", first.keys());
    let o = run("2");
    assert!(o.status.success(), "{}", text(&o));
    let second = files(&week);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );
    assert_ne!(second["kpis.json"], first["kpis.json"]);
    // Nothing is left beside the folder.
    let beside: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["week"], "left beside the folder");
    std::fs::remove_dir_all(d).ok();
}

/// The files of a folder by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[cfg(unix)]
mod killed {
    //! Commands killed (SIGKILL) at random times while they write.

    use super::*;
    use std::os::unix::fs::MetadataExt;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant, SystemTime};

    /// Kills per loop.
    const TRIES: usize = 60;

    /// A small xorshift generator, seeded from the clock (the seed is printed).
    struct Rng(u64);

    impl Rng {
        fn from_clock(what: &str) -> Rng {
            let seed = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1;
            eprintln!("{what}: seed {seed}");
            Rng(seed)
        }

        /// Uniform in [0, 1).
        fn unit(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn spawn(args: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_servnet"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("runs")
    }

    /// What can be seen of a path from outside: inode, size and time of its last change.
    fn look(path: &Path) -> Option<(u64, u64, i64, i64)> {
        let m = std::fs::metadata(path).ok()?;
        Some((m.ino(), m.len(), m.mtime(), m.mtime_nsec()))
    }

    /// Lets the child run, then kills it: at a random time over its run
    /// (`attempt` 0 mod 3), as soon as `changed` sees the output change (1),
    /// or at a random time near its end (2).
    fn kill_at(
        mut child: Child,
        attempt: usize,
        full: Duration,
        rng: &mut Rng,
        changed: impl Fn() -> bool,
    ) {
        match attempt % 3 {
            1 => {
                let until = Instant::now() + full * 4;
                while !changed() && Instant::now() < until {
                    if child.try_wait().ok().flatten().is_some() {
                        break;
                    }
                    std::thread::sleep(Duration::from_micros(100));
                }
            }
            k => {
                let (from, to) = if k == 0 { (0.0, 1.2) } else { (0.6, 1.1) };
                std::thread::sleep(full.mul_f64(from + (to - from) * rng.unit()));
            }
        }
        child.kill().ok();
        child.wait().expect("waits");
    }

    #[test]
    fn a_killed_dispatch_leaves_the_earlier_plan_or_the_new_one_whole() {
        let d = dir("kill-dispatch");
        let day = d.join("day.json");
        generate_day(&day, "province:Hainan", 1000, 1);
        let (earlier, newer, out) = (
            d.join("earlier.json"),
            d.join("newer.json"),
            d.join("plan.json"),
        );
        for (strategy, path) in [("nearest", &earlier), ("regret", &newer)] {
            let o = servnet(&[
                "dispatch",
                s(&day),
                "--strategy",
                strategy,
                "--out",
                s(path),
            ]);
            assert!(o.status.success(), "{}", text(&o));
            let o = servnet(&["verify", s(&day), s(path)]);
            assert_eq!(o.status.code(), Some(0), "{strategy}: {}", text(&o));
        }
        let (a, b) = (
            std::fs::read(&earlier).unwrap(),
            std::fs::read(&newer).unwrap(),
        );
        assert_ne!(a, b);
        let args = [
            "dispatch",
            s(&day),
            "--strategy",
            "regret",
            "--out",
            s(&out),
        ];
        let started = Instant::now();
        assert!(spawn(&args).wait().unwrap().success());
        let full = started.elapsed();
        assert_eq!(std::fs::read(&out).unwrap(), b, "the new plan, whole");

        let mut rng = Rng::from_clock("kill-dispatch");
        let (mut kept, mut replaced) = (0, 0);
        for attempt in 0..TRIES {
            std::fs::copy(&earlier, &out).unwrap();
            let before = look(&out);
            let child = spawn(&args);
            kill_at(child, attempt, full, &mut rng, || look(&out) != before);
            let now = std::fs::read(&out).unwrap_or_default();
            if now == a {
                kept += 1;
            } else if now == b {
                replaced += 1;
            } else {
                panic!(
                    "attempt {attempt}: {} bytes, neither the earlier plan ({}) nor the new one ({})",
                    now.len(),
                    a.len(),
                    b.len()
                );
            }
        }
        eprintln!("kill-dispatch: earlier plan kept {kept} times, new plan {replaced} times");
        assert!(replaced > 0, "no kill came after the write");
        // A run to its end removes what the killed runs left beside the plan.
        let o = servnet(&args);
        assert!(o.status.success(), "{}", text(&o));
        assert_eq!(
            listing(&d),
            ["day.json", "earlier.json", "newer.json", "plan.json"]
        );
        std::fs::remove_dir_all(d).ok();
    }

    #[test]
    fn a_killed_simulation_leaves_the_earlier_folder_or_the_new_one_whole() {
        let d = dir("kill-simulate");
        let args = |seed: &'static str, out: &Path| -> Vec<String> {
            [
                "simulate",
                "--preset",
                "province:Hainan",
                "--days",
                "1",
                "--requests-per-day",
                "40",
                "--strategies",
                "nearest",
                "--seed",
                seed,
                "--out",
                s(out),
            ]
            .iter()
            .map(|x| x.to_string())
            .collect()
        };
        let (earlier, newer, out) = (d.join("earlier"), d.join("newer"), d.join("week"));
        for (seed, path) in [("1", &earlier), ("2", &newer)] {
            let a = args(seed, path);
            let o = servnet(&a.iter().map(String::as_str).collect::<Vec<_>>());
            assert!(o.status.success(), "{}", text(&o));
        }
        let (a, b) = (files(&earlier), files(&newer));
        assert_eq!(a.len(), 4);
        assert_ne!(a, b);
        let killed: Vec<String> = args("2", &out);
        let killed: Vec<&str> = killed.iter().map(String::as_str).collect();
        let started = Instant::now();
        assert!(spawn(&killed).wait().unwrap().success());
        let full = started.elapsed();
        assert_eq!(files(&out), b, "the new folder, whole");

        let reset = || {
            std::fs::remove_dir_all(&out).ok();
            std::fs::create_dir_all(&out).unwrap();
            for (name, bytes) in &a {
                std::fs::write(out.join(name), bytes).unwrap();
            }
        };
        let watch = || (look(&out), look(&out.join("kpis.json")));
        let mut rng = Rng::from_clock("kill-simulate");
        let (mut kept, mut replaced, mut beside) = (0, 0, 0);
        for attempt in 0..TRIES {
            reset();
            let before = watch();
            let child = spawn(&killed);
            kill_at(child, attempt, full, &mut rng, || watch() != before);
            if out.is_dir() {
                let now = files(&out);
                if now == a {
                    kept += 1;
                } else if now == b {
                    replaced += 1;
                } else {
                    panic!(
                        "attempt {attempt}: a folder of neither run: {:?}",
                        now.iter()
                            .map(|(k, v)| (k, a.get(k) == Some(v), b.get(k) == Some(v)))
                            .collect::<Vec<_>>()
                    );
                }
            } else {
                // Killed between moving the earlier folder aside and moving
                // the new one in: the earlier one is whole beside it, and the
                // next write puts it back first.
                let aside = old_folders(&d);
                assert!(
                    aside.iter().any(|p| files(p) == a),
                    "attempt {attempt}: no folder, and none whole beside it: {aside:?}"
                );
                beside += 1;
                let o = servnet(&killed);
                assert!(o.status.success(), "{}", text(&o));
                assert_eq!(files(&out), b);
            }
        }
        eprintln!(
            "kill-simulate: earlier folder kept {kept} times, new folder {replaced} times, earlier beside {beside} times"
        );
        assert!(replaced > 0, "no kill came after the write");
        // A run to its end leaves nothing of its own beside the folder.
        reset();
        let o = servnet(&killed);
        assert!(o.status.success(), "{}", text(&o));
        assert_eq!(files(&out), b);
        assert_eq!(listing(&d), ["earlier", "newer", "week"]);
        std::fs::remove_dir_all(d).ok();
    }

    /// The names in a folder, sorted.
    fn listing(d: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Folders an interrupted swap moved aside, beside `week`.
    fn old_folders(d: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.is_dir()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(".week.") && n.contains("old"))
            })
            .collect()
    }
}
