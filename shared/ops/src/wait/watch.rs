//! The watch strategy: which list+watches serve the targets, and which of them an object or an Event
//! is about.
//!
//! * Objects: one list+watch per (resource type, namespace); a single named object gets a field selector.
//!   A type whose targets span several namespaces (`-A -l`) gets one watch across all of them, narrowed
//!   by the label selector the targets were chosen by: 10,000 instances in 100 namespaces are one watch.
//!   The initial lists are paged (`--chunk-size`).
//! * Events: one watch per namespace of the targets (normally one), scoped by a field selector on the
//!   object's kind and name when it serves a single object; targets in several namespaces share one
//!   watch across all of them (of their kind, when they have one).
//!
//! [`plan`] and [`plan_events`] are pure (unit-tested below); [`open`] and [`open_events`] start the
//! watches (kube-runtime's watcher: resumed with backoff after a dropped or expired watch).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures::StreamExt;
use futures::stream::{self, BoxStream};
use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::api::DynamicObject;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client};

use super::{Kind, Target};
use crate::error::Error;

/// An item of the objects' watches: which [`Group`] it came from (its index in the plan), and what.
pub(super) type Tagged = (
    usize,
    std::result::Result<watcher::Event<DynamicObject>, watcher::Error>,
);

/// An item of the Events watch.
pub(super) type EventItem = std::result::Result<watcher::Event<CoreEvent>, watcher::Error>;

/// One list+watch of objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Group {
    pub kind: Kind,
    /// `None`: cluster-scoped, or across all namespaces.
    pub namespace: Option<String>,
    pub filter: Filter,
}

/// How a watch is narrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Filter {
    /// `metadata.name=NAME`: the group serves one object.
    Name(String),
    /// The label selector the targets were chosen by.
    Labels(String),
    None,
}

impl Group {
    /// Whether this watch's lists show `t` (a watch across all namespaces covers every target of its kind).
    pub fn covers(&self, t: &Target) -> bool {
        t.kind == self.kind
            && (self.namespace.is_none() || scoped(t.kind, t.namespace.clone()) == self.namespace)
    }
}

/// The namespace that identifies an object of `kind`: none for cluster-scoped kinds.
fn scoped(kind: Kind, namespace: Option<String>) -> Option<String> {
    if kind.namespaced() { namespace } else { None }
}

/// The object watches for `targets` (chosen by `selector`, if any), in a stable order.
pub(super) fn plan(targets: &[Target], selector: Option<&str>) -> Vec<Group> {
    let mut namespaces: BTreeMap<Kind, BTreeSet<Option<String>>> = BTreeMap::new();
    for t in targets.iter().filter(|t| t.kind.namespaced()) {
        namespaces
            .entry(t.kind)
            .or_default()
            .insert(t.namespace.clone());
    }
    let mut groups: BTreeMap<(Kind, Option<String>), Vec<&str>> = BTreeMap::new();
    for t in targets {
        let one_namespace = namespaces.get(&t.kind).is_some_and(|s| s.len() == 1);
        let ns = if t.kind.namespaced() && one_namespace {
            t.namespace.clone()
        } else {
            None
        };
        groups.entry((t.kind, ns)).or_default().push(&t.name);
    }
    groups
        .into_iter()
        .map(|((kind, namespace), names)| Group {
            kind,
            namespace,
            filter: match (names.as_slice(), selector) {
                ([one], _) => Filter::Name(one.to_string()),
                (_, Some(sel)) => Filter::Labels(sel.to_string()),
                _ => Filter::None,
            },
        })
        .collect()
}

/// One watch of Events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct EventWatch {
    /// `None`: across all namespaces.
    pub namespace: Option<String>,
    /// A field selector on the involved object, if any.
    pub fields: Option<String>,
}

/// A selection's watches: each kind in `namespace` (`None`: all namespaces; cluster-scoped kinds are
/// never namespaced), narrowed by `selector`; and its Events watches, one per kind.
pub(super) fn plan_selection(
    kinds: &[Kind],
    namespace: Option<&str>,
    selector: Option<&str>,
) -> (Vec<Group>, Vec<EventWatch>) {
    let groups = kinds
        .iter()
        .map(|&kind| Group {
            kind,
            namespace: scoped(kind, namespace.map(String::from)),
            filter: selector.map_or(Filter::None, |s| Filter::Labels(s.to_string())),
        })
        .collect();
    let events = kinds
        .iter()
        .map(|&kind| EventWatch {
            namespace: if kind.namespaced() {
                namespace.map(String::from)
            } else {
                Some("default".into())
            },
            fields: Some(format!("involvedObject.kind={}", kind.name())),
        })
        .collect();
    (groups, events)
}

/// The Events watches for `targets`.
pub(super) fn plan_events(targets: &[Target]) -> Vec<EventWatch> {
    let mut by_namespace: BTreeMap<String, Vec<&Target>> = BTreeMap::new();
    for t in targets {
        let ns = crate::events::namespace_of(t.kind, t.namespace.as_deref());
        by_namespace.entry(ns).or_default().push(t);
    }
    if by_namespace.len() > 1 {
        let kinds: BTreeSet<Kind> = targets.iter().map(|t| t.kind).collect();
        let fields = match kinds.into_iter().collect::<Vec<_>>().as_slice() {
            [only] => Some(format!("involvedObject.kind={}", only.name())),
            _ => None,
        };
        return vec![EventWatch {
            namespace: None,
            fields,
        }];
    }
    by_namespace
        .into_iter()
        .map(|(ns, ts)| EventWatch {
            namespace: Some(ns),
            fields: match ts.as_slice() {
                [t] => Some(format!(
                    "involvedObject.kind={},involvedObject.name={}",
                    t.kind.name(),
                    t.name
                )),
                _ => None,
            },
        })
        .collect()
}

/// Start the object watches of `groups`, their initial lists paged by `page_size` (0: one request).
pub(super) fn open(
    client: &Client,
    groups: &[Group],
    page_size: u32,
) -> BoxStream<'static, Tagged> {
    let streams = groups.iter().enumerate().map(|(gi, g)| {
        let (labels, fields) = match &g.filter {
            Filter::Name(name) => (None, Some(format!("metadata.name={name}"))),
            Filter::Labels(sel) => (Some(sel.as_str()), None),
            Filter::None => (None, None),
        };
        objects(
            client,
            g.kind,
            g.namespace.as_deref(),
            labels,
            fields.as_deref(),
            page_size,
        )
        .map(move |e| (gi, e))
        .boxed()
    });
    stream::select_all(streams).boxed()
}

/// The list+watch of `kind` objects in `namespace` (`None`: cluster-scoped, or all namespaces), narrowed
/// by label and field selectors, its initial list paged by `page_size` (0: one request): kube-runtime's
/// watcher, resumed with backoff after a dropped or expired (410) watch and after the API server comes
/// back (a resumed watch after a 410 lists again: `Init`, `InitApply`…, `InitDone`). The wait engine
/// and `get -w` both watch through this.
pub fn objects(
    client: &Client,
    kind: Kind,
    namespace: Option<&str>,
    labels: Option<&str>,
    fields: Option<&str>,
    page_size: u32,
) -> BoxStream<'static, std::result::Result<watcher::Event<DynamicObject>, watcher::Error>> {
    let ar = kind.resource();
    let api: Api<DynamicObject> = match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
        None => Api::all_with(client.clone(), &ar),
    };
    let mut cfg = watcher::Config {
        page_size: (page_size > 0).then_some(page_size),
        ..Default::default()
    };
    if let Some(l) = labels {
        cfg = cfg.labels(l);
    }
    if let Some(f) = fields {
        cfg = cfg.fields(f);
    }
    watcher(api, cfg).default_backoff().boxed()
}

/// Start the Events watches of `plans`.
pub(super) fn open_events(client: &Client, plans: &[EventWatch]) -> BoxStream<'static, EventItem> {
    let streams = plans.iter().map(|p| {
        let api: Api<CoreEvent> = match &p.namespace {
            Some(ns) => Api::namespaced(client.clone(), ns),
            None => Api::all(client.clone()),
        };
        let cfg = match &p.fields {
            Some(f) => watcher::Config::default().fields(f),
            None => watcher::Config::default(),
        };
        watcher(api, cfg).default_backoff().boxed()
    });
    stream::select_all(streams).boxed()
}

/// Which target (its index) an object or an Event is about: by kind, namespace and name.
pub(super) struct Index(HashMap<(Kind, Option<String>, String), usize>);

impl Index {
    pub fn new(targets: &[Target]) -> Self {
        Index(
            targets
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    (
                        (t.kind, scoped(t.kind, t.namespace.clone()), t.name.clone()),
                        i,
                    )
                })
                .collect(),
        )
    }

    /// Target `i` is `t` (a target a selection found).
    pub fn insert(&mut self, t: &Target, i: usize) {
        self.0.insert(
            (t.kind, scoped(t.kind, t.namespace.clone()), t.name.clone()),
            i,
        );
    }

    /// The target an object of a `kind` watch is.
    pub fn object(&self, kind: Kind, obj: &DynamicObject) -> Option<usize> {
        let name = obj.metadata.name.clone().unwrap_or_default();
        let key = (kind, scoped(kind, obj.metadata.namespace.clone()), name);
        self.0.get(&key).copied()
    }

    /// The target an Event is about (its involved object).
    pub fn event(&self, e: &CoreEvent) -> Option<usize> {
        let o = &e.involved_object;
        let kind = Kind::ALL
            .into_iter()
            .find(|k| Some(k.name()) == o.kind.as_deref())?;
        let key = (kind, scoped(kind, o.namespace.clone()), o.name.clone()?);
        self.0.get(&key).copied()
    }
}

/// A watch error no retry will mend: the type is unknown (404) or listing it is forbidden (403), or
/// watching it is (allowed to list but not to watch). Anything else is resumed by the watcher.
pub fn fatal(e: &watcher::Error) -> Option<Error> {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
            if s.code == 403 || s.code == 404 =>
        {
            Some(Error::Kube(kube::Error::Api(s.clone())))
        }
        watcher::Error::WatchStartFailed(kube::Error::Api(s)) if s.code == 403 => {
            Some(Error::Kube(kube::Error::Api(s.clone())))
        }
        _ => None,
    }
}

/// A 403 from the Events watch (listing or watching events is not allowed), as the error to end with.
pub(super) fn forbidden(e: &watcher::Error) -> Option<Error> {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s))
            if s.code == 403 =>
        {
            Some(Error::Kube(kube::Error::Api(s.clone())))
        }
        _ => None,
    }
}

/// The Event an Events watch item carries, if any (resyncs and list markers carry none).
pub(super) fn applied(item: watcher::Event<CoreEvent>) -> Option<CoreEvent> {
    match item {
        watcher::Event::Apply(e) | watcher::Event::InitApply(e) => Some(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(kind: Kind, ns: &str, name: &str) -> Target {
        Target {
            kind,
            namespace: Some(ns.into()),
            name: name.into(),
        }
    }

    fn group(kind: Kind, ns: Option<&str>, filter: Filter) -> Group {
        Group {
            kind,
            namespace: ns.map(String::from),
            filter,
        }
    }

    #[test]
    fn one_watch_per_type_and_namespace_a_name_selector_for_a_single_object() {
        let targets = [
            t(Kind::ServiceInstance, "dev", "a"),
            t(Kind::ServiceInstance, "dev", "b"),
            t(Kind::ServiceBinding, "dev", "c"),
            t(Kind::ClusterServiceBroker, "dev", "broker"),
        ];
        assert_eq!(
            plan(&targets, None),
            [
                group(Kind::ServiceInstance, Some("dev"), Filter::None),
                group(Kind::ServiceBinding, Some("dev"), Filter::Name("c".into())),
                group(
                    Kind::ClusterServiceBroker,
                    None,
                    Filter::Name("broker".into())
                ),
            ]
        );
        // Chosen by a label: the watch is narrowed by it.
        assert_eq!(
            plan(&targets[..2], Some("app=shop")),
            [group(
                Kind::ServiceInstance,
                Some("dev"),
                Filter::Labels("app=shop".into())
            )]
        );
    }

    #[test]
    fn targets_across_namespaces_share_one_watch_of_their_type() {
        let targets: Vec<Target> = (0..100)
            .map(|i| t(Kind::ServiceInstance, &format!("ns{i}"), "db"))
            .collect();
        let groups = plan(&targets, Some("app=shop"));
        assert_eq!(
            groups,
            [group(
                Kind::ServiceInstance,
                None,
                Filter::Labels("app=shop".into())
            )]
        );
        assert!(targets.iter().all(|t| groups[0].covers(t)));
        let dev = group(Kind::ServiceInstance, Some("dev"), Filter::None);
        assert!(dev.covers(&t(Kind::ServiceInstance, "dev", "x")));
        assert!(!dev.covers(&t(Kind::ServiceInstance, "prod", "x")));
        assert!(!dev.covers(&t(Kind::ServiceBinding, "dev", "x")));
    }

    #[test]
    fn events_are_watched_per_namespace_or_once_across_them() {
        let watch = |namespace: Option<&str>, fields: Option<&str>| EventWatch {
            namespace: namespace.map(String::from),
            fields: fields.map(String::from),
        };
        let one = [t(Kind::ServiceInstance, "dev", "db")];
        let by_name = "involvedObject.kind=ServiceInstance,involvedObject.name=db";
        assert_eq!(plan_events(&one), [watch(Some("dev"), Some(by_name))]);
        let two = [
            t(Kind::ServiceInstance, "dev", "db"),
            t(Kind::ServiceBinding, "dev", "app"),
        ];
        assert_eq!(plan_events(&two), [watch(Some("dev"), None)]);
        // A cluster-scoped object's events are in `default`.
        let spread = [
            t(Kind::ServiceInstance, "a", "db"),
            t(Kind::ServiceInstance, "b", "db"),
        ];
        let by_kind = "involvedObject.kind=ServiceInstance";
        assert_eq!(plan_events(&spread), [watch(None, Some(by_kind))]);
        let broker = [t(Kind::ClusterServiceBroker, "dev", "b")];
        assert_eq!(
            plan_events(&broker)[0].namespace.as_deref(),
            Some("default")
        );
        let mixed = [
            t(Kind::ServiceInstance, "a", "db"),
            t(Kind::ServiceBinding, "b", "x"),
        ];
        assert_eq!(plan_events(&mixed)[0].fields, None);
    }

    #[test]
    fn objects_and_events_find_their_target_by_kind_namespace_and_name() {
        let index = Index::new(&[
            t(Kind::ServiceInstance, "dev", "db"),
            t(Kind::ClusterServiceBroker, "dev", "b"),
        ]);
        let mut obj = DynamicObject::new("db", &Kind::ServiceInstance.resource()).within("dev");
        assert_eq!(index.object(Kind::ServiceInstance, &obj), Some(0));
        obj.metadata.namespace = Some("prod".into());
        assert_eq!(index.object(Kind::ServiceInstance, &obj), None);
        assert_eq!(index.object(Kind::ServiceBinding, &obj), None);
        let broker = DynamicObject::new("b", &Kind::ClusterServiceBroker.resource());
        assert_eq!(index.object(Kind::ClusterServiceBroker, &broker), Some(1));

        let mut e = CoreEvent {
            involved_object: k8s_openapi::api::core::v1::ObjectReference {
                kind: Some("ServiceInstance".into()),
                namespace: Some("dev".into()),
                name: Some("db".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(index.event(&e), Some(0));
        e.involved_object.namespace = Some("prod".into());
        assert_eq!(index.event(&e), None);
        e.involved_object.kind = Some("ClusterServiceBroker".into());
        e.involved_object.name = Some("b".into());
        e.involved_object.namespace = None;
        assert_eq!(index.event(&e), Some(1));
    }

    #[test]
    fn only_forbidden_or_unknown_types_end_the_wait() {
        let api = |code: u16| {
            kube::Error::Api(Box::new(kube::core::Status {
                code,
                ..Default::default()
            }))
        };
        assert!(fatal(&watcher::Error::InitialListFailed(api(404))).is_some());
        assert!(fatal(&watcher::Error::InitialListFailed(api(403))).is_some());
        assert!(fatal(&watcher::Error::WatchStartFailed(api(403))).is_some());
        assert!(fatal(&watcher::Error::WatchStartFailed(api(404))).is_none());
        assert!(fatal(&watcher::Error::InitialListFailed(api(500))).is_none());
        assert!(fatal(&watcher::Error::WatchFailed(api(403))).is_none());
        assert!(forbidden(&watcher::Error::WatchFailed(api(403))).is_some());
        assert!(forbidden(&watcher::Error::NoResourceVersion).is_none());
    }
}
