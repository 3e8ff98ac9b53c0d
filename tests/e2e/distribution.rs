//! Issue 7: distribution. The release archive installed the way krew does it (only `kubectl-osb` on
//! PATH), install.sh into a temporary prefix, `kubectl plugin list`, and completion through kubectl's
//! plugin-completion protocol, all with the real kubectl.
//!
//! Release builds are slow here, so the archive and install.sh take the debug binaries
//! (`packaging/release.sh --from target/debug`, `install.sh --from target/debug`); build them first
//! with `cargo build --workspace --bins`.

use std::path::{Path, PathBuf};
use std::process::Command;

use testkit::{Run, cluster::workspace_root, env, target_dir};

/// A scratch directory removed at the end of the test (kept when it fails, for a look).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "osb-dist-{name}-{}",
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

/// The system PATH without any directory holding kubectl-osb files (so only what a test installs counts).
fn clean_path() -> Vec<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| {
            !std::fs::read_dir(d).is_ok_and(|mut es| {
                es.any(|e| {
                    e.is_ok_and(|e| {
                        let n = e.file_name().to_string_lossy().into_owned();
                        n.starts_with("kubectl-osb") || n.starts_with("kubectl_complete-osb")
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
fn suite_binaries() -> Vec<String> {
    let mut c = Command::new(target_dir().join("osb-gen"));
    c.arg("bins");
    let out = run(c, None).ok();
    out.stdout.lines().map(str::to_string).collect()
}

const PAYLOAD: &str = r#"{"clusterName": "dist-db", "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}],
  "provider": {"name": "AWS_VPC"}, "dataCentre": "US_WEST_2", "nodeSize": "t3.small"}"#;

/// The verb whose --help the krew-layout test shows: provision when the suite has it.
fn help_verb(bins: &[String]) -> &'static str {
    if bins.iter().any(|b| b == "kubectl-osb-provision") {
        "provision"
    } else {
        "catalog"
    }
}

/// What `kubectl krew install --manifest M --archive A` does for one plugin (krew
/// internal/installation/install.go): check the sha256 against the manifest's platform, unpack into
/// `store/<name>/<version>/` (the manifest has no `files`, so everything is kept) and link
/// `bin/kubectl-<name>` to the platform's `bin`.
fn krew_install(root: &Path, manifest: &serde_json::Value, archive: &Path) -> PathBuf {
    let platform = &manifest["spec"]["platforms"].as_array().unwrap()[0];
    assert!(
        platform.get("files").is_none(),
        "the emulation handles the default files only"
    );
    let sha = Command::new("sha256sum").arg(archive).output().unwrap();
    let sha = String::from_utf8_lossy(&sha.stdout);
    assert_eq!(
        sha.split_whitespace().next().unwrap(),
        platform["sha256"].as_str().unwrap(),
        "the manifest's sha256 is the archive's"
    );
    let version = manifest["spec"]["version"].as_str().unwrap();
    let store = root.join("store/osb").join(version);
    std::fs::create_dir_all(&store).unwrap();
    let untar = Command::new("tar")
        .arg("xzf")
        .arg(archive)
        .arg("-C")
        .arg(&store)
        .status()
        .unwrap();
    assert!(untar.success());
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        store.join(platform["bin"].as_str().unwrap()),
        bin.join("kubectl-osb"),
    )
    .unwrap();
    bin
}

#[test]
fn the_release_archive_in_the_krew_layout_runs_every_verb_through_kubectl() {
    let bins = suite_binaries();
    let scratch = Scratch::new("krew");
    let dist = scratch.0.join("dist");
    // One command builds the archive and the manifest (here from the debug binaries).
    let mut c = Command::new(workspace_root().join("packaging/release.sh"));
    c.arg("--from").arg(target_dir()).arg("--out").arg(&dist);
    let made = run(c, None).ok();
    let archive = PathBuf::from(made.stdout.lines().next().unwrap());
    let file = archive.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        file.starts_with("kubectl-osb_v") && file.ends_with("_linux_amd64.tar.gz"),
        "{file}"
    );

    // The archive holds every binary, LICENSE, completions and man pages.
    let list = run(
        {
            let mut c = Command::new("tar");
            c.arg("tzf").arg(&archive);
            c
        },
        None,
    )
    .ok()
    .stdout;
    for b in &bins {
        assert!(list.lines().any(|l| l == b), "{b} missing from:\n{list}");
        assert!(
            list.lines()
                .any(|l| l.starts_with("completions/bash/") && l.ends_with(b.as_str())),
            "bash completion of {b} missing from:\n{list}"
        );
    }
    for f in [
        "LICENSE",
        "man/man1/kubectl-osb.1",
        "completions/zsh/_kubectl-osb",
    ] {
        assert!(list.lines().any(|l| l == f), "{f} missing from:\n{list}");
    }

    // The rendered manifest passes krew's validation rules.
    let manifest_path = dist.join("osb.yaml");
    let mut c = Command::new(target_dir().join("osb-gen"));
    c.arg("validate-krew").arg(&manifest_path);
    run(c, None).ok();
    let manifest: serde_json::Value =
        osb::yaml::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(
        manifest["spec"]["platforms"][0]["bin"], "kubectl-osb",
        "{manifest}"
    );

    let bin = krew_install(&scratch.0.join("krew"), &manifest, &archive);

    // kubectl finds only kubectl-osb; the dispatcher runs the verbs next to its resolved executable.
    let list = kubectl(&bin, &["osb"], None).ok();
    assert!(list.stdout.contains("\n  catalog "), "{list:?}");
    assert!(list.stdout.contains("\n  convert-json "), "{list:?}");
    let verb = help_verb(&bins);
    let help = kubectl(&bin, &["osb", verb, "--help"], None).ok();
    assert!(
        help.stdout.contains(&format!("kubectl osb {verb}")),
        "{help:?}"
    );
    let converted = kubectl(&bin, &["osb", "convert-json"], Some(PAYLOAD)).ok();
    assert!(
        converted.stdout.contains("kind: ServiceInstance") && converted.stdout.contains("dist-db"),
        "{converted:?}"
    );
    let catalog = kubectl(&bin, &["osb", "catalog"], None).ok();
    assert!(catalog.stdout.contains("cassandra"), "{catalog:?}");
    // Exit codes pass through: a usage error of the verb is the verb's exit 2.
    let bad = kubectl(&bin, &["osb", "catalog", "--bogus"], None);
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("--bogus"), "{bad:?}");

    let version = kubectl(&bin, &["osb", "version"], None).ok();
    assert!(
        version.stdout.starts_with(&format!(
            "kubectl-osb {}\ncommit: ",
            env!("CARGO_PKG_VERSION")
        )),
        "{version:?}"
    );
    assert!(version.stdout.contains("\nkube: 5."), "{version:?}");
    assert!(version.stdout.contains("\nk8s-openapi: 0."), "{version:?}");

    let typo = kubectl(&bin, &["osb", "provison"], None);
    assert_eq!(typo.code, 2, "{typo:?}");
    assert!(
        typo.stderr.contains(
            "unknown command \"provison\" for \"kubectl osb\"\n\nDid you mean this?\n\tprovision"
        ),
        "{typo:?}"
    );

    // `kubectl plugin list`: exactly the one krew link, no warnings.
    let plugins = kubectl(&bin, &["plugin", "list"], None).ok();
    assert!(!plugins.stderr.contains("warning"), "{plugins:?}");
    let listed: Vec<&str> = plugins
        .stdout
        .lines()
        .filter(|l| l.contains("kubectl-osb"))
        .collect();
    assert_eq!(
        listed,
        vec![bin.join("kubectl-osb").to_str().unwrap()],
        "{plugins:?}"
    );

    // Completion for krew users: one command writes the helper; kubectl then completes through it.
    let before = kubectl(&bin, &["__complete", "osb", "catalog", "--cl"], None).ok();
    assert!(!before.stdout.contains("--class"), "{before:?}");
    let installed = kubectl(&bin, &["osb", "completion", "install"], None).ok();
    assert!(
        installed.stdout.contains("kubectl_complete-osb"),
        "{installed:?}"
    );
    assert_eq!(
        std::fs::read_link(bin.join("kubectl_complete-osb")).unwrap(),
        PathBuf::from("kubectl-osb")
    );
    let flags = kubectl(&bin, &["__complete", "osb", "catalog", "--cl"], None).ok();
    assert!(
        flags.stdout.lines().any(|l| l.starts_with("--class\t")),
        "{flags:?}"
    );
    assert!(flags.stdout.contains("\n:4\n"), "{flags:?}");
    let classes = kubectl(&bin, &["__complete", "osb", "catalog", "--class", ""], None).ok();
    for class in ["cassandra", "kafka", "spark"] {
        assert!(
            classes
                .stdout
                .lines()
                .any(|l| l.starts_with(&format!("{class}\t"))),
            "{class} not offered: {classes:?}"
        );
    }
    let verbs = kubectl(&bin, &["__complete", "osb", ""], None).ok();
    for v in ["catalog", "convert-json", "completion", "version"] {
        assert!(
            verbs
                .stdout
                .lines()
                .any(|l| l.split('\t').next() == Some(v)),
            "{v} not offered: {verbs:?}"
        );
    }
    kubectl(&bin, &["osb", "completion", "uninstall"], None).ok();
    assert!(std::fs::symlink_metadata(bin.join("kubectl_complete-osb")).is_err());
}

/// Every file and directory under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
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

fn install_sh(prefix: &Path, extra: &[&str]) -> Run {
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
    let scratch = Scratch::new("install");
    let prefix = scratch.0.join("prefix");
    let first = install_sh(&prefix, &[]).ok();
    assert!(
        first.stdout.contains("is not on your PATH"),
        "the bin directory is not on PATH: {first:?}"
    );
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
    assert!(plans.stdout.starts_with("kafka\t"), "{plans:?}");
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
    assert!(gone.stdout.contains("removed"), "{gone:?}");
    assert!(!prefix.exists(), "left behind: {:?}", tree(&prefix));
    // In an existing prefix, what was there before stays.
    std::fs::create_dir_all(prefix.join("bin")).unwrap();
    std::fs::write(prefix.join("bin/other-tool"), "x").unwrap();
    install_sh(&prefix, &[]).ok();
    install_sh(&prefix, &["--uninstall"]).ok();
    assert_eq!(tree(&prefix), vec!["bin", "bin/other-tool"]);
}
