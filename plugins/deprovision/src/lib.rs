//! `kubectl osb deprovision NAME`: delete a ServiceInstance so the broker deprovisions it.
//!
//! The catalog will not deprovision an instance while bindings point at it
//! (`DeprovisionBlockedByExistingCredentials`, retried for days). So before deleting anything this verb
//! lists those bindings: without `--unbind` it names them and stops (exit 1, nothing deleted); with
//! `--unbind` it deletes them, waits until they are gone, then deletes the instance.
//! `--wait` waits until the instance is gone, and ends (exit 3) on a blocked deprovision or one the catalog
//! gave up on (`deprovisionStatus: Failed`) instead of hanging. A deprovision the broker refuses is retried
//! by the catalog (`DeprovisionCallFailed`, until `--reconciliation-retry-duration`): reported as a warning
//! while waiting, terminal only with `--fail-on DeprovisionCallFailed`.

use std::io::Write;

use clap::Parser;
use kube::api::DeleteParams;
use kube::{Api, ResourceExt};
use osb::catalog::{ServiceBinding, ServiceInstance};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::flags::{DeleteFlags, DryRun};
use osb::lifecycle;
use osb::output::Format;
use osb::rbac::{self, Need};
use osb::wait::{Goal, Kind};

/// Deprovision (delete) a service instance.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-osb-deprovision",
    bin_name = "kubectl osb deprovision",
    version
)]
#[command(after_help = "Examples:
  # Delete instance db and wait until the broker has deprovisioned it
  kubectl osb deprovision db --wait

  # Remove its bindings first (waiting for them), then deprovision
  kubectl osb deprovision db --unbind --wait

Exit codes: 0 deleted (and gone with --wait), 1 error (e.g. bindings block it; nothing deleted),
3 the deprovision is blocked or failed for good (with --wait), 4 timed out.")]
#[command(mut_arg("dry_run", |a| a.help("\"client\" prints what would be deleted; \"server\" has the API server check the delete")))]
#[command(mut_arg("wait", |a| a.help("Wait until the instance is gone (exit 3 if the deprovision is blocked or fails for good, 4 on timeout)")))]
#[command(mut_arg("timeout", |a| a.help("How long --wait (and the unbind of --unbind) waits (0: check once, do not wait)")))]
#[command(mut_arg("output", |a| a.help("Output: name prints kind/name lines; json or yaml the deleted objects as one document")))]
#[command(mut_arg("ignore_not_found", |a| a.help("Treat an instance that does not exist as already deleted")))]
pub struct Args {
    /// Name of the ServiceInstance
    #[arg(add = Complete::Instances)]
    pub name: String,
    /// Delete the instance's bindings first and wait until they are gone
    #[arg(long)]
    pub unbind: bool,
    #[command(flatten)]
    pub delete: DeleteFlags,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let dry_run = args.delete.write.dry_run();
    let format = args.delete.write.object_output()?;
    lifecycle::check_name("instance", &args.name)?;
    let kube = args.kube.connect().await?;
    let ns = kube.namespace.clone();
    let client = &kube.client;
    let api: Api<ServiceInstance> = Api::namespaced(client.clone(), &ns);
    let Some(si) = api.get_opt(&args.name).await? else {
        if args.delete.ignore_not_found {
            return Ok(());
        }
        return Err(Kind::ServiceInstance.not_found(&args.name));
    };
    let bindings: Vec<String> = lifecycle::bindings_of(client, &ns, &args.name)
        .await?
        .iter()
        .map(|b| b.name_any())
        .collect();
    // Every permission from the first delete on, or nothing is deleted (with bindings and no --unbind,
    // nothing is: the verb stops below).
    let unbinding = args.unbind && !bindings.is_empty();
    let deletes = si.metadata.deletion_timestamp.is_none();
    if dry_run == DryRun::None && (bindings.is_empty() || args.unbind) && (deletes || unbinding) {
        let mut needs = Vec::new();
        if unbinding {
            needs.extend(["delete", "get", "list", "watch"].map(|v| Need::bindings(v, &ns)));
        }
        if deletes {
            needs.push(Need::instances("delete", &ns).named(&args.name));
        }
        if args.delete.write.waits() {
            needs.extend([Need::instances("list", &ns), Need::instances("watch", &ns)]);
        }
        let action = format!(
            "kubectl osb deprovision{}{}",
            if args.unbind { " --unbind" } else { "" },
            if args.delete.write.waits() {
                " --wait"
            } else {
                ""
            }
        );
        rbac::preflight(client, &action, &needs).await?;
    }
    let mut out = std::io::stdout().lock();
    let mut objects = Vec::new();
    if !bindings.is_empty() {
        if !args.unbind {
            return Err(Error::Input(format!(
                "serviceinstance {:?} has {} binding(s): {}. The catalog does not deprovision an instance while \
                 bindings exist (it would wait with DeprovisionBlockedByExistingCredentials).\n\
                 Unbind them first ('kubectl osb unbind --instance {} --wait'), or repeat with --unbind. Nothing was deleted.",
                args.name,
                bindings.len(),
                bindings.join(", "),
                args.name
            )));
        }
        let sb_api: Api<ServiceBinding> = Api::namespaced(client.clone(), &ns);
        let deleted =
            lifecycle::delete_bindings(&sb_api, &bindings, dry_run, format, &mut objects).await?;
        if dry_run == DryRun::None && !deleted.is_empty() {
            let opts = args.delete.write.wait_options(Goal::Deleted, vec![]);
            lifecycle::wait_for(client, Kind::ServiceBinding, &ns, &deleted, &opts, true).await?;
        }
    }
    let mut after = si.clone();
    if si.metadata.deletion_timestamp.is_none() && dry_run != DryRun::Client {
        let dp = DeleteParams {
            dry_run: dry_run == DryRun::Server,
            ..Default::default()
        };
        match api.delete(&args.name, &dp).await {
            Ok(either) => {
                if let Some(obj) = either.left() {
                    after = obj;
                }
            }
            Err(kube::Error::Api(s)) if s.code == 404 => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
    let line = format!("serviceinstance.{}/{}", osb::catalog::GROUP, args.name);
    match format {
        Some(Format::Name) => writeln!(out, "{line}")?,
        Some(f) => {
            objects.push(osb::output::to_value(&after));
            osb::output::print_objects(&mut out, f, &objects)?;
        }
        None => writeln!(out, "{line} deleted{}", dry_run.suffix())?,
    }
    out.flush()?;
    drop(out);
    if args.delete.write.waits() {
        let fail_on = vec!["DeprovisionBlockedByExistingCredentials".to_string()];
        let opts = args.delete.write.wait_options(Goal::Deleted, fail_on);
        lifecycle::wait_for(
            client,
            Kind::ServiceInstance,
            &ns,
            std::slice::from_ref(&args.name),
            &opts,
            true,
        )
        .await?;
    }
    Ok(())
}
