//! What an end-to-end test is written with (see `tests/README.md`): the verbs as builders
//! ([`Env::provision`], [`Env::bind`], [`Env::unbind`], [`Env::deprovision`], [`Env::verb`]), a test's
//! namespace that checks at its end that it leaves nothing the controller retries for ever ([`Namespace`]),
//! one poll helper ([`eventually`]), manifests ([`instance`], [`binding`]) and the few reads every test
//! needs (names, objects, jsonpath, Secrets, Events, what our broker saw).
//!
//! ```no_run
//! # use testkit::env;
//! let env = env();
//! let ns = env.namespace("example");
//! env.provision(&ns, "db").class("cassandra").plan("developer").param("replicas", 3).wait();
//! env.bind(&ns, "app").instance("db").wait().stderr_has("password");
//! ```

use std::cell::RefCell;
use std::fmt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Env, Run, run};

/// How long the kit waits for the controller unless told otherwise: generous, the machine is shared
/// and the controller backs off.
pub const PATIENCE: Duration = Duration::from_secs(180);

/// The `--timeout` the builders' [`Osb::wait`] passes unless [`Osb::timeout`] says otherwise.
pub const WAIT_TIMEOUT: &str = "180s";

/// How long a [`Namespace`] gives what its test left to settle (an operation to end, a deletion to
/// finish) before it names what is still being worked on.
pub const SETTLE: Duration = Duration::from_secs(60);

/// Call `f` every quarter second until it returns `Some`, for at most `timeout`; then fail the test with
/// `what` (formatted only then, so it may describe the last state seen).
#[track_caller]
pub fn eventually<T>(
    what: impl fmt::Display,
    timeout: Duration,
    mut f: impl FnMut() -> Option<T>,
) -> T {
    let t0 = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            t0.elapsed() < timeout,
            "gave up after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A description that ends with the last value a poll saw (for [`eventually`]'s message).
struct LastSeen<'a>(&'a str, &'a RefCell<String>);

impl fmt::Display for LastSeen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; last seen: {:?}", self.0, self.1.borrow())
    }
}

// ---- the verbs as builders ----------------------------------------------------------------------------

/// `kubectl osb WORDS… -n NS`, built up and then run ([`Osb::run`], [`Osb::wait`]) or spawned
/// ([`Osb::spawn`]), with the admin's kubeconfig or through another kubectl ([`Osb::via`]); or its words
/// handed to a runner of its own ([`Osb::words`]).
#[must_use = "a verb does nothing until it is run, waited for or spawned"]
pub struct Osb<'e> {
    env: &'e Env,
    kubectl: Option<std::process::Command>,
    ns: Option<String>,
    words: Vec<String>,
    wait: bool,
    timeout: Option<String>,
    code: i32,
    stdin: Option<String>,
}

impl Env {
    /// `kubectl osb provision NAME -n NS`; add `.class(..).plan(..)`, `.param(..)`, `.from_instaclustr(..)`.
    pub fn provision(&self, ns: &str, name: &str) -> Osb<'_> {
        self.verb(ns, ["provision", name])
    }

    /// `kubectl osb provision NAME --class cassandra --plan developer -n NS`: our broker's Cassandra, the
    /// instance most tests need (its `x-test` parameters choose how the broker behaves).
    pub fn cassandra(&self, ns: &str, name: &str) -> Osb<'_> {
        self.provision(ns, name)
            .class("cassandra")
            .plan("developer")
    }

    /// `kubectl osb bind NAME -n NS`; add `.instance(..)`.
    pub fn bind(&self, ns: &str, name: &str) -> Osb<'_> {
        self.verb(ns, ["bind", name])
    }

    /// `kubectl osb unbind NAME -n NS`.
    pub fn unbind(&self, ns: &str, name: &str) -> Osb<'_> {
        self.verb(ns, ["unbind", name])
    }

    /// `kubectl osb deprovision NAME -n NS`.
    pub fn deprovision(&self, ns: &str, name: &str) -> Osb<'_> {
        self.verb(ns, ["deprovision", name])
    }

    /// `kubectl osb WORDS… -n NS`, any verb: `env.verb(&ns, ["wait", "si/db", "--for=ready"])`.
    pub fn verb<S: Into<String>>(&self, ns: &str, words: impl IntoIterator<Item = S>) -> Osb<'_> {
        Osb {
            env: self,
            kubectl: None,
            ns: Some(ns.to_string()),
            words: words.into_iter().map(Into::into).collect(),
            wait: false,
            timeout: None,
            code: 0,
            stdin: None,
        }
    }
}

impl Osb<'_> {
    /// `--class CLASS`.
    pub fn class(self, class: &str) -> Self {
        self.args(["--class", class])
    }

    /// `--plan PLAN`.
    pub fn plan(self, plan: &str) -> Self {
        self.args(["--plan", plan])
    }

    /// `--instance INSTANCE` (bind, unbind).
    pub fn instance(self, instance: &str) -> Self {
        self.args(["--instance", instance])
    }

    /// `-p KEY=VALUE` (a dotted key nests: `x-test.provision`).
    pub fn param(self, key: &str, value: impl fmt::Display) -> Self {
        self.args(["-p".to_string(), format!("{key}={value}")])
    }

    /// `-p KEY:=JSON` (the value as JSON: a number, a list, an object).
    pub fn json_param(self, key: &str, value: impl Into<Value>) -> Self {
        self.args(["-p".to_string(), format!("{key}:={}", value.into())])
    }

    /// `--from-instaclustr PATH`.
    pub fn from_instaclustr(self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().display().to_string();
        self.args(["--from-instaclustr".to_string(), path])
    }

    /// One more word, as given (`--dry-run=client`, `-o`, `json`, …).
    pub fn arg(mut self, word: impl Into<String>) -> Self {
        self.words.push(word.into());
        self
    }

    /// More words, as given.
    pub fn args<S: Into<String>>(mut self, words: impl IntoIterator<Item = S>) -> Self {
        self.words.extend(words.into_iter().map(Into::into));
        self
    }

    /// The `--timeout` of a wait (default [`WAIT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: &str) -> Self {
        self.timeout = Some(timeout.to_string());
        self
    }

    /// `--wait --timeout T`, without running yet (for [`Osb::spawn`] and [`Osb::words`]).
    pub fn with_wait(mut self) -> Self {
        self.wait = true;
        self
    }

    /// The exit code the run must end with (default 0).
    pub fn expect_code(mut self, code: i32) -> Self {
        self.code = code;
        self
    }

    /// Text written to the command's stdin.
    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_string());
        self
    }

    /// Without `-n`: the namespace comes from the kubeconfig (or a pod's service account).
    pub fn no_namespace(mut self) -> Self {
        self.ns = None;
        self
    }

    /// Run it through this `kubectl` command (another identity's kubeconfig, no kubeconfig at all, …)
    /// instead of the admin's.
    pub fn via(mut self, kubectl: std::process::Command) -> Self {
        self.kubectl = Some(kubectl);
        self
    }

    /// The words after `kubectl osb`, `-n NS` last (unless [`Osb::no_namespace`]).
    pub fn words(&self) -> Vec<String> {
        let mut w = self.words.clone();
        if self.wait || self.timeout.is_some() {
            if self.wait {
                w.push("--wait".into());
            }
            w.push("--timeout".into());
            w.push(self.timeout.clone().unwrap_or_else(|| WAIT_TIMEOUT.into()));
        }
        if let Some(ns) = &self.ns {
            w.push("-n".into());
            w.push(ns.clone());
        }
        w
    }

    fn command(&mut self) -> std::process::Command {
        let mut c = self
            .kubectl
            .take()
            .unwrap_or_else(|| self.env.kubectl_cmd());
        c.arg("osb").args(self.words());
        c
    }

    /// Run it to the end, whatever its exit code.
    pub fn try_run(mut self) -> Run {
        run(&mut self.command(), self.stdin.as_deref())
    }

    /// Run it to the end; the exit code must be the expected one (0 unless [`Osb::expect_code`]).
    #[track_caller]
    pub fn run(mut self) -> Run {
        let r = run(&mut self.command(), self.stdin.as_deref());
        assert_eq!(
            r.code,
            self.code,
            "kubectl osb {}: {r:#?}",
            self.words().join(" ")
        );
        r
    }

    /// `--wait --timeout T`, run to the end (see [`Osb::run`]).
    #[track_caller]
    pub fn wait(self) -> Run {
        self.with_wait().run()
    }

    /// Start it in the background, stdout and stderr piped; [`crate::finish`] collects it.
    pub fn spawn(mut self) -> Child {
        self.command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("kubectl osb {}: {e}", self.words().join(" ")))
    }
}

// ---- manifests --------------------------------------------------------------------------------------------

/// A manifest (JSON, which `kubectl apply -f -` reads as YAML), changed field by field.
#[derive(Clone, Debug)]
pub struct Manifest(pub Value);

/// A ServiceInstance of `class`/`plan` (external names).
pub fn instance(name: &str, class: &str, plan: &str) -> Manifest {
    Manifest(json!({
        "apiVersion": "servicecatalog.k8s.io/v1beta1",
        "kind": "ServiceInstance",
        "metadata": {"name": name},
        "spec": {"clusterServiceClassExternalName": class, "clusterServicePlanExternalName": plan},
    }))
}

/// A ServiceBinding to `instance`.
pub fn binding(name: &str, instance: &str) -> Manifest {
    Manifest(json!({
        "apiVersion": "servicecatalog.k8s.io/v1beta1",
        "kind": "ServiceBinding",
        "metadata": {"name": name},
        "spec": {"instanceRef": {"name": instance}},
    }))
}

impl Manifest {
    /// Set the field at a JSON pointer (`/spec/secretName`), making the objects on the way;
    /// `Value::Null` removes it.
    pub fn set(mut self, pointer: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        let mut at = &mut self.0;
        let keys: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
        let (last, path) = keys.split_last().expect("a pointer names a field");
        for k in path {
            if !at.get(*k).is_some_and(Value::is_object) {
                at[*k] = json!({});
            }
            at = &mut at[*k];
        }
        match (value, at.as_object_mut()) {
            (Value::Null, Some(o)) => {
                o.remove(*last);
            }
            (v, _) => at[*last] = v,
        }
        self
    }

    /// How our broker treats this instance: the provision parameter `x-test` (see [`crate::broker`]).
    pub fn x_test(self, behaviour: Value) -> Self {
        self.set("/spec/parameters/x-test", behaviour)
    }

    /// The manifest's finalizers.
    pub fn finalizers(self, finalizers: &[&str]) -> Self {
        self.set("/metadata/finalizers", json!(finalizers))
    }
}

impl fmt::Display for Manifest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

// ---- reading the cluster ------------------------------------------------------------------------------------

impl Env {
    /// `kubectl get KIND -n NS -o name`, one line each.
    pub fn names(&self, kind: &str, ns: &str) -> Vec<String> {
        self.kubectl(&["get", kind, "-n", ns, "-o", "name"])
            .ok()
            .stdout
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// `kubectl create secret generic NAME -n NS --from-literal=KEY=VALUE`: what parameters are taken
    /// from (`--params-from-secret NAME:KEY`, a `parametersFrom`).
    #[track_caller]
    pub fn secret(&self, ns: &str, name: &str, key: &str, value: &str) {
        let literal = format!("--from-literal={key}={value}");
        self.kubectl(&["create", "secret", "generic", name, "-n", ns, &literal])
            .ok();
    }

    /// `kubectl apply -n NS -f -` of a manifest (YAML or JSON text, or a [`Manifest`]).
    #[track_caller]
    pub fn apply(&self, ns: &str, manifest: impl fmt::Display) {
        self.kubectl_stdin(&["apply", "-n", ns, "-f", "-"], &manifest.to_string())
            .ok();
    }

    /// An object as JSON (`kubectl get KIND NAME -n NS -o json`), `None` when it does not exist. Read in
    /// process for the kinds [`crate::api`] knows, by `kubectl` for others.
    pub fn object(&self, kind: &str, ns: &str, name: &str) -> Option<Value> {
        if let Some(res) = crate::api::resource(kind) {
            let path = res.path(ns, Some(name));
            return crate::api::get(self.reader(), &path)
                .unwrap_or_else(|e| panic!("reading {kind} {ns}/{name}: {e:#}"));
        }
        let r = self.kubectl(&[
            "get",
            kind,
            name,
            "-n",
            ns,
            "--ignore-not-found",
            "-o",
            "json",
        ]);
        assert_eq!(r.code, 0, "kubectl get {kind} {name} -n {ns}: {r:#?}");
        (!r.stdout.trim().is_empty()).then(|| r.json())
    }

    /// The kit's own client ([`crate::api`]): the environment's admin.
    fn reader(&self) -> &kube::Client {
        self.reader.get_or_init(|| {
            crate::api::client(&self.cp.kubeconfig)
                .unwrap_or_else(|e| panic!("a client for the kit's reads: {e:#}"))
        })
    }

    /// The items of `kinds` in `ns` (`kubectl get KIND,KIND -n NS -o json`'s items, in the order of
    /// `kinds`).
    pub(crate) fn items(&self, kinds: &[&str], ns: &str) -> anyhow::Result<Vec<Value>> {
        let mut all = Vec::new();
        for kind in kinds {
            let res = crate::api::resource(kind)
                .ok_or_else(|| anyhow::anyhow!("the kit does not read {kind} in process"))?;
            let list = crate::api::get(self.reader(), &res.path(ns, None))?.unwrap_or_default();
            if let Some(items) = list["items"].as_array() {
                all.extend(items.iter().cloned());
            }
        }
        Ok(all)
    }

    /// An object that must exist, as JSON.
    #[track_caller]
    pub fn json(&self, kind: &str, ns: &str, name: &str) -> Value {
        self.object(kind, ns, name)
            .unwrap_or_else(|| panic!("{kind} {ns}/{name} does not exist"))
    }

    /// A Service Catalog object as its type (`env.typed::<ServiceInstance>(&ns, "db")`), if it exists.
    pub fn typed<K>(&self, ns: &str, name: &str) -> Option<K>
    where
        K: kube::Resource<DynamicType = ()> + serde::de::DeserializeOwned,
    {
        let kind = format!("{}.{}", K::plural(&()), K::group(&()));
        self.object(&kind, ns, name).map(|v| {
            serde_json::from_value(v).unwrap_or_else(|e| panic!("{kind} {ns}/{name}: {e}"))
        })
    }

    /// `kubectl get KIND NAME -n NS -o jsonpath=PATH` ("" when the object does not exist), rendered in
    /// process by the suite's own kubectl JSONPath (`osb::jsonpath`) for the kinds [`crate::api`] knows.
    pub fn jsonpath(&self, kind: &str, ns: &str, name: &str, path: &str) -> String {
        if crate::api::resource(kind).is_some() {
            let template = osb::jsonpath::Template::parse(path)
                .unwrap_or_else(|e| panic!("jsonpath {path}: {e}"));
            return self
                .object(kind, ns, name)
                .map(|o| {
                    template
                        .render(&o)
                        .unwrap_or_else(|e| panic!("jsonpath {path} on {kind} {ns}/{name}: {e}"))
                })
                .unwrap_or_default();
        }
        self.kubectl(&[
            "get",
            kind,
            name,
            "-n",
            ns,
            "--ignore-not-found",
            "-o",
            &format!("jsonpath={path}"),
        ])
        .ok()
        .stdout
    }

    /// Poll [`Env::jsonpath`] until `pred` holds on it (at most [`PATIENCE`]); the value it held.
    #[track_caller]
    pub fn until_jsonpath(
        &self,
        kind: &str,
        ns: &str,
        name: &str,
        path: &str,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let last = RefCell::new(String::new());
        let what = format!("{kind} {ns}/{name} {path}");
        eventually(LastSeen(&what, &last), PATIENCE, || {
            let now = self.jsonpath(kind, ns, name, path);
            let done = pred(&now);
            *last.borrow_mut() = now.clone();
            done.then_some(now)
        })
    }

    /// The decoded data of a Secret.
    pub fn secret_data(&self, ns: &str, name: &str) -> serde_json::Map<String, Value> {
        use base64::Engine;
        let s = self.json("secret", ns, name);
        s["data"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v.as_str().unwrap_or_default())
                    .unwrap_or_else(|e| panic!("secret {ns}/{name} key {k}: {e}"));
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|e| panic!("secret {ns}/{name} key {k}: {e}"));
                (k.clone(), Value::String(text))
            })
            .collect()
    }

    /// The Events of namespace `ns` that match a field selector (`involvedObject.name=db`), oldest
    /// first, as JSON.
    pub fn events_where(&self, ns: &str, selector: &str) -> Vec<Value> {
        let path = format!(
            "{}?fieldSelector={}",
            crate::api::resource("events")
                .expect("events")
                .path(ns, None),
            crate::api::query_escape(selector)
        );
        let list = crate::api::get(self.reader(), &path)
            .unwrap_or_else(|e| panic!("events in {ns} ({selector}): {e:#}"))
            .unwrap_or_default();
        let mut items = list["items"].as_array().cloned().unwrap_or_default();
        // `--sort-by=.metadata.creationTimestamp`: a stable sort, as kubectl's.
        items.sort_by(|a, b| {
            let t = |v: &Value| {
                v["metadata"]["creationTimestamp"]
                    .as_str()
                    .map(str::to_owned)
            };
            t(a).cmp(&t(b))
        });
        items
    }

    /// The Events recorded on object `name` in `ns`, as `(type, reason)`, oldest first.
    pub fn events(&self, ns: &str, name: &str) -> Vec<(String, String)> {
        let text = |e: &Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
        self.events_where(ns, &format!("involvedObject.name={name}"))
            .iter()
            .map(|e| (text(e, "type"), text(e, "reason")))
            .collect()
    }

    /// Write `text` to a file of its own under the cluster's directory (named after `name`); its path.
    pub fn file(&self, name: &str, text: &str) -> std::path::PathBuf {
        let dir = self.cp.dir.join("files");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let p = dir.join(format!("{}-{name}", uuid::Uuid::new_v4().simple()));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p
    }

    /// Start `kubectl ARGS…` in the background (`kubectl get -w`, …), its stdout going to a file that
    /// [`Background::stdout`] reads as it grows; killed when dropped.
    pub fn background(&self, args: &[&str]) -> Background {
        let open = |p: &std::path::Path| {
            std::fs::File::create(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let (out, err) = (self.file("stdout", ""), self.file("stderr", ""));
        let child = self
            .kubectl_cmd()
            .args(args)
            .stdout(open(&out))
            .stderr(open(&err))
            .spawn()
            .unwrap_or_else(|e| panic!("kubectl {}: {e}", args.join(" ")));
        Background {
            child,
            out,
            err,
            args: args.join(" "),
        }
    }
}

/// A command left running (see [`Env::background`]).
pub struct Background {
    child: Child,
    out: std::path::PathBuf,
    err: std::path::PathBuf,
    args: String,
}

impl Background {
    /// Everything it printed on stdout so far.
    pub fn stdout(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }
}

/// The command, and what it printed so far (for a failing test's message).
impl fmt::Debug for Background {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let err = std::fs::read_to_string(&self.err).unwrap_or_default();
        write!(
            f,
            "kubectl {}\n--- stdout:\n{}--- stderr:\n{err}",
            self.args,
            self.stdout()
        )
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- our broker ------------------------------------------------------------------------------------------

/// What a test asks of our broker, in-process (see [`crate::broker`]): how an instance behaves, what it
/// holds, what it received.
impl Env {
    /// Set how our broker treats the instance `namespace/name` (a partial [`crate::broker::Behaviour`] as
    /// JSON, e.g. `json!({"provision": "fail", "provision-seconds": 2})`), as `PUT
    /// /admin/behaviours/NS/NAME` does: for instances provisioned under that name from now on and one
    /// already provisioned (an `x-test` parameter still wins, key by key).
    #[track_caller]
    pub fn behave(&self, namespace: &str, name: &str, behaviour: Value) {
        let b = crate::broker::Behaviour::from_value(&behaviour)
            .unwrap_or_else(|e| panic!("behaviour {behaviour}: {e}"));
        self.catalog.broker.set_behaviour(namespace, name, &b);
    }

    /// Make our broker forget the instance `namespace/name` behind the catalog's back (as `DELETE
    /// /admin/instances/NS/NAME` does: a broker that lost its state); fails the test if it knew none.
    #[track_caller]
    pub fn broker_forget(&self, namespace: &str, name: &str) {
        let n = self.catalog.broker.forget(namespace, name);
        assert!(n > 0, "our broker knows no instance {namespace}/{name}");
    }

    /// The OSB requests our broker received (oldest first), as `GET /admin/requests` lists them.
    pub fn broker_requests(&self) -> Vec<Value> {
        let all = self.catalog.broker.requests();
        serde_json::to_value(all)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .expect("requests as JSON")
    }

    /// A refused command left no trace: no ServiceInstance in `ns`, and no request of `ns` reached our broker.
    #[track_caller]
    pub fn assert_untouched(&self, ns: &str) {
        assert!(
            self.names("serviceinstances", ns).is_empty(),
            "nothing created"
        );
        assert_eq!(
            self.broker_requests_in(ns),
            Vec::<Value>::new(),
            "nothing reached the broker"
        );
    }

    /// The requests our broker received for instances of namespace `ns`.
    pub fn broker_requests_in(&self, ns: &str) -> Vec<Value> {
        self.broker_requests()
            .into_iter()
            .filter(|r| r["namespace"] == ns)
            .collect()
    }

    /// The instances our broker knows, as `GET /admin/instances` lists them.
    pub fn broker_instances(&self) -> Vec<Value> {
        let all = self.catalog.broker.instances();
        serde_json::to_value(all)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .expect("instances as JSON")
    }

    /// What our broker knows of the instance `ns/name` (the latest one under that name), if anything.
    pub fn broker_instance(&self, ns: &str, name: &str) -> Option<Value> {
        self.broker_instances()
            .into_iter()
            .filter(|i| i["namespace"] == ns && i["instance_name"] == name)
            .max_by(|a, b| {
                let created = |v: &Value| v["created"].as_str().unwrap_or_default().to_string();
                created(a).cmp(&created(b))
            })
    }
}

// ---- a test's namespace ---------------------------------------------------------------------------------

/// A fresh namespace for one test ([`Env::namespace`]); used as a `&str` (`&ns`).
///
/// On the shared cluster ([`crate::env`]) it checks, when the test ends, that the namespace holds no
/// instance or binding the controller keeps working on: every one must be Ready, Failed for good, or an
/// orphan the controller gave up on — and not in an operation (provision, deprovision, orphan
/// mitigation). It gives them [`SETTLE`] to get there; what is still being worked on then fails the test,
/// named with its state, and is removed by force (as [`Namespace::clear`]) so that the controller stops.
/// A test that makes objects retry on purpose calls [`Namespace::clear`] at its end. A test that failed
/// already is not failed again: its namespace is cleared.
pub struct Namespace<'e> {
    env: &'e Env,
    name: String,
    check: bool,
    settle: Duration,
}

/// The shared cluster ([`crate::env`]) and a fresh namespace on it: how most tests begin,
/// `let (env, ns) = setup("lc-retry");`.
#[track_caller]
pub fn setup(prefix: &str) -> (&'static Env, Namespace<'static>) {
    let env = crate::env();
    (env, env.namespace(prefix))
}

impl Env {
    /// Create a fresh namespace named after the test (`PREFIX-xxxxxx`); see [`Namespace`].
    pub fn namespace(&self, prefix: &str) -> Namespace<'_> {
        let name = format!(
            "{prefix}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..6]
        );
        self.kubectl(&["create", "namespace", &name]).ok();
        Namespace {
            env: self,
            name,
            check: self.check_leftovers,
            settle: SETTLE,
        }
    }
}

impl std::ops::Deref for Namespace<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.name
    }
}

impl AsRef<str> for Namespace<'_> {
    fn as_ref(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for Namespace<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl serde::Serialize for Namespace<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

impl fmt::Debug for Namespace<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.name)
    }
}

/// Where the controller stands with one object of a namespace, for [`Namespace`]'s check.
struct Left {
    what: String,
    state: String,
    quiet: bool,
}

fn cond<'a>(obj: &'a Value, type_: &str) -> Option<&'a Value> {
    obj["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == type_)
}

/// Whether the controller is done with `obj`: nothing in progress, and Ready, Failed for good, or a
/// deletion it gave up on (an orphan). Anything else it retries, polls or is still deleting.
fn left(obj: &Value) -> Left {
    let st = &obj["status"];
    let is = |t: &str| cond(obj, t).is_some_and(|c| c["status"] == "True");
    let reason = |t: &str| {
        cond(obj, t)
            .and_then(|c| c["reason"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let deleting = obj["metadata"]["deletionTimestamp"].is_string();
    let given_up = st["deprovisionStatus"] == "Failed" || st["unbindStatus"] == "Failed";
    let busy = st["asyncOpInProgress"] == true
        || st["orphanMitigationInProgress"] == true
        || st["currentOperation"]
            .as_str()
            .is_some_and(|s| !s.is_empty());
    let quiet = if deleting {
        given_up
    } else {
        !busy && (is("Ready") || is("Failed"))
    };
    let mut state = vec![];
    if deleting {
        state.push("being deleted".to_string());
    }
    for (k, v) in st.as_object().into_iter().flatten() {
        let shown = [
            "currentOperation",
            "asyncOpInProgress",
            "orphanMitigationInProgress",
            "deprovisionStatus",
            "unbindStatus",
        ];
        if shown.contains(&k.as_str()) && !v.is_null() {
            state.push(format!("{k}: {v}"));
        }
    }
    for t in ["Ready", "Failed"] {
        if let Some(c) = cond(obj, t) {
            state.push(format!(
                "{t}={} {}",
                c["status"].as_str().unwrap_or_default(),
                reason(t)
            ));
        }
    }
    Left {
        what: format!(
            "{}/{}",
            obj["kind"].as_str().unwrap_or_default().to_lowercase(),
            obj["metadata"]["name"].as_str().unwrap_or_default()
        ),
        state: state.join(", "),
        quiet,
    }
}

const CATALOG_OBJECTS: &str =
    "servicebindings.servicecatalog.k8s.io,serviceinstances.servicecatalog.k8s.io";
/// [`CATALOG_OBJECTS`], one kind each.
const CATALOG_KINDS: [&str; 2] = [
    "servicebindings.servicecatalog.k8s.io",
    "serviceinstances.servicecatalog.k8s.io",
];

impl Namespace<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// How long the check at the end gives what is left to settle (default [`SETTLE`]).
    pub fn settle_within(mut self, limit: Duration) -> Self {
        self.settle = limit;
        self
    }

    /// Keep the namespace as it is, unchecked, past this guard (e.g. shared by several tests); its name.
    pub fn keep(mut self) -> String {
        self.check = false;
        std::mem::take(&mut self.name)
    }

    /// Every instance and binding left in the namespace, with where the controller stands.
    fn left(&self) -> Vec<Left> {
        match self.env.items(&CATALOG_KINDS, &self.name) {
            Ok(items) => items.iter().map(left).collect(),
            Err(e) => vec![Left {
                what: "the namespace's objects".into(),
                state: format!("{e:#}"),
                quiet: false,
            }],
        }
    }

    /// Remove every instance and binding of the namespace now, by force, as `kubectl osb abandon` does:
    /// each is deleted and loses its finalizers at once, so that the controller stops working on it (the
    /// brokers are not asked to deprovision; what they hold is theirs). For a test that made objects retry,
    /// hang or fail on purpose. Fails the test if anything is left.
    #[track_caller]
    pub fn clear(&self) {
        let left = self.remove_all();
        assert!(
            left.is_empty(),
            "left in {} after removing everything by force: {left:?}",
            self.name
        );
    }

    /// [`Namespace::clear`] without failing: what could not be removed, named.
    fn remove_all(&self) -> Vec<String> {
        let (env, ns) = (self.env, self.name.as_str());
        env.kubectl(&["delete", CATALOG_OBJECTS, "--all", "-n", ns, "--wait=false"]);
        for l in self.left() {
            env.kubectl(&[
                "patch",
                &l.what,
                "-n",
                ns,
                "--type=merge",
                "-p",
                r#"{"metadata":{"finalizers":null}}"#,
            ]);
        }
        let t0 = Instant::now();
        loop {
            let left = self.left();
            if left.is_empty() || t0.elapsed() > Duration::from_secs(30) {
                return left
                    .into_iter()
                    .map(|l| format!("{} ({})", l.what, l.state))
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Wait up to [`Namespace::settle_within`] until the controller is done with everything left; what
    /// it is not done with, described.
    fn unsettled(&self) -> Vec<String> {
        let t0 = Instant::now();
        loop {
            let busy: Vec<String> = self
                .left()
                .into_iter()
                .filter(|l| !l.quiet)
                .map(|l| format!("{} ({})", l.what, l.state))
                .collect();
            if busy.is_empty() || t0.elapsed() > self.settle {
                if t0.elapsed() > Duration::from_secs(5) {
                    eprintln!(
                        "[testkit] namespace {}: what the test left took {:.0?} to settle",
                        self.name,
                        t0.elapsed()
                    );
                }
                return busy;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

impl Drop for Namespace<'_> {
    fn drop(&mut self) {
        if !self.check {
            return;
        }
        if std::thread::panicking() {
            // The test failed already: only make sure the controller stops working on what it left
            // (without a second panic).
            if self.left().iter().any(|l| !l.quiet) {
                let _ = self.remove_all();
            }
            return;
        }
        let busy = self.unsettled();
        if !busy.is_empty() {
            let _ = self.remove_all();
            panic!(
                "namespace {} was left with objects the controller keeps working on (they were removed by \
                 force; a test that makes objects retry on purpose ends with `ns.clear()`):\n  {}",
                self.name,
                busy.join("\n  ")
            );
        }
    }
}
