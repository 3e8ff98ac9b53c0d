//! Writes started at once for one name answer as if they had run one after the other: one `created`, the
//! identical ones `unchanged` (exit 0), a different one refused naming the differing field (exit 1) — never
//! `AlreadyExists` from the run whose create lost the race.
//!
//! A race is not certain on any one try, so each test starts many runs at once, over several names.

use testkit::{Osb, Run, env, finish, setup};

/// Runs started at once per name.
const RUNS: usize = 6;
/// Names raced for per test.
const ROUNDS: usize = 3;

/// Start every command before waiting for any, so that their reads and creates interleave.
fn all_at_once(cmds: Vec<Osb>) -> Vec<Run> {
    let children: Vec<_> = cmds.into_iter().map(Osb::spawn).collect();
    children.into_iter().map(finish).collect()
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

/// `provision NAME --class cassandra --plan developer` (`-p replicas=3` unless `replicas` says otherwise).
fn provision(ns: &str, name: &str) -> Osb<'static> {
    env().cassandra(ns, name)
}

/// Identical runs of `verb` (`provision` or `bind`, with `-p replicas=3` / `-p role=ro`) started at
/// once, for each of several names: one created, the rest unchanged, one object per name.
#[track_caller]
fn identical_runs_started_at_once(verb: &str, kind: &str) {
    let (env, ns) = setup(&format!("cc-same-{verb}"));
    let run = |name: &str| match verb {
        "bind" => env.bind(&ns, name).instance("db").param("role", "ro"),
        _ => provision(&ns, name).param("replicas", 3),
    };
    if verb == "bind" {
        provision(&ns, "db").param("replicas", 3).run();
    }
    let object = |name: &str| format!("{kind}.servicecatalog.k8s.io/{name}");
    for round in 0..ROUNDS {
        let name = format!("same-{round}");
        let runs = all_at_once((0..RUNS).map(|_| run(&name)).collect());
        one_created_the_rest_unchanged(&runs, &object(&name));
    }
    let want: Vec<String> = (0..ROUNDS).map(|r| object(&format!("same-{r}"))).collect();
    assert_eq!(env.names(&format!("{kind}s"), &ns), want);
}

#[test]
fn identical_provisions_started_at_once_all_succeed_and_create_one_instance() {
    identical_runs_started_at_once("provision", "serviceinstance");
}

#[test]
fn identical_binds_started_at_once_all_succeed_and_create_one_binding() {
    identical_runs_started_at_once("bind", "servicebinding");
}

/// Runs with two different values of one parameter, started at once: the first create wins; runs with
/// its value are `unchanged`, the others are refused naming the field, and the winner is left as it was.
#[track_caller]
fn different_specs_started_at_once(
    verb: &str,
    kind: &str,
    field: &str,
    (param, choices): (&str, [&str; 2]),
) {
    let (env, ns) = setup(&format!("cc-diff-{verb}"));
    if verb == "bind" {
        provision(&ns, "db").param("replicas", 3).run();
    }
    for round in 0..ROUNDS {
        let name = format!("race-{round}");
        let values: Vec<&str> = (0..RUNS).map(|i| choices[i % 2]).collect();
        let cmds = values
            .iter()
            .map(|v| match verb {
                "bind" => env.bind(&ns, &name).instance("db").param(param, v),
                _ => provision(&ns, &name).param(param, v),
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
                r.clone().code(1).stderr_starts(&format!(
                    "error: {kind} \"{name}\" already exists with a different spec: {field}"
                ));
            }
        }
        let obj = env.json(kind, &ns, &name);
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
    assert_eq!(env.names(&plural, &ns).len(), ROUNDS);
}

#[test]
fn provisions_with_different_parameters_started_at_once_create_one_and_refuse_the_others() {
    different_specs_started_at_once(
        "provision",
        "serviceinstance",
        "spec.parameters.replicas",
        ("replicas", ["1", "2"]),
    );
}

#[test]
fn binds_with_different_parameters_started_at_once_create_one_and_refuse_the_others() {
    different_specs_started_at_once(
        "bind",
        "servicebinding",
        "spec.parameters",
        // Our broker's binding schema is closed: a parameter it declares.
        ("role", ["ro", "rw"]),
    );
}
