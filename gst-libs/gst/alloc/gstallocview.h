/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>
#include <gst/alloc/gstalloclayout.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstAllocView:
 * @layout: the frame as the consumer sees it through the view: for each of
 *   its memories the bytes before its data in the allocation
 *   (@memory_offset), its data (@memory_size) and the allocation's size
 *   (@alloc_size); the plane offsets and strides of its #GstVideoMeta, and
 *   the paddings that meta declares.
 * @parent_memory: for each memory of the view, the memory of the parent
 *   buffer (as gst_alloc_layout_from_buffer() counts them) whose bytes it
 *   shares.
 * @parent_offset: for each memory of the view, where its data starts,
 *   counted from the start of that parent memory's data; negative when it
 *   starts in the bytes before the data.
 * @as_is: the parent, described as @layout describes it, already satisfies
 *   the consumer.
 *
 * How to describe the memory of a buffer to one consumer so that it meets
 * the consumer's needs without a byte copied: the same bytes, split into
 * one memory per plane, joined into one memory, or re-based to
 * #GstVideoInfo's default layout, with a #GstVideoMeta of its own.
 *
 * Since: 1.0
 */
typedef struct
{
  GstAllocLayout layout;
  guint parent_memory[GST_VIDEO_MAX_PLANES];
  gssize parent_offset[GST_VIDEO_MAX_PLANES];
  gboolean as_is;

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
} GstAllocView;

GST_ALLOC_API
gboolean gst_alloc_field_is_structural (GstAllocField field);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_without_structure (const GstAllocConstraints * constraints);

GST_ALLOC_API
gboolean gst_alloc_layout_from_buffer (GstAllocLayout * layout,
    const GstVideoInfo * info, GstBuffer * buffer, GError ** error);

GST_ALLOC_API
gboolean gst_alloc_view_plan (GstAllocView * view,
    const GstAllocLayout * parent, const GstAllocConstraints * wants,
    GError ** error);

GST_ALLOC_API
gchar *gst_alloc_view_describe (const GstAllocView * view);

GST_ALLOC_API
GstBuffer *gst_alloc_view_make (const GstAllocView * view, GstBuffer * parent,
    GError ** error);

GST_ALLOC_API
GstBuffer *gst_alloc_view_new (GstBuffer * parent, const GstVideoInfo * info,
    const GstAllocConstraints * wants, GError ** error);

G_END_DECLS
