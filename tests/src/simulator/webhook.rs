//! The catalog's admission webhook, served over TLS on loopback and registered with the API server as a
//! real MutatingWebhookConfiguration, so that — as with the real catalog — defaults and the finalizer
//! are set *at CREATE*, and the requests the catalog refuses are refused:
//!
//! * ServiceInstance CREATE: `metadata.finalizers` set to the catalog's finalizer (the real webhook
//!   overwrites the list), `spec.externalID` defaulted, `spec.userInfo` from the requesting user; a
//!   missing plan is defaulted when the class has exactly one, refused when it has several.
//! * ServiceBinding CREATE: the same, plus `spec.secretName` defaulted to the binding's name; refused
//!   when the instance is being deleted.
//! * ServiceBinding UPDATE: the old spec is put back (binding specs are immutable in the catalog).
//!
//! HTTP/1.1 with one request per connection is all the API server needs here.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use base64::Engine;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, Client, ResourceExt};
use osb::catalog::{
    ClusterServiceClass, ClusterServicePlan, FINALIZER, LABEL_PREFIX, ServiceInstance, label_hash,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Name of the registered MutatingWebhookConfiguration.
pub const CONFIG_NAME: &str = "osb-simulator-catalog-webhook";

/// Start serving on a free loopback port (certificates in `dir`) and register the webhook.
pub async fn start(client: Client, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let (cert, key) = (dir.join("webhook.crt"), dir.join("webhook.key"));
    let st = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "7",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .context("openssl is needed for the webhook's certificate")?;
    anyhow::ensure!(st.success(), "openssl req failed");
    let tls = tls_config(&cert, &key)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let serve_client = client.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let (acceptor, client) = (acceptor.clone(), serve_client.clone());
            tokio::spawn(async move {
                if let Ok(stream) = acceptor.accept(tcp).await {
                    let _ = serve_one(stream, &client).await;
                }
            });
        }
    });
    register(&client, port, &std::fs::read(&cert)?).await
}

fn tls_config(cert: &Path, key: &Path) -> Result<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)?.collect::<std::result::Result<Vec<_>, _>>()?;
    let key = PrivateKeyDer::from_pem_file(key)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?)
}

async fn register(client: &Client, port: u16, ca_pem: &[u8]) -> Result<()> {
    use k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration;
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    let hook = |name: &str, resource: &str, ops: &[&str]| {
        json!({
            "name": name,
            "clientConfig": {"url": format!("https://127.0.0.1:{port}/mutate"), "caBundle": ca},
            "rules": [{"apiGroups": ["servicecatalog.k8s.io"], "apiVersions": ["v1beta1"],
                       "operations": ops, "resources": [resource], "scope": "Namespaced"}],
            "failurePolicy": "Fail",
            "sideEffects": "None",
            "admissionReviewVersions": ["v1"],
            "timeoutSeconds": 10,
        })
    };
    let config: MutatingWebhookConfiguration = serde_json::from_value(json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": CONFIG_NAME},
        "webhooks": [
            hook("serviceinstances.servicecatalog.k8s.io", "serviceinstances", &["CREATE"]),
            hook("servicebindings.servicecatalog.k8s.io", "servicebindings", &["CREATE", "UPDATE"]),
        ],
    }))?;
    let api: Api<MutatingWebhookConfiguration> = Api::all(client.clone());
    api.patch(
        CONFIG_NAME,
        &PatchParams::apply("osb-simulator").force(),
        &Patch::Apply(&config),
    )
    .await?;
    Ok(())
}

async fn serve_one<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut stream: S,
    client: &Client,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed before the headers ended");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let headers = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
    let length: usize = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed before the body ended");
        buf.extend_from_slice(&chunk[..n]);
    }
    let review: Value = serde_json::from_slice(&buf[header_end..header_end + length])?;
    let response = review_response(&review, client).await;
    let body = serde_json::to_vec(&response)?;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await?;
    Ok(())
}

/// Answer one AdmissionReview: allowed with a JSON patch, or denied with a 403 and the catalog's words.
async fn review_response(review: &Value, client: &Client) -> Value {
    let req = &review["request"];
    let uid = req["uid"].clone();
    let outcome = match (
        req["resource"]["resource"].as_str(),
        req["operation"].as_str(),
    ) {
        (Some("serviceinstances"), Some("CREATE")) => mutate_instance(req, client).await,
        (Some("servicebindings"), Some("CREATE")) => mutate_binding(req, client).await,
        (Some("servicebindings"), Some("UPDATE")) => Ok(vec![
            json!({"op": "replace", "path": "/spec", "value": req["oldObject"]["spec"]}),
        ]),
        _ => Ok(Vec::new()),
    };
    let response = match outcome {
        Ok(ops) if ops.is_empty() => json!({"uid": uid, "allowed": true}),
        Ok(ops) => json!({
            "uid": uid, "allowed": true, "patchType": "JSONPatch",
            "patch": base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&ops).unwrap_or_default()),
        }),
        Err(message) => {
            json!({"uid": uid, "allowed": false, "status": {"code": 403, "reason": "Forbidden", "message": message}})
        }
    };
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response})
}

/// The defaults both kinds get: the finalizer list overwritten, externalID and userInfo set.
fn common_ops(req: &Value) -> Vec<Value> {
    let obj = &req["object"];
    let mut ops = vec![json!({"op": "add", "path": "/metadata/finalizers", "value": [FINALIZER]})];
    if obj["spec"]["externalID"]
        .as_str()
        .unwrap_or_default()
        .is_empty()
    {
        ops.push(json!({"op": "add", "path": "/spec/externalID", "value": uuid::Uuid::new_v4().to_string()}));
    }
    let user = &req["userInfo"];
    ops.push(json!({"op": "add", "path": "/spec/userInfo", "value": {
        "username": user["username"], "uid": user["uid"], "groups": user["groups"], "extra": user["extra"],
    }}));
    ops
}

async fn mutate_instance(req: &Value, client: &Client) -> std::result::Result<Vec<Value>, String> {
    let mut ops = common_ops(req);
    let spec = &req["object"]["spec"];
    let has = |k: &str| spec[k].as_str().is_some_and(|s| !s.is_empty());
    let has_plan = [
        "clusterServicePlanExternalName",
        "clusterServicePlanExternalID",
        "clusterServicePlanName",
    ]
    .iter()
    .any(|k| has(k));
    if !has_plan && let Some(class_name) = spec["clusterServiceClassExternalName"].as_str() {
        // The default-plan mutation: one plan → use it; several → refuse.
        let classes: Api<ClusterServiceClass> = Api::all(client.clone());
        let sel = format!("{LABEL_PREFIX}spec.externalName={}", label_hash(class_name));
        let found = classes
            .list(&ListParams::default().labels(&sel))
            .await
            .map_err(|e| e.to_string())?
            .items;
        if let [class] = found.as_slice() {
            let plans: Api<ClusterServicePlan> = Api::all(client.clone());
            let sel = format!(
                "{LABEL_PREFIX}spec.clusterServiceClassRef.name={}",
                label_hash(&class.name_any())
            );
            let plans = plans
                .list(&ListParams::default().labels(&sel))
                .await
                .map_err(|e| e.to_string())?
                .items;
            match plans.as_slice() {
                [one] => ops.push(json!({"op": "add", "path": "/spec/clusterServicePlanExternalName", "value": one.spec.common.external_name})),
                [] => {}
                _ => {
                    return Err(format!(
                        "ClusterServiceClass (K8S: {:?} ExternalName: {class_name:?}) has more than one plan, PlanName must be specified",
                        class.name_any()
                    ));
                }
            }
        }
    }
    Ok(ops)
}

async fn mutate_binding(req: &Value, client: &Client) -> std::result::Result<Vec<Value>, String> {
    let obj = &req["object"];
    let ns = req["namespace"].as_str().unwrap_or_default();
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    if let Some(instance) = obj["spec"]["instanceRef"]["name"].as_str() {
        let api: Api<ServiceInstance> = Api::namespaced(client.clone(), ns);
        if let Ok(Some(si)) = api.get_opt(instance).await
            && si.metadata.deletion_timestamp.is_some()
        {
            return Err(format!(
                "ServiceBinding {ns}/{name} references a ServiceInstance that is being deleted: {ns}/{instance}"
            ));
        }
    }
    let mut ops = common_ops(req);
    if obj["spec"]["secretName"]
        .as_str()
        .unwrap_or_default()
        .is_empty()
    {
        ops.push(json!({"op": "add", "path": "/spec/secretName", "value": name}));
    }
    Ok(ops)
}
