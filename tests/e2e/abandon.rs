//! `kubectl osb abandon` finds orphans and force-cleans them, safely, against the real Service
//! Catalog controller. Orphans are real: on `testkit::short_retry_env()` the controller gives up on a
//! deprovision our broker refuses (`x-test` `deprovision: fail`, HTTP 400) after `testkit::SHORT_RETRY`
//! and leaves `deprovisionStatus: Failed` with its finalizer. Objects are created with `kubectl apply`.

use std::process::Command;
use std::sync::OnceLock;

use k8s_openapi::api::core::v1::Secret;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use osb::catalog::{Conditioned, FINALIZER, ServiceBinding, ServiceInstance};
use osb_abandon::{DryRun, Target};
use serde_json::{Value, json};
use testkit::{Env, Manifest, PATIENCE, Run, env, eventually, setup, short_retry_env};

const SI: &str = "serviceinstance.servicecatalog.k8s.io";
const SB: &str = "servicebinding.servicecatalog.k8s.io";

/// A cassandra instance.
fn cassandra(name: &str) -> Manifest {
    testkit::instance(name, "cassandra", "developer")
}

/// An instance whose deprovision our broker refuses (HTTP 400).
fn refusing_deprovision(name: &str) -> Manifest {
    cassandra(name).x_test(json!({"deprovision": "fail"}))
}

/// The instances, bindings and Secrets of `ns`, through a client of the calling test's runtime.
async fn apis(env: &Env, ns: &str) -> (Api<ServiceInstance>, Api<ServiceBinding>, Api<Secret>) {
    let client = env.client().await;
    (
        Api::namespaced(client.clone(), ns),
        Api::namespaced(client.clone(), ns),
        Api::namespaced(client, ns),
    )
}

/// Wait until the object `ns/name` exists and `pred` holds on it.
#[track_caller]
fn until<K>(env: &Env, ns: &str, name: &str, what: &str, pred: impl Fn(&K) -> bool) -> K
where
    K: kube::Resource<DynamicType = ()> + serde::de::DeserializeOwned,
{
    eventually(format!("{name} to be {what}"), PATIENCE, || {
        env.typed::<K>(ns, name).filter(|o| pred(o))
    })
}

#[track_caller]
fn ready_instance(env: &Env, ns: &str, name: &str) -> ServiceInstance {
    until(env, ns, name, "Ready", |si: &ServiceInstance| {
        si.is_true("Ready") && !si.async_op_in_progress()
    })
}

#[track_caller]
fn ready_binding(env: &Env, ns: &str, name: &str) -> ServiceBinding {
    until(env, ns, name, "Ready", |sb: &ServiceBinding| {
        sb.is_true("Ready")
    })
}

const ORPHANED: &str = "{.status.deprovisionStatus}/{.status.conditions[?(@.type==\"Failed\")].reason}/{.metadata.finalizers}";

/// `kubectl delete` without waiting, then wait (blocking) until the controller gives up on the refused
/// deprovision: `deprovisionStatus: Failed`, `Failed=True ErrorReconciliationRetryTimeout`, and the
/// catalog's finalizer still there.
fn orphan(env: &Env, ns: &str, name: &str) {
    env.kubectl(&["delete", "serviceinstance", name, "-n", ns, "--wait=false"])
        .ok();
    env.until_jsonpath("serviceinstance", ns, name, ORPHANED, |s| {
        s.starts_with("Failed/ErrorReconciliationRetryTimeout/") && s.contains(FINALIZER)
    });
}

/// The orphans of the tests below. Each takes the controller's retry duration to make, so they are made
/// together, once, on threads, by whichever test comes first.
struct Orphans {
    /// `db` for [`list_finds_a_failed_deprovision_and_abandon_frees_the_name`].
    list_ns: String,
    /// `db` for [`a_concurrent_update_during_finalizer_removal_is_retried_and_keeps_other_finalizers`],
    /// with finalizers `example.com/first`, the catalog's and `example.com/last`.
    conflict_ns: String,
    /// The finalizers of that `db` once created (with `example.com/first` in its manifest).
    conflict_finalizers_at_create: Vec<String>,
}

static ORPHANS: OnceLock<Orphans> = OnceLock::new();

fn orphans() -> &'static Orphans {
    ORPHANS.get_or_init(|| {
        let env = short_retry_env();
        std::thread::scope(|s| {
            let list = s.spawn(|| {
                let ns = env.namespace("abandon-list");
                env.apply(&ns, refusing_deprovision("db"));
                env.until_jsonpath("serviceinstance", &ns, "db", READY, |s| {
                    s == "True/false"
                });
                orphan(env, &ns, "db");
                ns.keep()
            });
            let conflict = s.spawn(|| {
                let ns = env.namespace("abandon-conflict");
                env.apply(
                    &ns,
                    refusing_deprovision("db").finalizers(&["example.com/first"]),
                );
                env.until_jsonpath("serviceinstance", &ns, "db", READY, |s| {
                    s == "True/false"
                });
                let at_create =
                    env.jsonpath("serviceinstance", &ns, "db", "{.metadata.finalizers}");
                let at_create: Vec<String> = serde_json::from_str(&at_create).unwrap();
                // Finalizers on both sides of the catalog's, to check the order is kept. (Finalizers
                // can only be added before the deletion.)
                let patch = json!({"metadata": {"finalizers": ["example.com/first", FINALIZER, "example.com/last"]}});
                env.kubectl(&[
                    "patch",
                    "serviceinstance",
                    "db",
                    "-n",
                    &ns,
                    "--type=merge",
                    "-p",
                    &patch.to_string(),
                ])
                .ok();
                orphan(env, &ns, "db");
                (ns.keep(), at_create)
            });
            let list_ns = list.join().expect("making the list test's orphan");
            let (conflict_ns, conflict_finalizers_at_create) =
                conflict.join().expect("making the conflict test's orphan");
            Orphans {
                list_ns,
                conflict_ns,
                conflict_finalizers_at_create,
            }
        })
    })
}

const READY: &str = "{.status.conditions[?(@.type==\"Ready\")].status}/{.status.asyncOpInProgress}";

fn abandon(env: &Env, ns: &str, args: &[&str]) -> Run {
    let mut all = vec!["osb", "abandon", "-n", ns];
    all.extend_from_slice(args);
    env.kubectl(&all)
}

fn parse_json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"))
}

#[tokio::test]
async fn list_finds_a_failed_deprovision_and_abandon_frees_the_name() {
    let orphans = tokio::task::spawn_blocking(orphans).await.unwrap();
    let env = short_retry_env();
    let ns = &orphans.list_ns;
    let api: Api<ServiceInstance> = Api::namespaced(env.client().await, ns);
    // A healthy instance next to it is no candidate.
    env.apply(ns, cassandra("healthy"));
    ready_instance(env, ns, "healthy");
    let old = api.get("db").await.unwrap();
    assert_eq!(old.deprovision_status(), "Failed");
    let old_id = old.spec.external_id.clone().expect("externalID");

    let list = abandon(env, ns, &["--list"]).ok();
    let mut lines = list.stdout.lines();
    let header: Vec<_> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["KIND", "NAME", "AGE", "REASON"], "{list:#?}");
    let row = lines.next().unwrap();
    assert!(row.starts_with("ServiceInstance   db "), "{row}");
    assert!(
        row.contains("deprovision failed for good (deprovisionStatus: Failed, ErrorReconciliationRetryTimeout)"),
        "{row}"
    );
    assert_eq!(lines.next(), None, "{list:#?}");

    let all = env.kubectl(&["osb", "abandon", "--list", "-A"]).ok();
    let all = all.stdout_starts("NAMESPACE ");
    assert!(
        all.stdout.lines().any(|l| l.split_whitespace().take(3).eq([
            ns.as_str(),
            "ServiceInstance",
            "db"
        ])),
        "{all:#?}"
    );

    let json = parse_json(&abandon(env, ns, &["--list", "-o", "json"]).ok());
    assert_eq!(json["kind"], "List");
    assert_eq!(json["items"].as_array().unwrap().len(), 1, "{json:#}");
    let item = &json["items"][0];
    assert_eq!(item["kind"], "ServiceInstance");
    assert_eq!(item["metadata"]["name"], "db");
    assert_eq!(item["metadata"]["finalizers"], json!([FINALIZER]));
    assert_eq!(item["reasons"][0]["code"], "DeprovisionFailed");
    let name = abandon(env, ns, &["--list", "-o", "name"]).ok();
    assert_eq!(name.stdout, format!("{SI}/db\n"));

    // The broker still holds the instance it refused to deprovision: refused without --force.
    let refused = abandon(env, ns, &["db", "--yes"]).code(1);
    let refused = refused.stderr_has(&format!(
        "error: refusing to abandon {SI}/db: its broker still holds it (the broker still holds the instance the catalog is deleting"
    ));
    assert_eq!(refused.stdout, "", "{refused:#?}");
    let run = abandon(env, ns, &["db", "--yes", "--force"]).ok();
    let run = run.stderr_has(&format!(
        "--force overrides the broker's answer that it still holds {SI}/db"
    ));
    assert_eq!(
        run.stdout,
        format!("{SI}/db finalizer removed\n{SI}/db deleted\n"),
        "{run:#?}"
    );
    run.stderr_has("may keep being billed");
    assert!(api.get_opt("db").await.unwrap().is_none());
    // The warning is true: the broker still holds the instance it refused to deprovision.
    let at_broker = env
        .broker_instances()
        .into_iter()
        .find(|i| i["id"] == old_id.as_str())
        .expect("the broker knows the abandoned instance");
    assert_eq!(at_broker["state"], "ready", "{at_broker:#}");

    // The name is free again: a new instance with it becomes Ready.
    env.apply(ns, cassandra("db"));
    let new = ready_instance(env, ns, "db");
    assert_ne!(new.uid(), old.uid());
    assert_ne!(new.spec.external_id.as_deref(), Some(old_id.as_str()));
    assert!(new.finalizers().contains(&FINALIZER.to_string()));
    let after = abandon(env, ns, &["--list"]).ok();
    assert_eq!(after.stdout, "", "{after:#?}");
    assert_eq!(
        after.stderr.trim(),
        format!("No resources found in {ns} namespace.")
    );
}

#[tokio::test]
async fn with_bindings_leaves_no_binding_secret_or_finalizer_behind() {
    let (env, ns) = setup("abandon-bindings");
    let (instances, bindings, secrets) = apis(env, &ns).await;
    // Its deprovision refused: the controller never finishes the deletion on its own, even once the
    // bindings are gone.
    env.apply(&ns, refusing_deprovision("db"));
    env.apply(&ns, cassandra("other"));
    ready_instance(env, &ns, "db");
    ready_instance(env, &ns, "other");
    env.apply(&ns, testkit::binding("b1", "db"));
    env.apply(
        &ns,
        testkit::binding("b2", "db").set("/spec/secretName", "b2-creds"),
    );
    env.apply(&ns, testkit::binding("ob", "other"));
    for b in ["b1", "b2", "ob"] {
        ready_binding(env, &ns, b);
    }
    for s in ["b1", "b2-creds", "ob"] {
        assert!(secrets.get_opt(s).await.unwrap().is_some(), "secret {s}");
    }
    // Deleting the instance is blocked by its bindings.
    env.kubectl(&["delete", "serviceinstance", "db", "-n", &ns, "--wait=false"])
        .ok();
    until(env, &ns, "db", "blocked", |si: &ServiceInstance| {
        si.condition("Ready").and_then(|c| c.reason.as_deref())
            == Some("DeprovisionBlockedByExistingCredentials")
    });
    let stuck = abandon(env, &ns, &["--list", "--older-than", "0s", "-o", "json"]).ok();
    let items = parse_json(&stuck)["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{stuck:#?}");
    assert_eq!(items[0]["reasons"][0]["code"], "StuckDeleting");

    let expected = |suffix: &str| {
        [
            format!("{SB}/b1 finalizer removed"),
            format!("{SB}/b1 deleted"),
            "secret/b1 deleted".into(),
            format!("{SB}/b2 finalizer removed"),
            format!("{SB}/b2 deleted"),
            "secret/b2-creds deleted".into(),
            format!("{SI}/db finalizer removed"),
            format!("{SI}/db deleted"),
        ]
        .map(|l| format!("{l}{suffix}\n"))
        .concat()
    };
    // The bindings' resource versions: what any change to them changes.
    let versions = || async {
        let list = bindings.list(&ListParams::default()).await.unwrap();
        let v: Vec<String> = list.iter().map(|b| b.resource_version().unwrap()).collect();
        v
    };
    let before = versions().await;
    // Dry runs say exactly what would change and change nothing (no --yes needed).
    let dry = abandon(env, &ns, &["db", "--with-bindings", "--force", "--dry-run"]).ok();
    assert_eq!(dry.stdout, expected(" (dry run)"), "{dry:#?}");
    dry.stderr_has("remove finalizer kubernetes-incubator/service-catalog");
    let server = abandon(
        env,
        &ns,
        &["db", "--with-bindings", "--force", "--dry-run=server"],
    )
    .ok();
    assert_eq!(server.stdout, expected(" (server dry run)"), "{server:#?}");
    let by_name = [
        "db",
        "--with-bindings",
        "--force",
        "--dry-run",
        "-o",
        "name",
    ];
    let names = abandon(env, &ns, &by_name).ok();
    assert_eq!(
        names.stdout,
        format!("{SB}/b1\n{SB}/b2\n{SI}/db\n"),
        "{names:#?}"
    );
    let after_dry = versions().await;
    assert_eq!(before, after_dry, "a dry run changed a binding");
    for s in ["b1", "b2-creds"] {
        assert!(
            secrets.get_opt(s).await.unwrap().is_some(),
            "dry run deleted {s}"
        );
    }

    let run = abandon(env, &ns, &["db", "--with-bindings", "--force", "--yes"]).ok();
    assert_eq!(run.stdout, expected(""), "{run:#?}");

    assert!(instances.get_opt("db").await.unwrap().is_none());
    let left: Vec<String> = bindings
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|b| b.name_any())
        .collect();
    assert_eq!(left, ["ob"], "only the other instance's binding remains");
    for s in ["b1", "b2-creds"] {
        assert!(
            secrets.get_opt(s).await.unwrap().is_none(),
            "secret {s} left"
        );
    }
    // Nothing else was touched.
    let other = instances.get("other").await.unwrap();
    assert!(other.is_true("Ready") && other.metadata.deletion_timestamp.is_none());
    let ob = bindings.get("ob").await.unwrap();
    assert_eq!(ob.finalizers(), [FINALIZER]);
    assert!(secrets.get_opt("ob").await.unwrap().is_some());
}

#[tokio::test]
async fn healthy_objects_and_unconfirmed_runs_are_refused_and_nothing_changes() {
    let (env, ns) = setup("abandon-safety");
    let (instances, bindings, _) = apis(env, &ns).await;
    env.apply(&ns, cassandra("ok"));
    let si = ready_instance(env, &ns, "ok");
    env.apply(&ns, testkit::binding("okb", "ok"));
    let sb = ready_binding(env, &ns, "okb");
    let rv = si.resource_version();

    let refused = abandon(env, &ns, &["ok", "--yes"]);
    let refused = refused.code(1).stderr_starts(&format!(
        "error: refusing to abandon {SI}/ok: it is healthy"
    ));
    let refused = refused.stderr_has("--force");
    assert_eq!(refused.stdout, "");
    let b_refused = abandon(env, &ns, &["binding", "okb", "--yes"]);
    assert_eq!(b_refused.code, 1, "{b_refused:#?}");

    // No terminal and no --yes: refused, even with --force.
    let no_tty = abandon(env, &ns, &["ok", "--force"]);
    let no_tty = no_tty
        .code(1)
        .stderr_has("stdin is not a terminal; pass --yes");
    no_tty.stderr_has("may keep being billed");

    // Usage and lookup errors.
    for (args, code) in [
        (&[][..], 2),
        (&["--list", "ok"][..], 2),
        (&["binding", "okb", "--with-bindings"][..], 2),
        (&["pod/x"][..], 2),
        (&["nope", "--yes"][..], 1),
    ] {
        let r = abandon(env, &ns, args);
        assert_eq!(r.code, code, "{args:?}: {r:#?}");
    }
    assert!(
        abandon(env, &ns, &["nope", "--yes"])
            .stderr
            .starts_with("Error from server (NotFound)")
    );

    // A terminal: the question is asked, and anything but yes aborts.
    let no = on_a_terminal(&ns, "ok --force", "n\n");
    assert_eq!(no.code, 1, "{no:#?}");
    no.stdout_has("Are you sure? [y/N]")
        .stdout_has("aborted: nothing was changed");

    let si = instances.get("ok").await.unwrap();
    assert_eq!(
        si.resource_version(),
        rv,
        "a refused run changed the instance"
    );
    assert_eq!(si.finalizers(), [FINALIZER]);
    let b = bindings.get("okb").await.unwrap();
    assert_eq!(b.resource_version(), sb.resource_version());

    // With --force and a yes, a healthy binding is abandoned (its instance is left alone).
    let yes = on_a_terminal(&ns, "binding okb --force", "y\n");
    yes.code(0)
        .stdout_has(&format!("{SB}/okb finalizer removed"));
    assert!(bindings.get_opt("okb").await.unwrap().is_none());
    assert!(instances.get("ok").await.unwrap().is_true("Ready"));
}

/// Run `kubectl osb abandon -n NS ARGS` under `script`, so that stdin is a terminal; `input` is typed.
fn on_a_terminal(ns: &str, args: &str, input: &str) -> Run {
    let env = env();
    let mut cmd = Command::new("script");
    cmd.args([
        "-qec",
        &format!("kubectl osb abandon -n {ns} {args}"),
        "/dev/null",
    ])
    .env("KUBECONFIG", &env.cp.kubeconfig)
    .env("PATH", env.path());
    let mut run = testkit::run(&mut cmd, Some(input));
    // The terminal's line endings.
    run.stdout = run.stdout.replace('\r', "");
    run
}

/// Between abandon's GET and its PATCH, another client writes to the object.
struct ConcurrentWriter {
    api: Api<ServiceInstance>,
    name: String,
    calls: Vec<(u32, String)>,
}

impl osb::finalizer::Hook for ConcurrentWriter {
    async fn after_get(&mut self, attempt: u32, resource_version: &str) {
        self.calls.push((attempt, resource_version.to_string()));
        if attempt == 1 {
            let patch =
                json!({"metadata": {"annotations": {"example.com/touched-by": "someone-else"}}});
            self.api
                .patch(&self.name, &PatchParams::default(), &Patch::Merge(patch))
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn a_concurrent_update_during_finalizer_removal_is_retried_and_keeps_other_finalizers() {
    let orphans = tokio::task::spawn_blocking(orphans).await.unwrap();
    let env = short_retry_env();
    let ns = orphans.conflict_ns.clone();
    // The catalog's webhook overwrites the finalizer list at CREATE (it does not append): the manifest's
    // example.com/first was dropped. The orphan was then given finalizers on both sides of the catalog's.
    assert_eq!(orphans.conflict_finalizers_at_create, [FINALIZER]);
    let client = env.client().await;
    let api: Api<ServiceInstance> = Api::namespaced(client.clone(), &ns);
    let si = api.get("db").await.unwrap();
    assert_eq!(
        si.finalizers(),
        ["example.com/first", FINALIZER, "example.com/last"]
    );
    assert_eq!(si.deprovision_status(), "Failed");

    let plan = osb_abandon::plan(&client, &ns, &Target::Instance("db".into()), false)
        .await
        .unwrap();
    osb_abandon::check_safe(&plan, false).unwrap();
    // Another client (a fresh connection), as a concurrent writer would be.
    let mut hook = ConcurrentWriter {
        api: Api::namespaced(env.client().await, &ns),
        name: "db".into(),
        calls: vec![],
    };
    let mut out = Vec::new();
    let report = osb_abandon::execute(&client, &plan, DryRun::None, false, &mut hook, &mut out)
        .await
        .unwrap();
    assert!(report.conflicts >= 1, "{report:?}");
    assert_eq!(
        hook.calls.len() as u32,
        report.conflicts + 1,
        "{:?}",
        hook.calls
    );
    assert_ne!(
        hook.calls[0].1, hook.calls[1].1,
        "the retry re-read the object"
    );
    assert_eq!(report.cleaned, [format!("{SI}/db")]);
    assert!(report.not_cleaned.is_empty());
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{SI}/db finalizer removed\n{SI}/db deleted\n")
    );
    report.into_result().unwrap();

    // Only the catalog's finalizer went; the others stay, in order; the concurrent write survived.
    let now = api.get("db").await.unwrap();
    assert_eq!(now.finalizers(), ["example.com/first", "example.com/last"]);
    assert_eq!(
        now.annotations()
            .get("example.com/touched-by")
            .map(String::as_str),
        Some("someone-else")
    );
    assert!(now.metadata.deletion_timestamp.is_some());
    // Let the namespace go.
    let patch = json!({"metadata": {"finalizers": null}});
    api.patch("db", &PatchParams::default(), &Patch::Merge(patch))
        .await
        .unwrap();
}
