//! Asynchronous bindings (OSB 2.14; the controller's `AsyncBindingOperations` gate, on in the test
//! cluster): our broker answers a bind or an unbind with 202, the real controller polls the binding's
//! `last_operation` and fetches the credentials with GET binding, and `bind --wait`, `wait`, `describe`
//! and `unbind --wait` follow it. Each in-flight state is held by the broker (`bind-seconds: 600`) until
//! the test has looked at it, then released by changing the behaviour: nothing races the controller.

use serde_json::{Value, json};
use testkit::{Env, finish, setup};

const SB: &str = "servicebinding.servicecatalog.k8s.io";

/// The OSB requests our broker received for binding `bid` of namespace `ns`: (method, path tail after
/// the binding id, query, status).
fn binding_requests(env: &Env, ns: &str, bid: &str) -> Vec<(String, String, String, u64)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    env.broker_requests_in(ns)
        .into_iter()
        .filter(|r| r["binding_id"] == bid)
        .map(|r| {
            let path = s(&r["path"]);
            let tail = path.split(bid).nth(1).unwrap_or_default().to_string();
            (
                s(&r["method"]),
                tail,
                s(&r["query"]),
                r["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// `kubectl osb describe binding NAME`, which must explain every reason it shows.
#[track_caller]
fn described(env: &Env, ns: &str, name: &str) -> testkit::Run {
    let d = env.osb(ns, &["describe", "binding", name]).ok();
    assert_eq!(
        crate::events::bare_reasons(&d.stdout),
        Vec::<String>::new(),
        "{}",
        d.stdout
    );
    d
}

/// The binding's Events include each of `reasons`.
#[track_caller]
fn has_events(env: &Env, ns: &str, name: &str, reasons: &[&str]) {
    let seen: Vec<String> = env.events(ns, name).into_iter().map(|(_, r)| r).collect();
    for r in reasons {
        assert!(seen.iter().any(|s| s == r), "no {r} event: {seen:?}");
    }
}

fn ready_condition(env: &Env, ns: &str, name: &str) -> (String, String) {
    let sb = env.json("servicebinding", ns, name);
    let ready = sb["status"]["conditions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
        .cloned()
        .unwrap_or_default();
    (
        ready["reason"].as_str().unwrap_or_default().to_string(),
        ready["message"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn an_async_bind_is_polled_and_its_credentials_come_from_get_binding_then_unbound_async() {
    let (env, ns) = setup("async-bind");
    env.cassandra(&ns, "db").wait();

    // The broker works on the bind until the test releases it.
    env.behave(&ns, "db", json!({"bind": "async", "bind-seconds": 600}));
    let bind = env.bind(&ns, "app").instance("db").with_wait().spawn();
    // The controller wrote the broker's progress (the description of last_operation) on Ready.
    let message = env.until_jsonpath(
        "servicebinding",
        &ns,
        "app",
        "{.status.conditions[?(@.type==\"Ready\")].message}",
        |m| m.contains("(Creating the database user"),
    );
    assert!(
        message.starts_with("The binding is being created asynchronously ("),
        "{message}"
    );
    let sb = env.json("servicebinding", &ns, "app");
    assert_eq!(sb["status"]["asyncOpInProgress"], true, "{sb:#}");
    assert_eq!(sb["status"]["currentOperation"], "Bind");
    let op = sb["status"]["lastOperation"].as_str().unwrap().to_string();
    assert!(op.starts_with("bind-"), "the broker's operation key: {op}");
    described(env, &ns, "app")
        .stdout_has("Status:             Binding")
        .stdout_has(
            "Operation:          Bind in progress at the broker (asynchronous; the catalog polls it)",
        )
        .stdout_has(&format!("Last Operation:     {op}"))
        .stdout_has("  Binding: the broker is creating the credentials (asynchronous)")
        .stdout_has("Secret Data:        <none> (the broker is still creating the credentials");
    // A separate wait sees the same operation and, released, the same end.
    let wait = env
        .verb(&ns, ["wait", "sb/app", "--for=ready"])
        .timeout("180s")
        .spawn();

    env.behave(&ns, "db", json!({"bind": "async", "bind-seconds": 0}));
    let bound = finish(bind).ok();
    assert_eq!(
        bound.stdout,
        format!("{SB}/app created\n{SB}/app condition met\n"),
        "{bound:?}"
    );
    assert_eq!(
        finish(wait).ok().stdout,
        format!("{SB}/app condition met\n")
    );
    assert_eq!(
        ready_condition(env, &ns, "app"),
        ("InjectedBindResult".into(), "Injected bind result".into())
    );

    // The Secret holds what GET binding answered: the 202 carried no credentials.
    let bid = env.json("servicebinding", &ns, "app")["spec"]["externalID"]
        .as_str()
        .unwrap()
        .to_string();
    let requests = binding_requests(env, &ns, &bid);
    let seen = |method: &str, tail: &str, status: u64| {
        requests
            .iter()
            .any(|(m, t, _, s)| m == method && t == tail && *s == status)
    };
    assert!(
        requests.iter().any(|(m, t, q, s)| m == "PUT"
            && t.is_empty()
            && q == "accepts_incomplete=true"
            && *s == 202),
        "the bind was asynchronous: {requests:?}"
    );
    assert!(
        requests.iter().any(|(m, t, q, s)| m == "GET"
            && t == "/last_operation"
            && q.contains(&format!("operation={op}"))
            && *s == 200),
        "the controller polled the operation: {requests:?}"
    );
    assert!(seen("GET", "", 200), "GET binding: {requests:?}");
    let held = env.broker_instance(&ns, "db").unwrap();
    let binding = &held["bindings"][0];
    assert_eq!(binding["id"], bid.as_str());
    assert_eq!(binding["state"], "ready");
    let secret = env.secret_data(&ns, "app");
    let creds = binding["credentials"].as_object().unwrap();
    let sorted = |keys: serde_json::map::Keys<'_>| {
        let mut k: Vec<String> = keys.cloned().collect();
        k.sort();
        k
    };
    assert_eq!(sorted(secret.keys()), sorted(creds.keys()));
    for k in ["username", "password", "host"] {
        assert_eq!(secret[k], creds[k], "{k}");
    }
    has_events(env, &ns, "app", &["Binding", "InjectedBindResult"]);

    // The unbind, asynchronous too: held, looked at, released.
    env.behave(&ns, "db", json!({"unbind": "async", "bind-seconds": 600}));
    let unbind = env.unbind(&ns, "app").with_wait().spawn();
    env.until_jsonpath(
        "servicebinding",
        &ns,
        "app",
        "{.status.conditions[?(@.type==\"Ready\")].message}",
        |m| m.contains("(Deleting the database user"),
    );
    let sb = env.json("servicebinding", &ns, "app");
    assert_eq!(
        (
            &sb["status"]["asyncOpInProgress"],
            &sb["status"]["currentOperation"]
        ),
        (&json!(true), &json!("Unbind")),
        "{sb:#}"
    );
    described(env, &ns, "app")
        .stdout_has("Status:             Unbinding")
        .stdout_has(
            "Operation:          Unbind in progress at the broker (asynchronous; the catalog polls it)",
        )
        .stdout_has("  Unbinding: the broker is removing the credentials (asynchronous)");
    env.behave(&ns, "db", json!({"unbind": "async", "bind-seconds": 0}));
    let unbound = finish(unbind).ok();
    assert_eq!(unbound.stdout, format!("{SB}/app deleted\n"), "{unbound:?}");
    assert!(env.names("servicebindings", &ns).is_empty());
    let requests = binding_requests(env, &ns, &bid);
    assert!(
        requests.iter().any(|(m, t, q, s)| m == "DELETE"
            && t.is_empty()
            && q.contains("accepts_incomplete=true")
            && *s == 202),
        "the unbind was asynchronous: {requests:?}"
    );
    assert_eq!(
        env.broker_instance(&ns, "db").unwrap()["bindings"],
        json!([]),
        "the broker no longer holds the credentials"
    );
}

#[test]
fn an_async_bind_that_fails_ends_the_waits_with_3_and_the_broker_s_description() {
    let (env, ns) = setup("async-bind-fail");
    env.cassandra(&ns, "db").wait();
    let run = env
        .bind(&ns, "app")
        .instance("db")
        .param("x-test.bind", "async-fail")
        .param("x-test.message", "quota of database roles reached")
        .expect_code(3)
        .wait();
    run.stdout_has(&format!("{SB}/app created\n"))
        .stderr_has(&format!(
            "error: {SB}/app failed: BindCallFailed (the bind call failed;"
        ))
        .stderr_has("Bind call failed: quota of database roles reached");
    let sb = env.json("servicebinding", &ns, "app");
    let conditions: Vec<(String, String, String)> = sb["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("type"), s("status"), s("reason"))
        })
        .collect();
    assert_eq!(
        conditions,
        [
            ("Ready".into(), "False".into(), "BindCallFailed".into()),
            ("Failed".into(), "True".into(), "BindCallFailed".into()),
        ],
        "{sb:#}"
    );
    // The controller does not retry: no operation, no orphan mitigation.
    assert_eq!(sb["status"]["asyncOpInProgress"], false, "{sb:#}");
    assert_eq!(sb["status"]["orphanMitigationInProgress"], false, "{sb:#}");
    assert!(!env.names("secrets", &ns).iter().any(|s| s == "secret/app"));

    env.verb(&ns, ["wait", "sb/app", "--for=ready"])
        .timeout("60s")
        .expect_code(3)
        .run()
        .stderr_has(&format!("error: {SB}/app failed: BindCallFailed"))
        .stderr_has("quota of database roles reached");
    described(env, &ns, "app")
        .stdout_has("Status:             Failed: BindCallFailed")
        .stdout_has("Bind call failed: quota of database roles reached")
        .stdout_has("  BindCallFailed: the bind call failed;");

    // Deleting it unbinds at the broker, which no longer knows the binding (410): gone at once.
    env.unbind(&ns, "app")
        .wait()
        .stdout_has(&format!("{SB}/app deleted"));
    assert!(env.names("servicebindings", &ns).is_empty());
}

#[test]
fn an_async_unbind_that_fails_is_retried_and_unbind_wait_says_why() {
    let (env, ns) = setup("async-unbind-fail");
    env.cassandra(&ns, "db").wait();
    env.bind(&ns, "app").instance("db").wait();
    env.behave(
        &ns,
        "db",
        json!({"unbind": "async-fail", "bind-seconds": 0.5,
               "message": "the user still owns 3 open sessions"}),
    );
    // The broker answers 202, then `failed`: the controller sends the unbind again and again; the wait
    // ends at the first failed call it was told to stop at, with the broker's words.
    env.unbind(&ns, "app")
        .args(["--fail-after-retries", "1"])
        .expect_code(3)
        .wait()
        .stderr_has(&format!("error: {SB}/app failed: UnbindCallFailed ("))
        .stderr_has("Unbind call failed: the user still owns 3 open sessions");
    let sb = env.json("servicebinding", &ns, "app");
    assert!(sb["metadata"]["deletionTimestamp"].is_string(), "{sb:#}");
    assert_eq!(sb["status"]["unbindStatus"], "Required", "{sb:#}");
    has_events(env, &ns, "app", &["Unbinding", "UnbindCallFailed"]);

    // Once the broker manages, the next attempt ends it.
    env.behave(&ns, "db", json!({"unbind": "async", "bind-seconds": 0}));
    env.unbind(&ns, "app")
        .wait()
        .stdout_has(&format!("{SB}/app deleted"));
    assert!(env.names("servicebindings", &ns).is_empty());
    assert_eq!(
        env.broker_instance(&ns, "db").unwrap()["bindings"],
        json!([])
    );
}
