//! Validation of a v1 provisioning payload against the documented v1 "extended" create body
//! (`/work/shared/reference/instaclustr.md` §2, summarised in `docs/convert-json.md`).
//!
//! Errors are what the API is documented to reject (missing required fields, wrong types, unknown bundles,
//! providers and SLA tiers, bad cluster names, required bundle options). Warnings are the known traps
//! that the API accepts or that the sources disagree on (Redis with `rackAllocation`, Cassandra client
//! encryption with Spark, data centres outside the known list, secrets in clear text, …).

use osb_core::type_name;
use serde_json::{Map, Value};

use super::parse::pointer_segment;

/// How bad a finding is. `--strict` treats warnings as errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a payload, at a JSON Pointer (`""` is the whole document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
}

/// Bundles known to the 2019–2021 API (and the 2022 ones, accepted with no complaint).
pub const BUNDLES: &[&str] = &[
    "APACHE_CASSANDRA",
    "SPARK",
    "ZEPPELIN",
    "KAFKA",
    "KAFKA_REST_PROXY",
    "KAFKA_SCHEMA_REGISTRY",
    "KAFKA_CONNECT",
    "ELASTICSEARCH",
    "OPENSEARCH",
    "REDIS",
    "APACHE_ZOOKEEPER",
    "POSTGRESQL",
    "PGBOUNCER",
    "CADENCE",
    "KARAPACE_SCHEMA_REGISTRY",
];

/// Cloud providers (`provider.name`).
pub const PROVIDERS: &[&str] = &[
    "AWS_VPC",
    "AZURE",
    "AZURE_AZ",
    "GCP",
    "SOFTLAYER_BARE_METAL",
];

/// SLA tiers.
pub const SLA_TIERS: &[&str] = &["PRODUCTION", "NON_PRODUCTION"];

/// Data centres: AWS, Azure (upper snake case) and GCP (lower case) regions.
pub const DATA_CENTRES: &[&str] = &[
    "AF_SOUTH_1",
    "AP_EAST_1",
    "AP_NORTHEAST_1",
    "AP_NORTHEAST_2",
    "AP_SOUTHEAST_1",
    "AP_SOUTHEAST_2",
    "AP_SOUTH_1",
    "CA_CENTRAL_1",
    "CN_NORTHWEST_1",
    "CN_NORTH_1",
    "EU_CENTRAL_1",
    "EU_NORTH_1",
    "EU_SOUTH_1",
    "EU_WEST_1",
    "EU_WEST_2",
    "EU_WEST_3",
    "ME_SOUTH_1",
    "SA_EAST_1",
    "US_EAST_1",
    "US_EAST_2",
    "US_WEST_1",
    "US_WEST_2",
    "AUSTRALIA_EAST",
    "CANADA_CENTRAL",
    "CENTRAL_US",
    "EAST_US",
    "EAST_US_2",
    "NORTH_EUROPE",
    "SOUTHEAST_ASIA",
    "SOUTH_CENTRAL_US",
    "WEST_EUROPE",
    "WEST_US_2",
    "asia-east1",
    "asia-northeast1",
    "asia-south1",
    "asia-southeast1",
    "australia-southeast1",
    "europe-north1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "northamerica-northeast1",
    "southamerica-east1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-west1",
    "us-west2",
];

/// Firewall rule types (`firewallRules[].rules[].type`), 2021 docs plus the later spec's common ones.
pub const FIREWALL_RULE_TYPES: &[&str] = &[
    "CASSANDRA",
    "CASSANDRA_CQL",
    "SPARK",
    "SPARK_JOBSERVER",
    "APACHE_ZOOKEEPER",
    "KAFKA",
    "KAFKA_CONNECT",
    "KAFKA_REST_PROXY",
    "KAFKA_SCHEMA_REGISTRY",
    "ELASTICSEARCH",
    "OPENSEARCH",
    "REDIS",
    "POSTGRESQL",
];

/// Top-level fields of the extended create body.
pub const TOP_LEVEL_FIELDS: &[&str] = &[
    "clusterName",
    "bundles",
    "provider",
    "slaTier",
    "nodeSize",
    "dataCentre",
    "dataCentreCustomName",
    "dataCentres",
    "clusterNetwork",
    "privateNetworkCluster",
    "pciCompliantCluster",
    "rackAllocation",
    "firewallRules",
    "twoFactorDelete",
    "oidcProvider",
    "bundledUseOnlyCluster",
    "privateLink",
];

/// Fields of `provider`.
pub const PROVIDER_FIELDS: &[&str] = &[
    "name",
    "accountName",
    "customVirtualNetworkId",
    "tags",
    "resourceGroup",
    "diskEncryptionKey",
];

/// Fields of one `dataCentres[]` entry.
pub const DATA_CENTRE_FIELDS: &[&str] = &[
    "name",
    "dataCentre",
    "network",
    "provider",
    "nodeSize",
    "rackAllocation",
    "bundles",
    "clusterNetwork",
];

/// Boolean bundle options (accepted as JSON booleans or the strings "true"/"false" that early clients sent).
pub const BOOL_OPTIONS: &[&str] = &[
    "authnAuthz",
    "clientEncryption",
    "usePrivateBroadcastRPCAddress",
    "luceneEnabled",
    "continuousBackupEnabled",
    "passwordAuthentication",
    "autoCreateTopics",
    "deleteTopics",
    "dedicatedZookeeper",
    "dedicatedMasterNodes",
    "securityPlugin",
    "indexManagementPlugin",
    "passwordAuth",
    "synchronousModeStrict",
];

/// Integer bundle options.
pub const INT_OPTIONS: &[&str] = &[
    "numberPartitions",
    "zookeeperNodeCount",
    "masterNodes",
    "replicaNodes",
    "postgresqlNodeCount",
];

/// Option keys whose values are credentials.
const SECRET_OPTIONS: &[&str] = &[
    "aws.secret.access.key",
    "azure.storage.account.key",
    "ssl.truststore.password",
    "sasl.jaas.config",
    "truststore",
];

/// Check a v1 payload (extended or legacy); findings come in document order, errors and warnings mixed.
/// [`crate::instaclustr::validate`] calls it for bodies that are not v2.
pub fn validate_v1(v: &Value) -> Vec<Finding> {
    let mut f = Findings::default();
    let Some(root) = v.as_object() else {
        f.error(
            "",
            format!(
                "expected a JSON object (the cluster-create body), got {}",
                type_name(v)
            ),
        );
        return f.0;
    };
    if is_legacy(root) {
        legacy(&mut f, root);
    } else {
        extended(&mut f, root);
    }
    f.0
}

/// The older pre-"extended" v1 body: `provider` a plain string, or a `region` or `size` field.
pub fn is_legacy(root: &Map<String, Value>) -> bool {
    root.get("provider").is_some_and(Value::is_string)
        || root.contains_key("region")
        || (root.contains_key("size") && !root.contains_key("nodeSize"))
}

/// Findings as a validator gathers them (the v1 and the v2 validator alike).
#[derive(Default)]
pub(crate) struct Findings(pub(crate) Vec<Finding>);

impl Findings {
    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.0.push(Finding {
            severity: Severity::Error,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }
    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.0.push(Finding {
            severity: Severity::Warning,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }
}

fn join(base: &str, key: &str) -> String {
    format!("{base}/{}", pointer_segment(key))
}

use crate::suggest::did_you_mean;

fn check_enum(
    f: &mut Findings,
    ptr: &str,
    v: &Value,
    what: &str,
    known: &[&str],
    severity: Severity,
) -> Option<String> {
    match v.as_str() {
        Some(s) if known.contains(&s) => Some(s.to_string()),
        Some(s) => {
            let msg = format!(
                "unknown {what} \"{s}\"{}; known: {}",
                did_you_mean(s, known),
                abbreviate(known)
            );
            match severity {
                Severity::Error => f.error(ptr, msg),
                Severity::Warning => f.warn(ptr, msg),
            }
            Some(s.to_string())
        }
        None => {
            f.error(
                ptr,
                format!("expected a string ({what}), got {}", type_name(v)),
            );
            None
        }
    }
}

fn abbreviate(known: &[&str]) -> String {
    if known.len() <= 8 {
        known.join(", ")
    } else {
        format!(
            "{}, … ({} in all, see docs/convert-json.md)",
            known[..6].join(", "),
            known.len()
        )
    }
}

fn expect_string(f: &mut Findings, ptr: &str, v: &Value, what: &str) -> Option<String> {
    match v.as_str() {
        Some(s) => Some(s.to_string()),
        None => {
            f.error(
                ptr,
                format!("expected a string ({what}), got {}", type_name(v)),
            );
            None
        }
    }
}

/// A boolean, or the strings "true"/"false" (which the API accepted from early clients).
fn check_boolish(f: &mut Findings, ptr: &str, v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        other => {
            f.error(
                ptr,
                format!(
                    "expected a boolean (or the string \"true\"/\"false\"), got {}",
                    describe(other)
                ),
            );
            None
        }
    }
}

/// A non-negative integer, or a string of digits (kept as written).
fn check_intish(f: &mut Findings, ptr: &str, v: &Value) -> Option<u64> {
    let parsed = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    };
    if parsed.is_none() {
        f.error(
            ptr,
            format!(
                "expected a non-negative integer (or a string of digits), got {}",
                describe(v)
            ),
        );
    }
    parsed
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Number(n) => format!("the number {n}"),
        other => type_name(other).to_string(),
    }
}

fn unknown_fields(
    f: &mut Findings,
    ptr: &str,
    obj: &Map<String, Value>,
    known: &[&str],
    what: &str,
) {
    for k in obj.keys() {
        if !known.contains(&k.as_str()) {
            f.warn(
                &join(ptr, k),
                format!(
                    "unknown field \"{k}\" in {what}{}; the API may reject or ignore it",
                    did_you_mean(k, known)
                ),
            );
        }
    }
}

fn extended(f: &mut Findings, root: &Map<String, Value>) {
    unknown_fields(f, "", root, TOP_LEVEL_FIELDS, "the create body");

    match root.get("clusterName") {
        None => f.error("", "missing required field \"clusterName\""),
        Some(v) => {
            if let Some(name) = expect_string(f, "/clusterName", v, "cluster name") {
                cluster_name(f, &name);
            }
        }
    }

    let dcs = root.get("dataCentres");
    let dc_list: Vec<&Map<String, Value>> = dcs
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let every_dc_has =
        |key: &str| !dc_list.is_empty() && dc_list.iter().all(|dc| dc.contains_key(key));

    // Bundles: at the top, or in every data centre.
    let mut all_bundles: Vec<(String, Value)> = Vec::new();
    match root.get("bundles") {
        Some(b) => all_bundles.extend(bundles(f, "/bundles", b)),
        None if every_dc_has("bundles") => {}
        None => f.error("", "missing required field \"bundles\" (an array; the first entry is the base application)"),
    }

    match root.get("provider") {
        Some(p) => provider(f, "/provider", p),
        None if every_dc_has("provider") => {}
        None => f.error("", "missing required field \"provider\" (an object with \"name\", e.g. {\"name\": \"AWS_VPC\"})"),
    }

    if let Some(t) = root.get("slaTier") {
        check_enum(f, "/slaTier", t, "SLA tier", SLA_TIERS, Severity::Error);
    }

    let base = all_bundles.first().map(|(b, _)| b.clone());
    let search = matches!(base.as_deref(), Some("ELASTICSEARCH" | "OPENSEARCH"));
    match root.get("nodeSize") {
        Some(v) => {
            expect_string(f, "/nodeSize", v, "node size");
            if search {
                f.warn("/nodeSize", "ELASTICSEARCH/OPENSEARCH take their sizes from the bundle options (masterNodeSize, dataNodeSize); a top-level nodeSize is not used");
            }
        }
        None if search || every_dc_has("nodeSize") => {}
        None => f.error(
            "",
            "missing required field \"nodeSize\" (e.g. \"t3.small\")",
        ),
    }

    match (root.get("dataCentre"), dcs) {
        (Some(v), _) => data_centre(f, "/dataCentre", v),
        (None, Some(_)) => {}
        (None, None) => f.error("", "missing required field \"dataCentre\" (e.g. \"US_EAST_1\"), or \"dataCentres\" for several"),
    }
    if let Some(v) = root.get("dataCentreCustomName") {
        expect_string(f, "/dataCentreCustomName", v, "data centre name");
    }
    if let Some(v) = root.get("clusterNetwork") {
        network(f, "/clusterNetwork", v);
    }
    let mut pci = false;
    if let Some(v) = root.get("privateNetworkCluster") {
        check_boolish(f, "/privateNetworkCluster", v);
    }
    if let Some(v) = root.get("pciCompliantCluster") {
        pci = check_boolish(f, "/pciCompliantCluster", v).unwrap_or(false);
    }
    if let Some(r) = root.get("rackAllocation") {
        rack_allocation(f, "/rackAllocation", r);
    }
    if let Some(fw) = root.get("firewallRules") {
        firewall_rules(f, "/firewallRules", fw);
    }

    if let Some(d) = dcs {
        match d.as_array() {
            None => f.error(
                "/dataCentres",
                format!("expected an array of data centres, got {}", type_name(d)),
            ),
            Some(items) => {
                if items.is_empty() {
                    f.error(
                        "/dataCentres",
                        "an empty array: give at least one data centre, or use \"dataCentre\"",
                    );
                }
                for (i, dc) in items.iter().enumerate() {
                    all_bundles.extend(data_centre_entry(
                        f,
                        &format!("/dataCentres/{i}"),
                        dc,
                        root,
                    ));
                }
            }
        }
    }

    traps(f, root, &all_bundles, pci);
}

fn cluster_name(f: &mut Findings, name: &str) {
    let n = name.chars().count();
    if n == 0 {
        f.error("/clusterName", "the cluster name is empty");
        return;
    }
    if n > 32 {
        f.error(
            "/clusterName",
            format!("the cluster name has {n} characters; the API allows at most 32"),
        );
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        f.error("/clusterName", format!("the cluster name contains {bad:?}: only letters, digits and underscores are allowed"));
    } else if name.contains('-') {
        f.warn("/clusterName", "the documented cluster-name characters are letters, digits and underscores; hyphens were accepted in practice");
    }
}

/// `text` when `yes`, else "": the hint after a type mistake that has a usual cause.
pub(crate) fn hint_if(yes: bool, text: &'static str) -> &'static str {
    if yes { text } else { "" }
}

/// Returns `(bundle name, bundle object)` for each well-formed bundle.
fn bundles(f: &mut Findings, ptr: &str, v: &Value) -> Vec<(String, Value)> {
    let Some(items) = v.as_array() else {
        let hint = hint_if(
            v.is_object(),
            " (a single bundle must still be wrapped in [ ])",
        );
        f.error(
            ptr,
            format!("expected an array of bundles, got {}{hint}", type_name(v)),
        );
        return Vec::new();
    };
    if items.is_empty() {
        f.error(ptr, "an empty array: at least the base bundle is required");
    }
    let mut out = Vec::new();
    for (i, b) in items.iter().enumerate() {
        let bp = format!("{ptr}/{i}");
        let Some(obj) = b.as_object() else {
            f.error(
                &bp,
                format!(
                    "expected a bundle object {{\"bundle\": …, \"version\": …}}, got {}",
                    type_name(b)
                ),
            );
            continue;
        };
        unknown_fields(f, &bp, obj, &["bundle", "version", "options"], "a bundle");
        let name = match obj.get("bundle") {
            None => {
                f.error(&bp, "missing required field \"bundle\"");
                None
            }
            Some(n) => check_enum(
                f,
                &format!("{bp}/bundle"),
                n,
                "bundle",
                BUNDLES,
                Severity::Error,
            ),
        };
        match obj.get("version") {
            None => f.error(&bp, "missing required field \"version\" (a string such as \"3.11.4\")"),
            Some(Value::String(_)) => {}
            Some(Value::Number(n)) => f.error(
                &format!("{bp}/version"),
                format!("expected a string, got the number {n}: versions must be quoted (\"{n}\"), or 3.10 becomes 3.1"),
            ),
            Some(other) => f.error(&format!("{bp}/version"), format!("expected a string, got {}", type_name(other))),
        }
        if let Some(opts) = obj.get("options") {
            options(f, &format!("{bp}/options"), opts);
        }
        if let Some(n) = name.filter(|n| BUNDLES.contains(&n.as_str())) {
            out.push((n, b.clone()));
        }
    }
    out
}

fn options(f: &mut Findings, ptr: &str, v: &Value) {
    let Some(obj) = v.as_object() else {
        if !v.is_null() {
            f.error(
                ptr,
                format!("expected an object of bundle options, got {}", type_name(v)),
            );
        }
        return;
    };
    for (k, val) in obj {
        let p = join(ptr, k);
        if BOOL_OPTIONS.contains(&k.as_str()) {
            check_boolish(f, &p, val);
        } else if INT_OPTIONS.contains(&k.as_str()) {
            check_intish(f, &p, val);
        }
        if SECRET_OPTIONS.contains(&k.as_str()) {
            f.warn(
                &p,
                format!("\"{k}\" is a credential: spec.parameters are stored in clear text; move it to spec.parametersFrom (a Secret)"),
            );
        }
    }
}

fn provider(f: &mut Findings, ptr: &str, v: &Value) {
    let Some(obj) = v.as_object() else {
        f.error(
            ptr,
            format!(
                "expected an object such as {{\"name\": \"AWS_VPC\"}}, got {}",
                type_name(v)
            ),
        );
        return;
    };
    unknown_fields(f, ptr, obj, PROVIDER_FIELDS, "provider");
    let name = match obj.get("name") {
        None => {
            f.error(
                ptr,
                "missing required field \"name\" (AWS_VPC, AZURE, AZURE_AZ, GCP)",
            );
            None
        }
        Some(n) => check_enum(
            f,
            &format!("{ptr}/name"),
            n,
            "provider",
            PROVIDERS,
            Severity::Error,
        ),
    };
    if let Some(a) = obj.get("accountName")
        && !a.is_null()
    {
        expect_string(f, &format!("{ptr}/accountName"), a, "account name, or null");
    }
    if let Some(t) = obj.get("tags") {
        match t.as_object() {
            None => f.error(
                &format!("{ptr}/tags"),
                format!("expected an object of string tags, got {}", type_name(t)),
            ),
            Some(tags) => {
                for (k, val) in tags {
                    if !val.is_string() {
                        f.error(
                            &join(&format!("{ptr}/tags"), k),
                            format!("tag values must be strings, got {}", describe(val)),
                        );
                    }
                }
            }
        }
    }
    let name = name.as_deref();
    if obj.contains_key("resourceGroup") && !matches!(name, Some("AZURE" | "AZURE_AZ")) {
        f.warn(
            &format!("{ptr}/resourceGroup"),
            "resourceGroup is for AZURE only",
        );
    }
    if obj.contains_key("diskEncryptionKey") && name != Some("AWS_VPC") {
        f.warn(
            &format!("{ptr}/diskEncryptionKey"),
            "diskEncryptionKey is for AWS_VPC only",
        );
    }
}

fn data_centre(f: &mut Findings, ptr: &str, v: &Value) {
    check_enum(f, ptr, v, "data centre", DATA_CENTRES, Severity::Warning);
}

fn network(f: &mut Findings, ptr: &str, v: &Value) {
    let Some(s) = expect_string(f, ptr, v, "CIDR") else {
        return;
    };
    match parse_cidr(&s) {
        None => f.error(
            ptr,
            format!("\"{s}\" is not an IPv4 CIDR such as 10.224.0.0/12"),
        ),
        Some((ip, prefix)) => {
            let private = ip[0] == 10
                || (ip[0] == 172 && (16..32).contains(&ip[1]))
                || (ip[0] == 192 && ip[1] == 168);
            if !private {
                f.warn(
                    ptr,
                    format!("\"{s}\" is not a private address range (10/8, 172.16/12, 192.168/16)"),
                );
            }
            if !(12..=22).contains(&prefix) {
                f.warn(
                    ptr,
                    format!("the prefix /{prefix} is outside the documented /12–/22"),
                );
            }
        }
    }
}

fn parse_cidr(s: &str) -> Option<([u8; 4], u8)> {
    let (ip, prefix) = s.split_once('/')?;
    let ip: std::net::Ipv4Addr = ip.parse().ok()?;
    let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
    Some((ip.octets(), prefix))
}

fn rack_allocation(f: &mut Findings, ptr: &str, v: &Value) {
    let Some(obj) = v.as_object() else {
        let hint = hint_if(v.is_array(), " (a list of racks is the legacy v1 form)");
        f.error(
            ptr,
            format!(
                "expected an object {{\"numberOfRacks\": …, \"nodesPerRack\": …}}, got {}{hint}",
                type_name(v)
            ),
        );
        return;
    };
    unknown_fields(
        f,
        ptr,
        obj,
        &["numberOfRacks", "nodesPerRack"],
        "rackAllocation",
    );
    for (key, max) in [("numberOfRacks", 5), ("nodesPerRack", 10)] {
        match obj.get(key) {
            None => f.error(ptr, format!("missing required field \"{key}\"")),
            Some(n) => {
                let p = format!("{ptr}/{key}");
                match check_intish(f, &p, n) {
                    Some(0) => f.error(&p, format!("{key} must be at least 1")),
                    Some(x) if x > max => {
                        f.warn(&p, format!("{key} is {x}; the documented maximum is {max}"))
                    }
                    _ => {}
                }
            }
        }
    }
}

fn firewall_rules(f: &mut Findings, ptr: &str, v: &Value) {
    let Some(items) = v.as_array() else {
        f.error(
            ptr,
            format!("expected an array of firewall rules, got {}", type_name(v)),
        );
        return;
    };
    for (i, r) in items.iter().enumerate() {
        let rp = format!("{ptr}/{i}");
        let Some(obj) = r.as_object() else {
            f.error(
                &rp,
                format!("expected a firewall rule object, got {}", type_name(r)),
            );
            continue;
        };
        unknown_fields(
            f,
            &rp,
            obj,
            &["network", "securityGroupId", "rules"],
            "a firewall rule",
        );
        match (obj.get("network"), obj.get("securityGroupId")) {
            (Some(_), Some(_)) => f.error(
                &rp,
                "give either \"network\" or \"securityGroupId\", not both",
            ),
            (None, None) => f.error(&rp, "missing \"network\" (a CIDR) or \"securityGroupId\""),
            (Some(n), None) => match n.as_str().and_then(parse_cidr) {
                Some(_) => {}
                None => f.error(
                    &format!("{rp}/network"),
                    format!(
                        "expected an IPv4 CIDR such as 203.0.113.17/32, got {}",
                        describe(n)
                    ),
                ),
            },
            (None, Some(g)) => {
                expect_string(f, &format!("{rp}/securityGroupId"), g, "security group id");
            }
        }
        match obj.get("rules") {
            None => f.error(
                &rp,
                "missing required field \"rules\" (e.g. [{\"type\": \"CASSANDRA\"}])",
            ),
            Some(rules) => match rules.as_array() {
                None => f.error(
                    &format!("{rp}/rules"),
                    format!("expected an array of rules, got {}", type_name(rules)),
                ),
                Some(rs) => {
                    for (j, rule) in rs.iter().enumerate() {
                        let p = format!("{rp}/rules/{j}");
                        match rule.get("type") {
                            Some(t) => {
                                check_enum(
                                    f,
                                    &format!("{p}/type"),
                                    t,
                                    "firewall rule type",
                                    FIREWALL_RULE_TYPES,
                                    Severity::Warning,
                                );
                            }
                            None => f.error(&p, "missing required field \"type\""),
                        }
                    }
                }
            },
        }
    }
}

fn data_centre_entry(
    f: &mut Findings,
    ptr: &str,
    v: &Value,
    root: &Map<String, Value>,
) -> Vec<(String, Value)> {
    let Some(obj) = v.as_object() else {
        f.error(
            ptr,
            format!("expected a data centre object, got {}", type_name(v)),
        );
        return Vec::new();
    };
    unknown_fields(f, ptr, obj, DATA_CENTRE_FIELDS, "a data centre");
    match obj.get("dataCentre") {
        Some(d) => data_centre(f, &format!("{ptr}/dataCentre"), d),
        None => f.error(ptr, "missing required field \"dataCentre\" (the region)"),
    }
    match obj.get("network") {
        Some(n) => network(f, &format!("{ptr}/network"), n),
        None => f.error(
            ptr,
            "missing required field \"network\" (a CIDR, not overlapping the other data centres)",
        ),
    }
    match obj.get("provider") {
        Some(p) => provider(f, &format!("{ptr}/provider"), p),
        None if root.contains_key("provider") => {}
        None => f.error(ptr, "missing \"provider\" (here or at the top level)"),
    }
    match obj.get("nodeSize") {
        Some(n) => {
            expect_string(f, &format!("{ptr}/nodeSize"), n, "node size");
        }
        None if root.contains_key("nodeSize") => {}
        None => f.error(ptr, "missing \"nodeSize\" (here or at the top level)"),
    }
    if let Some(r) = obj.get("rackAllocation") {
        rack_allocation(f, &format!("{ptr}/rackAllocation"), r);
    }
    let mut out = Vec::new();
    if let Some(b) = obj.get("bundles") {
        out = bundles(f, &format!("{ptr}/bundles"), b);
        for (i, (name, _)) in out.iter().enumerate() {
            if !matches!(name.as_str(), "APACHE_CASSANDRA" | "SPARK") {
                f.warn(&format!("{ptr}/bundles/{i}/bundle"), format!("only APACHE_CASSANDRA (with SPARK) supports several data centres, not {name}"));
            }
        }
    }
    out
}

fn option_true(bundle: &Value, key: &str) -> bool {
    matches!(
        bundle.pointer(&format!("/options/{key}")),
        Some(Value::Bool(true))
    ) || bundle
        .pointer(&format!("/options/{key}"))
        .and_then(Value::as_str)
        == Some("true")
}

/// The known semantic traps (reference §4), and the options some bundles require.
fn traps(f: &mut Findings, root: &Map<String, Value>, bundles: &[(String, Value)], pci: bool) {
    let has = |name: &str| bundles.iter().any(|(b, _)| b == name);
    let base = bundles.first().map(|(b, _)| b.as_str());

    if let Some(base) = base
        && let Some((_, of)) = super::class_map::ADD_ONS.iter().find(|(a, _)| *a == base)
    {
        f.warn(
            "/bundles/0/bundle",
            format!("the first bundle is the base application, but {base} is an add-on to {of}"),
        );
    }
    for (i, (name, _)) in bundles.iter().enumerate() {
        if let Some((_, of)) = super::class_map::ADD_ONS.iter().find(|(a, _)| a == name)
            && !has(of)
        {
            f.warn(
                &format!("/bundles/{i}/bundle"),
                format!("{name} is an add-on to {of}, which this payload does not include"),
            );
        }
    }

    if has("REDIS") {
        if root.contains_key("rackAllocation") {
            f.warn("/rackAllocation", "REDIS rejects rackAllocation (\"'rack_allocation' is not supported in REDIS\"): remove it");
        }
        if let Some(dcs) = root.get("dataCentres").and_then(Value::as_array) {
            for (i, dc) in dcs.iter().enumerate() {
                if dc.get("rackAllocation").is_some() {
                    f.warn(
                        &format!("/dataCentres/{i}/rackAllocation"),
                        "REDIS rejects rackAllocation: remove it",
                    );
                }
            }
        }
    }

    if has("SPARK") {
        for (i, (name, b)) in bundles.iter().enumerate() {
            if name == "APACHE_CASSANDRA" && option_true(b, "clientEncryption") {
                f.warn(
                    &format!("/bundles/{i}/options/clientEncryption"),
                    "Cassandra clientEncryption with a SPARK add-on fails at creation (\"Error creating cluster\"): drop one of them",
                );
            }
        }
        if pci {
            f.warn(
                "/pciCompliantCluster",
                "PCI compliance is not available with SPARK",
            );
        }
    }
    if pci
        && root
            .get("provider")
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .is_some_and(|p| p != "AWS_VPC")
    {
        f.warn(
            "/pciCompliantCluster",
            "PCI compliance is available on AWS_VPC only",
        );
    }

    for (i, (name, b)) in bundles.iter().enumerate() {
        let op = format!("/bundles/{i}/options");
        let opt = |k: &str| b.pointer(&format!("/options/{k}"));
        match name.as_str() {
            "ELASTICSEARCH" | "OPENSEARCH" => {
                if opt("masterNodeSize").is_none() {
                    f.error(
                        &format!("/bundles/{i}"),
                        format!("{name} requires options.masterNodeSize"),
                    );
                }
                let dedicated = option_true(b, "dedicatedMasterNodes");
                if let (false, Some(d), Some(m)) =
                    (dedicated, opt("dataNodeSize"), opt("masterNodeSize"))
                    && !d.is_null()
                    && d != m
                {
                    f.warn(&format!("{op}/dataNodeSize"), "without dedicatedMasterNodes, dataNodeSize must be null or equal to masterNodeSize");
                }
            }
            "REDIS" => {
                for k in ["masterNodes", "replicaNodes"] {
                    if opt(k).is_none() {
                        f.error(
                            &format!("/bundles/{i}"),
                            format!("REDIS requires options.{k}"),
                        );
                    }
                }
            }
            "POSTGRESQL" if opt("postgresqlNodeCount").is_none() => {
                f.error(
                    &format!("/bundles/{i}"),
                    "POSTGRESQL requires options.postgresqlNodeCount",
                );
            }
            "KAFKA_CONNECT" => {
                if opt("targetKafkaClusterId").is_none() && opt("bootstrap.servers").is_none() {
                    f.warn(&format!("/bundles/{i}"), "KAFKA_CONNECT needs options.targetKafkaClusterId (an Instaclustr Kafka cluster) or bootstrap.servers");
                }
                if let Some(t) = opt("vpcType") {
                    check_enum(
                        f,
                        &format!("{op}/vpcType"),
                        t,
                        "vpcType",
                        &["KAFKA_VPC", "VPC_PEERED", "SEPARATE_VPC", "TARGET_VPC"],
                        Severity::Error,
                    );
                }
            }
            "KAFKA" => {
                if let Some(n) = opt("zookeeperNodeCount").and_then(Value::as_u64)
                    && n != 3
                    && n != 5
                {
                    f.warn(
                        &format!("{op}/zookeeperNodeCount"),
                        format!("zookeeperNodeCount is {n}; the documented values are 3 and 5"),
                    );
                }
            }
            _ => {}
        }
    }
}

fn legacy(f: &mut Findings, root: &Map<String, Value>) {
    f.warn(
        "",
        "this is the legacy (pre-\"extended\") v1 create body (provider as a string, size, region{…}); the extended body \
         (provider{name}, nodeSize, dataCentre, bundles[], rackAllocation{numberOfRacks, nodesPerRack}) replaced it",
    );
    match root.get("clusterName") {
        None => f.error("", "missing required field \"clusterName\""),
        Some(v) => {
            if let Some(name) = expect_string(f, "/clusterName", v, "cluster name") {
                cluster_name(f, &name);
            }
        }
    }
    match root.get("provider") {
        Some(p) if p.is_string() => {
            check_enum(f, "/provider", p, "provider", PROVIDERS, Severity::Error);
        }
        Some(p) => provider(f, "/provider", p),
        None => f.error("", "missing required field \"provider\""),
    }
    for key in ["version", "size"] {
        match root.get(key) {
            None => f.error(
                "",
                format!("missing required field \"{key}\" (legacy body)"),
            ),
            Some(v) => {
                expect_string(f, &format!("/{key}"), v, key);
            }
        }
    }
    match root.get("region") {
        None => f.error("", "missing required field \"region\" (legacy body)"),
        Some(r) => match r.as_object() {
            None => f.error(
                "/region",
                format!("expected an object, got {}", type_name(r)),
            ),
            Some(region) => {
                match region.get("dataCentre") {
                    Some(d) => data_centre(f, "/region/dataCentre", d),
                    None => f.error("/region", "missing required field \"dataCentre\""),
                }
                if let Some(racks) = region.get("rackAllocation") {
                    match racks.as_array() {
                        None => f.error(
                            "/region/rackAllocation",
                            format!(
                                "expected a list of racks in the legacy body, got {}",
                                type_name(racks)
                            ),
                        ),
                        Some(list) => {
                            for (i, r) in list.iter().enumerate() {
                                let p = format!("/region/rackAllocation/{i}");
                                match r.get("nodeCount") {
                                    Some(n) => {
                                        check_intish(f, &format!("{p}/nodeCount"), n);
                                    }
                                    None => f.error(&p, "missing required field \"nodeCount\""),
                                }
                            }
                        }
                    }
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::validate_v1 as validate;
    use super::*;
    use serde_json::json;

    fn of(severity: Severity, v: &Value) -> Vec<String> {
        validate(v)
            .into_iter()
            .filter(|f| f.severity == severity)
            .map(|f| format!("{}: {}", f.pointer, f.message))
            .collect()
    }
    fn errors(v: &Value) -> Vec<String> {
        of(Severity::Error, v)
    }
    fn warnings(v: &Value) -> Vec<String> {
        of(Severity::Warning, v)
    }

    fn minimal() -> Value {
        json!({
            "clusterName": "c1", "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}],
            "provider": {"name": "AWS_VPC"}, "slaTier": "NON_PRODUCTION", "nodeSize": "t3.small",
            "dataCentre": "US_WEST_2", "clusterNetwork": "192.168.0.0/18",
            "rackAllocation": {"numberOfRacks": 3, "nodesPerRack": 1}
        })
    }

    fn with(mut v: Value, ptr: &str, new: Value) -> Value {
        *v.pointer_mut(ptr).expect("pointer exists") = new;
        v
    }

    #[test]
    fn a_minimal_payload_is_clean() {
        assert!(
            validate(&minimal()).is_empty(),
            "{:?}",
            validate(&minimal())
        );
    }

    #[test]
    fn required_fields_are_named() {
        for key in [
            "clusterName",
            "bundles",
            "provider",
            "nodeSize",
            "dataCentre",
        ] {
            let mut v = minimal();
            v.as_object_mut().expect("object").remove(key);
            assert_eq!(errors(&v).len(), 1, "{key}: {:?}", errors(&v));
            assert!(
                errors(&v)[0].contains(&format!("missing required field \"{key}\"")),
                "{:?}",
                errors(&v)
            );
        }
    }

    #[test]
    fn types_and_enums_are_checked_with_suggestions() {
        let e = errors(&with(
            minimal(),
            "/bundles",
            json!({"bundle": "KAFKA", "version": "2.5.1"}),
        ));
        assert!(
            e[0].starts_with("/bundles: expected an array of bundles, got an object"),
            "{e:?}"
        );
        let e = errors(&with(
            minimal(),
            "/bundles/0/bundle",
            json!("APACHE_CASANDRA"),
        ));
        assert!(
            e[0].contains(
                "unknown bundle \"APACHE_CASANDRA\" (did you mean \"APACHE_CASSANDRA\"?)"
            ),
            "{e:?}"
        );
        let e = errors(&with(minimal(), "/provider/name", json!("aws-vpc")));
        assert!(e[0].contains("(did you mean \"AWS_VPC\"?)"), "{e:?}");
        let e = errors(&with(minimal(), "/slaTier", json!("PRODUCTON")));
        assert!(e[0].contains("did you mean \"PRODUCTION\""), "{e:?}");
        let w = warnings(&with(minimal(), "/dataCentre", json!("US_WEST2")));
        assert!(w[0].contains("did you mean \"US_WEST_2\""), "{w:?}");
        let e = errors(&with(minimal(), "/bundles/0/version", json!(3.10)));
        assert!(e[0].contains("versions must be quoted"), "{e:?}");
        let e = errors(&with(
            minimal(),
            "/rackAllocation/numberOfRacks",
            json!("three"),
        ));
        assert!(e[0].contains("non-negative integer"), "{e:?}");
        assert!(
            errors(&with(
                minimal(),
                "/rackAllocation/numberOfRacks",
                json!("3")
            ))
            .is_empty()
        );
        let e = errors(&with(minimal(), "/clusterName", json!("bad!name")));
        assert!(
            e[0].contains("only letters, digits and underscores"),
            "{e:?}"
        );
        let w = warnings(
            &with(minimal(), "/nodeSize", json!("t3.small"))
                .as_object()
                .map(|m| {
                    let mut m = m.clone();
                    m.insert("node_size".into(), json!("x"));
                    Value::Object(m)
                })
                .expect("object"),
        );
        assert!(
            w[0].contains("unknown field \"node_size\"")
                && w[0].contains("did you mean \"nodeSize\""),
            "{w:?}"
        );
        assert!(crate::suggest::closest("QWERTY", BUNDLES).is_none());
    }

    #[test]
    fn semantic_traps_are_warnings() {
        let redis = json!({
            "clusterName": "r", "bundles": [{"bundle": "REDIS", "version": "redis:6.0.9", "options": {"masterNodes": 3, "replicaNodes": 3}}],
            "provider": {"name": "AWS_VPC"}, "nodeSize": "t3.small-20-r", "dataCentre": "US_WEST_2",
            "rackAllocation": {"numberOfRacks": 3, "nodesPerRack": 1}
        });
        assert!(errors(&redis).is_empty(), "{:?}", errors(&redis));
        assert!(
            warnings(&redis)
                .iter()
                .any(|w| w.starts_with("/rackAllocation: REDIS rejects rackAllocation")),
            "{:?}",
            warnings(&redis)
        );
        let spark = with(
            minimal(),
            "/bundles",
            json!([{"bundle": "APACHE_CASSANDRA", "version": "3.11.4", "options": {"clientEncryption": true}}, {"bundle": "SPARK", "version": "apache-spark:2.3.2"}]),
        );
        assert!(errors(&spark).is_empty());
        assert!(
            warnings(&spark).iter().any(|w| w.starts_with(
                "/bundles/0/options/clientEncryption: Cassandra clientEncryption with a SPARK"
            )),
            "{:?}",
            warnings(&spark)
        );
        let secret = with(
            minimal(),
            "/bundles/0",
            json!({"bundle": "KAFKA_CONNECT", "version": "2.5.1", "options": {"targetKafkaClusterId": "x", "aws.secret.access.key": "k"}}),
        );
        assert!(warnings(&secret).iter().any(|w| w.contains("/bundles/0/options/aws.secret.access.key: \"aws.secret.access.key\" is a credential")), "{:?}", warnings(&secret));
    }

    #[test]
    fn legacy_body_is_recognised() {
        let legacy = json!({
            "clusterName": "old", "provider": "AWS_VPC", "account": "x", "version": "apache-cassandra-2.1.13", "size": "t2.small",
            "region": {"dataCentre": "US_WEST_2", "authnAuthz": "true", "rackAllocation": [{"name": "us-west-2a", "nodeCount": "2"}]}
        });
        assert!(errors(&legacy).is_empty(), "{:?}", errors(&legacy));
        let w = warnings(&legacy);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("legacy (pre-\"extended\") v1 create body"));
    }

    #[test]
    fn a_non_object_is_an_error() {
        assert_eq!(
            errors(&json!([1])),
            vec![": expected a JSON object (the cluster-create body), got an array".to_string()]
        );
    }
}
