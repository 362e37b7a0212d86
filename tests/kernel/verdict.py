"""What the VM test scripts' checks share: an "ok: ..." or "not ok: ..."
line per check, the GstCheck-style total that tests/kernel/suite-guest
counts, and the copy tracer's report (alloccopies' JSON file)."""

import json
import sys

checks = failures = 0


def check(ok, what):
    global checks, failures
    checks += 1
    failures += not ok
    print('%s: %s' % ('ok' if ok else 'not ok', what))


def tracer_elements(path):
    """The elements of the tracer's report at path; none when it is missing
    or unreadable, which the checks on them then report."""
    try:
        return json.load(open(path))['elements']
    except (OSError, ValueError, KeyError):
        return []


def pad(elements, element, name):
    """The tracer's record of pad name of element, {} when there is none."""
    for e in elements:
        if e['name'] == element:
            for p in e['pads']:
                if p['name'] == name:
                    return p
    return {}


def finish(status=0):
    """Prints the total and exits: 1 when a check or status failed."""
    print('%d%%: Checks: %d, Failures: %d, Errors: 0' % (
        100 * (checks - failures) // max(checks, 1), checks, failures))
    sys.exit(1 if failures or status else 0)
