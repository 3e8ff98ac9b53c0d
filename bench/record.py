#!/usr/bin/env python3
"""Put one benchmark's results into docs/BENCHMARKS.md, replacing its section if it is there.

Usage: bench/record.py NAME RESULTS_FILE INTRO
Writes `<!-- NAME:begin -->`, a `## NAME` heading, INTRO (how to reproduce; today's date is appended),
the results, `<!-- NAME:end -->`, then prints the section.
"""
import datetime
import re
import sys

name, results, intro = sys.argv[1:4]
body = open(results).read()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
section = f"{begin}\n## {name}\n\n{intro} Measured {datetime.date.today()}.\n\n{body}{end}"
path = "docs/BENCHMARKS.md"
try:
    doc = open(path).read()
except FileNotFoundError:
    doc = "# Benchmarks\n\nRun on demand, never in CI. Each section names the command that reproduces it.\n"
if begin in doc:
    doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: section, doc, flags=re.S)
else:
    doc = doc.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(doc)
print(section)
