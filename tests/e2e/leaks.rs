//! Issue 16: no secret leaks. Canary values are put where secrets live — the binding's Secret (a bind
//! parameter our broker echoes as the username, passed through `--params-from-secret`), a
//! `--params-from-secret` of the provision, and a provision parameter marked secret by its name — and a
//! full lifecycle is run with every output a verb has (stdout and stderr, tables, `-o yaml|json|name|wide`,
//! dry runs, describe, waits, errors). No output may hold a canary, raw or base64, except the one that
//! asks for them: `bind --show-credentials`.
//!
//! Issue 23: `-v=6…10` logs the HTTP exchange on stderr; the same canaries, and the identity's bearer
//! token and client key, must not reach it.

use std::process::Command;

use base64::Engine;
use testkit::{Osb, Run, setup};

use crate::credentials::bare_kubectl;
use crate::rbac::{account_with, ca_file};

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// No canary (raw or base64) in any stdout or stderr of `outputs` (each: the command line and its run).
#[track_caller]
fn assert_no_leak(outputs: &[(String, Run)], canaries: &[(&str, String)]) {
    let mut leaks = Vec::new();
    for (cmd, run) in outputs {
        for (what, c) in canaries {
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
    assert_no_leak(&outputs, &canaries);
    assert!(
        outputs.len() > 40,
        "every output was collected ({})",
        outputs.len()
    );
}

/// Whether stderr has the klog line of a round trip at `-v=6` (or 9, 10) for `method` on `path` with this
/// query (`""`: none), answered with `status` (`200 OK`): `I… verbose.rs] GET URL 200 OK in N milliseconds`.
fn has_request_line(run: &Run, method: &str, path: &str, query: &str, status: &str) -> bool {
    run.stderr.lines().any(|l| {
        let Some((_, line)) = l.split_once("] ").filter(|_| l.starts_with('I')) else {
            return false;
        };
        let Some((head, ms)) = line.split_once(&format!(" {status} in ")) else {
            return false;
        };
        let (url, q) = head
            .strip_prefix(&format!("{method} "))
            .map(|u| u.split_once('?').unwrap_or((u, "")))
            .unwrap_or_default();
        url == path
            && (query.is_empty() || q.split('&').any(|p| p == query))
            && ms
                .strip_suffix(" milliseconds")
                .is_some_and(|n| n.parse::<u64>().is_ok())
    })
}

#[test]
fn verbose_logs_show_every_request_and_no_canary() {
    let (env, ns) = setup("leaks-v");
    let hex = || uuid::Uuid::new_v4().simple().to_string();
    let in_binding = format!("cnry{}", &hex()[..24]);
    let in_params_secret = format!("CANARY-from-secret-{}", hex());
    let in_param = format!("CANARY-param-{}", hex());
    env.secret(
        &ns,
        "prov-params",
        "parameters",
        &format!("{{\"dataCentreCustomName\": \"{in_params_secret}\"}}"),
    );
    env.secret(
        &ns,
        "bind-params",
        "parameters",
        &format!("{{\"username\": \"{in_binding}\"}}"),
    );
    // A service account whose kubeconfig holds its (real, random) token: the bearer canary.
    let acc = account_with(env, &ns, "ci", &["catalog-reader", "lifecycle"]);
    let mut outputs: Vec<(String, Run)> = Vec::new();
    // Each verb through this kubectl; every output kept.
    let mut via = |cmd: Osb, kubectl: Command| -> Run {
        let line = format!("osb {}", cmd.words().join(" "));
        let r = cmd.via(kubectl).run();
        outputs.push((line, r.clone()));
        r
    };
    let server = env.cp.server.trim_end_matches('/');
    let api = format!("{server}/apis/servicecatalog.k8s.io/v1beta1/namespaces/{ns}");
    let secrets = format!("{server}/api/v1/namespaces/{ns}/secrets");

    // -v=10: whole bodies, so that no cut hides a leak. The instance's POST shows, redacted, and the
    // parametersFrom Secret read back, its data redacted.
    let prov = via(
        env.provision(&ns, "db")
            .class("cassandra")
            .plan("developer")
            .param("adminPassword", &in_param)
            .args(["--params-from-secret", "prov-params:parameters", "-v=10"])
            .with_wait(),
        acc.kubectl_cmd(env),
    );
    assert!(
        has_request_line(
            &prov,
            "POST",
            &format!("{api}/serviceinstances"),
            "",
            "201 Created"
        ),
        "{prov:#?}"
    );
    assert!(
        has_request_line(
            &prov,
            "GET",
            &format!("{secrets}/prov-params"),
            "",
            "200 OK"
        ),
        "{prov:#?}"
    );
    assert!(
        !prov.stderr.contains("Request Headers:"),
        "headers are 7 and 8's"
    );
    prov.stderr_has("Request Body: {")
        .stderr_has("\"adminPassword\":\"<redacted>\"")
        .stderr_has("Response Body: {")
        .stderr_has("\"data\":{\"parameters\":\"<redacted>\"}");
    // -v=8: the binding's credentials Secret read back; headers, the token masked.
    let bind = via(
        env.bind(&ns, "app")
            .instance("db")
            .args(["--params-from-secret", "bind-params:parameters", "-v=8"])
            .with_wait(),
        acc.kubectl_cmd(env),
    );
    bind.stderr_has(&format!("] GET {secrets}/app\n"))
        .stderr_has("] Request Headers:\n")
        .stderr_has("]     Authorization: Bearer <masked>\n")
        .stderr_has("] Response Status: 200 OK in ")
        .stderr_has("] Response Headers:\n")
        .stderr_has("] Response Body: {");
    let password = env.secret_data(&ns, "app")["password"]
        .as_str()
        .unwrap()
        .to_string();
    // -v=6: the line the issue asks for.
    let get = via(
        env.verb(&ns, ["get", "instances", "-v=6"]),
        acc.kubectl_cmd(env),
    );
    assert!(
        has_request_line(
            &get,
            "GET",
            &format!("{api}/serviceinstances"),
            "limit=500",
            "200 OK"
        ),
        "{get:#?}"
    );
    get.stdout_has("db");
    // Every spelling of the flag on the other verbs; before the verb, through the dispatcher, too.
    for args in [
        &["-v", "7", "describe", "db"][..],
        &["--v=8", "get", "binding", "app", "-o", "yaml"],
        &["wait", "sb/app", "--for=ready", "--v", "9"],
        &["get", "instance", "db", "-o", "json", "-v=8"],
        &["catalog", "-v=6"],
    ] {
        let r = via(env.verb(&ns, args.iter().copied()), acc.kubectl_cmd(env));
        assert!(r.stderr.contains(&format!("GET {server}/")), "{r:#?}");
    }
    // A verb that sends no request takes -v too, and logs nothing.
    let rbac = via(
        env.verb(&ns, ["rbac", "--list", "-v=8"]),
        acc.kubectl_cmd(env),
    );
    assert_eq!(rbac.stderr, "", "{rbac:#?}");
    // The credentials Secret whole (-v10): its values redacted, its keys kept.
    via(
        env.verb(&ns, ["bind", "env", "app", "-v10"]),
        acc.kubectl_cmd(env),
    )
    .stderr_has(&format!("] GET {secrets}/app 200 OK in "))
    .stderr_has("\"password\":\"<redacted>\"")
    .stderr_has("\"username\":\"<redacted>\"");
    // --token and client certificates, without a kubeconfig.
    let pki = env.cp.dir.join("pki");
    let (cert, key) = (pki.join("client.crt"), pki.join("client.key"));
    let ca = ca_file(env);
    let flagged = |auth: &[&str]| {
        let mut a = vec![
            "get",
            "bindings",
            "-v=8",
            "--server",
            server,
            "--certificate-authority",
            ca.to_str().unwrap(),
        ];
        a.extend_from_slice(auth);
        env.verb(&ns, a)
    };
    via(flagged(&["--token", &acc.token]), bare_kubectl(env))
        .stdout_has("app")
        .stderr_has("Authorization: Bearer <masked>");
    let cert_flags = [
        "--client-certificate",
        cert.to_str().unwrap(),
        "--client-key",
        key.to_str().unwrap(),
    ];
    // The certificate's user may not list here: the refusal is logged like any answer.
    via(flagged(&cert_flags).expect_code(1), bare_kubectl(env))
        .stderr_has(&format!("] GET {api}/servicebindings?"))
        .stderr_has("] Response Status: 403 Forbidden in ")
        .stderr_has("Error from server (Forbidden)");
    via(
        env.unbind(&ns, "app").arg("-v=6").with_wait(),
        acc.kubectl_cmd(env),
    );
    via(
        env.deprovision(&ns, "db").arg("-v=8").with_wait(),
        acc.kubectl_cmd(env),
    );

    let mut canaries = vec![
        ("the account's bearer token", acc.token.clone()),
        (
            "the admin's token",
            testkit::cluster::ADMIN_TOKEN.to_string(),
        ),
        ("the binding Secret's username", in_binding),
        ("the binding Secret's password", password),
        ("the provision's --params-from-secret", in_params_secret),
        ("a parameter marked secret", in_param),
    ];
    for file in [&key, &cert] {
        let pem = std::fs::read_to_string(file).unwrap();
        for line in pem
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        {
            canaries.push(("a line of the client key or certificate", line.to_string()));
        }
    }
    assert_no_leak(&outputs, &canaries);
    assert_eq!(outputs.len(), 14, "every output was collected");
}
