//! `kubectl osb bind env BINDING`: the binding's credentials as environment variables of a workload, by
//! reference (`valueFrom.secretKeyRef`); the values never leave the Secret.
//!
//! * no target: print the `env:` block to paste into a manifest;
//! * `-f FILE` (or `-`): print the manifest(s) with the variables added, for `kubectl create -f -`; the way
//!   to give a Job its credentials, since a Job's pod template cannot change after creation;
//! * `--apply-to KIND/NAME`: change an existing Deployment, StatefulSet, DaemonSet, ReplicaSet or
//!   CronJob in place (a rollout follows, as for any template change).

use std::io::Write;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Secret;
use kube::api::{ApiResource, DynamicObject, PostParams};
use kube::{Api, Client};
use osb::catalog::ServiceBinding;
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::flags::{DryRun, DryRunFlag};
use osb::lifecycle;
use osb::mapping::{self, EnvMapping};
use osb::output::{self, Format};
use serde_json::{Value, json};

/// Flags of `kubectl osb bind env`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  # The env: block for every key, as CASSANDRA_HOST, CASSANDRA_PORT, …
  kubectl osb bind env db-app --prefix CASSANDRA_

  # Chosen variables only
  kubectl osb bind env db-app --env CASSANDRA_HOST=host,CASSANDRA_PASSWORD=password

  # Change a Deployment (or StatefulSet, DaemonSet, CronJob) in place
  kubectl osb bind env db-app --prefix CASSANDRA_ --apply-to deployment/web --container app

  # A Job: add the variables to its manifest before creating it
  kubectl osb bind env db-app --prefix CASSANDRA_ -f job.yaml | kubectl create -f -")]
#[command(mut_arg("dry_run", |a| a.help("With --apply-to: \"client\" prints the changed object, \"server\" has the API server check it")))]
pub struct EnvArgs {
    /// The ServiceBinding whose Secret holds the credentials
    #[arg(value_name = "BINDING", add = Complete::Bindings)]
    pub binding: String,
    /// VAR=KEY pairs (comma-separated or repeated): variable VAR from Secret key KEY
    #[arg(long = "env", value_name = "VAR=KEY,…", add = Complete::Nothing)]
    pub env: Vec<String>,
    /// Map every key of the Secret to PREFIX + KEY upper-cased (also without --env: all keys, no prefix)
    #[arg(long, value_name = "PREFIX", add = Complete::Nothing)]
    pub prefix: Option<String>,
    /// Put the variables into this existing workload (deployment/NAME, statefulset/NAME, daemonset/NAME,
    /// replicaset/NAME, cronjob/NAME)
    #[arg(long, value_name = "KIND/NAME", conflicts_with = "filename", add = Complete::Nothing)]
    pub apply_to: Option<String>,
    /// Put the variables into the workload manifest(s) of FILE ('-' for stdin) and print the result
    #[arg(short = 'f', long = "filename", value_name = "FILE", add = Complete::Files)]
    pub filename: Option<String>,
    /// The container to change (required when the pod has several)
    #[arg(short = 'c', long, value_name = "NAME", add = Complete::Nothing)]
    pub container: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// Output format: yaml (default) or json for printed blocks and manifests; name with --apply-to
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,
}

/// A workload kind that `--apply-to` understands.
struct WorkloadKind {
    resource: ApiResource,
    /// kubectl's `kind.group`.
    qualified: &'static str,
}

/// A workload kind: the words kubectl accepts for it, its `kind.group`, its resource.
type Workload = (&'static [&'static str], &'static str, fn() -> ApiResource);

/// The workload kinds `--apply-to` understands.
#[rustfmt::skip]
const WORKLOADS: &[Workload] = &[
    (&["deployment", "deployments", "deploy"], "deployment.apps", erase::<Deployment>),
    (&["statefulset", "statefulsets", "sts"], "statefulset.apps", erase::<StatefulSet>),
    (&["daemonset", "daemonsets", "ds"], "daemonset.apps", erase::<DaemonSet>),
    (&["replicaset", "replicasets", "rs"], "replicaset.apps", erase::<ReplicaSet>),
    (&["job", "jobs"], "job.batch", erase::<Job>),
    (&["cronjob", "cronjobs", "cj"], "cronjob.batch", erase::<CronJob>),
];

fn erase<K: kube::Resource<DynamicType = ()>>() -> ApiResource {
    ApiResource::erase::<K>(&())
}

fn workload_kind(s: &str) -> Option<WorkloadKind> {
    let lower = s.to_ascii_lowercase();
    let base = lower.split('.').next().unwrap_or_default();
    WORKLOADS
        .iter()
        .find(|(words, _, _)| words.contains(&base))
        .map(|(_, qualified, resource)| WorkloadKind {
            resource: resource(),
            qualified,
        })
}

/// kubectl's NotFound for a workload (`deployments.apps "web"`); a Job's says how to give a new Job the
/// credentials.
fn workload_not_found(kind: &WorkloadKind, name: &str) -> Error {
    let e = osb::error::not_found(
        &format!("{}.{}", kind.resource.plural, kind.resource.group),
        name,
    );
    if kind.qualified == "job.batch" {
        e.then(
            "to give a new Job the credentials, add them to its manifest: kubectl osb bind env … -f job.yaml | kubectl create -f -",
        )
    } else {
        e
    }
}

/// Run `bind env`.
pub async fn run(args: EnvArgs, kube_args: &KubeArgs) -> Result<()> {
    let dry_run = args.dry_run.get();
    let explicit = mapping::parse_env_flags(&args.env).map_err(Error::Input)?;
    if let Some(p) = &args.prefix
        && !p.is_empty()
    {
        mapping::check_var(p).map_err(|e| Error::Input(format!("--prefix: {e}")))?;
    }
    let target = match &args.apply_to {
        Some(t) => {
            let (kind, name) = t.split_once('/').ok_or_else(|| {
                Error::Input(format!(
                    "--apply-to {t:?}: expected KIND/NAME, e.g. deployment/web"
                ))
            })?;
            let kind = workload_kind(kind).ok_or_else(|| {
                Error::Input(format!(
                    "--apply-to {t:?}: {kind:?} is not a workload kind; use deployment, statefulset, daemonset, replicaset, job or cronjob"
                ))
            })?;
            lifecycle::check_name("workload", name)?;
            Some((kind, name.to_string()))
        }
        None => None,
    };
    // Read the manifest file first: bad input fails before anything is asked of the cluster.
    let docs = match &args.filename {
        Some(f) => Some(read_manifests(f)?),
        None => None,
    };

    let kube = kube_args.connect().await?;
    let ns = kube.namespace.clone();
    let (secret_name, mappings) = plan(
        &kube.client,
        &ns,
        &args.binding,
        &explicit,
        args.prefix.as_deref(),
    )
    .await?;
    let env = mapping::env_block(&secret_name, &mappings);
    let mut out = std::io::stdout().lock();
    let print_format = match args.output {
        Some(Format::Json) => Format::Json,
        _ => Format::Yaml,
    };

    if let Some(mut docs) = docs {
        let mut changed = 0;
        for doc in docs.iter_mut() {
            let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
            if mapping::pod_spec_pointer(kind).is_some() {
                mapping::apply_to_workload(doc, args.container.as_deref(), &env)
                    .map_err(Error::Input)?;
                changed += 1;
            }
        }
        if changed == 0 {
            return Err(Error::Input(format!(
                "{}: no workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod) to put the variables in",
                args.filename.as_deref().unwrap_or_default()
            )));
        }
        output::print_objects(&mut out, print_format, &docs)?;
        return Ok(());
    }

    let Some((kind, name)) = target else {
        let block = json!({ "env": env });
        if print_format == Format::Json {
            out.write_all(output::json_string(&block).as_bytes())?;
        } else {
            out.write_all(osb::yaml::to_string(&block).as_bytes())?;
        }
        return Ok(());
    };

    let api: Api<DynamicObject> = Api::namespaced_with(kube.client.clone(), &ns, &kind.resource);
    let obj = api
        .get_opt(&name)
        .await?
        .ok_or_else(|| workload_not_found(&kind, &name))?;
    if kind.qualified == "job.batch" {
        return Err(Error::Input(format!(
            "job.batch/{name} already exists, and a Job's pod template cannot be changed after creation (the API server refuses it).\n\
             Add the variables to the Job's manifest and create it again instead, e.g.:\n  \
             kubectl get job {name} -o yaml > job.yaml   # or your original manifest\n  \
             kubectl osb bind env {} {} -f job.yaml | kubectl replace --force -f -\n\
             ('replace --force' deletes the Job and its pods, then creates it anew.) A CronJob can be changed in place.",
            args.binding,
            describe_mapping_flags(&args)
        )));
    }
    let mut v = serde_json::to_value(&obj).map_err(|e| Error::Other(e.into()))?;
    let before = v.clone();
    let container = mapping::apply_to_workload(&mut v, args.container.as_deref(), &env)
        .map_err(Error::Input)?;
    let verb = if v == before {
        "unchanged"
    } else {
        "configured"
    };
    if dry_run == DryRun::Client {
        v.as_object_mut().map(|m| m.remove("status"));
        output::print_objects(&mut out, print_format, &[v])?;
        return Ok(());
    }
    if verb == "configured" {
        let obj: DynamicObject = serde_json::from_value(v).map_err(|e| Error::Other(e.into()))?;
        let pp = PostParams {
            dry_run: dry_run == DryRun::Server,
            ..Default::default()
        };
        api.replace(&name, &pp, &obj).await?;
    }
    match args.output {
        Some(Format::Name) => writeln!(out, "{}/{name}", kind.qualified)?,
        _ => writeln!(
            out,
            "{}/{name} {verb}{} (container {container:?}: {} from secret {secret_name:?})",
            kind.qualified,
            dry_run.suffix(),
            mappings
                .iter()
                .map(|m| m.var.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )?,
    }
    Ok(())
}

fn describe_mapping_flags(args: &EnvArgs) -> String {
    let mut parts = Vec::new();
    if !args.env.is_empty() {
        parts.push(format!("--env {}", args.env.join(",")));
    }
    if let Some(p) = &args.prefix {
        parts.push(format!("--prefix {p}"));
    }
    if let Some(c) = &args.container {
        parts.push(format!("--container {c}"));
    }
    parts.join(" ")
}

/// The binding's Secret and the variables to take from it; the binding must have its credentials.
async fn plan(
    client: &Client,
    ns: &str,
    binding: &str,
    explicit: &[EnvMapping],
    prefix: Option<&str>,
) -> Result<(String, Vec<EnvMapping>)> {
    let bindings: Api<ServiceBinding> = Api::namespaced(client.clone(), ns);
    let sb = bindings
        .get_opt(binding)
        .await?
        .ok_or_else(|| osb::kinds::Kind::ServiceBinding.not_found(binding))?;
    let secret_name = sb.secret_name();
    let secrets: Api<Secret> = Api::namespaced(client.clone(), ns);
    let Some(secret) = secrets.get_opt(&secret_name).await? else {
        return Err(Error::Input(format!(
            "binding {binding:?} has no credentials yet (secret {secret_name:?} does not exist; binding state: {}); \
             wait for it with 'kubectl osb wait servicebinding/{binding}'",
            lifecycle::binding_verdict(&sb)
        )));
    };
    let keys: Vec<String> = osb::catalog::secret_data(&secret)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    if keys.is_empty() {
        return Err(Error::Input(format!(
            "secret {secret_name:?} of binding {binding:?} has no keys"
        )));
    }
    let mappings = mapping::plan(&keys, explicit, prefix).map_err(Error::Input)?;
    Ok((secret_name, mappings))
}

fn read_manifests(path: &str) -> Result<Vec<Value>> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::Input(format!("reading {path}: {e}")))?
    };
    let docs: Vec<Value> =
        osb::yaml::from_str_multi_large(&text).map_err(|e| Error::Input(format!("{path}: {e}")))?;
    let mut out = Vec::new();
    for d in docs {
        match d {
            Value::Null => {}
            Value::Object(ref m) if m.get("kind").and_then(Value::as_str) == Some("List") => {
                out.extend(
                    m.get("items")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            Value::Object(_) => out.push(d),
            _ => {
                return Err(Error::Input(format!(
                    "{path}: a document is not a Kubernetes object"
                )));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_workload_is_kubectls_not_found() {
        let deploy = workload_kind("deploy").expect("a workload kind");
        let e = workload_not_found(&deploy, "web");
        assert!(e.is_not_found());
        assert_eq!(
            e.render().as_deref(),
            Some("Error from server (NotFound): deployments.apps \"web\" not found")
        );
        let job = workload_not_found(&workload_kind("jobs").expect("a workload kind"), "j");
        assert!(job.is_not_found());
        assert!(
            job.to_string().starts_with(
                "Error from server (NotFound): jobs.batch \"j\" not found; to give a new Job the credentials"
            ),
            "{job}"
        );
    }
}
