#!/usr/bin/env bash
# Cold build of the test cluster, as on a fresh machine: empty Go module and build caches and an empty
# binary cache (all in a temporary directory), then tests/cluster/build-binaries. Prints the time of each
# component and the total; a second run against the same cache shows the warm time (nothing rebuilt).
#
#   bench/cold-build.sh            # cold, then warm
# Results go to docs/BENCHMARKS.md by hand (section "test cluster build").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/osb-cold-build.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export GOMODCACHE=$tmp/gomod GOCACHE=$tmp/gocache KUBECTL_OSB_CACHE=$tmp/cache
echo "cores: $(nproc); go: $(go version | cut -d' ' -f3)"
t0=$(date +%s)
"$root/tests/cluster/build-binaries" 2>&1 >/dev/null | grep -E 'building|built in|error' || true
t1=$(date +%s)
echo "cold: $((t1 - t0)) s"
"$root/tests/cluster/build-binaries" >/dev/null 2>&1
echo "warm: $(($(date +%s) - t1)) s"
du -sh "$KUBECTL_OSB_CACHE/bin" | sed 's/^/binary cache: /'
