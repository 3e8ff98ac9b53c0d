#!/usr/bin/env bash
# Benchmark the read verbs' wall time — `kubectl-osb` against `svcat` v0.3.1 and `kubectl`, same answers — on
# the real Service Catalog, and record the results in docs/BENCHMARKS.md (section "read-latency").
# Run on demand, never in CI. Usage: bench/read-latency.sh [--runs N] [--instances N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
eval "$(tests/cluster/build-binaries)"
export ETCD_BIN KUBE_APISERVER_BIN KUBE_CONTROLLER_MANAGER_BIN KUBE_SCHEDULER_BIN SERVICE_CATALOG_BIN \
  TEST_BROKER_BIN SVCAT_BIN KWOK_BIN
cargo build --quiet --release -p kubectl-osb
cargo build --quiet -p osb-testkit --bin bench-read
out=$(mktemp)
target/debug/bench-read --osb target/release/kubectl-osb --svcat "$SVCAT_BIN" --out "$out" "$@"
bench/record.py read-latency "$out" \
    "Reproduce: \`bench/read-latency.sh${*:+ $*}\` (defaults: 25 runs, 3 instances)."
rm -f "$out"
