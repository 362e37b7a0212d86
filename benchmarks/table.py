#!/usr/bin/env python3
"""Turns gst-alloc-bench's JSON into the Markdown table docs/benchmark.md
shows, so the table is always one run's numbers.

    benchmarks/table.py [RESULTS.json]   (default build/benchmarks/benchmarks-results.json)
"""
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    root, "build", "benchmarks", "benchmarks-results.json")

with open(path, encoding="utf-8") as f:
    results = json.load(f)

print("| scenario | run | frames/s | CPU µs/frame | copied B/frame "
      "| alloc MiB | 1st ms |")
print("|---|---|---|---|---|---|---|")
for scenario in results["scenarios"]:
    for variant in ("ours", "stock", "floor"):
        run = scenario["runs"].get(variant)
        if not run:
            continue
        if not run.get("ok", False):
            print("| %s | %s | failed | | | | |" % (scenario["name"], variant))
            continue
        print("| %s | %s | %.0f | %.1f | %d | %.1f | %.1f |" % (
            scenario["name"], variant, run["fps"], run["cpu_us_per_frame"],
            run["bytes_copied_per_frame"],
            run["bytes_allocated"] / (1024.0 * 1024.0),
            run["first_buffer_ms"]))
    ratio = scenario.get("throughput_ours_over_stock")
    if ratio is not None:
        print("| | ours/stock | x%.2f | | | | |" % ratio)
