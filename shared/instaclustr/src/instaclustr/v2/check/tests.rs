//! One test per v2 rule (issue 21, item 2), on bodies written from the reference.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use super::validate;
use crate::instaclustr::v2::App;
use crate::instaclustr::validate::Severity;

pub fn cassandra() -> Value {
    json!({
        "name": "orders_cassandra",
        "cassandraVersion": "4.1.3",
        "slaTier": "NON_PRODUCTION",
        "pciComplianceMode": false,
        "privateNetworkCluster": false,
        "luceneEnabled": false,
        "passwordAndUserAuth": true,
        "dataCentres": [{
            "name": "AWS_VPC_US_EAST_1",
            "cloudProvider": "AWS_VPC",
            "region": "US_EAST_1",
            "network": "10.0.0.0/16",
            "nodeSize": "CAS-DEV-t4g.small-5",
            "numberOfNodes": 3,
            "replicationFactor": 3,
            "continuousBackup": false,
            "clientToClusterEncryption": false,
            "privateIpBroadcastForDiscovery": false
        }]
    })
}

pub fn kafka() -> Value {
    json!({
        "name": "events",
        "kafkaVersion": "3.5.1",
        "slaTier": "PRODUCTION",
        "pciComplianceMode": false,
        "privateNetworkCluster": false,
        "allowDeleteTopics": true,
        "autoCreateTopics": true,
        "clientToClusterEncryption": false,
        "defaultNumberOfPartitions": 3,
        "defaultReplicationFactor": 3,
        "dataCentres": [{
            "name": "AWS_VPC_US_EAST_1",
            "cloudProvider": "AWS_VPC",
            "region": "US_EAST_1",
            "network": "10.1.0.0/16",
            "nodeSize": "KFK-DEV-t4g.small-5",
            "numberOfNodes": 3
        }]
    })
}

fn errors(body: &Value, app: App) -> Vec<String> {
    validate(body, Some(app))
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.pointer, f.message))
        .collect()
}

fn with(mut v: Value, ptr: &str, new: Value) -> Value {
    match v.pointer_mut(ptr) {
        Some(slot) => *slot = new,
        None => {
            let (parent, key) = ptr.rsplit_once('/').unwrap();
            v.pointer_mut(parent).unwrap()[key] = new;
        }
    }
    v
}

fn without(mut v: Value, ptr: &str) -> Value {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    let p = if parent.is_empty() {
        &mut v
    } else {
        v.pointer_mut(parent).unwrap()
    };
    p.as_object_mut().unwrap().remove(key);
    v
}

fn one_error(body: &Value, app: App) -> String {
    let e = errors(body, app);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.into_iter().next().unwrap()
}

#[test]
fn the_reference_bodies_are_clean() {
    assert_eq!(validate(&cassandra(), Some(App::Cassandra)), vec![]);
    assert_eq!(validate(&kafka(), Some(App::Kafka)), vec![]);
}

#[test]
fn required_fields_are_named_with_what_they_take() {
    for key in [
        "name",
        "cassandraVersion",
        "slaTier",
        "pciComplianceMode",
        "privateNetworkCluster",
        "luceneEnabled",
        "passwordAndUserAuth",
        "dataCentres",
    ] {
        let e = one_error(&without(cassandra(), &format!("/{key}")), App::Cassandra);
        assert!(
            e.starts_with(&format!(": missing required field \"{key}\" (")),
            "{e}"
        );
    }
    for key in [
        "name",
        "cloudProvider",
        "region",
        "network",
        "nodeSize",
        "numberOfNodes",
        "replicationFactor",
        "continuousBackup",
        "clientToClusterEncryption",
        "privateIpBroadcastForDiscovery",
    ] {
        let e = one_error(
            &without(cassandra(), &format!("/dataCentres/0/{key}")),
            App::Cassandra,
        );
        assert!(
            e.starts_with(&format!("/dataCentres/0: missing required field \"{key}\"")),
            "{e}"
        );
    }
    let e = one_error(&without(kafka(), "/defaultReplicationFactor"), App::Kafka);
    assert_eq!(
        e,
        ": missing required field \"defaultReplicationFactor\" (an integer of at least 1)"
    );
}

#[test]
fn types_are_checked_with_what_was_given() {
    let e = one_error(
        &with(cassandra(), "/luceneEnabled", json!("false")),
        App::Cassandra,
    );
    assert_eq!(
        e,
        "/luceneEnabled: expected a boolean, got the string \"false\""
    );
    let e = one_error(
        &with(cassandra(), "/dataCentres/0/replicationFactor", json!("3")),
        App::Cassandra,
    );
    assert_eq!(
        e,
        "/dataCentres/0/replicationFactor: expected an integer of at least 1, got the string \"3\""
    );
    let e = one_error(
        &with(kafka(), "/defaultNumberOfPartitions", json!(2.5)),
        App::Kafka,
    );
    assert!(
        e.contains("expected an integer of at least 1, got the number 2.5"),
        "{e}"
    );
    let e = one_error(&with(kafka(), "/kafkaVersion", json!(3.5)), App::Kafka);
    assert_eq!(e, "/kafkaVersion: expected a string, got the number 3.5");
    let e = one_error(
        &with(kafka(), "/schemaRegistry", json!({"version": "3.4.1"})),
        App::Kafka,
    );
    assert!(
        e.starts_with("/schemaRegistry: expected an array, got an object (v2 writes an optional block as an array of one object"),
        "{e}"
    );
}

#[test]
fn enums_list_the_allowed_values_and_suggest() {
    let e = one_error(
        &with(cassandra(), "/slaTier", json!("PRODUCTON")),
        App::Cassandra,
    );
    assert_eq!(
        e,
        "/slaTier: expected one of PRODUCTION, NON_PRODUCTION, got \"PRODUCTON\" (did you mean \"PRODUCTION\"?)"
    );
    let e = one_error(
        &with(kafka(), "/dataCentres/0/cloudProvider", json!("aws_vpc")),
        App::Kafka,
    );
    assert_eq!(
        e,
        "/dataCentres/0/cloudProvider: expected one of AWS_VPC, GCP, AZURE, AZURE_AZ, ONPREMISES, got \"aws_vpc\" (did you mean \"AWS_VPC\"?)"
    );
}

#[test]
fn patterns_say_what_was_expected() {
    let e = one_error(
        &with(cassandra(), "/cassandraVersion", json!("4.1")),
        App::Cassandra,
    );
    assert_eq!(
        e,
        "/cassandraVersion: expected a version N.N.N, got \"4.1\""
    );
    let e = one_error(
        &with(cassandra(), "/name", json!("_orders")),
        App::Cassandra,
    );
    assert!(
        e.contains("expected a letter or digit, then letters, digits, _ and -, got \"_orders\""),
        "{e}"
    );
    let e = one_error(
        &with(
            cassandra(),
            "/dataCentres/0/awsSettings",
            json!([{"ebsEncryptionKey": "key-1"}]),
        ),
        App::Cassandra,
    );
    assert_eq!(
        e,
        "/dataCentres/0/awsSettings/0/ebsEncryptionKey: expected a UUID, got \"key-1\""
    );
}

#[test]
fn lengths_are_bounded() {
    let e = one_error(&with(kafka(), "/name", json!("ab")), App::Kafka);
    assert_eq!(e, "/name: expected 3 to 48 characters, got 2 (\"ab\")");
    let long = "a".repeat(49);
    let e = one_error(&with(kafka(), "/name", json!(long)), App::Kafka);
    assert!(
        e.starts_with("/name: expected 3 to 48 characters, got 49"),
        "{e}"
    );
    let e = one_error(
        &with(
            kafka(),
            "/dataCentres/0/privateLink",
            json!([{"advertisedHostname": "ab"}]),
        ),
        App::Kafka,
    );
    assert!(e.contains("expected at least 3 characters, got 2"), "{e}");
}

#[test]
fn array_bounds_are_checked() {
    let two =
        json!([{"confirmationEmail": "a@example.com"}, {"confirmationEmail": "b@example.com"}]);
    let e = one_error(&with(cassandra(), "/twoFactorDelete", two), App::Cassandra);
    assert_eq!(e, "/twoFactorDelete: expected at most 1 item, got 2");
    let e = one_error(
        &with(cassandra(), "/dataCentres", json!([])),
        App::Cassandra,
    );
    assert_eq!(e, "/dataCentres: expected at least 1 item, got 0");
}

#[test]
fn cassandra_nodes_are_a_multiple_of_the_replication_factor() {
    let e = one_error(
        &with(cassandra(), "/dataCentres/0/numberOfNodes", json!(4)),
        App::Cassandra,
    );
    assert_eq!(
        e,
        "/dataCentres/0/numberOfNodes: expected a multiple of replicationFactor (3), got 4: nodes are spread evenly over the racks; use 3 or 6"
    );
    let ok = with(
        with(cassandra(), "/dataCentres/0/numberOfNodes", json!(6)),
        "/dataCentres/0/replicationFactor",
        json!(2),
    );
    assert_eq!(errors(&ok, App::Cassandra), Vec::<String>::new());
}

#[test]
fn kafka_brokers_are_a_multiple_of_the_default_replication_factor() {
    let e = one_error(
        &with(kafka(), "/dataCentres/0/numberOfNodes", json!(2)),
        App::Kafka,
    );
    assert_eq!(
        e,
        "/dataCentres/0/numberOfNodes: expected a multiple of /defaultReplicationFactor (3), got 2: brokers are spread evenly over the racks; use 3"
    );
}

#[test]
fn only_one_providers_settings() {
    let body = with(
        with(
            kafka(),
            "/dataCentres/0/awsSettings",
            json!([{"customVirtualNetworkId": "vpc-1"}]),
        ),
        "/dataCentres/0/gcpSettings",
        json!([{"customVirtualNetworkId": "net-1"}]),
    );
    let e = one_error(&body, App::Kafka);
    assert_eq!(
        e,
        "/dataCentres/0/gcpSettings: expected only one of awsSettings, gcpSettings, azureSettings, got awsSettings and gcpSettings"
    );
}

#[test]
fn kafka_has_exactly_one_data_centre() {
    let mut body = kafka();
    let mut second = body["dataCentres"][0].clone();
    second["name"] = json!("AWS_VPC_US_WEST_2");
    body["dataCentres"].as_array_mut().unwrap().push(second);
    let e = one_error(&body, App::Kafka);
    assert_eq!(e, "/dataCentres: expected exactly 1 item, got 2");
}

#[test]
fn data_centre_names_are_unique() {
    let mut body = cassandra();
    let mut second = body["dataCentres"][0].clone();
    second["network"] = json!("10.1.0.0/16");
    body["dataCentres"].as_array_mut().unwrap().push(second);
    let e = one_error(&body, App::Cassandra);
    assert_eq!(
        e,
        "/dataCentres/1/name: expected a name unique within the list, got \"AWS_VPC_US_EAST_1\", also used by /dataCentres/0"
    );
}

#[test]
fn networks_are_private_cidrs_of_12_to_22() {
    for (cidr, why) in [
        ("8.8.0.0/16", "not a private address block"),
        ("10.0.0.0/24", "the prefix /24 is outside /12 to /22"),
        ("10.0.0.0/11", "the prefix /11 is outside /12 to /22"),
        (
            "192.168.0.0/15",
            "a /15 is larger than its private block (/16)",
        ),
        ("10.0.0/16", "not an IPv4 CIDR"),
        ("10.0.0.0", "not a CIDR"),
    ] {
        let e = one_error(
            &with(kafka(), "/dataCentres/0/network", json!(cidr)),
            App::Kafka,
        );
        assert!(
            e.starts_with(&format!(
                "/dataCentres/0/network: expected a private IPv4 CIDR, /12 to /22, got \"{cidr}\": {why}"
            )),
            "{e}"
        );
    }
    for ok in ["10.0.0.0/12", "172.16.0.0/12", "192.168.4.0/22"] {
        assert!(
            errors(
                &with(kafka(), "/dataCentres/0/network", json!(ok)),
                App::Kafka
            )
            .is_empty()
        );
    }
}

#[test]
fn a_v1_key_names_its_v2_counterpart() {
    let body = with(without(kafka(), "/name"), "/clusterName", json!("events"));
    let e = errors(&body, App::Kafka);
    assert_eq!(
        e,
        [
            "/clusterName: unknown field \"clusterName\" (did you mean \"name\"? \"clusterName\" is the v1 name)",
            ": missing required field \"name\" (a letter or digit, then letters, digits, _ and -)",
        ]
    );
    let e = one_error(&with(kafka(), "/firewallRules", json!([])), App::Kafka);
    assert!(
        e.contains("firewall rules are separate v2 resources"),
        "{e}"
    );
    let e = one_error(
        &with(kafka(), "/dataCentres/0/dataCentre", json!("US_EAST_1")),
        App::Kafka,
    );
    assert!(e.contains("(did you mean \"region\"?"), "{e}");
    let e = one_error(&with(kafka(), "/kafkaVerison", json!("3.5.1")), App::Kafka);
    assert!(
        e.contains("unknown field \"kafkaVerison\" (did you mean \"kafkaVersion\"?)"),
        "{e}"
    );
}

#[test]
fn read_only_answer_fields_are_warnings() {
    let body = with(
        with(kafka(), "/id", json!("7e1c2f3a")),
        "/dataCentres/0/nodes",
        json!([]),
    );
    let all = validate(&body, Some(App::Kafka));
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.iter().all(|f| f.severity == Severity::Warning));
    // In document order: the added "id" comes after dataCentres.
    assert_eq!(all[0].pointer, "/dataCentres/0/nodes");
    assert_eq!(all[1].pointer, "/id");
    assert!(
        all[1]
            .message
            .contains("read-only field of the API's answers"),
        "{}",
        all[1].message
    );
}

#[test]
fn every_mistake_is_reported_at_once() {
    let mut body = cassandra();
    body["slaTier"] = json!("GOLD");
    body["dataCentres"][0]["numberOfNodes"] = json!(5);
    body["dataCentres"][0]["network"] = json!("10.0.0.0/28");
    body["luceneEnabled"] = json!(1);
    let e = errors(&body, App::Cassandra);
    let pointers: Vec<&str> = e.iter().map(|m| m.split(": ").next().unwrap()).collect();
    assert_eq!(
        pointers,
        [
            "/slaTier",
            "/luceneEnabled",
            "/dataCentres/0/network",
            "/dataCentres/0/numberOfNodes"
        ]
    );
}

#[test]
fn redis_and_zookeeper_need_their_required_fields() {
    let redis = json!({"name": "cache", "redisVersion": "7.0.14", "slaTier": "NON_PRODUCTION",
        "pciComplianceMode": false, "privateNetworkCluster": false, "clientToNodeEncryption": false,
        "dataCentres": [{"name": "dc", "cloudProvider": "AWS_VPC", "region": "US_EAST_1",
            "network": "10.2.0.0/16", "nodeSize": "r6g.large-100-r", "masterNodes": 3, "replicaNodes": 3}]});
    assert_eq!(errors(&redis, App::Redis), Vec::<String>::new());
    let e = one_error(&without(redis, "/dataCentres/0/masterNodes"), App::Redis);
    assert!(
        e.starts_with("/dataCentres/0: missing required field \"masterNodes\""),
        "{e}"
    );
    let zk = json!({"name": "coord", "zookeeperVersion": "3.8.2", "slaTier": "NON_PRODUCTION",
        "privateNetworkCluster": false,
        "dataCentres": [{"name": "dc", "cloudProvider": "GCP", "region": "us-central1",
            "network": "10.3.0.0/16", "nodeSize": "zk-production-n2-standard-2-10", "numberOfNodes": 3,
            "clientToServerEncryption": false}]});
    assert_eq!(errors(&zk, App::Zookeeper), Vec::<String>::new());
    let e = one_error(&without(zk, "/zookeeperVersion"), App::Zookeeper);
    assert!(
        e.starts_with(": missing required field \"zookeeperVersion\""),
        "{e}"
    );
}

#[test]
fn a_body_without_version_is_checked_as_what_it_looks_like() {
    let body = without(kafka(), "/kafkaVersion");
    let all = validate(&body, None);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0]
            .message
            .contains("this body looks like KafkaClusterV2: add kafkaVersion"),
        "{}",
        all[0].message
    );
}

#[test]
fn sensitive_values_never_reach_a_message() {
    let body = with(
        kafka(),
        "/restProxy",
        json!([{"version": "7.4.0", "integrateRestProxyWithSchemaRegistry": false, "schemaRegistryPassword": 271828}]),
    );
    let e = one_error(&body, App::Kafka);
    assert_eq!(
        e,
        "/restProxy/0/schemaRegistryPassword: expected a string, got <redacted>"
    );
}
