//! End-to-end tests: a real kube-apiserver + etcd, the Service Catalog simulator, and the plugins called
//! through the real `kubectl` on PATH. One control plane per test process (see `testkit::env`).
#![allow(clippy::unwrap_used)]

mod abandon;
mod distribution;
mod foundation;
mod lifecycle;
mod pipeline;
mod wait;
