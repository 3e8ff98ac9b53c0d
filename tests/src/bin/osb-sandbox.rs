//! The sandbox: a local control plane plus the Service Catalog simulator, for trying the suite by hand
//! (`tests/cluster/up`) and for the example pipeline. Prints the KUBECONFIG to use; Ctrl-C stops it all.

use std::path::PathBuf;

use clap::Parser;

/// Start etcd + kube-apiserver + the Service Catalog simulator on loopback.
#[derive(Parser, Debug)]
#[command(name = "osb-sandbox")]
struct Args {
    /// Directory for the control plane's data, certificates and kubeconfig
    #[arg(long, default_value = ".sandbox")]
    dir: PathBuf,
    /// Also write the kubeconfig's path to this file (for scripts)
    #[arg(long)]
    kubeconfig_out: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = std::path::absolute(&args.dir)?;
    let cp = testkit::cluster::ControlPlane::start(Some(&dir))?;
    let kubeconfig = cp.kubeconfig.display().to_string();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let client = rt.block_on(testkit::client_from(&cp.kubeconfig))?;
    // Publish the catalog before announcing the kubeconfig: whoever reads it finds a Ready broker.
    rt.block_on(testkit::simulator::webhook::start(
        client.clone(),
        &cp.dir.join("webhook"),
    ))?;
    rt.block_on(testkit::simulator::offerings::publish(&client))?;
    if let Some(out) = &args.kubeconfig_out {
        std::fs::write(out, &kubeconfig)?;
    }
    println!("sandbox ready: the Service Catalog simulator serves broker 'instaclustr'");
    println!("export KUBECONFIG={kubeconfig}");
    println!("(Ctrl-C stops the sandbox)");
    rt.block_on(async {
        tokio::select! {
            r = testkit::simulator::run(client) => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })?;
    drop(cp);
    Ok(())
}
