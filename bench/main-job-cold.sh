#!/usr/bin/env bash
# The main job (examples/sandbox-run) as on a fresh machine: a fresh clone (empty target directory), an empty
# cargo home (every crate downloaded), empty Go module and build caches, an empty cluster-binary cache — all
# in a temporary directory. Prints the wall time; the log stays in that directory.
#
# Usage: bench/main-job-cold.sh [WORKDIR]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
F=${1:-$(mktemp -d)}
mkdir -p "$F"
rm -rf "$F/repo" && git clone -q "$root" "$F/repo" && cd "$F/repo" || exit 1
export CARGO_HOME=$F/cargo GOPATH=$F/go GOCACHE=$F/gocache GOMODCACHE=$F/go/pkg/mod KUBECTL_OSB_CACHE=$F/osbcache
# cargo and rustc stay where rustup put them (their toolchains are not what is measured).
export PATH=$HOME/.cargo/bin:$PATH
s=$(date +%s)
examples/sandbox-run > "$F/log" 2>&1
rc=$?
echo "main job cold: rc=$rc $(( $(date +%s) - s )) s, $(git log --oneline -1); log: $F/log"
