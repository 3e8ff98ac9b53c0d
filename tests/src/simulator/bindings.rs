//! ServiceBinding reconciler: webhook defaults, synchronous bind writing the credentials Secret (owned by
//! the binding, `secretTransforms` applied), unbind deleting it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use futures::StreamExt;
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::api::{ObjectMeta, Patch, PatchParams, PostParams};
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use kube::runtime::{Controller, watcher};
use kube::{Api, Client, Resource, ResourceExt};
use osb::catalog::{
    ClusterServiceClass, Conditioned, FINALIZER, SecretTransform, ServiceBinding,
    ServiceBindingPropertiesState, ServiceBindingStatus, ServiceInstance,
};
use serde_json::{Value, json};

use super::{SimError, ann, annotation, error_policy, last_condition_state, set_condition};

pub async fn run(client: Client) -> anyhow::Result<()> {
    let bindings: Api<ServiceBinding> = Api::all(client.clone());
    let instances: Api<ServiceInstance> = Api::all(client.clone());
    let controller = Controller::new(bindings, watcher::Config::default());
    let store = controller.store();
    controller
        // A binding waiting for its instance is reconciled again as soon as the instance changes.
        .watches(
            instances,
            watcher::Config::default(),
            move |si: ServiceInstance| {
                let (ns, name) = (si.namespace(), si.name_any());
                store
                    .state()
                    .iter()
                    .filter(|b| b.namespace() == ns && b.spec.instance_ref.name == name)
                    .map(|b| ObjectRef::from_obj(&**b))
                    .collect::<Vec<_>>()
            },
        )
        .run(reconcile, error_policy, Arc::new(client))
        .for_each(|_| async {})
        .await;
    Ok(())
}

async fn write_status(
    api: &Api<ServiceBinding>,
    sb: &ServiceBinding,
    mut status: ServiceBindingStatus,
) -> Result<(), SimError> {
    status.last_condition_state = status.conditions.as_deref().and_then(last_condition_state);
    if sb.status.as_ref() == Some(&status) {
        return Ok(());
    }
    let mut obj = sb.clone();
    obj.status = Some(status);
    api.replace_status(&sb.name_any(), &PostParams::default(), &obj)
        .await?;
    Ok(())
}

fn has_finalizer(sb: &ServiceBinding) -> bool {
    sb.finalizers().iter().any(|f| f == FINALIZER)
}

async fn remove_finalizer(api: &Api<ServiceBinding>, sb: &ServiceBinding) -> Result<(), SimError> {
    let rest: Vec<&String> = sb.finalizers().iter().filter(|f| *f != FINALIZER).collect();
    let patch = json!({"metadata": {"finalizers": rest, "resourceVersion": sb.resource_version()}});
    api.patch(
        &sb.name_any(),
        &PatchParams::default(),
        &Patch::Merge(patch),
    )
    .await?;
    Ok(())
}

/// Credentials shaped like an Instaclustr cluster's, by class.
fn credentials(
    class: &str,
    instance: &ServiceInstance,
    binding: &ServiceBinding,
) -> serde_json::Map<String, Value> {
    let id = instance.spec.external_id.clone().unwrap_or_default();
    let short: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let password: String = uuid::Uuid::new_v4().simple().to_string();
    let user = format!("sb-{}", binding.name_any());
    let hosts = ["10.224.0.11", "10.224.0.12", "10.224.0.13"];
    let mut m = serde_json::Map::new();
    match class {
        "kafka" => {
            m.insert(
                "bootstrap_servers".into(),
                json!(
                    hosts
                        .iter()
                        .map(|h| format!("{h}:9092"))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            );
            m.insert("hosts".into(), json!(hosts.join(",")));
            m.insert("port".into(), json!(9092));
            m.insert("username".into(), json!(user));
            m.insert("password".into(), json!(password));
            m.insert("security_protocol".into(), json!("SASL_SSL"));
            m.insert("sasl_mechanism".into(), json!("SCRAM-SHA-256"));
        }
        _ => {
            m.insert("host".into(), json!(hosts[0]));
            m.insert("hosts".into(), json!(hosts.join(",")));
            m.insert("port".into(), json!(9042));
            m.insert("username".into(), json!(user));
            m.insert("password".into(), json!(password));
            m.insert("datacenter".into(), json!("AWS_VPC_US_EAST_1"));
            m.insert("cluster_id".into(), json!(short));
        }
    }
    m
}

/// Secret data the catalog's way: strings as raw bytes, anything else as compact JSON.
fn to_bytes(v: &Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.clone().into_bytes(),
        other => other.to_string().into_bytes(),
    }
}

/// Apply `secretTransforms` in order (`addKeysFrom` reads another Secret).
async fn transform(
    client: &Client,
    ns: &str,
    data: &mut BTreeMap<String, Vec<u8>>,
    creds: &serde_json::Map<String, Value>,
    ts: &[SecretTransform],
) -> Result<(), SimError> {
    for t in ts {
        if let Some(r) = &t.rename_key {
            if let Some(v) = data.remove(&r.from) {
                data.insert(r.to.clone(), v);
            }
        } else if let Some(a) = &t.add_key {
            let value = if let Some(path) = &a.json_path_expression {
                // Only the simple `{.key}` form is supported by the simulator.
                let key = path.trim_start_matches("{.").trim_end_matches('}');
                creds.get(key).map(to_bytes).unwrap_or_default()
            } else if let Some(s) = &a.string_value {
                s.clone().into_bytes()
            } else {
                a.value
                    .as_deref()
                    .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                    .unwrap_or_default()
            };
            data.insert(a.key.clone(), value);
        } else if let Some(from) = &t.add_keys_from {
            if let Some(r) = &from.secret_ref {
                let api: Api<Secret> =
                    Api::namespaced(client.clone(), r.namespace.as_deref().unwrap_or(ns));
                if let Some(s) = api.get_opt(&r.name).await? {
                    for (k, v) in s.data.unwrap_or_default() {
                        data.insert(k, v.0);
                    }
                }
            }
        } else if let Some(rm) = &t.remove_key {
            data.remove(&rm.key);
        }
    }
    Ok(())
}

async fn reconcile(sb: Arc<ServiceBinding>, client: Arc<Client>) -> Result<Action, SimError> {
    let Some(ns) = sb.namespace() else {
        return Ok(Action::await_change());
    };
    let name = sb.name_any();
    let api: Api<ServiceBinding> = Api::namespaced((*client).clone(), &ns);
    let secrets: Api<Secret> = Api::namespaced((*client).clone(), &ns);
    let deleting = sb.metadata.deletion_timestamp.is_some();

    // Finalizer, externalID, secretName and userInfo were set at CREATE by the admission webhook.
    if deleting && !has_finalizer(&sb) {
        return Ok(Action::await_change());
    }
    let mut status = sb.status.clone().unwrap_or_default();
    let mut conds = status.conditions.take().unwrap_or_default();

    if deleting {
        let unbind_status = status.unbind_status.clone().unwrap_or_default();
        if unbind_status == "Failed" {
            return Ok(Action::await_change());
        }
        if unbind_status == "Required" {
            // The catalog deletes the credentials first, then calls the broker.
            let _ = secrets.delete(&sb.secret_name(), &Default::default()).await;
            if annotation(&sb.metadata, ann::UNBIND) == Some("fail") {
                set_condition(
                    &mut conds,
                    "Ready",
                    "Unknown",
                    "UnbindCallFailed",
                    "Unbind call failed: Status: 500; ErrorMessage: broker error",
                );
                set_condition(
                    &mut conds,
                    "Failed",
                    "True",
                    "ErrorReconciliationRetryTimeout",
                    "Stopping reconciliation retries because too much time has elapsed",
                );
                status.unbind_status = Some("Failed".into());
                status.conditions = Some(conds);
                write_status(&api, &sb, status).await?;
                return Ok(Action::await_change());
            }
            set_condition(
                &mut conds,
                "Ready",
                "False",
                "UnboundSuccessfully",
                "The binding was deleted successfully",
            );
            status.unbind_status = Some("Succeeded".into());
            status.conditions = Some(conds);
            write_status(&api, &sb, status).await?;
            let fresh = api.get(&name).await?;
            remove_finalizer(&api, &fresh).await?;
            return Ok(Action::await_change());
        }
        remove_finalizer(&api, &sb).await?;
        return Ok(Action::await_change());
    }

    // Bindings are never updated: once Ready or Failed, nothing more happens.
    if sb.is_true("Ready") || sb.is_true("Failed") {
        return Ok(Action::await_change());
    }
    status
        .unbind_status
        .get_or_insert_with(|| "NotRequired".into());
    let instances: Api<ServiceInstance> = Api::namespaced((*client).clone(), &ns);
    let inst_name = &sb.spec.instance_ref.name;
    let Some(instance) = instances.get_opt(inst_name).await? else {
        set_condition(
            &mut conds,
            "Ready",
            "False",
            "ReferencesNonexistentInstance",
            &format!(
                "The binding references a ServiceInstance that does not exist. References a non-existent ServiceInstance {ns:?}/{inst_name:?}"
            ),
        );
        status.conditions = Some(conds);
        write_status(&api, &sb, status).await?;
        return Ok(Action::requeue(Duration::from_secs(2)));
    };
    if !instance.is_true("Ready") || instance.async_op_in_progress() {
        set_condition(
            &mut conds,
            "Ready",
            "False",
            "ErrorInstanceNotReady",
            &format!(
                "Binding cannot begin because referenced ServiceInstance \"{ns}/{inst_name}\" is not ready"
            ),
        );
        status.conditions = Some(conds);
        write_status(&api, &sb, status).await?;
        return Ok(Action::requeue(Duration::from_secs(2)));
    }
    let class_ref = instance
        .spec
        .cluster_service_class_ref
        .as_ref()
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let class = Api::<ClusterServiceClass>::all((*client).clone())
        .get_opt(&class_ref)
        .await?;
    let class_name = class
        .as_ref()
        .map(|c| c.spec.common.external_name.clone())
        .unwrap_or_default();
    if class
        .as_ref()
        .is_some_and(|c| c.spec.common.bindable == Some(false))
    {
        let msg = format!(
            "References a non-bindable ClusterServiceClass (K8S: {class_ref:?} ExternalName: {class_name:?})"
        );
        set_condition(
            &mut conds,
            "Ready",
            "False",
            "ErrorNonbindableServiceClass",
            &msg,
        );
        set_condition(
            &mut conds,
            "Failed",
            "True",
            "ErrorNonbindableServiceClass",
            &msg,
        );
        status.conditions = Some(conds);
        write_status(&api, &sb, status).await?;
        return Ok(Action::await_change());
    }
    if annotation(&sb.metadata, ann::BIND) == Some("fail") {
        let msg = format!(
            "Error creating ServiceBinding for ServiceInstance \"{ns}/{inst_name}\" of ClusterServiceClass (K8S: {class_ref:?} ExternalName: {class_name:?}) at ClusterServiceBroker \"instaclustr\": Status: 500; ErrorMessage: {}",
            annotation(&sb.metadata, ann::MESSAGE).unwrap_or("could not create the user")
        );
        set_condition(&mut conds, "Ready", "False", "BindCallFailed", &msg);
        set_condition(
            &mut conds,
            "Failed",
            "True",
            "ServiceBindingReturnedFailure",
            &msg,
        );
        status.conditions = Some(conds);
        write_status(&api, &sb, status).await?;
        return Ok(Action::await_change());
    }

    // Bind: write the Secret, owned by (and controlled by) the binding.
    let secret_name = sb.secret_name();
    if let Some(existing) = secrets.get_opt(&secret_name).await? {
        let uid = sb.uid().unwrap_or_default();
        let owned = existing
            .owner_references()
            .iter()
            .any(|o| o.uid == uid && o.controller == Some(true));
        if !owned {
            set_condition(
                &mut conds,
                "Ready",
                "False",
                "ErrorInjectingBindResult",
                &format!(
                    "Error injecting bind result: Secret \"{ns}/{secret_name}\" is not owned by ServiceBinding, controllerRef: nil"
                ),
            );
            status.conditions = Some(conds);
            write_status(&api, &sb, status).await?;
            return Ok(Action::requeue(Duration::from_secs(2)));
        }
    }
    let creds = credentials(&class_name, &instance, &sb);
    let mut data: BTreeMap<String, Vec<u8>> = creds
        .iter()
        .map(|(k, v)| (k.clone(), to_bytes(v)))
        .collect();
    transform(
        &client,
        &ns,
        &mut data,
        &creds,
        sb.spec.secret_transforms.as_deref().unwrap_or_default(),
    )
    .await?;
    let owner = OwnerReference {
        api_version: ServiceBinding::api_version(&()).into_owned(),
        kind: ServiceBinding::kind(&()).into_owned(),
        name: name.clone(),
        uid: sb.uid().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    };
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some(secret_name.clone()),
            namespace: Some(ns.clone()),
            owner_references: Some(vec![owner]),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        data: Some(data.into_iter().map(|(k, v)| (k, ByteString(v))).collect()),
        ..Default::default()
    };
    secrets.patch(&secret_name, &PatchParams::apply("osb-simulator").force(), &Patch::Apply(&json!({
        "apiVersion": "v1", "kind": "Secret", "metadata": secret.metadata, "type": secret.type_, "data": secret.data,
    }))).await?;
    set_condition(
        &mut conds,
        "Ready",
        "True",
        "InjectedBindResult",
        "Injected bind result",
    );
    status.unbind_status = Some("Required".into());
    status.external_properties = Some(ServiceBindingPropertiesState {
        parameters: sb.spec.parameters.clone(),
        parameter_checksum: None,
        user_info: sb.spec.user_info.clone(),
    });
    status.reconciled_generation = sb.metadata.generation;
    status.operation_start_time = None;
    status.async_op_in_progress = Some(false);
    status.conditions = Some(conds);
    write_status(&api, &sb, status).await?;
    Ok(Action::await_change())
}
