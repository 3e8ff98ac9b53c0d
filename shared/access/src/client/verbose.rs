//! `-v=N`: kubectl's log of the HTTP exchange, on stderr, in klog's format, with kubectl's levels
//! (client-go's `round_trippers.go` for the requests, its rest client for the bodies):
//!
//! | level | what is logged |
//! |---|---|
//! | 6 | `GET https://…/serviceinstances?limit=500 200 OK in 5 milliseconds` |
//! | 7 | `GET URL`, `Request Headers:` (each indented), `Response Status: 200 OK in 5 milliseconds` |
//! | 8 | and `Response Headers:`, `Request Body: …`, `Response Body: …` (1024 characters, then `[truncated N chars]`) |
//! | 9 | the request as a `curl` command, the level-6 line, response headers, bodies up to 10240 characters |
//! | 10 | bodies whole |
//!
//! Every header value and body goes through the one redaction rule (`osb_model::redact`: `Authorization:
//! Bearer <masked>`, Secret values, sensitive parameters); a body that is not JSON is not shown (its size
//! is). Watches are streams: their requests and statuses are logged, their events are not (as kubectl).

use std::fmt::Write as _;
use std::future::Future;
use std::io::Write as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, Either, Full};
use kube::client::Body;
use tower::{BoxError, Service};

use crate::redact;

/// What one level logs (client-go's `DebugWrappers`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Show {
    /// `GET URL` before the request.
    url: bool,
    /// `GET URL 200 OK in N milliseconds` after it.
    url_timing: bool,
    request_headers: bool,
    curl: bool,
    /// `Response Status: 200 OK in N milliseconds`.
    status: bool,
    response_headers: bool,
    /// Bodies, cut after this many characters (`usize::MAX`: whole); none when `None`.
    bodies: Option<usize>,
}

impl Show {
    fn at(level: u8) -> Show {
        let bodies = match level {
            0..=7 => None,
            8 => Some(1024),
            9 => Some(10240),
            _ => Some(usize::MAX),
        };
        Show {
            url: matches!(level, 7 | 8),
            url_timing: level == 6 || level >= 9,
            request_headers: matches!(level, 7 | 8),
            curl: level >= 9,
            status: matches!(level, 7 | 8),
            response_headers: level >= 8,
            bodies,
        }
    }

    fn any(&self) -> bool {
        *self != Show::default()
    }
}

/// Logs each request that goes through it (see the module) at `-v` `level`.
#[derive(Clone)]
pub(super) struct Verbose<S> {
    inner: S,
    show: Show,
}

impl<S> Verbose<S> {
    pub(super) fn new(inner: S, level: u8) -> Self {
        Verbose {
            inner,
            show: Show::at(level),
        }
    }
}

/// The response body: the server's stream as it came, or (when logged) the bytes read to log it.
type LoggedBody<B> = Either<B, Full<Bytes>>;

impl<S, B> Service<Request<Body>> for Verbose<S>
where
    S: Service<Request<Body>, Response = Response<B>>,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<LoggedBody<B>>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let show = self.show;
        if !show.any() {
            let fut = self.inner.call(req);
            return Box::pin(async move { Ok(fut.await.map_err(Into::into)?.map(Either::Left)) });
        }
        let exchange = Exchange::of(&req);
        let sent = show.bodies.and_then(|_| req.body().try_clone());
        let before = exchange.before(&show, req.headers());
        let fut = self.inner.call(req);
        Box::pin(async move {
            let mut lines = before;
            if let (Some(body), Some(max)) = (sent, show.bodies) {
                let bytes = body.collect_bytes().await.unwrap_or_default();
                if !bytes.is_empty() {
                    lines.push(format!(
                        "Request Body: {}",
                        exchange.shown_body(&bytes, max)
                    ));
                }
            }
            log(&lines);
            let start = Instant::now();
            let result = fut.await.map_err(Into::into);
            let ms = start.elapsed().as_millis();
            let resp = match result {
                Ok(resp) => resp,
                Err(e) => {
                    log(&exchange.after(&show, "", ms, None));
                    return Err(e);
                }
            };
            let status = resp.status();
            let status = format!(
                "{} {}",
                status.as_str(),
                status.canonical_reason().unwrap_or_default()
            );
            let mut lines = exchange.after(&show, status.trim_end(), ms, Some(resp.headers()));
            let (Some(max), false) = (show.bodies, exchange.watch) else {
                log(&lines);
                return Ok(resp.map(Either::Left));
            };
            let (parts, body) = resp.into_parts();
            let bytes = match body.collect().await {
                Ok(b) => b.to_bytes(),
                Err(e) => {
                    log(&lines);
                    return Err(e.into());
                }
            };
            lines.push(format!(
                "Response Body: {}",
                exchange.shown_body(&bytes, max)
            ));
            log(&lines);
            Ok(Response::from_parts(parts, Either::Right(Full::new(bytes))))
        })
    }
}

/// What the log says of one request.
struct Exchange {
    method: String,
    url: String,
    /// A watch (or a followed log): a stream, whose body is not logged.
    watch: bool,
    /// A Secret's URL: its bodies' `data` are secret whatever they say of their kind.
    secret: bool,
}

impl Exchange {
    fn of(req: &Request<Body>) -> Exchange {
        let query = req.uri().query().unwrap_or_default();
        let watch = query
            .split('&')
            .any(|p| matches!(p, "watch=true" | "watch=1" | "follow=true"));
        let secret = req
            .uri()
            .path()
            .split('/')
            .any(|segment| segment == "secrets");
        Exchange {
            method: req.method().to_string(),
            url: req.uri().to_string(),
            watch,
            secret,
        }
    }

    /// The lines logged before the request is sent.
    fn before(&self, show: &Show, headers: &HeaderMap) -> Vec<String> {
        let mut lines = Vec::new();
        if show.curl {
            let mut h = String::new();
            for (name, value) in shown_headers(headers) {
                let _ = write!(h, " -H {:?}", format!("{name}: {value}"));
            }
            lines.push(format!("curl -v -X{} {h} '{}'", self.method, self.url));
        }
        if show.url {
            lines.push(format!("{} {}", self.method, self.url));
        }
        if show.request_headers {
            lines.extend(header_block("Request Headers:", headers));
        }
        lines
    }

    /// The lines logged when the response's status and headers have arrived (`status` empty: failed).
    fn after(
        &self,
        show: &Show,
        status: &str,
        ms: u128,
        headers: Option<&HeaderMap>,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        if show.url_timing {
            lines.push(format!(
                "{} {} {status} in {ms} milliseconds",
                self.method, self.url
            ));
        }
        if show.status {
            lines.push(format!("Response Status: {status} in {ms} milliseconds"));
        }
        if let (true, Some(headers)) = (show.response_headers, headers) {
            lines.extend(header_block("Response Headers:", headers));
        }
        lines
    }

    /// A body as logged: JSON redacted by the one rule, cut after `max` characters as kubectl cuts.
    fn shown_body(&self, bytes: &[u8], max: usize) -> String {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return format!("[{} bytes, not JSON: not shown]", bytes.len());
        };
        let text = redact::body(&json, self.secret).0.to_string();
        truncate(&text, max)
    }
}

/// Headers as logged: names as Go writes them (`Content-Type`), values through the redaction rule.
fn shown_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            (
                canonical(name.as_str()),
                redact::header(name.as_str(), &value),
            )
        })
        .collect()
}

/// `title`, then each header indented, as client-go logs them.
fn header_block(title: &str, headers: &HeaderMap) -> Vec<String> {
    std::iter::once(title.to_string())
        .chain(
            shown_headers(headers)
                .into_iter()
                .map(|(n, v)| format!("    {n}: {v}")),
        )
        .collect()
}

/// `content-type` → `Content-Type` (Go's canonical header key).
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// client-go's `truncateBody`: the first `max` characters and ` [truncated N chars]`.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!(
            "{} [truncated {} chars]",
            &text[..cut],
            text[cut..].chars().count()
        ),
    }
}

/// Write `lines` to stderr, each with klog's header (`I1203 12:00:00.000000   12345 verbose.rs:0] `),
/// at once, so that concurrent requests do not interleave.
fn log(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let now = jiff::Zoned::now();
    let header = format!(
        "I{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>7} verbose.rs] ",
        now.month(),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.subsec_nanosecond() / 1000,
        std::process::id()
    );
    let mut out = String::new();
    for l in lines {
        out.push_str(&header);
        out.push_str(l);
        out.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(method: &str, uri: &str) -> (Exchange, Request<Body>) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", "Bearer CANARY-token")
            .header("accept", "application/json")
            .header("impersonate-user", "alice")
            .body(Body::from(b"{}".to_vec()))
            .expect("request");
        (Exchange::of(&req), req)
    }

    #[test]
    fn each_level_logs_what_kubectl_logs() {
        let (ex, req) = exchange(
            "GET",
            "https://127.0.0.1:6443/apis/servicecatalog.k8s.io/v1beta1/namespaces/dev/serviceinstances?limit=500",
        );
        let url = "https://127.0.0.1:6443/apis/servicecatalog.k8s.io/v1beta1/namespaces/dev/serviceinstances?limit=500";
        assert!(!Show::at(5).any());
        let six = Show::at(6);
        assert!(ex.before(&six, req.headers()).is_empty());
        assert_eq!(
            ex.after(&six, "200 OK", 5, Some(req.headers())),
            [format!("GET {url} 200 OK in 5 milliseconds")]
        );
        let seven = Show::at(7);
        assert_eq!(
            ex.before(&seven, req.headers()),
            [
                format!("GET {url}"),
                "Request Headers:".into(),
                "    Authorization: Bearer <masked>".into(),
                "    Accept: application/json".into(),
                "    Impersonate-User: alice".into(),
            ]
        );
        assert_eq!(
            ex.after(&seven, "404 Not Found", 3, Some(req.headers())),
            ["Response Status: 404 Not Found in 3 milliseconds"]
        );
        let eight = Show::at(8);
        let after = ex.after(&eight, "200 OK", 1, Some(req.headers()));
        assert_eq!(after[1], "Response Headers:");
        assert_eq!(after[2], "    Authorization: Bearer <masked>");
        assert_eq!(eight.bodies, Some(1024));
        let nine = Show::at(9);
        let curl = ex.before(&nine, req.headers());
        assert_eq!(
            curl,
            [format!(
                "curl -v -XGET  -H \"Authorization: Bearer <masked>\" -H \"Accept: application/json\" -H \"Impersonate-User: alice\" '{url}'"
            )]
        );
        assert_eq!(
            (nine.bodies, Show::at(10).bodies),
            (Some(10240), Some(usize::MAX))
        );
        let all = format!(
            "{:?}",
            [seven, eight, nine].map(|s| ex.before(&s, req.headers()))
        );
        assert!(!all.contains("CANARY"), "{all}");
        // A failed request: no status.
        assert_eq!(
            ex.after(&six, "", 0, None),
            [format!("GET {url}  in 0 milliseconds")]
        );
    }

    #[test]
    fn bodies_are_redacted_then_cut_as_kubectl_cuts() {
        let (secret, _) = exchange("PATCH", "https://h/api/v1/namespaces/dev/secrets/app");
        assert!(secret.secret && !secret.watch);
        let patch = br#"{"data":{"password":"Q0FOQVJZ"}}"#;
        assert_eq!(
            secret.shown_body(patch, 1024),
            r#"{"data":{"password":"<redacted>"}}"#
        );
        let (si, _) = exchange(
            "POST",
            "https://h/apis/servicecatalog.k8s.io/v1beta1/namespaces/dev/serviceinstances",
        );
        let body = br#"{"kind":"ServiceInstance","spec":{"parameters":{"adminPassword":"CANARY","nodes":3}}}"#;
        let shown = r#"{"kind":"ServiceInstance","spec":{"parameters":{"adminPassword":"<redacted>","nodes":3}}}"#;
        assert_eq!(si.shown_body(body, 1024), shown);
        assert_eq!(
            si.shown_body(body, 10),
            format!("{} [truncated {} chars]", &shown[..10], shown.len() - 10),
            "cut after redaction: no cut hides a half-redacted value"
        );
        assert_eq!(
            si.shown_body(b"CANARY text", 1024),
            "[11 bytes, not JSON: not shown]"
        );
        assert_eq!(truncate("ééé", 2), "éé [truncated 1 chars]");
        assert_eq!(truncate("abc", usize::MAX), "abc");
        let (watch, _) = exchange(
            "GET",
            "https://h/api/v1/namespaces/dev/secrets?watch=true&rv=1",
        );
        assert!(watch.watch && watch.secret);
        assert_eq!(
            canonical("x-kubernetes-pf-flowschema-uid"),
            "X-Kubernetes-Pf-Flowschema-Uid"
        );
    }

    #[tokio::test]
    async fn a_logged_exchange_hands_the_same_response_on() {
        let inner = tower::service_fn(|req: Request<Body>| async move {
            let sent = req.into_body().collect_bytes().await?;
            Ok::<_, BoxError>(Response::new(Full::new(sent)))
        });
        for level in [0, 6, 8] {
            let mut svc = Verbose::new(inner, level);
            let (_, req) = exchange("POST", "https://h/api/v1/namespaces/dev/configmaps");
            let resp = tower::ServiceExt::ready(&mut svc)
                .await
                .expect("ready")
                .call(req)
                .await
                .expect("response");
            let body = resp.into_body().collect().await.expect("body").to_bytes();
            assert_eq!(&body[..], b"{}", "level {level}");
        }
    }
}
