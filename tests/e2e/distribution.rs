//! Distribution through install.sh: every plugin into a temporary prefix, `kubectl plugin list`, and
//! completion through kubectl's plugin-completion protocol, all with the real kubectl; the uninstall
//! leaves nothing. (The krew archive is installed by the real krew in `krew.rs`.)
//!
//! Release builds are slow here, so install.sh takes the debug binaries (`install.sh --from
//! target/debug`); build them first with `cargo build --workspace --bins`.

use std::path::{Path, PathBuf};
use std::process::Command;

use testkit::{Run, cluster::workspace_root, env, target_dir};

/// A scratch directory removed at the end of the test (kept when it fails, for a look).
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "osb-{name}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The system PATH without any directory holding kubectl-osb or krew files (so only what a test
/// installs counts).
pub(crate) fn clean_path() -> Vec<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| {
            !std::fs::read_dir(d).is_ok_and(|mut es| {
                es.any(|e| {
                    e.is_ok_and(|e| {
                        let n = e.file_name().to_string_lossy().into_owned();
                        n.starts_with("kubectl-osb")
                            || n.starts_with("kubectl_complete-osb")
                            || n == "kubectl-krew"
                    })
                })
            })
        })
        .collect()
}

fn path_with(first: &Path) -> std::ffi::OsString {
    let mut dirs = vec![first.to_path_buf()];
    dirs.extend(clean_path());
    std::env::join_paths(dirs).unwrap()
}

fn run(mut cmd: Command, stdin: Option<&str>) -> Run {
    testkit::run(&mut cmd, stdin)
}

/// `kubectl ARGS…` against the test cluster with `bin` first on a clean PATH.
fn kubectl(bin: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut c = Command::new("kubectl");
    c.args(args)
        .env("PATH", path_with(bin))
        .env("KUBECONFIG", &env().cp.kubeconfig);
    run(c, stdin)
}

/// A program (not through kubectl) with `bin` first on a clean PATH.
fn direct(program: &Path, args: &[&str], bin: &Path) -> Run {
    let mut c = Command::new(program);
    c.args(args)
        .env("PATH", path_with(bin))
        .env("KUBECONFIG", &env().cp.kubeconfig);
    run(c, None)
}

/// Every binary of the suite, as the generator lists them.
pub(crate) fn suite_binaries() -> Vec<String> {
    let mut c = Command::new(target_dir().join("osb-gen"));
    c.arg("bins");
    let out = run(c, None).ok();
    out.stdout.lines().map(str::to_string).collect()
}

/// Every file and directory under `dir`, relative, sorted.
pub(crate) fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `install.sh --prefix PREFIX --from target/debug EXTRA…` on a clean PATH.
pub(crate) fn install_sh(prefix: &Path, extra: &[&str]) -> Run {
    let mut c = Command::new(workspace_root().join("install.sh"));
    c.arg("--prefix")
        .arg(prefix)
        .arg("--from")
        .arg(target_dir())
        .args(extra)
        .env("PATH", std::env::join_paths(clean_path()).unwrap());
    run(c, None)
}

#[test]
fn install_sh_puts_every_plugin_on_path_and_uninstall_leaves_nothing() {
    let bins = suite_binaries();
    let scratch = Scratch::new("dist-install");
    let prefix = scratch.0.join("prefix");
    let first = install_sh(&prefix, &[]).ok();
    first.stdout_has("is not on your PATH");
    let bin = prefix.join("bin");
    for b in &bins {
        assert!(bin.join(b).is_file(), "{b}");
        let helper = format!("kubectl_complete-{}", b.trim_start_matches("kubectl-"));
        assert_eq!(
            std::fs::read_link(bin.join(&helper)).unwrap(),
            PathBuf::from("kubectl-osb"),
            "{helper}"
        );
    }
    for f in [
        "share/man/man1/kubectl-osb.1",
        "share/man/man1/kubectl-osb-catalog.1",
        "share/bash-completion/completions/kubectl-osb-catalog",
        "share/zsh/site-functions/_kubectl-osb-catalog",
        "share/fish/vendor_completions.d/kubectl-osb-catalog.fish",
    ] {
        assert!(prefix.join(f).is_file(), "{f}");
    }

    // kubectl sees every plugin, and no warnings (exit 0).
    let plugins = kubectl(&bin, &["plugin", "list"], None).ok();
    assert!(!plugins.stderr.contains("warning"), "{plugins:?}");
    for b in &bins {
        let path = bin.join(b);
        assert!(
            plugins.stdout.lines().any(|l| l == path.to_str().unwrap()),
            "{b} not listed: {plugins:?}"
        );
    }
    assert!(!plugins.stdout.contains("kubectl_complete"), "{plugins:?}");

    // kubectl running kubectl-osb-catalog itself, or the dispatcher running it: the same result.
    for args in [
        &["catalog"][..],
        &["catalog", "--bogus"],
        &["catalog", "-o", "name"],
    ] {
        let mut through_kubectl = vec!["osb"];
        through_kubectl.extend_from_slice(args);
        let a = kubectl(&bin, &through_kubectl, None);
        let b = direct(&bin.join("kubectl-osb"), args, &bin);
        assert_eq!(
            (a.code, &a.stdout, &a.stderr),
            (b.code, &b.stdout, &b.stderr),
            "{args:?}"
        );
    }

    // Completion through the per-verb helper kubectl picks when the verb is its own file.
    let flags = kubectl(&bin, &["__complete", "osb", "catalog", "--cl"], None).ok();
    assert!(
        flags.stdout.lines().any(|l| l.starts_with("--class\t")),
        "{flags:?}"
    );
    let plans = kubectl(
        &bin,
        &[
            "__complete",
            "osb",
            "catalog",
            "-o",
            "wide",
            "--class",
            "ka",
        ],
        None,
    )
    .ok();
    plans.stdout_starts("kafka\t");
    let verbs = kubectl(&bin, &["__complete", "osb", ""], None).ok();
    let catalog_lines = verbs
        .stdout
        .lines()
        .filter(|l| l.split('\t').next() == Some("catalog"))
        .count();
    assert_eq!(catalog_lines, 1, "verbs offered once: {verbs:?}");
    assert!(
        verbs.stdout.lines().any(|l| l.starts_with("completion\t")),
        "{verbs:?}"
    );

    // Installing again changes nothing.
    let before = tree(&prefix);
    install_sh(&prefix, &[]).ok();
    assert_eq!(tree(&prefix), before);

    // Uninstall removes every file and the directories it created: the prefix did not exist before.
    let gone = install_sh(&prefix, &["--uninstall"]).ok();
    gone.stdout_has("removed");
    assert!(!prefix.exists(), "left behind: {:?}", tree(&prefix));
    // In an existing prefix, what was there before stays.
    std::fs::create_dir_all(prefix.join("bin")).unwrap();
    std::fs::write(prefix.join("bin/other-tool"), "x").unwrap();
    install_sh(&prefix, &[]).ok();
    install_sh(&prefix, &["--uninstall"]).ok();
    assert_eq!(tree(&prefix), vec!["bin", "bin/other-tool"]);
}
