#!/usr/bin/env bash
# Benchmark `kubectl osb wait` against `kubectl wait` on a local control plane and record the results in
# docs/BENCHMARKS.md (section "wait"). Usage: bench/wait.sh [--runs N] [--many N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
eval "$(tests/cluster/build-binaries)"
export ETCD_BIN KUBE_APISERVER_BIN
cargo build --quiet --release -p kubectl-osb-wait
cargo build --quiet -p osb-testkit --bin bench-wait
# Private copies: a build in the same tree during the run does not change what is measured (and the driver
# starts every waiter through itself, its launcher mode, so its executable must stay in place).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp target/release/kubectl-osb-wait target/debug/bench-wait "$work/"
out="$work/results.md"
"$work/bench-wait" --waiter "$work/kubectl-osb-wait" --out "$out" "$@"
bench/record.py wait "$out" "Reproduce: \`bench/wait.sh${*:+ $*}\` (defaults: 30 runs, 1000 instances)."
