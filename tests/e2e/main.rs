//! End-to-end tests: a real kube-apiserver + etcd, the real Service Catalog controller and webhook with
//! brokers over HTTP, the real job controller with kwok, and the plugins called through the real `kubectl`
//! on PATH. One test cluster per test process (see `testkit::env`).
#![allow(clippy::unwrap_used)]

mod abandon;
mod async_bindings;
mod broker;
mod concurrency;
mod credentials;
mod distribution;
mod events;
mod foundation;
mod instaclustr_v2;
mod kit;
mod krew;
mod kubectl_get;
mod leaks;
mod lifecycle;
mod one_model;
mod paging;
mod pipeline;
mod rbac;
mod real_controller;
mod schemas;
mod wait;
