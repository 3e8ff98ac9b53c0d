//! Property tests over generated JSON documents (strings from the whole of Unicode and from YAML's
//! trouble spots, integers of any size, decimals and exponents, nesting, empty containers):
//!
//! * `json_parse_and_yaml12_round_trip`: for every document, its JSON text (compact and pretty) parses to
//!   exactly the document, no panic, and its YAML read back by serde-saphyr (YAML 1.2) is the document.
//! * `pyyaml_round_trip_of_generated_documents`: the same generator, a fixed number of documents, checked
//!   in one batch by PyYAML (YAML 1.1, pure-Python and libyaml loaders).
//!
//! The number of cases is `CASES` (proptest runs exactly that many) and `PY_CASES` (the PyYAML report,
//! asserted below, states how many it checked).
#![allow(clippy::unwrap_used)]

mod common;

use osb::instaclustr::{ParseOptions, parse_payload};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Number, Value};

const CASES: u32 = 5000;
const PY_CASES: usize = 3000;

/// Strings YAML likes to misread.
const TRICKY: &[&str] = &[
    "",
    " ",
    "no",
    "No",
    "NO",
    "yes",
    "on",
    "OFF",
    "y",
    "N",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "3.10",
    "0755",
    "0x1F",
    "0o17",
    "0b11",
    "1e3",
    "1_000",
    "+1",
    "-0",
    ".5",
    "1.",
    ".inf",
    "-.Inf",
    ".NaN",
    "1:20",
    "1:20:30",
    "2019-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    "-",
    "---",
    "...",
    "- a",
    "? a",
    ": a",
    "a: b",
    "a #b",
    "#",
    "!x",
    "&x",
    "*x",
    "%x",
    "@x",
    "`x",
    "|",
    ">",
    "{}",
    "[]",
    ",",
    "'",
    "\"",
    "\\",
    "\t",
    "\n",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "\u{7f}",
    "\u{9f}",
    "\u{a0}",
    "\u{fffe}",
    "Zürich",
    "日本",
    "😀",
];

fn string_strategy() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        3 => proptest::sample::select(TRICKY).prop_map(str::to_string),
        2 => "[0-9a-zA-Z:._+~ #-]{0,12}",
        1 => "[ -~]{0,40}",
        1 => (proptest::sample::select(TRICKY), proptest::sample::select(TRICKY)).prop_map(|(a, b)| format!("{a}{b}")),
    ]
    .boxed()
}

/// JSON number texts: 64-bit integers, integers far beyond 64 bits, decimals with trailing zeros, exponents.
fn number_strategy() -> BoxedStrategy<Number> {
    let text = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        "-?[1-9][0-9]{19,60}",
        "-?(0|[1-9][0-9]{0,8})\\.[0-9]{1,12}",
        "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,6})?[eE][+-]?[0-9]{1,2}",
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::to_string(&f).unwrap()),
    ];
    text.prop_map(|t| serde_json::from_str::<Number>(&t).unwrap())
        .boxed()
}

fn value_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number_strategy().prop_map(Value::Number),
        string_strategy().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((string_strategy(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The document must come back from its JSON text exactly (our parser is strict JSON, so compare with
/// serde_json's Value, numbers by their text).
fn check_parse(v: &Value) -> Result<(), TestCaseError> {
    for text in [
        serde_json::to_string(v).unwrap(),
        serde_json::to_string_pretty(v).unwrap(),
    ] {
        let parsed = parse_payload(&text, "gen.json", &ParseOptions::default())
            .map_err(|d| TestCaseError::fail(format!("{d}\n{text}")))?;
        prop_assert_eq!(&parsed.value, v);
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]
    #[test]
    fn json_parse_and_yaml12_round_trip(v in value_strategy()) {
        check_parse(&v)?;
        let yaml = osb::yaml::to_string(&v);
        if let Err(e) = common::check_yaml12(&v, &yaml) {
            return Err(TestCaseError::fail(e));
        }
        // Also inside a ServiceInstance, where it sits three levels down.
        let si = osb::instaclustr::to_service_instance(&v, &osb::instaclustr::ManifestOptions {
            name: Some("x".into()), class: Some("c".into()), ..Default::default()
        }).unwrap();
        let back: Value = osb::yaml::from_str(&osb::yaml::to_string(&si)).map_err(TestCaseError::fail)?;
        if let Err(e) = common::same_yaml12(&v, &back["spec"]["parameters"], "") {
            return Err(TestCaseError::fail(e));
        }
    }
}

#[test]
fn pyyaml_round_trip_of_generated_documents() {
    let mut runner = TestRunner::new(Config {
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x05b_c0de),
        ..Config::default()
    });
    let strategy = value_strategy();
    let mut cases = Vec::with_capacity(PY_CASES);
    for i in 0..PY_CASES {
        let v = strategy.new_tree(&mut runner).unwrap().current();
        let text = serde_json::to_string(&v).unwrap();
        let parsed = parse_payload(&text, "gen.json", &ParseOptions::default())
            .unwrap_or_else(|d| panic!("case {i}: {d}"));
        assert_eq!(parsed.value, v, "case {i}");
        cases.push((format!("generated {i}"), text, osb::yaml::to_string(&v)));
    }
    let report = common::check_pyyaml(&cases);
    eprintln!("{report}");
    assert!(
        report.contains(&format!("pyyaml: {PY_CASES} cases")),
        "{report}"
    );
}
