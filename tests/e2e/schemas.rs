//! Parameters checked against the plan's JSON Schema before anything is created (issue 14), on the real
//! controller: the upstream test-broker's `test-service-with-schemas` (draft-04, string parameters) and
//! our broker's Instaclustr plans (schemas built from the payload validator's lists). Every refusal is
//! exit 1 with the JSON pointer, the expected and the given value; nothing reaches the API server or the
//! broker (`kubectl get`, the broker's request log).

use serde_json::Value;
use testkit::{Run, env};

fn osb(ns: &str, args: &[&str]) -> Run {
    let mut a = vec!["osb"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["-n", ns]);
    env().kubectl(&a)
}

/// `kubectl get KIND -n NS -o name`.
fn names(kind: &str, ns: &str) -> Vec<String> {
    env()
        .kubectl(&["get", kind, "-n", ns, "-o", "name"])
        .ok()
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

/// The requests our broker received for instances of namespace `ns`.
fn broker_requests_of(ns: &str) -> Vec<Value> {
    env()
        .broker_requests()
        .into_iter()
        .filter(|r| r["namespace"] == ns)
        .collect()
}

/// A refusal: exit 1, the violation lines, and the closing words.
#[track_caller]
fn refused(run: Run, nothing: &str, lines: &[&str]) -> Run {
    let mut run = run
        .code(1)
        .stderr_has("error: the parameters do not match the ")
        .stderr_has(&format!("Nothing was {nothing}."))
        .stderr_has("--skip-schema-check");
    for l in lines {
        run = run.stderr_has(l);
    }
    run
}

#[test]
fn the_upstream_test_broker_s_schema_refuses_a_wrong_type_for_provision_update_and_bind() {
    let ns = env().namespace("schema-up");
    let class = ["--class", "test-service-with-schemas", "--plan", "default"];
    let base: Vec<&str> = [&["provision", "s"][..], &class[..]].concat();
    let with = |extra: &[&'static str]| [&base[..], extra].concat();

    // The issue's own example: param-1 is a string in the plan's schema.
    refused(
        osb(&ns, &with(&["-p", "param-1:=5"])),
        "created",
        &[
            "the provision schema of plan test-service-with-schemas/default (instanceCreateParameterSchema)",
            "  /param-1: expected string, got the number 5",
        ],
    );
    refused(
        osb(&ns, &with(&["-p", "param-2:=true", "--dry-run=client"])),
        "created",
        &["  /param-2: expected string, got true"],
    );
    assert!(names("serviceinstances", &ns).is_empty(), "nothing created");

    // Strings pass; the opt-out sends what the schema refuses.
    osb(
        &ns,
        &with(&[
            "-p",
            "param-1=hello",
            "-p",
            "param-2=\"5\"",
            "--wait",
            "--timeout=120s",
        ]),
    )
    .ok()
    .stdout_has("serviceinstance.servicecatalog.k8s.io/s created");
    let si = env()
        .kubectl(&["get", "serviceinstance", "s", "-n", &ns, "-o", "json"])
        .ok()
        .json();
    assert_eq!(
        si["spec"]["parameters"]["param-2"], "5",
        "quoted on the command line: a string"
    );

    // --update checks the update schema; nothing changes.
    refused(
        osb(&ns, &with(&["-p", "param-1:=[1]", "--update"])),
        "changed",
        &[
            "the update schema of plan test-service-with-schemas/default (instanceUpdateParameterSchema)",
            "  /param-1: expected string, got an array",
        ],
    );
    let after = env()
        .kubectl(&["get", "serviceinstance", "s", "-n", &ns, "-o", "json"])
        .ok()
        .json();
    assert_eq!(after["spec"]["parameters"], si["spec"]["parameters"]);
    assert_eq!(
        after["metadata"]["generation"],
        si["metadata"]["generation"]
    );

    // Bind parameters against the binding schema.
    refused(
        osb(
            &ns,
            &["bind", "b", "--instance", "s", "-p", "param-2:={\"x\":1}"],
        ),
        "created",
        &[
            "the bind schema of plan test-service-with-schemas/default (serviceBindingCreateParameterSchema)",
            "  /param-2: expected string, got an object",
        ],
    );
    assert!(
        names("servicebindings", &ns).is_empty(),
        "no binding created"
    );
    osb(
        &ns,
        &[
            "bind",
            "b",
            "--instance",
            "s",
            "-p",
            "param-1=x",
            "--wait",
            "--timeout=120s",
        ],
    )
    .ok();

    // The opt-out, for a schema that is wrong.
    osb(
        &ns,
        &[
            "provision",
            "s2",
            "--class",
            "test-service-with-schemas",
            "--plan",
            "default",
            "-p",
            "param-1:=5",
            "--skip-schema-check",
        ],
    )
    .ok()
    .stdout_has("serviceinstance.servicecatalog.k8s.io/s2 created");

    // A plan without a schema: a note, and the parameters go as they are.
    osb(
        &ns,
        &[
            "provision",
            "plain",
            "--class",
            "test-service",
            "-p",
            "anything:=5",
        ],
    )
    .ok()
    .stderr_has("note: plan test-service/default publishes no provision parameter schema");
}

#[test]
fn our_broker_s_plans_refuse_each_kind_of_violation_before_any_request() {
    let ns = env().namespace("schema-ic");
    let cassandra = [
        "provision",
        "db",
        "--class",
        "cassandra",
        "--plan",
        "developer",
    ];
    let with = |extra: &[&'static str]| [&cassandra[..], extra].concat();
    // Wrong type.
    refused(
        osb(
            &ns,
            &with(&[
                "-p",
                "bundles:={\"bundle\":\"APACHE_CASSANDRA\",\"version\":\"3.11.4\"}",
                "-p",
                "nodeSize:=3",
            ]),
        ),
        "created",
        &[
            "  /bundles: expected array, got an object",
            "  /nodeSize: expected string, got the number 3",
        ],
    );
    // An unknown property where the schema forbids others, with "did you mean".
    refused(
        osb(&ns, &with(&["-p", "provider.nmae=AWS_VPC"])),
        "created",
        &[
            // The API server stores the schema with its keys sorted.
            "  /provider/nmae: unknown property \"nmae\" (did you mean \"name\"?); allowed: accountName, customVirtualNetworkId, diskEncryptionKey, name,",
            "  /provider: missing required property \"name\"",
        ],
    );
    // Missing required.
    refused(
        osb(&ns, &with(&["-p", "rackAllocation.numberOfRacks=3"])),
        "created",
        &["  /rackAllocation: missing required property \"nodesPerRack\""],
    );
    // Enum violations.
    refused(
        osb(
            &ns,
            &with(&["-p", "slaTier=PRODUCTON", "-p", "provider.name=aws"]),
        ),
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
        osb(
            &ns,
            &[&cassandra[..], &["--from-instaclustr", kafka]].concat(),
        ),
        "created",
        &[
            "  /bundles/0/bundle: expected one of \"APACHE_CASSANDRA\", \"SPARK\", \"ZEPPELIN\", got the string \"KAFKA\"",
        ],
    );
    // Values from a Secret are checked (merged as the controller merges them) but never shown.
    env()
        .kubectl(&[
            "create",
            "secret",
            "generic",
            "tier",
            "-n",
            &ns,
            "--from-literal=parameters={\"slaTier\": \"hunter2-PRODUCTION\"}",
        ])
        .ok();
    refused(
        osb(&ns, &with(&["--params-from-secret", "tier"])),
        "created",
        &["  /slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got <redacted> (from a secret)"],
    )
    .never_shows("hunter2");

    assert!(names("serviceinstances", &ns).is_empty(), "nothing created");
    assert_eq!(
        broker_requests_of(&ns),
        Vec::<Value>::new(),
        "nothing reached the broker"
    );

    // Valid parameters pass, and reach the broker.
    osb(
        &ns,
        &with(&[
            "-p",
            "slaTier=NON_PRODUCTION",
            "-p",
            "provider.name=AWS_VPC",
            "-p",
            "rackAllocation.numberOfRacks=3",
            "-p",
            "rackAllocation.nodesPerRack=1",
            "--wait",
            "--timeout=180s",
        ]),
    )
    .ok();
    let provisions = broker_requests_of(&ns)
        .iter()
        .filter(|r| r["method"] == "PUT" && r["binding_id"].is_null())
        .count();
    assert_eq!(provisions, 1, "one provision request");

    // --update goes through the update schema; no PATCH reaches the broker.
    refused(
        osb(&ns, &with(&["-p", "nodeSize:=5", "--update"])),
        "changed",
        &[
            "the update schema of plan cassandra/developer",
            "  /nodeSize: expected string, got the number 5",
        ],
    );

    // Bind: the binding schema is closed.
    refused(
        osb(&ns, &["bind", "app", "--instance", "db", "-p", "rol=ro"]),
        "created",
        &[
            "  /rol: unknown property \"rol\" (did you mean \"role\"?); allowed: role, username, x-test",
        ],
    );
    refused(
        osb(
            &ns,
            &[
                "bind",
                "app",
                "--instance",
                "db",
                "-p",
                "role=admin",
                "-p",
                "username:=7",
            ],
        ),
        "created",
        &[
            "  /role: expected one of \"ro\", \"rw\", got the string \"admin\"",
            "  /username: expected string, got the number 7",
        ],
    );
    assert!(
        names("servicebindings", &ns).is_empty(),
        "no binding created"
    );
    let sent: Vec<String> = broker_requests_of(&ns)
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
    osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "db",
            "-p",
            "role=ro",
            "-p",
            "username=reporting",
            "--wait",
            "--timeout=120s",
        ],
    )
    .ok();
}

#[test]
fn catalog_shows_a_plan_s_parameters_and_its_raw_schemas() {
    let ns = env().namespace("schema-cat");
    let table = osb(
        &ns,
        &["catalog", "--class", "cassandra", "--plan", "developer"],
    )
    .ok();
    let out = &table.stdout;
    assert!(
        out.starts_with("PROVISION PARAMETERS (instanceCreateParameterSchema, Draft4):\nNAME "),
        "{out}"
    );
    for header in ["TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION", "ALLOWED"] {
        assert!(out.lines().nth(1).unwrap().contains(header), "{out}");
    }
    let row = |name: &str| -> Vec<String> {
        out.lines()
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
        out.contains("\nUPDATE PARAMETERS (instanceUpdateParameterSchema, Draft4):\n"),
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

    let raw = osb(
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
    osb(
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
    osb(
        &ns,
        &["catalog", "--class", "test-service", "--plan", "default"],
    )
    .ok()
    .stderr_has("plan test-service/default publishes no parameter schemas");
    osb(&ns, &["catalog", "--plan", "default"]).code(2);
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
    let plan = [
        "provision",
        "db",
        "--class",
        "cassandra",
        "--plan",
        "developer",
    ];
    let at = |extra: &[&str]| {
        let mut v = plan.to_vec();
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
