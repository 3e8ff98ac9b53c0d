//! `kubectl osb unbind NAME… | --instance INSTANCE`: delete bindings (the catalog then deletes their
//! Secrets and tells the broker), optionally waiting until they are gone.
//!
//! `--instance` finds the bindings by `spec.instanceRef.name` without reading the instance, so it also
//! works when the instance is already gone (svcat's failure in issues #2407/#2610).

use std::time::Duration;

use clap::Parser;
use kube::{Api, ResourceExt};
use osb::catalog::ServiceBinding;
use osb::client::KubeArgs;
use osb::error::{Error, Result};
use osb::lifecycle::{self, DryRun};
use osb::output::Format;
use osb::wait::{Goal, Kind};

/// Delete service bindings, by name or every binding of an instance.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-unbind", bin_name = "kubectl osb unbind", version)]
#[command(after_help = "Examples:
  # One binding, waiting until the broker has removed the credentials
  kubectl osb unbind db-app --wait

  # Every binding of instance db
  kubectl osb unbind --instance db --wait

Exit codes: 0 deleted (and gone with --wait), 1 error, 3 the unbind failed for good (with --wait), 4 timed out.")]
pub struct Args {
    /// Names of the ServiceBindings to delete
    #[arg(
        value_name = "NAME",
        required_unless_present = "instance",
        conflicts_with = "instance"
    )]
    pub names: Vec<String>,
    /// Delete every binding of this ServiceInstance
    #[arg(long, value_name = "INSTANCE")]
    pub instance: Option<String>,
    /// Treat a binding that does not exist as already deleted
    #[arg(long)]
    pub ignore_not_found: bool,
    /// "client" prints what would be deleted; "server" has the API server check the deletes
    #[arg(long, value_name = "STRATEGY", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub dry_run: Option<String>,
    /// Wait until the bindings are gone (exit 3 if an unbind fails, 4 on timeout)
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits
    #[arg(long, value_name = "DURATION", value_parser = osb::duration::parse, default_value = "10m")]
    pub timeout: Duration,
    /// Output: name prints only kind/name lines
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let dry_run = DryRun::parse(args.dry_run.as_deref())?;
    for n in &args.names {
        lifecycle::check_name("binding", n)?;
    }
    let kube = args.kube.connect().await?;
    let ns = kube.namespace.clone();
    let api: Api<ServiceBinding> = Api::namespaced(kube.client.clone(), &ns);
    let names: Vec<String> = match &args.instance {
        Some(instance) => {
            let found: Vec<String> = lifecycle::bindings_of(&kube.client, &ns, instance)
                .await?
                .iter()
                .map(|b| b.name_any())
                .collect();
            if found.is_empty() {
                eprintln!("No bindings of serviceinstance {instance:?} found in {ns} namespace.");
                return Ok(());
            }
            found
        }
        None => {
            // All names must exist before any is deleted.
            let mut present = Vec::new();
            for n in &args.names {
                match api.get_opt(n).await? {
                    Some(_) => present.push(n.clone()),
                    None if args.ignore_not_found => {}
                    None => {
                        return Err(Error::Input(format!(
                            "Error from server (NotFound): servicebindings.servicecatalog.k8s.io \"{n}\" not found"
                        )));
                    }
                }
            }
            present
        }
    };
    let deleted = lifecycle::delete_bindings(&api, &names, dry_run, args.output).await?;
    if args.wait && dry_run == DryRun::None && !deleted.is_empty() {
        // A refused unbind (UnbindCallFailed) is retried by the catalog: a warning, not the end.
        let opts = lifecycle::wait_options(Goal::Deleted, Some(args.timeout), vec![]);
        lifecycle::wait_for(&kube.client, Kind::ServiceBinding, &ns, &deleted, &opts).await?;
    }
    Ok(())
}
