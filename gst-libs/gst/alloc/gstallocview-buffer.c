/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Views on real buffers: a buffer described as a layout, and the buffer a
 * planned view makes of it. Memories that are parts of one allocation (a
 * view's own split memories, say) count as one: a consumer wanting one
 * memory gets them joined, shared from the memory that owns them. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocview-private.h"

#include <string.h>

/* One memory as a view counts it: every memory of the buffer shared from
 * the same allocation (the same root memory) taken together, from the
 * first byte any of them shows to the last. */
typedef struct
{
  GstMemory *root;
  gsize start;
  gsize end;
} Described;

/* The memory that owns the allocation: gst_memory_share() makes every
 * share a child of the real parent, never of another share. */
static GstMemory *
root_of (GstMemory * mem)
{
  return mem->parent ? mem->parent : mem;
}

/* Groups @buffer's memories by allocation into @out; @group_of gives each
 * memory's group. Returns the number of groups, 0 on error. */
static guint
describe_memories (GstBuffer * buffer, Described out[GST_VIDEO_MAX_PLANES],
    guint group_of[], GError ** error)
{
  guint i, g, n = 0, n_mem = gst_buffer_n_memory (buffer);
  GstMemory *mem;

  for (i = 0; i < n_mem; i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    for (g = 0; g < n && out[g].root != root_of (mem); g++);
    if (g == GST_VIDEO_MAX_PLANES) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
          "the buffer's memories come from more than %u allocations",
          GST_VIDEO_MAX_PLANES);
      return 0;
    }
    if (g == n) {
      out[n].root = root_of (mem);
      out[n].start = mem->offset;
      out[n].end = mem->offset + mem->size;
      n++;
    }
    out[g].start = MIN (out[g].start, mem->offset);
    out[g].end = MAX (out[g].end, mem->offset + mem->size);
    group_of[i] = g;
  }
  if (n == 0)
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        "the buffer has no memory");
  return n;
}

/**
 * gst_alloc_layout_from_buffer:
 * @layout: (out caller-allocates): the buffer's layout
 * @info: the negotiated video info
 * @buffer: a buffer
 * @error: (nullable): why it cannot be described
 *
 * Describes @buffer as a consumer sees it: its #GstVideoMeta's offsets,
 * strides and paddings (or @info's defaults without a meta), and its
 * memories, those shared from one allocation counting as one memory from
 * the first byte any of them shows to the last (plane offsets counted
 * accordingly). The input of gst_alloc_view_plan() for a
 * buffer that did not come from a known layout.
 *
 * Returns: %TRUE on success; %FALSE with %GST_ALLOC_ERROR_VIOLATION when a
 * plane lies outside the buffer or its memories come from more than
 * %GST_VIDEO_MAX_PLANES allocations.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_layout_from_buffer (GstAllocLayout * layout,
    const GstVideoInfo * info, GstBuffer * buffer, GError ** error)
{
  Described d[GST_VIDEO_MAX_PLANES];
  GstVideoMeta *meta;
  GstMemory *mem;
  gsize skip, at;
  guint n, m, p, idx, length, *group_of;

  g_return_val_if_fail (layout != NULL && info != NULL, FALSE);
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);

  memset (layout, 0, sizeof (*layout));
  group_of = g_newa (guint, gst_buffer_n_memory (buffer) + 1);
  if (!(n = describe_memories (buffer, d, group_of, error)))
    return FALSE;
  meta = gst_buffer_get_video_meta (buffer);
  layout->info = *info;
  if (meta)
    layout->alignment = meta->alignment;
  else
    gst_video_alignment_reset (&layout->alignment);
  layout->n_memories = n;
  for (m = 0; m < n; m++) {
    layout->memory_offset[m] = d[m].start;
    layout->memory_size[m] = d[m].end - d[m].start;
    layout->alloc_size[m] = d[m].root->maxsize;
  }
  layout->size = gst_alloc_layout_data_before (layout, n);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    at = meta ? meta->offset[p] : GST_VIDEO_INFO_PLANE_OFFSET (info, p);
    if (!gst_buffer_find_memory (buffer, at, 1, &idx, &length, &skip)) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
          "plane %u at byte %" G_GSIZE_FORMAT " is outside the buffer's %"
          G_GSIZE_FORMAT " bytes", p, at, gst_buffer_get_size (buffer));
      return FALSE;
    }
    mem = gst_buffer_peek_memory (buffer, idx);
    m = group_of[idx];
    layout->plane_memory[p] = m;
    layout->offset[p] = gst_alloc_layout_data_before (layout, m)
        + mem->offset + skip - d[m].start;
    layout->stride[p] = meta ? meta->stride[p] :
        GST_VIDEO_INFO_PLANE_STRIDE (info, p);
    GST_VIDEO_INFO_PLANE_OFFSET (&layout->info, p) = layout->offset[p];
    GST_VIDEO_INFO_PLANE_STRIDE (&layout->info, p) = layout->stride[p];
  }
  GST_VIDEO_INFO_SIZE (&layout->info) = layout->size;
  return TRUE;
}

static gboolean
share_memories (const GstAllocView * view, GstBuffer * parent,
    GstBuffer * out, GError ** error)
{
  const GstAllocLayout *l = &view->layout;
  guint *group_of = g_newa (guint, gst_buffer_n_memory (parent) + 1);
  Described d[GST_VIDEO_MAX_PLANES];
  GstMemory *root, *mem;
  gssize start;
  guint n, i, k;

  if (!(n = describe_memories (parent, d, group_of, error)))
    return FALSE;
  for (i = 0; i < l->n_memories; i++) {
    k = view->parent_memory[i];
    if (k >= n) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
          "the view was planned for more than the buffer's %u memories", n);
      return FALSE;
    }
    root = d[k].root;
    /* From the start of the root's data. */
    start = (gssize) d[k].start - (gssize) root->offset
        + view->parent_offset[i];
    if ((gssize) root->offset + start < 0 || (gssize) root->offset + start
        + (gssize) l->memory_size[i] > (gssize) root->maxsize) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
          "memory %u of the buffer is smaller than the view planned", k);
      return FALSE;
    }
    if (GST_MEMORY_FLAG_IS_SET (root, GST_MEMORY_FLAG_NO_SHARE)
        || !(mem = gst_memory_share (root, start, l->memory_size[i]))) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
          "memory %u of the buffer cannot be shared (%s)", k,
          root->allocator ? GST_OBJECT_NAME (root->allocator) : "no allocator");
      return FALSE;
    }
    gst_buffer_append_memory (out, mem);
  }
  return TRUE;
}

/**
 * gst_alloc_view_make:
 * @view: a view planned for @parent's layout
 * @parent: the buffer to view
 * @error: (nullable): why not
 *
 * Makes the buffer @view describes: memories shared from @parent's with
 * gst_memory_share() (no byte is copied; they keep @parent's memories
 * alive and locked, so a pool recycles @parent only once the view is
 * freed), a #GstVideoMeta with the view's offsets, strides and paddings,
 * and @parent's flags, timestamps and metas, but for those about its
 * memories. The shared memories are read-only, as the memory of a buffer
 * that several consumers hold is anyway.
 *
 * Returns: (transfer full) (nullable): the view, or %NULL with
 * %GST_ALLOC_ERROR_VIOLATION when @parent's memories are not those the
 * view was planned for or cannot be shared.
 *
 * Since: 1.0
 */
GstBuffer *
gst_alloc_view_make (const GstAllocView * view, GstBuffer * parent,
    GError ** error)
{
  const GstAllocLayout *l;
  GstVideoMeta *parent_meta, *meta;
  GstBuffer *out;

  g_return_val_if_fail (view != NULL && GST_IS_BUFFER (parent), NULL);

  l = &view->layout;
  out = gst_buffer_new ();
  if (!share_memories (view, parent, out, error)) {
    gst_buffer_unref (out);
    return NULL;
  }
  /* The parent's metas but those about its memories (GstVideoMeta among
   * them), which GStreamer leaves out without GST_BUFFER_COPY_MEMORY: the
   * view's memories are others. */
  gst_buffer_copy_into (out, parent, GST_BUFFER_COPY_FLAGS |
      GST_BUFFER_COPY_TIMESTAMPS | GST_BUFFER_COPY_META, 0, -1);
  parent_meta = gst_buffer_get_video_meta (parent);
  meta = gst_buffer_add_video_meta_full (out, parent_meta ? parent_meta->flags
      : GST_VIDEO_FRAME_FLAG_NONE, GST_VIDEO_INFO_FORMAT (&l->info),
      GST_VIDEO_INFO_WIDTH (&l->info), GST_VIDEO_INFO_HEIGHT (&l->info),
      GST_VIDEO_INFO_N_PLANES (&l->info), (gsize *) l->offset,
      (gint *) l->stride);
  gst_video_meta_set_alignment (meta, l->alignment);
  return out;
}

/**
 * gst_alloc_view_new:
 * @parent: a buffer
 * @info: the negotiated video info
 * @wants: what the consumer needs
 * @error: (nullable): why no view serves it
 *
 * gst_alloc_layout_from_buffer(), gst_alloc_view_plan() and
 * gst_alloc_view_make() in one: a buffer on @parent's memory described as
 * @wants needs, even when the layout alone already fits (a join of
 * memories that are parts of one allocation is then made). Memory kinds,
 * contiguity and heaps are not looked at: check the result with
 * gst_alloc_constraints_check_buffer() when @parent's memory is not known
 * to suit.
 *
 * Returns: (transfer full) (nullable): the view, or %NULL with an error
 * naming what only a copy can give.
 *
 * Since: 1.0
 */
GstBuffer *
gst_alloc_view_new (GstBuffer * parent, const GstVideoInfo * info,
    const GstAllocConstraints * wants, GError ** error)
{
  GstAllocLayout layout;
  GstAllocView view;

  g_return_val_if_fail (GST_IS_BUFFER (parent), NULL);
  g_return_val_if_fail (info != NULL && wants != NULL, NULL);

  if (!gst_alloc_layout_from_buffer (&layout, info, parent, error)
      || !gst_alloc_view_plan (&view, &layout, wants, error))
    return NULL;
  return gst_alloc_view_make (&view, parent, error);
}
