//! The binary's behaviour: manifests, flags, several files, errors (the four invalid fixtures, repeated
//! keys, truncation) with nothing on stdout and exit 1, warnings, the legacy body, --reverse, and the
//! dispatch through the real `kubectl` as `kubectl osb convert-json`.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::*;
use serde_json::{Value, json};

/// An error as the suite prints it: exit 1, nothing on stdout, `error: …` on stderr.
fn assert_fails(o: &std::process::Output) -> String {
    let err = fails(o);
    assert!(err.starts_with("error: "), "{err}");
    err
}

fn assert_starts(err: &str, prefix: &str) {
    assert!(err.starts_with(prefix), "{err}");
}

/// Convert fixture `name`, which must be refused: its path and the error.
fn refused(name: &str) -> (String, String) {
    let f = fixture(name);
    let err = assert_fails(&run(&[&f], None));
    (f, err)
}

#[test]
fn bad_01_trailing_comma_names_line_and_column() {
    let (f, err) = refused("bad-01-malformed-trailing-comma.json");
    // Line 18 is `    "nodesPerRack": 1,`: the comma is character 22; the `}` it precedes is at 19:3.
    assert_starts(&err, &format!("error: {f}:18:22: trailing comma"));
    assert!(err.contains("(line 19, column 3)"), "{err}");
    assert!(
        err.contains(" 18 |     \"nodesPerRack\": 1,\n    |                      ^"),
        "{err}"
    );
}

#[test]
fn bad_02_names_the_missing_field() {
    let (f, err) = refused("bad-02-missing-required-clustername.json");
    assert_eq!(
        err.lines().next().unwrap(),
        format!("error: {f}:1:1: missing required field \"clusterName\"")
    );
}

#[test]
fn bad_03_bundles_must_be_an_array() {
    let (f, err) = refused("bad-03-wrong-type-bundles-object.json");
    assert_starts(
        &err,
        &format!("error: {f}:3:3: /bundles: expected an array of bundles, got an object"),
    );
    assert!(err.contains(" 3 |   \"bundles\": {"), "{err}");
}

#[test]
fn bad_04_unknown_bundle_with_suggestion() {
    let (f, err) = refused("bad-04-unknown-bundle.json");
    assert_starts(
        &err,
        &format!(
            "error: {f}:5:7: /bundles/0/bundle: unknown bundle \"APACHE_CASANDRA\" (did you mean \"APACHE_CASSANDRA\"?)"
        ),
    );
}

#[test]
fn no_validate_skips_validation_but_not_syntax() {
    let o = run(
        &[
            "--no-validate",
            "--parameters-only",
            &fixture("bad-02-missing-required-clustername.json"),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("bundles:\n- bundle: APACHE_CASSANDRA\n"),
        "{}",
        stdout(&o)
    );
    assert_fails(&run(
        &[
            "--no-validate",
            &fixture("bad-01-malformed-trailing-comma.json"),
        ],
        None,
    ));
    // Without validation a manifest still needs a class: the unknown bundle cannot give one.
    let err = assert_fails(&run(
        &["--no-validate", &fixture("bad-04-unknown-bundle.json")],
        None,
    ));
    assert!(
        err.contains("cannot infer the service class from bundle \"APACHE_CASANDRA\""),
        "{err}"
    );
    let o = run(
        &[
            "--no-validate",
            "--class",
            "cassandra",
            &fixture("bad-04-unknown-bundle.json"),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

const DUP: &str = "{\n  \"clusterName\": \"dup\",\n  \"nodeSize\": \"t3.small\",\n  \"bundles\": [{\"bundle\": \"KAFKA\", \"version\": \"2.5.1\"}],\n  \"provider\": {\"name\": \"AWS_VPC\"},\n  \"dataCentre\": \"US_WEST_2\",\n  \"nodeSize\": \"r5.xlarge-800-gp2\"\n}\n";

#[test]
fn duplicate_keys_fail_naming_key_and_both_lines() {
    let err = assert_fails(&run(&["-"], Some(DUP)));
    assert!(err.starts_with("error: <stdin>:7:3: duplicate key \"nodeSize\" in one object: first at line 3, column 3, again at line 7, column 3"), "{err}");
    assert!(err.contains("--allow-duplicate-keys"), "{err}");

    let o = run(
        &["--allow-duplicate-keys", "--parameters-only", "-"],
        Some(DUP),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("warning: <stdin>:7:3: duplicate key \"nodeSize\" (line 3 and line 7): keeping the last value"), "{}", stderr(&o));
    let back: Value = osb::yaml::from_str(&stdout(&o)).unwrap();
    assert_eq!(back["nodeSize"], "r5.xlarge-800-gp2");
    // The key keeps the place of its first occurrence, as Python's json and jq do.
    assert_eq!(
        back.as_object().unwrap().keys().nth(1).map(String::as_str),
        Some("nodeSize")
    );
}

#[test]
fn truncated_input_says_so() {
    let full =
        std::fs::read_to_string(fixture("02-cassandra-multi-dc-racks-firewall.json")).unwrap();
    for cut in [full.len() / 3, full.len() / 2, full.len() - 3] {
        let err = assert_fails(&run(&["-"], Some(&full[..cut])));
        assert!(
            err.contains("unexpected end of input") && err.contains("the document is truncated"),
            "cut at {cut}: {err}"
        );
    }
    let err = assert_fails(&run(&["-"], Some("")));
    assert!(err.contains("empty input"), "{err}");
}

#[test]
fn one_failing_file_among_several_writes_nothing() {
    let err = assert_fails(&run(
        &[
            &fixture("01-cassandra-minimal.json"),
            &fixture("bad-04-unknown-bundle.json"),
            &fixture("bad-02-missing-required-clustername.json"),
        ],
        None,
    ));
    // Both bad files are reported, each as its own error line.
    assert!(
        err.contains("bad-04-unknown-bundle.json:5:7:")
            && err.contains("bad-02-missing-required-clustername.json:1:1:"),
        "{err}"
    );
}

#[test]
fn several_files_give_several_documents_or_a_list() {
    let a = fixture("01-cassandra-minimal.json");
    let b = fixture("05-kafka-with-options-addons.json");
    let o = run(&[&a, &b], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let docs: Vec<&str> = out.split("\n---\n").collect();
    assert_eq!(docs.len(), 2, "{out}");
    let second: Value = osb::yaml::from_str(docs[1]).unwrap();
    assert_eq!(second["metadata"]["name"], "anomalia-kafka");
    assert_eq!(second["spec"]["clusterServiceClassExternalName"], "kafka");

    let o = run(&["-o", "json", &a, &b], None);
    let list: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        list["items"][0]["spec"]["parameters"],
        serde_json::from_str::<Value>(&std::fs::read_to_string(&a).unwrap()).unwrap()
    );
}

#[test]
fn flags_set_name_namespace_class_and_plan() {
    let o = run(
        &[
            "-o",
            "json",
            "--name",
            "db",
            "-n",
            "dev",
            "--class",
            "my-cassandra",
            "--plan",
            "big",
            &fixture("03-cassandra-production-private-pci-riyoa.json"),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let m: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(m["metadata"], json!({"name": "db", "namespace": "dev"}));
    assert_eq!(m["spec"]["clusterServiceClassExternalName"], "my-cassandra");
    assert_eq!(m["spec"]["clusterServicePlanExternalName"], "big");
    // kubectl's JSON: four-space indent.
    assert!(
        stdout(&o).starts_with("{\n    \"apiVersion\": \"servicecatalog.k8s.io/v1beta1\",\n"),
        "{}",
        stdout(&o)
    );

    let o = run(
        &[
            "-o",
            "json",
            &fixture("03-cassandra-production-private-pci-riyoa.json"),
        ],
        None,
    );
    let m: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(m["metadata"], json!({"name": "payments-cassandra-prod"}));
    assert_eq!(m["spec"]["clusterServicePlanExternalName"], "production");

    let o = run(
        &[
            "-o",
            "json",
            "--map-class",
            "KAFKA=managed-kafka",
            &fixture("06-kafka-dedicated-zookeeper.json"),
        ],
        None,
    );
    let m: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        m["spec"]["clusterServiceClassExternalName"],
        "managed-kafka"
    );

    let err = assert_fails(&run(
        &["--name", "Bad_Name", &fixture("01-cassandra-minimal.json")],
        None,
    ));
    assert!(err.contains("invalid name \"Bad_Name\""), "{err}");
    let o = run(
        &[
            "--name",
            "x",
            &fixture("01-cassandra-minimal.json"),
            &fixture("05-kafka-with-options-addons.json"),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn classes_are_inferred_for_every_fixture() {
    let expected = [
        ("01", "cassandra"),
        ("02", "cassandra"),
        ("03", "cassandra"),
        ("04", "cassandra"),
        ("05", "kafka"),
        ("06", "kafka"),
        ("07", "kafka-connect"),
        ("08", "elasticsearch"),
        ("09", "opensearch"),
        ("10", "redis"),
        ("11", "postgresql"),
        ("12", "zookeeper"),
    ];
    let files = valid_fixtures();
    for (prefix, class) in expected {
        let f = files
            .iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let o = run(&["-o", "json", f.to_str().unwrap()], None);
        assert!(o.status.success(), "{prefix}: {}", stderr(&o));
        let m: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(
            m["spec"]["clusterServiceClassExternalName"], class,
            "{prefix}"
        );
    }
}

#[test]
fn warnings_go_to_stderr_and_strict_makes_them_errors() {
    let mut redis: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("10-redis.json")).unwrap()).unwrap();
    // The clean fixture gives no warning at all.
    let o = run(&[&fixture("10-redis.json")], None);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "");
    redis["rackAllocation"] = json!({"numberOfRacks": 3, "nodesPerRack": 1});
    let text = serde_json::to_string_pretty(&redis).unwrap();
    let o = run(&["-"], Some(&text));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("warning: <stdin>:"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("/rackAllocation: REDIS rejects rackAllocation"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).is_empty());
    let err = assert_fails(&run(&["--strict", "-"], Some(&text)));
    assert!(
        err.contains("/rackAllocation: REDIS rejects rackAllocation"),
        "{err}"
    );

    let spark = r#"{"clusterName": "s", "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4", "options": {"clientEncryption": true}},
        {"bundle": "SPARK", "version": "apache-spark:2.3.2"}], "provider": {"name": "AWS_VPC"}, "nodeSize": "t3.small", "dataCentre": "US_WEST_2"}"#;
    let o = run(&["-"], Some(spark));
    assert!(o.status.success());
    // Column 98 is the opening quote of the "clientEncryption" key on the first line (counted with python).
    assert!(stderr(&o).contains("<stdin>:1:98: /bundles/0/options/clientEncryption: Cassandra clientEncryption with a SPARK add-on"), "{}", stderr(&o));
}

#[test]
fn the_legacy_body_is_reported_as_such() {
    let legacy = r#"{"clusterName": "old_cluster", "provider": "AWS_VPC", "account": "acct", "version": "apache-cassandra-2.1.13",
        "size": "t2.small", "region": {"dataCentre": "US_WEST_2", "authnAuthz": "true", "clientEncryption": "false",
        "usePrivateBroadcastRPCAddress": "true", "defaultNetwork": "", "firewallRules": [],
        "rackAllocation": [{"name": "us-west-2a", "nodeCount": "2"}, {"name": "us-west-2b", "nodeCount": "2"}]}}"#;
    let o = run(&["-"], Some(legacy));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(
            "warning: <stdin>:1:1: this is the legacy (pre-\"extended\") v1 create body"
        ),
        "{}",
        stderr(&o)
    );
    let m: Value = osb::yaml::from_str(&stdout(&o)).unwrap();
    assert_eq!(m["spec"]["clusterServiceClassExternalName"], "cassandra");
    assert_eq!(
        m["spec"]["parameters"],
        serde_json::from_str::<Value>(legacy).unwrap()
    );
    let err = assert_fails(&run(&["--strict", "-"], Some(legacy)));
    assert!(err.contains("legacy"), "{err}");
}

#[test]
fn reverse_gives_the_provisioning_json_back() {
    for name in [
        "02-cassandra-multi-dc-racks-firewall.json",
        "07-kafka-connect-s3-custom-connectors.json",
    ] {
        let f = fixture(name);
        let want: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let manifest = stdout(&run(&[&f, "-n", "x"], None));
        let o = run(&["--reverse", "-"], Some(&manifest));
        assert!(o.status.success(), "{}", stderr(&o));
        let back: Value = serde_json::from_str(&stdout(&o)).unwrap();
        same_yaml12(&want, &back, "").unwrap_or_else(|e| panic!("{name}: {e}"));
        // And from a bare parameters document.
        let params = stdout(&run(&["--parameters-only", &f], None));
        let back: Value =
            serde_json::from_str(&stdout(&run(&["--reverse", "-"], Some(&params)))).unwrap();
        same_yaml12(&want, &back, "").unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let err = assert_fails(&run(
        &["--reverse", "-"],
        Some("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"),
    ));
    assert!(err.contains("not a ServiceInstance"), "{err}");
}

#[test]
fn missing_file_is_an_input_error() {
    let err = assert_fails(&run(&["/nonexistent/payload.json"], None));
    assert_eq!(
        err.trim_end(),
        "error: cannot read /nonexistent/payload.json: no such file or directory"
    );
}

/// `kubectl osb convert-json` through the real kubectl on PATH: kubectl finds `kubectl-osb-convert_json`
/// (a `-` in a subcommand is matched by `_` in the file name) and runs it, no cluster needed.
#[test]
fn runs_as_a_kubectl_plugin() {
    let kubectl = std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("kubectl"))
                .find(|k| k.is_file())
        })
        .expect("kubectl must be on PATH for the plugin-dispatch test");
    let dir = tempdir("plugin");
    std::os::unix::fs::symlink(bin(), dir.join("kubectl-osb-convert_json")).unwrap();
    let path = std::env::join_paths(
        std::iter::once(dir.clone())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let f = fixture("01-cassandra-minimal.json");
    let o = run_cmd(
        Command::new(&kubectl)
            .args(["osb", "convert-json", &f])
            .env("PATH", &path),
        None,
    );
    assert!(
        o.status.success(),
        "kubectl osb convert-json failed: {}",
        stderr(&o)
    );
    let direct = run(&[&f], None);
    assert_eq!(stdout(&o), stdout(&direct));
    assert!(stdout(&o).contains("kind: ServiceInstance"));
    // Errors keep their exit code and stay off stdout through kubectl too.
    let o = run_cmd(
        Command::new(&kubectl)
            .args([
                "osb",
                "convert-json",
                &fixture("bad-04-unknown-bundle.json"),
            ])
            .env("PATH", &path),
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("did you mean \"APACHE_CASSANDRA\""),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
