//! The broker's view of an instance or a binding, beside the catalog's, and the verdict on the two:
//! what `broker status`, `abandon` and `describe --broker` show (docs/broker.md).
//!
//! What is asked, in order (read-only requests only; see [`crate::broker`] for how the broker is reached):
//!
//! 1. `GET /v2/catalog`: whether the object's service (its class's `externalID`) is
//!    `instances_retrievable` / `bindings_retrievable` — the Service Catalog keeps neither flag for
//!    instances, so only the broker can say;
//! 2. an operation in flight (`status.asyncOpInProgress`): `GET …/last_operation` with the `operation` key
//!    the controller stored (`status.lastOperation`), the class's and plan's ids;
//! 3. otherwise, when retrievable: `GET /v2/service_instances/ID` (or `…/service_bindings/BID`);
//! 4. an instance whose service is not retrievable: `GET …/last_operation` without an operation, the only
//!    other question the OSB API has; a 410 Gone is then the broker saying it does not know the instance
//!    (what the upstream test-broker answers), any other answer but a `state` is "cannot tell".
//!
//! [`judge`] (pure, unit-tested below) turns the answers into a [`Verdict`]:
//!
//! | verdict | when |
//! |---|---|
//! | `agree` | the broker's answer fits the catalog's state (holds a Ready instance, still works on an operation in progress, holds nothing of a failed provision or a deleted object) |
//! | `gone` | the broker no longer has an object the catalog shows as existing (404 from GET, 410 from last_operation) |
//! | `broker-failed` | the broker reports a failed operation the catalog does not show as failed |
//! | `cannot-tell` | the broker cannot answer (not retrievable, unreachable, an error status, busy), with why |
//!
//! Binding credentials are never kept: a GET binding's `credentials` become the list of their keys.

use kube::Api;
use serde::Serialize;
use serde_json::Value;

use crate::broker::{Answer, Endpoint, Options, Target};
use crate::catalog::{
    ClusterServiceClass, ClusterServicePlan, Offering, ServiceBinding, ServiceClass,
    ServiceInstance, ServicePlan,
};
use crate::client::Kube;
use crate::error::{Error, Result};
use crate::kinds::Kind;
use crate::state::{Phase, State};

/// The verdict on the catalog's view and the broker's (see the module).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Agree,
    Gone,
    BrokerFailed,
    CannotTell,
}

impl Verdict {
    /// The words `broker status` and `abandon --list --check-broker` print.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Agree => "agree",
            Verdict::Gone => "the broker no longer has it",
            Verdict::BrokerFailed => "the broker reports a failure the catalog does not show",
            Verdict::CannotTell => "the broker cannot tell",
        }
    }

    /// A short column value: `agree`, `gone`, `broker-failed`, `cannot-tell`.
    pub fn short(self) -> &'static str {
        match self {
            Verdict::Agree => "agree",
            Verdict::Gone => "gone",
            Verdict::BrokerFailed => "broker-failed",
            Verdict::CannotTell => "cannot-tell",
        }
    }
}

/// One request put to the broker and its answer, as shown (no credentials: a binding's are reduced to
/// their keys).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Asked {
    /// `GET /v2/service_instances/ID`.
    pub request: String,
    /// The HTTP status.
    pub status: u16,
    /// `last_operation`'s `state`, when it answered one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `last_operation`'s `description`, or an error's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A GET instance's `plan_id`, `dashboard_url`; a GET binding's credential keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

impl Asked {
    fn of(request: String, a: &Answer) -> Asked {
        let text = |k: &str| a.body.get(k).and_then(Value::as_str).map(str::to_string);
        let ok = a.status == 200;
        Asked {
            request,
            status: a.status,
            state: text("state").filter(|_| ok),
            description: if ok {
                text("description")
            } else {
                Some(a.description()).filter(|d| !d.is_empty())
            },
            details: None,
        }
    }
}

/// The broker as it was reached.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrokerSide {
    /// `clusterservicebroker/NAME`.
    pub name: String,
    pub url: String,
    /// `directly` or through the API server's service proxy.
    pub route: String,
    /// `no credentials`, `basic auth`, `a bearer token`.
    pub auth: String,
    /// Whether the service declares `instances_retrievable` / `bindings_retrievable` (unknown: absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrievable: Option<bool>,
}

/// The catalog's side: what the judge ([`crate::state`]) makes of the object.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogSide {
    /// Ready, Failed, Provisioning, Deleting, the reason…
    pub status: String,
    pub reason: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    pub async_op_in_progress: bool,
    /// `status.currentOperation`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub current_operation: String,
    /// `status.lastOperation`: the operation key the broker gave.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_operation: String,
    #[serde(skip)]
    pub phase: Option<Phase>,
}

/// The catalog's view and the broker's of one object, with the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    /// `serviceinstance/db`.
    pub object: String,
    pub namespace: String,
    /// The OSB id (`spec.externalID`).
    #[serde(rename = "externalID")]
    pub external_id: String,
    /// For a binding: its instance's OSB id.
    #[serde(rename = "instanceExternalID", skip_serializing_if = "Option::is_none")]
    pub instance_external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker: Option<BrokerSide>,
    pub catalog: CatalogSide,
    pub asked: Vec<Asked>,
    pub verdict: Verdict,
    /// Why, in a sentence.
    pub why: String,
    /// Whether the broker holds the object: yes, no, or unknown (absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker_holds: Option<bool>,
}

impl View {
    /// The lines `broker status` prints (and `describe --broker` indents).
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut l = vec![
            ("Object".to_string(), self.object.clone()),
            ("Namespace".into(), self.namespace.clone()),
            ("External ID".into(), self.external_id.clone()),
        ];
        if let Some(b) = &self.broker {
            l.push((
                "Broker".into(),
                format!("{} at {} ({}, {})", b.name, b.url, b.route, b.auth),
            ));
        }
        let c = &self.catalog;
        let mut catalog = c.status.clone();
        if !c.reason.is_empty() && c.reason != c.status {
            catalog.push_str(&format!(" ({})", c.reason));
        }
        if c.async_op_in_progress {
            catalog.push_str(&format!(
                "; {} in progress, operation {}",
                if c.current_operation.is_empty() {
                    "an operation"
                } else {
                    &c.current_operation
                },
                if c.last_operation.is_empty() {
                    "(no key)"
                } else {
                    &c.last_operation
                }
            ));
        }
        l.push(("Catalog".into(), catalog));
        for a in &self.asked {
            let mut said = format!("{} → {}", a.request, a.status);
            if let Some(s) = &a.state {
                said.push_str(&format!(" {s:?}"));
            }
            if let Some(d) = &a.description {
                said.push_str(&format!(": {d}"));
            }
            if let Some(det) = &a.details {
                said.push_str(&format!(
                    " {}",
                    serde_json::to_string(det).unwrap_or_default()
                ));
            }
            l.push(("Broker says".into(), said));
        }
        l.push((
            "Verdict".into(),
            format!("{}: {}", self.verdict.words(), self.why),
        ));
        l
    }
}

/// Print `lines` as `Key:   value`, aligned, each prefixed by `indent`.
pub fn render(lines: &[(String, String)], indent: &str) -> String {
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    let mut out = String::new();
    for (k, v) in lines {
        out.push_str(&format!("{indent}{:<width$}{v}\n", format!("{k}:")));
    }
    out
}

/// What the judge is given: the catalog's state, and what the broker answered.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub kind: Kind,
    pub catalog: &'a State,
    pub async_op: bool,
    /// The service's `*_retrievable` flag (None: the catalog could not be read or has no such service).
    pub retrievable: Option<bool>,
    /// The last_operation answer, when one was asked (an operation in flight, or the probe of rule 4).
    pub last_operation: Option<&'a Answer>,
    /// The GET instance/binding answer, when one was asked.
    pub get: Option<&'a Answer>,
    /// Why nothing could be asked (the broker unreachable, the catalog unreadable), if so.
    pub unreachable: Option<&'a str>,
}

/// The verdict on `facts` (see the module's table), why, and whether the broker holds the object.
pub fn judge(f: &Facts<'_>) -> (Verdict, String, Option<bool>) {
    let what = if f.kind == Kind::ServiceBinding {
        "binding"
    } else {
        "instance"
    };
    let phase = f.catalog.phase;
    let failed = matches!(phase, Phase::Failed);
    let deleting = matches!(phase, Phase::Deleting | Phase::DeletionFailed);
    if let Some(why) = f.unreachable {
        return (Verdict::CannotTell, why.to_string(), None);
    }
    if let Some(a) = f.last_operation {
        let state = a.body.get("state").and_then(Value::as_str);
        let desc = a.description();
        let desc = if desc.is_empty() {
            String::new()
        } else {
            format!(": {desc}")
        };
        return match (a.status, state) {
            (200, Some("in progress")) => (
                Verdict::Agree,
                format!("the broker is still working on the {what}{desc}"),
                None,
            ),
            (200, Some("succeeded")) if f.async_op => (
                Verdict::Agree,
                format!(
                    "the broker has finished the operation (succeeded{desc}); the controller sees it at its next poll"
                ),
                (!deleting).then_some(true),
            ),
            (200, Some("succeeded")) => (
                Verdict::Agree,
                format!("the broker knows the {what}: its last operation succeeded{desc}"),
                Some(true),
            ),
            (200, Some("failed")) if failed => (
                Verdict::Agree,
                format!("the broker reports the operation failed, as the catalog does{desc}"),
                None,
            ),
            (200, Some("failed")) => (
                Verdict::BrokerFailed,
                format!(
                    "the broker reports the operation failed{desc}; the catalog shows {}",
                    f.catalog.word()
                ),
                None,
            ),
            (410, _) if deleting => (
                Verdict::Agree,
                format!("the broker has deleted the {what}, as the catalog is doing"),
                Some(false),
            ),
            (410, _) => (
                Verdict::Gone,
                format!(
                    "the broker answers 410 Gone to last_operation: it does not know the {what}{desc}"
                ),
                Some(false),
            ),
            (status, _) => {
                let not_retrievable = if f.retrievable == Some(false) {
                    format!("the service is not {what}s_retrievable (no GET of an {what}), and ")
                } else {
                    String::new()
                };
                (
                    Verdict::CannotTell,
                    format!("{not_retrievable}last_operation answered HTTP {status}{desc}"),
                    None,
                )
            }
        };
    }
    let Some(a) = f.get else {
        let why = match f.retrievable {
            Some(false) => format!(
                "the service is not {what}s_retrievable: the OSB API gives a platform no way to ask the broker for the {what}"
            ),
            _ => "nothing could be asked".to_string(),
        };
        return (Verdict::CannotTell, why, None);
    };
    match a.status {
        200 if deleting => (
            Verdict::Agree,
            format!(
                "the broker still holds the {what} the catalog is deleting ({})",
                f.catalog.word()
            ),
            Some(true),
        ),
        200 if failed => (
            Verdict::Agree,
            format!(
                "the broker holds the {what}; the catalog shows it Failed ({})",
                f.catalog.reason
            ),
            Some(true),
        ),
        200 => (
            Verdict::Agree,
            format!(
                "the broker holds the {what} the catalog shows as {}",
                f.catalog.word()
            ),
            Some(true),
        ),
        404 | 410 if failed => (
            Verdict::Agree,
            format!("the broker holds no {what}, as the failed operation says"),
            Some(false),
        ),
        404 | 410 if deleting => (
            Verdict::Agree,
            format!("the broker holds no {what}: it has been deleted there"),
            Some(false),
        ),
        404 | 410 => (
            Verdict::Gone,
            format!(
                "the broker answers {} to GET: it does not have the {what} the catalog shows as {}",
                a.status,
                f.catalog.word()
            ),
            Some(false),
        ),
        422 => (
            Verdict::CannotTell,
            format!(
                "the broker is busy with the {what} (422 {})",
                a.description()
            ),
            None,
        ),
        s => (
            Verdict::CannotTell,
            format!("the broker answered HTTP {s}: {}", a.description()),
            None,
        ),
    }
}

/// Why the broker cannot be asked, found while resolving it: a permission the user lacks is an error
/// (`Err`, the 403 as the server said it), anything else a reason the verdict gives (`Ok(Err(why))`).
type Resolving<T> = Result<std::result::Result<T, String>>;

/// `Err` for a 403 (a permission to name), else the error's words as the why of a verdict.
fn unresolved<T>(e: Error) -> Resolving<T> {
    if e.is_forbidden() {
        return Err(e);
    }
    Ok(Err(e.render().unwrap_or_default()))
}

/// A class's or plan's external ID and its parent (a class's broker), read by name through `api` (`get`
/// on the class or plan: osb-catalog-reader).
async fn offering<K>(api: Api<K>, name: &str) -> Resolving<(String, String)>
where
    K: Offering + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api.get(name).await {
        Ok(o) => Ok(Ok((o.external_id().to_string(), o.parent().to_string()))),
        Err(e) => unresolved(Error::from(e)),
    }
}

/// `?` for [`Resolving`]: the value, or return the why (or the 403).
macro_rules! resolved {
    ($e:expr) => {
        match $e? {
            Ok(v) => v,
            Err(why) => return Ok(Err(why)),
        }
    };
}

/// Everything needed to ask the broker about an instance.
struct Resolved {
    target: Target,
    service_id: String,
    plan_id: String,
}

/// The instance's class, plan and broker, from the objects the controller resolved.
async fn resolve(kube: &Kube, si: &ServiceInstance) -> Resolving<Resolved> {
    let ns = si.metadata.namespace.clone().unwrap_or_default();
    let spec = &si.spec;
    let props = si.status.as_ref().and_then(|s| {
        s.external_properties
            .clone()
            .or(s.in_progress_properties.clone())
    });
    let c = || kube.client.clone();
    // (namespace of a namespaced class, (class's external ID, its broker), plan's external ID)
    let (scope, (service_id, broker), plan_id) = if let Some(class) =
        &spec.cluster_service_class_ref
    {
        let plan = match &spec.cluster_service_plan_ref {
            Some(p) => {
                Some(resolved!(offering(Api::<ClusterServicePlan>::all(c()), &p.name).await).0)
            }
            None => props.and_then(|p| p.cluster_service_plan_external_id),
        };
        let class = resolved!(offering(Api::<ClusterServiceClass>::all(c()), &class.name).await);
        (None, class, plan)
    } else if let Some(class) = &spec.service_class_ref {
        let plan = match &spec.service_plan_ref {
            Some(p) => {
                Some(resolved!(offering(Api::<ServicePlan>::namespaced(c(), &ns), &p.name).await).0)
            }
            None => props.and_then(|p| p.service_plan_external_id),
        };
        let class =
            resolved!(offering(Api::<ServiceClass>::namespaced(c(), &ns), &class.name).await);
        (Some(ns.as_str()), class, plan)
    } else {
        return Ok(Err(
            "the controller has not resolved the instance's class yet (no class reference): no broker to ask"
                .into(),
        ));
    };
    let target = match scope {
        None => Target::cluster(kube, &broker).await,
        Some(ns) => Target::namespaced(kube, ns, &broker).await,
    };
    let target = match target {
        Ok(t) => t,
        Err(e) => return unresolved(e),
    };
    let plan_id = plan_id.unwrap_or_default();
    Ok(Ok(Resolved {
        target,
        service_id,
        plan_id,
    }))
}

fn catalog_side(kind: Kind, obj: &Value) -> (CatalogSide, State) {
    let st = crate::state::judge(kind, obj);
    let text = |p: &str| {
        obj.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (
        CatalogSide {
            status: st.status(kind),
            reason: st.reason.clone(),
            message: st.message.clone(),
            async_op_in_progress: obj
                .pointer("/status/asyncOpInProgress")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            current_operation: text("/status/currentOperation"),
            last_operation: text("/status/lastOperation"),
            phase: Some(st.phase),
        },
        st,
    )
}

/// The service `service_id` of the broker's catalog document.
fn service<'a>(catalog: &'a Value, service_id: &str) -> Option<&'a Value> {
    catalog
        .get("services")?
        .as_array()?
        .iter()
        .find(|s| s.get("id").and_then(Value::as_str) == Some(service_id))
}

/// An error of [`instance`] or [`binding`] on one line, for a verb that goes on without the broker's answer
/// (`abandon`'s "cannot tell", `describe --broker`'s section): as the CLI would print it, a 403 with what
/// is missing and the shipped role granting it ([`crate::rbac::explained`]), its lines joined by `; `.
pub fn failure_words(e: &Error) -> String {
    crate::rbac::explained(e)
        .unwrap_or_else(|| e.to_string())
        .lines()
        .map(|l| l.trim_start_matches("error: "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Ask the broker about the instance `name` in the command's namespace.
pub async fn instance(kube: &Kube, opts: &Options, name: &str) -> Result<View> {
    let api: Api<ServiceInstance> = Api::namespaced(kube.client.clone(), &kube.namespace);
    let si = api.get(name).await?;
    ask(kube, opts, &si, None).await
}

/// Ask the broker about the binding `name` in the command's namespace.
pub async fn binding(kube: &Kube, opts: &Options, name: &str) -> Result<View> {
    let api: Api<ServiceBinding> = Api::namespaced(kube.client.clone(), &kube.namespace);
    let sb = api.get(name).await?;
    let si_api: Api<ServiceInstance> = Api::namespaced(kube.client.clone(), &kube.namespace);
    let si = si_api.get(&sb.spec.instance_ref.name).await?;
    ask(kube, opts, &si, Some(&sb)).await
}

/// Ask about `si` (or its binding `sb`) what the module says; only a permission the user lacks (`get` on
/// the instance's class, plan or broker: osb-catalog-reader; the broker's Secret, the service proxy:
/// osb-broker-credentials) is an error: anything else the broker cannot answer is a verdict.
pub async fn ask(
    kube: &Kube,
    opts: &Options,
    si: &ServiceInstance,
    sb: Option<&ServiceBinding>,
) -> Result<View> {
    let (kind, obj, name) = match sb {
        Some(b) => (
            Kind::ServiceBinding,
            osb_core::to_value(b),
            b.metadata.name.clone().unwrap_or_default(),
        ),
        None => (
            Kind::ServiceInstance,
            osb_core::to_value(si),
            si.metadata.name.clone().unwrap_or_default(),
        ),
    };
    let iid = si.spec.external_id.clone().unwrap_or_default();
    let (catalog, state) = catalog_side(kind, &obj);
    let mut view = View {
        object: format!("{}/{name}", kind.name().to_ascii_lowercase()),
        namespace: si.metadata.namespace.clone().unwrap_or_default(),
        external_id: match sb {
            Some(b) => b.spec.external_id.clone().unwrap_or_default(),
            None => iid.clone(),
        },
        instance_external_id: sb.map(|_| iid.clone()),
        broker: None,
        catalog,
        asked: Vec::new(),
        verdict: Verdict::CannotTell,
        why: String::new(),
        broker_holds: None,
    };
    let mut facts = Facts {
        kind,
        catalog: &state,
        async_op: view.catalog.async_op_in_progress,
        retrievable: None,
        last_operation: None,
        get: None,
        unreachable: None,
    };
    // A permission the user lacks (get on the class, the plan, the broker) is an error, as below.
    let resolved = match resolve(kube, si).await? {
        Ok(r) => r,
        Err(why) => {
            facts.unreachable = Some(&why);
            (view.verdict, view.why, view.broker_holds) = judge(&facts);
            return Ok(view);
        }
    };
    let endpoint = match Endpoint::open(kube, resolved.target.clone(), opts).await {
        Ok(e) => e,
        Err(e) if e.is_forbidden() => return Err(e),
        Err(e) => {
            let why = e.to_string();
            facts.unreachable = Some(&why);
            (view.verdict, view.why, view.broker_holds) = judge(&facts);
            view.broker = Some(BrokerSide {
                name: resolved.target.display(),
                url: crate::broker::shown_url(&resolved.target.spec.url),
                route: String::new(),
                auth: String::new(),
                retrievable: None,
            });
            return Ok(view);
        }
    };
    let mut side = BrokerSide {
        name: endpoint.target.display(),
        url: endpoint.url.clone(),
        route: endpoint.route.words(),
        auth: endpoint.auth.to_string(),
        retrievable: None,
    };
    let binding_id = sb.map(|_| view.external_id.clone());
    let flag = if sb.is_some() {
        "bindings_retrievable"
    } else {
        "instances_retrievable"
    };
    let mut unreachable = None;
    let mut last_op = None;
    let mut get = None;
    match endpoint.catalog().await {
        // The API server refused its service proxy: a permission the user lacks, not the broker's answer.
        Err(e) if e.is_forbidden() => return Err(e),
        Err(e) => unreachable = Some(e.to_string()),
        Ok(doc) => match service(&doc, &resolved.service_id) {
            None => {
                unreachable = Some(format!(
                    "the broker's catalog has no service {:?} (the class's externalID) any more",
                    resolved.service_id
                ))
            }
            Some(s) => {
                let retrievable = s.get(flag).and_then(Value::as_bool).unwrap_or(false);
                side.retrievable = Some(retrievable);
                facts.retrievable = Some(retrievable);
                let ask_op = view.catalog.async_op_in_progress || (!retrievable && sb.is_none());
                let result = if ask_op {
                    let op = view.catalog.last_operation.clone();
                    let op = (view.catalog.async_op_in_progress && !op.is_empty()).then_some(op);
                    endpoint
                        .last_operation(
                            &iid,
                            binding_id.as_deref(),
                            &resolved.service_id,
                            &resolved.plan_id,
                            op.as_deref(),
                        )
                        .await
                        .map(|a| (true, a))
                } else if retrievable {
                    match &binding_id {
                        Some(b) => endpoint.binding(&iid, b).await,
                        None => endpoint.instance(&iid).await,
                    }
                    .map(|a| (false, a))
                } else {
                    Ok((false, Answer::default()))
                };
                match result {
                    Err(e) => unreachable = Some(e.to_string()),
                    Ok((_, a)) if a.status == 0 => {}
                    Ok((true, a)) => last_op = Some(a),
                    Ok((false, a)) => get = Some(a),
                }
            }
        },
    }
    let request = |a: &Answer| a.request.clone();
    if let Some(a) = &last_op {
        view.asked.push(Asked::of(request(a), a));
    }
    if let Some(a) = &get {
        let mut asked = Asked::of(request(a), a);
        if a.status == 200 {
            asked.description = None;
            asked.details = Some(if sb.is_some() {
                let mut keys: Vec<&String> = a
                    .body
                    .get("credentials")
                    .and_then(Value::as_object)
                    .map(|m| m.keys().collect())
                    .unwrap_or_default();
                keys.sort();
                serde_json::json!({ "credentialKeys": keys })
            } else {
                let mut d = serde_json::Map::new();
                for k in ["service_id", "plan_id", "dashboard_url"] {
                    if let Some(v) = a.body.get(k) {
                        d.insert(k.to_string(), v.clone());
                    }
                }
                Value::Object(d)
            });
        }
        view.asked.push(asked);
    }
    facts.unreachable = unreachable.as_deref();
    facts.last_operation = last_op.as_ref();
    facts.get = get.as_ref();
    (view.verdict, view.why, view.broker_holds) = judge(&facts);
    view.broker = Some(side);
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_failure_is_one_line_and_a_403_names_the_role() {
        let msg = "clusterserviceplans.servicecatalog.k8s.io \"p1\" is forbidden: User \"bob\" cannot get resource \"clusterserviceplans\" in API group \"servicecatalog.k8s.io\" at the cluster scope";
        let status = kube::core::Status::failure(msg, "Forbidden").with_code(403);
        let e = Error::Kube(kube::Error::Api(Box::new(status)));
        let words = failure_words(&e);
        assert!(!words.contains('\n'), "{words}");
        assert!(
            words.starts_with(&format!(
                "Error from server (Forbidden): {msg}; missing: get "
            )) && words.contains("granted by ClusterRole osb-catalog-reader")
                && words.ends_with(
                    "; hint: kubectl osb rbac catalog-reader --user bob | kubectl apply -f -"
                ),
            "{words}"
        );
        let forbidden = Error::Forbidden(
            "Error from server (Forbidden): x\nerror: b has authInfo\nmissing: get secrets".into(),
        );
        assert_eq!(
            failure_words(&forbidden),
            "Error from server (Forbidden): x; b has authInfo; missing: get secrets"
        );
        assert_eq!(
            failure_words(&Error::Input("unreachable".into())),
            "unreachable"
        );
    }

    fn answer(status: u16, body: Value) -> Answer {
        Answer {
            status,
            body,
            ..Answer::default()
        }
    }

    fn state(phase: Phase, reason: &str) -> State {
        State {
            phase,
            reason: reason.into(),
            message: String::new(),
            operation: String::new(),
            unobserved_generation: None,
        }
    }

    fn facts<'a>(st: &'a State, retrievable: Option<bool>) -> Facts<'a> {
        Facts {
            kind: Kind::ServiceInstance,
            catalog: st,
            async_op: false,
            retrievable,
            last_operation: None,
            get: None,
            unreachable: None,
        }
    }

    type Judged = (Verdict, String, Option<bool>);

    /// The verdict on a GET instance answer `a` for an instance in state `st`.
    fn by_get(st: &State, retrievable: Option<bool>, a: &Answer) -> Judged {
        judge(&Facts {
            get: Some(a),
            ..facts(st, retrievable)
        })
    }

    /// The verdict on a last_operation answer `a` for an instance in state `st`.
    fn by_last_operation(st: &State, r: Option<bool>, a: &Answer) -> Judged {
        let f = facts(st, r);
        judge(&Facts {
            last_operation: Some(a),
            ..f
        })
    }

    #[test]
    fn a_get_instance_decides_when_nothing_is_in_flight() {
        let ready = state(Phase::Ready, "ProvisionedSuccessfully");
        let ok = answer(200, json!({"plan_id": "p"}));
        let v = by_get(&ready, Some(true), &ok);
        assert_eq!((v.0, v.2), (Verdict::Agree, Some(true)));
        let missing = answer(404, json!({"description": "no"}));
        let v = by_get(&ready, Some(true), &missing);
        assert_eq!((v.0, v.2), (Verdict::Gone, Some(false)));
        assert!(v.1.contains("does not have the instance"), "{}", v.1);
        let failed = state(Phase::Failed, "ProvisionCallFailed");
        let v = by_get(&failed, Some(true), &missing);
        assert_eq!(v.0, Verdict::Agree, "neither holds a failed provision");
        let busy = answer(422, json!({"error": "ConcurrencyError"}));
        let v = by_get(&ready, Some(true), &busy);
        assert_eq!((v.0, v.2), (Verdict::CannotTell, None));
        let v = judge(&facts(&ready, Some(false)));
        assert_eq!(v.0, Verdict::CannotTell);
        assert!(v.1.contains("not instances_retrievable"), "{}", v.1);
    }

    #[test]
    fn last_operation_decides_an_operation_in_flight_and_probes_the_unretrievable() {
        let provisioning = state(Phase::InProgress, "Provisioning");
        let running = answer(
            200,
            json!({"state": "in progress", "description": "2 of 4 nodes"}),
        );
        let f = Facts {
            async_op: true,
            last_operation: Some(&running),
            ..facts(&provisioning, Some(true))
        };
        let v = judge(&f);
        assert_eq!(v.0, Verdict::Agree);
        assert!(
            v.1.contains("still working") && v.1.contains("2 of 4 nodes"),
            "{}",
            v.1
        );
        let failed = answer(
            200,
            json!({"state": "failed", "description": "no capacity"}),
        );
        let v = judge(&Facts {
            last_operation: Some(&failed),
            ..f.clone()
        });
        assert_eq!(v.0, Verdict::BrokerFailed);
        assert!(v.1.contains("no capacity"), "{}", v.1);
        let ready = state(Phase::Ready, "ProvisionedSuccessfully");
        let gone = answer(410, json!({}));
        let v = by_last_operation(&ready, Some(false), &gone);
        assert_eq!((v.0, v.2), (Verdict::Gone, Some(false)));
        let error = answer(500, json!({"description": "no operation"}));
        let v = by_last_operation(&ready, Some(false), &error);
        assert_eq!(v.0, Verdict::CannotTell);
        assert!(
            v.1.contains("not instances_retrievable") && v.1.contains("HTTP 500"),
            "{}",
            v.1
        );
        let deleting = state(Phase::Deleting, "Deprovisioning");
        let v = by_last_operation(&deleting, Some(false), &gone);
        assert_eq!(v.0, Verdict::Agree, "410 while deleting is the delete done");
    }

    #[test]
    fn an_unreachable_broker_cannot_tell_and_says_why() {
        let ready = state(Phase::Ready, "ProvisionedSuccessfully");
        let v = judge(&Facts {
            unreachable: Some("connection refused"),
            ..facts(&ready, None)
        });
        assert_eq!(
            v,
            (Verdict::CannotTell, "connection refused".to_string(), None)
        );
    }

    #[test]
    fn the_lines_align_and_never_hold_credentials() {
        let lines = vec![
            ("Object".to_string(), "serviceinstance/db".to_string()),
            ("Broker says".to_string(), "GET x → 200".to_string()),
        ];
        assert_eq!(
            render(&lines, "  "),
            "  Object:      serviceinstance/db\n  Broker says: GET x → 200\n"
        );
    }
}
