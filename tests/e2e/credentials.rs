//! Issue 16: real credentials. Every verb takes kubectl's whole connection flag set (`--server`,
//! `--token`, `--certificate-authority`, `--client-certificate`/`--client-key`,
//! `--insecure-skip-tls-verify`, `--tls-server-name`, `--as`/`--as-group`/`--as-uid`,
//! `--username`/`--password`) with kubectl's precedence over the kubeconfig, and runs with the in-cluster
//! configuration a pod gets (service account token, CA and namespace at their fixed path, provided here in
//! a private mount namespace, and `KUBERNETES_SERVICE_HOST/PORT`).

use std::path::{Path, PathBuf};
use std::process::Command;

use testkit::{Env, Osb, Run, env, setup};

use crate::rbac::{INSTANCES, account, account_with, await_can, ca_file, install_roles};

/// `kubectl` with no kubeconfig at all: `KUBECONFIG` unset, an empty `HOME`, no in-cluster variables.
pub(crate) fn bare_kubectl(env: &Env) -> Command {
    let home = env.cp.dir.join("empty-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut c = Command::new("kubectl");
    c.env_remove("KUBECONFIG")
        .env("HOME", &home)
        .env("PATH", env.path())
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("KUBERNETES_SERVICE_PORT")
        .env_remove("POD_NAMESPACE");
    c
}

fn bare(env: &Env, args: &[&str]) -> Run {
    testkit::run(bare_kubectl(env).args(args), None)
}

/// The admin's kubeconfig, with `args` after `kubectl osb`.
fn admin_osb(env: &Env, args: &[&str]) -> Run {
    let mut a = vec!["osb"];
    a.extend_from_slice(args);
    env.kubectl(&a)
}

#[track_caller]
fn assert_refused_as(run: &Run, user: &str) {
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with("Error from server (Forbidden): ")
            && run.stderr.contains(&format!("User \"{user}\"")),
        "expected a refusal for {user}: {run:#?}"
    );
}

#[test]
fn the_lifecycle_runs_with_server_token_and_ca_flags_and_no_kubeconfig() {
    let (env, ns) = setup("flags-lifecycle");
    let acc = account_with(env, &ns, "ci", &["catalog-reader", "lifecycle"]);
    let ca = ca_file(env);
    let conn = [
        "--server",
        env.cp.server.as_str(),
        "--token",
        acc.token.as_str(),
        "--certificate-authority",
        ca.to_str().unwrap(),
    ];
    let mut all = Vec::new();
    // Every verb with the flags alone (no kubeconfig), `-n NS` last.
    let mut osb = |cmd: Osb| {
        let r = cmd.args(conn).via(bare_kubectl(env)).run();
        all.push(r);
        all.last().unwrap().stdout.clone()
    };
    let verb = |words: &[&str]| env.verb(&ns, words.iter().copied());
    // Without any flag, there is nothing to connect to.
    let none = bare(env, &["osb", "get", "instances"]);
    none.code(1).stderr_starts("error: no configuration found");

    assert!(osb(verb(&["catalog", "--check"])).contains("ready"));
    let p = osb(env.cassandra(&ns, "db").with_wait());
    assert!(p.ends_with("condition met\n"), "{p}");
    assert!(osb(verb(&["get", "instances"])).contains("db"));
    assert!(osb(verb(&["describe", "db"])).contains("Ready"));
    osb(env.bind(&ns, "app").instance("db").with_wait());
    assert!(
        osb(env
            .bind(&ns, "app")
            .instance("db")
            .arg("--show-credentials=json"))
        .contains("password")
    );
    osb(verb(&["wait", "sb/app", "--for=ready"]));
    osb(env.unbind(&ns, "app").with_wait());
    osb(env.deprovision(&ns, "db").with_wait());
    assert_eq!(env.names("serviceinstances", &ns), Vec::<String>::new());
    for r in &all {
        assert!(
            !r.stdout.contains(&acc.token) && !r.stderr.contains(&acc.token),
            "the token was printed: {r:#?}"
        );
    }
    // -s is --server, as in kubectl.
    let short = bare(
        env,
        &[
            "osb",
            "get",
            "instances",
            "-s",
            &env.cp.server,
            "--token",
            &acc.token,
            "--certificate-authority",
            ca.to_str().unwrap(),
            "-n",
            &ns,
        ],
    );
    assert_eq!(short.code, 0, "{short:?}");
}

#[test]
fn tls_flags_verify_the_server_as_kubectl_does() {
    let env = env();
    let ca = ca_file(env);
    let ca = ca.to_str().unwrap();
    let wrong_ca = env.cp.dir.join("pki/client-ca.crt");
    let wrong_ca = wrong_ca.to_str().unwrap();
    // `kubectl osb get instances FLAGS…` with no kubeconfig but what the flags say.
    let get = |flags: &[&[&str]]| {
        bare(
            env,
            &[&["osb", "get", "instances"][..], &flags.concat()].concat(),
        )
    };
    let server = [
        "-n",
        "default",
        "--server",
        &env.cp.server,
        "--token",
        testkit::cluster::ADMIN_TOKEN,
    ];
    let base = |extra: &[&str]| get(&[&server, extra]);
    let unverified = base(&[]);
    unverified
        .code(1)
        .stderr_starts("Unable to connect to the server: ");
    assert_eq!(base(&["--insecure-skip-tls-verify"]).code, 0);
    assert_eq!(base(&["--certificate-authority", ca]).code, 0);
    let wrong = base(&["--certificate-authority", wrong_ca]);
    assert_eq!(wrong.code, 1, "{wrong:?}");
    // The API server's certificate names kubernetes.default.svc: verification follows --tls-server-name.
    assert_eq!(
        base(&[
            "--certificate-authority",
            ca,
            "--tls-server-name",
            "kubernetes.default.svc"
        ])
        .code,
        0
    );
    let other = base(&[
        "--certificate-authority",
        ca,
        "--tls-server-name",
        "not-the-api.example",
    ]);
    other
        .code(1)
        .stderr_starts("Unable to connect to the server: ");

    // A kubeconfig that skips verification: --certificate-authority turns verification back on.
    let kc = env.cp.dir.join("insecure.kubeconfig");
    std::fs::write(
        &kc,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    insecure-skip-tls-verify: true\n\
             users:\n- name: u\n  user:\n    token: {}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            env.cp.server,
            testkit::cluster::ADMIN_TOKEN
        ),
    )
    .unwrap();
    let with_kubeconfig = |extra: &[&str]| get(&[&["--kubeconfig", kc.to_str().unwrap()], extra]);
    with_kubeconfig(&[]).code(0);
    with_kubeconfig(&["--certificate-authority", wrong_ca]).code(1);
    with_kubeconfig(&["--certificate-authority", ca]).code(0);
}

#[test]
fn flags_take_precedence_over_the_kubeconfig() {
    let (env, ns) = setup("flags-precedence");
    let nobody = account(env, &ns, "nobody");
    // The admin's kubeconfig, but the account's token: the account it is.
    let as_token = admin_osb(
        env,
        &["get", "instances", "-n", &ns, "--token", &nobody.token],
    );
    assert_refused_as(&as_token, &nobody.user());
    assert!(!as_token.stderr.contains(&nobody.token));
    // --user and --context pick the kubeconfig's other entries.
    assert_refused_as(
        &admin_osb(
            env,
            &["get", "instances", "-n", &ns, "--user", "osb-viewer"],
        ),
        "osb-viewer",
    );
    assert_refused_as(
        &admin_osb(
            env,
            &["get", "instances", "-n", &ns, "--context", "osb-viewer"],
        ),
        "osb-viewer",
    );
    // --server replaces the kubeconfig's.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let server = format!("https://127.0.0.1:{port}");
    let refused = admin_osb(env, &["get", "instances", "--server", &server]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert_eq!(
        refused.stderr.trim(),
        format!(
            "The connection to the server 127.0.0.1:{port} was refused - did you specify the right host or port?"
        )
    );
    // Names the kubeconfig lacks are errors, as in kubectl.
    let missing = admin_osb(env, &["get", "instances", "--context", "nope"]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert_eq!(
        missing.stderr.trim(),
        "error: context \"nope\" does not exist"
    );
    // Groups without a user to impersonate are refused before any request.
    let groups = admin_osb(env, &["get", "instances", "--as-group", "g"]);
    assert_eq!(groups.code, 1, "{groups:?}");
    groups.stderr_has("need --as");
    // kubectl's flags are flags of every verb, not usage errors.
    for verb in [
        "catalog",
        "provision",
        "bind",
        "unbind",
        "deprovision",
        "describe",
        "get",
        "wait",
        "abandon",
    ] {
        let help = env.kubectl(&["osb", verb, "--help"]).ok();
        for flag in [
            "--server",
            "--token",
            "--certificate-authority",
            "--client-certificate",
            "--client-key",
            "--insecure-skip-tls-verify",
            "--tls-server-name",
            "--as ",
            "--as-group",
            "--as-uid",
            "--username",
            "--password",
            "-v, --v <LEVEL>",
        ] {
            help.clone().stdout_has(flag);
        }
    }
}

#[test]
fn client_certificates_authenticate() {
    let (env, ns) = setup("flags-cert");
    install_roles(env);
    let pki = env.cp.dir.join("pki");
    let (cert, key) = (pki.join("client.crt"), pki.join("client.key"));
    let ca = ca_file(env);
    let run = |extra: &[&str]| {
        let mut a = vec![
            "osb",
            "get",
            "instances",
            "-n",
            ns.as_str(),
            "--server",
            env.cp.server.as_str(),
            "--certificate-authority",
            ca.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        bare(env, &a)
    };
    let cert_flags = [
        "--client-certificate",
        cert.to_str().unwrap(),
        "--client-key",
        key.to_str().unwrap(),
    ];
    // Without a credential: anonymous. With the certificate: its user, not yet allowed anything.
    assert_refused_as(&run(&[]), "system:anonymous");
    assert_refused_as(&run(&cert_flags), testkit::cluster::CERT_USER);
    let printed = env
        .kubectl(&[
            "osb",
            "rbac",
            "lifecycle",
            "--user",
            testkit::cluster::CERT_USER,
            "-n",
            &ns,
        ])
        .ok();
    env.kubectl_stdin(&["apply", "-f", "-"], &printed.stdout)
        .ok();
    await_can(
        env,
        testkit::cluster::CERT_USER,
        &ns,
        "list",
        INSTANCES,
        true,
    );
    let allowed = run(&cert_flags);
    assert_eq!(allowed.code, 0, "{allowed:?}");
    let half = run(&cert_flags[..2]);
    assert_eq!(half.code, 1, "{half:?}");
    half.stderr_has("--client-key");
}

#[test]
fn impersonation_flags_reach_the_server() {
    let (env, ns) = setup("flags-as");
    let acc = account(env, &ns, "impersonator");
    // May impersonate users, and nothing else (not groups, not UIDs).
    let name = format!("osb-test-impersonate-{ns}");
    let rbac = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": name},
         "rules": [{"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": name},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
         "subjects": [{"kind": "ServiceAccount", "name": "impersonator", "namespace": ns}]},
    ]});
    env.kubectl_stdin(&["apply", "-f", "-"], &rbac.to_string())
        .ok();
    await_can(env, &acc.user(), &ns, "impersonate", "users", true);
    let osb = |extra: &[&str]| {
        let mut a = vec!["get", "instances"];
        a.extend_from_slice(extra);
        acc.osb(env, &a)
    };
    assert_refused_as(&osb(&["--as", "alice"]), "alice");
    let uid = osb(&["--as", "alice", "--as-uid", "u-1"]);
    uid.code(1).stderr_has(&format!(
        "User \"{}\" cannot impersonate resource \"uids\"",
        acc.user()
    ));
    let group = osb(&["--as", "alice", "--as-group", "admins"]);
    group.code(1).stderr_has(&format!(
        "User \"{}\" cannot impersonate resource \"groups\"",
        acc.user()
    ));
}

/// An HTTPS endpoint (self-signed) that answers every request `401 Unauthorized` and hands back each
/// request's head: what a server receives, where the API server cannot show it (it ignores basic auth).
fn capture_requests(env: &Env) -> (String, std::sync::mpsc::Receiver<String>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use std::io::{Read, Write};
    let dir = env
        .cp
        .dir
        .join(format!("capture-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("tls.crt"), dir.join("tls.key"));
    testkit::catalog::self_signed_cert(&cert, &key).unwrap();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(&key).unwrap();
    let config = std::sync::Arc::new(
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut tcp) = stream else { continue };
            let Ok(mut conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let body = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#;
            let _ = write!(
                tls,
                "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.flush();
            if tx
                .send(String::from_utf8_lossy(&head).into_owned())
                .is_err()
            {
                break;
            }
        }
    });
    (format!("https://127.0.0.1:{port}"), rx)
}

#[test]
fn basic_auth_flags_are_sent_and_never_printed() {
    use base64::Engine;
    let env = env();
    let (server, requests) = capture_requests(env);
    let password = format!("pw-{}", uuid::Uuid::new_v4().simple());
    let r = bare(
        env,
        &[
            "osb",
            "get",
            "instances",
            "-n",
            "default",
            "--server",
            &server,
            "--insecure-skip-tls-verify",
            "--username",
            "someone",
            "--password",
            &password,
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr.trim(),
        "error: You must be logged in to the server (Unauthorized)"
    );
    assert!(!r.stdout.contains(&password) && !r.stderr.contains(&password));
    let head = requests
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the verb reached the server");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("someone:{password}"));
    assert!(
        head.lines()
            .any(|l| l.eq_ignore_ascii_case(&format!("authorization: Basic {basic}"))),
        "no basic authentication in:\n{head}"
    );
    assert!(
        head.starts_with(
            "GET /apis/servicecatalog.k8s.io/v1beta1/namespaces/default/serviceinstances"
        ),
        "{head}"
    );
    // With the kubeconfig's token as well: refused before any request, as kubectl does.
    let both = admin_osb(
        env,
        &[
            "get",
            "instances",
            "--username",
            "u",
            "--password",
            &password,
        ],
    );
    let both = both
        .code(1)
        .stderr_has("more than one authentication method");
    assert!(!both.stderr.contains(&password));
}

// ---- in-cluster -------------------------------------------------------------------------------------------

const SA_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Runs `kubectl ARGS…` the way a pod would: in a private mount namespace (`unshare --mount
/// --propagation private`), a tmpfs over `/var/run` holds the service account's token, CA and namespace
/// at their fixed path, seen only by this command and gone with it; `KUBERNETES_SERVICE_HOST/PORT` point
/// at the API server; no kubeconfig exists.
fn in_pod(env: &Env, files: &Path, extra_env: &[(&str, &str)], args: &[&str]) -> Run {
    let script = r#"set -e
run=$(readlink -f /var/run)
mount -t tmpfs osb-test-serviceaccount "$run"
mkdir -p "$run/secrets/kubernetes.io/serviceaccount"
cp "$OSB_SA_FILES/token" "$OSB_SA_FILES/ca.crt" "$OSB_SA_FILES/namespace" "$run/secrets/kubernetes.io/serviceaccount/"
unset OSB_SA_FILES
exec "$@""#;
    let mut c = bare_kubectl(env);
    let kubectl = c.get_program().to_os_string();
    let mut u = Command::new("unshare");
    u.args([
        "--mount",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        script,
        "sh",
    ])
    .arg(kubectl)
    .args(args);
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => u.env(k, v),
            None => u.env_remove(k),
        };
    }
    u.env("OSB_SA_FILES", files)
        .env("KUBERNETES_SERVICE_HOST", "127.0.0.1")
        .env("KUBERNETES_SERVICE_PORT", env.cp.api_port.to_string());
    for (k, v) in extra_env {
        u.env(k, v);
    }
    c = u;
    testkit::run(&mut c, None)
}

#[test]
fn a_verb_runs_with_the_in_cluster_configuration_of_a_pod() {
    let (env, ns) = setup("in-cluster");
    let acc = account_with(env, &ns, "pod", &["catalog-reader", "lifecycle"]);
    let there_before = Path::new(SA_DIR).join("token").exists();

    // What the kubelet would mount.
    let files: PathBuf = env.cp.dir.join(format!("sa-{ns}"));
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("token"), &acc.token).unwrap();
    std::fs::copy(ca_file(env), files.join("ca.crt")).unwrap();
    std::fs::write(files.join("namespace"), ns.as_str()).unwrap();

    if !there_before {
        // Outside the pod's view: the variables alone are not an in-cluster configuration.
        let outside = testkit::run(
            bare_kubectl(env)
                .env("KUBERNETES_SERVICE_HOST", "127.0.0.1")
                .env("KUBERNETES_SERVICE_PORT", env.cp.api_port.to_string())
                .args(["osb", "get", "instances"]),
            None,
        );
        outside
            .code(1)
            .stderr_starts("error: no configuration found");
    }

    // No -n anywhere: the namespace is the service account's.
    let pod = |cmd: Osb| {
        let mut a = vec!["osb".to_string()];
        a.extend(cmd.no_namespace().words());
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let r = in_pod(env, &files, &[], &a);
        assert_eq!(r.code, 0, "in the pod: kubectl {}: {r:#?}", a.join(" "));
        r
    };
    let verb = |words: &[&str]| env.verb(&ns, words.iter().copied());
    let p = pod(env.cassandra(&ns, "db").with_wait());
    assert!(p.stdout.ends_with("condition met\n"), "{p:?}");
    assert_eq!(
        env.names("serviceinstances", &ns),
        ["serviceinstance.servicecatalog.k8s.io/db"],
        "created in the service account's namespace"
    );
    assert!(pod(verb(&["get", "instances"])).stdout.contains("db"));
    pod(env.bind(&ns, "app").instance("db").with_wait());
    assert!(
        pod(verb(&["describe", "binding", "app"]))
            .stdout
            .contains("Ready")
    );
    pod(env.unbind(&ns, "app").with_wait());
    pod(env.deprovision(&ns, "db").with_wait());

    // $POD_NAMESPACE comes first, -n before it; the token is the service account's in both cases.
    let other = in_pod(
        env,
        &files,
        &[("POD_NAMESPACE", "kube-system")],
        &["osb", "get", "instances"],
    );
    assert_refused_as(&other, &acc.user());
    other.stderr_has("in the namespace \"kube-system\"");
    let flag = in_pod(
        env,
        &files,
        &[("POD_NAMESPACE", "kube-system")],
        &["osb", "get", "instances", "-n", "kube-public"],
    );
    assert_refused_as(&flag, &acc.user());
    flag.stderr_has("in the namespace \"kube-public\"");

    // Nothing of it outside the command's own mount namespace.
    assert_eq!(
        Path::new(SA_DIR).join("token").exists(),
        there_before,
        "the service account files must not be left on the machine"
    );
}
