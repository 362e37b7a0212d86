# What the VM test scripts (multiplex.sh, camera.sh, views.sh) share, read
# with `. tests/kernel/common.sh` from the build directory, where
# suite.list runs them and meson copies this file.
#
#   kernel_test_setup NAME
#
# sets $python (Debian's python3, whatever PATH says), puts the build's
# plugins alone on GST_PLUGIN_PATH_1_0 and makes $work, a directory named
# after NAME that is removed at exit (a script that must undo more at exit
# sets its own trap, removing $work too). Their Python reads
# tests/kernel/verdict.py for the "ok:" lines and the total.
kernel_test_setup () {
  python=python3
  [ -x /usr/bin/python3 ] && python=/usr/bin/python3
  export GST_PLUGIN_PATH_1_0="$PWD/gst:$PWD/ext"
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
  trap 'rm -rf "$work"' EXIT
}
