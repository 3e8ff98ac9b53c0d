//! Issue 16: least privilege, proven. The roles of `packaging/rbac/` (printed by `kubectl osb rbac`) are
//! applied to the RBAC-enabled test API server; every verb and the whole pipeline run as a ServiceAccount
//! token bound to exactly those roles. Then, for every (resource, verb) of every rule, a copy of the role
//! without it is bound instead, and the verb that needs it must fail with exit 1, a message naming the
//! verb, the resource, the namespace and the shipped role that grants it — and change nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use testkit::{Env, Osb, Run, eventually, setup};

use crate::pipeline::stages;

// ---- accounts -------------------------------------------------------------------------------------------

/// A ServiceAccount with a real token (`kubectl create token`) and a kubeconfig of its own: the server,
/// the CA, the token and the namespace, nothing else.
pub(crate) struct Account {
    pub ns: String,
    pub name: String,
    pub token: String,
    pub kubeconfig: PathBuf,
}

impl Account {
    /// The user the API server sees.
    pub(crate) fn user(&self) -> String {
        format!("system:serviceaccount:{}:{}", self.ns, self.name)
    }

    /// `kubectl` as this account (its kubeconfig only), plugins on PATH.
    pub(crate) fn kubectl_cmd(&self, env: &Env) -> Command {
        let mut c = Command::new("kubectl");
        c.env("KUBECONFIG", &self.kubeconfig)
            .env("PATH", env.path());
        c
    }

    pub(crate) fn kubectl(&self, env: &Env, args: &[&str]) -> Run {
        testkit::run(self.kubectl_cmd(env).args(args), None)
    }

    /// `kubectl osb ARGS…` as this account, in its namespace (the kubeconfig's context).
    pub(crate) fn osb(&self, env: &Env, args: &[&str]) -> Run {
        let mut a = vec!["osb"];
        a.extend_from_slice(args);
        self.kubectl(env, &a)
    }

    /// Wait until the authorizer answers `allowed` for `verb resource` as this account in its namespace.
    #[track_caller]
    pub(crate) fn await_can(&self, env: &Env, verb: &str, resource: &str, allowed: bool) {
        await_can(env, &self.user(), &self.ns, verb, resource, allowed);
    }
}

/// A Job that `bind env -f` maps credentials into.
pub(crate) const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: app\n        image: busybox\n";

/// Instances, as `kubectl auth can-i` names them.
pub(crate) const INSTANCES: &str = "serviceinstances.servicecatalog.k8s.io";

/// A ServiceAccount `name` in `ns` (see [`account`]) holding the shipped `roles`, in force: the roles
/// installed and granted, and the authorizer seen to allow the first rule of each.
pub(crate) fn account_with(env: &Env, ns: &str, name: &str, roles: &[&str]) -> Account {
    install_roles(env);
    let acc = account(env, ns, name);
    grant(env, &acc, roles);
    for role in roles {
        if let Some((resource, verb)) = grants_of(role).into_iter().next() {
            acc.await_can(env, &verb, &qualified(&resource), true);
        }
    }
    acc
}

/// The API server's CA (what a pod's `ca.crt` would hold).
pub(crate) fn ca_file(env: &Env) -> PathBuf {
    env.cp.dir.join("pki/apiserver.crt")
}

/// A ServiceAccount `name` in `ns`, with a token and a kubeconfig; no permission yet.
pub(crate) fn account(env: &Env, ns: &str, name: &str) -> Account {
    env.kubectl(&["create", "serviceaccount", name, "-n", ns])
        .ok();
    let token = env
        .kubectl(&["create", "token", name, "-n", ns, "--duration", "2h"])
        .ok()
        .stdout
        .trim()
        .to_string();
    assert!(!token.is_empty());
    let dir = env.cp.dir.join("accounts");
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join(format!("{ns}-{name}.kubeconfig"));
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: cluster\n  cluster:\n    server: {}\n    certificate-authority: {}\n\
             users:\n- name: {name}\n  user:\n    token: {token}\ncontexts:\n- name: {name}\n  context:\n    cluster: cluster\n    user: {name}\n    namespace: {ns}\n\
             current-context: {name}\n",
            env.cp.server,
            ca_file(env).display()
        ),
    )
    .unwrap();
    Account {
        ns: ns.into(),
        name: name.into(),
        token,
        kubeconfig,
    }
}

/// Apply the shipped roles as `kubectl osb rbac | kubectl apply -f -`, once per cluster.
pub(crate) fn install_roles(env: &Env) {
    static DONE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if done.contains(&env.cp.kubeconfig) {
        return;
    }
    let printed = env.kubectl(&["osb", "rbac"]).ok();
    let printed = printed.stdout_has("name: osb-lifecycle");
    env.kubectl_stdin(&["apply", "-f", "-"], &printed.stdout)
        .ok();
    done.push(env.cp.kubeconfig.clone());
}

/// Grant shipped roles to the account: `kubectl osb rbac ROLES --serviceaccount NS:NAME | kubectl apply -f -`.
pub(crate) fn grant(env: &Env, acc: &Account, roles: &[&str]) {
    let sa = format!("{}:{}", acc.ns, acc.name);
    let mut a = vec!["osb", "rbac"];
    a.extend_from_slice(roles);
    a.extend_from_slice(&["--serviceaccount", &sa]);
    let printed = env.kubectl(&a).ok();
    env.kubectl_stdin(&["apply", "-f", "-"], &printed.stdout)
        .ok();
}

/// Wait until the authorizer answers `allowed` for `verb resource` as `user` in `ns` (RBAC changes reach
/// the authorizer through a watch, a moment after they are written). A subresource is `services/proxy`
/// (kubectl's `can-i` would read that as the service named `proxy`: it is asked with `--subresource`).
pub(crate) fn await_can(
    env: &Env,
    user: &str,
    ns: &str,
    verb: &str,
    resource: &str,
    allowed: bool,
) {
    let what = format!("RBAC to answer {allowed} for {user} {verb} {resource} in {ns}");
    let mut args = vec!["auth", "can-i", verb];
    match resource.split_once('/') {
        Some((res, sub)) => args.extend([res, "--subresource", sub]),
        None => args.push(resource),
    }
    args.extend(["-n", ns, "--as", user]);
    eventually(what, Duration::from_secs(90), || {
        let r = env.kubectl(&args);
        ((r.stdout.trim() == "yes") == allowed).then_some(())
    });
}

/// What a verb could have changed in the namespace: every object's name, generation, deletion and
/// finalizers (a create, an update, a delete or a finalizer patch shows here).
pub(crate) fn snapshot(env: &Env, ns: &str) -> String {
    env.kubectl(&[
        "get",
        "serviceinstances.servicecatalog.k8s.io,servicebindings.servicecatalog.k8s.io,secrets,deployments,statefulsets,daemonsets,replicasets,cronjobs,jobs",
        "-n",
        ns,
        "-o",
        "go-template={{range .items}}{{.kind}}/{{.metadata.name}} gen={{.metadata.generation}} deleting={{.metadata.deletionTimestamp}} finalizers={{.metadata.finalizers}}{{\"\\n\"}}{{end}}",
    ])
    .ok()
    .stdout
}

// ---- fixtures -------------------------------------------------------------------------------------------

/// As the admin: instance `db` (cassandra/developer) Ready, and binding `app` Ready with its Secret.
fn instance_and_binding(env: &Env, ns: &str) {
    env.cassandra(ns, "db").wait();
    env.bind(ns, "app").instance("db").wait();
}

/// As the admin: one of each workload kind `bind env --apply-to` changes, all named `web`, none running.
fn workloads(env: &Env, ns: &str) {
    let template = r#"{"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "busybox"}]}}"#;
    let t: Value = serde_json::from_str(template).unwrap();
    let sel = json!({"matchLabels": {"app": "web"}});
    let items = vec![
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": {"replicas": 0, "selector": sel, "template": t}}),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
               "spec": {"replicas": 0, "serviceName": "web", "selector": sel, "template": t}}),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "web"},
               "spec": {"selector": sel, "template": t}}),
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
               "spec": {"replicas": 0, "selector": sel, "template": t}}),
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "web"},
               "spec": {"schedule": "0 0 1 1 *", "suspend": true, "jobTemplate": {"spec": {"template": {
                   "spec": {"restartPolicy": "Never", "containers": [{"name": "app", "image": "busybox"}]}}}}}}),
        // A Job that never completes (suspended), for the waits.
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "batch"},
               "spec": {"suspend": true, "template": {"spec": {"restartPolicy": "Never",
                   "containers": [{"name": "app", "image": "busybox"}]}}}}),
    ];
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items});
    env.kubectl_stdin(&["create", "-n", ns, "-f", "-"], &list.to_string())
        .ok();
}

// ---- everything allowed -----------------------------------------------------------------------------------

#[track_caller]
fn ok(run: Run) -> Run {
    assert_eq!(run.code, 0, "as the service account: {run:#?}");
    run
}

/// Words of a probe or a run as an account (`kubectl osb WORDS…`, no `-n`: the account's context says it).
fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_verb_runs_as_a_service_account_with_exactly_the_shipped_roles() {
    let (env, ns) = setup("rbac-verbs");
    let roles = ["catalog-reader", "lifecycle", "update", "bind-env"];
    let acc = account_with(env, &ns, "ci", &roles);
    workloads(env, &ns);
    // A Secret for --params-from-secret, written by the admin.
    env.secret(
        &ns,
        "db-params",
        "parameters",
        "{\"dataCentreCustomName\": \"dc1\"}",
    );

    let osb = |args: &[&str]| ok(acc.osb(env, args));
    let as_ci = |cmd: Osb| cmd.no_namespace().via(acc.kubectl_cmd(env)).run();
    let db = || {
        env.cassandra(&ns, "db")
            .args(["--params-from-secret", "db-params:parameters"])
    };
    assert!(osb(&["catalog"]).stdout.contains("cassandra"));
    osb(&["catalog", "--check"]);
    osb(&["catalog", "--class", "cassandra", "-o", "yaml"]);
    osb(&["wait", "clusterservicebroker/instaclustr", "--for=ready"]);
    let p = as_ci(db().with_wait());
    p.stdout_has("condition met");
    let again = as_ci(db());
    again.stdout_has("unchanged");
    let upd = as_ci(
        db().param("nodeSize", "t3.medium")
            .arg("--update")
            .with_wait(),
    );
    upd.stdout_has("configured");
    osb(&["wait", "si/db", "--for=ready", "--timeout", "180s"]);
    osb(&["wait", "si", "--all", "--for=ready", "--timeout", "180s"]);
    assert!(osb(&["get", "instances"]).stdout.contains("db"));
    osb(&["get", "instance", "db", "-o", "yaml"]);
    let described = osb(&["describe", "db"]);
    assert!(
        described.stdout.contains("Events:") && !described.stdout.contains("<not shown"),
        "the lifecycle role reads the controller's events: {described:?}"
    );
    osb(&["describe", "instance", "db", "-o", "json"]);

    as_ci(env.bind(&ns, "app").instance("db").with_wait());
    let creds = as_ci(
        env.bind(&ns, "app")
            .instance("db")
            .arg("--show-credentials=json"),
    );
    creds.stdout_has("\"password\"");
    osb(&["bind", "env", "app", "--prefix", "C_"]);
    let job = env.file("job.yaml", JOB);
    let manifest = as_ci(
        env.verb(&ns, ["bind", "env", "app", "--prefix", "C_", "-f"])
            .arg(job.to_str().unwrap()),
    );
    manifest.stdout_has("secretKeyRef");
    for kind in [
        "deployment",
        "statefulset",
        "daemonset",
        "replicaset",
        "cronjob",
    ] {
        let target = format!("{kind}/web");
        let r = osb(&[
            "bind",
            "env",
            "app",
            "--prefix",
            "C_",
            "--apply-to",
            &target,
        ]);
        r.stdout_has("configured");
    }
    assert!(osb(&["get", "bindings"]).stdout.contains("app"));
    osb(&["describe", "binding", "app"]);

    // Asking the broker itself: the shared broker has no authInfo and is reached directly, so the reader
    // and the lifecycle are all it takes (osb-broker-credentials is for the other brokers).
    osb(&["broker", "status", "si/db"])
        .stdout_has("(directly, no credentials)")
        .stdout_has("agree: the broker holds the instance");
    osb(&["broker", "status", "sb/app"]).stdout_has("agree");
    osb(&["broker", "catalog", "instaclustr"])
        .stdout_has("Broker clusterservicebroker/instaclustr at ");
    osb(&["broker", "check", "instaclustr"]).stdout_has("follows the OSB 2.14 rules");
    let asked = osb(&["describe", "db", "--broker"]);
    assert!(
        asked.stdout.contains("Verdict:") && !asked.stdout.contains("Cannot ask"),
        "{asked:?}"
    );
    osb(&["abandon", "--list", "--check-broker"]);
    osb(&["wait", "sb/app", "--for=ready"]);
    osb(&["abandon", "--list"]);

    // The lifecycle cannot remove finalizers, with kubectl osb or with kubectl.
    let refused = acc.osb(
        env,
        &["abandon", "db", "--with-bindings", "--force", "--yes"],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.contains("Error from server (Forbidden)")
            && refused.stderr.contains("cannot patch resource")
            && refused.stderr.contains("osb-abandon"),
        "{refused:?}"
    );
    let patched = acc.kubectl(
        env,
        &[
            "patch",
            "serviceinstance",
            "db",
            "--type=merge",
            "-p",
            "{\"metadata\":{\"finalizers\":null}}",
        ],
    );
    assert_ne!(patched.code, 0, "{patched:?}");
    patched.stderr_has("Forbidden");

    osb(&["unbind", "app", "--wait", "--timeout", "180s"]);
    osb(&["deprovision", "db", "--wait", "--timeout", "180s"]);
    assert_eq!(
        snapshot(env, &ns)
            .lines()
            .filter(|l| l.contains("ServiceInstance") || l.contains("ServiceBinding"))
            .count(),
        0
    );
}

#[test]
fn abandon_runs_as_a_service_account_with_lifecycle_and_abandon() {
    let (env, ns) = setup("rbac-abandon-ok");
    instance_and_binding(env, &ns);
    let acc = account_with(env, &ns, "janitor", &["lifecycle", "abandon"]);
    acc.await_can(env, "patch", INSTANCES, true);
    let dry = ok(acc.osb(
        env,
        &[
            "abandon",
            "db",
            "--with-bindings",
            "--force",
            "--dry-run=server",
        ],
    ));
    dry.stdout_has("finalizer removed");
    let r = ok(acc.osb(
        env,
        &["abandon", "db", "--with-bindings", "--force", "--yes"],
    ));
    assert!(
        r.stdout
            .contains("servicebinding.servicecatalog.k8s.io/app deleted")
            && r.stdout.contains("secret/app deleted")
            && r.stdout
                .contains("serviceinstance.servicecatalog.k8s.io/db deleted"),
        "{r:?}"
    );
    let left = snapshot(env, &ns);
    assert!(
        !left.contains("ServiceInstance/") && !left.contains("ServiceBinding/"),
        "{left}"
    );
}

#[test]
fn an_admin_checks_what_a_role_allows_with_as() {
    let (env, ns) = setup("rbac-as");
    let acc = account_with(env, &ns, "viewer", &["lifecycle"]);
    acc.await_can(env, "list", INSTANCES, true);
    let user = acc.user();
    // The admin's own kubeconfig, acting as the account: what the account may do.
    let listed = env.kubectl(&["osb", "get", "instances", "-n", &ns, "--as", &user]);
    assert_eq!(listed.code, 0, "{listed:?}");
    let refused = env
        .cassandra(&ns, "db")
        .args(["--as", &user])
        .expect_code(1)
        .run();
    assert!(
        refused.stderr.starts_with(&format!(
            "Error from server (Forbidden): clusterservicebrokers.servicecatalog.k8s.io is forbidden: User \"{user}\" cannot list resource \"clusterservicebrokers\""
        )) || refused.stderr.contains(&format!("User \"{user}\" cannot list resource \"cluster")),
        "{refused:?}"
    );
    refused
        .stderr_has("osb-catalog-reader")
        .stderr_has(&format!(
            "kubectl osb rbac catalog-reader --serviceaccount {ns}:viewer | kubectl apply -f -"
        ));
    // Across namespaces the RoleBinding does not reach: the hint says how to bind cluster-wide.
    let all = env.kubectl(&["osb", "get", "instances", "-A", "--as", &user]);
    assert_eq!(all.code, 1, "{all:?}");
    all.stderr_has("at the cluster scope")
        .stderr_has("--cluster-wide");
    // With a group that may do everything, the same user may.
    let group = env.kubectl(&[
        "osb",
        "get",
        "instances",
        "-A",
        "--as",
        &user,
        "--as-group",
        "system:masters",
    ]);
    assert_eq!(group.code, 0, "{group:?}");
}

// ---- every rule, removed one (resource, verb) at a time ---------------------------------------------

/// One (resource, verb) of a shipped role and the command that needs it.
struct Case {
    role: &'static str,
    resource: &'static str,
    verb: &'static str,
    /// `kubectl osb WORDS…`, run as an account holding the role without this permission.
    probe: Vec<String>,
}

/// The shipped role `short` as JSON, renamed, without `verb` on `resource`.
fn role_without(short: &str, resource: &str, verb: &str, name: &str) -> Value {
    let role = &osb::rbac::role(short).expect("shipped").role;
    let mut rules = Vec::new();
    for r in role.rules.iter().flatten() {
        for res in r.resources.iter().flatten() {
            let verbs: Vec<&String> = r
                .verbs
                .iter()
                .filter(|v| !(res == resource && *v == verb))
                .collect();
            if !verbs.is_empty() {
                rules.push(json!({"apiGroups": r.api_groups, "resources": [res], "verbs": verbs}));
            }
        }
    }
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
           "metadata": {"name": name, "labels": {"osb.test/rbac": "variant"}}, "rules": rules})
}

fn group_of(resource: &str) -> &'static str {
    match resource {
        "secrets" | "events" | "services/proxy" => "",
        "deployments" | "statefulsets" | "daemonsets" | "replicasets" => "apps",
        "cronjobs" | "jobs" => "batch",
        _ => "servicecatalog.k8s.io",
    }
}

fn qualified(resource: &str) -> String {
    match group_of(resource) {
        "" => resource.to_string(),
        g => format!("{resource}.{g}"),
    }
}

/// Every (resource, verb) the shipped `role` grants, from its manifest.
fn grants_of(role: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in osb::rbac::role(role)
        .expect("shipped")
        .role
        .rules
        .iter()
        .flatten()
    {
        for res in r.resources.iter().flatten() {
            for v in &r.verbs {
                out.push((res.clone(), v.clone()));
            }
        }
    }
    out
}

/// For each case: an account holding `with` in full and `case.role` without the case's permission; the
/// probe must fail with exit 1, say what is missing and which role grants it, and change nothing.
fn matrix(env: &Env, ns: &str, role: &str, with: &[&str], cases: &[Case]) {
    install_roles(env);
    // Every permission the shipped role grants has a case (a new rule needs its proof).
    let mut want = grants_of(role);
    want.sort();
    let mut have: Vec<(String, String)> = cases
        .iter()
        .filter(|c| c.role == role)
        .map(|c| (c.resource.to_string(), c.verb.to_string()))
        .collect();
    have.sort();
    let pipeline_only = ["create", "get", "delete"];
    if role == "pipeline" {
        want.retain(|(r, v)| !(r == "jobs" && pipeline_only.contains(&v.as_str())));
    }
    assert_eq!(have, want, "the cases of role {role} must cover its rules");

    // All accounts, variant roles and bindings at once.
    let mut docs = Vec::new();
    let mut accounts = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let acc = account(env, ns, &format!("minus-{i}"));
        let variant = format!("osb-test-{ns}-{i}");
        docs.push(role_without(c.role, c.resource, c.verb, &variant));
        let cluster = osb::rbac::role(c.role).unwrap().scope == osb::rbac::Scope::Cluster;
        let subject = json!([{"kind": "ServiceAccount", "name": acc.name, "namespace": ns}]);
        let role_ref = json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": variant});
        docs.push(if cluster {
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                   "metadata": {"name": variant, "labels": {"osb.test/rbac": "variant"}},
                   "roleRef": role_ref, "subjects": subject})
        } else {
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                   "metadata": {"name": variant, "namespace": ns}, "roleRef": role_ref, "subjects": subject})
        });
        if !with.is_empty() {
            grant(env, &acc, with);
        }
        accounts.push(acc);
    }
    let list = json!({"apiVersion": "v1", "kind": "List", "items": docs});
    env.kubectl_stdin(&["apply", "-f", "-"], &list.to_string())
        .ok();

    let mut failures = Vec::new();
    for (c, acc) in cases.iter().zip(&accounts) {
        let user = acc.user();
        let res = qualified(c.resource);
        await_can(env, &user, ns, c.verb, &res, false);
        // The rest of the role is in force (so the refusal is the missing permission's, not a delay).
        if let Some((r, v)) = grants_of(c.role)
            .into_iter()
            .find(|(r, v)| !(r == c.resource && v == c.verb))
        {
            await_can(env, &user, ns, &v, &qualified(&r), true);
        }
        for w in with {
            if let Some((r, v)) = grants_of(w).into_iter().next() {
                await_can(env, &user, ns, &v, &qualified(&r), true);
            }
        }
        let before = snapshot(env, ns);
        let probe: Vec<&str> = c.probe.iter().map(String::as_str).collect();
        let run = acc.osb(env, &probe);
        let after = snapshot(env, ns);
        eprintln!(
            "osb-{} without {} {}: kubectl osb {} → exit {}\n{}",
            c.role,
            c.verb,
            c.resource,
            c.probe.join(" "),
            run.code,
            run.stderr
        );
        let scope = if c.resource.starts_with("clusterservice") {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{ns}\"")
        };
        let why = [
            (run.code == 1, "exit 1".to_string()),
            (
                run.stderr.starts_with("Error from server (Forbidden): "),
                "kubectl's Forbidden line first".into(),
            ),
            (
                run.stderr.contains(&format!(
                    "User \"{user}\" cannot {} resource \"{}\"",
                    c.verb, c.resource
                )),
                format!("names the verb {} and the resource {}", c.verb, c.resource),
            ),
            (
                run.stderr.contains(&scope),
                format!("names the scope ({scope})"),
            ),
            (
                run.stderr.contains(&format!("ClusterRole osb-{}", c.role)),
                format!("names the role osb-{}", c.role),
            ),
            (
                before == after,
                format!("changes nothing (before:\n{before}after:\n{after})"),
            ),
        ];
        let missing: Vec<&String> = why.iter().filter(|(ok, _)| !ok).map(|(_, w)| w).collect();
        if !missing.is_empty() {
            failures.push(format!(
                "osb-{} without {} {}: `kubectl osb {}` does not meet: {:?}\n{run:#?}",
                c.role,
                c.verb,
                c.resource,
                c.probe.join(" "),
                missing
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_catalog_reader_rule_is_needed() {
    let (env, ns) = setup("rbac-reader");
    // For the broker verbs, which read the catalog objects by name: an instance of a cluster class, and one
    // of a class of the namespace's own broker (`mine`, ours again, on loopback).
    env.cassandra(&ns, "db").wait();
    let mine = testkit::broker::Broker::start().expect("a broker of the namespace");
    crate::broker::service_broker(env, &ns, "mine", &mine.url);
    crate::broker::namespaced_instance(env, &ns, "nsdb");
    const CATALOG: &[&str] = &["catalog"];
    const STATUS: &[&str] = &["broker", "status", "si/db"];
    const NS_STATUS: &[&str] = &["broker", "status", "si/nsdb", "-o", "json"];
    let c = |resource, verb, probe: &[&str]| Case {
        role: "catalog-reader",
        resource,
        verb,
        probe: words(probe),
    };
    matrix(
        env,
        &ns,
        "catalog-reader",
        // broker status reads the instance (osb-lifecycle) before its class, plan and broker.
        &["lifecycle"],
        &[
            c(
                "clusterservicebrokers",
                "get",
                &["broker", "catalog", "instaclustr"],
            ),
            c("clusterserviceclasses", "get", STATUS),
            c("clusterserviceplans", "get", STATUS),
            c(
                "servicebrokers",
                "get",
                &["broker", "check", "servicebroker/mine"],
            ),
            c("serviceclasses", "get", NS_STATUS),
            c("serviceplans", "get", NS_STATUS),
            c("clusterservicebrokers", "list", CATALOG),
            c(
                "clusterservicebrokers",
                "watch",
                &[
                    "wait",
                    "clusterservicebroker/instaclustr",
                    "--for=deleted",
                    "--timeout",
                    "90s",
                ],
            ),
            c("clusterserviceclasses", "list", CATALOG),
            c("clusterserviceplans", "list", CATALOG),
            c("servicebrokers", "list", CATALOG),
            c("serviceclasses", "list", CATALOG),
            c("serviceplans", "list", CATALOG),
        ],
    );
    env.deprovision(&ns, "nsdb").wait();
    delete_service_brokers(env, &ns, &["mine"]);
    drop(mine);
}

/// Delete the ServiceBrokers `names` of `ns` and wait until the controller let them go (its classes
/// removed), before their brokers stop.
fn delete_service_brokers(env: &Env, ns: &str, names: &[&str]) {
    for name in names {
        env.kubectl(&[
            "delete",
            "servicebroker",
            name,
            "-n",
            ns,
            "--wait=true",
            "--timeout=120s",
        ])
        .ok();
    }
}

// ---- the opt-in role: brokers behind a Secret or the API server's service proxy --------------------------

/// An IPv4 address of this host other than loopback (the one its default route leaves from). The API
/// server refuses Endpoints on loopback ("may not be in the loopback range"), so a broker its service
/// proxy is to reach listens there.
fn host_ip() -> std::net::IpAddr {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").expect("a UDP socket");
    // Nothing is sent: connecting a UDP socket only chooses the route, and so the source address.
    s.connect("203.0.113.1:9").expect(
        "a route out of this host: the service proxy needs the broker at an address other than loopback",
    );
    let ip = s.local_addr().expect("a local address").ip();
    assert!(!ip.is_loopback() && !ip.is_unspecified(), "{ip}");
    ip
}

/// The basic-auth broker's credentials (canaries: they must never show).
const BASIC: (&str, &str) = ("canary-user-5d1e", "canary-pass-8a2f");

/// Two brokers an account needs `osb-broker-credentials` to ask, made by the admin in a namespace:
///
/// * ServiceBroker `basic`: ours on loopback, requiring basic auth, its credentials in Secret
///   `basic-creds` of the namespace; Ready (the controller reads the Secret as itself);
/// * ServiceBroker `proxied` at `http://osb.NS.svc:80`: Service `osb` has no selector, and its Endpoints
///   name Pod `osb` at the address of our second broker ([`host_ip`]). The API server proxies only to an
///   address a Pod of the namespace holds, so the Pod's status says so (its node does not exist: nothing
///   runs it, nothing rewrites it). The controller cannot resolve the name (no cluster DNS here): that
///   broker is never Ready, which `broker catalog` does not need.
struct BrokersBehind {
    basic: testkit::broker::Broker,
    proxied: testkit::broker::Broker,
}

fn brokers_behind(env: &Env, ns: &str) -> BrokersBehind {
    use testkit::broker::{Broker, Credentials};
    let basic = Broker::start().expect("a basic-auth broker");
    basic.require_auth(Some(Credentials::Basic(BASIC.0, BASIC.1)));
    crate::broker::basic_auth_secret(env, ns, "basic-creds", BASIC.0, BASIC.1);
    env.apply(
        ns,
        testkit::Manifest(json!({
            "apiVersion": "servicecatalog.k8s.io/v1beta1",
            "kind": "ServiceBroker",
            "metadata": {"name": "basic"},
            "spec": {"url": basic.url, "relistBehavior": "Manual",
                     "authInfo": {"basic": {"secretRef": {"name": "basic-creds"}}}},
        })),
    );

    let ip = host_ip();
    let proxied = Broker::start_at(ip).expect("a broker on the host's address");
    let pod_ip = json!([{"ip": ip.to_string()}]);
    let items = json!([
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "osb"},
         "spec": {"nodeName": "osb-no-such-node", "containers": [{"name": "broker", "image": "busybox"}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "osb"},
         "spec": {"clusterIP": "None", "ports": [{"name": "http", "port": 80, "targetPort": proxied.port}]}},
        {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "osb"},
         "subsets": [{"addresses": [{"ip": ip.to_string(),
                                     "targetRef": {"kind": "Pod", "name": "osb", "namespace": ns}}],
                      "ports": [{"name": "http", "port": proxied.port, "protocol": "TCP"}]}]},
        {"apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceBroker",
         "metadata": {"name": "proxied"},
         "spec": {"url": format!("http://osb.{ns}.svc:80"), "relistBehavior": "Manual"}},
    ]);
    env.apply(
        ns,
        testkit::Manifest(json!({"apiVersion": "v1", "kind": "List", "items": items})),
    );
    let status = json!({"status": {"podIP": ip.to_string(), "podIPs": pod_ip}});
    env.kubectl(&[
        "patch",
        "pod",
        "osb",
        "-n",
        ns,
        "--subresource=status",
        "--type=merge",
        "-p",
        &status.to_string(),
    ])
    .ok();
    env.until_jsonpath(
        "servicebroker",
        ns,
        "basic",
        "{.status.conditions[?(@.type==\"Ready\")].status}",
        |v| v == "True",
    );
    BrokersBehind { basic, proxied }
}

impl BrokersBehind {
    /// Delete the broker objects, then stop the brokers.
    fn remove(self, env: &Env, ns: &str) {
        delete_service_brokers(env, ns, &["basic", "proxied"]);
    }
}

#[test]
fn every_broker_credentials_rule_is_needed() {
    let (env, ns) = setup("rbac-broker-creds");
    let brokers = brokers_behind(env, &ns);
    let c = |resource, broker: &str| Case {
        role: "broker-credentials",
        resource,
        verb: "get",
        probe: words(&["broker", "catalog", broker]),
    };
    // Each refused by the API server: the Secret read, and the service proxy (the broker never asked).
    let proxied_before = brokers.proxied.requests().len();
    matrix(
        env,
        &ns,
        "broker-credentials",
        &["catalog-reader"],
        &[c("secrets", "basic"), c("services/proxy", "proxied")],
    );
    assert_eq!(
        brokers.proxied.requests().len(),
        proxied_before,
        "a refused proxy request never reaches the broker"
    );
    brokers.remove(env, &ns);
}

#[test]
fn brokers_behind_a_secret_or_the_service_proxy_answer_an_account_with_broker_credentials() {
    let (env, ns) = setup("rbac-broker-ok");
    let brokers = brokers_behind(env, &ns);
    let secrets = crate::broker::canaries(&[BASIC.0, BASIC.1]);
    let never_shows = |run: Run| {
        for s in &secrets {
            run.clone().never_shows(s);
        }
        run
    };

    // The reader alone: refused, with the role to bind and how.
    let reader = account_with(env, &ns, "reader", &["catalog-reader"]);
    let basic_before = brokers.basic.requests().len();
    let refused = never_shows(reader.osb(env, &["broker", "catalog", "basic"]));
    assert_eq!(
        brokers.basic.requests().len(),
        basic_before,
        "without its credentials the broker is not asked"
    );
    assert_eq!(refused.code, 1, "{refused:#?}");
    refused
        .stderr_has("error: servicebroker/basic has authInfo")
        .stderr_has("granted by ClusterRole osb-broker-credentials")
        .stderr_has(&format!(
            "hint: kubectl osb rbac broker-credentials --serviceaccount {ns}:reader | kubectl apply -f -"
        ));

    // With it, both brokers answer: with the Secret's credentials (never shown), and through the proxy.
    let acc = account_with(env, &ns, "asker", &["catalog-reader", "broker-credentials"]);
    acc.await_can(env, "get", "services/proxy", true);
    never_shows(ok(acc.osb(env, &["broker", "catalog", "basic", "-v=7"])))
        .stdout_has("Broker servicebroker/basic at http://127.0.0.1:")
        .stdout_has("No differences")
        .stderr_has("Authorization: Basic <masked>");
    never_shows(ok(acc.osb(env, &["broker", "check", "basic"])));
    assert!(brokers.basic.requests().len() >= basic_before + 2);
    let asked_before = brokers.proxied.requests().len();
    ok(acc.osb(env, &["broker", "catalog", "proxied", "-v=6"]))
        .stdout_has(&format!(
            "Broker servicebroker/proxied at http://osb.{ns}.svc:80: "
        ))
        .stderr_has(&format!(
            "/api/v1/namespaces/{ns}/services/osb:80/proxy/v2/catalog 200 OK"
        ));
    ok(acc.osb(env, &["broker", "check", "proxied"])).stdout_has("follows the OSB 2.14 rules");
    assert!(
        brokers.proxied.requests().len() >= asked_before + 2,
        "the broker was asked, through the API server"
    );

    // Narrowed by an admin, as the role's comment says: a Role of the namespace naming the Secret and
    // the Service (NAME:PORT, the name a proxy request carries).
    let narrow = account(env, &ns, "narrow");
    grant(env, &narrow, &["catalog-reader"]);
    let role = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "broker-narrow"},
         "rules": [
             {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["basic-creds"], "verbs": ["get"]},
             {"apiGroups": [""], "resources": ["services/proxy"], "resourceNames": ["osb:80"], "verbs": ["get"]},
         ]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "broker-narrow"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "broker-narrow"},
         "subjects": [{"kind": "ServiceAccount", "name": "narrow", "namespace": &*ns}]},
    ]});
    env.apply(&ns, testkit::Manifest(role));
    for broker in ["basic", "proxied"] {
        eventually(
            format!("broker catalog {broker} to pass with the narrowed Role"),
            Duration::from_secs(90),
            || (narrow.osb(env, &["broker", "catalog", broker]).code == 0).then_some(()),
        );
    }
    // … and nothing else of the namespace.
    env.secret(&ns, "other", "k", "v");
    let other = narrow.kubectl(env, &["get", "secret", "other"]);
    assert_ne!(other.code, 0, "{other:#?}");
    other.stderr_has("Forbidden");
    brokers.remove(env, &ns);
}

#[test]
fn every_lifecycle_rule_is_needed() {
    let (env, ns) = setup("rbac-lifecycle");
    instance_and_binding(env, &ns);
    let c = |resource, verb, probe: Osb| Case {
        role: "lifecycle",
        resource,
        verb,
        probe: probe.no_namespace().words(),
    };
    let verb = |w: &[&str]| env.verb(&ns, w.iter().copied());
    let provision = || env.cassandra(&ns, "db2");
    let bind = || env.bind(&ns, "app2").instance("db");
    // Events are best effort for describe and wait, except where a wait is to end on them.
    let events = || {
        verb(&[
            "wait",
            "si/db",
            "--for=deleted",
            "--fail-after-retries",
            "3",
        ])
        .timeout("90s")
    };
    matrix(
        env,
        &ns,
        "lifecycle",
        &["catalog-reader"],
        &[
            c("serviceinstances", "get", verb(&["describe", "db"])),
            c("serviceinstances", "list", verb(&["get", "instances"])),
            c(
                "serviceinstances",
                "watch",
                provision().timeout("90s").with_wait(),
            ),
            c("serviceinstances", "create", provision()),
            c(
                "serviceinstances",
                "delete",
                env.deprovision(&ns, "db")
                    .arg("--unbind")
                    .timeout("90s")
                    .with_wait(),
            ),
            c(
                "servicebindings",
                "get",
                verb(&["describe", "binding", "app"]),
            ),
            c("servicebindings", "list", verb(&["get", "bindings"])),
            c(
                "servicebindings",
                "watch",
                bind().timeout("90s").with_wait(),
            ),
            c("servicebindings", "create", bind()),
            c("servicebindings", "delete", env.unbind(&ns, "app")),
            c("secrets", "get", bind()),
            c("events", "list", events()),
            c("events", "watch", events()),
        ],
    );
}

#[test]
fn the_update_rule_is_needed() {
    let (env, ns) = setup("rbac-update");
    instance_and_binding(env, &ns);
    matrix(
        env,
        &ns,
        "update",
        &["catalog-reader", "lifecycle"],
        &[Case {
            role: "update",
            resource: "serviceinstances",
            verb: "update",
            probe: env
                .cassandra(&ns, "db")
                .param("nodeSize", "t3.medium")
                .arg("--update")
                .no_namespace()
                .words(),
        }],
    );
}

#[test]
fn every_bind_env_rule_is_needed() {
    let (env, ns) = setup("rbac-bind-env");
    instance_and_binding(env, &ns);
    workloads(env, &ns);
    let c = |resource, verb, kind: &str| Case {
        role: "bind-env",
        resource,
        verb,
        probe: words(&["bind", "env", "app", "--prefix", "C_", "--apply-to"])
            .into_iter()
            .chain([format!("{kind}/web")])
            .collect(),
    };
    matrix(
        env,
        &ns,
        "bind-env",
        &["lifecycle"],
        &[
            c("deployments", "get", "deployment"),
            c("deployments", "update", "deployment"),
            c("statefulsets", "get", "statefulset"),
            c("statefulsets", "update", "statefulset"),
            c("daemonsets", "get", "daemonset"),
            c("daemonsets", "update", "daemonset"),
            c("replicasets", "get", "replicaset"),
            c("replicasets", "update", "replicaset"),
            c("cronjobs", "get", "cronjob"),
            c("cronjobs", "update", "cronjob"),
        ],
    );
}

#[test]
fn every_abandon_rule_is_needed() {
    let (env, ns) = setup("rbac-abandon");
    instance_and_binding(env, &ns);
    let c = |resource, verb, probe: &[&str]| Case {
        role: "abandon",
        resource,
        verb,
        probe: words(probe),
    };
    const BINDING: &[&str] = &["abandon", "binding", "app", "--force", "--yes"];
    matrix(
        env,
        &ns,
        "abandon",
        &["lifecycle"],
        &[
            c(
                "serviceinstances",
                "patch",
                &["abandon", "db", "--with-bindings", "--force", "--yes"],
            ),
            c("servicebindings", "patch", BINDING),
            c("secrets", "delete", BINDING),
        ],
    );
}

#[test]
fn the_pipeline_roles_waits_on_jobs_need_list_and_watch() {
    let (env, ns) = setup("rbac-jobs");
    workloads(env, &ns);
    const WAIT: &[&str] = &["wait", "job/batch", "--for=complete", "--timeout", "90s"];
    matrix(
        env,
        &ns,
        "pipeline",
        &["catalog-reader", "lifecycle"],
        &[
            Case {
                role: "pipeline",
                resource: "jobs",
                verb: "list",
                probe: words(WAIT),
            },
            Case {
                role: "pipeline",
                resource: "jobs",
                verb: "watch",
                probe: words(WAIT),
            },
        ],
    );
}

// ---- the pipeline ---------------------------------------------------------------------------------------

fn pipeline_as(env: &Env, acc: &Account, args: &[&str]) -> Run {
    let mut c = Command::new("bash");
    c.arg(testkit::cluster::workspace_root().join("examples/pipeline.sh"))
        .args(args)
        .env("KUBECONFIG", &acc.kubeconfig)
        .env("PATH", env.path());
    for (var, _) in std::env::vars().filter(|(k, _)| k.starts_with("PIPELINE_")) {
        c.env_remove(var);
    }
    testkit::run(&mut c, None)
}

/// The pipeline as an account holding catalog-reader, lifecycle and pipeline, with `pipeline` minus
/// `minus` (a jobs verb) when given.
fn pipeline_account(env: &Env, ns: &str, name: &str, minus: Option<&str>) -> Account {
    let acc = account(env, ns, name);
    match minus {
        None => grant(env, &acc, &["catalog-reader", "lifecycle", "pipeline"]),
        Some(verb) => {
            grant(env, &acc, &["catalog-reader", "lifecycle"]);
            let variant = format!("osb-test-{ns}-{name}");
            let docs = json!({"apiVersion": "v1", "kind": "List", "items": [
                role_without("pipeline", "jobs", verb, &variant),
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": variant, "namespace": ns},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": variant},
                 "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}]},
            ]});
            env.kubectl_stdin(&["apply", "-f", "-"], &docs.to_string())
                .ok();
            acc.await_can(env, verb, "jobs.batch", false);
        }
    }
    let other = if minus == Some("list") {
        "watch"
    } else {
        "list"
    };
    acc.await_can(env, other, "jobs.batch", true);
    acc.await_can(env, "create", INSTANCES, true);
    acc.await_can(
        env,
        "list",
        "clusterserviceclasses.servicecatalog.k8s.io",
        true,
    );
    acc
}

#[test]
fn the_pipeline_runs_as_a_service_account_and_each_jobs_verb_it_uses_is_needed() {
    let (env, ns) = setup("rbac-pipeline");
    install_roles(env);
    fn names(cassandra: &str) -> Vec<&str> {
        vec!["--cassandra", cassandra, "--kafka"]
    }
    let mut results: BTreeMap<&str, Run> = BTreeMap::new();

    // Everything granted: the whole workflow passes, and nothing is left.
    let acc = pipeline_account(env, &ns, "pipeline", None);
    let mut a = names("c-ok");
    a.extend(["k-ok", "--job", "job-ok"]);
    let run = pipeline_as(env, &acc, &a);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "bind", "job", "teardown"]
    );
    assert_eq!(snapshot(env, &ns), "", "nothing left behind");

    // Each with one verb on jobs missing, side by side (their names differ):
    // - without `get`: the first stage cannot tell whether the Job's name is free (exit 10), and nothing
    //   was created;
    // - without `create`: the Job cannot be created (exit 40); the cleanup removes the instances and
    //   bindings the run created;
    // - without `delete`: the Job passes, but the teardown cannot delete it (exit 50) and says so.
    let runs: Vec<(&str, Run)> = std::thread::scope(|scope| {
        let handles: Vec<_> = ["get", "create", "delete"]
            .into_iter()
            .map(|verb| {
                let ns = &ns;
                scope.spawn(move || {
                    let acc = pipeline_account(env, ns, &format!("no-{verb}"), Some(verb));
                    let (c, k, j) = (
                        format!("c-{verb}"),
                        format!("k-{verb}"),
                        format!("job-{verb}"),
                    );
                    let mut a = names(&c);
                    a.extend([k.as_str(), "--job", j.as_str()]);
                    (verb, pipeline_as(env, &acc, &a))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a pipeline run panicked"))
            .collect()
    });
    results.extend(runs);
    let get = &results["get"];
    assert_eq!(get.code, 10, "{get:#?}");
    assert_eq!(stages(&get.stdout), ["broker", "cleanup"], "{get:#?}");
    let create = &results["create"];
    assert_eq!(create.code, 40, "{create:#?}");
    assert!(
        format!("{}{}", create.stdout, create.stderr).contains("cannot create resource \"jobs\""),
        "{create:#?}"
    );
    create.clone().stdout_has("nothing left behind");
    let delete = &results["delete"];
    assert_eq!(delete.code, 50, "{delete:#?}");
    assert!(
        format!("{}{}", delete.stdout, delete.stderr).contains("cannot delete resource \"jobs\""),
        "{delete:#?}"
    );
    delete.clone().stdout_has("job.batch/job-delete");
    // Only that Job is left; the instances and bindings were removed.
    let left = snapshot(env, &ns);
    assert_eq!(
        left.lines()
            .map(|l| l.split(' ').next().unwrap())
            .collect::<Vec<_>>(),
        ["Job/job-delete"],
        "{left}"
    );
}
