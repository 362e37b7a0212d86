/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vivid for the v4l2sink scenarios: its capture and output nodes, found by
 * their sysfs names, and both routed to their S-Video connector. vivid's
 * capture starts on a progressive webcam input while its output starts on
 * S-Video, a PAL TV output that only takes interlaced frames; with S-Video
 * on both sides caps negotiate end to end (tests/kernel/multiplex.sh does
 * the same). The connectors are device state: they are put back after. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/videodev2.h>

/* /dev/videoN whose sysfs name is "vivid-NNN-@suffix", or NULL. */
static gchar *
vivid_node (const gchar * suffix)
{
  GDir *dir = g_dir_open ("/sys/class/video4linux", 0, NULL);
  gchar *path, *name, *node = NULL;
  const gchar *entry;

  while (dir && !node && (entry = g_dir_read_name (dir))) {
    path = g_build_filename ("/sys/class/video4linux", entry, "name", NULL);
    if (g_file_get_contents (path, &name, NULL, NULL)) {
      g_strstrip (name);
      if (g_str_has_prefix (name, "vivid-") && g_str_has_suffix (name, suffix))
        node = g_build_filename ("/dev", entry, NULL);
      g_free (name);
    }
    g_free (path);
  }
  if (dir)
    g_dir_close (dir);
  return node;
}

/* Selects the connector named S-Video on @fd (an input for capture, an
 * output for output) and returns the previous one's index, or -1 with
 * @error set. */
static gint
select_svideo (gint fd, gboolean output, GError ** error)
{
  struct v4l2_input input;
  struct v4l2_output out;
  gint previous, index;
  const gchar *name;

  if (ioctl (fd, output ? VIDIOC_G_OUTPUT : VIDIOC_G_INPUT, &previous) < 0)
    goto failed;
  for (index = 0;; index++) {
    memset (&input, 0, sizeof (input));
    memset (&out, 0, sizeof (out));
    input.index = out.index = index;
    if (ioctl (fd, output ? VIDIOC_ENUMOUTPUT : VIDIOC_ENUMINPUT,
            output ? (gpointer) & out : (gpointer) & input) < 0)
      break;
    name = (const gchar *) (output ? out.name : input.name);
    if (g_str_has_prefix (name, "S-Video")) {
      if (ioctl (fd, output ? VIDIOC_S_OUTPUT : VIDIOC_S_INPUT, &index) < 0)
        goto failed;
      return previous;
    }
  }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
      "no S-Video %s", output ? "output" : "input");
  return -1;

failed:
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
      "selecting the S-Video connector: %s", g_strerror (errno));
  return -1;
}

/* Opens @node and selects S-Video (@previous set to the connector it
 * replaced), or the connector @index when @previous is NULL. */
static gboolean
route (const gchar * node, gboolean output, gint index, gint * previous,
    GError ** error)
{
  gint fd = open (node, O_RDWR | O_CLOEXEC);
  gboolean ok;

  if (fd < 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot open %s: %s", node, g_strerror (errno));
    return FALSE;
  }
  if (previous) {
    *previous = select_svideo (fd, output, error);
    ok = *previous >= 0;
  } else {
    ok = ioctl (fd, output ? VIDIOC_S_OUTPUT : VIDIOC_S_INPUT, &index) == 0;
  }
  close (fd);
  return ok;
}

gboolean
bench_vivid_open (BenchVivid * vivid, GError ** error)
{
  memset (vivid, 0, sizeof (*vivid));
  vivid->capture = vivid_node ("-vid-cap");
  vivid->output = vivid_node ("-vid-out");
  if (!vivid->capture || !vivid->output) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no vivid %s "
        "device (modprobe vivid; tests/kernel/vm-run has it)",
        vivid->capture ? "output" : "capture");
    bench_vivid_close (vivid);
    return FALSE;
  }
  if (!route (vivid->capture, FALSE, 0, &vivid->capture_input, error)) {
    bench_vivid_close (vivid);
    return FALSE;
  }
  if (!route (vivid->output, TRUE, 0, &vivid->output_output, error)) {
    route (vivid->capture, FALSE, vivid->capture_input, NULL, NULL);
    bench_vivid_close (vivid);
    return FALSE;
  }
  vivid->routed = TRUE;
  return TRUE;
}

void
bench_vivid_close (BenchVivid * vivid)
{
  if (vivid->routed) {
    route (vivid->capture, FALSE, vivid->capture_input, NULL, NULL);
    route (vivid->output, TRUE, vivid->output_output, NULL, NULL);
  }
  g_clear_pointer (&vivid->capture, g_free);
  g_clear_pointer (&vivid->output, g_free);
  vivid->routed = FALSE;
}
