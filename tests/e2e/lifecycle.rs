//! Issue 3: the lifecycle verbs (provision, bind, unbind, deprovision, describe, get) and mapping the
//! credentials into an application, through the real kubectl against the simulated catalog.

use std::path::PathBuf;

use base64::Engine;
use serde_json::Value;
use testkit::{Run, env};

fn osb(ns: &str, args: &[&str]) -> Run {
    let mut a = vec!["osb"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["-n", ns]);
    env().kubectl(&a)
}

fn kubectl_json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend_from_slice(&["-o", "json"]);
    let run = env().kubectl(&a).ok();
    serde_json::from_str(&run.stdout).unwrap()
}

/// The names of the objects of one type in a namespace (`kubectl get -o name`).
fn names(kind: &str, ns: &str) -> Vec<String> {
    env()
        .kubectl(&["get", kind, "-n", ns, "-o", "name"])
        .ok()
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

/// Decoded data of a Secret, read with plain kubectl.
fn secret_data(ns: &str, name: &str) -> serde_json::Map<String, Value> {
    let s = kubectl_json(&["get", "secret", name, "-n", ns]);
    s["data"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v.as_str().unwrap())
                .unwrap();
            (k.clone(), Value::String(String::from_utf8(bytes).unwrap()))
        })
        .collect()
}

fn full_lifecycle(prefix: &str, class: &str, plan: &str, keys: &[&str]) {
    let ns = env().namespace(prefix);
    let prov = osb(
        &ns,
        &[
            "provision",
            "svc",
            "--class",
            class,
            "--plan",
            plan,
            "--wait",
            "--timeout",
            "60s",
        ],
    )
    .ok();
    assert_eq!(
        prov.stdout,
        "serviceinstance.servicecatalog.k8s.io/svc created\nserviceinstance.servicecatalog.k8s.io/svc condition met\n"
    );
    let si = kubectl_json(&["get", "serviceinstance", "svc", "-n", &ns]);
    assert_eq!(si["spec"]["clusterServiceClassExternalName"], class);
    assert_eq!(si["spec"]["clusterServicePlanExternalName"], plan);

    let bind = osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "svc",
            "--wait",
            "--timeout",
            "60s",
        ],
    )
    .ok();
    assert_eq!(
        bind.stdout,
        "servicebinding.servicecatalog.k8s.io/app created\nservicebinding.servicecatalog.k8s.io/app condition met\n"
    );
    // Without --show-credentials: key names only, no value anywhere.
    let secret = secret_data(&ns, "app");
    let password = secret["password"].as_str().unwrap().to_string();
    assert!(
        !bind.stdout.contains(&password) && !bind.stderr.contains(&password),
        "{bind:?}"
    );
    for k in keys {
        assert!(bind.stderr.contains(k), "key {k} not named: {bind:?}");
    }

    // The same binding again: unchanged, and the credentials decoded on request.
    let shown = osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "svc",
            "--show-credentials=json",
        ],
    )
    .ok();
    let (first, json) = shown.stdout.split_once('\n').unwrap();
    assert_eq!(first, "servicebinding.servicecatalog.k8s.io/app unchanged");
    let json = json
        .split_once("condition met\n")
        .map(|(_, j)| j)
        .unwrap_or(json);
    let creds: Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        creds,
        Value::Object(secret.clone()),
        "decoded credentials must equal the Secret's"
    );
    let mut got: Vec<&str> = creds
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    got.sort();
    let mut want = keys.to_vec();
    want.sort();
    assert_eq!(got, want);
    let table = osb(
        &ns,
        &["bind", "app", "--instance", "svc", "--show-credentials"],
    )
    .ok();
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.split_whitespace().eq(["password", password.as_str()])),
        "{table:?}"
    );

    let unbind = osb(&ns, &["unbind", "app", "--wait", "--timeout", "60s"]).ok();
    assert_eq!(
        unbind.stdout,
        "servicebinding.servicecatalog.k8s.io/app deleted\n"
    );
    assert!(names("servicebindings", &ns).is_empty());
    assert!(!names("secrets", &ns).iter().any(|s| s == "secret/app"));

    let deprov = osb(&ns, &["deprovision", "svc", "--wait", "--timeout", "60s"]).ok();
    assert_eq!(
        deprov.stdout,
        "serviceinstance.servicecatalog.k8s.io/svc deleted\n"
    );
    assert!(names("serviceinstances", &ns).is_empty());
}

#[test]
fn cassandra_provision_bind_show_unbind_deprovision() {
    full_lifecycle(
        "lc-cassandra",
        "cassandra",
        "developer",
        &[
            "cluster_id",
            "datacenter",
            "host",
            "hosts",
            "password",
            "port",
            "username",
        ],
    );
}

#[test]
fn kafka_provision_bind_show_unbind_deprovision() {
    full_lifecycle(
        "lc-kafka",
        "kafka",
        "developer",
        &[
            "bootstrap_servers",
            "hosts",
            "password",
            "port",
            "sasl_mechanism",
            "security_protocol",
            "username",
        ],
    );
}

#[test]
fn provision_refuses_bad_input_and_creates_nothing() {
    let ns = env().namespace("lc-bad");
    env()
        .kubectl(&[
            "create",
            "secret",
            "generic",
            "notobj",
            "-n",
            &ns,
            "--from-literal=parameters=[1,2]",
        ])
        .ok();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "provision",
                "db",
                "--class",
                "casandra",
                "--plan",
                "developer",
            ],
            "error: class \"casandra\" not found (did you mean \"cassandra\"?); valid classes: cassandra, kafka, spark, zeppelin",
        ),
        (
            &["provision", "db", "--class", "cassandra", "--plan", "huge"],
            "error: plan \"huge\" not found in class \"cassandra\"; valid plans: developer, production-large, production-small",
        ),
        (
            &[
                "provision",
                "My_DB",
                "--class",
                "cassandra",
                "--plan",
                "developer",
            ],
            "error: invalid instance name \"My_DB\"",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "-p",
                "replicas",
            ],
            "error: invalid parameter \"replicas\": expected KEY=VALUE or KEY:=JSON",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "-p",
                "racks:=[1,",
            ],
            "error: invalid parameter \"racks:=[1,\": the value after := is not JSON",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "--params-from-secret",
                "notobj",
            ],
            "error: secret \"notobj\" key \"parameters\" holds an array, but parametersFrom needs a JSON object",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "--params-from-secret",
                "missing:k",
            ],
            "error: --params-from-secret: secret \"missing\" not found",
        ),
    ];
    for (args, expected) in cases {
        let run = osb(&ns, args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(
            run.stderr.starts_with(expected),
            "{args:?}: expected {expected:?}, got {run:?}"
        );
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    assert!(
        names("serviceinstances", &ns).is_empty(),
        "nothing may be created"
    );
}

#[test]
fn dry_run_client_output_applies_unchanged_and_provision_is_idempotent() {
    let ns = env().namespace("lc-dry");
    let args = [
        "provision",
        "db",
        "--class",
        "cassandra",
        "--plan",
        "developer",
        "-p",
        "replicas=3",
        "-p",
        "auth=true",
        "-p",
        "dc.name=AWS_VPC_US_EAST_1",
        "-p",
        "tag=\"007\"",
        "--label",
        "team=data",
    ];
    let mut dry = args.to_vec();
    dry.extend(["--dry-run=client", "-o", "yaml"]);
    let printed = osb(&ns, &dry).ok();
    assert!(
        printed
            .stdout
            .starts_with("apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\n")
    );
    assert!(
        names("serviceinstances", &ns).is_empty(),
        "--dry-run=client must create nothing"
    );

    env()
        .kubectl_stdin(&["apply", "-f", "-", "-n", &ns], &printed.stdout)
        .ok();
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(
        si["spec"]["parameters"],
        serde_json::json!({"replicas": 3, "auth": true, "dc": {"name": "AWS_VPC_US_EAST_1"}, "tag": "007"})
    );
    assert_eq!(si["metadata"]["labels"]["team"], "data");

    // The same spec again through the plugin: unchanged, exit 0.
    let again = osb(&ns, &args).ok();
    assert_eq!(
        again.stdout,
        "serviceinstance.servicecatalog.k8s.io/db unchanged\n"
    );
    // A different spec: refused, naming the fields.
    let mut changed = args.to_vec();
    changed.extend(["-p", "replicas=5"]);
    changed[5] = "production-small";
    let refused = osb(&ns, &changed);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.starts_with(
            "error: serviceinstance \"db\" already exists with a different spec: \
             spec.clusterServicePlanExternalName (\"developer\" → \"production-small\"), spec.parameters.replicas"
        ),
        "{refused:?}"
    );
    let unchanged = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(unchanged["spec"]["parameters"]["replicas"], 3);
    // --update applies it and bumps updateRequests.
    changed.push("--update");
    let updated = osb(&ns, &changed).ok();
    assert_eq!(
        updated.stdout,
        "serviceinstance.servicecatalog.k8s.io/db configured\n"
    );
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(si["spec"]["parameters"]["replicas"], 5);
    assert_eq!(
        si["spec"]["clusterServicePlanExternalName"],
        "production-small"
    );
    assert_eq!(si["spec"]["updateRequests"], 1);
    // --dry-run=server asks the API but creates nothing.
    let server = osb(
        &ns,
        &[
            "provision",
            "other",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--dry-run=server",
        ],
    )
    .ok();
    assert_eq!(
        server.stdout,
        "serviceinstance.servicecatalog.k8s.io/other created (server dry run)\n"
    );
    assert_eq!(
        names("serviceinstances", &ns),
        ["serviceinstance.servicecatalog.k8s.io/db"]
    );
}

#[test]
fn provision_wait_reports_a_rejected_provision_with_exit_3() {
    let ns = env().namespace("lc-reject");
    let run = osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
            "--timeout",
            "60s",
            "--annotation",
            "sim.kubectl-osb.dev/provision=reject",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains(
            "serviceinstance.servicecatalog.k8s.io/db failed: ClusterServiceBrokerReturnedFailure"
        ),
        "{run:?}"
    );
    let described = osb(&ns, &["describe", "db"]).ok();
    assert!(
        described
            .stdout
            .contains("Status:             Failed: ClusterServiceBrokerReturnedFailure"),
        "{described:?}"
    );
}

#[test]
fn deprovision_blocked_by_a_binding_is_explained_and_unbind_path_succeeds() {
    let ns = env().namespace("lc-block");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "b1", "--instance", "db", "--wait"]).ok();
    osb(
        &ns,
        &[
            "bind",
            "b2",
            "--instance",
            "db",
            "--secret-name",
            "b2-creds",
            "--wait",
        ],
    )
    .ok();

    let blocked = osb(&ns, &["deprovision", "db", "--wait"]);
    assert_eq!(blocked.code, 1, "{blocked:?}");
    assert!(
        blocked
            .stderr
            .starts_with("error: serviceinstance \"db\" has 2 binding(s): b1, b2."),
        "{blocked:?}"
    );
    assert!(blocked.stderr.contains("--unbind") && blocked.stderr.contains("Nothing was deleted"));
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert!(
        si["metadata"].get("deletionTimestamp").is_none(),
        "the instance must not be deleted"
    );

    let ok = osb(
        &ns,
        &[
            "deprovision",
            "db",
            "--unbind",
            "--wait",
            "--timeout",
            "60s",
        ],
    )
    .ok();
    assert_eq!(
        ok.stdout,
        "servicebinding.servicecatalog.k8s.io/b1 deleted\nservicebinding.servicecatalog.k8s.io/b2 deleted\n\
         serviceinstance.servicecatalog.k8s.io/db deleted\n"
    );
    assert!(names("serviceinstances", &ns).is_empty());
    assert!(names("servicebindings", &ns).is_empty());
}

#[test]
fn deprovision_wait_ends_with_exit_3_when_the_broker_fails_it() {
    let ns = env().namespace("lc-orphan");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
            "--annotation",
            "sim.kubectl-osb.dev/deprovision=fail",
        ],
    )
    .ok();
    let run = osb(&ns, &["deprovision", "db", "--wait", "--timeout", "60s"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr
            .contains("serviceinstance.servicecatalog.k8s.io/db failed:"),
        "{run:?}"
    );
    let described = osb(&ns, &["describe", "db"]).ok();
    assert!(
        described.stdout.contains("Status:             Orphaned?"),
        "{described:?}"
    );
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = env().cp.dir.join("lifecycle-files");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{}-{name}", uuid_suffix()));
    std::fs::write(&p, text).unwrap();
    p
}

fn uuid_suffix() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: app
        image: example.com/cassandra-client:1
        env:
        - name: MODE
          value: load-test
";

#[test]
fn mapping_a_job_manifest_gives_only_secret_key_refs_and_existing_jobs_are_explained() {
    let ns = env().namespace("lc-map");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "db-app", "--instance", "db", "--wait"]).ok();
    let secret = secret_data(&ns, "db-app");

    let job = write_temp("job.yaml", JOB);
    let patched = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--prefix",
            "CASSANDRA_",
            "-f",
            job.to_str().unwrap(),
        ],
    )
    .ok();
    env()
        .kubectl_stdin(&["create", "-f", "-", "-n", &ns], &patched.stdout)
        .ok();
    let created = kubectl_json(&["get", "job", "pi", "-n", &ns]);
    let env_list = created["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    assert_eq!(
        env_list[0],
        serde_json::json!({"name": "MODE", "value": "load-test"})
    );
    let mapped: Vec<&Value> = env_list.iter().skip(1).collect();
    assert_eq!(mapped.len(), secret.len());
    for e in &mapped {
        assert!(e.get("value").is_none(), "a value was copied: {e}");
        assert_eq!(e["valueFrom"]["secretKeyRef"]["name"], "db-app", "{e}");
        let key = e["valueFrom"]["secretKeyRef"]["key"].as_str().unwrap();
        assert!(secret.contains_key(key));
        assert_eq!(e["name"], format!("CASSANDRA_{}", key.to_uppercase()));
    }
    let text = created.to_string();
    for v in secret.values() {
        let v = v.as_str().unwrap();
        if v.len() > 4 {
            assert!(!text.contains(v), "secret value {v} copied into the Job");
        }
    }

    // The existing Job cannot be changed in place: explained, exit 1, nothing changed.
    let refused = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--prefix",
            "X_",
            "--apply-to",
            "job/pi",
        ],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.starts_with(
            "error: job.batch/pi already exists, and a Job's pod template cannot be changed after creation"
        ),
        "{refused:?}"
    );
    assert!(refused.stderr.contains("-f job.yaml"), "{refused:?}");
    assert_eq!(
        kubectl_json(&["get", "job", "pi", "-n", &ns])["spec"]["template"],
        created["spec"]["template"]
    );

    // An unknown key is refused with the keys that exist.
    let bad = osb(&ns, &["bind", "env", "db-app", "--env", "DB=nope"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("no key \"nope\"")
            && bad.stderr.contains("cluster_id, datacenter, host"),
        "{bad:?}"
    );
}

#[test]
fn mapping_prints_an_env_block_and_patches_a_deployment_in_place() {
    let ns = env().namespace("lc-deploy");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "db-app", "--instance", "db", "--wait"]).ok();
    let block = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--env",
            "CASSANDRA_HOST=host,CASSANDRA_PORT=port",
        ],
    )
    .ok();
    assert_eq!(
        block.stdout,
        "env:\n- name: CASSANDRA_HOST\n  valueFrom:\n    secretKeyRef:\n      name: db-app\n      key: host\n\
         - name: CASSANDRA_PORT\n  valueFrom:\n    secretKeyRef:\n      name: db-app\n      key: port\n"
    );
    env()
        .kubectl(&[
            "create",
            "deployment",
            "web",
            "--image",
            "example.com/web:1",
            "-n",
            &ns,
        ])
        .ok();
    let applied = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--env",
            "CASSANDRA_HOST=host",
            "--apply-to",
            "deployment/web",
        ],
    )
    .ok();
    assert_eq!(
        applied.stdout,
        "deployment.apps/web configured (container \"web\": CASSANDRA_HOST from secret \"db-app\")\n"
    );
    let d = kubectl_json(&["get", "deployment", "web", "-n", &ns]);
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["env"],
        serde_json::json!([{"name": "CASSANDRA_HOST", "valueFrom": {"secretKeyRef": {"name": "db-app", "key": "host"}}}])
    );
    let again = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--env",
            "CASSANDRA_HOST=host",
            "--apply-to",
            "deploy/web",
        ],
    )
    .ok();
    assert!(
        again.stdout.starts_with("deployment.apps/web unchanged"),
        "{again:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the tables

/// Replace what changes from run to run: the namespace, ages, UUIDs and long hex ids; column gaps become
/// three spaces (widths depend on the replaced values).
fn normalise(text: &str, ns: &str) -> String {
    let text = text.replace(ns, "NS");
    let mut out = String::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let cells: Vec<String> = line
            .trim_start()
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|cell| {
                cell.split(' ')
                    .map(normalise_token)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        out.push_str(&" ".repeat(indent));
        out.push_str(&cells.join("   "));
        out.push('\n');
    }
    out
}

fn is_age(t: &str) -> bool {
    let mut rest = t;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        match rest.chars().next() {
            Some('s' | 'm' | 'h' | 'd') => rest = &rest[1..],
            _ => return false,
        }
        parts += 1;
    }
    parts > 0 && parts <= 2
}

fn normalise_token(t: &str) -> String {
    if is_age(t) {
        return "<age>".into();
    }
    // UUIDs and long hex runs anywhere in the token.
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '-' {
            out.push('-');
            i += 1;
            continue;
        }
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() || **c == '-')
            .count();
        let s: String = chars[i..i + run].iter().collect();
        let is_uuid = s.len() >= 36 && {
            let u = &s[..36];
            u.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        };
        if is_uuid {
            out.push_str("<uuid>");
            i += 36;
        } else if run >= 16 && !s.contains('-') {
            out.push_str("<hex>");
            i += run;
        } else if run > 0 {
            out.push_str(&s);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("e2e/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_SNAPSHOTS=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "snapshot {name} differs (UPDATE_SNAPSHOTS=1 rewrites it)"
    );
}

#[test]
fn snapshot_normalising_replaces_only_volatile_parts() {
    assert_eq!(
        normalise(
            "NAME   AGE   URL\ndb-x1   3m12s   https://c/2f1c3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6 x",
            "db-x1"
        ),
        "NAME   AGE   URL\nNS   <age>   https://c/<uuid> x\n"
    );
    assert_eq!(normalise_token("developer"), "developer");
    assert_eq!(
        normalise_token("provision-0123456789abcdef0123456789abcdef"),
        "provision-<hex>"
    );
    assert_eq!(normalise_token("9042"), "9042");
}

#[test]
fn catalog_table_matches_its_snapshot() {
    let run = env().kubectl(&["osb", "catalog"]).ok();
    snapshot("catalog", &normalise(&run.stdout, "\u{0}"));
}

#[test]
fn describe_and_get_tables_match_their_snapshots() {
    let ns = env().namespace("lc-snap");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "nodeSize=t3.small",
            "-p",
            "replicas=3",
            "-p",
            "adminPassword=hunter2",
            "--wait",
        ],
    )
    .ok();
    osb(
        &ns,
        &[
            "provision",
            "stream",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "db-app", "--instance", "db", "--wait"]).ok();

    let d = osb(&ns, &["describe", "db"]).ok();
    assert!(
        !d.stdout.contains("hunter2"),
        "a sensitive parameter was shown: {d:?}"
    );
    snapshot("describe-instance", &normalise(&d.stdout, &ns));
    let b = osb(&ns, &["describe", "binding", "db-app"]).ok();
    let password = secret_data(&ns, "db-app")["password"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !b.stdout.contains(&password),
        "a credential was shown: {b:?}"
    );
    snapshot("describe-binding", &normalise(&b.stdout, &ns));
    let gi = osb(&ns, &["get", "instances"]).ok();
    snapshot("get-instances", &normalise(&gi.stdout, &ns));
    let gb = osb(&ns, &["get", "bindings"]).ok();
    snapshot("get-bindings", &normalise(&gb.stdout, &ns));

    let empty = env().namespace("lc-empty");
    let none = osb(&empty, &["get", "instances"]).ok();
    assert_eq!(none.stdout, "");
    assert_eq!(
        none.stderr.trim(),
        format!("No resources found in {empty} namespace.")
    );
}

const INSTACLUSTR: &str = r#"{
    "clusterName": "cassandra_minimal",
    "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}],
    "provider": {"name": "AWS_VPC", "accountName": null},
    "slaTier": "NON_PRODUCTION",
    "nodeSize": "t3.small",
    "dataCentre": "US_WEST_2",
    "clusterNetwork": "192.168.0.0/18",
    "rackAllocation": {"numberOfRacks": "3", "nodesPerRack": "1"}
}"#;

#[test]
fn provision_from_an_instaclustr_payload_and_from_a_params_file_on_stdin() {
    let ns = env().namespace("lc-ic");
    let payload = write_temp("cluster.json", INSTACLUSTR);
    let run = osb(
        &ns,
        &[
            "provision",
            "db",
            "--from-instaclustr",
            payload.to_str().unwrap(),
            "--wait",
        ],
    )
    .ok();
    assert!(
        run.stdout
            .ends_with("serviceinstance.servicecatalog.k8s.io/db condition met\n"),
        "{run:?}"
    );
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(si["spec"]["clusterServiceClassExternalName"], "cassandra");
    assert_eq!(si["spec"]["clusterServicePlanExternalName"], "developer");
    let want: Value = serde_json::from_str(INSTACLUSTR).unwrap();
    assert_eq!(
        si["spec"]["parameters"], want,
        "the payload must be the parameters, unchanged"
    );

    let bad = write_temp(
        "bad.json",
        &INSTACLUSTR.replace("APACHE_CASSANDRA", "APACHE_CASANDRA"),
    );
    let refused = osb(
        &ns,
        &[
            "provision",
            "db2",
            "--from-instaclustr",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.stderr.contains("APACHE_CASANDRA"), "{refused:?}");

    let mut args = vec![
        "osb",
        "provision",
        "fromfile",
        "--class",
        "kafka",
        "--plan",
        "developer",
    ];
    args.extend(["--params-file", "-", "-p", "partitions=12", "-n", &ns]);
    env()
        .kubectl_stdin(
            &args,
            "replication: 3\ntopics:\n  auto: false\npartitions: 1\n",
        )
        .ok();
    let si = kubectl_json(&["get", "serviceinstance", "fromfile", "-n", &ns]);
    assert_eq!(
        si["spec"]["parameters"],
        serde_json::json!({"replication": 3, "topics": {"auto": false}, "partitions": 12})
    );
    assert_eq!(
        names("serviceinstances", &ns),
        [
            "serviceinstance.servicecatalog.k8s.io/db",
            "serviceinstance.servicecatalog.k8s.io/fromfile"
        ]
    );
}

#[test]
fn unbind_by_instance_removes_every_binding_of_that_instance_only() {
    let ns = env().namespace("lc-unbind");
    osb(
        &ns,
        &[
            "provision",
            "a",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(
        &ns,
        &[
            "provision",
            "b",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "a1", "--instance", "a"]).ok();
    osb(&ns, &["bind", "a2", "--instance", "a"]).ok();
    osb(&ns, &["bind", "b1", "--instance", "b"]).ok();
    let run = osb(
        &ns,
        &["unbind", "--instance", "a", "--wait", "--timeout", "60s"],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "servicebinding.servicecatalog.k8s.io/a1 deleted\nservicebinding.servicecatalog.k8s.io/a2 deleted\n"
    );
    assert_eq!(
        names("servicebindings", &ns),
        ["servicebinding.servicecatalog.k8s.io/b1"]
    );
    let missing = osb(&ns, &["unbind", "nope"]);
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr.trim(),
        "Error from server (NotFound): servicebindings.servicecatalog.k8s.io \"nope\" not found"
    );
    let none = osb(&ns, &["bind", "x", "--instance", "ghost"]);
    assert_eq!(none.code, 1, "{none:?}");
    assert!(
        none.stderr
            .starts_with("error: serviceinstance \"ghost\" not found"),
        "{none:?}"
    );
    assert_eq!(
        names("servicebindings", &ns),
        ["servicebinding.servicecatalog.k8s.io/b1"]
    );
}
