//! `kubectl osb get instances|bindings [NAME] [-A]`: svcat-like tables (NAME, NAMESPACE, CLASS, PLAN,
//! STATUS, AGE for instances; NAME, NAMESPACE, INSTANCE, SECRET, STATUS, AGE for bindings). STATUS is
//! the catalog's printer rule (the last condition's type when True, else its reason); `-o wide` adds
//! the one-line verdict of `describe`. CLASS and PLAN are external names, looked up (one read of the
//! classes and plans for the whole table) when an instance names them by Kubernetes name or external ID.

use std::io::Write;

use clap::Parser;
use kube::api::ListParams;
use kube::{Api, Client, ResourceExt};
use osb::catalog::{ServiceBinding, ServiceInstance};
use osb::client::KubeArgs;
use osb::error::{Error, Result};
use osb::kinds::Kind;
use osb::lifecycle;
use osb::offerings::Names;
use osb::output::{self, Format};

/// List service instances or bindings.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-get", bin_name = "kubectl osb get", version)]
#[command(after_help = "Examples:
  kubectl osb get instances
  kubectl osb get bindings -A
  kubectl osb get instance db -o yaml")]
pub struct Args {
    /// instances (instance, si) or bindings (binding, sb)
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// Only this object
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// List across all namespaces
    #[arg(short = 'A', long, conflicts_with = "name")]
    pub all_namespaces: bool,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    #[command(flatten)]
    pub kube: KubeArgs,
}

async fn list<K>(client: &Client, ns: &str, all: bool, name: Option<&str>) -> Result<Vec<K>>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
{
    let api: Api<K> = if all {
        Api::all(client.clone())
    } else {
        Api::namespaced(client.clone(), ns)
    };
    if let Some(n) = name {
        return Ok(vec![api.get(n).await?]);
    }
    let mut items = api.list(&ListParams::default()).await?.items;
    items.sort_by_key(|o| (o.namespace(), o.name_any()));
    Ok(items)
}

fn age<K: kube::Resource>(o: &K) -> String {
    let ts = o
        .meta()
        .creation_timestamp
        .as_ref()
        .map(|t| t.0.to_string());
    output::age(ts.as_deref())
}

/// Instances as table rows, class and plan by external name (`names`).
pub fn instance_rows(items: &[ServiceInstance], wide: bool, names: &Names) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|si| {
            let state = osb::state::judge(Kind::ServiceInstance, &output::to_value(si))
                .status(Kind::ServiceInstance);
            let mut row = vec![
                si.name_any(),
                si.namespace().unwrap_or_default(),
                names.class(si),
                names.plan(si),
                state,
                age(si),
            ];
            if wide {
                row.push(lifecycle::instance_verdict(si));
            }
            row
        })
        .collect()
}

/// Bindings as table rows.
pub fn binding_rows(items: &[ServiceBinding], wide: bool) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|sb| {
            let mut row = vec![
                sb.name_any(),
                sb.namespace().unwrap_or_default(),
                sb.spec.instance_ref.name.clone(),
                sb.secret_name(),
                osb::state::judge(Kind::ServiceBinding, &output::to_value(sb))
                    .status(Kind::ServiceBinding),
                age(sb),
            ];
            if wide {
                row.push(lifecycle::binding_verdict(sb));
            }
            row
        })
        .collect()
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let kind = match Kind::parse(&args.kind) {
        Some(k @ (Kind::ServiceInstance | Kind::ServiceBinding)) => k,
        _ => {
            return Err(Error::Usage(format!(
                "unknown kind {:?}: use instances (si) or bindings (sb)",
                args.kind
            )));
        }
    };
    let instances = kind == Kind::ServiceInstance;
    let kube = args.kube.connect().await?;
    let ns = kube.namespace.clone();
    let mut out = std::io::stdout().lock();
    let wide = args.output == Format::Wide;
    let (objects, rows, headers): (Vec<serde_json::Value>, Vec<Vec<String>>, Vec<&str>) =
        if instances {
            let items: Vec<ServiceInstance> =
                list(&kube.client, &ns, args.all_namespaces, args.name.as_deref()).await?;
            let names = if args.output.is_table() && items.iter().any(Names::needed_for) {
                Names::load(&kube.client, (!args.all_namespaces).then_some(ns.as_str())).await
            } else {
                Names::default()
            };
            (
                items.iter().map(output::to_value).collect(),
                instance_rows(&items, wide, &names),
                vec!["name", "namespace", "class", "plan", "status", "age"],
            )
        } else {
            let items: Vec<ServiceBinding> =
                list(&kube.client, &ns, args.all_namespaces, args.name.as_deref()).await?;
            (
                items.iter().map(output::to_value).collect(),
                binding_rows(&items, wide),
                vec!["name", "namespace", "instance", "secret", "status", "age"],
            )
        };
    if !args.output.is_table() {
        if args.name.is_none() && args.output != Format::Name {
            // A list, as kubectl prints one, even with a single item.
            let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects, "metadata": {"resourceVersion": ""}});
            output::print_objects(&mut out, args.output, &[list])?;
        } else {
            output::print_objects(&mut out, args.output, &objects)?;
        }
        return Ok(());
    }
    if rows.is_empty() {
        eprintln!(
            "{}",
            output::no_resources((!args.all_namespaces).then_some(ns.as_str()))
        );
        return Ok(());
    }
    let mut headers = headers;
    if wide {
        headers.push("verdict");
    }
    write!(out, "{}", output::table(&headers, rows))?;
    Ok(())
}
