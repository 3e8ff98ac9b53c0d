//! kubectl's plugin-completion protocol (kubectl ≥ 1.26): kubectl runs `kubectl_complete-osb[-VERB]
//! WORDS… CURRENT` (the arguments typed so far, then the word under the cursor, `""` after a space) and
//! reads stdout: one `value\tdescription` per line, then `:<directive>` (cobra's ShellCompDirective:
//! 0 default = files, 4 = no file completion, 16 = directories only).
//!
//! Flags and fixed values come from each verb's clap definition; names of instances, bindings, classes,
//! plans, brokers and namespaces come from the cluster, and contexts, clusters and users from the
//! kubeconfig. Which of those an argument takes is the [`Complete`] tag declared on the argument itself
//! (`#[arg(long, add = Complete::Classes)]`), never guessed from its name or value name; fixed values and
//! file/directory `ValueHint`s need no tag. A completer must never disturb the prompt: nothing is written
//! to stderr, the exit code is always 0, and cluster lookups give up silently after [`TIMEOUT`].

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, Command, ValueHint};
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::kinds::Kind;

use crate::{locate, verbs};

/// How long a completion may spend on the cluster, all requests together.
pub const TIMEOUT: Duration = Duration::from_millis(1500);

/// cobra's ShellCompDirective bits.
pub const DEFAULT: u32 = 0;
pub const NO_SPACE: u32 = 2;
pub const NO_FILE_COMP: u32 = 4;
pub const FILTER_DIRS: u32 = 16;

/// One completion candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: String,
}

impl Candidate {
    fn new(value: impl Into<String>, help: impl Into<String>) -> Self {
        Candidate {
            value: value.into(),
            help: one_line(&help.into()),
        }
    }
}

fn one_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or_default()
        .replace('\t', " ")
        .trim()
        .to_string()
}

/// Values only the cluster or the kubeconfig knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dynamic {
    Namespaces,
    Contexts,
    Clusters,
    Users,
    Classes,
    /// Plans, of one class (external name) if given.
    Plans(Option<String>),
    Brokers,
    Instances,
    Bindings,
    /// Label keys on the objects of a kind (as `get` names it; instances if none), with how many carry each.
    LabelKeys(Option<String>),
    /// Parameter names (`-p NAME=`) from the JSON Schema of a plan: of `class`/`plan` (the create schema,
    /// or the update schema with `--update`), or of `instance`'s plan (the binding schema).
    Params {
        class: Option<String>,
        plan: Option<String>,
        instance: Option<String>,
        update: bool,
    },
}

/// What to answer (one per completion: its size does not matter).
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Answer {
    Static {
        candidates: Vec<Candidate>,
        directive: u32,
    },
    Dynamic {
        what: Dynamic,
        /// Printed before each value (`--class=` when completing `--class=ca`).
        value_prefix: String,
        /// The part of the value typed so far.
        typed: String,
        /// Connection flags found among the words.
        kube: KubeArgs,
    },
}

impl Answer {
    fn none() -> Self {
        Answer::Static {
            candidates: Vec::new(),
            directive: NO_FILE_COMP,
        }
    }
    fn files(dirs_only: bool) -> Self {
        Answer::Static {
            candidates: Vec::new(),
            directive: if dirs_only { FILTER_DIRS } else { DEFAULT },
        }
    }
}

/// Entry point for `kubectl_complete-osb[-VERB] WORDS…`: prints the answer and always exits 0.
pub fn main(verb: Option<&str>, words: &[String]) -> ExitCode {
    // Nothing may reach the terminal from a completer, not even a panic message.
    std::panic::set_hook(Box::new(|_| {}));
    let answer = analyze(verb, words, &locate::on_path, &installed_verbs());
    let (candidates, directive) = resolve(answer);
    let mut out = String::new();
    for c in candidates {
        out.push_str(&c.value);
        if !c.help.is_empty() {
            out.push('\t');
            out.push_str(&c.help);
        }
        out.push('\n');
    }
    out.push_str(&format!(":{directive}\n"));
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// Every verb of the suite (all run in-process), then the extensions found on disk.
fn installed_verbs() -> Vec<String> {
    verbs::VERBS
        .iter()
        .map(|v| v.name.to_string())
        .chain(crate::extensions().into_iter().map(|f| f.verb))
        .collect()
}

/// Decide what to complete, without touching the cluster. `verb` is set when called as
/// `kubectl_complete-osb-VERB`; `on_path(verb)` tells whether kubectl already offers that verb itself;
/// `installed` lists the verbs that run (those of the suite, then extensions found on disk).
pub fn analyze(
    verb: Option<&str>,
    words: &[String],
    on_path: &dyn Fn(&str) -> bool,
    installed: &[String],
) -> Answer {
    let empty = String::new();
    let (done, current) = match words.split_last() {
        Some((c, d)) => (d, c),
        None => (&[][..], &empty),
    };
    let verb = match verb {
        Some(v) => v.to_string(),
        None => {
            // `kubectl osb [connection flags] VERB …`: find the verb.
            let mut i = 0;
            while i < done.len() && done[i].starts_with('-') {
                let takes_value = !done[i].contains('=')
                    && (done[i] == "-n" || (done[i].starts_with("--") && done[i] != "--"));
                i += if takes_value { 2 } else { 1 };
            }
            if i >= done.len() {
                if current.starts_with('-') {
                    return flags(&with_kube_args(Command::new("kubectl-osb")), current, &[]);
                }
                return verb_names(current, on_path, installed);
            }
            let v = done[i].clone();
            let mut rest: Vec<String> = done[..i].to_vec();
            rest.extend_from_slice(&done[i + 1..]);
            rest.push(current.clone());
            return analyze(Some(&v), &rest, on_path, installed);
        }
    };
    let cmd = match verb.as_str() {
        "completion" => crate::shims::command(),
        "help" => return verb_names(current, on_path, installed),
        "version" => return Answer::none(),
        _ => match verbs::find(&verb) {
            Some(v) => (v.command)(),
            None => return Answer::none(),
        },
    };
    walk(cmd, done, current)
}

fn with_kube_args(cmd: Command) -> Command {
    <KubeArgs as clap::Args>::augment_args(cmd)
}

/// The verbs, minus those kubectl already lists because their own file is on PATH.
fn verb_names(current: &str, on_path: &dyn Fn(&str) -> bool, installed: &[String]) -> Answer {
    let mut candidates: Vec<Candidate> = Vec::new();
    for v in verbs::VERBS {
        if installed.iter().any(|i| i == v.name) && !on_path(v.name) {
            candidates.push(Candidate::new(v.name, v.about));
        }
    }
    for i in installed {
        if verbs::find(i).is_none() && !i.contains(' ') && !on_path(i) {
            candidates.push(Candidate::new(i.clone(), ""));
        }
    }
    for (name, about) in verbs::BUILTINS {
        candidates.push(Candidate::new(*name, *about));
    }
    candidates.retain(|c| c.value.starts_with(current));
    Answer::Static {
        candidates,
        directive: NO_FILE_COMP,
    }
}

fn takes_value(a: &Arg) -> bool {
    a.get_action().takes_values() && a.get_num_args().is_some_and(|n| n.min_values() > 0)
}

fn find_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name))
    })
}

fn find_short(cmd: &Command, c: char) -> Option<&Arg> {
    cmd.get_arguments().find(|a| a.get_short() == Some(c))
}

/// What `a` completes to, as declared on it.
fn tag(a: &Arg) -> Option<Complete> {
    a.get::<Complete>().copied()
}

/// What the words typed so far gave the tagged arguments: their values (the `--class` given, by its tag
/// [`Complete::Classes`]), and `""` for the switches given (a flag taking no value, such as `--update`).
type Given = HashMap<Complete, String>;

fn give(given: &mut Given, a: &Arg, value: &str) {
    if let Some(t) = tag(a) {
        given.insert(t, value.to_string());
    }
}

fn switch(given: &mut Given, a: &Arg) {
    if !a.get_action().takes_values()
        && let Some(t) = tag(a)
    {
        given.entry(t).or_default();
    }
}

/// Walk the typed words over a verb's definition, then complete the current word.
fn walk(mut cmd: Command, done: &[String], current: &str) -> Answer {
    cmd.build();
    let mut pending: Option<Arg> = None;
    let mut positional = 0usize;
    let mut dashdash = false;
    let mut given = Given::new();
    let mut seen: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for w in done {
        if let Some(a) = pending.take() {
            give(&mut given, &a, w);
            continue;
        }
        if dashdash || w == "-" || !w.starts_with('-') {
            if !dashdash && let Some(sub) = cmd.find_subcommand(w).cloned() {
                cmd = sub;
                cmd.build();
                positional = 0;
                continue;
            }
            positional += 1;
            words.push(w.clone());
            continue;
        }
        if w == "--" {
            dashdash = true;
            continue;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if let Some(a) = find_long(&cmd, name) {
                seen.push(a.get_id().to_string());
                if takes_value(a) {
                    match inline {
                        Some(v) => give(&mut given, a, v),
                        None => pending = Some(a.clone()),
                    }
                } else {
                    switch(&mut given, a);
                }
            }
            continue;
        }
        let chars: Vec<char> = w[1..].chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let Some(a) = find_short(&cmd, *c) else {
                break;
            };
            seen.push(a.get_id().to_string());
            if takes_value(a) {
                let rest: String = chars[i + 1..].iter().collect();
                if rest.is_empty() {
                    pending = Some(a.clone());
                } else {
                    give(&mut given, a, rest.trim_start_matches('='));
                }
                break;
            }
            switch(&mut given, a);
        }
    }
    let kube = kube_args(&given);
    if let Some(a) = pending {
        return values_of(&a, "", current, &given, kube);
    }
    if !dashdash && current.starts_with("--") && current.contains('=') {
        let (name, typed) = current.split_once('=').unwrap_or_default();
        return match find_long(&cmd, &name[2..]) {
            Some(a) => values_of(a, &format!("{name}="), typed, &given, kube),
            None => Answer::none(),
        };
    }
    if !dashdash && current.starts_with('-') {
        return flags(&cmd, current, &seen);
    }
    // A positional value, or a subcommand name.
    let mut positionals: Vec<&Arg> = cmd.get_positionals().filter(|a| !a.is_hide_set()).collect();
    positionals.sort_by_key(|a| a.get_index());
    let subs: Vec<Candidate> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| {
            Candidate::new(
                s.get_name(),
                s.get_about().map(|a| a.to_string()).unwrap_or_default(),
            )
        })
        .filter(|c| c.value.starts_with(current))
        .collect();
    if !subs.is_empty() {
        return Answer::Static {
            candidates: subs,
            directive: NO_FILE_COMP,
        };
    }
    let arg = positionals.get(positional).copied().or_else(|| {
        positionals
            .last()
            .copied()
            .filter(|a| a.get_num_args().is_some_and(|n| n.max_values() > 1))
    });
    let Some(a) = arg else {
        return Answer::none();
    };
    if let Some(answer) = kind_and_name(a, &positionals, &words, current, &kube) {
        return answer;
    }
    values_of(a, "", current, &given, kube)
}

/// What a word naming a kind (`si`, `binding`, `serviceinstance`, …; the kind registry's spellings)
/// completes names of.
fn kind_of(word: &str) -> Option<Dynamic> {
    match Kind::parse(word)? {
        Kind::ServiceInstance => Some(Dynamic::Instances),
        Kind::ServiceBinding => Some(Dynamic::Bindings),
        Kind::ClusterServiceBroker => Some(Dynamic::Brokers),
        Kind::ClusterServiceClass | Kind::ClusterServicePlan | Kind::Job => None,
    }
}

/// Positionals that take a kind then names: `get KIND [NAME]` ([`Complete::Kinds`],
/// [`Complete::NameOfKind`]), `describe KIND NAME` ([`Complete::KindThenName`]), `wait TYPE/NAME…` or
/// `TYPE NAME…` ([`Complete::TypeSlashName`]), `abandon TARGET` (`INSTANCE`, `binding NAME`,
/// `servicebinding/NAME`: [`Complete::Target`]).
fn kind_and_name(
    a: &Arg,
    positionals: &[&Arg],
    words: &[String],
    current: &str,
    kube: &KubeArgs,
) -> Option<Answer> {
    let dynamic = |what: Dynamic, prefix: &str, typed: &str| Answer::Dynamic {
        what,
        value_prefix: prefix.to_string(),
        typed: typed.to_string(),
        kube: kube.clone(),
    };
    let fixed = |names: &[String]| Answer::Static {
        candidates: names
            .iter()
            .filter(|n| n.starts_with(current))
            .map(|n| Candidate::new(n.as_str(), ""))
            .collect(),
        directive: NO_FILE_COMP,
    };
    // The kinds `get` and `describe` take, in the kind registry's words.
    let catalog_kinds = [Kind::ServiceInstance, Kind::ServiceBinding];
    let form = tag(a)?;
    match form {
        Complete::Kinds => Some(fixed(&Kind::LISTED.map(Kind::words))),
        Complete::NameOfKind => {
            // The word given to the positional that takes the kind.
            let at = positionals
                .iter()
                .position(|p| tag(p) == Some(Complete::Kinds))?;
            Some(match words.get(at).and_then(|w| kind_of(w)) {
                Some(k) => dynamic(k, "", current),
                None => Answer::none(),
            })
        }
        Complete::KindThenName | Complete::TypeSlashName | Complete::Target => {
            if let Some((t, n)) = current.split_once('/') {
                return Some(match kind_of(t) {
                    Some(k) => dynamic(k, &format!("{t}/"), n),
                    None => Answer::none(),
                });
            }
            let mut kind = None;
            for w in words {
                kind = if w.contains('/') {
                    None
                } else {
                    kind_of(w).or(kind)
                };
            }
            Some(match (kind, form) {
                (Some(k), _) => dynamic(k, "", current),
                (None, Complete::KindThenName) => {
                    fixed(&catalog_kinds.map(|k| k.word().to_string()))
                }
                (None, Complete::TypeSlashName) => {
                    fixed(&Kind::WAITABLE.map(|k| k.name().to_ascii_lowercase()))
                }
                (None, _) => dynamic(Dynamic::Instances, "", current),
            })
        }
        _ => None,
    }
}

/// `--long` flags (and `-s` ones when only `-` is typed) with their help, minus those already given.
fn flags(cmd: &Command, current: &str, seen: &[String]) -> Answer {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut candidates: Vec<Candidate> = Vec::new();
    for a in cmd.get_arguments() {
        if a.is_hide_set() || a.is_positional() {
            continue;
        }
        let repeatable = matches!(
            a.get_action(),
            clap::ArgAction::Append | clap::ArgAction::Count
        );
        if seen.iter().any(|s| s == a.get_id().as_str()) && !repeatable {
            continue;
        }
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        if let Some(l) = a.get_long() {
            candidates.push(Candidate::new(format!("--{l}"), help.clone()));
        }
        if current == "-"
            && let Some(s) = a.get_short()
        {
            candidates.push(Candidate::new(format!("-{s}"), help));
        }
    }
    candidates.retain(|c| c.value.starts_with(current));
    Answer::Static {
        candidates,
        directive: NO_FILE_COMP,
    }
}

/// The connection flags among the words typed so far (by their tags: [`KubeArgs`] declares them).
fn kube_args(given: &Given) -> KubeArgs {
    let get = |t: Complete| given.get(&t).cloned();
    KubeArgs {
        kubeconfig: get(Complete::Kubeconfig).map(Into::into),
        context: get(Complete::Contexts),
        cluster: get(Complete::Clusters),
        user: get(Complete::Users),
        namespace: get(Complete::Namespaces),
        request_timeout: Some(TIMEOUT),
        ..Default::default()
    }
}

/// What values `a` takes: its fixed values, files, or names from the cluster or the kubeconfig, as its
/// [`Complete`] tag declares (`given`: what the other tagged arguments were given, e.g. the class whose
/// plans `--plan` completes).
fn values_of(a: &Arg, value_prefix: &str, typed: &str, given: &Given, kube: KubeArgs) -> Answer {
    let possible: Vec<Candidate> = a
        .get_possible_values()
        .into_iter()
        .filter(|p| !p.is_hide_set())
        .map(|p| {
            Candidate::new(
                format!("{value_prefix}{}", p.get_name()),
                p.get_help().map(|h| h.to_string()).unwrap_or_default(),
            )
        })
        .filter(|c| c.value[value_prefix.len()..].starts_with(typed))
        .collect();
    if !possible.is_empty() || !a.get_possible_values().is_empty() {
        return Answer::Static {
            candidates: possible,
            directive: NO_FILE_COMP,
        };
    }
    match a.get_value_hint() {
        ValueHint::DirPath => return Answer::files(true),
        ValueHint::FilePath | ValueHint::AnyPath | ValueHint::ExecutablePath => {
            return Answer::files(false);
        }
        _ => {}
    }
    let get = |t: Complete| given.get(&t).cloned();
    // Every tag is named: a new one must be given its meaning here.
    let what = match tag(a).unwrap_or(Complete::Nothing) {
        Complete::Files | Complete::Kubeconfig => return Answer::files(false),
        Complete::Dirs => return Answer::files(true),
        Complete::Namespaces => Dynamic::Namespaces,
        Complete::Contexts => Dynamic::Contexts,
        Complete::Clusters => Dynamic::Clusters,
        Complete::Users => Dynamic::Users,
        Complete::Classes => Dynamic::Classes,
        Complete::Plans => Dynamic::Plans(get(Complete::Classes)),
        Complete::Brokers => Dynamic::Brokers,
        Complete::Instances => Dynamic::Instances,
        Complete::Bindings => Dynamic::Bindings,
        Complete::LabelKeys => Dynamic::LabelKeys(get(Complete::Kinds)),
        Complete::Params => Dynamic::Params {
            class: get(Complete::Classes),
            plan: get(Complete::Plans),
            instance: get(Complete::Instances),
            update: given.contains_key(&Complete::UpdateSchema),
        },
        // A switch has no value; the kind-then-name forms are answered by `kind_and_name`.
        Complete::UpdateSchema
        | Complete::Kinds
        | Complete::NameOfKind
        | Complete::KindThenName
        | Complete::TypeSlashName
        | Complete::Target
        | Complete::Nothing => return Answer::none(),
    };
    Answer::Dynamic {
        what,
        value_prefix: value_prefix.to_string(),
        typed: typed.to_string(),
        kube,
    }
}

/// Turn an answer into candidates and a directive, asking the cluster when needed (silently, bounded).
pub fn resolve(answer: Answer) -> (Vec<Candidate>, u32) {
    match answer {
        Answer::Static {
            candidates,
            directive,
        } => (candidates, directive),
        Answer::Dynamic {
            what,
            value_prefix,
            typed,
            kube,
        } => {
            let found = match what {
                Dynamic::Contexts | Dynamic::Clusters | Dynamic::Users => {
                    from_kubeconfig(&what, &kube).unwrap_or_default()
                }
                _ => tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()
                    .and_then(|rt| {
                        rt.block_on(async {
                            tokio::time::timeout(TIMEOUT, from_cluster(&what, &kube)).await
                        })
                        .ok()?
                        .ok()
                    })
                    .unwrap_or_default(),
            };
            let mut out: Vec<Candidate> = Vec::new();
            for c in found {
                // `-p`: names until a `=` is typed, then that name's `NAME=VALUE`s.
                let value_of_param = matches!(what, Dynamic::Params { .. })
                    && c.value.trim_end_matches('=').contains('=') != typed.contains('=');
                if c.value.starts_with(&typed)
                    && !value_of_param
                    && !out.iter().any(|o| o.value == c.value)
                {
                    out.push(Candidate::new(format!("{value_prefix}{}", c.value), c.help));
                }
            }
            // `-p NAME=`: the value follows without a space.
            let open = ["=", ".", ":="];
            let directive = if !out.is_empty()
                && out
                    .iter()
                    .all(|c| open.iter().any(|o| c.value.ends_with(o)))
            {
                NO_FILE_COMP | NO_SPACE
            } else {
                NO_FILE_COMP
            };
            (out, directive)
        }
    }
}

fn from_kubeconfig(what: &Dynamic, kube: &KubeArgs) -> Option<Vec<Candidate>> {
    let kc = match &kube.kubeconfig {
        Some(p) => kube::config::Kubeconfig::read_from(p).ok()?,
        None => kube::config::Kubeconfig::read().ok()?,
    };
    let current = kc.current_context.clone().unwrap_or_default();
    Some(match what {
        Dynamic::Contexts => kc
            .contexts
            .iter()
            .map(|c| {
                let help = c
                    .context
                    .as_ref()
                    .map(|x| {
                        format!(
                            "cluster {}, user {}",
                            x.cluster,
                            x.user.clone().unwrap_or_default()
                        )
                    })
                    .unwrap_or_default();
                let help = if c.name == current {
                    format!("(current) {help}")
                } else {
                    help
                };
                Candidate::new(c.name.clone(), help)
            })
            .collect(),
        Dynamic::Clusters => kc
            .clusters
            .iter()
            .map(|c| {
                let server = c
                    .cluster
                    .as_ref()
                    .and_then(|x| x.server.clone())
                    .unwrap_or_default();
                Candidate::new(c.name.clone(), server)
            })
            .collect(),
        _ => kc
            .auth_infos
            .iter()
            .map(|u| Candidate::new(u.name.clone(), ""))
            .collect(),
    })
}

async fn from_cluster(what: &Dynamic, args: &KubeArgs) -> osb::Result<Vec<Candidate>> {
    use k8s_openapi::api::core::v1::Namespace;
    use kube::api::{Api, ListParams};
    use osb::catalog::{Conditioned, ServiceBinding, ServiceInstance};
    use osb::offerings::Offerings;
    let kube = args.connect().await?;
    let (lp, chunk) = (ListParams::default(), kube.chunk_size);
    Ok(match what {
        Dynamic::Namespaces => {
            osb::list::all(Api::<Namespace>::all(kube.client.clone()), lp, chunk)
                .await?
                .into_iter()
                .filter_map(|n| n.metadata.name)
                .map(|n| Candidate::new(n, ""))
                .collect()
        }
        Dynamic::Instances => {
            let api = Api::<ServiceInstance>::namespaced(kube.client.clone(), &kube.namespace);
            osb::list::all(api, lp, chunk)
                .await?
                .into_iter()
                .map(|i| {
                    let class = i.class_display_name().unwrap_or_default();
                    let plan = i.plan_display_name().unwrap_or_default();
                    let help = format!("{class}/{plan} {}", i.last_condition_state());
                    Candidate::new(i.metadata.name.unwrap_or_default(), help.trim().to_string())
                })
                .collect()
        }
        Dynamic::Bindings => {
            let api = Api::<ServiceBinding>::namespaced(kube.client.clone(), &kube.namespace);
            osb::list::all(api, lp, chunk)
                .await?
                .into_iter()
                .map(|b| {
                    let help = format!(
                        "instance {} {}",
                        b.spec.instance_ref.name,
                        b.last_condition_state()
                    );
                    Candidate::new(b.metadata.name.unwrap_or_default(), help)
                })
                .collect()
        }
        Dynamic::LabelKeys(kind) => {
            use kube::api::DynamicObject;
            let kind = kind
                .as_deref()
                .and_then(osb::kinds::Kind::parse)
                .unwrap_or(osb::kinds::Kind::ServiceInstance);
            let ar = kind.resource();
            let api: Api<DynamicObject> = if kind.namespaced() {
                Api::namespaced_with(kube.client.clone(), &kube.namespace, &ar)
            } else {
                Api::all_with(kube.client.clone(), &ar)
            };
            let objects = osb::list::all(api, lp, chunk).await?;
            let mut keys: std::collections::BTreeMap<String, usize> = Default::default();
            for o in &objects {
                // Not the lookup labels the catalog sets on every instance.
                let own = |k: &&String| !k.starts_with("servicecatalog.k8s.io/");
                for k in o
                    .metadata
                    .labels
                    .iter()
                    .flatten()
                    .map(|(k, _)| k)
                    .filter(own)
                {
                    *keys.entry(k.clone()).or_default() += 1;
                }
            }
            keys.into_iter()
                .map(|(k, n)| Candidate::new(k, format!("on {n} of {}", objects.len())))
                .collect()
        }
        Dynamic::Classes | Dynamic::Plans(_) | Dynamic::Brokers => {
            let o = match what {
                // One class's plans: found by its lookup labels, not the whole catalog.
                Dynamic::Plans(Some(class)) => {
                    Offerings::for_class(&kube.client, &kube.namespace, class, chunk).await?
                }
                _ => Offerings::load_summary(&kube.client, &kube.namespace, chunk).await?,
            };
            match what {
                Dynamic::Classes => o
                    .classes
                    .iter()
                    .filter(|c| !c.removed)
                    .map(|c| Candidate::new(c.external_name.clone(), c.description.clone()))
                    .collect(),
                Dynamic::Brokers => o
                    .brokers
                    .iter()
                    .map(|b| Candidate::new(b.name.clone(), b.status.clone()))
                    .collect(),
                Dynamic::Plans(Some(class)) => match o.class(class) {
                    Ok(c) => o
                        .plans_of(c)
                        .filter(|p| !p.removed)
                        .map(|p| Candidate::new(p.external_name.clone(), p.description.clone()))
                        .collect(),
                    Err(_) => Vec::new(),
                },
                _ => o
                    .plans
                    .iter()
                    .filter(|p| !p.removed)
                    .map(|p| Candidate::new(p.external_name.clone(), p.description.clone()))
                    .collect(),
            }
        }
        Dynamic::Params {
            class,
            plan,
            instance,
            update,
        } => {
            use osb::schema::Which;
            let (class, plan, which) = match instance {
                Some(i) => {
                    let si =
                        Api::<ServiceInstance>::namespaced(kube.client.clone(), &kube.namespace)
                            .get(i)
                            .await?;
                    (
                        si.class_display_name().map(str::to_string),
                        si.plan_display_name().map(str::to_string),
                        Which::BindingCreate,
                    )
                }
                None if *update => (class.clone(), plan.clone(), Which::InstanceUpdate),
                None => (class.clone(), plan.clone(), Which::InstanceCreate),
            };
            let Some(class) = class else {
                return Ok(Vec::new());
            };
            let o = Offerings::for_class(&kube.client, &kube.namespace, &class, chunk).await?;
            let Ok(c) = o.class(&class) else {
                return Ok(Vec::new());
            };
            let p = match plan.as_deref() {
                Some(p) => o.plan(c, p).ok(),
                // A class with one plan needs no --plan.
                None => {
                    let all: Vec<_> = o.plans_of(c).collect();
                    (all.len() == 1).then(|| all[0])
                }
            };
            match p.and_then(|p| osb::schema::of_plan(&p.object, which)) {
                Some(schema) => param_candidates(schema),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    })
}

/// `-p` candidates from a schema: `name=` for a value, `name:=` for an array (JSON), `name.` for an
/// object that declares no properties of its own; then `name=VALUE` for each allowed value.
fn param_candidates(schema: &serde_json::Value) -> Vec<Candidate> {
    let params = osb::schema::params_of(schema);
    let mut out = Vec::new();
    for p in &params {
        if p.name.contains("[]") {
            continue;
        }
        let has_children = params
            .iter()
            .any(|c| c.name.starts_with(&format!("{}.", p.name)));
        let help = format!("{} {}", p.kind, one_line(&p.description));
        if p.kind.contains("array") || p.kind.starts_with("[]") {
            out.push(Candidate::new(format!("{}:=", p.name), help));
        } else if p.kind == "object" {
            if !has_children {
                out.push(Candidate::new(format!("{}.", p.name), help));
            }
        } else {
            out.push(Candidate::new(format!("{}=", p.name), help));
        }
    }
    for p in &params {
        if p.name.contains("[]") {
            continue;
        }
        if let Some(values) = osb::schema::enum_values(schema, &p.name) {
            for v in values {
                out.push(Candidate::new(format!("{}={v}", p.name), ""));
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn w(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn values(a: &Answer) -> Vec<String> {
        match a {
            Answer::Static { candidates, .. } => {
                candidates.iter().map(|c| c.value.clone()).collect()
            }
            Answer::Dynamic { .. } => panic!("dynamic: {a:?}"),
        }
    }

    fn installed() -> Vec<String> {
        w(&["catalog", "convert-json"])
    }

    #[test]
    fn verbs_when_nothing_on_path() {
        let a = analyze(None, &w(&[""]), &|_| false, &installed());
        let v = values(&a);
        assert!(v.contains(&"catalog".to_string()), "{v:?}");
        assert!(v.contains(&"convert-json".to_string()), "{v:?}");
        assert!(v.contains(&"completion".to_string()), "{v:?}");
        assert!(
            !v.contains(&"provision".to_string()),
            "not installed: {v:?}"
        );
    }

    #[test]
    fn verbs_on_path_are_left_to_kubectl() {
        let a = analyze(None, &w(&["c"]), &|v| v == "catalog", &installed());
        assert_eq!(values(&a), w(&["convert-json", "completion"]));
    }

    #[test]
    fn flags_of_a_verb_through_the_dispatcher() {
        let a = analyze(None, &w(&["catalog", "--cl"]), &|_| false, &installed());
        assert_eq!(
            values(&a),
            w(&[
                "--class",
                "--cluster",
                "--client-certificate",
                "--client-key"
            ])
        );
    }

    #[test]
    fn flags_of_a_verb_as_its_own_completer() {
        let a = analyze(Some("catalog"), &w(&["--ou"]), &|_| false, &installed());
        assert_eq!(values(&a), w(&["--output"]));
        // A flag already given is not offered again.
        let a = analyze(
            Some("catalog"),
            &w(&["--output", "yaml", "--ou"]),
            &|_| false,
            &installed(),
        );
        assert!(values(&a).is_empty());
    }

    #[test]
    fn fixed_values() {
        let a = analyze(Some("catalog"), &w(&["-o", "y"]), &|_| false, &installed());
        assert_eq!(values(&a), w(&["yaml"]));
        let a = analyze(
            Some("catalog"),
            &w(&["--output=j"]),
            &|_| false,
            &installed(),
        );
        assert_eq!(values(&a), w(&["--output=json"]));
    }

    #[test]
    fn dynamic_values_carry_connection_flags() {
        let a = analyze(
            Some("catalog"),
            &w(&["-n", "dev", "--context=prod", "--class", "ca"]),
            &|_| false,
            &installed(),
        );
        match a {
            Answer::Dynamic {
                what, typed, kube, ..
            } => {
                assert_eq!(what, Dynamic::Classes);
                assert_eq!(typed, "ca");
                assert_eq!(kube.namespace.as_deref(), Some("dev"));
                assert_eq!(kube.context.as_deref(), Some("prod"));
            }
            other => panic!("{other:?}"),
        }
        let a = analyze(
            Some("catalog"),
            &w(&["--namespace", ""]),
            &|_| false,
            &installed(),
        );
        assert!(
            matches!(
                a,
                Answer::Dynamic {
                    what: Dynamic::Namespaces,
                    ..
                }
            ),
            "{a:?}"
        );
        let a = analyze(
            None,
            &w(&["--context", "x", "catalog", "--context", ""]),
            &|_| false,
            &installed(),
        );
        assert!(
            matches!(
                a,
                Answer::Dynamic {
                    what: Dynamic::Contexts,
                    ..
                }
            ),
            "{a:?}"
        );
    }

    #[test]
    fn files_for_kubeconfig() {
        let a = analyze(
            Some("catalog"),
            &w(&["--kubeconfig", ""]),
            &|_| false,
            &installed(),
        );
        assert!(
            matches!(&a, Answer::Static { candidates, directive: DEFAULT } if candidates.is_empty()),
            "{a:?}"
        );
    }

    #[test]
    fn completion_subcommands() {
        let a = analyze(None, &w(&["completion", ""]), &|_| false, &installed());
        assert_eq!(values(&a), w(&["install", "uninstall", "help"]));
        let a = analyze(
            None,
            &w(&["completion", "install", "--d"]),
            &|_| false,
            &installed(),
        );
        assert_eq!(values(&a), w(&["--dir"]));
    }

    fn dynamic_of(a: &Answer) -> (Dynamic, String, String) {
        match a {
            Answer::Dynamic {
                what,
                value_prefix,
                typed,
                ..
            } => (what.clone(), value_prefix.clone(), typed.clone()),
            other => panic!("not dynamic: {other:?}"),
        }
    }

    #[test]
    fn names_by_verb_and_kind() {
        let all = w(&[
            "get",
            "describe",
            "wait",
            "abandon",
            "unbind",
            "bind",
            "provision",
        ]);
        let at = |verb: &str, words: &[&str]| analyze(Some(verb), &w(words), &|_| false, &all);
        assert_eq!(
            values(&at("get", &[""])),
            w(&["instances", "bindings", "brokers", "classes", "plans"])
        );
        assert_eq!(dynamic_of(&at("get", &["sb", "d"])).0, Dynamic::Bindings);
        assert_eq!(values(&at("describe", &["b"])), w(&["binding"]));
        assert_eq!(
            dynamic_of(&at("describe", &["instance", ""])).0,
            Dynamic::Instances
        );
        assert_eq!(
            dynamic_of(&at("wait", &["--for", "ready", "servicebinding/cr"])),
            (Dynamic::Bindings, "servicebinding/".into(), "cr".into())
        );
        assert_eq!(
            dynamic_of(&at("wait", &["si", "a", ""])).0,
            Dynamic::Instances
        );
        assert!(values(&at("wait", &["j"])).contains(&"job".to_string()));
        assert_eq!(dynamic_of(&at("abandon", &[""])).0, Dynamic::Instances);
        assert_eq!(
            dynamic_of(&at("abandon", &["binding", ""])).0,
            Dynamic::Bindings
        );
        assert_eq!(dynamic_of(&at("unbind", &[""])).0, Dynamic::Bindings);
        assert_eq!(
            dynamic_of(&at("bind", &["--instance", ""])).0,
            Dynamic::Instances
        );
        // The new binding's own name is not completed; bind's subcommands are.
        assert_eq!(values(&at("bind", &[""])), w(&["env", "help"]));
        assert_eq!(
            dynamic_of(&at(
                "provision",
                &["db", "--class", "cassandra", "--plan", ""]
            ))
            .0,
            Dynamic::Plans(Some("cassandra".into()))
        );
        // Positionals named generically (NAME) complete what their tag says.
        assert_eq!(dynamic_of(&at("deprovision", &[""])).0, Dynamic::Instances);
        assert_eq!(dynamic_of(&at("bind", &["env", ""])).0, Dynamic::Bindings);
        assert!(values(&at("provision", &[""])).is_empty());
        // `get`'s NAME follows the KIND given; no names for a kind get does not list.
        assert!(values(&at("get", &["nope", ""])).is_empty());
        assert!(values(&at("get", &["job", ""])).is_empty());
    }

    #[test]
    fn files_brokers_and_free_text() {
        let all = w(&["catalog", "convert-json", "rbac", "provision"]);
        let at = |verb: &str, words: &[&str]| analyze(Some(verb), &w(words), &|_| false, &all);
        let is_files = |a: &Answer| matches!(a, Answer::Static { candidates, directive: DEFAULT } if candidates.is_empty());
        assert!(is_files(&at("convert-json", &[""])));
        assert!(is_files(&at("provision", &["db", "--params-file", ""])));
        assert!(is_files(&at("provision", &["db", "--from-instaclustr=x"])));
        assert!(is_files(&at("catalog", &["--client-key", ""])));
        assert_eq!(
            dynamic_of(&at("catalog", &["--check="])),
            (Dynamic::Brokers, "--check=".into(), String::new())
        );
        // Values that only look like names the cluster knows: a RoleBinding subject, a BUNDLE=CLASS row.
        assert!(values(&at("rbac", &["--user", ""])).is_empty());
        assert!(values(&at("convert-json", &["--map-class", ""])).is_empty());
        assert_eq!(
            dynamic_of(&at("rbac", &["--namespace", ""])).0,
            Dynamic::Namespaces
        );
    }

    #[test]
    fn connection_flags_reach_the_lookup_by_their_tags() {
        let a = analyze(
            Some("catalog"),
            &w(&[
                "--kubeconfig",
                "/k",
                "--cluster=c1",
                "--user",
                "u",
                "-nns",
                "--class",
                "",
            ]),
            &|_| false,
            &installed(),
        );
        match a {
            Answer::Dynamic { kube, .. } => {
                assert_eq!(kube.kubeconfig, Some("/k".into()));
                assert_eq!(kube.cluster.as_deref(), Some("c1"));
                assert_eq!(kube.user.as_deref(), Some("u"));
                assert_eq!(kube.namespace.as_deref(), Some("ns"));
                assert_eq!(kube.request_timeout, Some(TIMEOUT));
            }
            other => panic!("{other:?}"),
        }
    }

    /// Every command a completion can walk: each verb (its subcommands and flattened flags included),
    /// `completion`, and the dispatcher's own connection flags.
    fn every_command() -> Vec<(String, Command)> {
        let mut out: Vec<(String, Command)> = verbs::VERBS
            .iter()
            .map(|v| (v.name.to_string(), (v.command)()))
            .collect();
        out.push(("completion".into(), crate::shims::command()));
        out.push((
            "kubectl-osb".into(),
            with_kube_args(Command::new("kubectl-osb")),
        ));
        let mut all = Vec::new();
        while let Some((path, mut cmd)) = out.pop() {
            cmd.build();
            for sub in cmd.get_subcommands() {
                // clap's generated `help` takes subcommand names, which the walk completes itself.
                if sub.get_name() != "help" {
                    out.push((format!("{path} {}", sub.get_name()), sub.clone()));
                }
            }
            all.push((path, cmd));
        }
        all
    }

    fn arg_name(a: &Arg) -> String {
        match a.get_long() {
            Some(l) => format!("--{l}"),
            None => a
                .get_value_names()
                .and_then(|v| v.first().map(|s| s.to_string()))
                .unwrap_or_else(|| a.get_id().to_string()),
        }
    }

    #[test]
    fn every_argument_that_takes_a_value_declares_its_completion() {
        let mut untagged = Vec::new();
        let mut misplaced = Vec::new();
        for (path, cmd) in every_command() {
            for a in cmd.get_arguments() {
                let files = matches!(
                    a.get_value_hint(),
                    ValueHint::FilePath
                        | ValueHint::DirPath
                        | ValueHint::AnyPath
                        | ValueHint::ExecutablePath
                );
                let takes = a.get_action().takes_values();
                if takes && a.get_possible_values().is_empty() && !files && tag(a).is_none() {
                    untagged.push(format!("{path}: {}", arg_name(a)));
                }
                let fits = match tag(a) {
                    Some(Complete::UpdateSchema) => !takes,
                    Some(
                        Complete::Kinds
                        | Complete::NameOfKind
                        | Complete::KindThenName
                        | Complete::TypeSlashName
                        | Complete::Target,
                    ) => a.is_positional(),
                    Some(_) => takes,
                    None => true,
                };
                if !fits {
                    misplaced.push(format!("{path}: {} ({:?})", arg_name(a), tag(a)));
                }
            }
        }
        assert!(
            untagged.is_empty(),
            "arguments taking a value without possible values, a file/dir ValueHint or a \
             `#[arg(add = Complete::…)]` tag (osb::complete; Complete::Nothing for free text): {untagged:#?}"
        );
        assert!(
            misplaced.is_empty(),
            "tags on arguments they do not fit (a kind form on a flag, a value tag on a switch): \
             {misplaced:#?}"
        );
    }

    #[test]
    fn completion_follows_the_tag_not_the_name() {
        let mut provision = (verbs::find("provision").unwrap().command)();
        provision.build();
        let by_tag = |t: Complete| -> Vec<Arg> {
            provision
                .get_arguments()
                .filter(|a| tag(a) == Some(t))
                .cloned()
                .collect()
        };
        let [class] = &by_tag(Complete::Classes)[..] else {
            panic!("provision has one argument completing classes");
        };
        let [plan] = &by_tag(Complete::Plans)[..] else {
            panic!("provision has one argument completing plans");
        };
        let [_params] = &by_tag(Complete::Params)[..] else {
            panic!("provision has one argument completing parameter names");
        };
        // Renamed, flag and value name: still classes, and still the class whose plans --plan lists.
        let renamed = provision.clone().mut_arg(class.get_id().clone(), |a| {
            a.long("service-class").value_name("OFFERING")
        });
        let plan_flag = format!("--{}", plan.get_long().unwrap());
        assert_eq!(
            dynamic_of(&walk(renamed.clone(), &w(&["db", "--service-class"]), "ca")),
            (Dynamic::Classes, String::new(), "ca".into())
        );
        assert_eq!(
            dynamic_of(&walk(
                renamed,
                &w(&["db", "--service-class=kafka", &plan_flag]),
                ""
            ))
            .0,
            Dynamic::Plans(Some("kafka".into()))
        );
        // A name that looks like one is not enough: no tag, no names.
        let plain = Command::new("x").arg(Arg::new("class").long("class").value_name("CLASS"));
        assert!(values(&walk(plain, &w(&["--class"]), "")).is_empty());
        let tagged = Command::new("x")
            .arg(Arg::new("a").long("svc").add(Complete::Classes))
            .arg(Arg::new("b").long("tier").add(Complete::Plans))
            .arg(Arg::new("c").short('q').add(Complete::Params))
            .arg(
                Arg::new("d")
                    .long("change")
                    .action(clap::ArgAction::SetTrue)
                    .add(Complete::UpdateSchema),
            );
        assert_eq!(
            dynamic_of(&walk(
                tagged,
                &w(&["--svc", "kafka", "--tier=dev", "--change", "-q"]),
                ""
            ))
            .0,
            Dynamic::Params {
                class: Some("kafka".into()),
                plan: Some("dev".into()),
                instance: None,
                update: true
            }
        );
    }

    #[test]
    fn parameter_names_come_from_the_plan_s_schema() {
        let all = w(&["bind", "provision"]);
        let at = |verb: &str, words: &[&str]| analyze(Some(verb), &w(words), &|_| false, &all);
        let params = |class: Option<&str>, plan: Option<&str>, instance: Option<&str>, update| {
            Dynamic::Params {
                class: class.map(Into::into),
                plan: plan.map(Into::into),
                instance: instance.map(Into::into),
                update,
            }
        };
        assert_eq!(
            dynamic_of(&at(
                "provision",
                &[
                    "db",
                    "--class",
                    "cassandra",
                    "--plan",
                    "developer",
                    "-p",
                    "sla"
                ]
            )),
            (
                params(Some("cassandra"), Some("developer"), None, false),
                String::new(),
                "sla".into()
            )
        );
        assert_eq!(
            dynamic_of(&at(
                "provision",
                &["db", "--update", "--class=kafka", "--param=n"]
            )),
            (
                params(Some("kafka"), None, None, true),
                "--param=".into(),
                "n".into()
            )
        );
        assert_eq!(
            dynamic_of(&at("bind", &["b", "--instance", "db", "-p", ""])).0,
            params(None, None, Some("db"), false)
        );
        let schema = serde_json::json!({"properties": {
            "slaTier": {"type": "string", "enum": ["PRODUCTION", "NON_PRODUCTION"], "description": "SLA tier"},
            "provider": {"type": "object", "properties": {"name": {"type": "string"}}},
            "bundles": {"type": "array", "items": {"type": "object", "properties": {"bundle": {"type": "string"}}}},
            "x-test": {"type": "object"}}});
        let names: Vec<String> = param_candidates(&schema)
            .into_iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(
            names,
            w(&[
                "slaTier=",
                "provider.name=",
                "bundles:=",
                "x-test.",
                "slaTier=PRODUCTION",
                "slaTier=NON_PRODUCTION"
            ])
        );
    }

    #[test]
    fn unknown_verb_completes_nothing() {
        let a = analyze(Some("nope"), &w(&["--"]), &|_| false, &installed());
        assert!(values(&a).is_empty());
    }
}
