//! What the catalog offers: brokers, classes and plans (cluster-scoped and in one namespace), read in one
//! go, and the lookups by external name that `catalog` and `provision` share.

use kube::Api;
use kube::api::{ListParams, ObjectMeta};

use crate::catalog::{
    CatalogEntryStatus, ClusterServiceBroker, ClusterServiceClass, ClusterServicePlan,
    CommonServiceClassSpec, CommonServicePlanSpec, Conditioned, ServiceBroker, ServiceClass,
    ServicePlan,
};
use crate::error::{Error, Result};

/// A broker of either scope.
#[derive(Clone, Debug)]
pub struct Broker {
    pub name: String,
    pub namespace: Option<String>,
    pub url: String,
    pub ready: bool,
    pub failed: bool,
    /// `Ready` (or `Failed`) reason and message when not ready.
    pub reason: String,
    pub message: String,
    pub status: String,
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
    pub object: serde_json::Value,
}

/// Everything the catalog offers to one namespace.
#[derive(Clone, Debug, Default)]
pub struct Offerings {
    pub brokers: Vec<Broker>,
    pub classes: Vec<Class>,
    pub plans: Vec<Plan>,
}

fn broker_from<K: Conditioned + serde::Serialize>(meta: &ObjectMeta, url: &str, obj: &K) -> Broker {
    let ready = obj.is_true("Ready");
    let failed = obj.is_true("Failed");
    let cond = if failed {
        obj.condition("Failed")
    } else {
        obj.condition("Ready")
    };
    Broker {
        name: meta.name.clone().unwrap_or_default(),
        namespace: meta.namespace.clone(),
        url: url.to_string(),
        ready,
        failed,
        reason: cond.and_then(|c| c.reason.clone()).unwrap_or_default(),
        message: cond.and_then(|c| c.message.clone()).unwrap_or_default(),
        status: obj.last_condition_state(),
        object: crate::output::to_value(obj),
    }
}

fn removed(status: Option<&CatalogEntryStatus>) -> bool {
    status
        .and_then(|s| s.removed_from_broker_catalog)
        .unwrap_or(false)
}

fn class_from<K: serde::Serialize>(
    meta: &ObjectMeta,
    spec: &CommonServiceClassSpec,
    broker: &str,
    status: Option<&CatalogEntryStatus>,
    obj: &K,
) -> Class {
    Class {
        name: meta.name.clone().unwrap_or_default(),
        external_name: spec.external_name.clone(),
        namespace: meta.namespace.clone(),
        broker: broker.to_string(),
        description: spec.description.clone().unwrap_or_default(),
        bindable: spec.bindable.unwrap_or(false),
        plan_updatable: spec.plan_updatable.unwrap_or(false),
        removed: removed(status),
        object: crate::output::to_value(obj),
    }
}

/// A plan; `bindable` falls back to its class's (so classes must be loaded first).
fn plan_from<K: serde::Serialize>(
    o: &Offerings,
    meta: &ObjectMeta,
    spec: &CommonServicePlanSpec,
    class_name: &str,
    status: Option<&CatalogEntryStatus>,
    obj: &K,
) -> Plan {
    let class_bindable = || {
        o.classes
            .iter()
            .find(|c| c.name == class_name)
            .is_some_and(|c| c.bindable)
    };
    Plan {
        name: meta.name.clone().unwrap_or_default(),
        external_name: spec.external_name.clone(),
        namespace: meta.namespace.clone(),
        class_name: class_name.to_string(),
        free: spec.free.unwrap_or(false),
        bindable: spec.bindable.unwrap_or_else(class_bindable),
        description: spec.description.clone().unwrap_or_default(),
        removed: removed(status),
        object: crate::output::to_value(obj),
    }
}

impl Offerings {
    /// List brokers, classes and plans: cluster-scoped, plus the namespaced kinds of `namespace`.
    pub async fn load(client: &kube::Client, namespace: &str) -> Result<Self> {
        let lp = ListParams::default();
        let (cbs, nbs) = (
            Api::<ClusterServiceBroker>::all(client.clone()),
            Api::<ServiceBroker>::namespaced(client.clone(), namespace),
        );
        let (ccs, ncs) = (
            Api::<ClusterServiceClass>::all(client.clone()),
            Api::<ServiceClass>::namespaced(client.clone(), namespace),
        );
        let (cps, nps) = (
            Api::<ClusterServicePlan>::all(client.clone()),
            Api::<ServicePlan>::namespaced(client.clone(), namespace),
        );
        let (cb, nb, cc, nc, cp, np) = futures::try_join!(
            cbs.list(&lp),
            nbs.list(&lp),
            ccs.list(&lp),
            ncs.list(&lp),
            cps.list(&lp),
            nps.list(&lp)
        )?;
        let mut o = Offerings::default();
        for b in &cb.items {
            o.brokers
                .push(broker_from(&b.metadata, &b.spec.common.url, b));
        }
        for b in &nb.items {
            o.brokers
                .push(broker_from(&b.metadata, &b.spec.common.url, b));
        }
        for c in &cc.items {
            let broker = &c.spec.cluster_service_broker_name;
            o.classes.push(class_from(
                &c.metadata,
                &c.spec.common,
                broker,
                c.status.as_ref(),
                c,
            ));
        }
        for c in &nc.items {
            let broker = &c.spec.service_broker_name;
            o.classes.push(class_from(
                &c.metadata,
                &c.spec.common,
                broker,
                c.status.as_ref(),
                c,
            ));
        }
        for p in &cp.items {
            let class = &p.spec.cluster_service_class_ref.name;
            let plan = plan_from(&o, &p.metadata, &p.spec.common, class, p.status.as_ref(), p);
            o.plans.push(plan);
        }
        for p in &np.items {
            let class = &p.spec.service_class_ref.name;
            let plan = plan_from(&o, &p.metadata, &p.spec.common, class, p.status.as_ref(), p);
            o.plans.push(plan);
        }
        o.classes
            .sort_by(|a, b| a.external_name.cmp(&b.external_name));
        o.plans
            .sort_by(|a, b| a.external_name.cmp(&b.external_name));
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
