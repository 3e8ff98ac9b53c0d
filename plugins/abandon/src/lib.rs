//! `kubectl osb abandon`: find ServiceInstances and ServiceBindings the catalog can no longer reconcile
//! (`--list`), and force-clean them: remove the catalog's finalizer (only that one, guarded by
//! `resourceVersion`, retried on conflicts) and delete the object, with `--with-bindings` the instance's
//! bindings and their Secrets first.
//!
//! Safety: a healthy object (Ready, not being deleted) is refused unless `--force`; the cost is stated and
//! confirmed (`Are you sure? [y/N]` on a terminal, `--yes` otherwise); `--dry-run` writes nothing; only the
//! named objects (and, with `--with-bindings`, the bindings naming the instance and the Secrets those
//! bindings own) are touched; deletes are pinned to the UID that was planned.

pub mod list;

use std::io::Write;
use std::time::Duration;

use clap::Parser;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{DeleteParams, Preconditions};
use kube::{Api, Client, ResourceExt};
use osb::catalog::{FINALIZER, ServiceBinding, ServiceInstance};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::finalizer::{self, Hook, NoHook};
use osb::flags::DryRunFlag;
use osb::kinds::Kind;
use osb::output::Format;
use osb::rbac::{self, Need};

/// kubectl's `--dry-run` strategies, the suite's one flag ([`osb::flags::DryRun`]).
pub use osb::flags::DryRun;

const VERB: &str = "kubectl osb abandon";

/// Find orphaned ServiceInstances/ServiceBindings, and force-remove them from Kubernetes.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-osb-abandon",
    bin_name = "kubectl osb abandon",
    version,
    after_help = "\
Abandoning removes the Service Catalog's finalizer (kubernetes-incubator/service-catalog) and deletes the
object WITHOUT deprovisioning or unbinding at the broker: whatever the broker runs for it keeps running,
and may keep being billed, until you remove it there.

Orphan candidates (--list): deletion pending with deprovisionStatus/unbindStatus Failed or a terminal
reason; Failed instances and bindings; bindings whose instance is gone; instances whose class or plan
no longer exists; objects whose deletion has been pending longer than --older-than.
With -o json|yaml each candidate is {apiVersion, kind, metadata, reasons: [{code, message}]}.

Exit status: 0 done, 1 error/refused/partially done, 2 usage, 130 interrupted.

Examples:
  # What looks orphaned, in every namespace
  kubectl osb abandon --list -A

  # See exactly what would change, then do it
  kubectl osb abandon db --with-bindings --dry-run
  kubectl osb abandon db --with-bindings --yes

  # One binding (its Secret too, if the binding owns it)
  kubectl osb abandon binding db-creds"
)]
pub struct Args {
    /// INSTANCE, or `binding NAME` (also `instance NAME`, `serviceinstance/NAME`, `servicebinding/NAME`)
    #[arg(value_name = "TARGET", num_args = 0..=2, add = Complete::Target)]
    pub target: Vec<String>,
    /// List orphan candidates and why each is one; changes nothing
    #[arg(long)]
    pub list: bool,
    /// With --list: look in every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// With --list: a deletion pending longer than this counts as stuck (e.g. 30s, 10m, 1h)
    #[arg(long, value_name = "DURATION", value_parser = osb::duration::parse, default_value = "10m", add = Complete::Nothing)]
    pub older_than: Duration,
    /// Also abandon the instance's bindings (first) and delete the Secrets they own
    #[arg(long)]
    pub with_bindings: bool,
    /// Abandon even a healthy object (Ready and not being deleted), or one its broker says it still holds
    #[arg(long)]
    pub force: bool,
    /// With --list: ask each candidate's broker too, and add its verdict as a column (docs/broker.md)
    #[arg(long)]
    pub check_broker: bool,
    #[command(flatten)]
    pub broker: osb::broker::BrokerFlags,
    /// Do not ask for confirmation (required when stdin is not a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// Output format: table|wide|json|yaml|name for --list; name prints only the names of cleaned objects
    #[arg(short = 'o', long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// What to abandon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Instance(String),
    Binding(String),
}

/// Parse the positional words: `NAME`, `KIND NAME` or `KIND/NAME` (any spelling of the kind registry:
/// `si/db`, `binding b1`, `servicebindings.servicecatalog.k8s.io/b1`).
pub fn parse_target(words: &[String]) -> Result<Option<Target>> {
    let parsed = osb::kinds::parse_one(
        words,
        Kind::ServiceInstance,
        &[Kind::ServiceInstance, Kind::ServiceBinding],
    )
    .map_err(Error::Usage)?;
    Ok(parsed.map(|(kind, name)| match kind {
        Kind::ServiceBinding => Target::Binding(name),
        _ => Target::Instance(name),
    }))
}

/// An existing Secret of a binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretPlan {
    pub name: String,
    pub uid: String,
    /// Only a Secret controlled by the binding (owner reference with its UID) is deleted.
    pub owned: bool,
}

/// One object as planned: what it is now, and what will be done to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// A ServiceInstance or a ServiceBinding (the kind registry's).
    pub kind: Kind,
    pub name: String,
    pub uid: String,
    pub finalizers: Vec<String>,
    pub deleting: bool,
    pub ready: bool,
    /// The Ready/Failed reason, for messages.
    pub state: String,
    /// Bindings only: their Secret, if it exists.
    pub secret: Option<SecretPlan>,
}

impl Object {
    /// `kind.group/name`.
    pub fn ref_name(&self) -> String {
        format!("{}/{}", self.kind.qualified(), self.name)
    }

    /// Ready and not being deleted: abandoning it needs `--force`.
    pub fn healthy(&self) -> bool {
        self.ready && !self.deleting
    }

    fn has_catalog_finalizer(&self) -> bool {
        self.finalizers.iter().any(|f| f == FINALIZER)
    }
}

/// Everything an abandon will touch, in order: bindings first, then the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub namespace: String,
    pub bindings: Vec<Object>,
    pub target: Object,
    /// Bindings of the instance that are NOT abandoned (no `--with-bindings`).
    pub left_behind: Vec<String>,
}

/// The judge's word for an object ([`osb::state`], as `wait` and `describe` see it): `Ready`, or the
/// reason that explains its state.
fn judged<K: serde::Serialize>(kind: Kind, obj: &K) -> (bool, String) {
    let st = osb::state::judge(kind, &osb::output::to_value(obj));
    let ready = st.phase == osb::state::Phase::Ready;
    let word = if ready || st.reason.is_empty() {
        st.word()
    } else {
        st.reason
    };
    (ready, word)
}

async fn binding_object(secrets: &Api<Secret>, sb: &ServiceBinding) -> Result<Object> {
    let uid = sb.uid().unwrap_or_default();
    let secret = secrets
        .get_opt(&sb.secret_name())
        .await?
        .map(|s| SecretPlan {
            name: s.name_any(),
            owned: s.owner_references().iter().any(|o| o.uid == uid),
            uid: s.uid().unwrap_or_default(),
        });
    let (ready, state) = judged(Kind::ServiceBinding, sb);
    Ok(Object {
        kind: Kind::ServiceBinding,
        name: sb.name_any(),
        uid,
        finalizers: sb.finalizers().to_vec(),
        deleting: sb.metadata.deletion_timestamp.is_some(),
        ready,
        state,
        secret,
    })
}

/// Read the target (and its bindings) and plan the abandon. Writes nothing.
pub async fn plan(
    client: &Client,
    namespace: &str,
    target: &Target,
    with_bindings: bool,
) -> Result<Plan> {
    let instances: Api<ServiceInstance> = Api::namespaced(client.clone(), namespace);
    let bindings: Api<ServiceBinding> = Api::namespaced(client.clone(), namespace);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), namespace);
    match target {
        Target::Binding(name) => {
            let sb = bindings.get(name).await?;
            Ok(Plan {
                namespace: namespace.into(),
                bindings: vec![],
                target: binding_object(&secrets, &sb).await?,
                left_behind: vec![],
            })
        }
        Target::Instance(name) => {
            let si = instances.get(name).await?;
            let (instance_ready, instance_state) = judged(Kind::ServiceInstance, &si);
            let mine = osb::lifecycle::bindings_of(client, namespace, name).await?;
            let mut planned = Vec::new();
            let mut left_behind = Vec::new();
            for sb in &mine {
                if with_bindings {
                    planned.push(binding_object(&secrets, sb).await?);
                } else {
                    left_behind.push(sb.name_any());
                }
            }
            Ok(Plan {
                namespace: namespace.into(),
                bindings: planned,
                target: Object {
                    kind: Kind::ServiceInstance,
                    name: si.name_any(),
                    uid: si.uid().unwrap_or_default(),
                    finalizers: si.finalizers().to_vec(),
                    deleting: si.metadata.deletion_timestamp.is_some(),
                    ready: instance_ready,
                    state: instance_state,
                    secret: None,
                },
                left_behind,
            })
        }
    }
}

/// Refuse a healthy target unless forced.
pub fn check_safe(plan: &Plan, force: bool) -> Result<()> {
    let t = &plan.target;
    if t.healthy() && !force {
        let kind = t.kind.name().to_ascii_lowercase();
        return Err(Error::Input(format!(
            "refusing to abandon {}: it is healthy (Ready and not being deleted). Delete it normally \
             (kubectl delete {kind} {} -n {}) so that the broker releases it, or pass --force to abandon it anyway; \
 nothing was changed",
            t.ref_name(),
            t.name,
            plan.namespace
        )));
    }
    Ok(())
}

/// What the broker said about the target, for [`check_broker`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokerAnswer {
    /// It still holds the object: the verdict's words.
    Holds(String),
    /// It no longer has it.
    Gone(String),
    /// It cannot tell, and why.
    CannotTell(String),
}

impl BrokerAnswer {
    /// From the broker's view ([`osb::broker_view`]).
    pub fn of(view: &osb::broker_view::View) -> BrokerAnswer {
        match view.broker_holds {
            Some(true) => BrokerAnswer::Holds(view.why.clone()),
            Some(false) => BrokerAnswer::Gone(view.why.clone()),
            None => BrokerAnswer::CannotTell(view.why.clone()),
        }
    }
}

/// Ask the target's broker whether it still holds it; any failure to ask is "cannot tell", with why.
pub async fn ask_broker(
    kube: &osb::client::Kube,
    opts: &osb::broker::Options,
    target: &Target,
) -> BrokerAnswer {
    let view = match target {
        Target::Instance(n) => osb::broker_view::instance(kube, opts, n).await,
        Target::Binding(n) => osb::broker_view::binding(kube, opts, n).await,
    };
    match view {
        Ok(v) => BrokerAnswer::of(&v),
        // A missing permission (the broker's Secret, its class) names the role granting it.
        Err(e) => BrokerAnswer::CannotTell(format!(
            "asking it failed: {}",
            osb::broker_view::failure_words(&e)
        )),
    }
}

/// The broker's word on top of [`check_safe`]: an object the broker no longer has may be abandoned
/// without `--force` (nothing is left to release), one it still holds may not (it would keep running
/// there); when the broker cannot tell, [`check_safe`]'s rule alone decides. Returns the lines to print
/// on stderr before the plan (what the broker said, what `--force` overrides).
pub fn check_broker(plan: &Plan, force: bool, broker: &BrokerAnswer) -> Result<Vec<String>> {
    let t = &plan.target;
    let kind = t.kind.name().to_ascii_lowercase();
    let mut notes = Vec::new();
    match broker {
        BrokerAnswer::Gone(why) => {
            notes.push(format!(
                "The broker no longer has {} ({why}): nothing is left there to release; abandoning needs no --force.",
                t.ref_name()
            ));
            return Ok(notes);
        }
        BrokerAnswer::CannotTell(why) => {
            notes.push(format!(
                "Note: the broker cannot tell whether it still holds {}: {why}.",
                t.ref_name()
            ));
            check_safe(plan, force).map_err(|e| match e {
                Error::Input(msg) => Error::Input(format!(
                    "{msg} (the broker cannot tell whether it still holds it: {why})"
                )),
                other => other,
            })?;
            if force && t.healthy() {
                notes.push(format!(
                    "--force overrides: {} is healthy (Ready and not being deleted).",
                    t.ref_name()
                ));
            }
        }
        BrokerAnswer::Holds(why) => {
            check_safe(plan, force)?;
            if !force {
                return Err(Error::Input(format!(
                    "refusing to abandon {}: its broker still holds it ({why}); abandoned, it would keep running (and may keep being billed) at the broker. Delete it normally (kubectl delete {kind} {} -n {}) so that the broker releases it, or pass --force to abandon it anyway; nothing was changed",
                    t.ref_name(),
                    t.name,
                    plan.namespace
                )));
            }
            let healthy = if t.healthy() {
                " and that it is healthy (Ready and not being deleted)"
            } else {
                ""
            };
            notes.push(format!(
                "--force overrides the broker's answer that it still holds {} ({why}){healthy}.",
                t.ref_name()
            ));
        }
    }
    Ok(notes)
}

/// What will change, object by object, and what it costs: shown before asking, and on a dry run.
pub fn describe(plan: &Plan) -> String {
    let mut s = String::from("This will abandon, in this order:\n");
    for o in plan.bindings.iter().chain(std::iter::once(&plan.target)) {
        let state = if o.state.is_empty() {
            String::new()
        } else {
            format!(", {}", o.state)
        };
        let deleting = if o.deleting { ", being deleted" } else { "" };
        s.push_str(&format!(
            "  {} ({}{state}{deleting})\n",
            o.ref_name(),
            plan.namespace
        ));
        if let Some(after) = finalizer::without(&o.finalizers, FINALIZER) {
            s.push_str(&format!(
                "    - remove finalizer {FINALIZER} (finalizers {:?} -> {:?})\n",
                o.finalizers, after
            ));
        } else {
            s.push_str("    - no catalog finalizer to remove\n");
        }
        s.push_str("    - delete it\n");
        match &o.secret {
            Some(sec) if sec.owned => s.push_str(&format!(
                "    - delete its credentials: secret/{}\n",
                sec.name
            )),
            Some(sec) => s.push_str(&format!(
                "    - keep secret/{}: it is not owned by this binding\n",
                sec.name
            )),
            None if o.kind == Kind::ServiceBinding => {
                s.push_str("    - its Secret does not exist\n")
            }
            None => {}
        }
    }
    let what = match plan.target.kind {
        Kind::ServiceBinding => "the broker is NOT asked to unbind",
        _ => "the broker is NOT asked to deprovision",
    };
    s.push_str(&format!(
        "Warning: {what}: whatever it still runs for these objects (clusters, users, credentials) keeps \
         running and may keep being billed until you remove it at the broker. This cannot be undone.\n"
    ));
    if !plan.left_behind.is_empty() {
        s.push_str(&format!(
            "Warning: bindings of {} are left behind, pointing at an instance that no longer exists: {} \
             (use --with-bindings, or kubectl osb abandon binding NAME)\n",
            plan.target.name,
            plan.left_behind.join(", ")
        ));
    }
    s
}

/// What [`execute`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Objects fully cleaned (finalizer gone, deleted, Secret deleted), as `kind.group/name`.
    pub cleaned: Vec<String>,
    /// Objects not cleaned, with why.
    pub not_cleaned: Vec<(String, String)>,
    /// How many finalizer PATCHes hit a 409 Conflict and were retried.
    pub conflicts: u32,
}

impl Report {
    /// `Ok` when everything was cleaned; otherwise the partial-failure error (exit 1).
    pub fn into_result(self) -> Result<()> {
        if self.not_cleaned.is_empty() {
            return Ok(());
        }
        let cleaned = if self.cleaned.is_empty() {
            "nothing".to_string()
        } else {
            self.cleaned.join(", ")
        };
        let not = self
            .not_cleaned
            .iter()
            .map(|(o, why)| format!("{o} ({why})"))
            .collect::<Vec<_>>()
            .join("; ");
        Err(Error::Input(format!(
            "abandon incomplete: cleaned: {cleaned}; NOT cleaned: {not}"
        )))
    }
}

fn delete_params(uid: &str, dry: DryRun) -> DeleteParams {
    DeleteParams {
        dry_run: dry == DryRun::Server,
        preconditions: Some(Preconditions {
            uid: Some(uid.to_string()),
            resource_version: None,
        }),
        ..Default::default()
    }
}

/// Lines go to `out` as each change happens; `names_only` prints `kind.group/name` once per cleaned object.
struct Printer<'a, W: Write> {
    out: &'a mut W,
    dry: DryRun,
    names_only: bool,
}

impl<W: Write> Printer<'_, W> {
    fn line(&mut self, object: &str, what: &str) -> Result<()> {
        if !self.names_only {
            writeln!(self.out, "{object} {what}{}", self.dry.suffix())?;
        }
        Ok(())
    }
    fn done(&mut self, object: &str) -> Result<()> {
        if self.names_only {
            writeln!(self.out, "{object}")?;
        }
        Ok(())
    }
}

async fn clean_one<K, W, H>(
    api: &Api<K>,
    secrets: &Api<Secret>,
    o: &Object,
    p: &mut Printer<'_, W>,
    hook: &mut H,
    conflicts: &mut u32,
) -> Result<()>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
    W: Write,
    H: Hook,
{
    let name = o.ref_name();
    let dry = p.dry;
    // 1. The catalog's finalizer, and only it.
    if dry == DryRun::Client {
        if o.has_catalog_finalizer() {
            p.line(&name, "finalizer removed")?;
        }
    } else {
        match finalizer::remove(
            api,
            &o.name,
            Some(&o.uid),
            FINALIZER,
            dry == DryRun::Server,
            hook,
        )
        .await
        {
            Ok(r) => {
                *conflicts += r.conflicts;
                if r.removed {
                    p.line(&name, "finalizer removed")?;
                }
            }
            // Gone already (e.g. the controller finished meanwhile): nothing left to do for the object.
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    // 2. Delete, pinned to the planned UID.
    if dry != DryRun::Client {
        match api.delete(&o.name, &delete_params(&o.uid, dry)).await {
            Ok(still) => {
                if still.is_left() && dry == DryRun::None {
                    let others: Vec<_> = o.finalizers.iter().filter(|f| *f != FINALIZER).collect();
                    if !others.is_empty() {
                        eprintln!(
                            "Warning: {name} is waiting for its other finalizers, which abandon leaves alone: {others:?}"
                        );
                    }
                }
            }
            Err(e) if matches!(&e, kube::Error::Api(s) if s.code == 404) => {}
            Err(e) => return Err(e.into()),
        }
    }
    p.line(&name, "deleted")?;
    // 3. The credentials Secret the binding owns.
    if let Some(sec) = o.secret.as_ref().filter(|s| s.owned) {
        if dry != DryRun::Client {
            match secrets
                .delete(&sec.name, &delete_params(&sec.uid, dry))
                .await
            {
                Ok(_) => {}
                Err(e) if matches!(&e, kube::Error::Api(s) if s.code == 404) => {}
                Err(e) => return Err(e.into()),
            }
        }
        p.line(&format!("secret/{}", sec.name), "deleted")?;
    }
    p.done(&name)?;
    Ok(())
}

/// Carry out a plan: each binding (continuing past failures), then the target only if every binding was
/// cleaned. Lines are written to `out` as changes happen; failures are collected in the [`Report`].
pub async fn execute<W: Write, H: Hook>(
    client: &Client,
    plan: &Plan,
    dry: DryRun,
    names_only: bool,
    hook: &mut H,
    out: &mut W,
) -> Result<Report> {
    let ns = &plan.namespace;
    let instances: Api<ServiceInstance> = Api::namespaced(client.clone(), ns);
    let bindings: Api<ServiceBinding> = Api::namespaced(client.clone(), ns);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), ns);
    let mut report = Report::default();
    let mut p = Printer {
        out,
        dry,
        names_only,
    };
    for b in &plan.bindings {
        match clean_one(&bindings, &secrets, b, &mut p, hook, &mut report.conflicts).await {
            Ok(()) => report.cleaned.push(b.ref_name()),
            Err(Error::Io(e)) => return Err(Error::Io(e)),
            Err(e) => report.not_cleaned.push((
                b.ref_name(),
                rbac::explained(&e).unwrap_or_else(|| e.to_string()),
            )),
        }
    }
    let t = &plan.target;
    if !report.not_cleaned.is_empty() {
        report.not_cleaned.push((
            t.ref_name(),
            "left alone because not all of its bindings were cleaned".into(),
        ));
        return Ok(report);
    }
    let result = match t.kind {
        Kind::ServiceBinding => {
            clean_one(&bindings, &secrets, t, &mut p, hook, &mut report.conflicts).await
        }
        _ => clean_one(&instances, &secrets, t, &mut p, hook, &mut report.conflicts).await,
    };
    match result {
        Ok(()) => report.cleaned.push(t.ref_name()),
        Err(Error::Io(e)) => return Err(Error::Io(e)),
        Err(e) => report.not_cleaned.push((
            t.ref_name(),
            rbac::explained(&e).unwrap_or_else(|| e.to_string()),
        )),
    }
    Ok(report)
}

/// Every permission the plan's writes need, checked before the first one (and before asking): a missing
/// one changes nothing.
async fn preflight(client: &Client, plan: &Plan) -> Result<()> {
    let ns = &plan.namespace;
    let mut needs = Vec::new();
    for o in plan.bindings.iter().chain(std::iter::once(&plan.target)) {
        let need = |verb| Need::of(o.kind, verb, ns).named(&o.name);
        needs.push(need("get"));
        if o.has_catalog_finalizer() {
            needs.push(need("patch"));
        }
        needs.push(need("delete"));
        if let Some(sec) = o.secret.as_ref().filter(|s| s.owned) {
            needs.push(Need::secrets("delete", ns).named(&sec.name));
        }
    }
    rbac::preflight(client, VERB, &needs).await
}

/// Ask `Are you sure? [y/N]` on the terminal; reading happens on its own thread so that Ctrl-C still works.
async fn confirm() -> Result<bool> {
    eprint!("Are you sure? [y/N]: ");
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let r = std::io::stdin().read_line(&mut line).map(|_| line);
        let _ = tx.send(r);
    });
    let line = rx
        .await
        .map_err(|_| Error::Other(anyhow::anyhow!("reading the answer failed")))??;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

fn validate(args: &Args, target: &Option<Target>) -> Result<()> {
    let usage = |msg: &str| Err(Error::Usage(msg.into()));
    if args.list {
        if target.is_some() {
            return usage("--list takes no TARGET");
        }
        if args.with_bindings
            || args.force
            || args.yes
            || args.dry_run.dry_run.is_some()
            || args.broker.broker_url.is_some()
        {
            return usage(
                "--list only reads: --with-bindings, --force, --yes and --dry-run do not apply",
            );
        }
        return Ok(());
    }
    let Some(target) = target else {
        return usage("name an instance (INSTANCE), a binding (binding NAME), or use --list");
    };
    if args.check_broker {
        return usage(
            "--check-broker only applies to --list (abandoning a target always asks its broker)",
        );
    }
    if args.all_namespaces {
        return usage("-A/--all-namespaces only applies to --list");
    }
    if args.with_bindings && matches!(target, Target::Binding(_)) {
        return usage("--with-bindings only applies to an instance");
    }
    if !matches!(args.output, Format::Table | Format::Name) {
        return usage(
            "abandon prints its changes; only -o name applies (json and yaml are for --list)",
        );
    }
    Ok(())
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let target = parse_target(&args.target)?;
    validate(&args, &target)?;
    let kube = args.kube.connect().await?;
    let mut out = std::io::stdout().lock();
    if args.list {
        let ns = (!args.all_namespaces).then_some(kube.namespace.as_str());
        let mut found = list::find(&kube.client, ns, args.older_than, kube.chunk_size).await?;
        if args.check_broker {
            let opts = args.broker.options(&args.kube);
            list::check_brokers(&kube, &opts, &mut found).await;
        }
        list::print(&mut out, &found, args.output, args.all_namespaces)?;
        if found.is_empty() && args.output.is_table() {
            eprintln!("{}", osb::output::no_resources(ns));
        }
        return Ok(());
    }
    let target = target.expect("validated: a target is named");
    let plan = plan(&kube.client, &kube.namespace, &target, args.with_bindings).await?;
    let answer = ask_broker(&kube, &args.broker.options(&args.kube), &target).await;
    let notes = check_broker(&plan, args.force, &answer)?;
    let dry = args.dry_run.get();
    if dry == DryRun::None {
        // A missing permission is said first (kubectl's Forbidden line), before the broker's notes.
        preflight(&kube.client, &plan).await?;
    }
    for note in notes {
        eprintln!("{note}");
    }
    eprint!("{}", describe(&plan));
    if dry == DryRun::None && !args.yes {
        if !osb::cli::stdin_is_terminal() {
            return Err(Error::Input(
                "refusing to abandon without confirmation: stdin is not a terminal; pass --yes to confirm \
                 (or --dry-run to see what would change); nothing was changed"
                    .into(),
            ));
        }
        if !confirm().await? {
            return Err(Error::Input("aborted: nothing was changed".into()));
        }
    }
    let names_only = args.output == Format::Name;
    let report = execute(&kube.client, &plan, dry, names_only, &mut NoHook, &mut out).await?;
    if report.conflicts > 0 {
        eprintln!(
            "({} concurrent update(s) detected while removing finalizers; re-read and retried)",
            report.conflicts
        );
    }
    report.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn targets_parse_like_kubectl() {
        let t = |w: &[&str]| parse_target(&words(w));
        assert_eq!(t(&[]).expect("ok"), None);
        assert_eq!(t(&["db"]).expect("ok"), Some(Target::Instance("db".into())));
        assert_eq!(
            t(&["binding", "b1"]).expect("ok"),
            Some(Target::Binding("b1".into()))
        );
        assert_eq!(
            t(&["instance", "binding"]).expect("ok"),
            Some(Target::Instance("binding".into()))
        );
        assert_eq!(
            t(&["servicebinding.servicecatalog.k8s.io/b1"]).expect("ok"),
            Some(Target::Binding("b1".into()))
        );
        assert_eq!(
            t(&["serviceinstances/db"]).expect("ok"),
            Some(Target::Instance("db".into()))
        );
        // The registry's short names, as every other verb takes them.
        assert_eq!(
            t(&["si/db"]).expect("ok"),
            Some(Target::Instance("db".into()))
        );
        assert_eq!(
            t(&["sb", "b1"]).expect("ok"),
            Some(Target::Binding("b1".into()))
        );
        for bad in [
            &["pod", "x"][..],
            &["pod/x"],
            &["binding", "a/b"],
            &["binding/"],
        ] {
            let e = t(bad).expect_err("refused");
            assert_eq!(e.exit(), osb::Exit::Usage, "{bad:?}");
        }
    }

    #[test]
    fn dry_run_is_the_suites_flag() {
        let dry = |w: &[&str]| {
            let mut argv = vec!["abandon", "db"];
            argv.extend_from_slice(w);
            Args::try_parse_from(argv).map(|a| a.dry_run.get())
        };
        assert_eq!(dry(&[]).expect("parsed"), DryRun::None);
        // `--dry-run` alone is client, as in kubectl.
        assert_eq!(dry(&["--dry-run"]).expect("parsed"), DryRun::Client);
        assert_eq!(dry(&["--dry-run=client"]).expect("parsed"), DryRun::Client);
        assert_eq!(dry(&["--dry-run=server"]).expect("parsed"), DryRun::Server);
        assert_eq!(dry(&["--dry-run=true"]).expect("parsed"), DryRun::Client);
        assert_eq!(dry(&["--dry-run=false"]).expect("parsed"), DryRun::None);
        assert!(dry(&["--dry-run=maybe"]).is_err());
        let a = Args::try_parse_from(["abandon", "--list", "--dry-run"]).expect("parsed");
        let e = validate(&a, &None).expect_err("--list only reads");
        assert_eq!(e.exit(), osb::Exit::Usage);
    }

    #[test]
    fn objects_are_named_by_the_kind_registry() {
        let o = object(Kind::ServiceInstance, "db", &[]);
        assert_eq!(o.ref_name(), "serviceinstance.servicecatalog.k8s.io/db");
        let b = object(Kind::ServiceBinding, "b1", &[]);
        assert_eq!(b.ref_name(), "servicebinding.servicecatalog.k8s.io/b1");
        let plan = Plan {
            namespace: "dev".into(),
            bindings: vec![],
            target: b,
            left_behind: vec![],
        };
        let e = check_safe(&plan, false).expect_err("healthy");
        assert!(
            e.to_string()
                .contains("(kubectl delete servicebinding b1 -n dev)"),
            "{e}"
        );
    }

    fn object(kind: Kind, name: &str, finalizers: &[&str]) -> Object {
        Object {
            kind,
            name: name.into(),
            uid: "u".into(),
            finalizers: words(finalizers),
            deleting: false,
            ready: true,
            state: "Ready".into(),
            secret: None,
        }
    }

    /// The plan for abandoning `dev/db`, a Ready instance with the catalog's finalizer.
    fn healthy_instance() -> Plan {
        Plan {
            namespace: "dev".into(),
            bindings: vec![],
            target: object(Kind::ServiceInstance, "db", &[FINALIZER]),
            left_behind: vec![],
        }
    }

    #[test]
    fn healthy_targets_need_force() {
        let plan = healthy_instance();
        let e = check_safe(&plan, false).expect_err("refused");
        assert_eq!(e.exit(), osb::Exit::Error);
        assert!(e.to_string().contains("--force"), "{e}");
        assert!(check_safe(&plan, true).is_ok());
        let mut deleting = plan.clone();
        deleting.target.deleting = true;
        assert!(check_safe(&deleting, false).is_ok());
    }

    #[test]
    fn the_broker_s_answer_decides_before_force() {
        let healthy = healthy_instance();
        let mut orphan = healthy.clone();
        orphan.target.deleting = true;
        let holds = BrokerAnswer::Holds("it answers 200".into());
        let gone = BrokerAnswer::Gone("it answers 404".into());
        let unsure = BrokerAnswer::CannotTell("not retrievable".into());

        // An orphan the broker still holds: refused without --force, and --force says what it overrides.
        let e = check_broker(&orphan, false, &holds).expect_err("held");
        assert!(
            e.to_string()
                .contains("its broker still holds it (it answers 200)"),
            "{e}"
        );
        let notes = check_broker(&orphan, true, &holds).expect("forced");
        assert!(
            notes[0].starts_with("--force overrides the broker's answer"),
            "{notes:?}"
        );
        // Gone at the broker: no --force needed, even when the catalog calls it healthy.
        let notes = check_broker(&healthy, false, &gone).expect("gone");
        assert!(notes[0].contains("needs no --force"), "{notes:?}");
        // Cannot tell: said plainly, and the catalog's rule alone decides.
        let notes = check_broker(&orphan, false, &unsure).expect("orphan");
        assert!(
            notes[0].starts_with("Note: the broker cannot tell"),
            "{notes:?}"
        );
        let e = check_broker(&healthy, false, &unsure).expect_err("healthy");
        assert!(e.to_string().contains("it is healthy"), "{e}");
        assert!(
            e.to_string()
                .contains("(the broker cannot tell whether it still holds it: not retrievable)"),
            "{e}"
        );
        let e = check_broker(&healthy, false, &holds).expect_err("healthy and held");
        assert!(e.to_string().contains("it is healthy"), "{e}");
    }

    #[test]
    fn the_description_names_every_change_and_the_cost() {
        let mut b = object(Kind::ServiceBinding, "b1", &["a/keep", FINALIZER]);
        b.secret = Some(SecretPlan {
            name: "b1".into(),
            uid: "s".into(),
            owned: true,
        });
        let mut b2 = object(Kind::ServiceBinding, "b2", &[]);
        b2.secret = Some(SecretPlan {
            name: "shared".into(),
            uid: "s2".into(),
            owned: false,
        });
        let plan = Plan {
            namespace: "dev".into(),
            bindings: vec![b, b2],
            target: object(Kind::ServiceInstance, "db", &[FINALIZER]),
            left_behind: vec![],
        };
        let d = describe(&plan);
        assert!(
            d.contains("servicebinding.servicecatalog.k8s.io/b1 (dev, Ready)"),
            "{d}"
        );
        assert!(d.contains(
            "remove finalizer kubernetes-incubator/service-catalog (finalizers [\"a/keep\", \"kubernetes-incubator/service-catalog\"] -> [\"a/keep\"])"
        ), "{d}");
        assert!(d.contains("delete its credentials: secret/b1"), "{d}");
        assert!(d.contains("keep secret/shared: it is not owned"), "{d}");
        assert!(d.contains("no catalog finalizer to remove"), "{d}");
        assert!(d.contains("billed"), "{d}");
        assert!(!d.contains("left behind"), "{d}");
    }

    #[test]
    fn a_partial_failure_names_what_was_and_was_not_cleaned() {
        assert!(Report::default().into_result().is_ok());
        let r = Report {
            cleaned: vec!["servicebinding.servicecatalog.k8s.io/b1".into()],
            not_cleaned: vec![
                (
                    "servicebinding.servicecatalog.k8s.io/b2".into(),
                    "Error from server (Forbidden): no".into(),
                ),
                (
                    "serviceinstance.servicecatalog.k8s.io/db".into(),
                    "left alone".into(),
                ),
            ],
            conflicts: 0,
        };
        let e = r.into_result().expect_err("partial");
        assert_eq!(e.exit(), osb::Exit::Error);
        assert_eq!(
            e.render().expect("printed"),
            "error: abandon incomplete: cleaned: servicebinding.servicecatalog.k8s.io/b1; NOT cleaned: \
             servicebinding.servicecatalog.k8s.io/b2 (Error from server (Forbidden): no); \
             serviceinstance.servicecatalog.k8s.io/db (left alone)"
        );
    }
}
