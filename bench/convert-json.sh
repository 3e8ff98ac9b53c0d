#!/usr/bin/env bash
# Throughput and peak memory of `kubectl osb convert-json` against PyYAML and yq, each output checked for
# exactness (YAML 1.1: PyYAML's libyaml loader; YAML 1.2: serde-saphyr, through `convert-json --reverse`).
# Inputs: a 10 KB payload, a 10 MB synthetic document (many payloads in one object), and two 10 MB create
# bodies that validate: a v1 body and a v2 Cassandra body, each with many data centres of many tags.
# Each row: median wall time, MB/s from it and from the fastest run, median CPU time (user + system:
# steadier than wall time when other work shares the machine) and peak RSS (from /usr/bin/time). Results
# go to docs/BENCHMARKS.md by hand; this prints a Markdown table.
#
#   bash bench/convert-json.sh            # builds the release binary first
#   RUNS=5 RUNS_BIG=3 bash bench/convert-json.sh   # repetitions (median) for the 10 KB / 10 MB inputs
#   SKIP_BUILD=1 bash bench/convert-json.sh   # use an already built target/release binary
#   BIN=/path/to/kubectl-osb-convert_json SKIP_BUILD=1 bash bench/convert-json.sh   # another binary
#   CJ_ONLY=1 bash bench/convert-json.sh   # convert-json's rows only (no Python, no yq)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
RUNS_BIG="${RUNS_BIG:-1}"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kubectl-osb-convert-json
BIN="${BIN:-$PWD/target/release/kubectl-osb-convert_json}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CJ_ONLY="${CJ_ONLY:-}"
export BIN WORK RUNS RUNS_BIG CJ_ONLY

python3 - <<'PY'
import json, math, os, random, resource, statistics, subprocess, sys, time
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

def grown(body, dc, target):
    """`body` with as many data centres `dc(i)` as make about `target` bytes of indented JSON."""
    body["dataCentres"] = [dc(i) for i in range(10)]
    per = len(json.dumps(body, ensure_ascii=False, indent=2).encode()) / 10
    body["dataCentres"] = [dc(i) for i in range(int(target / per) + 1)]
    return body

TAGS_PER_DC = 1000

def v1_body(target):
    """A valid v1 extended create body: Cassandra and Spark, data centres with many provider tags."""
    def dc(i):
        return {"name": "DC_%d" % i, "dataCentre": "US_EAST_1", "network": "10.%d.0.0/16" % (i % 256),
                "nodeSize": "t3.small-v2", "rackAllocation": {"numberOfRacks": "3", "nodesPerRack": 1},
                "provider": {"name": "AWS_VPC", "accountName": None,
                             "tags": {"tag-%d-%d" % (i, k): rnd.choice(TRICKY) for k in range(TAGS_PER_DC)}}}
    return grown({"clusterName": "bench_v1_body",
                  "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.8",
                               "options": {"authnAuthz": True, "clientEncryption": False, "luceneEnabled": False}},
                              {"bundle": "SPARK", "version": "apache-spark:2.3.2"}],
                  "provider": {"name": "AWS_VPC"}, "slaTier": "NON_PRODUCTION", "nodeSize": "t3.small-v2",
                  "firewallRules": [{"network": "203.0.113.%d/32" % k, "rules": [{"type": "CASSANDRA"}]} for k in range(20)]},
                 dc, target)

def v2_body(target):
    """A valid Instaclustr v2 Cassandra create body: data centres (unique names) with many {key, value} tags."""
    def dc(i):
        return {"name": "dc-%d" % i, "cloudProvider": "AWS_VPC", "region": "US_EAST_1",
                "network": "10.%d.0.0/16" % (i % 256), "nodeSize": "CAS-DEV-t4g.small-5", "numberOfNodes": 3,
                "replicationFactor": 3, "continuousBackup": i % 2 == 0, "clientToClusterEncryption": False,
                "privateIpBroadcastForDiscovery": False,
                "tags": [{"key": "tag-%d-%d" % (i, k), "value": rnd.choice(TRICKY)} for k in range(TAGS_PER_DC)]}
    return grown({"name": "bench-v2-body", "cassandraVersion": "4.1.3", "slaTier": "NON_PRODUCTION",
                  "pciComplianceMode": False, "privateNetworkCluster": False, "luceneEnabled": False,
                  "passwordAndUserAuth": True, "description": "A v2 body of many data centres with many tags"},
                 dc, target)

# 10 KB: one realistic payload, padded with firewall rules to ~10 KB.
small = payload(0)
small["firewallRules"] = [{"network": "198.51.100.%d/32" % k, "rules": [{"type": "CASSANDRA"}, {"type": "SPARK"}]} for k in range(70)]
small_path = write("payload-10k.json", small)
# 10 MB: many payloads in one document.
per = len(json.dumps({"clusters": [payload(k) for k in range(200)]}, ensure_ascii=False, indent=2).encode()) / 200
big = {"clusters": [payload(k) for k in range(int(10 * 1024 * 1024 / per) + 1)]}
big_path = write("synthetic-10m.json", big)
v1_path = write("v1-body-10m.json", v1_body(10 * 1024 * 1024))
v2_path = write("v2-body-10m.json", v2_body(10 * 1024 * 1024))

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

# Does this build validate v2 bodies (osb::instaclustr::v2, detected by the version field)?
help_text = subprocess.run([BIN, "--help"], capture_output=True, text=True).stdout
V2_VALIDATES = "--api" in help_text

CJ = "kubectl osb convert-json"
PYDUMP = "import json,sys,yaml; yaml.safe_dump(json.load(open(sys.argv[1])), sys.stdout)"
PYDUMP_ORDERED = "import json,sys,yaml; yaml.dump(json.load(open(sys.argv[1])), sys.stdout, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)"
# (name, command, output is a whole ServiceInstance)
NO_VALIDATE = ("%s --parameters-only --no-validate" % CJ, lambda p: [BIN, "--parameters-only", "--no-validate", p], False)
VALIDATE = ("%s --parameters-only (validation on)" % CJ, lambda p: [BIN, "--parameters-only", p], False)
MANIFEST = ("%s (no flags: validation on, whole ServiceInstance)" % CJ, lambda p: [BIN, p], True)
PY_ORDERED = ("python3: json.load + yaml.dump(CSafeDumper, sort_keys=False)", lambda p: ["python3", "-c", PYDUMP_ORDERED, p], False)
PY_SAFE = ("python3 -c 'yaml.safe_dump(json.load(…))'", lambda p: ["python3", "-c", PYDUMP, p], False)
YQ = ("yq -y . (/usr/bin/yq: Python yq 3.1.0 = jq + PyYAML)", lambda p: ["yq", "-y", ".", p], False)

def v2_rows():
    if V2_VALIDATES:
        return [MANIFEST, VALIDATE, NO_VALIDATE, PY_ORDERED]
    label = " [this build has no v2 validator: run with --no-validate]"
    return [(MANIFEST[0] + label, lambda p: [BIN, "--no-validate", p], True),
            (VALIDATE[0] + label, NO_VALIDATE[1], False), NO_VALIDATE, PY_ORDERED]

inputs = [
    ("10 KB payload (%d bytes)" % os.path.getsize(small_path), small_path, [NO_VALIDATE, VALIDATE, PY_SAFE, PY_ORDERED, YQ]),
    ("10 MB synthetic (%d bytes)" % os.path.getsize(big_path), big_path, [NO_VALIDATE, PY_SAFE, PY_ORDERED, YQ]),
    ("10 MB v1 body (%d bytes)" % os.path.getsize(v1_path), v1_path, [MANIFEST, VALIDATE, NO_VALIDATE, PY_ORDERED]),
    ("10 MB v2 body (%d bytes)" % os.path.getsize(v2_path), v2_path, v2_rows()),
]

def measure(cmd, runs):
    """Median wall time and median CPU time (user + system) of whole process runs (stdout to a file), then
    the peak RSS of one more run under /usr/bin/time: a process forked from this Python would carry
    Python's own high-water mark. CPU time hardly moves when other work shares the machine; wall time does."""
    times, cpu = [], []
    out_path, err_path = os.path.join(WORK, "out.yaml"), os.path.join(WORK, "err.txt")
    for _ in range(runs):
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            status = subprocess.run(cmd, stdout=out, stderr=err).returncode
            times.append(time.perf_counter() - t)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        if status != 0:
            sys.exit("%s failed: %s" % (cmd, open(err_path, "rb").read().decode()[:500]))
    rss_path = os.path.join(WORK, "rss.txt")
    with open(os.devnull, "wb") as null:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_path] + cmd, stdout=null, stderr=null, check=True)
    rss_kib = int(open(rss_path).read().split()[-1])
    return statistics.median(times), min(times), statistics.median(cpu), rss_kib, open(out_path, "rb").read()

def exact(want, got, f64_ints, yes, unordered):
    """Whether `got` is `want` exactly: `yes`, `unordered` (same but for key order), or the first difference."""
    if same(want, got, f64_ints):
        return yes
    if unordered_same(want, got):
        return unordered
    return "no: " + (first_diff(want, got) or "values differ")

def duration(t):
    return ("%.1f ms" % (t * 1e3)) if t < 10 else "%.2f s" % t

print("| input | tool | median time | MB/s (input) | MB/s, fastest run | median CPU time | peak RSS | YAML 1.1 exact (PyYAML/libyaml) | YAML 1.2 exact (serde-saphyr) |")
print("|---|---|---|---|---|---|---|---|---|")
for label, path, tools in inputs:
    if os.environ["CJ_ONLY"]:
        tools = [t for t in tools if t[0].startswith(CJ)]
    want = json.load(open(path, encoding="utf-8"))
    size = os.path.getsize(path)
    for name, cmd, manifest in tools:
        t, fastest, cpu, rss, out = measure(cmd(path), RUNS if size < 1e6 else RUNS_BIG)
        got = yaml.load(out, Loader=yaml.CSafeLoader)
        if manifest:
            got = got["spec"]["parameters"]
        v11 = exact(want, got, False, "yes", "no: key order lost (keys sorted)")
        yfile = os.path.join(WORK, "out.yaml")
        r = subprocess.run([BIN, "--reverse", "--no-validate", yfile], capture_output=True)
        if r.returncode != 0:
            v12 = "no: unreadable (%s)" % r.stderr.decode().strip().splitlines()[0][:80]
        else:
            v12 = exact(want, json.loads(r.stdout), True,
                        "yes (ints > 64 bit at f64 precision: serde-saphyr's limit)", "no: key order lost")
        print("| %s | %s | %s | %.1f | %.1f | %s | %.0f MiB | %s | %s |" % (
            label, name, duration(t), size / t / 1e6, size / fastest / 1e6, duration(cpu), rss / 1024, v11, v12),
            flush=True)
PY
