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
python3 - "$out" "$@" <<'PY'
import re, sys, datetime
body = open(sys.argv[1]).read()
cmd = "bench/wait.sh " + " ".join(sys.argv[2:])
section = (f"<!-- wait:begin -->\n## wait\n\nReproduce: `{cmd.strip()}` (defaults: 30 runs, 1000 instances). "
           f"Measured {datetime.date.today()}.\n\n{body}<!-- wait:end -->")
path = "docs/BENCHMARKS.md"
try:
    doc = open(path).read()
except FileNotFoundError:
    doc = "# Benchmarks\n\nRun on demand, never in CI. Each section names the command that reproduces it.\n"
if "<!-- wait:begin -->" in doc:
    doc = re.sub(r"<!-- wait:begin -->.*?<!-- wait:end -->", lambda m: section, doc, flags=re.S)
else:
    doc = doc.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(doc)
PY
sed -n '/<!-- wait:begin -->/,/<!-- wait:end -->/p' docs/BENCHMARKS.md
