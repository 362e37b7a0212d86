#!/bin/sh
# allocdrmimportsink on vgem (ext/drm), inside the VM as root, from the build
# directory: dma-bufs from the system heap are imported, one GEM handle per
# distinct dma-buf; system memory is a counted "not a dma-buf" failure; a
# device that cannot be opened is an error naming it and errno's text.
# Prints "ok:"/"not ok:" lines and a GstCheck-style "Checks:" line.
set -u
export GST_PLUGIN_PATH_1_0="$PWD/gst:$PWD/ext"
drm=/dev/dri/card0
[ -e $drm ] || { echo "no DRM device $drm (vgem)"; exit 77; }
checks=0 failures=0
check () {
  checks=$((checks + 1))
  if grep -q -x -e "$1" "$out"; then echo "ok: $2"
  else failures=$((failures + 1)); echo "not ok: $2 (no line '$1')"; fi
}
out=$(mktemp "${TMPDIR:-/tmp}/drmimport.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT

run () {
  tests/kernel/launch-report 60 "$1" drm.imports drm.import-failures \
    drm.handles drm.last-error >"$out" 2>&1
  cat "$out"
}

run "videotestsrc num-buffers=20 ! video/x-raw,format=NV12,width=320,height=240 ! allocdrmimportsink name=drm device=$drm"
check 'result: eos after .* s' 'dma-heap buffers: runs to EOS'
check 'prop: drm.imports=20' 'dma-heap buffers: 20 PRIME imports'
check 'prop: drm.import-failures=0' 'dma-heap buffers: no failure'
check 'prop: drm.handles=[1-9][0-9]*' 'dma-heap buffers: GEM handles counted'

run "videotestsrc num-buffers=5 ! video/x-raw,format=NV12,width=320,height=240 ! allocdrmimportsink name=drm device=$drm constraints=memory=system"
check 'result: eos after .* s' 'system memory: the stream goes on'
check 'warning: drm: Cannot import a buffer into the DRM device: not a dma-buf | .*' 'system memory: one warning "not a dma-buf"'
check 'prop: drm.import-failures=5' 'system memory: 5 failures counted'
check 'prop: drm.last-error=not a dma-buf' 'system memory: last-error says why'

run "videotestsrc num-buffers=5 ! allocdrmimportsink name=drm device=/dev/dri/nonexistent"
check 'error: drm: Could not open the DRM device "/dev/dri/nonexistent": No such file or directory | .*' 'missing device: an error naming it and the reason'
check 'open(O_RDWR | O_CLOEXEC) failed with errno 2' 'missing device: the debug text gives errno'

echo "$((100 * (checks - failures) / checks))%: Checks: $checks, Failures: $failures, Errors: 0"
[ $failures -eq 0 ]
