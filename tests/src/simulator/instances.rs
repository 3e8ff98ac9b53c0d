//! ServiceInstance reconciler: class/plan resolution, async provision, deprovision (the CREATE defaults
//! come from the admission webhook, webhook.rs).

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use kube::runtime::{Controller, watcher};
use kube::{Api, Client, ResourceExt};
use osb::catalog::{
    ClusterServiceClass, ClusterServicePlan, FINALIZER, LABEL_PREFIX, LocalObjectReference,
    ServiceBinding, ServiceInstance, ServiceInstancePropertiesState, ServiceInstanceStatus,
    label_hash,
};
use serde_json::json;

use super::{
    SimError, ann, annotation, error_policy, last_condition_state, now, seconds, set_condition,
    since,
};

pub async fn run(client: Client) -> anyhow::Result<()> {
    let instances: Api<ServiceInstance> = Api::all(client.clone());
    let bindings: Api<ServiceBinding> = Api::all(client.clone());
    Controller::new(instances, watcher::Config::default())
        .watches(bindings, watcher::Config::default(), |b: ServiceBinding| {
            let ns = b.metadata.namespace.clone()?;
            Some(ObjectRef::new(&b.spec.instance_ref.name).within(&ns))
        })
        .run(reconcile, error_policy, Arc::new(client))
        .for_each(|_| async {})
        .await;
    Ok(())
}

struct Resolved {
    class: ClusterServiceClass,
    plan: ClusterServicePlan,
}

fn class_desc(si: &ServiceInstance, class: Option<&ClusterServiceClass>) -> String {
    format!(
        "ClusterServiceClass (K8S: {:?} ExternalName: {:?})",
        class
            .map(|c| c.name_any())
            .or(si.spec.cluster_service_class_name.clone())
            .unwrap_or_default(),
        class
            .map(|c| c.spec.common.external_name.clone())
            .or(si.spec.cluster_service_class_external_name.clone())
            .unwrap_or_default()
    )
}

async fn one_by_labels<K>(api: &Api<K>, pairs: &[(&str, &str)]) -> Result<Option<K>, SimError>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let sel = pairs
        .iter()
        .map(|(k, v)| format!("{LABEL_PREFIX}{k}={}", label_hash(v)))
        .collect::<Vec<_>>()
        .join(",");
    let mut list = api.list(&ListParams::default().labels(&sel)).await?.items;
    Ok(if list.len() == 1 { list.pop() } else { None })
}

/// Resolve class and plan as the controller does: external name/ID through the hashed labels, Kubernetes
/// names by GET. `Err(reason, message)` when either does not exist.
async fn resolve(
    client: &Client,
    si: &ServiceInstance,
) -> Result<Result<Resolved, (String, String)>, SimError> {
    let classes: Api<ClusterServiceClass> = Api::all(client.clone());
    let plans: Api<ClusterServicePlan> = Api::all(client.clone());
    let s = &si.spec;
    let class = if let Some(n) = &s.cluster_service_class_external_name {
        one_by_labels(&classes, &[("spec.externalName", n)]).await?
    } else if let Some(id) = &s.cluster_service_class_external_id {
        one_by_labels(&classes, &[("spec.externalID", id)]).await?
    } else if let Some(n) = &s.cluster_service_class_name {
        classes.get_opt(n).await?
    } else {
        None
    };
    let Some(class) = class else {
        return Ok(Err((
            "ReferencesNonexistentServiceClass".into(),
            format!(
                "The instance references a non-existent {}",
                class_desc(si, None)
            ),
        )));
    };
    let class_name = class.name_any();
    let plan = if let Some(n) = &s.cluster_service_plan_external_name {
        one_by_labels(
            &plans,
            &[
                ("spec.clusterServiceClassRef.name", &class_name),
                ("spec.externalName", n),
            ],
        )
        .await?
    } else if let Some(id) = &s.cluster_service_plan_external_id {
        one_by_labels(&plans, &[("spec.externalID", id)]).await?
    } else if let Some(n) = &s.cluster_service_plan_name {
        plans.get_opt(n).await?
    } else {
        // The webhook defaults the plan when the class has exactly one.
        one_by_labels(&plans, &[("spec.clusterServiceClassRef.name", &class_name)]).await?
    };
    match plan {
        Some(plan) => Ok(Ok(Resolved { class, plan })),
        None => Ok(Err((
            "ReferencesNonexistentServicePlan".into(),
            format!(
                "The instance references a non-existent ClusterServicePlan (K8S: {:?} ExternalName: {:?}) on {}",
                s.cluster_service_plan_name.clone().unwrap_or_default(),
                s.cluster_service_plan_external_name
                    .clone()
                    .unwrap_or_default(),
                class_desc(si, Some(&class))
            ),
        ))),
    }
}

/// `spec.parameters` merged with the `parametersFrom` secrets, values from secrets shown as
/// `<redacted>` (as the controller records them in status); `Err(message)` as the controller words it.
async fn parameters(
    client: &Client,
    si: &ServiceInstance,
) -> Result<Result<Option<serde_json::Value>, String>, SimError> {
    let Some(sources) = si.spec.parameters_from.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(Ok(si.spec.parameters.clone()));
    };
    let mut merged = match &si.spec.parameters {
        Some(serde_json::Value::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(client.clone(), &si.namespace().unwrap_or_default());
    for r in sources.iter().filter_map(|s| s.secret_key_ref.as_ref()) {
        let Some(secret) = secrets.get_opt(&r.name).await? else {
            return Ok(Err(format!(
                "failed to prepare parameters: secrets \"{}\" not found",
                r.name
            )));
        };
        let Some(bytes) = secret.data.as_ref().and_then(|d| d.get(&r.key)) else {
            return Ok(Err(format!(
                "failed to prepare parameters: secret \"{}\" has no key \"{}\"",
                r.name, r.key
            )));
        };
        let Ok(serde_json::Value::Object(values)) =
            serde_json::from_slice::<serde_json::Value>(&bytes.0)
        else {
            return Ok(Err(format!(
                "failed to prepare parameters: the value of key \"{}\" of secret \"{}\" is not a JSON object",
                r.key, r.name
            )));
        };
        for k in values.keys() {
            if merged.contains_key(k) {
                return Ok(Err(format!(
                    "failed to prepare parameters: conflict: duplicate entry for parameter \"{k}\""
                )));
            }
            merged.insert(k.clone(), serde_json::Value::String("<redacted>".into()));
        }
    }
    Ok(Ok(Some(serde_json::Value::Object(merged))))
}

async fn write_status(
    api: &Api<ServiceInstance>,
    si: &ServiceInstance,
    mut status: ServiceInstanceStatus,
) -> Result<(), SimError> {
    status.last_condition_state = status.conditions.as_deref().and_then(last_condition_state);
    if si.status.as_ref() == Some(&status) {
        return Ok(());
    }
    let mut obj = si.clone();
    obj.status = Some(status);
    api.replace_status(&si.name_any(), &PostParams::default(), &obj)
        .await?;
    Ok(())
}

fn has_finalizer(si: &ServiceInstance) -> bool {
    si.finalizers().iter().any(|f| f == FINALIZER)
}

async fn remove_finalizer(
    api: &Api<ServiceInstance>,
    si: &ServiceInstance,
) -> Result<(), SimError> {
    let rest: Vec<&String> = si.finalizers().iter().filter(|f| *f != FINALIZER).collect();
    let patch = json!({"metadata": {"finalizers": rest, "resourceVersion": si.resource_version()}});
    api.patch(
        &si.name_any(),
        &PatchParams::default(),
        &Patch::Merge(patch),
    )
    .await?;
    Ok(())
}

fn broker_message(si: &ServiceInstance, default: &str) -> String {
    annotation(&si.metadata, ann::MESSAGE)
        .unwrap_or(default)
        .to_string()
}

async fn reconcile(si: Arc<ServiceInstance>, client: Arc<Client>) -> Result<Action, SimError> {
    let Some(ns) = si.namespace() else {
        return Ok(Action::await_change());
    };
    let api: Api<ServiceInstance> = Api::namespaced((*client).clone(), &ns);
    let name = si.name_any();
    let deleting = si.metadata.deletion_timestamp.is_some();

    // Finalizer, externalID and userInfo were set at CREATE by the admission webhook (webhook.rs).
    if deleting && !has_finalizer(&si) {
        return Ok(Action::await_change());
    }

    let mut status = si.status.clone().unwrap_or_default();
    let mut conds = status.conditions.take().unwrap_or_default();
    let generation = si.metadata.generation.unwrap_or(0);
    let current_op = status.current_operation.clone().unwrap_or_default();
    let async_op = status.async_op_in_progress.unwrap_or(false);

    // Deletion (an async provision in flight finishes first, as in the real controller).
    if deleting && !(async_op && current_op == "Provision") {
        let action = deprovision(&client, &api, &si, &mut status, &mut conds).await?;
        return Ok(action);
    }

    // Provisioned and up to date, or terminally failed for this generation: nothing to do.
    let observed = status.observed_generation.unwrap_or(0);
    let failed = conds
        .iter()
        .any(|c| c.type_ == "Failed" && c.status == "True");
    if current_op.is_empty()
        && observed == generation
        && (failed || status.provision_status.as_deref() == Some("Provisioned"))
    {
        return Ok(Action::await_change());
    }
    if failed && observed != generation {
        // A spec change (e.g. updateRequests++) clears Failed and tries again.
        conds.retain(|c| c.type_ != "Failed");
    }

    let resolved = match resolve(&client, &si).await? {
        Ok(r) => r,
        Err((reason, message)) => {
            set_condition(&mut conds, "Ready", "False", &reason, &message);
            status.user_specified_class_name = si
                .class_display_name()
                .map(|n| format!("ClusterServiceClass/{n}"));
            status.user_specified_plan_name = si.plan_display_name().map(str::to_string);
            status.conditions = Some(conds);
            status.provision_status.get_or_insert_with(String::new);
            status
                .deprovision_status
                .get_or_insert_with(|| "NotRequired".into());
            write_status(&api, &si, status).await?;
            return Ok(Action::requeue(Duration::from_secs(2)));
        }
    };
    // The controller records the resolved references in spec.
    if si.spec.cluster_service_class_ref.is_none() || si.spec.cluster_service_plan_ref.is_none() {
        let patch = json!({"spec": {
            "clusterServiceClassRef": LocalObjectReference { name: resolved.class.name_any() },
            "clusterServicePlanRef": LocalObjectReference { name: resolved.plan.name_any() },
        }});
        api.patch(&name, &PatchParams::default(), &Patch::Merge(patch))
            .await?;
        return Ok(Action::await_change());
    }
    status.user_specified_class_name = si
        .class_display_name()
        .map(|n| format!("ClusterServiceClass/{n}"));
    status.user_specified_plan_name = si.plan_display_name().map(str::to_string);

    let already_provisioned = status.provision_status.as_deref() == Some("Provisioned");
    let scenario = annotation(&si.metadata, ann::PROVISION).unwrap_or("succeed");
    let total = seconds(&si.metadata, ann::PROVISION_SECONDS, 1.0);
    // parametersFrom: every value must be a JSON object whose keys do not repeat a parameter; the
    // controller retries (ErrorWithParameters) until the Secret is fixed.
    let parameters = match parameters(&client, &si).await? {
        Ok(p) => p,
        Err(message) => {
            set_condition(
                &mut conds,
                "Ready",
                "False",
                "ErrorWithParameters",
                &message,
            );
            status.conditions = Some(conds);
            status.provision_status.get_or_insert_with(String::new);
            write_status(&api, &si, status).await?;
            return Ok(Action::requeue(Duration::from_secs(2)));
        }
    };
    let props = ServiceInstancePropertiesState {
        cluster_service_plan_external_name: Some(resolved.plan.spec.common.external_name.clone()),
        cluster_service_plan_external_id: Some(resolved.plan.spec.common.external_id.clone()),
        parameters,
        parameter_checksum: None,
        user_info: si.spec.user_info.clone(),
        ..Default::default()
    };
    let class_text = class_desc(&si, Some(&resolved.class));

    if current_op.is_empty() || (current_op != "Provision" && current_op != "Update") {
        // Start an operation: the request goes in flight.
        let op = if already_provisioned {
            "Update"
        } else {
            "Provision"
        };
        status.current_operation = Some(op.into());
        status.operation_start_time = Some(now());
        status.in_progress_properties = Some(props);
        status.deprovision_status = Some("Required".into());
        status.provision_status.get_or_insert_with(String::new);
        status.async_op_in_progress = Some(false);
        let (reason, msg) = if already_provisioned {
            (
                "UpdateInstanceRequestInFlight",
                "Update request for ServiceInstance in-flight to Broker",
            )
        } else {
            (
                "ProvisionRequestInFlight",
                "Provision request for ServiceInstance in-flight to Broker",
            )
        };
        set_condition(&mut conds, "Ready", "False", reason, msg);
        status.conditions = Some(conds);
        write_status(&api, &si, status).await?;
        return Ok(Action::requeue(Duration::from_millis(50)));
    }

    let is_update = current_op == "Update";
    if !async_op {
        // The broker answers the PUT/PATCH.
        match (scenario, is_update) {
            ("reject", false) => {
                let msg = format!(
                    "Error provisioning ServiceInstance of {class_text} at ClusterServiceBroker \"instaclustr\": Status: 400; ErrorMessage: {}; Description: <nil>; ResponseError: <nil>",
                    broker_message(
                        &si,
                        "InvalidParameters: nodeSize is not available in this data centre"
                    )
                );
                set_condition(&mut conds, "Ready", "False", "ProvisionCallFailed", &msg);
                set_condition(
                    &mut conds,
                    "Failed",
                    "True",
                    "ClusterServiceBrokerReturnedFailure",
                    &msg,
                );
                finish(&mut status, generation, false);
                status.deprovision_status = Some("NotRequired".into());
                status.conditions = Some(conds);
                write_status(&api, &si, status).await?;
                return Ok(Action::await_change());
            }
            ("retry", false) => {
                let msg = format!(
                    "Error provisioning ServiceInstance of {class_text} at ClusterServiceBroker \"instaclustr\": Status: 500; ErrorMessage: {}; Description: <nil>; ResponseError: <nil>. The operation will be retried",
                    broker_message(&si, "InternalServerError: provisioning backend unavailable")
                );
                set_condition(&mut conds, "Ready", "False", "ProvisionCallFailed", &msg);
                status.conditions = Some(conds);
                write_status(&api, &si, status).await?;
                return Ok(Action::requeue(Duration::from_secs(2)));
            }
            _ => {
                status.async_op_in_progress = Some(true);
                status.last_operation = Some(format!(
                    "{}-{}",
                    current_op.to_lowercase(),
                    uuid::Uuid::new_v4().simple()
                ));
                status.dashboard_url = Some(format!(
                    "https://console.instaclustr.com/clusters/{}",
                    si.spec.external_id.clone().unwrap_or_default()
                ));
                let (reason, msg) = if is_update {
                    (
                        "UpdatingInstance",
                        "The instance is being updated asynchronously".to_string(),
                    )
                } else {
                    ("Provisioning", "The instance is being provisioned asynchronously (Cluster status: PROVISIONING, 0 of 3 nodes running)".into())
                };
                set_condition(&mut conds, "Ready", "False", reason, &msg);
                status.conditions = Some(conds);
                write_status(&api, &si, status).await?;
                return Ok(Action::requeue(Duration::from_millis(20)));
            }
        }
    }

    // Polling last_operation.
    let elapsed = since(status.operation_start_time.as_deref());
    if scenario == "hang" || elapsed < total {
        if !is_update {
            let step = total.as_secs_f64() / 3.0;
            let running = if step > 0.0 {
                ((elapsed.as_secs_f64() / step) as u32).min(2)
            } else {
                2
            };
            let msg = format!(
                "The instance is being provisioned asynchronously (Cluster status: PROVISIONING, {running} of 3 nodes running)"
            );
            set_condition(&mut conds, "Ready", "False", "Provisioning", &msg);
            status.conditions = Some(conds);
            write_status(&api, &si, status).await?;
            let next = if scenario == "hang" {
                Duration::from_secs(5)
            } else {
                let next_step = Duration::from_secs_f64(step * f64::from(running + 1)).min(total);
                next_step
                    .saturating_sub(elapsed)
                    .max(Duration::from_millis(10))
            };
            return Ok(Action::requeue(next));
        }
        return Ok(Action::requeue(
            total.saturating_sub(elapsed).max(Duration::from_millis(10)),
        ));
    }
    if scenario == "fail" && !is_update {
        let msg = format!(
            "Error provisioning ServiceInstance of {class_text} at ClusterServiceBroker \"instaclustr\": Status: failed; Description: {}",
            broker_message(
                &si,
                "Cluster provisioning failed: insufficient capacity for nodeSize in the data centre"
            )
        );
        set_condition(&mut conds, "Ready", "False", "ProvisionCallFailed", &msg);
        set_condition(&mut conds, "Failed", "True", "ProvisionCallFailed", &msg);
        finish(&mut status, generation, false);
    } else {
        let (reason, msg) = if is_update {
            (
                "InstanceUpdatedSuccessfully",
                "The instance was updated successfully",
            )
        } else {
            (
                "ProvisionedSuccessfully",
                "The instance was provisioned successfully",
            )
        };
        set_condition(&mut conds, "Ready", "True", reason, msg);
        status.external_properties = status.in_progress_properties.take();
        status.provision_status = Some("Provisioned".into());
        finish(&mut status, generation, true);
    }
    status.conditions = Some(conds);
    write_status(&api, &si, status).await?;
    Ok(Action::await_change())
}

/// An operation ended: no longer in progress, this generation observed.
fn finish(status: &mut ServiceInstanceStatus, generation: i64, success: bool) {
    status.async_op_in_progress = Some(false);
    status.current_operation = None;
    status.operation_start_time = None;
    if !success {
        status.in_progress_properties = None;
    }
    status.observed_generation = Some(generation);
    status.reconciled_generation = Some(generation);
}

async fn deprovision(
    client: &Client,
    api: &Api<ServiceInstance>,
    si: &ServiceInstance,
    status: &mut ServiceInstanceStatus,
    conds: &mut Vec<osb::catalog::Condition>,
) -> Result<Action, SimError> {
    let deprovision_status = status.deprovision_status.clone().unwrap_or_default();
    if deprovision_status == "Failed" {
        return Ok(Action::await_change()); // stuck by design: a human must look (or abandon)
    }
    if matches!(
        deprovision_status.as_str(),
        "" | "NotRequired" | "Succeeded"
    ) {
        remove_finalizer(api, si).await?;
        return Ok(Action::await_change());
    }
    let current_op = status.current_operation.clone().unwrap_or_default();
    let bindings: Api<ServiceBinding> =
        Api::namespaced(client.clone(), &si.namespace().unwrap_or_default());
    let name = si.name_any();
    let blocking: Vec<String> = bindings
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .filter(|b| b.spec.instance_ref.name == name)
        .map(|b| b.name_any())
        .collect();
    if !blocking.is_empty() {
        let cond_status = if current_op == "Deprovision" {
            "Unknown"
        } else {
            "False"
        };
        set_condition(
            conds,
            "Ready",
            cond_status,
            "DeprovisionBlockedByExistingCredentials",
            "All associated ServiceBindings must be removed before this ServiceInstance can be deleted",
        );
        status.conditions = Some(std::mem::take(conds));
        write_status(api, si, std::mem::take(status)).await?;
        return Ok(Action::requeue(Duration::from_secs(2)));
    }
    let scenario = annotation(&si.metadata, ann::DEPROVISION).unwrap_or("succeed");
    let total = seconds(&si.metadata, ann::DEPROVISION_SECONDS, 0.5);
    if current_op != "Deprovision" {
        status.current_operation = Some("Deprovision".into());
        status.operation_start_time = Some(now());
        status.async_op_in_progress = Some(true);
        status.last_operation = Some(format!("deprovision-{}", uuid::Uuid::new_v4().simple()));
        set_condition(
            conds,
            "Ready",
            "False",
            "Deprovisioning",
            "The instance is being deprovisioned asynchronously",
        );
        status.conditions = Some(std::mem::take(conds));
        write_status(api, si, std::mem::take(status)).await?;
        return Ok(Action::requeue(total.max(Duration::from_millis(10))));
    }
    let elapsed = since(status.operation_start_time.as_deref());
    if elapsed < total {
        return Ok(Action::requeue(
            (total - elapsed).max(Duration::from_millis(10)),
        ));
    }
    let broker_msg = annotation(&si.metadata, ann::MESSAGE)
        .unwrap_or("BucketNotEmpty: the cluster still holds backups")
        .to_string();
    let fail_msg = format!(
        "Deprovision call failed: Status: failed; Description: {broker_msg}. The operation will be retried",
    );
    match scenario {
        "retry" => {
            status.async_op_in_progress = Some(false);
            set_condition(
                conds,
                "Ready",
                "Unknown",
                "DeprovisionCallFailed",
                &fail_msg,
            );
            status.conditions = Some(std::mem::take(conds));
            write_status(api, si, std::mem::take(status)).await?;
            Ok(Action::requeue(Duration::from_secs(2)))
        }
        "fail" => {
            status.async_op_in_progress = Some(false);
            status.current_operation = None;
            status.deprovision_status = Some("Failed".into());
            set_condition(
                conds,
                "Ready",
                "Unknown",
                "DeprovisionCallFailed",
                &fail_msg,
            );
            set_condition(
                conds,
                "Failed",
                "True",
                "ErrorReconciliationRetryTimeout",
                "Stopping reconciliation retries because too much time has elapsed",
            );
            status.conditions = Some(std::mem::take(conds));
            write_status(api, si, std::mem::take(status)).await?;
            Ok(Action::await_change())
        }
        _ => {
            status.async_op_in_progress = Some(false);
            status.current_operation = None;
            status.deprovision_status = Some("Succeeded".into());
            status.provision_status = Some("NotProvisioned".into());
            set_condition(
                conds,
                "Ready",
                "False",
                "DeprovisionedSuccessfully",
                "The instance was deprovisioned successfully",
            );
            status.conditions = Some(std::mem::take(conds));
            write_status(api, si, std::mem::take(status)).await?;
            let fresh = api.get(&si.name_any()).await?;
            remove_finalizer(api, &fresh).await?;
            Ok(Action::await_change())
        }
    }
}
