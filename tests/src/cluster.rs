//! A real local control plane: etcd + kube-apiserver on loopback, with generated certificates, a static
//! token kubeconfig and the Service Catalog CRDs installed; every other process of the test cluster (the
//! catalog, the job controller, kwok) is started through [`ControlPlane::spawn`] and dies with it.
//!
//! Binaries ([`Binaries`]) come from `$ETCD_BIN`, `$KUBE_APISERVER_BIN`, … (what
//! `tests/cluster/build-binaries` prints), else from the cache it fills
//! (`${KUBECTL_OSB_CACHE:-~/.cache/kubectl-osb}/bin/…`); it is run when something is missing. Every process picks its own free ports and its own temporary directory, so
//! several test processes never collide. Children die with the process that started them (parent-death
//! signal) and are killed, and the directory removed, at exit.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Versions the harness builds and expects (keep in step with `tests/cluster/build-binaries`).
pub const KUBE_VERSION: &str = "1.36.3";
pub const ETCD_VERSION: &str = "3.6.16";
pub const CATALOG_VERSION: &str = "0.3.1";
pub const KWOK_VERSION: &str = "0.8.0";

/// The admin token written into the kubeconfig (`system:masters`).
pub const ADMIN_TOKEN: &str = "osb-admin-token";
/// A second admin (`osb-bench`, context `osb-bench`), so that benchmarks can tell the measured command's
/// requests apart in the audit log.
pub const BENCH_TOKEN: &str = "osb-bench-token";

/// The user (and group) of the client certificate `pki/client.crt` (see `client_certs`).
pub const CERT_USER: &str = "osb-cert-user";
pub const CERT_GROUP: &str = "osb-cert-group";

/// A running control plane.
pub struct ControlPlane {
    pub dir: PathBuf,
    pub kubeconfig: PathBuf,
    pub server: String,
    pub api_port: u16,
    pub etcd_port: u16,
    apiserver_args: Vec<String>,
    apiserver_bin: PathBuf,
    apiserver_pid: Mutex<Option<u32>>,
    etcd_pid: Mutex<Option<u32>>,
    /// Every other process started through [`ControlPlane::spawn`], killed on drop.
    children: Mutex<Vec<u32>>,
}

/// Pids to kill and the directory to remove at exit.
static CLEANUP: Mutex<(Vec<u32>, Vec<PathBuf>)> = Mutex::new((Vec::new(), Vec::new()));

extern "C" fn cleanup_at_exit() {
    if let Ok(mut c) = CLEANUP.lock() {
        for pid in c.0.drain(..) {
            kill(pid);
        }
        for dir in c.1.drain(..) {
            remove_unless_kept(&dir);
        }
    }
}

#[allow(unsafe_code)]
pub(crate) fn kill(pid: u32) {
    // SAFETY: kill(2) with a pid we spawned; no memory is touched.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}

#[allow(unsafe_code)]
fn register_cleanup_once() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registering a plain extern "C" function with atexit(3).
        unsafe {
            libc::atexit(cleanup_at_exit);
        }
    });
}

/// `cmd` with no stdin, its output to `out`, and killed when the thread that spawns it ends (a
/// parent-death signal).
#[allow(unsafe_code)]
fn child_of_this_thread(cmd: &mut Command, out: std::fs::File) -> std::io::Result<()> {
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out);
    // SAFETY: prctl(2) is async-signal-safe; it runs in the child between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    Ok(())
}

/// Spawn `cmd` on a thread that waits for it: the child gets a parent-death signal bound to that thread,
/// which lives exactly as long as the child, so the child dies with this process and never earlier.
fn spawn_supervised(mut cmd: Command, log: &Path) -> Result<u32> {
    child_of_this_thread(&mut cmd, std::fs::File::create(log)?)?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || match cmd.spawn() {
        Ok(mut child) => {
            let _ = tx.send(Ok(child.id()));
            let _ = child.wait();
        }
        Err(e) => {
            let _ = tx.send(Err(e));
        }
    });
    let pid = rx.recv()?.context("spawning")?;
    if let Ok(mut c) = CLEANUP.lock() {
        c.0.push(pid);
    }
    Ok(pid)
}

/// A process that is started again when it dies, as a Deployment's pod would be (the catalog's
/// controller-manager v0.3.1 can crash: see docs/real-controller.md). Stopped by [`Restarting::stop`] or
/// when dropped.
pub struct Restarting {
    pid: std::sync::Arc<Mutex<Option<u32>>>,
    stopped: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// How often it was started again after dying.
    pub restarts: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Restarting {
    /// Stop it for good (no restart).
    pub fn stop(&self) {
        self.stopped
            .store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(pid) = self.pid.lock().expect("lock").take() {
            kill(pid);
        }
    }
}

impl Drop for Restarting {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Start `program args…` with output appended to `log`, and start it again (after 1 s) whenever it exits
/// without having been stopped.
fn spawn_restarting(
    program: std::ffi::OsString,
    args: Vec<std::ffi::OsString>,
    log: PathBuf,
) -> Result<Restarting> {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let pid = std::sync::Arc::new(Mutex::new(None));
    let stopped = std::sync::Arc::new(AtomicBool::new(false));
    let restarts = std::sync::Arc::new(AtomicUsize::new(0));
    let (tx, rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
    let handle = Restarting {
        pid: pid.clone(),
        stopped: stopped.clone(),
        restarts: restarts.clone(),
    };
    std::thread::spawn(move || {
        let mut first = Some(tx);
        loop {
            if stopped.load(Ordering::SeqCst) {
                return;
            }
            let spawned = (|| -> std::io::Result<std::process::Child> {
                let out = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&log)?;
                let mut cmd = Command::new(&program);
                cmd.args(&args);
                // This thread outlives every child it starts.
                child_of_this_thread(&mut cmd, out)?;
                cmd.spawn()
            })();
            let mut child = match spawned {
                Ok(c) => c,
                Err(e) => {
                    if let Some(tx) = first.take() {
                        let _ = tx.send(Err(e));
                    }
                    return;
                }
            };
            let id = child.id();
            *pid.lock().expect("lock") = Some(id);
            if let Ok(mut c) = CLEANUP.lock() {
                c.0.push(id);
            }
            if let Some(tx) = first.take() {
                let _ = tx.send(Ok(()));
            }
            let status = child.wait();
            if let Ok(mut c) = CLEANUP.lock() {
                c.0.retain(|p| *p != id);
            }
            *pid.lock().expect("lock") = None;
            if stopped.load(Ordering::SeqCst) {
                return;
            }
            restarts.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(&log) {
                let _ = writeln!(
                    f,
                    "[testkit] the process exited ({status:?}); starting it again in 1s, as a Deployment would"
                );
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    rx.recv()?.context("spawning")?;
    Ok(handle)
}

pub(crate) fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn cache_dir() -> PathBuf {
    std::env::var_os("KUBECTL_OSB_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::home_dir()
                .unwrap_or_else(|| PathBuf::from("/tmp"))
                .join(".cache")
                .join("kubectl-osb")
        })
}

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Every binary of the test cluster.
#[derive(Clone, Debug)]
pub struct Binaries {
    pub etcd: PathBuf,
    pub kube_apiserver: PathBuf,
    pub kube_controller_manager: PathBuf,
    pub kube_scheduler: PathBuf,
    /// The Service Catalog's all-in-one binary (`webhook`, `controller-manager` subcommands).
    pub service_catalog: PathBuf,
    pub test_broker: PathBuf,
    pub svcat: PathBuf,
    pub kwok: PathBuf,
    /// kwok's stage definitions, copied from its module next to the binary.
    pub kwok_stages: PathBuf,
}

impl Binaries {
    fn locate() -> Binaries {
        let from = |var: &str, rel: String| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .unwrap_or_else(|| cache_dir().join("bin").join(rel))
        };
        let k = format!("kubernetes-v{KUBE_VERSION}");
        let c = format!("service-catalog-v{CATALOG_VERSION}");
        let kwok = from("KWOK_BIN", format!("kwok-v{KWOK_VERSION}/kwok"));
        Binaries {
            etcd: from("ETCD_BIN", format!("etcd-v{ETCD_VERSION}/etcd")),
            kube_apiserver: from("KUBE_APISERVER_BIN", format!("{k}/kube-apiserver")),
            kube_controller_manager: from(
                "KUBE_CONTROLLER_MANAGER_BIN",
                format!("{k}/kube-controller-manager"),
            ),
            kube_scheduler: from("KUBE_SCHEDULER_BIN", format!("{k}/kube-scheduler")),
            service_catalog: from("SERVICE_CATALOG_BIN", format!("{c}/service-catalog")),
            test_broker: from("TEST_BROKER_BIN", format!("{c}/test-broker")),
            svcat: from("SVCAT_BIN", format!("{c}/svcat")),
            kwok_stages: kwok.parent().unwrap_or(Path::new(".")).join("stages"),
            kwok,
        }
    }

    fn missing(&self) -> Vec<&Path> {
        [
            &self.etcd,
            &self.kube_apiserver,
            &self.kube_controller_manager,
            &self.kube_scheduler,
            &self.service_catalog,
            &self.test_broker,
            &self.svcat,
            &self.kwok,
        ]
        .into_iter()
        .map(PathBuf::as_path)
        .filter(|p| !p.is_file())
        .collect()
    }

    /// The binaries, built (once, cached) by `tests/cluster/build-binaries` when any is missing.
    pub fn get() -> Result<Binaries> {
        let bins = Binaries::locate();
        if bins.missing().is_empty() {
            return Ok(bins);
        }
        eprintln!(
            "test cluster binaries missing ({}); building them with tests/cluster/build-binaries (cached afterwards)",
            bins.missing()
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let status = Command::new(workspace_root().join("tests/cluster/build-binaries"))
            .env("KUBE_VERSION", KUBE_VERSION)
            .env("ETCD_VERSION", ETCD_VERSION)
            .env("CATALOG_VERSION", CATALOG_VERSION)
            .env("KWOK_VERSION", KWOK_VERSION)
            .stdout(Stdio::null())
            .status()
            .context("running tests/cluster/build-binaries")?;
        if !status.success() || !bins.missing().is_empty() {
            bail!("building the test cluster's binaries failed (see tests/cluster/build-binaries)");
        }
        Ok(bins)
    }
}

/// An audit policy that logs every request (metadata level): benchmarks count a command's requests.
pub const AUDIT_EVERYTHING: &str = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n";

/// An audit policy that logs only lists and watches of instances and bindings: what tests count (pages,
/// watches), without the cost of logging every request of the controllers on a shared cluster.
pub const AUDIT_LISTS: &str = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n  verbs: [list, watch]\n  resources:\n  - group: servicecatalog.k8s.io\n    resources: [serviceinstances, servicebindings]\n- level: None\n";

impl ControlPlane {
    /// Start etcd and kube-apiserver in a fresh directory under `base` (default: the system temp dir),
    /// wait until the API server is ready and install the Service Catalog CRDs.
    pub fn start(base: Option<&Path>) -> Result<Self> {
        Self::start_opts(base, false)
    }

    /// Like [`Self::start`]; with `audit`, every request is logged (metadata level) to `audit.log` in the
    /// control plane's directory, which lets benchmarks count the requests a command makes.
    pub fn start_opts(base: Option<&Path>, audit: bool) -> Result<Self> {
        Self::start_with(base, audit.then_some(AUDIT_EVERYTHING), &[])
    }

    /// Like [`Self::start_opts`], with an audit policy of its own (none: no audit log) and extra
    /// kube-apiserver flags.
    pub fn start_with(base: Option<&Path>, audit: Option<&str>, extra: &[&str]) -> Result<Self> {
        register_cleanup_once();
        let t0 = Instant::now();
        let bins = Binaries::get()?;
        let (etcd_bin, apiserver_bin) = (bins.etcd, bins.kube_apiserver);
        let base = base
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        std::fs::create_dir_all(&base)?;
        let dir = base.join(format!(
            "osb-cp-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(dir.join("pki"))?;
        if let Ok(mut c) = CLEANUP.lock() {
            c.1.push(dir.clone());
        }

        let (etcd_port, peer_port, api_port) = (free_port()?, free_port()?, free_port()?);
        let mut etcd = Command::new(&etcd_bin);
        let client_url = format!("http://127.0.0.1:{etcd_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        etcd.args([
            "--name=osb",
            &format!("--data-dir={}", dir.join("etcd").display()),
            &format!("--listen-client-urls={client_url}"),
            &format!("--advertise-client-urls={client_url}"),
            &format!("--listen-peer-urls={peer_url}"),
            &format!("--initial-advertise-peer-urls={peer_url}"),
            &format!("--initial-cluster=osb={peer_url}"),
            "--unsafe-no-fsync=true",
            "--log-level=warn",
        ]);
        let etcd_pid = spawn_supervised(etcd, &dir.join("etcd.log"))?;

        // The service-account signing key (ECDSA P-256; the API server takes RSA or ECDSA).
        // (the signing key as PKCS#8, the public key apart: the key file takes public keys only).
        let (sa_key, sa_pub) = (dir.join("pki/sa.key"), dir.join("pki/sa.pub"));
        let sa = rcgen::KeyPair::generate()?;
        std::fs::write(&sa_key, sa.serialize_pem())?;
        std::fs::write(&sa_pub, sa.public_key_pem())?;
        client_certs(&dir.join("pki"))?;
        std::fs::write(
            dir.join("tokens.csv"),
            format!(
                "{ADMIN_TOKEN},osb-admin,uid-admin,\"system:masters\"\n\
                 {BENCH_TOKEN},osb-bench,uid-bench,\"system:masters\"\n\
                 osb-viewer-token,osb-viewer,uid-viewer\n"
            ),
        )?;
        let apiserver_args: Vec<String> = vec![
            format!("--etcd-servers={client_url}"),
            "--bind-address=127.0.0.1".into(),
            format!("--secure-port={api_port}"),
            format!("--cert-dir={}", dir.join("pki").display()),
            "--advertise-address=127.0.0.1".into(),
            "--endpoint-reconciler-type=none".into(),
            "--service-cluster-ip-range=10.0.0.0/24".into(),
            format!("--service-account-issuer=https://127.0.0.1:{api_port}"),
            format!("--service-account-key-file={}", sa_pub.display()),
            format!("--service-account-signing-key-file={}", sa_key.display()),
            format!("--token-auth-file={}", dir.join("tokens.csv").display()),
            format!(
                "--client-ca-file={}",
                dir.join("pki/client-ca.crt").display()
            ),
            "--authorization-mode=RBAC".into(),
            "--disable-admission-plugins=ServiceAccount".into(),
            "--allow-privileged=true".into(),
            "--enable-priority-and-fairness=false".into(),
            "--profiling=false".into(),
            "--v=0".into(),
        ];
        let mut apiserver_args = apiserver_args;
        apiserver_args.extend(extra.iter().map(|a| a.to_string()));
        if let Some(rules) = audit {
            let policy = dir.join("audit-policy.yaml");
            std::fs::write(&policy, rules)?;
            apiserver_args.push(format!("--audit-policy-file={}", policy.display()));
            apiserver_args.push(format!(
                "--audit-log-path={}",
                dir.join("audit.log").display()
            ));
        }
        let server = format!("https://127.0.0.1:{api_port}");
        let cp = ControlPlane {
            kubeconfig: dir.join("kubeconfig"),
            dir,
            server,
            api_port,
            etcd_port,
            apiserver_args,
            apiserver_bin,
            apiserver_pid: Mutex::new(None),
            etcd_pid: Mutex::new(Some(etcd_pid)),
            children: Mutex::new(Vec::new()),
        };
        wait_for_port(etcd_port, Duration::from_secs(20))
            .context("etcd did not start (see etcd.log)")?;
        cp.start_apiserver()?;
        cp.write_kubeconfig()?;
        cp.install_crds()?;
        eprintln!(
            "control plane ready at {} in {:.1}s (dir {})",
            cp.server,
            t0.elapsed().as_secs_f64(),
            cp.dir.display()
        );
        Ok(cp)
    }

    /// (Re)start kube-apiserver with the same flags and port, and wait until `/readyz` answers.
    pub fn start_apiserver(&self) -> Result<()> {
        let mut cmd = Command::new(&self.apiserver_bin);
        cmd.args(&self.apiserver_args);
        let pid = spawn_supervised(cmd, &self.dir.join("apiserver.log"))?;
        *self.apiserver_pid.lock().expect("lock") = Some(pid);
        self.wait_ready(Duration::from_secs(60))
    }

    /// Start a process of the test cluster (output to `<dir>/<name>.log`); it is killed with the control
    /// plane, or with this process.
    pub fn spawn(&self, name: &str, cmd: Command) -> Result<u32> {
        let pid = spawn_supervised(cmd, &self.dir.join(format!("{name}.log")))
            .with_context(|| format!("starting {name}"))?;
        self.children.lock().expect("lock").push(pid);
        Ok(pid)
    }

    /// Start a process of the test cluster that is started again whenever it dies (output appended to
    /// `<dir>/<name>.log`); the handle stops it.
    pub fn spawn_restarting(&self, name: &str, cmd: &Command) -> Result<Restarting> {
        spawn_restarting(
            cmd.get_program().to_os_string(),
            cmd.get_args().map(|a| a.to_os_string()).collect(),
            self.dir.join(format!("{name}.log")),
        )
        .with_context(|| format!("starting {name}"))
    }

    /// Kill kube-apiserver (SIGKILL), leaving etcd running.
    pub fn stop_apiserver(&self) {
        if let Some(pid) = self.apiserver_pid.lock().expect("lock").take() {
            kill(pid);
            // Wait until the port is free so that a restart can bind it.
            let deadline = Instant::now() + Duration::from_secs(10);
            while std::net::TcpStream::connect(("127.0.0.1", self.api_port)).is_ok()
                && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    fn wait_ready(&self, limit: Duration) -> Result<()> {
        let deadline = Instant::now() + limit;
        loop {
            let last = match readyz(&self.dir, self.api_port) {
                Ok(true) => return Ok(()),
                Ok(false) => "not ready".to_string(),
                Err(e) => format!("{e:#}"),
            };
            if Instant::now() > deadline {
                bail!(
                    "kube-apiserver not ready after {limit:?}: {last} (see {})",
                    self.dir.join("apiserver.log").display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn write_kubeconfig(&self) -> Result<()> {
        let ca = self.dir.join("pki/apiserver.crt");
        let kc = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: osb-local\n  cluster:\n    server: {}\n    certificate-authority: {}\n\
             users:\n- name: osb-admin\n  user:\n    token: {ADMIN_TOKEN}\n- name: osb-viewer\n  user:\n    token: osb-viewer-token\n\
             - name: osb-bench\n  user:\n    token: {BENCH_TOKEN}\n\
             contexts:\n- name: osb-local\n  context:\n    cluster: osb-local\n    user: osb-admin\n    namespace: default\n\
             - name: osb-viewer\n  context:\n    cluster: osb-local\n    user: osb-viewer\n    namespace: default\n\
             - name: osb-bench\n  context:\n    cluster: osb-local\n    user: osb-bench\n    namespace: default\n\
             current-context: osb-local\n",
            self.server,
            ca.display()
        );
        std::fs::write(&self.kubeconfig, kc)?;
        Ok(())
    }

    fn install_crds(&self) -> Result<()> {
        let crds = workspace_root().join("tests/crds/servicecatalog.yaml");
        self.kubectl(&["apply", "-f", crds.to_str().unwrap_or_default()])?;
        self.kubectl(&[
            "wait",
            "--for=condition=Established",
            "--timeout=30s",
            "crd",
            "-l",
            "svcat=true",
        ])?;
        // Discovery of a new group can lag behind Established: wait until it is served.
        let deadline = Instant::now() + Duration::from_secs(20);
        while self
            .kubectl(&["get", "serviceinstances", "-A", "-o", "name"])
            .is_err()
        {
            if Instant::now() > deadline {
                bail!("the Service Catalog API is not served");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Run the real `kubectl` against this control plane; stdout on success.
    pub fn kubectl(&self, args: &[&str]) -> Result<String> {
        let out = Command::new("kubectl")
            .env("KUBECONFIG", &self.kubeconfig)
            .args(args)
            .output()
            .context("running kubectl (is it on PATH?)")?;
        if !out.status.success() {
            bail!(
                "kubectl {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The audit log so far (when started with an audit policy), one event per request (a watch logs a
    /// stage when it starts and one when it ends: the first is kept), e.g. to count what a command asked.
    pub fn audit(&self) -> Vec<serde_json::Value> {
        let mut seen = std::collections::HashSet::new();
        std::fs::read_to_string(self.dir.join("audit.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|e| seen.insert(e["auditID"].as_str().unwrap_or_default().to_string()))
            .collect()
    }

    /// A fresh kube client for the calling runtime.
    pub async fn client(&self) -> Result<kube::Client> {
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig)?;
        let config = kube::Config::from_custom_kubeconfig(kc, &Default::default()).await?;
        Ok(kube::Client::try_from(config)?)
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        for pid in self.children.lock().expect("lock").drain(..) {
            kill(pid);
        }
        self.stop_apiserver();
        if let Some(pid) = *self.etcd_pid.lock().expect("lock") {
            kill(pid);
        }
        remove_unless_kept(&self.dir);
    }
}

/// Remove a control plane's directory (its logs, certificates, etcd data), unless `OSB_TEST_KEEP_DIRS`
/// is set: then it stays, and stderr says where (the controller's and the API server's logs, for a
/// test that failed).
fn remove_unless_kept(dir: &Path) {
    if std::env::var_os("OSB_TEST_KEEP_DIRS").is_some() {
        eprintln!("[testkit] kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A client CA (`pki/client-ca.crt`, `CN=osb-client-ca`, the API server's `--client-ca-file`) and one
/// client certificate it signed, `pki/client.crt` + `pki/client.key` (`O=osb-cert-group, CN=osb-cert-user`,
/// extended key usage clientAuth), for user [`CERT_USER`] in group [`CERT_GROUP`]: what
/// `--client-certificate`/`--client-key` authenticate with.
fn client_certs(pki: &Path) -> Result<()> {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    };
    let mut ca = CertificateParams::default();
    ca.distinguished_name = DistinguishedName::new();
    ca.distinguished_name
        .push(DnType::CommonName, "osb-client-ca");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate()?)?;
    let mut client = CertificateParams::default();
    client.distinguished_name = DistinguishedName::new();
    client
        .distinguished_name
        .push(DnType::OrganizationName, CERT_GROUP);
    client
        .distinguished_name
        .push(DnType::CommonName, CERT_USER);
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    client.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let key = KeyPair::generate()?;
    let cert = client.signed_by(&key, &ca)?;
    std::fs::write(pki.join("client-ca.crt"), ca.pem())?;
    std::fs::write(pki.join("client.crt"), cert.pem())?;
    std::fs::write(pki.join("client.key"), key.serialize_pem())?;
    Ok(())
}

pub(crate) fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("port {port} not open after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// `GET /readyz` (anonymous may read it) over TLS, verified with the certificate the API server wrote
/// into its `--cert-dir` (what the kubeconfig trusts), before any kubeconfig exists.
fn readyz(dir: &Path, port: u16) -> Result<bool> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    use std::io::{Read, Write};
    let ca = dir.join("pki/apiserver.crt");
    if !ca.is_file() {
        return Ok(false);
    }
    let mut roots = rustls::RootCertStore::empty();
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(&ca)?.collect::<Result<_, _>>()?;
    roots.add_parsable_certificates(certs);
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into());
    let mut conn = rustls::ClientConnection::new(std::sync::Arc::new(config), name)?;
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port))?;
    tcp.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    write!(
        tls,
        "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    // The server may close without a TLS close_notify: what arrived is enough.
    let _ = tls.read_to_end(&mut answer);
    Ok(answer.starts_with(b"HTTP/1.1 200 "))
}
