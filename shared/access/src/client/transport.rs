//! The HTTP transport under the kube [`Client`]: kube-client's default stack (base URI, retry of 429/503/504,
//! authentication incl. exec plugins and token refresh, impersonation and other extra headers, the
//! connect/read/write timeouts, its TLS configuration: CA, client certificate, skip-verify, server name),
//! over a connection pool that also speaks HTTP/2.
//!
//! Why not `Client::try_from(config)`: kube-client 5.0 builds an HTTP/1-only client, so a verb that reads
//! several lists at once (brokers, classes and plans of both scopes) opens one TCP + TLS connection per
//! request. Here the TLS handshake offers ALPN `h2` and `http/1.1` (as client-go does): against an API
//! server, every request of the command shares one connection; a server that only speaks HTTP/1.1 (or plain
//! `http://`) is used as before.
//!
//! One more piece makes the sharing real: the pool learns that a server speaks HTTP/2 only when the first
//! connection's handshake ends, so requests sent together before that would each open a connection
//! anyway. [`FirstAlone`] holds them back until the first response (or error) has arrived. And, as Go
//! does, sockets are `TCP_NODELAY`: with one connection carrying every request, a small write (headers,
//! window updates) must not wait for the server's delayed ACK.
//!
//! Under the gate, next to the pool, [`Verbose`] logs each round trip at `-v=6` and above (as client-go's
//! debugging round tripper sits next to its transport): retries show, the gate's wait is not counted, and
//! the headers are those sent, `Authorization` and impersonation included (redacted).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::{Body, ConfigExt};
use kube::{Client, Config};
use tower::retry::RetryLayer;
use tower::{BoxError, Service, ServiceBuilder};

use super::verbose::Verbose;

/// The client for `config`: kube's default service stack over an HTTP/1 + HTTP/2 pool, each request
/// logged at `-v` `level` (see `verbose`).
pub(super) fn client(config: Config, level: u8) -> Result<Client, kube::Error> {
    if config.proxy_url.is_some() {
        // Proxies are kube's business (and, with the features this build has, an error it words).
        return Client::try_from(config);
    }
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    // As Go's net package: small writes (a request's headers, HTTP/2 window updates) leave at once rather
    // than waiting for the peer's delayed ACK.
    http.set_nodelay(true);
    // kube's TLS configuration (CA, client certificate or exec plugin identity, skip-verify, in-cluster CA
    // reloading); ALPN h2 + http/1.1 as client-go offers it.
    let mut https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config.rustls_client_config()?)
        .https_or_http();
    if let Some(name) = &config.tls_server_name {
        let name = rustls::pki_types::ServerName::try_from(name.clone()).map_err(|e| {
            kube::Error::RustlsTls(kube::client::RustlsTlsError::InvalidServerName(e))
        })?;
        https = https.with_server_name_resolver(hyper_rustls::FixedServerNameResolver::new(name));
    }
    let https = https.enable_all_versions().wrap_connector(http);
    let mut connector = hyper_timeout::TimeoutConnector::new(https);
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    connector.set_reset_reader_on_write(config.reset_reader_on_write);
    let pool: hyper_util::client::legacy::Client<_, Body> =
        hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(connector);

    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .option_layer(
            config
                .default_retry
                .then(|| RetryLayer::new(kube::client::retry::RetryPolicy::server_retry())),
        )
        .option_layer(config.auth_layer()?)
        .layer(config.extra_headers_layer()?)
        .map_err(BoxError::from)
        .service(FirstAlone::new(Verbose::new(pool, level)));
    Ok(Client::new(service, config.default_namespace))
}

/// Lets the first request go alone; the others wait for its response (or failure), so that they find the
/// connection it opened — shared when it speaks HTTP/2, back in the pool when HTTP/1.1 — instead of each
/// opening its own.
#[derive(Clone)]
struct FirstAlone<S> {
    inner: S,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    /// A first request has been sent.
    taken: AtomicBool,
    /// It has been answered (or failed, or was dropped): everyone may go.
    open: AtomicBool,
    opened: tokio::sync::Notify,
}

impl Gate {
    fn open(&self) {
        self.open.store(true, Ordering::Release);
        self.opened.notify_waiters();
    }

    async fn wait(&self) {
        loop {
            let opened = self.opened.notified();
            tokio::pin!(opened);
            opened.as_mut().enable();
            if self.open.load(Ordering::Acquire) {
                return;
            }
            opened.await;
        }
    }
}

/// Opens the gate when the first request ends, however it ends (answered, failed, or its future dropped).
struct Opener(Arc<Gate>);

impl Drop for Opener {
    fn drop(&mut self) {
        self.0.open();
    }
}

impl<S> FirstAlone<S> {
    fn new(inner: S) -> Self {
        FirstAlone {
            inner,
            gate: Arc::default(),
        }
    }
}

impl<S, R> Service<R> for FirstAlone<S>
where
    S: Service<R> + Clone + Send + 'static,
    S::Future: Send + 'static,
    R: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> Self::Future {
        let gate = self.gate.clone();
        if gate.open.load(Ordering::Acquire) {
            return Box::pin(self.inner.call(req));
        }
        if !gate.taken.swap(true, Ordering::AcqRel) {
            let opener = Opener(gate);
            let fut = self.inner.call(req);
            return Box::pin(async move {
                let r = fut.await;
                drop(opener);
                r
            });
        }
        // The service was readied for this call: keep that one, wait on a clone of it.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            gate.wait().await;
            inner.call(req).await
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use tower::ServiceExt as _;

    use super::*;

    /// A service that counts the calls it has started (`started`) and answers when `release` is
    /// notified.
    #[allow(clippy::type_complexity)]
    fn held() -> (
        Arc<AtomicUsize>,
        Arc<tokio::sync::Notify>,
        FirstAlone<
            impl Service<u32, Response = u32, Error = BoxError, Future: Send> + Clone + Send + 'static,
        >,
    ) {
        let started = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(tokio::sync::Notify::new());
        let (s, r) = (started.clone(), release.clone());
        let inner = tower::service_fn(move |n: u32| {
            let started = s.clone();
            let release = r.clone();
            async move {
                started.fetch_add(1, Ordering::SeqCst);
                release.notified().await;
                Ok::<_, BoxError>(n)
            }
        });
        (started, release, FirstAlone::new(inner))
    }

    #[tokio::test]
    async fn later_requests_wait_for_the_first_answer_then_go_together() {
        let (started, release, svc) = held();
        let first = tokio::spawn(svc.clone().oneshot(1));
        let others: Vec<_> = (2..5)
            .map(|n| tokio::spawn(svc.clone().oneshot(n)))
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(started.load(Ordering::SeqCst), 1, "only the first is sent");
        release.notify_one();
        assert_eq!(first.await.expect("join").expect("answer"), 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            started.load(Ordering::SeqCst),
            4,
            "then all the others at once"
        );
        release.notify_waiters();
        for (o, n) in others.into_iter().zip(2..) {
            assert_eq!(o.await.expect("join").expect("answer"), n);
        }
        // From now on nobody waits.
        let late = tokio::spawn(svc.clone().oneshot(9));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(started.load(Ordering::SeqCst), 5);
        release.notify_waiters();
        assert_eq!(late.await.expect("join").expect("answer"), 9);
    }

    #[tokio::test]
    async fn a_dropped_first_request_lets_the_others_go() {
        let (started, release, svc) = held();
        let first = tokio::spawn(svc.clone().oneshot(1));
        let second = tokio::spawn(svc.clone().oneshot(2));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(started.load(Ordering::SeqCst), 1);
        first.abort();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(started.load(Ordering::SeqCst), 2, "the second was sent");
        release.notify_waiters();
        assert_eq!(second.await.expect("join").expect("answer"), 2);
    }
}
