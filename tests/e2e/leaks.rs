//! Issue 16: no secret leaks. Canary values are put where secrets live — the binding's Secret (a bind
//! parameter our broker echoes as the username, passed through `--params-from-secret`), a
//! `--params-from-secret` of the provision, and a provision parameter marked secret by its name — and a
//! full lifecycle is run with every output a verb has (stdout and stderr, tables, `-o yaml|json|name|wide`,
//! dry runs, describe, waits, errors). No output may hold a canary, raw or base64, except the one that
//! asks for them: `bind --show-credentials`.

use base64::Engine;
use testkit::{Run, env};

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[test]
fn no_canary_reaches_any_output_unless_show_credentials_asks() {
    let env = env();
    let ns = env.namespace("leaks");
    let hex = || uuid::Uuid::new_v4().simple().to_string();
    // The broker's user names are ^[a-z][a-z0-9_-]{0,62}$.
    let in_binding = format!("cnry{}", &hex()[..24]);
    let in_params_secret = format!("CANARY-from-secret-{}", hex());
    let in_param = format!("CANARY-param-{}", hex());
    let in_bad_secret = format!("CANARY-bad-{}", hex());
    // The canaries' homes, written by the admin with plain kubectl.
    let secret = |name: &str, value: &str| {
        env.kubectl(&[
            "create",
            "secret",
            "generic",
            name,
            "-n",
            &ns,
            &format!("--from-literal=parameters={value}"),
        ])
        .ok();
    };
    // A key that no redaction would guess: only its origin (a Secret) makes it secret.
    secret(
        "prov-params",
        &format!("{{\"dataCentreCustomName\": \"{in_params_secret}\"}}"),
    );
    secret(
        "bind-params",
        &format!("{{\"username\": \"{in_binding}\"}}"),
    );
    secret("bad-params", &format!("\"{in_bad_secret}\""));

    let mut outputs: Vec<(String, Run)> = Vec::new();
    let mut osb = |args: &[&str], want: i32| -> Run {
        let mut a = vec!["osb"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-n", &ns]);
        let r = env.kubectl(&a);
        assert_eq!(r.code, want, "kubectl {}: {r:#?}", a.join(" "));
        outputs.push((
            a.join(" "),
            Run {
                code: r.code,
                stdout: r.stdout.clone(),
                stderr: r.stderr.clone(),
            },
        ));
        r
    };
    let password_param = format!("adminPassword={in_param}");
    let prov: Vec<&str> = vec![
        "provision",
        "db",
        "--class",
        "cassandra",
        "--plan",
        "developer",
        "-p",
        &password_param,
        "--params-from-secret",
        "prov-params:parameters",
    ];
    let with = |extra: &[&'static str]| {
        let mut v = prov.clone();
        v.extend_from_slice(extra);
        v
    };
    osb(&with(&["--dry-run=client"]), 0);
    osb(&with(&["--dry-run=client", "-o", "json"]), 0);
    osb(&with(&["--dry-run=server", "-o", "yaml"]), 0);
    osb(&with(&["-o", "yaml"]), 0);
    osb(&with(&["--wait", "--timeout", "180s"]), 0);
    osb(&with(&["-o", "json"]), 0);
    let changed = format!("adminPassword={in_param}-changed");
    osb(
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            &changed,
        ],
        1,
    );
    osb(
        &[
            "provision",
            "db2",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--params-from-secret",
            "bad-params",
        ],
        1,
    );
    osb(&["wait", "si/db", "--for=ready"], 0);
    osb(&["wait", "si/db", "--for=ready", "-o", "json"], 0);
    for args in [
        &["get", "instances"][..],
        &["get", "instances", "-o", "wide"],
        &["get", "instances", "-o", "yaml"],
        &["get", "instances", "-o", "json"],
        &["get", "instance", "db", "-o", "yaml"],
        &["get", "instance", "db", "-o", "name"],
        &["describe", "db"],
        &["describe", "instance", "db", "-o", "yaml"],
        &["describe", "instance", "db", "-o", "json"],
    ] {
        osb(args, 0);
    }

    let bind: Vec<&str> = vec![
        "bind",
        "app",
        "--instance",
        "db",
        "--params-from-secret",
        "bind-params:parameters",
    ];
    let bwith = |extra: &[&'static str]| {
        let mut v = bind.clone();
        v.extend_from_slice(extra);
        v
    };
    osb(&bwith(&["--dry-run=client", "-o", "yaml"]), 0);
    osb(&bwith(&["--wait", "--timeout", "180s", "-o", "yaml"]), 0);
    osb(&bwith(&[]), 0);
    osb(&bwith(&["-o", "json"]), 0);
    osb(&bwith(&["--wait"]), 0);
    osb(
        &[
            "bind",
            "app2",
            "--instance",
            "db",
            "--params-from-secret",
            "bind-params:nokey",
        ],
        1,
    );
    let job = env.cp.dir.join(format!("{ns}-job.yaml"));
    std::fs::write(
        &job,
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: app\n        image: busybox\n",
    )
    .unwrap();
    for args in [
        &["bind", "env", "app"][..],
        &["bind", "env", "app", "--prefix", "C_", "-o", "json"],
        &[
            "bind",
            "env",
            "app",
            "--prefix",
            "C_",
            "-f",
            job.to_str().unwrap(),
        ],
        &["get", "bindings"],
        &["get", "bindings", "-o", "wide"],
        &["get", "bindings", "-o", "yaml"],
        &["get", "binding", "app", "-o", "json"],
        &["describe", "binding", "app"],
        &["describe", "binding", "app", "-o", "yaml"],
        &["describe", "db"],
        &["wait", "sb/app", "--for=ready", "-o", "json"],
        &["abandon", "--list"],
        &["abandon", "--list", "-o", "yaml"],
        &["abandon", "binding", "app", "--force", "--dry-run"],
        &[
            "abandon",
            "db",
            "--with-bindings",
            "--force",
            "--dry-run=server",
        ],
    ] {
        osb(args, 0);
    }

    // The one output that asks: the canary reached the Secret, and only this shows it.
    let shown = env.kubectl(&[
        "osb",
        "bind",
        "app",
        "--instance",
        "db",
        "--params-from-secret",
        "bind-params:parameters",
        "--show-credentials=json",
        "-n",
        &ns,
    ]);
    assert_eq!(shown.code, 0, "{shown:?}");
    let creds: serde_json::Value =
        serde_json::from_str(&shown.stdout).unwrap_or_else(|e| panic!("{e}: {shown:?}"));
    assert_eq!(creds["username"], in_binding.as_str(), "{shown:?}");
    let password = creds["password"].as_str().unwrap().to_string();
    assert!(password.len() >= 16);

    // Plain kubectl shows what the objects hold, so the canaries are really there to leak.
    let si = env
        .kubectl(&["get", "serviceinstance", "db", "-n", &ns, "-o", "json"])
        .ok();
    assert!(
        si.stdout.contains(&in_param),
        "the parameter is in the object"
    );
    let sec = env
        .kubectl(&["get", "secret", "app", "-n", &ns, "-o", "json"])
        .ok();
    assert!(
        sec.stdout.contains(&b64(&in_binding)),
        "the canary is in the binding's Secret"
    );

    osb(&["unbind", "app", "--wait", "--timeout", "180s"], 0);
    osb(
        &[
            "deprovision",
            "db",
            "--wait",
            "--timeout",
            "180s",
            "-o",
            "name",
        ],
        0,
    );

    let canaries = [
        ("the binding Secret's username", in_binding.clone()),
        ("the binding Secret's password", password.clone()),
        (
            "the provision's --params-from-secret",
            in_params_secret.clone(),
        ),
        ("a parameter marked secret", in_param.clone()),
        ("an unusable --params-from-secret", in_bad_secret.clone()),
    ];
    // The parameter and the Secret's value are in what was printed, redacted (not merely absent).
    let printed = |cmd: &str| {
        &outputs
            .iter()
            .find(|(c, _)| c.starts_with(cmd))
            .unwrap_or_else(|| panic!("no output of {cmd}"))
            .1
    };
    let yaml = printed("osb get instance db -o yaml");
    assert!(
        yaml.stdout.contains("adminPassword: \"<redacted>\""),
        "{yaml:?}"
    );
    assert!(yaml.stderr.contains("printed as <redacted>"), "{yaml:?}");
    let json = printed("osb get instances -o json");
    assert!(
        json.stdout
            .contains("\"dataCentreCustomName\": \"<redacted>\""),
        "the value the controller read from the Secret: {json:?}"
    );
    let mut leaks = Vec::new();
    for (cmd, run) in &outputs {
        for (what, c) in &canaries {
            for form in [c.clone(), b64(c)] {
                for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                    if text.contains(&form) {
                        leaks.push(format!(
                            "{what} in the {stream} of `kubectl {cmd}`:\n{text}"
                        ));
                    }
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n\n"));
    assert!(
        outputs.len() > 40,
        "every output was collected ({})",
        outputs.len()
    );
}
