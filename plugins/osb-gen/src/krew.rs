//! Krew manifests: the validation rules of krew's `validate-krew-manifest` (internal/index/validation
//! `ValidatePlugin`, `validatePlatform`, `validateFiles`, `validateSelector`, plus the command's platform
//! coverage, overlap and line-length checks, with line lengths treated as errors), and rendering the
//! krew-release-bot template (`packaging/krew/.krew.yaml`) for archives built locally.

use std::path::Path;

use serde_json::Value;

pub const API_VERSION: &str = "krew.googlecontainertools.github.com/v1alpha2";

/// The `<os, arch>` pairs krew supports (`cmd/validate-krew-manifest`, `allPlatforms`).
pub const PLATFORMS: &[(&str, &str)] = &[
    ("windows", "386"),
    ("windows", "amd64"),
    ("windows", "arm64"),
    ("linux", "386"),
    ("linux", "amd64"),
    ("linux", "arm"),
    ("linux", "arm64"),
    ("linux", "ppc64le"),
    ("darwin", "386"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
];

const WINDOWS_FORBIDDEN: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Validate a manifest file: its name gives the plugin name (`osb.yaml` → `osb`).
pub fn validate_file(path: &Path, text: &str) -> Result<(), String> {
    if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
        return Err("expected manifest extension \".yaml\"".into());
    }
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("no file name")?;
    let manifest: Value = osb::yaml::from_str(text)?;
    validate(name, &manifest)
}

fn s<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or("")
}

/// krew's `IsSafePluginName`.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !WINDOWS_FORBIDDEN
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name))
}

/// krew's semver check: a leading `v`, then MAJOR.MINOR.PATCH with optional -pre and +build.
pub fn is_semver(v: &str) -> bool {
    let Some(v) = v.strip_prefix('v') else {
        return false;
    };
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p == &"0" || !p.starts_with('0'))
        })
}

fn lines_fit(s: &str, max: usize) -> bool {
    s.lines()
        .all(|l| l.chars().count() <= max || !l.trim().contains(' '))
}

/// All the rules, for a plugin called `name`.
pub fn validate(name: &str, p: &Value) -> Result<(), String> {
    if s(p, "/apiVersion") != API_VERSION {
        return Err(format!(
            "plugin manifest has apiVersion={:?}, not supported",
            s(p, "/apiVersion")
        ));
    }
    if s(p, "/kind") != "Plugin" {
        return Err(format!(
            "plugin manifest has kind={:?}, but only \"Plugin\" is supported",
            s(p, "/kind")
        ));
    }
    if !is_safe_name(name) {
        return Err(format!(
            "the plugin name {name:?} is not allowed, must match ^[\\w-]+$"
        ));
    }
    if s(p, "/metadata/name") != name {
        return Err(format!(
            "plugin should be named {name:?}, not {:?}",
            s(p, "/metadata/name")
        ));
    }
    let short = s(p, "/spec/shortDescription");
    if short.is_empty() {
        return Err("should have a short description".into());
    }
    if short.contains(['\r', '\n']) {
        return Err("should not have line breaks in short description".into());
    }
    let platforms = p
        .pointer("/spec/platforms")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if platforms.is_empty() {
        return Err("should have a platform specified".into());
    }
    let version = s(p, "/spec/version");
    if version.is_empty() {
        return Err("should have a version specified".into());
    }
    if !is_semver(version) {
        return Err(format!("failed to parse plugin version {version:?}"));
    }
    for (i, pl) in platforms.iter().enumerate() {
        validate_platform(pl).map_err(|e| format!("platform [{i}] is badly constructed: {e}"))?;
    }
    // validate-krew-manifest's warnings, as errors.
    if !lines_fit(s(p, "/spec/description"), 80) {
        return Err("line length in `description` exceeds 80 characters".into());
    }
    if !lines_fit(short, 70) {
        return Err("line length in `shortDescription` exceeds 70 characters".into());
    }
    if !lines_fit(s(p, "/spec/caveats"), 80) {
        return Err("line length in `caveats` exceeds 80 characters".into());
    }
    for (i, pl) in platforms.iter().enumerate() {
        if !PLATFORMS
            .iter()
            .any(|(os, arch)| matches(&pl["selector"], os, arch))
        {
            return Err(format!(
                "spec.platform[{i}]'s selector doesn't match any supported platforms"
            ));
        }
    }
    for (os, arch) in PLATFORMS {
        let hits: Vec<usize> = platforms
            .iter()
            .enumerate()
            .filter(|(_, pl)| matches(&pl["selector"], os, arch))
            .map(|(i, _)| i)
            .collect();
        if hits.len() > 1 {
            return Err(format!(
                "multiple spec.platforms (at indexes {hits:?}) have overlapping selectors that select os={os}/arch={arch}"
            ));
        }
    }
    Ok(())
}

fn validate_platform(p: &Value) -> Result<(), String> {
    if s(p, "/uri").is_empty() {
        return Err("`uri` has to be set".into());
    }
    let sha = s(p, "/sha256");
    if sha.is_empty() {
        return Err("`sha256` sum has to be set".into());
    }
    if sha.len() != 64
        || !sha
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    {
        return Err(format!(
            "`sha256` value {sha} is not valid, must match pattern ^[a-f0-9]{{64}}$"
        ));
    }
    if s(p, "/bin").is_empty() {
        return Err("`bin` has to be set".into());
    }
    match p.get("files") {
        None | Some(Value::Null) => {}
        Some(Value::Array(ops)) if ops.is_empty() => {
            return Err("`files` is invalid: `files` has to be unspecified or non-empty".into());
        }
        Some(Value::Array(ops)) => {
            for op in ops {
                if s(op, "/from").is_empty() {
                    return Err("`files` is invalid: `from` field has to be set".into());
                }
                if s(op, "/to").is_empty() {
                    return Err("`files` is invalid: `to` field has to be set".into());
                }
            }
        }
        Some(_) => return Err("`files` must be a list".into()),
    }
    let sel = match p.get("selector") {
        None | Some(Value::Null) => {
            return Err("invalid platform selector: nil selector is not supported".into());
        }
        Some(sel) => sel,
    };
    let labels = sel.get("matchLabels").and_then(Value::as_object);
    let exprs = sel.get("matchExpressions").and_then(Value::as_array);
    if labels.is_none() && exprs.is_none_or(|e| e.is_empty()) {
        return Err("invalid platform selector: empty selector is not supported".into());
    }
    let mut keys: Vec<String> = labels
        .map(|l| l.keys().cloned().collect())
        .unwrap_or_default();
    keys.extend(
        exprs
            .into_iter()
            .flatten()
            .map(|e| s(e, "/key").to_string()),
    );
    if let Some(k) = keys.iter().find(|k| *k != "os" && *k != "arch") {
        return Err(format!(
            "invalid platform selector: key {k:?} not supported"
        ));
    }
    if labels.is_some_and(|l| l.is_empty()) {
        return Err("invalid platform selector: `matchLabels` specified but empty".into());
    }
    if exprs.is_some_and(|e| e.is_empty()) {
        return Err("invalid platform selector: `matchExpressions` specified but empty".into());
    }
    Ok(())
}

/// Whether a label selector matches `{os, arch}` (metav1.LabelSelector semantics).
pub fn matches(sel: &Value, os: &str, arch: &str) -> bool {
    let label = |k: &str| match k {
        "os" => Some(os),
        "arch" => Some(arch),
        _ => None,
    };
    if let Some(l) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in l {
            if label(k) != v.as_str() {
                return false;
            }
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let have = label(s(e, "/key"));
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let ok = match s(e, "/operator") {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => have.is_none_or(|h| !values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Render the krew-release-bot template for `tag` like the bot does: `{{ .TagName }}` is the tag, and
/// `{{addURIAndSha "URL" .TagName}}` becomes `uri:` and `sha256:` lines. `sha_of(file name)` gives the
/// sha256 of a locally built archive; platforms without one are left out.
pub fn render_template(
    template: &str,
    tag: &str,
    sha_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    let text = template
        .replace("{{ .TagName }}", tag)
        .replace("{{.TagName}}", tag);
    // Split into the header and the platform items (each starts with "  - selector:").
    let mut parts = text.split("\n  - selector:");
    let mut out = parts.next().unwrap_or_default().to_string();
    for item in parts {
        let mut block = String::from("\n  - selector:");
        let mut keep = true;
        for line in item.split_inclusive('\n') {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix("{{addURIAndSha \"") {
                let url = rest.split('"').next().unwrap_or_default();
                let indent = &line[..line.len() - t.len()];
                let file = url.rsplit('/').next().unwrap_or_default();
                match sha_of(file) {
                    Some(sha) => {
                        block.push_str(&format!("{indent}uri: {url}\n{indent}sha256: {sha}\n"));
                    }
                    None => keep = false,
                }
            } else {
                block.push_str(line);
            }
        }
        if keep {
            out.push_str(&block);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn template() -> String {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/krew/.krew.yaml"),
        )
        .unwrap()
    }

    #[test]
    fn the_release_bot_template_renders_to_a_valid_manifest() {
        let m = render_template(&template(), "v0.1.0", &|_| Some(SHA.to_string()));
        assert!(!m.contains("{{"), "{m}");
        let v: Value = osb::yaml::from_str(&m).unwrap();
        validate("osb", &v).unwrap();
        // What .github/workflows/release.yml builds: linux and darwin on amd64 and arm64, windows amd64.
        let platforms: Vec<String> = v["spec"]["platforms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    s(p, "/selector/matchLabels/os"),
                    s(p, "/selector/matchLabels/arch")
                )
            })
            .collect();
        assert_eq!(
            platforms,
            [
                "linux/amd64",
                "linux/arm64",
                "darwin/amd64",
                "darwin/arm64",
                "windows/amd64"
            ]
        );
        for p in v["spec"]["platforms"].as_array().unwrap() {
            let os = s(p, "/selector/matchLabels/os");
            let arch = s(p, "/selector/matchLabels/arch");
            let exe = if os == "windows" { ".exe" } else { "" };
            assert_eq!(s(p, "/bin"), format!("kubectl-osb{exe}"), "{p}");
            assert!(
                s(p, "/uri").ends_with(&format!("/v0.1.0/kubectl-osb_v0.1.0_{os}_{arch}.tar.gz")),
                "{p}"
            );
        }
        assert!(s(&v, "/spec/caveats").contains("kubectl osb completion install"));
        assert!(s(&v, "/spec/caveats").contains("kubectl osb completion uninstall"));
    }

    #[test]
    fn platforms_without_archives_are_dropped() {
        let m = render_template(&template(), "v0.1.0", &|f| {
            f.contains("linux_amd64").then(|| SHA.to_string())
        });
        let v: Value = osb::yaml::from_str(&m).unwrap();
        validate("osb", &v).unwrap();
        assert_eq!(v["spec"]["platforms"].as_array().unwrap().len(), 1);
    }

    fn minimal() -> Value {
        serde_json::json!({
            "apiVersion": API_VERSION, "kind": "Plugin", "metadata": {"name": "osb"},
            "spec": {"version": "v0.1.0", "shortDescription": "x", "description": "y",
                "platforms": [{"selector": {"matchLabels": {"os": "linux", "arch": "amd64"}},
                    "uri": "https://e/x.tar.gz", "sha256": SHA, "bin": "kubectl-osb"}]}
        })
    }

    #[test]
    fn rules() {
        validate("osb", &minimal()).unwrap();
        assert!(
            validate("other", &minimal())
                .unwrap_err()
                .contains("should be named")
        );
        assert!(validate("CON", &minimal()).is_err());
        let bad = |f: &dyn Fn(&mut Value)| {
            let mut v = minimal();
            f(&mut v);
            validate("osb", &v).unwrap_err()
        };
        assert!(bad(&|v| v["spec"]["version"] = "0.1.0".into()).contains("version"));
        assert!(
            bad(&|v| v["spec"]["platforms"][0]["sha256"] = SHA.to_uppercase().into())
                .contains("sha256")
        );
        assert!(
            bad(&|v| v["spec"]["platforms"][0]["files"] = serde_json::json!([])).contains("files")
        );
        assert!(
            bad(&|v| v["spec"]["platforms"][0]["files"] = serde_json::json!([{"from": "a"}]))
                .contains("`to`")
        );
        assert!(
            bad(&|v| v["spec"]["platforms"][0]["selector"]["matchLabels"]["distro"] = "x".into())
                .contains("distro")
        );
        assert!(
            bad(&|v| v["spec"]["platforms"][0]["selector"]["matchLabels"]["os"] = "plan9".into())
                .contains("doesn't match")
        );
        assert!(bad(&|v| v["spec"]["shortDescription"] = "a\nb".into()).contains("line breaks"));
        assert!(
            bad(&|v| {
                let p = v["spec"]["platforms"][0].clone();
                v["spec"]["platforms"].as_array_mut().unwrap().push(p);
            })
            .contains("overlapping")
        );
        assert!(
            bad(&|v| v["spec"]["platforms"][0]["selector"] =
                serde_json::json!({"matchExpressions": []}))
            .contains("empty")
        );
    }

    #[test]
    fn selectors() {
        let sel = serde_json::json!({"matchExpressions": [{"key": "os", "operator": "In", "values": ["linux", "darwin"]}]});
        assert!(matches(&sel, "linux", "arm64"));
        assert!(!matches(&sel, "windows", "amd64"));
        assert!(is_semver("v1.2.3-rc.1+b5"));
        assert!(!is_semver("v1.2"));
        assert!(!is_semver("v01.2.3"));
    }
}
