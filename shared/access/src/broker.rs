//! The OSB client: a broker's own endpoint, reached as the catalog controller reaches it, for the
//! questions `kubectl osb broker` asks it (read-only: `GET /v2/catalog`, `GET` an instance or a binding,
//! `GET …/last_operation`; docs/broker.md).
//!
//! What the controller does, and so what [`Endpoint::open`] does:
//!
//! * the URL is the broker's `spec.url`; every request carries `X-Broker-API-Version: 2.14`;
//! * `spec.authInfo.basic.secretRef` → HTTP basic auth from the Secret's `username` and `password` keys;
//!   `spec.authInfo.bearer.secretRef` → `Authorization: Bearer` from its `token` key (a ClusterServiceBroker
//!   names the Secret's namespace, a ServiceBroker's Secret is in its own namespace). RBAC: `get` on that
//!   Secret, which the opt-in role `osb-broker-credentials` ([`ROLE`]) grants where it is bound; a 403 names
//!   it and the command that binds it;
//! * `spec.caBundle` (PEM) is the only CA trusted for an `https` URL; `spec.insecureSkipTLSVerify` skips the
//!   check.
//!
//! The credentials go into the HTTP client's authentication layer and nowhere else: they are not in
//! [`Endpoint`]'s `Debug`, in any error (a Secret's key is named, never its value), and `-v=N` logs the
//! `Authorization` header as `Basic <masked>` / `Bearer <masked>` (the transport's `verbose` layer, the one
//! redaction rule: `osb_model::redact`). The requests go through the same transport as the API server's
//! (`client::transport`): `-v=6…10` log them the same way, and `--request-timeout` bounds them.
//!
//! # A broker inside the cluster (`http[s]://NAME.NAMESPACE.svc[.cluster.local][:PORT]`)
//!
//! Such a name resolves only inside the cluster. [`route`] sends those requests through the API server's
//! service proxy (`/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/…`), with the user's own
//! credentials for the API server (RBAC: `get` on `services/proxy` in the broker's namespace, granted by
//! `osb-broker-credentials` too; a 403 names it). Two limits of that route, said where they bite:
//!
//! * the API server takes the `Authorization` header for itself (it authenticates the user with it and
//!   removes it before proxying), so a broker with `authInfo` cannot be asked through it: [`Endpoint::open`]
//!   refuses with an error that says to forward a port and pass its address with `--broker-url`;
//! * the API server makes the TLS connection to an `https` broker and does not verify it against the
//!   broker's `caBundle`.
//!
//! With `--broker-url` (a `kubectl port-forward`, or any address where the broker answers) the request
//! goes there directly, credentials and CA as above; for an `https` URL the broker's certificate is checked
//! against the name in `spec.url` (the name it was issued for), not against the forwarded address.

use std::time::Duration;

use http::{HeaderName, HeaderValue, Request};
use http_body_util::BodyExt;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::config::{AuthInfo, Cluster, KubeConfigOptions};
use serde_json::Value;

use crate::catalog::{ClusterServiceBroker, CommonServiceBrokerSpec, ServiceBroker};
use crate::client::{Kube, error_chain as chain};
use crate::error::{Error, Result};

/// The OSB API version sent, as the v0.3.1 controller sends it.
pub const API_VERSION: &str = "2.14";

/// The shipped role (`packaging/rbac/broker-credentials.yaml`) for what asking a broker needs beyond
/// reading the catalog: its authInfo Secret, the service proxy. Opt-in: the Secret is an admin's to share.
pub const ROLE: &str = "broker-credentials";

/// A broker object, as far as reaching it goes.
#[derive(Clone, Debug)]
pub struct Target {
    /// `ClusterServiceBroker` or `ServiceBroker`.
    pub kind: &'static str,
    pub name: String,
    /// The namespace of a ServiceBroker.
    pub namespace: Option<String>,
    pub spec: CommonServiceBrokerSpec,
    /// `status.lastCatalogRetrievalTime`: the controller's last relist.
    pub retrieved: Option<String>,
}

impl Target {
    /// `clusterservicebroker/NAME` or `servicebroker/NAME` (kubectl's TYPE/NAME).
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.name)
    }

    /// The ClusterServiceBroker `name`.
    pub async fn cluster(kube: &Kube, name: &str) -> Result<Target> {
        let b = Api::<ClusterServiceBroker>::all(kube.client.clone())
            .get(name)
            .await?;
        Ok(Target {
            kind: "ClusterServiceBroker",
            name: name.to_string(),
            namespace: None,
            spec: b.spec.common,
            retrieved: b.status.and_then(|s| s.last_catalog_retrieval_time),
        })
    }

    /// The ServiceBroker `name` in `namespace`.
    pub async fn namespaced(kube: &Kube, namespace: &str, name: &str) -> Result<Target> {
        let b = Api::<ServiceBroker>::namespaced(kube.client.clone(), namespace)
            .get(name)
            .await?;
        Ok(Target {
            kind: "ServiceBroker",
            name: name.to_string(),
            namespace: Some(namespace.to_string()),
            spec: b.spec.common,
            retrieved: b.status.and_then(|s| s.last_catalog_retrieval_time),
        })
    }

    /// `BROKER` as users name it: the ClusterServiceBroker of that name, else the ServiceBroker of that
    /// name in the command's namespace; `clusterservicebroker/NAME` or `servicebroker/NAME` say which.
    pub async fn find(kube: &Kube, arg: &str) -> Result<Target> {
        let (kind, name) = match arg.split_once('/') {
            Some((k, n)) => (Some(k.to_ascii_lowercase()), n),
            None => (None, arg),
        };
        match kind.as_deref() {
            Some("clusterservicebroker" | "clusterservicebrokers" | "csb") => {
                return Target::cluster(kube, name).await;
            }
            Some("servicebroker" | "servicebrokers") => {
                return Target::namespaced(kube, &kube.namespace, name).await;
            }
            Some(other) => {
                return Err(Error::Usage(format!(
                    "{other:?} is not a broker kind: name a broker as NAME, clusterservicebroker/NAME or servicebroker/NAME"
                )));
            }
            None => {}
        }
        match Target::cluster(kube, name).await {
            Err(e) if e.is_not_found() => {}
            other => return other,
        }
        match Target::namespaced(kube, &kube.namespace, name).await {
            Err(e) if e.is_not_found() => Err(crate::error::not_found(
                "clusterservicebrokers.servicecatalog.k8s.io",
                name,
            )
            .then(&format!(
                "nor a servicebrokers.servicecatalog.k8s.io {name:?} in namespace {:?}",
                kube.namespace
            ))),
            other => other,
        }
    }
}

/// How the requests reach the broker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// To the URL itself.
    Direct,
    /// Through the API server's service proxy (a `*.svc` host).
    ServiceProxy {
        namespace: String,
        service: String,
        /// `https` or `http`.
        scheme: String,
        port: u16,
        /// The URL's path (the broker's prefix), without a trailing `/`.
        path: String,
    },
}

impl Route {
    /// Words for messages: `directly` / `through the API server's service proxy (NS/NAME:PORT)`.
    pub fn words(&self) -> String {
        match self {
            Route::Direct => "directly".into(),
            Route::ServiceProxy {
                namespace,
                service,
                port,
                ..
            } => format!("through the API server's service proxy ({namespace}/{service}:{port})"),
        }
    }
}

/// The pieces of an `http[s]://` URL this module needs: scheme, host, port (the scheme's default when
/// absent), path (no trailing `/`). `None` when it is no such URL.
fn parse_url(url: &str) -> Option<(String, String, u16, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    // user:password@ is no part of the route (and never shown).
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => default_port,
        };
        (h.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().ok()?),
            None => (authority.to_string(), default_port),
        }
    };
    if host.is_empty() {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    Some((
        scheme,
        host.to_ascii_lowercase(),
        port,
        path.trim_end_matches('/').to_string(),
    ))
}

/// How `url` is reached (see the module): a host `NAME.NAMESPACE.svc` or `NAME.NAMESPACE.svc.DOMAIN`
/// through the API server's service proxy, anything else directly.
pub fn route(url: &str) -> Result<Route> {
    let (scheme, host, port, path) = parse_url(url).ok_or_else(|| {
        Error::Input(format!(
            "the broker URL {:?} is not an http:// or https:// URL",
            shown_url(url)
        ))
    })?;
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 3 && labels[2] == "svc" && !labels[0].is_empty() && !labels[1].is_empty() {
        return Ok(Route::ServiceProxy {
            namespace: labels[1].to_string(),
            service: labels[0].to_string(),
            scheme,
            port,
            path,
        });
    }
    Ok(Route::Direct)
}

/// `url` without any `user:password@` in it, for messages.
pub fn shown_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..end].rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://<redacted>@{host}{}", &rest[end..]),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    }
}

/// The credentials of `authInfo`; `Debug` shows which kind only.
#[derive(Clone, Default)]
enum Auth {
    #[default]
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "None",
            Auth::Basic { .. } => "Basic(<redacted>)",
            Auth::Bearer { .. } => "Bearer(<redacted>)",
        })
    }
}

impl Auth {
    fn words(&self) -> &'static str {
        match self {
            Auth::None => "no credentials",
            Auth::Basic { .. } => "basic auth",
            Auth::Bearer { .. } => "a bearer token",
        }
    }
}

/// What the caller may change about how the broker is reached.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--broker-url`: ask the broker here instead of at `spec.url` (a port-forward).
    pub url: Option<String>,
    /// `-v`: the HTTP log level, as for the API server.
    pub level: u8,
    /// `--request-timeout`.
    pub timeout: Option<Duration>,
}

/// The flag of every verb that asks a broker (`broker`, `abandon`, `describe --broker`).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct BrokerFlags {
    /// Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside
    /// the cluster); its credentials and caBundle still apply
    #[arg(long, value_name = "URL", add = crate::complete::Complete::Nothing)]
    pub broker_url: Option<String>,
}

impl BrokerFlags {
    /// The [`Options`] these flags and kubectl's (`-v`, `--request-timeout`) make.
    pub fn options(&self, kube: &crate::client::KubeArgs) -> Options {
        Options {
            url: self.broker_url.clone(),
            level: kube.verbosity.level,
            timeout: kube.request_timeout.filter(|t| !t.is_zero()),
        }
    }
}

/// One broker, ready to be asked.
pub struct Endpoint {
    pub target: Target,
    /// Where the requests go (`spec.url`, or `--broker-url`), as shown: no credentials in it.
    pub url: String,
    pub route: Route,
    /// `no credentials`, `basic auth` or `a bearer token` (never the values).
    pub auth: &'static str,
    client: kube::Client,
    /// Prepended to `/v2/…` (the service proxy's path; empty when direct).
    prefix: String,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("target", &self.target.display())
            .field("url", &self.url)
            .field("route", &self.route)
            .field("auth", &self.auth)
            .finish()
    }
}

/// One answer of the broker: its status and body (`Null` when empty or not JSON; `text` then has the
/// start of it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// `GET /v2/…` as asked (the broker's path, without the service proxy's prefix).
    pub request: String,
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// The OSB error's `description` (else `error`, else the start of the text), for messages.
    pub fn description(&self) -> String {
        for k in ["description", "error"] {
            if let Some(s) = self.body.get(k).and_then(Value::as_str) {
                return s.to_string();
            }
        }
        self.text.chars().take(200).collect()
    }
}

impl Endpoint {
    /// Get ready to ask `target`: its credentials read (see the module), its route chosen.
    pub async fn open(kube: &Kube, target: Target, opts: &Options) -> Result<Endpoint> {
        let auth = credentials(kube, &target).await?;
        let given = opts.url.clone().unwrap_or_else(|| target.spec.url.clone());
        let route = match &opts.url {
            Some(u) => {
                route(u)?;
                Route::Direct
            }
            None => route(&given)?,
        };
        let shown = shown_url(&given);
        let (client, prefix) = match &route {
            Route::Direct => (
                direct_client(&target, &given, &auth, opts).await?,
                String::new(),
            ),
            Route::ServiceProxy {
                namespace,
                service,
                scheme,
                port,
                path,
            } => {
                if !matches!(auth, Auth::None) {
                    return Err(Error::Input(format!(
                        "{} ({shown}) is inside the cluster and needs {}: the API server's service proxy \
                         cannot carry a broker's credentials (it keeps the Authorization header for itself); \
                         forward a port (kubectl port-forward -n {namespace} svc/{service} 8443:{port}) and \
                         give its address: --broker-url {scheme}://127.0.0.1:8443{path}",
                        target.display(),
                        auth.words(),
                    )));
                }
                let which = if scheme == "https" {
                    format!("https:{service}:{port}")
                } else {
                    format!("{service}:{port}")
                };
                // The user's own client for the API server: its credentials, timeouts and -v log.
                (
                    kube.client.clone(),
                    format!("/api/v1/namespaces/{namespace}/services/{which}/proxy{path}"),
                )
            }
        };
        Ok(Endpoint {
            target,
            url: shown,
            route,
            auth: auth.words(),
            client,
            prefix,
        })
    }

    /// `GET path` (`/v2/…`, query included) on the broker: the answer whatever its status; an error only
    /// when there is no answer (connection refused, TLS, timeout), naming the broker and the URL.
    pub async fn get(&self, path: &str) -> Result<Answer> {
        let uri = format!("{}{path}", self.prefix);
        let req = Request::get(uri.as_str())
            .header("x-broker-api-version", API_VERSION)
            .header("accept", "application/json")
            .body(kube::client::Body::empty())
            .map_err(|e| Error::Input(format!("GET {path}: {e}")))?;
        let resp = self
            .client
            .send(req)
            .await
            .map_err(|e| self.unreachable(path, &e))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| self.unreachable(path, &e))?
            .to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).into_owned();
        if let Route::ServiceProxy {
            namespace,
            service,
            port,
            ..
        } = &self.route
            && status == 403
            && body.get("kind").and_then(Value::as_str) == Some("Status")
        {
            // The API server refused the proxy itself: the broker was never asked.
            let message = body
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let need = crate::rbac::Need::new("get", "", "services/proxy", namespace)
                .named(&format!("{service}:{port}"));
            return Err(Error::Forbidden(format!(
                "Error from server (Forbidden): {message}\nerror: {} is inside the cluster ({}): asking it \
                 through the API server's service proxy ({namespace}/{service}:{port}) is not allowed \
                 (a port forwarded to it, given with --broker-url, is the other way)\n{}",
                self.target.display(),
                self.url,
                crate::rbac::missing(ROLE, &need, &refused_user(message)),
            )));
        }
        Ok(Answer {
            request: format!("GET {path}"),
            status,
            body,
            text,
        })
    }

    fn unreachable(&self, path: &str, e: &dyn std::error::Error) -> Error {
        Error::Input(format!(
            "cannot reach {} at {} ({}): GET {path}: {}",
            self.target.display(),
            self.url,
            self.route.words(),
            chain(e)
        ))
    }

    /// `GET /v2/catalog`: the catalog document; any status but 200 is an error.
    pub async fn catalog(&self) -> Result<Value> {
        let a = self.get("/v2/catalog").await?;
        if a.status != 200 || !a.body.is_object() {
            return Err(Error::Input(format!(
                "{} answered GET /v2/catalog with HTTP {}: {}",
                self.target.display(),
                a.status,
                a.description()
            )));
        }
        Ok(a.body)
    }

    /// `GET /v2/service_instances/ID`.
    pub async fn instance(&self, id: &str) -> Result<Answer> {
        self.get(&format!("/v2/service_instances/{}", enc(id)))
            .await
    }

    /// `GET /v2/service_instances/ID/service_bindings/BID`.
    pub async fn binding(&self, id: &str, bid: &str) -> Result<Answer> {
        self.get(&format!(
            "/v2/service_instances/{}/service_bindings/{}",
            enc(id),
            enc(bid)
        ))
        .await
    }

    /// `GET …/last_operation` of an instance (`binding`: of that binding), with the ids and the
    /// `operation` key the controller stored.
    pub async fn last_operation(
        &self,
        id: &str,
        binding: Option<&str>,
        service_id: &str,
        plan_id: &str,
        operation: Option<&str>,
    ) -> Result<Answer> {
        let mut path = format!("/v2/service_instances/{}", enc(id));
        if let Some(b) = binding {
            path.push_str(&format!("/service_bindings/{}", enc(b)));
        }
        path.push_str(&format!(
            "/last_operation?service_id={}&plan_id={}",
            enc(service_id),
            enc(plan_id)
        ));
        if let Some(op) = operation.filter(|o| !o.is_empty()) {
            path.push_str(&format!("&operation={}", enc(op)));
        }
        self.get(&path).await
    }
}

/// Percent-encode what is not unreserved (RFC 3986) in a path segment or query value.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The user a 403's message names (empty when it is not in RBAC's wording).
fn refused_user(message: &str) -> String {
    crate::rbac::parse_forbidden(message)
        .map(|r| r.user)
        .unwrap_or_default()
}

/// The credentials `authInfo` names, read from its Secret (see the module). A Secret that cannot be read
/// says which and why, and which role grants reading it; a missing key is named, no value ever is.
async fn credentials(kube: &Kube, target: &Target) -> Result<Auth> {
    let Some(info) = &target.spec.auth_info else {
        return Ok(Auth::None);
    };
    let (which, keys): (_, &[&str]) = match (&info.basic, &info.bearer) {
        (Some(b), _) => (b, &["username", "password"]),
        (None, Some(b)) => (b, &["token"]),
        (None, None) => return Ok(Auth::None),
    };
    let Some(sref) = &which.secret_ref else {
        return Err(Error::Input(format!(
            "{} has authInfo without a secretRef",
            target.display()
        )));
    };
    let namespace = match (&target.namespace, &sref.namespace) {
        // A ServiceBroker's Secret is in its own namespace.
        (Some(ns), _) => ns.clone(),
        (None, Some(ns)) => ns.clone(),
        (None, None) => {
            return Err(Error::Input(format!(
                "{}'s authInfo secretRef {:?} names no namespace",
                target.display(),
                sref.name
            )));
        }
    };
    let secret = Api::<Secret>::namespaced(kube.client.clone(), &namespace)
        .get(&sref.name)
        .await
        .map_err(|e| {
            let e = Error::Kube(e);
            if e.is_forbidden() {
                let need = crate::rbac::Need::secrets("get", &namespace).named(&sref.name);
                Error::Forbidden(format!(
                    "{}\nerror: {} has authInfo: asking it needs its credentials, and its Secret \
                     {namespace}/{} may not be read\n{}",
                    e.render().unwrap_or_default(),
                    target.display(),
                    sref.name,
                    crate::rbac::missing(
                        ROLE,
                        &need,
                        &refused_user(e.forbidden_message().unwrap_or_default())
                    ),
                ))
            } else if e.is_not_found() {
                Error::Input(format!(
                    "{}'s credentials: the Secret {namespace}/{} does not exist",
                    target.display(),
                    sref.name
                ))
            } else {
                e
            }
        })?;
    let data = secret.data.unwrap_or_default();
    let mut values = Vec::new();
    for k in keys {
        let v = data
            .get(*k)
            .map(|b| {
                String::from_utf8_lossy(&b.0)
                    .trim_end_matches(['\r', '\n'])
                    .to_string()
            })
            .filter(|v| !v.is_empty());
        match v {
            Some(v) => values.push(v),
            None => {
                return Err(Error::Input(format!(
                    "{}'s credentials: the Secret {namespace}/{} has no key {k:?}",
                    target.display(),
                    sref.name
                )));
            }
        }
    }
    Ok(match (values.pop(), values.pop()) {
        (Some(token), None) => Auth::Bearer { token },
        (Some(password), Some(username)) => Auth::Basic { username, password },
        _ => Auth::None,
    })
}

/// A client for `url` with the broker's TLS settings and credentials, through the suite's transport.
async fn direct_client(
    target: &Target,
    url: &str,
    auth: &Auth,
    opts: &Options,
) -> Result<kube::Client> {
    let mut cluster = Cluster {
        server: Some(url.to_string()),
        insecure_skip_tls_verify: target.spec.insecure_skip_tls_verify,
        certificate_authority_data: target.spec.ca_bundle.clone().filter(|c| !c.is_empty()),
        ..Default::default()
    };
    if opts.url.is_some()
        && let Some((_, host, _, _)) = parse_url(&target.spec.url)
    {
        // A forwarded port: the certificate was issued for the name in spec.url.
        cluster.tls_server_name = Some(host);
    }
    let mut user = AuthInfo::default();
    match auth {
        Auth::None => {}
        Auth::Basic { username, password } => {
            user.username = Some(username.clone());
            user.password = Some(password.clone().into());
        }
        Auth::Bearer { token } => user.token = Some(token.clone().into()),
    }
    let kc = crate::client::one_context("osb-broker", cluster, user, None);
    let mut config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .map_err(|e| {
            Error::Input(format!(
                "{}: cannot use its URL, caBundle or credentials: {}",
                target.display(),
                chain(&e)
            ))
        })?;
    // The API server's retries of 429/503/504 are no broker's contract.
    config.default_retry = false;
    config.connect_timeout = Some(opts.timeout.unwrap_or(Duration::from_secs(10)));
    config.read_timeout = Some(opts.timeout.unwrap_or(Duration::from_secs(30)));
    config.headers.push((
        HeaderName::from_static("x-broker-api-version"),
        HeaderValue::from_static(API_VERSION),
    ));
    crate::client::transport_client(config, opts.level).map_err(|e| {
        Error::Input(format!(
            "{}: cannot use its URL, caBundle or credentials: {}",
            target.display(),
            chain(&e)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svc_hosts_go_through_the_service_proxy_and_others_directly() {
        assert_eq!(
            route("http://broker.osb.svc:8080/prefix/").expect("a URL"),
            Route::ServiceProxy {
                namespace: "osb".into(),
                service: "broker".into(),
                scheme: "http".into(),
                port: 8080,
                path: "/prefix".into(),
            }
        );
        assert_eq!(
            route("https://b.ns.svc.cluster.local").expect("a URL"),
            Route::ServiceProxy {
                namespace: "ns".into(),
                service: "b".into(),
                scheme: "https".into(),
                port: 443,
                path: String::new(),
            }
        );
        assert_eq!(
            route("http://127.0.0.1:1234").expect("a URL"),
            Route::Direct
        );
        assert_eq!(
            route("https://broker.example.com").expect("a URL"),
            Route::Direct
        );
        assert_eq!(route("http://[::1]:80/x").expect("a URL"), Route::Direct);
        assert!(route("ftp://x").is_err());
        assert!(route("nonsense").is_err());
    }

    #[test]
    fn urls_are_shown_without_their_userinfo() {
        assert_eq!(
            shown_url("https://u:canary@host:1/p?q"),
            "https://<redacted>@host:1/p?q"
        );
        assert_eq!(shown_url("http://host/p@x"), "http://host/p@x");
        let e = route("gopher://u:canary@h")
            .expect_err("refused")
            .to_string();
        assert!(!e.contains("canary"), "{e}");
    }

    #[test]
    fn credentials_never_show_in_debug() {
        let a = Auth::Basic {
            username: "canary-user".into(),
            password: "canary-pass".into(),
        };
        let b = Auth::Bearer {
            token: "canary-token".into(),
        };
        let shown = format!("{a:?} {b:?}");
        assert!(!shown.contains("canary"), "{shown}");
    }

    #[test]
    fn ids_are_encoded_in_paths_and_queries() {
        assert_eq!(enc("a b/c&d=e"), "a%20b%2Fc%26d%3De");
        assert_eq!(enc("6f2a9d4e-0c1b.x_y~"), "6f2a9d4e-0c1b.x_y~");
    }

    /// A one-shot HTTP server on loopback: answers `body` with `status` and hands back the request head.
    async fn one_answer(
        status: u16,
        body: &'static str,
    ) -> (String, tokio::task::JoinHandle<String>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.expect("accept");
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = sock.read(&mut buf).await.expect("read");
                if n == 0 {
                    break;
                }
                head.extend_from_slice(&buf[..n]);
            }
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            sock.write_all(answer.as_bytes()).await.expect("write");
            String::from_utf8_lossy(&head).to_ascii_lowercase()
        });
        (url, task)
    }

    fn kube_with(script: Vec<(u16, Value)>) -> Kube {
        let (client, _) = crate::fake_api::fake(script);
        Kube {
            client,
            namespace: "dev".into(),
            server: "https://api".into(),
            chunk_size: 500,
        }
    }

    /// The endpoint [`Endpoint::open`] opens for `url` with `auth`.
    async fn opened(kube: &Kube, url: &str, auth: Option<(&str, &str)>) -> Endpoint {
        Endpoint::open(kube, target(url, auth), &Options::default())
            .await
            .expect("open")
    }

    /// What [`Endpoint::open`] refuses for `target` (`why`: what the refusal is about).
    async fn refused(kube: &Kube, url: &str, auth: Option<(&str, &str)>, why: &str) -> Error {
        Endpoint::open(kube, target(url, auth), &Options::default())
            .await
            .expect_err(why)
    }

    fn target(url: &str, auth: Option<(&str, &str)>) -> Target {
        let secret = |name: &str| crate::catalog::SecretAuthInfo {
            secret_ref: Some(crate::catalog::ObjectReference {
                namespace: Some("brokers".into()),
                name: name.into(),
            }),
        };
        let auth_info = auth.map(|(kind, name)| crate::catalog::BrokerAuthInfo {
            basic: (kind == "basic").then(|| secret(name)),
            bearer: (kind == "bearer").then(|| secret(name)),
        });
        Target {
            kind: "ClusterServiceBroker",
            name: "b".into(),
            namespace: None,
            spec: CommonServiceBrokerSpec {
                url: url.into(),
                auth_info,
                ..Default::default()
            },
            retrieved: None,
        }
    }

    /// An API server that answers one GET with the Secret `brokers/creds` holding `data`.
    fn kube_with_secret(data: Value) -> Kube {
        kube_with(vec![(
            200,
            serde_json::json!({"apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": "creds", "namespace": "brokers"}, "data": data}),
        )])
    }

    #[tokio::test]
    async fn basic_auth_and_the_api_version_are_sent_as_the_controller_sends_them() {
        let (url, server) = one_answer(200, r#"{"services":[]}"#).await;
        let kube = kube_with_secret(
            serde_json::json!({"username": "Y2FuYXJ5LXVzZXI=", "password": "Y2FuYXJ5LXBhc3M="}),
        );
        let ep = opened(&kube, &url, Some(("basic", "creds"))).await;
        assert_eq!(ep.auth, "basic auth");
        assert!(!format!("{ep:?}").contains("canary"));
        let cat = ep.catalog().await.expect("catalog");
        assert_eq!(cat["services"], serde_json::json!([]));
        let head = server.await.expect("server");
        assert!(head.starts_with("get /v2/catalog http/1.1"), "{head}");
        assert!(head.contains("x-broker-api-version: 2.14"), "{head}");
        assert!(
            head.contains("authorization: basic y2fuyxj5lxvzzxi6y2fuyxj5lxbhc3m="),
            "{head}"
        );
    }

    #[tokio::test]
    async fn a_bearer_token_is_sent_and_answers_of_any_status_come_back() {
        let (url, server) = one_answer(404, r#"{"description":"gone"}"#).await;
        let kube = kube_with_secret(serde_json::json!({"token": "Y2FuYXJ5LXRva2Vu"}));
        let ep = opened(&kube, &url, Some(("bearer", "creds"))).await;
        let a = ep.instance("i d").await.expect("answer");
        assert_eq!((a.status, a.description()), (404, "gone".to_string()));
        let head = server.await.expect("server");
        assert!(
            head.starts_with("get /v2/service_instances/i%20d http/1.1"),
            "{head}"
        );
        assert!(
            head.contains("authorization: bearer canary-token"),
            "{head}"
        );
    }

    #[tokio::test]
    async fn a_missing_key_is_named_and_an_unreadable_secret_names_the_role() {
        let kube = kube_with_secret(serde_json::json!({"username": "Y2FuYXJ5LXVzZXI="}));
        let e = refused(&kube, "http://x", Some(("basic", "creds")), "no password").await;
        let shown = e.render().unwrap_or_default();
        assert!(shown.contains("has no key \"password\""), "{shown}");
        assert!(
            !shown.contains("canary") && !shown.contains("Y2Fu"),
            "{shown}"
        );

        let kube = kube_with(vec![(403, crate::fake_api::status(403, "Forbidden"))]);
        let e = refused(&kube, "http://x", Some(("bearer", "creds")), "forbidden").await;
        assert!(e.is_forbidden());
        let shown = e.render().unwrap_or_default();
        assert!(
            shown.contains("clusterservicebroker/b has authInfo")
                && shown.contains("Secret brokers/creds may not be read")
                && shown.contains("granted by ClusterRole osb-broker-credentials")
                && shown.contains("kubectl osb rbac broker-credentials "),
            "{shown}"
        );
    }

    #[tokio::test]
    async fn an_in_cluster_broker_with_credentials_is_refused_with_what_to_do() {
        let kube = kube_with_secret(serde_json::json!({"token": "Y2FuYXJ5LXRva2Vu"}));
        let e = refused(
            &kube,
            "https://osb.brokers.svc:8443",
            Some(("bearer", "creds")),
            "refused",
        )
        .await;
        let shown = e.to_string();
        assert!(
            shown.contains("kubectl port-forward -n brokers svc/osb 8443:8443"),
            "{shown}"
        );
        assert!(
            shown.contains("--broker-url https://127.0.0.1:8443"),
            "{shown}"
        );
        assert!(!shown.contains("canary"), "{shown}");
    }

    #[tokio::test]
    async fn a_refused_service_proxy_names_the_role_and_the_broker_is_never_asked() {
        let message = "services \"osb:8080\" is forbidden: User \"system:serviceaccount:dev:ci\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"brokers\"";
        let (client, seen) = crate::fake_api::fake(vec![(
            403,
            serde_json::json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                               "code": 403, "reason": "Forbidden", "message": message}),
        )]);
        let kube = Kube {
            client,
            namespace: "dev".into(),
            server: "https://api".into(),
            chunk_size: 500,
        };
        let ep = opened(&kube, "http://osb.brokers.svc:8080/osb", None).await;
        let e = ep.catalog().await.expect_err("refused");
        assert!(e.is_forbidden());
        let shown = e.render().unwrap_or_default();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines.first().copied(),
            Some(format!("Error from server (Forbidden): {message}").as_str())
        );
        assert!(
            lines[1].starts_with("error: clusterservicebroker/b is inside the cluster (http://osb.brokers.svc:8080/osb): asking it through the API server's service proxy (brokers/osb:8080) is not allowed"),
            "{shown}"
        );
        assert_eq!(
            &lines[2..],
            [
                "missing: get services/proxy \"osb:8080\" in namespace \"brokers\": granted by ClusterRole osb-broker-credentials (bound with a RoleBinding in \"brokers\")",
                "hint: kubectl osb rbac broker-credentials --serviceaccount dev:ci -n brokers | kubectl apply -f -",
            ]
        );
        assert_eq!(
            *seen.lock().expect("log"),
            ["GET /api/v1/namespaces/brokers/services/osb:8080/proxy/osb/v2/catalog"]
        );
    }

    #[tokio::test]
    async fn an_unreachable_broker_is_named_with_its_url() {
        let kube = kube_with(vec![]);
        let ep = opened(&kube, "http://127.0.0.1:1", None).await;
        let e = ep.catalog().await.expect_err("refused").to_string();
        assert!(
            e.starts_with("cannot reach clusterservicebroker/b at http://127.0.0.1:1 (directly)"),
            "{e}"
        );
    }
}
