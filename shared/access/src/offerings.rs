//! What the catalog offers: brokers, classes and plans (cluster-scoped and in one namespace), read in one
//! go, and the lookups by external name that `catalog` and `provision` share.

use kube::Api;
use kube::api::{ListParams, ObjectMeta};

use crate::catalog::{
    CatalogEntryStatus, ClusterServiceBroker, ClusterServiceClass, ClusterServicePlan,
    CommonServiceClassSpec, CommonServicePlanSpec, Conditioned, Offering, OfferingNames,
    ServiceBroker, ServiceClass, ServicePlan,
};
use crate::error::{Error, Result};
use crate::kinds::Kind;
use crate::state::Phase;

/// A broker of either scope.
#[derive(Clone, Debug)]
pub struct Broker {
    pub name: String,
    pub namespace: Option<String>,
    pub url: String,
    pub ready: bool,
    pub failed: bool,
    /// Where the judge ([`crate::state::judge`]) puts it: Ready, or Failed for good (`Failed=True`).
    /// The reason and message that explain its state (the `Failed` condition's, else `Ready`'s).
    pub reason: String,
    pub message: String,
    pub status: String,
    /// The whole object as JSON (`Null` when read by [`Offerings::load_summary`]).
    pub object: serde_json::Value,
}

/// A class of either scope.
#[derive(Clone, Debug)]
pub struct Class {
    /// Kubernetes name (the OSB id, escaped).
    pub name: String,
    pub external_name: String,
    pub namespace: Option<String>,
    pub broker: String,
    pub description: String,
    pub bindable: bool,
    pub plan_updatable: bool,
    pub removed: bool,
    /// The whole object as JSON (`Null` when read by [`Offerings::load_summary`]).
    pub object: serde_json::Value,
}

/// A plan of either scope.
#[derive(Clone, Debug)]
pub struct Plan {
    pub name: String,
    pub external_name: String,
    pub namespace: Option<String>,
    /// Kubernetes name of its class.
    pub class_name: String,
    pub free: bool,
    /// The plan's own `bindable`, else the class's.
    pub bindable: bool,
    pub description: String,
    pub removed: bool,
    /// The whole object as JSON (`Null` when read by [`Offerings::load_summary`]).
    pub object: serde_json::Value,
}

/// Everything the catalog offers to one namespace.
#[derive(Clone, Debug, Default)]
pub struct Offerings {
    pub brokers: Vec<Broker>,
    pub classes: Vec<Class>,
    pub plans: Vec<Plan>,
}

/// The whole object as JSON, or `Null` when the caller only needs the summary (a table of a large
/// catalog: the JSON copy of a thousand plans with their schemas costs tens of megabytes).
fn object_of<K: serde::Serialize>(obj: &K, keep: bool) -> serde_json::Value {
    if keep {
        osb_core::to_value(obj)
    } else {
        serde_json::Value::Null
    }
}

fn broker_from<K: Conditioned + serde::Serialize>(
    meta: &ObjectMeta,
    url: &str,
    obj: &K,
    keep: bool,
) -> Broker {
    // Both scopes of broker have the same status: the judge's rules for ClusterServiceBrokers apply.
    let value = osb_core::to_value(obj);
    let st = crate::state::judge(Kind::ClusterServiceBroker, &value);
    Broker {
        name: meta.name.clone().unwrap_or_default(),
        namespace: meta.namespace.clone(),
        url: url.to_string(),
        ready: st.phase == Phase::Ready,
        failed: matches!(st.phase, Phase::Failed | Phase::DeletionFailed),
        reason: st.reason,
        message: st.message,
        status: obj.last_condition_state(),
        object: if keep { value } else { serde_json::Value::Null },
    }
}

impl Broker {
    /// Why the broker is not ready, its reason explained as an instance's is ([`crate::reasons`]; an
    /// unknown reason is said to be unknown): `ErrorFetchingCatalog (the catalog could not …): message`.
    pub fn why_not_ready(&self) -> String {
        if self.reason.is_empty() {
            return "no Ready condition yet (has the catalog controller seen it?)".into();
        }
        format!(
            "{} ({}): {}",
            self.reason,
            crate::reasons::explain_or_unknown(&self.reason),
            self.message
        )
    }
}

fn removed(status: Option<&CatalogEntryStatus>) -> bool {
    status
        .and_then(|s| s.removed_from_broker_catalog)
        .unwrap_or(false)
}

/// A class of either scope, as listed (`keep`: with its JSON).
fn class_of<K: Offering<Common = CommonServiceClassSpec>>(keep: bool) -> impl Fn(&K) -> Class {
    move |c| {
        let (meta, spec) = (c.meta(), c.common());
        Class {
            name: meta.name.clone().unwrap_or_default(),
            external_name: spec.external_name.clone(),
            namespace: meta.namespace.clone(),
            broker: c.parent().to_string(),
            description: spec.description.clone().unwrap_or_default(),
            bindable: spec.bindable.unwrap_or(false),
            plan_updatable: spec.plan_updatable.unwrap_or(false),
            removed: removed(c.entry_status()),
            object: object_of(c, keep),
        }
    }
}

/// A plan of either scope, and whether its `bindable` is its class's (unset on the plan: see
/// [`Offerings::inherit`]).
fn plan_of<K: Offering<Common = CommonServicePlanSpec>>(keep: bool) -> impl Fn(&K) -> (bool, Plan) {
    move |p| {
        let (meta, spec) = (p.meta(), p.common());
        let plan = Plan {
            name: meta.name.clone().unwrap_or_default(),
            external_name: spec.external_name.clone(),
            namespace: meta.namespace.clone(),
            class_name: p.parent().to_string(),
            free: spec.free.unwrap_or(false),
            bindable: spec.bindable.unwrap_or(false),
            description: spec.description.clone().unwrap_or_default(),
            removed: removed(p.entry_status()),
            object: object_of(p, keep),
        };
        (spec.bindable.is_none(), plan)
    }
}

/// The label the catalog's webhook puts on classes and plans for lookups: `servicecatalog.k8s.io/KEY`
/// = hex SHA-224 of the value (label values are limited to 63 characters; names are not).
pub fn lookup_label(key: &str, value: &str) -> String {
    use sha2::Digest;
    format!(
        "servicecatalog.k8s.io/{key}={}",
        hex::encode(sha2::Sha224::digest(value.as_bytes()))
    )
}

impl Offerings {
    /// List brokers, classes and plans: cluster-scoped, plus the namespaced kinds of `namespace`; `chunk`
    /// objects per request (`--chunk-size`).
    pub async fn load(client: &kube::Client, namespace: &str, chunk: u32) -> Result<Self> {
        Self::read(client, namespace, chunk, true).await
    }

    /// Like [`Offerings::load`], for a table: every `object` is `Null` (not kept as JSON).
    pub async fn load_summary(client: &kube::Client, namespace: &str, chunk: u32) -> Result<Self> {
        Self::read(client, namespace, chunk, false).await
    }

    async fn read(client: &kube::Client, namespace: &str, chunk: u32, keep: bool) -> Result<Self> {
        let lp = ListParams::default();
        let (cb, nb, cc, nc, cp, np) = futures::try_join!(
            crate::list::map(
                Api::<ClusterServiceBroker>::all(client.clone()),
                &lp,
                chunk,
                |b| broker_from(&b.metadata, &b.spec.common.url, b, keep)
            ),
            crate::list::map(
                Api::<ServiceBroker>::namespaced(client.clone(), namespace),
                &lp,
                chunk,
                |b| broker_from(&b.metadata, &b.spec.common.url, b, keep)
            ),
            crate::list::map(
                Api::<ClusterServiceClass>::all(client.clone()),
                &lp,
                chunk,
                class_of(keep)
            ),
            crate::list::map(
                Api::<ServiceClass>::namespaced(client.clone(), namespace),
                &lp,
                chunk,
                class_of(keep)
            ),
            crate::list::map(
                Api::<ClusterServicePlan>::all(client.clone()),
                &lp,
                chunk,
                plan_of(keep)
            ),
            crate::list::map(
                Api::<ServicePlan>::namespaced(client.clone(), namespace),
                &lp,
                chunk,
                plan_of(keep)
            ),
        )?;
        let mut o = Offerings {
            brokers: cb.into_iter().chain(nb).collect(),
            ..Default::default()
        };
        o.add(cc.into_iter().chain(nc), cp.into_iter().chain(np));
        Ok(o)
    }

    /// Add classes and plans (each with whether it inherits its class's `bindable`), sorted by name.
    fn add(
        &mut self,
        classes: impl IntoIterator<Item = Class>,
        plans: impl IntoIterator<Item = (bool, Plan)>,
    ) {
        self.classes.extend(classes);
        self.classes
            .sort_by(|a, b| a.external_name.cmp(&b.external_name));
        let bindable: std::collections::HashMap<(&Option<String>, &str), bool> = self
            .classes
            .iter()
            .map(|c| ((&c.namespace, c.name.as_str()), c.bindable))
            .collect();
        let plans: Vec<Plan> = plans
            .into_iter()
            .map(|(inherit, mut p)| {
                if inherit {
                    p.bindable = bindable
                        .get(&(&p.namespace, p.class_name.as_str()))
                        .copied()
                        .unwrap_or(false);
                }
                p
            })
            .collect();
        self.plans.extend(plans);
        self.plans
            .sort_by(|a, b| a.external_name.cmp(&b.external_name));
    }

    /// Only what one class needs: the classes named `class` (external name, else Kubernetes name) and
    /// their plans, no brokers. Found with the catalog's lookup labels (as svcat and the controller find
    /// them): two requests for the class, two for its plans, however large the catalog. When the labels
    /// find nothing (a class that does not exist, or a catalog whose webhook sets no labels) this falls
    /// back to reading the whole catalog, so the answer and the error listing valid names are the same.
    pub async fn for_class(
        client: &kube::Client,
        namespace: &str,
        class: &str,
        chunk: u32,
    ) -> Result<Self> {
        let by_name = ListParams::default().labels(&lookup_label("spec.externalName", class));
        let ccs = Api::<ClusterServiceClass>::all(client.clone());
        let ncs = Api::<ServiceClass>::namespaced(client.clone(), namespace);
        let (mut cc, mut nc) = futures::try_join!(
            crate::list::all(ccs.clone(), by_name.clone(), chunk),
            crate::list::all(ncs.clone(), by_name, chunk),
        )?;
        if cc.is_empty() && nc.is_empty() {
            // A Kubernetes name (`4f6e6cf6-…`, as svcat and the test-broker use).
            let (c, n) = futures::try_join!(ccs.get_opt(class), ncs.get_opt(class))?;
            cc.extend(c);
            nc.extend(n);
        }
        if cc.is_empty() && nc.is_empty() {
            return Offerings::load(client, namespace, chunk).await;
        }
        let cluster_plans = |c: &ClusterServiceClass| {
            ListParams::default().labels(&lookup_label(
                "spec.clusterServiceClassRef.name",
                &c.metadata.name.clone().unwrap_or_default(),
            ))
        };
        let ns_plans = |c: &ServiceClass| {
            ListParams::default().labels(&lookup_label(
                "spec.serviceClassRef.name",
                &c.metadata.name.clone().unwrap_or_default(),
            ))
        };
        let cps = Api::<ClusterServicePlan>::all(client.clone());
        let nps = Api::<ServicePlan>::namespaced(client.clone(), namespace);
        let (cp, np) = futures::try_join!(
            futures::future::try_join_all(cc.iter().map(|c| crate::list::all(
                cps.clone(),
                cluster_plans(c),
                chunk
            ))),
            futures::future::try_join_all(nc.iter().map(|c| crate::list::all(
                nps.clone(),
                ns_plans(c),
                chunk
            ))),
        )?;
        let (cp, np): (Vec<_>, Vec<_>) = (cp.concat(), np.concat());
        if cp.is_empty() && np.is_empty() {
            // No plan carries the class's label: a catalog without lookup labels.
            return Offerings::load(client, namespace, chunk).await;
        }
        let mut o = Offerings::default();
        o.add(
            cc.iter()
                .map(class_of(true))
                .chain(nc.iter().map(class_of(true))),
            cp.iter()
                .map(plan_of(true))
                .chain(np.iter().map(plan_of(true))),
        );
        Ok(o)
    }

    /// The class whose external name is `name` (or, failing that, whose Kubernetes name is `name`).
    /// Unknown → an error listing the valid names.
    pub fn class(&self, name: &str) -> Result<&Class> {
        let by_external: Vec<&Class> = self
            .classes
            .iter()
            .filter(|c| c.external_name == name)
            .collect();
        match by_external.as_slice() {
            [one] => return Ok(one),
            [] => {}
            many => {
                return Err(Error::Input(format!(
                    "more than one class is named {name:?} ({}); use the Kubernetes name instead",
                    many.iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        if let Some(c) = self.classes.iter().find(|c| c.name == name) {
            return Ok(c);
        }
        let valid: Vec<&str> = self
            .classes
            .iter()
            .map(|c| c.external_name.as_str())
            .collect();
        Err(Error::Input(format!(
            "class {name:?} not found{}; valid classes: {}",
            crate::suggest::did_you_mean(name, &valid),
            if valid.is_empty() {
                "none (is a broker registered and Ready? try 'kubectl osb catalog --check')".into()
            } else {
                valid.join(", ")
            }
        )))
    }

    /// The plans of a class, by the class's Kubernetes name.
    pub fn plans_of<'a>(&'a self, class: &'a Class) -> impl Iterator<Item = &'a Plan> + 'a {
        self.plans
            .iter()
            .filter(move |p| p.class_name == class.name && p.namespace == class.namespace)
    }

    /// The plan of `class` whose external name (or Kubernetes name) is `name`; unknown → the valid names.
    pub fn plan<'a>(&'a self, class: &'a Class, name: &str) -> Result<&'a Plan> {
        if let Some(p) = self
            .plans_of(class)
            .find(|p| p.external_name == name)
            .or_else(|| self.plans_of(class).find(|p| p.name == name))
        {
            return Ok(p);
        }
        let valid: Vec<&str> = self
            .plans_of(class)
            .map(|p| p.external_name.as_str())
            .collect();
        Err(Error::Input(format!(
            "plan {name:?} not found in class {:?}{}; valid plans: {}",
            class.external_name,
            crate::suggest::did_you_mean(name, &valid),
            if valid.is_empty() {
                "none".into()
            } else {
                valid.join(", ")
            }
        )))
    }
}

/// The external names of classes and plans (what people call them: `cassandra`, `developer`), keyed by
/// Kubernetes name and by external ID, so that `get` and `describe` show an instance made with
/// `clusterServiceClassName: 4f6e6cf6-…` (svcat, the test-broker) or an external ID by its name.
/// Read once for a whole table (two lists, one per kind and scope), only when a row needs it.
#[derive(Clone, Debug, Default)]
pub struct Names {
    classes: std::collections::HashMap<String, String>,
    plans: std::collections::HashMap<String, String>,
}

impl Names {
    /// Whether `si` names its class or plan other than by external name (so [`Names::load`] would help).
    pub fn needed_for(si: &crate::catalog::ServiceInstance) -> bool {
        let by_external_name = |n: OfferingNames<'_>| n.external_name.iter().any(Option::is_some);
        !(by_external_name(si.class_names()) && by_external_name(si.plan_names()))
    }

    /// The classes and plans: cluster-scoped, and those of `namespace` (every namespace with `None`).
    /// Best effort: what cannot be read (RBAC: the catalog-reader role) is left out, and the instance's
    /// own words are shown instead.
    pub async fn load(client: &kube::Client, namespace: Option<&str>, chunk: u32) -> Names {
        let lp = ListParams::default();
        let ncs: Api<ServiceClass> = crate::list::scoped(client, namespace);
        let nps: Api<ServicePlan> = crate::list::scoped(client, namespace);
        let (ccs, cps) = (
            Api::<ClusterServiceClass>::all(client.clone()),
            Api::<ClusterServicePlan>::all(client.clone()),
        );
        // Page by page, keeping only the names (a catalog of thousands of plans with schemas is large).
        async fn names_of<K>(api: Api<K>, lp: &ListParams, chunk: u32) -> Vec<(String, String)>
        where
            K: Offering + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
        {
            let named = crate::list::map(api, lp, chunk, |o| {
                let keys = [o.meta().name.clone(), Some(o.external_id().to_string())];
                (keys, o.external_name().to_string())
            });
            // Best effort: a catalog that cannot be read leaves the instances' own words.
            let mut out = Vec::new();
            for (keys, external_name) in named.await.unwrap_or_default() {
                for k in keys.into_iter().flatten().filter(|k| !k.is_empty()) {
                    out.push((k, external_name.clone()));
                }
            }
            out
        }
        let (cc, nc, cp, np) = futures::join!(
            names_of(ccs, &lp, chunk),
            names_of(ncs, &lp, chunk),
            names_of(cps, &lp, chunk),
            names_of(nps, &lp, chunk),
        );
        Names {
            classes: cc.into_iter().chain(nc).collect(),
            plans: cp.into_iter().chain(np).collect(),
        }
    }

    /// The names one instance needs, read one object at a time (GET by Kubernetes name, or the lookup
    /// label for an external ID) rather than the whole catalog. Best effort, as [`Names::load`].
    pub async fn of_instance(client: &kube::Client, si: &crate::catalog::ServiceInstance) -> Names {
        let ns = si.metadata.namespace.clone().unwrap_or_default();
        let (class, plan) = (si.class_names(), si.plan_names());
        let (cc, nc, cp, np) = futures::join!(
            find(Api::<ClusterServiceClass>::all(client.clone()), class, 0),
            find(
                Api::<ServiceClass>::namespaced(client.clone(), &ns),
                class,
                1
            ),
            find(Api::<ClusterServicePlan>::all(client.clone()), plan, 0),
            find(Api::<ServicePlan>::namespaced(client.clone(), &ns), plan, 1),
        );
        /// Of one scope (0 cluster, 1 namespaced): the object by Kubernetes name, and those the
        /// external-id lookup finds.
        async fn find<K>(
            api: Api<K>,
            names: OfferingNames<'_>,
            scope: usize,
        ) -> (Option<K>, Option<kube::core::ObjectList<K>>)
        where
            K: Offering + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
        {
            let by_id = names.external_id[scope]
                .map(|id| ListParams::default().labels(&lookup_label("spec.externalID", id)));
            futures::join!(
                async { api.get_opt(names.object_name(scope)?).await.ok().flatten() },
                async { api.list(by_id.as_ref()?).await.ok() },
            )
        }
        // The object found by name, and those the external-id lookup found: Kubernetes name and external
        // id, each to the external name.
        fn add<K: Offering + Clone>(
            map: &mut std::collections::HashMap<String, String>,
            (one, found): (Option<K>, Option<kube::core::ObjectList<K>>),
        ) {
            for o in one
                .into_iter()
                .chain(found.into_iter().flat_map(|l| l.items))
            {
                if let Some(k) = &o.meta().name {
                    map.insert(k.clone(), o.external_name().to_string());
                }
                if !o.external_id().is_empty() {
                    map.insert(o.external_id().to_string(), o.external_name().to_string());
                }
            }
        }
        let mut n = Names::default();
        add(&mut n.classes, cc);
        add(&mut n.classes, nc);
        add(&mut n.plans, cp);
        add(&mut n.plans, np);
        n
    }

    /// The class of `si` by external name: as written, else looked up by its reference (set by the
    /// catalog), Kubernetes name or external ID; else as the instance names it.
    pub fn class(&self, si: &crate::catalog::ServiceInstance) -> String {
        lookup(si.class_names(), &self.classes)
    }

    /// The plan of `si` by external name, found as [`Names::class`] finds the class.
    pub fn plan(&self, si: &crate::catalog::ServiceInstance) -> String {
        lookup(si.plan_names(), &self.plans)
    }
}

fn lookup(n: OfferingNames<'_>, known: &std::collections::HashMap<String, String>) -> String {
    if let Some(name) = n.external_name.into_iter().flatten().next() {
        return name.clone();
    }
    n.reference
        .map(|r| r.map(|r| &r.name))
        .into_iter()
        .chain(n.name)
        .chain(n.external_id)
        .flatten()
        .find_map(|k| known.get(k).cloned())
        .unwrap_or_else(|| n.display().unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ServiceInstance, ServiceInstanceSpec};

    fn broker(status: serde_json::Value, deleting: bool) -> Broker {
        let mut b: ClusterServiceBroker = serde_json::from_value(serde_json::json!({
            "apiVersion": "servicecatalog.k8s.io/v1beta1",
            "kind": "ClusterServiceBroker",
            "metadata": {"name": "b", "generation": 1},
            "spec": {"url": "http://b"},
            "status": status,
        }))
        .expect("a broker");
        if deleting {
            b.metadata.deletion_timestamp = Some(
                k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(jiff::Timestamp::now()),
            );
        }
        broker_from(&b.metadata, &b.spec.common.url, &b, false)
    }

    fn cond(t: &str, s: &str, r: &str) -> serde_json::Value {
        serde_json::json!({"type": t, "status": s, "reason": r, "message": format!("{r} message")})
    }

    #[test]
    fn brokers_are_judged_as_every_object_is_and_their_reasons_explained_alike() {
        let ready = broker(
            serde_json::json!({"conditions": [cond("Ready", "True", "FetchedCatalog")]}),
            false,
        );
        assert!(ready.ready && !ready.failed);
        // Ready=True on a broker being deleted is not ready: the judge's rule for every kind.
        let going = broker(
            serde_json::json!({"conditions": [cond("Ready", "True", "FetchedCatalog")]}),
            true,
        );
        assert!(!going.ready);
        let retrying = broker(
            serde_json::json!({"conditions": [cond("Ready", "False", "ErrorFetchingCatalog")]}),
            false,
        );
        assert!(!retrying.ready && !retrying.failed);
        assert_eq!(
            retrying.why_not_ready(),
            format!(
                "ErrorFetchingCatalog ({}): ErrorFetchingCatalog message",
                crate::reasons::explain_or_unknown("ErrorFetchingCatalog")
            )
        );
        let failed = broker(
            serde_json::json!({"conditions": [
                cond("Ready", "False", "ErrorFetchingCatalog"),
                cond("Failed", "True", "ErrorReconciliationRetryTimeout")]}),
            false,
        );
        assert!(failed.failed && !failed.ready);
        assert_eq!(failed.reason, "ErrorReconciliationRetryTimeout");
        let odd = broker(
            serde_json::json!({"conditions": [cond("Ready", "False", "SomethingNew")]}),
            false,
        );
        assert!(
            odd.why_not_ready()
                .starts_with("SomethingNew (unknown reason: "),
            "{}",
            odd.why_not_ready()
        );
        let fresh = broker(serde_json::json!({}), false);
        assert!(!fresh.ready);
        assert_eq!(
            fresh.why_not_ready(),
            "no Ready condition yet (has the catalog controller seen it?)"
        );
    }

    #[test]
    fn names_people_know_replace_kubernetes_names_and_external_ids() {
        let mut n = Names::default();
        n.classes.insert(
            "4f6e6cf6-ffdd-425f-a2c7-3c9258ad2468".into(),
            "test-service".into(),
        );
        n.plans.insert(
            "86064792-7ea2-467b-af93-ac9694d96d52".into(),
            "default".into(),
        );
        n.plans.insert("plan-ext-id".into(), "default".into());
        // The spec fields as the user set them; what describe shows for class and plan; whether the
        // catalog must be asked at all. Unknown to the catalog: the instance's own words, not a guess.
        let cases = [
            (
                serde_json::json!({"clusterServiceClassName": "4f6e6cf6-ffdd-425f-a2c7-3c9258ad2468",
                                   "clusterServicePlanName": "86064792-7ea2-467b-af93-ac9694d96d52"}),
                ("test-service", "default"),
                true,
            ),
            (
                serde_json::json!({"clusterServiceClassExternalName": "cassandra",
                                   "clusterServicePlanExternalID": "plan-ext-id"}),
                ("cassandra", "default"),
                true,
            ),
            (
                serde_json::json!({"clusterServiceClassName": "nope", "clusterServicePlanName": "nada"}),
                ("nope", "nada"),
                true,
            ),
            (
                serde_json::json!({"clusterServiceClassExternalName": "kafka",
                                   "clusterServicePlanExternalName": "developer"}),
                ("kafka", "developer"),
                false,
            ),
        ];
        for (spec, (class, plan), needed) in cases {
            let spec: ServiceInstanceSpec = serde_json::from_value(spec.clone()).expect("a spec");
            let si = ServiceInstance::new("x", spec);
            assert_eq!(Names::needed_for(&si), needed, "{:?}", si.spec);
            assert_eq!((n.class(&si), n.plan(&si)), (class.into(), plan.into()));
        }
    }
}
