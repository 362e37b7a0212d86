#!/bin/sh
# DMA_DRM caps on the real kernel with GStreamer 1.26 (issue 12). Runs inside
# the VM booted on the Debian 13 root (tests/kernel/run-trixie), as root,
# from that root's build directory (tests/kernel/suite-1.26.list):
#
#   tests/kernel/dmadrm.sh
#
# vivid's capture device, negotiated as DMA_DRM caps (v4l2src of 1.26 offers
# them), feeds alloctee with three branches: vivid's output device through
# v4l2sink io-mode=dmabuf-import, allocdrmimportsink on vgem, a checker. The
# camera must write into the tee's pool (system DMA heap) and every branch
# get those very dma-bufs under the DMA_DRM caps, with no copy anywhere.
#
# Prints "ok: ..." or "not ok: ..." per assertion and a GstCheck-style
# "N%: Checks: C, Failures: F, Errors: 0" line for tests/kernel/suite-guest.
# DMADRM_FRAMES (default 40) and DMADRM_TIMEOUT (120 s) adjust it. Exits 77,
# saying why, with a GStreamer older than 1.26 (no DMA_DRM caps in v4l2).
set -u

frames=${DMADRM_FRAMES:-40}
limit=${DMADRM_TIMEOUT:-120}
version=$(gst-inspect-1.0 --version | sed -n 's/^GStreamer \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $version
if [ "${1:-0}" -lt 1 ] || { [ "${1:-0}" -eq 1 ] && [ "${2:-0}" -lt 26 ]; }; then
  echo "SKIP: GStreamer ${1:-?}.${2:-?}: v4l2src and v4l2sink take DMA_DRM caps from 1.26"
  exit 77
fi
. tests/kernel/common.sh
kernel_test_setup dmadrm
vivid_and_vgem

# The S-Video connector on both sides, so that the capture's TV format is
# one the output takes (multiplex.sh explains it); put back at exit.
previous=$(route "$capture" "$output" S-Video S-Video) || exit 1
trap 'route "$capture" "$output" $previous >/dev/null; rm -rf "$work"' EXIT

pipeline="v4l2src device=$capture io-mode=dmabuf-import num-buffers=$frames !
  video/x-raw(memory:DMABuf),format=DMA_DRM,drm-format=YUYV,width=640,height=480 !
  alloctee name=t
  t. ! queue ! v4l2sink name=out device=$output io-mode=dmabuf-import sync=false
  t. ! queue ! allocdrmimportsink name=drm device=$drm sync=false
  t. ! queue ! allocchecksink name=check sync=false"
echo "pipeline: $(echo $pipeline)"

GST_TRACERS="alloccopies(file=$work/copies.json)" \
  GST_DEBUG="${GST_DEBUG:-*:1},v4l2*:6,GST_PERFORMANCE:6" GST_DEBUG_NO_COLOR=1 \
  GST_DEBUG_FILE="$work/debug.log" \
  tests/kernel/launch-report "$limit" "$pipeline" \
  drm.imports drm.import-failures check.buffers check.violations \
  check.exporters check.memory-kinds \
  >"$work/report" 2>&1
echo "launch-report exited with $?"
grep -v '^decision:' "$work/report"
sed -n 's/^decision: \(.*\)/decision (abridged): \1/p' "$work/report" | cut -c1-300

"$python" - "$frames" "$work" <<'PY'
import os, re, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'kernel'))
import verdict
from verdict import check

frames, work = int(sys.argv[1]), sys.argv[2]
report = open(os.path.join(work, 'report')).read()
props = dict(re.findall(r'^prop: (\S+?)=(.*)$', report, re.M))
copies = verdict.tracer_elements(os.path.join(work, 'copies.json'))
log = open(os.path.join(work, 'debug.log'), errors='replace').read()


def pad(element, name):
    return verdict.pad(copies, element, name)


result = re.search(r'^result: (\w+) after ([\d.]+) s', report, re.M)
errors = re.findall(r'^error: (.*)$', report, re.M)
check(result and result.group(1) == 'eos' and not errors,
      'the pipeline runs to EOS under DMA_DRM caps (%s)' % (errors or 'no error'))
src = pad('v4l2src0', 'src')
check(src.get('buffers') == frames,
      'v4l2src pushed %s of %d frames' % (src.get('buffers'), frames))
check(src.get('heaps') == {'system': frames},
      'every frame a system-heap dma-buf (%s)' % src.get('heaps'))
check(src.get('pools') == {'t': frames},
      "the camera wrote into alloctee's pool (%s)" % src.get('pools'))
copied = {'%s:%s' % (e['name'], p['name']): p.get('copies', 0)
          for e in copies for p in e['pads'] if p['direction'] == 'src'}
check(copied and not any(copied.values()),
      'copies 0 on all %d source pads' % len(copied))
imports = len(re.findall(r'<out:pool\d*:\w+> importing dmabuf', log))
check(imports >= frames,
      'v4l2sink imported every frame into vivid output (%d "importing '
      'dmabuf")' % imports)
check(props.get('drm.imports') == str(frames)
      and props.get('drm.import-failures') == '0',
      'vgem PRIME-imported every frame (imports %s, failures %s)' % (
          props.get('drm.imports'), props.get('drm.import-failures')))
check(props.get('check.buffers') == str(frames)
      and props.get('check.violations') == '0'
      and props.get('check.exporters') == 'system',
      'the checker got %s frames, %s violations, exporters %s' % (
          props.get('check.buffers'), props.get('check.violations'),
          props.get('check.exporters')))
decision = re.search(r'^decision: t: (.*)$', report, re.M)
# The structure's text escapes '=' and ',' inside strings.
decision = decision.group(1).replace('\\', '') if decision else ''
check('backend=(string)dmaheap:system' in decision,
      "alloctee's pool allocates from the system DMA heap")
check('drm-formats=YUYV:linear' in decision,
      'the merged set holds the stream\'s DRM format, YUYV:linear')
modes = re.findall(r'mode\W+string\W+([\w-]+)', decision)
check(modes == ['zero-copy'] * 3,
      'the three branches take the DMA_DRM caps as they are: %s' % modes)
verdict.finish()
PY
