//! `kubectl osb broker`: the broker asked itself, over HTTP, beside what the real controller wrote —
//! our broker (instances and bindings retrievable, an admin endpoint that forgets an instance behind the
//! catalog's back) and the upstream test-broker (nothing retrievable, its instances in memory: restarted,
//! it has forgotten them).

use std::process::{Child, Command};
use std::time::Duration;

use serde_json::json;
use testkit::{PATIENCE, eventually, setup};

/// Register `url` as the ServiceBroker `name` of `ns` (manual relists: its catalog objects stay as first
/// read), and wait until it is Ready.
pub(crate) fn service_broker(env: &testkit::Env, ns: &str, name: &str, url: &str) {
    env.apply(
        ns,
        testkit::Manifest(json!({
            "apiVersion": "servicecatalog.k8s.io/v1beta1",
            "kind": "ServiceBroker",
            "metadata": {"name": name},
            "spec": {"url": url, "relistBehavior": "Manual"},
        })),
    );
    env.until_jsonpath(
        "servicebroker",
        ns,
        name,
        "{.status.conditions[?(@.type==\"Ready\")].status}",
        |v| v == "True",
    );
}

/// The Secret `name` of `ns` holding `username` and `password`, as a broker's basic `authInfo` names it.
pub(crate) fn basic_auth_secret(env: &testkit::Env, ns: &str, name: &str, user: &str, pass: &str) {
    let user = format!("--from-literal=username={user}");
    let pass = format!("--from-literal=password={pass}");
    env.kubectl(&["create", "secret", "generic", name, "-n", ns, &user, &pass])
        .ok();
}

/// The ServiceInstance `name` of a class of the namespace's own broker (the serviceClassExternalName
/// `cassandra`, which only the namespace's ServiceClass resolves when no ClusterServiceClass is asked
/// for), provisioned synchronously, and waited for.
pub(crate) fn namespaced_instance(env: &testkit::Env, ns: &str, name: &str) {
    env.apply(
        ns,
        testkit::Manifest(json!({
            "apiVersion": "servicecatalog.k8s.io/v1beta1",
            "kind": "ServiceInstance",
            "metadata": {"name": name},
            "spec": {"serviceClassExternalName": "cassandra", "servicePlanExternalName": "developer",
                     "parameters": {"x-test": {"provision": "sync"}}},
        })),
    );
    env.verb(
        ns,
        [
            "wait",
            &format!("si/{name}"),
            "--for=ready",
            "--timeout=180s",
        ],
    )
    .run();
}

#[test]
fn broker_status_agrees_with_the_catalog_until_our_broker_forgets_the_instance() {
    let (env, ns) = setup("broker-status");
    env.cassandra(&ns, "db").wait();
    env.bind(&ns, "app").instance("db").wait();
    let password = env.secret_data(&ns, "app")["password"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(password.len() > 8, "a password in the Secret");

    let run = env.verb(&ns, ["broker", "status", "si/db"]).run();
    let run = run
        .stdout_has("Object:")
        .stdout_has("serviceinstance/db")
        .stdout_has("clusterservicebroker/instaclustr at http://127.0.0.1:")
        .stdout_has("(directly, no credentials)")
        .stdout_has("Catalog:")
        .stdout_has("Broker says:")
        .stdout_has("GET /v2/service_instances/")
        .stdout_has("→ 200")
        .stdout_has("Verdict:")
        .stdout_has("agree: the broker holds the instance the catalog shows as Ready");
    assert!(run.stdout.contains("\"plan_id\""), "{}", run.stdout);
    // describe --broker: the same view, as describe's last section.
    env.verb(&ns, ["describe", "db", "--broker"])
        .run()
        .stdout_has("\nBroker:\n  External ID:")
        .stdout_has("  Verdict:     agree: the broker holds the instance");

    // The binding: its credentials are never printed, only their keys.
    let run = env
        .verb(&ns, ["broker", "status", "sb/app", "-o", "json"])
        .run()
        .never_shows(&password);
    let v = run.json();
    assert_eq!(v["verdict"], "agree", "{v:#}");
    assert_eq!(v["object"], "servicebinding/app");
    assert_eq!(v["brokerHolds"], true);
    assert_eq!(v["broker"]["retrievable"], true);
    let keys = v["asked"][0]["details"]["credentialKeys"].clone();
    assert!(
        keys.as_array()
            .is_some_and(|k| k.contains(&json!("password"))),
        "{v:#}"
    );

    // Behind the catalog's back: the broker loses the instance (and so its binding).
    env.broker_forget(&ns, "db");
    env.verb(&ns, ["broker", "status", "si/db"])
        .run()
        .stdout_has("Verdict:")
        .stdout_has("the broker no longer has it: the broker answers 404 to GET");
    let v = env
        .verb(&ns, ["broker", "status", "si/db", "-o", "yaml"])
        .run()
        .stdout_has("verdict: gone")
        .stdout_has("brokerHolds: false");
    drop(v);
    let v = env
        .verb(&ns, ["broker", "status", "binding", "app", "-o", "json"])
        .run()
        .json();
    assert_eq!(v["verdict"], "gone", "{v:#}");

    // Nothing is left at the broker: abandon proceeds without --force, although the catalog calls the
    // instance healthy, and says why.
    env.verb(&ns, ["abandon", "db", "--with-bindings", "--yes"])
        .run()
        .stderr_has(
            "The broker no longer has serviceinstance.servicecatalog.k8s.io/db (the broker answers 404 to GET",
        )
        .stderr_has("abandoning needs no --force")
        .stdout_has("serviceinstance.servicecatalog.k8s.io/db deleted");
    assert!(env.object("serviceinstance", &ns, "db").is_none());
    assert!(env.object("servicebinding", &ns, "app").is_none());
}

#[test]
fn abandon_refuses_an_instance_our_broker_still_holds_unless_forced() {
    let (env, ns) = setup("broker-abandon");
    env.cassandra(&ns, "db").wait();
    let refused = env
        .verb(&ns, ["abandon", "db", "--dry-run"])
        .expect_code(1)
        .run();
    refused.stderr_has(
        "error: refusing to abandon serviceinstance.servicecatalog.k8s.io/db: it is healthy",
    );
    // Being deleted no longer makes it safe while the broker refuses to let it go.
    env.behave(&ns, "db", json!({"deprovision": "fail"}));
    env.kubectl(&["delete", "serviceinstance", "db", "-n", &ns, "--wait=false"]);
    env.until_jsonpath(
        "serviceinstance",
        &ns,
        "db",
        "{.status.conditions[?(@.type==\"Ready\")].reason}",
        |r| r == "DeprovisionCallFailed",
    );
    env.verb(&ns, ["abandon", "db", "--dry-run"])
        .expect_code(1)
        .run()
        .stderr_has("error: refusing to abandon serviceinstance.servicecatalog.k8s.io/db: its broker still holds it")
        .stderr_has("pass --force to abandon it anyway; nothing was changed");
    env.verb(&ns, ["abandon", "db", "--force", "--yes"])
        .run()
        .stderr_has("--force overrides the broker's answer that it still holds")
        .stdout_has("serviceinstance.servicecatalog.k8s.io/db deleted");
    assert!(env.object("serviceinstance", &ns, "db").is_none());
}

#[test]
fn broker_status_shows_an_asynchronous_provision_in_progress_with_the_broker_s_description() {
    let (env, ns) = setup("broker-async");
    env.behave(&ns, "db", json!({"provision": "hang"}));
    env.cassandra(&ns, "db").run();
    env.until_jsonpath(
        "serviceinstance",
        &ns,
        "db",
        "{.status.asyncOpInProgress}",
        |v| v == "true",
    );
    let op = env.jsonpath("serviceinstance", &ns, "db", "{.status.lastOperation}");
    assert!(op.starts_with("provision-"), "{op}");
    let v = env
        .verb(&ns, ["broker", "status", "si/db", "-o", "json"])
        .run()
        .json();
    assert_eq!(v["verdict"], "agree", "{v:#}");
    assert_eq!(v["catalog"]["asyncOpInProgress"], true);
    assert_eq!(v["catalog"]["lastOperation"], op.as_str());
    let asked = &v["asked"][0];
    let request = asked["request"].as_str().unwrap_or_default();
    assert!(
        request.contains("/last_operation?service_id=")
            && request.ends_with(&format!("&operation={op}")),
        "the operation key the controller stored: {v:#}"
    );
    assert_eq!(asked["state"], "in progress", "{v:#}");
    assert!(
        asked["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Provisioning: ")),
        "{v:#}"
    );
    env.verb(&ns, ["broker", "status", "si/db"])
        .run()
        .stdout_has("\"in progress\": Provisioning: ")
        .stdout_has("agree: the broker is still working on the instance");

    // Released: the provision ends and the instance is Ready; the broker agrees.
    env.behave(&ns, "db", json!({"provision": "succeed"}));
    env.verb(&ns, ["wait", "si/db", "--for=ready", "--timeout=180s"])
        .run();
    eventually("the broker's view to agree on Ready", PATIENCE, || {
        let v = env
            .verb(&ns, ["broker", "status", "si/db", "-o", "json"])
            .run()
            .json();
        (v["brokerHolds"] == true && v["verdict"] == "agree").then_some(())
    });
    env.deprovision(&ns, "db").wait();
}

/// An upstream test-broker of our own, registered as a ServiceBroker of the test's namespace (its classes
/// are then the namespace's, beside the shared test-broker's cluster classes), killed when dropped.
struct TestBroker {
    child: Child,
    port: u16,
}

impl TestBroker {
    fn start_on(port: u16) -> TestBroker {
        let bins = testkit::cluster::Binaries::get().expect("the Go binaries");
        let child = Command::new(&bins.test_broker)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("test-broker starts");
        eventually("the test-broker to listen", Duration::from_secs(30), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
        TestBroker { child, port }
    }

    /// Stop it and start a fresh one on the same port: everything it held is forgotten.
    fn restart(mut self) -> TestBroker {
        let port = self.port;
        let _ = self.child.kill();
        let _ = self.child.wait();
        TestBroker::start_on(port)
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_upstream_test_broker_cannot_tell_until_restarted_then_no_longer_has_the_instance() {
    let (env, ns) = setup("broker-upstream");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let tb = TestBroker::start_on(port);
    service_broker(env, &ns, "tb", &format!("http://127.0.0.1:{port}"));
    env.apply(
        &ns,
        testkit::Manifest(json!({
            "apiVersion": "servicecatalog.k8s.io/v1beta1",
            "kind": "ServiceInstance",
            "metadata": {"name": "mem"},
            "spec": {"serviceClassExternalName": "test-service", "servicePlanExternalName": "default"},
        })),
    );
    env.verb(&ns, ["wait", "si/mem", "--for=ready", "--timeout=180s"])
        .run();

    let v = env
        .verb(&ns, ["broker", "status", "si/mem", "-o", "json"])
        .run()
        .json();
    assert_eq!(v["broker"]["name"], "servicebroker/tb", "{v:#}");
    assert_eq!(v["broker"]["retrievable"], false, "{v:#}");
    assert_eq!(v["verdict"], "cannot-tell", "{v:#}");
    assert!(
        v["why"]
            .as_str()
            .is_some_and(|w| w.contains("not instances_retrievable")),
        "{v:#}"
    );
    // abandon says so plainly, and the catalog's rule decides: a healthy instance needs --force.
    env.verb(&ns, ["abandon", "mem", "--dry-run"])
        .expect_code(1)
        .run()
        .stderr_has("it is healthy")
        .stderr_has(
            "(the broker cannot tell whether it still holds it: the service is not instances_retrievable",
        );

    let tb = tb.restart();
    env.verb(&ns, ["broker", "status", "si/mem"])
        .run()
        .stdout_has("servicebroker/tb at http://127.0.0.1:")
        .stdout_has("the broker no longer has it: the broker answers 410 Gone to last_operation");

    // Restarted, it holds nothing: abandon goes ahead without --force.
    env.verb(&ns, ["abandon", "mem", "--yes"])
        .run()
        .stderr_has("The broker no longer has serviceinstance.servicecatalog.k8s.io/mem")
        .stdout_has("serviceinstance.servicecatalog.k8s.io/mem deleted");
    env.kubectl(&[
        "delete",
        "servicebroker",
        "tb",
        "-n",
        &ns,
        "--wait=true",
        "--timeout=120s",
    ]);
    drop(tb);
}

#[test]
fn broker_catalog_shows_what_changed_since_the_relist_and_check_finds_each_planted_mistake() {
    let (env, ns) = setup("broker-catalog");
    // A broker of our own, registered as a ServiceBroker of the namespace: changing its catalog touches no
    // other test's classes.
    let broker = testkit::broker::Broker::start().expect("a second broker");
    service_broker(env, &ns, "mine", &broker.url);
    env.verb(&ns, ["broker", "catalog", "mine"])
        .run()
        .stdout_has("Broker servicebroker/mine at http://127.0.0.1:")
        .stdout_has("No differences: the catalog objects match the broker's catalog.");
    env.verb(&ns, ["broker", "check", "mine"])
        .run()
        .stdout_has("The catalog of servicebroker/mine follows the OSB 2.14 rules");

    // The broker's catalog changes behind the controller's back (no relist: relistBehavior Manual).
    let usual = testkit::broker::catalog::document();
    let mut doc = usual.clone();
    doc["services"][0]["description"] = json!("Managed Apache Cassandra, now bigger");
    let kafka_plans = doc["services"][1]["plans"].as_array_mut().expect("plans");
    let dropped = kafka_plans.pop().expect("a kafka plan");
    doc["services"]
        .as_array_mut()
        .expect("services")
        .push(json!({
            "id": "redis-0001", "name": "redis", "description": "Redis", "bindable": true,
            "plans": [{"id": "redis-plan-0001", "name": "tiny", "description": "Tiny"}],
        }));
    broker.set_catalog(Some(doc.clone()));
    let run = env.verb(&ns, ["broker", "catalog", "mine"]).run();
    let run = run
        .stdout_has("changed: description \"Managed Apache Cassandra cluster\" → \"Managed Apache Cassandra, now bigger\"")
        .stdout_has("removed: the catalog has it, the broker no longer offers it")
        .stdout_has("missing: the broker offers it, the catalog has no object for it");
    drop(run);
    let v = env
        .verb(&ns, ["broker", "catalog", "mine", "-o", "json"])
        .run()
        .json();
    let short: Vec<(String, String, String)> = v["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("externalID"), s("difference"))
        })
        .collect();
    let id = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let t = |a: &str, b: String, c: &str| (a.to_string(), b, c.to_string());
    assert_eq!(
        short,
        vec![
            t("class", id(&usual["services"][0]["id"]), "changed"),
            t("class", "redis-0001".into(), "missing"),
            t("plan", "redis-plan-0001".into(), "missing"),
            t("plan", id(&dropped["id"]), "removed"),
        ],
        "{v:#}"
    );

    // Planted mistakes, each found where it is (exit 1).
    let mut bad = usual.clone();
    bad["services"][1]["plans"][0]["id"] = usual["services"][0]["plans"][0]["id"].clone();
    bad["services"][0]["plans"][0]["schemas"]["service_instance"]["create"]["parameters"]["type"] =
        json!(5);
    bad["services"][2]
        .as_object_mut()
        .expect("a service")
        .remove("description");
    broker.set_catalog(Some(bad));
    let run = env
        .verb(&ns, ["broker", "check", "mine"])
        .expect_code(1)
        .run();
    let run = run
        .stdout_has("services[0].plans[0].schemas.service_instance.create.parameters")
        .stdout_has("not a valid JSON Schema for its draft")
        .stdout_has("services[1].plans[0].id")
        .stdout_has("is not unique (also services[0].plans[0].id)")
        .stdout_has("services[2].description")
        .stdout_has("missing required field \"description\"")
        .stderr_has(
            "error: the catalog of servicebroker/mine breaks the OSB 2.14 rules: 3 finding(s)",
        );
    drop(run);
    let v = env
        .verb(&ns, ["broker", "check", "mine", "-o", "json"])
        .expect_code(1)
        .run()
        .json();
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(3), "{v:#}");

    broker.set_catalog(None);
    env.kubectl(&[
        "delete",
        "servicebroker",
        "mine",
        "-n",
        &ns,
        "--wait=true",
        "--timeout=120s",
    ]);
}

/// Every way a canary could show: as given, and as base64 (alone, and `user:password` for basic auth).
pub(crate) fn canaries(values: &[&str]) -> Vec<String> {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut all: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    all.extend(values.iter().map(|v| b64(v)));
    all.push(b64(&values.join(":")));
    all
}

#[test]
fn brokers_behind_basic_and_bearer_auth_are_asked_with_their_credentials_and_never_show_them() {
    let (env, ns) = setup("broker-auth");
    let (user, pass, token) = ("canary-user-7f3a", "canary-pass-9b1c", "canary-token-4e2d");
    let basic = testkit::broker::Broker::start().expect("a basic-auth broker");
    basic.require_auth(Some(testkit::broker::Credentials::Basic(user, pass)));
    let bearer = testkit::broker::Broker::start().expect("a bearer-auth broker");
    bearer.require_auth(Some(testkit::broker::Credentials::Bearer(token)));
    // Its own ids and names: two brokers of one namespace must not offer the same classes.
    let mut doc = testkit::broker::catalog::document();
    for svc in doc["services"].as_array_mut().expect("services") {
        for key in ["id", "name"] {
            svc[key] = json!(format!("{}-b", svc[key].as_str().unwrap_or_default()));
        }
        for plan in svc["plans"].as_array_mut().expect("plans") {
            plan["id"] = json!(format!("{}-b", plan["id"].as_str().unwrap_or_default()));
        }
    }
    bearer.set_catalog(Some(doc));
    basic_auth_secret(env, &ns, "basic-creds", user, pass);
    env.secret(&ns, "bearer-creds", "token", token);
    for (name, url, kind, secret) in [
        ("basic", &basic.url, "basic", "basic-creds"),
        ("bearer", &bearer.url, "bearer", "bearer-creds"),
    ] {
        // The real controller reads the same Secret: the broker turns Ready only with the credentials.
        env.apply(
            &ns,
            testkit::Manifest(json!({
                "apiVersion": "servicecatalog.k8s.io/v1beta1",
                "kind": "ServiceBroker",
                "metadata": {"name": name},
                "spec": {"url": url, "relistBehavior": "Manual",
                         "authInfo": {kind: {"secretRef": {"name": secret}}}},
            })),
        );
        env.until_jsonpath(
            "servicebroker",
            &ns,
            name,
            "{.status.conditions[?(@.type==\"Ready\")].status}",
            |v| v == "True",
        );
    }
    namespaced_instance(env, &ns, "db");

    let secrets = canaries(&[user, pass, token]);
    let runs = [
        env.verb(&ns, ["broker", "status", "si/db", "-v=8"]).run(),
        env.verb(&ns, ["broker", "status", "si/db", "-o", "yaml", "-v=10"])
            .run(),
        env.verb(&ns, ["broker", "catalog", "basic", "-v=8"]).run(),
        env.verb(&ns, ["broker", "check", "bearer", "-v=8"]).run(),
        env.verb(&ns, ["broker", "catalog", "bearer", "-o", "json", "-v=9"])
            .run(),
        env.verb(&ns, ["describe", "db", "--broker", "-v=8"]).run(),
    ];
    for run in runs {
        assert!(
            run.stderr.contains("/v2/catalog"),
            "the broker's requests are logged: {run:#?}"
        );
        for s in &secrets {
            run.clone().never_shows(s);
        }
    }
    env.verb(&ns, ["broker", "status", "si/db", "-v=7"])
        .run()
        .stdout_has("servicebroker/basic at http://127.0.0.1:")
        .stdout_has("(directly, basic auth)")
        .stdout_has("agree: the broker holds the instance")
        .stderr_has("Authorization: Basic <masked>")
        .stderr_has("X-Broker-Api-Version: 2.14");
    env.verb(&ns, ["broker", "catalog", "bearer", "-v=7"])
        .run()
        .stdout_has("No differences")
        .stderr_has("Authorization: Bearer <masked>");

    // Wrong credentials: the broker's 401 is an answer, said as such; still no secret shown.
    basic.require_auth(Some(testkit::broker::Credentials::Basic(user, "other")));
    let run = env
        .verb(&ns, ["broker", "catalog", "basic"])
        .expect_code(1)
        .run()
        .stderr_has("error: servicebroker/basic answered GET /v2/catalog with HTTP 401");
    for s in &secrets {
        run.clone().never_shows(s);
    }
    basic.require_auth(Some(testkit::broker::Credentials::Basic(user, pass)));

    env.deprovision(&ns, "db").wait();
    for name in ["basic", "bearer"] {
        env.kubectl(&[
            "delete",
            "servicebroker",
            name,
            "-n",
            &ns,
            "--wait=true",
            "--timeout=120s",
        ]);
    }
}
