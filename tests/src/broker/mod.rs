//! An Instaclustr-like Open Service Broker (OSB API v2.13/2.14, plain HTTP on loopback) for the real
//! Service Catalog controller to drive in the tests and the sandbox. Registered as the
//! ClusterServiceBroker [`BROKER_NAME`]; its catalog is [`catalog::CLASSES`] (cassandra, kafka, spark,
//! zeppelin) with draft-04 parameter schemas.
//!
//! Start it in-process with [`Broker::start`] / [`Broker::start_on`] (own thread and Tokio runtime,
//! stopped on drop), or as the binary `osb-broker --port N [--bind 127.0.0.1]`, which prints
//! `listening on http://127.0.0.1:N` once bound. For scale tests, [`Broker::start_with`] /
//! [`serve_with`] (`osb-broker --extra 10x100`) add generated classes and plans ([`catalog::Extra`])
//! after the usual ones.
//!
//! # Instaclustr bodies: v1 and v2
//!
//! The body tells v1 from v2, as Instaclustr's own API does by its version field; the same classes and
//! plans serve both. A provision (or update) whose parameters have a version field (`cassandraVersion`,
//! `kafkaVersion`, …; `osb::instaclustr::v2::detect`) is a v2 body (Cluster Management API v2): its
//! application must be the class's (cassandra, spark and zeppelin are Cassandra, kafka is Kafka) and it
//! must pass the v2 rules (`osb::instaclustr::v2::check`), else 400 `BadRequest` naming every problem
//! with its JSON pointer, as Instaclustr's API refuses it; nothing is created. Its nodes
//! (`dataCentres[].numberOfNodes`, summed) are what the progress reports count, and a binding's
//! `datacenter` is its first data centre's `name`. A body without a version field is v1 and is taken as
//! it always was (unchecked; partial parameters are fine). Each plan's schemas say the same:
//! `oneOf` the v2 body of the class's application and the v1 body ([`catalog`]).
//!
//! # Behaviour: the tests' lever
//!
//! Each instance behaves as its [`Behaviour`] says. Keys (kebab-case; `provisionSeconds`,
//! `deprovisionSeconds` and `bindSeconds` are accepted too; unknown keys are refused with 400):
//!
//! | key | values (default first) | effect |
//! |---|---|---|
//! | `provision` | `succeed` | 202, `in progress` for `provision-seconds`, then `succeeded` |
//! | | `fail` | 202, then `failed` (description: `message`) after `provision-seconds` |
//! | | `reject` | 400 at once, nothing created |
//! | | `retry` | 500 on every provision call, nothing created |
//! | | `orphan` | 500 on every provision call, the cluster created and held (orphan mitigation has something to delete) |
//! | | `hang` | 202, `in progress` for ever (until the behaviour changes) |
//! | | `sync` | 201 at once, no operation (updates are then synchronous too) |
//! | `provision-seconds` | `1.0` | how long a provision (and an update) runs; `0` makes updates synchronous |
//! | `deprovision` | `succeed` | 202, `in progress` for `deprovision-seconds`, then 410 Gone; 200 at once if the seconds are 0 |
//! | | `fail` | 400 |
//! | | `retry` | 500 |
//! | | `async-fail` | 202, then `failed` after `deprovision-seconds`; the instance stays |
//! | `deprovision-seconds` | `0.5` | how long a deprovision runs |
//! | `update` | `succeed` / `fail` | `fail`: PATCH answers 400 |
//! | `bind` | `succeed` / `fail` / `retry` | 201 with credentials / 400 / 500 |
//! | | `async` | 202, `in progress` for `bind-seconds`, then `succeeded`; the credentials come from GET binding |
//! | | `async-fail` | 202, then `failed` (description: `message`) after `bind-seconds` |
//! | | `async-lost` | 202, `succeeded` after `bind-seconds`, but GET binding answers 404 |
//! | | `hang` | 202, `in progress` for ever (until the behaviour changes) |
//! | `unbind` | `succeed` / `fail` | 200 / 400 |
//! | | `async` | 202, `in progress` for `bind-seconds`, then `succeeded` (the binding is gone) |
//! | | `async-fail` | 202, then `failed` (description: `message`) after `bind-seconds`; the binding stays |
//! | `bind-seconds` | `1.0` | how long an asynchronous bind or unbind runs |
//! | `message` | — | the `description` of every failure (a sensible default per failure otherwise) |
//!
//! Layers, key by key, the first that sets a key wins:
//! 1. the reserved provision parameter `"x-test": {…}` (removed from the stored parameters; a PATCH's
//!    parameters replace it; a bind's own `x-test` applies to that binding's bind and unbind);
//! 2. the admin registry, keyed by the `namespace` / `instance_name` of the request's OSB `context`
//!    (`PUT /admin/behaviours/{namespace}/{name}`); taken at provision, and a later PUT for the same
//!    namespace/name replaces the layer of instances already provisioned under it (a DELETE does not);
//! 3. the defaults.
//!
//! The behaviour is read again when an asynchronous operation is looked at, so a PUT can release a
//! `hang` or turn a running `fail` into `succeed`.
//!
//! # Admin endpoints (no API-version header needed)
//!
//! * `PUT /admin/behaviours/{namespace}/{name}` (body: a partial Behaviour) → 204; `DELETE` → 204;
//!   `GET /admin/behaviours` → the registry.
//! * `GET /admin/instances` → [`InstanceInfo`]s: id, namespace, instance_name, service/plan ids and
//!   names, parameters, state (`provisioning|ready|failed|deprovisioning|gone`), behaviour, last
//!   operation, bindings with their credentials.
//! * `DELETE /admin/instances/{namespace}/{name}` → 204: the broker forgets every instance provisioned
//!   under that name (as one that lost its state: GET instance then answers 404, DELETE 410); 404 when it
//!   knows none.
//! * `PUT /admin/catalog` (body: a whole catalog document, mistakes and all) → 204: what `GET /v2/catalog`
//!   serves from now on (provisions still know the usual classes only); `DELETE /admin/catalog` → 204:
//!   the usual catalog again.
//! * In-process only: [`Broker::require_auth`] makes every `/v2` request need HTTP basic auth or a bearer
//!   token (401 otherwise), as a broker registered with an `authInfo` Secret does.
//! * `GET /admin/requests` → [`RequestRecord`]s of the OSB requests received (the last
//!   [`state::REQUEST_LOG_LIMIT`]): method, path, query, instance_id, binding_id, operation, namespace,
//!   instance_name, api_version, time, status.
//!
//! # OSB
//!
//! Every `/v2` request needs `X-Broker-API-Version` ≥ 2.13 (else 412). Provision, update and deprovision
//! are asynchronous unless said otherwise above (422 `AsyncRequired` without `accepts_incomplete=true`);
//! repeats: identical → 200 (202 while provisioning), conflicting → 409; a DELETE of a failed or still
//! provisioning instance (the controller's orphan mitigation) forgets it (200); unknown instance → 410 on
//! DELETE, on `last_operation` 410 for a deprovision operation and 404 otherwise. The services are
//! `instances_retrievable`: `GET /v2/service_instances/{id}` answers 200
//! (`service_id`, `plan_id`, `dashboard_url`, `parameters`) for an instance that exists, 404 for one that
//! does not, is still provisioning or failed to, 422 `ConcurrencyError` while it is updated. Binding
//! credentials: [`credentials::keys`].
//!
//! Bindings are retrievable (`bindings_retrievable: true` for every bindable class): `GET
//! …/service_bindings/{bid}` answers the credentials of a binding that exists (404 while an asynchronous
//! bind runs or after it failed), and `GET …/service_bindings/{bid}/last_operation` the state of its
//! asynchronous bind or unbind (`succeeded` for one bound synchronously, 410 for one it does not know).
//! The asynchronous modes need `accepts_incomplete=true` (else 422 `AsyncRequired`); an unbind while the
//! bind still runs (the platform's orphan mitigation) forgets the binding (200), and an unbind of a
//! failed bind answers 410.

pub mod behaviour;
pub mod catalog;
pub mod credentials;
pub mod osb;
pub mod state;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde_json::json;

pub use behaviour::{Behaviour, BindMode, DeprovisionMode, ProvisionMode, UnbindMode, UpdateMode};
pub use state::{
    BindingInfo, BindingState, InstanceInfo, InstanceState, OpKind, OpState, OperationInfo,
    RequestRecord,
};

use osb::{Reply, Who};
use state::Shared;

/// The ClusterServiceBroker name the cluster registers this broker under.
pub const BROKER_NAME: &str = "instaclustr";

/// The lowest `X-Broker-API-Version` accepted (what the v0.3.1 controller sends).
pub const MIN_API_VERSION: (u32, u32) = (2, 13);

/// Credentials a broker can require ([`Broker::require_auth`]).
#[derive(Clone, Copy, Debug)]
pub enum Credentials<'a> {
    /// username, password
    Basic(&'a str, &'a str),
    Bearer(&'a str),
}

/// A broker serving on loopback from its own thread; stopped when dropped.
pub struct Broker {
    /// `http://127.0.0.1:PORT` (or the address of [`Broker::start_at`]), what a ClusterServiceBroker's
    /// `spec.url` takes.
    pub url: String,
    pub port: u16,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Broker {
    /// Bind 127.0.0.1 on a free port and serve; returns once listening.
    pub fn start() -> anyhow::Result<Broker> {
        Broker::start_on(0)
    }

    /// Bind 127.0.0.1:`port` (0: a free one) and serve on a dedicated thread with its own Tokio
    /// runtime; returns once listening.
    pub fn start_on(port: u16) -> anyhow::Result<Broker> {
        Broker::start_with(port, catalog::Extra::default())
    }

    /// Like [`Broker::start_on`], with `extra` generated classes and plans in the catalog.
    pub fn start_with(port: u16, extra: catalog::Extra) -> anyhow::Result<Broker> {
        Broker::serve_on(std::net::Ipv4Addr::LOCALHOST.into(), port, extra)
    }

    /// Bind `ip` on a free port and serve (the url names `ip`): a broker at an address other than
    /// loopback, for an Endpoints object (the API server refuses loopback endpoints, so its service proxy
    /// can only reach a broker at an address of the host's own network).
    pub fn start_at(ip: std::net::IpAddr) -> anyhow::Result<Broker> {
        Broker::serve_on(ip, 0, catalog::Extra::default())
    }

    fn serve_on(ip: std::net::IpAddr, port: u16, extra: catalog::Extra) -> anyhow::Result<Broker> {
        let listener = std::net::TcpListener::bind((ip, port))
            .map_err(|e| anyhow::anyhow!("binding {ip}:{port}: {e}"))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared::default());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<anyhow::Result<()>>();
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("osb-broker-{port}"))
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.into()));
                        return;
                    }
                };
                rt.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e.into()));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    tokio::select! {
                        r = serve_shared(listener, serving, extra) => {
                            if let Err(e) = r {
                                eprintln!("osb-broker on port {port} stopped: {e:#}");
                            }
                        }
                        _ = stopped => {}
                    }
                });
            })?;
        ready_rx
            .recv()
            .map_err(|_| anyhow::anyhow!("the broker thread died before listening"))??;
        Ok(Broker {
            url: format!("http://{}", std::net::SocketAddr::new(ip, port)),
            port,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// What `PUT /admin/behaviours/{namespace}/{name}` does.
    pub fn set_behaviour(&self, namespace: &str, name: &str, behaviour: &Behaviour) {
        self.shared
            .lock()
            .set_behaviour(namespace, name, behaviour.clone());
    }

    /// What `DELETE /admin/behaviours/{namespace}/{name}` does.
    pub fn clear_behaviour(&self, namespace: &str, name: &str) {
        self.shared.lock().clear_behaviour(namespace, name);
    }

    /// What `GET /admin/instances` answers.
    pub fn instances(&self) -> Vec<InstanceInfo> {
        self.shared.lock().infos()
    }

    /// What `DELETE /admin/instances/{namespace}/{name}` does: forget every instance provisioned under
    /// that name, as a broker that lost its state would (no operation, no trace); how many it forgot.
    pub fn forget(&self, namespace: &str, name: &str) -> usize {
        self.shared.lock().forget(namespace, name)
    }

    /// What `PUT /admin/catalog` (`Some`) and `DELETE /admin/catalog` (`None`) do: the document `GET
    /// /v2/catalog` serves from now on (`None`: the usual one).
    pub fn set_catalog(&self, doc: Option<serde_json::Value>) {
        self.shared.lock().catalog = doc;
    }

    /// Require HTTP basic auth (`Basic` with these `username` and `password`), a bearer `token`, or
    /// nothing (`None`) on every `/v2` request from now on: 401 otherwise. In-process only (the admin
    /// endpoints stay open).
    pub fn require_auth(&self, auth: Option<Credentials<'_>>) {
        use base64::Engine as _;
        self.shared.lock().auth = auth.map(|a| match a {
            Credentials::Basic(u, p) => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
            ),
            Credentials::Bearer(t) => format!("Bearer {t}"),
        });
    }

    /// What `GET /admin/requests` answers.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().requests.iter().cloned().collect()
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serve a fresh broker on `listener` until the listener fails (the binary's entry point).
pub async fn serve(listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_with(listener, catalog::Extra::default()).await
}

/// Like [`serve`], with `extra` generated classes and plans in the catalog.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    extra: catalog::Extra,
) -> anyhow::Result<()> {
    serve_shared(listener, Arc::new(Shared::default()), extra).await
}

async fn serve_shared(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    extra: catalog::Extra,
) -> anyhow::Result<()> {
    axum::serve(listener, router_with(shared, extra)).await?;
    Ok(())
}

/// All the routes: `/v2/...` (API version required, every request logged) and `/admin/...`.
pub fn router(shared: Arc<Shared>) -> Router {
    router_with(shared, catalog::Extra::default())
}

/// [`router`] whose catalog has `extra` generated classes and plans after the usual ones.
pub fn router_with(shared: Arc<Shared>, extra: catalog::Extra) -> Router {
    let catalog_route = if extra == catalog::Extra::default() {
        get(osb::catalog)
    } else {
        let doc = Arc::new(catalog::document_with(extra));
        get(move || {
            let doc = doc.clone();
            async move { Reply::new(StatusCode::OK, (*doc).clone()) }
        })
    };
    let v2 = Router::new()
        .route("/v2/catalog", catalog_route)
        .route(
            "/v2/service_instances/{id}",
            put(osb::provision)
                .patch(osb::update)
                .delete(osb::deprovision)
                .get(osb::get_instance),
        )
        .route(
            "/v2/service_instances/{id}/last_operation",
            get(osb::last_operation),
        )
        .route(
            "/v2/service_instances/{id}/service_bindings/{bid}",
            put(osb::bind).delete(osb::unbind).get(osb::get_binding),
        )
        .route(
            "/v2/service_instances/{id}/service_bindings/{bid}/last_operation",
            get(osb::binding_last_operation),
        )
        .route("/v2/{*rest}", axum::routing::any(osb::not_found))
        .layer(middleware::from_fn(require_api_version))
        .layer(middleware::from_fn_with_state(shared.clone(), require_auth))
        .layer(middleware::from_fn_with_state(shared.clone(), log_request));
    let admin = Router::new()
        .route("/admin/behaviours", get(list_behaviours))
        .route(
            "/admin/behaviours/{namespace}/{name}",
            put(set_behaviour).delete(clear_behaviour),
        )
        .route("/admin/catalog", put(set_catalog).delete(reset_catalog))
        .route("/admin/instances", get(list_instances))
        .route(
            "/admin/instances/{namespace}/{name}",
            axum::routing::delete(forget_instance),
        )
        .route("/admin/requests", get(list_requests));
    v2.merge(admin).with_state(shared)
}

/// Parse `2.13` as (2, 13).
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The credentials [`Broker::require_auth`] set, else 401 (before the API version is looked at, as a
/// broker behind an authenticating proxy answers).
async fn require_auth(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let want = s.lock().auth.clone();
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    match want {
        Some(w) if given != Some(w.as_str()) => Reply::error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "missing or wrong credentials",
        )
        .into_response(),
        _ => next.run(req).await,
    }
}

async fn require_api_version(req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get("x-broker-api-version")
        .and_then(|v| v.to_str().ok());
    let ok = header
        .and_then(parse_version)
        .is_some_and(|(major, minor)| major == MIN_API_VERSION.0 && minor >= MIN_API_VERSION.1);
    if ok {
        return next.run(req).await;
    }
    let (major, minor) = MIN_API_VERSION;
    let description = match header {
        None => format!("the X-Broker-API-Version header is required (at least {major}.{minor})"),
        Some(v) => format!(
            "X-Broker-API-Version {v:?} is not supported: this broker requires {major}.x with x >= {minor}"
        ),
    };
    Reply::error(
        StatusCode::PRECONDITION_FAILED,
        "PreconditionFailed",
        description,
    )
    .into_response()
}

/// `(instance_id, binding_id)` from a `/v2/service_instances/...` path.
fn ids_of(path: &str) -> (Option<String>, Option<String>) {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("v2"), Some("service_instances"), Some(id)) if !id.is_empty() => {
            let bid = match (parts.next(), parts.next()) {
                (Some("service_bindings"), Some(b)) if !b.is_empty() => Some(b.to_string()),
                _ => None,
            };
            (Some(id.to_string()), bid)
        }
        _ => (None, None),
    }
}

/// The raw value of `key` in a query string.
fn query_value(query: Option<&str>, key: &str) -> Option<String> {
    query?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_string())
    })
}

async fn log_request(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let time = state::now_rfc3339();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let api_version = req
        .headers()
        .get("x-broker-api-version")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (instance_id, binding_id) = ids_of(&path);
    let operation = query_value(query.as_deref(), "operation");
    let resp = next.run(req).await;
    let who = resp.extensions().get::<Who>().cloned();
    let mut st = s.lock();
    let who = who
        .or_else(|| {
            let id = instance_id.as_deref()?;
            st.instances.get(id).map(|i| Who {
                namespace: i.namespace.clone(),
                instance_name: i.instance_name.clone(),
            })
        })
        .unwrap_or_default();
    st.log(RequestRecord {
        seq: 0,
        time,
        method,
        path,
        query,
        instance_id,
        binding_id,
        operation,
        namespace: who.namespace,
        instance_name: who.instance_name,
        api_version,
        status: resp.status().as_u16(),
    });
    drop(st);
    resp
}

async fn set_behaviour(
    State(s): State<Arc<Shared>>,
    Path((namespace, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let parsed = serde_json::from_slice::<serde_json::Value>(&body)
        .map_err(|e| e.to_string())
        .and_then(|v| Behaviour::from_value(&v));
    match parsed {
        Ok(b) => {
            s.lock().set_behaviour(&namespace, &name, b);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => Reply::error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("invalid behaviour: {e}"),
        )
        .into_response(),
    }
}

async fn clear_behaviour(
    State(s): State<Arc<Shared>>,
    Path((namespace, name)): Path<(String, String)>,
) -> StatusCode {
    s.lock().clear_behaviour(&namespace, &name);
    StatusCode::NO_CONTENT
}

async fn list_behaviours(State(s): State<Arc<Shared>>) -> Response {
    let st = s.lock();
    let all: BTreeMap<String, &Behaviour> = st
        .registry
        .iter()
        .map(|((ns, n), b)| (format!("{ns}/{n}"), b))
        .collect();
    axum::Json(json!(all)).into_response()
}

async fn list_instances(State(s): State<Arc<Shared>>) -> axum::Json<Vec<InstanceInfo>> {
    axum::Json(s.lock().infos())
}

async fn forget_instance(
    State(s): State<Arc<Shared>>,
    Path((namespace, name)): Path<(String, String)>,
) -> Response {
    match s.lock().forget(&namespace, &name) {
        0 => Reply::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("no instance {namespace}/{name}"),
        )
        .into_response(),
        _ => StatusCode::NO_CONTENT.into_response(),
    }
}

async fn set_catalog(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(doc) if doc.is_object() => {
            s.lock().catalog = Some(doc);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => Reply::error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "the catalog must be a JSON object",
        )
        .into_response(),
    }
}

async fn reset_catalog(State(s): State<Arc<Shared>>) -> StatusCode {
    s.lock().catalog = None;
    StatusCode::NO_CONTENT
}

async fn list_requests(State(s): State<Arc<Shared>>) -> axum::Json<Vec<RequestRecord>> {
    axum::Json(s.lock().requests.iter().cloned().collect())
}
