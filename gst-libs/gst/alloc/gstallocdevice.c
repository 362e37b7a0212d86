/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocdevice
 * @title: Device constraints
 * @short_description: What a V4L2 or DRM device needs, read from the device
 *
 * gst_alloc_constraints_from_device() opens a device node and derives the
 * constraint set a consumer of that device needs for one video format and
 * size, asking the driver rather than guessing: a V4L2 device through
 * QUERYCAP, TRY_FMT, REQBUFS and its controls, a DRM device through libdrm
 * (PRIME capabilities, a trial dumb buffer, the KMS planes). Every field
 * set carries the device path as its origin, so a conflict names the
 * device. gst_alloc_device_describe() says in words what the device is and
 * what was derived from what.
 *
 * The node is told apart by its character-device major: 81 is V4L2, 226 is
 * DRM. Nothing is changed on the device: formats are tried, not set, and a
 * trial dumb buffer is destroyed at once.
 */
/* This file only dispatches: it opens the node, tells its kind and hands it
 * to that kind's reader. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"
#include <gst/alloc/gstallocdevice.h>
#include <gst/allocators/allocators.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define V4L2_MAJOR 81
#define DRM_MAJOR 226

static gboolean
open_device (const gchar * path, guint * major_out, int *fd_out,
    GError ** error)
{
  struct stat st;
  int fd, errsv;

  if (stat (path, &st) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "Could not open device %s", path);
    return FALSE;
  }
  if (!S_ISCHR (st.st_mode) || (major (st.st_rdev) != V4L2_MAJOR
          && major (st.st_rdev) != DRM_MAJOR)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "%s is not a V4L2 or DRM device node (expected a character device "
        "with major %u or %u%s)", path, V4L2_MAJOR, DRM_MAJOR,
        S_ISCHR (st.st_mode) ? "" : "; it is not a character device");
    return FALSE;
  }
  fd = open (path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "Could not open device %s", path);
    return FALSE;
  }
  *major_out = major (st.st_rdev);
  *fd_out = fd;
  return TRUE;
}

/* Reads the device, or with @buffers imports them as a trial. */
static gboolean
probe_device (GstAllocDeviceProbe * probe, GstBuffer * const *buffers,
    guint n_buffers, GError ** error)
{
  guint major_number;
  gboolean ok;

  if (!open_device (probe->path, &major_number, &probe->fd, error))
    return FALSE;
  if (major_number == V4L2_MAJOR)
    ok = buffers ? gst_alloc_device_import_v4l2 (probe, buffers, n_buffers,
        error) : gst_alloc_device_probe_v4l2 (probe, error);
  else
    ok = buffers ? gst_alloc_device_import_drm (probe, buffers, n_buffers,
        error) : gst_alloc_device_probe_drm (probe, error);
  close (probe->fd);
  probe->fd = -1;
  return ok;
}

/**
 * gst_alloc_constraints_from_device:
 * @path: a device node: a V4L2 video node (/dev/videoN) or a DRM node
 *   (/dev/dri/cardN, /dev/dri/renderDN)
 * @info: the video format and size the device will be given
 * @error: (nullable): where to say why nothing could be derived
 *
 * Derives what a consumer of the device at @path needs from buffers of
 * @info, asking the driver (see docs/constraints.md, "Constraints from
 * devices", for each rule). Every field set carries @path as its origin.
 *
 * Errors: a missing or inaccessible node is a %G_FILE_ERROR from errno
 * (%G_FILE_ERROR_NOENT, %G_FILE_ERROR_ACCES); a node that is neither V4L2
 * nor DRM is %GST_ALLOC_ERROR_PARSE; a DRM node when the library was built
 * without libdrm is %G_FILE_ERROR_NOSYS; a device that cannot take @info
 * (format not offered, size refused) is %GST_ALLOC_ERROR_UNSATISFIABLE.
 *
 * Returns: (transfer full) (nullable): the derived set, or %NULL.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_device (const gchar * path,
    const GstVideoInfo * info, GError ** error)
{
  GstAllocDeviceProbe probe = { path, -1, info, NULL, NULL };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (info != NULL && info->finfo != NULL, NULL);

  probe.constraints = gst_alloc_constraints_new ();
  if (!probe_device (&probe, NULL, 0, error)
      || !gst_alloc_constraints_validate (probe.constraints, error)) {
    gst_alloc_constraints_free (probe.constraints);
    return NULL;
  }
  gst_alloc_constraints_set_origin (probe.constraints, path);
  return probe.constraints;
}

/**
 * gst_alloc_device_describe:
 * @path: a V4L2 or DRM device node
 * @info: (nullable): a video format and size, to say what would be derived
 *   for it; %NULL describes only the device
 * @error: (nullable): where to say why the device could not be read
 *
 * Describes the device in words, one fact a line: driver, card,
 * capabilities, and with @info each constraint derived and what it was
 * derived from, ending with the derived set in the string form.
 *
 * Returns: (transfer full) (nullable): the description, or %NULL with the
 * same errors as gst_alloc_constraints_from_device().
 *
 * Since: 1.0
 */
gchar *
gst_alloc_device_describe (const gchar * path, const GstVideoInfo * info,
    GError ** error)
{
  GstAllocDeviceProbe probe = { path, -1, info, NULL, NULL };
  gchar *set;

  g_return_val_if_fail (path != NULL, NULL);

  probe.text = g_string_new (NULL);
  if (info)
    probe.constraints = gst_alloc_constraints_new ();
  if (!probe_device (&probe, NULL, 0, error)) {
    gst_alloc_constraints_free (probe.constraints);
    g_string_free (probe.text, TRUE);
    return NULL;
  }
  if (info) {
    set = gst_alloc_constraints_to_string (probe.constraints);
    g_string_append_printf (probe.text, "derived: %s\n", *set ? set :
        "(nothing)");
    g_free (set);
    gst_alloc_constraints_free (probe.constraints);
  }
  return g_string_free (probe.text, FALSE);
}

static gboolean
all_dmabuf (GstBuffer * const *buffers, guint n_buffers, GError ** error)
{
  guint i, j;

  for (i = 0; i < n_buffers; i++) {
    for (j = 0; j < gst_buffer_n_memory (buffers[i]); j++) {
      if (!gst_is_dmabuf_memory (gst_buffer_peek_memory (buffers[i], j))) {
        g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
            "buffer %u memory %u is not a dma-buf: nothing to import", i, j);
        return FALSE;
      }
    }
  }
  return TRUE;
}

/**
 * gst_alloc_device_try_import:
 * @path: a V4L2 or DRM device node
 * @info: the video format and size of @buffers
 * @buffers: (array length=n_buffers): buffers of one layout, every memory a
 *   dma-buf, each with a #GstVideoMeta
 * @n_buffers: how many, at least one
 * @report: (out) (optional) (transfer full): what was tried, one step a
 *   line
 * @error: (nullable): the step that failed
 *
 * Confirms that the device really takes @buffers without a copy. A DRM
 * device PRIME-imports every memory (DRM_IOCTL_PRIME_FD_TO_HANDLE); a V4L2 device is
 * given the format with the buffers' strides (VIDIOC_S_FMT, which changes
 * the device's format), then VIDIOC_REQBUFS with V4L2_MEMORY_DMABUF and one
 * VIDIOC_QBUF per buffer, which makes the kernel attach and map each
 * dma-buf; the buffers are released again. Use it on a device no one else
 * is streaming from.
 *
 * Returns: %TRUE when every buffer was imported.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_device_try_import (const gchar * path, const GstVideoInfo * info,
    GstBuffer * const *buffers, guint n_buffers, gchar ** report,
    GError ** error)
{
  GstAllocDeviceProbe probe = { path, -1, info, NULL, NULL };
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (buffers != NULL && n_buffers > 0, FALSE);

  if (!all_dmabuf (buffers, n_buffers, error))
    return FALSE;
  probe.text = g_string_new (NULL);
  ok = probe_device (&probe, buffers, n_buffers, error);
  if (report)
    *report = g_string_free (probe.text, FALSE);
  else
    g_string_free (probe.text, TRUE);
  return ok;
}
