//! Shared by the integration tests: the binary, the fixtures, and the two YAML readers that must both give
//! the input JSON back (serde-saphyr for YAML 1.2, PyYAML for YAML 1.1).
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_kubectl-osb-convert_json")
}

/// The Instaclustr provisioning payloads the tests read (`tests/fixtures`, see its README).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One fixture's path, as the binary is given it.
pub fn fixture(name: &str) -> String {
    fixtures().join(name).to_string_lossy().to_string()
}

/// A refusal: exit 1 and nothing on stdout; the stderr text.
pub fn fails(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert_eq!(stdout(o), "", "nothing may be written to stdout on error");
    err
}

/// The valid fixtures, 01–12.
pub fn valid_fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.file_name().unwrap().to_string_lossy().starts_with("bad-")
        })
        .collect();
    v.sort();
    assert!(
        v.len() >= 12,
        "expected the 12 valid fixtures, found {}",
        v.len()
    );
    v
}

/// Run the binary with arguments and optional stdin.
pub fn run(args: &[&str], stdin: Option<&str>) -> Output {
    run_cmd(Command::new(bin()).args(args), stdin)
}

pub fn run_cmd(cmd: &mut Command, stdin: Option<&str>) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.unwrap_or("").to_string();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(data.as_bytes());
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().unwrap();
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Whether `got` (what serde-saphyr read from the YAML) is the JSON `want`: same types, same strings, same
/// key order, numbers of the same kind and value. serde-saphyr reads integers into 64 bits and anything
/// larger as a float; for those (only) the comparison is at f64 precision — PyYAML, whose integers are
/// unbounded, checks them exactly.
pub fn same_yaml12(want: &Value, got: &Value, path: &str) -> Result<(), String> {
    match (want, got) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::Bool(a), Value::Bool(b)) if a == b => Ok(()),
        (Value::String(a), Value::String(b)) if a == b => Ok(()),
        (Value::Number(a), Value::Number(b)) => {
            let text = a.as_str();
            let is_int = !text.contains(['.', 'e', 'E']);
            let ok = if is_int && (a.is_i64() || a.is_u64()) {
                (b.is_i64() || b.is_u64()) && a.as_i128() == b.as_i128()
            } else if is_int {
                a.as_f64() == b.as_f64()
            } else {
                !(b.is_i64() || b.is_u64())
                    && a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
            };
            if ok {
                Ok(())
            } else {
                Err(format!("{path}: number {a} came back as {b}"))
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| same_yaml12(x, y, &format!("{path}/{i}"))),
        (Value::Object(a), Value::Object(b)) => {
            let ka: Vec<&String> = a.keys().collect();
            let kb: Vec<&String> = b.keys().collect();
            if ka != kb {
                return Err(format!("{path}: keys {ka:?} came back as {kb:?}"));
            }
            a.iter()
                .try_for_each(|(k, v)| same_yaml12(v, &b[k], &format!("{path}/{k}")))
        }
        _ => Err(format!("{path}: {want} came back as {got}")),
    }
}

/// Read `yaml` with serde-saphyr (YAML 1.2) and compare with the JSON `want`.
pub fn check_yaml12(want: &Value, yaml: &str) -> Result<(), String> {
    let got: Value = osb::yaml::from_str(yaml)
        .map_err(|e| format!("serde-saphyr could not read the YAML: {e}\n{yaml}"))?;
    same_yaml12(want, &got, "")
}

const PYYAML_CHECK: &str = r#"
import json, math, sys
try:
    import yaml
except ImportError:
    print("PyYAML is not installed: `pip install pyyaml` (the YAML 1.1 round-trip tests need it)")
    sys.exit(3)

def same(a, b, path):
    if type(a) is not type(b):
        return "%s: %r (%s) came back as %r (%s)" % (path, a, type(a).__name__, b, type(b).__name__)
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            return "%s: keys %r came back as %r" % (path, list(a.keys()), list(b.keys()))
        for k in a:
            r = same(a[k], b[k], path + "/" + k)
            if r: return r
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items came back as %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            r = same(x, y, "%s/%d" % (path, i))
            if r: return r
        return None
    if isinstance(a, float):
        if a != b or math.copysign(1, a) != math.copysign(1, b):
            return "%s: %r came back as %r" % (path, a, b)
        return None
    if a != b:
        return "%s: %r came back as %r" % (path, a, b)
    return None

loaders = [("SafeLoader", yaml.SafeLoader)]
if getattr(yaml, "CSafeLoader", None):
    loaders.append(("CSafeLoader", yaml.CSafeLoader))
cases = json.load(open(sys.argv[1], encoding="utf-8"))
bad = 0
for i, case in enumerate(cases):
    want = json.loads(case["json"])
    for name, loader in loaders:
        try:
            got = yaml.load(case["yaml"], Loader=loader)
        except Exception as e:
            got = e
        r = "PyYAML %s could not read it: %s" % (name, got) if isinstance(got, Exception) else same(want, got, "")
        if r:
            bad += 1
            if bad <= 10:
                print("case %d (%s) with %s: %s\n--- yaml:\n%s" % (i, case.get("name", ""), name, r, case["yaml"][:2000]))
print("pyyaml: %d cases, %d loaders, %d mismatches" % (len(cases), len(loaders), bad))
sys.exit(1 if bad else 0)
"#;

/// Check `(name, json text, yaml text)` cases with PyYAML (YAML 1.1), with both its pure-Python and its
/// libyaml loader. Panics (never skips) when python3 or PyYAML is missing.
pub fn check_pyyaml(cases: &[(String, String, String)]) -> String {
    let dir = tempdir("pyyaml");
    let file = dir.join("cases.json");
    let json: Vec<Value> = cases
        .iter()
        .map(|(n, j, y)| serde_json::json!({"name": n, "json": j, "yaml": y}))
        .collect();
    std::fs::write(&file, serde_json::to_string(&json).unwrap()).unwrap();
    let script = dir.join("check.py");
    std::fs::write(&script, PYYAML_CHECK).unwrap();
    let out = Command::new("python3")
        .arg(&script)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 (needed for the PyYAML round-trip tests): {e}")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.code() != Some(3), "{text}");
    assert!(out.status.success(), "PyYAML round trip failed:\n{text}");
    text
}

/// A fresh directory under the target dir's temp area.
pub fn tempdir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "osb-convert-json-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
