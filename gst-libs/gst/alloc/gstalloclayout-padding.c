/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The padded picture of a layout: paddings rounded to whole chroma
 * samples, padded width and height rounded to width-align and height-align,
 * then widened until every stride meets stride-align. Values near 2^32 are
 * computed in 64 bits and refused, naming the fields that asked for them,
 * when the padded picture would not fit GstVideoInfo's integers. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

/* The largest padded width or height laid out: GstVideoInfo keeps them,
 * and strides built from them, in gint. */
#define MAX_PADDED_EXTENT (G_MAXINT / 4)

/* Pixels per chroma sample, horizontally or vertically. */
static guint32
subsampling (const GstVideoFormatInfo * finfo, gboolean vertical)
{
  guint i, sub = 0;

  for (i = 0; i < GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo); i++)
    sub = MAX (sub, vertical ? GST_VIDEO_FORMAT_INFO_H_SUB (finfo, i) :
        GST_VIDEO_FORMAT_INFO_W_SUB (finfo, i));
  return 1u << sub;
}

static const GstAllocField width_fields[] = {
  GST_ALLOC_FIELD_PADDING_LEFT, GST_ALLOC_FIELD_PADDING_RIGHT,
  GST_ALLOC_FIELD_WIDTH_ALIGN,
};

static const GstAllocField height_fields[] = {
  GST_ALLOC_FIELD_PADDING_TOP, GST_ALLOC_FIELD_PADDING_BOTTOM,
  GST_ALLOC_FIELD_HEIGHT_ALIGN,
};

/* The padded extent (width or height): @before, rounded up to whole
 * samples of @sub pixels, the picture, @after, then up to a multiple of
 * the LCM of @align and @sub:
 *
 *   |<- before ->|<---- size ---->|<- after ->|<- extra ->|
 *   |<--------- multiple of lcm (align, sub) ------------>|
 */
static gboolean
padded_extent (const GstVideoInfo * info, const GstAllocConstraints * c,
    gboolean vertical, guint * before_out, guint * after_out, GError ** error)
{
  guint32 sub = subsampling (info->finfo, vertical);
  guint32 align = vertical ? c->height_align : c->width_align;
  guint64 before = vertical ? c->padding_top : c->padding_left;
  guint64 after = vertical ? c->padding_bottom : c->padding_right;
  guint64 size = vertical ? GST_VIDEO_INFO_HEIGHT (info) :
      GST_VIDEO_INFO_WIDTH (info);
  guint64 span;
  guint32 granule;
  gchar *fields;

  before = (before + sub - 1) / sub * sub;
  span = before + size + after;
  if (gst_alloc_checked_lcm (align, sub, &granule)) {
    span = (span + granule - 1) / granule * granule;
    if (span <= MAX_PADDED_EXTENT) {
      *before_out = before;
      *after_out = span - before - size;
      return TRUE;
    }
  }
  fields = gst_alloc_constraints_describe_fields (c,
      vertical ? height_fields : width_fields, G_N_ELEMENTS (width_fields));
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
      "%s %dx%d: %s would make the padded %s larger than %d %s",
      GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), *fields ? fields : "the picture",
      vertical ? "height" : "width", MAX_PADDED_EXTENT,
      vertical ? "rows" : "columns");
  g_free (fields);
  return FALSE;
}

/* Paddings are whole chroma samples and padded sizes multiples of both the
 * asked alignment and the subsampling: an odd top padding on a 4:2:0 format
 * would put the first visible chroma row inside the padding row's sample,
 * which no plane offset can express, and an odd padded width would keep
 * every later widening odd, missing the even widths that align strides. */
gboolean
gst_alloc_layout_padding (GstVideoAlignment * align,
    const GstVideoInfo * info, const GstAllocConstraints * c, GError ** error)
{
  gst_video_alignment_reset (align);
  return padded_extent (info, c, FALSE, &align->padding_left,
      &align->padding_right, error)
      && padded_extent (info, c, TRUE, &align->padding_top,
      &align->padding_bottom, error);
}

static gboolean
strides_aligned (const GstVideoInfo * info, guint32 stride_align)
{
  guint i;

  for (i = 0; i < gst_alloc_video_info_n_image_planes (info); i++) {
    if (GST_VIDEO_INFO_PLANE_STRIDE (info, i) % stride_align != 0)
      return FALSE;
  }
  return TRUE;
}

/* Widens the picture on the right until every plane's stride is a multiple
 * of stride-align. Widening (rather than rounding each stride on its own)
 * keeps the strides of subsampled planes in their natural ratio, which is
 * what single-planar V4L2 and most stock code assume. */
gboolean
gst_alloc_layout_align_strides (GstVideoInfo * aligned,
    const GstVideoInfo * info, GstVideoAlignment * align,
    const GstAllocConstraints * c, GError ** error)
{
  guint32 step;
  guint64 attempts = 4 * (guint64) c->stride_align + 64;

  /* gst_alloc_layout_padding() made sure this fits. */
  if (!gst_alloc_checked_lcm (subsampling (info->finfo, FALSE),
          c->width_align, &step))
    goto too_wide;

  for (; attempts > 0; attempts--) {
    *aligned = *info;
    if (!gst_video_info_align (aligned, align))
      goto too_wide;
    if (strides_aligned (aligned, c->stride_align))
      return TRUE;
    if (align->padding_right > G_MAXINT / 8 - step)
      goto too_wide;
    /* gst_video_info_align_full() may have widened the padding itself. */
    align->padding_right += step;
  }

too_wide:
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
      "no padded width of %s %dx%d gives strides that are multiples of "
      "stride-align %u (asked by %s)", GST_VIDEO_INFO_NAME (info),
      GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info),
      c->stride_align,
      gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_STRIDE_ALIGN));
  return FALSE;
}
