//! Writing files and folders whole: a file is written to a temporary file in
//! its folder and renamed into place; a folder of files is written to a
//! temporary folder beside it and swapped in. A process killed at any moment
//! leaves the earlier file (or folder) or the new one, never a part of one.
//!
//! The temporary names start with a dot and the name they stand for, and
//! carry the writing process's id: `.plan.json.<pid>.<n>.tmp` for a file,
//! `.week.<pid>.new` and `.week.<pid>.old` for a folder. A later write to the
//! same path removes the ones a process that is no longer running left
//! behind, and puts back a folder an interrupted swap had moved aside (on
//! Linux a process counts as running while `/proc/<pid>` exists; elsewhere
//! only the writing process itself does, so two processes must not write
//! the same path at once).
//!
//! The checks, [`check_file`] and [`check_folder`], let a command refuse an
//! output that cannot be written before it does any work.

use crate::error::{ErrorKind, Result};
use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

fn io_error(path: &Path, source: std::io::Error) -> crate::Error {
    ErrorKind::Io {
        path: path.display().to_string(),
        source,
    }
    .into()
}

fn refused(path: &Path, message: String) -> crate::Error {
    io_error(path, std::io::Error::other(message))
}

/// The folder a path is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether `path` is written in place: a device or pipe such as
/// `/dev/null`, or anything under `/dev` or `/proc` (`/dev/stdout` is the
/// standard output, whatever file it is).
fn in_place(path: &Path) -> bool {
    path.starts_with("/dev")
        || path.starts_with("/proc")
        || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A symbolic link stands for what it points to: the write replaces the
/// target, not the link.
fn resolve(path: &Path) -> PathBuf {
    if in_place(path) {
        return path.to_path_buf();
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// The file name of an output path, refusing paths without one (`/`, `..`).
fn name_of(path: &Path) -> Result<OsString> {
    path.file_name()
        .map(|n| n.to_os_string())
        .ok_or_else(|| refused(path, "not a file or folder name".into()))
}

/// `.{name}.{pid}.` — the start of every temporary name of `name`.
fn temp_prefix(name: &OsString) -> String {
    format!(".{}.", name.to_string_lossy())
}

/// Whether the process `pid` may still be writing.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// The temporaries of `name` in `folder` left by processes no longer
/// running, each with its suffix after the process id (`3.tmp`, `new`, `old`).
fn stale(folder: &Path, name: &OsString) -> Vec<(PathBuf, String)> {
    let prefix = temp_prefix(name);
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file = e.file_name().to_str()?.to_string();
            let rest = file.strip_prefix(&prefix)?;
            let (pid, suffix) = rest.split_once('.')?;
            let pid: u32 = pid.parse().ok()?;
            let ours = suffix == "new"
                || suffix == "old"
                || suffix
                    .strip_suffix(".tmp")
                    .is_some_and(|n| n.parse::<u64>().is_ok());
            (ours && !running(pid)).then(|| (e.path(), suffix.to_string()))
        })
        .collect()
}

/// The nearest existing folder at or above `folder`: an error if what exists
/// there is not a folder.
fn existing_folder(folder: &Path) -> Result<PathBuf> {
    let mut at = folder.to_path_buf();
    loop {
        match std::fs::metadata(&at) {
            Ok(m) if m.is_dir() => return Ok(at),
            Ok(_) => return Err(refused(&at, "is a file, not a folder".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match at.parent() {
                Some(p) if !p.as_os_str().is_empty() => at = p.to_path_buf(),
                _ => return Ok(PathBuf::from(".")),
            },
            Err(e) => return Err(io_error(&at, e)),
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh temporary path for `name` in `folder`.
fn temp_file(folder: &Path, name: &OsString) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    folder.join(format!(
        "{}{}.{n}.tmp",
        temp_prefix(name),
        std::process::id()
    ))
}

/// Checks that a new file can be created in `folder`, by creating one and removing it.
fn probe(folder: &Path, name: &OsString) -> Result<()> {
    let path = temp_file(folder, name);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| io_error(folder, e))?;
    std::fs::remove_file(&path).map_err(|e| io_error(&path, e))
}

/// Checks that [`write_file`] can write `path`, creating nothing: its folder
/// exists and a file can be created in it, and `path` is not a folder.
///
/// # Errors
/// [`ErrorKind::Io`] naming the path or folder that is in the way.
pub fn check_file(path: impl AsRef<Path>) -> Result<()> {
    let path = resolve(path.as_ref());
    let name = name_of(&path)?;
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => return Err(refused(&path, "is a folder, not a file".into())),
        Ok(_) if in_place(&path) => return Ok(()),
        _ => {}
    }
    let folder = folder_of(&path);
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(refused(folder, "is a file, not a folder".into())),
        Err(e) => return Err(io_error(folder, e)),
    }
    probe(folder, &name)
}

/// Writes `bytes` to `path` whole: into a temporary file in the same folder,
/// flushed to disk, then renamed over `path` (keeping the permissions of the
/// file it replaces). A symbolic link is followed; a device or pipe such as
/// `/dev/null`, and any path under `/dev` or `/proc` (`/dev/stdout`), is
/// written in place. Temporaries of `path` that killed
/// processes left behind are removed.
///
/// # Errors
/// [`ErrorKind::Io`] naming the file or folder that could not be written;
/// `path` is then as it was.
pub fn write_file(path: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> Result<()> {
    let path = resolve(path.as_ref());
    let bytes = bytes.as_ref();
    let name = name_of(&path)?;
    let existing = std::fs::metadata(&path).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(refused(&path, "is a folder, not a file".into()));
    }
    if in_place(&path) {
        return std::fs::write(&path, bytes).map_err(|e| io_error(&path, e));
    }
    let folder = folder_of(&path);
    for (old, _) in stale(folder, &name) {
        std::fs::remove_file(&old).ok();
    }
    let temp = temp_file(folder, &name);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        if let Some(m) = &existing {
            file.set_permissions(m.permissions())?;
        }
        file.sync_all()
    })();
    if let Err(e) = written {
        std::fs::remove_file(&temp).ok();
        return Err(io_error(&path, e));
    }
    if let Err(e) = std::fs::rename(&temp, &path) {
        std::fs::remove_file(&temp).ok();
        return Err(io_error(&path, e));
    }
    sync_folder(folder);
    Ok(())
}

/// Flushes a folder's entries to disk where the system allows it.
fn sync_folder(folder: &Path) {
    if let Ok(f) = File::open(folder) {
        f.sync_all().ok();
    }
}

/// Puts back a folder an interrupted swap moved aside (when `dir` is
/// missing) and removes the temporaries killed processes left beside `dir`.
fn recover(dir: &Path, name: &OsString) -> Result<()> {
    let parent = folder_of(dir);
    let mut left = stale(parent, name);
    if !dir.exists() {
        // The latest folder moved aside is the one a swap did not finish.
        let newest = left
            .iter()
            .filter(|(p, suffix)| suffix == "old" && p.is_dir())
            .max_by_key(|(p, _)| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .map(|(p, _)| p.clone());
        if let Some(old) = newest {
            std::fs::rename(&old, dir).map_err(|e| io_error(&old, e))?;
            left.retain(|(p, _)| *p != old);
        }
    }
    for (path, _) in left {
        if path.is_dir() {
            std::fs::remove_dir_all(&path).ok();
        } else {
            std::fs::remove_file(&path).ok();
        }
    }
    Ok(())
}

/// Checks that [`write_folder`] can write the files `names` into `dir`:
/// `dir` is a folder (or missing, in a folder that exists or can be
/// created), a folder can be created beside it, and it holds nothing but
/// files of those names — anything else in it would be lost with the folder
/// it replaces. Puts back a folder an interrupted write moved aside.
///
/// # Errors
/// [`ErrorKind::Io`] naming the path in the way or the file `dir` holds.
pub fn check_folder(dir: impl AsRef<Path>, names: &[&str]) -> Result<()> {
    let dir = resolve(dir.as_ref());
    let name = name_of(&dir)?;
    let parent = folder_of(&dir);
    let existing = existing_folder(parent)?;
    if existing.as_path() == parent {
        recover(&dir, &name)?;
    }
    match std::fs::metadata(&dir) {
        Ok(m) if !m.is_dir() => return Err(refused(&dir, "is a file, not a folder".into())),
        Ok(_) => {
            let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))?;
            for e in entries {
                let e = e.map_err(|e| io_error(&dir, e))?;
                let known = e.file_name().to_str().is_some_and(|n| names.contains(&n));
                let file = e.file_type().is_ok_and(|t| t.is_file());
                if !(known && file) {
                    return Err(refused(
                        &dir,
                        format!(
                            "holds {}, which is not one of the files written there ({}): \
                             the folder is replaced whole, so it is not written",
                            e.path().display(),
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&dir, e)),
    }
    probe(&existing, &name)
}

/// Writes the files `files` (name and bytes) into the folder `dir`, whole:
/// into a new folder beside it, then swapped in — the earlier folder is
/// moved aside, the new one renamed to `dir`, the earlier one removed.
/// Missing folders above `dir` are created. Refuses a `dir` that holds
/// anything but files of these names ([`check_folder`]). Returns the paths
/// written, in the order given.
///
/// # Errors
/// [`ErrorKind::Io`] naming the path that could not be written; `dir` is then as it was.
pub fn write_folder(dir: impl AsRef<Path>, files: &[(&str, &[u8])]) -> Result<Vec<PathBuf>> {
    let dir = resolve(dir.as_ref());
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    for n in &names {
        let plain = Path::new(n)
            .file_name()
            .is_some_and(|f| f == std::ffi::OsStr::new(n));
        if !plain {
            return Err(refused(&dir.join(n), "not a file name".into()));
        }
    }
    check_folder(&dir, &names)?;
    let name = name_of(&dir)?;
    let parent = folder_of(&dir).to_path_buf();
    std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
    let pid = std::process::id();
    let prefix = temp_prefix(&name);
    let new = parent.join(format!("{prefix}{pid}.new"));
    let old = parent.join(format!("{prefix}{pid}.old"));
    for p in [&new, &old] {
        if p.exists() {
            std::fs::remove_dir_all(p).map_err(|e| io_error(p, e))?;
        }
    }
    let fill = || -> Result<()> {
        std::fs::create_dir(&new).map_err(|e| io_error(&new, e))?;
        for (n, bytes) in files {
            let path = new.join(n);
            let mut f = File::create(&path).map_err(|e| io_error(&path, e))?;
            f.write_all(bytes)
                .and_then(|()| f.sync_all())
                .map_err(|e| io_error(&path, e))?;
        }
        sync_folder(&new);
        Ok(())
    };
    if let Err(e) = fill() {
        std::fs::remove_dir_all(&new).ok();
        return Err(e);
    }
    let replaces = dir.exists();
    if replaces && let Err(e) = std::fs::rename(&dir, &old) {
        std::fs::remove_dir_all(&new).ok();
        return Err(io_error(&dir, e));
    }
    if let Err(e) = std::fs::rename(&new, &dir) {
        if replaces {
            std::fs::rename(&old, &dir).ok();
        }
        std::fs::remove_dir_all(&new).ok();
        return Err(io_error(&dir, e));
    }
    sync_folder(&parent);
    if replaces {
        std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
    }
    Ok(names.iter().map(|n| dir.join(n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("servnet-atomic-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&d).ok();
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn listing(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_is_replaced_and_nothing_is_left_beside_it() {
        let d = scratch("file");
        let p = d.join("plan.json");
        write_file(&p, "one").unwrap();
        write_file(&p, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(listing(&d), ["plan.json"]);
        assert!(check_file(&d).is_err());
        assert!(write_file(&d, "x").is_err());
        assert!(check_file(d.join("missing").join("x")).is_err());
        std::fs::remove_dir_all(d).ok();
    }

    #[test]
    fn a_dead_process_s_temporaries_are_removed_and_its_folder_put_back() {
        let d = scratch("folder");
        let week = d.join("week");
        write_folder(&week, &[("a.csv", b"1"), ("b.csv", b"2")]).unwrap();
        // A process that no longer runs (no process has id u32::MAX) moved it aside.
        let old = d.join(format!(".week.{}.old", u32::MAX));
        std::fs::rename(&week, &old).unwrap();
        std::fs::create_dir(d.join(format!(".week.{}.new", u32::MAX))).unwrap();
        std::fs::write(d.join(format!(".week.{}.0.tmp", u32::MAX)), "x").unwrap();
        check_folder(&week, &["a.csv", "b.csv"]).unwrap();
        assert_eq!(listing(&week), ["a.csv", "b.csv"]);
        assert_eq!(listing(&d), ["week"]);
        write_folder(&week, &[("a.csv", b"3"), ("b.csv", b"4")]).unwrap();
        assert_eq!(std::fs::read_to_string(week.join("a.csv")).unwrap(), "3");
        assert_eq!(listing(&d), ["week"]);
        // Anything else in the folder stops the write.
        std::fs::write(week.join("notes.txt"), "mine").unwrap();
        let e = write_folder(&week, &[("a.csv", b"5"), ("b.csv", b"6")]).unwrap_err();
        assert!(e.to_string().contains("notes.txt"), "{e}");
        assert_eq!(std::fs::read_to_string(week.join("a.csv")).unwrap(), "3");
        std::fs::remove_dir_all(d).ok();
    }
}
