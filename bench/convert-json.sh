#!/usr/bin/env bash
# Throughput of `kubectl osb convert-json` against PyYAML and yq on a 10 KB payload and a 10 MB synthetic
# document, each output checked for exactness (YAML 1.1: PyYAML's libyaml loader; YAML 1.2: serde-saphyr,
# through `convert-json --reverse`). Results go to docs/BENCHMARKS.md by hand; this prints a Markdown table.
#
#   bash bench/convert-json.sh            # builds the release binary first
#   RUNS=5 RUNS_BIG=1 bash bench/convert-json.sh   # repetitions (median) for the 10 KB / 10 MB input
#   SKIP_BUILD=1 bash bench/convert-json.sh   # use an already built target/release binary
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
RUNS_BIG="${RUNS_BIG:-1}"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kubectl-osb-convert-json
BIN="$PWD/target/release/kubectl-osb-convert_json"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export BIN WORK RUNS RUNS_BIG

python3 - <<'PY'
import json, math, os, random, statistics, subprocess, sys, time
import yaml

BIN, WORK, RUNS, RUNS_BIG = os.environ["BIN"], os.environ["WORK"], int(os.environ["RUNS"]), int(os.environ["RUNS_BIG"])
rnd = random.Random(20190910)
TRICKY = ["no", "yes", "on", "off", "Y", "n", "~", "null", "3.10", "2.10", "0755", "0x1F", "1e3", "1:20", "2019-01-01",
          "", " lead", "trail ", "a: b", "#x", "- x", "<<", "=", "Zürich", "日本語", "😀", "multi\nline", "tab\there"]

def payload(i):
    return {
        "clusterName": "bench_cluster_%d" % i,
        "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.%d" % (i % 10),
                     "options": {"authnAuthz": True, "clientEncryption": False, "luceneEnabled": i % 2 == 0}},
                    {"bundle": "SPARK", "version": "apache-spark:2.3.2"}],
        "provider": {"name": "AWS_VPC", "accountName": None,
                     "tags": {"t%d" % k: rnd.choice(TRICKY) for k in range(6)}},
        "slaTier": "NON_PRODUCTION", "nodeSize": "t3.small-v2", "dataCentre": "US_WEST_2",
        "clusterNetwork": "10.%d.0.0/16" % (i % 200),
        "rackAllocation": {"numberOfRacks": str(1 + i % 5), "nodesPerRack": 1 + i % 3},
        "firewallRules": [{"network": "203.0.113.%d/32" % (k % 250), "rules": [{"type": "CASSANDRA"}]} for k in range(4)],
        "numbers": [i, -i, i * 1.25, 12345678901234567890123 + i, 2 ** 63 + i, 1e-7 * (i + 1), 0.1],
        "empty": {"o": {}, "a": [], "s": ""},
    }

def write(name, doc):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
    return path

# 10 KB: one realistic payload, padded with firewall rules to ~10 KB.
small = payload(0)
small["firewallRules"] = [{"network": "198.51.100.%d/32" % k, "rules": [{"type": "CASSANDRA"}, {"type": "SPARK"}]} for k in range(70)]
small_path = write("payload-10k.json", small)
# 10 MB: many payloads in one document.
per = len(json.dumps({"clusters": [payload(k) for k in range(200)]}, ensure_ascii=False, indent=2).encode()) / 200
big = {"clusters": [payload(k) for k in range(int(10 * 1024 * 1024 / per) + 1)]}
big_path = write("synthetic-10m.json", big)

def same(a, b, lax_bigint):
    if isinstance(a, int) and not isinstance(a, bool) and isinstance(b, float) and lax_bigint and abs(a) >= 2 ** 64:
        return float(a) == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k], lax_bigint) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y, lax_bigint) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b

def first_diff(a, b, path=""):
    if type(a) is not type(b) and not (isinstance(a, int) and isinstance(b, float) and abs(a) >= 2 ** 64 and float(a) == b):
        return "%s: %r → %r" % (path or "/", a, b)
    if isinstance(a, dict):
        if list(a) != list(b) and sorted(a) != sorted(b):
            return "%s: keys differ" % (path or "/")
        for k in a:
            d = first_diff(a[k], b[k], path + "/" + k)
            if d: return d
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, "%s/%d" % (path, i))
            if d: return d
    elif a != b and not (isinstance(b, float) and float(a) == b):
        return "%s: %r → %r" % (path or "/", a, b)
    return None

def unordered_same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return sorted(a) == sorted(b) and all(unordered_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(unordered_same(x, y) for x, y in zip(a, b))
    return same(a, b, False)

PYDUMP = "import json,sys,yaml; yaml.safe_dump(json.load(open(sys.argv[1])), sys.stdout)"
PYDUMP_ORDERED = "import json,sys,yaml; yaml.dump(json.load(open(sys.argv[1])), sys.stdout, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)"
tools = [
    ("kubectl osb convert-json --parameters-only", lambda p: [BIN, "--parameters-only", "--no-validate", p]),
    ("python3 -c 'yaml.safe_dump(json.load(…))'", lambda p: ["python3", "-c", PYDUMP, p]),
    ("same, CSafeDumper, sort_keys=False", lambda p: ["python3", "-c", PYDUMP_ORDERED, p]),
    ("yq -y . (/usr/bin/yq: Python yq 3.1.0 = jq + PyYAML)", lambda p: ["yq", "-y", ".", p]),
]

def measure(cmd, runs):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            sys.exit("%s failed: %s" % (cmd, r.stderr.decode()[:500]))
        out = r.stdout
    return statistics.median(times), out

print("| input | tool | median time | MB/s (input) | YAML 1.1 exact (PyYAML/libyaml) | YAML 1.2 exact (serde-saphyr) |")
print("|---|---|---|---|---|---|")
for label, path in [("10 KB payload (%d bytes)" % os.path.getsize(small_path), small_path),
                    ("10 MB synthetic (%d bytes)" % os.path.getsize(big_path), big_path)]:
    want = json.load(open(path, encoding="utf-8"))
    size = os.path.getsize(path)
    for name, cmd in tools:
        t, out = measure(cmd(path), RUNS if size < 1e6 else RUNS_BIG)
        got = yaml.load(out, Loader=yaml.CSafeLoader)
        if same(want, got, False):
            v11 = "yes"
        elif unordered_same(want, got):
            v11 = "no: key order lost (keys sorted)"
        else:
            v11 = "no: " + (first_diff(want, got) or "values differ")
        yfile = os.path.join(WORK, "out.yaml")
        open(yfile, "wb").write(out)
        r = subprocess.run([BIN, "--reverse", "--no-validate", yfile], capture_output=True)
        if r.returncode != 0:
            v12 = "no: unreadable (%s)" % r.stderr.decode().strip().splitlines()[0][:80]
        else:
            back = json.loads(r.stdout)
            if same(want, back, True):
                v12 = "yes (ints > 64 bit at f64 precision: serde-saphyr's limit)"
            elif unordered_same(want, back):
                v12 = "no: key order lost"
            else:
                v12 = "no: " + (first_diff(want, back) or "values differ")
        print("| %s | %s | %s | %.1f | %s | %s |" % (label, name, ("%.1f ms" % (t * 1e3)) if t < 10 else "%.2f s" % t,
                                                   size / t / 1e6, v11, v12))
PY
