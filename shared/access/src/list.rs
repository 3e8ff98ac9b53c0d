//! One way to list, for every verb: paged like kubectl (`limit` + `continue`, `--chunk-size`, 500 objects
//! per request by default, 0 = one request), page by page so callers can print rows as they arrive and
//! hold one page at a time.
//!
//! A continue token expires when etcd compacts the revision the list started at (every 5 minutes by
//! default), so a slow reader of a long list gets `410 Gone`. kubectl then gives up. Here the list resumes
//! after the last object already handed out:
//! - with the token the API server puts in the 410 response (the rest of the list, read at a newer
//!   revision), or
//! - when it sends none, with a fresh list that skips every object up to the last key handed out
//!   (lists come sorted by their storage key, `namespace/name`).
//!
//! Either way a warning on stderr says that the list is no longer one consistent snapshot; no object is
//! handed out twice.

use std::fmt::Debug;

use kube::api::{Api, ListParams};
use kube::{Resource, ResourceExt};
use serde::de::DeserializeOwned;

use crate::error::Result;

/// kubectl's default `--chunk-size`.
pub const DEFAULT_CHUNK_SIZE: u32 = 500;

/// Restarts after expired tokens before the list gives up (each one means etcd compacted mid-list).
const MAX_RESUMES: usize = 5;

/// A list read one page at a time: `while let Some(page) = pages.next().await? { … }`.
pub struct Pages<K> {
    api: Api<K>,
    params: ListParams,
    chunk: u32,
    token: Option<String>,
    finished: bool,
    /// Storage key (`namespace/name`) of the last object handed out.
    last_key: Option<String>,
    /// After a restart without a token: skip objects up to `last_key`.
    skipping: bool,
    resumes: usize,
    requests: usize,
}

/// The key etcd sorts a list by: `namespace/name`, or `name` for cluster-scoped objects.
fn key<K: Resource>(o: &K) -> String {
    match o.meta().namespace.as_deref() {
        Some(ns) => format!("{ns}/{}", o.name_any()),
        None => o.name_any(),
    }
}

impl<K> Pages<K>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    /// Pages of `api` matching `params` (its selectors; limit and continue are set here), `chunk` objects
    /// per request (0 = everything in one).
    pub fn new(api: Api<K>, params: ListParams, chunk: u32) -> Self {
        Pages {
            api,
            params,
            chunk,
            token: None,
            finished: false,
            last_key: None,
            skipping: false,
            resumes: 0,
            requests: 0,
        }
    }

    /// List requests made so far.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// The next non-empty page, or `None` after the last one.
    pub async fn next(&mut self) -> Result<Option<Vec<K>>> {
        while !self.finished {
            let mut lp = self.params.clone();
            lp.limit = (self.chunk > 0).then_some(self.chunk);
            lp.continue_token = self.token.clone();
            self.requests += 1;
            let list = match self.api.list(&lp).await {
                Ok(list) => list,
                Err(kube::Error::Api(s)) if s.code == 410 && self.token.is_some() => {
                    self.resumes += 1;
                    if self.resumes > MAX_RESUMES {
                        return Err(kube::Error::Api(s).into());
                    }
                    let fresh = s
                        .metadata
                        .as_ref()
                        .and_then(|m| m.continue_.clone())
                        .filter(|t| !t.is_empty());
                    self.skipping = fresh.is_none();
                    self.token = fresh;
                    eprintln!(
                        "Warning: the list outlived its snapshot (continue token expired); the rest is read as it is now, so objects created or deleted meanwhile may be missing or included"
                    );
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            self.token = list.metadata.continue_.filter(|t| !t.is_empty());
            self.finished = self.token.is_none();
            let mut items = list.items;
            if self.skipping {
                if let Some(last) = &self.last_key {
                    items.retain(|o| key(o).as_str() > last.as_str());
                }
                if !items.is_empty() {
                    self.skipping = false;
                }
            }
            if let Some(o) = items.last() {
                self.last_key = Some(key(o));
                return Ok(Some(items));
            }
        }
        Ok(None)
    }

    /// Every page, concatenated (for callers that need the whole list at once).
    pub async fn all(mut self) -> Result<Vec<K>> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await? {
            out.extend(page);
        }
        Ok(out)
    }
}

/// The API of a namespaced kind in `namespace`, or across every namespace with `None` (`-A`).
pub fn scoped<K>(client: &kube::Client, namespace: Option<&str>) -> Api<K>
where
    K: Resource<Scope = kube::core::NamespaceResourceScope, DynamicType = ()>,
{
    match namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    }
}

/// Every object of `api` matching `params`, read `chunk` at a time.
pub async fn all<K>(api: Api<K>, params: ListParams, chunk: u32) -> Result<Vec<K>>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    Pages::new(api, params, chunk).all().await
}

/// Every object of `api` matching `params`, each converted by `convert` as its page arrives (a page's
/// objects are dropped once converted, so only the conversions are held).
pub async fn map<K, T>(
    api: Api<K>,
    params: &ListParams,
    chunk: u32,
    mut convert: impl FnMut(&K) -> T,
) -> Result<Vec<T>>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    let mut pages = Pages::new(api, params.clone(), chunk);
    let mut out = Vec::new();
    while let Some(page) = pages.next().await? {
        out.extend(page.iter().map(&mut convert));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ServiceInstance;
    use crate::fake_api::{fake, status};
    use kube::api::DynamicObject;
    use kube::core::ObjectMeta;
    use serde_json::{Value, json};

    fn obj(ns: Option<&str>, name: &str) -> DynamicObject {
        DynamicObject {
            types: None,
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: ns.map(str::to_string),
                ..Default::default()
            },
            data: serde_json::Value::Null,
        }
    }

    #[test]
    fn keys_sort_as_etcd_stores_them() {
        // etcd orders `/…/a-b/x` before `/…/a/x` ('-' < '/'): compare whole keys, not (namespace, name).
        assert!(key(&obj(Some("a-b"), "x")) < key(&obj(Some("a"), "x")));
        assert_eq!(key(&obj(None, "plan")), "plan");
    }

    fn page(names: &[&str], token: &str) -> (u16, Value) {
        let items: Vec<Value> = names
            .iter()
            .map(|n| {
                json!({"apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstance",
                            "metadata": {"name": n, "namespace": "dev"}, "spec": {}})
            })
            .collect();
        (
            200,
            json!({"apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstanceList",
                   "metadata": {"continue": token}, "items": items}),
        )
    }

    fn expired(token: Option<&str>) -> (u16, Value) {
        let mut s = status(410, "Expired");
        if let Some(t) = token {
            s["metadata"] = json!({ "continue": t });
        }
        (410, s)
    }

    async fn names(script: Vec<(u16, Value)>, chunk: u32) -> (Vec<String>, Vec<String>) {
        let (client, seen) = fake(script);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let got = all(api, ListParams::default(), chunk)
            .await
            .expect("listed");
        let seen = seen.lock().expect("log").clone();
        (got.into_iter().map(|o| o.name_any()).collect(), seen)
    }

    #[tokio::test]
    async fn pages_follow_the_continue_token_with_the_chunk_as_limit() {
        let (got, seen) = names(vec![page(&["a", "b"], "t1"), page(&["c"], "")], 2).await;
        assert_eq!(got, ["a", "b", "c"]);
        assert!(seen[0].ends_with("limit=2"), "{seen:?}");
        assert!(
            seen[1].contains("limit=2") && seen[1].contains("continue=t1"),
            "{seen:?}"
        );
        let (_, seen) = names(vec![page(&["a"], "")], 0).await;
        assert!(
            !seen[0].contains("limit"),
            "chunk 0 is one unpaged request: {seen:?}"
        );
    }

    #[tokio::test]
    async fn an_expired_token_with_a_fresh_one_goes_on_from_there() {
        let script = vec![
            page(&["a", "b"], "t1"),
            expired(Some("fresh")),
            page(&["c", "d"], ""),
        ];
        let (got, seen) = names(script, 2).await;
        assert_eq!(got, ["a", "b", "c", "d"]);
        assert!(seen[2].contains("continue=fresh"), "{seen:?}");
    }

    #[tokio::test]
    async fn an_expired_token_without_one_restarts_and_skips_what_was_handed_out() {
        let script = vec![
            page(&["a", "b"], "t1"),
            expired(None),
            // The fresh list starts over, with an object created meanwhile before the last one seen.
            page(&["a", "a2"], "t2"),
            page(&["b", "c"], "t3"),
            page(&["d"], ""),
        ];
        let (got, seen) = names(script, 2).await;
        assert_eq!(
            got,
            ["a", "b", "c", "d"],
            "nothing twice, nothing after b lost"
        );
        assert!(!seen[2].contains("continue"), "{seen:?}");
        assert_eq!(seen.len(), 5);
    }

    #[tokio::test]
    async fn a_list_that_keeps_expiring_gives_up_with_the_410() {
        let mut script = vec![page(&["a"], "t")];
        for _ in 0..=MAX_RESUMES {
            script.push(expired(Some("t")));
        }
        let (client, _) = fake(script);
        let api: Api<ServiceInstance> = Api::namespaced(client, "dev");
        let err = all(api, ListParams::default(), 1)
            .await
            .expect_err("no 6th resume");
        assert!(err.to_string().contains("Expired"), "{err}");
    }
}
