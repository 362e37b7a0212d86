/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstalloctranslate
 * @title: Translation
 * @short_description: Constraints to and from the stock GStreamer vocabulary
 *
 * Stock elements state buffer needs with #GstAllocationParams, the
 * "video-meta" params of an ALLOCATION query, #GstVideoAlignment, pool
 * sizes and caps features. These functions read each of them as a
 * #GstAllocConstraints, and write a set back for stock producers. The
 * stock vocabulary holds alignments as masks (bytes - 1), so only
 * power-of-two alignments survive the way back exactly.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <gst/allocators/allocators.h>

#define GST_CAT_DEFAULT gst_alloc_debug

/* GstVideoAlignment and "video-meta" params share these field names. */
static const gchar *const video_meta_fields[] = {
  "padding-top", "padding-bottom", "padding-left", "padding-right",
  "stride-align0", "stride-align1", "stride-align2", "stride-align3",
};

/* The mask the stock vocabulary can carry for @align: the largest power of
 * two dividing it, minus one. */
static guint32
pow2_mask (guint32 align, gboolean * exact)
{
  guint32 pow2 = align & (~align + 1);

  if (pow2 != align)
    *exact = FALSE;
  return pow2 - 1;
}

static guint32
size_to_u32 (gsize value, const gchar * what)
{
  /* Compared this way so 32-bit builds see no always-true comparison. */
  if (value == (guint32) value)
    return value;
  GST_WARNING ("%s of %" G_GSIZE_FORMAT " bytes is beyond any constraint, "
      "ignored", what, value);
  return 0;
}

/**
 * gst_alloc_constraints_from_allocation_params:
 * @params: (nullable): what an ALLOCATION query answer asks of allocators
 * @origin: (nullable): who asks
 *
 * Reads @params->align (a mask) as offset-align = align + 1: the alignment
 * of every plane start within its memory, which is also the address
 * alignment because every backend gives page-aligned memory. prefix and
 * padding become prefix-bytes and padding-bytes, and
 * %GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS becomes contiguous.
 *
 * Returns: (transfer full): the set; empty for %NULL @params.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_allocation_params (const GstAllocationParams *
    params, const gchar * origin)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();

  if (params) {
    if (params->align > 0 && params->align < G_MAXSIZE)
      c->offset_align = MAX (size_to_u32 (params->align + 1, "align"), 1);
    c->prefix_bytes = size_to_u32 (params->prefix, "prefix");
    c->padding_bytes = size_to_u32 (params->padding, "padding");
    c->contiguous =
        (params->flags & GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS) != 0;
  }
  gst_alloc_constraints_set_origin (c, origin);
  return c;
}

/* Stride alignment of @align: the LCM of its per-plane masks + 1, because
 * one stride alignment applies to every plane. */
static gboolean
stride_align_from_masks (const GstVideoAlignment * align, guint32 * out,
    GError ** error)
{
  guint32 lcm = 1;
  guint i;

  for (i = 0; i < GST_VIDEO_MAX_PLANES; i++) {
    guint mask = align->stride_align[i];

    if (mask == 0)
      continue;
    if (mask >= G_MAXUINT32 || !gst_alloc_checked_lcm (lcm, mask + 1, &lcm)) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
          "Stride alignment masks give more than %u bytes", G_MAXUINT32);
      return FALSE;
    }
  }
  *out = lcm;
  return TRUE;
}

/* Stores the paddings, and the stride alignment when it fits. */
static gboolean
read_alignment (GstAllocConstraints * c, const GstVideoAlignment * align,
    GError ** error)
{
  c->padding_top = align->padding_top;
  c->padding_bottom = align->padding_bottom;
  c->padding_left = align->padding_left;
  c->padding_right = align->padding_right;
  return stride_align_from_masks (align, &c->stride_align, error);
}

/**
 * gst_alloc_constraints_from_video_alignment:
 * @align: a video alignment
 * @origin: (nullable): who asks
 *
 * Reads the paddings as padding-*, and the per-plane stride masks as one
 * stride-align: the least common multiple of mask + 1 over the planes with
 * a non-zero mask (masks 63 and 47 give 192). Masks whose multiple exceeds
 * 32 bits are logged and left out.
 *
 * Returns: (transfer full): the set.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_video_alignment (const GstVideoAlignment * align,
    const gchar * origin)
{
  GstAllocConstraints *c;
  GError *error = NULL;

  g_return_val_if_fail (align != NULL, NULL);

  c = gst_alloc_constraints_new ();
  if (!read_alignment (c, align, &error)) {
    GST_WARNING ("%s: stride alignment left out", error->message);
    g_clear_error (&error);
  }
  gst_alloc_constraints_set_origin (c, origin);
  return c;
}

/**
 * gst_alloc_constraints_from_video_meta_params:
 * @params: (nullable): the params of %GST_VIDEO_META_API_TYPE in an
 *   ALLOCATION query ("video-meta" structure)
 * @origin: (nullable): who asks
 * @error: return location for a %GST_ALLOC_ERROR_PARSE error
 *
 * Reads the guint fields padding-top, padding-bottom, padding-left,
 * padding-right and stride-align0 to stride-align3 (masks, as in
 * #GstVideoAlignment) like gst_alloc_constraints_from_video_alignment().
 * Other fields are ignored, since vendors add their own; a known field of
 * another type, or stride masks whose multiple exceeds 32 bits, fail.
 *
 * Returns: (transfer full) (nullable): the set, empty for %NULL @params, or
 * %NULL on error.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_video_meta_params (const GstStructure * params,
    const gchar * origin, GError ** error)
{
  GstAllocConstraints *c;
  GstVideoAlignment align;
  guint *targets[G_N_ELEMENTS (video_meta_fields)] = {
    &align.padding_top, &align.padding_bottom, &align.padding_left,
    &align.padding_right, &align.stride_align[0], &align.stride_align[1],
    &align.stride_align[2], &align.stride_align[3],
  };
  const GValue *value;
  guint i;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gst_video_alignment_reset (&align);
  for (i = 0; params && i < G_N_ELEMENTS (video_meta_fields); i++) {
    value = gst_structure_get_value (params, video_meta_fields[i]);
    if (!value)
      continue;
    if (!G_VALUE_HOLDS_UINT (value)) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
          "Video meta params field '%s' has type %s, expected guint",
          video_meta_fields[i], G_VALUE_TYPE_NAME (value));
      return NULL;
    }
    *targets[i] = g_value_get_uint (value);
  }
  c = gst_alloc_constraints_new ();
  if (!read_alignment (c, &align, error)) {
    gst_alloc_constraints_free (c);
    return NULL;
  }
  gst_alloc_constraints_set_origin (c, origin);
  return c;
}

/**
 * gst_alloc_constraints_from_pool_params:
 * @info: (nullable): the negotiated video format
 * @size: buffer size the pool entry asks for
 * @min_buffers: buffers the consumer keeps
 * @max_buffers: most buffers it can take, 0 for unlimited
 * @origin: (nullable): who asks
 *
 * Reads a pool entry of an ALLOCATION query. When @size exceeds the frame
 * size of @info, the consumer needs bigger buffers than the format implies
 * (a V4L2 sizeimage, say), so the difference becomes padding-bytes.
 *
 * Returns: (transfer full): the set.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_pool_params (const GstVideoInfo * info,
    guint size, guint min_buffers, guint max_buffers, const gchar * origin)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();

  c->min_buffers = min_buffers;
  c->max_buffers = max_buffers;
  if (info && size > GST_VIDEO_INFO_SIZE (info))
    c->padding_bytes = size - GST_VIDEO_INFO_SIZE (info);
  gst_alloc_constraints_set_origin (c, origin);
  return c;
}

/**
 * gst_alloc_constraints_to_allocation_params:
 * @constraints: a set
 * @params: (inout): params to write; fields the set does not map to are
 *   left alone
 *
 * Writes offset-align as the align mask, prefix-bytes and padding-bytes as
 * prefix and padding, and contiguous as
 * %GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS. A mask can only say a power of
 * two, so a non-power-of-two offset-align is written as its largest
 * power-of-two divisor. The other fields have no place in @params and are
 * not considered.
 *
 * Returns: %TRUE if @params says exactly what the set says about these
 * fields, %FALSE if offset-align was weakened.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_to_allocation_params (const GstAllocConstraints *
    constraints, GstAllocationParams * params)
{
  gboolean exact = TRUE;

  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  params->align = pow2_mask (constraints->offset_align, &exact);
  params->prefix = constraints->prefix_bytes;
  params->padding = constraints->padding_bytes;
  if (constraints->contiguous)
    params->flags |= GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS;
  return exact;
}

/* Grows *@padding so @extent (left + width + right) reaches a multiple of
 * @multiple:
 *
 *   |<- left ->|<---- width ---->|<- right ->|<- extra ->|
 *   |<------------ multiple of width-align ------------->|
 */
static gboolean
pad_to_multiple (guint64 extent, guint32 multiple, guint * padding)
{
  guint64 extra = (multiple - extent % multiple) % multiple;

  if (extra > G_MAXUINT - *padding)
    return FALSE;
  *padding += extra;
  return TRUE;
}

/**
 * gst_alloc_constraints_to_video_alignment:
 * @constraints: a set
 * @info: (nullable): the video format; without it width-align and
 *   height-align cannot be expressed
 * @align: (out caller-allocates): the alignment
 *
 * Writes the paddings, with padding_right and padding_bottom grown so the
 * padded width and height reach multiples of width-align and height-align,
 * and each plane's stride mask from stride-align (all planes when @info is
 * %NULL).
 *
 * Returns: %TRUE if @align says exactly what the set says about these
 * fields; %FALSE if stride-align is not a power of two (its largest
 * power-of-two divisor is written), or width-align or height-align could
 * not be expressed.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_to_video_alignment (const GstAllocConstraints *
    constraints, const GstVideoInfo * info, GstVideoAlignment * align)
{
  const GstAllocConstraints *c = constraints;
  gboolean exact = TRUE;
  guint i, n_planes = GST_VIDEO_MAX_PLANES;

  g_return_val_if_fail (c != NULL, FALSE);
  g_return_val_if_fail (align != NULL, FALSE);

  gst_video_alignment_reset (align);
  align->padding_top = c->padding_top;
  align->padding_bottom = c->padding_bottom;
  align->padding_left = c->padding_left;
  align->padding_right = c->padding_right;
  if (info) {
    n_planes = GST_VIDEO_INFO_N_PLANES (info);
    if (!pad_to_multiple ((guint64) c->padding_left + c->padding_right +
            GST_VIDEO_INFO_WIDTH (info), c->width_align, &align->padding_right)
        || !pad_to_multiple ((guint64) c->padding_top + c->padding_bottom +
            GST_VIDEO_INFO_HEIGHT (info), c->height_align,
            &align->padding_bottom))
      exact = FALSE;
  } else if (c->width_align > 1 || c->height_align > 1) {
    exact = FALSE;
  }
  for (i = 0; i < n_planes; i++)
    align->stride_align[i] = pow2_mask (c->stride_align, &exact);
  return exact;
}

/**
 * gst_alloc_constraints_to_video_meta_params:
 * @constraints: a set
 * @info: (nullable): the video format
 *
 * The "video-meta" params for %GST_VIDEO_META_API_TYPE in an ALLOCATION
 * query answer: padding-top, padding-bottom, padding-left, padding-right
 * and stride-align0 to stride-align3 (guint) from
 * gst_alloc_constraints_to_video_alignment(), so stock producers honour
 * the set (v4l2 reads the paddings since 1.18, the stride masks since
 * 1.26). Check that function's result to know whether it is exact.
 *
 * Returns: (transfer full): a structure named "video-meta".
 *
 * Since: 1.0
 */
GstStructure *
gst_alloc_constraints_to_video_meta_params (const GstAllocConstraints *
    constraints, const GstVideoInfo * info)
{
  GstVideoAlignment align;
  GstStructure *s;
  const guint *values[G_N_ELEMENTS (video_meta_fields)] = {
    &align.padding_top, &align.padding_bottom, &align.padding_left,
    &align.padding_right, &align.stride_align[0], &align.stride_align[1],
    &align.stride_align[2], &align.stride_align[3],
  };
  guint i;

  g_return_val_if_fail (constraints != NULL, NULL);

  gst_alloc_constraints_to_video_alignment (constraints, info, &align);
  s = gst_structure_new_empty ("video-meta");
  for (i = 0; i < G_N_ELEMENTS (video_meta_fields); i++)
    gst_structure_set (s, video_meta_fields[i], G_TYPE_UINT, *values[i], NULL);
  return s;
}
