//! `kubectl osb provision NAME --class CLASS --plan PLAN`: create a ServiceInstance.
//!
//! Everything is checked before anything is written: the name (DNS-1123), every `-p` value, the
//! parameters file, the `parametersFrom` secrets (they must hold JSON objects), and the class and plan,
//! resolved by external name as the catalog controller resolves them; an unknown one fails at once with
//! the valid names; then the merged parameters (with the secrets' values) against the plan's JSON Schema
//! ([`osb::schema`]: the create schema for a new instance, the update schema for `--update`). The instance is written with `clusterServiceClassExternalName` /
//! `clusterServicePlanExternalName` (readable, and what the controller resolves).
//!
//! Idempotent for scripts: the same spec on an existing instance prints `unchanged` (exit 0); a different
//! one is an error naming the differing fields, unless `--update` (which also bumps `updateRequests`).
//! The same holds when runs race for one name: a create refused with AlreadyExists reads the object that
//! won and answers from it ([`osb::create`]).

use std::io::Write;

use clap::Parser;
use kube::api::PostParams;
use kube::{Api, Client, ResourceExt};
use osb::catalog::{
    ParametersFromSource, SecretKeyReference, ServiceInstance, ServiceInstanceSpec,
};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::create::{self, Created};
use osb::error::{Error, Result};
use osb::flags::{DryRun, WriteFlags};
use osb::lifecycle;
use osb::offerings::Offerings;
use osb::output::{self, Format};
use osb::params;
use osb::rbac::{self, Need};
use osb::schema::{self, Which};
use osb::wait::{Goal, Kind};
use serde_json::{Map, Value};

/// Provision a service instance from the Service Catalog.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-osb-provision",
    bin_name = "kubectl osb provision",
    version
)]
#[command(after_help = "Examples:
  # A Cassandra cluster on the developer plan, waiting until it is Ready
  kubectl osb provision db --class cassandra --plan developer --wait

  # Typed parameters: numbers, booleans and null as such; := for raw JSON; dots nest
  kubectl osb provision db --class cassandra --plan developer \\
    -p nodeSize=t3.small -p replicas=3 -p bundles.options:='{\"auth\":true}'

  # Parameters from a YAML/JSON file (or - for stdin), and from a Secret holding a JSON object
  kubectl osb provision db --class cassandra --plan developer --params-file params.yaml \\
    --params-from-secret db-creds:parameters

  # An Instaclustr provisioning-API payload as the parameters (class and plan inferred):
  # a v2 body (cassandraVersion, dataCentres[], …) or a v1 body (clusterName, bundles, …)
  kubectl osb provision db --from-instaclustr cluster.json

  # The plan's parameters (checked against its JSON Schema before anything is created)
  kubectl osb catalog --class cassandra --plan developer

  # Print the manifest instead of creating it
  kubectl osb provision db --class kafka --plan developer --dry-run=client -o yaml

Exit codes: 0 created/unchanged/Ready, 1 error (nothing created), 3 Failed (with --wait), 4 timed out.")]
#[command(mut_arg("dry_run", |a| a.help("\"client\" prints the ServiceInstance without sending it; \"server\" has the API server check it")))]
#[command(mut_arg("wait", |a| a.help("Wait until the instance is Ready (exit 3 if it fails, 4 on timeout)")))]
#[command(mut_arg("output", |a| a.help("Output format for the instance: yaml, json or name (--wait then reports on stderr)")))]
pub struct Args {
    /// Name of the ServiceInstance
    #[arg(add = Complete::Nothing)]
    pub name: String,
    /// Service class, by external name (see 'kubectl osb catalog')
    #[arg(long, value_name = "CLASS", add = Complete::Classes)]
    pub class: Option<String>,
    /// Plan of the class, by external name (optional when the class has exactly one plan)
    #[arg(long, value_name = "PLAN", add = Complete::Plans)]
    pub plan: Option<String>,
    /// Parameters from an Instaclustr provisioning-API JSON payload, v1 or v2 ('-' for stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "params_file", add = Complete::Files)]
    pub from_instaclustr: Option<String>,
    /// Read the --from-instaclustr body as this API's shape instead of detecting it
    #[arg(
        long,
        value_enum,
        value_name = "VERSION",
        requires = "from_instaclustr"
    )]
    pub instaclustr_api: Option<osb::instaclustr::Api>,
    #[command(flatten)]
    pub params: params::ParamFlags,
    /// Apply a changed spec to an existing instance (bumps spec.updateRequests)
    #[arg(long, add = Complete::UpdateSchema)]
    pub update: bool,
    #[command(flatten)]
    pub write: WriteFlags,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// What the user asked for, validated and offline.
struct Request {
    class: Option<String>,
    plan: Option<String>,
    parameters: Map<String, Value>,
    from_secrets: Vec<(String, String)>,
    labels: std::collections::BTreeMap<String, String>,
    annotations: std::collections::BTreeMap<String, String>,
}

fn offline(args: &Args) -> Result<Request> {
    lifecycle::check_name("instance", &args.name)?;
    let mut class = args.class.clone();
    let mut plan = args.plan.clone();
    let base = match &args.from_instaclustr {
        Some(f) => {
            let payload = instaclustr_payload(f, args.instaclustr_api.unwrap_or_default())?;
            if class.is_none() {
                class = Some(
                    osb::instaclustr::ClassMap::default()
                        .infer(&payload)
                        .map_err(Error::Input)?,
                );
            }
            if plan.is_none() {
                plan = Some(osb::instaclustr::infer_plan(&payload));
            }
            match payload {
                Value::Object(m) => Some(m),
                _ => {
                    return Err(Error::Input(format!(
                        "{f}: the payload must be a JSON object"
                    )));
                }
            }
        }
        None => None,
    };
    if class.is_none() {
        return Err(Error::Usage(
            "--class is required (see 'kubectl osb catalog' for the classes)".into(),
        ));
    }
    let params::Parsed {
        parameters,
        from_secrets,
        labels,
        annotations,
    } = args.params.parse(base)?;
    Ok(Request {
        class,
        plan,
        parameters,
        from_secrets,
        labels,
        annotations,
    })
}

fn instaclustr_payload(path: &str, api: osb::instaclustr::Api) -> Result<Value> {
    let (text, source) = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        (s, "stdin".to_string())
    } else {
        (
            std::fs::read_to_string(path)
                .map_err(|e| Error::Input(format!("reading {path}: {e}")))?,
            path.to_string(),
        )
    };
    let payload = osb::instaclustr::parse_payload(&text, &source, &Default::default())
        .map_err(|d| Error::Input(d.to_string()))?;
    let checked = osb::instaclustr::check(&payload.value, api);
    if let Some(note) = &checked.detected.note {
        eprintln!("note: {source}: {note}");
    }
    let mut errors = Vec::new();
    for f in checked.findings {
        let at = if f.pointer.is_empty() {
            "(document)".to_string()
        } else {
            f.pointer.clone()
        };
        let line = format!("{source}: {at}: {}", f.message);
        match f.severity {
            osb::instaclustr::Severity::Error => errors.push(line),
            osb::instaclustr::Severity::Warning => eprintln!("warning: {line}"),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(format!(
            "the Instaclustr payload is not valid:\n  {}",
            errors.join("\n  ")
        )));
    }
    Ok(payload.value)
}

/// The desired ServiceInstance.
fn build(
    args: &Args,
    ns: &str,
    class: &osb::offerings::Class,
    plan: &osb::offerings::Plan,
    req: &Request,
) -> ServiceInstance {
    let namespaced = class.namespace.is_some();
    let mut spec = ServiceInstanceSpec::default();
    if namespaced {
        spec.service_class_external_name = Some(class.external_name.clone());
        spec.service_plan_external_name = Some(plan.external_name.clone());
    } else {
        spec.cluster_service_class_external_name = Some(class.external_name.clone());
        spec.cluster_service_plan_external_name = Some(plan.external_name.clone());
    }
    if !req.parameters.is_empty() {
        spec.parameters = Some(Value::Object(req.parameters.clone()));
    }
    if !req.from_secrets.is_empty() {
        spec.parameters_from = Some(
            req.from_secrets
                .iter()
                .map(|(name, key)| ParametersFromSource {
                    secret_key_ref: Some(SecretKeyReference {
                        name: name.clone(),
                        key: key.clone(),
                    }),
                })
                .collect(),
        );
    }
    let mut si = ServiceInstance::new(&args.name, spec);
    si.metadata.namespace = Some(ns.to_string());
    if !req.labels.is_empty() {
        si.metadata.labels = Some(req.labels.clone());
    }
    if !req.annotations.is_empty() {
        si.metadata.annotations = Some(req.annotations.clone());
    }
    si
}

/// Paths where two JSON values differ (`prefix.key`), for the "differs" error.
fn diff_paths(prefix: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                diff_paths(&format!("{prefix}.{k}"), va, vb, out);
            }
        }
        (a, b) if a != b => out.push(prefix.to_string()),
        _ => {}
    }
}

fn short(v: Option<&str>) -> String {
    v.map(|s| format!("{s:?}"))
        .unwrap_or_else(|| "<none>".into())
}

/// The differences between an existing instance and the desired one, as field descriptions.
fn differences(existing: &ServiceInstance, want: &ServiceInstance) -> Vec<String> {
    let (e, w) = (&existing.spec, &want.spec);
    let mut out = Vec::new();
    let class_field = if w.service_class_external_name.is_some() {
        "spec.serviceClassExternalName"
    } else {
        "spec.clusterServiceClassExternalName"
    };
    if existing.class_display_name() != want.class_display_name() {
        out.push(format!(
            "{class_field} ({} → {})",
            short(existing.class_display_name()),
            short(want.class_display_name())
        ));
    }
    if existing.plan_display_name() != want.plan_display_name() {
        let plan_field = class_field.replace("Class", "Plan");
        out.push(format!(
            "{plan_field} ({} → {})",
            short(existing.plan_display_name()),
            short(want.plan_display_name())
        ));
    }
    let empty = Value::Object(Map::new());
    let mut p = Vec::new();
    diff_paths(
        "spec.parameters",
        e.parameters.as_ref().unwrap_or(&empty),
        w.parameters.as_ref().unwrap_or(&empty),
        &mut p,
    );
    out.extend(p);
    if e.parameters_from.clone().unwrap_or_default()
        != w.parameters_from.clone().unwrap_or_default()
    {
        out.push("spec.parametersFrom".into());
    }
    for (what, have, want) in [
        (
            "metadata.labels",
            existing.metadata.labels.as_ref(),
            want.metadata.labels.as_ref(),
        ),
        (
            "metadata.annotations",
            existing.metadata.annotations.as_ref(),
            want.metadata.annotations.as_ref(),
        ),
    ] {
        for (k, v) in want.into_iter().flatten() {
            if have.and_then(|h| h.get(k)) != Some(v) {
                out.push(format!("{what}.{k}"));
            }
        }
    }
    out
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let dry_run = args.write.dry_run();
    let format = args.write.object_output()?;
    let req = offline(&args)?;
    let kube = args.kube.connect().await?;
    let ns = kube.namespace.clone();
    let class_name = req.class.as_deref().unwrap_or_default();
    let offerings = Offerings::for_class(&kube.client, &ns, class_name, kube.chunk_size).await?;
    let class = offerings.class(class_name)?;
    let plan = match req.plan.as_deref() {
        Some(p) => offerings.plan(class, p)?,
        None => {
            let plans: Vec<_> = offerings.plans_of(class).collect();
            match plans.as_slice() {
                [one] => *one,
                _ => {
                    return Err(Error::Input(format!(
                        "--plan is required: class {:?} has plans {}",
                        class.external_name,
                        plans
                            .iter()
                            .map(|p| p.external_name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
    };
    if class.removed || plan.removed {
        return Err(Error::Input(format!(
            "class {:?} plan {:?} was removed from the broker's catalog; new instances cannot use it",
            class.external_name, plan.external_name
        )));
    }
    let secret_params =
        params::check_from_secrets(&kube.client, &ns, &req.from_secrets, &req.parameters).await?;
    let target = schema::Target {
        plan: format!("{}/{}", class.external_name, plan.external_name),
        plan_object: &plan.object,
        skip: args.params.skip_schema_check,
    };
    let check = |which| schema::enforce(&target, which, &req.parameters, &secret_params);
    let want = build(&args, &ns, class, plan, &req);
    let mut out = std::io::stdout().lock();

    if dry_run == DryRun::Client {
        check(if args.update {
            Which::InstanceUpdate
        } else {
            Which::InstanceCreate
        })?;
        let v = output::to_value(&want);
        output::print_objects(&mut out, format.unwrap_or(Format::Yaml), &[v])?;
        return Ok(());
    }

    let api: Api<ServiceInstance> = Api::namespaced(kube.client.clone(), &ns);
    let pp = PostParams {
        dry_run: dry_run == DryRun::Server,
        ..Default::default()
    };
    // A create that loses the race to an identical run answers from the object that won, as below.
    let found = match api.get_opt(&args.name).await? {
        None => {
            check(Which::InstanceCreate)?;
            preflight(&kube.client, &ns, "create", args.write.waits()).await?;
            create::create_or_existing(&api, &pp, &want).await?
        }
        Some(existing) => Created::Existing(existing),
    };
    let (obj, verb) = match found {
        Created::New(obj) => (obj, "created"),
        Created::Existing(existing) => {
            if existing.metadata.deletion_timestamp.is_some() {
                return Err(Error::Input(format!(
                    "serviceinstance {:?} is being deleted ({}); wait until it is gone before provisioning it again",
                    args.name,
                    lifecycle::instance_verdict(&existing)
                )));
            }
            let diffs = differences(&existing, &want);
            if diffs.is_empty() {
                (existing, "unchanged")
            } else if !args.update {
                return Err(Error::Input(format!(
                    "serviceinstance {:?} already exists with a different spec: {}\nUse --update to apply the change, or choose another name.",
                    args.name,
                    diffs.join(", ")
                )));
            } else {
                if existing.class_display_name() != want.class_display_name() {
                    return Err(Error::Input(format!(
                        "serviceinstance {:?}: the class cannot change ({} → {}); deprovision it and provision again",
                        args.name,
                        short(existing.class_display_name()),
                        short(want.class_display_name())
                    )));
                }
                if existing.plan_display_name() != want.plan_display_name() && !class.plan_updatable
                {
                    return Err(Error::Input(format!(
                        "serviceinstance {:?}: class {:?} does not allow plan changes",
                        args.name, class.external_name
                    )));
                }
                check(Which::InstanceUpdate)?;
                preflight(&kube.client, &ns, "update", args.write.waits()).await?;
                (update(&api, &pp, existing, &want).await?, "configured")
            }
        }
    };
    let v = output::to_value(&obj);
    match format {
        Some(f) => {
            output::print_objects(&mut out, f, &[v])?;
        }
        None => writeln!(
            out,
            "{}{}",
            format_args!("{} {verb}", output::name_of(&v)),
            dry_run.suffix()
        )?,
    }
    out.flush()?;
    drop(out);
    if args.write.waits() {
        let opts = args.write.wait_options(Goal::Ready, Vec::new());
        lifecycle::wait_for(
            &kube.client,
            Kind::ServiceInstance,
            &ns,
            std::slice::from_ref(&args.name),
            &opts,
            args.write.machine_output(),
        )
        .await?;
    }
    Ok(())
}

/// Before the write (`create` or `update`): every permission from it on, or nothing is changed.
async fn preflight(client: &Client, ns: &str, write: &'static str, wait: bool) -> Result<()> {
    let mut needs = vec![Need::instances(write, ns)];
    if wait {
        needs.extend([Need::instances("list", ns), Need::instances("watch", ns)]);
    }
    let action = format!(
        "kubectl osb provision{}{}",
        if write == "update" { " --update" } else { "" },
        if wait { " --wait" } else { "" }
    );
    rbac::preflight(client, &action, &needs).await
}

/// Apply the desired plan, parameters and metadata to an existing instance, bumping updateRequests.
async fn update(
    api: &Api<ServiceInstance>,
    pp: &PostParams,
    mut existing: ServiceInstance,
    want: &ServiceInstance,
) -> Result<ServiceInstance> {
    let s = &mut existing.spec;
    if want.spec.cluster_service_plan_external_name.is_some() {
        s.cluster_service_plan_external_name = want.spec.cluster_service_plan_external_name.clone();
        s.cluster_service_plan_external_id = None;
        s.cluster_service_plan_name = None;
    } else {
        s.service_plan_external_name = want.spec.service_plan_external_name.clone();
        s.service_plan_external_id = None;
        s.service_plan_name = None;
    }
    s.parameters = want.spec.parameters.clone();
    s.parameters_from = want.spec.parameters_from.clone();
    s.update_requests = Some(s.update_requests.unwrap_or(0) + 1);
    for (have, add) in [
        (&mut existing.metadata.labels, &want.metadata.labels),
        (
            &mut existing.metadata.annotations,
            &want.metadata.annotations,
        ),
    ] {
        if let Some(add) = add {
            have.get_or_insert_with(Default::default)
                .extend(add.clone());
        }
    }
    existing.status = None;
    let name = existing.name_any();
    Ok(api.replace(&name, pp, &existing).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_name_plan_parameters_and_labels() {
        let mut a = ServiceInstance::new(
            "db",
            ServiceInstanceSpec {
                cluster_service_class_external_name: Some("cassandra".into()),
                cluster_service_plan_external_name: Some("developer".into()),
                parameters: Some(json!({"n": 1, "keep": {"x": 1}})),
                ..Default::default()
            },
        );
        let mut b = a.clone();
        assert!(differences(&a, &b).is_empty());
        b.spec.cluster_service_plan_external_name = Some("production-small".into());
        b.spec.parameters = Some(json!({"n": 2, "keep": {"x": 1}, "new": true}));
        b.metadata.labels = Some([("team".to_string(), "a".to_string())].into());
        let d = differences(&a, &b);
        assert_eq!(
            d,
            [
                "spec.clusterServicePlanExternalName (\"developer\" → \"production-small\")",
                "spec.parameters.n",
                "spec.parameters.new",
                "metadata.labels.team"
            ]
        );
        // Labels the user did not ask about do not count.
        a.metadata.labels = Some([("other".to_string(), "x".to_string())].into());
        b = a.clone();
        b.metadata.labels = None;
        assert!(differences(&a, &b).is_empty());
    }
}
