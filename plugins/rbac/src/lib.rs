//! `kubectl osb rbac [ROLE…]`: the least-privilege roles kubectl osb ships (`packaging/rbac/`), printed as
//! they are — every rule commented with the verbs that need it — for `kubectl apply -f -`; with
//! `--serviceaccount`, `--user` or `--group`, the bindings that grant them too. Offline: nothing is read
//! from or written to a cluster.

use std::io::Write;

use clap::Parser;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::output;
use osb::rbac::{self, Role, Scope};

/// Print the RBAC roles kubectl osb needs, for kubectl apply -f -.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-rbac", bin_name = "kubectl osb rbac", version)]
#[command(
    after_help = "Roles (ClusterRoles; see docs/rbac.md for every rule and the verbs needing it):
  catalog-reader   read brokers, classes and plans        bind with a ClusterRoleBinding
  lifecycle        provision, bind, unbind, deprovision,  bind with a RoleBinding per namespace
                   wait, describe, get
  update           provision --update                     RoleBinding, where updates are needed
  bind-env         bind env --apply-to KIND/NAME          RoleBinding
  pipeline         the Jobs of examples/pipeline.sh       RoleBinding (with catalog-reader, lifecycle)
  abandon          DANGEROUS: remove finalizers           RoleBinding (with lifecycle); never for a pipeline
  broker-credentials
                   OPT-IN: kubectl osb broker … for a     RoleBinding where the broker's Secret (or
                   broker with authInfo or behind the     Service) is
                   API server's service proxy

Examples:
  # Every role, to review, then to apply (a cluster admin's job)
  kubectl osb rbac
  kubectl osb rbac | kubectl apply -f -

  # A CI service account that provisions and binds in namespace dev
  kubectl osb rbac catalog-reader lifecycle --serviceaccount dev:ci | kubectl apply -f -

  # The same account may read the credentials of brokers whose Secrets are in namespace brokers
  kubectl osb rbac broker-credentials --serviceaccount dev:ci -n brokers | kubectl apply -f -

  # What the account may do, checked by an admin
  kubectl osb get instances -n dev --as system:serviceaccount:dev:ci

Binding names are ROLE:SUBJECT (ClusterRoleBindings: ROLE:NAMESPACE:NAME for a service account)."
)]
pub struct Args {
    /// Roles to print (default: all of them): catalog-reader, lifecycle, update, bind-env, pipeline, abandon,
    /// broker-credentials
    #[arg(value_name = "ROLE", value_parser = role_names())]
    pub roles: Vec<String>,
    /// List the roles, one line each, instead of printing them
    #[arg(long, conflicts_with_all = ["serviceaccount", "user", "group", "cluster_wide"])]
    pub list: bool,
    /// Also print the bindings granting the roles to this ServiceAccount
    #[arg(long, value_name = "NAMESPACE:NAME", conflicts_with_all = ["user", "group"], add = Complete::Nothing)]
    pub serviceaccount: Option<String>,
    /// Also print the bindings granting the roles to this user
    #[arg(long, value_name = "NAME", conflicts_with = "group", add = Complete::Nothing)]
    pub user: Option<String>,
    /// Also print the bindings granting the roles to this group
    #[arg(long, value_name = "NAME", add = Complete::Nothing)]
    pub group: Option<String>,
    /// Namespace of the RoleBindings (default: the ServiceAccount's)
    #[arg(short = 'n', long, value_name = "NAMESPACE", add = Complete::Namespaces)]
    pub namespace: Option<String>,
    /// Bind every role in all namespaces (ClusterRoleBindings), e.g. for get -A or abandon --list -A
    #[arg(long)]
    pub cluster_wide: bool,
    /// kubectl's `-v` (accepted, as by every verb; rbac sends no request, so logs nothing)
    #[command(flatten)]
    pub verbosity: osb::client::Verbosity,
}

/// The roles' names for clap (completion, "did you mean"); `osb-` + name is accepted too.
fn role_names() -> clap::builder::PossibleValuesParser {
    let mut values: Vec<clap::builder::PossibleValue> = Vec::new();
    for r in rbac::roles() {
        values.push(clap::builder::PossibleValue::new(r.short).help(r.summary.clone()));
    }
    for r in rbac::roles() {
        values.push(clap::builder::PossibleValue::new(r.name.as_str()).hide(true));
    }
    clap::builder::PossibleValuesParser::new(values)
}

/// Who the bindings grant the roles to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    ServiceAccount { namespace: String, name: String },
    User(String),
    Group(String),
}

impl Subject {
    fn yaml(&self) -> String {
        let q = osb::yaml::string_text;
        match self {
            Subject::ServiceAccount { namespace, name } => format!(
                "- kind: ServiceAccount\n  name: {}\n  namespace: {}\n",
                q(name),
                q(namespace)
            ),
            Subject::User(n) => format!(
                "- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: {}\n",
                q(n)
            ),
            Subject::Group(n) => format!(
                "- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: {}\n",
                q(n)
            ),
        }
    }

    /// The part of a binding's name that says who it is for.
    fn id(&self, cluster: bool) -> String {
        match self {
            Subject::ServiceAccount { namespace, name } if cluster => format!("{namespace}:{name}"),
            Subject::ServiceAccount { name, .. } => name.clone(),
            Subject::User(n) | Subject::Group(n) => n.clone(),
        }
    }
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

fn subject(args: &Args) -> Result<Option<Subject>> {
    if let Some(sa) = &args.serviceaccount {
        let (ns, name) = sa.split_once(':').ok_or_else(|| {
            usage(format!(
                "--serviceaccount {sa:?}: expected NAMESPACE:NAME, e.g. dev:ci"
            ))
        })?;
        osb::lifecycle::check_name("namespace", ns)?;
        osb::lifecycle::check_name("service account", name)?;
        return Ok(Some(Subject::ServiceAccount {
            namespace: ns.into(),
            name: name.into(),
        }));
    }
    for (flag, v, make) in [
        ("--user", &args.user, Subject::User as fn(String) -> Subject),
        ("--group", &args.group, Subject::Group),
    ] {
        if let Some(n) = v {
            if n.is_empty() || n.contains('/') || n.contains('%') {
                return Err(usage(format!("{flag} {n:?}: not a valid name")));
            }
            return Ok(Some(make(n.clone())));
        }
    }
    Ok(None)
}

/// The roles named on the command line (all of them when none is), in the shipped order.
fn selected(names: &[String]) -> Result<Vec<&'static Role>> {
    let mut want = Vec::new();
    for n in names {
        let r = rbac::role(n).ok_or_else(|| {
            let valid: Vec<&str> = rbac::roles().iter().map(|r| r.short).collect();
            Error::Input(format!(
                "unknown role {n:?}{}; the roles are: {}",
                osb::suggest::did_you_mean(n, &valid),
                valid.join(", ")
            ))
        })?;
        if !want.iter().any(|w: &&Role| w.name == r.name) {
            want.push(r);
        }
    }
    if want.is_empty() {
        return Ok(rbac::roles().iter().collect());
    }
    Ok(rbac::roles()
        .iter()
        .filter(|r| want.iter().any(|w| w.name == r.name))
        .collect())
}

/// The binding granting `role` to `who`: a ClusterRoleBinding for a cluster role (or `cluster_wide`),
/// else a RoleBinding in `namespace`.
pub fn binding(role: &Role, who: &Subject, namespace: Option<&str>, cluster_wide: bool) -> String {
    let q = osb::yaml::string_text;
    let cluster = cluster_wide || role.scope == Scope::Cluster;
    let name = format!("{}:{}", role.name, who.id(cluster));
    let (kind, ns_line) = if cluster {
        ("ClusterRoleBinding", String::new())
    } else {
        (
            "RoleBinding",
            format!("  namespace: {}\n", q(namespace.unwrap_or("default"))),
        )
    };
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {}\n{ns_line}  labels:\n    app.kubernetes.io/part-of: kubectl-osb\n\
         roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {}\nsubjects:\n{}",
        q(&name),
        q(&role.name),
        who.yaml()
    )
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let roles = selected(&args.roles)?;
    let who = subject(&args)?;
    let mut out = std::io::stdout().lock();
    if args.list {
        let rows = roles
            .iter()
            .map(|r| {
                vec![
                    r.short.to_string(),
                    r.name.clone(),
                    match r.scope {
                        Scope::Cluster => "ClusterRoleBinding".into(),
                        Scope::Namespace => "RoleBinding".into(),
                    },
                    r.summary.clone(),
                ]
            })
            .collect();
        write!(
            out,
            "{}",
            output::table(&["role", "clusterrole", "bind with", "for"], rows)
        )?;
        return Ok(());
    }
    if who.is_none() && (args.namespace.is_some() || args.cluster_wide) {
        return Err(usage(
            "-n and --cluster-wide apply to bindings: give --serviceaccount, --user or --group",
        ));
    }
    let namespace = match (&who, &args.namespace) {
        (_, Some(ns)) => {
            osb::lifecycle::check_name("namespace", ns)?;
            Some(ns.clone())
        }
        (Some(Subject::ServiceAccount { namespace, .. }), None) => Some(namespace.clone()),
        _ => None,
    };
    if let Some(w) = &who {
        if args.roles.is_empty() {
            return Err(usage(
                "name the roles to grant (e.g. catalog-reader lifecycle); none is granted by default",
            ));
        }
        let needs_ns = !args.cluster_wide && roles.iter().any(|r| r.scope == Scope::Namespace);
        if needs_ns && namespace.is_none() {
            return Err(usage(format!(
                "the RoleBindings need a namespace: give -n NAMESPACE (or --cluster-wide) for {}",
                match w {
                    Subject::User(_) => "--user",
                    _ => "--group",
                }
            )));
        }
    }
    let mut docs: Vec<String> = roles.iter().map(|r| text_of(r).to_string()).collect();
    if let Some(w) = &who {
        for r in &roles {
            docs.push(binding(r, w, namespace.as_deref(), args.cluster_wide));
        }
    }
    out.write_all(docs.join("---\n").as_bytes())?;
    Ok(())
}

/// The manifest of `role` exactly as shipped.
fn text_of(role: &Role) -> &'static str {
    rbac::ROLES
        .iter()
        .find(|m| m.short == role.short)
        .map(|m| m.text)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        let mut v = vec!["kubectl-osb-rbac"];
        v.extend_from_slice(args);
        Args::try_parse_from(v).expect("parses")
    }

    #[test]
    fn roles_are_chosen_by_short_or_full_name_in_the_shipped_order() {
        let r = selected(&["abandon".into(), "osb-lifecycle".into(), "lifecycle".into()])
            .expect("known");
        let names: Vec<&str> = r.iter().map(|r| r.short).collect();
        assert_eq!(names, ["lifecycle", "abandon"]);
        assert_eq!(selected(&[]).expect("all").len(), rbac::ROLES.len());
        let e = selected(&["lifecycel".into()]).expect_err("typo");
        assert!(e.to_string().contains("did you mean"), "{e}");
        let usage = Args::try_parse_from(["kubectl-osb-rbac", "lifecycel"]).expect_err("typo");
        assert!(usage.to_string().contains("lifecycle"), "{usage}");
        assert_eq!(parse(&["osb-abandon"]).roles, ["osb-abandon"]);
    }

    #[test]
    fn bindings_follow_the_roles_scope() {
        let sa = subject(&parse(&["lifecycle", "--serviceaccount", "dev:ci"]))
            .expect("ok")
            .expect("a subject");
        let lifecycle = rbac::role("lifecycle").expect("shipped");
        let reader = rbac::role("catalog-reader").expect("shipped");
        let rb = binding(lifecycle, &sa, Some("dev"), false);
        assert!(rb.contains("kind: RoleBinding\n"), "{rb}");
        assert!(rb.contains("  namespace: dev\n"), "{rb}");
        assert!(
            rb.contains("- kind: ServiceAccount\n  name: ci\n  namespace: dev\n"),
            "{rb}"
        );
        let crb = binding(reader, &sa, Some("dev"), false);
        assert!(crb.contains("kind: ClusterRoleBinding\n"), "{crb}");
        assert!(
            !crb.contains("metadata:\n  name: osb-catalog-reader:ci\n"),
            "{crb}"
        );
        let v: serde_json::Value = osb::yaml::from_str(&crb).expect("valid YAML");
        assert_eq!(v["metadata"]["name"], "osb-catalog-reader:dev:ci");
        assert_eq!(v["roleRef"]["name"], "osb-catalog-reader");
        assert!(subject(&parse(&["--serviceaccount", "ci"])).is_err());
    }
}
