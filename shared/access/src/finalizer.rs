//! Removing one finalizer from one object, safely: every other finalizer is kept, in order, and the write
//! is guarded by the `resourceVersion` that was read, so a concurrent writer is never overwritten.
//!
//! The write is a JSON merge patch carrying `metadata.resourceVersion`: the API server applies it only if the
//! object is still at that version, and answers `409 Conflict` otherwise. On a conflict the object is read
//! again (fresh GET) and the removal is recomputed, up to [`MAX_ATTEMPTS`] times. The object's UID is pinned:
//! if the name now belongs to a different object (deleted and recreated), nothing is written.
//!
//! [`Hook`] runs between each GET and its PATCH; production code passes [`NoHook`], tests use it to make a
//! real concurrent update happen at exactly that point.

use std::fmt::Debug;
use std::future::Future;

use kube::api::{Patch, PatchParams};
use kube::{Api, Resource, ResourceExt};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::{Error, Result};

/// How many GET+PATCH rounds are tried before giving up on conflicts.
pub const MAX_ATTEMPTS: u32 = 5;

/// Runs after each GET and before the PATCH built from it.
pub trait Hook {
    /// `attempt` counts from 1; `resource_version` is the version the PATCH will be guarded by.
    fn after_get(&mut self, attempt: u32, resource_version: &str) -> impl Future<Output = ()>;
}

/// The hook that does nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHook;

impl Hook for NoHook {
    async fn after_get(&mut self, _attempt: u32, _resource_version: &str) {}
}

/// What [`remove`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// True when the finalizer was present and the PATCH succeeded (or would have, on a dry run).
    pub removed: bool,
    /// How many PATCHes were refused with `409 Conflict` and retried.
    pub conflicts: u32,
    /// The finalizers before and after.
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// `finalizers` without every occurrence of `finalizer`, others kept in order; `None` when absent.
pub fn without(finalizers: &[String], finalizer: &str) -> Option<Vec<String>> {
    if !finalizers.iter().any(|f| f == finalizer) {
        return None;
    }
    Some(
        finalizers
            .iter()
            .filter(|f| *f != finalizer)
            .cloned()
            .collect(),
    )
}

/// The merge patch: the new finalizer list, guarded by the version it was computed from.
pub fn patch_body(remaining: &[String], resource_version: &str) -> Value {
    json!({"metadata": {"finalizers": remaining, "resourceVersion": resource_version}})
}

fn is_conflict(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 409)
}

/// Remove `finalizer` from the object `name` of `api`, which must still have UID `uid` (when given).
///
/// Returns `removed: false` when the finalizer is already absent. A 404 is returned as the API's error
/// (the caller decides whether "gone" is fine). `dry_run` sends the PATCH with `dryRun=All`.
pub async fn remove<K, H>(
    api: &Api<K>,
    name: &str,
    uid: Option<&str>,
    finalizer: &str,
    dry_run: bool,
    hook: &mut H,
) -> Result<Removal>
where
    K: Resource + Clone + DeserializeOwned + Debug,
    H: Hook,
{
    let mut conflicts = 0;
    let params = if dry_run {
        PatchParams::default().dry_run()
    } else {
        PatchParams::default()
    };
    for attempt in 1..=MAX_ATTEMPTS {
        let obj = api.get(name).await?;
        if let (Some(want), Some(have)) = (uid, obj.uid())
            && want != have
        {
            return Err(Error::Input(format!(
                "{name:?} was deleted and recreated (UID {want} is now {have}); not touching the new object"
            )));
        }
        let before = obj.finalizers().to_vec();
        let Some(after) = without(&before, finalizer) else {
            return Ok(Removal {
                removed: false,
                conflicts,
                after: before.clone(),
                before,
            });
        };
        let rv = obj.resource_version().unwrap_or_default();
        hook.after_get(attempt, &rv).await;
        match api
            .patch(name, &params, &Patch::Merge(patch_body(&after, &rv)))
            .await
        {
            Ok(_) => {
                return Ok(Removal {
                    removed: true,
                    conflicts,
                    before,
                    after,
                });
            }
            Err(e) if is_conflict(&e) => conflicts += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Other(anyhow::anyhow!(
        "could not remove finalizer {finalizer} from {name:?}: the object kept changing ({conflicts} conflicts in a row)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_the_named_finalizer_and_keeps_the_order_of_others() {
        let fins = ["z/first", "kubernetes-incubator/service-catalog", "a/last"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            without(&fins, "kubernetes-incubator/service-catalog"),
            Some(["z/first", "a/last"].map(String::from).to_vec())
        );
        assert_eq!(without(&fins, "other"), None);
        assert_eq!(
            without(["x", "x"].map(String::from).as_ref(), "x"),
            Some(vec![])
        );
    }

    #[test]
    fn the_patch_is_guarded_by_the_resource_version() {
        assert_eq!(
            patch_body(["a"].map(String::from).as_ref(), "42"),
            json!({"metadata": {"finalizers": ["a"], "resourceVersion": "42"}})
        );
        assert_eq!(
            patch_body(&[], "7")["metadata"]["finalizers"],
            json!([]),
            "an empty list, not null: the merge patch must replace the list"
        );
    }
}
