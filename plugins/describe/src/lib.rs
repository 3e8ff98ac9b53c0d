//! `kubectl osb describe [instance] NAME` and `kubectl osb describe binding NAME`: one object in plain
//! words: class and plan by external name (looked up when the instance names them by Kubernetes name or
//! external ID), parameters (sensitive values redacted), conditions with their reasons explained, the
//! operation in flight, the dashboard, the bindings and their Secrets, the object's Events as `kubectl
//! describe` shows them (type, reason, age with count, from, message), and a one-line verdict (`Ready`,
//! `Provisioning 3m12s`, `Failed: reason`, `Orphaned? …`) that says what happens next. Every reason
//! shown is explained (or said to be unknown).
//! Secret values are never printed here (key names and sizes only).

use std::fmt::Write as _;
use std::io::Write;

use clap::Parser;
use k8s_openapi::api::core::v1::{Event, Secret};
use kube::{Api, ResourceExt};
use osb::catalog::{Condition, Conditioned, ServiceBinding, ServiceInstance};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::kinds::{self, Kind};
use osb::lifecycle;
use osb::offerings::Names;
use osb::output::{self, Format};
use osb::redact;
use serde_json::Value;

/// Show a service instance or binding in detail.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-osb-describe",
    bin_name = "kubectl osb describe",
    version
)]
#[command(after_help = "Examples:
  kubectl osb describe db
  kubectl osb describe instance db -n dev
  kubectl osb describe binding db-app

Secret values are not shown; 'kubectl osb bind NAME --instance I --show-credentials' prints them.")]
pub struct Args {
    /// [instance|binding] NAME…, or TYPE/NAME…; with -l: the kind only (default: instances)
    #[arg(value_name = "KIND NAME", add = Complete::KindThenName)]
    pub what: Vec<String>,
    /// Describe every object of the kind matching this label selector, as kubectl describe -l
    #[arg(short = 'l', long, value_name = "SELECTOR", add = Complete::LabelKeys)]
    pub selector: Option<String>,
    /// Print the object itself instead: yaml or json
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,
    /// Ask the broker too: its view beside the catalog's, and the verdict (as kubectl osb broker status)
    #[arg(long, conflicts_with = "output")]
    pub broker: bool,
    #[command(flatten)]
    pub broker_flags: osb::broker::BrokerFlags,
    #[command(flatten)]
    pub kube: KubeArgs,
}

const BOTH: [Kind; 2] = [Kind::ServiceInstance, Kind::ServiceBinding];

/// The objects named: `NAME…` (instances), `KIND NAME…`, `TYPE/NAME…`; with a selector, the kind alone
/// (`None` names: every object the selector matches).
fn parse_what(v: &[String], selector: bool) -> Result<(Kind, Option<Vec<String>>)> {
    let kind_word = v
        .first()
        .filter(|w| !w.contains('/'))
        .and_then(|w| Kind::parse(w));
    if selector {
        return match v {
            [] => Ok((Kind::ServiceInstance, None)),
            [_] if kind_word.is_some_and(|k| BOTH.contains(&k)) => {
                Ok((kind_word.unwrap_or(Kind::ServiceInstance), None))
            }
            _ => Err(Error::Usage(
                "with -l give only the kind: [instances|bindings]".into(),
            )),
        };
    }
    let many = match (v, kind_word) {
        ([], _) => return Err(Error::Usage("expected [instance|binding] NAME".into())),
        // One word is a name (an instance may be called `binding`), as before.
        ([_], _) | (_, None) if !v.iter().any(|w| w.contains('/')) => v
            .iter()
            .map(|n| (Kind::ServiceInstance, Some(n.clone())))
            .collect(),
        _ => kinds::parse_many(v, false, &BOTH).map_err(Error::Usage)?,
    };
    let kind = many
        .first()
        .map(|(k, _)| *k)
        .unwrap_or(Kind::ServiceInstance);
    if many.iter().any(|(k, _)| *k != kind) {
        return Err(Error::Usage("describe one kind at a time".into()));
    }
    Ok((
        kind,
        Some(many.into_iter().filter_map(|(_, n)| n).collect()),
    ))
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let (what, names) = parse_what(&args.what, args.selector.is_some())?;
    let kube = args.kube.connect().await?;
    let ns = kube.namespace.clone();
    let names = match names {
        Some(names) => names,
        None => {
            let params = kube::api::ListParams::default()
                .labels(args.selector.as_deref().unwrap_or_default());
            let api: Api<kube::api::DynamicObject> =
                Api::namespaced_with(kube.client.clone(), &ns, &what.resource());
            let found: Vec<String> = osb::list::all(api, params, kube.chunk_size)
                .await?
                .iter()
                .map(|o| o.name_any())
                .collect();
            if found.is_empty() {
                eprintln!("{}", output::no_resources(Some(&ns)));
            }
            found
        }
    };
    let mut out = std::io::stdout().lock();
    if let Some(f @ (Format::Yaml | Format::Json | Format::Name)) = args.output {
        let mut objects = Vec::new();
        for name in &names {
            objects.push(match what {
                Kind::ServiceInstance => output::to_value(
                    &Api::<ServiceInstance>::namespaced(kube.client.clone(), &ns)
                        .get(name)
                        .await?,
                ),
                _ => output::to_value(
                    &Api::<ServiceBinding>::namespaced(kube.client.clone(), &ns)
                        .get(name)
                        .await?,
                ),
            });
        }
        output::print_objects(&mut out, f, &objects)?;
        return Ok(());
    }
    // kubectl describe: one blank line pair between objects.
    for (i, name) in names.iter().enumerate() {
        let mut text = match what {
            Kind::ServiceInstance => instance_text(&kube, &ns, name).await?,
            _ => binding_text(&kube, &ns, name).await?,
        };
        if args.broker {
            let opts = args.broker_flags.options(&args.kube);
            text.push_str(&broker_text(&kube, &opts, what, name).await);
        }
        if i > 0 {
            out.write_all(b"\n\n")?;
        }
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// `--broker`: the broker's view and the verdict ([`osb::broker_view`]), as a last section; a broker that
/// cannot be asked is said so there.
async fn broker_text(
    kube: &osb::client::Kube,
    opts: &osb::broker::Options,
    what: Kind,
    name: &str,
) -> String {
    let view = match what {
        Kind::ServiceInstance => osb::broker_view::instance(kube, opts, name).await,
        _ => osb::broker_view::binding(kube, opts, name).await,
    };
    match view {
        Ok(v) => {
            let lines: Vec<(String, String)> = v
                .lines()
                .into_iter()
                .filter(|(k, _)| k != "Object" && k != "Namespace")
                .collect();
            format!("Broker:\n{}", osb::broker_view::render(&lines, "  "))
        }
        // A missing permission names the role granting it (osb-broker-credentials for the broker's Secret).
        Err(e) => format!(
            "Broker:\n  Cannot ask: {}\n",
            osb::broker_view::failure_words(&e)
        ),
    }
}

async fn instance_text(kube: &osb::client::Kube, ns: &str, name: &str) -> Result<String> {
    let api: Api<ServiceInstance> = Api::namespaced(kube.client.clone(), ns);
    let si = api.get(name).await?;
    // Bindings, events and catalog names at once (one round trip after the instance).
    let (bindings, events, names) = futures::join!(
        lifecycle::bindings_of(&kube.client, ns, name),
        osb::events::of_object(
            &kube.client,
            Kind::ServiceInstance,
            Some(ns),
            name,
            si.metadata.uid.as_deref(),
        ),
        async {
            if Names::needed_for(&si) {
                Names::of_instance(&kube.client, &si).await
            } else {
                Names::default()
            }
        }
    );
    let (bindings, events) = (bindings?, events?);
    Ok(describe_instance(&si, &bindings, events.as_deref(), &names))
}

async fn binding_text(kube: &osb::client::Kube, ns: &str, name: &str) -> Result<String> {
    let api: Api<ServiceBinding> = Api::namespaced(kube.client.clone(), ns);
    let sb = api.get(name).await?;
    let instances: Api<ServiceInstance> = Api::namespaced(kube.client.clone(), ns);
    let si = instances.get_opt(&sb.spec.instance_ref.name).await?;
    let secrets: Api<Secret> = Api::namespaced(kube.client.clone(), ns);
    let secret = secrets.get_opt(&sb.secret_name()).await?;
    let events = osb::events::of_object(
        &kube.client,
        Kind::ServiceBinding,
        Some(ns),
        name,
        sb.metadata.uid.as_deref(),
    )
    .await?;
    Ok(describe_binding(
        &sb,
        si.as_ref(),
        secret.as_ref(),
        events.as_deref(),
    ))
}

const W: usize = 20;

/// The Operation line: `status.currentOperation`, and whether the broker runs it asynchronously.
fn operation(current: Option<&str>, async_op: bool) -> Option<String> {
    let o = current.filter(|o| !o.is_empty())?;
    Some(if async_op {
        format!("{o} in progress at the broker (asynchronous; the catalog polls it)")
    } else {
        format!("{o} requested")
    })
}

fn field(s: &mut String, label: &str, value: &str) {
    let _ = writeln!(s, "{:<W$}{value}", format!("{label}:"));
}

fn indent(text: &str, n: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(n)))
        .collect()
}

fn conditions(s: &mut String, conds: &[Condition]) {
    if conds.is_empty() {
        field(
            s,
            "Conditions",
            "<none> (the catalog has not acted on it yet)",
        );
        return;
    }
    let _ = writeln!(s, "Conditions:");
    let rows = conds
        .iter()
        .map(|c| {
            vec![
                c.type_.clone(),
                c.status.clone(),
                c.reason.clone().unwrap_or_default(),
                output::age(c.last_transition_time.as_deref()),
                c.message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    s.push_str(&indent(
        &output::table(&["type", "status", "reason", "age", "message"], rows),
        2,
    ));
    let mut explained = Vec::new();
    explain(
        s,
        conds.iter().filter_map(|c| c.reason.clone()),
        &mut explained,
    );
}

/// One line per reason not explained yet: its plain words, or an honest "unknown reason".
fn explain(s: &mut String, reasons: impl Iterator<Item = String>, done: &mut Vec<String>) {
    for r in reasons {
        if r.is_empty() || done.contains(&r) {
            continue;
        }
        let _ = writeln!(s, "  {r}: {}", osb::reasons::explain_or_unknown(&r));
        done.push(r);
    }
}

/// The Events section, then the plain words of the event reasons the conditions did not explain.
fn events_section(s: &mut String, conds: &[Condition], events: Option<&[Event]>) {
    s.push_str(&osb::events::section(events));
    let mut done: Vec<String> = conds.iter().filter_map(|c| c.reason.clone()).collect();
    explain(
        s,
        osb::events::reasons(events.unwrap_or_default()).into_iter(),
        &mut done,
    );
}

fn parameters(
    s: &mut String,
    params: Option<&Value>,
    from: Option<&[osb::catalog::ParametersFromSource]>,
) {
    match params {
        Some(Value::Object(m)) if !m.is_empty() => {
            let _ = writeln!(s, "Parameters:");
            s.push_str(&indent(
                &osb::yaml::to_string(&redact::parameters(&Value::Object(m.clone())).0),
                2,
            ));
        }
        _ => field(s, "Parameters", "<none>"),
    }
    let from = from.unwrap_or_default();
    if !from.is_empty() {
        let _ = writeln!(s, "Parameters From:");
        for f in from {
            if let Some(r) = &f.secret_key_ref {
                let _ = writeln!(s, "  secret/{} key {} (values not shown)", r.name, r.key);
            }
        }
    }
}

/// Name, Namespace and the one-line Status (the verdict, with the latest events' count).
fn header<K: kube::ResourceExt + serde::Serialize>(
    obj: &K,
    kind: Kind,
    verdict: String,
    events: Option<&[Event]>,
) -> String {
    let mut s = String::new();
    field(&mut s, "Name", &obj.name_any());
    field(&mut s, "Namespace", &obj.namespace().unwrap_or_default());
    let status = lifecycle::status_line(
        kind,
        verdict,
        &output::to_value(obj),
        events.unwrap_or_default(),
    );
    field(&mut s, "Status", &status);
    s
}

/// How long ago the object was created, as kubectl says it.
fn age<K: kube::ResourceExt>(obj: &K) -> String {
    let created = obj.creation_timestamp().map(|t| t.0.to_string());
    output::age(created.as_deref())
}

fn or_none(v: String) -> String {
    if v.is_empty() { "<none>".into() } else { v }
}

/// The text of `describe instance`; `events` is `None` when they may not be read.
pub fn describe_instance(
    si: &ServiceInstance,
    bindings: &[ServiceBinding],
    events: Option<&[Event]>,
    names: &Names,
) -> String {
    let st = si.status.clone().unwrap_or_default();
    let verdict = lifecycle::instance_verdict(si);
    let mut s = header(si, Kind::ServiceInstance, verdict, events);
    field(&mut s, "Class", &or_none(names.class(si)));
    field(&mut s, "Plan", &or_none(names.plan(si)));
    field(&mut s, "Age", &age(si));
    if let Some(u) = &st.dashboard_url {
        field(&mut s, "Dashboard URL", u);
    }
    if let Some(id) = &si.spec.external_id {
        field(&mut s, "External ID", id);
    }
    let op = operation(st.current_operation.as_deref(), si.async_op_in_progress());
    field(&mut s, "Operation", op.as_deref().unwrap_or("none"));
    if let Some(l) = &st.last_operation {
        field(&mut s, "Last Operation", l);
    }
    if let Some(p) = &st.provision_status
        && !p.is_empty()
    {
        field(&mut s, "Provision Status", p);
    }
    if let Some(d) = &st.deprovision_status {
        field(&mut s, "Deprovision", d);
    }
    if let Some(f) = &si.metadata.deletion_timestamp {
        field(
            &mut s,
            "Deleting Since",
            &output::age(Some(&f.0.to_string())),
        );
    }
    parameters(
        &mut s,
        si.spec.parameters.as_ref(),
        si.spec.parameters_from.as_deref(),
    );
    conditions(&mut s, si.conditions());
    if bindings.is_empty() {
        field(&mut s, "Bindings", "<none>");
    } else {
        let _ = writeln!(s, "Bindings:");
        let rows = bindings
            .iter()
            .map(|b| {
                let ts = b
                    .metadata
                    .creation_timestamp
                    .as_ref()
                    .map(|t| t.0.to_string());
                vec![
                    b.name_any(),
                    b.secret_name(),
                    lifecycle::binding_verdict(b),
                    output::age(ts.as_deref()),
                ]
            })
            .collect();
        s.push_str(&indent(
            &output::table(&["name", "secret", "status", "age"], rows),
            2,
        ));
    }
    events_section(&mut s, si.conditions(), events);
    s
}

/// The text of `describe binding`; `events` is `None` when they may not be read.
pub fn describe_binding(
    sb: &ServiceBinding,
    si: Option<&ServiceInstance>,
    secret: Option<&Secret>,
    events: Option<&[Event]>,
) -> String {
    let verdict = lifecycle::binding_verdict(sb);
    let mut s = header(sb, Kind::ServiceBinding, verdict, events);
    let inst = match si {
        Some(si) => format!(
            "{} ({})",
            sb.spec.instance_ref.name,
            lifecycle::instance_verdict(si)
        ),
        None => format!("{} (not found)", sb.spec.instance_ref.name),
    };
    field(&mut s, "Instance", &inst);
    field(&mut s, "Secret", &sb.secret_name());
    field(&mut s, "Age", &age(sb));
    if let Some(id) = &sb.spec.external_id {
        field(&mut s, "External ID", id);
    }
    if sb.metadata.deletion_timestamp.is_some() || sb.unbind_status() == "Failed" {
        field(&mut s, "Unbind Status", sb.unbind_status());
    }
    // An asynchronous bind or unbind (AsyncBindingOperations): what the catalog polls. A binding with
    // nothing under way shows neither line.
    let st = sb.status.clone().unwrap_or_default();
    let async_op = sb.async_op_in_progress();
    if let Some(op) = operation(st.current_operation.as_deref(), async_op) {
        field(&mut s, "Operation", &op);
    }
    if let Some(l) = st.last_operation.as_deref().filter(|l| !l.is_empty()) {
        field(&mut s, "Last Operation", l);
    }
    parameters(
        &mut s,
        sb.spec.parameters.as_ref(),
        sb.spec.parameters_from.as_deref(),
    );
    conditions(&mut s, sb.conditions());
    match secret {
        None if sb.metadata.deletion_timestamp.is_some() => field(
            &mut s,
            "Secret Data",
            "<none> (the catalog deletes the Secret when the unbind starts)",
        ),
        None if async_op => field(
            &mut s,
            "Secret Data",
            "<none> (the broker is still creating the credentials; the catalog fetches them when it is done)",
        ),
        None => field(
            &mut s,
            "Secret Data",
            "<none> (the Secret does not exist yet)",
        ),
        Some(secret) => {
            let _ = writeln!(
                s,
                "Secret Data:        (values not shown; 'kubectl osb bind … --show-credentials' prints them)"
            );
            let rows = osb::catalog::secret_data(secret)
                .into_iter()
                .map(|(k, v)| vec![k, format!("{} bytes", v.len())])
                .collect();
            s.push_str(&indent(&output::table(&["key", "size"], rows), 2));
        }
    }
    events_section(&mut s, sb.conditions(), events);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_names_or_a_selector() {
        let w = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        let names = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let si = Kind::ServiceInstance;
        let sb = Kind::ServiceBinding;
        assert_eq!(parse_what(&w("db"), false).ok(), Some((si, names(&["db"]))));
        assert_eq!(
            parse_what(&w("binding"), false).ok(),
            Some((si, names(&["binding"])))
        );
        assert_eq!(
            parse_what(&w("a b"), false).ok(),
            Some((si, names(&["a", "b"])))
        );
        assert_eq!(
            parse_what(&w("binding x y"), false).ok(),
            Some((sb, names(&["x", "y"])))
        );
        assert_eq!(
            parse_what(&w("si/a si/b"), false).ok(),
            Some((si, names(&["a", "b"])))
        );
        assert!(parse_what(&w("si/a sb/b"), false).is_err());
        assert!(parse_what(&[], false).is_err());
        assert_eq!(parse_what(&[], true).ok(), Some((si, None)));
        assert_eq!(parse_what(&w("bindings"), true).ok(), Some((sb, None)));
        assert!(parse_what(&w("db"), true).is_err());
    }

    #[test]
    fn describe_shows_the_parameters_as_printed_objects_carry_them() {
        let params = serde_json::json!({
            "adminPassword": "s3cret",
            "nodes": 3,
            "privateNetworkCluster": true,
            "secret": {"pin": 1234, "enabled": false},
        });
        let si = ServiceInstance::new(
            "db",
            osb::catalog::ServiceInstanceSpec {
                parameters: Some(params),
                ..Default::default()
            },
        );
        let text = describe_instance(&si, &[], None, &Names::default());
        let shown: String = text
            .split_once("Parameters:\n")
            .expect("a Parameters section")
            .1
            .lines()
            .take_while(|l| l.starts_with("  "))
            .map(|l| format!("{l}\n"))
            .collect();
        let printed = osb::redact::object(&output::to_value(&si)).0;
        assert_eq!(
            shown,
            indent(&osb::yaml::to_string(&printed["spec"]["parameters"]), 2)
        );
        assert!(shown.contains("privateNetworkCluster: true"), "{shown}");
        assert!(shown.contains("enabled: false"), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("1234"),
            "{shown}"
        );
    }
}
