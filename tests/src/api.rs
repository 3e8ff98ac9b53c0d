//! In-process reads for the kit's own polling and checks (an object, a list, events, a jsonpath of an
//! object): one request on a client shared by the environment, instead of a `kubectl` process each time.
//! A `kubectl get` costs about 75 ms of CPU, and the kit polls several times a second in every test
//! (`until_jsonpath`, the namespace's end-of-test check, events); on 2 cores that was a third of the
//! suite's CPU. What the tests check still runs through the real `kubectl`: the verbs, and every
//! side-by-side comparison with `kubectl get`.
//!
//! The JSON is the API server's, as `kubectl get -o json` prints it: `metadata.managedFields` left out
//! (kubectl's default), a list's items in the order the kinds were asked. Only the kinds in [`resource`]
//! are read here; the kit asks `kubectl` for any other.

use std::future::Future;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use serde_json::Value;

/// Where the API serves a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resource {
    /// `/apis/servicecatalog.k8s.io/v1beta1`, `/api/v1`, …
    pub prefix: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
}

/// The kind as `kubectl get` takes it (`serviceinstance`, `serviceinstances.servicecatalog.k8s.io`,
/// `secret`, `events`, …), for the kinds the kit reads; `None` for any other.
pub(crate) fn resource(kind: &str) -> Option<Resource> {
    const CATALOG: &str = "/apis/servicecatalog.k8s.io/v1beta1";
    let (name, group) = kind.split_once('.').unwrap_or((kind, ""));
    let r = |prefix, plural, namespaced| {
        Some(Resource {
            prefix,
            plural,
            namespaced,
        })
    };
    match (name, group) {
        ("serviceinstance" | "serviceinstances", "" | "servicecatalog.k8s.io") => {
            r(CATALOG, "serviceinstances", true)
        }
        ("servicebinding" | "servicebindings", "" | "servicecatalog.k8s.io") => {
            r(CATALOG, "servicebindings", true)
        }
        ("servicebroker" | "servicebrokers", "" | "servicecatalog.k8s.io") => {
            r(CATALOG, "servicebrokers", true)
        }
        ("clusterservicebroker" | "clusterservicebrokers", "" | "servicecatalog.k8s.io") => {
            r(CATALOG, "clusterservicebrokers", false)
        }
        ("secret" | "secrets", "") => r("/api/v1", "secrets", true),
        ("event" | "events", "") => r("/api/v1", "events", true),
        ("job" | "jobs", "" | "batch") => r("/apis/batch/v1", "jobs", true),
        _ => None,
    }
}

impl Resource {
    /// The path of one object (`name`) or of the collection.
    pub fn path(&self, ns: &str, name: Option<&str>) -> String {
        let mut p = self.prefix.to_string();
        if self.namespaced {
            p.push_str(&format!("/namespaces/{ns}"));
        }
        p.push('/');
        p.push_str(self.plural);
        if let Some(n) = name {
            p.push('/');
            p.push_str(n);
        }
        p
    }
}

/// The runtime the reads run on (the tests themselves are plain threads, some inside a runtime of their
/// own: the reads never block one).
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("testkit-api")
            .enable_all()
            .build()
            .expect("the kit's runtime")
    })
}

/// Run `fut` on the kit's runtime and wait for it on this thread.
pub(crate) fn block<T: Send + 'static>(fut: impl Future<Output = T> + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    runtime().spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv().expect("the kit's runtime ended a read")
}

/// A client for `kubeconfig`, made on the kit's runtime.
pub(crate) fn client(kubeconfig: &std::path::Path) -> Result<kube::Client> {
    let kubeconfig = kubeconfig.to_path_buf();
    block(async move { crate::client_from(&kubeconfig).await })
}

/// `GET path` as JSON; `None` for 404. `metadata.managedFields` is left out, of the object and of each
/// item of a list, as `kubectl get -o json` does.
pub(crate) fn get(client: &kube::Client, path: &str) -> Result<Option<Value>> {
    let client = client.clone();
    let request = http::Request::get(path)
        .body(Vec::new())
        .context("a GET request")?;
    let answer = block(async move { client.request_text(request).await });
    let text = match answer {
        Ok(t) => t,
        Err(kube::Error::Api(s)) if s.code == 404 => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("GET {path}")),
    };
    let mut v: Value = serde_json::from_str(&text).with_context(|| format!("GET {path}"))?;
    drop_managed_fields(&mut v);
    if let Some(items) = v.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(drop_managed_fields);
    }
    Ok(Some(v))
}

fn drop_managed_fields(v: &mut Value) {
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.shift_remove("managedFields");
    }
}

/// `value` with its query parameter escaped (field selectors hold `=` and `,`).
pub(crate) fn query_escape(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_as_kubectl_takes_them_map_to_their_paths() {
        let si = resource("serviceinstance").expect("known");
        assert_eq!(
            si.path("ns", Some("db")),
            "/apis/servicecatalog.k8s.io/v1beta1/namespaces/ns/serviceinstances/db"
        );
        assert_eq!(resource("serviceinstances.servicecatalog.k8s.io"), Some(si));
        assert_eq!(
            resource("clusterservicebroker")
                .expect("known")
                .path("ns", Some("b")),
            "/apis/servicecatalog.k8s.io/v1beta1/clusterservicebrokers/b"
        );
        assert_eq!(
            resource("events").expect("known").path("ns", None),
            "/api/v1/namespaces/ns/events"
        );
        assert_eq!(resource("jobs.batch"), resource("job"));
        assert_eq!(resource("deployments"), None);
        assert_eq!(resource("serviceinstances.example.com"), None);
    }

    #[test]
    fn a_field_selector_is_escaped() {
        assert_eq!(
            query_escape("involvedObject.name=db,type!=Normal"),
            "involvedObject.name%3Ddb%2Ctype%21%3DNormal"
        );
    }
}
