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
    quiet: bool,
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
            quiet: false,
        }
    }

    /// Do not print the warning for a resumed list (callers that only count or look up).
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
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
                    if !self.quiet {
                        eprintln!(
                            "Warning: the list outlived its snapshot (continue token expired); the rest is read as it is now, so objects created or deleted meanwhile may be missing or included"
                        );
                    }
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

/// Every object of `api` matching `params`, read `chunk` at a time.
pub async fn all<K>(api: Api<K>, params: ListParams, chunk: u32) -> Result<Vec<K>>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    Pages::new(api, params, chunk).all().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::api::DynamicObject;
    use kube::core::ObjectMeta;

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
}
