#!/usr/bin/env bash
# The krew archive and its one binary next to the per-verb binaries: sizes, and start-up time.
#
#   bench/krew-archive.sh                       # cargo build --release --bins, then measure
#   SKIP_BUILD=1 RUNS=50 bench/krew-archive.sh  # measure what target/release holds
#
# Prints Markdown: the size of every release binary, of the krew archive that packaging/release.sh
# makes from target/release (gzip -9), and the wall time (median and p95 of RUNS runs, each a whole
# process started from Python's subprocess, so about 1 ms of that is Python's fork/exec) and peak RSS of
# `kubectl-osb --help`, `kubectl-osb provision --help`, `kubectl-osb-provision --help` and
# `kubectl-osb version` (peak RSS from /usr/bin/time). Results go to docs/BENCHMARKS.md by hand ("Binary sizes").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-50}
rel="$root/target/release"
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$root" && cargo build --release --bins)
fi
dist=$(mktemp -d)
trap 'rm -rf "$dist"' EXIT
"$root/packaging/release.sh" --from "$rel" --out "$dist" >/dev/null

echo "rustc: $(rustc -V | cut -d' ' -f2); cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| file | bytes | MiB |"
echo "|---|---:|---:|"
total=0
while read -r b; do
  n=$(stat -c %s "$rel/$b")
  total=$((total + n))
  printf '| `%s` | %s | %.1f |\n' "$b" "$(printf "%'d" "$n")" "$(echo "$n / 1048576" | bc -l)"
done < <("$rel/osb-gen" bins)
printf '| all %s binaries | %s | %.1f |\n' "$("$rel/osb-gen" bins | wc -l)" "$(printf "%'d" "$total")" \
  "$(echo "$total / 1048576" | bc -l)"
for a in "$dist"/*.tar.gz; do
  n=$(stat -c %s "$a")
  printf '| krew archive `%s` | %s | %.1f |\n' "$(basename "$a")" "$(printf "%'d" "$n")" \
    "$(echo "$n / 1048576" | bc -l)"
done
echo
python3 - "$rel" "$runs" <<'EOF'
import statistics, subprocess, sys, time
rel, runs = sys.argv[1], int(sys.argv[2])
cases = [
    ("kubectl-osb --help", [f"{rel}/kubectl-osb", "--help"]),
    ("kubectl-osb provision --help", [f"{rel}/kubectl-osb", "provision", "--help"]),
    ("kubectl-osb-provision --help", [f"{rel}/kubectl-osb-provision", "--help"]),
    ("kubectl-osb version", [f"{rel}/kubectl-osb", "version"]),
]
print(f"| command ({runs} runs) | median | p95 | peak RSS |")
print("|---|---:|---:|---:|")
for name, argv in cases:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    # Peak RSS from GNU time (a fork of Python would count Python's own pages).
    rss = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True).stderr.strip().splitlines()[-1]
    print(f"| `{name}` | {statistics.median(times):.1f} ms | {p95:.1f} ms | {int(rss) / 1024:.1f} MB |")
EOF
