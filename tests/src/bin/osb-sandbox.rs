//! The sandbox: a local test cluster for trying the suite by hand (`tests/cluster/up`) and for the example
//! pipeline (`examples/sandbox-run`): etcd + kube-apiserver, the real Service Catalog (webhook +
//! controller-manager) with our Instaclustr-like broker and the upstream test-broker, and the job controller
//! with kwok's fake node. Prints the KUBECONFIG to use; Ctrl-C (or SIGTERM) stops it all.

use std::path::PathBuf;

use clap::Parser;

/// Start the local test cluster with the real Service Catalog.
#[derive(Parser, Debug)]
#[command(name = "osb-sandbox")]
struct Args {
    /// Directory for the cluster's data, certificates, logs and kubeconfig
    #[arg(long, default_value = ".sandbox")]
    dir: PathBuf,
    /// Also write the kubeconfig's path to this file (for scripts)
    #[arg(long)]
    kubeconfig_out: Option<PathBuf>,
    /// Do not start the upstream test-broker (only the Instaclustr-like broker)
    #[arg(long)]
    no_test_broker: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = std::path::absolute(&args.dir)?;
    let cp = testkit::cluster::ControlPlane::start(Some(&dir))?;
    let bins = testkit::cluster::Binaries::get()?;
    let opts = testkit::catalog::CatalogOptions {
        test_broker: !args.no_test_broker,
        ..Default::default()
    };
    // Brokers Ready before the kubeconfig is announced: whoever reads it finds the catalog listed.
    let catalog = testkit::catalog::start(&cp, &bins, &opts)?;
    testkit::jobs::start(&cp, &bins)?;
    let kubeconfig = cp.kubeconfig.display().to_string();
    if let Some(out) = &args.kubeconfig_out {
        std::fs::write(out, &kubeconfig)?;
    }
    println!(
        "sandbox ready: the Service Catalog v{} serves brokers {} (logs in {})",
        testkit::cluster::CATALOG_VERSION,
        catalog.brokers().join(", "),
        cp.dir.display()
    );
    println!("export KUBECONFIG={kubeconfig}");
    println!("(Ctrl-C stops the sandbox)");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    })?;
    drop(catalog);
    drop(cp);
    Ok(())
}
