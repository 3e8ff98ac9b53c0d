//! What the lifecycle verbs (`provision`, `bind`, `unbind`, `deprovision`, `describe`, `get`) share:
//! name validation, `--dry-run`, the bindings of an instance, a one-line verdict per object, and waiting
//! through [`crate::wait`].

use std::time::Duration;

use std::io::Write;

use kube::api::{DeleteParams, ListParams};
use kube::{Api, Client, ResourceExt};

use crate::catalog::{ServiceBinding, ServiceInstance};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::wait::{Goal, Kind, Target, WaitOptions};

/// A Kubernetes object name: a DNS-1123 subdomain (lower-case letters, digits, `-` and `.`, at most 253
/// characters, starting and ending with a letter or digit).
pub fn check_name(what: &str, name: &str) -> Result<()> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !name.is_empty() && name.len() <= 253 && name.split('.').all(label_ok) {
        return Ok(());
    }
    Err(Error::Input(format!(
        "invalid {what} name {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric \
         characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'my-db')"
    )))
}

pub use crate::flags::DryRun;

/// The bindings in `namespace` whose `spec.instanceRef.name` is `instance`, by name.
pub async fn bindings_of(
    client: &Client,
    namespace: &str,
    instance: &str,
) -> Result<Vec<ServiceBinding>> {
    let api: Api<ServiceBinding> = Api::namespaced(client.clone(), namespace);
    // Bindings carry no label for their instance, and CRDs take no field selector on spec: read the
    // namespace's bindings page by page and keep the instance's.
    let mut pages =
        crate::list::Pages::new(api, ListParams::default(), crate::list::DEFAULT_CHUNK_SIZE);
    let mut list = Vec::new();
    while let Some(page) = pages.next().await? {
        list.extend(
            page.into_iter()
                .filter(|b| b.spec.instance_ref.name == instance),
        );
    }
    list.sort_by_key(|b| b.name_any());
    Ok(list)
}

fn since(ts: Option<&str>) -> Option<String> {
    let t = ts?.parse::<jiff::Timestamp>().ok()?;
    let secs = jiff::Timestamp::now().duration_since(t).as_secs().max(0) as u64;
    Some(crate::duration::human(Duration::from_secs(secs)))
}

/// One line on where an instance stands (`Ready`, `Provisioning 3m12s`, `Failed: reason`,
/// `Deprovisioning`, `Orphaned? …`, `Retrying: reason`, `Pending: not yet observed…`), from the judge
/// the wait engine uses too ([`crate::state`]).
pub fn instance_verdict(si: &ServiceInstance) -> String {
    let st = crate::state::judge(Kind::ServiceInstance, &crate::output::to_value(si));
    let elapsed = since(
        si.status
            .as_ref()
            .and_then(|s| s.operation_start_time.as_deref()),
    );
    st.verdict(Kind::ServiceInstance, elapsed.as_deref())
}

/// The verdict with what happens next, for `describe`'s Status line: `Retrying: ProvisionCallFailed —
/// the broker refused or failed the provision; …; next attempt in 42s (03:01:50 UTC)` (the next attempt
/// from the object's latest `RetryBackoff` event, while it is ahead).
pub fn status_line(
    kind: Kind,
    verdict: String,
    obj: &serde_json::Value,
    events: &[k8s_openapi::api::core::v1::Event],
) -> String {
    let st = crate::state::judge(kind, obj);
    let mut line = verdict;
    if let Some(next) = st.next_step(kind) {
        line = format!("{line} — {next}");
    }
    if matches!(
        st.phase,
        crate::state::Phase::Retrying
            | crate::state::Phase::InProgress
            | crate::state::Phase::Pending
    ) && let Some(when) = crate::events::next_attempt(events)
    {
        line.push_str(&format!("; next attempt {when}"));
    }
    line
}

/// One line on where a binding stands.
pub fn binding_verdict(sb: &ServiceBinding) -> String {
    crate::state::judge(Kind::ServiceBinding, &crate::output::to_value(sb))
        .verdict(Kind::ServiceBinding, None)
}

/// Wait for `names` of `kind` in `namespace` and print kubectl-style `condition met` lines: to stdout,
/// or to stderr when stdout is reserved for objects (`to_stderr`, see [`crate::flags::WriteFlags`]).
pub async fn wait_for(
    client: &Client,
    kind: Kind,
    namespace: &str,
    names: &[String],
    opts: &WaitOptions,
    to_stderr: bool,
) -> Result<()> {
    let targets = names
        .iter()
        .map(|n| Target {
            kind,
            namespace: Some(namespace.to_string()),
            name: n.clone(),
        })
        .collect();
    if opts.goal == Goal::Deleted {
        // The verb already printed `… deleted`, as `kubectl delete` does; it returns once the objects
        // are gone (failures and timeouts still end it with their exit codes).
        return crate::wait::run(client, targets, opts, &mut std::io::sink(), Format::Table).await;
    }
    if to_stderr {
        crate::wait::run(client, targets, opts, &mut std::io::stderr(), Format::Table).await
    } else {
        crate::wait::run(client, targets, opts, &mut std::io::stdout(), Format::Table).await
    }
}

/// How long [`delete_bindings`] gives the controller to initialise a new binding's status.
const BINDING_INIT_GRACE: Duration = Duration::from_secs(30);

/// Wait (at most until `deadline`) until the controller has initialised binding `name`'s status
/// (`status.unbindStatus` set). The catalog v0.3.1 never finishes deleting a binding deleted before that:
/// the status it then writes has no `unbindStatus`, its webhook refuses it, and the binding keeps its
/// finalizer for ever. A binding that is gone or already being deleted is left as it is.
async fn await_binding_initialised(
    api: &Api<ServiceBinding>,
    name: &str,
    deadline: tokio::time::Instant,
) -> Result<()> {
    loop {
        match api.get_opt(name).await? {
            Some(sb)
                if sb.unbind_status().is_empty()
                    && sb.metadata.deletion_timestamp.is_none()
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            _ => return Ok(()),
        }
    }
}

/// Delete the named bindings, printing kubectl's `deleted` lines (or, for `-o name`, the names); for
/// `-o json|yaml` the deleted objects are added to `objects` instead, for the caller to print as one
/// document. Returns the names deleted. A binding the controller has not initialised yet is deleted once
/// it has (see [`await_binding_initialised`]).
pub async fn delete_bindings(
    api: &Api<ServiceBinding>,
    names: &[String],
    dry_run: DryRun,
    format: Option<Format>,
    objects: &mut Vec<serde_json::Value>,
) -> Result<Vec<String>> {
    let mut out = std::io::stdout().lock();
    let mut deleted = Vec::new();
    let deadline = tokio::time::Instant::now() + BINDING_INIT_GRACE;
    for n in names {
        if dry_run == DryRun::None {
            await_binding_initialised(api, n, deadline).await?;
        }
        let obj = if dry_run == DryRun::Client {
            match api.get_opt(n).await? {
                Some(sb) => Some(sb),
                None => continue,
            }
        } else {
            let dp = DeleteParams {
                dry_run: dry_run == DryRun::Server,
                ..Default::default()
            };
            match api.delete(n, &dp).await {
                Ok(either) => either.left(),
                Err(kube::Error::Api(s)) if s.code == 404 => continue,
                Err(e) => return Err(e.into()),
            }
        };
        deleted.push(n.clone());
        let line = format!("servicebinding.{}/{n}", crate::catalog::GROUP);
        match format {
            Some(Format::Name) => writeln!(out, "{line}")?,
            Some(Format::Json | Format::Yaml) => {
                objects.push(match obj {
                    Some(sb) => crate::output::to_value(&sb),
                    None => serde_json::json!({"apiVersion": crate::catalog::API_VERSION, "kind": "ServiceBinding", "metadata": {"name": n}}),
                });
            }
            _ => writeln!(out, "{line} deleted{}", dry_run.suffix())?,
        }
    }
    out.flush()?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{
        Condition, ServiceBindingStatus, ServiceInstanceSpec, ServiceInstanceStatus,
    };

    #[test]
    fn names_follow_dns_1123() {
        for ok in ["db", "my-db", "a.b", "db1", "1db"] {
            check_name("instance", ok).expect(ok);
        }
        for bad in ["", "My_DB", "-db", "db-", "a..b", "DB", &"a".repeat(254)] {
            assert!(check_name("instance", bad).is_err(), "{bad}");
        }
    }

    fn cond(t: &str, s: &str, r: &str) -> Condition {
        Condition::new(t, s, r)
    }

    fn deleting_now(meta: &mut kube::api::ObjectMeta) {
        meta.deletion_timestamp = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
            jiff::Timestamp::now(),
        ));
    }

    #[test]
    fn verdicts_name_the_state_in_one_line() {
        let mut si = ServiceInstance::new("db", ServiceInstanceSpec::default());
        // No status at all: no controller has looked at it (yet).
        assert_eq!(
            instance_verdict(&si),
            "Pending: not yet observed by a controller"
        );
        si.status = Some(ServiceInstanceStatus {
            conditions: Some(vec![cond("Ready", "False", "Provisioning")]),
            current_operation: Some("Provision".into()),
            async_op_in_progress: Some(true),
            ..Default::default()
        });
        assert_eq!(instance_verdict(&si), "Provisioning");
        si.status = Some(ServiceInstanceStatus {
            conditions: Some(vec![
                cond("Ready", "False", "ProvisionCallFailed"),
                cond("Failed", "True", "ClusterServiceBrokerReturnedFailure"),
            ]),
            ..Default::default()
        });
        assert_eq!(
            instance_verdict(&si),
            "Failed: ClusterServiceBrokerReturnedFailure"
        );
        si.status = Some(ServiceInstanceStatus {
            conditions: Some(vec![cond(
                "Ready",
                "False",
                "ReferencesNonexistentServicePlan",
            )]),
            ..Default::default()
        });
        assert_eq!(
            instance_verdict(&si),
            "Retrying: ReferencesNonexistentServicePlan"
        );
        deleting_now(&mut si.metadata);
        si.status = Some(ServiceInstanceStatus {
            conditions: Some(vec![cond("Ready", "Unknown", "DeprovisionCallFailed")]),
            deprovision_status: Some("Failed".into()),
            ..Default::default()
        });
        assert!(instance_verdict(&si).starts_with("Orphaned?"));
    }

    #[test]
    fn a_binding_whose_unbind_is_retried_says_so_and_one_given_up_on_is_an_orphan() {
        let mut sb = ServiceBinding::new("b", Default::default());
        deleting_now(&mut sb.metadata);
        sb.status = Some(ServiceBindingStatus {
            conditions: Some(vec![cond("Ready", "Unknown", "UnbindCallFailed")]),
            unbind_status: Some("Required".into()),
            ..Default::default()
        });
        assert_eq!(
            binding_verdict(&sb),
            "Unbinding (retrying: the broker failed the unbind)"
        );
        sb.status = Some(ServiceBindingStatus {
            unbind_status: Some("Failed".into()),
            ..Default::default()
        });
        assert!(binding_verdict(&sb).starts_with("Orphaned?"));
    }
}
