//! `kubectl osb get` speaks kubectl get's flags: the same command through `kubectl get serviceinstances`
//! and `kubectl osb get instances`, on the same objects, prints the same bytes for `-o jsonpath` (with
//! `range`/`end`, filters, maps), `-o custom-columns`, `--sort-by`, `-l`, `--field-selector`,
//! `--no-headers` and `-o name`; `--show-labels` and `-L` add the same columns; an empty selection says
//! kubectl's "No resources found" on stderr; a bad template is kubectl's `error: …`, exit 1. Bindings,
//! brokers, classes and plans compare the same way; `describe` takes several names or `-l`.

use testkit::kit::Background;
use testkit::{Env, Run, eventually, setup};

/// Four Ready instances: `a` (tier=db, rank=10), `b` (tier=cache, rank=9), `c` (tier=db, rank=2), `d`
/// (no labels), all of our broker's cassandra/developer, created in one `kubectl create`.
fn four_instances(env: &Env, ns: &str) {
    let labels = [
        ("a", serde_json::json!({"tier": "db", "rank": "10"})),
        ("b", serde_json::json!({"tier": "cache", "rank": "9"})),
        ("c", serde_json::json!({"tier": "db", "rank": "2"})),
        ("d", serde_json::json!({})),
    ];
    let items: Vec<serde_json::Value> = labels
        .iter()
        .map(|(name, l)| {
            testkit::instance(name, "cassandra", "developer")
                .set("/metadata/namespace", ns)
                .set("/metadata/labels", l.clone())
                .0
        })
        .collect();
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
    env.kubectl_stdin(&["create", "-f", "-"], &list.to_string())
        .ok();
    // Ready objects no longer change, so the two reads below see the same bytes.
    env.verb(ns, ["wait", "si/a", "si/b", "si/c", "si/d", "--for=ready"])
        .timeout("180s")
        .run();
}

/// `kubectl get serviceinstances ARGS` and `kubectl osb get instances ARGS`, both in `ns`.
fn both(env: &Env, ns: &str, args: &[&str]) -> (Run, Run) {
    both_of(env, ns, ["serviceinstances", "instances"], args)
}

/// `kubectl get RESOURCE ARGS` and `kubectl osb get KIND ARGS` (`[RESOURCE, KIND]`), both in `ns`.
fn both_of(env: &Env, ns: &str, [resource, kind]: [&str; 2], args: &[&str]) -> (Run, Run) {
    let with = |first: &[&str]| {
        let mut a = first.to_vec();
        a.extend_from_slice(args);
        a.extend_from_slice(&["-n", ns]);
        env.kubectl(&a)
    };
    (with(&["get", resource]), with(&["osb", "get", kind]))
}

/// Both succeed and print the same bytes on stdout; returns them.
#[track_caller]
fn same(env: &Env, ns: &str, args: &[&str]) -> String {
    same_of(env, ns, ["serviceinstances", "instances"], args)
}

#[track_caller]
fn same_of(env: &Env, ns: &str, kinds: [&str; 2], args: &[&str]) -> String {
    let (theirs, ours) = both_of(env, ns, kinds, args);
    let (theirs, ours) = (theirs.ok(), ours.ok());
    assert_eq!(
        ours.stdout, theirs.stdout,
        "kubectl osb get instances {args:?} differs from kubectl get serviceinstances"
    );
    ours.stdout
}

/// Each line of a table from the column headed `header` on (the columns kubectl adds at the end).
fn from_column(table: &str, header: &str) -> Vec<String> {
    let at = table
        .lines()
        .next()
        .and_then(|h| h.find(header))
        .unwrap_or_else(|| panic!("no {header} column in:\n{table}"));
    table
        .lines()
        .map(|l| l.get(at..).unwrap_or_default().trim_end().to_string())
        .collect()
}

/// Ages move between two reads; everything else of a Ready instance does not.
fn redact_ages(text: &str) -> String {
    text.split('\n')
        .map(|l| {
            l.split_whitespace()
                .filter(|w| !w.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn get_prints_what_kubectl_get_prints_for_the_same_flags() {
    let (env, ns) = setup("kget");
    four_instances(env, &ns);

    // `-L` (and `-l`) complete the label keys of the instances here, with how many carry each.
    for flag in ["-L", "-l"] {
        let keys = env
            .kubectl(&["osb", "__complete", "get", "instances", "-n", &ns, flag, ""])
            .ok();
        keys.stdout_starts("rank\ton 3 of 4\ntier\ton 3 of 4\n:");
    }

    // JSONPath: on the List, values joined by spaces, no newline added.
    let names = same(env, &ns, &["-o", "jsonpath={.items[*].metadata.name}"]);
    assert_eq!(names, "a b c d");
    let lines = same(
        env,
        &ns,
        &[
            "-o",
            r#"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.metadata.labels.tier}{"\n"}{end}"#,
        ],
    );
    assert_eq!(lines, "a\tdb\nb\tcache\nc\tdb\nd\t\n");
    let filtered = same(
        env,
        &ns,
        &[
            "-o",
            r#"jsonpath={.items[?(@.metadata.labels.tier=="db")].metadata.name}"#,
        ],
    );
    assert_eq!(filtered, "a c");
    // Maps and lists as Go's JSON (keys sorted), a slice, recursive descent, `{@}` on one object.
    same(
        env,
        &ns,
        &[
            "-o",
            "jsonpath={.items[0].metadata.labels} {.items[-2:].spec}",
        ],
    );
    same(
        env,
        &ns,
        &["-o", "jsonpath={..clusterServicePlanExternalName}"],
    );
    let one = same(
        env,
        &ns,
        &[
            "b",
            "-o",
            "jsonpath={.metadata.name}: {@.spec.clusterServiceClassExternalName}",
        ],
    );
    assert_eq!(one, "b: cassandra");

    // Custom columns: headers as given, <none> for what is missing, maps as Go prints them.
    let columns = "NAME:.metadata.name,Tier:.metadata.labels.tier,PLAN:spec.clusterServicePlanExternalName,LABELS:{.metadata.labels}";
    let table = same(env, &ns, &["-o", &format!("custom-columns={columns}")]);
    assert!(table.starts_with("NAME   Tier "), "{table}");
    assert!(table.contains("<none>"), "{table}");
    same(
        env,
        &ns,
        &["-o", &format!("custom-columns={columns}"), "--no-headers"],
    );
    let file = env.file(
        "kget-columns.txt",
        "NAME          RANK\n.metadata.name .metadata.labels.rank\n",
    );
    let file = format!("custom-columns-file={}", file.display());
    same(env, &ns, &["-o", &file]);

    // Selectors, sorting (natural order: 2 < 9 < 10), names.
    assert_eq!(same(env, &ns, &["-o", "name"]).lines().count(), 4);
    let sorted = same(
        env,
        &ns,
        &[
            "-l",
            "rank",
            "--sort-by=.metadata.labels.rank",
            "-o",
            "name",
        ],
    );
    assert_eq!(
        sorted,
        "serviceinstance.servicecatalog.k8s.io/c\nserviceinstance.servicecatalog.k8s.io/b\nserviceinstance.servicecatalog.k8s.io/a\n"
    );
    same(
        env,
        &ns,
        &[
            "--sort-by={.metadata.labels.tier}",
            "-l",
            "tier in (db,cache)",
            "-o",
            "custom-columns=N:.metadata.name",
        ],
    );
    assert_eq!(
        same(
            env,
            &ns,
            &["-l", "tier=db", "-o", "jsonpath={.items[*].metadata.name}"]
        ),
        "a c"
    );
    assert_eq!(
        same(
            env,
            &ns,
            &["--field-selector", "metadata.name=d", "-o", "name"]
        ),
        "serviceinstance.servicecatalog.k8s.io/d\n"
    );

    // Nothing selected: nothing on stdout, kubectl's words on stderr.
    let (theirs, ours) = both(env, &ns, &["-l", "tier=none"]);
    let (theirs, ours) = (theirs.ok(), ours.ok());
    assert_eq!(
        (ours.stdout.as_str(), ours.stderr.as_str()),
        ("", theirs.stderr.as_str())
    );
    assert_eq!(
        ours.stderr,
        format!("No resources found in {} namespace.\n", ns.as_str())
    );

    // --show-labels and -L: our own columns first, then the ones kubectl adds, cell for cell.
    for flags in [
        &["--show-labels"][..],
        &["-L", "tier", "-L", "rank"],
        &["-L", "tier,rank", "--show-labels"],
    ] {
        let (theirs, ours) = both(env, &ns, flags);
        let first = if flags[0] == "-L" { "TIER" } else { "LABELS" };
        assert_eq!(
            from_column(&ours.ok().stdout, first),
            from_column(&theirs.ok().stdout, first),
            "{flags:?}"
        );
    }
    let no_headers = env
        .osb(&ns, &["get", "instances", "--no-headers", "-L", "tier"])
        .ok();
    assert!(no_headers.stdout.starts_with("a "), "{}", no_headers.stdout);

    // describe: several names, or a selector, one after the other as kubectl separates them.
    let two = env.osb(&ns, &["describe", "a", "c"]).ok();
    let by_label = env.osb(&ns, &["describe", "-l", "tier=db"]).ok();
    let objects = two
        .stdout
        .lines()
        .filter(|l| l.starts_with("Name:"))
        .count();
    assert_eq!(objects, 2, "{}", two.stdout);
    assert_eq!(
        redact_ages(&two.stdout),
        redact_ages(&by_label.stdout),
        "describe a c vs describe -l tier=db"
    );

    // Bad templates: kubectl's error, exit 1, for both.
    for bad in [
        &["-o", "jsonpath={.items[*]"][..],
        &["--sort-by={.a}{.b}", "-o", "name"],
    ] {
        let (theirs, ours) = both(env, &ns, bad);
        assert_eq!(
            (theirs.code, ours.code),
            (1, 1),
            "{bad:?}: {theirs:#?} {ours:#?}"
        );
        ours.stderr_starts("error: ");
    }
    env.osb(&ns, &["get", "instances", "-o", "jsonpath={.items[*]"])
        .code(1)
        .stderr_starts("error: error parsing jsonpath {.items[*], unclosed action");
}

#[test]
fn bindings_take_the_same_flags() {
    let (env, ns) = setup("kgetb");
    env.provision(&ns, "db")
        .class("cassandra")
        .plan("developer")
        .wait();
    env.bind(&ns, "app").instance("db").wait();
    let table = same_of(
        env,
        &ns,
        ["servicebindings", "bindings"],
        &[
            "-o",
            "custom-columns=NAME:.metadata.name,INSTANCE:.spec.instanceRef.name,SECRET:.spec.secretName",
        ],
    );
    assert!(table.contains("app    db"), "{table}");
    let names = same_of(
        env,
        &ns,
        ["servicebindings", "bindings"],
        &[
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}",
            "--sort-by=.metadata.name",
        ],
    );
    assert_eq!(names, "app\n");
}

#[test]
fn brokers_classes_and_plans_print_as_kubectl_get_prints_them() {
    let (env, ns) = setup("kgetc");
    let brokers = ["clusterservicebrokers", "brokers"];
    let names = same_of(env, &ns, brokers, &["-o", "name"]);
    assert!(
        names.contains("clusterservicebroker.servicecatalog.k8s.io/instaclustr\n"),
        "{names}"
    );
    same_of(env, &ns, brokers, &["-o", "jsonpath={.items[*].spec.url}"]);
    same_of(
        env,
        &ns,
        ["clusterserviceclasses", "classes"],
        &[
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.externalName}{\"\\n\"}{end}",
            "--sort-by=.metadata.name",
        ],
    );
    let plans = same_of(
        env,
        &ns,
        ["clusterserviceplans", "plans"],
        &[
            "-o",
            "custom-columns=PLAN:.spec.externalName,CLASS:.spec.clusterServiceClassRef.name,FREE:.spec.free",
            "--sort-by=.metadata.name",
        ],
    );
    assert!(plans.contains("developer"), "{plans}");
    // Our own table: the broker's URL and state, classes by external name.
    env.osb(&ns, &["get", "brokers"])
        .ok()
        .stdout_starts("NAME ")
        .stdout_has("instaclustr");
    env.osb(&ns, &["get", "classes", "--show-labels"])
        .ok()
        .stdout_has("EXTERNAL-NAME")
        .stdout_has("cassandra");
}

/// `get -w`: a new instance shows as a row while the watch runs, then again as Ready; `-o name` and
/// `-o json --output-watch-events` print the same watch lines and events as `kubectl get -w`.
#[test]
fn get_w_prints_a_new_instance_and_its_ready_row_as_kubectl_get_w_does() {
    let (env, ns) = setup("kgetw");
    // An object listed first: once each watch has printed it, its list is done and its watch started
    // from the list's resourceVersion, so no later change can be missed.
    env.cassandra(&ns, "a").wait();
    let n = ns.as_str();
    let table = env.background(&["osb", "get", "instances", "-w", "-n", n]);
    let watched = |args: &[&str]| {
        let get = |first: &[&str]| {
            let mut a = first.to_vec();
            a.extend_from_slice(args);
            a.extend_from_slice(&["-w", "-n", n]);
            env.background(&a)
        };
        (
            get(&["osb", "get", "instances"]),
            get(&["get", "serviceinstances"]),
        )
    };
    let names = watched(&["-o", "name"]);
    let events = watched(&["-o", "json", "--output-watch-events"]);
    let yaml = watched(&["-o", "yaml", "--output-watch-events"]);
    let json = watched(&["-o", "json"]);
    let all = [
        &table, &names.0, &names.1, &events.0, &events.1, &yaml.0, &yaml.1, &json.0, &json.1,
    ];
    let lists_a = |l: &str| {
        l.starts_with("a ")
            || l.ends_with("/a")
            || l.contains(r#""name":"a","#)
            || l.trim() == r#""name": "a","#
            || l.trim() == "name: a"
    };
    let t0 = std::time::Instant::now();
    while !all.iter().all(|b| b.stdout().lines().any(lists_a)) {
        assert!(
            t0.elapsed() < testkit::PATIENCE,
            "not every watch listed instance a: {all:#?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    env.cassandra(&ns, "b").run();
    let rows = |b: &Background| -> Vec<String> {
        b.stdout()
            .lines()
            .filter(|l| l.starts_with("b "))
            .map(String::from)
            .collect()
    };
    let b_rows = eventually("a Ready row of b", testkit::PATIENCE, || {
        let r = rows(&table);
        r.last().is_some_and(|l| l.contains(" Ready ")).then_some(r)
    });
    assert!(
        b_rows.len() >= 2 && !b_rows[0].contains(" Ready "),
        "b first shows as new, then as Ready: {b_rows:#?}\n{}",
        table.stdout()
    );
    assert!(table.stdout().starts_with("NAME "), "{}", table.stdout());
    assert_eq!(
        table.stdout().matches("NAME ").count(),
        1,
        "one header: {}",
        table.stdout()
    );
    // kubectl's watch sees the same changes: the same lines, once both have printed b's last change.
    // kubectl's watch sees the same changes: the same lines once both have printed b's later changes
    // (-o name, and JSON events byte for byte; YAML and plain JSON as the same documents: our YAML quotes
    // some strings kubectl leaves plain, see docs/yaml.md).
    let same_docs = |text: &str, yaml: bool| -> Vec<serde_json::Value> {
        if yaml {
            osb::yaml::from_str_multi_large(text).unwrap_or_default()
        } else {
            serde_json::Deserializer::from_str(text)
                .into_iter::<serde_json::Value>()
                .map_while(Result::ok)
                .collect()
        }
    };
    let pairs = [
        ("-o name", &names, None),
        ("-o json --output-watch-events", &events, None),
        ("-o json", &json, Some(false)),
        ("-o yaml --output-watch-events", &yaml, Some(true)),
    ];
    for (what, (ours, theirs), parsed) in pairs {
        // b's later changes printed too (not only its creation).
        let settled = |out: &str| {
            out.contains("MODIFIED")
                || out.matches("/b\n").count() > 1
                || out.matches("\"name\": \"b\"").count() > 1
        };
        let comparable = |out: String| match parsed {
            Some(yaml) => format!("{:#?}", same_docs(&out, yaml)),
            None => out,
        };
        let t0 = std::time::Instant::now();
        let (mut o, mut t) = (String::new(), String::new());
        while t0.elapsed() < testkit::PATIENCE {
            let theirs = theirs.stdout();
            let done = settled(&theirs);
            (o, t) = (comparable(ours.stdout()), comparable(theirs));
            if o == t && done {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        assert_eq!(o, t, "{what}: ours (left) and kubectl's (right)");
    }
    let lines = names.1.stdout();
    assert!(
        lines.starts_with(
            "serviceinstance.servicecatalog.k8s.io/a\nserviceinstance.servicecatalog.k8s.io/b\n"
        ),
        "{lines}"
    );
    let lines = events.1.stdout();
    assert!(
        lines.starts_with(r#"{"type":"ADDED","object":{"#)
            && lines.contains(r#"{"type":"MODIFIED","#),
        "{lines}"
    );
    assert!(yaml.1.stdout().contains("\n---\nobject:\n"), "{:?}", yaml.1);
    // Without a watch too, -o json is kubectl's, managedFields left out.
    drop((table, names, events, yaml, json));
    let list = same(env, &ns, &["-o", "json"]);
    assert!(!list.contains("managedFields"), "{list}");
    same(env, &ns, &["b", "-o", "json"]);
    env.osb(
        &ns,
        &[
            "get",
            "instances",
            "b",
            "-o",
            "json",
            "--show-managed-fields",
        ],
    )
    .ok()
    .stdout_has("\"managedFields\"");
}
