#!/usr/bin/env bash
# The cost of the parameter schema check that provision and bind run before any write: compile the
# plan's JSON Schema and validate the largest Instaclustr fixture payload, in a release build. Prints a
# Markdown table (copied into docs/BENCHMARKS.md, section "schema check").
#
#   bash bench/schema-check.sh              # 2000 runs per measurement
#   bash bench/schema-check.sh --runs 500
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p osb-testkit --bin bench-schema
target/release/bench-schema "$@"
