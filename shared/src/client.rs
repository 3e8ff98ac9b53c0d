//! The client, built from kubectl's standard flags.
//!
//! Order, as kubectl: `--kubeconfig FILE`, else every existing file of `KUBECONFIG` (a colon-separated
//! list, merged first-wins; missing files are skipped), else `~/.kube/config`, else in-cluster config.
//! `--context`, `--cluster` and `--user` select within the kubeconfig; the namespace is `-n`, else the
//! context's, else `default` (in-cluster: the service account's).

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::error::{Error, Result};

/// kubectl's connection flags; `#[command(flatten)]` them into every verb.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Kubernetes options")]
pub struct KubeArgs {
    /// Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)
    #[arg(long, value_name = "FILE", global = true)]
    pub kubeconfig: Option<PathBuf>,
    /// The name of the kubeconfig context to use
    #[arg(long, value_name = "NAME", global = true)]
    pub context: Option<String>,
    /// The name of the kubeconfig cluster to use
    #[arg(long, value_name = "NAME", global = true)]
    pub cluster: Option<String>,
    /// The name of the kubeconfig user to use
    #[arg(long, value_name = "NAME", global = true)]
    pub user: Option<String>,
    /// If present, the namespace scope for this request
    #[arg(short = 'n', long, value_name = "NAMESPACE", global = true)]
    pub namespace: Option<String>,
    /// How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, global = true)]
    pub request_timeout: Option<Duration>,
}

/// A connected client plus the namespace the command works in.
#[derive(Clone)]
pub struct Kube {
    pub client: Client,
    pub namespace: String,
    /// The API server URL, for messages.
    pub server: String,
}

impl KubeArgs {
    /// Load the configuration the flags and environment select, without connecting.
    pub async fn config(&self) -> Result<Config> {
        let opts = KubeConfigOptions {
            context: self.context.clone(),
            cluster: self.cluster.clone(),
            user: self.user.clone(),
        };
        let kubeconfig = match &self.kubeconfig {
            Some(path) => Some(read_kubeconfig(path)?),
            None => kubeconfig_from_env()?,
        };
        let mut config = match kubeconfig {
            Some(kc) => Config::from_custom_kubeconfig(kc, &opts)
                .await
                .map_err(|e| Error::Config(format!("{e}")))?,
            None => {
                if self.context.is_some() || self.cluster.is_some() || self.user.is_some() {
                    return Err(Error::Config(
                        "--context, --cluster and --user need a kubeconfig, and none was found ($KUBECONFIG, ~/.kube/config)"
                            .into(),
                    ));
                }
                Config::incluster().map_err(|e| {
                    Error::Config(format!(
                        "no configuration found: no kubeconfig ($KUBECONFIG, ~/.kube/config) and not running in a cluster ({e})"
                    ))
                })?
            }
        };
        if let Some(ns) = &self.namespace {
            config.default_namespace = ns.clone();
        }
        if let Some(t) = self.request_timeout.filter(|t| !t.is_zero()) {
            config.connect_timeout = Some(t);
            config.read_timeout = Some(t);
            config.write_timeout = Some(t);
        }
        Ok(config)
    }

    /// Connect: a client and the effective namespace.
    pub async fn connect(&self) -> Result<Kube> {
        let config = self.config().await?;
        let server = config
            .cluster_url
            .to_string()
            .trim_end_matches('/')
            .to_string();
        crate::error::set_server(&server);
        let namespace = config.default_namespace.clone();
        let client = Client::try_from(config)?;
        Ok(Kube {
            client,
            namespace,
            server,
        })
    }
}

fn read_kubeconfig(path: &std::path::Path) -> Result<Kubeconfig> {
    Kubeconfig::read_from(path)
        .map_err(|e| Error::Config(format!("cannot load kubeconfig {}: {e}", path.display())))
}

/// kubectl's loading rules: the files of `KUBECONFIG` that exist, merged first-wins; else `~/.kube/config`.
fn kubeconfig_from_env() -> Result<Option<Kubeconfig>> {
    let paths: Vec<PathBuf> = match std::env::var_os("KUBECONFIG") {
        Some(v) if !v.is_empty() => std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        _ => std::env::home_dir()
            .map(|h| vec![h.join(".kube").join("config")])
            .unwrap_or_default(),
    };
    let mut merged: Option<Kubeconfig> = None;
    for path in paths.iter().filter(|p| p.is_file()) {
        let kc = read_kubeconfig(path)?;
        merged = Some(match merged {
            None => kc,
            Some(m) => m.merge(kc).map_err(|e| {
                Error::Config(format!("cannot merge kubeconfig {}: {e}", path.display()))
            })?,
        });
    }
    Ok(merged)
}
