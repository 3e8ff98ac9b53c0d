//! `kubectl osb wait`: wait until Service Catalog objects (or Jobs) are ready, failed, deleted or complete.
//!
//! Unlike `kubectl wait`, a terminal failure ends the wait the moment it is written (exit 3, with the
//! reason), retrying states and the objects' Warning events are reported as they happen
//! (`--fail-after-retries` ends an endless retry loop), a missing controller is pointed out, and one
//! watch per resource type serves any number of objects. The engine is `osb::wait`, shared with every `--wait` flag of the suite.

use std::time::Duration;

use clap::Parser;

use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::output::Format;
use osb::wait::{Goal, Kind, Progress, Target, WaitOptions};

/// Wait for Service Catalog instances, bindings, brokers or Jobs to reach a state.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-wait", bin_name = "kubectl osb wait", version)]
#[command(
    after_help = "Types: serviceinstance (si), servicebinding (sb), clusterservicebroker (broker), job.\n\n\
Exit codes: 0 condition met, 1 error, 2 usage, 3 an object failed (Failed condition, failed Job,\n\
failed deprovision), 4 timed out, 130 interrupted.\n\n\
Examples:\n  \
# Wait for two instances; exits 3 the moment either fails\n  \
kubectl osb wait si/cassandra si/kafka --for=ready --timeout=30m\n\n  \
# Treat a typo'd class as fatal instead of waiting for the timeout\n  \
kubectl osb wait si/db --for=ready --fail-on=ReferencesNonexistentServiceClass\n\n  \
# A broker that fails every provision (HTTP 500, retried for ever): give up after 3 failed calls\n  \
kubectl osb wait si/db --for=ready --fail-after-retries=3\n\n  \
# A soak-test Job that 'succeeds by failing' at its activeDeadlineSeconds\n  \
kubectl osb wait job/soak --for=complete --deadline-ok\n\n  \
# Everything labelled app=shop, until gone\n  \
kubectl osb wait si -l app=shop --for=deleted -o json"
)]
pub struct Args {
    /// Objects as TYPE/NAME (also kind.group/NAME as printed by -o name), or TYPE followed by names;
    /// with -l or --all, just TYPE
    #[arg(required = true, value_name = "TYPE/NAME", add = Complete::TypeSlashName)]
    pub objects: Vec<String>,
    /// The state to wait for: ready, failed, deleted, complete, create (the object exists),
    /// condition=TYPE[=VALUE], or jsonpath='{EXPR}'[=VALUE] (kubectl's; a failure still ends the wait)
    #[arg(long = "for", value_name = "STATE", value_parser = clap::value_parser!(GoalArg), add = Complete::Nothing)]
    pub goal: GoalArg,
    /// Give up after this long (e.g. 90s, 30m, 1h; 0 = check once)
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = osb::duration::parse, add = Complete::Nothing)]
    pub timeout: Duration,
    /// Finish as soon as one object reaches the state (default: all)
    #[arg(long)]
    pub any: bool,
    #[command(flatten)]
    pub waiting: osb::flags::WaitFlags,
    /// Count a Job that failed with DeadlineExceeded as a success (soak tests)
    #[arg(long)]
    pub deadline_ok: bool,
    /// Select objects of TYPE by label (e.g. app=shop)
    #[arg(short = 'l', long, value_name = "SELECTOR", add = Complete::LabelKeys)]
    pub selector: Option<String>,
    /// Every object of TYPE in the namespace
    #[arg(long, conflicts_with = "selector")]
    pub all: bool,
    /// With -l or --all: select objects in every namespace (one watch per type, not one per namespace)
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Output: default lines "… condition met", json (a summary with state, reason and seconds), name
    #[arg(short = 'o', long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Never draw the live progress block (it is only drawn when stderr is a terminal)
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// `--for` values, parsed by the engine.
#[derive(Clone, Debug)]
pub struct GoalArg(pub Goal);

impl std::str::FromStr for GoalArg {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        s.parse().map(GoalArg)
    }
}

/// `TYPE/NAME…`, `TYPE NAME…`, or bare `TYPE`s with a selector (see [`osb::kinds::parse_many`]).
pub fn parse_objects(
    words: &[String],
    by_selector: bool,
) -> std::result::Result<Vec<(Kind, Option<String>)>, String> {
    osb::kinds::parse_many(words, by_selector, &Kind::WAITABLE)
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let by_selector = args.selector.is_some() || args.all;
    if args.all_namespaces && !by_selector {
        return Err(Error::Usage(
            "-A/--all-namespaces selects objects: use it with -l SELECTOR or --all".into(),
        ));
    }
    let usage = Error::Usage;
    let objects = parse_objects(&args.objects, by_selector).map_err(usage)?;
    let kube = args.kube.connect().await?;
    let opts = args.waiting.apply(WaitOptions {
        goal: args.goal.0,
        timeout: Some(args.timeout),
        any: args.any,
        fail_on: Vec::new(),
        deadline_ok: args.deadline_ok,
        progress: if args.no_progress {
            Progress::Never
        } else {
            Progress::Auto
        },
        selector: args.selector.clone(),
        page_size: kube.chunk_size,
        ..WaitOptions::default()
    });
    let outcomes = if by_selector {
        // The watches list the selection themselves: once, page by page (`--chunk-size`).
        let kinds: Vec<Kind> = objects.iter().map(|(kind, _)| *kind).collect();
        let namespace = (!args.all_namespaces).then_some(kube.namespace.as_str());
        osb::wait::wait_selected(&kube.client, &kinds, namespace, &opts).await?
    } else {
        let targets = objects
            .into_iter()
            .filter_map(|(kind, name)| {
                Some(Target {
                    kind,
                    namespace: Some(kube.namespace.clone()),
                    name: name?,
                })
            })
            .collect();
        osb::wait::wait(&kube.client, targets, &opts).await?
    };
    if outcomes.is_empty() {
        return Err(Error::Input(if args.all_namespaces {
            "no matching resources found".to_string()
        } else {
            format!(
                "no matching resources found in {} namespace",
                kube.namespace
            )
        }));
    }
    let mut out = std::io::stdout().lock();
    osb::wait::report(&outcomes, &opts, &mut out, args.output)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry's own tests cover every spelling; here, what `wait` accepts of it.
    #[test]
    fn wait_takes_the_kinds_it_waits_on_named_or_by_selector() {
        let parse = |s: &str, by_selector| {
            let words: Vec<String> = s.split_whitespace().map(String::from).collect();
            parse_objects(&words, by_selector)
        };
        let got = parse(
            "si/a serviceinstance.servicecatalog.k8s.io/b sb c d job/e",
            false,
        );
        let want = vec![
            (Kind::ServiceInstance, Some("a".into())),
            (Kind::ServiceInstance, Some("b".into())),
            (Kind::ServiceBinding, Some("c".into())),
            (Kind::ServiceBinding, Some("d".into())),
            (Kind::Job, Some("e".into())),
        ];
        assert_eq!(got, Ok(want));
        assert_eq!(parse("si", true), Ok(vec![(Kind::ServiceInstance, None)]));
        assert!(parse("si/a", true).is_err());
        assert!(parse("si", false).is_err());
        let unknown = parse("pods/x", false).expect_err("pods are not a known type");
        assert!(unknown.contains("unknown type"), "{unknown}");
    }
}
