//! Parameters checked against the plan's JSON Schema before anything is created (issue 14), on the real
//! controller: the upstream test-broker's `test-service-with-schemas` (draft-04, string parameters) and
//! our broker's Instaclustr plans (schemas built from the payload validator's lists). Every refusal is
//! exit 1 with the JSON pointer, the expected and the given value; nothing reaches the API server or the
//! broker (`kubectl get`, the broker's request log).

use serde_json::json;
use testkit::{Osb, Run, env, setup};

/// A refusal: exit 1, the violation lines, and the closing words.
#[track_caller]
fn refused(cmd: Osb, nothing: &str, lines: &[&str]) -> Run {
    let mut run = cmd
        .expect_code(1)
        .run()
        .stderr_has("error: the parameters do not match the ")
        .stderr_has(&format!("Nothing was {nothing}."))
        .stderr_has("--skip-schema-check");
    for l in lines {
        run = run.stderr_has(l);
    }
    run
}

/// The upstream test-broker's class with parameter schemas (draft-04, string parameters).
const SCHEMAS: &str = "test-service-with-schemas";

#[test]
fn the_upstream_test_broker_s_schema_refuses_a_wrong_type_for_provision_update_and_bind() {
    let (env, ns) = setup("schema-up");
    let s = || env.provision(&ns, "s").class(SCHEMAS).plan("default");

    // The issue's own example: param-1 is a string in the plan's schema.
    refused(
        s().json_param("param-1", 5),
        "created",
        &[
            "the provision schema of plan test-service-with-schemas/default (instanceCreateParameterSchema)",
            "  /param-1: expected string, got the number 5",
        ],
    );
    refused(
        s().json_param("param-2", true).arg("--dry-run=client"),
        "created",
        &["  /param-2: expected string, got true"],
    );
    assert!(
        env.names("serviceinstances", &ns).is_empty(),
        "nothing created"
    );

    // Strings pass; the opt-out sends what the schema refuses.
    s().param("param-1", "hello")
        .param("param-2", "\"5\"")
        .timeout("120s")
        .wait()
        .stdout_has("serviceinstance.servicecatalog.k8s.io/s created");
    let si = env.json("serviceinstance", &ns, "s");
    assert_eq!(
        si["spec"]["parameters"]["param-2"], "5",
        "quoted on the command line: a string"
    );

    // --update checks the update schema; nothing changes.
    refused(
        s().json_param("param-1", json!([1])).arg("--update"),
        "changed",
        &[
            "the update schema of plan test-service-with-schemas/default (instanceUpdateParameterSchema)",
            "  /param-1: expected string, got an array",
        ],
    );
    let after = env.json("serviceinstance", &ns, "s");
    assert_eq!(after["spec"]["parameters"], si["spec"]["parameters"]);
    assert_eq!(
        after["metadata"]["generation"],
        si["metadata"]["generation"]
    );

    // Bind parameters against the binding schema.
    refused(
        env.bind(&ns, "b")
            .instance("s")
            .json_param("param-2", json!({"x": 1})),
        "created",
        &[
            "the bind schema of plan test-service-with-schemas/default (serviceBindingCreateParameterSchema)",
            "  /param-2: expected string, got an object",
        ],
    );
    assert!(
        env.names("servicebindings", &ns).is_empty(),
        "no binding created"
    );
    env.bind(&ns, "b")
        .instance("s")
        .param("param-1", "x")
        .timeout("120s")
        .wait();

    // The opt-out, for a schema that is wrong.
    env.provision(&ns, "s2")
        .class("test-service-with-schemas")
        .plan("default")
        .json_param("param-1", 5)
        .arg("--skip-schema-check")
        .run()
        .stdout_has("serviceinstance.servicecatalog.k8s.io/s2 created");

    // A plan without a schema: a note, and the parameters go as they are.
    env.provision(&ns, "plain")
        .class("test-service")
        .json_param("anything", 5)
        .run()
        .stderr_has("note: plan test-service/default publishes no provision parameter schema");
}

#[test]
fn our_broker_s_plans_refuse_each_kind_of_violation_before_any_request() {
    let (env, ns) = setup("schema-ic");
    let db = || env.cassandra(&ns, "db");
    // Wrong type.
    refused(
        db().json_param(
            "bundles",
            json!({"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}),
        )
        .json_param("nodeSize", 3),
        "created",
        &[
            "  /bundles: expected array, got an object",
            "  /nodeSize: expected string, got the number 3",
        ],
    );
    // An unknown property where the schema forbids others, with "did you mean".
    refused(
        db().param("provider.nmae", "AWS_VPC"),
        "created",
        &[
            // The API server stores the schema with its keys sorted.
            "  /provider/nmae: unknown property \"nmae\" (did you mean \"name\"?); allowed: accountName, customVirtualNetworkId, diskEncryptionKey, name,",
            "  /provider: missing required property \"name\"",
        ],
    );
    // Missing required.
    refused(
        db().param("rackAllocation.numberOfRacks", 3),
        "created",
        &["  /rackAllocation: missing required property \"nodesPerRack\""],
    );
    // Enum violations.
    refused(
        db().param("slaTier", "PRODUCTON")
            .param("provider.name", "aws"),
        "created",
        &[
            "  /slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)",
            "  /provider/name: expected one of \"AWS_VPC\", \"AZURE\", \"AZURE_AZ\", \"GCP\", \"SOFTLAYER_BARE_METAL\", got the string \"aws\"",
        ],
    );
    // An Instaclustr payload the validator accepts, on a class whose plan allows other bundles.
    let kafka = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../plugins/convert-json/tests/fixtures/05-kafka-with-options-addons.json"
    );
    refused(
        db().from_instaclustr(kafka),
        "created",
        &[
            "  /bundles/0/bundle: expected one of \"APACHE_CASSANDRA\", \"SPARK\", \"ZEPPELIN\", got the string \"KAFKA\"",
        ],
    );
    // Values from a Secret are checked (merged as the controller merges them) but never shown.
    env.secret(
        &ns,
        "tier",
        "parameters",
        "{\"slaTier\": \"hunter2-PRODUCTION\"}",
    );
    refused(
        db().args(["--params-from-secret", "tier"]),
        "created",
        &["  /slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got <redacted> (from a secret)"],
    )
    .never_shows("hunter2");

    env.assert_untouched(&ns);

    // Valid parameters pass, and reach the broker.
    db().param("slaTier", "NON_PRODUCTION")
        .param("provider.name", "AWS_VPC")
        .param("rackAllocation.numberOfRacks", 3)
        .param("rackAllocation.nodesPerRack", 1)
        .wait();
    let provisions = env
        .broker_requests_in(&ns)
        .iter()
        .filter(|r| r["method"] == "PUT" && r["binding_id"].is_null())
        .count();
    assert_eq!(provisions, 1, "one provision request");

    // --update goes through the update schema; no PATCH reaches the broker.
    refused(
        db().json_param("nodeSize", 5).arg("--update"),
        "changed",
        &[
            "the update schema of plan cassandra/developer",
            "  /nodeSize: expected string, got the number 5",
        ],
    );

    // Bind: the binding schema is closed.
    let app = || env.bind(&ns, "app").instance("db");
    refused(
        app().param("rol", "ro"),
        "created",
        &[
            "  /rol: unknown property \"rol\" (did you mean \"role\"?); allowed: role, username, x-test",
        ],
    );
    refused(
        app().param("role", "admin").json_param("username", 7),
        "created",
        &[
            "  /role: expected one of \"ro\", \"rw\", got the string \"admin\"",
            "  /username: expected string, got the number 7",
        ],
    );
    assert!(
        env.names("servicebindings", &ns).is_empty(),
        "no binding created"
    );
    let sent: Vec<String> = env
        .broker_requests_in(&ns)
        .iter()
        .filter(|r| r["method"] != "GET")
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap_or_default(),
                r["binding_id"].is_string()
            )
        })
        .collect();
    assert_eq!(
        sent,
        ["PUT false"],
        "only the provision: no update, no bind"
    );
    app()
        .param("role", "ro")
        .param("username", "reporting")
        .timeout("120s")
        .wait();
}

#[test]
fn catalog_shows_a_plan_s_parameters_and_its_raw_schemas() {
    let (env, ns) = setup("schema-cat");
    let table = env
        .osb(
            &ns,
            &["catalog", "--class", "cassandra", "--plan", "developer"],
        )
        .ok();
    let out = &table.stdout;
    // Our plans take a v2 or a v1 body (oneOf): one table per form, each under its title
    // (tests/e2e/instaclustr_v2.rs looks at the v2 form); the v1 form's rows are as they were.
    assert!(
        out.starts_with(
            "PROVISION PARAMETERS (instanceCreateParameterSchema, Draft4): 2 forms (oneOf); "
        ),
        "{out}"
    );
    let v1 = out
        .find("\nForm 2 of 2 (oneOf): Instaclustr v1 create body")
        .unwrap_or_else(|| panic!("no v1 form: {out}"));
    let v1 = &out[v1 + 1..];
    for header in [
        "NAME",
        "TYPE",
        "REQUIRED",
        "DEFAULT",
        "DESCRIPTION",
        "ALLOWED",
    ] {
        assert!(v1.lines().nth(1).unwrap().contains(header), "{out}");
    }
    let row = |name: &str| -> Vec<String> {
        v1.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row {name}: {out}"))
            .split("   ")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let sla = row("slaTier");
    assert_eq!(sla[1], "string");
    assert_eq!(sla[2], "no");
    assert_eq!(sla[3], "\"NON_PRODUCTION\"");
    assert_eq!(sla.last().unwrap(), "PRODUCTION, NON_PRODUCTION");
    let name = row("provider.name");
    assert_eq!(name[2], "yes");
    assert!(
        out.contains(
            "\nUPDATE PARAMETERS (instanceUpdateParameterSchema, Draft4): 2 forms (oneOf); "
        ),
        "{out}"
    );
    assert!(
        out.contains("\nBIND PARAMETERS (serviceBindingCreateParameterSchema, Draft4):\n"),
        "{out}"
    );
    assert!(
        out.contains("Other parameters: refused (additionalProperties: false)"),
        "{out}"
    );

    let raw = env
        .osb(
            &ns,
            &[
                "catalog",
                "--class",
                "test-service-with-schemas",
                "--plan",
                "default",
                "-o",
                "json",
            ],
        )
        .ok()
        .json();
    let keys: Vec<&String> = raw.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "instanceCreateParameterSchema",
            "instanceUpdateParameterSchema",
            "serviceBindingCreateParameterSchema"
        ]
    );
    assert_eq!(
        raw["instanceCreateParameterSchema"]["properties"]["param-1"]["type"],
        "string"
    );
    env.osb(
        &ns,
        &[
            "catalog",
            "--class",
            "test-service-with-schemas",
            "--plan",
            "default",
            "-o",
            "yaml",
        ],
    )
    .ok()
    .stdout_has(
        "instanceCreateParameterSchema:\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\"\n",
    );
    env.osb(
        &ns,
        &["catalog", "--class", "test-service", "--plan", "default"],
    )
    .ok()
    .stderr_has("plan test-service/default publishes no parameter schemas");
    env.osb(&ns, &["catalog", "--plan", "default"]).code(2);
}

#[test]
fn completion_offers_the_plan_s_parameter_names() {
    // kubectl (>= 1.26) runs `kubectl_complete-osb WORDS… CURRENT`, which install.sh links to kubectl-osb.
    let dir = std::env::temp_dir().join(format!("osb-complete-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let helper = dir.join("kubectl_complete-osb");
    if !helper.exists() {
        std::os::unix::fs::symlink(testkit::target_dir().join("kubectl-osb"), &helper).unwrap();
    }
    let complete = |words: &[&str]| -> Vec<String> {
        let mut cmd = std::process::Command::new(&helper);
        cmd.args(words).env("KUBECONFIG", &env().cp.kubeconfig);
        testkit::run(&mut cmd, None)
            .ok()
            .stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect()
    };
    let plan = env().cassandra("", "db").no_namespace().words();
    let at = |extra: &[&str]| {
        let mut v: Vec<&str> = plan.iter().map(String::as_str).collect();
        v.extend_from_slice(extra);
        complete(&v)
    };
    assert_eq!(
        at(&["-p", "sla"]),
        ["slaTier=", ":6"],
        "name=, no space after it"
    );
    assert_eq!(
        at(&["-p", "slaTier="]),
        ["slaTier=PRODUCTION", "slaTier=NON_PRODUCTION", ":4"]
    );
    assert!(at(&["-p", "provider."]).contains(&"provider.name=".to_string()));
    assert!(at(&["-p", ""]).contains(&"bundles:=".to_string()));
    // bind: the binding schema of the instance's plan (the instance need not exist for nothing to break).
    assert_eq!(
        complete(&["bind", "app", "--instance", "no-such", "-p", ""]),
        [":4"]
    );
    std::fs::remove_dir_all(&dir).ok();
}
