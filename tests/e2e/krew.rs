//! The release archive installed, upgraded and uninstalled by the real krew (v0.4.3, built by
//! `tests/cluster/build-binaries krew` like the cluster's components), its manifest checked by the real
//! `validate-krew-manifest`, and every verb run through the one binary krew links, with the real kubectl.
//!
//! Nothing reaches the network: krew's plugin index is a local git repository (`KREW_DEFAULT_INDEX_URI`;
//! `kubectl krew update` clones and fetches it), and the archives' `uri`s point at a loopback HTTP server
//! that serves the `dist` directory. Archives are packaged from the debug binaries (`packaging/release.sh
//! --from target/debug`; build them first with `cargo build --workspace --bins`).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use testkit::{Run, cluster::workspace_root, env, target_dir};

use crate::distribution::{Scratch, clean_path, install_sh, suite_binaries, tree};

/// Where the release manifest says the archives are (`packaging/krew/.krew.yaml`).
const RELEASES: &str = "https://github.com/kubectl-osb/kubectl-osb/releases/download/";

const PAYLOAD: &str = r#"{"clusterName": "krew-db", "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}],
  "provider": {"name": "AWS_VPC"}, "dataCentre": "US_WEST_2", "nodeSize": "t3.small"}"#;

/// `krew` and `validate-krew-manifest` (built once per test process).
fn krew_tools() -> &'static (PathBuf, PathBuf) {
    static TOOLS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    TOOLS.get_or_init(|| {
        (
            built_tool("krew", "KREW_BIN"),
            built_tool("krew", "VALIDATE_KREW_MANIFEST_BIN"),
        )
    })
}

/// A tool built (or found in the cache) by `tests/cluster/build-binaries COMPONENT`, or `$KEY` when set
/// (what tests/run-all exports).
fn built_tool(component: &str, key: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(key)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
    {
        return p;
    }
    let out = Command::new(workspace_root().join("tests/cluster/build-binaries"))
        .arg(component)
        .stderr(Stdio::inherit())
        .output()
        .expect("running tests/cluster/build-binaries");
    assert!(out.status.success(), "building {component} failed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let path = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no {key}= in {stdout}"));
    assert!(path.is_file(), "{}", path.display());
    path
}

/// A loopback HTTP server for the files under a directory; it records the paths asked for.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

fn serve(root: PathBuf) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(read_half);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(n) if n > 0 && header.trim_end() != "" => {}
                    _ => break,
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            log.lock().unwrap().push(path.clone());
            let body = (!path.contains(".."))
                .then(|| std::fs::read(root.join(path.trim_start_matches('/'))).ok())
                .flatten();
            let _ = match body {
                Some(b) => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            b.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|()| stream.write_all(&b)),
                None => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    Server { base, requests }
}

/// One krew installation: its root, the local index repository it follows, kubectl with krew on PATH.
struct Krew {
    root: PathBuf,
    index_repo: PathBuf,
    tools: PathBuf,
    tmp: PathBuf,
}

impl Krew {
    fn new(scratch: &Path) -> Self {
        let (krew, _) = krew_tools();
        let k = Krew {
            root: scratch.join("krew-root"),
            index_repo: scratch.join("krew-index"),
            tools: scratch.join("tools"),
            tmp: scratch.join("tmp"),
        };
        std::fs::create_dir_all(&k.tools).unwrap();
        std::fs::create_dir_all(&k.tmp).unwrap();
        // kubectl runs `kubectl krew …` as the plugin kubectl-krew (krew installs itself that way).
        std::os::unix::fs::symlink(krew, k.tools.join("kubectl-krew")).unwrap();
        // The plugin index: a git repository with krew-index's layout (plugins/NAME.yaml).
        std::fs::create_dir_all(k.index_repo.join("plugins")).unwrap();
        std::fs::write(k.index_repo.join("plugins/.keep"), "").unwrap();
        k.git(&["init", "--quiet", "--initial-branch=master"]);
        k.git(&["add", "--all"]);
        k.git(&["commit", "--quiet", "--message", "an empty index"]);
        k
    }

    fn git(&self, args: &[&str]) {
        let mut c = Command::new("git");
        c.arg("-C")
            .arg(&self.index_repo)
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args(args);
        testkit::run(&mut c, None).ok();
    }

    /// Put a manifest into the index, as a merged krew-index pull request does.
    fn publish(&self, manifest: &str) {
        std::fs::write(self.index_repo.join("plugins/osb.yaml"), manifest).unwrap();
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--message", "osb"]);
    }

    fn path(&self) -> std::ffi::OsString {
        let mut dirs = vec![self.root.join("bin"), self.tools.clone()];
        dirs.extend(clean_path());
        std::env::join_paths(dirs).unwrap()
    }

    fn cmd(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", self.path())
            .env("KREW_ROOT", &self.root)
            .env("KREW_NO_UPGRADE_CHECK", "1")
            .env("KREW_DEFAULT_INDEX_URI", &self.index_repo)
            .env("TMPDIR", &self.tmp)
            .env("KUBECONFIG", &env().cp.kubeconfig);
        c
    }

    /// `kubectl ARGS…` with krew's bin directory first on a clean PATH.
    fn kubectl(&self, args: &[&str]) -> Run {
        testkit::run(self.cmd(Path::new("kubectl")).args(args), None)
    }

    fn kubectl_stdin(&self, args: &[&str], input: &str) -> Run {
        testkit::run(self.cmd(Path::new("kubectl")).args(args), Some(input))
    }

    fn validate(&self, manifest: &Path, extra: &[&str]) -> Run {
        let (_, validate) = krew_tools();
        let mut c = self.cmd(validate);
        c.arg("-manifest").arg(manifest).args(extra);
        testkit::run(&mut c, None)
    }

    /// Where `bin/kubectl-osb` points.
    fn link(&self) -> PathBuf {
        std::fs::read_link(self.root.join("bin/kubectl-osb")).unwrap()
    }

    /// What the krew root holds outside the index (which krew keeps for other plugins).
    fn files(&self) -> Vec<String> {
        tree(&self.root)
            .into_iter()
            .filter(|p| !p.starts_with("index/"))
            .collect()
    }
}

/// The verbs (`convert-json`), from the binaries (`kubectl-osb-convert_json`).
fn verbs(bins: &[String]) -> Vec<String> {
    bins.iter()
        .filter_map(|b| b.strip_prefix("kubectl-osb-"))
        .map(|v| v.replace('_', "-"))
        .collect()
}

/// `packaging/release.sh --from target/debug --tag TAG --out DIST/TAG`: the archive and its manifest.
fn release(dist: &Path, tag: &str) -> (PathBuf, PathBuf) {
    let out = dist.join(tag);
    let mut c = Command::new(workspace_root().join("packaging/release.sh"));
    c.arg("--from")
        .arg(target_dir())
        .arg("--tag")
        .arg(tag)
        .arg("--out")
        .arg(&out);
    let made = testkit::run(&mut c, None).ok();
    let mut lines = made.stdout.lines().map(PathBuf::from);
    let archive = lines.next().unwrap();
    assert_eq!(
        archive.file_name().unwrap().to_string_lossy(),
        format!("kubectl-osb_{tag}_linux_amd64.tar.gz")
    );
    (archive, lines.next().unwrap())
}

fn yaml(path: &Path) -> serde_json::Value {
    osb::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `os/arch` of every platform of a manifest.
fn platforms(manifest: &serde_json::Value) -> Vec<String> {
    manifest["spec"]["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let l = &p["selector"]["matchLabels"];
            format!(
                "{}/{}",
                l["os"].as_str().unwrap(),
                l["arch"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn krew_installs_upgrades_and_uninstalls_the_one_binary_archive() {
    let bins = suite_binaries();
    let verbs = verbs(&bins);
    assert!(verbs.len() >= 10, "{bins:?}");
    let scratch = Scratch::new("krew-krew");
    let krew = Krew::new(&scratch.0);
    let dist = scratch.0.join("dist");
    let (archive1, manifest1) = release(&dist, "v0.1.0");
    let (archive2, manifest2) = release(&dist, "v0.1.1");

    // The archive: one executable, LICENSE, README, its completion scripts, a man page per binary named
    // after the binary (kubectl-osb-convert_json.1).
    let mut c = Command::new("tar");
    c.arg("tzf").arg(&archive1);
    let listed = testkit::run(&mut c, None).ok().stdout;
    let files: Vec<&str> = listed.lines().filter(|l| !l.ends_with('/')).collect();
    let mut expected: Vec<String> = [
        "LICENSE",
        "README.md",
        "completions/bash/kubectl-osb",
        "completions/fish/kubectl-osb.fish",
        "completions/zsh/_kubectl-osb",
        "kubectl-osb",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    expected.extend(bins.iter().map(|b| format!("man/man1/{b}.1")));
    expected.sort();
    assert_eq!(files, expected, "{listed}");
    let size = std::fs::metadata(&archive1).unwrap().len();
    eprintln!("archive of the debug build: {size} bytes");

    // Honest platforms: the rendered manifest lists what this machine built, nothing else.
    let m1 = yaml(&manifest1);
    assert_eq!(platforms(&m1), ["linux/amd64"], "{m1}");
    assert_eq!(m1["spec"]["platforms"][0]["bin"], "kubectl-osb");
    assert_eq!(m1["spec"]["version"], "v0.1.0");
    // The real validate-krew-manifest: the release manifest's structure (its archive is not uploaded, so
    // no install here), then below the loopback one including its install for every platform.
    let checked = krew.validate(&manifest1, &["-skip-install"]);
    checked.code(0).stderr_has("structural validation OK");
    // krew itself refuses the manifest on a platform it does not list.
    let mut other = krew.cmd(Path::new("kubectl"));
    other
        .env("KREW_ROOT", scratch.0.join("krew-darwin"))
        .env("KREW_OS", "darwin")
        .env("KREW_ARCH", "arm64")
        .arg("krew")
        .arg("install")
        .arg(format!("--manifest={}", manifest1.display()))
        .arg(format!("--archive={}", archive1.display()));
    let refused = testkit::run(&mut other, None);
    assert_ne!(refused.code, 0, "{refused:#?}");
    refused.stderr_has("does not offer installation for this platform");

    // The index (empty) is there first, as on every krew installation; uninstall needs it.
    let update = krew.kubectl(&["krew", "update"]).ok();
    update.stderr_has("Updated the local copy of plugin index");
    let pristine = krew.files();
    assert_eq!(pristine, ["bin", "index", "receipts", "store"]);

    // 1. The developer's path: a local manifest and archive.
    let installed = krew
        .kubectl(&[
            "krew",
            "install",
            &format!("--manifest={}", manifest1.display()),
            &format!("--archive={}", archive1.display()),
        ])
        .ok();
    installed
        .stderr_has("Installed plugin: osb")
        .stderr_has("kubectl osb completion install");
    assert_eq!(krew.link(), krew.root.join("store/osb/v0.1.0/kubectl-osb"));
    // No verb binaries anywhere: the one binary runs every verb itself.
    assert!(
        !krew
            .files()
            .iter()
            .any(|f| f.contains("kubectl-osb-") && !f.starts_with("store/osb/v0.1.0/man/")),
        "{:?}",
        krew.files()
    );

    // krew upgrades only what it installed from an index; a local manifest is "detached".
    let detached = krew.kubectl(&["krew", "upgrade"]).ok();
    detached.stderr_has("because it was installed via manifest");

    let listing = krew.kubectl(&["osb"]).ok();
    for v in &verbs {
        listing.clone().stdout_has(&format!("\n  {v} "));
    }
    for v in &verbs {
        let help = krew.kubectl(&["osb", v, "--help"]);
        let help = help.code(0).stdout_has(&format!("Usage: kubectl osb {v}"));
        assert!(help.stderr.is_empty(), "{v}: {help:#?}");
    }
    let help = krew.kubectl(&["osb", "help", "wait"]).ok();
    help.stdout_has("Usage: kubectl osb wait");

    // Real verbs against the test cluster.
    let catalog = krew.kubectl(&["osb", "catalog"]).ok();
    catalog.stdout_has("cassandra");
    let check = krew.kubectl(&["osb", "catalog", "--check"]);
    assert_eq!(check.code, 0, "{check:#?}");
    let converted = krew.kubectl_stdin(&["osb", "convert-json"], PAYLOAD).ok();
    assert!(
        converted.stdout.contains("kind: ServiceInstance") && converted.stdout.contains("krew-db"),
        "{converted:#?}"
    );
    let version = krew.kubectl(&["osb", "version"]).ok();
    version.stdout_starts(&format!(
        "kubectl-osb {}\ncommit: ",
        env!("CARGO_PKG_VERSION")
    ));

    // In-process verbs behave exactly as their own binaries: output, messages and exit codes.
    let namespace = format!("krew-{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    for args in [
        &["catalog", "-o", "name"][..],
        &["catalog", "--bogus"],
        &["describe", "no-such-instance", "-n", namespace.as_str()],
        &["get", "instances", "-n", namespace.as_str()],
        &["wait"],
        &["convert-json", "--no-such-flag"],
    ] {
        let (verb, rest) = args.split_first().unwrap();
        let mut through_krew = vec!["osb", verb];
        through_krew.extend_from_slice(rest);
        let a = krew.kubectl(&through_krew);
        let own = target_dir().join(format!("kubectl-osb-{}", verb.replace('-', "_")));
        let mut c = krew.cmd(&own);
        c.args(rest);
        let b = testkit::run(&mut c, None);
        assert_eq!(
            (a.code, &a.stdout, &a.stderr),
            (b.code, &b.stdout, &b.stderr),
            "{args:?}"
        );
    }
    let bad = krew.kubectl(&["osb", "catalog", "--bogus"]);
    assert_eq!(bad.code, 2, "{bad:#?}");
    let typo = krew.kubectl(&["osb", "provison"]);
    typo.code(2).stderr_has("Did you mean this?\n\tprovision");

    // `kubectl plugin list` sees the one krew link (and krew), no warnings.
    let plugins = krew.kubectl(&["plugin", "list"]).ok();
    assert!(!plugins.stderr.contains("warning"), "{plugins:#?}");
    let osb: Vec<&str> = plugins
        .stdout
        .lines()
        .filter(|l| l.contains("kubectl-osb") || l.contains("kubectl_complete"))
        .collect();
    assert_eq!(
        osb,
        [krew.root.join("bin/kubectl-osb").to_str().unwrap()],
        "{plugins:#?}"
    );

    // An extension (a `kubectl-osb-X` that is not a verb of the suite) still runs as its own program.
    let ext = scratch.0.join("extension");
    std::fs::create_dir_all(&ext).unwrap();
    std::fs::write(
        ext.join("kubectl-osb-extra"),
        "#!/bin/sh\necho \"extra $*\"\nexit 7\n",
    )
    .unwrap();
    std::fs::set_permissions(
        ext.join("kubectl-osb-extra"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let with_extension = |args: &[&str]| {
        let mut path = vec![ext.clone()];
        path.extend(std::env::split_paths(&krew.path()));
        let mut c = krew.cmd(&krew.root.join("bin/kubectl-osb"));
        c.env("PATH", std::env::join_paths(path).unwrap())
            .args(args);
        testkit::run(&mut c, None)
    };
    let extra = with_extension(&["extra", "a", "b"]);
    assert_eq!(
        (extra.code, extra.stdout.as_str()),
        (7, "extra a b\n"),
        "{extra:#?}"
    );
    let listed = with_extension(&[]).ok();
    listed.stdout_has("\n  extra ");

    // Completion through kubectl_complete-osb, which `kubectl osb completion install` links.
    let before = krew.kubectl(&["__complete", "osb", "catalog", "--cl"]).ok();
    assert!(!before.stdout.contains("--class"), "{before:#?}");
    krew.kubectl(&["osb", "completion", "install"]).ok();
    assert_eq!(
        std::fs::read_link(krew.root.join("bin/kubectl_complete-osb")).unwrap(),
        PathBuf::from("kubectl-osb")
    );
    let flags = krew.kubectl(&["__complete", "osb", "catalog", "--cl"]).ok();
    assert!(
        flags.stdout.lines().any(|l| l.starts_with("--class\t")),
        "{flags:#?}"
    );
    let classes = krew
        .kubectl(&["__complete", "osb", "provision", "db", "--class", ""])
        .ok();
    assert!(
        classes.stdout.lines().any(|l| l.starts_with("cassandra\t")),
        "{classes:#?}"
    );
    let offered = krew.kubectl(&["__complete", "osb", ""]).ok();
    for v in verbs
        .iter()
        .map(String::as_str)
        .chain(["completion", "version"])
    {
        assert!(
            offered
                .stdout
                .lines()
                .any(|l| l.split('\t').next() == Some(v)),
            "{v} not offered: {offered:#?}"
        );
    }

    // Uninstall: the completion links first (krew removes only its own files), then the plugin.
    krew.kubectl(&["osb", "completion", "uninstall"]).ok();
    let gone = krew.kubectl(&["krew", "uninstall", "osb"]).ok();
    gone.stderr_has("Uninstalled plugin: osb");
    assert_eq!(krew.files(), pristine);

    // 2. The user's path: the manifest in the index, the archive downloaded from its uri (loopback here).
    let server = serve(dist.clone());
    let local = |m: &Path| {
        std::fs::read_to_string(m)
            .unwrap()
            .replace(RELEASES, &server.base)
    };
    let served1 = dist.join("served-v0.1.0/osb.yaml");
    std::fs::create_dir_all(served1.parent().unwrap()).unwrap();
    std::fs::write(&served1, local(&manifest1)).unwrap();
    // The full check of the real validator: structure, then `kubectl krew install` of every platform.
    let checked = krew.validate(&served1, &[]);
    checked
        .code(0)
        .stderr_has("all 1 spec.platforms installed fine");

    krew.publish(&local(&manifest1));
    let installed = krew.kubectl(&["krew", "install", "osb"]).ok();
    installed.stderr_has("Installed plugin: osb");
    assert!(
        server
            .requests
            .lock()
            .unwrap()
            .contains(&"/v0.1.0/kubectl-osb_v0.1.0_linux_amd64.tar.gz".to_string()),
        "krew downloaded the archive"
    );
    assert_eq!(krew.link(), krew.root.join("store/osb/v0.1.0/kubectl-osb"));
    krew.kubectl(&["osb", "completion", "install"]).ok();
    let catalog = krew.kubectl(&["osb", "catalog"]).ok();
    catalog.stdout_has("cassandra");

    // A new version is published; `kubectl krew upgrade` fetches the index and installs it. (v0.1.1 is
    // the same build packaged under another tag: the archive holds no version, so its bytes are the same;
    // what changes is what krew acts on, the manifest's version.)
    let m2 = yaml(&manifest2);
    assert_eq!(m2["spec"]["version"], "v0.1.1");
    assert_eq!(platforms(&m2), ["linux/amd64"], "{m2}");
    krew.publish(&local(&manifest2));
    let upgraded = krew.kubectl(&["krew", "upgrade", "osb"]).ok();
    upgraded.stderr_has("Upgraded plugin: osb");
    assert_eq!(krew.link(), krew.root.join("store/osb/v0.1.1/kubectl-osb"));
    let fetched = format!(
        "/v0.1.1/{}",
        archive2.file_name().unwrap().to_string_lossy()
    );
    assert!(
        server.requests.lock().unwrap().contains(&fetched),
        "krew downloaded {fetched}"
    );
    assert!(
        !krew.root.join("store/osb/v0.1.0").exists(),
        "the old version is removed: {:?}",
        krew.files()
    );
    let receipt = std::fs::read_to_string(krew.root.join("receipts/osb.yaml")).unwrap();
    assert!(receipt.contains("version: v0.1.1"), "{receipt}");
    // The verbs and the completion link (relative to bin/kubectl-osb) follow the upgrade.
    let catalog = krew.kubectl(&["osb", "catalog", "-o", "name"]).ok();
    catalog.stdout_has("cassandra");
    let flags = krew.kubectl(&["__complete", "osb", "catalog", "--cl"]).ok();
    assert!(
        flags.stdout.lines().any(|l| l.starts_with("--class\t")),
        "{flags:#?}"
    );
    let again = krew.kubectl(&["krew", "upgrade"]).ok();
    again.stderr_has("it is already on the newest version");

    krew.kubectl(&["osb", "completion", "uninstall"]).ok();
    krew.kubectl(&["krew", "uninstall", "osb"]).ok();
    assert_eq!(krew.files(), pristine);
    // krew's download staging directories are gone too.
    assert_eq!(tree(&krew.tmp), Vec::<String>::new());
}

/// install.sh: a man page per installed binary, named after it; `--uninstall` leaves nothing behind.
#[test]
fn install_sh_man_pages_match_the_binaries_and_uninstall_leaves_nothing() {
    let bins = suite_binaries();
    let scratch = Scratch::new("krew-install");
    let prefix = scratch.0.join("prefix");
    let install = |extra: &[&str]| install_sh(&prefix, extra).ok();
    install(&[]);
    let mut pages: Vec<String> = std::fs::read_dir(prefix.join("share/man/man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut expected: Vec<String> = bins.iter().map(|b| format!("{b}.1")).collect();
    expected.sort();
    assert_eq!(pages, expected);
    assert!(pages.contains(&"kubectl-osb-convert_json.1".to_string()));
    for b in &bins {
        assert!(prefix.join("bin").join(b).is_file(), "{b}");
    }
    let gone = install(&["--uninstall"]);
    gone.stdout_has("removed");
    assert!(!prefix.exists(), "left behind: {:?}", tree(&prefix));
}

/// The release workflow only a hosted CI runs is at least well-formed: actionlint (syntax, expressions,
/// action inputs, runner labels, contexts).
#[test]
fn release_workflow_passes_actionlint() {
    let actionlint = built_tool("actionlint", "ACTIONLINT_BIN");
    let mut c = Command::new(actionlint);
    c.arg("-no-color")
        .arg(".github/workflows/release.yml")
        .current_dir(workspace_root());
    let linted = testkit::run(&mut c, None);
    assert_eq!(linted.code, 0, "{linted:#?}");
    // And it does look: the same workflow with an undefined matrix key is refused.
    let scratch = Scratch::new("krew-actionlint");
    let workflow = std::fs::read_to_string(workspace_root().join(".github/workflows/release.yml"))
        .unwrap()
        .replacen("${{ matrix.target }}", "${{ matrix.triple }}", 1);
    let broken = scratch.0.join("release.yml");
    std::fs::write(&broken, workflow).unwrap();
    let mut c = Command::new(built_tool("actionlint", "ACTIONLINT_BIN"));
    c.arg("-no-color").arg(&broken);
    let refused = testkit::run(&mut c, None);
    assert_eq!(refused.code, 1, "{refused:#?}");
    refused.stdout_has("triple");
}
