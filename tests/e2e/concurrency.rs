//! Writes started at once for one name answer as if they had run one after the other: one `created`, the
//! identical ones `unchanged` (exit 0), a different one refused naming the differing field (exit 1) — never
//! `AlreadyExists` from the run whose create lost the race.
//!
//! A race is not certain on any one try, so each test starts many runs at once, over several names.

use std::process::{Command, Stdio};

use serde_json::Value;
use testkit::{Run, env};

/// Runs started at once per name.
const RUNS: usize = 6;
/// Names raced for per test.
const ROUNDS: usize = 3;

/// `kubectl osb ARGS… -n NS`, not yet started.
fn osb_cmd(ns: &str, args: &[&str]) -> Command {
    let mut c = env().kubectl_cmd();
    c.arg("osb").args(args).args(["-n", ns]);
    c
}

/// Start every command before waiting for any, so that their reads and creates interleave.
fn all_at_once(cmds: Vec<Command>) -> Vec<Run> {
    let children: Vec<_> = cmds
        .into_iter()
        .map(|mut c| {
            c.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("starting {c:?}: {e}"))
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let o = child.wait_with_output().unwrap();
            Run {
                code: o.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            }
        })
        .collect()
}

/// The names of the objects of one type in a namespace (`kubectl get -o name`).
fn names(kind: &str, ns: &str) -> Vec<String> {
    env()
        .kubectl(&["get", kind, "-n", ns, "-o", "name"])
        .ok()
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

fn get_json(kind: &str, name: &str, ns: &str) -> Value {
    let run = env()
        .kubectl(&["get", kind, name, "-n", ns, "-o", "json"])
        .ok();
    serde_json::from_str(&run.stdout).unwrap()
}

/// Every run exited 0; exactly one printed `created`, every other `unchanged`.
#[track_caller]
fn one_created_the_rest_unchanged(runs: &[Run], object: &str) {
    for r in runs {
        assert_eq!(r.code, 0, "every identical run succeeds: {runs:#?}");
    }
    let created = format!("{object} created\n");
    let unchanged = format!("{object} unchanged\n");
    let n_created = runs.iter().filter(|r| r.stdout == created).count();
    let n_unchanged = runs.iter().filter(|r| r.stdout == unchanged).count();
    assert_eq!(
        (n_created, n_unchanged),
        (1, runs.len() - 1),
        "one created, the rest unchanged: {runs:#?}"
    );
}

const PROVISION: [&str; 6] = [
    "--class",
    "cassandra",
    "--plan",
    "developer",
    "-p",
    "replicas=3",
];

#[test]
fn identical_provisions_started_at_once_all_succeed_and_create_one_instance() {
    let ns = env().namespace("cc-prov");
    for round in 0..ROUNDS {
        let name = format!("same-{round}");
        let mut args = vec!["provision", name.as_str()];
        args.extend(PROVISION);
        let runs = all_at_once((0..RUNS).map(|_| osb_cmd(&ns, &args)).collect());
        one_created_the_rest_unchanged(
            &runs,
            &format!("serviceinstance.servicecatalog.k8s.io/{name}"),
        );
    }
    let want: Vec<String> = (0..ROUNDS)
        .map(|r| format!("serviceinstance.servicecatalog.k8s.io/same-{r}"))
        .collect();
    assert_eq!(names("serviceinstances", &ns), want);
}

#[test]
fn identical_binds_started_at_once_all_succeed_and_create_one_binding() {
    let ns = env().namespace("cc-bind");
    let mut args = vec!["provision", "db"];
    args.extend(PROVISION);
    env()
        .kubectl(&[&["osb"][..], &args, &["-n", &ns]].concat())
        .ok();
    for round in 0..ROUNDS {
        let name = format!("same-{round}");
        let args = ["bind", name.as_str(), "--instance", "db", "-p", "role=ro"];
        let runs = all_at_once((0..RUNS).map(|_| osb_cmd(&ns, &args)).collect());
        one_created_the_rest_unchanged(
            &runs,
            &format!("servicebinding.servicecatalog.k8s.io/{name}"),
        );
    }
    let want: Vec<String> = (0..ROUNDS)
        .map(|r| format!("servicebinding.servicecatalog.k8s.io/same-{r}"))
        .collect();
    assert_eq!(names("servicebindings", &ns), want);
}

/// Runs with two different values of one parameter, started at once: the first create wins; runs with
/// its value are `unchanged`, the others are refused naming the field, and the winner is left as it was.
#[track_caller]
fn different_specs_started_at_once(
    verb: &str,
    kind: &str,
    extra: &[&str],
    field: &str,
    (param, choices): (&str, [&str; 2]),
) {
    let ns = env().namespace(&format!("cc-diff-{verb}"));
    if verb == "bind" {
        let mut args = vec!["provision", "db"];
        args.extend(PROVISION);
        env()
            .kubectl(&[&["osb"][..], &args, &["-n", &ns]].concat())
            .ok();
    }
    for round in 0..ROUNDS {
        let name = format!("race-{round}");
        let values: Vec<&str> = (0..RUNS).map(|i| choices[i % 2]).collect();
        let cmds = values
            .iter()
            .map(|v| {
                let p = format!("{param}={v}");
                let mut args = vec![verb, name.as_str()];
                args.extend(extra);
                args.extend(["-p", p.as_str()]);
                osb_cmd(&ns, &args)
            })
            .collect();
        let runs = all_at_once(cmds);
        let object = format!("{kind}.servicecatalog.k8s.io/{name}");
        let created: Vec<usize> = (0..RUNS)
            .filter(|&i| runs[i].code == 0 && runs[i].stdout == format!("{object} created\n"))
            .collect();
        assert_eq!(created.len(), 1, "exactly one created: {runs:#?}");
        let won = values[created[0]];
        for (i, (v, r)) in values.iter().zip(&runs).enumerate() {
            if i == created[0] {
                continue;
            }
            if *v == won {
                assert_eq!(
                    (r.code, r.stdout.as_str()),
                    (0, format!("{object} unchanged\n").as_str()),
                    "the same spec as the winner: {runs:#?}"
                );
            } else {
                assert_eq!(r.code, 1, "a different spec is refused: {runs:#?}");
                assert!(
                    r.stderr.starts_with(&format!(
                        "error: {kind} \"{name}\" already exists with a different spec: {field}"
                    )),
                    "the refusal names the differing field: {runs:#?}"
                );
            }
        }
        let obj = get_json(kind, &name, &ns);
        assert_eq!(
            obj["spec"]["parameters"][param]
                .to_string()
                .trim_matches('"'),
            won,
            "the winner is left as it was: {obj:#}"
        );
        assert_eq!(
            obj["spec"]["updateRequests"].as_i64().unwrap_or(0),
            0,
            "no update was sent: {obj:#}"
        );
    }
    let plural = format!("{kind}s");
    assert_eq!(names(&plural, &ns).len(), ROUNDS);
}

#[test]
fn provisions_with_different_parameters_started_at_once_create_one_and_refuse_the_others() {
    different_specs_started_at_once(
        "provision",
        "serviceinstance",
        &PROVISION[..4],
        "spec.parameters.replicas",
        ("replicas", ["1", "2"]),
    );
}

#[test]
fn binds_with_different_parameters_started_at_once_create_one_and_refuse_the_others() {
    different_specs_started_at_once(
        "bind",
        "servicebinding",
        &["--instance", "db"],
        "spec.parameters",
        // Our broker's binding schema is closed: a parameter it declares.
        ("role", ["ro", "rw"]),
    );
}
