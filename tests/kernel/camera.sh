#!/bin/sh
# A camera through alloctee on the real kernel: where the frames really came
# from, as the alloccopies tracer sees them on v4l2src's source pad (issue 8).
# Runs inside the VM, as root, from the build directory
# (tests/kernel/suite.list):
#
#   tests/kernel/camera.sh default|dmabuf-import|fit-first|reuse
#
# vivid's capture device (webcam input, YUY2 640x480) feeds alloctee with four
# branches, a copying branch first:
#
#   heap    allocchecksink heaps=system      memory of the system DMA heap
#   any     allocchecksink                   anything
#   stride  allocchecksink stride-align=512  a stride the camera does not use
#                                            (before 1.26: 1.26's v4l2src
#                                            takes it from alloctee's params)
#   drm     allocdrmimportsink on vgem       dma-bufs (PRIME import)
#
#   default        v4l2src at its default io-mode pushes its own buffers
#                  (videobuf2_vmalloc dma-bufs) and ignores alloctee's pool:
#                  alloctee says so exactly once, naming io-mode=dmabuf-import;
#                  heap and stride get copies, each with its reason; any and
#                  drm get the camera's own memory (stride too from 1.26).
#   dmabuf-import  the camera writes into alloctee's pool (system-heap
#                  dma-bufs): no such message, 0 copies, every branch the
#                  same memory.
#
# Two more modes keep two fixed defects fixed:
#
#   fit-first  the same as default with a branch that fits first: the one
#              message still says that copies are made (heap, and stride
#              before 1.26, get every frame copied).
#   reuse      any and drm only (the camera's buffers fit both), through
#              alloctee and through stock tee: v4l2src's pool gets its
#              buffers back to queue again, so a few memories serve every
#              frame and vgem, which keeps an import per memory, imports
#              each once.
#
# Prints "ok: ..." or "not ok: ..." per assertion and a GstCheck-style
# "N%: Checks: C, Failures: F, Errors: 0" line for tests/kernel/suite-guest.
# CAMERA_FRAMES (default 40) and CAMERA_TIMEOUT (60 s) adjust it.
set -u

mode=${1:-}
case $mode in
  default | dmabuf-import | fit-first | reuse) ;;
  *) echo "usage: $0 default|dmabuf-import|fit-first|reuse" >&2; exit 2 ;;
esac
frames=${CAMERA_FRAMES:-40}
limit=${CAMERA_TIMEOUT:-60}
. tests/kernel/common.sh
kernel_test_setup camera

capture=
for d in /sys/class/video4linux/video*; do
  case $(cat "$d/name" 2>/dev/null) in
    vivid-*-vid-cap) capture=/dev/${d##*/}; break ;;
  esac
done
[ -n "$capture" ] || { echo "SKIP: no vivid capture device"; exit 77; }
drm=/dev/dri/card0
[ -e $drm ] || { echo "SKIP: no DRM device $drm (vgem)"; exit 77; }

heap="t. ! queue ! allocchecksink name=heap constraints=heaps=system sync=false"
any="t. ! queue ! allocchecksink name=any sync=false"
stride="t. ! queue ! allocchecksink name=stride constraints=stride-align=512 sync=false"
drmsink="t. ! queue ! allocdrmimportsink name=drm device=$drm sync=false"
camera="v4l2src device=$capture num-buffers=$frames"
caps="video/x-raw,format=YUY2,width=640,height=480"

# run NAME PIPELINE PROPERTY...: launch-report's output in $work/NAME, the
# tracer's JSON in NAME.json, the debug log in NAME.log.
run () {
  name=$1 pipeline=$2
  shift 2
  echo "pipeline ($name): $(echo $pipeline)"
  GST_TRACERS="alloccopies(file=$work/$name.json)" \
    GST_DEBUG="*:1,alloctee:4,GST_PERFORMANCE:4,v4l2bufferpool:6,v4l2allocator:6" \
    GST_DEBUG_NO_COLOR=1 GST_DEBUG_FILE="$work/$name.log" \
    tests/kernel/launch-report "$limit" "$pipeline" "$@" >"$work/$name" 2>&1
  echo "launch-report exited with $?"
  grep -v '^decision:' "$work/$name"
}

props=
for pad in 0 1 2 3; do
  props="$props t.src_$pad.mode t.src_$pad.copies t.src_$pad.last-copy-reason"
done
checkers="heap.buffers heap.violations heap.exporters heap.last-memory-id
  any.buffers any.violations any.exporters any.last-memory-id stride.buffers
  stride.violations stride.exporters stride.last-memory-id drm.imports
  drm.import-failures drm.handles"
case $mode in
  default | fit-first)
    if [ $mode = default ]; then order="$heap $any $stride $drmsink"
    else order="$any $heap $stride $drmsink"; fi
    run $mode "$camera ! $caps ! alloctee name=t $order" $props $checkers ;;
  dmabuf-import)
    run $mode "$camera io-mode=dmabuf-import ! $caps ! alloctee name=t
      $heap $any $stride $drmsink" $props $checkers ;;
  reuse)
    for tee in alloctee tee; do
      run $tee "$camera ! $caps ! $tee name=t $any $drmsink" drm.handles \
        drm.imports
    done ;;
esac

gst_version=$(gst-launch-1.0 --version | sed -n 's/^GStreamer \([0-9.]*\).*/\1/p')
echo "GStreamer $gst_version"
"$python" - "$mode" "$frames" "$work" "$gst_version" <<'PY'
import os, re, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'kernel'))
import verdict
from verdict import check

mode, frames, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
gst_version = tuple(int(n) for n in sys.argv[4].split('.')[:2])


class Run:
    """One launch-report run: its lines, properties, tracer JSON and log."""

    def __init__(self, name):
        path = os.path.join(work, name)
        self.report = open(path).read()
        self.props = dict(re.findall(r'^prop: (\S+?)=(.*)$', self.report,
                                     re.M))
        self.elements = verdict.tracer_elements(path + '.json')
        self.log = open(path + '.log', errors='replace').read()
        result = re.search(r'^result: (\w+)', self.report, re.M)
        self.result = result.group(1) if result else 'none'
        self.errors = re.findall(r'^error: (.*)$', self.report, re.M)

    def pad(self, element, name):
        return verdict.pad(self.elements, element, name)

    def src_pads(self):
        return {'%s:%s' % (e['name'], p['name']): p for e in self.elements
                for p in e['pads'] if p['direction'] == 'src'}

    def pool_messages(self):
        """alloctee's bus messages about a producer ignoring its pool."""
        return re.findall(r'^(info|warning): t: (.*does not use the pool'
                          r'[^|]*)', self.report, re.M)

    def exports(self):
        """VIDIOC_EXPBUF calls: the camera's buffers exported as dma-bufs."""
        return len(re.findall(r'exported DMABUF as fd', self.log))


def check_ran(run):
    check(run.result == 'eos' and not run.errors,
          'the pipeline runs to EOS without error (%s)' % (run.errors or 'none'))
    src = run.pad('v4l2src0', 'src')
    check(src.get('buffers') == frames,
          'v4l2src pushed %s of %d frames' % (src.get('buffers'), frames))
    return src


# From GStreamer 1.26 v4l2src reads stride-align from the "video-meta"
# params alloctee answers with and sets the camera's bytesperline to fit
# (1536 for 640 pixels of YUY2 at 512); 1.22 reads only the paddings and
# keeps 1280. So from 1.26 the stride consumer shares the camera's memory.
CAMERA_TAKES_STRIDE = gst_version >= (1, 26)

# What each consumer must get when the camera pushes its own buffers:
# copies or not, and the words the reason for its copies must hold.
IGNORED = {'heap': (True, ['v4l2src0 did not use the offered pool',
                           'exported by videobuf2_vmalloc']),
           'any': (False, []),
           'stride': (False, []) if CAMERA_TAKES_STRIDE else
           (True, ['v4l2src0 did not use the offered pool', 'stride-align',
                   'stride 1280']),
           'drm': (False, [])}


def branches(order):
    """(pad, consumer, copied, words) for consumers linked in @order."""
    return [('src_%d' % i, c) + IGNORED[c] for i, c in enumerate(order)]


def check_camera_ignored_pool(run, branches):
    src = check_ran(run)
    check(src.get('pools') == {'v4l2src0:pool0:src': frames},
          "every frame came from the camera's own pool, not alloctee's (%s)"
          % src.get('pools'))
    check(src.get('heaps') == {'videobuf2_vmalloc': frames},
          'every frame is a videobuf2_vmalloc dma-buf (%s)' % src.get('heaps'))
    said = run.pool_messages()
    check(len(said) == 1, 'alloctee said once that the pool is ignored '
          '(%d messages)' % len(said))
    text = said[0][1] if said else ''
    check('v4l2src0 does not use the pool t offered' in text
          and 'set io-mode=dmabuf-import on v4l2src0' in text,
          'the message names v4l2src0, the pool and io-mode=dmabuf-import')
    check(said and said[0][0] == 'warning' and 'get copies' in text,
          'the message is a warning that branches get copies (%s: "%s")'
          % (said[0] if said else ('none', '')))
    for pad, consumer, copied, words in branches:
        p = run.props
        mode = p.get('t.%s.mode' % pad)
        reason = p.get('t.%s.last-copy-reason' % pad, '')
        traced = run.pad('t', pad)
        if copied:
            check(p.get('t.%s.copies' % pad) == str(frames)
                  and mode == 'converted'
                  and all(w in reason for w in words),
                  '%s (%s) got every frame copied, mode %s, because: %s'
                  % (consumer, pad, mode, reason))
            check(traced.get('copies') == frames
                  and traced.get('pools') == {'%s-pool' % pad: frames},
                  '%s: the tracer counts %s copies from %s-pool (%s)'
                  % (consumer, traced.get('copies'), pad, traced.get('pools')))
        else:
            check(p.get('t.%s.copies' % pad) == '0' and mode == 'zero-copy',
                  '%s (%s) got no copy, mode %s' % (consumer, pad, mode))
            check(traced.get('passthrough') == frames
                  and traced.get('heaps') == {'videobuf2_vmalloc': frames},
                  "%s: the tracer sees the camera's own memory passed on "
                  '(%s through, %s)' % (consumer, traced.get('passthrough'),
                                        traced.get('heaps')))
    copied = sorted(set(re.findall(r'count_copy:<t:(src_\d)> copying',
                                   run.log)))
    check(copied == [b[0] for b in branches if b[2]],
          'GST_PERFORMANCE names exactly the copying branches (%s)' % copied)
    check_sinks(run, {'heap': 'system', 'any': 'videobuf2_vmalloc',
                      'stride': 'videobuf2_vmalloc' if CAMERA_TAKES_STRIDE
                      else 'system'})


def check_sinks(run, exporters):
    p = run.props
    for sink, exporter in sorted(exporters.items()):
        check(p.get(sink + '.buffers') == str(frames)
              and p.get(sink + '.violations') == '0'
              and p.get(sink + '.exporters') == exporter,
              '%s got %s frames, %s violations, exporter %s' % (
                  sink, p.get(sink + '.buffers'), p.get(sink + '.violations'),
                  p.get(sink + '.exporters')))
    check(p.get('drm.imports') == str(frames)
          and p.get('drm.import-failures') == '0',
          'vgem PRIME-imported every frame (imports %s, failures %s)' % (
              p.get('drm.imports'), p.get('drm.import-failures')))


def check_camera_filled_pool(run):
    src = check_ran(run)
    check(src.get('pools') == {'t': frames},
          "every frame came from alloctee's pool t: the camera wrote into it "
          '(%s)' % src.get('pools'))
    check(src.get('heaps') == {'system': frames}
          and src.get('allocators') == {'dmabuf/dmaheap:system': frames},
          'every frame is a system DMA heap dma-buf (%s, %s)' % (
              src.get('heaps'), src.get('allocators')))
    imports = len(re.findall(r'<v4l2src0:pool\d*:src> importing dmabuf',
                             run.log))
    check(imports >= frames, 'v4l2src queued the pool\'s dma-bufs to the '
          'camera (%d "importing dmabuf")' % imports)
    said = run.pool_messages()
    check(not said, 'no message about an ignored pool (%s)' % said)
    pads = run.src_pads()
    check(pads and not any(p.get('copies') for p in pads.values()),
          'copies 0 on all %d source pads (tracer)' % len(pads))
    through = [run.pad('t', 'src_%d' % i).get('passthrough') for i in range(4)]
    check(through == [frames] * 4,
          'each branch passed every frame through: %s' % through)
    modes = [run.props.get('t.src_%d.mode' % i) for i in range(4)]
    copies = [run.props.get('t.src_%d.copies' % i) for i in range(4)]
    check(modes == ['zero-copy'] * 4 and copies == ['0'] * 4,
          'alloctee: modes %s, copies %s' % (modes, copies))
    check_sinks(run, {'heap': 'system', 'stride': 'system', 'any': 'system'})
    last = set(run.props.get(c + '.last-memory-id') for c in
               ('heap', 'any', 'stride'))
    check(len(last) == 1 and None not in last and '(null)' not in last,
          'the three checkers ended on the same dma-buf (%s)' % last)
    check(run.props.get('drm.handles') == str(src.get('memories_new')),
          'vgem GEM handles %s = distinct dma-bufs the camera filled %s' % (
              run.props.get('drm.handles'), src.get('memories_new')))


def check_reuse():
    # How many buffers v4l2src queues varies by a few from run to run (it
    # adds some when starved), so neither run has to match the other
    # exactly; the defect made one new memory per frame. A quarter of the
    # frames is far above any queue v4l2src keeps and far below that.
    bound = frames // 4
    for name in ('alloctee', 'tee'):
        run = Run(name)
        src = check_ran(run)
        made = src.get('memories_new')
        check(made is not None and made <= bound,
              "through %s the camera's buffers are reused: %s new memories "
              'for %d frames (at most %d)' % (name, made, frames, bound))
        check(run.props.get('drm.handles') == str(made),
              'through %s vgem made one GEM handle per memory, imported '
              'once (%s handles, %s memories)' % (
                  name, run.props.get('drm.handles'), made))
        print('v4l2src exported %d dma-bufs (VIDIOC_EXPBUF) through %s' % (
            run.exports(), name))


if mode == 'default':
    check_camera_ignored_pool(Run(mode),
                              branches(['heap', 'any', 'stride', 'drm']))
elif mode == 'fit-first':
    check_camera_ignored_pool(Run(mode),
                              branches(['any', 'heap', 'stride', 'drm']))
elif mode == 'dmabuf-import':
    check_camera_filled_pool(Run(mode))
else:
    check_reuse()

verdict.finish()
PY
