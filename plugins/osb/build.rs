//! Embeds what `kubectl osb version` prints: the git commit (from `$OSB_GIT_COMMIT`, else `git rev-parse`,
//! else "unknown") and the kube / k8s-openapi versions locked in the workspace's Cargo.lock.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../..");
    println!("cargo:rerun-if-env-changed=OSB_GIT_COMMIT");
    for p in [
        ".git/HEAD",
        ".git/refs/heads",
        ".git/packed-refs",
        "Cargo.lock",
    ] {
        if root.join(p).exists() {
            println!("cargo:rerun-if-changed={}", root.join(p).display());
        }
    }
    let commit = std::env::var("OSB_GIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git_commit(&root))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=OSB_COMMIT={}", commit.trim());
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    for (krate, var) in [
        ("kube", "OSB_KUBE_VERSION"),
        ("k8s-openapi", "OSB_K8S_OPENAPI_VERSION"),
    ] {
        println!(
            "cargo:rustc-env={var}={}",
            locked_version(&lock, krate).unwrap_or_else(|| "unknown".into())
        );
    }
}

fn git_commit(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(root)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The version of `[[package]] name = "<krate>"` in a Cargo.lock.
fn locked_version(lock: &str, krate: &str) -> Option<String> {
    let needle = format!("name = \"{krate}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let end = lock[start..].find('"')? + start;
    Some(lock[start..end].to_string())
}
