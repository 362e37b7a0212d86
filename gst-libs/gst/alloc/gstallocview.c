/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocview
 * @title: GstAllocView
 * @short_description: One memory, described to each consumer as it needs
 *
 * Some needs are about the memory itself: its kind, heap, cache policy,
 * contiguity, the stride of its rows, its size. When two consumers differ
 * there, one of them needs a copy. These are **physical** needs. Others are
 * only about how a #GstBuffer describes the memory: one memory for all
 * planes or one per plane (`planes`), or a reader that does not read
 * #GstVideoMeta and finds the planes at #GstVideoInfo's default offsets
 * (`default-layout`). These are **structural** needs
 * (gst_alloc_field_is_structural()): a buffer of its own on the very same
 * bytes, with its memories split or joined with gst_memory_share() and a
 * #GstVideoMeta of its own, serves them without a byte copied. Paddings,
 * prefixes and offset alignments are allocated once for everybody (they
 * merge by maximum and least common multiple) and each view says where the
 * picture is.
 *
 * |[
 *  one allocation (planes=single)        view for planes=separate
 *  +------------------------------+
 *  | prefix                       |
 *  |  +-------------------------+ |      memory 0: share (Y area)
 *  |  | Y area: paddings, rows  | | ---> meta offset 0: Y area + lead
 *  |  +-------------------------+ |
 *  |  | UV area                 | | ---> memory 1: share (UV area)
 *  |  +-------------------------+ |      meta offset 1: |Y area| + lead
 *  +------------------------------+
 *
 *  view for default-layout: one memory from the first visible pixel of
 *  plane 0, when every stride and every distance between planes is
 *  already GstVideoInfo's default one.
 * ]|
 *
 * gst_alloc_view_plan() works on layouts (gst_alloc_layout_compute(), or
 * gst_alloc_layout_from_buffer() for a buffer at hand) and refuses, naming
 * the field, what only a copy can give; gst_alloc_view_make() makes the
 * buffer. The shared memories keep the parent's memory alive and locked:
 * a #GstAllocPool recycles the parent buffer only once every view of it
 * is freed. Mapping a view maps the parent's memory, through its
 * allocator, so a dma-buf's CPU access is bracketed by
 * `DMA_BUF_IOCTL_SYNC` as for the parent.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"
#include "gstallocview-private.h"

#include <string.h>

static const GstAllocField structural_fields[] = {
  GST_ALLOC_FIELD_PLANES, GST_ALLOC_FIELD_DEFAULT_LAYOUT,
};

/**
 * gst_alloc_field_is_structural:
 * @field: a field
 *
 * Tells the needs a view of the same memory can meet from those only
 * other memory can.
 *
 * Returns: %TRUE when a need for @field concerns only how a buffer
 * describes its memory (`planes`, `default-layout`), so that a view of the
 * same memory can meet it; %FALSE when it concerns the memory itself.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_field_is_structural (GstAllocField field)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (structural_fields); i++) {
    if (structural_fields[i] == field)
      return TRUE;
  }
  return FALSE;
}

/**
 * gst_alloc_constraints_without_structure:
 * @constraints: a set
 *
 * The needs of @constraints on the memory itself: the structural fields
 * (gst_alloc_field_is_structural()) back at their defaults, without
 * origins. Merged into a shared set, it makes the shared memory serve a
 * consumer through a view when the full set would conflict.
 *
 * Returns: (transfer full): a new set.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_without_structure (const GstAllocConstraints *
    constraints)
{
  GstAllocConstraints *out;
  GstAllocField field;
  guint i;

  g_return_val_if_fail (constraints != NULL, NULL);

  out = gst_alloc_constraints_copy (constraints);
  for (i = 0; i < G_N_ELEMENTS (structural_fields); i++) {
    field = structural_fields[i];
    gst_alloc_constraints_set_number (out, field,
        gst_alloc_field_get_info (field)->default_value);
    gst_alloc_constraints_set_field_origin (out, field, NULL);
  }
  return out;
}

static void
plan_as_is (GstAllocView * view, const GstAllocLayout * parent)
{
  guint m;

  memset (view, 0, sizeof (*view));
  view->layout = *parent;
  for (m = 0; m < parent->n_memories; m++)
    view->parent_memory[m] = m;
}

/* Where each plane's area (its padded top-left corner) starts in its
 * memory's data, and how far after that its first visible pixel is. */
static gboolean
plane_areas (const GstAllocLayout * parent, gssize start[GST_VIDEO_MAX_PLANES],
    gsize lead[GST_VIDEO_MAX_PLANES], GError ** error)
{
  guint n_image = gst_alloc_video_info_n_image_planes (&parent->info);
  guint p, m;
  gsize visible;

  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&parent->info); p++) {
    m = parent->plane_memory[p];
    visible = parent->offset[p] - gst_alloc_layout_data_before (parent, m);
    lead[p] = p < n_image && parent->stride[p] > 0 ?
        gst_alloc_plane_lead (parent->info.finfo, p, parent->stride[p],
        &parent->alignment) : 0;
    start[p] = (gssize) visible - (gssize) lead[p];
    if (start[p] < -(gssize) parent->memory_offset[m]) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
          "plane %u's paddings reach before the start of memory %u", p, m);
      return FALSE;
    }
  }
  return TRUE;
}

static void
finish_view (GstAllocView * view)
{
  GstAllocLayout *l = &view->layout;
  guint p;

  l->size = gst_alloc_layout_data_before (l, l->n_memories);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&l->info); p++) {
    GST_VIDEO_INFO_PLANE_OFFSET (&l->info, p) = l->offset[p];
    GST_VIDEO_INFO_PLANE_STRIDE (&l->info, p) = l->stride[p];
  }
  GST_VIDEO_INFO_SIZE (&l->info) = l->size;
}

/* One memory per plane, memory i holding plane i (as multi-planar V4L2
 * expects), each from its plane's area start to the next area in the same
 * memory or the end of that memory's data: the paddings stay inside. */
static gboolean
plan_separate (GstAllocView * view, const GstAllocLayout * parent,
    GError ** error)
{
  GstAllocLayout *l = &view->layout;
  guint n_planes = GST_VIDEO_INFO_N_PLANES (&parent->info);
  gssize start[GST_VIDEO_MAX_PLANES], end;
  gsize lead[GST_VIDEO_MAX_PLANES], data = 0;
  guint p, q, m;

  if (!plane_areas (parent, start, lead, error))
    return FALSE;
  for (p = 0; p < n_planes; p++) {
    m = parent->plane_memory[p];
    end = parent->memory_size[m];
    for (q = 0; q < n_planes; q++) {
      if (parent->plane_memory[q] == m && start[q] > start[p]
          && start[q] < end)
        end = start[q];
    }
    view->parent_memory[p] = m;
    view->parent_offset[p] = start[p];
    l->plane_memory[p] = p;
    l->memory_offset[p] = parent->memory_offset[m] + start[p];
    l->memory_size[p] = end - start[p];
    l->alloc_size[p] = parent->alloc_size[m];
    l->offset[p] = data + lead[p];
    data += l->memory_size[p];
  }
  l->n_memories = n_planes;
  finish_view (view);
  return TRUE;
}

/* *INDENT-OFF* */
static gboolean not_default (GError ** error, const GstAllocConstraints * c,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);
/* *INDENT-ON* */

static gboolean
not_default (GError ** error, const GstAllocConstraints * c,
    const gchar * format, ...)
{
  va_list args;
  gchar *what;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
      "default-layout (asked by %s) %s",
      gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_DEFAULT_LAYOUT), what);
  g_free (what);
  return FALSE;
}

/* One memory starting where GstVideoInfo's default layout puts the frame's
 * start: possible when every stride and every distance between planes is
 * already the default one (paddings above the first plane or below the
 * last, and bytes around the data, then stay outside the view). */
static gboolean
plan_default (GstAllocView * view, const GstAllocLayout * parent,
    const GstAllocConstraints * wants, GError ** error)
{
  GstAllocLayout *l = &view->layout;
  GstVideoInfo natural = parent->info;
  GstVideoAlignment none;
  gssize base, at;
  guint p;

  gst_video_alignment_reset (&none);
  if (!gst_video_info_align (&natural, &none))
    return not_default (error, wants, "has no default layout for %s",
        GST_VIDEO_INFO_NAME (&parent->info));
  if (parent->n_memories != 1)
    return not_default (error, wants, "reads one memory; the frame is in %u "
        "memories that are not parts of one allocation", parent->n_memories);
  base = (gssize) parent->offset[0]
      - (gssize) GST_VIDEO_INFO_PLANE_OFFSET (&natural, 0);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&natural); p++) {
    if (p < gst_alloc_video_info_n_image_planes (&natural)
        && parent->stride[p] != GST_VIDEO_INFO_PLANE_STRIDE (&natural, p))
      return not_default (error, wants, "reads plane %u with stride %d; the "
          "buffer's is %d", p, GST_VIDEO_INFO_PLANE_STRIDE (&natural, p),
          parent->stride[p]);
    at = (gssize) parent->offset[p] - (gssize) parent->offset[0];
    if ((gssize) parent->offset[p] - base
        != (gssize) GST_VIDEO_INFO_PLANE_OFFSET (&natural, p))
      return not_default (error, wants, "reads plane %u %" G_GSIZE_FORMAT
          " bytes after plane 0; in the buffer it is %" G_GSSIZE_FORMAT
          " bytes after", p, GST_VIDEO_INFO_PLANE_OFFSET (&natural, p)
          - GST_VIDEO_INFO_PLANE_OFFSET (&natural, 0), at);
  }
  if (base < -(gssize) parent->memory_offset[0]
      || base + (gssize) GST_VIDEO_INFO_SIZE (&natural)
      > (gssize) (parent->alloc_size[0] - parent->memory_offset[0]))
    return not_default (error, wants, "reads %" G_GSIZE_FORMAT " bytes, more "
        "than the buffer's allocation holds from the frame's start",
        GST_VIDEO_INFO_SIZE (&natural));

  view->parent_offset[0] = base;
  l->n_memories = 1;
  l->memory_offset[0] = parent->memory_offset[0] + base;
  l->memory_size[0] = GST_VIDEO_INFO_SIZE (&natural);
  l->alloc_size[0] = parent->alloc_size[0];
  gst_video_alignment_reset (&l->alignment);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&natural); p++) {
    l->plane_memory[p] = 0;
    l->offset[p] = GST_VIDEO_INFO_PLANE_OFFSET (&natural, p);
    l->stride[p] = GST_VIDEO_INFO_PLANE_STRIDE (&natural, p);
  }
  finish_view (view);
  return TRUE;
}

/**
 * gst_alloc_view_plan:
 * @view: (out caller-allocates): the view
 * @parent: the layout of the buffers to view: gst_alloc_layout_compute()
 *   for a pool's buffers, gst_alloc_layout_from_buffer() for a buffer
 * @wants: what the consumer needs
 * @error: (nullable): why no view serves it
 *
 * Plans how to describe buffers laid out as @parent to a consumer asking
 * @wants, without copying: as they are when they already satisfy it
 * (@view's as_is), else split into one memory per plane (`planes=separate`)
 * or re-based to the default layout (`default-layout`), the memories
 * always covering the same bytes. The view is then checked against every
 * need of @wants a layout shows (as gst_alloc_constraints_check_buffer()
 * does, memory kinds, contiguity and heaps aside: a view cannot change
 * those, and a caller makes sure of them by merging
 * gst_alloc_constraints_without_structure() into the shared set).
 *
 * Returns: %TRUE with @view filled; %FALSE with %GST_ALLOC_ERROR_VIOLATION
 * naming what only a copy can give: a stride, a distance between planes,
 * planes in separate allocations that one memory cannot span, or any other
 * need the bytes themselves miss.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_view_plan (GstAllocView * view, const GstAllocLayout * parent,
    const GstAllocConstraints * wants, GError ** error)
{
  GError *as_is = NULL;
  gboolean planned;

  g_return_val_if_fail (view != NULL && parent != NULL, FALSE);
  g_return_val_if_fail (wants != NULL && parent->info.finfo != NULL, FALSE);
  g_return_val_if_fail (parent->n_memories > 0
      && parent->n_memories <= GST_VIDEO_MAX_PLANES, FALSE);

  plan_as_is (view, parent);
  if (gst_alloc_layout_check (parent, wants, &as_is)) {
    view->as_is = TRUE;
    return TRUE;
  }
  if (wants->default_layout) {
    planned = plan_default (view, parent, wants, error);
  } else if (wants->planes == GST_ALLOC_PLANES_SEPARATE) {
    planned = plan_separate (view, parent, error);
  } else if (wants->planes == GST_ALLOC_PLANES_SINGLE && parent->n_memories > 1) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        "planes (asked by %s): the planes are in %u separate allocations, "
        "which one memory cannot span without a copy",
        gst_alloc_constraints_asked_by (wants, GST_ALLOC_FIELD_PLANES),
        parent->n_memories);
    planned = FALSE;
  } else {
    /* Nothing a description can change. */
    g_propagate_error (error, g_steal_pointer (&as_is));
    planned = FALSE;
  }
  g_clear_error (&as_is);
  return planned && gst_alloc_layout_check (&view->layout, wants, error);
}

static gboolean
is_default_layout (const GstAllocLayout * l)
{
  GstVideoInfo natural = l->info;
  GstVideoAlignment none;

  gst_video_alignment_reset (&none);
  return l->n_memories == 1 && gst_video_info_align (&natural, &none)
      && gst_alloc_layout_is_natural (l, &natural);
}

/**
 * gst_alloc_view_describe:
 * @view: a planned view
 *
 * Says what @view gives, in words, for logs and decisions: "one memory
 * per plane, bytes 0-2228223 and 2228224-3342335 of the same allocation",
 * "one memory, bytes 10240-471039 of the allocation, at GstVideoInfo's
 * default layout", "the buffer as it is".
 *
 * Returns: (transfer full): the description.
 *
 * Since: 1.0
 */
gchar *
gst_alloc_view_describe (const GstAllocView * view)
{
  const GstAllocLayout *l;
  GString *s;
  guint m;

  g_return_val_if_fail (view != NULL, NULL);

  l = &view->layout;
  if (view->as_is)
    return g_strdup ("the buffer as it is");
  s = g_string_new (l->n_memories > 1 ? "one memory per plane, bytes " :
      "one memory, bytes ");
  for (m = 0; m < l->n_memories; m++) {
    g_string_append_printf (s, "%s%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT,
        m == 0 ? "" : m + 1 < l->n_memories ? ", " : " and ",
        l->memory_offset[m], l->memory_offset[m] + l->memory_size[m] - 1);
  }
  g_string_append (s, l->n_memories > 1 && view->parent_memory[0]
      == view->parent_memory[l->n_memories - 1] ? " of the same allocation" :
      " of the allocation");
  if (is_default_layout (l))
    g_string_append (s, ", at GstVideoInfo's default layout");
  return g_string_free (s, FALSE);
}
