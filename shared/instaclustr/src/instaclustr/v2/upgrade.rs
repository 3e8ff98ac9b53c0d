//! A v1 body (extended or legacy) rewritten as a v2 body, by the v1 ↔ v2 pairs of `docs/convert-json.md`,
//! with a note for everything that could not be carried over as it was: firewall rules (separate v2
//! resources), node sizes (v1 and v2 size names differ and no published table maps them), defaults filled
//! in for fields v2 requires and v1 left out, and fields v2 has no place for.

use serde_json::{Map, Value, json};

use super::App;

/// The v2 body and what the user should know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Upgraded {
    pub app: App,
    pub body: Value,
    /// One line each, for stderr: what was not carried over, what was assumed.
    pub notes: Vec<String>,
}

/// The v1 body as a v2 body. Fails only when the application cannot be told.
pub fn to_v2(v1: &Value) -> Result<Upgraded, String> {
    let root = v1
        .as_object()
        .ok_or("expected a JSON object (a v1 cluster-create body)")?;
    if let Some(app) = App::of(root) {
        return Err(format!(
            "this is already a v2 body (it has {}): nothing to upgrade",
            app.version_field()
        ));
    }
    let mut up = Up {
        root,
        notes: Vec::new(),
        used: Vec::new(),
    };
    let (app, base) = up.base()?;
    let options = base
        .and_then(|b| b.get("options"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();

    let mut b = Map::new();
    b.insert(
        "name".into(),
        up.take("clusterName").unwrap_or_else(|| json!("")),
    );
    let version = base
        .and_then(|b| b.get("version"))
        .or_else(|| root.get("version"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    b.insert(
        app.version_field().into(),
        json!(up.version(version, app.version_field())),
    );
    b.insert(
        "slaTier".into(),
        up.take("slaTier").unwrap_or_else(|| {
            up.notes
                .push("slaTier: not given; set to NON_PRODUCTION (the v1 default)".into());
            json!("NON_PRODUCTION")
        }),
    );
    if let Some(t) = up.take("twoFactorDelete") {
        b.insert("twoFactorDelete".into(), t);
    }
    if let Some(v) = up.take("bundledUseOnlyCluster") {
        b.insert("bundledUseOnly".into(), json!(boolish(&v).unwrap_or(false)));
    }
    if app != App::Zookeeper {
        let pci = up.take("pciCompliantCluster").and_then(|v| boolish(&v));
        b.insert("pciComplianceMode".into(), json!(pci.unwrap_or(false)));
    }
    let private = up.take("privateNetworkCluster").and_then(|v| boolish(&v));
    b.insert(
        "privateNetworkCluster".into(),
        json!(private.unwrap_or(false)),
    );

    let racks = up.racks(
        root.get("rackAllocation")
            .or_else(|| root.get("region").and_then(|r| r.get("rackAllocation"))),
    );
    up.used.push("rackAllocation");
    let mut dc_extra = Map::new();
    // The boolean options v2 requires, each from its v1 option (false, with a note, when v1 has none).
    for (v1_option, v2_field, in_dc) in required_booleans(app) {
        let value = match options.get(*v1_option).and_then(boolish) {
            Some(v) => v,
            None => {
                let at = if *in_dc { "dataCentres[]." } else { "" };
                up.notes.push(format!(
                    "{at}{v2_field}: v1 option {v1_option} not given; set to false (v2 requires it)"
                ));
                false
            }
        };
        let target = if *in_dc { &mut dc_extra } else { &mut b };
        target.insert((*v2_field).into(), json!(value));
    }
    match app {
        App::Cassandra => {
            if let Some(spark) = up.add_on("SPARK") {
                b.insert("spark".into(), json!([{"version": up.version(&spark, "spark[0].version")}]));
            }
            if up.add_on("ZEPPELIN").is_some() {
                up.notes
                    .push("ZEPPELIN: not carried over (v2 has no Zeppelin add-on)".into());
            }
        }
        App::Kafka => {
            let partitions = options.get("numberPartitions").and_then(intish).unwrap_or_else(|| {
                up.notes.push(
                    "defaultNumberOfPartitions: v1 option numberPartitions not given; set to 3".into(),
                );
                3
            });
            b.insert("defaultNumberOfPartitions".into(), json!(partitions));
            b.insert("defaultReplicationFactor".into(), json!(racks.map_or(3, |r| r.0)));
            if options.get("dedicatedZookeeper").and_then(boolish) == Some(true) {
                let count = options.get("zookeeperNodeCount").and_then(intish).unwrap_or(3);
                let size = options
                    .get("zookeeperNodeSize")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if size.is_empty() {
                    up.notes.push("dedicatedZookeeper: no zookeeperNodeSize in v1; fill in dedicatedZookeeper[0].zookeeperNodeSize".into());
                }
                b.insert(
                    "dedicatedZookeeper".into(),
                    json!([{"zookeeperNodeSize": size, "zookeeperNodeCount": count}]),
                );
            }
            let registry = up.add_on("KAFKA_SCHEMA_REGISTRY");
            if let Some(v) = &registry {
                b.insert("schemaRegistry".into(), json!([{"version": up.version(v, "schemaRegistry[0].version")}]));
            }
            if let Some(v) = up.add_on("KAFKA_REST_PROXY") {
                b.insert(
                    "restProxy".into(),
                    json!([{"version": up.version(&v, "restProxy[0].version"),
                            "integrateRestProxyWithSchemaRegistry": registry.is_some()}]),
                );
            }
        }
        App::Redis => {
            if let Some(p) = options.get("passwordAuth").and_then(boolish) {
                b.insert("passwordAndUserAuth".into(), json!(p));
            }
            for key in ["masterNodes", "replicaNodes"] {
                if let Some(n) = options.get(key).and_then(intish) {
                    dc_extra.insert(key.into(), json!(n));
                }
            }
        }
        App::Zookeeper => {}
        _ => up.notes.push(format!(
            "{}: only the fields every v2 body shares were carried over; check the rest against Instaclustr's {} schema",
            app.bundle(),
            app.schema_name()
        )),
    }
    let dcs = up.data_centres(app, racks, &dc_extra);
    b.insert("dataCentres".into(), Value::Array(dcs));

    if let Some(fw) = root.get("firewallRules").and_then(Value::as_array)
        && !fw.is_empty()
    {
        up.notes.push(format!(
            "firewallRules: {} rule(s) not carried over: v2 firewall rules are separate resources (cluster-network-firewall-rules), created after the cluster",
            fw.len()
        ));
    }
    up.used.push("firewallRules");
    for key in root.keys() {
        if !up.used.contains(&key.as_str()) {
            up.notes.push(format!(
                "{key}: no v2 create-body field for it; not carried over"
            ));
        }
    }
    Ok(Upgraded {
        app,
        body: Value::Object(b),
        notes: up.notes,
    })
}

type Object = Map<String, Value>;

struct Up<'a> {
    root: &'a Map<String, Value>,
    notes: Vec<String>,
    /// v1 keys accounted for.
    used: Vec<&'static str>,
}

impl<'a> Up<'a> {
    fn take(&mut self, key: &'static str) -> Option<Value> {
        self.used.push(key);
        self.root.get(key).cloned()
    }

    /// The application and its base bundle (none in a legacy body).
    fn base(&mut self) -> Result<(App, Option<&'a Object>), String> {
        self.used.extend([
            "bundles", "version", "provider", "region", "size", "account",
        ]);
        let bundle = self
            .root
            .get("bundles")
            .and_then(Value::as_array)
            .and_then(|b| b.first())
            .and_then(Value::as_object);
        let name = bundle.and_then(|b| b.get("bundle")).and_then(Value::as_str);
        match name {
            Some(n) => App::ALL
                .into_iter()
                .find(|a| a.bundle() == n)
                .map(|a| (a, bundle))
                .ok_or_else(|| {
                    format!("cannot upgrade: the base bundle {n} has no v2 create body known here")
                }),
            None if self
                .root
                .get("version")
                .and_then(Value::as_str)
                .is_some_and(|v| v.starts_with("apache-cassandra")) =>
            {
                Ok((App::Cassandra, None))
            }
            None => Err(
                "cannot upgrade: the body has no bundles[0].bundle to tell the application by"
                    .into(),
            ),
        }
    }

    /// The version of an add-on bundle, if the body has it.
    fn add_on(&self, bundle: &str) -> Option<String> {
        self.root
            .get("bundles")?
            .as_array()?
            .iter()
            .find(|b| b.get("bundle").and_then(Value::as_str) == Some(bundle))
            .map(|b| {
                b.get("version")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            })
    }

    /// `N.N.N` out of a v1 version (`apache-cassandra-3.11.8.ic2` → `3.11.8`, `redis:6.0.9` → `6.0.9`).
    fn version(&mut self, v1: &str, field: &str) -> String {
        let start = v1.find(|c: char| c.is_ascii_digit());
        let found = start.and_then(|s| {
            let parts: Vec<&str> = v1[s..]
                .split('.')
                .take(3)
                .map(|p| p.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""))
                .collect();
            (parts.len() == 3 && parts.iter().all(|p| !p.is_empty())).then(|| parts.join("."))
        });
        match found {
            Some(v) => {
                if v != v1 {
                    self.notes
                        .push(format!("{field}: \"{v1}\" written as \"{v}\""));
                }
                v
            }
            None => {
                self.notes
                    .push(format!("{field}: no N.N.N version in \"{v1}\"; fill it in"));
                v1.to_string()
            }
        }
    }

    /// (racks, nodes per rack) from an extended `rackAllocation`, or a legacy list of racks.
    fn racks(&mut self, r: Option<&Value>) -> Option<(u64, u64)> {
        match r? {
            Value::Object(m) => Some((
                m.get("numberOfRacks").and_then(intish)?,
                m.get("nodesPerRack").and_then(intish)?,
            )),
            Value::Array(list) => {
                let counts: Vec<u64> = list
                    .iter()
                    .filter_map(|r| r.get("nodeCount").and_then(intish))
                    .collect();
                let per = counts.iter().copied().max()?;
                if counts.iter().any(|c| *c != per) {
                    self.notes.push(format!(
                        "rackAllocation: racks of unequal sizes ({counts:?}); v2 spreads nodes evenly, so {per} per rack was used"
                    ));
                }
                Some((counts.len() as u64, per))
            }
            _ => None,
        }
    }

    fn data_centres(
        &mut self,
        app: App,
        racks: Option<(u64, u64)>,
        extra: &Map<String, Value>,
    ) -> Vec<Value> {
        self.used.extend([
            "dataCentres",
            "dataCentre",
            "dataCentreCustomName",
            "clusterNetwork",
            "nodeSize",
        ]);
        let root = self.root;
        let entries: Vec<&Map<String, Value>> = root
            .get("dataCentres")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_object).collect())
            .unwrap_or_default();
        let top = Map::new();
        let singles: Vec<&Map<String, Value>> = if entries.is_empty() {
            vec![&top]
        } else {
            entries
        };
        let mut sizes_noted = Vec::new();
        singles
            .into_iter()
            .enumerate()
            .map(|(i, dc)| {
                let get = |k: &str| dc.get(k).or_else(|| root.get(k));
                let provider = get("provider");
                let cloud = match provider {
                    Some(Value::String(s)) => s.clone(),
                    Some(p) => p.get("name").and_then(Value::as_str).unwrap_or("AWS_VPC").to_string(),
                    None => "AWS_VPC".into(),
                };
                let region = dc
                    .get("dataCentre")
                    .or_else(|| root.get("dataCentre"))
                    .or_else(|| root.get("region").and_then(|r| r.get("dataCentre")))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let name = dc
                    .get("name")
                    .or_else(|| root.get("dataCentreCustomName"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        let n = format!("{cloud}_{region}");
                        self.notes.push(format!(
                            "dataCentres[{i}].name: not given; named {n} (Instaclustr's default)"
                        ));
                        n
                    });
                let network = dc
                    .get("network")
                    .or_else(|| get("clusterNetwork"))
                    .cloned()
                    .unwrap_or_else(|| {
                        self.notes.push(format!(
                            "dataCentres[{i}].network: not given; set to 10.{i}.0.0/16"
                        ));
                        json!(format!("10.{i}.0.0/16"))
                    });
                let size = get("nodeSize")
                    .or_else(|| root.get("size"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if !sizes_noted.contains(&size) {
                    self.notes.push(format!(
                        "dataCentres[{i}].nodeSize: v1 node size \"{size}\" kept as is; v2 size names differ (e.g. CAS-DEV-t4g.small-5) and no published table maps one to the other: replace it"
                    ));
                    sizes_noted.push(size.clone());
                }
                let (r, per) = self
                    .racks(dc.get("rackAllocation"))
                    .or(racks)
                    .unwrap_or_else(|| {
                        self.notes.push(format!(
                            "dataCentres[{i}]: no rackAllocation; 3 racks of 1 node assumed"
                        ));
                        (3, 1)
                    });
                let mut out = Map::new();
                out.insert("name".into(), json!(name));
                out.insert("cloudProvider".into(), json!(cloud));
                out.insert("region".into(), json!(region));
                out.insert("network".into(), network);
                out.insert("nodeSize".into(), json!(size));
                if app != App::Redis {
                    out.insert("numberOfNodes".into(), json!(r * per));
                }
                if app == App::Cassandra {
                    out.insert("replicationFactor".into(), json!(r));
                }
                out.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
                if let Some(p) = provider.and_then(Value::as_object) {
                    self.provider_settings(&cloud, p, &mut out);
                }
                Value::Object(out)
            })
            .collect()
    }

    /// `provider.tags` (a map) → `tags` (a list of {key, value}); account, VPC, resource group and disk key
    /// → `providerAccountName` and the provider's settings block.
    fn provider_settings(
        &mut self,
        cloud: &str,
        p: &Map<String, Value>,
        out: &mut Map<String, Value>,
    ) {
        if let Some(tags) = p.get("tags").and_then(Value::as_object) {
            let list: Vec<Value> = tags
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v.as_str().map_or_else(|| v.to_string(), str::to_string)}))
                .collect();
            out.insert("tags".into(), Value::Array(list));
        }
        if let Some(a) = p.get("accountName").and_then(Value::as_str) {
            out.insert("providerAccountName".into(), json!(a));
        }
        let mut settings = Map::new();
        if let Some(v) = p.get("customVirtualNetworkId") {
            settings.insert("customVirtualNetworkId".into(), v.clone());
        }
        if let Some(v) = p.get("diskEncryptionKey") {
            settings.insert("ebsEncryptionKey".into(), v.clone());
        }
        if let Some(v) = p.get("resourceGroup") {
            settings.insert("resourceGroup".into(), v.clone());
        }
        if settings.is_empty() {
            return;
        }
        let key = match cloud {
            "GCP" => "gcpSettings",
            "AZURE" | "AZURE_AZ" => "azureSettings",
            _ => "awsSettings",
        };
        out.insert(key.into(), json!([settings]));
    }
}

/// (v1 bundle option, v2 field, whether the field is per data centre) for the booleans v2 requires.
fn required_booleans(app: App) -> &'static [(&'static str, &'static str, bool)] {
    match app {
        App::Cassandra => &[
            ("luceneEnabled", "luceneEnabled", false),
            ("authnAuthz", "passwordAndUserAuth", false),
            ("continuousBackupEnabled", "continuousBackup", true),
            ("clientEncryption", "clientToClusterEncryption", true),
            (
                "usePrivateBroadcastRPCAddress",
                "privateIpBroadcastForDiscovery",
                true,
            ),
        ],
        App::Kafka => &[
            ("deleteTopics", "allowDeleteTopics", false),
            ("autoCreateTopics", "autoCreateTopics", false),
            ("clientEncryption", "clientToClusterEncryption", false),
        ],
        App::Redis => &[("clientEncryption", "clientToNodeEncryption", false)],
        App::Zookeeper => &[("clientEncryption", "clientToServerEncryption", true)],
        _ => &[],
    }
}

fn boolish(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn intish(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
