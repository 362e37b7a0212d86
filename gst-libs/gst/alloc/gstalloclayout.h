/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstAllocLayout:
 * @info: the video info with the padded strides, offsets and size.
 * @alignment: the paddings applied, as GstVideoMeta carries them.
 * @n_memories: 1 for %GST_ALLOC_PLANES_SINGLE or ANY, else one per plane.
 * @plane_memory: index of the memory holding each plane.
 * @offset: offset of each plane's first visible pixel, counted from the start
 *   of the buffer's data (as #GstVideoMeta.offset).
 * @stride: stride of each plane in bytes.
 * @memory_offset: bytes skipped at the start of each allocation before the
 *   memory's data begins (prefix, then alignment).
 * @memory_size: bytes of data in each memory (gst_memory_get_sizes() size).
 * @alloc_size: bytes to allocate for each memory: offset + data + padding,
 *   rounded to size-align.
 * @size: total data bytes of a buffer: the sum of @memory_size.
 *
 * Where each plane of a frame lives so that a constraint set is satisfied.
 *
 * Since: 1.0
 */
typedef struct
{
  GstVideoInfo info;
  GstVideoAlignment alignment;
  guint n_memories;
  guint plane_memory[GST_VIDEO_MAX_PLANES];
  gsize offset[GST_VIDEO_MAX_PLANES];
  gint stride[GST_VIDEO_MAX_PLANES];
  gsize memory_offset[GST_VIDEO_MAX_PLANES];
  gsize memory_size[GST_VIDEO_MAX_PLANES];
  gsize alloc_size[GST_VIDEO_MAX_PLANES];
  gsize size;

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
} GstAllocLayout;

GST_ALLOC_API
gboolean gst_alloc_layout_compute (GstAllocLayout * layout,
    const GstVideoInfo * info, const GstAllocConstraints * constraints,
    GError ** error);

GST_ALLOC_API
guint gst_alloc_video_info_n_image_planes (const GstVideoInfo * info);

GST_ALLOC_API
gboolean gst_alloc_layout_is_natural (const GstAllocLayout * layout,
    const GstVideoInfo * info);

G_END_DECLS
