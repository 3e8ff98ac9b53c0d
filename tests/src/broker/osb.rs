//! The OSB API v2 endpoints (`/v2/...`), as the Service Catalog controller v0.3.1 drives them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::behaviour::{
    Behaviour, BindMode, DeprovisionMode, ProvisionMode, UnbindMode, UpdateMode,
};
use super::state::{
    Binding, BindingState, Instance, InstanceState, OpKind, OpState, Operation, Shared, now_rfc3339,
};
use super::{catalog, credentials};

/// The reserved parameter holding a test's [`Behaviour`].
pub const TEST_KEY: &str = "x-test";

/// `error` and `description` of the OSB spec's 422 AsyncRequired (the client compares both).
pub const ASYNC_REQUIRED: (&str, &str) = (
    "AsyncRequired",
    "This service plan requires client support for asynchronous service operations.",
);
/// The same for 422 ConcurrencyError.
pub const CONCURRENCY_ERROR: (&str, &str) = (
    "ConcurrencyError",
    "The Service Broker does not support concurrent requests that mutate the same resource.",
);

/// Who a request was about, for the request log (set by the handlers that read a `context`).
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub namespace: Option<String>,
    pub instance_name: Option<String>,
}

impl Who {
    fn from_context(ctx: Option<&Value>) -> Who {
        let field = |k: &str| {
            ctx.and_then(|c| c.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Who {
            namespace: field("namespace"),
            instance_name: field("instance_name"),
        }
    }

    fn of(inst: &Instance) -> Who {
        Who {
            namespace: inst.namespace.clone(),
            instance_name: inst.instance_name.clone(),
        }
    }
}

/// A JSON answer, with whom it was about.
pub struct Reply {
    status: StatusCode,
    body: Value,
    who: Option<Box<Who>>,
}

impl Reply {
    pub fn new(status: StatusCode, body: Value) -> Reply {
        Reply {
            status,
            body,
            who: None,
        }
    }

    /// An OSB error body.
    pub fn error(status: StatusCode, error: &str, description: impl Into<String>) -> Reply {
        Reply::new(
            status,
            json!({"error": error, "description": description.into()}),
        )
    }

    fn bad_request(description: impl Into<String>) -> Reply {
        Reply::error(StatusCode::BAD_REQUEST, "BadRequest", description)
    }

    fn gone() -> Reply {
        Reply::new(StatusCode::GONE, json!({}))
    }

    fn async_required() -> Reply {
        Reply::error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ASYNC_REQUIRED.0,
            ASYNC_REQUIRED.1,
        )
    }

    fn concurrency() -> Reply {
        Reply::error(
            StatusCode::UNPROCESSABLE_ENTITY,
            CONCURRENCY_ERROR.0,
            CONCURRENCY_ERROR.1,
        )
    }

    fn about(mut self, who: Who) -> Reply {
        self.who = Some(Box::new(who));
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body)).into_response();
        if let Some(w) = self.who {
            r.extensions_mut().insert(*w);
        }
        r
    }
}

type Q = Query<HashMap<String, String>>;

/// A JSON request body; one that does not parse is answered 400 as a broker answers it.
pub(super) struct Body<T>(T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = Reply;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Reply> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| Reply::bad_request(format!("invalid request body: {e}")))?;
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|e| Reply::bad_request(format!("invalid request body: {e}")))
    }
}

fn accepts_incomplete(q: &HashMap<String, String>) -> bool {
    q.get("accepts_incomplete").is_some_and(|v| v == "true")
}

/// `service_id` and `plan_id` must be in the query (DELETEs).
fn require_ids(q: &HashMap<String, String>) -> Result<(), Reply> {
    for k in ["service_id", "plan_id"] {
        if q.get(k).is_none_or(String::is_empty) {
            return Err(Reply::bad_request(format!(
                "the query parameter {k} is required"
            )));
        }
    }
    Ok(())
}

/// Split `parameters` into the stored parameters (an object, `x-test` removed) and the `x-test` layer.
fn split_parameters(parameters: Option<Value>) -> Result<(Value, Behaviour), Reply> {
    let mut map = match parameters {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(Reply::bad_request(format!(
                "parameters must be a JSON object, got {other}"
            )));
        }
    };
    let layer = match map.remove(TEST_KEY) {
        None => Behaviour::default(),
        Some(v) => Behaviour::from_value(&v)
            .map_err(|e| Reply::bad_request(format!("invalid parameters.{TEST_KEY}: {e}")))?,
    };
    Ok((Value::Object(map), layer))
}

/// A v2 body checked as Instaclustr's API would check it. The body tells v1 from v2 as Instaclustr's API
/// does, by its version field (`cassandraVersion`, `kafkaVersion`, …): a body with one is a v2 body of that
/// application, which must be the class's (the same classes and plans serve both shapes) and must pass
/// the v2 rules (`osb::instaclustr::v2::check`), every mistake named in one 400. A body without one is
/// v1 and goes unchecked, as it always did (tests send partial v1 parameters the broker fills in).
pub fn check_v2_body(class: &catalog::ClassDef, parameters: &Value) -> Result<(), String> {
    use osb::instaclustr::v2::{self, Api, Shape};
    let Shape::V2(Some(app)) = v2::detect(parameters, Api::Auto).shape else {
        return Ok(());
    };
    if app != class.app {
        let serving: Vec<&str> = catalog::CLASSES
            .iter()
            .filter(|c| c.app == app)
            .map(|c| c.name)
            .collect();
        return Err(format!(
            "The cluster request was rejected: the parameters are a v2 {} body ({} is set), but class {:?} takes {} bodies (with {}); {}",
            app.schema_name(),
            app.version_field(),
            class.name,
            class.app.schema_name(),
            class.app.version_field(),
            match serving.as_slice() {
                [] => "no class of this broker provisions that application".to_string(),
                names => format!("use class {}", names.join(" or ")),
            }
        ));
    }
    let errors: Vec<String> = v2::check::validate(parameters, Some(app))
        .into_iter()
        .filter(|f| f.severity == osb::instaclustr::Severity::Error)
        .map(|f| {
            let at = if f.pointer.is_empty() {
                "(body)"
            } else {
                f.pointer.as_str()
            };
            format!("{at}: {}", f.message)
        })
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    Err(format!(
        "The cluster request was rejected: the {} body is not valid ({} problem{}): {}",
        app.schema_name(),
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        errors.join("; ")
    ))
}

fn dashboard_url(id: &str) -> String {
    format!("https://console.instaclustr.example/clusters/{id}")
}

const UNAVAILABLE: &str =
    "Instaclustr provisioning API unavailable (HTTP 503 from the upstream API); try again later";

/// `GET /v2/catalog`: the catalog an admin `PUT /admin/catalog` set, else [`catalog::document`].
pub async fn catalog(State(s): State<Arc<Shared>>) -> Reply {
    let doc = s.lock().catalog.clone();
    Reply::new(StatusCode::OK, doc.unwrap_or_else(catalog::document))
}

#[derive(Deserialize)]
pub(super) struct ProvisionBody {
    service_id: String,
    plan_id: String,
    #[serde(default)]
    parameters: Option<Value>,
    #[serde(default)]
    context: Option<Value>,
}

pub(super) async fn provision(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Q,
    Body(body): Body<ProvisionBody>,
) -> Reply {
    let who = Who::from_context(body.context.as_ref());
    provision_inner(&s, id, &q, body, &who).about(who)
}

fn provision_inner(
    s: &Shared,
    id: String,
    q: &HashMap<String, String>,
    body: ProvisionBody,
    who: &Who,
) -> Reply {
    let Some(class) = catalog::class(&body.service_id) else {
        return Reply::bad_request(format!("unknown service_id {:?}", body.service_id));
    };
    let Some(plan) = catalog::plan(class, &body.plan_id) else {
        return Reply::bad_request(format!(
            "unknown plan_id {:?} for service {:?}",
            body.plan_id, class.name
        ));
    };
    let (parameters, x_test) = match split_parameters(body.parameters) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Err(why) = check_v2_body(class, &parameters) {
        return Reply::bad_request(why);
    }
    let accepts = accepts_incomplete(q);
    let mut st = s.lock();
    let orphan = || {
        Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "Instaclustr provisioning API timed out after the cluster request was accepted",
        )
    };
    if let Some(inst) = st.live(&id)
        && inst.state != InstanceState::Failed
    {
        if inst.behaviour().provision() == ProvisionMode::Orphan {
            return orphan();
        }
        let same = inst.service_id == class.id
            && inst.plan_id == plan.id
            && inst.parameters == parameters
            && inst.x_test == x_test;
        if !same {
            return Reply::error(
                StatusCode::CONFLICT,
                "Conflict",
                format!("instance {id} already exists with different attributes"),
            );
        }
        let dashboard = inst.dashboard_url.clone();
        return match (inst.state, inst.running()) {
            (InstanceState::Provisioning, Some(op)) if accepts => Reply::new(
                StatusCode::ACCEPTED,
                json!({"operation": op.id, "dashboard_url": dashboard}),
            ),
            (InstanceState::Provisioning, _) => Reply::async_required(),
            (InstanceState::Ready, _) => {
                Reply::new(StatusCode::OK, json!({"dashboard_url": dashboard}))
            }
            _ => Reply::concurrency(),
        };
    }
    let admin = st.admin_layer(who.namespace.as_deref(), who.instance_name.as_deref());
    let b = x_test.over(&admin);
    let mode = b.provision();
    match mode {
        ProvisionMode::Reject => {
            return Reply::bad_request(b.message_or(
                "The cluster request was rejected: the provisioning API refused the parameters",
            ));
        }
        ProvisionMode::Retry => {
            return Reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                b.message_or(UNAVAILABLE),
            );
        }
        ProvisionMode::Succeed | ProvisionMode::Fail | ProvisionMode::Hang if !accepts => {
            return Reply::async_required();
        }
        _ => {}
    }
    st.next_instance += 1;
    let dashboard = dashboard_url(&id);
    let mut inst = Instance {
        seq: st.next_instance,
        id: id.clone(),
        service_id: class.id.into(),
        plan_id: plan.id.into(),
        parameters,
        context: body.context.clone().unwrap_or(Value::Null),
        namespace: who.namespace.clone(),
        instance_name: who.instance_name.clone(),
        dashboard_url: dashboard.clone(),
        x_test,
        admin,
        state: InstanceState::Ready,
        ops: Vec::new(),
        bindings: Default::default(),
        created: now_rfc3339(),
    };
    let reply = if mode == ProvisionMode::Sync {
        Reply::new(StatusCode::CREATED, json!({"dashboard_url": dashboard}))
    } else {
        let op = Operation::new(OpKind::Provision, None);
        let reply = Reply::new(
            StatusCode::ACCEPTED,
            json!({"operation": op.id, "dashboard_url": dashboard}),
        );
        inst.state = InstanceState::Provisioning;
        inst.ops.push(op);
        reply
    };
    if mode == ProvisionMode::Orphan {
        inst.ops.clear();
        inst.state = InstanceState::Ready;
        st.instances.insert(id, inst);
        return orphan();
    }
    st.instances.insert(id, inst);
    reply
}

#[derive(Deserialize)]
pub(super) struct UpdateBody {
    service_id: String,
    #[serde(default)]
    plan_id: Option<String>,
    #[serde(default)]
    parameters: Option<Value>,
}

pub(super) async fn update(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Q,
    Body(body): Body<UpdateBody>,
) -> Reply {
    let accepts = accepts_incomplete(&q);
    let mut st = s.lock();
    let Some(inst) = st.live(&id) else {
        return Reply::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("instance {id} does not exist"),
        );
    };
    let who = Who::of(inst);
    update_inner(inst, body, accepts).about(who)
}

fn update_inner(inst: &mut Instance, body: UpdateBody, accepts: bool) -> Reply {
    if body.service_id != inst.service_id {
        return Reply::bad_request(format!(
            "service_id {:?} is not the instance's ({:?})",
            body.service_id, inst.service_id
        ));
    }
    let Some(class) = inst.class() else {
        return Reply::bad_request("the instance's service is gone from the catalog");
    };
    let plan_id = body.plan_id.unwrap_or_else(|| inst.plan_id.clone());
    let Some(plan) = catalog::plan(class, &plan_id) else {
        return Reply::bad_request(format!(
            "unknown plan_id {plan_id:?} for service {:?}",
            class.name
        ));
    };
    if inst.state == InstanceState::Failed {
        return Reply::bad_request(format!("instance {} failed to provision", inst.id));
    }
    if inst.running().is_some() {
        return Reply::concurrency();
    }
    let (parameters, x_test) = match body.parameters {
        None => (inst.parameters.clone(), inst.x_test.clone()),
        Some(p) => match split_parameters(Some(p)) {
            Ok(p) => p,
            Err(r) => return r,
        },
    };
    if let Err(why) = check_v2_body(class, &parameters) {
        return Reply::bad_request(why);
    }
    let b = x_test.over(&inst.admin);
    if b.update() == UpdateMode::Fail {
        return Reply::bad_request(
            b.message_or("The cluster update was rejected: the requested resize is not allowed"),
        );
    }
    if b.provision() == ProvisionMode::Sync || b.provision_seconds() == 0.0 {
        inst.x_test = x_test;
        inst.plan_id = plan.id.into();
        inst.parameters = parameters;
        return Reply::new(StatusCode::OK, json!({}));
    }
    if !accepts {
        return Reply::async_required();
    }
    inst.x_test = x_test;
    let op = Operation::new(OpKind::Update, Some((plan.id.into(), parameters)));
    let reply = Reply::new(
        StatusCode::ACCEPTED,
        json!({"operation": op.id, "dashboard_url": inst.dashboard_url}),
    );
    inst.ops.push(op);
    reply
}

pub async fn deprovision(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Q,
) -> Reply {
    if let Err(r) = require_ids(&q) {
        return r;
    }
    let accepts = accepts_incomplete(&q);
    let mut st = s.lock();
    let Some(inst) = st.live(&id) else {
        return Reply::gone();
    };
    let who = Who::of(inst);
    deprovision_inner(inst, accepts).about(who)
}

fn deprovision_inner(inst: &mut Instance, accepts: bool) -> Reply {
    match inst.state {
        // Orphan mitigation after a failed (or abandoned) provision: forget the instance.
        InstanceState::Failed | InstanceState::Provisioning => {
            if let Some(op) = inst.ops.last_mut()
                && op.state == OpState::InProgress
            {
                op.state = OpState::Failed;
                op.description = Some("Provisioning cancelled by a deprovision request".into());
            }
            inst.state = InstanceState::Gone;
            return Reply::new(StatusCode::OK, json!({}));
        }
        InstanceState::Deprovisioning => {
            return match inst.running() {
                Some(op) if accepts => {
                    Reply::new(StatusCode::ACCEPTED, json!({"operation": op.id}))
                }
                _ => Reply::async_required(),
            };
        }
        InstanceState::Gone => return Reply::gone(),
        InstanceState::Ready => {}
    }
    if inst.running().is_some() {
        return Reply::concurrency();
    }
    let b = inst.behaviour();
    match b.deprovision() {
        DeprovisionMode::Fail => Reply::bad_request(
            b.message_or("Cluster deletion refused: the cluster has delete protection enabled"),
        ),
        DeprovisionMode::Retry => Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            b.message_or(UNAVAILABLE),
        ),
        DeprovisionMode::Succeed if b.deprovision_seconds() == 0.0 => {
            inst.state = InstanceState::Gone;
            inst.bindings.clear();
            Reply::new(StatusCode::OK, json!({}))
        }
        _ if !accepts => Reply::async_required(),
        _ => {
            let op = Operation::new(OpKind::Deprovision, None);
            let reply = Reply::new(StatusCode::ACCEPTED, json!({"operation": op.id}));
            inst.ops.push(op);
            inst.state = InstanceState::Deprovisioning;
            reply
        }
    }
}

pub async fn last_operation(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Q,
) -> Reply {
    let operation = q.get("operation").cloned();
    let mut st = s.lock();
    let Some(inst) = st.instance(&id) else {
        // The controller takes 410 as "deprovisioned" (also for an orphan mitigation's DELETE); for
        // anything else an unknown instance is 404, which it retries.
        if operation
            .as_deref()
            .is_some_and(|o| o.starts_with("deprovision"))
        {
            return Reply::gone();
        }
        return Reply::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("instance {id} does not exist"),
        );
    };
    if inst.state == InstanceState::Gone {
        return Reply::gone();
    }
    let now = Instant::now();
    let op = match &operation {
        Some(o) => match inst.op(o) {
            Some(op) => op,
            None => {
                return Reply::bad_request(format!("instance {id} has no operation {o:?}"));
            }
        },
        None => match inst.last_op() {
            Some(op) => op,
            None => {
                let nodes = inst.nodes();
                return Reply::new(
                    StatusCode::OK,
                    json!({"state": "succeeded", "description": format!("Cluster RUNNING: {nodes} of {nodes} nodes running")}),
                );
            }
        },
    };
    Reply::new(
        StatusCode::OK,
        json!({"state": op.state, "description": inst.describe(op, now)}),
    )
}

#[derive(Deserialize)]
pub(super) struct BindBody {
    service_id: String,
    plan_id: String,
    #[serde(default)]
    parameters: Option<Value>,
    #[serde(default)]
    context: Option<Value>,
}

pub(super) async fn bind(
    State(s): State<Arc<Shared>>,
    Path((id, bid)): Path<(String, String)>,
    Query(q): Q,
    Body(body): Body<BindBody>,
) -> Reply {
    let who = Who::from_context(body.context.as_ref());
    let mut st = s.lock();
    let Some(inst) = st.live(&id) else {
        return Reply::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("instance {id} does not exist"),
        )
        .about(who);
    };
    let who = if who.namespace.is_some() {
        who
    } else {
        Who::of(inst)
    };
    bind_inner(inst, bid, body, accepts_incomplete(&q)).about(who)
}

fn bind_inner(inst: &mut Instance, bid: String, body: BindBody, accepts: bool) -> Reply {
    let Some(class) = inst.class() else {
        return Reply::bad_request("the instance's service is gone from the catalog");
    };
    if !class.bindable {
        return Reply::bad_request(format!("service {:?} is not bindable", class.name));
    }
    if body.service_id != inst.service_id {
        return Reply::bad_request(format!(
            "service_id {:?} is not the instance's ({:?})",
            body.service_id, inst.service_id
        ));
    }
    match inst.state {
        InstanceState::Failed => {
            return Reply::bad_request(format!("instance {} failed to provision", inst.id));
        }
        InstanceState::Ready if inst.running().is_none() => {}
        _ => return Reply::concurrency(),
    }
    let (parameters, x_test) = match split_parameters(body.parameters) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Some(existing) = inst.live_binding(&bid) {
        let same = existing.service_id == body.service_id
            && existing.plan_id == body.plan_id
            && existing.parameters == parameters
            && existing.x_test == x_test;
        if !same {
            return Reply::error(
                StatusCode::CONFLICT,
                "Conflict",
                format!("binding {bid} already exists with different attributes"),
            );
        }
        return match (existing.state, existing.running()) {
            (BindingState::Binding, Some(op)) if accepts => {
                Reply::new(StatusCode::ACCEPTED, json!({"operation": op.id}))
            }
            (BindingState::Binding, _) => Reply::async_required(),
            (BindingState::Unbinding, _) => Reply::concurrency(),
            _ => Reply::new(StatusCode::OK, json!({"credentials": existing.credentials})),
        };
    }
    let b = x_test.over(&inst.behaviour());
    let mode = b.bind();
    match mode {
        BindMode::Fail => return Reply::bad_request(b.message_or("could not create the user")),
        BindMode::Retry => {
            return Reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                b.message_or(UNAVAILABLE),
            );
        }
        _ if mode.is_async() && !accepts => return Reply::async_required(),
        _ => {}
    }
    let username = parameters
        .get("username")
        .and_then(Value::as_str)
        .map_or_else(|| credentials::default_username(&bid), str::to_string);
    let creds = credentials::credentials(class.name, &inst.id, &username, &inst.parameters);
    let (reply, state, op) = if mode.is_async() {
        let op = Operation::new(OpKind::Bind, None);
        let reply = Reply::new(StatusCode::ACCEPTED, json!({"operation": op.id}));
        (reply, BindingState::Binding, Some(op))
    } else {
        let reply = Reply::new(StatusCode::CREATED, json!({"credentials": creds}));
        (reply, BindingState::Ready, None)
    };
    inst.bindings.insert(
        bid.clone(),
        Binding {
            id: bid,
            service_id: body.service_id,
            plan_id: body.plan_id,
            parameters,
            x_test,
            credentials: creds,
            created: now_rfc3339(),
            state,
            op,
        },
    );
    reply
}

pub async fn unbind(
    State(s): State<Arc<Shared>>,
    Path((id, bid)): Path<(String, String)>,
    Query(q): Q,
) -> Reply {
    if let Err(r) = require_ids(&q) {
        return r;
    }
    let accepts = accepts_incomplete(&q);
    let mut st = s.lock();
    let Some(inst) = st.live(&id) else {
        return Reply::gone();
    };
    let who = Who::of(inst);
    let b = inst.behaviour();
    unbind_inner(inst, &bid, &b, accepts).about(who)
}

fn unbind_inner(inst: &mut Instance, bid: &str, instance_b: &Behaviour, accepts: bool) -> Reply {
    let Some(binding) = inst.bindings.get_mut(bid).filter(|b| b.live()) else {
        return Reply::gone();
    };
    let b = binding.x_test.over(instance_b);
    match binding.state {
        // The platform's orphan mitigation of a bind still running: forget it.
        BindingState::Binding => {
            if let Some(op) = binding.op.as_mut() {
                op.state = OpState::Failed;
                op.description = Some("Binding cancelled by an unbind request".into());
            }
            inst.bindings.remove(bid);
            return Reply::new(StatusCode::OK, json!({}));
        }
        BindingState::Unbinding => {
            return match binding.running() {
                Some(op) if accepts => {
                    Reply::new(StatusCode::ACCEPTED, json!({"operation": op.id}))
                }
                _ => Reply::async_required(),
            };
        }
        _ => {}
    }
    let mode = b.unbind();
    if mode == UnbindMode::Fail {
        return Reply::bad_request(b.message_or("could not delete the user"));
    }
    if mode.is_async() {
        if !accepts {
            return Reply::async_required();
        }
        let op = Operation::new(OpKind::Unbind, None);
        let reply = Reply::new(StatusCode::ACCEPTED, json!({"operation": op.id}));
        binding.op = Some(op);
        binding.state = BindingState::Unbinding;
        return reply;
    }
    inst.bindings.remove(bid);
    Reply::new(StatusCode::OK, json!({}))
}

/// `GET …/service_bindings/{bid}/last_operation`: the binding's asynchronous bind or unbind. A binding
/// without one (bound or unbound synchronously) has succeeded; one the broker does not know is gone (410,
/// which the platform takes as the end of an unbind).
pub async fn binding_last_operation(
    State(s): State<Arc<Shared>>,
    Path((id, bid)): Path<(String, String)>,
    Query(q): Q,
) -> Reply {
    let operation = q.get("operation").cloned();
    let mut st = s.lock();
    let Some(inst) = st.live(&id) else {
        return Reply::gone();
    };
    let who = Who::of(inst);
    let Some(binding) = inst.bindings.get(&bid) else {
        return Reply::gone().about(who);
    };
    let op = match (&operation, &binding.op) {
        (Some(o), Some(op)) if *o == op.id => op,
        (Some(o), _) => {
            return Reply::bad_request(format!("binding {bid} has no operation {o:?}")).about(who);
        }
        (None, Some(op)) => op,
        (None, None) => {
            return Reply::new(StatusCode::OK, json!({"state": "succeeded"})).about(who);
        }
    };
    Reply::new(
        StatusCode::OK,
        json!({"state": op.state, "description": binding.describe(op)}),
    )
    .about(who)
}

/// `GET …/service_bindings/{bid}` (`bindings_retrievable`): the credentials of a binding that exists;
/// 404 while an asynchronous bind runs, after it failed, for an unknown binding, and for a binding whose
/// behaviour is `bind: async-lost`.
pub async fn get_binding(
    State(s): State<Arc<Shared>>,
    Path((id, bid)): Path<(String, String)>,
) -> Reply {
    let mut st = s.lock();
    let not_found = || missing(format!("binding {bid} of instance {id}"));
    let Some(inst) = st.live(&id) else {
        return not_found();
    };
    let who = Who::of(inst);
    let b = inst.behaviour();
    let Some(binding) = inst.bindings.get(&bid) else {
        return not_found().about(who);
    };
    let lost = binding.x_test.over(&b).bind() == BindMode::AsyncLost;
    if lost || !matches!(binding.state, BindingState::Ready | BindingState::Unbinding) {
        return not_found().about(who);
    }
    Reply::new(
        StatusCode::OK,
        json!({"credentials": binding.credentials, "parameters": binding.parameters}),
    )
    .about(who)
}

/// `GET /v2/service_instances/{id}` (`instances_retrievable: true`), as OSB 2.14 says: 200 with
/// `service_id`, `plan_id`, `dashboard_url` and `parameters` for an instance that exists (also while it is
/// being deprovisioned); 404 when it does not, or is still being provisioned, or failed to; 422
/// `ConcurrencyError` while it is being updated.
pub async fn get_instance(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Reply {
    let mut st = s.lock();
    let not_found = || missing(format!("instance {id}"));
    let Some(inst) = st.live(&id) else {
        return not_found();
    };
    let who = Who::of(inst);
    match inst.state {
        InstanceState::Provisioning | InstanceState::Failed | InstanceState::Gone => {
            not_found().about(who)
        }
        InstanceState::Ready if inst.running().is_some_and(|op| op.kind == OpKind::Update) => {
            Reply::concurrency().about(who)
        }
        InstanceState::Ready | InstanceState::Deprovisioning => Reply::new(
            StatusCode::OK,
            json!({
                "service_id": inst.service_id,
                "plan_id": inst.plan_id,
                "dashboard_url": inst.dashboard_url,
                "parameters": inst.parameters,
            }),
        )
        .about(who),
    }
}

/// 404 NotFound: `what` does not exist.
fn missing(what: String) -> Reply {
    Reply::error(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!("{what} does not exist"),
    )
}

/// Anything else under `/v2`.
pub async fn not_found() -> Reply {
    Reply::error(StatusCode::NOT_FOUND, "NotFound", "no such OSB endpoint")
}
