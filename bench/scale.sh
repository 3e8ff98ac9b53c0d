#!/usr/bin/env bash
# The scale benchmark (issue 17): 10,000 ServiceInstances in 100 namespaces and a broker with 1,000 plans on a
# local control plane with the real Service Catalog; our commands side by side with kubectl and svcat v0.3.1 on
# the same objects, one at a time; then one `wait -l` on every instance. Records the results in
# docs/BENCHMARKS.md (section "scale").
#
# Usage: bench/scale.sh [--instances N] [--namespaces M] [--plans P] [--classes C] [--runs R]
#                       [--concurrency K] [--skip-kubectl-wait] [--no-record]
# Defaults: 10000 instances, 100 namespaces, 1000 plans in 10 classes, 3 runs, 32 writes in flight.
# Smoke test: bench/scale.sh --instances 200 --namespaces 10 --plans 10 --runs 1 --no-record
# Progress goes to stderr; the full run takes about 15 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

record=1
args=()
for a in "$@"; do
    case "$a" in
        --no-record) record=0 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) args+=("$a") ;;
    esac
done

echo "[scale.sh] building the test cluster's binaries (cached) and the release binaries" >&2
eval "$(tests/cluster/build-binaries)"
export ETCD_BIN KUBE_APISERVER_BIN KUBE_CONTROLLER_MANAGER_BIN KUBE_SCHEDULER_BIN SERVICE_CATALOG_BIN \
    TEST_BROKER_BIN SVCAT_BIN KWOK_BIN
cargo build --quiet --release -p kubectl-osb
cargo build --quiet --release -p osb-testkit --bin bench-scale

# Private copies: a build in the same tree during the run does not change what is measured.
work=$(mktemp -d)
cp target/release/kubectl-osb target/release/bench-scale "$work/"
out="$work/results.md"
built="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- shared plugins Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    built="$built + uncommitted changes"
fi
driver=
cleanup() {
    # The driver's children (control plane, catalog, measured commands) die with it (parent-death signal).
    if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then
        kill "$driver" 2>/dev/null || true
        sleep 1
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
"$work/bench-scale" --osb "$work/kubectl-osb" --out "$out" --base-dir "$work" ${args[@]+"${args[@]}"} &
driver=$!
wait "$driver"
driver=
echo "[scale.sh] done in $(( $(date +%s) - start )) s" >&2

if [ "$record" = 0 ]; then
    cat "$out"
    exit 0
fi
bench/record.py scale "$out" "Reproduce: \`bench/scale.sh${args[*]+ ${args[*]}}\` (defaults: 10,000 instances \
in 100 namespaces, 1,000 plans in 10 classes, 3 runs; smoke test: \`bench/scale.sh --instances 200 --namespaces 10 \
--plans 10 --runs 1 --no-record\`), \`kubectl-osb\` built from $built."
