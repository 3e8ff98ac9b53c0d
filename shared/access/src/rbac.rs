//! Least privilege: the RBAC roles shipped in `packaging/rbac/` (embedded here, printed by
//! `kubectl osb rbac`), which of them grants a permission, and the check a writing verb makes before its
//! first write so that a missing permission never leaves a command half done.
//!
//! * [`ROLES`]: the manifests as shipped, comments included (one ClusterRole per file).
//! * [`granted_by`]: the shipped roles granting `verb` on a resource, for messages.
//! * [`preflight`]: asks the API server (`SelfSubjectAccessReview`, which every authenticated user may
//!   create) whether each permission a verb will need from its first write on is granted; any denied →
//!   [`Error::Forbidden`] naming each one and the role that grants it, before anything was changed. When
//!   the server cannot answer (the review API is forbidden or absent), the verb goes on and the server
//!   enforces as always.
//! * [`forbidden_hint`]: the same explanation for a 403 the server returned; [`explained`] prints an
//!   error with it (what `cli` prints: the error type itself knows nothing of roles).
//! * [`missing`]: that explanation naming one role, for a request only that role is meant for (the
//!   broker's Secret: `osb-lifecycle` reads Secrets too, but in the user's own namespaces).

use std::sync::OnceLock;

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::rbac::v1::ClusterRole;
use kube::Client;
use kube::api::{Api, PostParams};

use crate::error::{Error, Result};

/// One shipped manifest: its file under `packaging/rbac/` and its text.
pub struct Manifest {
    /// The short name (`lifecycle`); the ClusterRole is `osb-` + this.
    pub short: &'static str,
    pub file: &'static str,
    pub text: &'static str,
}

/// One shipped role's manifest: `packaging/rbac/NAME.yaml`, its text compiled in.
macro_rules! role {
    ($short:literal) => {
        Manifest {
            short: $short,
            file: concat!("packaging/rbac/", $short, ".yaml"),
            text: include_str!(concat!("../../../packaging/rbac/", $short, ".yaml")),
        }
    };
}

/// The shipped roles, in the order they are printed.
pub const ROLES: &[Manifest] = &[
    role!("catalog-reader"),
    role!("lifecycle"),
    role!("update"),
    role!("bind-env"),
    role!("pipeline"),
    role!("abandon"),
    role!("broker-credentials"),
];

/// How a role is meant to be bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A RoleBinding in each namespace where the verbs run.
    Namespace,
    /// A ClusterRoleBinding (the role reads cluster-scoped kinds).
    Cluster,
}

/// A shipped role, parsed.
#[derive(Clone, Debug)]
pub struct Role {
    pub short: &'static str,
    pub file: &'static str,
    pub name: String,
    pub summary: String,
    pub scope: Scope,
    pub role: ClusterRole,
}

impl Role {
    /// Whether a rule of this role grants `verb` on `group`/`resource` (subresources as `pods/log`).
    pub fn grants(&self, verb: &str, group: &str, resource: &str) -> bool {
        self.role.rules.iter().flatten().any(|r| {
            let has = |list: &Option<Vec<String>>, want: &str| {
                list.iter().flatten().any(|x| x == want || x == "*")
            };
            has(&r.api_groups, group)
                && has(&r.resources, resource)
                && r.verbs.iter().any(|v| v == verb || v == "*")
                && r.resource_names.as_ref().is_none_or(Vec::is_empty)
        })
    }
}

/// The shipped roles, parsed once.
pub fn roles() -> &'static [Role] {
    static ROLES_PARSED: OnceLock<Vec<Role>> = OnceLock::new();
    ROLES_PARSED.get_or_init(|| {
        ROLES
            .iter()
            .map(|m| {
                let role: ClusterRole = crate::yaml::from_str(m.text)
                    .unwrap_or_else(|e| panic!("{} is not a ClusterRole: {e}", m.file));
                let ann = |k: &str| {
                    role.metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get(k))
                        .cloned()
                        .unwrap_or_default()
                };
                let scope = if ann("kubectl-osb.dev/binding") == "ClusterRoleBinding" {
                    Scope::Cluster
                } else {
                    Scope::Namespace
                };
                Role {
                    short: m.short,
                    file: m.file,
                    name: role.metadata.name.clone().unwrap_or_default(),
                    summary: ann("kubectl-osb.dev/summary"),
                    scope,
                    role,
                }
            })
            .collect()
    })
}

/// The role named `name` (`lifecycle` or `osb-lifecycle`).
pub fn role(name: &str) -> Option<&'static Role> {
    let short = name.strip_prefix("osb-").unwrap_or(name);
    roles().iter().find(|r| r.short == short)
}

/// The shipped roles granting `verb` on `group`/`resource`.
pub fn granted_by(verb: &str, group: &str, resource: &str) -> Vec<&'static Role> {
    roles()
        .iter()
        .filter(|r| r.grants(verb, group, resource))
        .collect()
}

/// Resources that exist outside namespaces (only a ClusterRoleBinding grants them).
fn cluster_scoped(resource: &str) -> bool {
    matches!(
        resource,
        "clusterservicebrokers" | "clusterserviceclasses" | "clusterserviceplans" | "namespaces"
    )
}

/// One permission a verb needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub verb: &'static str,
    pub group: &'static str,
    pub resource: &'static str,
    /// `None`: at the cluster scope.
    pub namespace: Option<String>,
    /// The object, when the request names one.
    pub name: Option<String>,
}

impl Need {
    /// `verb` on `resource` of `group` in `namespace`.
    pub fn new(verb: &'static str, group: &'static str, resource: &'static str, ns: &str) -> Need {
        Need {
            verb,
            group,
            resource,
            namespace: Some(ns.to_string()),
            name: None,
        }
    }

    /// `verb` on objects of `kind` (the kind registry's group and plural) in `ns`.
    pub fn of(kind: crate::kinds::Kind, verb: &'static str, ns: &str) -> Need {
        Need::new(verb, kind.group(), kind.plural(), ns)
    }

    /// `verb` on ServiceInstances in `ns`.
    pub fn instances(verb: &'static str, ns: &str) -> Need {
        Need::of(crate::kinds::Kind::ServiceInstance, verb, ns)
    }

    /// `verb` on ServiceBindings in `ns`.
    pub fn bindings(verb: &'static str, ns: &str) -> Need {
        Need::of(crate::kinds::Kind::ServiceBinding, verb, ns)
    }

    /// `verb` on Secrets in `ns`.
    pub fn secrets(verb: &'static str, ns: &str) -> Need {
        Need::new(verb, "", "secrets", ns)
    }

    /// The same, for the object `name`.
    pub fn named(mut self, name: &str) -> Need {
        self.name = Some(name.to_string());
        self
    }

    /// `serviceinstances.servicecatalog.k8s.io`, `secrets`.
    pub fn qualified(&self) -> String {
        qualified(self.group, self.resource)
    }

    /// `watch servicebindings.servicecatalog.k8s.io in namespace "dev"`.
    pub fn describe(&self) -> String {
        let what = match &self.name {
            Some(n) => format!("{} {:?}", self.qualified(), n),
            None => self.qualified(),
        };
        format!(
            "{} {what} {}",
            self.verb,
            scope_words(self.namespace.as_deref())
        )
    }

    /// The API server's own wording when it refuses this request (`responsewriters.forbiddenMessage`).
    pub fn forbidden_message(&self, user: &str) -> String {
        let what = match &self.name {
            Some(n) => format!("{} {n:?}", self.qualified()),
            None => self.qualified(),
        };
        let scope = match &self.namespace {
            Some(ns) => format!(" in the namespace {ns:?}"),
            None => " at the cluster scope".to_string(),
        };
        format!(
            "{what} is forbidden: User {user:?} cannot {} resource {:?} in API group {:?}{scope}",
            self.verb, self.resource, self.group
        )
    }
}

fn qualified(group: &str, resource: &str) -> String {
    if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    }
}

fn scope_words(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("in namespace {ns:?}"),
        None => "at the cluster scope".into(),
    }
}

/// `--serviceaccount NS:NAME` or `--user NAME`, for a command line that grants a role to `user`.
fn subject_flag(user: &str) -> String {
    match user.strip_prefix("system:serviceaccount:") {
        Some(sa) => format!("--serviceaccount {sa}"),
        None if user.is_empty() => "--serviceaccount NAMESPACE:NAME".into(),
        None => format!("--user {user}"),
    }
}

/// Where `verb` on a resource is granted: `ClusterRole osb-lifecycle (bound with a RoleBinding in "dev")`,
/// or why none of the shipped roles does.
fn grant_words(verb: &str, group: &str, resource: &str, namespace: Option<&str>) -> String {
    roles_words(&granted_by(verb, group, resource), resource, namespace)
}

/// `granted by ClusterRole … (bound with …)` for `roles`, which grant a permission on `resource` in
/// `namespace`; why none does when there is none.
fn roles_words(roles: &[&Role], resource: &str, namespace: Option<&str>) -> String {
    if roles.is_empty() {
        return "no role shipped with kubectl osb grants it ('kubectl osb rbac --list' lists them)"
            .into();
    }
    let names: Vec<String> = roles
        .iter()
        .map(|r| {
            let how = match namespace {
                _ if r.scope == Scope::Cluster || cluster_scoped(resource) => {
                    "bound with a ClusterRoleBinding".to_string()
                }
                Some(ns) => format!("bound with a RoleBinding in {ns:?}"),
                None => "bound cluster-wide with a ClusterRoleBinding".to_string(),
            };
            format!("ClusterRole {} ({how})", r.name)
        })
        .collect();
    format!("granted by {}", names.join(" or "))
}

/// The command that grants the roles: `kubectl osb rbac lifecycle --serviceaccount dev:ci | kubectl apply -f -`.
/// The RoleBindings of a namespaced role go to `namespace`: `-n` is added unless it is the service
/// account's own (`kubectl osb rbac`'s default), and is required for a user or a group.
fn grant_command(
    roles: &[&Role],
    user: &str,
    cluster_wide: bool,
    namespace: Option<&str>,
) -> String {
    let mut names: Vec<&str> = roles.iter().map(|r| r.short).collect();
    names.dedup();
    let where_ = match namespace {
        _ if cluster_wide => " --cluster-wide".to_string(),
        Some(ns) if roles.iter().any(|r| r.scope == Scope::Namespace) => {
            let own = user
                .strip_prefix("system:serviceaccount:")
                .and_then(|sa| sa.split_once(':'))
                .map(|(sa_ns, _)| sa_ns);
            if own == Some(ns) {
                String::new()
            } else {
                format!(" -n {ns}")
            }
        }
        _ => String::new(),
    };
    format!(
        "kubectl osb rbac {} {}{where_} | kubectl apply -f -",
        names.join(" "),
        subject_flag(user),
    )
}

/// What a 403's message says was refused (the API server's `forbiddenMessage`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub user: String,
    pub verb: String,
    pub resource: String,
    pub group: String,
    /// `None`: at the cluster scope.
    pub namespace: Option<String>,
}

/// Parse `… is forbidden: User "U" cannot VERB resource "R" in API group "G" (in the namespace "N"|at the
/// cluster scope)…`; `None` for any other message.
pub fn parse_forbidden(message: &str) -> Option<Refused> {
    let quoted = |s: &str| -> Option<(String, usize)> {
        let s = s.strip_prefix('"')?;
        let end = s.find('"')?;
        Some((s[..end].to_string(), end + 2))
    };
    let at = message.find(" is forbidden: User ")?;
    let rest = &message[at + " is forbidden: User ".len()..];
    let (user, n) = quoted(rest)?;
    let rest = rest[n..].strip_prefix(" cannot ")?;
    let (verb, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix("resource ")?;
    let (resource, n) = quoted(rest)?;
    let rest = rest[n..].strip_prefix(" in API group ")?;
    let (group, n) = quoted(rest)?;
    let rest = &rest[n..];
    let namespace = if let Some(r) = rest.strip_prefix(" in the namespace ") {
        Some(quoted(r)?.0)
    } else if rest.starts_with(" at the cluster scope") {
        None
    } else {
        return None;
    };
    Some(Refused {
        user,
        verb: verb.to_string(),
        resource,
        group,
        namespace,
    })
}

/// The explanation added under a 403 the server returned: what was missing and which shipped role
/// grants it. `None` when the message is not the API server's RBAC wording.
pub fn forbidden_hint(message: &str) -> Option<String> {
    let r = parse_forbidden(message)?;
    let roles = granted_by(&r.verb, &r.group, &r.resource);
    let what = format!(
        "{} {} {}",
        r.verb,
        qualified(&r.group, &r.resource),
        scope_words(r.namespace.as_deref())
    );
    Some(explain(&what, &r, &roles))
}

/// `missing: WHAT: granted by …` and, when a role grants it, `hint: kubectl osb rbac ROLE … | kubectl
/// apply -f -` (the first of `roles`).
fn explain(what: &str, r: &Refused, roles: &[&Role]) -> String {
    let mut hint = format!(
        "missing: {what}: {}",
        roles_words(roles, &r.resource, r.namespace.as_deref())
    );
    if !roles.is_empty() {
        let cluster_wide = r.namespace.is_none() && !cluster_scoped(&r.resource);
        hint.push_str(&format!(
            "\nhint: {}",
            grant_command(&roles[..1], &r.user, cluster_wide, r.namespace.as_deref())
        ));
    }
    hint
}

/// [`forbidden_hint`]'s explanation for `need`, refused to `user` (empty when unknown), naming the shipped
/// role `role` as the one meant to grant it — for a request another shipped role may grant too, but for
/// another purpose (reading a broker's Secret: `osb-broker-credentials`, not `osb-lifecycle`).
pub fn missing(short: &str, need: &Need, user: &str) -> String {
    let r = Refused {
        user: user.to_string(),
        verb: need.verb.to_string(),
        resource: need.resource.to_string(),
        group: need.group.to_string(),
        namespace: need.namespace.clone(),
    };
    let roles: Vec<&Role> = role(short).into_iter().collect();
    explain(&need.describe(), &r, &roles)
}

/// An error as the suite prints it: kubectl's rendering ([`Error::render`]) and, under a 403 in RBAC's
/// wording, what is missing and which shipped role grants it ([`forbidden_hint`]).
pub fn explained(e: &Error) -> Option<String> {
    let mut msg = e.render()?;
    if let Some(hint) = e.forbidden_message().and_then(forbidden_hint) {
        msg.push('\n');
        msg.push_str(&hint);
    }
    Some(msg)
}

/// Ask the server whether each of `needs` is granted; if any is not, fail with every missing one and
/// the shipped roles granting them, before the verb changes anything. `action` names the command
/// (`kubectl osb bind --wait`). A server that cannot answer does not stop the verb.
pub async fn preflight(client: &Client, action: &str, needs: &[Need]) -> Result<()> {
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let checks = needs.iter().map(|n| {
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    verb: Some(n.verb.to_string()),
                    group: Some(n.group.to_string()),
                    resource: Some(n.resource.to_string()),
                    namespace: n.namespace.clone(),
                    name: n.name.clone(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let api = api.clone();
        async move { api.create(&PostParams::default(), &review).await }
    });
    let answers = futures::future::join_all(checks).await;
    let mut denied = Vec::new();
    for (need, answer) in needs.iter().zip(answers) {
        match answer {
            Ok(r) if r.status.as_ref().is_some_and(|s| s.allowed) => {}
            Ok(r) if r.status.is_some() => denied.push(need.clone()),
            // No answer (no status, the review refused or unknown): the server enforces as always.
            _ => return Ok(()),
        }
    }
    if denied.is_empty() {
        return Ok(());
    }
    let user = whoami(client).await.unwrap_or_default();
    Err(Error::Forbidden(denial(action, &denied, &user)))
}

/// The message for permissions found missing before a verb's first write.
pub fn denial(action: &str, denied: &[Need], user: &str) -> String {
    let shown_user = if user.is_empty() { "?" } else { user };
    let mut s = format!(
        "Error from server (Forbidden): {}\nerror: {action} needs {} it does not have; checked before changing anything, nothing was changed:",
        denied[0].forbidden_message(shown_user),
        if denied.len() == 1 {
            "a permission"
        } else {
            "permissions"
        },
    );
    let mut roles: Vec<&Role> = Vec::new();
    for n in denied {
        s.push_str(&format!(
            "\n  {}: {}",
            n.describe(),
            grant_words(n.verb, n.group, n.resource, n.namespace.as_deref())
        ));
        if let Some(r) = granted_by(n.verb, n.group, n.resource).first()
            && !roles.iter().any(|x| x.name == r.name)
        {
            roles.push(r);
        }
    }
    if !roles.is_empty() {
        let cluster_wide = denied
            .iter()
            .any(|n| n.namespace.is_none() && !cluster_scoped(n.resource));
        let namespace = denied.iter().find_map(|n| n.namespace.as_deref());
        s.push_str(&format!(
            "\nhint: {}",
            grant_command(&roles, user, cluster_wide, namespace)
        ));
    }
    s
}

/// The authenticated (or impersonated) user's name, as the server sees it.
pub async fn whoami(client: &Client) -> Option<String> {
    let api: Api<SelfSubjectReview> = Api::all(client.clone());
    let review = SelfSubjectReview::default();
    let r = api.create(&PostParams::default(), &review).await.ok()?;
    r.status?.user_info?.username
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_manifest_is_one_labelled_cluster_role() {
        assert_eq!(roles().len(), ROLES.len());
        for r in roles() {
            assert_eq!(r.name, format!("osb-{}", r.short), "{}", r.file);
            assert!(!r.summary.is_empty(), "{}: summary annotation", r.file);
            assert_eq!(
                r.role
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("app.kubernetes.io/part-of"))
                    .map(String::as_str),
                Some("kubectl-osb"),
                "{}",
                r.file
            );
            for rule in r.role.rules.iter().flatten() {
                assert!(
                    !rule.verbs.iter().any(|v| v == "*")
                        && !rule.resources.iter().flatten().any(|x| x == "*"),
                    "{}: no wildcards",
                    r.file
                );
            }
        }
    }

    #[test]
    fn only_the_abandon_role_may_patch_and_only_update_may_update_instances() {
        let g = crate::catalog::GROUP;
        for res in ["serviceinstances", "servicebindings"] {
            let patchers: Vec<&str> = granted_by("patch", g, res)
                .iter()
                .map(|r| r.short)
                .collect();
            assert_eq!(patchers, ["abandon"], "{res}");
        }
        let updaters: Vec<&str> = granted_by("update", g, "serviceinstances")
            .iter()
            .map(|r| r.short)
            .collect();
        assert_eq!(updaters, ["update"]);
        assert!(granted_by("update", g, "servicebindings").is_empty());
        assert!(
            granted_by("list", "", "secrets").is_empty(),
            "secrets are never listed"
        );
        assert_eq!(
            role("osb-lifecycle").map(|r| r.scope),
            Some(Scope::Namespace)
        );
        assert_eq!(
            role("catalog-reader").map(|r| r.scope),
            Some(Scope::Cluster)
        );
    }

    #[test]
    fn the_servers_forbidden_message_is_understood() {
        let m = "serviceinstances.servicecatalog.k8s.io is forbidden: User \"system:serviceaccount:dev:ci\" cannot list resource \"serviceinstances\" in API group \"servicecatalog.k8s.io\" in the namespace \"dev\"";
        let r = parse_forbidden(m).expect("parsed");
        assert_eq!(
            r,
            Refused {
                user: "system:serviceaccount:dev:ci".into(),
                verb: "list".into(),
                resource: "serviceinstances".into(),
                group: "servicecatalog.k8s.io".into(),
                namespace: Some("dev".into()),
            }
        );
        let hint = forbidden_hint(m).expect("hint");
        assert_eq!(
            hint,
            "missing: list serviceinstances.servicecatalog.k8s.io in namespace \"dev\": granted by ClusterRole osb-lifecycle (bound with a RoleBinding in \"dev\")\n\
             hint: kubectl osb rbac lifecycle --serviceaccount dev:ci | kubectl apply -f -"
        );
        let cluster = "clusterserviceclasses.servicecatalog.k8s.io is forbidden: User \"bob\" cannot list resource \"clusterserviceclasses\" in API group \"servicecatalog.k8s.io\" at the cluster scope";
        let hint = forbidden_hint(cluster).expect("hint");
        assert!(
            hint.contains("osb-catalog-reader (bound with a ClusterRoleBinding)"),
            "{hint}"
        );
        assert!(
            hint.ends_with("kubectl osb rbac catalog-reader --user bob | kubectl apply -f -"),
            "{hint}"
        );
        let all = "serviceinstances.servicecatalog.k8s.io is forbidden: User \"bob\" cannot list resource \"serviceinstances\" in API group \"servicecatalog.k8s.io\" at the cluster scope";
        assert!(
            forbidden_hint(all)
                .expect("hint")
                .contains("--cluster-wide")
        );
        let pods = "pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"x\"";
        assert!(
            forbidden_hint(pods)
                .expect("hint")
                .contains("no role shipped")
        );
        assert_eq!(forbidden_hint("something else entirely"), None);
    }

    #[test]
    fn a_forbidden_error_names_what_is_missing_and_the_role_granting_it() {
        let msg = "servicebindings.servicecatalog.k8s.io is forbidden: User \"system:serviceaccount:dev:ci\" cannot delete resource \"servicebindings\" in API group \"servicecatalog.k8s.io\" in the namespace \"dev\"";
        let status = kube::core::Status::failure(msg, "Forbidden").with_code(403);
        let e = Error::Kube(kube::Error::Api(Box::new(status)));
        let text = explained(&e).expect("printed");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(format!("Error from server (Forbidden): {msg}").as_str())
        );
        assert_eq!(
            lines.next(),
            Some(
                "missing: delete servicebindings.servicecatalog.k8s.io in namespace \"dev\": granted by ClusterRole osb-lifecycle (bound with a RoleBinding in \"dev\")"
            )
        );
        // Anything else is printed as kubectl prints it.
        let other = Error::Input("bad".into());
        assert_eq!(explained(&other), other.render());
        assert_eq!(explained(&Error::Interrupted), None);
        let denied = Error::Forbidden("Error from server (Forbidden): complete".into());
        assert_eq!(explained(&denied), denied.render());
    }

    #[test]
    fn reading_brokers_is_the_readers_and_their_secrets_and_proxy_an_opt_in_role() {
        let g = crate::catalog::GROUP;
        for res in [
            "clusterservicebrokers",
            "clusterserviceclasses",
            "clusterserviceplans",
            "servicebrokers",
            "serviceclasses",
            "serviceplans",
        ] {
            let getters: Vec<&str> = granted_by("get", g, res).iter().map(|r| r.short).collect();
            assert_eq!(getters, ["catalog-reader"], "{res}");
        }
        let opt_in = role("osb-broker-credentials").expect("shipped");
        assert_eq!(opt_in.scope, Scope::Namespace);
        let proxy: Vec<&str> = granted_by("get", "", "services/proxy")
            .iter()
            .map(|r| r.short)
            .collect();
        assert_eq!(proxy, ["broker-credentials"]);
        // The lifecycle's Secrets come first: a generic 403 on a Secret points there.
        let secrets: Vec<&str> = granted_by("get", "", "secrets")
            .iter()
            .map(|r| r.short)
            .collect();
        assert_eq!(secrets, ["lifecycle", "broker-credentials"]);
        // Nothing else: no list, no other resource, no write.
        let mut grants = Vec::new();
        for r in opt_in.role.rules.iter().flatten() {
            for res in r.resources.iter().flatten() {
                for v in &r.verbs {
                    grants.push(format!("{v} {res}"));
                }
            }
        }
        assert_eq!(grants, ["get secrets", "get services/proxy"]);
    }

    #[test]
    fn the_grant_command_binds_where_the_permission_was_missing() {
        let lifecycle = role("lifecycle").expect("shipped");
        let reader = role("catalog-reader").expect("shipped");
        let sa = "system:serviceaccount:dev:ci";
        let cmd = |roles: &[&Role], user, wide, ns| grant_command(roles, user, wide, ns);
        assert_eq!(
            cmd(&[lifecycle], sa, false, Some("dev")),
            "kubectl osb rbac lifecycle --serviceaccount dev:ci | kubectl apply -f -"
        );
        assert_eq!(
            cmd(&[lifecycle], sa, false, Some("brokers")),
            "kubectl osb rbac lifecycle --serviceaccount dev:ci -n brokers | kubectl apply -f -"
        );
        // A user's RoleBindings need a namespace (kubectl osb rbac refuses without one).
        assert_eq!(
            cmd(&[lifecycle], "alice", false, Some("dev")),
            "kubectl osb rbac lifecycle --user alice -n dev | kubectl apply -f -"
        );
        assert_eq!(
            cmd(&[reader], "alice", false, Some("dev")),
            "kubectl osb rbac catalog-reader --user alice | kubectl apply -f -"
        );
        assert_eq!(
            cmd(&[lifecycle], "alice", true, None),
            "kubectl osb rbac lifecycle --user alice --cluster-wide | kubectl apply -f -"
        );
        assert_eq!(
            cmd(&[lifecycle], "", false, Some("dev")),
            "kubectl osb rbac lifecycle --serviceaccount NAMESPACE:NAME -n dev | kubectl apply -f -"
        );
    }

    #[test]
    fn a_brokers_secret_and_service_proxy_name_the_opt_in_role() {
        let secret = "secrets \"creds\" is forbidden: User \"system:serviceaccount:dev:ci\" cannot get resource \"secrets\" in API group \"\" in the namespace \"brokers\"";
        let r = parse_forbidden(secret).expect("parsed");
        let need = Need::secrets("get", "brokers").named("creds");
        assert_eq!(
            missing("broker-credentials", &need, &r.user),
            "missing: get secrets \"creds\" in namespace \"brokers\": granted by ClusterRole osb-broker-credentials (bound with a RoleBinding in \"brokers\")\n\
             hint: kubectl osb rbac broker-credentials --serviceaccount dev:ci -n brokers | kubectl apply -f -"
        );
        // The user unknown: the command says what to fill in.
        assert!(
            missing("broker-credentials", &need, "").ends_with(
                "kubectl osb rbac broker-credentials --serviceaccount NAMESPACE:NAME -n brokers | kubectl apply -f -"
            )
        );
        // The service proxy is only the opt-in role's: the generic explanation names it.
        let proxy = "services \"osb:8080\" is forbidden: User \"bob\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"brokers\"";
        let r = parse_forbidden(proxy).expect("parsed");
        assert_eq!(r.resource, "services/proxy");
        assert_eq!(
            forbidden_hint(proxy).expect("hint"),
            "missing: get services/proxy in namespace \"brokers\": granted by ClusterRole osb-broker-credentials (bound with a RoleBinding in \"brokers\")\n\
             hint: kubectl osb rbac broker-credentials --user bob -n brokers | kubectl apply -f -"
        );
    }

    #[test]
    fn a_denial_names_every_missing_permission_and_its_role() {
        let denied = [
            Need::bindings("watch", "dev"),
            Need::secrets("get", "dev").named("app"),
        ];
        let m = denial(
            "kubectl osb bind --wait",
            &denied,
            "system:serviceaccount:dev:ci",
        );
        let first = m.lines().next().expect("a line");
        assert_eq!(
            first,
            "Error from server (Forbidden): servicebindings.servicecatalog.k8s.io is forbidden: User \"system:serviceaccount:dev:ci\" cannot watch resource \"servicebindings\" in API group \"servicecatalog.k8s.io\" in the namespace \"dev\""
        );
        assert!(m.contains("\n  watch servicebindings.servicecatalog.k8s.io in namespace \"dev\": granted by ClusterRole osb-lifecycle"));
        assert!(m.contains(
            "\n  get secrets \"app\" in namespace \"dev\": granted by ClusterRole osb-lifecycle"
        ));
        assert!(m.contains("nothing was changed"));
        assert!(
            m.ends_with(
                "hint: kubectl osb rbac lifecycle --serviceaccount dev:ci | kubectl apply -f -"
            ),
            "{m}"
        );
        assert_eq!(
            parse_forbidden(first.trim_start_matches("Error from server (Forbidden): ")),
            Some(Refused {
                user: "system:serviceaccount:dev:ci".into(),
                verb: "watch".into(),
                resource: "servicebindings".into(),
                group: "servicecatalog.k8s.io".into(),
                namespace: Some("dev".into()),
            }),
            "our wording is the server's"
        );
    }
}
