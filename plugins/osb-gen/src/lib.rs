//! `osb-gen`: everything generated from the clap definitions of the suite, and the krew manifest check.
//!
//! ```text
//! osb-gen completions [--dir DIR]   write bash, zsh and fish scripts for every binary (default: completions/)
//! osb-gen check [--dir DIR]         fail if the committed scripts differ from what the code generates
//! osb-gen man --dir DIR             write a man page (section 1) per binary
//! osb-gen bins                      print the name of every binary, one a line
//! osb-gen validate-krew FILE…       check krew manifests with krew's validation rules
//! osb-gen krew-manifest TEMPLATE TAG DIR   render the krew-release-bot template for the archives in DIR
//! ```
//!
//! The binaries are `kubectl-osb` (the dispatcher) and one `kubectl-osb-VERB` per verb whose definition the
//! dispatcher links (plugins/osb/src/verbs.rs); the unit tests fail when a plugin crate is missing there.

pub mod krew;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Command;
use clap_complete::Shell;

/// One installed binary and its clap definition.
pub struct Binary {
    /// The file name: `kubectl-osb-convert_json`; also the name of its man page (`kubectl-osb-convert_json.1`).
    pub file: String,
    /// The command as users type it: `kubectl osb convert-json` (the man page's synopsis).
    pub usage: String,
    pub command: Command,
}

/// Every binary of the suite: the dispatcher first, then each verb.
pub fn binaries() -> Vec<Binary> {
    let mut out = vec![Binary {
        file: "kubectl-osb".into(),
        usage: "kubectl osb".into(),
        command: osb_dispatch::command_named("kubectl-osb"),
    }];
    for v in osb_dispatch::verbs::VERBS {
        out.push(Binary {
            file: v.file_name(),
            usage: format!("kubectl osb {}", v.name),
            command: (v.command)(),
        });
    }
    out
}

/// The committed completion scripts, as (path relative to `completions/`, content).
pub fn completion_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for b in binaries() {
        for (shell, path) in [
            (Shell::Bash, PathBuf::from("bash").join(&b.file)),
            (
                Shell::Zsh,
                PathBuf::from("zsh").join(format!("_{}", b.file)),
            ),
            (
                Shell::Fish,
                PathBuf::from("fish").join(format!("{}.fish", b.file)),
            ),
        ] {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut b.command.clone(), &b.file, &mut buf);
            files.push((path, String::from_utf8_lossy(&buf).into_owned()));
        }
    }
    files
}

/// Man pages, as (file name, roff): one per binary, named after the binary's file (`man
/// kubectl-osb-convert_json`), with the synopsis as typed (`kubectl osb convert-json`).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    binaries()
        .into_iter()
        .map(|b| {
            // clap names are &'static str without clap's "string" feature; a generator may leak.
            let name: &'static str = Box::leak(b.file.clone().into_boxed_str());
            let cmd = b.command.clone().name(name).bin_name(b.usage.clone());
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .title(b.file.to_uppercase())
                .section("1")
                .source(format!("kubectl-osb {}", osb_dispatch::VERSION))
                .manual("kubectl-osb manual")
                .render(&mut buf)
                .expect("rendering to memory");
            (format!("{}.1", b.file), buf)
        })
        .collect()
}

/// The repository's `completions/` directory.
pub fn default_completions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../completions")
}

/// Differences between `dir` and what the code generates: missing, different and extra files.
pub fn stale(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let files = completion_files();
    for (rel, content) in &files {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(c) if &c == content => {}
            Ok(_) => problems.push(format!("{} differs", rel.display())),
            Err(_) => problems.push(format!("{} is missing", rel.display())),
        }
    }
    for shell in ["bash", "zsh", "fish"] {
        let Ok(entries) = std::fs::read_dir(dir.join(shell)) else {
            continue;
        };
        for e in entries.flatten() {
            let rel = PathBuf::from(shell).join(e.file_name());
            if !files.iter().any(|(r, _)| r == &rel) {
                problems.push(format!("{} is not generated any more", rel.display()));
            }
        }
    }
    problems
}

fn write_completions(dir: &Path) -> std::io::Result<()> {
    for shell in ["bash", "zsh", "fish"] {
        let d = dir.join(shell);
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                std::fs::remove_file(e.path())?;
            }
        }
    }
    for (rel, content) in completion_files() {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent"))?;
        std::fs::write(path, content)?;
    }
    Ok(())
}

/// The sha256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> Option<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path).ok()?;
    Some(hex::encode(sha2::Sha256::digest(&bytes)))
}

fn dir_arg(args: &[String]) -> Option<PathBuf> {
    args.windows(2)
        .find(|w| w[0] == "--dir")
        .map(|w| PathBuf::from(&w[1]))
}

/// `osb-gen …`.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sub = args.first().map(String::as_str).unwrap_or("");
    let rest = args.get(1..).unwrap_or_default();
    let result: Result<(), String> = match sub {
        "completions" => {
            let dir = dir_arg(rest).unwrap_or_else(default_completions_dir);
            write_completions(&dir)
                .map(|()| eprintln!("wrote {} files into {}", completion_files().len(), dir.display()))
                .map_err(|e| e.to_string())
        }
        "check" => {
            let dir = dir_arg(rest).unwrap_or_else(default_completions_dir);
            let problems = stale(&dir);
            if problems.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "completion scripts in {} are stale ({}); run `cargo run -p osb-gen -- completions`",
                    dir.display(),
                    problems.join(", ")
                ))
            }
        }
        "man" => match dir_arg(rest) {
            None => Err("usage: osb-gen man --dir DIR".into()),
            Some(dir) => std::fs::create_dir_all(&dir)
                .and_then(|()| {
                    man_pages()
                        .into_iter()
                        .try_for_each(|(name, roff)| std::fs::write(dir.join(name), roff))
                })
                .map_err(|e| e.to_string()),
        },
        "bins" => {
            for b in binaries() {
                println!("{}", b.file);
            }
            Ok(())
        }
        "krew-manifest" if rest.len() == 3 => {
            let (template, tag, dir) = (&rest[0], &rest[1], Path::new(&rest[2]));
            std::fs::read_to_string(template)
                .map_err(|e| format!("{template}: {e}"))
                .map(|t| print!("{}", krew::render_template(&t, tag, &|f| sha256_file(&dir.join(f)))))
        }
        "validate-krew" if !rest.is_empty() => rest.iter().try_for_each(|f| {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?;
            krew::validate_file(Path::new(f), &text).map_err(|e| format!("{f}: {e}"))?;
            println!("{f}: valid krew manifest");
            Ok(())
        }),
        _ => Err(
            "usage: osb-gen completions [--dir DIR] | check [--dir DIR] | man --dir DIR | bins | validate-krew FILE… | krew-manifest TEMPLATE TAG DIR"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_binary_definition_is_valid() {
        for b in binaries() {
            b.command.clone().debug_assert();
        }
    }

    /// CI check: the committed completion scripts are what the code generates.
    #[test]
    fn committed_completions_are_fresh() {
        let problems = stale(&default_completions_dir());
        assert!(
            problems.is_empty(),
            "completions/ is stale: {problems:?}\nregenerate with `cargo run -p osb-gen -- completions`"
        );
    }

    /// Every plugin crate's binary is known to the dispatcher (and so completed and documented).
    #[test]
    fn every_plugin_crate_is_registered() {
        let plugins = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let known: Vec<String> = binaries().into_iter().map(|b| b.file).collect();
        let mut missing = Vec::new();
        for e in std::fs::read_dir(plugins).unwrap().flatten() {
            let Ok(toml) = std::fs::read_to_string(e.path().join("Cargo.toml")) else {
                continue;
            };
            for line in toml.lines() {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("name = \"kubectl-osb")
                    && toml.contains("[[bin]]")
                    && line.len() > 8
                {
                    let name = format!("kubectl-osb{}", rest.trim_end_matches('"'));
                    // Package names use dashes; only the [[bin]] name (with `_`) matters.
                    let is_bin = toml
                        .split("[[bin]]")
                        .nth(1)
                        .is_some_and(|b| b.contains(&format!("name = \"{name}\"")));
                    if is_bin && !known.contains(&name) && !missing.contains(&name) {
                        missing.push(name);
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "binaries unknown to plugins/osb/src/verbs.rs (add the crate there): {missing:?}"
        );
    }

    /// `man X` works for every binary X: the page is named after the file, `_` and all.
    #[test]
    fn man_pages_are_named_after_the_binaries() {
        let pages: Vec<String> = man_pages().into_iter().map(|(n, _)| n).collect();
        let expected: Vec<String> = binaries()
            .into_iter()
            .map(|b| format!("{}.1", b.file))
            .collect();
        assert_eq!(pages, expected);
        assert!(pages.contains(&"kubectl-osb-convert_json.1".to_string()));
        let (_, roff) = man_pages()
            .into_iter()
            .find(|(n, _)| n == "kubectl-osb-convert_json.1")
            .unwrap();
        let roff = String::from_utf8_lossy(&roff).into_owned();
        assert!(roff.contains("kubectl\\-osb\\-convert_json"), "{roff}");
        assert!(roff.contains("kubectl osb convert\\-json"), "{roff}");
    }

    #[test]
    fn man_pages_render() {
        let pages = man_pages();
        assert!(pages.iter().any(|(n, _)| n == "kubectl-osb.1"));
        let (_, roff) = pages
            .iter()
            .find(|(n, _)| n == "kubectl-osb-catalog.1")
            .unwrap();
        let roff = String::from_utf8_lossy(roff);
        assert!(roff.contains("\\-\\-class"), "{roff}");
    }
}
