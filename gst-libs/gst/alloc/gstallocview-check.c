/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A layout checked against a constraint set with numbers alone, as
 * gst_alloc_constraints_check_buffer() checks a buffer: a view is planned,
 * and a decision made, before any buffer exists. The messages read like
 * the buffer check's, so a decision and a violation name things alike. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocview-private.h"

typedef struct
{
  const GstAllocConstraints *c;
  GString *violations;
} Check;

/* *INDENT-OFF* */
static void violation (Check * check, GstAllocField field,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);
/* *INDENT-ON* */

static void
violation (Check * check, GstAllocField field, const gchar * format, ...)
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

gsize
gst_alloc_layout_data_before (const GstAllocLayout * layout, guint memory)
{
  gsize before = 0;
  guint m;

  for (m = 0; m < memory; m++)
    before += layout->memory_size[m];
  return before;
}

static void
check_memories (Check * check, const GstAllocLayout * l)
{
  const GstAllocConstraints *c = check->c;
  guint64 used = 0;
  gsize end, after;
  guint m;

  for (m = 0; m < l->n_memories; m++) {
    end = l->memory_offset[m] + l->memory_size[m];
    after = l->alloc_size[m] > end ? l->alloc_size[m] - end : 0;
    if (l->alloc_size[m] % c->size_align != 0)
      violation (check, GST_ALLOC_FIELD_SIZE_ALIGN, "memory %u has %"
          G_GSIZE_FORMAT " bytes", m, l->alloc_size[m]);
    if (l->memory_offset[m] < c->prefix_bytes)
      violation (check, GST_ALLOC_FIELD_PREFIX_BYTES, "memory %u has %"
          G_GSIZE_FORMAT " bytes before its data", m, l->memory_offset[m]);
    if (after < c->padding_bytes)
      violation (check, GST_ALLOC_FIELD_PADDING_BYTES, "memory %u has %"
          G_GSIZE_FORMAT " bytes after its data", m, after);
    used += l->memory_offset[m] + l->memory_size[m];
  }
  if (c->max_size && used > c->max_size)
    violation (check, GST_ALLOC_FIELD_MAX_SIZE, "the buffer spans %"
        G_GUINT64_FORMAT " bytes", used);
}

static void
check_paddings (Check * check, const GstAllocLayout * l)
{
  const GstAllocConstraints *c = check->c;
  const GstVideoAlignment *a = &l->alignment;
  guint64 padded_w = (guint64) GST_VIDEO_INFO_WIDTH (&l->info)
      + a->padding_left + a->padding_right;
  guint64 padded_h = (guint64) GST_VIDEO_INFO_HEIGHT (&l->info)
      + a->padding_top + a->padding_bottom;

  if (a->padding_top < c->padding_top)
    violation (check, GST_ALLOC_FIELD_PADDING_TOP, "%u rows", a->padding_top);
  if (a->padding_bottom < c->padding_bottom)
    violation (check, GST_ALLOC_FIELD_PADDING_BOTTOM, "%u rows",
        a->padding_bottom);
  if (a->padding_left < c->padding_left)
    violation (check, GST_ALLOC_FIELD_PADDING_LEFT, "%u columns",
        a->padding_left);
  if (a->padding_right < c->padding_right)
    violation (check, GST_ALLOC_FIELD_PADDING_RIGHT, "%u columns",
        a->padding_right);
  if (padded_w % c->width_align != 0)
    violation (check, GST_ALLOC_FIELD_WIDTH_ALIGN, "padded width %"
        G_GUINT64_FORMAT, padded_w);
  if (padded_h % c->height_align != 0)
    violation (check, GST_ALLOC_FIELD_HEIGHT_ALIGN, "padded height %"
        G_GUINT64_FORMAT, padded_h);
}

/* A plane's area starts at its visible offset less the lead its paddings
 * make; its place in the allocation adds the memory's own offset. */
static void
check_plane (Check * check, const GstAllocLayout * l, guint p)
{
  const GstAllocConstraints *c = check->c;
  guint m = l->plane_memory[p];
  gsize before = gst_alloc_layout_data_before (l, m), skip, lead, start;
  gint stride = l->stride[p];

  if (stride <= 0 || stride % c->stride_align != 0)
    violation (check, GST_ALLOC_FIELD_STRIDE_ALIGN, "plane %u stride %d", p,
        stride);
  if (m >= l->n_memories || l->offset[p] < before
      || l->offset[p] - before >= l->memory_size[m]) {
    violation (check, GST_ALLOC_FIELD_PLANES, "plane %u offset %"
        G_GSIZE_FORMAT " is outside the buffer", p, l->offset[p]);
    return;
  }
  skip = l->offset[p] - before;
  lead = stride > 0 ? gst_alloc_plane_lead (l->info.finfo, p, stride,
      &l->alignment) : 0;
  start = l->memory_offset[m] + skip - MIN (lead, l->memory_offset[m] + skip);
  if (start % c->offset_align != 0)
    violation (check, GST_ALLOC_FIELD_OFFSET_ALIGN, "plane %u starts at byte %"
        G_GSIZE_FORMAT " of memory %u", p, start, m);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE && m != p)
    violation (check, GST_ALLOC_FIELD_PLANES, "plane %u is in memory %u", p, m);
}

static void
check_default (Check * check, const GstAllocLayout * l)
{
  GstVideoInfo natural = l->info;
  GstVideoAlignment none;
  guint p;

  gst_video_alignment_reset (&none);
  if (!gst_video_info_align (&natural, &none))
    return;
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&natural); p++) {
    if (l->offset[p] != GST_VIDEO_INFO_PLANE_OFFSET (&natural, p)
        || l->stride[p] != GST_VIDEO_INFO_PLANE_STRIDE (&natural, p)) {
      violation (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT, "plane %u is at "
          "offset %" G_GSIZE_FORMAT " with stride %d, the default is %"
          G_GSIZE_FORMAT " and %d", p, l->offset[p], l->stride[p],
          GST_VIDEO_INFO_PLANE_OFFSET (&natural, p),
          GST_VIDEO_INFO_PLANE_STRIDE (&natural, p));
      return;
    }
  }
  if (l->size < GST_VIDEO_INFO_SIZE (&natural))
    violation (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT, "the buffer holds %"
        G_GSIZE_FORMAT " bytes, the default layout %" G_GSIZE_FORMAT, l->size,
        GST_VIDEO_INFO_SIZE (&natural));
  else if (l->n_memories != 1)
    violation (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT, "the frame is in %u "
        "memories, which mapping the buffer would merge by copying",
        l->n_memories);
}

gboolean
gst_alloc_layout_check (const GstAllocLayout * layout,
    const GstAllocConstraints * c, GError ** error)
{
  Check check = { c, g_string_new (NULL) };
  guint n_planes = GST_VIDEO_INFO_N_PLANES (&layout->info);
  guint p;

  check_memories (&check, layout);
  check_paddings (&check, layout);
  for (p = 0; p < gst_alloc_video_info_n_image_planes (&layout->info); p++)
    check_plane (&check, layout, p);
  if (c->planes == GST_ALLOC_PLANES_SINGLE && layout->n_memories != 1)
    violation (&check, GST_ALLOC_FIELD_PLANES, "%u memories",
        layout->n_memories);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE && layout->n_memories != n_planes)
    violation (&check, GST_ALLOC_FIELD_PLANES, "%u memories for %u planes",
        layout->n_memories, n_planes);
  if (c->default_layout)
    check_default (&check, layout);

  if (check.violations->len == 0) {
    g_string_free (check.violations, TRUE);
    return TRUE;
  }
  g_set_error_literal (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
      check.violations->str);
  g_string_free (check.violations, TRUE);
  return FALSE;
}
