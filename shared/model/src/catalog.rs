//! Typed `servicecatalog.k8s.io/v1beta1` resources: the eight kinds of the Kubernetes Service Catalog.
//!
//! Field names are the exact JSON keys the catalog controller and its webhooks read and write
//! (`pkg/apis/servicecatalog/v1beta1/types.go` upstream). Everything is optional on the way in, so an
//! object written by another tool (or half-initialised by the controller) still deserialises.

use std::collections::BTreeMap;

use kube::CustomResource;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

/// API group of every Service Catalog kind.
pub const GROUP: &str = "servicecatalog.k8s.io";
/// The one served version.
pub const VERSION: &str = "v1beta1";
/// `group/version`, as in `apiVersion`.
pub const API_VERSION: &str = "servicecatalog.k8s.io/v1beta1";
/// The finalizer the catalog puts on instances, bindings and brokers.
pub const FINALIZER: &str = "kubernetes-incubator/service-catalog";
/// Prefix of the lookup labels whose values are `hex(sha224(value))`.
pub const LABEL_PREFIX: &str = "servicecatalog.k8s.io/";

/// `hex(sha224(value))`: the value of the catalog's lookup labels (`spec.externalName`, …).
pub fn label_hash(value: &str) -> String {
    use sha2::{Digest, Sha224};
    hex::encode(Sha224::digest(value.as_bytes()))
}

/// One entry of `status.conditions`.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    pub last_transition_time: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
}

impl Condition {
    /// A condition of `type_` with `status` and `reason`, as the controller writes them.
    pub fn new(type_: &str, status: &str, reason: &str) -> Self {
        Condition {
            type_: type_.into(),
            status: status.into(),
            reason: Some(reason.into()),
            ..Default::default()
        }
    }
}

/// `{name}`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalObjectReference {
    pub name: String,
}

/// `{namespace, name}` (cluster brokers' auth secrets).
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectReference {
    pub namespace: Option<String>,
    pub name: String,
}

/// `{name, key}` of `parametersFrom[].secretKeyRef`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SecretKeyReference {
    pub name: String,
    pub key: String,
}

/// One entry of `parametersFrom`: its value must be a JSON object whose keys merge into the parameters.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ParametersFromSource {
    pub secret_key_ref: Option<SecretKeyReference>,
}

/// The requesting user, written into `spec.userInfo` by the catalog's webhook.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInfo {
    pub username: Option<String>,
    pub uid: Option<String>,
    pub groups: Option<Vec<String>>,
    pub extra: Option<BTreeMap<String, Vec<String>>>,
}

// ---------------------------------------------------------------------------------------------
// ServiceInstance

/// `ServiceInstance.spec`.
#[skip_serializing_none]
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(
    group = "servicecatalog.k8s.io",
    version = "v1beta1",
    kind = "ServiceInstance",
    plural = "serviceinstances",
    namespaced,
    status = "ServiceInstanceStatus",
    schema = "disabled"
)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInstanceSpec {
    pub cluster_service_class_external_name: Option<String>,
    pub cluster_service_plan_external_name: Option<String>,
    #[serde(rename = "clusterServiceClassExternalID")]
    pub cluster_service_class_external_id: Option<String>,
    #[serde(rename = "clusterServicePlanExternalID")]
    pub cluster_service_plan_external_id: Option<String>,
    pub cluster_service_class_name: Option<String>,
    pub cluster_service_plan_name: Option<String>,
    pub service_class_external_name: Option<String>,
    pub service_plan_external_name: Option<String>,
    #[serde(rename = "serviceClassExternalID")]
    pub service_class_external_id: Option<String>,
    #[serde(rename = "servicePlanExternalID")]
    pub service_plan_external_id: Option<String>,
    pub service_class_name: Option<String>,
    pub service_plan_name: Option<String>,
    pub cluster_service_class_ref: Option<LocalObjectReference>,
    pub cluster_service_plan_ref: Option<LocalObjectReference>,
    pub service_class_ref: Option<LocalObjectReference>,
    pub service_plan_ref: Option<LocalObjectReference>,
    pub parameters: Option<Value>,
    pub parameters_from: Option<Vec<ParametersFromSource>>,
    #[serde(rename = "externalID")]
    pub external_id: Option<String>,
    pub user_info: Option<UserInfo>,
    pub update_requests: Option<i64>,
}

/// `status.inProgressProperties` / `status.externalProperties` of an instance.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInstancePropertiesState {
    pub cluster_service_plan_external_name: Option<String>,
    #[serde(rename = "clusterServicePlanExternalID")]
    pub cluster_service_plan_external_id: Option<String>,
    pub service_plan_external_name: Option<String>,
    #[serde(rename = "servicePlanExternalID")]
    pub service_plan_external_id: Option<String>,
    pub parameters: Option<Value>,
    pub parameter_checksum: Option<String>,
    pub user_info: Option<UserInfo>,
}

/// `ServiceInstance.status`.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInstanceStatus {
    pub conditions: Option<Vec<Condition>>,
    pub async_op_in_progress: Option<bool>,
    pub orphan_mitigation_in_progress: Option<bool>,
    pub last_operation: Option<String>,
    #[serde(rename = "dashboardURL")]
    pub dashboard_url: Option<String>,
    pub current_operation: Option<String>,
    pub reconciled_generation: Option<i64>,
    pub observed_generation: Option<i64>,
    pub operation_start_time: Option<String>,
    pub in_progress_properties: Option<ServiceInstancePropertiesState>,
    pub external_properties: Option<ServiceInstancePropertiesState>,
    pub provision_status: Option<String>,
    pub deprovision_status: Option<String>,
    pub default_provision_parameters: Option<Value>,
    pub last_condition_state: Option<String>,
    pub user_specified_class_name: Option<String>,
    pub user_specified_plan_name: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// ServiceBinding

/// `renameKey` transform.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct RenameKeyTransform {
    pub from: String,
    pub to: String,
}

/// `addKey` transform: `jsonPathExpression` wins over `stringValue`, which wins over `value` (base64).
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AddKeyTransform {
    pub key: String,
    pub value: Option<String>,
    pub string_value: Option<String>,
    pub json_path_expression: Option<String>,
}

/// `addKeysFrom` transform: merge every key of another Secret.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AddKeysFromTransform {
    pub secret_ref: Option<ObjectReference>,
}

/// `removeKey` transform.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoveKeyTransform {
    pub key: String,
}

/// One entry of `secretTransforms`: exactly one member is set.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SecretTransform {
    pub rename_key: Option<RenameKeyTransform>,
    pub add_key: Option<AddKeyTransform>,
    pub add_keys_from: Option<AddKeysFromTransform>,
    pub remove_key: Option<RemoveKeyTransform>,
}

/// `ServiceBinding.spec`.
#[skip_serializing_none]
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(
    group = "servicecatalog.k8s.io",
    version = "v1beta1",
    kind = "ServiceBinding",
    plural = "servicebindings",
    namespaced,
    status = "ServiceBindingStatus",
    schema = "disabled"
)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBindingSpec {
    pub instance_ref: LocalObjectReference,
    pub parameters: Option<Value>,
    pub parameters_from: Option<Vec<ParametersFromSource>>,
    pub secret_name: Option<String>,
    pub secret_transforms: Option<Vec<SecretTransform>>,
    #[serde(rename = "externalID")]
    pub external_id: Option<String>,
    pub user_info: Option<UserInfo>,
}

/// `status.inProgressProperties` / `status.externalProperties` of a binding.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBindingPropertiesState {
    pub parameters: Option<Value>,
    pub parameter_checksum: Option<String>,
    pub user_info: Option<UserInfo>,
}

/// `ServiceBinding.status`.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBindingStatus {
    pub conditions: Option<Vec<Condition>>,
    pub async_op_in_progress: Option<bool>,
    pub last_operation: Option<String>,
    pub current_operation: Option<String>,
    pub reconciled_generation: Option<i64>,
    pub operation_start_time: Option<String>,
    pub in_progress_properties: Option<ServiceBindingPropertiesState>,
    pub external_properties: Option<ServiceBindingPropertiesState>,
    pub orphan_mitigation_in_progress: Option<bool>,
    pub unbind_status: Option<String>,
    pub last_condition_state: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Brokers

/// `catalogRestrictions`.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CatalogRestrictions {
    pub service_class: Option<Vec<String>>,
    pub service_plan: Option<Vec<String>>,
}

/// `authInfo.basic` / `authInfo.bearer`.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SecretAuthInfo {
    pub secret_ref: Option<ObjectReference>,
}

/// Declares a cluster-scoped kind and its namespaced twin: one common spec (flattened) and status, and
/// each its own fields naming its broker (and class).
macro_rules! scoped_pair {
    (
        $common:ident, status $status:tt, derive($($extra:ident)?);
        cluster $ckind:tt $cplural:tt $cspec:ident { $($cfield:ident: $cty:ty),* $(,)? }
        namespaced $nkind:tt $nplural:tt $nspec:ident { $($nfield:ident: $nty:ty),* $(,)? }
    ) => {
        scoped_pair!(@one [] $ckind $cplural $cspec $common $status ($($extra)?) { $($cfield: $cty),* });
        scoped_pair!(@one [namespaced,] $nkind $nplural $nspec $common $status ($($extra)?) { $($nfield: $nty),* });
    };
    (@one [$($scope:tt)*] $kind:tt $plural:tt $spec:ident $common:ident $status:tt ($($extra:ident)?)
        { $($field:ident: $ty:ty),* }) => {
        #[doc = concat!("`", $kind, ".spec`.")]
        #[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq $(, $extra)?)]
        #[kube(
            group = "servicecatalog.k8s.io",
            version = "v1beta1",
            kind = $kind,
            plural = $plural,
            $($scope)*
            status = $status,
            schema = "disabled"
        )]
        #[serde(rename_all = "camelCase")]
        pub struct $spec {
            #[serde(flatten)]
            pub common: $common,
            $(pub $field: $ty,)*
        }
    };
}

/// `authInfo`.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct BrokerAuthInfo {
    pub basic: Option<SecretAuthInfo>,
    pub bearer: Option<SecretAuthInfo>,
}

/// Fields shared by both broker kinds.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CommonServiceBrokerSpec {
    pub url: String,
    #[serde(rename = "insecureSkipTLSVerify")]
    pub insecure_skip_tls_verify: Option<bool>,
    pub ca_bundle: Option<String>,
    pub relist_behavior: Option<String>,
    pub relist_duration: Option<String>,
    pub relist_requests: Option<i64>,
    pub catalog_restrictions: Option<CatalogRestrictions>,
    pub auth_info: Option<BrokerAuthInfo>,
}

/// `status` of both broker kinds.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBrokerStatus {
    pub conditions: Option<Vec<Condition>>,
    pub reconciled_generation: Option<i64>,
    pub operation_start_time: Option<String>,
    pub last_catalog_retrieval_time: Option<String>,
    pub last_condition_state: Option<String>,
}

scoped_pair! {
    CommonServiceBrokerSpec, status "ServiceBrokerStatus", derive(Eq);
    cluster "ClusterServiceBroker" "clusterservicebrokers" ClusterServiceBrokerSpec {}
    namespaced "ServiceBroker" "servicebrokers" ServiceBrokerSpec {}
}

// ---------------------------------------------------------------------------------------------
// Classes

/// Fields shared by both class kinds.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CommonServiceClassSpec {
    pub external_name: String,
    #[serde(rename = "externalID")]
    pub external_id: String,
    pub description: Option<String>,
    pub bindable: Option<bool>,
    pub binding_retrievable: Option<bool>,
    pub plan_updatable: Option<bool>,
    pub external_metadata: Option<Value>,
    pub tags: Option<Vec<String>>,
    pub requires: Option<Vec<String>>,
    pub default_provision_parameters: Option<Value>,
}

/// `status` of classes and plans.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntryStatus {
    pub removed_from_broker_catalog: Option<bool>,
}

scoped_pair! {
    CommonServiceClassSpec, status "CatalogEntryStatus", derive();
    cluster "ClusterServiceClass" "clusterserviceclasses" ClusterServiceClassSpec {
        cluster_service_broker_name: String,
    }
    namespaced "ServiceClass" "serviceclasses" ServiceClassSpec {
        service_broker_name: String,
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

/// Fields shared by both plan kinds.
#[skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CommonServicePlanSpec {
    pub external_name: String,
    #[serde(rename = "externalID")]
    pub external_id: String,
    pub description: Option<String>,
    pub bindable: Option<bool>,
    pub free: Option<bool>,
    pub external_metadata: Option<Value>,
    pub instance_create_parameter_schema: Option<Value>,
    pub instance_update_parameter_schema: Option<Value>,
    pub service_binding_create_parameter_schema: Option<Value>,
    pub default_provision_parameters: Option<Value>,
}

scoped_pair! {
    CommonServicePlanSpec, status "CatalogEntryStatus", derive();
    cluster "ClusterServicePlan" "clusterserviceplans" ClusterServicePlanSpec {
        cluster_service_broker_name: String,
        cluster_service_class_ref: LocalObjectReference,
    }
    namespaced "ServicePlan" "serviceplans" ServicePlanSpec {
        service_broker_name: String,
        service_class_ref: LocalObjectReference,
    }
}

/// Classes and plans of both scopes: what the cluster-scoped kind and its namespaced twin share.
pub trait Offering: kube::Resource<DynamicType = ()> + Serialize {
    /// [`CommonServiceClassSpec`] or [`CommonServicePlanSpec`].
    type Common;
    fn common(&self) -> &Self::Common;
    /// `spec.externalName`: the name people type.
    fn external_name(&self) -> &str;
    /// `spec.externalID`: the broker's id.
    fn external_id(&self) -> &str;
    /// A class's broker, a plan's class (Kubernetes names).
    fn parent(&self) -> &str;
    fn entry_status(&self) -> Option<&CatalogEntryStatus>;
}

macro_rules! offering {
    ($($kind:ty => $common:ty, $($parent:ident).+;)*) => {$(
        impl Offering for $kind {
            type Common = $common;
            fn common(&self) -> &$common {
                &self.spec.common
            }
            fn external_name(&self) -> &str {
                &self.spec.common.external_name
            }
            fn external_id(&self) -> &str {
                &self.spec.common.external_id
            }
            fn parent(&self) -> &str {
                &self.spec.$($parent).+
            }
            fn entry_status(&self) -> Option<&CatalogEntryStatus> {
                self.status.as_ref()
            }
        }
    )*};
}
offering! {
    ClusterServiceClass => CommonServiceClassSpec, cluster_service_broker_name;
    ServiceClass => CommonServiceClassSpec, service_broker_name;
    ClusterServicePlan => CommonServicePlanSpec, cluster_service_class_ref.name;
    ServicePlan => CommonServicePlanSpec, service_class_ref.name;
}

// ---------------------------------------------------------------------------------------------
// Conditions: the readiness rules every verb shares

/// Read access to `status.conditions` and the async flag, for every kind that has them.
pub trait Conditioned {
    fn conditions(&self) -> &[Condition];
    /// `status.asyncOpInProgress`; false for kinds without it.
    fn async_op_in_progress(&self) -> bool {
        false
    }

    /// The condition of type `type_`, if present.
    fn condition(&self, type_: &str) -> Option<&Condition> {
        self.conditions().iter().find(|c| c.type_ == type_)
    }

    /// Whether condition `type_` has status `True`.
    fn is_true(&self, type_: &str) -> bool {
        self.condition(type_).is_some_and(|c| c.status == "True")
    }

    /// The printer-column rule of the catalog (`lastConditionState`): the last condition's type when it
    /// is True, otherwise its reason.
    fn last_condition_state(&self) -> String {
        match self.conditions().last() {
            None => String::new(),
            Some(c) if c.status == "True" => c.type_.clone(),
            Some(c) => c.reason.clone().unwrap_or_default(),
        }
    }
}

/// `Conditioned` for a kind with `status.conditions`; `async`: it also has `status.asyncOpInProgress`.
macro_rules! conditioned {
    ($kind:ty $(, $async:ident)?) => {
        impl Conditioned for $kind {
            fn conditions(&self) -> &[Condition] {
                self.status
                    .as_ref()
                    .and_then(|s| s.conditions.as_deref())
                    .unwrap_or_default()
            }
            $(
            fn async_op_in_progress(&self) -> bool {
                let _ = stringify!($async);
                self.status
                    .as_ref()
                    .and_then(|s| s.async_op_in_progress)
                    .unwrap_or(false)
            }
            )?
        }
    };
}
conditioned!(ServiceInstance, async);
conditioned!(ServiceBinding, async);
conditioned!(ClusterServiceBroker);
conditioned!(ServiceBroker);

/// How an instance names its class or its plan: each field of the spec, the cluster-scoped one first and
/// the namespaced one second.
#[derive(Clone, Copy, Debug, Default)]
pub struct OfferingNames<'a> {
    pub external_name: [Option<&'a String>; 2],
    pub external_id: [Option<&'a String>; 2],
    pub name: [Option<&'a String>; 2],
    /// `spec.*Ref`, set by the catalog once resolved.
    pub reference: [Option<&'a LocalObjectReference>; 2],
}

impl<'a> OfferingNames<'a> {
    /// As the user named it: external name, external ID or Kubernetes name, cluster-scoped fields first.
    pub fn display(&self) -> Option<&'a str> {
        (0..2)
            .flat_map(|i| [self.external_name[i], self.external_id[i], self.name[i]])
            .flatten()
            .next()
            .map(String::as_str)
    }

    /// The Kubernetes name of the object meant, by scope: the catalog's reference, else the name given.
    pub fn object_name(&self, scope: usize) -> Option<&'a String> {
        self.reference[scope].map(|r| &r.name).or(self.name[scope])
    }
}

/// [`OfferingNames`] from the spec's fields, each given as its cluster-scoped and namespaced name.
macro_rules! names {
    ($s:ident; $ec:ident $en:ident, $ic:ident $in:ident, $nc:ident $nn:ident, $rc:ident $rn:ident) => {
        OfferingNames {
            external_name: [$s.$ec.as_ref(), $s.$en.as_ref()],
            external_id: [$s.$ic.as_ref(), $s.$in.as_ref()],
            name: [$s.$nc.as_ref(), $s.$nn.as_ref()],
            reference: [$s.$rc.as_ref(), $s.$rn.as_ref()],
        }
    };
}

impl ServiceInstance {
    /// How the instance names its class.
    pub fn class_names(&self) -> OfferingNames<'_> {
        let s = &self.spec;
        names!(s; cluster_service_class_external_name service_class_external_name,
            cluster_service_class_external_id service_class_external_id,
            cluster_service_class_name service_class_name, cluster_service_class_ref service_class_ref)
    }

    /// How the instance names its plan.
    pub fn plan_names(&self) -> OfferingNames<'_> {
        let s = &self.spec;
        names!(s; cluster_service_plan_external_name service_plan_external_name,
            cluster_service_plan_external_id service_plan_external_id,
            cluster_service_plan_name service_plan_name, cluster_service_plan_ref service_plan_ref)
    }

    /// The class as the user named it: the first of external name, external ID and Kubernetes name.
    pub fn class_display_name(&self) -> Option<&str> {
        self.class_names().display()
    }

    /// The plan as the user named it, chosen the same way as [`Self::class_display_name`].
    pub fn plan_display_name(&self) -> Option<&str> {
        self.plan_names().display()
    }

    /// `status.deprovisionStatus`, or "".
    pub fn deprovision_status(&self) -> &str {
        self.status
            .as_ref()
            .and_then(|s| s.deprovision_status.as_deref())
            .unwrap_or_default()
    }
}

impl ServiceBinding {
    /// The Secret the credentials go to: `spec.secretName`, defaulting to the binding's name.
    pub fn secret_name(&self) -> String {
        self.spec
            .secret_name
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.metadata.name.clone().unwrap_or_default())
    }

    /// `status.unbindStatus`, or "".
    pub fn unbind_status(&self) -> &str {
        self.status
            .as_ref()
            .and_then(|s| s.unbind_status.as_deref())
            .unwrap_or_default()
    }
}

/// A Secret's data, decoded (the API already base64-decodes into bytes; `stringData` too), keys in
/// order: the Secrets the catalog reads (`parametersFrom`) and writes (a binding's credentials).
pub fn secret_data(secret: &k8s_openapi::api::core::v1::Secret) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = secret
        .data
        .as_ref()
        .map(|d| d.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect())
        .unwrap_or_default();
    if let Some(sd) = &secret.string_data {
        for (k, v) in sd {
            out.push((k.clone(), v.clone().into_bytes()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_data_is_decoded_with_string_data_in_key_order() {
        use k8s_openapi::ByteString;
        let secret = k8s_openapi::api::core::v1::Secret {
            data: Some(BTreeMap::from([
                ("username".to_string(), ByteString(b"u".to_vec())),
                ("host".to_string(), ByteString(b"h".to_vec())),
            ])),
            string_data: Some(BTreeMap::from([("port".to_string(), "9042".to_string())])),
            ..Default::default()
        };
        assert_eq!(
            secret_data(&secret),
            vec![
                ("host".to_string(), b"h".to_vec()),
                ("port".to_string(), b"9042".to_vec()),
                ("username".to_string(), b"u".to_vec()),
            ]
        );
        assert!(secret_data(&Default::default()).is_empty());
    }

    #[test]
    fn label_hash_matches_the_catalogs_known_values() {
        assert_eq!(
            label_hash("user-provided-service"),
            "730d36fa34c1b3308cbf85856900e29eac970fdb23febe2c193c4ea5"
        );
        assert_eq!(
            label_hash("default"),
            "f0e8b3c2dda2512b55e4dc5d4859b1877e98109c7c4e755ccd2a5763"
        );
    }

    #[test]
    fn instance_round_trips_with_exact_field_names() {
        let json = serde_json::json!({
            "apiVersion": API_VERSION, "kind": "ServiceInstance",
            "metadata": {"name": "db", "namespace": "dev"},
            "spec": {"clusterServiceClassExternalName": "cassandra", "clusterServicePlanExternalName": "small",
                     "clusterServiceClassExternalID": "c-id", "externalID": "x", "updateRequests": 2,
                     "parametersFrom": [{"secretKeyRef": {"name": "p", "key": "k"}}]},
            "status": {"asyncOpInProgress": true, "dashboardURL": "https://d", "deprovisionStatus": "Required",
                       "conditions": [{"type": "Ready", "status": "False", "reason": "Provisioning"}]}
        });
        let si: ServiceInstance = serde_json::from_value(json.clone()).expect("parses");
        assert_eq!(
            si.spec.cluster_service_class_external_id.as_deref(),
            Some("c-id")
        );
        assert!(si.async_op_in_progress());
        assert_eq!(si.last_condition_state(), "Provisioning");
        assert_eq!(serde_json::to_value(&si).expect("serialises"), json);
    }

    #[test]
    fn last_condition_state_follows_the_printer_rule() {
        let mut si = ServiceInstance::new("a", ServiceInstanceSpec::default());
        assert_eq!(si.last_condition_state(), "");
        si.status = Some(ServiceInstanceStatus {
            conditions: Some(vec![
                Condition::new("Ready", "False", "ProvisionCallFailed"),
                Condition::new("Failed", "True", "ProvisionCallFailed"),
            ]),
            ..Default::default()
        });
        assert_eq!(si.last_condition_state(), "Failed");
        assert!(si.is_true("Failed") && !si.is_true("Ready"));
    }
}
