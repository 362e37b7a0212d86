/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The violation list and the checks that a buffer and a planned layout
 * share; each caller finds the numbers its own way and passes them in. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocviolations-private.h"

void
gst_alloc_violations_init (GstAllocViolations * check,
    const GstAllocConstraints * c)
{
  check->c = c;
  check->violations = g_string_new (NULL);
}

void
gst_alloc_violations_add (GstAllocViolations * check, GstAllocField field,
    const gchar * format, ...)
{
  va_list args;

  if (check->violations->len > 0)
    g_string_append (check->violations, "; ");
  g_string_append_printf (check->violations, "%s (asked by %s): ",
      gst_alloc_field_get_name (field),
      gst_alloc_constraints_asked_by (check->c, field));
  va_start (args, format);
  g_string_append_vprintf (check->violations, format, args);
  va_end (args);
}

void
gst_alloc_violations_check_room (GstAllocViolations * check, guint memory,
    gsize alloc_size, gsize before, gsize after)
{
  const GstAllocConstraints *c = check->c;

  if (alloc_size % c->size_align != 0)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_SIZE_ALIGN,
        "memory %u has %" G_GSIZE_FORMAT " bytes", memory, alloc_size);
  if (before < c->prefix_bytes)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PREFIX_BYTES,
        "memory %u has %" G_GSIZE_FORMAT " bytes before its data", memory,
        before);
  if (after < c->padding_bytes)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PADDING_BYTES,
        "memory %u has %" G_GSIZE_FORMAT " bytes after its data", memory,
        after);
}

void
gst_alloc_violations_check_span (GstAllocViolations * check, guint64 used)
{
  if (check->c->max_size && used > check->c->max_size)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_MAX_SIZE,
        "the buffer spans %" G_GUINT64_FORMAT " bytes", used);
}

void
gst_alloc_violations_check_paddings (GstAllocViolations * check,
    const GstVideoInfo * info, const GstVideoAlignment * a)
{
  const GstAllocConstraints *c = check->c;
  guint64 padded_w = (guint64) GST_VIDEO_INFO_WIDTH (info) + a->padding_left
      + a->padding_right;
  guint64 padded_h = (guint64) GST_VIDEO_INFO_HEIGHT (info) + a->padding_top
      + a->padding_bottom;

  if (a->padding_top < c->padding_top)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PADDING_TOP, "%u rows",
        a->padding_top);
  if (a->padding_bottom < c->padding_bottom)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PADDING_BOTTOM,
        "%u rows", a->padding_bottom);
  if (a->padding_left < c->padding_left)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PADDING_LEFT,
        "%u columns", a->padding_left);
  if (a->padding_right < c->padding_right)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PADDING_RIGHT,
        "%u columns", a->padding_right);
  if (padded_w % c->width_align != 0)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_WIDTH_ALIGN,
        "padded width %" G_GUINT64_FORMAT, padded_w);
  if (padded_h % c->height_align != 0)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_HEIGHT_ALIGN,
        "padded height %" G_GUINT64_FORMAT, padded_h);
}

void
gst_alloc_violations_check_stride (GstAllocViolations * check, guint plane,
    gint stride)
{
  if (stride <= 0 || stride % check->c->stride_align != 0)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_STRIDE_ALIGN,
        "plane %u stride %d", plane, stride);
}

void
gst_alloc_violations_check_start (GstAllocViolations * check, guint plane,
    gsize start, guint memory)
{
  const GstAllocConstraints *c = check->c;

  if (start % c->offset_align != 0)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_OFFSET_ALIGN,
        "plane %u starts at byte %" G_GSIZE_FORMAT " of memory %u", plane,
        start, memory);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE && memory != plane)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PLANES,
        "plane %u is in memory %u", plane, memory);
}

void
gst_alloc_violations_check_memories (GstAllocViolations * check,
    guint n_memories, guint n_planes)
{
  const GstAllocConstraints *c = check->c;

  if (c->planes == GST_ALLOC_PLANES_SINGLE && n_memories != 1)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PLANES, "%u memories",
        n_memories);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE && n_memories != n_planes)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PLANES,
        "%u memories for %u planes", n_memories, n_planes);
}

/* A consumer that does not read GstVideoMeta finds the planes at
 * GstVideoInfo's default strides and offsets, whatever a meta says. */
gboolean
gst_alloc_violations_check_default (GstAllocViolations * check,
    const GstVideoInfo * info, const gsize * offset, const gint * stride,
    gsize size)
{
  GstVideoInfo natural = *info;
  GstVideoAlignment none;
  guint p;

  gst_video_alignment_reset (&none);
  if (!gst_video_info_align (&natural, &none))
    return FALSE;
  for (p = 0; offset && p < GST_VIDEO_INFO_N_PLANES (&natural); p++) {
    if (offset[p] != GST_VIDEO_INFO_PLANE_OFFSET (&natural, p)
        || stride[p] != GST_VIDEO_INFO_PLANE_STRIDE (&natural, p)) {
      gst_alloc_violations_add (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT,
          "plane %u is at offset %" G_GSIZE_FORMAT " with stride %d, the "
          "default is %" G_GSIZE_FORMAT " and %d", p, offset[p], stride[p],
          GST_VIDEO_INFO_PLANE_OFFSET (&natural, p),
          GST_VIDEO_INFO_PLANE_STRIDE (&natural, p));
      return FALSE;
    }
  }
  if (size < GST_VIDEO_INFO_SIZE (&natural)) {
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT,
        "the buffer holds %" G_GSIZE_FORMAT " bytes, the default layout %"
        G_GSIZE_FORMAT, size, GST_VIDEO_INFO_SIZE (&natural));
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_alloc_violations_finish (GstAllocViolations * check, GError ** error)
{
  gboolean none = check->violations->len == 0;

  if (!none)
    g_set_error_literal (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        check->violations->str);
  g_string_free (check->violations, TRUE);
  check->violations = NULL;
  return none;
}
