//! Issue 16: no secret leaks. Canary values are put where secrets live — the binding's Secret (a bind
//! parameter our broker echoes as the username, passed through `--params-from-secret`), a
//! `--params-from-secret` of the provision, and a provision parameter marked secret by its name — and a
//! full lifecycle is run with every output a verb has (stdout and stderr, tables, `-o yaml|json|name|wide`,
//! dry runs, describe, waits, errors). No output may hold a canary, raw or base64, except the one that
//! asks for them: `bind --show-credentials`.

use base64::Engine;
use testkit::{Osb, Run, setup};

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[test]
fn no_canary_reaches_any_output_unless_show_credentials_asks() {
    let (env, ns) = setup("leaks");
    let hex = || uuid::Uuid::new_v4().simple().to_string();
    // The broker's user names are ^[a-z][a-z0-9_-]{0,62}$.
    let in_binding = format!("cnry{}", &hex()[..24]);
    let in_params_secret = format!("CANARY-from-secret-{}", hex());
    let in_param = format!("CANARY-param-{}", hex());
    let in_bad_secret = format!("CANARY-bad-{}", hex());
    // The canaries' homes, written by the admin with plain kubectl.
    let secret = |name: &str, value: &str| {
        env.secret(&ns, name, "parameters", value);
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
    let mut osb = |cmd: Osb, want: i32| -> Run {
        let line = format!("osb {}", cmd.words().join(" "));
        let r = cmd.expect_code(want).run();
        outputs.push((line, r.clone()));
        r
    };
    let prov = || {
        env.cassandra(&ns, "db")
            .param("adminPassword", &in_param)
            .args(["--params-from-secret", "prov-params:parameters"])
    };
    osb(prov().arg("--dry-run=client"), 0);
    osb(prov().args(["--dry-run=client", "-o", "json"]), 0);
    osb(prov().args(["--dry-run=server", "-o", "yaml"]), 0);
    osb(prov().args(["-o", "yaml"]), 0);
    osb(prov().timeout("180s").with_wait(), 0);
    osb(prov().args(["-o", "json"]), 0);
    osb(
        env.cassandra(&ns, "db")
            .param("adminPassword", format!("{in_param}-changed")),
        1,
    );
    osb(
        env.cassandra(&ns, "db2")
            .args(["--params-from-secret", "bad-params"]),
        1,
    );
    osb(env.verb(&ns, ["wait", "si/db", "--for=ready"]), 0);
    osb(
        env.verb(&ns, ["wait", "si/db", "--for=ready", "-o", "json"]),
        0,
    );
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
        osb(env.verb(&ns, args.iter().copied()), 0);
    }

    let bind = || {
        env.bind(&ns, "app")
            .instance("db")
            .args(["--params-from-secret", "bind-params:parameters"])
    };
    osb(bind().args(["--dry-run=client", "-o", "yaml"]), 0);
    osb(bind().args(["-o", "yaml"]).timeout("180s").with_wait(), 0);
    osb(bind(), 0);
    osb(bind().args(["-o", "json"]), 0);
    osb(bind().with_wait(), 0);
    osb(
        env.bind(&ns, "app2")
            .instance("db")
            .args(["--params-from-secret", "bind-params:nokey"]),
        1,
    );
    let job = env.file("job.yaml", crate::rbac::JOB);
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
        osb(env.verb(&ns, args.iter().copied()), 0);
    }

    // The one output that asks: the canary reached the Secret, and only this shows it.
    let shown = bind().arg("--show-credentials=json").run();
    let creds: serde_json::Value =
        serde_json::from_str(&shown.stdout).unwrap_or_else(|e| panic!("{e}: {shown:?}"));
    assert_eq!(creds["username"], in_binding.as_str(), "{shown:?}");
    let password = creds["password"].as_str().unwrap().to_string();
    assert!(password.len() >= 16);

    // Plain kubectl shows what the objects hold, so the canaries are really there to leak.
    let si = env
        .kubectl(&["get", "serviceinstance", "db", "-n", &ns, "-o", "json"])
        .ok();
    si.stdout_has(&in_param);
    let sec = env
        .kubectl(&["get", "secret", "app", "-n", &ns, "-o", "json"])
        .ok();
    sec.stdout_has(&b64(&in_binding));

    osb(env.unbind(&ns, "app").timeout("180s").with_wait(), 0);
    osb(
        env.deprovision(&ns, "db")
            .args(["-o", "name"])
            .timeout("180s")
            .with_wait(),
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
    yaml.clone()
        .stdout_has("adminPassword: \"<redacted>\"")
        .stderr_has("printed as <redacted>");
    let json = printed("osb get instances -o json");
    json.clone()
        .stdout_has("\"dataCentreCustomName\": \"<redacted>\"");
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
