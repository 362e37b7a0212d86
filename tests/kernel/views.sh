#!/bin/sh
# Views on the real kernel (issue 13), inside the VM as root, from the build
# directory: tests/kernel/views-mplane (see its header) under the copy
# tracer, whose report must show no copy anywhere and every tee branch
# passing the tee's memory through. VIEWS_FRAMES (default 30) adjusts it.
set -u
frames=${VIEWS_FRAMES:-30}
. tests/kernel/common.sh
kernel_test_setup views

GST_TRACERS="alloccopies(file=$work/copies.json,print=false)" \
  tests/kernel/views-mplane "$frames" >"$work/report" 2>&1
status=$?
# The program's own "Checks:" line is left out: the total is printed below.
grep -v 'Checks:' "$work/report"
[ $status -eq 77 ] && exit 77

"$python" - "$frames" "$work" "$status" <<'PY'
import os, re, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'kernel'))
import verdict
from verdict import check

frames, work, status = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
report = open(os.path.join(work, 'report')).read()
m = re.search(r'Checks: (\d+), Failures: (\d+)', report)
# The program's own checks count in the total.
verdict.checks, verdict.failures = ((int(m.group(1)), int(m.group(2))) if m
                                    else (1, 1))
elements = verdict.tracer_elements(os.path.join(work, 'copies.json'))


def pad(element, name):
    return verdict.pad(elements, element, name)


copied = {'%s:%s' % (e['name'], p['name']): p.get('copies', 0)
          for e in elements for p in e['pads'] if p['direction'] == 'src'}
check(copied and not any(copied.values()),
      'tracer: copies 0 on all %d source pads (%s)' % (
          len(copied), ', '.join('%s %d' % kv for kv in sorted(copied.items()))))
through = [pad('t', 'src_%d' % i).get('passthrough') for i in range(2)]
check(through == [frames] * 2,
      "tracer: both tee branches passed the tee's memory through: %s" % through)
# Memories are counted: two per view, one per buffer on the other branch.
check(pad('t', 'src_0').get('backends') == {'dmabuf': 2 * frames}
      and pad('t', 'src_1').get('backends') == {'dmabuf': frames},
      'tracer: dma-buf memories, two per view and one per buffer (%s, %s)' % (
          pad('t', 'src_0').get('backends'), pad('t', 'src_1').get('backends')))
verdict.finish(status)
PY
