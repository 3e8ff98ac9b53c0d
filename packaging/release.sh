#!/usr/bin/env bash
# Build the release archive of the kubectl-osb suite for one target, and the krew manifest for it.
#
#   packaging/release.sh [--target TRIPLE] [--out DIR] [--tag vX.Y.Z]
#   packaging/release.sh --from DIR …      package binaries already built in DIR (no cargo build), e.g.
#                                          target/debug: what the tests do (release builds are slow);
#                                          also settable as OSB_RELEASE_FROM=DIR
#
# Default: `cargo build --release --bins [--target TRIPLE]`, tag v<workspace version>, out dist/.
# Writes:
#   DIR/kubectl-osb_<tag>_<os>_<arch>.tar.gz         every binary, LICENSE, README.md, completions/, man/
#   DIR/kubectl-osb_<tag>_<os>_<arch>.tar.gz.sha256
#   DIR/osb.yaml   krew manifest for every archive of <tag> in DIR, rendered from packaging/krew/.krew.yaml
#                  (the krew-release-bot template) and checked with krew's validation rules; test with
#                  kubectl krew install --manifest=DIR/osb.yaml --archive=DIR/kubectl-osb_….tar.gz
# The archive is reproducible: sorted names, owner 0, mtime of the last commit, gzip -n.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=""
OUT="$ROOT/dist"
TAG=""
FROM="${OSB_RELEASE_FROM:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --tag) TAG=${2:?}; shift 2 ;;
    --from) FROM=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ -z "$TAG" ]; then
  version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")
  TAG="v$version"
fi

triple=${TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
case "$triple" in
  x86_64-*) arch=amd64 ;;
  aarch64-*|arm64-*) arch=arm64 ;;
  i686-*|i586-*) arch=386 ;;
  armv7-*|arm-*) arch=arm ;;
  powerpc64le-*) arch=ppc64le ;;
  *) echo "error: unknown architecture in $triple" >&2; exit 1 ;;
esac
case "$triple" in
  *-linux-*) os=linux ;;
  *-apple-darwin) os=darwin ;;
  *-windows-*) os=windows ;;
  *) echo "error: unknown OS in $triple" >&2; exit 1 ;;
esac

if [ -z "$FROM" ]; then
  if [ -n "$TARGET" ]; then
    (cd "$ROOT" && cargo build --release --bins --target "$TARGET")
    (cd "$ROOT" && cargo build --release -p osb-gen)  # runs on the build machine
    FROM="$ROOT/target/$TARGET/release"
    GEN="$ROOT/target/release/osb-gen"
  else
    (cd "$ROOT" && cargo build --release --bins)
    FROM="$ROOT/target/release"
  fi
fi
GEN=${GEN:-$FROM/osb-gen}
[ -x "$GEN" ] || { echo "error: $GEN not found: build the workspace binaries first" >&2; exit 1; }

name="kubectl-osb_${TAG}_${os}_${arch}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/completions" "$stage/man/man1"
while read -r b; do
  [ -x "$FROM/$b" ] || { echo "error: $FROM/$b not found" >&2; exit 1; }
  install -m 0755 "$FROM/$b" "$stage/$b"
done < <("$GEN" bins)
install -m 0644 "$ROOT/LICENSE" "$stage/LICENSE"
[ -f "$ROOT/README.md" ] && install -m 0644 "$ROOT/README.md" "$stage/README.md"
cp -R "$ROOT/completions/." "$stage/completions/"
"$GEN" man --dir "$stage/man/man1"

epoch=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}
(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
  tar --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --no-recursion -cf - -T - |
  gzip -n -9 >"$OUT/$name.tar.gz")
(cd "$OUT" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

"$GEN" krew-manifest "$ROOT/packaging/krew/.krew.yaml" "$TAG" "$OUT" >"$OUT/osb.yaml"
"$GEN" validate-krew "$OUT/osb.yaml" >/dev/null
echo "$OUT/$name.tar.gz"
echo "$OUT/osb.yaml"
