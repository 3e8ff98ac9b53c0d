//! `kubectl osb get instances|bindings [NAME] [-A]`: svcat-like tables (NAME, NAMESPACE, CLASS, PLAN,
//! STATUS, AGE for instances; NAME, NAMESPACE, INSTANCE, SECRET, STATUS, AGE for bindings). STATUS is
//! the catalog's printer rule (the last condition's type when True, else its reason); `-o wide` adds
//! the one-line verdict of `describe`. CLASS and PLAN are external names, looked up (one read of the
//! classes and plans for the whole table) when an instance names them by Kubernetes name or external ID.

use std::io::Write;

use clap::Parser;
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use osb::catalog::{ServiceBinding, ServiceInstance};
use osb::client::{Kube, KubeArgs};
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::kinds::Kind;
use osb::lifecycle;
use osb::list::Pages;
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
    #[arg(value_name = "KIND", add = Complete::Kinds)]
    pub kind: String,
    /// Only this object
    #[arg(value_name = "NAME", add = Complete::NameOfKind)]
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

/// A list, page by page (`--chunk-size`): each page's rows are printed as it arrives, so the first rows
/// show after one request and memory holds one page, however many objects there are.
async fn stream<K>(
    kube: &Kube,
    all: bool,
    output: Format,
    headers: &[&str],
    mut rows: impl AsyncFnMut(&[K]) -> Vec<Vec<String>>,
) -> Result<()>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let api: Api<K> = osb::list::scoped(&kube.client, (!all).then_some(kube.namespace.as_str()));
    let mut pages = Pages::new(api, ListParams::default(), kube.chunk_size);
    let out = std::io::stdout().lock();
    if output.is_table() {
        let mut table = output::StreamTable::new(out, headers);
        while let Some(page) = pages.next().await? {
            table.rows(rows(&page).await)?;
        }
        if table.is_empty() {
            eprintln!(
                "{}",
                output::no_resources((!all).then_some(kube.namespace.as_str()))
            );
        }
    } else {
        // A List, as kubectl prints one, even with a single item.
        let mut list = output::ListPrinter::new(out, output)?;
        while let Some(page) = pages.next().await? {
            list.objects(&page.iter().map(output::to_value).collect::<Vec<_>>())?;
        }
        list.finish()?;
    }
    Ok(())
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
    let kube = args.kube.connect().await?;
    let wide = args.output == Format::Wide;
    let mut headers = match kind {
        Kind::ServiceInstance => vec!["name", "namespace", "class", "plan", "status", "age"],
        _ => vec!["name", "namespace", "instance", "secret", "status", "age"],
    };
    if wide {
        headers.push("verdict");
    }
    let table = args.output.is_table();
    if let Some(name) = &args.name {
        // One object: one GET.
        let mut out = std::io::stdout().lock();
        let (object, rows) = if kind == Kind::ServiceInstance {
            let si: ServiceInstance = Api::namespaced(kube.client.clone(), &kube.namespace)
                .get(name)
                .await?;
            let names = if table && Names::needed_for(&si) {
                Names::of_instance(&kube.client, &si).await
            } else {
                Names::default()
            };
            let rows = instance_rows(std::slice::from_ref(&si), wide, &names);
            (output::to_value(&si), rows)
        } else {
            let sb: ServiceBinding = Api::namespaced(kube.client.clone(), &kube.namespace)
                .get(name)
                .await?;
            let rows = binding_rows(std::slice::from_ref(&sb), wide);
            (output::to_value(&sb), rows)
        };
        if !output::print_objects(&mut out, args.output, &[object])? {
            write!(out, "{}", output::table(&headers, rows))?;
        }
        return Ok(());
    }
    let all = args.all_namespaces;
    if kind == Kind::ServiceBinding {
        return stream::<ServiceBinding>(&kube, all, args.output, &headers, async |page| {
            binding_rows(page, wide)
        })
        .await;
    }
    // Catalog names are read once, and only when a row needs them.
    let mut names: Option<Names> = None;
    let empty = Names::default();
    stream::<ServiceInstance>(&kube, all, args.output, &headers, async |page| {
        if names.is_none() && table && page.iter().any(Names::needed_for) {
            let ns = (!all).then_some(kube.namespace.as_str());
            names = Some(Names::load(&kube.client, ns, kube.chunk_size).await);
        }
        instance_rows(page, wide, names.as_ref().unwrap_or(&empty))
    })
    .await
}
