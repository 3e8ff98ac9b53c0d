//! A scripted fake API server for unit tests of pure client logic (the real API server is in tests/).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use http::{Request, Response};
use kube::client::Body;
use serde_json::{Value, json};

/// A fake API server: answers each request with the next scripted (status, body), and records
/// `METHOD path?query` of every request (no `?` without a query).
pub fn fake(script: Vec<(u16, Value)>) -> (kube::Client, Arc<Mutex<Vec<String>>>) {
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let svc = tower::service_fn(move |req: Request<Body>| {
        let script = script.clone();
        let log = log.clone();
        async move {
            let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("");
            log.lock().expect("log").push(format!(
                "{} {}",
                req.method(),
                target.trim_end_matches('?')
            ));
            let (code, body) = script
                .lock()
                .expect("script")
                .pop_front()
                .expect("an answer scripted for every request");
            Response::builder()
                .status(code)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string().into_bytes()))
        }
    });
    (kube::Client::new(svc, "dev"), seen)
}

/// A `Status` failure as the API server sends it.
pub fn status(code: u16, reason: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code,
           "reason": reason, "message": format!("{reason} (test)")})
}
