//! Exactness: every fixture and a corpus of tricky strings and numbers, converted by the binary, read back
//! by a YAML 1.2 parser (serde-saphyr) and a YAML 1.1 parser (PyYAML, pure and libyaml loaders), give the
//! input JSON: types, strings, numbers, null, empties, key order, non-ASCII text.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{Value, json};

fn parameters_yaml(json_text: &str) -> String {
    let o = run(
        &["--parameters-only", "--no-validate", "-"],
        Some(json_text),
    );
    assert!(o.status.success(), "conversion failed: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn every_fixture_round_trips_through_both_parsers() {
    let mut cases = Vec::new();
    for path in valid_fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let want: Value = serde_json::from_str(&text).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();

        // The full manifest: spec.parameters is the payload.
        let o = run(&[path.to_str().unwrap()], None);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let manifest = stdout(&o);
        let got: Value = osb::yaml::from_str(&manifest).unwrap();
        same_yaml12(&want, &got["spec"]["parameters"], "")
            .unwrap_or_else(|e| panic!("{name}: {e}\n{manifest}"));
        assert_eq!(got["kind"], "ServiceInstance");
        assert_eq!(got["apiVersion"], "servicecatalog.k8s.io/v1beta1");

        let yaml = parameters_yaml(&text);
        check_yaml12(&want, &yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        cases.push((name.clone(), text, yaml));
        // The manifest through PyYAML too (parameters nested three levels down).
        let manifest_want = serde_json::to_string(&json!({"spec": {"parameters": want}})).unwrap();
        let got_manifest: Value = osb::yaml::from_str(&manifest).unwrap();
        let only_spec = osb::yaml::to_string(
            &json!({"spec": {"parameters": got_manifest["spec"]["parameters"].clone()}}),
        );
        cases.push((format!("{name} (manifest)"), manifest_want, only_spec));
    }
    let report = check_pyyaml(&cases);
    assert!(
        report.contains(&format!("{} cases", cases.len())),
        "{report}"
    );
}

#[test]
fn fixture_01_gives_the_documented_manifest() {
    let path = fixtures().join("01-cassandra-minimal.json");
    let o = run(&[path.to_str().unwrap(), "-n", "default"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    // Worked out by hand from the fixture: the payload unchanged under spec.parameters, key order kept,
    // null stays null, strings that start with a digit ("3.11.4", "192.168.0.0/18", "3", "1") quoted so they stay strings,
    // class from APACHE_CASSANDRA, plan from NON_PRODUCTION, name from clusterName.
    let expected = "\
apiVersion: servicecatalog.k8s.io/v1beta1
kind: ServiceInstance
metadata:
  name: cassandra-minimal
  namespace: default
spec:
  clusterServiceClassExternalName: cassandra
  clusterServicePlanExternalName: developer
  parameters:
    clusterName: cassandra_minimal
    bundles:
    - bundle: APACHE_CASSANDRA
      version: \"3.11.4\"
    provider:
      name: AWS_VPC
      accountName: null
    slaTier: NON_PRODUCTION
    nodeSize: t3.small
    dataCentre: US_WEST_2
    clusterNetwork: \"192.168.0.0/18\"
    rackAllocation:
      numberOfRacks: \"3\"
      nodesPerRack: \"1\"
";
    assert_eq!(stdout(&o), expected);
    assert_eq!(stderr(&o), "");
}

/// Strings that YAML 1.1 or 1.2 would read as something else, or that need escaping.
fn tricky_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "  ",
        " a",
        "a ",
        "a  b",
        "\t",
        "\n",
        "a\nb",
        "a\r\nb",
        "\r",
        "trailing\n",
        "\u{85}",
        "\u{2028}",
        "\u{2029}",
        "\u{feff}x",
        "\u{0}",
        "\u{7}",
        "\u{1b}",
        "\u{7f}",
        "\u{9f}",
        "\u{a0}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{fffd}",
        "y",
        "Y",
        "n",
        "N",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "null",
        "Null",
        "NULL",
        "~",
        "yEs",
        "nO",
        "0",
        "-0",
        "+0",
        "00",
        "0755",
        "0o755",
        "0x1F",
        "0X1f",
        "0b1010",
        "1_000",
        "1,000",
        "+1",
        "-1",
        "1.",
        ".5",
        "5.0",
        "3.10",
        "2.10",
        "1.0",
        "1e3",
        "1E3",
        "1e+3",
        "1.5e-7",
        "6.02E23",
        "1:20",
        "1:20:30.5",
        "190:20:30",
        "-1:20",
        ".inf",
        "-.inf",
        "+.INF",
        ".Inf",
        ".nan",
        ".NaN",
        ".NAN",
        "inf",
        "nan",
        "NaN",
        "Infinity",
        "2019-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2002-12-14",
        "12:30",
        "<<",
        "=",
        "-",
        "--",
        "---",
        "...",
        "- a",
        "-a",
        "? a",
        "?",
        ":",
        ": a",
        "a:",
        "a: b",
        "a:b",
        "a #b",
        "#",
        "#a",
        "!",
        "!a",
        "!!str",
        "&a",
        "*a",
        "%YAML",
        "@a",
        "`a",
        "|",
        "|-",
        ">",
        ">+",
        "{",
        "}",
        "[",
        "]",
        "{}",
        "[]",
        ",",
        "a,b",
        "'",
        "'a'",
        "\"",
        "\"a\"",
        "\\",
        "a\\nb",
        "C:\\path",
        "/",
        "/a/b",
        "a/b",
        "_",
        "__x__",
        "Zürich",
        "日本語",
        "emoji 😀",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "ǅ",
        "١٢٣",
        "a١",
        "ﬁ",
        "e\u{301}",
        "Ω",
        "ΣΑΣ",
        "3.11.4",
        "apache-cassandra-3.11.4.ic1",
        "apache-kafka:2.5.1",
        "192.168.0.0/18",
        "t3.small",
        "sg-0123",
        "aws.access.key.id",
        "sasl.jaas.config",
        "us-east1",
        "US_EAST_1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(5000));
    v.push(format!("{}\n{}", "long line ".repeat(300), "second"));
    v
}

fn tricky_numbers() -> Vec<&'static str> {
    vec![
        "0",
        "-0",
        "1",
        "-1",
        "0.0",
        "-0.0",
        "1.5",
        "2.50",
        "3.10",
        "1e3",
        "1E3",
        "1e+3",
        "1E-7",
        "-2.5e-7",
        "1.5e+300",
        "1e-320",
        "4.9e-324",
        "1.7976931348623157e308",
        "0.1",
        "123456789.123456789",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "-98765432109876543210987654321",
        "100000000000000000000000000000000000000000000000000",
    ]
}

#[test]
fn tricky_strings_and_numbers_round_trip_through_both_parsers() {
    let strings = tricky_strings();
    let numbers = tricky_numbers();
    // Every string as a value and as a key, every number as a value, in one document and one per case.
    let mut doc = serde_json::Map::new();
    let mut cases = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        let one =
            json!({ "value": s, "list": [s, [s]], s.clone(): {"nested": s}, "k": {s.clone(): s} });
        doc.insert(format!("s{i}"), json!(s));
        doc.insert(s.clone(), json!(i));
        cases.push((
            format!("string {s:?}"),
            serde_json::to_string(&one).unwrap(),
        ));
    }
    for n in &numbers {
        let text = format!("{{\"n\": {n}, \"l\": [{n}], \"m\": {{\"{n}\": {n}}}}}");
        cases.push((format!("number {n}"), text));
    }
    let nums = numbers.join(", ");
    cases.push(("numbers".into(), format!("[{nums}]")));
    cases.push(("empties".into(), r#"{"a": {}, "b": [], "c": "", "d": null, "e": [{}, [], "", null, [[]], [{}]], "f": {"": ""}}"#.into()));
    cases.push(("scalar root".into(), r#""3.10""#.into()));
    cases.push(("null root".into(), "null".into()));
    cases.push(("empty object root".into(), "{}".into()));
    cases.push((
        "array root".into(),
        r#"[[1, [2, [3, {"a": [[]]}]]], {"b": {"c": [null]}}]"#.into(),
    ));
    cases.push((
        "long key".into(),
        serde_json::to_string(
            &json!({"k".repeat(3000): {"a": 1}, "q\"".repeat(600): [1, {"x".repeat(1100): "v"}]}),
        )
        .unwrap(),
    ));
    cases.push((
        "all together".into(),
        serde_json::to_string(&Value::Object(doc)).unwrap(),
    ));

    let mut py = Vec::new();
    for (name, text) in &cases {
        let want: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: bad test JSON: {e}"));
        let yaml = parameters_yaml(text);
        check_yaml12(&want, &yaml).unwrap_or_else(|e| panic!("{name}: {e}\n{yaml}"));
        py.push((name.clone(), text.clone(), yaml));
    }
    let report = check_pyyaml(&py);
    eprintln!("{report}");
    assert!(py.len() > 200, "{}", py.len());
}

#[test]
fn big_integers_keep_every_digit() {
    let o = run(
        &["--parameters-only", "--no-validate", "-"],
        Some(r#"{"big": 123456789012345678901234567890, "neg": -98765432109876543210}"#),
    );
    assert_eq!(
        stdout(&o),
        "big: 123456789012345678901234567890\nneg: -98765432109876543210\n"
    );
}

/// The checks themselves can fail: a plain `no` or `3.10` is what a naive converter writes, and both
/// readers must reject it as not the input.
#[test]
fn the_checks_catch_a_naive_conversion() {
    let want = json!({"a": "no", "b": "3.10", "c": "0755"});
    assert!(check_yaml12(&json!({"b": "3.10"}), "b: 3.10\n").is_err());
    assert!(check_yaml12(&want, "a: \"no\"\nb: \"3.10\"\nc: \"0755\"\n").is_ok());
    for naive in [
        "a: no\nb: \"3.10\"\nc: \"0755\"\n",
        "a: \"no\"\nb: 3.10\nc: \"0755\"\n",
        "a: \"no\"\nb: \"3.10\"\nc: 0755\n",
    ] {
        let cases = vec![("naive".to_string(), want.to_string(), naive.to_string())];
        let caught = std::panic::catch_unwind(|| check_pyyaml(&cases)).is_err();
        assert!(caught, "PyYAML must see that {naive:?} is not the input");
    }
}

/// The v1 fixtures convert byte for byte as they did before v2 bodies were read (`fixtures/expected/`,
/// written by the binary of the commit before that change).
#[test]
fn v1_fixtures_convert_byte_for_byte_as_before() {
    let mut checked = 0;
    for path in valid_fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name.starts_with("v2-") {
            continue;
        }
        let want =
            std::fs::read_to_string(fixtures().join("expected").join(format!("{name}.yaml")))
                .unwrap();
        let o = run_cmd(
            std::process::Command::new(bin())
                .current_dir(fixtures())
                .arg(format!("{name}.json")),
            None,
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o), want, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 12);
}
