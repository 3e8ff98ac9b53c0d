//! The one registry of the kinds the verbs name on the command line: how users type them (aliases,
//! plurals, `kind.group`), their API resource, scope and kubectl's spellings — and the parsing of
//! `TYPE/NAME`, `TYPE NAME…` and `NAME` arguments. Every verb and the completion use it, so that
//! `si/db` means the same to `wait`, `describe`, `get`, `abandon` and the shell.

use kube::api::{ApiResource, GroupVersionKind};

/// A kind a verb can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ServiceInstance,
    ServiceBinding,
    ClusterServiceBroker,
    ClusterServiceClass,
    ClusterServicePlan,
    Job,
}

struct Entry {
    kind: Kind,
    group: &'static str,
    version: &'static str,
    name: &'static str,
    plural: &'static str,
    /// The everyday word (`instance`); its plural adds an `s`. Both parse as the kind.
    word: &'static str,
    /// Every other spelling users type (lower case), beside the singular, the plural and `kind.group`.
    aliases: &'static [&'static str],
    namespaced: bool,
}

const REGISTRY: &[Entry] = &[
    Entry {
        kind: Kind::ServiceInstance,
        group: "servicecatalog.k8s.io",
        version: "v1beta1",
        name: "ServiceInstance",
        plural: "serviceinstances",
        word: "instance",
        aliases: &["si", "instance", "instances"],
        namespaced: true,
    },
    Entry {
        kind: Kind::ServiceBinding,
        group: "servicecatalog.k8s.io",
        version: "v1beta1",
        name: "ServiceBinding",
        plural: "servicebindings",
        word: "binding",
        aliases: &["sb", "binding", "bindings"],
        namespaced: true,
    },
    Entry {
        kind: Kind::ClusterServiceBroker,
        group: "servicecatalog.k8s.io",
        version: "v1beta1",
        name: "ClusterServiceBroker",
        plural: "clusterservicebrokers",
        word: "broker",
        aliases: &["broker", "brokers", "csb"],
        namespaced: false,
    },
    Entry {
        kind: Kind::ClusterServiceClass,
        group: "servicecatalog.k8s.io",
        version: "v1beta1",
        name: "ClusterServiceClass",
        plural: "clusterserviceclasses",
        word: "class",
        aliases: &["class", "classes", "csc"],
        namespaced: false,
    },
    Entry {
        kind: Kind::ClusterServicePlan,
        group: "servicecatalog.k8s.io",
        version: "v1beta1",
        name: "ClusterServicePlan",
        plural: "clusterserviceplans",
        word: "plan",
        aliases: &["plan", "plans", "csp"],
        namespaced: false,
    },
    Entry {
        kind: Kind::Job,
        group: "batch",
        version: "v1",
        name: "Job",
        plural: "jobs",
        word: "job",
        aliases: &[],
        namespaced: true,
    },
];

impl Kind {
    /// Every kind, in the registry's order.
    pub const ALL: [Kind; 6] = [
        Kind::ServiceInstance,
        Kind::ServiceBinding,
        Kind::ClusterServiceBroker,
        Kind::ClusterServiceClass,
        Kind::ClusterServicePlan,
        Kind::Job,
    ];

    /// The kinds with a state to wait for (`wait`, every `--wait`): not classes and plans.
    pub const WAITABLE: [Kind; 4] = [
        Kind::ServiceInstance,
        Kind::ServiceBinding,
        Kind::ClusterServiceBroker,
        Kind::Job,
    ];

    /// The kinds `get` lists.
    pub const LISTED: [Kind; 5] = [
        Kind::ServiceInstance,
        Kind::ServiceBinding,
        Kind::ClusterServiceBroker,
        Kind::ClusterServiceClass,
        Kind::ClusterServicePlan,
    ];

    fn entry(self) -> &'static Entry {
        REGISTRY
            .iter()
            .find(|e| e.kind == self)
            .unwrap_or(&REGISTRY[0])
    }

    /// Parse a TYPE as kubectl users type it: singular, plural, short name or alias, optionally followed
    /// by `.group` (case-insensitive).
    pub fn parse(s: &str) -> Option<Kind> {
        let lower = s.to_ascii_lowercase();
        REGISTRY.iter().find_map(|e| {
            let bare = match lower.strip_suffix(&format!(".{}", e.group)) {
                Some(b) => b,
                None => lower.as_str(),
            };
            let singular = e.name.to_ascii_lowercase();
            (bare == singular || bare == e.plural || e.aliases.contains(&bare)).then_some(e.kind)
        })
    }

    /// The words completion offers for this kind (short forms first).
    pub fn spellings(self) -> Vec<String> {
        let e = self.entry();
        let mut v: Vec<String> = e.aliases.iter().map(|a| a.to_string()).collect();
        v.push(e.name.to_ascii_lowercase());
        v.push(e.plural.to_string());
        v
    }

    /// The everyday word users type for one object (`instance`, `binding`, `broker`, `job`).
    pub fn word(self) -> &'static str {
        self.entry().word
    }

    /// The everyday word for several (`instances`, `classes`), as `get KIND` offers it.
    pub fn words(self) -> String {
        let w = self.entry().word;
        if w.ends_with('s') {
            format!("{w}es")
        } else {
            format!("{w}s")
        }
    }

    /// The API resource, for dynamic clients.
    pub fn resource(self) -> ApiResource {
        let e = self.entry();
        ApiResource::from_gvk_with_plural(
            &GroupVersionKind::gvk(e.group, e.version, e.name),
            e.plural,
        )
    }

    /// The kind's name (`ServiceInstance`).
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The API group (`servicecatalog.k8s.io`, `batch`).
    pub fn group(self) -> &'static str {
        self.entry().group
    }

    /// `serviceinstance.servicecatalog.k8s.io` (kubectl's `-o name` prefix).
    pub fn qualified(self) -> String {
        format!(
            "{}.{}",
            self.entry().name.to_ascii_lowercase(),
            self.entry().group
        )
    }

    /// `serviceinstances` (kubectl's resource spelling in timeout messages).
    pub fn plural(self) -> &'static str {
        self.entry().plural
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        self.entry().namespaced
    }

    /// kubectl's NotFound error for `name` of this kind.
    pub fn not_found(self, name: &str) -> crate::error::Error {
        crate::error::not_found(&format!("{}.{}", self.plural(), self.group()), name)
    }
}

/// "unknown type …" with the kinds allowed here.
fn unknown(t: &str, allowed: &[Kind]) -> String {
    let names: Vec<String> = allowed
        .iter()
        .map(|k| {
            let e = k.entry();
            match e.aliases.first() {
                Some(short) if short.len() <= 3 => {
                    format!("{} ({short})", e.name.to_ascii_lowercase())
                }
                _ => e.name.to_ascii_lowercase(),
            }
        })
        .collect();
    format!("unknown type {t:?}: use {}", names.join(", "))
}

fn allowed_kind(t: &str, allowed: &[Kind]) -> Result<Kind, String> {
    Kind::parse(t)
        .filter(|k| allowed.contains(k))
        .ok_or_else(|| unknown(t, allowed))
}

/// One object named by `NAME` (of `default`), `TYPE/NAME` or `TYPE NAME`, among `allowed` kinds.
/// `Ok(None)` when no word is given.
pub fn parse_one(
    words: &[String],
    default: Kind,
    allowed: &[Kind],
) -> Result<Option<(Kind, String)>, String> {
    let (kind, name) = match words {
        [] => return Ok(None),
        [one] => match one.split_once('/') {
            Some((t, n)) => (allowed_kind(t, allowed)?, n),
            None => (default, one.as_str()),
        },
        [t, n] => (allowed_kind(t, allowed)?, n.as_str()),
        _ => return Err("too many arguments: give NAME, TYPE NAME or TYPE/NAME".into()),
    };
    if name.is_empty() || name.contains('/') {
        return Err(format!("invalid name {name:?}"));
    }
    Ok(Some((kind, name.to_string())))
}

/// Several objects as kubectl takes them: `TYPE/NAME…`, `TYPE NAME…`, or (with `by_selector`) bare
/// `TYPE`s whose objects a selector picks. Returns (kind, name) pairs; the name is `None` for a selector.
pub fn parse_many(
    words: &[String],
    by_selector: bool,
    allowed: &[Kind],
) -> Result<Vec<(Kind, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut current: Option<Kind> = None;
    for w in words {
        if let Some((t, name)) = w.split_once('/') {
            let kind = allowed_kind(t, allowed)?;
            if name.is_empty() {
                return Err(format!("{w:?}: missing the name after '/'"));
            }
            out.push((kind, Some(name.to_string())));
            current = None;
        } else if let Some(kind) = current {
            out.push((kind, Some(w.clone())));
        } else {
            let kind = allowed_kind(w, allowed)?;
            current = Some(kind);
            if by_selector {
                out.push((kind, None));
            }
        }
    }
    if out.is_empty() {
        return Err(match current {
            Some(_) => "give names after the type, or select with -l/--all".into(),
            None => "nothing named: give TYPE/NAME or TYPE NAME".into(),
        });
    }
    if by_selector && out.iter().any(|(_, n)| n.is_some()) {
        return Err("names cannot be combined with -l/--all: give only TYPE".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn every_spelling_of_every_kind_parses_to_it() {
        for k in Kind::ALL {
            for s in k.spellings() {
                assert_eq!(Kind::parse(&s), Some(k), "{s}");
                assert_eq!(Kind::parse(&s.to_uppercase()), Some(k), "{s}");
            }
            assert_eq!(Kind::parse(&k.qualified()), Some(k));
            assert_eq!(
                Kind::parse(&format!("{}.{}", k.plural(), k.group())),
                Some(k)
            );
        }
        assert_eq!(Kind::parse("pods"), None);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.word()), Some(k), "{}", k.word());
            assert_eq!(Kind::parse(&k.words()), Some(k), "{}", k.words());
        }
        assert_eq!(Kind::ServiceInstance.words(), "instances");
        assert_eq!(Kind::ClusterServiceClass.words(), "classes");
        assert_eq!(Kind::parse("csp"), Some(Kind::ClusterServicePlan));
        assert_eq!(Kind::qualified(Kind::Job), "job.batch");
    }

    #[test]
    fn one_object_in_every_form() {
        let both = [Kind::ServiceInstance, Kind::ServiceBinding];
        let si = Kind::ServiceInstance;
        assert_eq!(parse_one(&w("db"), si, &both), Ok(Some((si, "db".into()))));
        assert_eq!(
            parse_one(&w("si/db"), si, &both),
            Ok(Some((si, "db".into())))
        );
        assert_eq!(
            parse_one(&w("binding b1"), si, &both),
            Ok(Some((Kind::ServiceBinding, "b1".into())))
        );
        assert_eq!(
            parse_one(&w("servicebindings.servicecatalog.k8s.io/b1"), si, &both),
            Ok(Some((Kind::ServiceBinding, "b1".into())))
        );
        assert_eq!(parse_one(&[], si, &both), Ok(None));
        let e = parse_one(&w("job/x"), si, &both).expect_err("refused");
        assert!(
            e.contains("use serviceinstance (si), servicebinding (sb)"),
            "{e}"
        );
        assert!(parse_one(&w("a b c"), si, &both).is_err());
        assert!(parse_one(&w("si/"), si, &both).is_err());
    }

    #[test]
    fn many_objects_names_and_selectors() {
        let all = Kind::WAITABLE;
        assert_eq!(
            parse_many(&w("si/a sb b c job/j"), false, &all),
            Ok(vec![
                (Kind::ServiceInstance, Some("a".into())),
                (Kind::ServiceBinding, Some("b".into())),
                (Kind::ServiceBinding, Some("c".into())),
                (Kind::Job, Some("j".into())),
            ])
        );
        assert_eq!(
            parse_many(&w("si"), true, &all),
            Ok(vec![(Kind::ServiceInstance, None)])
        );
        assert!(parse_many(&w("si"), false, &all).is_err());
        assert!(parse_many(&w("si a"), true, &all).is_err());
        assert!(parse_many(&w("pods/x"), false, &all).is_err());
    }
}
