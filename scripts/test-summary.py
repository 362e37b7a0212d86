#!/usr/bin/env python3
"""Summarise meson's testlog.json files for gst-alloc.

    scripts/test-summary.py [LOG]
    scripts/test-summary.py --platform LABEL LOG [--platform LABEL LOG]...
                            [--command LABEL STATUS OUTPUT]...
                            [--broken LABEL REASON]...

Prints, for each platform (one build directory's log: Debian 12, the
sanitized build, Debian 13 ...), one line per test binary, the output of
skipped tests (their reason) and the platform's counts; last the line

    gst-alloc: N passed, M failed, K skipped

counting every platform.  --command LABEL STATUS OUTPUT counts a run that
is not a meson test (the fuzzer) as one test: exit STATUS 0 passed, 77
skipped (its SKIP line from the file OUTPUT shown), anything else failed.
--broken LABEL REASON reports a platform that
failed before or outside its tests (a build that failed, a root that could
not be made); it counts as 1 failed.

N counts passed GstCheck checks, plus 1 for each passing binary that is not a
GstCheck suite (the format check).  M counts failed checks (failures and
errors); a failing binary that reported no failed check (crash, timeout,
exit 1 before the suite ran) counts as 1.  K counts skipped binaries.

A test that runs others inside a VM (tests/kernel/run-suite) prints one line
per inner test, "vm-test: NAME RESULT [checks=N failed=M] ...": those are
listed and counted like binaries of their own, and the VM test counts 1 failed
only if it failed with no failing inner test (the VM itself failed).

A sanitizer report (AddressSanitizer, LeakSanitizer, UBSan "runtime
error:") in a test's output fails that test even if it exited 0.

Exits 1 if M > 0 or if no test ran at all.
"""

import argparse
import json
import re
import sys

CHECKS_RE = re.compile(
    r"^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)", re.MULTILINE)

VM_TEST_RE = re.compile(
    r"^vm-test: (\S+) (PASS|FAIL|SKIP)(?: checks=(\d+) failed=(\d+))?(.*)$",
    re.MULTILINE)

SANITIZER_RE = re.compile(
    r"^==\d+==ERROR: (?:AddressSanitizer|LeakSanitizer)|: runtime error: ",
    re.MULTILINE)

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


def vm_tests_of(run):
    """[(name, result, checks or None, failed or None, rest)] of a VM run."""
    found = VM_TEST_RE.findall(run.get("stdout") or "")
    return [(n, r, int(c) if c else None, int(f) if f else None, rest.strip())
            for n, r, c, f, rest in found]


def count_vm_tests(vm_tests, run_passed):
    """(passed, failed, skipped, rows) for the inner tests of a VM run."""
    passed = failed = skipped = 0
    rows = []
    for name, result, checks, bad, rest in vm_tests:
        if result == "SKIP":
            skipped += 1
            detail = "skipped"
        elif checks is None:
            ok = result == "PASS"
            passed += ok
            failed += not ok
            detail = "%s, no Checks line (counted as 1)" % (
                "passed" if ok else "failed")
        else:
            passed += checks - bad
            failed += bad if result == "PASS" else max(bad, 1)
            detail = "%d checks, %d failed" % (checks, bad)
        rows.append((name, result, detail + (" " + rest if rest else "")))
    if not run_passed and not any(r == "FAIL" for _, r, _, _, _ in vm_tests):
        failed += 1
    return passed, failed, skipped, rows


def sanitizer_report_in(run):
    text = (run.get("stdout") or "") + "\n" + (run.get("stderr") or "")
    return SANITIZER_RE.search(text) is not None


def summarise_binary(run):
    """(passed, failed, detail) of one test binary that is not skipped."""
    result = run.get("result", "?")
    counts = checks_of(run)
    ok = result in PASS_RESULTS
    if counts is None:
        # Not a GstCheck suite, or one that died before its summary.
        passed, failed = (1, 0) if ok else (0, 1)
        detail = "%s, no Checks line (counted as 1)" % (
            "passed" if ok else "failed")
    else:
        checks, bad = counts
        passed = checks - bad
        failed = bad if ok else max(bad, 1)
        detail = "%d checks, %d failed" % (checks, bad)
    if sanitizer_report_in(run):
        detail += "; sanitizer report in its output"
        if failed == 0:
            passed = max(passed - 1, 0)
            failed = 1
    return passed, failed, detail


def summarise_platform(path):
    """Prints the rows of one log; returns (passed, failed, skipped, ran)."""
    runs = sorted(read_log(path), key=lambda r: short_name(r["name"]))
    passed = failed = skipped = 0
    skip_notes = []

    width = max((len(short_name(r["name"])) for r in runs), default=0)
    # Inner tests of a VM run are listed indented by 2 under it.
    width = max([width] + [len(t[0]) + 2 for r in runs
                           for t in vm_tests_of(r)])
    for run in runs:
        name = short_name(run["name"])
        result = run.get("result", "?")

        vm_tests = vm_tests_of(run) if result not in SKIP_RESULTS else []
        if vm_tests:
            p, f, k, rows = count_vm_tests(vm_tests, result in PASS_RESULTS)
            passed += p
            failed += f
            skipped += k
            print("  %-*s  %-8s %d tests in a VM" % (width, name, result,
                                                     len(vm_tests)))
            for inner, inner_result, detail in rows:
                print("    %-*s  %-8s %s" % (width - 2, inner, inner_result,
                                             detail))
            continue

        if result in SKIP_RESULTS:
            skipped += 1
            detail = "skipped"
            out = (run.get("stdout") or "").strip()
            skip_notes.append(out if out else "%s: (no reason printed)" % name)
        else:
            p, f, detail = summarise_binary(run)
            passed += p
            failed += f

        print("  %-*s  %-8s %s" % (width, name, result, detail))

    for note in skip_notes:
        for line in note.splitlines():
            print("  " + line)
    if not runs:
        print("  no test ran (nothing in %s)" % path)
    return passed, failed, skipped, bool(runs)


def summarise_command(label, status, output):
    """(passed, failed, skipped) of a run counted as one test."""
    try:
        with open(output, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    if status == 0:
        print("  %s  OK       passed (counted as 1)" % label)
        return 1, 0, 0
    if status == 77:
        print("  %s  SKIP     skipped" % label)
        # "SKIP: why", or "tool: SKIP: why" from our scripts.
        reasons = [l for l in text.splitlines()
                   if l.startswith("SKIP") or ": SKIP:" in l]
        for line in reasons or ["%s: (no reason printed)" % label]:
            print("  " + line)
        return 0, 0, 1
    print("  %s  FAIL     exit %d (counted as 1)" % (label, status))
    return 0, 1, 0


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Summarise gst-alloc's meson test logs.")
    parser.add_argument("log", nargs="?",
                        help="one log, for a single platform")
    parser.add_argument("--platform", nargs=2, action="append", default=[],
                        metavar=("LABEL", "LOG"),
                        help="a platform's label and its testlog.json")
    parser.add_argument("--command", nargs=3, action="append", default=[],
                        metavar=("LABEL", "STATUS", "OUTPUT"),
                        help="a run that counts as one test, by exit status")
    parser.add_argument("--broken", nargs=2, action="append", default=[],
                        metavar=("LABEL", "REASON"),
                        help="a platform that failed outside its tests")
    args = parser.parse_args(argv)
    if args.log and args.platform:
        parser.error("give either one LOG or --platform LABEL LOG pairs")
    if not (args.log or args.platform or args.command or args.broken):
        args.log = "build/meson-logs/testlog.json"
    return args


def main():
    args = parse_args(sys.argv[1:])
    passed = failed = skipped = 0
    ran = False

    if args.log:
        print("gst-alloc: results")
        passed, failed, skipped, ran = summarise_platform(args.log)
        if not ran:
            print("gst-alloc: no test ran (nothing in %s)" % args.log)
    for label, path in args.platform:
        print("gst-alloc: results on %s" % label)
        p, f, k, r = summarise_platform(path)
        print("  on %s: %d passed, %d failed, %d skipped" % (label, p, f, k))
        passed, failed, skipped = passed + p, failed + f, skipped + k
        ran = ran or r
    for label, status, output in args.command:
        print("gst-alloc: results on %s" % label)
        p, f, k = summarise_command(label, int(status), output)
        print("  on %s: %d passed, %d failed, %d skipped" % (label, p, f, k))
        passed, failed, skipped = passed + p, failed + f, skipped + k
        ran = True
    for label, reason in args.broken:
        print("gst-alloc: FAILED on %s: %s" % (label, reason))
        failed += 1

    print("gst-alloc: %d passed, %d failed, %d skipped"
          % (passed, failed, skipped))
    return 1 if failed or not ran else 0


if __name__ == "__main__":
    sys.exit(main())
