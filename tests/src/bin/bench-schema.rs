//! The cost of the parameter schema check (`osb::schema`, run by `provision` and `bind` before any write):
//! compiling a plan's schema and validating the largest Instaclustr fixture payload against it, in
//! process, many times; prints a Markdown table of medians and 95th percentiles.
//!
//! Run through `bench/schema-check.sh` (release build). The schema is our broker's cassandra/developer
//! create schema (`osb::instaclustr::schema`, the largest the suite knows), sorted as the API server
//! stores it.

use std::time::{Duration, Instant};

use clap::Parser;
use osb::schema::Checker;
use serde_json::Value;

#[derive(Parser, Debug)]
struct Args {
    /// Repetitions of each measurement
    #[arg(long, default_value_t = 2000)]
    runs: usize,
}

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../plugins/convert-json/tests/fixtures"
);

fn largest_fixture() -> (String, Value) {
    let mut best: Option<(u64, String)> = None;
    for e in std::fs::read_dir(FIXTURES).expect("fixtures") {
        let p = e.expect("entry").path();
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !name.ends_with(".json") || name.starts_with("bad-") {
            continue;
        }
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, p.to_string_lossy().into_owned()));
        }
    }
    let (_, path) = best.expect("a fixture");
    let v = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    (path, v)
}

fn stats(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort();
    (d[d.len() / 2], d[(d.len() * 95 / 100).min(d.len() - 1)])
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut d = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        d.push(t.elapsed());
    }
    stats(d)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let args = Args::parse();
    let class = &testkit::broker::catalog::CLASSES[0];
    let schema = testkit::broker::catalog::create_schema(class, &class.plans[0]);
    // The API server hands the schema back with its keys sorted (a Go map): do the same.
    let schema: Value =
        serde_json::from_str(&serde_json::to_string(&schema).expect("json")).expect("json");
    let (path, payload) = largest_fixture();
    let mut bad = payload.clone();
    bad["slaTier"] = "PRODUCTON".into();
    bad["provider"]["nmae"] = "AWS_VPC".into();
    bad["bundles"][0]["version"] = serde_json::json!(3.11);

    let checker = Checker::new(&schema).expect("compiles");
    assert!(
        checker.check(&payload, &[]).is_empty(),
        "the fixture is valid"
    );
    assert_eq!(checker.check(&bad, &[]).len(), 3, "three mistakes");

    let compile = time(args.runs, || Checker::new(&schema).expect("compiles"));
    let valid = time(args.runs, || checker.check(&payload, &[]));
    let invalid = time(args.runs, || checker.check(&bad, &[]));
    let whole = time(args.runs, || {
        Checker::new(&schema)
            .expect("compiles")
            .check(&payload, &[])
    });
    let file = path.rsplit('/').next().unwrap_or_default();
    println!(
        "Schema: cassandra/developer create schema ({} bytes as JSON); payload: {file} ({} bytes); {} runs each.\n",
        schema.to_string().len(),
        payload.to_string().len(),
        args.runs
    );
    println!("| step | median | p95 |\n|---|---|---|");
    for (what, (p50, p95)) in [
        ("compile the plan's schema (`Checker::new`)", compile),
        ("validate the valid payload", valid),
        ("validate it with 3 mistakes (messages built)", invalid),
        ("compile + validate (what one `provision` does)", whole),
    ] {
        println!("| {what} | {} | {} |", us(p50), us(p95));
    }
}
