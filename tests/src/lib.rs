//! Test kit: the local test cluster and [`env`], the one shared environment an end-to-end test binary
//! starts on first use:
//!
//! - [`cluster`]: etcd + kube-apiserver on loopback, the Service Catalog CRDs, process supervision;
//! - [`catalog`]: the real Service Catalog v0.3.1 (webhook + controller-manager) and the brokers it drives
//!   over HTTP — ours ([`broker`], Instaclustr-like) and the upstream test-broker;
//! - [`jobs`]: the real job controller, the scheduler and kwok's fake node, so Jobs run, complete and fail;
//! - [`launcher`]: for the benchmarks, a command's peak RSS measured in a small launcher process;
//! - a directory of the built `kubectl-osb-*` plugins put first on `PATH`, so that tests call them through
//!   the real `kubectl`;
//! - [`kit`]: what a test is written with — the verbs as builders (`env.provision(&ns, "db")…wait()`), a
//!   namespace that checks at the test's end that nothing is left retrying, [`eventually`], manifests,
//!   reads, our broker in-process; [`snapshot`]: the volatile parts of a table redacted for a snapshot.
//!
//! `tests/README.md` says how to write an end-to-end test.

mod api;
pub mod bench;
pub mod broker;
pub mod catalog;
pub mod cluster;
pub mod jobs;
pub mod kit;
pub mod launcher;
pub mod snapshot;

pub use kit::{
    Manifest, Namespace, Osb, PATIENCE, SETTLE, WAIT_TIMEOUT, binding, eventually, instance, setup,
};

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use cluster::ControlPlane;

/// The shared environment of one test process.
pub struct Env {
    pub cp: ControlPlane,
    /// The real Service Catalog and its brokers.
    pub catalog: catalog::Catalog,
    /// Directory holding the plugin binaries (symlinks), first on `PATH` for kubectl.
    pub plugin_dir: PathBuf,
    /// Whether a test's [`Namespace`] checks at its end that nothing is left retrying (the shared
    /// cluster, whose controller retries for 7 days).
    check_leftovers: bool,
    /// The client of the kit's in-process reads ([`api`]), made on first use.
    reader: OnceLock<kube::Client>,
}

/// The shared environments of one test process (see [`env`]).
static ENVS: [OnceLock<Env>; SHARDS] = [const { OnceLock::new() }; SHARDS];
static SHORT_RETRY_ENV: OnceLock<Env> = OnceLock::new();

/// How many shared environments the tests are spread over. The v0.3.1 controller-manager talks to the API
/// server at client-go's default rate (5 requests/s, bursts of 10: it has no flag for it, and it logs
/// `Throttling request took …` at `-v=3`); with every test on one controller, tests waited on that limit
/// more than on anything else. Each shared environment is a whole cluster with its own controller.
pub const SHARDS: usize = 3;

/// How long the controller of [`short_retry_env`] retries a failing operation before it gives up.
pub const SHORT_RETRY: std::time::Duration = std::time::Duration::from_secs(10);

/// The directory cargo put the binaries in (`target/debug`), found from the running test executable.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let mut dir = exe.parent().expect("exe dir").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir
}

/// Which shared environment the tests of a file use: every call from one file gets the same one, so a test
/// (and the threads it starts) always sees one cluster. Files are listed so that the load of the slow
/// files (by their tests' summed time) is even; a file not listed goes by the length of its name.
fn shard_of(file: &str) -> usize {
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    match stem {
        "rbac" | "real_controller" | "schemas" | "foundation" | "krew" | "kubectl_get"
        | "leaks" => 0,
        "broker" | "pipeline" | "concurrency" | "one_model" | "events" | "instaclustr_v2"
        | "kit" => 1,
        "wait" | "lifecycle" | "abandon" | "paging" | "async_bindings" | "credentials" => 2,
        other => other.len() % SHARDS,
    }
}

/// Start (once) and return the shared environment of the calling file (see [`shard_of`]): the catalog as
/// upstream runs it (retries for 7 days), with both brokers, and the job controller with kwok.
#[track_caller]
pub fn env() -> &'static Env {
    let shard = shard_of(std::panic::Location::caller().file());
    ENVS[shard].get_or_init(|| {
        let mut env = start_env(&catalog::CatalogOptions::default(), true);
        env.check_leftovers = true;
        env
    })
}

/// A second shared environment whose controller gives up on a failing operation after [`SHORT_RETRY`]
/// (`--reconciliation-retry-duration`), so that a refused deprovision turns into an orphan
/// (`deprovisionStatus: Failed`) within a test's time, as it does after 7 days on a default cluster.
pub fn short_retry_env() -> &'static Env {
    SHORT_RETRY_ENV.get_or_init(|| {
        let opts = catalog::CatalogOptions {
            reconciliation_retry: SHORT_RETRY,
            test_broker: false,
            ..Default::default()
        };
        start_env(&opts, false)
    })
}

/// A private environment (own control plane and catalog) for a test that disturbs the API server
/// (e.g. restarts it) or the controller, and so must not share one with other tests. Stopped when dropped.
pub fn isolated_env() -> Env {
    let opts = catalog::CatalogOptions {
        test_broker: false,
        ..Default::default()
    };
    start_env(&opts, false)
}

fn start_env(opts: &catalog::CatalogOptions, jobs: bool) -> Env {
    // Lists and watches of instances and bindings are audited, so tests can count pages and watches.
    let cp = ControlPlane::start_with(None, Some(cluster::AUDIT_LISTS), &[])
        .unwrap_or_else(|e| panic!("starting the local control plane: {e:#}"));
    let bins = cluster::Binaries::get().unwrap_or_else(|e| panic!("{e:#}"));
    let catalog = catalog::start(&cp, &bins, opts)
        .unwrap_or_else(|e| panic!("starting the Service Catalog: {e:#}"));
    if jobs {
        jobs::start(&cp, &bins)
            .unwrap_or_else(|e| panic!("starting the job controller and kwok: {e:#}"));
    }
    let plugin_dir = cp.dir.join("plugins");
    link_plugins(&target_dir(), &plugin_dir).unwrap_or_else(|e| panic!("{e:#}"));
    Env {
        cp,
        catalog,
        plugin_dir,
        check_leftovers: false,
        reader: OnceLock::new(),
    }
}

/// Symlink every `kubectl-osb*` / `kubectl_complete-osb*` binary of `from` into `to`.
pub fn link_plugins(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut found = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_plugin = name.starts_with("kubectl-osb") || name.starts_with("kubectl_complete-osb");
        if is_plugin && !name.ends_with(".d") && entry.path().is_file() {
            std::os::unix::fs::symlink(entry.path(), to.join(&name))?;
            found += 1;
        }
    }
    anyhow::ensure!(
        found > 0,
        "no kubectl-osb-* binaries in {}: run `cargo build --workspace --bins` first",
        from.display()
    );
    Ok(())
}

/// A kube client for a kubeconfig file, bound to the calling runtime.
pub async fn client_from(kubeconfig: &Path) -> anyhow::Result<kube::Client> {
    let kc = kube::config::Kubeconfig::read_from(kubeconfig)?;
    let config = kube::Config::from_custom_kubeconfig(kc, &Default::default()).await?;
    Ok(kube::Client::try_from(config)?)
}

/// What a command did.
#[derive(Clone, Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run a command to the end, with `stdin` written to it (or nothing on stdin), capturing its output.
pub fn run(cmd: &mut Command, stdin: Option<&str>) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input.as_bytes()).expect("writing stdin");
    }
    finish(child)
}

/// Wait for a child started with piped stdout and stderr (e.g. [`Osb::spawn`]) and collect what it did.
pub fn finish(child: std::process::Child) -> Run {
    let o = child.wait_with_output().expect("waiting for the command");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Fluent checks on a run; each panics with the whole run (code, stdout, stderr) when it does not hold:
/// `env.kubectl(&[…]).code(4).stdout_has("created").stderr_has("timed out")`.
impl Run {
    /// Exited 0.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "command failed: {self:#?}");
        self
    }

    /// Exited with `code`.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(self.code, code, "exit code: {self:#?}");
        self
    }

    /// `holds`, or fail showing the whole run.
    #[track_caller]
    fn holds(self, holds: bool, what: std::fmt::Arguments) -> Self {
        assert!(holds, "{what}: {self:#?}");
        self
    }

    /// stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(self, t: &str) -> Self {
        let holds = self.stdout.contains(t);
        self.holds(holds, format_args!("stdout lacks {t:?}"))
    }

    /// stdout begins with `text`.
    #[track_caller]
    pub fn stdout_starts(self, t: &str) -> Self {
        let holds = self.stdout.starts_with(t);
        self.holds(holds, format_args!("stdout does not begin with {t:?}"))
    }

    /// stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(self, t: &str) -> Self {
        let holds = self.stderr.contains(t);
        self.holds(holds, format_args!("stderr lacks {t:?}"))
    }

    /// stderr begins with `text`.
    #[track_caller]
    pub fn stderr_starts(self, t: &str) -> Self {
        let holds = self.stderr.starts_with(t);
        self.holds(holds, format_args!("stderr does not begin with {t:?}"))
    }

    /// Neither stdout nor stderr contains `text`.
    #[track_caller]
    pub fn never_shows(self, t: &str) -> Self {
        let shown = self.stdout.contains(t) || self.stderr.contains(t);
        self.holds(!shown, format_args!("output shows {t:?}"))
    }

    /// stdout is exactly one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:#?}"))
    }
}

impl Env {
    /// `PATH` with the plugin directory first.
    pub fn path(&self) -> OsString {
        let mut paths = vec![self.plugin_dir.clone()];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(paths).expect("joinable PATH")
    }

    /// A `kubectl` command against the control plane, with the plugins on `PATH`.
    pub fn kubectl_cmd(&self) -> Command {
        let mut c = Command::new("kubectl");
        c.env("KUBECONFIG", &self.cp.kubeconfig)
            .env("PATH", self.path())
            .stdin(Stdio::null());
        c
    }

    /// Run `kubectl ARGS…` (e.g. `["osb", "catalog"]`).
    pub fn kubectl(&self, args: &[&str]) -> Run {
        run(self.kubectl_cmd().args(args), None)
    }

    /// Run `kubectl osb ARGS… -n NAMESPACE`.
    pub fn osb(&self, namespace: &str, args: &[&str]) -> Run {
        let mut a = vec!["osb"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-n", namespace]);
        self.kubectl(&a)
    }

    /// Run `kubectl ARGS…` with `input` on stdin.
    pub fn kubectl_stdin(&self, args: &[&str], input: &str) -> Run {
        run(self.kubectl_cmd().args(args), Some(input))
    }

    /// A fresh client for the calling test's runtime.
    pub async fn client(&self) -> kube::Client {
        client_from(&self.cp.kubeconfig).await.expect("client")
    }

    /// The API server's audit log so far (lists and watches of instances and bindings); see
    /// [`ControlPlane::audit`].
    pub fn audit(&self) -> Vec<serde_json::Value> {
        self.cp.audit()
    }
}
