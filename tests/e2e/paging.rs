//! Paged lists against the real API server: every listing verb reads `--chunk-size` objects per request
//! (counted in the API server's audit log), prints each object once, and a continue token that expires
//! mid-list (etcd compacted under it, as the API server's own compaction does every 5 minutes) is
//! resumed without losing or repeating an object.

use std::collections::BTreeSet;

use kube::api::{Api, ListParams};
use osb::catalog::ServiceInstance;
use testkit::cluster::{AUDIT_LISTS, ControlPlane};
use testkit::{Env, env, setup};

/// A `kind: List` of instances `NAME-00…` in `ns` of class `class` (plan `developer`), labelled
/// `labels`.
fn instance_list(
    ns: &str,
    prefix: &str,
    n: usize,
    class: &str,
    labels: serde_json::Value,
) -> String {
    let items: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            testkit::instance(&format!("{prefix}-{i:02}"), class, "developer")
                .set("/metadata/namespace", ns)
                .set("/metadata/labels", labels.clone())
                .0
        })
        .collect();
    serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
}

/// Create `n` instances named `si-00…` in `ns`, labelled `page=<ns>`, in one `kubectl create`. (A class
/// that does not exist would be retried for ever, and those retries would use up the shared controller's
/// rate limit, delaying every other test's instances.)
fn instances(env: &Env, ns: &str, n: usize) {
    let list = instance_list(ns, "si", n, "cassandra", serde_json::json!({ "page": ns }));
    env.kubectl_stdin(&["create", "-f", "-"], &list).ok();
}

/// LIST requests on `path` (the request URI before `?`) whose query has `limit=<limit>`; `None` for an
/// unpaged request (no limit).
fn lists(env: &Env, path: &str, limit: Option<u32>) -> usize {
    env.audit()
        .iter()
        .filter(|e| e["verb"] == "list")
        .filter_map(|e| e["requestURI"].as_str())
        .filter(|u| {
            let (p, q) = u.split_once('?').unwrap_or((u, ""));
            let l = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("limit="))
                .and_then(|v| v.parse::<u32>().ok());
            p == path && l == limit
        })
        .count()
}

fn data_rows(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| !l.starts_with("NAME ")).collect()
}

const SI: &str = "/apis/servicecatalog.k8s.io/v1beta1";

/// A fresh namespace with `n` instances (see [`instances`]), and the path their lists are audited under.
fn paged(prefix: &str, n: usize) -> (&'static Env, testkit::Namespace<'static>, String) {
    let (env, ns) = setup(prefix);
    instances(env, &ns, n);
    let path = format!("{SI}/namespaces/{ns}/serviceinstances");
    (env, ns, path)
}

#[test]
fn get_reads_page_by_page_and_prints_every_object_once() {
    let (env, ns, path) = paged("paging", 7);

    // 7 instances, 3 per page: 3 requests, one header, 7 rows in name order.
    let before = lists(env, &path, Some(3));
    let out = env.osb(&ns, &["get", "instances", "--chunk-size=3"]).ok();
    assert_eq!(lists(env, &path, Some(3)) - before, 3, "{}", out.stdout);
    let headers = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("NAME "))
        .count();
    assert_eq!(headers, 1, "{}", out.stdout);
    let names: Vec<&str> = data_rows(&out.stdout)
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    let want: Vec<String> = (0..7).map(|i| format!("si-{i:02}")).collect();
    assert_eq!(names, want);

    // JSON and YAML: one List with every item, streamed page by page.
    let json = env
        .osb(&ns, &["get", "instances", "--chunk-size=2", "-o", "json"])
        .ok()
        .json();
    assert_eq!(json["kind"], "List");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(7));
    let yaml = env
        .osb(&ns, &["get", "instances", "--chunk-size=2", "-o", "yaml"])
        .ok();
    let doc: serde_json::Value = osb::yaml::from_str(&yaml.stdout).unwrap();
    assert_eq!(doc["items"].as_array().map(Vec::len), Some(7));
    let name = env
        .osb(&ns, &["get", "instances", "--chunk-size=4", "-o", "name"])
        .ok();
    assert_eq!(name.stdout.lines().count(), 7);

    // --chunk-size=0: one unpaged request, as kubectl.
    let before = lists(env, &path, None);
    env.osb(&ns, &["get", "instances", "--chunk-size=0"]).ok();
    assert_eq!(lists(env, &path, None) - before, 1);

    // Across namespaces: ours all there, and no object printed twice.
    let all = env
        .osb(&ns, &["get", "instances", "-A", "--chunk-size=2"])
        .ok();
    let rows: Vec<(String, String)> = data_rows(&all.stdout)
        .iter()
        .map(|l| {
            let mut w = l.split_whitespace();
            let name = w.next().unwrap_or_default().to_string();
            (w.next().unwrap_or_default().to_string(), name)
        })
        .collect();
    let unique: BTreeSet<_> = rows.iter().cloned().collect();
    assert_eq!(unique.len(), rows.len(), "{}", all.stdout);
    assert_eq!(rows.iter().filter(|(n, _)| n == ns.as_str()).count(), 7);
}

#[test]
fn abandon_list_and_wait_page_too() {
    let (env, ns, path) = paged("pagingv", 5);

    let before = lists(env, &path, Some(2));
    env.osb(&ns, &["abandon", "--list", "--chunk-size=2"]).ok();
    assert_eq!(lists(env, &path, Some(2)) - before, 3);

    // wait -l in one namespace: the selection is listed once, by the watch itself, page by page.
    let before = lists(env, &path, Some(2));
    env.osb(
        &ns,
        &[
            "wait",
            "si",
            "-l",
            &format!("page={ns}"),
            "--for=ready",
            "--timeout=180s",
            "--chunk-size=2",
        ],
    )
    .ok()
    .stdout_has("si-04");
    assert_eq!(lists(env, &path, Some(2)) - before, 3);
}

#[test]
fn wait_across_namespaces_is_one_watch() {
    let env = env();
    let label = format!("page{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let namespaces: Vec<_> = (0..3).map(|_| env.namespace("pagingw")).collect();
    for ns in &namespaces {
        let list = instance_list(
            ns,
            "w",
            2,
            "cassandra",
            serde_json::json!({ "wave": label }),
        );
        env.kubectl_stdin(&["create", "-f", "-"], &list).ok();
    }
    let watches = |env: &Env| {
        env.audit()
            .iter()
            .filter(|e| e["verb"] == "watch")
            .filter_map(|e| e["requestURI"].as_str().map(str::to_string))
            .filter(|u| u.contains("serviceinstances") && u.contains(&label))
            .collect::<Vec<_>>()
    };
    let out = env
        .kubectl(&[
            "osb",
            "wait",
            "si",
            "-A",
            "-l",
            &format!("wave={label}"),
            "--for=ready",
            "--timeout=180s",
            "-o",
            "name",
        ])
        .ok();
    assert_eq!(out.stdout.lines().count(), 6, "{}", out.stdout);
    // One watch across all namespaces (narrowed by the selector), not one per namespace.
    let w = watches(env);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with(&format!("{SI}/serviceinstances?")),
        "{w:?}"
    );

    env.kubectl(&["osb", "wait", "si", "-A", "--for=ready"])
        .code(2)
        .stderr_has("-A/--all-namespaces selects objects");
}

/// Compact etcd at its current revision through its HTTP gateway: every continue token issued before
/// now refers to a compacted revision.
async fn compact_etcd(port: u16) {
    let http = reqwest::Client::new();
    let url = |p: &str| format!("http://127.0.0.1:{port}/v3/kv/{p}");
    let head: serde_json::Value = http
        .post(url("range"))
        .json(&serde_json::json!({"key": "AA=="}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rev = head["header"]["revision"].as_str().unwrap().to_string();
    let r = http
        .post(url("compaction"))
        .json(&serde_json::json!({"revision": rev, "physical": true}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{r:?}");
}

#[tokio::test]
async fn an_expired_continue_token_resumes_after_the_last_object_handed_out() {
    // Its own API server, without the watch cache: kube-apiserver 1.36 serves a continued list from the
    // watch cache's snapshots, which outlive an etcd compaction; a continue token then expires only when
    // the cache's history moves on (minutes of writes). Without the cache every page comes from etcd, as
    // on older clusters and for resources whose cache is off, and a compaction expires the token now.
    let cp = tokio::task::spawn_blocking(|| {
        ControlPlane::start_with(None, Some(AUDIT_LISTS), &["--watch-cache=false"]).unwrap()
    })
    .await
    .unwrap();
    let ns = "pagingx";
    cp.kubectl(&["create", "namespace", ns]).unwrap();
    let list = instance_list(ns, "si", 9, "cassandra", serde_json::json!({}));
    let file = cp.dir.join("instances.json");
    std::fs::write(&file, list).unwrap();
    cp.kubectl(&["create", "-f", &file.display().to_string()])
        .unwrap();
    let client = cp.client().await.unwrap();
    let api: Api<ServiceInstance> = Api::namespaced(client.clone(), ns);
    let path = format!("{SI}/namespaces/{ns}/serviceinstances");

    let mut pages = osb::list::Pages::new(api.clone(), ListParams::default(), 2);
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.len(), 2);
    // Objects change and etcd compacts while the reader is between pages.
    cp.kubectl(&["label", "serviceinstance", "si-05", "-n", ns, "x=y"])
        .unwrap();
    compact_etcd(cp.etcd_port).await;
    let mut names: Vec<String> = first
        .iter()
        .map(|o| o.metadata.name.clone().unwrap())
        .collect();
    while let Some(page) = pages.next().await.unwrap() {
        names.extend(page.into_iter().map(|o| o.metadata.name.unwrap()));
    }
    // The API server really refused the token (410), and the rest came without a repeat or a gap.
    let gone = cp
        .audit()
        .iter()
        .filter(|e| e["verb"] == "list" && e["responseStatus"]["code"] == 410)
        .filter(|e| {
            e["requestURI"]
                .as_str()
                .is_some_and(|u| u.starts_with(&format!("{path}?")))
        })
        .count();
    assert_eq!(gone, 1, "one expired continue token");
    let want: Vec<String> = (0..9).map(|i| format!("si-{i:02}")).collect();
    assert_eq!(names, want, "every object once, in order");
    assert_eq!(
        pages.requests(),
        1 + 1 + 4,
        "page 1, the 410, then 4 more pages"
    );
}
