//! Creating an object idempotently when several runs race for the same name.
//!
//! `provision` and `bind` read the object first and create it only when it is absent. Between that read
//! and the create another run may create it; the API server then refuses ours with `AlreadyExists` (409).
//! [`create_or_existing`] turns that refusal into the object that won, so that the verb answers exactly
//! as its sequential "already exists" path does: `unchanged`, or the fields that differ.

use std::fmt::Debug;

use kube::api::PostParams;
use kube::{Api, Resource, ResourceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Result;

/// How many times a create is tried again when its name was taken but the object is gone again by the
/// time it is read (deleted in between).
const RETRIES: usize = 3;

/// What [`create_or_existing`] ended with.
#[derive(Debug, Clone, PartialEq)]
pub enum Created<K> {
    /// Our create succeeded: the object as the server stored it.
    New(K),
    /// The name was already taken (another run created it first): the object that holds it.
    Existing(K),
}

/// True for the API server's answer to a create whose name is taken: 409 `AlreadyExists`.
pub fn is_already_exists(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 409 && s.reason == "AlreadyExists")
}

/// Create `want` (named by its metadata); when the name is already taken, read the object that holds it
/// and return it as [`Created::Existing`] for the caller's comparison. Any other error is returned as is.
pub async fn create_or_existing<K>(api: &Api<K>, pp: &PostParams, want: &K) -> Result<Created<K>>
where
    K: Resource + Clone + DeserializeOwned + Serialize + Debug,
{
    let name = want.name_any();
    let mut retries = 0;
    loop {
        match api.create(pp, want).await {
            Ok(obj) => return Ok(Created::New(obj)),
            Err(e) if is_already_exists(&e) && retries < RETRIES => {
                if let Some(existing) = api.get_opt(&name).await? {
                    return Ok(Created::Existing(existing));
                }
                retries += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::catalog::{ServiceInstance, ServiceInstanceSpec};

    use crate::fake_api::{fake, status};

    fn instance(param: i64) -> ServiceInstance {
        let mut si = ServiceInstance::new(
            "db",
            ServiceInstanceSpec {
                cluster_service_class_external_name: Some("cassandra".into()),
                cluster_service_plan_external_name: Some("developer".into()),
                parameters: Some(json!({ "a": param })),
                ..Default::default()
            },
        );
        si.metadata.namespace = Some("dev".into());
        si
    }

    fn stored(si: &ServiceInstance, uid: &str) -> Value {
        let mut v = serde_json::to_value(si).expect("json");
        v["metadata"]["uid"] = json!(uid);
        v
    }

    const PATH: &str = "/apis/servicecatalog.k8s.io/v1beta1/namespaces/dev/serviceinstances";

    #[tokio::test]
    async fn a_create_that_wins_returns_the_new_object() {
        let want = instance(1);
        let (client, seen) = fake(vec![(201, stored(&want, "mine"))]);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let got = create_or_existing(&api, &PostParams::default(), &want)
            .await
            .expect("created");
        assert!(matches!(got, Created::New(o) if o.metadata.uid.as_deref() == Some("mine")));
        assert_eq!(*seen.lock().expect("log"), [format!("POST {PATH}")]);
    }

    #[tokio::test]
    async fn a_create_that_loses_the_race_returns_the_object_that_won() {
        let winner = instance(2);
        let (client, seen) = fake(vec![
            (409, status(409, "AlreadyExists")),
            (200, stored(&winner, "theirs")),
        ]);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let got = create_or_existing(&api, &PostParams::default(), &instance(1))
            .await
            .expect("the existing object, not AlreadyExists");
        match got {
            Created::Existing(o) => {
                assert_eq!(o.metadata.uid.as_deref(), Some("theirs"));
                assert_eq!(o.spec.parameters, Some(json!({"a": 2})));
            }
            other => panic!("expected the existing object, got {other:?}"),
        }
        assert_eq!(
            *seen.lock().expect("log"),
            [format!("POST {PATH}"), format!("GET {PATH}/db")]
        );
    }

    #[tokio::test]
    async fn a_winner_deleted_before_it_is_read_lets_the_create_be_tried_again() {
        let want = instance(1);
        let (client, seen) = fake(vec![
            (409, status(409, "AlreadyExists")),
            (404, status(404, "NotFound")),
            (201, stored(&want, "mine")),
        ]);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let got = create_or_existing(&api, &PostParams::default(), &want)
            .await
            .expect("created on the second try");
        assert!(matches!(got, Created::New(_)));
        assert_eq!(seen.lock().expect("log").len(), 3);
    }

    #[tokio::test]
    async fn other_refusals_are_errors_and_a_name_that_never_settles_gives_up() {
        let (client, _) = fake(vec![(422, status(422, "Invalid"))]);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let e = create_or_existing(&api, &PostParams::default(), &instance(1))
            .await
            .expect_err("invalid");
        assert!(e.to_string().contains("Invalid (test)"), "{e}");

        // A 409 that is a conflict, not a taken name, is not answered with a read.
        let (client, seen) = fake(vec![(409, status(409, "Conflict"))]);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        create_or_existing(&api, &PostParams::default(), &instance(1))
            .await
            .expect_err("conflict");
        assert_eq!(seen.lock().expect("log").len(), 1);

        let mut script = Vec::new();
        for _ in 0..RETRIES {
            script.push((409, status(409, "AlreadyExists")));
            script.push((404, status(404, "NotFound")));
        }
        script.push((409, status(409, "AlreadyExists")));
        let (client, seen) = fake(script);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let e = create_or_existing(&api, &PostParams::default(), &instance(1))
            .await
            .expect_err("gives up");
        assert!(e.to_string().contains("AlreadyExists (test)"), "{e}");
        assert_eq!(seen.lock().expect("log").len(), 2 * RETRIES + 1);
    }
}
