#!/usr/bin/env python3
"""Summarise meson's testlog.json for gst-alloc.

Prints one line per test binary, the output of skipped tests (their reason),
and last the line

    gst-alloc: N passed, M failed, K skipped

N counts passed GstCheck checks, plus 1 for each passing binary that is not a
GstCheck suite (the format check).  M counts failed checks (failures and
errors); a failing binary that reported no failed check (crash, timeout,
exit 1 before the suite ran) counts as 1.  K counts skipped binaries.

Exits 1 if M > 0 or if no test ran at all.
"""

import json
import re
import sys

CHECKS_RE = re.compile(
    r"^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)", re.MULTILINE)

PASS_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIP_RESULTS = {"SKIP"}


def short_name(name):
    # meson writes "project:suite / name"
    return name.split(" / ", 1)[-1]


def read_log(path):
    runs = []
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                try:
                    runs.append(json.loads(line))
                except json.JSONDecodeError:
                    # Another run rewriting the log under us: a line we
                    # cannot read is a failure to report, not to hide.
                    runs.append({"name": "unreadable log line",
                                 "result": "ERROR", "stdout": line[:200]})
    except FileNotFoundError:
        pass
    return runs


def checks_of(run):
    """(checks, failed) summed over the GstCheck result lines, or None."""
    text = (run.get("stdout") or "") + "\n" + (run.get("stderr") or "")
    found = CHECKS_RE.findall(text)
    if not found:
        return None
    checks = sum(int(c) for c, _, _ in found)
    failed = sum(int(f) + int(e) for _, f, e in found)
    return checks, failed


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "build/meson-logs/testlog.json"
    runs = sorted(read_log(path), key=lambda r: short_name(r["name"]))
    passed = failed = skipped = 0
    skip_notes = []

    if runs:
        print("gst-alloc: results")
    width = max((len(short_name(r["name"])) for r in runs), default=0)
    for run in runs:
        name = short_name(run["name"])
        result = run.get("result", "?")
        counts = checks_of(run)

        if result in SKIP_RESULTS:
            skipped += 1
            detail = "skipped"
            out = (run.get("stdout") or "").strip()
            skip_notes.append(out if out else "%s: (no reason printed)" % name)
        elif counts is None:
            # Not a GstCheck suite, or one that died before its summary.
            if result in PASS_RESULTS:
                passed += 1
                detail = "passed, no Checks line (counted as 1)"
            else:
                failed += 1
                detail = "failed, no Checks line (counted as 1)"
        else:
            checks, bad = counts
            detail = "%d checks, %d failed" % (checks, bad)
            passed += checks - bad
            if result in PASS_RESULTS:
                failed += bad
            else:
                failed += max(bad, 1)

        print("  %-*s  %-8s %s" % (width, name, result, detail))

    for note in skip_notes:
        for line in note.splitlines():
            print("  " + line)

    if not runs:
        print("gst-alloc: no test ran (nothing in %s)" % path)
    print("gst-alloc: %d passed, %d failed, %d skipped"
          % (passed, failed, skipped))
    return 1 if failed or not runs else 0


if __name__ == "__main__":
    sys.exit(main())
