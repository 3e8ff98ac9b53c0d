//! `kubectl osb get instances|bindings|brokers|classes|plans [NAME] [-A]`: svcat-like tables (NAME,
//! NAMESPACE, CLASS, PLAN, STATUS, AGE for instances; NAME, NAMESPACE, INSTANCE, SECRET, STATUS, AGE for
//! bindings; the Kubernetes name, external name, broker (and class) of classes and plans). STATUS is
//! the catalog's printer rule (the last condition's type when True, else its reason); `-o wide` adds
//! the one-line verdict of `describe`. CLASS and PLAN are external names, looked up (one read of the
//! classes and plans for the whole table) when an instance names them by Kubernetes name or external ID.

use std::io::Write;

use clap::Parser;
use kube::api::{DynamicObject, ListParams};
use kube::{Api, ResourceExt};
use osb::catalog::{ServiceBinding, ServiceInstance};
use osb::client::{Kube, KubeArgs};
use osb::columns::{LabelColumns, OutputParser, Printer};
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::kinds::Kind;
use osb::lifecycle;
use osb::list::Pages;
use osb::offerings::Names;
use osb::output::{self, Format};
use serde_json::Value;

mod watch;

/// List service instances or bindings.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-get", bin_name = "kubectl osb get", version)]
#[command(after_help = "Examples:
  kubectl osb get instances
  kubectl osb get bindings -A
  kubectl osb get instance db -o yaml
  kubectl osb get instances -l team=data --show-labels
  kubectl osb get instances -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'
  kubectl osb get instances -o custom-columns=NAME:.metadata.name,PLAN:.spec.clusterServicePlanExternalName
  kubectl osb get instances --sort-by=.metadata.creationTimestamp
  kubectl osb get instances -w
  kubectl osb get instances -A -l team=data --watch-only --output-watch-events")]
pub struct Args {
    /// instances (instance, si), bindings (binding, sb), brokers (csb), classes (csc) or plans (csp)
    #[arg(value_name = "KIND", add = Complete::Kinds)]
    pub kind: String,
    /// Only this object
    #[arg(value_name = "NAME", add = Complete::NameOfKind)]
    pub name: Option<String>,
    /// List across all namespaces
    #[arg(short = 'A', long, conflicts_with = "name")]
    pub all_namespaces: bool,
    /// Output format: table, wide, yaml, json, name, jsonpath=TEMPLATE, jsonpath-file=FILE,
    /// custom-columns=HEADER:PATH,…, custom-columns-file=FILE (kubectl's JSONPath)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = OutputParser, default_value = "table")]
    pub output: String,
    /// Label selector (`key=value`, `key!=value`, `key in (a,b)`, `key`, `!key`), as kubectl
    #[arg(short = 'l', long, value_name = "SELECTOR", conflicts_with = "name", add = Complete::LabelKeys)]
    pub selector: Option<String>,
    /// Field selector (`metadata.name=db`, …), as kubectl
    #[arg(long, value_name = "SELECTOR", conflicts_with = "name", add = Complete::Nothing)]
    pub field_selector: Option<String>,
    /// Sort the list by this JSONPath (`.metadata.name`, `{.spec.clusterServicePlanExternalName}`)
    #[arg(long, value_name = "JSONPATH", add = Complete::Nothing)]
    pub sort_by: Option<String>,
    /// Print tables (and custom columns) without their header line
    #[arg(long)]
    pub no_headers: bool,
    /// Add a LABELS column with every label
    #[arg(long)]
    pub show_labels: bool,
    /// Add a column with the value of each of these labels (repeatable, or comma-separated)
    #[arg(short = 'L', long = "label-columns", value_name = "KEY", value_delimiter = ',', add = Complete::LabelKeys)]
    pub label_columns: Vec<String>,
    /// After listing, watch for changes and print a line for each (runs until interrupted; a dropped
    /// or expired watch is resumed)
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Watch for changes without listing first
    #[arg(long)]
    pub watch_only: bool,
    /// With --watch or --watch-only: add the event type (ADDED, MODIFIED, DELETED) to each line
    #[arg(long)]
    pub output_watch_events: bool,
    /// Keep metadata.managedFields in -o json|yaml (left out by default, as kubectl does)
    #[arg(long)]
    pub show_managed_fields: bool,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// What a table adds to every verb's own columns, and whether it has a header line.
struct TableOpts {
    labels: LabelColumns,
    no_headers: bool,
}

impl TableOpts {
    /// `rows` of `objects` with the label columns added.
    fn extend<K: kube::Resource>(
        &self,
        objects: &[K],
        mut rows: Vec<Vec<String>>,
    ) -> Vec<Vec<String>> {
        for (row, o) in rows.iter_mut().zip(objects) {
            row.extend(self.labels.cells(o.meta().labels.as_ref()));
        }
        rows
    }

    fn table<W: Write>(&self, out: W, headers: &[String]) -> output::StreamTable<W> {
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let table = output::StreamTable::new(out, &headers);
        if self.no_headers {
            table.without_header()
        } else {
            table
        }
    }
}

/// A list, page by page (`--chunk-size`): each page's rows are printed as it arrives, so the first rows
/// show after one request and memory holds one page, however many objects there are.
async fn stream<K>(
    kube: &Kube,
    list: &Listing,
    output: Format,
    mut rows: impl AsyncFnMut(&[K]) -> Vec<Vec<String>>,
) -> Result<()>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let api: Api<K> = osb::list::scoped(&kube.client, list.namespace(kube));
    let mut pages = Pages::new(api, list.params.clone(), kube.chunk_size);
    let out = std::io::stdout().lock();
    if output.is_table() {
        let mut table = list.opts.table(out, &list.headers);
        while let Some(page) = pages.next().await? {
            table.rows(list.opts.extend(&page, rows(&page).await))?;
        }
        if table.is_empty() {
            eprintln!("{}", output::no_resources(list.namespace(kube)));
        }
    } else {
        // A List, as kubectl prints one, even with a single item.
        let mut printer = output::ListPrinter::new(out, output)?;
        while let Some(page) = pages.next().await? {
            printer.objects(&page.iter().map(output::to_value).collect::<Vec<_>>())?;
        }
        printer.finish()?;
    }
    Ok(())
}

/// What `get` lists and how it prints it.
struct Listing {
    kind: Kind,
    name: Option<String>,
    all: bool,
    params: ListParams,
    printer: Printer,
    sort_by: Option<String>,
    headers: Vec<String>,
    opts: TableOpts,
}

impl Listing {
    fn namespace<'k>(&self, kube: &'k Kube) -> Option<&'k str> {
        (!self.all).then_some(kube.namespace.as_str())
    }

    /// The objects as the API server sends them (kubectl's printers see these, not our typed view):
    /// one GET for a name, else every page; sorted by `--sort-by`.
    async fn read(&self, kube: &Kube) -> Result<Vec<Value>> {
        let ar = self.kind.resource();
        let api: Api<DynamicObject> = match self.namespace(kube) {
            Some(ns) => Api::namespaced_with(kube.client.clone(), ns, &ar),
            None => Api::all_with(kube.client.clone(), &ar),
        };
        let objects = match &self.name {
            Some(name) => vec![api.get(name).await?],
            None => {
                Pages::new(api, self.params.clone(), kube.chunk_size)
                    .all()
                    .await?
            }
        };
        let mut values: Vec<(Value, ())> = objects
            .iter()
            .map(|o| {
                let mut v = output::to_value(o);
                // List items come without their type; kubectl's printers see it filled in.
                v["apiVersion"] = Value::from(ar.api_version.clone());
                v["kind"] = Value::from(ar.kind.clone());
                (v, ())
            })
            .collect();
        if let Some(expr) = &self.sort_by {
            values = osb::columns::sort_by(values, expr)?;
        }
        Ok(values.into_iter().map(|(v, ())| v).collect())
    }

    /// Print what [`Listing::read`] read: templates and custom columns as kubectl, tables with our rows.
    async fn print<K>(
        &self,
        kube: &Kube,
        mut rows: impl AsyncFnMut(&[K]) -> Vec<Vec<String>>,
    ) -> Result<()>
    where
        K: kube::Resource + serde::de::DeserializeOwned + serde::Serialize,
    {
        let objects = self.read(kube).await?;
        let mut out = std::io::stdout().lock();
        // Templates and columns show what -o yaml shows: sensitive parameter values redacted.
        let shown: Vec<Value> = objects.iter().map(|o| osb::redact::object(o).0).collect();
        if self
            .printer
            .print(&mut out, &shown, self.name.is_some(), self.opts.no_headers)?
        {
            return Ok(());
        }
        let Printer::Format(format) = self.printer else {
            return Ok(());
        };
        if !format.is_table() {
            if self.name.is_some() {
                output::print_objects(&mut out, format, &objects)?;
            } else {
                let mut list = output::ListPrinter::new(out, format)?;
                list.objects(&objects)?;
                list.finish()?;
            }
            return Ok(());
        }
        let typed = objects
            .into_iter()
            .map(serde_json::from_value::<K>)
            .collect::<std::result::Result<Vec<K>, _>>()
            .map_err(|e| Error::Input(format!("unexpected object from the API server: {e}")))?;
        let mut table = self.opts.table(out, &self.headers);
        table.rows(self.opts.extend(&typed, rows(&typed).await))?;
        if table.is_empty() && self.name.is_none() {
            eprintln!("{}", output::no_resources(self.namespace(kube)));
        }
        Ok(())
    }

    /// Whether every object must be read before printing (a sort, a template, one object).
    fn whole(&self) -> bool {
        self.name.is_some() || self.sort_by.is_some() || !matches!(self.printer, Printer::Format(_))
    }
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

/// The columns of a catalog kind's table before AGE: (header, JSON pointer); brokers add STATUS.
fn catalog_columns(kind: Kind) -> &'static [(&'static str, &'static str)] {
    const NAME: (&str, &str) = ("name", "/metadata/name");
    const EXTERNAL: (&str, &str) = ("external-name", "/spec/externalName");
    const BROKER: (&str, &str) = ("broker", "/spec/clusterServiceBrokerName");
    match kind {
        Kind::ClusterServiceBroker => &[NAME, ("url", "/spec/url")],
        Kind::ClusterServiceClass => &[NAME, EXTERNAL, BROKER],
        _ => &[
            NAME,
            EXTERNAL,
            BROKER,
            ("class", "/spec/clusterServiceClassRef/name"),
        ],
    }
}

fn catalog_headers(kind: Kind) -> Vec<&'static str> {
    let mut h: Vec<&str> = catalog_columns(kind).iter().map(|(h, _)| *h).collect();
    if kind == Kind::ClusterServiceBroker {
        h.push("status");
    }
    h.push("age");
    h
}

/// Brokers, classes and plans as table rows.
fn catalog_rows(kind: Kind, page: &[DynamicObject]) -> Vec<Vec<String>> {
    page.iter()
        .map(|o| {
            let v = output::to_value(o);
            let mut row: Vec<String> = catalog_columns(kind)
                .iter()
                .map(|(_, p)| osb::str_at(&v, p).to_string())
                .collect();
            if kind == Kind::ClusterServiceBroker {
                row.push(osb::state::judge(kind, &v).status(kind));
            }
            row.push(age(o));
            row
        })
        .collect()
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let kind = Kind::parse(&args.kind)
        .filter(|k| Kind::LISTED.contains(k))
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown kind {:?}: use instances (si), bindings (sb), brokers, classes or plans",
                args.kind
            ))
        })?;
    let printer = Printer::parse(&args.output)?;
    let watching = args.watch || args.watch_only;
    output::show_managed_fields(args.show_managed_fields);
    if args.output_watch_events && !watching {
        return Err(Error::Usage(
            "--output-watch-events option can only be used with --watch or --watch-only".into(),
        ));
    }
    if let Some(expr) = &args.sort_by {
        osb::jsonpath::Template::parse_relaxed(expr).map_err(|e| Error::Input(e.to_string()))?;
    }
    let wide = printer.table() == Some(Format::Wide);
    let table = printer.table().is_some();
    let mut headers: Vec<String> = match kind {
        Kind::ServiceInstance => vec!["name", "namespace", "class", "plan", "status", "age"],
        Kind::ServiceBinding => vec!["name", "namespace", "instance", "secret", "status", "age"],
        _ => catalog_headers(kind),
    }
    .into_iter()
    .map(String::from)
    .collect();
    if wide && kind.namespaced() {
        headers.push("verdict".into());
    }
    let labels = LabelColumns {
        keys: args.label_columns.clone(),
        show_labels: args.show_labels,
    };
    headers.extend(labels.headers());
    let params = ListParams {
        label_selector: args.selector.clone(),
        field_selector: args.field_selector.clone(),
        ..ListParams::default()
    };
    let list = Listing {
        kind,
        name: args.name.clone(),
        // Brokers, classes and plans belong to no namespace.
        all: args.all_namespaces || !kind.namespaced(),
        params,
        printer,
        sort_by: args.sort_by.clone(),
        headers,
        opts: TableOpts {
            labels,
            no_headers: args.no_headers,
        },
    };
    let kube = args.kube.connect().await?;
    let format = match list.printer {
        Printer::Format(f) => f,
        _ => Format::Json,
    };
    let (only, events) = (args.watch_only, args.output_watch_events);
    if !kind.namespaced() {
        let rows = async |page: &[DynamicObject]| catalog_rows(kind, page);
        return if watching {
            watch::watch(&kube, &list, only, events, rows).await
        } else {
            list.print(&kube, rows).await
        };
    }
    if kind == Kind::ServiceBinding {
        let rows = async |page: &[ServiceBinding]| binding_rows(page, wide);
        return if watching {
            watch::watch(&kube, &list, only, events, rows).await
        } else if list.whole() {
            list.print(&kube, rows).await
        } else {
            stream(&kube, &list, format, rows).await
        };
    }
    // Catalog names are read once, and only when a row needs them.
    let mut names: Option<Names> = None;
    let empty = Names::default();
    let ns = list.namespace(&kube);
    let rows = async |page: &[ServiceInstance]| {
        if names.is_none() && table && page.iter().any(Names::needed_for) {
            names = Some(match page {
                [one] if list.name.is_some() => Names::of_instance(&kube.client, one).await,
                _ => Names::load(&kube.client, ns, kube.chunk_size).await,
            });
        }
        instance_rows(page, wide, names.as_ref().unwrap_or(&empty))
    };
    if watching {
        watch::watch(&kube, &list, only, events, rows).await
    } else if list.whole() {
        list.print(&kube, rows).await
    } else {
        stream(&kube, &list, format, rows).await
    }
}
