//! Instaclustr's current API (v2) through the binary: the shape detected or forced, classes, names and plans
//! from v2 bodies, every mistake of a bad body reported at once with its position, read-only answer fields
//! as warnings, and `--to-v2` from the v1 fixtures. (Exact round trips of the v2 fixtures: roundtrip.rs,
//! which reads every valid fixture.)
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{Value, json};

fn manifest(args: &[&str]) -> Value {
    let o = run(&[&["-o", "json"], args].concat(), None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "a valid v2 fixture gives no warning");
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn v2_bodies_give_class_plan_and_name_from_their_own_fields() {
    for (file, class, plan, name) in [
        (
            "v2-01-cassandra-minimal.json",
            "cassandra",
            "developer",
            "orders-cassandra",
        ),
        (
            "v2-02-cassandra-every-field.json",
            "cassandra",
            "production",
            "payments-prod",
        ),
        ("v2-03-kafka-minimal.json", "kafka", "developer", "events"),
        (
            "v2-04-kafka-every-field.json",
            "kafka",
            "production",
            "clickstream",
        ),
        ("v2-05-redis.json", "redis", "developer", "session-cache"),
        (
            "v2-06-zookeeper.json",
            "zookeeper",
            "developer",
            "coordination",
        ),
    ] {
        let m = manifest(&[&fixture(file)]);
        assert_eq!(
            m["spec"]["clusterServiceClassExternalName"], class,
            "{file}"
        );
        assert_eq!(m["spec"]["clusterServicePlanExternalName"], plan, "{file}");
        assert_eq!(m["metadata"]["name"], name, "{file}");
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(fixture(file)).unwrap()).unwrap();
        assert_eq!(m["spec"]["parameters"], want, "{file}: the body, unchanged");
    }
    // The class map's rows serve both shapes.
    let m = manifest(&[
        "--map-class",
        "APACHE_CASSANDRA=instaclustr-cassandra",
        &fixture("v2-01-cassandra-minimal.json"),
    ]);
    assert_eq!(
        m["spec"]["clusterServiceClassExternalName"],
        "instaclustr-cassandra"
    );
}

#[test]
fn every_mistake_of_a_v2_body_is_reported_at_once_with_its_position() {
    let err = fails(&run(&[&fixture("bad-v2-01-cassandra-mistakes.json")], None));
    let f = "bad-v2-01-cassandra-mistakes.json";
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    let expected = [
        ":2:3: /clusterName: unknown field \"clusterName\" (did you mean \"name\"? \"clusterName\" is the v1 name)",
        ":3:3: /cassandraVersion: expected a version N.N.N, got \"4.1\"",
        ":4:3: /slaTier: expected one of PRODUCTION, NON_PRODUCTION, got \"PRODUCTON\" (did you mean \"PRODUCTION\"?)",
        ":6:3: /privateNetworkCluster: expected a boolean, got the string \"false\"",
        ":14:7: /dataCentres/0/network: expected a private IPv4 CIDR, /12 to /22, got \"10.0.0.0/24\": the prefix /24 is outside /12 to /22",
        ":16:7: /dataCentres/0/numberOfNodes: expected a multiple of replicationFactor (3), got 4: nodes are spread evenly over the racks; use 3 or 6",
        ":1:1: missing required field \"name\" (a letter or digit, then letters, digits, _ and -)",
    ];
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (line, want) in lines.iter().zip(expected) {
        assert!(
            line.ends_with(&format!("{f}{want}")),
            "{line}\nwanted …{f}{want}"
        );
    }

    let err = fails(&run(
        &[&fixture("bad-v2-02-kafka-two-data-centres.json")],
        None,
    ));
    for want in [
        ":12:3: /dataCentres: expected exactly 1 item, got 2",
        ":21:7: /dataCentres/0/gcpSettings: expected only one of awsSettings, gcpSettings, azureSettings, got awsSettings and gcpSettings",
        ":24:7: /dataCentres/1/name: expected a name unique within the list, got \"east\", also used by /dataCentres/0",
    ] {
        assert!(err.contains(want), "{want} not in:\n{err}");
    }
}

#[test]
fn a_body_copied_from_a_get_answer_warns_and_strict_refuses_it() {
    let f = fixture("bad-v2-03-copied-from-a-get-answer.json");
    let o = run(&[&f], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let warnings: Vec<String> = stderr(&o).lines().map(str::to_string).collect();
    let pointers: Vec<&str> = warnings
        .iter()
        .map(|w| w.split(": ").nth(2).unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/id",
            "/status",
            "/currentClusterOperationStatus",
            "/dataCentres/0/id",
            "/dataCentres/0/status",
            "/dataCentres/0/nodes"
        ],
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("warning: ") && w.contains("copied from a GET answer"))
    );
    let err = fails(&run(&["--strict", &f], None));
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error: ")).count(),
        6,
        "{err}"
    );
}

#[test]
fn the_shape_can_be_forced_and_an_unclear_one_is_noted() {
    // A v2 body read as v1 fails on the v1 rules.
    let err = fails(&run(
        &["--api", "v1", &fixture("v2-03-kafka-minimal.json")],
        None,
    ));
    assert!(
        err.contains("missing required field \"clusterName\""),
        "{err}"
    );
    // A v2 body without its version field: by majority, with a note; checked as what it looks like.
    let mut body: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("v2-03-kafka-minimal.json")).unwrap(),
    )
    .unwrap();
    body.as_object_mut().unwrap().remove("kafkaVersion");
    let err = fails(&run(&["-"], Some(&body.to_string())));
    assert!(err.starts_with("note: <stdin>: read as a v2 body"), "{err}");
    assert!(err.contains("--api v1"), "{err}");
    assert!(
        err.contains("this body looks like KafkaClusterV2: add kafkaVersion"),
        "{err}"
    );
    // The same body with --api v2 says no note; --class lets it through once the version is back.
    let err = fails(&run(&["--api", "v2", "-"], Some(&body.to_string())));
    assert!(!err.contains("note:"), "{err}");
    let o = run(&["--api", "bogus", "-"], Some("{}"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn reverse_reads_a_v2_manifest_back() {
    let f = fixture("v2-04-kafka-every-field.json");
    let yaml = stdout(&run(&[&f], None));
    let o = run(&["--reverse", "-"], Some(&yaml));
    assert!(o.status.success(), "{}", stderr(&o));
    let back: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    assert_eq!(back, want);
}

#[test]
fn to_v2_upgrades_the_v1_fixtures_and_says_what_it_could_not_carry() {
    let o = run(
        &[
            "--to-v2",
            &fixture("02-cassandra-multi-dc-racks-firewall.json"),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let body: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(body["name"], "cassandra_multi_dc");
    assert_eq!(body["cassandraVersion"], "3.11.8");
    assert_eq!(body["passwordAndUserAuth"], true);
    let dcs = body["dataCentres"].as_array().unwrap();
    assert_eq!(dcs.len(), 2);
    assert_eq!(dcs[0]["region"], "US_WEST_1");
    assert_eq!(
        (
            dcs[0]["replicationFactor"].clone(),
            dcs[0]["numberOfNodes"].clone()
        ),
        (json!(2), json!(2))
    );
    assert_eq!(
        (
            dcs[1]["replicationFactor"].clone(),
            dcs[1]["numberOfNodes"].clone()
        ),
        (json!(3), json!(6))
    );
    assert_eq!(dcs[1]["continuousBackup"], true);
    let notes = stderr(&o);
    assert!(
        notes.contains(
            "firewallRules: 2 rule(s) not carried over: v2 firewall rules are separate resources"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("v1 node size \"t3.small-v2\" kept as is"),
        "{notes}"
    );
    assert!(notes.lines().all(|l| l.starts_with("note: ")), "{notes}");
    // The result is itself a valid v2 body: convert-json takes it with no warning.
    let o = run(
        &["-o", "json", "-"],
        Some(&stdout(&run(
            &[
                "--to-v2",
                &fixture("02-cassandra-multi-dc-racks-firewall.json"),
            ],
            None,
        ))),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    let o = run(
        &["--to-v2", &fixture("05-kafka-with-options-addons.json")],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let kafka: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(kafka["kafkaVersion"], "2.5.1");
    assert_eq!(kafka["defaultNumberOfPartitions"], 10);
    assert_eq!(kafka["defaultReplicationFactor"], 3);
    assert_eq!(kafka["allowDeleteTopics"], true);
    assert_eq!(kafka["schemaRegistry"], json!([{"version": "5.0.0"}]));
    assert_eq!(
        kafka["restProxy"],
        json!([{"version": "5.0.0", "integrateRestProxyWithSchemaRegistry": true}])
    );
    assert_eq!(kafka["dataCentres"][0]["numberOfNodes"], 3);
}

#[test]
fn to_v2_refuses_an_invalid_result_unless_told() {
    // A cluster name v1 allowed and v2 does not (under 3 characters).
    let v1 = r#"{"clusterName": "ab", "bundles": [{"bundle": "KAFKA", "version": "2.5.1"}], "provider": {"name": "AWS_VPC"},
        "nodeSize": "t3.small", "dataCentre": "US_EAST_1", "clusterNetwork": "10.0.0.0/16",
        "rackAllocation": {"numberOfRacks": 3, "nodesPerRack": 1}}"#;
    let err = fails(&run(&["--to-v2", "-"], Some(v1)));
    assert!(
        err.contains("error: <stdin>: v2 /name: expected 3 to 48 characters, got 2 (\"ab\")"),
        "{err}"
    );
    assert!(err.contains("pass --allow-invalid"), "{err}");
    let o = run(&["--to-v2", "--allow-invalid", "-"], Some(v1));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: <stdin>: v2 /name: expected 3 to 48 characters"),
        "{}",
        stderr(&o)
    );
    let body: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(body["name"], "ab");
    // A v2 body has nothing to upgrade.
    let err = fails(&run(
        &["--to-v2", &fixture("v2-01-cassandra-minimal.json")],
        None,
    ));
    assert!(err.contains("already a v2 body"), "{err}");
    // --allow-invalid belongs to --to-v2.
    let o = run(
        &["--allow-invalid", &fixture("v2-01-cassandra-minimal.json")],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}
