//! The real Service Catalog (kubernetes-sigs/service-catalog v0.3.1) on a [`ControlPlane`]: its admission
//! webhook and its controller-manager as processes, the webhook registered with the API server, and brokers
//! registered as `ClusterServiceBroker`s — our Instaclustr-like broker ([`crate::broker`]) and the upstream
//! `test-broker`, both speaking the OSB API over HTTP on loopback.
//!
//! Binaries come from `tests/cluster/build-binaries` (see [`crate::cluster::Binaries`]).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::cluster::{Binaries, ControlPlane, free_port, wait_for_port};

/// Name of the `ClusterServiceBroker` for the upstream test-broker.
pub const TEST_BROKER: &str = "test-broker";

/// How the controller-manager runs.
#[derive(Clone, Debug)]
pub struct CatalogOptions {
    /// `--reconciliation-retry-duration`: how long the controller retries a failing operation before it
    /// gives up (Failed `ReconciliationRetryTimeout`; a deprovision then leaves an orphan). Upstream: 7 days.
    pub reconciliation_retry: Duration,
    /// `--operation-polling-maximum-backoff-duration`: the longest gap between two `last_operation` polls.
    pub polling_max_backoff: Duration,
    /// Start the upstream test-broker too (its 24 classes; async ones take 60 s by design).
    pub test_broker: bool,
    /// Generated classes and plans our broker serves after its usual catalog (scale tests); none by default.
    pub broker_extra: crate::broker::catalog::Extra,
}

impl Default for CatalogOptions {
    fn default() -> Self {
        CatalogOptions {
            reconciliation_retry: Duration::from_secs(7 * 24 * 3600),
            polling_max_backoff: Duration::from_secs(2),
            test_broker: true,
            broker_extra: Default::default(),
        }
    }
}

/// What [`start`] brought up.
pub struct Catalog {
    /// Our Instaclustr-like broker (served on its own thread), registered as [`crate::broker::BROKER_NAME`].
    pub broker: crate::broker::Broker,
    /// The test-broker's URL when it runs.
    pub test_broker_url: Option<String>,
    /// The controller-manager's command line, for [`Catalog::restart_controller`].
    controller: Command,
    /// The controller-manager, started again whenever it dies (v0.3.1 can crash; a Deployment would
    /// restart it too).
    controller_proc: std::sync::Mutex<Option<crate::cluster::Restarting>>,
}

fn go_duration(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// Start the webhook, register it, start the controller-manager and the brokers, and wait until the
/// brokers are Ready with their classes listed.
pub fn start(cp: &ControlPlane, bins: &Binaries, opts: &CatalogOptions) -> Result<Catalog> {
    let t0 = Instant::now();
    let dir = cp.dir.join("catalog");
    std::fs::create_dir_all(&dir)?;

    // The webhook: it reads tls.crt/tls.key from --cert-dir (and ignores --tls-cert-file).
    let certs = dir.join("webhook-certs");
    std::fs::create_dir_all(&certs)?;
    self_signed_cert(&certs.join("tls.crt"), &certs.join("tls.key"))?;
    let (port, health) = (free_port()?, free_port()?);
    let mut webhook = Command::new(&bins.service_catalog);
    webhook
        .arg("webhook")
        .arg(format!("--kubeconfig={}", cp.kubeconfig.display()))
        .arg(format!("--secure-port={port}"))
        .arg("--bind-address=127.0.0.1")
        .arg(format!("--cert-dir={}", certs.display()))
        .arg(format!("--healthz-server-bind-port={health}"))
        .arg("-v=2");
    cp.spawn("catalog-webhook", webhook)?;
    wait_for_port(port, Duration::from_secs(30))
        .context("the catalog's webhook did not start (see catalog-webhook.log)")?;
    let ca = base64_file(&certs.join("tls.crt"))?;
    let template = std::fs::read_to_string(
        crate::cluster::workspace_root().join("tests/cluster/webhooks.yaml"),
    )?;
    let manifest = template
        .replace("__URL__", &format!("https://127.0.0.1:{port}"))
        .replace("__CA__", &ca);
    let path = dir.join("webhooks.yaml");
    std::fs::write(&path, manifest)?;
    cp.kubectl(&["apply", "-f", path.to_str().unwrap_or_default()])?;

    // The controller-manager. Its kubeconfig must carry a CA it can verify (it ignores
    // insecure-skip-tls-verify); the control plane's kubeconfig does.
    let mut controller = Command::new(&bins.service_catalog);
    controller
        .arg("controller-manager")
        .arg(format!("--k8s-kubeconfig={}", cp.kubeconfig.display()))
        .arg(format!(
            "--service-catalog-kubeconfig={}",
            cp.kubeconfig.display()
        ))
        .arg(format!("--secure-port={}", free_port()?))
        .arg("--bind-address=127.0.0.1")
        .arg(format!(
            "--cert-dir={}",
            dir.join("controller-certs").display()
        ))
        .arg("--leader-elect=false")
        .arg("--cluster-id-configmap-namespace=default")
        // AsyncBindingOperations (alpha, off by default): binds and unbinds of a class whose broker says
        // `bindings_retrievable` may answer 202; the controller then polls the binding's last_operation
        // and fetches the credentials with GET binding (docs/real-controller.md).
        .arg("--feature-gates=OriginatingIdentity=true,AsyncBindingOperations=true")
        .arg("--resync-interval=30s")
        .arg("--broker-relist-interval=5m")
        .arg(format!(
            "--operation-polling-maximum-backoff-duration={}",
            go_duration(opts.polling_max_backoff)
        ))
        .arg(format!(
            "--reconciliation-retry-duration={}",
            go_duration(opts.reconciliation_retry)
        ))
        .arg("--osb-api-request-timeout=20s")
        .arg("-v=3");
    let proc = cp.spawn_restarting("catalog-controller-manager", &controller)?;

    let broker = crate::broker::Broker::start_with(0, opts.broker_extra)?;
    register_broker(cp, crate::broker::BROKER_NAME, &broker.url)?;
    let test_broker_url = if opts.test_broker {
        let port = free_port()?;
        let mut tb = Command::new(&bins.test_broker);
        tb.arg(format!("--port={port}"));
        cp.spawn("test-broker", tb)?;
        wait_for_port(port, Duration::from_secs(20)).context("test-broker did not start")?;
        let url = format!("http://127.0.0.1:{port}");
        register_broker(cp, TEST_BROKER, &url)?;
        Some(url)
    } else {
        None
    };
    let catalog = Catalog {
        broker,
        test_broker_url,
        controller,
        controller_proc: std::sync::Mutex::new(Some(proc)),
    };
    // The controller creates every class and plan before it marks the broker Ready, at 5 requests a
    // second (client-go's default; the test-broker's catalog alone is about a hundred requests), while the
    // other clusters of the run start beside it on the same 2 cores: 180 s, more for a large generated
    // catalog.
    let limit =
        Duration::from_secs(180) + Duration::from_millis(500) * opts.broker_extra.plans() as u32;
    catalog.wait_brokers_ready(cp, limit)?;
    eprintln!(
        "service catalog ready in {:.1}s (webhook :{port}, brokers {})",
        t0.elapsed().as_secs_f64(),
        catalog.brokers().join(", ")
    );
    Ok(catalog)
}

impl Catalog {
    /// Names of the registered brokers.
    pub fn brokers(&self) -> Vec<&str> {
        let mut v = vec![crate::broker::BROKER_NAME];
        if self.test_broker_url.is_some() {
            v.push(TEST_BROKER);
        }
        v
    }

    fn wait_brokers_ready(&self, cp: &ControlPlane, limit: Duration) -> Result<()> {
        for name in self.brokers() {
            cp.kubectl(&[
                "wait",
                "--for=condition=Ready",
                &format!("--timeout={}s", limit.as_secs()),
                "clusterservicebroker",
                name,
            ])
            .with_context(|| {
                format!("broker {name} not Ready (see catalog-controller-manager.log)")
            })?;
        }
        // Ready is written once the classes and plans are created.
        let deadline = Instant::now() + limit;
        loop {
            let plans = cp.kubectl(&["get", "clusterserviceplans", "-o", "name"])?;
            if plans.lines().count() > 0 {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("no ClusterServicePlans after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Stop the catalog's controller-manager (the webhook stays): objects are then defaulted but never
    /// processed, as on a cluster whose controller is down.
    pub fn stop_controller(&self) {
        if let Some(p) = self.controller_proc.lock().expect("lock").take() {
            p.stop();
        }
    }

    /// How often the controller-manager died and was started again.
    pub fn controller_restarts(&self) -> usize {
        self.controller_proc
            .lock()
            .expect("lock")
            .as_ref()
            .map(|p| p.restarts.load(std::sync::atomic::Ordering::SeqCst))
            .unwrap_or(0)
    }

    /// Start the controller-manager again with the same flags.
    pub fn restart_controller(&self, cp: &ControlPlane) -> Result<()> {
        self.stop_controller();
        let p = cp.spawn_restarting("catalog-controller-manager", &self.controller)?;
        *self.controller_proc.lock().expect("lock") = Some(p);
        Ok(())
    }
}

fn register_broker(cp: &ControlPlane, name: &str, url: &str) -> Result<()> {
    let manifest = format!(
        "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ClusterServiceBroker\nmetadata:\n  name: {name}\nspec:\n  url: {url}\n"
    );
    let path = cp.dir.join(format!("catalog/broker-{name}.yaml"));
    std::fs::write(&path, manifest)?;
    // The webhook may take a moment to answer its first admission review: retry briefly.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match cp.kubectl(&["apply", "-f", path.to_str().unwrap_or_default()]) {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(300));
            }
            Err(e) => return Err(e.context(format!("registering broker {name}"))),
        }
    }
}

/// A self-signed certificate for 127.0.0.1 (`CN=127.0.0.1`, SAN `IP:127.0.0.1`; the API server trusts it
/// through the configuration's caBundle), PEM, with its key.
pub fn self_signed_cert(cert: &Path, key: &Path) -> Result<()> {
    let pair = rcgen::KeyPair::generate()?;
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "127.0.0.1");
    std::fs::write(cert, params.self_signed(&pair)?.pem())?;
    std::fs::write(key, pair.serialize_pem())?;
    Ok(())
}

fn base64_file(p: &Path) -> Result<String> {
    use base64::Engine;
    Ok(base64::engine::general_purpose::STANDARD.encode(std::fs::read(p)?))
}
