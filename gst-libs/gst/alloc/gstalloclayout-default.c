/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* default-layout: a consumer that does not read GstVideoMeta finds each
 * plane where GstVideoInfo puts it by default, so the layout must be that
 * one. The other constraints of the set either hold on it as it is or
 * conflict: paddings, alignments the default strides, offsets or sizes do
 * not meet, and one memory per plane all move pixels. size-align,
 * prefix-bytes, padding-bytes and the memory fields do not: they act
 * around the frame's data, not inside it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

/* *INDENT-OFF* */
static void conflict (GString * out, const GstAllocConstraints * c,
    GstAllocField field, const gchar * format, ...) G_GNUC_PRINTF (4, 5);
/* *INDENT-ON* */

/* Appends "default-layout (asked by A) <what>, <field> <value> (asked by
 * B)". */
static void
conflict (GString * out, const GstAllocConstraints * c, GstAllocField field,
    const gchar * format, ...)
{
  gchar *asked = gst_alloc_constraints_describe_asked (c, field);
  va_list args;

  g_string_append_printf (out, "%sdefault-layout (asked by %s) ",
      out->len ? "; " : "",
      gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_DEFAULT_LAYOUT));
  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);
  g_string_append_printf (out, " %s", asked);
  g_free (asked);
}

static void
check_strides (GString * out, const GstVideoInfo * info,
    const GstAllocConstraints * c)
{
  guint p;
  gint stride;

  for (p = 0; p < gst_alloc_video_info_n_image_planes (info); p++) {
    stride = GST_VIDEO_INFO_PLANE_STRIDE (info, p);
    if (stride % c->stride_align == 0)
      continue;
    if (p == 0)
      conflict (out, c, GST_ALLOC_FIELD_STRIDE_ALIGN, "gives stride %d, not "
          "a multiple of", stride);
    else
      conflict (out, c, GST_ALLOC_FIELD_STRIDE_ALIGN, "gives plane %u stride "
          "%d, not a multiple of", p, stride);
    return;
  }
}

/* Every plane starts at its default offset: with the memory's data itself
 * starting at a multiple of offset-align, the offsets must be multiples. */
static void
check_offsets (GString * out, const GstVideoInfo * info,
    const GstAllocConstraints * c)
{
  guint p;
  gsize offset;

  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    offset = GST_VIDEO_INFO_PLANE_OFFSET (info, p);
    if (offset % c->offset_align != 0) {
      conflict (out, c, GST_ALLOC_FIELD_OFFSET_ALIGN, "starts plane %u at "
          "byte %" G_GSIZE_FORMAT ", not a multiple of", p, offset);
      return;
    }
  }
}

static void
check_extents (GString * out, const GstVideoInfo * info,
    const GstAllocConstraints * c)
{
  static const GstAllocField paddings[] = {
    GST_ALLOC_FIELD_PADDING_TOP, GST_ALLOC_FIELD_PADDING_BOTTOM,
    GST_ALLOC_FIELD_PADDING_LEFT, GST_ALLOC_FIELD_PADDING_RIGHT,
  };
  guint i;

  if (GST_VIDEO_INFO_WIDTH (info) % c->width_align != 0)
    conflict (out, c, GST_ALLOC_FIELD_WIDTH_ALIGN, "keeps the width %d, not "
        "a multiple of", GST_VIDEO_INFO_WIDTH (info));
  if (GST_VIDEO_INFO_HEIGHT (info) % c->height_align != 0)
    conflict (out, c, GST_ALLOC_FIELD_HEIGHT_ALIGN, "keeps the height %d, "
        "not a multiple of", GST_VIDEO_INFO_HEIGHT (info));
  for (i = 0; i < G_N_ELEMENTS (paddings); i++) {
    if (gst_alloc_constraints_field_is_set (c, paddings[i]))
      conflict (out, c, paddings[i], "has no padding, against");
  }
}

gboolean
gst_alloc_layout_default_info (GstVideoInfo * aligned,
    const GstVideoInfo * info, const GstAllocConstraints * c, GError ** error)
{
  GstVideoAlignment none;
  GString *conflicts;

  /* GstVideoInfo's own computation, as gst_video_info_set_format() makes
   * it, with the rest of @info (interlacing, colorimetry) kept. */
  *aligned = *info;
  gst_video_alignment_reset (&none);
  if (!gst_video_info_align (aligned, &none)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "GstVideoInfo has no default layout for %s %dx%d",
        GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info));
    return FALSE;
  }

  conflicts = g_string_new (NULL);
  check_strides (conflicts, aligned, c);
  check_offsets (conflicts, aligned, c);
  check_extents (conflicts, aligned, c);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE)
    conflict (conflicts, c, GST_ALLOC_FIELD_PLANES, "keeps all planes in one "
        "memory, against");
  if (conflicts->len == 0) {
    g_string_free (conflicts, TRUE);
    return TRUE;
  }
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
      "%s %dx%d: %s", GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), conflicts->str);
  g_string_free (conflicts, TRUE);
  return FALSE;
}
