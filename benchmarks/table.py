#!/usr/bin/env python3
"""Turns gst-alloc-bench's JSON into the Markdown tables docs/benchmark.md
shows, so a table is always one run's numbers.

    benchmarks/table.py [RESULTS.json]   (default build/benchmarks/benchmarks-results.json)

A scenario skipped on this machine (no decoder, no vivid) is a row that
says why; "n/a" is an allocation the benchmark cannot see (a real
producer's or consumer's own pool).
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
            print("| %s | %s | %s: %s | | | | |" % (
                scenario["name"], variant,
                "skipped" if run.get("skipped") else "failed",
                run.get("error", "?")))
            continue
        allocated = run["bytes_allocated"]
        print("| %s | %s | %.0f | %.1f | %d | %s | %.1f |" % (
            scenario["name"], variant, run["fps"], run["cpu_us_per_frame"],
            run["bytes_copied_per_frame"],
            "n/a" if allocated is None
            else "%.1f" % (allocated / (1024.0 * 1024.0)),
            run["first_buffer_ms"]))
    throughput = scenario.get("throughput_ours_over_stock")
    cpu = scenario.get("cpu_per_frame_ours_over_stock")
    if throughput:
        print("| | ours/stock | x%.2f | x%.2f | | | |" % (throughput, cpu or 0))
