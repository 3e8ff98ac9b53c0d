#!/usr/bin/env bash
# Five consecutive runs of the suite on a clean clone (issue 22's proof that it does not flake): a fresh clone
# of HEAD, `CI=true bash .ci/run` (run 1: format, build, lints, every test), then the end-to-end binary four more
# times with each test's time (libtest's --report-time). Prints a summary; the logs stay in the work directory.
#
# Usage: bench/five-runs.sh [WORKDIR]   (default: a new temporary directory)
# Takes about 30 minutes on 2 cores.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
rm -rf "$work/clone" && git clone -q "$root" "$work/clone" && cd "$work/clone" || exit 1
summary="$work/summary"
: > "$summary"
echo "commit $(git log --oneline -1)" | tee -a "$summary"
s=$(date +%s); CI=true bash .ci/run > "$work/run-1.log" 2>&1; rc=$?
echo "run 1 (.ci/run): rc=$rc $(( $(date +%s) - s )) s; $(grep -E '^test result' "$work/run-1.log" \
  | awk '{p += $4; f += $6} END {print p " passed, " f " failed"}')" | tee -a "$summary"
# The same build directory and test threads as tests/run-all.
export CARGO_INCREMENTAL=0
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${KUBECTL_OSB_CACHE:-$HOME/.cache/kubectl-osb}/cargo-target}
eval "$(tests/cluster/build-binaries 2>/dev/null)"
export ETCD_BIN KUBE_APISERVER_BIN KUBE_CONTROLLER_MANAGER_BIN KUBE_SCHEDULER_BIN SERVICE_CATALOG_BIN \
  TEST_BROKER_BIN SVCAT_BIN KWOK_BIN KREW_BIN VALIDATE_KREW_MANIFEST_BIN ACTIONLINT_BIN
for i in 2 3 4 5; do
  s=$(date +%s)
  RUSTC_BOOTSTRAP=1 RUST_TEST_THREADS=${RUST_TEST_THREADS:-8} cargo test -p osb-testkit --test e2e -- -Z unstable-options \
    --report-time > "$work/run-$i.log" 2>&1
  rc=$?
  echo "run $i (e2e): rc=$rc $(( $(date +%s) - s )) s; $(grep '^test result' "$work/run-$i.log" | tail -1)" \
    | tee -a "$summary"
done
echo "logs: $work"
