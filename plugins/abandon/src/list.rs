//! `--list`: find the instances and bindings the catalog can no longer reconcile, and say why.
//!
//! The rules are pure functions of the objects ([`instance_reasons`], [`binding_reasons`]) so that they can
//! be tested without a cluster; [`find`] reads what they need in one pass. Whether a deletion failed for
//! good is the judge's word ([`osb::state`], as `wait`, `describe` and `get` see it); which reasons name
//! a missing class or plan, the reasons table's ([`osb::reasons::missing`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::time::Duration;

use kube::api::ListParams;
use kube::{Api, Client, ResourceExt};
use osb::catalog::{
    ClusterServiceClass, ClusterServicePlan, Conditioned, ServiceBinding, ServiceClass,
    ServiceInstance, ServicePlan,
};
use osb::error::Result;
use osb::kinds::Kind;
use osb::list::{Pages, map};
use osb::output::{self, Format};
use osb::reasons::Missing;
use osb::state::Phase;
use serde_json::{Value, json};

/// Why an object is an orphan candidate: a stable code for scripts and a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Why {
    pub code: &'static str,
    pub message: String,
}

fn why(code: &'static str, message: impl Into<String>) -> Why {
    Why {
        code,
        message: message.into(),
    }
}

/// Which classes and plans exist (by Kubernetes name), and whether the broker removed them.
#[derive(Clone, Debug, Default)]
pub struct Offered {
    /// `(namespace, name)` → removedFromBrokerCatalog; `None` namespace for cluster-scoped ones.
    pub classes: BTreeMap<(Option<String>, String), bool>,
    pub plans: BTreeMap<(Option<String>, String), bool>,
    /// False when the classes could not be read (e.g. RBAC): the class/plan rule is then skipped.
    pub known: bool,
}

/// One candidate.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// A ServiceInstance or a ServiceBinding.
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub created: Option<String>,
    pub deleting_since: Option<String>,
    pub finalizers: Vec<String>,
    pub reasons: Vec<Why>,
    /// `--check-broker`: the broker's verdict (`agree`, `gone`, …) and why.
    pub broker: Option<(osb::broker_view::Verdict, String)>,
}

impl Candidate {
    /// `kind.group/name`.
    pub fn ref_name(&self) -> String {
        format!("{}/{}", self.kind.qualified(), self.name)
    }

    /// The report object of `-o json|yaml`.
    pub fn to_value(&self) -> Value {
        let mut v = json!({
            "apiVersion": osb::catalog::API_VERSION,
            "kind": self.kind.name(),
            "metadata": {
                "name": self.name,
                "namespace": self.namespace,
                "creationTimestamp": self.created,
                "deletionTimestamp": self.deleting_since,
                "finalizers": self.finalizers,
            },
            "reasons": self.reasons.iter().map(|w| json!({"code": w.code, "message": w.message})).collect::<Vec<_>>(),
        });
        if let (Some((verdict, why)), Some(m)) = (&self.broker, v.as_object_mut()) {
            m.insert("broker".into(), json!({"verdict": verdict, "why": why}));
        }
        v
    }
}

fn elapsed(ts: Option<&str>, now: jiff::Timestamp) -> Option<Duration> {
    let t = ts?.parse::<jiff::Timestamp>().ok()?;
    Duration::try_from(now.duration_since(t)).ok()
}

fn deleting_for<K: kube::Resource + Conditioned>(
    obj: &K,
    now: jiff::Timestamp,
    older_than: Duration,
) -> Option<Why> {
    let ts = obj.meta().deletion_timestamp.as_ref()?;
    let ready = cond_text(obj, "Ready");
    let context = if ready.is_empty() {
        String::new()
    } else {
        format!(" (Ready: {ready})")
    };
    let ts = ts.0.to_string();
    let d = elapsed(Some(&ts), now)?;
    (d >= older_than).then(|| {
        why(
            "StuckDeleting",
            format!(
                "deletion requested {} ago and still pending{context}",
                osb::duration::human(d)
            ),
        )
    })
}

fn cond_text<K: Conditioned>(obj: &K, type_: &str) -> String {
    obj.condition(type_)
        .and_then(|c| c.reason.clone())
        .unwrap_or_default()
}

/// The judge's word on `obj` ([`osb::state::judge`]).
fn judged<K: serde::Serialize>(kind: Kind, obj: &K) -> osb::state::State {
    osb::state::judge(kind, &output::to_value(obj))
}

/// The reasons an instance is an orphan candidate (empty: it is not one).
pub fn instance_reasons(
    si: &ServiceInstance,
    offered: &Offered,
    now: jiff::Timestamp,
    older_than: Duration,
) -> Vec<Why> {
    let mut out = Vec::new();
    let deleting = si.metadata.deletion_timestamp.is_some();
    let failed_reason = si.is_true("Failed").then(|| cond_text(si, "Failed"));
    let st = judged(Kind::ServiceInstance, si);
    if st.phase == Phase::DeletionFailed && si.deprovision_status() == "Failed" {
        let detail = failed_reason
            .as_deref()
            .filter(|r| !r.is_empty())
            .map(|r| format!(", {r}"))
            .unwrap_or_default();
        out.push(why(
            "DeprovisionFailed",
            format!(
                "deletion requested but the deprovision failed for good (deprovisionStatus: Failed{detail}); the catalog will not retry"
            ),
        ));
    } else if st.phase == Phase::DeletionFailed {
        out.push(gave_up(&st.reason));
    } else if let Some(r) = &failed_reason {
        out.push(why(
            "Failed",
            format!(
                "the instance failed ({r}){}",
                if deleting {
                    ""
                } else {
                    "; a plain delete usually works, abandon only if it does not"
                }
            ),
        ));
    }
    out.extend(missing_offerings(si, offered));
    out.extend(deleting_for(si, now, older_than));
    out
}

/// A deletion the judge says failed for good without the status saying so (a `Failed=True` reason
/// no create or update writes).
fn gave_up(reason: &str) -> Why {
    why(
        "DeletionFailed",
        format!("deletion requested but the catalog gave up ({reason})"),
    )
}

fn missing_offerings(si: &ServiceInstance, offered: &Offered) -> Vec<Why> {
    let mut out = Vec::new();
    if offered.known {
        // The references the catalog resolved, cluster-scoped (0) then namespaced (1).
        let checks = [
            (
                "ClassGone",
                ["ClusterServiceClass", "ServiceClass"],
                si.class_names(),
                &offered.classes,
            ),
            (
                "PlanGone",
                ["ClusterServicePlan", "ServicePlan"],
                si.plan_names(),
                &offered.plans,
            ),
        ];
        for scope in 0..2 {
            let ns = if scope == 0 { None } else { si.namespace() };
            for (code, kinds, names, set) in &checks {
                let (Some(name), kind) = (names.reference[scope].map(|r| &r.name), kinds[scope])
                else {
                    continue;
                };
                match set.get(&(ns.clone(), name.clone())) {
                    None => out.push(why(code, format!("its {kind} {name:?} no longer exists"))),
                    Some(true) => out.push(why(
                        code,
                        format!("its {kind} {name:?} was removed from the broker's catalog"),
                    )),
                    Some(false) => {}
                }
            }
        }
    }
    if out.is_empty()
        && let Some(c) = si.condition("Ready")
        && c.status != "True"
        && let Some(r) = c.reason.as_deref()
        && let Some(what) = osb::reasons::missing(r).filter(|m| *m != Missing::Instance)
    {
        let code = if what == Missing::Plan {
            "PlanGone"
        } else {
            "ClassGone"
        };
        out.push(why(
            code,
            format!("{r}: the catalog cannot resolve what it names and retries forever"),
        ));
    }
    out
}

/// The reasons a binding is an orphan candidate. `instance_exists`: its instance is still there.
pub fn binding_reasons(
    sb: &ServiceBinding,
    instance_exists: bool,
    now: jiff::Timestamp,
    older_than: Duration,
) -> Vec<Why> {
    let mut out = Vec::new();
    let st = judged(Kind::ServiceBinding, sb);
    if !instance_exists {
        out.push(why(
            "InstanceGone",
            format!(
                "its ServiceInstance {:?} no longer exists",
                sb.spec.instance_ref.name
            ),
        ));
    }
    if st.phase == Phase::DeletionFailed && sb.unbind_status() == "Failed" {
        out.push(why(
            "UnbindFailed",
            "deletion requested but the unbind failed for good (unbindStatus: Failed); the catalog will not retry",
        ));
    } else if st.phase == Phase::DeletionFailed {
        out.push(gave_up(&st.reason));
    } else if sb.is_true("Failed") {
        out.push(why(
            "Failed",
            format!("the binding failed ({})", cond_text(sb, "Failed")),
        ));
    }
    out.extend(deleting_for(sb, now, older_than));
    out
}

async fn offered(client: &Client, namespace: Option<&str>, chunk: u32) -> Offered {
    let lp = ListParams::default();
    let ns_classes: Api<ServiceClass> = osb::list::scoped(client, namespace);
    let ns_plans: Api<ServicePlan> = osb::list::scoped(client, namespace);
    // Page by page, keeping only (namespace, name) → removed from the broker's catalog.
    type Entry = ((Option<String>, String), bool);
    fn entry<K: kube::Resource>(o: &K, status: Option<&osb::catalog::CatalogEntryStatus>) -> Entry {
        let removed = status.and_then(|s| s.removed_from_broker_catalog);
        (
            (o.meta().namespace.clone(), o.name_any()),
            removed.unwrap_or(false),
        )
    }
    let (cluster_classes, cluster_plans, ns_classes, ns_plans) = futures::join!(
        map(
            Api::<ClusterServiceClass>::all(client.clone()),
            &lp,
            chunk,
            |c| entry(c, c.status.as_ref())
        ),
        map(
            Api::<ClusterServicePlan>::all(client.clone()),
            &lp,
            chunk,
            |p| entry(p, p.status.as_ref())
        ),
        map(ns_classes, &lp, chunk, |c| entry(c, c.status.as_ref())),
        map(ns_plans, &lp, chunk, |p| entry(p, p.status.as_ref())),
    );
    let (Ok(cc), Ok(cp), Ok(nc), Ok(np)) = (cluster_classes, cluster_plans, ns_classes, ns_plans)
    else {
        eprintln!(
            "Warning: cannot read the catalog's classes and plans; instances whose class or plan is gone are not detected"
        );
        return Offered::default();
    };
    Offered {
        classes: cc.into_iter().chain(nc).collect(),
        plans: cp.into_iter().chain(np).collect(),
        known: true,
    }
}

/// Read instances, bindings and offerings of `namespace` (all namespaces: `None`) and find the candidates.
pub async fn find(
    client: &Client,
    namespace: Option<&str>,
    older_than: Duration,
    chunk: u32,
) -> Result<Vec<Candidate>> {
    let lp = ListParams::default();
    let instances: Api<ServiceInstance> = osb::list::scoped(client, namespace);
    let bindings: Api<ServiceBinding> = osb::list::scoped(client, namespace);
    let offered = offered(client, namespace, chunk).await;
    let now = jiff::Timestamp::now();
    // Page by page: only the instances' names and the candidates are kept, however many objects.
    let mut existing: BTreeSet<(String, String)> = BTreeSet::new();
    let mut out = Vec::new();
    let mut pages = Pages::new(instances, lp.clone(), chunk);
    while let Some(page) = pages.next().await? {
        for si in &page {
            existing.insert((si.namespace().unwrap_or_default(), si.name_any()));
            let reasons = instance_reasons(si, &offered, now, older_than);
            if !reasons.is_empty() {
                out.push(candidate(Kind::ServiceInstance, &si.metadata, reasons));
            }
        }
    }
    let mut pages = Pages::new(bindings, lp, chunk);
    while let Some(page) = pages.next().await? {
        for sb in &page {
            let key = (
                sb.namespace().unwrap_or_default(),
                sb.spec.instance_ref.name.clone(),
            );
            let reasons = binding_reasons(sb, existing.contains(&key), now, older_than);
            if !reasons.is_empty() {
                out.push(candidate(Kind::ServiceBinding, &sb.metadata, reasons));
            }
        }
    }
    out.sort_by(|a, b| (&a.namespace, a.kind, &a.name).cmp(&(&b.namespace, b.kind, &b.name)));
    Ok(out)
}

fn candidate(kind: Kind, meta: &kube::api::ObjectMeta, reasons: Vec<Why>) -> Candidate {
    Candidate {
        kind,
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
        created: meta.creation_timestamp.as_ref().map(|t| t.0.to_string()),
        deleting_since: meta.deletion_timestamp.as_ref().map(|t| t.0.to_string()),
        finalizers: meta.finalizers.clone().unwrap_or_default(),
        reasons,
        broker: None,
    }
}

/// `--check-broker`: ask each candidate's broker ([`osb::broker_view`]); a candidate that cannot be
/// asked gets `cannot-tell` with why.
pub async fn check_brokers(
    kube: &osb::client::Kube,
    opts: &osb::broker::Options,
    candidates: &mut [Candidate],
) {
    for c in candidates.iter_mut() {
        let mut k = kube.clone();
        k.namespace = c.namespace.clone();
        let view = match c.kind {
            Kind::ServiceBinding => osb::broker_view::binding(&k, opts, &c.name).await,
            _ => osb::broker_view::instance(&k, opts, &c.name).await,
        };
        c.broker = Some(match view {
            Ok(v) => (v.verdict, v.why),
            Err(e) => (
                osb::broker_view::Verdict::CannotTell,
                format!("asking it failed: {}", osb::broker_view::failure_words(&e)),
            ),
        });
    }
}

/// Print the candidates in the chosen format.
pub fn print(
    out: &mut impl Write,
    candidates: &[Candidate],
    format: Format,
    all_namespaces: bool,
) -> Result<()> {
    if format.is_table() {
        let rows = candidates
            .iter()
            .map(|c| {
                let mut row = Vec::new();
                if all_namespaces {
                    row.push(c.namespace.clone());
                }
                row.extend([
                    c.kind.name().to_string(),
                    c.name.clone(),
                    output::age(c.created.as_deref()),
                ]);
                if let Some((verdict, _)) = &c.broker {
                    row.push(verdict.short().to_string());
                }
                row.extend([c
                    .reasons
                    .iter()
                    .map(|w| w.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")]);
                row
            })
            .collect();
        let mut headers = vec!["kind", "name", "age", "reason"];
        if candidates.iter().any(|c| c.broker.is_some()) {
            headers.insert(3, "broker");
        }
        if all_namespaces {
            headers.insert(0, "namespace");
        }
        if !candidates.is_empty() {
            write!(out, "{}", output::table(&headers, rows))?;
        }
        return Ok(());
    }
    let values: Vec<Value> = candidates.iter().map(Candidate::to_value).collect();
    if format == Format::Json {
        // Always a List, so that scripts can rely on `.items` even with one candidate.
        let doc = json!({"apiVersion": "v1", "items": values, "kind": "List", "metadata": {"resourceVersion": ""}});
        out.write_all(output::json_string(&doc).as_bytes())?;
        return Ok(());
    }
    output::print_objects(out, format, &values)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use osb::catalog::{
        Condition, LocalObjectReference, ServiceBindingSpec, ServiceBindingStatus,
        ServiceInstanceSpec, ServiceInstanceStatus,
    };

    fn now() -> jiff::Timestamp {
        "2026-01-01T12:00:00Z".parse().expect("timestamp")
    }

    fn cond(t: &str, s: &str, r: &str) -> Condition {
        Condition::new(t, s, r)
    }

    fn deleting_at(meta: &mut kube::api::ObjectMeta, ts: &str) {
        let t: jiff::Timestamp = ts.parse().expect("timestamp");
        meta.deletion_timestamp = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t));
    }

    fn instance(conds: Vec<Condition>, deprovision: &str) -> ServiceInstance {
        let mut si = ServiceInstance::new(
            "db",
            ServiceInstanceSpec {
                cluster_service_class_ref: Some(LocalObjectReference { name: "c1".into() }),
                cluster_service_plan_ref: Some(LocalObjectReference { name: "p1".into() }),
                ..Default::default()
            },
        );
        si.status = Some(ServiceInstanceStatus {
            conditions: Some(conds),
            deprovision_status: Some(deprovision.into()),
            ..Default::default()
        });
        si
    }

    /// The reasons of an instance deleted at `at` (a minute before [`now`]: 11:59).
    fn deleted_at(conds: Vec<Condition>, deprovision: &str, at: &str) -> Vec<Why> {
        let mut si = instance(conds, deprovision);
        deleting_at(&mut si.metadata, at);
        instance_reasons(&si, &offered(), now(), TEN_MIN)
    }

    fn codes(r: &[Why]) -> Vec<&str> {
        r.iter().map(|w| w.code).collect()
    }

    fn binding(conds: Vec<Condition>, unbind: &str) -> ServiceBinding {
        let mut sb = ServiceBinding::new(
            "b1",
            ServiceBindingSpec {
                instance_ref: LocalObjectReference { name: "db".into() },
                ..Default::default()
            },
        );
        sb.status = Some(ServiceBindingStatus {
            conditions: Some(conds),
            unbind_status: Some(unbind.into()),
            ..Default::default()
        });
        sb
    }

    fn offered() -> Offered {
        let mut o = Offered {
            known: true,
            ..Default::default()
        };
        o.classes.insert((None, "c1".into()), false);
        o.plans.insert((None, "p1".into()), false);
        o
    }

    const TEN_MIN: Duration = Duration::from_secs(600);

    #[test]
    fn a_healthy_instance_is_no_candidate() {
        let si = instance(
            vec![cond("Ready", "True", "ProvisionedSuccessfully")],
            "Required",
        );
        assert!(instance_reasons(&si, &offered(), now(), TEN_MIN).is_empty());
    }

    #[test]
    fn a_failed_deprovision_is_named_with_its_reason() {
        let conds = vec![
            cond("Ready", "Unknown", "DeprovisionCallFailed"),
            cond("Failed", "True", "ErrorReconciliationRetryTimeout"),
        ];
        let r = deleted_at(conds.clone(), "Failed", "2026-01-01T11:59:00Z");
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].code, "DeprovisionFailed");
        assert!(
            r[0].message
                .contains("deprovisionStatus: Failed, ErrorReconciliationRetryTimeout")
        );
        // Twenty minutes later it is also stuck deleting.
        let r = deleted_at(conds, "Failed", "2026-01-01T11:40:00Z");
        assert_eq!(codes(&r), ["DeprovisionFailed", "StuckDeleting"]);
        assert!(r[1].message.contains("20m ago"), "{}", r[1].message);
        assert!(r[1].message.contains("(Ready: DeprovisionCallFailed)"));
    }

    #[test]
    fn failed_instances_and_missing_offerings_are_candidates() {
        let si = instance(
            vec![
                cond("Ready", "False", "ProvisionCallFailed"),
                cond("Failed", "True", "ProvisionCallFailed"),
            ],
            "NotRequired",
        );
        let r = instance_reasons(&si, &offered(), now(), TEN_MIN);
        assert_eq!(r[0].code, "Failed");
        assert!(r[0].message.contains("plain delete"));

        let mut gone = offered();
        gone.classes.clear();
        gone.plans.insert((None, "p1".into()), true);
        let si = instance(
            vec![cond("Ready", "True", "ProvisionedSuccessfully")],
            "Required",
        );
        let r = instance_reasons(&si, &gone, now(), TEN_MIN);
        assert_eq!(codes(&r), ["ClassGone", "PlanGone"]);
        assert!(
            r[0].message
                .contains("ClusterServiceClass \"c1\" no longer exists")
        );
        assert!(r[1].message.contains("removed from the broker's catalog"));

        let mut typo = instance(
            vec![cond("Ready", "False", "ReferencesNonexistentServicePlan")],
            "NotRequired",
        );
        typo.spec.cluster_service_plan_ref = None;
        let r = instance_reasons(&typo, &offered(), now(), TEN_MIN);
        assert_eq!(r[0].code, "PlanGone");
    }

    #[test]
    fn a_failed_deletion_is_the_judges_word() {
        // A provision that ran out of retries, then deleted: the catalog still deprovisions it (the
        // judge: Deleting), so it is a failed instance, not a failed deletion.
        let conds = vec![
            cond("Ready", "False", "Deprovisioning"),
            cond("Failed", "True", "ErrorReconciliationRetryTimeout"),
        ];
        let r = deleted_at(conds, "Required", "2026-01-01T11:59:00Z");
        assert_eq!(codes(&r), ["Failed"]);
        assert_eq!(
            r[0].message,
            "the instance failed (ErrorReconciliationRetryTimeout)"
        );
        // A Failed reason no create or update writes: the judge says the deletion failed.
        let mut odd = instance(vec![cond("Failed", "True", "SomethingNew")], "Required");
        deleting_at(&mut odd.metadata, "2026-01-01T11:59:00Z");
        let r = instance_reasons(&odd, &offered(), now(), TEN_MIN);
        assert_eq!(r[0].code, "DeletionFailed");
        assert_eq!(
            r[0].message,
            "deletion requested but the catalog gave up (SomethingNew)"
        );
        let mut sb = binding(vec![cond("Failed", "True", "SomethingNew")], "Required");
        deleting_at(&mut sb.metadata, "2026-01-01T11:59:00Z");
        let r = binding_reasons(&sb, true, now(), TEN_MIN);
        assert_eq!(codes(&r), ["DeletionFailed"]);
    }

    #[test]
    fn the_reasons_table_says_which_reasons_name_a_missing_class_or_plan() {
        for (reason, code) in [
            ("ReferencesNonexistentServiceClass", "ClassGone"),
            ("ReferencesDeletedServiceClass", "ClassGone"),
            ("ReferencesNonexistentBroker", "ClassGone"),
            ("ReferencesNonexistentServicePlan", "PlanGone"),
            ("ReferencesDeletedServicePlan", "PlanGone"),
        ] {
            let si = instance(vec![cond("Ready", "False", reason)], "NotRequired");
            let r = instance_reasons(&si, &offered(), now(), TEN_MIN);
            assert_eq!(codes(&r), [code], "{reason}");
            assert!(r[0].message.starts_with(reason), "{}", r[0].message);
        }
        for reason in [
            "ErrorWithParameters",
            "ReferencesNonexistentInstance",
            "Whatever",
        ] {
            let si = instance(vec![cond("Ready", "False", reason)], "NotRequired");
            assert!(
                instance_reasons(&si, &offered(), now(), TEN_MIN).is_empty(),
                "{reason}"
            );
        }
    }

    #[test]
    fn a_deletion_younger_than_the_threshold_is_not_stuck() {
        let mut si = instance(vec![cond("Ready", "False", "Deprovisioning")], "Required");
        deleting_at(&mut si.metadata, "2026-01-01T11:55:00Z");
        assert!(instance_reasons(&si, &offered(), now(), TEN_MIN).is_empty());
        assert_eq!(
            instance_reasons(&si, &offered(), now(), Duration::from_secs(60))[0].code,
            "StuckDeleting"
        );
    }

    #[test]
    fn bindings_without_instance_or_with_failed_unbind_are_candidates() {
        let mut sb = binding(
            vec![cond("Ready", "True", "InjectedBindResult")],
            "Required",
        );
        assert!(binding_reasons(&sb, true, now(), TEN_MIN).is_empty());
        let r = binding_reasons(&sb, false, now(), TEN_MIN);
        assert_eq!(r[0].code, "InstanceGone");
        assert!(r[0].message.contains("\"db\""));

        sb.status = binding(
            vec![
                cond("Ready", "Unknown", "UnbindCallFailed"),
                cond("Failed", "True", "ErrorReconciliationRetryTimeout"),
            ],
            "Failed",
        )
        .status;
        deleting_at(&mut sb.metadata, "2026-01-01T11:59:00Z");
        let r = binding_reasons(&sb, true, now(), TEN_MIN);
        assert_eq!(codes(&r), ["UnbindFailed"]);
    }

    #[test]
    fn tables_show_the_namespace_only_for_all_namespaces() {
        let c = Candidate {
            kind: Kind::ServiceBinding,
            namespace: "dev".into(),
            name: "b1".into(),
            created: None,
            deleting_since: None,
            finalizers: vec![],
            reasons: vec![why("InstanceGone", "gone"), why("Failed", "failed")],
            broker: None,
        };
        let mut buf = Vec::new();
        print(&mut buf, std::slice::from_ref(&c), Format::Table, false).expect("prints");
        assert_eq!(
            String::from_utf8(buf).expect("utf8"),
            "KIND             NAME   AGE         REASON\nServiceBinding   b1     <unknown>   gone; failed\n"
        );
        let mut buf = Vec::new();
        print(&mut buf, std::slice::from_ref(&c), Format::Table, true).expect("prints");
        assert!(
            String::from_utf8(buf)
                .expect("utf8")
                .starts_with("NAMESPACE   KIND")
        );
        let mut buf = Vec::new();
        print(&mut buf, std::slice::from_ref(&c), Format::Name, false).expect("prints");
        assert_eq!(
            String::from_utf8(buf).expect("utf8"),
            "servicebinding.servicecatalog.k8s.io/b1\n"
        );
        // --check-broker: the broker's verdict as a column, and in the JSON report.
        let checked = Candidate {
            broker: Some((osb::broker_view::Verdict::Gone, "404".into())),
            ..c
        };
        let mut buf = Vec::new();
        print(
            &mut buf,
            std::slice::from_ref(&checked),
            Format::Table,
            false,
        )
        .expect("prints");
        assert_eq!(
            String::from_utf8(buf).expect("utf8"),
            "KIND             NAME   AGE         BROKER   REASON\nServiceBinding   b1     <unknown>   gone     gone; failed\n"
        );
        assert_eq!(
            checked.to_value()["broker"],
            json!({"verdict": "gone", "why": "404"})
        );
    }
}
