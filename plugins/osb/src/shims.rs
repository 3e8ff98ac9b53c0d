//! `kubectl osb completion install|uninstall`: the `kubectl_complete-osb*` helpers kubectl (≥ 1.26) runs
//! to complete plugin arguments. Krew installs a single executable per plugin, so krew users need this
//! step once (the manifest's caveats say so). Each helper is a symlink to `kubectl-osb` in the same
//! directory (for krew, `~/.krew/bin`, whose `kubectl-osb` link krew updates on upgrade): this binary
//! answers the completion protocol when called by that name.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Command, FromArgMatches, Subcommand};

use crate::locate;

/// Set up shell completion of `kubectl osb …` (kubectl ≥ 1.26).
#[derive(clap::Parser, Debug)]
#[command(
    name = "kubectl-osb-completion",
    bin_name = "kubectl osb completion",
    after_help = "kubectl completes plugin arguments by running kubectl_complete-osb (and \
    kubectl_complete-osb-VERB for verbs installed as separate files on PATH). `install` creates them as \
    links to kubectl-osb. kubectl's own completion must be enabled in your shell, e.g.\n  \
    bash: source <(kubectl completion bash)\n  zsh:  source <(kubectl completion zsh)\n  \
    fish: kubectl completion fish | source\n\nExamples:\n  kubectl osb completion install\n  \
    kubectl osb completion install --dir ~/bin\n  kubectl osb completion uninstall"
)]
pub struct CompletionArgs {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Create kubectl_complete-osb* links next to kubectl-osb (or in --dir)
    Install(DirArgs),
    /// Remove the links `install` created
    Uninstall(DirArgs),
}

#[derive(Args, Debug)]
pub struct DirArgs {
    /// Directory on PATH to write to (default: the directory of the kubectl-osb kubectl ran)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// Replace files of the same name that are not links
    #[arg(long)]
    pub force: bool,
}

/// The clap definition of `completion`.
pub fn command() -> Command {
    <CompletionArgs as clap::CommandFactory>::command()
}

/// `kubectl osb completion …`.
pub fn main(argv0: &OsStr, args: Vec<OsString>) -> ExitCode {
    let mut argv = vec![OsString::from("kubectl osb completion")];
    argv.extend(args);
    let parsed = command()
        .try_get_matches_from(argv)
        .and_then(|m| CompletionArgs::from_arg_matches(&m));
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match parsed.action {
        None => {
            print!("{}", command().render_long_help());
            Ok(())
        }
        Some(Action::Install(d)) => target_dir(argv0, d.dir.as_deref())
            .and_then(|(dir, target)| install(&dir, &target, d.force)),
        Some(Action::Uninstall(d)) => {
            target_dir(argv0, d.dir.as_deref()).and_then(|(dir, target)| uninstall(&dir, &target))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// The directory to write to and what the links point at (relative `kubectl-osb` when it is in the
/// same directory, so the links follow krew upgrades).
fn target_dir(argv0: &OsStr, dir: Option<&Path>) -> Result<(PathBuf, PathBuf), String> {
    let argv0 = Path::new(argv0);
    let me = if argv0.components().count() > 1 {
        std::path::absolute(argv0).map_err(|e| e.to_string())?
    } else {
        locate::find_in(&locate::path_dirs(), "kubectl-osb")
            .ok_or("kubectl-osb is not on PATH: pass --dir")?
    };
    let my_dir = me.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = match dir {
        Some(d) => std::path::absolute(d).map_err(|e| e.to_string())?,
        None => my_dir.clone(),
    };
    let target = if dir == my_dir {
        PathBuf::from("kubectl-osb")
    } else {
        me
    };
    Ok((dir, target))
}

/// Names of the helpers: `kubectl_complete-osb`, plus `kubectl_complete-osb-VERB` for every verb kubectl
/// sees on PATH as its own file.
pub fn helper_names(on_path_files: &[String]) -> Vec<String> {
    let mut names = vec!["kubectl_complete-osb".to_string()];
    for f in on_path_files {
        if let Some(rest) = f.strip_prefix("kubectl-osb-") {
            names.push(format!("kubectl_complete-osb-{rest}"));
        }
    }
    names
}

fn verbs_on_path() -> Vec<String> {
    locate::discover_in(&locate::path_dirs())
        .into_iter()
        .filter_map(|f| Some(f.path.file_name()?.to_string_lossy().into_owned()))
        .collect()
}

fn install(dir: &Path, target: &Path, force: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for name in helper_names(&verbs_on_path()) {
        let path = dir.join(&name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                if std::fs::read_link(&path).is_ok_and(|t| t == target) {
                    println!("{} is up to date", path.display());
                    continue;
                }
                remove(&path)?;
            }
            Ok(_) if force => remove(&path)?,
            Ok(_) => {
                eprintln!(
                    "warning: {} exists and is not a link; left alone (use --force to replace it)",
                    path.display()
                );
                continue;
            }
            Err(_) => {}
        }
        symlink(target, &path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        println!("{} -> {}", path.display(), target.display());
    }
    if !locate::path_dirs().iter().any(|d| d == dir) {
        eprintln!(
            "warning: {} is not on PATH: kubectl will not find the completion helpers",
            dir.display()
        );
    }
    println!(
        "Completion of `kubectl osb …` works once kubectl's own completion is enabled (kubectl ≥ 1.26), e.g.\n  \
         bash: source <(kubectl completion bash)\n  zsh:  source <(kubectl completion zsh)\n  \
         fish: kubectl completion fish | source"
    );
    Ok(())
}

fn uninstall(dir: &Path, target: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with("kubectl_complete-osb") {
            continue;
        }
        let path = e.path();
        let ours = std::fs::read_link(&path)
            .is_ok_and(|t| t == target || t.file_name().is_some_and(|n| n == "kubectl-osb"));
        if ours {
            remove(&path)?;
            println!("removed {}", path.display());
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, path: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, path)
}

#[cfg(windows)]
fn symlink(target: &Path, path: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_file(target, path)
}

fn remove(path: &Path) -> Result<(), String> {
    std::fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            helper_names(&[
                "kubectl-osb-provision".into(),
                "kubectl-osb-convert_json".into()
            ]),
            vec![
                "kubectl_complete-osb",
                "kubectl_complete-osb-provision",
                "kubectl_complete-osb-convert_json"
            ]
        );
    }

    #[test]
    fn command_is_valid() {
        command().debug_assert();
    }
}
