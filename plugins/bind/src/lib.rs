//! `kubectl osb bind NAME --instance INSTANCE`: create a ServiceBinding (credentials in a Secret), and
//! `kubectl osb bind env BINDING`: map those credentials into an application as environment variables
//! taken from the Secret by `secretKeyRef` (see [`env`]).
//!
//! Checked before anything is written: the name, the parameters, that the instance exists and is not
//! being deleted, that its plan is bindable, the merged parameters against the plan's binding schema
//! ([`osb::schema`]), and that the Secret name is not taken by something else.
//! Credentials are never printed unless `--show-credentials` asks for them.

pub mod env;

use std::io::Write;

use clap::{Parser, Subcommand, ValueEnum};
use k8s_openapi::api::core::v1::Secret;
use kube::api::PostParams;
use kube::{Api, Client, ResourceExt};
use osb::catalog::{
    LocalObjectReference, ParametersFromSource, SecretKeyReference, ServiceBinding,
    ServiceBindingSpec, ServiceInstance,
};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::create::{self, Created};
use osb::error::{Error, Result};
use osb::flags::{DryRun, WriteFlags};
use osb::lifecycle;
use osb::output::{self, Format};
use osb::params;
use osb::rbac::{self, Need};
use osb::schema::{self, Which};
use osb::wait::{Goal, Kind};
use serde_json::{Map, Value};

/// Bind to a service instance: the broker's credentials go to a Secret.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-bind", bin_name = "kubectl osb bind", version)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "Examples:
  # Bind to instance db; the Secret is named after the binding (db-app)
  kubectl osb bind db-app --instance db --wait

  # Wait, then print the credentials decoded (table, yaml, json or env)
  kubectl osb bind db-app --instance db --show-credentials
  kubectl osb bind db-app --instance db --show-credentials=env > db.env

  # Map the credentials into an application (values stay in the Secret):
  kubectl osb bind env db-app --prefix CASSANDRA_
  kubectl osb bind env db-app --env CASSANDRA_HOST=host,CASSANDRA_PORT=port --apply-to deployment/web
  kubectl osb bind env db-app --prefix CASSANDRA_ -f job.yaml | kubectl create -f -

A binding named \"env\" cannot be given as NAME; use --name env.

Exit codes: 0 created/unchanged/Ready, 1 error (nothing created), 3 Failed (with --wait), 4 timed out.")]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub bind: BindArgs,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Subcommands of `bind`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Map a binding's credentials into a workload's environment (secretKeyRef, never values)
    Env(env::EnvArgs),
}

/// Flags of `kubectl osb bind NAME`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("dry_run", |a| a.help("\"client\" prints the ServiceBinding without sending it; \"server\" has the API server check it")))]
#[command(mut_arg("wait", |a| a.help("Wait until the credentials are in the Secret (exit 3 if the bind fails, 4 on timeout)")))]
#[command(mut_arg("output", |a| a.help("Output format for the binding: yaml, json or name (--wait then reports on stderr)")))]
pub struct BindArgs {
    /// Name of the ServiceBinding (default: the instance's name)
    #[arg(value_name = "NAME", add = Complete::Nothing)]
    pub name: Option<String>,
    /// Name of the ServiceBinding (same as NAME)
    #[arg(long = "name", value_name = "NAME", conflicts_with = "name", add = Complete::Nothing)]
    pub name_flag: Option<String>,
    /// The ServiceInstance to bind to
    #[arg(long, value_name = "INSTANCE", required = true, add = Complete::Instances)]
    pub instance: Option<String>,
    /// Secret for the credentials (default: the binding's name)
    #[arg(long, value_name = "SECRET", add = Complete::Nothing)]
    pub secret_name: Option<String>,
    #[command(flatten)]
    pub params: params::ParamFlags,
    #[command(flatten)]
    pub write: WriteFlags,
    /// Wait, then print the credentials decoded (table, yaml, json or env); implies --wait
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, require_equals = true, default_missing_value = "table")]
    pub show_credentials: Option<CredFormat>,
}

/// How `--show-credentials` prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredFormat {
    Table,
    Yaml,
    Json,
    /// KEY=value lines (an env file)
    Env,
}

/// The annotation every binding `kubectl osb bind` creates carries (see where it is set).
pub const CREATED_BY: &str = "kubectl-osb.dev/created-by";

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    match args.command {
        Some(Command::Env(e)) => env::run(e, &args.kube).await,
        None => bind(args.bind, &args.kube).await,
    }
}

async fn bind(args: BindArgs, kube_args: &KubeArgs) -> Result<()> {
    let dry_run = args.write.dry_run();
    let format = args.write.object_output()?;
    // stdout carries only what was asked for: the object (-o) or machine-readable credentials; status
    // lines (`created`, `condition met`) then go to stderr.
    let status_to_stderr = args.write.machine_output()
        || matches!(
            args.show_credentials,
            Some(CredFormat::Yaml | CredFormat::Json | CredFormat::Env)
        );
    let instance = args.instance.clone().unwrap_or_default();
    let name = args
        .name
        .clone()
        .or(args.name_flag.clone())
        .unwrap_or_else(|| instance.clone());
    lifecycle::check_name("binding", &name)?;
    lifecycle::check_name("instance", &instance)?;
    if let Some(s) = &args.secret_name {
        lifecycle::check_name("secret", s)?;
    }
    let parsed = args.params.parse(None)?;
    let (parameters, from_secrets) = (parsed.parameters, parsed.from_secrets);

    let kube = kube_args.connect().await?;
    let ns = kube.namespace.clone();
    let client = &kube.client;
    let plan = check_instance(client, &ns, &instance, kube.chunk_size).await?;
    let secret_params = params::check_from_secrets(client, &ns, &from_secrets, &parameters).await?;
    match &plan {
        Some((name, object)) => schema::enforce(
            &schema::Target {
                plan: name.clone(),
                plan_object: object,
                skip: args.params.skip_schema_check,
            },
            Which::BindingCreate,
            &parameters,
            &secret_params,
        )?,
        None if !args.params.skip_schema_check => eprintln!(
            "note: the plan of serviceinstance {instance:?} is not in the catalog; the parameters are not checked against a schema"
        ),
        None => {}
    }

    let mut want = ServiceBinding::new(
        &name,
        ServiceBindingSpec {
            instance_ref: LocalObjectReference {
                name: instance.clone(),
            },
            parameters: (!parameters.is_empty()).then(|| Value::Object(parameters.clone())),
            parameters_from: (!from_secrets.is_empty()).then(|| {
                from_secrets
                    .iter()
                    .map(|(n, k)| ParametersFromSource {
                        secret_key_ref: Some(SecretKeyReference {
                            name: n.clone(),
                            key: k.clone(),
                        }),
                    })
                    .collect()
            }),
            secret_name: args.secret_name.clone(),
            ..Default::default()
        },
    );
    want.metadata.namespace = Some(ns.clone());
    if !parsed.labels.is_empty() {
        want.metadata.labels = Some(parsed.labels);
    }
    // Never an empty annotation map: the v0.3.1 controller crashes (a nil map write in
    // triggerServiceBindingReconciliation) when a binding without annotations waits for an instance
    // that then finishes provisioning. This annotation keeps the user's controller up.
    let mut annotations = parsed.annotations;
    annotations
        .entry(CREATED_BY.into())
        .or_insert_with(|| "kubectl osb bind".into());
    want.metadata.annotations = Some(annotations);
    let mut out = std::io::stdout().lock();
    if dry_run == DryRun::Client {
        let v = output::to_value(&want);
        output::print_objects(&mut out, format.unwrap_or(Format::Yaml), &[v])?;
        return Ok(());
    }

    let api: Api<ServiceBinding> = Api::namespaced(client.clone(), &ns);
    let found = match api.get_opt(&name).await? {
        Some(existing) => Created::Existing(existing),
        None => {
            let secret = args.secret_name.clone().unwrap_or_else(|| name.clone());
            check_secret_free(client, &ns, &secret, &name).await?;
            let pp = PostParams {
                dry_run: dry_run == DryRun::Server,
                ..Default::default()
            };
            if dry_run == DryRun::None {
                preflight(
                    client,
                    &ns,
                    &secret,
                    args.write.wait || args.show_credentials.is_some(),
                )
                .await?;
            }
            // A create that loses the race to an identical run answers from the object that won.
            create::create_or_existing(&api, &pp, &want).await?
        }
    };
    let (obj, verb) = match found {
        Created::Existing(existing) => {
            if existing.metadata.deletion_timestamp.is_some() {
                return Err(Error::Input(format!(
                    "servicebinding {name:?} is being deleted; wait until it is gone before binding again"
                )));
            }
            let diffs = differences(&existing, &want);
            if !diffs.is_empty() {
                return Err(Error::Input(format!(
                    "servicebinding {name:?} already exists with a different spec: {}\n\
                     A binding cannot be changed: unbind it ('kubectl osb unbind {name}') and bind again, or choose another name.",
                    diffs.join(", ")
                )));
            }
            (existing, "unchanged")
        }
        Created::New(obj) => (obj, "created"),
    };
    let v = output::to_value(&obj);
    match format {
        Some(f) => {
            output::print_objects(&mut out, f, &[v])?;
        }
        None if status_to_stderr => {
            eprintln!("{} {verb}{}", output::name_of(&v), dry_run.suffix())
        }
        None => writeln!(out, "{} {verb}{}", output::name_of(&v), dry_run.suffix())?,
    }
    out.flush()?;
    drop(out);
    if dry_run != DryRun::None || !(args.write.wait || args.show_credentials.is_some()) {
        return Ok(());
    }
    let opts = args.write.wait_options(Goal::Ready, Vec::new());
    lifecycle::wait_for(
        client,
        Kind::ServiceBinding,
        &ns,
        std::slice::from_ref(&name),
        &opts,
        status_to_stderr,
    )
    .await?;
    let sb = api.get(&name).await?;
    let secret_name = sb.secret_name();
    let secret: Api<Secret> = Api::namespaced(client.clone(), &ns);
    let secret = secret.get(&secret_name).await?;
    let data = osb::catalog::secret_data(&secret);
    let mut out = std::io::stdout().lock();
    match args.show_credentials {
        Some(f) => print_credentials(&mut out, f, &data)?,
        None => {
            let keys: Vec<&str> = data.iter().map(|(k, _)| k.as_str()).collect();
            eprintln!(
                "Credentials are in secret/{secret_name} (keys: {}); values not shown, use --show-credentials",
                keys.join(", ")
            );
        }
    }
    Ok(())
}

/// Before the create: every permission from it on (the wait, then the binding and its Secret read back),
/// or nothing is changed.
async fn preflight(client: &Client, ns: &str, secret: &str, wait: bool) -> Result<()> {
    let mut needs = vec![Need::bindings("create", ns)];
    if wait {
        needs.extend([
            Need::bindings("list", ns),
            Need::bindings("watch", ns),
            Need::bindings("get", ns),
            Need::secrets("get", ns).named(secret),
        ]);
    }
    let action = format!("kubectl osb bind{}", if wait { " --wait" } else { "" });
    rbac::preflight(client, &action, &needs).await
}

/// The instance must exist, not be going away, and have a bindable plan. Returns its plan (`class/plan`
/// and the plan object, for the schema check) when the catalog has it.
async fn check_instance(
    client: &Client,
    ns: &str,
    instance: &str,
    chunk: u32,
) -> Result<Option<(String, Value)>> {
    let api: Api<ServiceInstance> = Api::namespaced(client.clone(), ns);
    let si = api.get_opt(instance).await?.ok_or_else(|| {
        Error::Input(format!(
            "serviceinstance {instance:?} not found in namespace {ns:?}; provision it first ('kubectl osb provision {instance} --class … --plan …')"
        ))
    })?;
    if si.metadata.deletion_timestamp.is_some() {
        return Err(Error::Input(format!(
            "serviceinstance {instance:?} is being deleted; the catalog refuses new bindings to it"
        )));
    }
    if let (Some(class), Some(plan)) = (si.class_display_name(), si.plan_display_name()) {
        let offerings = osb::offerings::Offerings::for_class(client, ns, class, chunk).await?;
        if let Ok(c) = offerings.class(class)
            && let Ok(p) = offerings.plan(c, plan)
        {
            if !p.bindable {
                return Err(Error::Input(format!(
                    "serviceinstance {instance:?} cannot be bound: class {class:?} plan {plan:?} is not bindable"
                )));
            }
            return Ok(Some((
                format!("{}/{}", c.external_name, p.external_name),
                p.object.clone(),
            )));
        }
    }
    Ok(None)
}

/// A Secret of that name that the binding would not own makes the catalog retry forever.
async fn check_secret_free(client: &Client, ns: &str, secret: &str, binding: &str) -> Result<()> {
    let api: Api<Secret> = Api::namespaced(client.clone(), ns);
    if let Some(s) = api.get_opt(secret).await? {
        let owned = s
            .owner_references()
            .iter()
            .any(|o| o.kind == "ServiceBinding" && o.name == binding);
        if !owned {
            return Err(Error::Input(format!(
                "secret {secret:?} already exists and does not belong to binding {binding:?}; the catalog could not write \
                 the credentials there (ErrorInjectingBindResult). Choose another --secret-name."
            )));
        }
    }
    Ok(())
}

fn differences(existing: &ServiceBinding, want: &ServiceBinding) -> Vec<String> {
    let (e, w) = (&existing.spec, &want.spec);
    let mut out = Vec::new();
    if e.instance_ref.name != w.instance_ref.name {
        out.push(format!(
            "spec.instanceRef.name ({:?} → {:?})",
            e.instance_ref.name, w.instance_ref.name
        ));
    }
    if let Some(s) = &w.secret_name
        && existing.secret_name() != *s
    {
        out.push(format!(
            "spec.secretName ({:?} → {s:?})",
            existing.secret_name()
        ));
    }
    let empty = Value::Object(Map::new());
    if e.parameters.as_ref().unwrap_or(&empty) != w.parameters.as_ref().unwrap_or(&empty) {
        out.push("spec.parameters".into());
    }
    if e.parameters_from.clone().unwrap_or_default()
        != w.parameters_from.clone().unwrap_or_default()
    {
        out.push("spec.parametersFrom".into());
    }
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Print decoded credentials.
pub fn print_credentials(
    out: &mut impl Write,
    format: CredFormat,
    data: &[(String, Vec<u8>)],
) -> Result<()> {
    match format {
        CredFormat::Table => {
            let rows = data.iter().map(|(k, v)| vec![k.clone(), text(v)]).collect();
            write!(out, "{}", output::table(&["key", "value"], rows))?;
        }
        CredFormat::Yaml | CredFormat::Json => {
            let m: Map<String, Value> = data
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(text(v))))
                .collect();
            let v = Value::Object(m);
            if format == CredFormat::Json {
                out.write_all(output::json_string(&v).as_bytes())?;
            } else {
                out.write_all(osb::yaml::to_string(&v).as_bytes())?;
            }
        }
        CredFormat::Env => {
            for (k, v) in data {
                let value = text(v);
                let safe = !value.is_empty()
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.,:/@+=%".contains(c));
                let value = if safe || value.is_empty() {
                    value
                } else {
                    format!("'{}'", value.replace('\'', "'\\''"))
                };
                writeln!(out, "{}={value}", osb::mapping::env_name("", k))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_print_in_every_format() {
        let data = vec![
            ("host".to_string(), b"10.0.0.1".to_vec()),
            ("password".to_string(), b"p w'd".to_vec()),
        ];
        let mut t = Vec::new();
        print_credentials(&mut t, CredFormat::Table, &data).expect("table");
        assert_eq!(
            text(&t),
            "KEY        VALUE\nhost       10.0.0.1\npassword   p w'd\n"
        );
        let mut e = Vec::new();
        print_credentials(&mut e, CredFormat::Env, &data).expect("env");
        assert_eq!(text(&e), "HOST=10.0.0.1\nPASSWORD='p w'\\''d'\n");
        let mut j = Vec::new();
        print_credentials(&mut j, CredFormat::Json, &data).expect("json");
        assert!(text(&j).contains("\"password\": \"p w'd\""));
    }

    #[test]
    fn env_is_a_subcommand_and_other_names_are_bindings() {
        let a = Args::try_parse_from(["b", "env", "db-app", "--prefix", "C_"]).expect("env");
        assert!(matches!(a.command, Some(Command::Env(_))));
        let a = Args::try_parse_from(["b", "db-app", "--instance", "db"]).expect("bind");
        assert_eq!(a.bind.name.as_deref(), Some("db-app"));
        assert!(
            Args::try_parse_from(["b", "db-app"]).is_err(),
            "--instance is required"
        );
        let a =
            Args::try_parse_from(["b", "--name", "env", "--instance", "db"]).expect("named env");
        assert_eq!(a.bind.name_flag.as_deref(), Some("env"));
    }
}
