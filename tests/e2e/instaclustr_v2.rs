//! Instaclustr's current create bodies (Cluster Management API v2) on the real controller (issue 21): a v2
//! body from a file provisions, binds and deprovisions through our broker like a v1 body; its mistakes are
//! refused before anything is created, by `--from-instaclustr` (the v2 rules) and by the plan's schema
//! (`oneOf` v2 | v1, the form the parameters are meant for reported), and by the broker itself when the
//! client checks are skipped; `catalog --plan` shows the v2 parameters beside the v1 ones.

use std::path::PathBuf;

use serde_json::{Value, json};
use testkit::{Run, env, setup};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../plugins/convert-json/tests/fixtures"
);

/// A v2 fixture of convert-json.
fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `body` written to a file of its own (under the cluster's private directory).
fn write_body(ns: &str, name: &str, body: &Value) -> PathBuf {
    let dir = env().cp.dir.join("instaclustr-v2");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{ns}-{name}.json"));
    std::fs::write(&p, serde_json::to_string_pretty(body).unwrap()).unwrap();
    p
}

/// A schema refusal: exit 1, the closing words, and these lines.
#[track_caller]
fn refused_by_schema(run: Run, lines: &[&str]) -> Run {
    let mut run = run
        .code(1)
        .stderr_has("error: the parameters do not match the provision schema of plan cassandra/developer (instanceCreateParameterSchema):")
        .stderr_has("Nothing was created.")
        .never_shows("matches none of the forms");
    for l in lines {
        run = run.stderr_has(l);
    }
    run
}

#[test]
fn a_v2_cassandra_body_provisions_binds_and_deprovisions_through_the_real_controller() {
    let (env, ns) = setup("ic-v2");
    // The fixture with a data-centre name of its own, so that the binding's datacenter says where it came from.
    let mut body = fixture("v2-01-cassandra-minimal.json");
    body["dataCentres"][0]["name"] = json!("orders-east");
    let file = write_body(&ns, "cluster", &body);
    let run = env
        .provision(&ns, "orders")
        .from_instaclustr(&file)
        .timeout("180s")
        .wait();
    assert_eq!(
        run.stdout,
        "serviceinstance.servicecatalog.k8s.io/orders created\nserviceinstance.servicecatalog.k8s.io/orders condition met\n",
        "{run:?}"
    );
    let si = env.json("serviceinstance", &ns, "orders");
    assert_eq!(si["spec"]["clusterServiceClassExternalName"], "cassandra");
    assert_eq!(
        si["spec"]["clusterServicePlanExternalName"], "developer",
        "slaTier NON_PRODUCTION"
    );
    assert_eq!(si["spec"]["parameters"], body, "the v2 body, unchanged");
    // The broker received the v2 body, counted its nodes, and took it as one provision.
    let held = env
        .broker_instance(&ns, "orders")
        .expect("provisioned at the broker");
    assert_eq!(held["id"], si["spec"]["externalID"]);
    assert_eq!(held["parameters"], body);
    assert_eq!(
        (&held["service_name"], &held["plan_name"], &held["state"]),
        (&json!("cassandra"), &json!("developer"), &json!("ready"))
    );
    assert_eq!(
        held["last_operation"]["description"],
        "Cluster RUNNING: 3 of 3 nodes running"
    );
    let provisions: Vec<u64> = env
        .broker_requests_in(&ns)
        .iter()
        .filter(|r| r["method"] == "PUT" && r["binding_id"].is_null())
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(provisions, [202], "one accepted provision");

    // Bind: Instaclustr-style credentials, the datacenter from the body.
    env.bind(&ns, "app")
        .instance("orders")
        .timeout("120s")
        .wait()
        .stdout_has("servicebinding.servicecatalog.k8s.io/app condition met");
    let secret = env.secret_data(&ns, "app");
    // Exactly the keys our broker writes for a Cassandra cluster, whichever body shape created it.
    let keys: Vec<&str> = secret.keys().map(String::as_str).collect();
    assert_eq!(keys, testkit::broker::credentials::keys("cassandra"));
    assert_eq!(secret["datacenter"], "orders-east");
    assert_eq!(secret["port"], "9042");
    assert_eq!(secret["host"], "10.224.0.11");
    let held = env.broker_instance(&ns, "orders").unwrap();
    assert_eq!(
        held["bindings"][0]["credentials"]["password"],
        secret["password"]
    );

    // And away again: nothing left for the shared controller.
    env.unbind(&ns, "app")
        .timeout("120s")
        .wait()
        .stdout_has("servicebinding.servicecatalog.k8s.io/app deleted");
    env.deprovision(&ns, "orders")
        .timeout("120s")
        .wait()
        .stdout_has("serviceinstance.servicecatalog.k8s.io/orders deleted");
    assert!(env.names("servicebindings", &ns).is_empty());
    assert!(env.names("serviceinstances", &ns).is_empty());
    let held = env.broker_instance(&ns, "orders").unwrap();
    assert_eq!(
        (&held["state"], &held["bindings"]),
        (&json!("gone"), &json!([])),
        "the broker unbound and deprovisioned it"
    );
}

#[test]
fn a_v2_body_with_mistakes_is_refused_by_from_instaclustr_before_anything_is_created() {
    let (env, ns) = setup("ic-v2-bad");
    let mut body = fixture("v2-01-cassandra-minimal.json");
    body["dataCentres"][0]["numberOfNodes"] = json!(4);
    body["clusterName"] = json!("orders_cassandra");
    let file = write_body(&ns, "bad", &body);
    let path = file.to_str().unwrap();
    let run = env
        .provision(&ns, "orders")
        .from_instaclustr(&file)
        .expect_code(1)
        .wait()
    .stderr_has("error: the Instaclustr payload is not valid:\n")
    .stderr_has(&format!(
        "  {path}: /dataCentres/0/numberOfNodes: expected a multiple of replicationFactor (3), got 4: "
    ))
    .stderr_has(&format!(
        "  {path}: /clusterName: unknown field \"clusterName\" (did you mean \"name\"? \"clusterName\" is the v1 name)"
    ));
    assert_eq!(
        run.stderr.matches(&format!("  {path}: /")).count(),
        2,
        "the two mistakes, each once: {run:?}"
    );
    env.assert_untouched(&ns);
}

#[test]
fn v2_parameters_with_a_schema_violation_are_refused_as_the_v2_form() {
    let (env, ns) = setup("ic-v2-schema");
    // `kubectl osb provision orders --class cassandra --plan developer …`, refused before anything is written.
    let orders = || env.cassandra(&ns, "orders").expect_code(1);
    let dc = r#"dataCentres:=[{"name": "east", "cloudProvider": "AWS_VPC", "region": "US_EAST_1",
        "network": "10.0.0.0/24", "nodeSize": "CAS-DEV-t4g.small-5", "numberOfNodes": 3,
        "replicationFactor": 3, "continuousBackup": false, "clientToClusterEncryption": false,
        "privateIpBroadcastForDiscovery": false}]"#;
    let run = refused_by_schema(
        orders()
            .param("name", "ab")
            .param("cassandraVersion", "4.1.3")
            .param("slaTier", "PRODUCTON")
            .json_param("pciComplianceMode", false)
            .json_param("privateNetworkCluster", false)
            .json_param("luceneEnabled", false)
            .param("passwordAndUserAuth", "maybe")
            .arg("-p")
            .arg(dc)
            .run(),
        &[
            "  (checked as \"Instaclustr v2 create body (CassandraClusterV2)\": form 1 of 2 of the schema's oneOf, the one these parameters are closest to)\n",
            "  /name: expected at least 3 characters, got the string \"ab\"\n",
            "  /slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)\n",
            "  /passwordAndUserAuth: expected boolean, got the string \"maybe\"\n",
            "  /dataCentres/0/network: expected a string matching ^(10\\.",
        ],
    );
    assert_eq!(
        run.stderr.matches("\n  /").count(),
        4,
        "those four, nothing of the v1 form: {run:?}"
    );
    // A v1 key in v2 parameters: the v2 form's closed object names it.
    refused_by_schema(
        orders()
            .param("name", "orders")
            .param("cassandraVersion", "4.1.3")
            .param("nodeSize", "t3.small")
            .run(),
        &[
            "  (checked as \"Instaclustr v2 create body (CassandraClusterV2)\"",
            "  /nodeSize: unknown property \"nodeSize\"; allowed: ",
            "  (parameters): missing required property \"dataCentres\"\n",
        ],
    );
    // Another application's body on this class: the v2 form (its version field excludes v1) refuses it.
    let kafka = format!("{FIXTURES}/v2-03-kafka-minimal.json");
    refused_by_schema(
        orders().from_instaclustr(&kafka).run(),
        &["  /kafkaVersion: unknown property \"kafkaVersion\"; allowed: "],
    );
    // The v1 form's messages are those of the v1 schema alone.
    refused_by_schema(
        orders().param("slaTier", "PRODUCTON").run(),
        &[
            "  (checked as \"Instaclustr v1 create body (clusterName, bundles, provider, …)\": form 2 of 2 of the schema's oneOf,",
            "  /slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)\n",
        ],
    );
    env.assert_untouched(&ns);
}

#[test]
fn the_broker_refuses_a_v2_body_the_client_did_not_check_as_instaclustr_would() {
    let (env, ns) = setup("ic-v2-broker");
    let mut body = fixture("v2-01-cassandra-minimal.json");
    body["dataCentres"][0]["numberOfNodes"] = json!(4);
    body["name"] = json!("ab");
    let file = write_body(&ns, "bad", &body);
    let kafka = format!("{FIXTURES}/v2-03-kafka-minimal.json");
    for (name, file) in [("bad", file.to_str().unwrap()), ("kafka", kafka.as_str())] {
        let run = env
            .cassandra(&ns, name)
            .args(["--params-file", file, "--skip-schema-check"])
            .timeout("120s")
            .expect_code(3)
            .wait();
        // 400 from the broker: the controller gives up at once (Failed=True), nothing is created there.
        let mut run = run.stderr_has(&format!(
            "serviceinstance.servicecatalog.k8s.io/{name} failed: ClusterServiceBrokerReturnedFailure"
        ));
        // (The controller sends the parameters with their keys sorted: the problems come in that order.)
        let said: &[&str] = if name == "bad" {
            &[
                "Status: 400; ErrorMessage: BadRequest; Description: The cluster request was rejected: the CassandraClusterV2 body is not valid (2 problems): /",
                " /name: expected 3 to 48 characters, got 2 (\"ab\")",
                " /dataCentres/0/numberOfNodes: expected a multiple of replicationFactor (3), got 4: ",
            ]
        } else {
            &[
                "Status: 400; ErrorMessage: BadRequest; Description: The cluster request was rejected: the parameters are a v2 KafkaClusterV2 body \
                 (kafkaVersion is set), but class \"cassandra\" takes CassandraClusterV2 bodies (with cassandraVersion); use class kafka",
            ]
        };
        for s in said {
            run = run.stderr_has(s);
        }
        assert!(
            env.broker_instance(&ns, name).is_none(),
            "nothing created at the broker"
        );
    }
    for name in ["bad", "kafka"] {
        env.deprovision(&ns, name)
            .timeout("120s")
            .wait()
            .stdout_has(&format!(
                "serviceinstance.servicecatalog.k8s.io/{name} deleted"
            ));
    }
    assert!(env.names("serviceinstances", &ns).is_empty());
}

#[test]
fn catalog_lists_a_plan_s_v2_parameters_beside_its_v1_parameters() {
    let (env, ns) = setup("ic-v2-cat");
    let out = env
        .verb(
            &ns,
            ["catalog", "--class", "cassandra", "--plan", "developer"],
        )
        .run()
        .stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "PROVISION PARAMETERS (instanceCreateParameterSchema, Draft4): 2 forms (oneOf); the parameters must match exactly one of them",
        "{out}"
    );
    let at = |header: &str| -> usize {
        lines
            .iter()
            .position(|l| l.starts_with(header))
            .unwrap_or_else(|| panic!("no {header:?} in {out}"))
    };
    let v2 = at("Form 1 of 2 (oneOf): Instaclustr v2 create body (CassandraClusterV2)");
    let v1 = at("Form 2 of 2 (oneOf): Instaclustr v1 create body");
    let update = at("UPDATE PARAMETERS (instanceUpdateParameterSchema, Draft4): 2 forms (oneOf)");
    assert!(v2 < v1 && v1 < update, "{out}");
    let row = |from: usize, to: usize, name: &str| -> Vec<String> {
        lines[from..to]
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row {name} in {out}"))
            .split("   ")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect()
    };
    for name in [
        "name",
        "cassandraVersion",
        "slaTier",
        "pciComplianceMode",
        "dataCentres",
        "dataCentres[].cloudProvider",
        "dataCentres[].network",
        "dataCentres[].replicationFactor",
    ] {
        assert_eq!(row(v2, v1, name)[2], "yes", "{name} is required in v2");
    }
    let nodes = row(v2, v1, "dataCentres[].numberOfNodes");
    assert_eq!(
        (nodes[1].as_str(), nodes[2].as_str(), nodes[3].as_str()),
        ("integer", "yes", "3"),
        "the plan's node count as its default: {nodes:?}"
    );
    assert_eq!(row(v2, v1, "slaTier")[3], "\"NON_PRODUCTION\"");
    assert_eq!(
        row(v2, v1, "dataCentres[].cloudProvider").last().unwrap(),
        "AWS_VPC, GCP, AZURE, AZURE_AZ, ONPREMISES"
    );
    assert!(row(v2, v1, "x-test")[1] == "object", "the broker's own key");
    // The v1 form as before.
    assert_eq!(row(v1, update, "provider.name")[2], "yes");
    assert_eq!(row(v1, update, "slaTier")[2], "no");
    assert_eq!(
        lines[v1 - 2],
        "Other parameters: refused (additionalProperties: false)",
        "under the v2 form: {out}"
    );
    assert_eq!(
        lines[update - 2],
        "Other parameters: accepted",
        "under the v1 form"
    );
}
