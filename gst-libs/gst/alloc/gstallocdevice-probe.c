/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the device readers share: the description each builds, the stride
 * rule both V4L2 and DRM apply, and the layer's debug category. A leaf: it
 * calls nothing of the device layer (or above it). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"

#include <stdarg.h>

#define GST_CAT_DEFAULT gst_alloc_device_debug_category ()

/* Created on first use, so the readers log correctly whether or not
 * gst_alloc_init() was called. */
GstDebugCategory *
gst_alloc_device_debug_category (void)
{
  static GstDebugCategory *category = NULL;
  static gsize created = 0;

  if (g_once_init_enter (&created)) {
    GST_DEBUG_CATEGORY_INIT (category, "allocdevice", 0,
        "gst-alloc device constraint discovery (V4L2, DRM)");
    g_once_init_leave (&created, 1);
  }
  return category;
}

void
gst_alloc_device_note (GstAllocDeviceProbe * probe, const gchar * format, ...)
{
  va_list args;
  gchar *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  GST_DEBUG ("%s: %s", probe->path, line);
  if (probe->text)
    g_string_append_printf (probe->text, "%s\n", line);
  g_free (line);
}

void
gst_alloc_device_derive_stride (GstAllocDeviceProbe * probe,
    guint32 device_stride, guint32 max_align, gboolean always)
{
  GstAllocConstraints *c = probe->constraints;
  const GstVideoInfo *info = probe->info;
  guint32 natural = GST_VIDEO_INFO_PLANE_STRIDE (info, 0);
  guint32 align = 1, reached, pstride;

  if (device_stride == 0 || (device_stride <= natural && !always)) {
    gst_alloc_device_note (probe, "stride: the device's %u bytes per line do "
        "not exceed the natural %u: no stride constraint", device_stride,
        natural);
    return;
  }
  /* The driver's own rule is not exposed; the power-of-two part of the
   * stride it chose is the alignment it can be assumed to need. */
  while (align < max_align && device_stride % (align * 2) == 0)
    align *= 2;
  if (align > 1) {
    c->stride_align = align;
    gst_alloc_device_note (probe, "stride-align=%u: the largest power of two "
        "up to %u dividing the device's %u bytes per line (natural %u)",
        align, max_align, device_stride, natural);
  }
  reached = (natural + align - 1) / align * align;
  if (reached < device_stride) {
    /* The alignment alone does not reach the device's stride: widen the
     * rows on the right by the missing pixels. */
    pstride = MAX (GST_VIDEO_FORMAT_INFO_PSTRIDE (info->finfo, 0), 1);
    c->padding_right = (device_stride - natural + pstride - 1) / pstride;
    gst_alloc_device_note (probe, "padding-right=%u: columns that widen the "
        "natural %u bytes per line to the device's %u", c->padding_right,
        natural, device_stride);
  }
}
