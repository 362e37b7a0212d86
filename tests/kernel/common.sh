# What the VM test scripts (multiplex.sh, camera.sh, views.sh, dmadrm.sh)
# share, read with `. tests/kernel/common.sh` from the build directory,
# where suite.list (suite-1.26.list) runs them and meson copies this file.
#
#   kernel_test_setup NAME
#
# sets $python (Debian's python3, whatever PATH says), puts the build's
# plugins alone on GST_PLUGIN_PATH_1_0 and makes $work, a directory named
# after NAME that is removed at exit (a script that must undo more at exit
# sets its own trap, removing $work too). Their Python reads
# tests/kernel/verdict.py for the "ok:" lines and the total.
#
#   vivid_and_vgem
#
# sets $capture and $output to vivid's capture and output nodes and $drm to
# vgem's node, or exits 77 naming the one that is missing.
#
#   route CAPTURE OUTPUT IN OUT
#
# selects input IN of CAPTURE and output OUT of OUTPUT, each a connector
# index or the start of a connector's name ("S-Video"), and prints the
# previous "input output" indexes, for putting them back at exit.
kernel_test_setup () {
  python=python3
  [ -x /usr/bin/python3 ] && python=/usr/bin/python3
  export GST_PLUGIN_PATH_1_0="$PWD/gst:$PWD/ext"
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
  trap 'rm -rf "$work"' EXIT
}

# vivid names its nodes "vivid-000-vid-cap", "vivid-000-vid-out".
node_named () {
  for d in /sys/class/video4linux/video*; do
    case $(cat "$d/name" 2>/dev/null) in
      $1) echo "/dev/${d##*/}"; return 0 ;;
    esac
  done
  return 1
}

vivid_and_vgem () {
  capture=$(node_named 'vivid-*-vid-cap') || { echo "no vivid capture device"; exit 77; }
  output=$(node_named 'vivid-*-vid-out') || { echo "no vivid output device"; exit 77; }
  drm=/dev/dri/card0
  [ -e $drm ] || { echo "no DRM device $drm (vgem)"; exit 77; }
}

route () {
  "$python" - "$@" <<'PY'
import fcntl, os, struct, sys

def ioc(rw, nr, size):
    return (rw << 30) | (size << 16) | (ord('V') << 8) | nr

# struct v4l2_input is 80 bytes, v4l2_output 72; the name follows the index.
devices = ((sys.argv[1], ioc(3, 26, 80), ioc(2, 38, 4), ioc(3, 39, 4), 80),
           (sys.argv[2], ioc(3, 48, 72), ioc(2, 46, 4), ioc(3, 47, 4), 72))
previous = []
for (path, enum, get, select, size), want in zip(devices, sys.argv[3:5]):
    fd = os.open(path, os.O_RDWR)
    names = []
    for index in range(16):
        arg = bytearray(struct.pack('I', index) + bytes(size - 4))
        try:
            fcntl.ioctl(fd, enum, arg)
        except OSError:
            break
        names.append(arg[4:36].split(b'\0')[0].decode())
    current = bytearray(4)
    fcntl.ioctl(fd, get, current)
    previous.append(str(struct.unpack('i', current)[0]))
    if want.isdigit():
        chosen = int(want)
    else:
        found = [i for i, n in enumerate(names) if n.startswith(want)]
        if not found:
            sys.exit('%s: no %s connector among %s' % (path, want, names))
        chosen = found[0]
    fcntl.ioctl(fd, select, struct.pack('i', chosen))
    print('%s: %s selected' % (path, names[chosen]), file=sys.stderr)
    os.close(fd)
print(' '.join(previous))
PY
}
