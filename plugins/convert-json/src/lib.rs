//! `kubectl osb convert-json`: Instaclustr provisioning-API JSON → a ready-to-apply ServiceInstance (or
//! just its `spec.parameters`) as YAML that YAML 1.1 and 1.2 parsers both read back as exactly the input
//! JSON. Offline: no cluster is contacted. The work is done by [`osb::instaclustr`] and [`osb::yaml`];
//! this crate reads the files, prints findings and writes the result only when every input converted.

use std::io::{Read, Write};

use clap::{Parser, ValueEnum};
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::instaclustr::{self, Diagnostic, ManifestOptions, ParseOptions, Severity};
use serde_json::Value;

/// Convert Instaclustr provisioning-API JSON into a ServiceInstance manifest (exact YAML).
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-osb-convert_json",
    bin_name = "kubectl osb convert-json",
    version
)]
#[command(
    after_help = "Class mapping (override with --class, or --map-class BUNDLE=CLASS):\n  \
    APACHE_CASSANDRA=cassandra KAFKA=kafka KAFKA_CONNECT=kafka-connect ELASTICSEARCH=elasticsearch\n  \
    OPENSEARCH=opensearch REDIS=redis POSTGRESQL=postgresql APACHE_ZOOKEEPER=zookeeper\n\
    A v2 body (Instaclustr's current API) names its application by its version field: cassandraVersion=cassandra,\n  \
    kafkaVersion=kafka, redisVersion=redis, zookeeperVersion=zookeeper (same rows as the bundles).\n\
    Plan: slaTier PRODUCTION=production, NON_PRODUCTION (or none)=developer (override with --plan).\n\
    Shape: a version field (cassandraVersion, …) means v2, clusterName or bundles v1; --api forces one.\n\n\
    Examples:\n  kubectl osb convert-json cassandra.json | kubectl apply -f -\n  \
    kubectl osb convert-json --parameters-only kafka.json\n  \
    curl … | kubectl osb convert-json - --name db -n dev --plan production\n  \
    kubectl osb convert-json --reverse instance.yaml > payload.json\n  \
    kubectl osb convert-json --to-v2 old-v1.json > cassandra-v2.json"
)]
pub struct Args {
    /// JSON files (or, with --reverse, YAML files); `-` or none reads standard input
    #[arg(value_name = "FILE", add = Complete::Files)]
    pub files: Vec<String>,
    /// Print only the parameters, not the ServiceInstance around them
    #[arg(long)]
    pub parameters_only: bool,
    /// Output format (default: yaml; json with --reverse and --to-v2)
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<OutFormat>,
    /// metadata.name (default: derived from clusterName)
    #[arg(long, add = Complete::Nothing)]
    pub name: Option<String>,
    /// metadata.namespace (default: none, so kubectl uses the context's)
    #[arg(short = 'n', long, add = Complete::Namespaces)]
    pub namespace: Option<String>,
    /// Service class external name (default: inferred from the first bundle)
    #[arg(long, add = Complete::Classes)]
    pub class: Option<String>,
    /// Service plan external name (default: inferred from slaTier)
    #[arg(long, add = Complete::Plans)]
    pub plan: Option<String>,
    /// Replace a row of the bundle → class mapping (repeatable)
    #[arg(long = "map-class", value_name = "BUNDLE=CLASS", add = Complete::Nothing)]
    pub map_class: Vec<String>,
    /// Keep the last of repeated keys (with a warning) instead of failing
    #[arg(long)]
    pub allow_duplicate_keys: bool,
    /// Treat validation warnings as errors
    #[arg(long, conflicts_with = "no_validate")]
    pub strict: bool,
    /// Skip validation against the payload schema
    #[arg(long)]
    pub no_validate: bool,
    /// The other way: ServiceInstance (or parameters) YAML → provisioning JSON
    #[arg(long, conflicts_with = "to_v2")]
    pub reverse: bool,
    /// Read the body as this API's shape instead of detecting it (v1: clusterName, bundles, …;
    /// v2: name, cassandraVersion, dataCentres, …)
    #[arg(long, value_enum, value_name = "VERSION")]
    pub api: Option<instaclustr::Api>,
    /// Rewrite a v1 body as a v2 body (JSON; -o yaml for YAML); what cannot be carried over is said on stderr
    #[arg(long, conflicts_with_all = ["parameters_only", "name", "namespace", "class", "plan", "api"])]
    pub to_v2: bool,
    /// With --to-v2: write the v2 body even when it is not valid (its errors become warnings)
    #[arg(long, requires = "to_v2")]
    pub allow_invalid: bool,
    /// kubectl's `-v` (accepted, as by every verb; convert-json sends no request, so logs nothing)
    #[command(flatten)]
    pub verbosity: osb::client::Verbosity,
}

/// What `-o` accepts.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    Yaml,
    Json,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let inputs = read_inputs(&args.files)?;
    let mut err = std::io::stderr().lock();
    let out = convert(&args, &inputs, &mut err)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// One input: the name messages use, and its text.
pub struct Input {
    pub name: String,
    pub text: String,
}

/// Read the named files (`-` is standard input; no names means standard input).
pub fn read_inputs(files: &[String]) -> Result<Vec<Input>> {
    let names: Vec<&str> = if files.is_empty() {
        vec!["-"]
    } else {
        files.iter().map(String::as_str).collect()
    };
    if names.iter().filter(|n| **n == "-").count() > 1 {
        return Err(Error::Input(
            "standard input (-) can be read only once".into(),
        ));
    }
    names
        .into_iter()
        .map(|n| {
            let (name, bytes) = if n == "-" {
                let mut buf = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut buf)
                    .map_err(|e| Error::Input(format!("cannot read standard input: {e}")))?;
                ("<stdin>".to_string(), buf)
            } else {
                let bytes = std::fs::read(n)
                    .map_err(|e| Error::Input(format!("cannot read {n}: {}", io_reason(&e))))?;
                (n.to_string(), bytes)
            };
            let text = String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
                let p = instaclustr::parse::pos_of(valid, at);
                Error::Input(format!(
                    "{name}:{}:{}: the input is not UTF-8 text (JSON must be UTF-8)",
                    p.line, p.column
                ))
            })?;
            Ok(Input { name, text })
        })
        .collect()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Convert every input; warnings go to `warnings` as they are found, errors are gathered into one
/// `Error::Input` (each line `error: …`) so that nothing reaches stdout unless everything converted.
pub fn convert(args: &Args, inputs: &[Input], warnings: &mut impl Write) -> Result<String> {
    if args.name.is_some() && inputs.len() > 1 {
        return Err(Error::Usage(
            "--name names one ServiceInstance, but several files were given".into(),
        ));
    }
    if args.reverse {
        return reverse(args, inputs, warnings);
    }
    if args.to_v2 {
        return to_v2(args, inputs, warnings);
    }
    let api = args.api.unwrap_or_default();
    let mut class_map = instaclustr::ClassMap::default();
    for spec in &args.map_class {
        class_map.apply_override(spec).map_err(Error::Input)?;
    }
    let manifest = ManifestOptions {
        name: args.name.clone(),
        namespace: args.namespace.clone(),
        class: args.class.clone(),
        plan: args.plan.clone(),
        class_map,
    };
    let mut errors: Vec<String> = Vec::new();
    let mut docs: Vec<Value> = Vec::new();
    for input in inputs {
        let Some(payload) = parse_one(args, input, &mut errors) else {
            continue;
        };
        for w in &payload.warnings {
            writeln!(warnings, "warning: {}", w.headline())?;
        }
        let mut failed = false;
        if !args.no_validate {
            let checked = instaclustr::check(&payload.value, api);
            if let Some(note) = &checked.detected.note {
                writeln!(warnings, "note: {}: {note}", input.name)?;
            }
            for f in checked.findings {
                let d = finding_diagnostic(&input.name, Some(&input.text), &f);
                if f.severity == Severity::Error || args.strict {
                    errors.push(format!("error: {d}"));
                    failed = true;
                } else {
                    writeln!(warnings, "warning: {}", d.headline())?;
                }
            }
        }
        if failed {
            continue;
        }
        if args.parameters_only {
            docs.push(payload.value);
        } else {
            match instaclustr::to_service_instance(&payload.value, &manifest) {
                Ok(si) => docs.push(si),
                Err(e) => errors.push(format!("error: {}: {e}", input.name)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors.join("\n")));
    }
    let format = args.output.unwrap_or(OutFormat::Yaml);
    Ok(render(&docs, format, !args.parameters_only))
}

/// Parse one input; a syntax error (or a repeated key) joins `errors` and gives `None`.
fn parse_one(args: &Args, input: &Input, errors: &mut Vec<String>) -> Option<instaclustr::Payload> {
    let opts = ParseOptions {
        allow_duplicate_keys: args.allow_duplicate_keys,
    };
    instaclustr::parse_payload(&input.text, &input.name, &opts)
        .map_err(|d| errors.push(format!("error: {d}")))
        .ok()
}

/// A finding as a diagnostic: `file:line:column: /pointer: message`, positioned when the text is known.
pub fn finding_diagnostic(
    source: &str,
    text: Option<&str>,
    f: &instaclustr::Finding,
) -> Diagnostic {
    let msg = if f.pointer.is_empty() {
        f.message.clone()
    } else {
        format!("{}: {}", f.pointer, f.message)
    };
    match text.and_then(|t| instaclustr::locate(t, &f.pointer).map(|p| (t, p))) {
        Some((t, p)) => Diagnostic::at_pos(source, t, p, msg),
        None => Diagnostic::whole(source, msg),
    }
}

fn render(docs: &[Value], format: OutFormat, manifests: bool) -> String {
    match format {
        OutFormat::Yaml => osb::yaml::to_string_multi(docs),
        OutFormat::Json => match docs {
            [one] => osb::output::json_string(one),
            many if manifests => osb::output::json_string(
                &serde_json::json!({"apiVersion": "v1", "kind": "List", "items": many, "metadata": {"resourceVersion": ""}}),
            ),
            many => osb::output::json_string(&Value::Array(many.to_vec())),
        },
    }
}

fn reverse(args: &Args, inputs: &[Input], warnings: &mut impl Write) -> Result<String> {
    let mut errors = Vec::new();
    let mut params = Vec::new();
    for input in inputs {
        let docs: Vec<Value> = match osb::yaml::from_str_multi_large(&input.text) {
            Ok(d) => d,
            Err(e) => {
                errors.push(format!("error: {}: {e}", input.name));
                continue;
            }
        };
        for doc in docs.iter().filter(|d| !d.is_null()) {
            match instaclustr::parameters_of(doc) {
                Ok(ps) => {
                    for p in ps {
                        if !args.no_validate {
                            let api = args.api.unwrap_or_default();
                            for f in instaclustr::check(&p, api).findings {
                                let d = finding_diagnostic(&input.name, None, &f);
                                if f.severity == Severity::Error || args.strict {
                                    errors.push(format!("error: {d}"));
                                } else {
                                    writeln!(warnings, "warning: {d}")?;
                                }
                            }
                        }
                        params.push(p);
                    }
                }
                Err(e) => errors.push(format!("error: {}: {e}", input.name)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors.join("\n")));
    }
    if params.is_empty() {
        return Err(Error::Input("no document found in the input".into()));
    }
    Ok(match args.output.unwrap_or(OutFormat::Json) {
        OutFormat::Json => params.iter().map(osb::output::json_string).collect(),
        OutFormat::Yaml => osb::yaml::to_string_multi(&params),
    })
}

/// `--to-v2`: each v1 body rewritten as a v2 body. Notes on what was not carried over go to stderr; a
/// result that is not a valid v2 body is an error unless `--allow-invalid`.
fn to_v2(args: &Args, inputs: &[Input], warnings: &mut impl Write) -> Result<String> {
    let mut errors = Vec::new();
    let mut bodies = Vec::new();
    for input in inputs {
        let Some(payload) = parse_one(args, input, &mut errors) else {
            continue;
        };
        let up = match instaclustr::v2::upgrade::to_v2(&payload.value) {
            Ok(u) => u,
            Err(e) => {
                errors.push(format!("error: {}: {e}", input.name));
                continue;
            }
        };
        for n in &up.notes {
            writeln!(warnings, "note: {}: {n}", input.name)?;
        }
        let mut invalid = Vec::new();
        if !args.no_validate {
            for f in instaclustr::v2::check::validate(&up.body, Some(up.app)) {
                let line = format!(
                    "{}: v2 {}: {}",
                    input.name,
                    pointer_or_body(&f.pointer),
                    f.message
                );
                if f.severity == Severity::Error || args.strict {
                    invalid.push(line);
                } else {
                    writeln!(warnings, "warning: {line}")?;
                }
            }
        }
        if invalid.is_empty() || args.allow_invalid {
            for line in &invalid {
                writeln!(warnings, "warning: {line}")?;
            }
            bodies.push(up.body);
        } else {
            errors.extend(invalid.into_iter().map(|l| format!("error: {l}")));
            errors.push(format!(
                "error: {}: the upgraded body is not a valid v2 body; fix the v1 body, or pass --allow-invalid to write it anyway",
                input.name
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors.join("\n")));
    }
    Ok(match args.output.unwrap_or(OutFormat::Json) {
        OutFormat::Json => bodies.iter().map(osb::output::json_string).collect(),
        OutFormat::Yaml => osb::yaml::to_string_multi(&bodies),
    })
}

fn pointer_or_body(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(body)"
    } else {
        pointer
    }
}
