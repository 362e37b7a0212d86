/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstalloclayout
 * @title: GstAllocLayout
 * @short_description: Plane layout satisfying a constraint set
 *
 * One plane inside one allocation (planes=single puts every plane in the
 * same allocation, one after the other; planes=separate gives each its own):
 *
 * |[
 *  allocation start (page aligned)
 *  | prefix-bytes | align |<------------ plane area ------------>|
 *                         ^ plane start: multiple of offset-align
 *                         +------------------------------------+ -
 *                         |        padding-top rows            | |
 *                         |   +------------------------+       | |
 *                         |pl.|  visible picture       |pr.+wa | | padded height:
 *                         |   +------------------------+       | | multiple of
 *                         |        padding-bottom + ha rows    | | height-align
 *                         +------------------------------------+ -
 *                         |<-- stride: multiple of stride-align -->|
 *  ... next plane ... | padding-bytes | up to a multiple of size-align |
 * ]|
 *
 * pl./pr. are padding-left/-right; wa and ha the columns and rows added so
 * the padded width and height are multiples of width-align and height-align.
 * #GstVideoMeta offsets point at the first visible pixel of each plane.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocdrmformat-private.h"

#include <string.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_debug

/**
 * gst_alloc_video_info_n_image_planes:
 * @info: a video info
 *
 * Returns: the planes holding pixels: all but the palette of paletted
 * formats, which no padding or alignment applies to.
 *
 * Since: 1.0
 */
guint
gst_alloc_video_info_n_image_planes (const GstVideoInfo * info)
{
  return GST_VIDEO_INFO_N_PLANES (info)
      - (GST_VIDEO_FORMAT_INFO_HAS_PALETTE (info->finfo) ? 1 : 0);
}

gsize
gst_alloc_plane_lead (const GstVideoFormatInfo * finfo, guint plane,
    gint stride, const GstVideoAlignment * align)
{
  gint comp[GST_VIDEO_MAX_COMPONENTS];

  /* A plane is subsampled as its first component, whose index need not be
   * the plane's (AV12 keeps alpha, component 3, in plane 2). */
  gst_video_format_info_component (finfo, plane, comp);
  return (gsize) GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, comp[0],
      align->padding_top) * stride
      + (gsize) GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, comp[0],
      align->padding_left) * GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, comp[0]);
}

/* Byte offset of the first visible pixel inside plane @plane's area. */
static gsize
visible_offset (const GstVideoInfo * info, const GstVideoAlignment * align,
    guint plane)
{
  return gst_alloc_plane_lead (info->finfo, plane,
      GST_VIDEO_INFO_PLANE_STRIDE (info, plane), align);
}

static gboolean
place_span (gsize * cursor, gsize length, guint32 multiple, gsize * start)
{
  if (!gst_alloc_checked_round_up (*cursor, multiple, start))
    return FALSE;
  if (*start > G_MAXSIZE - length)
    return FALSE;
  *cursor = *start + length;
  return TRUE;
}

static gboolean
finish_memory (GstAllocLayout * layout, guint mem, gsize data_end,
    const GstAllocConstraints * c)
{
  gsize end;

  layout->memory_size[mem] = data_end - layout->memory_offset[mem];
  if (data_end > G_MAXSIZE - c->padding_bytes)
    return FALSE;
  end = data_end + c->padding_bytes;
  return gst_alloc_checked_round_up (end, c->size_align,
      &layout->alloc_size[mem]);
}

/* Plane indices in the order their areas follow each other in memory: formats
 * such as YV12 store plane 2 before plane 1, and keeping that order keeps the
 * layout recognisable to code that assumes it. */
static void
plane_order (guint n_planes, const gsize area_start[GST_VIDEO_MAX_PLANES],
    guint order[GST_VIDEO_MAX_PLANES])
{
  guint i, j, tmp;

  for (i = 0; i < n_planes; i++)
    order[i] = i;
  for (i = 1; i < n_planes; i++) {
    for (j = i; j > 0 && area_start[order[j]] < area_start[order[j - 1]]; j--) {
      tmp = order[j];
      order[j] = order[j - 1];
      order[j - 1] = tmp;
    }
  }
}

/* Each plane's extent is what GstVideoInfo gives it in its natural, gap-free
 * placement: up to the next plane, the last one up to the frame size. This
 * is larger than gst_video_info_align_full()'s plane sizes for some 4:2:0
 * formats, whose luma plane is given an even number of rows. */
static void
plane_extents (const GstVideoInfo * info,
    const gsize area_start[GST_VIDEO_MAX_PLANES],
    const guint order[GST_VIDEO_MAX_PLANES], gsize extent[GST_VIDEO_MAX_PLANES])
{
  guint n_planes = GST_VIDEO_INFO_N_PLANES (info);
  guint k;

  for (k = 0; k + 1 < n_planes; k++)
    extent[order[k]] = area_start[order[k + 1]] - area_start[order[k]];
  extent[order[n_planes - 1]] = GST_VIDEO_INFO_SIZE (info)
      - area_start[order[n_planes - 1]];
}

/* Puts the plane areas into memories. With planes=separate, memory i holds
 * plane i, as multi-planar V4L2 expects; otherwise the planes keep their
 * natural order. */
static gboolean
place_planes (GstAllocLayout * layout, const GstAllocConstraints * c,
    const gsize area_start[GST_VIDEO_MAX_PLANES])
{
  guint n_planes = GST_VIDEO_INFO_N_PLANES (&layout->info);
  gboolean separate = c->planes == GST_ALLOC_PLANES_SEPARATE;
  guint order[GST_VIDEO_MAX_PLANES];
  gsize extent[GST_VIDEO_MAX_PLANES];
  gsize data_before = 0, cursor = c->prefix_bytes, start, visible;
  guint k, p, mem = 0;

  plane_order (n_planes, area_start, order);
  plane_extents (&layout->info, area_start, order, extent);
  if (separate) {
    for (k = 0; k < n_planes; k++)
      order[k] = k;
  }

  layout->n_memories = separate ? n_planes : 1;
  for (k = 0; k < n_planes; k++) {
    p = order[k];
    if (separate && k > 0) {
      data_before += layout->memory_size[mem];
      mem++;
      cursor = c->prefix_bytes;
    }
    if (!place_span (&cursor, extent[p], c->offset_align, &start))
      return FALSE;
    if (separate || k == 0)
      layout->memory_offset[mem] = start;
    visible = GST_VIDEO_INFO_PLANE_OFFSET (&layout->info, p) - area_start[p];
    layout->plane_memory[p] = mem;
    layout->offset[p] = data_before + (start - layout->memory_offset[mem])
        + visible;
    layout->stride[p] = GST_VIDEO_INFO_PLANE_STRIDE (&layout->info, p);
    if ((separate || k == n_planes - 1)
        && !finish_memory (layout, mem, cursor, c))
      return FALSE;
  }
  layout->size = data_before + layout->memory_size[mem];
  return TRUE;
}

static gboolean
check_max_size (const GstAllocLayout * layout, const GstAllocConstraints * c,
    GError ** error)
{
  guint64 total = 0;
  guint i;

  if (c->max_size == 0)
    return TRUE;
  for (i = 0; i < layout->n_memories; i++)
    total += layout->memory_offset[i] + layout->memory_size[i];
  if (total <= c->max_size)
    return TRUE;
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
      "a %s %dx%d frame needs %" G_GUINT64_FORMAT " bytes but max-size is %"
      G_GUINT64_FORMAT " (asked by %s)", GST_VIDEO_INFO_NAME (&layout->info),
      GST_VIDEO_INFO_WIDTH (&layout->info),
      GST_VIDEO_INFO_HEIGHT (&layout->info), total, c->max_size,
      gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_MAX_SIZE));
  return FALSE;
}

/* Fields that grow a frame's data or its allocations. */
static const GstAllocField size_fields[] = {
  GST_ALLOC_FIELD_STRIDE_ALIGN, GST_ALLOC_FIELD_OFFSET_ALIGN,
  GST_ALLOC_FIELD_SIZE_ALIGN, GST_ALLOC_FIELD_WIDTH_ALIGN,
  GST_ALLOC_FIELD_HEIGHT_ALIGN, GST_ALLOC_FIELD_PADDING_TOP,
  GST_ALLOC_FIELD_PADDING_BOTTOM, GST_ALLOC_FIELD_PADDING_LEFT,
  GST_ALLOC_FIELD_PADDING_RIGHT, GST_ALLOC_FIELD_PREFIX_BYTES,
  GST_ALLOC_FIELD_PADDING_BYTES,
};

static gboolean
too_large (const GstVideoInfo * info, const GstAllocConstraints * c,
    const gchar * what, GError ** error)
{
  gchar *fields = gst_alloc_constraints_describe_fields (c, size_fields,
      G_N_ELEMENTS (size_fields));

  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
      "%s %dx%d with %s: %s", GST_VIDEO_INFO_NAME (info),
      GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info),
      *fields ? fields : "no constraint", what);
  g_free (fields);
  return FALSE;
}

/* Backends allocate whole pages, so a memory's size can only be a multiple
 * of size-align if it is a multiple of both: beyond 32 bits, refuse rather
 * than hand out memories of the wrong size. */
static gboolean
check_size_align (const GstAllocConstraints * c, GError ** error)
{
  guint32 page = sysconf (_SC_PAGESIZE), granule;

  if (gst_alloc_checked_lcm (c->size_align, page, &granule))
    return TRUE;
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
      "size-align %u (asked by %s): memories are allocated in pages of %u "
      "bytes, and no size up to %u is a multiple of both", c->size_align,
      gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_SIZE_ALIGN), page,
      G_MAXUINT32);
  return FALSE;
}

/**
 * gst_alloc_layout_compute:
 * @layout: (out caller-allocates): the layout
 * @info: the video format and size
 * @constraints: a (merged) constraint set
 * @error: (nullable): where to say why no layout fits
 *
 * Lays out a frame so that every plane satisfies @constraints: padded width
 * and height, strides, plane offsets within their memory, memory sizes and
 * the bytes reserved before and after each memory's data.
 *
 * With default-layout, the strides, plane offsets and frame size are
 * exactly those of gst_video_info_set_format(), in one memory, when every
 * other constraint of the set holds on them; paddings, width-align and
 * height-align that would change them, strides or offsets that miss
 * stride-align or offset-align, and planes=separate are then conflicts.
 * size-align, prefix-bytes, padding-bytes and the memory fields still
 * apply: they act around the frame's data.
 *
 * The layout is linear: with drm-formats set, the format's DRM fourcc with
 * the linear modifier must be among them.
 *
 * Returns: %TRUE on success, %FALSE with %GST_ALLOC_ERROR_LAYOUT otherwise
 * (tiled format, drm-formats without the format's linear layout, frame
 * larger than max-size, unreachable stride alignment,
 * a conflict with default-layout, paddings or alignments too large to lay
 * out, a size-align that no page-rounded size can meet), naming the
 * fields, their values and who asked for them.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_layout_compute (GstAllocLayout * layout, const GstVideoInfo * info,
    const GstAllocConstraints * constraints, GError ** error)
{
  gsize area_start[GST_VIDEO_MAX_PLANES] = { 0, };
  guint p;

  g_return_val_if_fail (layout != NULL && info != NULL, FALSE);
  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (info->finfo != NULL, FALSE);

  memset (layout, 0, sizeof (*layout));
  if (GST_VIDEO_FORMAT_INFO_IS_TILED (info->finfo)
      || GST_VIDEO_INFO_FORMAT (info) == GST_VIDEO_FORMAT_ENCODED
      || GST_VIDEO_INFO_FORMAT (info) == GST_VIDEO_FORMAT_UNKNOWN) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "%s is not a linear raw format: its layout is not ours to choose",
        GST_VIDEO_INFO_NAME (info));
    return FALSE;
  }

  if (!check_size_align (constraints, error)
      || !gst_alloc_drm_formats_check_layout (constraints, info, error))
    return FALSE;
  if (constraints->default_layout) {
    gst_video_alignment_reset (&layout->alignment);
    if (!gst_alloc_layout_default_info (&layout->info, info, constraints,
            error))
      return FALSE;
  } else if (!gst_alloc_layout_padding (&layout->alignment, info,
          constraints, error)
      || !gst_alloc_layout_align_strides (&layout->info, info,
          &layout->alignment, constraints, error)) {
    return FALSE;
  }

  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&layout->info); p++) {
    area_start[p] = GST_VIDEO_INFO_PLANE_OFFSET (&layout->info, p);
    if (p < gst_alloc_video_info_n_image_planes (&layout->info))
      area_start[p] -= visible_offset (&layout->info, &layout->alignment, p);
  }
  if (!place_planes (layout, constraints, area_start))
    return too_large (info, constraints, "the layout overflows the address "
        "space", error);
  /* GstBufferPool configs and GstVideoMeta hold sizes in 32 bits. */
  if (layout->size > G_MAXUINT32)
    return too_large (info, constraints, "the frame's data would span more "
        "than 4294967295 bytes, more than a buffer pool can state", error);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&layout->info); p++)
    GST_VIDEO_INFO_PLANE_OFFSET (&layout->info, p) = layout->offset[p];
  GST_VIDEO_INFO_SIZE (&layout->info) = layout->size;

  return check_max_size (layout, constraints, error);
}

/**
 * gst_alloc_layout_is_natural:
 * @layout: a layout
 * @info: the video info it was computed from
 *
 * Returns: %TRUE if a consumer that ignores #GstVideoMeta would still read
 * the frame correctly: one memory, default strides and offsets.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_layout_is_natural (const GstAllocLayout * layout,
    const GstVideoInfo * info)
{
  guint p;

  g_return_val_if_fail (layout != NULL && info != NULL, FALSE);

  if (layout->n_memories != 1)
    return FALSE;
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    if (layout->offset[p] != GST_VIDEO_INFO_PLANE_OFFSET (info, p)
        || layout->stride[p] != GST_VIDEO_INFO_PLANE_STRIDE (info, p))
      return FALSE;
  }
  return TRUE;
}
