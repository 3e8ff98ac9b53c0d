//! One model across the verbs (issue 12): one judge of state (`describe`, `get` and `wait` agree), one
//! kind registry (`si/NAME` everywhere), one meaning of `--timeout=0`, and `-o json|yaml|name` keeping
//! stdout to the objects asked for while `--wait` reports on stderr.

use testkit::{isolated_env, setup};

#[test]
fn json_output_with_wait_is_one_document_for_every_write_verb() {
    let (env, ns) = setup("onejson");
    let p = env.cassandra(&ns, "db").args(["-o", "json"]).wait();
    // stdout is exactly one JSON document.
    let doc = p.json();
    assert_eq!(doc["kind"], "ServiceInstance");
    assert_eq!(doc["metadata"]["name"], "db");
    p.stderr_has("serviceinstance.servicecatalog.k8s.io/db condition met");

    let b = env
        .bind(&ns, "app")
        .instance("db")
        .args(["-o", "json"])
        .wait();
    let doc = b.json();
    assert_eq!(doc["kind"], "ServiceBinding");
    b.stderr_has("servicebinding.servicecatalog.k8s.io/app condition met");

    // --show-credentials=json: stdout is the credentials alone, status lines on stderr.
    let c = env
        .bind(&ns, "app")
        .instance("db")
        .arg("--show-credentials=json")
        .run();
    let creds = c.json();
    assert!(creds.get("password").is_some(), "{creds}");
    c.stderr_has("servicebinding.servicecatalog.k8s.io/app unchanged");

    let u = env.unbind(&ns, "app").args(["-o", "json"]).wait();
    let doc = u.json();
    assert_eq!(doc["kind"], "ServiceBinding", "{doc}");
    assert!(doc["metadata"]["deletionTimestamp"].is_string(), "{doc}");

    let d = env.deprovision(&ns, "db").args(["-o", "yaml"]).wait();
    let d = d.stdout_starts("apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\n");
    assert!(!d.stdout.contains("deleted"), "{d:#?}");
    let gone = env.kubectl(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(
        gone.code, 1,
        "the --wait waited until it was gone: {gone:#?}"
    );

    // A format a verb cannot print is refused before anything is sent.
    let t = env
        .cassandra(&ns, "x")
        .args(["-o", "wide"])
        .expect_code(1)
        .run();
    t.stderr_has("--output=wide is not supported here");
    assert_eq!(
        env.kubectl(&["get", "serviceinstance", "x", "-n", &ns])
            .code,
        1
    );
}

#[test]
fn timeout_zero_checks_once_everywhere() {
    let (env, ns) = setup("timeout0");
    // Our broker keeps the provision running for 30 s: nothing is Ready at the first look.
    let slow = || {
        env.cassandra(&ns, "slow")
            .json_param("x-test.provision-seconds", 30)
            .timeout("0")
    };
    slow()
        .expect_code(4)
        .wait()
        .stdout_has("serviceinstance.servicecatalog.k8s.io/slow created")
        .stderr_has("timed out waiting for the condition on serviceinstances/slow");
    // The same for wait.
    env.osb(&ns, &["wait", "si/slow", "--for=ready", "--timeout=0"])
        .code(4);
    // And with something to see at once, both succeed at the first look.
    let r = env.osb(&ns, &["wait", "si/slow", "--for=ready", "--timeout=120s"]);
    assert_eq!(r.code, 0, "{r:#?}");
    slow().wait().stdout_has("unchanged");
}

#[test]
fn abandon_takes_the_short_names_every_verb_takes() {
    let (env, ns) = setup("kinds");
    env.cassandra(&ns, "db").wait();
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
        run.stdout_has("db");
    }
    // The same spellings in the other verbs.
    env.osb(&ns, &["describe", "si", "db"]).ok();
    env.osb(&ns, &["get", "si", "db"]).ok();
    env.osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=0"])
        .ok();
    let bad = env.osb(&ns, &["abandon", "pods/db", "--dry-run=client"]);
    assert_eq!(bad.code, 2, "{bad:#?}");
    bad.stderr_has("unknown type \"pods\"");
    // Nothing was abandoned by the dry runs.
    let fin = env.jsonpath("serviceinstance", &ns, "db", "{.metadata.finalizers}");
    assert!(
        fin.contains("kubernetes-incubator/service-catalog"),
        "{fin:#?}"
    );
}

/// With the controller stopped, an update leaves the instance's Ready=True from the older generation:
/// `describe`, `get` and `wait` must all say it is not Ready (yet).
#[test]
fn describe_get_and_wait_agree_on_a_generation_the_controller_has_not_seen() {
    let env = isolated_env();
    let ns = env.namespace("stale");
    let db = || env.cassandra(&ns, "db");
    db().param("nodes", 3).wait();
    env.catalog.stop_controller();
    db().param("nodes", 5).arg("--update").run();
    let si = env.json("serviceinstance", &ns, "db");
    assert!(
        si["metadata"]["generation"].as_i64() > si["status"]["observedGeneration"].as_i64(),
        "the update is not observed yet: {si:#}"
    );
    assert_eq!(
        si["status"]["conditions"][0]["status"], "True",
        "Ready=True still: {si:#}"
    );

    let d = env.osb(&ns, &["describe", "db"]).ok();
    d.stdout_has("not yet observed by a controller");
    let g = env.osb(&ns, &["get", "instances"]).ok();
    let row = g.stdout.lines().nth(1).unwrap_or_default().to_string();
    assert!(
        row.contains(" Pending ") && !row.contains(" Ready "),
        "{g:#?}"
    );
    let g = env.osb(&ns, &["get", "instances", "-o", "wide"]).ok();
    g.stdout_has("not yet observed");
    let w = env.osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=0"]);
    assert_eq!(w.code, 4, "{w:#?}");

    env.catalog.restart_controller(&env.cp).unwrap();
    let w = env.osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=120s"]);
    assert_eq!(w.code, 0, "{w:#?}");
    let d = env.osb(&ns, &["describe", "db"]).ok();
    assert!(!d.stdout.contains("not yet observed"), "{d:#?}");
}
