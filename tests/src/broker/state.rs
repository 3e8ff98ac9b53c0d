//! The broker's memory: instances with their operations and bindings, the admin behaviour registry,
//! and the bounded log of OSB requests. Asynchronous operations advance lazily: whoever looks at an
//! instance first brings it up to date with the clock (and with its current behaviour, so an admin PUT
//! can release a `hang`).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use osb::instaclustr::v2::App;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::behaviour::{Behaviour, BindMode, DeprovisionMode, ProvisionMode, UnbindMode};
use super::catalog;

/// How many OSB requests `GET /admin/requests` remembers.
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// Where an instance is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceState {
    Provisioning,
    Ready,
    Failed,
    Deprovisioning,
    /// Deprovisioned, or forgotten by an orphan-mitigation DELETE; kept for `GET /admin/instances` only.
    Gone,
}

/// What an asynchronous operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpKind {
    Provision,
    Update,
    Deprovision,
    /// An asynchronous bind (of one binding).
    Bind,
    /// An asynchronous unbind (of one binding).
    Unbind,
}

/// The OSB `state` of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpState {
    #[serde(rename = "in progress")]
    InProgress,
    #[serde(rename = "succeeded")]
    Succeeded,
    #[serde(rename = "failed")]
    Failed,
}

/// One asynchronous operation of an instance.
#[derive(Clone, Debug)]
pub struct Operation {
    pub id: String,
    pub kind: OpKind,
    pub started: Instant,
    pub state: OpState,
    /// The final description, once finished.
    pub description: Option<String>,
    /// An update's new plan and parameters, applied when it succeeds.
    pub pending: Option<(String, Value)>,
}

impl Operation {
    pub fn new(kind: OpKind, pending: Option<(String, Value)>) -> Operation {
        let prefix = match kind {
            OpKind::Provision => "provision",
            OpKind::Update => "update",
            OpKind::Deprovision => "deprovision",
            OpKind::Bind => "bind",
            OpKind::Unbind => "unbind",
        };
        Operation {
            id: format!(
                "{prefix}-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..12]
            ),
            kind,
            started: Instant::now(),
            state: OpState::InProgress,
            description: None,
            pending,
        }
    }
}

/// Where a binding is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BindingState {
    /// An asynchronous bind is running; GET binding answers 404 until it succeeds.
    Binding,
    Ready,
    /// The asynchronous bind failed; kept so that `last_operation` can say so. An unbind answers 410.
    Failed,
    /// An asynchronous unbind is running.
    Unbinding,
    /// Unbound asynchronously; kept so that `last_operation` can say so, otherwise as if unknown.
    Gone,
}

/// One binding.
#[derive(Clone, Debug)]
pub struct Binding {
    pub id: String,
    pub service_id: String,
    pub plan_id: String,
    /// Parameters without `x-test`.
    pub parameters: Value,
    /// The binding's own `x-test` layer (over the instance's behaviour).
    pub x_test: Behaviour,
    pub credentials: Map<String, Value>,
    pub created: String,
    pub state: BindingState,
    /// The asynchronous bind or unbind, the last one.
    pub op: Option<Operation>,
}

impl Binding {
    /// Whether the binding exists for a bind, an unbind or GET binding (not failed, not gone).
    pub fn live(&self) -> bool {
        !matches!(self.state, BindingState::Failed | BindingState::Gone)
    }

    /// The running operation, if any.
    pub fn running(&self) -> Option<&Operation> {
        self.op.as_ref().filter(|o| o.state == OpState::InProgress)
    }

    fn user(&self) -> String {
        self.credentials
            .get("username")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    }

    /// Bring the running bind or unbind up to date with the clock and `b` (the binding's behaviour, read
    /// again each time: an admin PUT can turn a failing operation into a succeeding one).
    pub fn advance(&mut self, b: &Behaviour, now: Instant) {
        let user = self.user();
        let Some(op) = self.op.as_mut() else {
            return;
        };
        let hang = op.kind == OpKind::Bind && b.bind() == BindMode::Hang;
        if op.state != OpState::InProgress
            || hang
            || now.saturating_duration_since(op.started).as_secs_f64() < b.bind_seconds()
        {
            return;
        }
        match op.kind {
            OpKind::Bind if b.bind() == BindMode::AsyncFail => {
                op.state = OpState::Failed;
                op.description = Some(b.message_or(&format!(
                    "Creating the database user {user} failed: the cluster refused the new role"
                )));
                self.state = BindingState::Failed;
            }
            OpKind::Bind => {
                op.state = OpState::Succeeded;
                op.description = Some(format!("Database user {user} created"));
                self.state = BindingState::Ready;
            }
            OpKind::Unbind if b.unbind() == UnbindMode::AsyncFail => {
                op.state = OpState::Failed;
                op.description = Some(b.message_or(&format!(
                    "Deleting the database user {user} failed: the user still owns open sessions"
                )));
                self.state = BindingState::Ready;
            }
            OpKind::Unbind => {
                op.state = OpState::Succeeded;
                op.description = Some(format!("Database user {user} deleted"));
                self.state = BindingState::Gone;
            }
            OpKind::Provision | OpKind::Update | OpKind::Deprovision => {}
        }
    }

    /// `last_operation`'s description of the binding's operation (progress while it runs).
    pub fn describe(&self, op: &Operation) -> String {
        if let Some(d) = &op.description {
            return d.clone();
        }
        let user = self.user();
        match op.kind {
            OpKind::Unbind => format!("Deleting the database user {user}"),
            _ => format!("Creating the database user {user}"),
        }
    }
}

/// One instance, as the broker knows it.
#[derive(Clone, Debug)]
pub struct Instance {
    pub seq: u64,
    pub id: String,
    pub service_id: String,
    pub plan_id: String,
    /// Parameters without `x-test`.
    pub parameters: Value,
    pub context: Value,
    pub namespace: Option<String>,
    pub instance_name: Option<String>,
    pub dashboard_url: String,
    /// From the provision (or a later update's) parameters.
    pub x_test: Behaviour,
    /// From the admin registry at provision, replaced by later admin PUTs for the same namespace/name.
    pub admin: Behaviour,
    pub state: InstanceState,
    pub ops: Vec<Operation>,
    pub bindings: BTreeMap<String, Binding>,
    pub created: String,
}

impl Instance {
    /// The behaviour in force: `x-test` over the admin layer over the defaults.
    pub fn behaviour(&self) -> Behaviour {
        self.x_test.over(&self.admin)
    }

    pub fn class(&self) -> Option<&'static catalog::ClassDef> {
        catalog::class(&self.service_id)
    }

    /// Nodes of the cluster: for a v2 body, the sum over `dataCentres[]` of `numberOfNodes` (Redis:
    /// `masterNodes` + `replicaNodes`); for v1, `rackAllocation` when given; else the plan's.
    pub fn nodes(&self) -> u64 {
        let num = |v: Option<&Value>| -> Option<u64> {
            match v? {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        let v2 = self.parameters.as_object().and_then(App::of).is_some();
        if v2 && let Some(dcs) = self.parameters.get("dataCentres").and_then(Value::as_array) {
            let n: u64 = dcs
                .iter()
                .map(|dc| {
                    num(dc.get("numberOfNodes")).unwrap_or_else(|| {
                        num(dc.get("masterNodes")).unwrap_or(0)
                            + num(dc.get("replicaNodes")).unwrap_or(0)
                    })
                })
                .sum();
            if n > 0 {
                return n;
            }
        }
        let racks = self.parameters.get("rackAllocation");
        if let (Some(r), Some(n)) = (
            num(racks.and_then(|r| r.get("numberOfRacks"))),
            num(racks.and_then(|r| r.get("nodesPerRack"))),
        ) && r * n > 0
        {
            return r * n;
        }
        self.class()
            .and_then(|c| catalog::plan(c, &self.plan_id))
            .map_or(3, |p| u64::from(p.nodes))
    }

    pub fn last_op(&self) -> Option<&Operation> {
        self.ops.last()
    }

    pub fn op(&self, id: &str) -> Option<&Operation> {
        self.ops.iter().find(|o| o.id == id)
    }

    /// The operation in progress, if any.
    pub fn running(&self) -> Option<&Operation> {
        self.ops.last().filter(|o| o.state == OpState::InProgress)
    }

    /// The binding with this id unless it failed or is gone.
    pub fn live_binding(&self, bid: &str) -> Option<&Binding> {
        self.bindings.get(bid).filter(|b| b.live())
    }

    /// Bring the running operations (the instance's and its bindings') up to date with the clock and
    /// the current behaviour.
    pub fn advance(&mut self, now: Instant) {
        let b = self.behaviour();
        for binding in self.bindings.values_mut() {
            let bb = binding.x_test.over(&b);
            binding.advance(&bb, now);
        }
        let nodes = self.nodes();
        let Some(op) = self.ops.last_mut() else {
            return;
        };
        if op.state != OpState::InProgress {
            return;
        }
        let elapsed = now.saturating_duration_since(op.started).as_secs_f64();
        match op.kind {
            OpKind::Provision => {
                let mode = b.provision();
                if mode == ProvisionMode::Hang || elapsed < b.provision_seconds() {
                    return;
                }
                if matches!(mode, ProvisionMode::Succeed | ProvisionMode::Sync) {
                    op.state = OpState::Succeeded;
                    op.description =
                        Some(format!("Cluster RUNNING: {nodes} of {nodes} nodes running"));
                    self.state = InstanceState::Ready;
                } else {
                    op.state = OpState::Failed;
                    op.description = Some(b.message_or(
                        "Cluster FAILED: the nodes could not be provisioned in the data centre",
                    ));
                    self.state = InstanceState::Failed;
                }
            }
            OpKind::Update => {
                if elapsed < b.provision_seconds() {
                    return;
                }
                op.state = OpState::Succeeded;
                op.description = Some(format!("Cluster RUNNING: {nodes} of {nodes} nodes updated"));
                if let Some((plan, params)) = op.pending.take() {
                    self.plan_id = plan;
                    self.parameters = params;
                }
                self.state = InstanceState::Ready;
            }
            OpKind::Deprovision => {
                if elapsed < b.deprovision_seconds() {
                    return;
                }
                if b.deprovision() == DeprovisionMode::Succeed {
                    op.state = OpState::Succeeded;
                    op.description = Some("Cluster DELETED".into());
                    self.state = InstanceState::Gone;
                    self.bindings.clear();
                } else {
                    op.state = OpState::Failed;
                    op.description =
                        Some(b.message_or("Cluster deletion failed: the cluster is still RUNNING"));
                    self.state = InstanceState::Ready;
                }
            }
            OpKind::Bind | OpKind::Unbind => {}
        }
    }

    /// `last_operation`'s description of an operation (progress while it runs).
    pub fn describe(&self, op: &Operation, now: Instant) -> String {
        if let Some(d) = &op.description {
            return d.clone();
        }
        let b = self.behaviour();
        let nodes = self.nodes();
        let elapsed = now.saturating_duration_since(op.started).as_secs_f64();
        let progress = |seconds: f64| -> u64 {
            if seconds <= 0.0 {
                return nodes.saturating_sub(1);
            }
            // Truncation intended: whole nodes.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let done = ((elapsed / seconds) * nodes as f64).floor() as u64;
            done.min(nodes.saturating_sub(1))
        };
        match op.kind {
            OpKind::Provision => format!(
                "Provisioning: {} of {nodes} nodes running",
                progress(b.provision_seconds())
            ),
            OpKind::Update => format!(
                "Updating: {} of {nodes} nodes updated",
                progress(b.provision_seconds())
            ),
            OpKind::Deprovision => "Deprovisioning: cluster DELETING".into(),
            OpKind::Bind | OpKind::Unbind => String::new(),
        }
    }

    /// What `GET /admin/instances` shows.
    pub fn info(&self, now: Instant) -> InstanceInfo {
        let class = self.class();
        InstanceInfo {
            id: self.id.clone(),
            namespace: self.namespace.clone(),
            instance_name: self.instance_name.clone(),
            service_id: self.service_id.clone(),
            plan_id: self.plan_id.clone(),
            service_name: class.map(|c| c.name.to_string()),
            plan_name: class
                .and_then(|c| catalog::plan(c, &self.plan_id))
                .map(|p| p.name.to_string()),
            parameters: self.parameters.clone(),
            context: self.context.clone(),
            state: self.state,
            dashboard_url: self.dashboard_url.clone(),
            behaviour: self.behaviour().resolved(),
            last_operation: self.last_op().map(|o| OperationInfo {
                id: o.id.clone(),
                kind: o.kind,
                state: o.state,
                description: self.describe(o, now),
            }),
            bindings: self
                .bindings
                .values()
                .filter(|b| b.state != BindingState::Gone)
                .map(|b| BindingInfo {
                    id: b.id.clone(),
                    parameters: b.parameters.clone(),
                    credentials: b.credentials.clone(),
                    created: b.created.clone(),
                    state: b.state,
                    last_operation: b.op.as_ref().map(|o| OperationInfo {
                        id: o.id.clone(),
                        kind: o.kind,
                        state: o.state,
                        description: b.describe(o),
                    }),
                })
                .collect(),
            created: self.created.clone(),
        }
    }
}

/// One instance in `GET /admin/instances`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub id: String,
    pub namespace: Option<String>,
    pub instance_name: Option<String>,
    pub service_id: String,
    pub plan_id: String,
    pub service_name: Option<String>,
    pub plan_name: Option<String>,
    pub parameters: Value,
    pub context: Value,
    pub state: InstanceState,
    pub dashboard_url: String,
    /// The behaviour in force, every key filled in.
    pub behaviour: Behaviour,
    pub last_operation: Option<OperationInfo>,
    pub bindings: Vec<BindingInfo>,
    pub created: String,
}

/// An instance's last operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperationInfo {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: OpKind,
    pub state: OpState,
    pub description: String,
}

/// One binding in `GET /admin/instances` (those unbound asynchronously are left out, as unbound ones are).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BindingInfo {
    pub id: String,
    pub parameters: Value,
    pub credentials: Map<String, Value>,
    pub created: String,
    pub state: BindingState,
    /// The last asynchronous bind or unbind, if any.
    pub last_operation: Option<OperationInfo>,
}

/// One OSB request in `GET /admin/requests`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// 1, 2, 3, … in arrival order (not reset when old entries drop off).
    pub seq: u64,
    /// RFC 3339, when the request arrived.
    pub time: String,
    pub method: String,
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    pub instance_id: Option<String>,
    pub binding_id: Option<String>,
    /// The `operation` query parameter of a `last_operation` poll.
    pub operation: Option<String>,
    pub namespace: Option<String>,
    pub instance_name: Option<String>,
    /// The `X-Broker-API-Version` header sent.
    pub api_version: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
}

/// Everything, behind one lock.
#[derive(Default)]
pub struct State {
    pub instances: HashMap<String, Instance>,
    pub registry: BTreeMap<(String, String), Behaviour>,
    pub requests: VecDeque<RequestRecord>,
    pub next_request: u64,
    pub next_instance: u64,
    /// The catalog document `PUT /admin/catalog` set (served by `GET /v2/catalog` instead of the usual
    /// one; provisions still know the usual classes only).
    pub catalog: Option<Value>,
    /// The `Authorization` header every `/v2` request must carry ([`crate::broker::Broker::require_auth`]);
    /// none: no authentication.
    pub auth: Option<String>,
}

impl State {
    /// The instance with this id, brought up to date; `Gone` ones too.
    pub fn instance(&mut self, id: &str) -> Option<&mut Instance> {
        let now = Instant::now();
        let inst = self.instances.get_mut(id)?;
        inst.advance(now);
        Some(inst)
    }

    /// The instance with this id unless it is gone.
    pub fn live(&mut self, id: &str) -> Option<&mut Instance> {
        self.instance(id).filter(|i| i.state != InstanceState::Gone)
    }

    /// The admin layer for a namespace/name (empty when none is registered).
    pub fn admin_layer(&self, namespace: Option<&str>, name: Option<&str>) -> Behaviour {
        match (namespace, name) {
            (Some(ns), Some(n)) => self
                .registry
                .get(&(ns.to_string(), n.to_string()))
                .cloned()
                .unwrap_or_default(),
            _ => Behaviour::default(),
        }
    }

    /// Register a behaviour; instances already known under that namespace/name take it as their admin layer.
    pub fn set_behaviour(&mut self, namespace: &str, name: &str, b: Behaviour) {
        for inst in self.instances.values_mut() {
            if inst.namespace.as_deref() == Some(namespace)
                && inst.instance_name.as_deref() == Some(name)
            {
                inst.admin = b.clone();
            }
        }
        self.registry
            .insert((namespace.to_string(), name.to_string()), b);
    }

    /// Forget a registered behaviour (instances keep the layer they have).
    pub fn clear_behaviour(&mut self, namespace: &str, name: &str) -> bool {
        self.registry
            .remove(&(namespace.to_string(), name.to_string()))
            .is_some()
    }

    /// Forget every instance provisioned as `namespace/name` (see [`crate::broker::Broker::forget`]).
    pub fn forget(&mut self, namespace: &str, name: &str) -> usize {
        let before = self.instances.len();
        self.instances.retain(|_, i| {
            !(i.namespace.as_deref() == Some(namespace) && i.instance_name.as_deref() == Some(name))
        });
        before - self.instances.len()
    }

    /// Every instance, in the order they were first provisioned.
    pub fn infos(&mut self) -> Vec<InstanceInfo> {
        let now = Instant::now();
        let mut all: Vec<&mut Instance> = self.instances.values_mut().collect();
        all.sort_by_key(|i| i.seq);
        all.into_iter()
            .map(|i| {
                i.advance(now);
                i.info(now)
            })
            .collect()
    }

    /// Append to the request log, dropping the oldest entry past the limit.
    pub fn log(&mut self, mut r: RequestRecord) {
        self.next_request += 1;
        r.seq = self.next_request;
        if self.requests.len() >= REQUEST_LOG_LIMIT {
            self.requests.pop_front();
        }
        self.requests.push_back(r);
    }
}

/// The shared state of one broker.
#[derive(Default)]
pub struct Shared {
    state: Mutex<State>,
}

impl Shared {
    /// Lock the state (a poisoned lock is taken over: the state stays consistent between statements).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The current time, RFC 3339.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now().to_string()
}
