//! `kubectl osb broker`: ask a broker itself, over the OSB API, what only it knows (docs/broker.md).
//!
//! * `broker status si/NAME|sb/NAME`: the broker's view of an instance or binding beside the catalog's,
//!   and a verdict ([`osb::broker_view`]): agree, the broker no longer has it, the broker reports a failure
//!   the catalog does not show, or the broker cannot tell (and why).
//!
//! * `broker catalog BROKER`: the broker's own catalog beside the classes and plans the controller made
//!   of it ([`osb::broker_catalog::diff`]): missing (offered, no object yet), removed, changed;
//! * `broker check BROKER`: the OSB 2.14 lint of its catalog ([`osb::broker_catalog::lint`]); exit 0 when
//!   clean, 1 with each finding and where it is.
//!
//! The broker is reached as the controller reaches it ([`osb::broker`]: `spec.url`, the `authInfo`
//! Secret, `caBundle`, `X-Broker-API-Version: 2.14`); only read-only requests are sent, and no credential
//! is ever printed (binding credentials show as their keys).
//!
//! RBAC (docs/rbac.md): `get` on the broker object and the instance's class and plan (osb-catalog-reader),
//! and for `status` the instance or binding (osb-lifecycle); the broker's Secret and the service proxy are
//! the opt-in osb-broker-credentials'. A 403 is an error naming the role, never a verdict.

use std::io::Write;

use clap::{Parser, Subcommand, ValueEnum};
use kube::Api;
use kube::api::ListParams;
use osb::broker::{BrokerFlags, Endpoint, Target};
use osb::broker_catalog;
use osb::catalog::{ClusterServiceClass, ClusterServicePlan, ServiceClass, ServicePlan};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::kinds::{self, Kind};
use osb::list;
use serde_json::{Value, json};

/// Ask a broker itself what only it knows.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-broker", bin_name = "kubectl osb broker", version)]
#[command(after_help = "Examples:
  # The broker's view of an instance (or a binding) beside the catalog's, with a verdict
  kubectl osb broker status si/db
  kubectl osb broker status sb/db-app -o json

  # A broker inside the cluster that needs credentials: forward a port, then
  kubectl port-forward -n brokers svc/osb 8443:443 &
  kubectl osb broker status si/db --broker-url https://127.0.0.1:8443

Only read-only OSB requests are sent (GET catalog, instance, binding, last_operation); credentials are
never printed. docs/broker.md says what is asked when, and what each verdict means.

  # The broker's catalog beside the catalog's objects, and its lint
  kubectl osb broker catalog instaclustr
  kubectl osb broker check instaclustr -o json

Permissions: osb-catalog-reader (the broker, its classes and plans), and osb-lifecycle for status. A broker
with authInfo, or at a *.svc URL (asked through the API server's service proxy), needs the opt-in
osb-broker-credentials too, bound where its Secret or Service is (kubectl osb rbac broker-credentials).

Exit codes: 0 answered (status: whatever the verdict; check: no finding), 1 error, or findings (check).")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Subcommands of `broker`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// The broker's view of an instance or binding beside the catalog's, and a verdict
    Status(StatusArgs),
    /// The broker's own catalog beside the classes and plans of the catalog: what is missing, removed or
    /// changed since the last relist
    Catalog(BrokerArgs),
    /// Lint the broker's catalog against the OSB 2.14 rules: exit 0 when clean, 1 with each finding
    Check(BrokerArgs),
}

/// Flags of `kubectl osb broker catalog|check`.
#[derive(clap::Args, Debug)]
pub struct BrokerArgs {
    /// The broker: NAME (a ClusterServiceBroker, else a ServiceBroker of the namespace),
    /// clusterservicebroker/NAME or servicebroker/NAME
    #[arg(value_name = "BROKER", add = Complete::Brokers)]
    pub broker: String,
    /// Output format: json or yaml (default: a table to read)
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Output>,
    #[command(flatten)]
    pub broker_flags: BrokerFlags,
}

/// `-o` of `broker` subcommands: the machine-readable forms.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Json,
    Yaml,
}

/// Flags of `kubectl osb broker status`.
#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// si/NAME or sb/NAME (also `instance NAME`, `binding NAME`; a bare NAME is an instance)
    #[arg(value_name = "TYPE/NAME", required = true, add = Complete::Target)]
    pub what: Vec<String>,
    /// Output format: json or yaml (default: lines to read)
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Output>,
    #[command(flatten)]
    pub broker: BrokerFlags,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    match args.command {
        Command::Status(s) => status(s, &args.kube).await,
        Command::Catalog(b) => catalog(b, &args.kube).await,
        Command::Check(b) => check(b, &args.kube).await,
    }
}

/// The broker's catalog document and the catalog objects made of it (classes, plans as JSON). The broker
/// object is read once, by [`Target::find`] (`get` on clusterservicebrokers or servicebrokers).
struct Both {
    endpoint: Endpoint,
    doc: Value,
    classes: Vec<Value>,
    plans: Vec<Value>,
    /// `status.lastCatalogRetrievalTime` of the broker object.
    retrieved: Option<String>,
}

async fn both(args: &BrokerArgs, kube_args: &KubeArgs) -> Result<Both> {
    let kube = kube_args.connect().await?;
    let target = Target::find(&kube, &args.broker).await?;
    let endpoint = Endpoint::open(&kube, target, &args.broker_flags.options(kube_args)).await?;
    let doc = endpoint.catalog().await?;
    let t = &endpoint.target;
    let chunk = kube.chunk_size;
    let c = || kube.client.clone();
    let mine = |broker: &str| broker == t.name;
    let (classes, plans) = match &t.namespace {
        None => (
            listed(Api::<ClusterServiceClass>::all(c()), chunk, |o| {
                mine(&o.spec.cluster_service_broker_name)
            })
            .await?,
            listed(Api::<ClusterServicePlan>::all(c()), chunk, |o| {
                mine(&o.spec.cluster_service_broker_name)
            })
            .await?,
        ),
        Some(ns) => (
            listed(Api::<ServiceClass>::namespaced(c(), ns), chunk, |o| {
                mine(&o.spec.service_broker_name)
            })
            .await?,
            listed(Api::<ServicePlan>::namespaced(c(), ns), chunk, |o| {
                mine(&o.spec.service_broker_name)
            })
            .await?,
        ),
    };
    Ok(Both {
        retrieved: t.retrieved.clone(),
        endpoint,
        doc,
        classes,
        plans,
    })
}

/// Every object `api` lists that `keep` keeps, as JSON.
async fn listed<K>(api: Api<K>, chunk: u32, keep: impl Fn(&K) -> bool) -> Result<Vec<Value>>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    Ok(list::all(api, ListParams::default(), chunk)
        .await?
        .into_iter()
        .filter(|o| keep(o))
        .map(|o| serde_json::to_value(o).unwrap_or_default())
        .collect())
}

fn count(doc: &Value) -> (usize, usize) {
    let services = doc.get("services").and_then(Value::as_array);
    let plans = services
        .into_iter()
        .flatten()
        .map(|s| s.get("plans").and_then(Value::as_array).map_or(0, Vec::len))
        .sum();
    (services.map_or(0, Vec::len), plans)
}

fn write_doc(out: &mut impl Write, value: &Value, format: Output) -> Result<()> {
    match format {
        Output::Json => out.write_all(osb::output::json_string(value).as_bytes())?,
        Output::Yaml => out.write_all(osb::yaml::to_string(value).as_bytes())?,
    }
    Ok(())
}

async fn catalog(args: BrokerArgs, kube_args: &KubeArgs) -> Result<()> {
    let b = both(&args, kube_args).await?;
    let diffs = broker_catalog::diff(&b.doc, &b.classes, &b.plans);
    let (services, plans) = count(&b.doc);
    let broker = b.endpoint.target.display();
    let mut out = std::io::stdout().lock();
    if let Some(format) = args.output {
        let value = json!({
            "broker": broker,
            "url": b.endpoint.url,
            "lastCatalogRetrievalTime": b.retrieved,
            "brokerCatalog": {"services": services, "plans": plans},
            "catalogObjects": {"classes": b.classes.len(), "plans": b.plans.len()},
            "differences": diffs,
        });
        return write_doc(&mut out, &value, format);
    }
    writeln!(
        out,
        "Broker {broker} at {}: {services} services, {plans} plans; the catalog holds {} classes, {} plans (last relist: {}).",
        b.endpoint.url,
        b.classes.len(),
        b.plans.len(),
        b.retrieved.as_deref().unwrap_or("never")
    )?;
    if diffs.is_empty() {
        writeln!(
            out,
            "No differences: the catalog objects match the broker's catalog."
        )?;
        return Ok(());
    }
    let rows = diffs
        .iter()
        .map(|d| {
            let what = match d.difference {
                "missing" => "missing: the broker offers it, the catalog has no object for it (not relisted yet)".to_string(),
                "removed" => "removed: the catalog has it, the broker no longer offers it".to_string(),
                _ => format!(
                    "changed: {}",
                    d.fields
                        .iter()
                        .map(|f| {
                            let short = |v: &Value| {
                                let s = serde_json::to_string(v).unwrap_or_default();
                                if s.len() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s }
                            };
                            format!("{} {} → {}", f.field, short(&f.catalog), short(&f.broker))
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            vec![d.kind.to_string(), d.name.clone(), d.external_id.clone(), what]
        })
        .collect();
    write!(
        out,
        "{}",
        osb::output::table(&["kind", "name", "external id", "difference"], rows)
    )?;
    Ok(())
}

async fn check(args: BrokerArgs, kube_args: &KubeArgs) -> Result<()> {
    let b = both(&args, kube_args).await?;
    let known: Vec<(String, String)> = b
        .classes
        .iter()
        .map(|c| {
            let t = |p: &str| {
                c.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            (t("/spec/externalName"), t("/spec/externalID"))
        })
        .collect();
    let findings = broker_catalog::lint(&b.doc, &known);
    let broker = b.endpoint.target.display();
    let mut out = std::io::stdout().lock();
    if let Some(format) = args.output {
        write_doc(
            &mut out,
            &json!({"broker": broker, "url": b.endpoint.url, "findings": findings}),
            format,
        )?;
    } else if findings.is_empty() {
        let (services, plans) = count(&b.doc);
        writeln!(
            out,
            "The catalog of {broker} follows the OSB 2.14 rules ({services} services, {plans} plans checked)."
        )?;
    } else {
        let rows = findings
            .iter()
            .map(|f| vec![f.at.clone(), f.problem.clone()])
            .collect();
        write!(out, "{}", osb::output::table(&["where", "problem"], rows))?;
    }
    if findings.is_empty() {
        return Ok(());
    }
    out.flush()?;
    Err(Error::Input(format!(
        "the catalog of {broker} breaks the OSB 2.14 rules: {} finding(s)",
        findings.len()
    )))
}

async fn status(args: StatusArgs, kube_args: &KubeArgs) -> Result<()> {
    let (kind, name) = kinds::parse_one(
        &args.what,
        Kind::ServiceInstance,
        &[Kind::ServiceInstance, Kind::ServiceBinding],
    )
    .map_err(Error::Usage)?
    .ok_or_else(|| Error::Usage("expected si/NAME or sb/NAME".into()))?;
    let kube = kube_args.connect().await?;
    let opts = args.broker.options(kube_args);
    let view = match kind {
        Kind::ServiceBinding => osb::broker_view::binding(&kube, &opts, &name).await,
        _ => osb::broker_view::instance(&kube, &opts, &name).await,
    }
    .map_err(|e| {
        if e.is_not_found() {
            kind.not_found(&name)
        } else {
            e
        }
    })?;
    let mut out = std::io::stdout().lock();
    print_view(&mut out, &view, args.output)
}

/// The view as lines, or as JSON / YAML.
pub fn print_view(
    out: &mut impl Write,
    view: &osb::broker_view::View,
    format: Option<Output>,
) -> Result<()> {
    let value = serde_json::to_value(view).unwrap_or(serde_json::Value::Null);
    match format {
        None => out.write_all(osb::broker_view::render(&view.lines(), "").as_bytes())?,
        Some(Output::Json) => out.write_all(osb::output::json_string(&value).as_bytes())?,
        Some(Output::Yaml) => out.write_all(osb::yaml::to_string(&value).as_bytes())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_is_well_formed_and_named_as_kubectl_shows_it() {
        Args::command().debug_assert();
        let help = Args::command().render_help().to_string();
        assert!(help.contains("kubectl osb broker"), "{help}");
        let help = Args::command()
            .try_get_matches_from(["kubectl-osb-broker", "status", "--help"])
            .expect_err("help")
            .to_string();
        assert!(help.contains("Usage: kubectl osb broker status"), "{help}");
    }
}
