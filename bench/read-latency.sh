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
python3 - "$out" "$@" <<'PY'
import re, sys, datetime
body = open(sys.argv[1]).read()
cmd = " ".join(["bench/read-latency.sh"] + sys.argv[2:])
section = (f"<!-- read-latency:begin -->\n## read-latency\n\nReproduce: `{cmd}` (defaults: 25 runs, 3 instances). "
           f"Measured {datetime.date.today()}.\n\n{body}<!-- read-latency:end -->")
path = "docs/BENCHMARKS.md"
try:
    doc = open(path).read()
except FileNotFoundError:
    doc = "# Benchmarks\n\nRun on demand, never in CI. Each section names the command that reproduces it.\n"
if "<!-- read-latency:begin -->" in doc:
    doc = re.sub(r"<!-- read-latency:begin -->.*?<!-- read-latency:end -->", lambda m: section, doc, flags=re.S)
else:
    doc = doc.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(doc)
PY
rm -f "$out"
sed -n '/<!-- read-latency:begin -->/,/<!-- read-latency:end -->/p' docs/BENCHMARKS.md
