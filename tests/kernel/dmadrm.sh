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
build=$PWD
export GST_PLUGIN_PATH_1_0="$build/gst:$build/ext"
version=$(gst-inspect-1.0 --version | sed -n 's/^GStreamer \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $version
if [ "${1:-0}" -lt 1 ] || { [ "${1:-0}" -eq 1 ] && [ "${2:-0}" -lt 26 ]; }; then
  echo "SKIP: GStreamer ${1:-?}.${2:-?}: v4l2src and v4l2sink take DMA_DRM caps from 1.26"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/dmadrm.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

node_named () {
  for d in /sys/class/video4linux/video*; do
    case $(cat "$d/name" 2>/dev/null) in
      $1) echo "/dev/${d##*/}"; return 0 ;;
    esac
  done
  return 1
}
capture=$(node_named 'vivid-*-vid-cap') || { echo "no vivid capture device"; exit 77; }
output=$(node_named 'vivid-*-vid-out') || { echo "no vivid output device"; exit 77; }
drm=/dev/dri/card0
[ -e $drm ] || { echo "no DRM device $drm (vgem)"; exit 77; }

# The S-Video connector on both sides, so that the capture's TV format is
# one the output takes (multiplex.sh explains it); put back at exit.
#   connectors CAPTURE OUTPUT [IN OUT]   selects S-Video (or IN and OUT)
#                                        and prints the previous "IN OUT"
connectors () {
  python3 - "$@" <<'PY'
import fcntl, os, struct, sys

def ioc(rw, nr, size):
    return (rw << 30) | (size << 16) | (ord('V') << 8) | nr

# VIDIOC_ENUMINPUT/G_INPUT/S_INPUT (struct v4l2_input: 80 bytes), then the
# output ones (struct v4l2_output: 72 bytes); the name follows the index.
ops = ((ioc(3, 26, 80), ioc(2, 38, 4), ioc(3, 39, 4), 80),
       (ioc(3, 48, 72), ioc(2, 46, 4), ioc(3, 47, 4), 72))
previous = []
for i, (path, (enum, get, select, size)) in enumerate(zip(sys.argv[1:3], ops)):
    fd = os.open(path, os.O_RDWR)
    current = bytearray(4)
    fcntl.ioctl(fd, get, current)
    previous.append(str(struct.unpack('i', current)[0]))
    if len(sys.argv) > 4:
        chosen = int(sys.argv[3 + i])
    else:
        chosen = None
        for index in range(16):
            arg = bytearray(struct.pack('I', index) + bytes(size - 4))
            try:
                fcntl.ioctl(fd, enum, arg)
            except OSError:
                break
            if arg[4:36].startswith(b'S-Video'):
                chosen = index
                break
        if chosen is None:
            sys.exit('%s: no S-Video connector' % path)
    fcntl.ioctl(fd, select, struct.pack('i', chosen))
    os.close(fd)
print(' '.join(previous))
PY
}
previous=$(connectors "$capture" "$output") || exit 1
trap 'connectors "$capture" "$output" $previous >/dev/null; rm -rf "$work"' EXIT

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

python3 - "$frames" "$work" <<'PY'
import json, os, re, sys

frames, work = int(sys.argv[1]), sys.argv[2]
report = open(os.path.join(work, 'report')).read()
props = dict(re.findall(r'^prop: (\S+?)=(.*)$', report, re.M))
try:
    copies = json.load(open(os.path.join(work, 'copies.json')))['elements']
except (OSError, ValueError, KeyError):
    copies = []
log = open(os.path.join(work, 'debug.log'), errors='replace').read()
checks = failures = 0

def check(ok, what):
    global checks, failures
    checks += 1
    failures += not ok
    print('%s: %s' % ('ok' if ok else 'not ok', what))

def pad(element, name):
    for e in copies:
        if e['name'] == element:
            for p in e['pads']:
                if p['name'] == name:
                    return p
    return {}

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
print('%d%%: Checks: %d, Failures: %d, Errors: 0' % (
    100 * (checks - failures) // max(checks, 1), checks, failures))
sys.exit(1 if failures else 0)
PY
