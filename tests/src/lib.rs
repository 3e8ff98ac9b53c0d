//! Test kit: the local test cluster and [`env`], the one shared environment an end-to-end test binary
//! starts on first use:
//!
//! - [`cluster`]: etcd + kube-apiserver on loopback, the Service Catalog CRDs, process supervision;
//! - [`catalog`]: the real Service Catalog v0.3.1 (webhook + controller-manager) and the brokers it drives
//!   over HTTP — ours ([`broker`], Instaclustr-like) and the upstream test-broker;
//! - [`jobs`]: the real job controller, the scheduler and kwok's fake node, so Jobs run, complete and fail;
//! - [`launcher`]: for the benchmarks, a command's peak RSS measured in a small launcher process;
//! - a directory of the built `kubectl-osb-*` plugins put first on `PATH`, so that tests call them through
//!   the real `kubectl`.

pub mod bench;
pub mod broker;
pub mod catalog;
pub mod cluster;
pub mod jobs;
pub mod launcher;

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
}

static ENV: OnceLock<Env> = OnceLock::new();
static SHORT_RETRY_ENV: OnceLock<Env> = OnceLock::new();

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

/// Start (once) and return the shared environment: the catalog as upstream runs it (retries for 7 days),
/// with both brokers, and the job controller with kwok.
pub fn env() -> &'static Env {
    ENV.get_or_init(|| start_env(&catalog::CatalogOptions::default(), true))
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
#[derive(Debug)]
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

    /// stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}: {self:#?}"
        );
        self
    }

    /// stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}: {self:#?}"
        );
        self
    }

    /// Neither stdout nor stderr contains `text`.
    #[track_caller]
    pub fn never_shows(self, text: &str) -> Self {
        assert!(
            !self.stdout.contains(text) && !self.stderr.contains(text),
            "output shows {text:?}: {self:#?}"
        );
        self
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

    /// The API server's audit log so far (lists and watches of instances and bindings), one event per request (a watch logs a
    /// stage when it starts and one when it ends: the first is kept), e.g. to count what a command asked.
    pub fn audit(&self) -> Vec<serde_json::Value> {
        let mut seen = std::collections::HashSet::new();
        std::fs::read_to_string(self.cp.dir.join("audit.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|e| seen.insert(e["auditID"].as_str().unwrap_or_default().to_string()))
            .collect()
    }

    /// Create a fresh namespace named after the test.
    pub fn namespace(&self, prefix: &str) -> String {
        let ns = format!(
            "{prefix}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..6]
        );
        self.kubectl(&["create", "namespace", &ns]).ok();
        ns
    }
}

/// Talking to our broker's admin endpoints (see [`broker`]): how an instance behaves, what it received.
impl Env {
    /// Set how our broker treats the instance `namespace/name` (a partial [`broker::behaviour::Behaviour`]
    /// as JSON, e.g. `json!({"provision": "fail", "provision-seconds": 2})`); it applies to instances
    /// provisioned under that name from now on and to one already provisioned.
    pub fn behave(&self, namespace: &str, name: &str, behaviour: serde_json::Value) {
        let url = format!(
            "{}/admin/behaviours/{namespace}/{name}",
            self.catalog.broker.url
        );
        let r = run(
            Command::new("curl")
                .args(["-sf", "-X", "PUT", "-H", "Content-Type: application/json"])
                .args(["--data-binary", &behaviour.to_string(), &url]),
            None,
        );
        assert_eq!(r.code, 0, "PUT {url} {behaviour}: {r:?}");
    }

    fn broker_get(&self, path: &str) -> serde_json::Value {
        let url = format!("{}{path}", self.catalog.broker.url);
        let r = run(Command::new("curl").args(["-sf", &url]), None);
        assert_eq!(r.code, 0, "GET {url}: {r:?}");
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("GET {url}: {e}: {}", r.stdout))
    }

    /// The OSB requests our broker received (oldest first), as `GET /admin/requests` lists them.
    pub fn broker_requests(&self) -> Vec<serde_json::Value> {
        match self.broker_get("/admin/requests") {
            serde_json::Value::Array(v) => v,
            other => panic!("/admin/requests: not a list: {other}"),
        }
    }

    /// The instances our broker knows, as `GET /admin/instances` lists them.
    pub fn broker_instances(&self) -> Vec<serde_json::Value> {
        match self.broker_get("/admin/instances") {
            serde_json::Value::Array(v) => v,
            other => panic!("/admin/instances: not a list: {other}"),
        }
    }
}
