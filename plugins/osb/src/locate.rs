//! Finding `kubectl-osb-VERB` executables: next to the dispatcher's own resolved executable first (the
//! krew layout: `~/.krew/store/osb/<version>/`), then in `PATH` order (what kubectl itself does). The
//! suite's own verbs run in-process; this finds extensions, and tells completion which verbs kubectl
//! already sees on `PATH` as their own files.

use std::path::{Path, PathBuf};

use crate::verbs;

/// Whether `path` is a regular file (after symlinks) with an execute bit.
#[cfg(unix)]
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether `path` is a regular file (no execute bits outside Unix).
#[cfg(not(unix))]
pub fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The directory of the running executable, symlinks resolved.
pub fn self_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    exe.parent().map(Path::to_path_buf)
}

/// The directories of `PATH`, empty entries and duplicates removed.
pub fn path_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for d in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        if !d.as_os_str().is_empty() && !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    dirs
}

/// Where verbs are looked for, in order: next to ourselves, then `PATH`.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = self_dir().into_iter().collect();
    for d in path_dirs() {
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    dirs
}

/// The first executable `file` in `dirs`.
pub fn find_in(dirs: &[PathBuf], file: &str) -> Option<PathBuf> {
    dirs.iter().map(|d| d.join(file)).find(|p| is_executable(p))
}

/// The executable of `verb`.
pub fn find_verb(verb: &str) -> Option<PathBuf> {
    find_in(&search_dirs(), &verbs::file_name(verb))
}

/// Whether kubectl itself sees `kubectl-osb-VERB` on `PATH` (then it runs it directly and completes it
/// through `kubectl_complete-osb-VERB`).
pub fn on_path(verb: &str) -> bool {
    find_in(&path_dirs(), &verbs::file_name(verb)).is_some()
}

/// A verb found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub verb: String,
    pub path: PathBuf,
}

/// Every `kubectl-osb-*` executable in `dirs`, first one per verb wins.
pub fn discover_in(dirs: &[PathBuf]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut here: Vec<Found> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let verb = verbs::verb_of_file(&name)?;
                (!name.contains('.') && is_executable(&e.path())).then(|| Found {
                    verb,
                    path: e.path(),
                })
            })
            .collect();
        here.sort_by(|a, b| a.verb.cmp(&b.verb));
        for f in here {
            if !found.iter().any(|g| g.verb == f.verb) {
                found.push(f);
            }
        }
    }
    found
}

/// Every installed verb (next to ourselves and on `PATH`).
pub fn discover() -> Vec<Found> {
    discover_in(&search_dirs())
}
