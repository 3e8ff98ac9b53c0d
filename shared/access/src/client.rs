//! The client, built from kubectl's connection flags, with kubectl's precedence.
//!
//! Where the configuration comes from, as kubectl (client-go's `clientcmd`) decides:
//!
//! 1. The kubeconfig: `--kubeconfig FILE`, else every existing file of `KUBECONFIG` (a colon-separated
//!    list, merged first-wins; missing files are skipped), else `~/.kube/config`.
//! 2. Its context (`--context`, else `current-context`); `--cluster` and `--user` replace the context's.
//!    A name given by flag that the kubeconfig lacks is an error; one the context names is not.
//! 3. The flags override what was selected, field by field: `--server`, `--certificate-authority` (which,
//!    like `--insecure-skip-tls-verify`, replaces the kubeconfig's CA *and* its skip-verify setting),
//!    `--tls-server-name` (cleared when only `--server` is given), `--token` (wins over the kubeconfig's
//!    token file, exec plugin and auth provider), `--client-certificate`/`--client-key` (replace the
//!    embedded data), `--username`/`--password`, `--as`/`--as-group`/`--as-uid`.
//! 4. No server after all that (no kubeconfig, or an empty one) → in-cluster configuration, when the
//!    process runs in a pod (`KUBERNETES_SERVICE_HOST`/`_PORT` and the service account's token file):
//!    `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the service account's `ca.crt` and token
//!    (re-read as it is rotated); the flags override it the same way.
//!
//! The namespace is `-n`, else the context's, else (in a pod) `$POD_NAMESPACE` or the service account's
//! namespace file, else `default`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::config::{
    AuthInfo, Cluster, Context, KubeConfigOptions, Kubeconfig, NamedAuthInfo, NamedCluster,
    NamedContext,
};
use kube::{Client, Config};

use crate::complete::Complete;
use crate::error::{Error, Result};

mod transport;
mod verbose;

/// Where a pod's service account credentials are mounted (fixed by Kubernetes).
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// kubectl's connection flags; `#[command(flatten)]` them into every verb.
#[derive(clap::Args, Clone, Debug, Default)]
#[command(next_help_heading = "Kubernetes options")]
pub struct KubeArgs {
    /// Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)
    #[arg(long, value_name = "FILE", global = true, add = Complete::Kubeconfig)]
    pub kubeconfig: Option<PathBuf>,
    /// The name of the kubeconfig context to use
    #[arg(long, value_name = "NAME", global = true, add = Complete::Contexts)]
    pub context: Option<String>,
    /// The name of the kubeconfig cluster to use
    #[arg(long, value_name = "NAME", global = true, add = Complete::Clusters)]
    pub cluster: Option<String>,
    /// The name of the kubeconfig user to use
    #[arg(long, value_name = "NAME", global = true, add = Complete::Users)]
    pub user: Option<String>,
    /// If present, the namespace scope for this request
    #[arg(short = 'n', long, value_name = "NAMESPACE", global = true, add = Complete::Namespaces)]
    pub namespace: Option<String>,
    /// How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, global = true, add = Complete::Nothing)]
    pub request_timeout: Option<Duration>,
    /// Return large lists in chunks of this many objects rather than all at once (default 500, as
    /// kubectl; 0 = one request)
    #[arg(long, value_name = "N", global = true, add = Complete::Nothing)]
    pub chunk_size: Option<u32>,
    /// kubectl's other connection flags (boxed: rarely given, and many).
    #[command(flatten)]
    pub connection: Box<Connection>,
    /// `-v`: the log of the HTTP exchange.
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// kubectl's `-v, --v=0`, on every verb: `-v=6`, `-v 6`, `-v6`, `--v=6`, `--v 6`. A verb that sends no
/// request (`convert-json`, `rbac`) takes it too, and logs nothing.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
#[command(next_help_heading = "Kubernetes options")]
pub struct Verbosity {
    /// Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies
    /// too; credentials, Secret values and sensitive parameters redacted
    #[arg(short = 'v', long = "v", value_name = "LEVEL", default_value_t = 0, global = true,
          add = Complete::Nothing)]
    pub level: u8,
}

impl Verbosity {
    /// Every way kubectl's `-v` is written (here for level 6), as the verbs and the dispatcher take it.
    pub const SPELLINGS: [&[&str]; 5] =
        [&["-v=6"], &["-v", "6"], &["-v6"], &["--v=6"], &["--v", "6"]];
}

/// The connection flags beyond the kubeconfig's names: server, credentials, TLS, impersonation.
#[derive(clap::Args, Clone, Default)]
#[command(next_help_heading = "Kubernetes options")]
pub struct Connection {
    /// The address and port of the Kubernetes API server
    #[arg(short = 's', long, value_name = "URL", global = true, add = Complete::Nothing)]
    pub server: Option<String>,
    /// Bearer token for authentication to the API server
    #[arg(long, value_name = "TOKEN", global = true, add = Complete::Nothing)]
    pub token: Option<String>,
    /// Path to a cert file for the certificate authority
    #[arg(long, value_name = "FILE", global = true, add = Complete::Files)]
    pub certificate_authority: Option<PathBuf>,
    /// Path to a client certificate file for TLS
    #[arg(long, value_name = "FILE", global = true, add = Complete::Files)]
    pub client_certificate: Option<PathBuf>,
    /// Path to a client key file for TLS
    #[arg(long, value_name = "FILE", global = true, add = Complete::Files)]
    pub client_key: Option<PathBuf>,
    /// If true, the server's certificate will not be checked for validity (insecure)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", global = true)]
    pub insecure_skip_tls_verify: Option<bool>,
    /// Server name to use for server certificate validation (default: the host used to contact the server)
    #[arg(long, value_name = "NAME", global = true, add = Complete::Nothing)]
    pub tls_server_name: Option<String>,
    /// Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)
    #[arg(long = "as", value_name = "USER", global = true, add = Complete::Nothing)]
    pub impersonate: Option<String>,
    /// Group to impersonate for the operation (repeatable)
    #[arg(long = "as-group", value_name = "GROUP", global = true, add = Complete::Nothing)]
    pub impersonate_group: Vec<String>,
    /// UID to impersonate for the operation
    #[arg(long = "as-uid", value_name = "UID", global = true, add = Complete::Nothing)]
    pub impersonate_uid: Option<String>,
    /// Username for basic authentication to the API server
    #[arg(long, value_name = "NAME", global = true, add = Complete::Nothing)]
    pub username: Option<String>,
    /// Password for basic authentication to the API server
    #[arg(long, value_name = "PASSWORD", global = true, add = Complete::Nothing)]
    pub password: Option<String>,
    /// If true, opt out of response compression for all requests to the server
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", global = true)]
    pub disable_compression: Option<bool>,
}

/// Never prints a credential: `--token` and `--password` show as `<redacted>`.
impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("Connection")
            .field("server", &self.server)
            .field("token", &hidden(&self.token))
            .field("certificate_authority", &self.certificate_authority)
            .field("client_certificate", &self.client_certificate)
            .field("client_key", &self.client_key)
            .field("insecure_skip_tls_verify", &self.insecure_skip_tls_verify)
            .field("tls_server_name", &self.tls_server_name)
            .field("impersonate", &self.impersonate)
            .field("impersonate_group", &self.impersonate_group)
            .field("impersonate_uid", &self.impersonate_uid)
            .field("username", &self.username)
            .field("password", &hidden(&self.password))
            .field("disable_compression", &self.disable_compression)
            .finish()
    }
}

/// A connected client plus the namespace the command works in.
#[derive(Clone)]
pub struct Kube {
    pub client: Client,
    pub namespace: String,
    /// The API server URL, for messages.
    pub server: String,
    /// Objects per list request (`--chunk-size`; 0 = unpaged).
    pub chunk_size: u32,
}

/// What a pod sees: the API server's address from the environment and the service account's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InCluster {
    pub server: String,
    pub ca_file: String,
    pub token_file: String,
    /// `$POD_NAMESPACE`, else the service account's namespace file, else `default`.
    pub namespace: String,
}

impl InCluster {
    /// The in-cluster configuration, when it is possible (client-go's `inClusterClientConfig.Possible`):
    /// both environment variables set and the token file present.
    pub fn detect() -> Option<InCluster> {
        let host = std::env::var("KUBERNETES_SERVICE_HOST").ok()?;
        let port = std::env::var("KUBERNETES_SERVICE_PORT").ok()?;
        if host.is_empty() || port.is_empty() {
            return None;
        }
        let dir = Path::new(SERVICE_ACCOUNT_DIR);
        let token_file = dir.join("token");
        if !token_file.is_file() {
            return None;
        }
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host
        };
        let namespace = std::env::var("POD_NAMESPACE")
            .ok()
            .filter(|n| !n.is_empty())
            .or_else(|| {
                std::fs::read_to_string(dir.join("namespace"))
                    .ok()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            })
            .unwrap_or_else(|| "default".into());
        Some(InCluster {
            server: format!("https://{host}:{port}"),
            ca_file: dir.join("ca.crt").display().to_string(),
            token_file: token_file.display().to_string(),
            namespace,
        })
    }

    fn kubeconfig(&self) -> Kubeconfig {
        one_context(
            "in-cluster",
            Cluster {
                server: Some(self.server.clone()),
                certificate_authority: Some(self.ca_file.clone()),
                ..Default::default()
            },
            AuthInfo {
                token_file: Some(self.token_file.clone()),
                ..Default::default()
            },
            None,
        )
    }
}

/// A kubeconfig of one cluster, one user and one context named `name`, which is current.
pub(crate) fn one_context(
    name: &str,
    cluster: Cluster,
    user: AuthInfo,
    namespace: Option<String>,
) -> Kubeconfig {
    Kubeconfig {
        clusters: vec![NamedCluster {
            name: name.into(),
            cluster: Some(cluster),
            ..Default::default()
        }],
        auth_infos: vec![NamedAuthInfo {
            name: name.into(),
            auth_info: Some(user),
            ..Default::default()
        }],
        contexts: vec![NamedContext {
            name: name.into(),
            context: Some(Context {
                cluster: name.into(),
                user: Some(name.into()),
                namespace,
                extensions: None,
                other: Default::default(),
            }),
            ..Default::default()
        }],
        current_context: Some(name.into()),
        ..Default::default()
    }
}

fn path_string(p: &Path) -> String {
    p.display().to_string()
}

/// `--server` without a scheme, as client-go's `DefaultServerURL`: https when TLS is configured.
fn server_url(server: &str, tls: bool) -> String {
    if server.contains("://") {
        server.to_string()
    } else if tls {
        format!("https://{server}")
    } else {
        format!("http://{server}")
    }
}

impl Connection {
    /// Apply the cluster flags to `cluster` (client-go's `getCluster` with overrides).
    fn override_cluster(&self, cluster: &mut Cluster) {
        if let Some(s) = &self.server {
            let tls = self.certificate_authority.is_some()
                || self.client_certificate.is_some()
                || self.insecure_skip_tls_verify == Some(true)
                || self.tls_server_name.is_some();
            cluster.server = Some(server_url(s, tls));
        }
        // --insecure-skip-tls-verify=true or --certificate-authority replaces the CA and the skip setting.
        if self.insecure_skip_tls_verify == Some(true) || self.certificate_authority.is_some() {
            cluster.insecure_skip_tls_verify = Some(self.insecure_skip_tls_verify == Some(true));
            cluster.certificate_authority = self.certificate_authority.as_deref().map(path_string);
            cluster.certificate_authority_data = None;
        }
        // --tls-server-name wins; a --server without one clears the kubeconfig's (it named another host).
        if self.tls_server_name.is_some() || self.server.is_some() {
            cluster.tls_server_name = self.tls_server_name.clone();
        }
        if self.disable_compression == Some(true) {
            cluster.disable_compression = Some(true);
        }
    }

    /// Apply the credential flags to `user` (client-go's `getAuthInfo` with overrides).
    fn override_user(&self, user: &mut AuthInfo) {
        if let Some(t) = &self.token {
            user.token = Some(t.clone().into());
            // As in kubectl, a given token is what authenticates: no plugin is asked for another.
            user.exec = None;
            user.auth_provider = None;
        }
        if let Some(c) = &self.client_certificate {
            user.client_certificate = Some(path_string(c));
            user.client_certificate_data = None;
        }
        if let Some(k) = &self.client_key {
            user.client_key = Some(path_string(k));
            user.client_key_data = None;
        }
        if let Some(u) = &self.username {
            user.username = Some(u.clone());
        }
        if let Some(p) = &self.password {
            user.password = Some(p.clone().into());
        }
        if let Some(a) = &self.impersonate {
            user.impersonate = Some(a.clone());
        }
        if !self.impersonate_group.is_empty() {
            user.impersonate_groups = Some(self.impersonate_group.clone());
        }
        if let Some(u) = &self.impersonate_uid {
            user.impersonate_uid = Some(u.clone());
        }
    }
}

impl KubeArgs {
    /// The kubeconfig to build the client from — one context, the flags applied — and the namespace.
    ///
    /// `loaded` is the kubeconfig found (if any), `in_cluster` what a pod would use (if possible).
    pub fn resolve(
        &self,
        loaded: Option<Kubeconfig>,
        in_cluster: Option<&InCluster>,
    ) -> Result<(Kubeconfig, String)> {
        let kc = loaded.unwrap_or_default();
        let context_name = self.context.clone().or(kc.current_context.clone());
        let context = match &context_name {
            Some(name) => match kc.contexts.iter().find(|c| &c.name == name) {
                Some(c) => c.context.clone(),
                None if self.context.is_some() => {
                    return Err(Error::Config(format!("context \"{name}\" does not exist")));
                }
                None => None,
            },
            None => None,
        };
        let cluster_name = self
            .cluster
            .clone()
            .or(context.as_ref().map(|c| c.cluster.clone()));
        let mut cluster = match &cluster_name {
            Some(name) => match kc.clusters.iter().find(|c| &c.name == name) {
                Some(c) => c.cluster.clone().unwrap_or_default(),
                None if self.cluster.is_some() => {
                    return Err(Error::Config(format!("cluster \"{name}\" does not exist")));
                }
                None => Cluster::default(),
            },
            None => Cluster::default(),
        };
        let user_name = self
            .user
            .clone()
            .or(context.as_ref().and_then(|c| c.user.clone()));
        let mut user = match &user_name {
            Some(name) => match kc.auth_infos.iter().find(|u| &u.name == name) {
                Some(u) => u.auth_info.clone().unwrap_or_default(),
                None if self.user.is_some() => {
                    return Err(Error::Config(format!(
                        "auth info \"{name}\" does not exist"
                    )));
                }
                None => AuthInfo::default(),
            },
            None => AuthInfo::default(),
        };
        let context_ns = context
            .as_ref()
            .and_then(|c| c.namespace.clone())
            .filter(|n| !n.is_empty());

        let has_server = cluster.server.as_deref().is_some_and(|s| !s.is_empty());
        let from_cluster_ns = if has_server || self.connection.server.is_some() {
            None
        } else if let Some(ic) = in_cluster {
            // Nothing usable in the kubeconfig: the pod's own configuration, the flags on top.
            let k = ic.kubeconfig();
            cluster = k.clusters[0].cluster.clone().unwrap_or_default();
            user = k.auth_infos[0].auth_info.clone().unwrap_or_default();
            Some(ic.namespace.clone())
        } else if context_name.is_some() && (self.context.is_some() || !kc.contexts.is_empty()) {
            let name = cluster_name.unwrap_or_default();
            return Err(Error::Config(format!(
                "cluster {name:?} of context {:?} has no server; give one with --server",
                context_name.unwrap_or_default()
            )));
        } else {
            return Err(Error::Config(
                "no configuration found: no kubeconfig ($KUBECONFIG, ~/.kube/config), no --server, and not running in a cluster"
                    .into(),
            ));
        };
        self.connection.override_cluster(&mut cluster);
        self.connection.override_user(&mut user);
        check_user(user_name.as_deref().unwrap_or(""), &user)?;

        // Namespace: -n, else the context's, else (in a pod) the pod's, else default.
        let namespace = self
            .namespace
            .clone()
            .filter(|n| !n.is_empty())
            .or(context_ns)
            .or(from_cluster_ns)
            .or(in_cluster.map(|ic| ic.namespace.clone()))
            .unwrap_or_else(|| "default".into());
        Ok((
            one_context("kubectl-osb", cluster, user, Some(namespace.clone())),
            namespace,
        ))
    }

    /// Load the configuration the flags and environment select, without connecting.
    pub async fn config(&self) -> Result<Config> {
        let loaded = match &self.kubeconfig {
            Some(path) => Some(read_kubeconfig(path)?),
            None => kubeconfig_from_env()?,
        };
        let in_cluster = InCluster::detect();
        let (kc, namespace) = self.resolve(loaded, in_cluster.as_ref())?;
        let mut config = Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
            .await
            .map_err(|e| Error::Config(error_chain(&e)))?;
        config.default_namespace = namespace;
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
        let client = transport::client(config, self.verbosity.level)
            .map_err(|e| Error::Config(error_chain(&e)))?;
        Ok(Kube {
            client,
            namespace,
            server,
            chunk_size: self.chunk_size.unwrap_or(crate::list::DEFAULT_CHUNK_SIZE),
        })
    }
}

/// The suite's HTTP client for `config` (kube's stack over the HTTP/1 + HTTP/2 pool, `-v` `level`'s log):
/// what [`KubeArgs::connect`] uses, and what `broker` uses to reach a broker.
pub(crate) fn transport_client(config: Config, level: u8) -> Result<Client, kube::Error> {
    transport::client(config, level)
}

/// client-go's checks of the credentials it is about to use.
fn check_user(name: &str, user: &AuthInfo) -> Result<()> {
    let token = user.token.is_some() || user.token_file.is_some();
    let basic = user.username.is_some() || user.password.is_some();
    if token && basic {
        return Err(Error::Config(format!(
            "more than one authentication method found for {name}; found [token basicAuth], only one is allowed"
        )));
    }
    if user.impersonate.is_none()
        && (user
            .impersonate_groups
            .as_ref()
            .is_some_and(|g| !g.is_empty())
            || user.impersonate_uid.is_some())
    {
        return Err(Error::Config(
            "requesting uid, groups or user-extra without impersonating a user: --as-group and --as-uid need --as"
                .into(),
        ));
    }
    if user.client_certificate.is_some() != user.client_key.is_some()
        && user.client_certificate_data.is_none()
        && user.client_key_data.is_none()
    {
        return Err(Error::Config(
            "--client-certificate and --client-key go together: give both".into(),
        ));
    }
    Ok(())
}

/// An error and its sources on one line.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = c.source();
    }
    s
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn token(u: &AuthInfo) -> Option<String> {
        serde_json::to_value(u).expect("user")["token"]
            .as_str()
            .map(str::to_string)
    }

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        kube: KubeArgs,
    }

    fn flags(args: &[&str]) -> KubeArgs {
        let mut argv = vec!["x"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).expect("flags parse").kube
    }

    fn kubeconfig() -> Kubeconfig {
        let yaml = "apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: 'https://prod:6443', certificate-authority-data: Zm9v, tls-server-name: prod.internal}
- name: dev
  cluster: {server: 'https://dev:6443', insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: admin-token}
- name: ci
  user:
    client-certificate-data: Y2VydA==
    client-key-data: a2V5
    exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token}
contexts:
- name: prod
  context: {cluster: prod, user: admin, namespace: shop}
- name: dev
  context: {cluster: dev, user: ci}
current-context: prod
";
        Kubeconfig::from_yaml(yaml).expect("kubeconfig")
    }

    fn pick(kc: &Kubeconfig) -> (Cluster, AuthInfo) {
        (
            kc.clusters[0].cluster.clone().expect("cluster"),
            kc.auth_infos[0].auth_info.clone().expect("user"),
        )
    }

    fn in_cluster() -> InCluster {
        InCluster {
            server: "https://10.0.0.1:443".into(),
            ca_file: "/sa/ca.crt".into(),
            token_file: "/sa/token".into(),
            namespace: "pods-ns".into(),
        }
    }

    #[test]
    fn every_kubectl_connection_flag_parses() {
        let k = flags(&[
            "-s",
            "https://h:1",
            "--token=t",
            "--certificate-authority",
            "ca.pem",
            "--client-certificate",
            "c.pem",
            "--client-key",
            "k.pem",
            "--insecure-skip-tls-verify",
            "--tls-server-name",
            "api.example",
            "--as",
            "alice",
            "--as-group",
            "g1",
            "--as-group=g2",
            "--as-uid",
            "u-1",
            "--username",
            "bob",
            "--password",
            "pw",
            "--disable-compression",
            "--kubeconfig",
            "kc",
            "--context",
            "c",
            "--cluster",
            "cl",
            "--user",
            "us",
            "-n",
            "ns",
            "--request-timeout",
            "5s",
        ]);
        let c = &k.connection;
        assert_eq!(c.server.as_deref(), Some("https://h:1"));
        assert_eq!(c.insecure_skip_tls_verify, Some(true));
        assert_eq!(c.impersonate_group, ["g1", "g2"]);
        assert_eq!(c.disable_compression, Some(true));
        assert_eq!(
            flags(&["--insecure-skip-tls-verify=false"])
                .connection
                .insecure_skip_tls_verify,
            Some(false)
        );
        assert_eq!(k.verbosity.level, 0, "no -v: kubectl's 0");
        for v in Verbosity::SPELLINGS {
            assert_eq!(flags(v).verbosity.level, 6, "{v:?}");
        }
        let shown = format!("{k:?}");
        assert!(!shown.contains("\"t\"") && !shown.contains("pw"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn the_kubeconfig_alone_selects_the_current_context() {
        let (kc, ns) = flags(&[]).resolve(Some(kubeconfig()), None).expect("ok");
        let (c, u) = pick(&kc);
        assert_eq!(c.server.as_deref(), Some("https://prod:6443"));
        assert_eq!(c.tls_server_name.as_deref(), Some("prod.internal"));
        assert_eq!(token(&u).as_deref(), Some("admin-token"));
        assert_eq!(ns, "shop");
    }

    #[test]
    fn flags_override_the_kubeconfig_field_by_field() {
        let k = flags(&[
            "--server",
            "https://other:443",
            "--token",
            "flag-token",
            "--certificate-authority",
            "/ca.pem",
            "-n",
            "mine",
        ]);
        let (kc, ns) = k.resolve(Some(kubeconfig()), None).expect("ok");
        let (c, u) = pick(&kc);
        assert_eq!(c.server.as_deref(), Some("https://other:443"));
        assert_eq!(c.certificate_authority.as_deref(), Some("/ca.pem"));
        assert_eq!(
            c.certificate_authority_data, None,
            "the flag's CA replaces the data"
        );
        assert_eq!(
            c.tls_server_name, None,
            "--server clears the kubeconfig's tls-server-name"
        );
        assert_eq!(token(&u).as_deref(), Some("flag-token"));
        assert_eq!(ns, "mine");
    }

    #[test]
    fn a_token_flag_wins_over_plugins_and_client_cert_flags_replace_embedded_data() {
        let k = flags(&[
            "--context",
            "dev",
            "--token",
            "t",
            "--client-certificate",
            "/c.pem",
            "--client-key",
            "/k.pem",
        ]);
        let (kc, ns) = k.resolve(Some(kubeconfig()), None).expect("ok");
        let (c, u) = pick(&kc);
        assert_eq!(c.insecure_skip_tls_verify, Some(true), "untouched");
        assert!(u.exec.is_none());
        assert_eq!(u.client_certificate.as_deref(), Some("/c.pem"));
        assert_eq!(u.client_certificate_data, None);
        assert_eq!(u.client_key.as_deref(), Some("/k.pem"));
        assert!(u.client_key_data.is_none());
        assert_eq!(ns, "default", "context dev names no namespace");
    }

    #[test]
    fn insecure_skip_tls_verify_clears_the_ca_and_a_ca_flag_clears_insecure() {
        let (kc, _) = flags(&["--insecure-skip-tls-verify"])
            .resolve(Some(kubeconfig()), None)
            .expect("ok");
        let (c, _) = pick(&kc);
        assert_eq!(c.insecure_skip_tls_verify, Some(true));
        assert_eq!(c.certificate_authority_data, None);
        let (kc, _) = flags(&["--context", "dev", "--certificate-authority", "/ca"])
            .resolve(Some(kubeconfig()), None)
            .expect("ok");
        let (c, _) = pick(&kc);
        assert_eq!(c.insecure_skip_tls_verify, Some(false));
        assert_eq!(c.certificate_authority.as_deref(), Some("/ca"));
    }

    #[test]
    fn cluster_and_user_flags_replace_the_contexts() {
        let (kc, ns) = flags(&["--cluster", "dev", "--user", "ci"])
            .resolve(Some(kubeconfig()), None)
            .expect("ok");
        let (c, u) = pick(&kc);
        assert_eq!(c.server.as_deref(), Some("https://dev:6443"));
        assert!(u.exec.is_some());
        assert_eq!(ns, "shop", "the context still gives the namespace");
        for (args, what) in [
            (
                &["--context", "nope"][..],
                "context \"nope\" does not exist",
            ),
            (&["--cluster", "nope"], "cluster \"nope\" does not exist"),
            (&["--user", "nope"], "auth info \"nope\" does not exist"),
        ] {
            let e = flags(args)
                .resolve(Some(kubeconfig()), None)
                .expect_err("unknown name");
            assert_eq!(e.to_string(), what);
        }
    }

    #[test]
    fn impersonation_flags_reach_the_user() {
        let (kc, _) = flags(&[
            "--as",
            "system:serviceaccount:a:b",
            "--as-group",
            "g",
            "--as-uid",
            "1",
        ])
        .resolve(Some(kubeconfig()), None)
        .expect("ok");
        let (_, u) = pick(&kc);
        assert_eq!(u.impersonate.as_deref(), Some("system:serviceaccount:a:b"));
        assert_eq!(u.impersonate_groups, Some(vec!["g".to_string()]));
        assert_eq!(u.impersonate_uid.as_deref(), Some("1"));
        let e = flags(&["--as-group", "g"])
            .resolve(Some(kubeconfig()), None)
            .expect_err("groups without a user");
        assert!(e.to_string().contains("need --as"), "{e}");
    }

    #[test]
    fn token_and_basic_auth_together_are_refused_as_kubectl_does() {
        let e = flags(&["--username", "u", "--password", "p"])
            .resolve(Some(kubeconfig()), None)
            .expect_err("admin has a token");
        assert!(
            e.to_string()
                .contains("more than one authentication method"),
            "{e}"
        );
        assert!(!e.to_string().contains('p') || !e.to_string().contains("\"p\""));
    }

    #[test]
    fn without_a_kubeconfig_the_flags_alone_are_enough() {
        let (kc, ns) = flags(&[
            "--server",
            "127.0.0.1:6443",
            "--certificate-authority",
            "/ca",
            "--token",
            "t",
        ])
        .resolve(None, None)
        .expect("ok");
        let (c, _) = pick(&kc);
        assert_eq!(
            c.server.as_deref(),
            Some("https://127.0.0.1:6443"),
            "https when TLS is configured"
        );
        assert_eq!(ns, "default");
        let e = flags(&[]).resolve(None, None).expect_err("nothing at all");
        assert!(e.to_string().starts_with("no configuration found"), "{e}");
    }

    #[test]
    fn in_a_pod_the_service_account_is_used_and_flags_apply_on_top() {
        let ic = in_cluster();
        let (kc, ns) = flags(&[]).resolve(None, Some(&ic)).expect("ok");
        let (c, u) = pick(&kc);
        assert_eq!(c.server.as_deref(), Some("https://10.0.0.1:443"));
        assert_eq!(c.certificate_authority.as_deref(), Some("/sa/ca.crt"));
        assert_eq!(u.token_file.as_deref(), Some("/sa/token"));
        assert_eq!(ns, "pods-ns");
        let (kc, ns) = flags(&["--token", "t", "-n", "x"])
            .resolve(None, Some(&ic))
            .expect("ok");
        let (_, u) = pick(&kc);
        assert!(
            u.token.is_some(),
            "the flag's token wins over the token file"
        );
        assert_eq!(ns, "x");
        // A kubeconfig with a server wins over the pod's configuration; its context without a
        // namespace takes the pod's, as kubectl does.
        let (kc, ns) = flags(&["--context", "dev"])
            .resolve(Some(kubeconfig()), Some(&ic))
            .expect("ok");
        assert_eq!(pick(&kc).0.server.as_deref(), Some("https://dev:6443"));
        assert_eq!(ns, "pods-ns");
        // An empty kubeconfig is as good as none.
        let (kc, _) = flags(&[])
            .resolve(Some(Kubeconfig::default()), Some(&ic))
            .expect("ok");
        assert_eq!(pick(&kc).0.server.as_deref(), Some("https://10.0.0.1:443"));
    }
}
