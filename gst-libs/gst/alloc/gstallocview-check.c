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
#include "gstallocviolations-private.h"

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
check_memories (GstAllocViolations * check, const GstAllocLayout * l)
{
  guint64 used = 0;
  gsize end, after;
  guint m;

  for (m = 0; m < l->n_memories; m++) {
    end = l->memory_offset[m] + l->memory_size[m];
    after = l->alloc_size[m] > end ? l->alloc_size[m] - end : 0;
    gst_alloc_violations_check_room (check, m, l->alloc_size[m],
        l->memory_offset[m], after);
    used += l->memory_offset[m] + l->memory_size[m];
  }
  gst_alloc_violations_check_span (check, used);
}

/* A plane's area starts at its visible offset less the lead its paddings
 * make; its place in the allocation adds the memory's own offset. */
static void
check_plane (GstAllocViolations * check, const GstAllocLayout * l, guint p)
{
  guint m = l->plane_memory[p];
  gsize before = gst_alloc_layout_data_before (l, m), skip, lead, start;
  gint stride = l->stride[p];

  gst_alloc_violations_check_stride (check, p, stride);
  if (m >= l->n_memories || l->offset[p] < before
      || l->offset[p] - before >= l->memory_size[m]) {
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PLANES, "plane %u offset %"
        G_GSIZE_FORMAT " is outside the buffer", p, l->offset[p]);
    return;
  }
  skip = l->offset[p] - before;
  lead = stride > 0 ? gst_alloc_plane_lead (l->info.finfo, p, stride,
      &l->alignment) : 0;
  start = l->memory_offset[m] + skip - MIN (lead, l->memory_offset[m] + skip);
  gst_alloc_violations_check_start (check, p, start, m);
}

gboolean
gst_alloc_layout_check (const GstAllocLayout * layout,
    const GstAllocConstraints * c, GError ** error)
{
  GstAllocViolations check;
  guint p;

  gst_alloc_violations_init (&check, c);
  check_memories (&check, layout);
  gst_alloc_violations_check_paddings (&check, &layout->info,
      &layout->alignment);
  for (p = 0; p < gst_alloc_video_info_n_image_planes (&layout->info); p++)
    check_plane (&check, layout, p);
  gst_alloc_violations_check_memories (&check, layout->n_memories,
      GST_VIDEO_INFO_N_PLANES (&layout->info));
  if (c->default_layout && gst_alloc_violations_check_default (&check,
          &layout->info, layout->offset, layout->stride, layout->size)
      && layout->n_memories != 1)
    gst_alloc_violations_add (&check, GST_ALLOC_FIELD_DEFAULT_LAYOUT,
        "the frame is in %u memories, which mapping the buffer would merge "
        "by copying", layout->n_memories);
  return gst_alloc_violations_finish (&check, error);
}
