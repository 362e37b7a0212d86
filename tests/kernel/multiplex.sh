#!/bin/sh
# Camera multiplexing on the real kernel (issue 4, items 2b and 2c). Runs
# inside the VM, as root, from the build directory (tests/kernel/suite.list):
#
#   tests/kernel/multiplex.sh alloctee|tee-import|tee-export
#
# One vivid capture device feeds four branches: vivid's output device through
# v4l2sink io-mode=dmabuf-import (a V4L2 importer), allocdrmimportsink on
# vgem (a DRM PRIME importer), a CPU reader and a checker:
#
#   alloctee    v4l2src io-mode=dmabuf-import ! alloctee: the camera writes
#               into the tee's pool (system DMA heap); every branch must get
#               those very dma-bufs, with no copy anywhere.
#   tee-import  the same with stock tee: expected to fail with v4l2src's
#               "No downstream pool to import from" (tee offers no pool).
#   tee-export  stock tee with v4l2src io-mode=dmabuf: the camera driver's
#               own buffers (exported by videobuf2), recorded for comparison.
#
# Each assertion prints "ok: ..." or "not ok: ...", then a GstCheck-style
# "N%: Checks: C, Failures: F, Errors: 0" line that tests/kernel/suite-guest
# counts. Exits 0 when every assertion holds. docs/real-kernel.md explains
# the results. MULTIPLEX_FRAMES (default 60, more than the 32 buffers of the
# tee's pool so that they are reused) and MULTIPLEX_TIMEOUT (120 s) adjust it.
set -u

mode=${1:-}
case $mode in
  alloctee | tee-import | tee-export) ;;
  *) echo "usage: $0 alloctee|tee-import|tee-export" >&2; exit 2 ;;
esac
frames=${MULTIPLEX_FRAMES:-60}
limit=${MULTIPLEX_TIMEOUT:-120}
. tests/kernel/common.sh
kernel_test_setup multiplex

vivid_and_vgem

# Route both to their S-Video connector: a TV standard on both sides (PAL:
# 25 fps, pixel-aspect-ratio 54/59, interlaced), so caps negotiate end to
# end. vivid's default capture input is a progressive webcam, which the
# output device (S-Video by default) cannot take. The connectors are device
# state that outlives this script: the previous ones are put back at exit,
# for the tests that run after it.
previous=$(route "$capture" "$output" S-Video S-Video) || exit 1
trap 'route "$capture" "$output" $previous >/dev/null; rm -rf "$work"' EXIT

case $mode in
  alloctee) io=dmabuf-import tee="alloctee name=t" ;;
  tee-import) io=dmabuf-import tee="tee name=t" ;;
  tee-export) io=dmabuf tee="tee name=t" ;;
esac
pipeline="v4l2src device=$capture io-mode=$io num-buffers=$frames !
  video/x-raw,format=YUY2,width=640,height=480 ! $tee
  t. ! queue ! v4l2sink name=out device=$output io-mode=dmabuf-import sync=false
  t. ! queue ! allocdrmimportsink name=drm device=$drm sync=false
  t. ! queue ! allocchecksink name=cpu constraints=cpu-access=read sync=false
  t. ! queue ! allocchecksink name=check sync=false"
echo "pipeline: $(echo $pipeline)"

# v4l2bufferpool at LOG says "importing dmabuf" for each buffer a V4L2
# device imports; it and the v4l2 elements name every copy they make, in
# their own categories or GST_PERFORMANCE.
GST_TRACERS="alloccopies(file=$work/copies.json)" \
  GST_DEBUG="${GST_DEBUG:-*:1},v4l2*:6,GST_PERFORMANCE:6" GST_DEBUG_NO_COLOR=1 \
  GST_DEBUG_FILE="$work/debug.log" \
  tests/kernel/launch-report "$limit" "$pipeline" \
  drm.imports drm.import-failures drm.handles drm.last-error \
  cpu.buffers cpu.violations cpu.exporters cpu.memory-kinds cpu.last-memory-id \
  check.buffers check.violations check.exporters check.last-memory-id \
  >"$work/report" 2>&1
echo "launch-report exited with $?"
grep -v '^decision:' "$work/report"
sed -n 's/^decision: \(.*\)/decision (abridged): \1/p' "$work/report" | cut -c1-300

"$python" - "$mode" "$frames" "$work" <<'PY'
import os, re, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'kernel'))
import verdict
from verdict import check

mode, frames, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
report = open(os.path.join(work, 'report')).read()
props = dict(re.findall(r'^prop: (\S+?)=(.*)$', report, re.M))
copies = verdict.tracer_elements(os.path.join(work, 'copies.json'))
log = open(os.path.join(work, 'debug.log'), errors='replace').read()


def pad(element, name):
    return verdict.pad(copies, element, name)

def v4l2_lines(element, text):
    return len(re.findall(r'<%s:pool\d*:\w+> %s' % (element, text), log))

result = re.search(r'^result: (\w+) after ([\d.]+) s', report, re.M)
result = result.groups() if result else ('none', '?')
errors = re.findall(r'^error: (.*)$', report, re.M)
print('result: %s after %s s; memory ids: cpu %s, check %s' % (
    result[0], result[1], props.get('cpu.last-memory-id'),
    props.get('check.last-memory-id')))

if mode == 'tee-import':
    # Stock tee answers the ALLOCATION query without a pool, and v4l2src in
    # dmabuf-import mode has nothing to import: the documented failure.
    check(result[0] == 'error', 'stock tee: the pipeline fails')
    check(any(e.startswith('v4l2src0: No downstream pool to import from')
              for e in errors),
          'stock tee: v4l2src says "No downstream pool to import from"')
    check(props.get('cpu.buffers') == '0' and props.get('drm.imports') == '0',
          'stock tee: no frame reaches any branch')
else:
    src = pad('v4l2src0', 'src')
    produced = src.get('memories_new', 0)
    check(result[0] == 'eos' and not errors,
          'the pipeline runs to EOS without error (%s)' % (errors or 'none'))
    check(src.get('buffers') == frames,
          'v4l2src pushed %s of %d frames' % (src.get('buffers'), frames))
    check(src.get('backends') == {'dmabuf': frames},
          'every frame is a dma-buf (%s)' % src.get('backends'))
    exporter = 'system' if mode == 'alloctee' else 'videobuf2_vmalloc'
    check(src.get('heaps') == {exporter: frames},
          'exporter of every frame: %s (%s)' % (exporter, src.get('heaps')))
    pool = 't' if mode == 'alloctee' else 'v4l2src0:pool0:src'
    check(src.get('pools') == {pool: frames},
          'the frames come from %s (%s)' % (
              "alloctee's pool: the camera wrote into our buffers"
              if mode == 'alloctee' else "the camera driver's own pool",
              src.get('pools')))
    check(produced + src.get('recycled', 0) == frames,
          '%d distinct dma-bufs, %d reused' % (produced, src.get('recycled', 0)))
    copied = {'%s:%s' % (e['name'], p['name']): p.get('copies', 0)
              for e in copies for p in e['pads'] if p['direction'] == 'src'}
    check(copied and not any(copied.values()),
          'copies 0 on all %d source pads' % len(copied))
    through = [pad('t', 'src_%d' % i).get('passthrough') for i in range(4)]
    check(through == [frames] * 4,
          'each tee branch passed every frame through: %s' % through)
    check(v4l2_lines('out', 'importing dmabuf') >= frames,
          'v4l2sink imported every frame into vivid output (%d "importing '
          'dmabuf")' % v4l2_lines('out', 'importing dmabuf'))
    cop = re.findall(r'^.*gstv4l2\w*\.c:\d+:.*cop(?:y|ying).*$', log, re.M)
    check(not cop, 'no copy logged by the V4L2 elements and pools (%d lines%s)'
          % (len(cop), ': ' + cop[0] if cop else ''))
    check(props.get('drm.imports') == str(frames)
          and props.get('drm.import-failures') == '0',
          'vgem PRIME-imported every frame (imports %s, failures %s)' % (
              props.get('drm.imports'), props.get('drm.import-failures')))
    check(props.get('drm.handles') == str(produced),
          'GEM handles %s = distinct dma-bufs the camera filled %d' % (
              props.get('drm.handles'), produced))
    for sink in ('cpu', 'check'):
        check(props.get(sink + '.buffers') == str(frames)
              and props.get(sink + '.violations') == '0'
              and props.get(sink + '.exporters') == exporter,
              '%s got %s frames, %s violations, exporters %s' % (
                  sink, props.get(sink + '.buffers'),
                  props.get(sink + '.violations'),
                  props.get(sink + '.exporters')))
    check(props.get('cpu.last-memory-id') == props.get('check.last-memory-id')
          and props.get('cpu.last-memory-id', '(null)') != '(null)',
          'the CPU reader and the checker saw the same last dma-buf (%s)'
          % props.get('cpu.last-memory-id'))
    if mode == 'alloctee':
        check(v4l2_lines('v4l2src0', 'importing dmabuf') >= frames,
              'v4l2src queued our dma-bufs to the camera (%d "importing '
              'dmabuf")' % v4l2_lines('v4l2src0', 'importing dmabuf'))
        decision = re.search(r'^decision: t: (.*)$', report, re.M)
        decision = decision.group(1) if decision else ''
        check('backend=(string)dmaheap:system' in decision,
              "alloctee's pool allocates from the system DMA heap")
        modes = re.findall(r'mode\W+string\W+([\w-]+)', decision)
        check(modes == ['zero-copy'] * 4,
              'alloctee: the four branches are %s' % modes)

verdict.finish()
PY
