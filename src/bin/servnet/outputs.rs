//! The files and folders a command will write, checked before it does any
//! work: each can be written, none is one of the command's inputs (by any
//! spelling, link or hard link), and no two are the same file.

use servnet::io::atomic::{check_file, check_folder};
use servnet::{Error, ErrorKind};
use std::path::{Path, PathBuf};

/// What a command reads and writes.
#[derive(Default)]
pub struct Outputs {
    inputs: Vec<PathBuf>,
    /// Output files by option name.
    files: Vec<(&'static str, PathBuf)>,
    /// Output folders by option name, with the names of the files written there.
    folders: Vec<(&'static str, PathBuf, Vec<&'static str>)>,
}

fn refuse(option: &'static str, message: String) -> Error {
    ErrorKind::Parameter {
        name: option,
        message,
    }
    .into()
}

/// Whether two existing paths are the same file (the same device and inode
/// on Unix; the same canonical path elsewhere).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Where a file would be written: its canonical folder and its name (the
/// path itself when its folder does not exist).
fn location(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(folder), path.file_name()) {
        (Ok(f), Some(n)) => f.join(n),
        _ => path.to_path_buf(),
    }
}

impl Outputs {
    pub fn new() -> Outputs {
        Outputs::default()
    }

    /// A file the command reads.
    pub fn input(mut self, path: impl AsRef<Path>) -> Outputs {
        self.inputs.push(path.as_ref().to_path_buf());
        self
    }

    /// Files the command reads.
    pub fn inputs<P: AsRef<Path>>(mut self, paths: impl IntoIterator<Item = P>) -> Outputs {
        self.inputs
            .extend(paths.into_iter().map(|p| p.as_ref().to_path_buf()));
        self
    }

    /// A file the option `option` writes, when given.
    pub fn file(mut self, option: &'static str, path: Option<&PathBuf>) -> Outputs {
        if let Some(p) = path {
            self.files.push((option, p.clone()));
        }
        self
    }

    /// A folder the option `option` writes `names` into, when given.
    pub fn folder(
        mut self,
        option: &'static str,
        path: Option<&PathBuf>,
        names: &[&'static str],
    ) -> Outputs {
        if let Some(p) = path {
            self.folders.push((option, p.clone(), names.to_vec()));
        }
        self
    }

    /// Refuses, naming the option and the path, an output that is an input,
    /// two outputs in one file, a folder of outputs holding an input, and
    /// any output that cannot be written.
    pub fn check(&self) -> Result<(), Error> {
        for (option, out) in &self.files {
            for input in &self.inputs {
                if same_file(out, input) {
                    return Err(refuse(
                        option,
                        format!(
                            "{} is the input {}: writing it would lose the input",
                            out.display(),
                            input.display()
                        ),
                    ));
                }
            }
        }
        for (i, (option, out)) in self.files.iter().enumerate() {
            // `/dev/null` may take every output.
            if std::fs::metadata(out).is_ok_and(|m| !m.is_file()) {
                continue;
            }
            for (other, earlier) in &self.files[..i] {
                if location(out) == location(earlier) {
                    return Err(refuse(
                        option,
                        format!(
                            "{} is also the file of --{}: one would overwrite the other",
                            out.display(),
                            other.replace('_', "-")
                        ),
                    ));
                }
            }
        }
        for (option, dir, _) in &self.folders {
            let Ok(folder) = std::fs::canonicalize(dir) else {
                continue;
            };
            for input in &self.inputs {
                let inside = std::fs::canonicalize(input).is_ok_and(|p| p.starts_with(&folder));
                if inside {
                    return Err(refuse(
                        option,
                        format!(
                            "the folder {} holds the input {}: it is replaced whole, which would lose the input",
                            dir.display(),
                            input.display()
                        ),
                    ));
                }
            }
        }
        for (option, out) in &self.files {
            check_file(out).map_err(|e| refuse(option, e.to_string()))?;
        }
        for (option, dir, names) in &self.folders {
            check_folder(dir, names).map_err(|e| refuse(option, e.to_string()))?;
        }
        Ok(())
    }
}
