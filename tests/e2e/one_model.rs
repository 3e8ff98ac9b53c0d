//! One model across the verbs (issue 12): one judge of state (`describe`, `get` and `wait` agree), one
//! kind registry (`si/NAME` everywhere), one meaning of `--timeout=0`, and `-o json|yaml|name` keeping
//! stdout to the objects asked for while `--wait` reports on stderr.

use serde_json::Value;
use testkit::{Run, env, isolated_env};

/// stdout must be exactly one JSON document.
#[track_caller]
fn one_json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()
}

#[test]
fn json_output_with_wait_is_one_document_for_every_write_verb() {
    let env = env();
    let ns = env.namespace("onejson");
    let p = env.osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-o",
            "json",
            "--wait",
            "--timeout",
            "120s",
        ],
    );
    let doc = one_json(&p);
    assert_eq!(doc["kind"], "ServiceInstance");
    assert_eq!(doc["metadata"]["name"], "db");
    assert!(
        p.stderr
            .contains("serviceinstance.servicecatalog.k8s.io/db condition met"),
        "the wait's report belongs on stderr: {p:#?}"
    );

    let b = env.osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "db",
            "-o",
            "json",
            "--wait",
            "--timeout",
            "120s",
        ],
    );
    let doc = one_json(&b);
    assert_eq!(doc["kind"], "ServiceBinding");
    assert!(
        b.stderr
            .contains("servicebinding.servicecatalog.k8s.io/app condition met"),
        "{b:#?}"
    );

    // --show-credentials=json: stdout is the credentials alone, status lines on stderr.
    let c = env.osb(
        &ns,
        &["bind", "app", "--instance", "db", "--show-credentials=json"],
    );
    let creds = one_json(&c);
    assert!(creds.get("password").is_some(), "{creds}");
    assert!(
        c.stderr
            .contains("servicebinding.servicecatalog.k8s.io/app unchanged"),
        "{c:#?}"
    );

    let u = env.osb(
        &ns,
        &["unbind", "app", "-o", "json", "--wait", "--timeout", "120s"],
    );
    let doc = one_json(&u);
    assert_eq!(doc["kind"], "ServiceBinding", "{doc}");
    assert!(doc["metadata"]["deletionTimestamp"].is_string(), "{doc}");

    let d = env.osb(
        &ns,
        &[
            "deprovision",
            "db",
            "-o",
            "yaml",
            "--wait",
            "--timeout",
            "120s",
        ],
    );
    assert_eq!(d.code, 0, "{d:#?}");
    assert!(
        d.stdout
            .starts_with("apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\n"),
        "{d:#?}"
    );
    assert!(!d.stdout.contains("deleted"), "{d:#?}");
    let gone = env.kubectl(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(
        gone.code, 1,
        "the --wait waited until it was gone: {gone:#?}"
    );

    // A format a verb cannot print is refused before anything is sent.
    let t = env.osb(
        &ns,
        &[
            "provision",
            "x",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-o",
            "wide",
        ],
    );
    assert_eq!(t.code, 1, "{t:#?}");
    assert!(
        t.stderr.contains("--output=wide is not supported here"),
        "{t:#?}"
    );
    assert_eq!(
        env.kubectl(&["get", "serviceinstance", "x", "-n", &ns])
            .code,
        1
    );
}

#[test]
fn timeout_zero_checks_once_everywhere() {
    let env = env();
    let ns = env.namespace("timeout0");
    // Our broker keeps the provision running for 30 s: nothing is Ready at the first look.
    let p = env.osb(
        &ns,
        &[
            "provision",
            "slow",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "x-test.provision-seconds:=30",
            "--wait",
            "--timeout=0",
        ],
    );
    p.code(4)
        .stdout_has("serviceinstance.servicecatalog.k8s.io/slow created")
        .stderr_has("timed out waiting for the condition on serviceinstances/slow");
    // The same for wait.
    env.osb(&ns, &["wait", "si/slow", "--for=ready", "--timeout=0"])
        .code(4);
    // And with something to see at once, both succeed at the first look.
    let r = env.osb(&ns, &["wait", "si/slow", "--for=ready", "--timeout=120s"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let again = env.osb(
        &ns,
        &[
            "provision",
            "slow",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "x-test.provision-seconds:=30",
            "--wait",
            "--timeout=0",
        ],
    );
    again.ok().stdout_has("unchanged");
}

#[test]
fn abandon_takes_the_short_names_every_verb_takes() {
    let env = env();
    let ns = env.namespace("kinds");
    env.osb(
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
            "120s",
        ],
    )
    .ok();
    for words in [
        &["si/db"][..],
        &["si", "db"],
        &["serviceinstances.servicecatalog.k8s.io/db"],
    ] {
        let mut a = vec!["abandon"];
        a.extend_from_slice(words);
        a.extend_from_slice(&["--dry-run=client", "--force", "--yes"]);
        let run = env.osb(&ns, &a);
        assert_eq!(run.code, 0, "{words:?}: {run:#?}");
        assert!(run.stdout.contains("db"), "{words:?}: {run:#?}");
    }
    // The same spellings in the other verbs.
    env.osb(&ns, &["describe", "si", "db"]).ok();
    env.osb(&ns, &["get", "si", "db"]).ok();
    env.osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=0"])
        .ok();
    let bad = env.osb(&ns, &["abandon", "pods/db", "--dry-run=client"]);
    assert_eq!(bad.code, 2, "{bad:#?}");
    assert!(bad.stderr.contains("unknown type \"pods\""), "{bad:#?}");
    // Nothing was abandoned by the dry runs.
    let fin = env
        .kubectl(&[
            "get",
            "serviceinstance",
            "db",
            "-n",
            &ns,
            "-o",
            "jsonpath={.metadata.finalizers}",
        ])
        .ok();
    assert!(
        fin.stdout.contains("kubernetes-incubator/service-catalog"),
        "{fin:#?}"
    );
}

/// With the controller stopped, an update leaves the instance's Ready=True from the older generation:
/// `describe`, `get` and `wait` must all say it is not Ready (yet).
#[test]
fn describe_get_and_wait_agree_on_a_generation_the_controller_has_not_seen() {
    let env = isolated_env();
    let ns = env.namespace("stale");
    env.osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "nodes=3",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    env.catalog.stop_controller();
    env.osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "nodes=5",
            "--update",
        ],
    )
    .ok();
    let si: Value = serde_json::from_str(
        &env.kubectl(&["get", "serviceinstance", "db", "-n", &ns, "-o", "json"])
            .ok()
            .stdout,
    )
    .unwrap();
    assert!(
        si["metadata"]["generation"].as_i64() > si["status"]["observedGeneration"].as_i64(),
        "the update is not observed yet: {si:#}"
    );
    assert_eq!(
        si["status"]["conditions"][0]["status"], "True",
        "Ready=True still: {si:#}"
    );

    let d = env.osb(&ns, &["describe", "db"]).ok();
    assert!(
        d.stdout.contains("not yet observed by a controller"),
        "{d:#?}"
    );
    let g = env.osb(&ns, &["get", "instances"]).ok();
    let row = g.stdout.lines().nth(1).unwrap_or_default().to_string();
    assert!(
        row.contains(" Pending ") && !row.contains(" Ready "),
        "{g:#?}"
    );
    let g = env.osb(&ns, &["get", "instances", "-o", "wide"]).ok();
    assert!(g.stdout.contains("not yet observed"), "{g:#?}");
    let w = env.osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=0"]);
    assert_eq!(w.code, 4, "{w:#?}");

    env.catalog.restart_controller(&env.cp).unwrap();
    let w = env.osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=120s"]);
    assert_eq!(w.code, 0, "{w:#?}");
    let d = env.osb(&ns, &["describe", "db"]).ok();
    assert!(!d.stdout.contains("not yet observed"), "{d:#?}");
}
