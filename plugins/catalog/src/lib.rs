//! `kubectl osb catalog`: what the Service Catalog offers: brokers with their state, then classes and
//! plans by external name. `--class` narrows to one class; `--class C --plan P` shows the plan's parameters
//! (from its JSON Schemas: name, type, required, default, description, allowed values; `-o json|yaml` the
//! raw schemas); `--check` is the precondition step of a pipeline: exit 0 only when every (or the named)
//! broker is Ready, and say why not otherwise.

use std::io::Write;

use clap::Parser;
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::offerings::Offerings;
use osb::output::{self, Format};
use osb::schema::{self, Which};

/// List the brokers, classes and plans of the Service Catalog.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-osb-catalog",
    bin_name = "kubectl osb catalog",
    version
)]
#[command(
    after_help = "Examples:\n  kubectl osb catalog\n  kubectl osb catalog --class cassandra\n  \
    kubectl osb catalog --class cassandra --plan developer            # the plan's parameters\n  \
    kubectl osb catalog --class cassandra --plan developer -o json    # its raw JSON Schemas\n  \
    kubectl osb catalog --check && kubectl osb provision db --class cassandra --plan developer"
)]
pub struct Args {
    /// Show only this class (external name) and its plans
    #[arg(long, value_name = "CLASS", add = Complete::Classes)]
    pub class: Option<String>,
    /// Show this plan's parameters (from its JSON Schemas); -o json|yaml prints the raw schemas
    #[arg(
        long,
        value_name = "PLAN",
        requires = "class",
        conflicts_with = "check",
        add = Complete::Plans,
    )]
    pub plan: Option<String>,
    /// Exit 0 only if every broker (or BROKER) is Ready; print why not otherwise
    #[arg(long, value_name = "BROKER", num_args = 0..=1, default_missing_value = "", add = Complete::Brokers)]
    pub check: Option<String>,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    let kube = args.kube.connect().await?;
    // One class: found by the catalog's lookup labels, not by reading the whole catalog.
    let offerings = match (&args.class, &args.check) {
        (Some(class), None) => {
            Offerings::for_class(&kube.client, &kube.namespace, class, kube.chunk_size).await?
        }
        // The table needs no copy of each object (a large catalog's plans carry schemas).
        _ if args.output.is_table() && args.class.is_none() => {
            Offerings::load_summary(&kube.client, &kube.namespace, kube.chunk_size).await?
        }
        _ => Offerings::load(&kube.client, &kube.namespace, kube.chunk_size).await?,
    };
    let mut out = std::io::stdout().lock();
    if let Some(broker) = &args.check {
        return check(&mut out, &offerings, broker);
    }
    if let (Some(class), Some(plan)) = (&args.class, &args.plan) {
        let class = offerings.class(class)?;
        let plan = offerings.plan(class, plan)?;
        return parameters(&mut out, class, plan, args.output);
    }
    let (classes, plans): (Vec<_>, Vec<_>) = match &args.class {
        Some(name) => {
            let class = offerings.class(name)?;
            (vec![class], offerings.plans_of(class).collect())
        }
        None => (
            offerings.classes.iter().collect(),
            offerings.plans.iter().collect(),
        ),
    };
    if !args.output.is_table() {
        let mut objects: Vec<serde_json::Value> = Vec::new();
        if args.class.is_none() {
            objects.extend(offerings.brokers.iter().map(|b| b.object.clone()));
        }
        objects.extend(classes.iter().map(|c| c.object.clone()));
        objects.extend(plans.iter().map(|p| p.object.clone()));
        output::print_objects(&mut out, args.output, &objects)?;
        return Ok(());
    }
    render_table(
        &mut out,
        &offerings,
        args.class.is_none(),
        &classes,
        &plans,
        args.output == Format::Wide,
    )?;
    if offerings.brokers.is_empty() && offerings.classes.is_empty() {
        eprintln!("{}", output::no_resources(None));
    }
    Ok(())
}

/// The human view: a brokers table, a blank line, then one row per plan.
pub fn render_table(
    out: &mut impl Write,
    offerings: &Offerings,
    with_brokers: bool,
    classes: &[&osb::offerings::Class],
    plans: &[&osb::offerings::Plan],
    wide: bool,
) -> Result<()> {
    if with_brokers && !offerings.brokers.is_empty() {
        let rows = offerings
            .brokers
            .iter()
            .map(|b| {
                let status = if b.status.is_empty() {
                    "Unknown".to_string()
                } else {
                    b.status.clone()
                };
                let mut row = vec![
                    b.name.clone(),
                    b.namespace.clone().unwrap_or_else(|| "<cluster>".into()),
                    status,
                ];
                if wide {
                    row.push(b.url.clone());
                }
                row
            })
            .collect();
        let mut headers = vec!["broker", "namespace", "status"];
        if wide {
            headers.push("url");
        }
        write!(out, "{}", output::table(&headers, rows))?;
    }
    if classes.is_empty() {
        return Ok(());
    }
    if with_brokers && !offerings.brokers.is_empty() {
        writeln!(out)?;
    }
    let mut rows = Vec::new();
    for class in classes {
        let class_plans: Vec<_> = plans
            .iter()
            .filter(|p| p.class_name == class.name && p.namespace == class.namespace)
            .collect();
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        if class_plans.is_empty() {
            rows.push(vec![
                class.external_name.clone(),
                "<none>".into(),
                String::new(),
                String::new(),
                class.description.clone(),
            ]);
        }
        for p in class_plans {
            let mut row = vec![
                class.external_name.clone(),
                p.external_name.clone(),
                yes_no(p.free),
                yes_no(p.bindable),
            ];
            if wide {
                row.push(class.broker.clone());
                row.push(p.name.clone());
            }
            row.push(p.description.clone());
            rows.push(row);
        }
    }
    let mut headers = vec!["class", "plan", "free", "bindable"];
    if wide {
        headers.extend(["broker", "plan-id"]);
    }
    headers.push("description");
    write!(out, "{}", output::table(&headers, rows))?;
    Ok(())
}

/// `--class C --plan P`: the plan's parameters, one table per schema it publishes; `-o json|yaml`: the
/// schemas themselves, keyed by their field; `-o name`: the plan.
fn parameters(
    out: &mut impl Write,
    class: &osb::offerings::Class,
    plan: &osb::offerings::Plan,
    format: Format,
) -> Result<()> {
    let found: Vec<(Which, &serde_json::Value)> = Which::ALL
        .iter()
        .filter_map(|w| schema::of_plan(&plan.object, *w).map(|s| (*w, s)))
        .collect();
    match format {
        Format::Json | Format::Yaml => {
            let doc: serde_json::Map<String, serde_json::Value> = found
                .iter()
                .map(|(w, s)| (w.field().to_string(), (*s).clone()))
                .collect();
            let doc = serde_json::Value::Object(doc);
            if format == Format::Json {
                out.write_all(output::json_string(&doc).as_bytes())?;
            } else {
                out.write_all(osb::yaml::to_string(&doc).as_bytes())?;
            }
        }
        Format::Name => writeln!(out, "{}", output::name_of(&plan.object))?,
        Format::Table | Format::Wide => {
            if found.is_empty() {
                eprintln!(
                    "plan {}/{} publishes no parameter schemas",
                    class.external_name, plan.external_name
                );
            }
            parameter_tables(out, &found)?;
        }
    }
    Ok(())
}

/// One table per schema: `PROVISION PARAMETERS (instanceCreateParameterSchema, Draft4):`, the parameters
/// (name, type, required, default, description, allowed) and whether others are accepted. A schema whose
/// root is a `oneOf`/`anyOf` (a plan taking Instaclustr's v1 and v2 bodies) shows one table per form, each
/// under its title: `Form 1 of 2 (oneOf): Instaclustr v2 create body (CassandraClusterV2)`.
pub fn parameter_tables(out: &mut impl Write, found: &[(Which, &serde_json::Value)]) -> Result<()> {
    for (i, (which, s)) in found.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let (draft, _) = schema::draft_of(s);
        let sections = schema::sections_of(s);
        let forms = sections.iter().filter(|s| s.form.is_some()).count();
        let keyword = sections
            .iter()
            .find_map(|s| s.form.as_ref().map(|f| f.keyword))
            .unwrap_or_default();
        write!(
            out,
            "{} PARAMETERS ({}, {draft:?})",
            which.purpose().to_uppercase(),
            which.field()
        )?;
        if forms > 0 {
            let exactly = if keyword == "oneOf" { "exactly " } else { "" };
            writeln!(
                out,
                ": {forms} forms ({keyword}); the parameters must match {exactly}one of them"
            )?;
            if let Some(d) = s.get("description").and_then(serde_json::Value::as_str) {
                writeln!(out, "{d}")?;
            }
        } else {
            writeln!(out, ":")?;
        }
        for section in &sections {
            if let Some(f) = &section.form {
                writeln!(out)?;
                writeln!(
                    out,
                    "Form {} of {} ({}): {}",
                    f.index + 1,
                    f.of,
                    f.keyword,
                    f.title
                )?;
            } else if forms > 0 {
                writeln!(out)?;
                writeln!(out, "Every form:")?;
            }
            table_of(out, &section.params)?;
            writeln!(out, "{}", section.extra)?;
        }
    }
    Ok(())
}

fn table_of(out: &mut impl Write, params: &[schema::Param]) -> Result<()> {
    let rows: Vec<Vec<String>> = params
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.kind.clone(),
                if p.required { "yes" } else { "no" }.to_string(),
                p.default.clone(),
                p.description.clone(),
                p.allowed.clone(),
            ]
        })
        .collect();
    if rows.is_empty() {
        writeln!(out, "<none declared>")?;
    } else {
        write!(
            out,
            "{}",
            output::table(
                &[
                    "name",
                    "type",
                    "required",
                    "default",
                    "description",
                    "allowed"
                ],
                rows
            )
        )?;
    }
    Ok(())
}

/// `--check`: every broker (or the named one) must be Ready.
fn check(out: &mut impl Write, offerings: &Offerings, only: &str) -> Result<()> {
    let brokers: Vec<_> = offerings
        .brokers
        .iter()
        .filter(|b| only.is_empty() || b.name == only)
        .collect();
    if brokers.is_empty() {
        return Err(if only.is_empty() {
            Error::Input("no brokers are registered with the Service Catalog".into())
        } else {
            let known: Vec<_> = offerings.brokers.iter().map(|b| b.name.as_str()).collect();
            Error::Input(format!(
                "broker {only:?} not found; brokers: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        });
    }
    let mut problems = Vec::new();
    for b in &brokers {
        let kind = if b.namespace.is_some() {
            "servicebroker"
        } else {
            "clusterservicebroker"
        };
        if b.ready {
            writeln!(out, "{kind}.servicecatalog.k8s.io/{} ready", b.name)?;
        } else {
            problems.push((
                b.failed,
                format!(
                    "{kind}.servicecatalog.k8s.io/{} is not ready: {}",
                    b.name,
                    b.why_not_ready()
                ),
            ));
        }
    }
    match problems.len() {
        0 => Ok(()),
        _ => {
            let terminal = problems.iter().any(|(f, _)| *f);
            let msg = problems
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("\nerror: ");
            Err(if terminal {
                Error::Terminal(msg)
            } else {
                Error::Input(msg)
            })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tables(found: &[(Which, &serde_json::Value)]) -> String {
        let mut out = Vec::new();
        parameter_tables(&mut out, found).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_schema_without_forms_is_one_table() {
        let s = json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
            "required": ["tier"], "additionalProperties": false,
            "properties": {"tier": {"type": "string", "enum": ["A", "B"], "default": "A", "description": "Tier"}}});
        let b = json!({"properties": {}});
        assert_eq!(
            tables(&[(Which::InstanceCreate, &s), (Which::BindingCreate, &b)]),
            "PROVISION PARAMETERS (instanceCreateParameterSchema, Draft4):\n\
             NAME   TYPE     REQUIRED   DEFAULT   DESCRIPTION   ALLOWED\n\
             tier   string   yes        \"A\"       Tier          A, B\n\
             Other parameters: refused (additionalProperties: false)\n\
             \n\
             BIND PARAMETERS (serviceBindingCreateParameterSchema, Draft4):\n\
             <none declared>\n\
             Other parameters: accepted\n"
        );
    }

    #[test]
    fn each_form_of_a_one_of_is_a_table_under_its_title() {
        let plan = osb::instaclustr::schema::PlanSchema {
            title: "Instaclustr cassandra cluster (developer plan)".into(),
            bundles: &["APACHE_CASSANDRA"],
            node_size: Some("t3.small"),
            sla_tier: Some("NON_PRODUCTION"),
            nodes: Some(3),
            spark: None,
        };
        let s = osb::instaclustr::schema::create_schema_v1_v2(
            &plan,
            Some(osb::instaclustr::v2::App::Cassandra),
        );
        let out = tables(&[(Which::InstanceCreate, &s)]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "PROVISION PARAMETERS (instanceCreateParameterSchema, Draft4): 2 forms (oneOf); the parameters must match exactly one of them"
        );
        assert!(
            lines[1].contains("version field (cassandraVersion)"),
            "{out}"
        );
        let v2 = lines
            .iter()
            .position(|l| {
                *l == "Form 1 of 2 (oneOf): Instaclustr v2 create body (CassandraClusterV2)"
            })
            .expect("the v2 form");
        let v1 = lines
            .iter()
            .position(|l| l.starts_with("Form 2 of 2 (oneOf): Instaclustr v1 create body"))
            .expect("the v1 form");
        assert!(v2 < v1);
        assert!(lines[v2 + 1].starts_with("NAME "), "{out}");
        assert!(lines[v1 + 1].starts_with("NAME "), "{out}");
        // A parameter's row between two lines, cut at its column gaps.
        let row = |from: usize, to: usize, name: &str| -> Vec<&str> {
            let line = lines[from..to]
                .iter()
                .find(|l| l.starts_with(&format!("{name} ")));
            let line = line.unwrap_or_else(|| panic!("no row {name} in {out}"));
            line.split("   ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        };
        for name in [
            "name",
            "cassandraVersion",
            "dataCentres[].numberOfNodes",
            "dataCentres[].cloudProvider",
        ] {
            row(v2, v1, name);
        }
        assert_eq!(
            row(v2, v1, "dataCentres[].numberOfNodes")[3],
            "3",
            "the plan's nodes"
        );
        assert_eq!(row(v2, v1, "slaTier")[2], "yes");
        assert_eq!(row(v1, lines.len(), "slaTier")[2], "no");
        row(v1, lines.len(), "provider.name");
        assert_eq!(
            lines[v1 - 2],
            "Other parameters: refused (additionalProperties: false)",
            "under the v2 form"
        );
        assert_eq!(
            *lines.last().unwrap(),
            "Other parameters: accepted",
            "under the v1 form"
        );
    }
}
