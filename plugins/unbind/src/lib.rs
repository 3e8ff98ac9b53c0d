//! `kubectl osb unbind NAME… | --instance INSTANCE`: delete bindings (the catalog then deletes their
//! Secrets and tells the broker), optionally waiting until they are gone.
//!
//! `--instance` finds the bindings by `spec.instanceRef.name` without reading the instance, so it also
//! works when the instance is already gone (svcat's failure in issues #2407/#2610).

use clap::Parser;
use kube::{Api, ResourceExt};
use osb::catalog::ServiceBinding;
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::Result;
use osb::flags::{DeleteFlags, DryRun};
use osb::lifecycle;
use osb::output::{self, Format};
use osb::rbac::{self, Need};
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
#[command(mut_arg("dry_run", |a| a.help("\"client\" prints what would be deleted; \"server\" has the API server check the deletes")))]
#[command(mut_arg("wait", |a| a.help("Wait until the bindings are gone (exit 3 if an unbind fails for good, 4 on timeout)")))]
#[command(mut_arg("output", |a| a.help("Output: name prints kind/name lines; json or yaml the deleted bindings as one document")))]
#[command(mut_arg("ignore_not_found", |a| a.help("Treat a binding that does not exist as already deleted")))]
pub struct Args {
    /// Names of the ServiceBindings to delete
    #[arg(
        value_name = "NAME",
        required_unless_present = "instance",
        conflicts_with = "instance",
        add = Complete::Bindings,
    )]
    pub names: Vec<String>,
    /// Delete every binding of this ServiceInstance
    #[arg(long, value_name = "INSTANCE", add = Complete::Instances)]
    pub instance: Option<String>,
    #[command(flatten)]
    pub delete: DeleteFlags,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let dry_run = args.delete.write.dry_run();
    let format = args.delete.write.object_output()?;
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
                    None if args.delete.ignore_not_found => {}
                    None => {
                        return Err(Kind::ServiceBinding.not_found(n));
                    }
                }
            }
            present
        }
    };
    if dry_run == DryRun::None && !names.is_empty() {
        // Every permission from the first delete on, or nothing is deleted.
        let mut needs = vec![Need::bindings("delete", &ns), Need::bindings("get", &ns)];
        if args.delete.write.waits() {
            needs.extend([Need::bindings("list", &ns), Need::bindings("watch", &ns)]);
        }
        let action = format!(
            "kubectl osb unbind{}",
            if args.delete.write.waits() {
                " --wait"
            } else {
                ""
            }
        );
        rbac::preflight(&kube.client, &action, &needs).await?;
    }
    let mut objects = Vec::new();
    let deleted = lifecycle::delete_bindings(&api, &names, dry_run, format, &mut objects).await?;
    if let Some(f @ (Format::Json | Format::Yaml)) = format {
        output::print_objects(&mut std::io::stdout().lock(), f, &objects)?;
    }
    if args.delete.write.waits() && !deleted.is_empty() {
        // A refused unbind (UnbindCallFailed) is retried by the catalog: a warning, not the end.
        let opts = args.delete.write.wait_options(Goal::Deleted, vec![]);
        lifecycle::wait_for(
            &kube.client,
            Kind::ServiceBinding,
            &ns,
            &deleted,
            &opts,
            true,
        )
        .await?;
    }
    Ok(())
}
