//! The v2 create bodies as data: every field of CassandraClusterV2 and KafkaClusterV2, the required fields
//! of RedisClusterV2 and ApacheZookeeperClusterV2 (and the fields Terraform's v2 resources send), with
//! their types, enums, patterns, lengths, array bounds and the rules that tie fields together.
//!
//! This tree is the one source of the v2 rules: [`super::check`] walks it to validate a body, and
//! [`super::schema`] turns it into the draft-04 JSON Schema a broker publishes. Nothing else knows a rule.

use std::sync::LazyLock;

use super::App;

/// A string pattern: the anchored regular expression a JSON Schema carries, and the same test in Rust
/// (the validator gives a reason where a regex can only say no; unit tests hold the two together).
pub struct Pattern {
    pub regex: &'static str,
    pub test: fn(&str) -> bool,
    /// What a matching string is, for messages: `a version N.N.N`.
    pub what: &'static str,
}

/// What a string must be: its length in characters, a pattern, or one of some values.
#[derive(Clone, Copy)]
pub struct Text {
    pub min: usize,
    pub max: Option<usize>,
    pub pattern: Option<&'static Pattern>,
    /// Non-empty: an enum.
    pub values: &'static [&'static str],
}

/// A string of at least `min` characters, and nothing more said.
const fn text(min: usize) -> Text {
    Text {
        min,
        max: None,
        pattern: None,
        values: &[],
    }
}

/// What a value must be.
pub enum Kind {
    Str(Text),
    Bool,
    Int {
        min: i64,
    },
    Array(Arr),
    Object(Obj),
    /// Anything (read-only answer fields).
    Any,
}

/// A kind and what it means, for messages and schema descriptions.
pub struct Ty {
    pub kind: Kind,
    pub doc: &'static str,
}

/// One field of an object.
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// Set by the API in its answers: a create body that has it was copied from a GET answer.
    pub read_only: bool,
}

/// A rule between fields of one object.
pub enum Cross {
    /// `field` must be a multiple of `of`: a field of the same object, or of the body (`of_root`).
    MultipleOf {
        field: &'static str,
        of: &'static str,
        of_root: bool,
        why: &'static str,
    },
    /// At most one of these fields.
    AtMostOne(&'static [&'static str]),
}

/// An array: its items and bounds.
pub struct Arr {
    pub items: Box<Ty>,
    pub min: usize,
    pub max: Option<usize>,
    /// Items are objects whose field of this name must differ from item to item.
    pub unique: Option<&'static str>,
}

/// An object: its fields (closed: no others) and the rules between them.
pub struct Obj {
    pub fields: Vec<Field>,
    pub rules: Vec<Cross>,
}

impl Obj {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    pub fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }
}

/// `slaTier`.
pub const SLA_TIERS: &[&str] = &["PRODUCTION", "NON_PRODUCTION"];
/// `dataCentres[].cloudProvider`.
pub const CLOUD_PROVIDERS: &[&str] = &["AWS_VPC", "GCP", "AZURE", "AZURE_AZ", "ONPREMISES"];
/// `currentClusterOperationStatus` (answers only).
pub const OPERATION_STATUSES: &[&str] =
    &["NO_OPERATION", "OPERATION_IN_PROGRESS", "OPERATION_FAILED"];

pub static NAME: Pattern = Pattern {
    regex: "^[a-zA-Z0-9][a-zA-Z0-9_-]*$",
    test: |s| {
        s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    },
    what: "a letter or digit, then letters, digits, _ and -",
};

pub static VERSION: Pattern = Pattern {
    regex: "^[0-9]+\\.[0-9]+\\.[0-9]+$",
    test: |s| {
        let parts: Vec<&str> = s.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    },
    what: "a version N.N.N",
};

pub static UUID: Pattern = Pattern {
    regex: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    test: |s| {
        let groups: Vec<&str> = s.split('-').collect();
        groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
            && groups
                .iter()
                .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
    },
    what: "a UUID",
};

/// One octet, 0–255, without leading zeros.
macro_rules! octet {
    () => {
        "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
    };
}
/// A prefix length of 12 to 22 (16 to 22 inside 192.168.0.0/16).
macro_rules! prefix {
    () => {
        "(1[2-9]|2[0-2])"
    };
}

pub static PRIVATE_CIDR: Pattern = Pattern {
    regex: concat!(
        "^(10\\.",
        octet!(),
        "\\.",
        octet!(),
        "\\.",
        octet!(),
        "/",
        prefix!(),
        "|172\\.(1[6-9]|2[0-9]|3[01])\\.",
        octet!(),
        "\\.",
        octet!(),
        "/",
        prefix!(),
        "|192\\.168\\.",
        octet!(),
        "\\.",
        octet!(),
        "/(1[6-9]|2[0-2]))$"
    ),
    test: |s| cidr_problem(s).is_none(),
    what: "a private IPv4 CIDR, /12 to /22",
};

/// Why `s` is not a private CIDR of /12 to /22, or `None` when it is one.
pub fn cidr_problem(s: &str) -> Option<String> {
    let Some((addr, len)) = s.split_once('/') else {
        return Some("not a CIDR (expected ADDRESS/PREFIX, e.g. 10.0.0.0/16)".into());
    };
    let octets: Vec<Option<u8>> = addr
        .split('.')
        .map(|o| {
            let canonical = !o.is_empty() && o.len() <= 3 && (o == "0" || !o.starts_with('0'));
            if canonical && o.bytes().all(|b| b.is_ascii_digit()) {
                o.parse().ok()
            } else {
                None
            }
        })
        .collect();
    let prefix: Option<u8> =
        (!len.is_empty() && len.len() <= 2 && len.bytes().all(|b| b.is_ascii_digit()))
            .then(|| len.parse().ok())
            .flatten();
    let (Some(prefix), [Some(a), Some(b), Some(_), Some(_)]) = (prefix, octets.as_slice()) else {
        return Some(
            "not an IPv4 CIDR (expected four numbers 0-255 and a prefix, e.g. 10.0.0.0/16)".into(),
        );
    };
    let block = match (a, b) {
        (10, _) => Some(8),
        (172, 16..=31) => Some(12),
        (192, 168) => Some(16),
        _ => None,
    };
    let Some(block) = block else {
        return Some(
            "not a private address block (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)".into(),
        );
    };
    if !(12..=22).contains(&prefix) {
        return Some(format!("the prefix /{prefix} is outside /12 to /22"));
    }
    if prefix < block {
        return Some(format!(
            "a /{prefix} is larger than its private block (/{block})"
        ));
    }
    None
}

fn ty(kind: Kind, doc: &'static str) -> Ty {
    Ty { kind, doc }
}
fn string(doc: &'static str) -> Ty {
    ty(Kind::Str(text(1)), doc)
}
fn free_text(doc: &'static str) -> Ty {
    ty(Kind::Str(text(0)), doc)
}
fn patterned(pattern: &'static Pattern, doc: &'static str) -> Ty {
    let t = Text {
        pattern: Some(pattern),
        ..text(1)
    };
    ty(Kind::Str(t), doc)
}
fn one_of(values: &'static [&'static str], doc: &'static str) -> Ty {
    ty(Kind::Str(Text { values, ..text(0) }), doc)
}
fn boolean(doc: &'static str) -> Ty {
    ty(Kind::Bool, doc)
}
fn int(min: i64, doc: &'static str) -> Ty {
    ty(Kind::Int { min }, doc)
}
fn list(items: Ty, min: usize, max: Option<usize>, doc: &'static str) -> Ty {
    ty(
        Kind::Array(Arr {
            items: Box::new(items),
            min,
            max,
            unique: None,
        }),
        doc,
    )
}
/// The v2 way of an optional block: an array of at most one object.
fn at_most_one(fields: Vec<Field>, doc: &'static str) -> Ty {
    list(object(fields, vec![]), 0, Some(1), doc)
}
fn object(fields: Vec<Field>, rules: Vec<Cross>) -> Ty {
    ty(Kind::Object(Obj { fields, rules }), "")
}
fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
        read_only: false,
    }
}
fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
        read_only: false,
    }
}
fn answer(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        ty: ty(Kind::Any, doc),
        required: false,
        read_only: true,
    }
}

fn cluster_name() -> Ty {
    let t = Text {
        max: Some(48),
        pattern: Some(&NAME),
        ..text(3)
    };
    ty(
        Kind::Str(t),
        "Cluster name: 3 to 48 letters, digits, _ and -, starting with a letter or digit",
    )
}

fn version(doc: &'static str) -> Ty {
    patterned(&VERSION, doc)
}

/// The fields every v2 cluster body shares (after the name and version).
fn common_top(out: &mut Vec<Field>) {
    out.push(req(
        "slaTier",
        one_of(SLA_TIERS, "SLA tier (the plan follows it)"),
    ));
    out.push(opt("description", free_text("Free text")));
    out.push(opt(
        "twoFactorDelete",
        at_most_one(
            vec![
                req(
                    "confirmationEmail",
                    string("Who confirms a deletion (email)"),
                ),
                opt("confirmationPhoneNumber", string("Who confirms (phone)")),
            ],
            "Deletion needs a confirmation (at most one entry)",
        ),
    ));
    out.push(opt(
        "bundledUseOnly",
        boolean("Provisioned only for use with another bundled application"),
    ));
    out.push(req("privateNetworkCluster", boolean("Private IPs only")));
}

fn resize_settings() -> Field {
    opt(
        "resizeSettings",
        at_most_one(
            vec![
                opt(
                    "notifySupportContacts",
                    boolean("Tell the support contacts before a resize"),
                ),
                opt("concurrency", int(1, "Nodes resized at once")),
            ],
            "How resizes run (at most one entry)",
        ),
    )
}

fn pci() -> Field {
    req(
        "pciComplianceMode",
        boolean("PCI compliance (AWS_VPC only)"),
    )
}

/// A cluster body: `name`, the application's version field, the fields every body shares, the
/// application's own fields, and the read-only answer fields.
fn cluster(version: Field, own: Vec<Field>) -> Ty {
    let mut f = vec![req("name", cluster_name()), version];
    common_top(&mut f);
    f.extend(own);
    answers_top(&mut f);
    object(f, vec![])
}

fn answers_top(out: &mut Vec<Field>) {
    out.push(answer("id", "Read-only: the cluster id the API assigns"));
    out.push(answer("status", "Read-only: the cluster's state"));
    out.push(answer(
        "currentClusterOperationStatus",
        "Read-only: NO_OPERATION, OPERATION_IN_PROGRESS or OPERATION_FAILED",
    ));
    out.push(answer(
        "defaultUserPassword",
        "Read-only: the default user's password (an answer field)",
    ));
}

/// The fields every v2 data centre shares; `extra` goes after the node size.
fn data_centre(extra: Vec<Field>, mut rules: Vec<Cross>) -> Ty {
    let mut fields = vec![
        req(
            "name",
            string("Data-centre name, unique within the cluster"),
        ),
        req(
            "cloudProvider",
            one_of(CLOUD_PROVIDERS, "Where the nodes run"),
        ),
        req(
            "region",
            string("Provider region: US_EAST_1 (AWS), us-central1 (GCP), CENTRAL_US (Azure)"),
        ),
        req(
            "network",
            patterned(
                &PRIVATE_CIDR,
                "Private CIDR of the data centre, /12 to /22 (e.g. 10.0.0.0/16)",
            ),
        ),
        req(
            "nodeSize",
            string("Node size, e.g. CAS-DEV-t4g.small-5 (v2 size names)"),
        ),
    ];
    fields.extend(extra);
    fields.push(opt(
        "tags",
        list(
            object(
                vec![
                    req("key", string("Tag key")),
                    req("value", free_text("Tag value")),
                ],
                vec![],
            ),
            0,
            None,
            "Provider tags, a list of {key, value}",
        ),
    ));
    fields.push(opt(
        "awsSettings",
        at_most_one(
            vec![
                opt(
                    "ebsEncryptionKey",
                    patterned(&UUID, "KMS key id for the EBS volumes (a UUID)"),
                ),
                opt("customVirtualNetworkId", string("Your own VPC to run in")),
            ],
            "AWS settings (at most one entry; only one provider's settings)",
        ),
    ));
    fields.push(opt(
        "gcpSettings",
        at_most_one(
            vec![opt(
                "customVirtualNetworkId",
                string("Your own VPC network to run in"),
            )],
            "GCP settings (at most one entry; only one provider's settings)",
        ),
    ));
    fields.push(opt(
        "azureSettings",
        at_most_one(
            vec![opt("resourceGroup", string("Azure resource group"))],
            "Azure settings (at most one entry; only one provider's settings)",
        ),
    ));
    fields.push(opt(
        "providerAccountName",
        string("Run in your own provider account"),
    ));
    fields.push(answer("id", "Read-only: the data centre's id"));
    fields.push(answer("status", "Read-only: the data centre's state"));
    fields.push(answer("nodes", "Read-only: the nodes the API created"));
    fields.push(answer("deletedNodes", "Read-only: nodes removed"));
    rules.push(Cross::AtMostOne(&[
        "awsSettings",
        "gcpSettings",
        "azureSettings",
    ]));
    object(fields, rules)
}

/// `numberOfNodes`, required.
fn nodes(doc: &'static str) -> Field {
    req("numberOfNodes", int(1, doc))
}

fn data_centres(dc: Ty, max: Option<usize>, doc: &'static str) -> Ty {
    ty(
        Kind::Array(Arr {
            items: Box::new(dc),
            min: 1,
            max,
            unique: Some("name"),
        }),
        doc,
    )
}

fn cassandra() -> Ty {
    let f = vec![
        pci(),
        req("luceneEnabled", boolean("Cassandra Lucene index plugin")),
        req(
            "passwordAndUserAuth",
            boolean("Password authentication and authorisation"),
        ),
        opt(
            "spark",
            at_most_one(
                vec![req("version", version("Apache Spark version"))],
                "Apache Spark add-on (at most one entry)",
            ),
        ),
        resize_settings(),
        req(
            "dataCentres",
            data_centres(
                data_centre(
                    vec![
                        nodes("Nodes in the data centre: a multiple of replicationFactor"),
                        req(
                            "replicationFactor",
                            int(1, "Replication factor, also the number of racks"),
                        ),
                        req("continuousBackup", boolean("Commit-log backups")),
                        req("clientToClusterEncryption", boolean("Client-to-node TLS")),
                        req(
                            "privateIpBroadcastForDiscovery",
                            boolean("Broadcast private addresses to clients"),
                        ),
                        opt("privateLink", boolean("AWS PrivateLink")),
                    ],
                    vec![Cross::MultipleOf {
                        field: "numberOfNodes",
                        of: "replicationFactor",
                        of_root: false,
                        why: "nodes are spread evenly over the racks",
                    }],
                ),
                None,
                "Data centres (at least one; names unique)",
            ),
        ),
    ];
    cluster(
        req(
            "cassandraVersion",
            version("Apache Cassandra version, e.g. 4.1.3"),
        ),
        f,
    )
}

fn kafka() -> Ty {
    let schema_registry = |doc| at_most_one(vec![req("version", version("Add-on version"))], doc);
    let f = vec![
        pci(),
        req("allowDeleteTopics", boolean("Topics may be deleted")),
        req(
            "autoCreateTopics",
            boolean("Topics are created on first use"),
        ),
        req("clientToClusterEncryption", boolean("Client-to-broker TLS")),
        opt(
            "clientBrokerAuthWithMtls",
            boolean("Clients authenticate with mTLS"),
        ),
        req(
            "defaultNumberOfPartitions",
            int(1, "Partitions of a new topic"),
        ),
        req(
            "defaultReplicationFactor",
            int(
                1,
                "Replication factor of a new topic, also the number of racks",
            ),
        ),
        opt(
            "kraft",
            at_most_one(
                vec![req("controllerNodeCount", int(1, "KRaft controller nodes"))],
                "KRaft mode instead of ZooKeeper (at most one entry)",
            ),
        ),
        opt(
            "dedicatedZookeeper",
            at_most_one(
                vec![
                    req("zookeeperNodeSize", string("ZooKeeper node size")),
                    req("zookeeperNodeCount", int(1, "ZooKeeper nodes (3 or 5)")),
                ],
                "ZooKeeper on dedicated nodes (at most one entry)",
            ),
        ),
        opt(
            "schemaRegistry",
            schema_registry("Schema Registry add-on (at most one entry)"),
        ),
        opt(
            "karapaceSchemaRegistry",
            schema_registry("Karapace Schema Registry add-on (at most one entry)"),
        ),
        opt(
            "restProxy",
            at_most_one(
                vec![
                    req("version", version("REST Proxy version")),
                    req(
                        "integrateRestProxyWithSchemaRegistry",
                        boolean("Use a schema registry"),
                    ),
                    opt(
                        "useLocalSchemaRegistry",
                        boolean("The cluster's own schema registry"),
                    ),
                    opt("schemaRegistryServerUrl", string("Another schema registry")),
                    opt("schemaRegistryUsername", string("Its user")),
                    opt("schemaRegistryPassword", string("Its password (a secret)")),
                ],
                "REST Proxy add-on (at most one entry)",
            ),
        ),
        opt(
            "karapaceRestProxy",
            at_most_one(
                vec![
                    req("version", version("Karapace REST Proxy version")),
                    req(
                        "integrateRestProxyWithSchemaRegistry",
                        boolean("Use the schema registry"),
                    ),
                ],
                "Karapace REST Proxy add-on (at most one entry)",
            ),
        ),
        resize_settings(),
        req(
            "dataCentres",
            data_centres(
                data_centre(
                    vec![
                        nodes("Brokers in the data centre: a multiple of defaultReplicationFactor"),
                        opt(
                            "privateLink",
                            at_most_one(
                                vec![req(
                                    "advertisedHostname",
                                    ty(
                                        Kind::Str(text(3)),
                                        "Host name advertised to PrivateLink clients",
                                    ),
                                )],
                                "AWS PrivateLink (at most one entry)",
                            ),
                        ),
                    ],
                    vec![Cross::MultipleOf {
                        field: "numberOfNodes",
                        of: "defaultReplicationFactor",
                        of_root: true,
                        why: "brokers are spread evenly over the racks",
                    }],
                ),
                Some(1),
                "Exactly one data centre",
            ),
        ),
    ];
    cluster(
        req("kafkaVersion", version("Apache Kafka version, e.g. 3.5.1")),
        f,
    )
}

fn redis() -> Ty {
    let f = vec![
        pci(),
        req("clientToNodeEncryption", boolean("Client-to-node TLS")),
        opt("passwordAndUserAuth", boolean("Password authentication")),
        req(
            "dataCentres",
            data_centres(
                data_centre(
                    vec![
                        req("masterNodes", int(1, "Master nodes")),
                        opt("replicaNodes", int(0, "Replica nodes")),
                        opt("replicationFactor", int(0, "Replicas per master")),
                    ],
                    vec![],
                ),
                None,
                "Data centres (at least one; names unique)",
            ),
        ),
    ];
    cluster(
        req("redisVersion", version("Redis version, e.g. 7.0.14")),
        f,
    )
}

fn zookeeper() -> Ty {
    let f = vec![req(
        "dataCentres",
        data_centres(
            data_centre(
                vec![
                    nodes("ZooKeeper nodes (3 or 5)"),
                    req("clientToServerEncryption", boolean("Client-to-server TLS")),
                    opt("enforceAuthEnabled", boolean("Clients must authenticate")),
                    opt(
                        "enforceAuthSchemes",
                        list(string("Scheme"), 0, None, "Accepted auth schemes"),
                    ),
                ],
                vec![],
            ),
            None,
            "Data centres (at least one; names unique)",
        ),
    )];
    cluster(
        req(
            "zookeeperVersion",
            version("Apache ZooKeeper version, e.g. 3.8.2"),
        ),
        f,
    )
}

static CASSANDRA: LazyLock<Ty> = LazyLock::new(cassandra);
static KAFKA: LazyLock<Ty> = LazyLock::new(kafka);
static REDIS: LazyLock<Ty> = LazyLock::new(redis);
static ZOOKEEPER: LazyLock<Ty> = LazyLock::new(zookeeper);

/// The create body of an application, when its rules are known.
pub fn body(app: App) -> Option<&'static Ty> {
    match app {
        App::Cassandra => Some(&CASSANDRA),
        App::Kafka => Some(&KAFKA),
        App::Redis => Some(&REDIS),
        App::Zookeeper => Some(&ZOOKEEPER),
        _ => None,
    }
}
