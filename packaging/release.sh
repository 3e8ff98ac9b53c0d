#!/usr/bin/env bash
# Build the release archive of the kubectl-osb suite for one target (what krew installs), and the krew
# manifest for every archive of the tag built so far.
#
#   packaging/release.sh [--target TRIPLE] [--out DIR] [--tag vX.Y.Z]
#   packaging/release.sh --from DIR …      package binaries already built in DIR (no cargo build), e.g.
#                                          target/debug: what the tests do (release builds are slow);
#                                          also settable as OSB_RELEASE_FROM=DIR
#
# Default: `cargo build --release -p kubectl-osb -p osb-gen [--target TRIPLE]`, tag v<workspace version>,
# out dist/. Writes:
#   DIR/kubectl-osb_<tag>_<os>_<arch>.tar.gz   the one binary kubectl-osb (every verb in-process; .exe on
#                                              Windows), LICENSE, README.md, its bash/zsh/fish completion
#                                              scripts in completions/, every man page in man/man1/
#   DIR/kubectl-osb_<tag>_<os>_<arch>.tar.gz.sha256
#   DIR/osb.yaml   krew manifest for the archives of <tag> in DIR (and only those), rendered from
#                  packaging/krew/.krew.yaml (the krew-release-bot template) and checked with krew's rules;
#                  test with kubectl krew install --manifest=DIR/osb.yaml --archive=DIR/kubectl-osb_….tar.gz
# The archive is reproducible: sorted names, owner 0, mtime of the last commit, gzip -n.
# The separate kubectl-osb-VERB binaries are for install.sh (PATH users), not in the archive.
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
    -h|--help) sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
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

exe=""
[ "$os" = windows ] && exe=.exe
if [ -z "$FROM" ]; then
  if [ -n "$TARGET" ]; then
    (cd "$ROOT" && cargo build --release -p kubectl-osb --target "$TARGET")
    (cd "$ROOT" && cargo build --release -p osb-gen)  # runs on the build machine
    FROM="$ROOT/target/$TARGET/release"
    GEN="$ROOT/target/release/osb-gen"
  else
    (cd "$ROOT" && cargo build --release -p kubectl-osb -p osb-gen)
    FROM="$ROOT/target/release"
  fi
fi
GEN=${GEN:-$FROM/osb-gen}
[ -x "$GEN" ] || { echo "error: $GEN not found: build osb-gen first (cargo build -p osb-gen)" >&2; exit 1; }
[ -f "$FROM/kubectl-osb$exe" ] || { echo "error: $FROM/kubectl-osb$exe not found: build it first" >&2; exit 1; }

name="kubectl-osb_${TAG}_${os}_${arch}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/completions/bash" "$stage/completions/zsh" "$stage/completions/fish" "$stage/man/man1"
install -m 0755 "$FROM/kubectl-osb$exe" "$stage/kubectl-osb$exe"
install -m 0644 "$ROOT/LICENSE" "$stage/LICENSE"
[ -f "$ROOT/README.md" ] && install -m 0644 "$ROOT/README.md" "$stage/README.md"
install -m 0644 "$ROOT/completions/bash/kubectl-osb" "$stage/completions/bash/kubectl-osb"
install -m 0644 "$ROOT/completions/zsh/_kubectl-osb" "$stage/completions/zsh/_kubectl-osb"
install -m 0644 "$ROOT/completions/fish/kubectl-osb.fish" "$stage/completions/fish/kubectl-osb.fish"
"$GEN" man --dir "$stage/man/man1"
chmod 0644 "$stage"/man/man1/*

epoch=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}
(cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
  tar --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --no-recursion -cf - -T - |
  gzip -n -9 >"$OUT/$name.tar.gz")
(cd "$OUT" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

"$GEN" krew-manifest "$ROOT/packaging/krew/.krew.yaml" "$TAG" "$OUT" >"$OUT/osb.yaml"
"$GEN" validate-krew "$OUT/osb.yaml" >/dev/null
echo "$OUT/$name.tar.gz"
echo "$OUT/osb.yaml"
