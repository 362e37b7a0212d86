/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/* What stock GStreamer already says, read as constraints.  Each function
 * fills a fresh set whose fields carry @origin. */

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_allocation_params (const GstAllocationParams * params,
    const gchar * origin);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_video_meta_params (const GstStructure * params,
    const gchar * origin, GError ** error);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_video_alignment (const GstVideoAlignment * align,
    const gchar * origin);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_pool_params (const GstVideoInfo * info,
    guint size, guint min_buffers, guint max_buffers, const gchar * origin);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_caps (const GstCaps * caps,
    const gchar * origin);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_allocation_query (GstQuery * query,
    const gchar * origin, GError ** error);

/* Our own constraint set inside an ALLOCATION query. */

/**
 * GST_ALLOC_CONSTRAINTS_META_API_TYPE:
 *
 * The meta API under which an ALLOCATION query carries a constraint set
 * (its gst_alloc_constraints_to_structure() form) as the meta's params. No
 * buffer ever holds such a meta: the API only names the params.
 *
 * Since: 1.0
 */
#define GST_ALLOC_CONSTRAINTS_META_API_TYPE \
  (gst_alloc_constraints_meta_api_get_type ())

GST_ALLOC_API
GType gst_alloc_constraints_meta_api_get_type (void);

GST_ALLOC_API
gboolean gst_alloc_constraints_add_to_query (GstQuery * query,
    const GstAllocConstraints * constraints, GError ** error);

/* Constraints written back in the stock vocabulary, for stock producers. */

GST_ALLOC_API
gboolean gst_alloc_constraints_to_allocation_params (const GstAllocConstraints * constraints,
    GstAllocationParams * params);

GST_ALLOC_API
gboolean gst_alloc_constraints_to_video_alignment (const GstAllocConstraints * constraints,
    const GstVideoInfo * info, GstVideoAlignment * align);

GST_ALLOC_API
GstStructure *gst_alloc_constraints_to_video_meta_params (const GstAllocConstraints * constraints,
    const GstVideoInfo * info);

/* Caps: a set's drm-formats narrow DMA_DRM caps; DMA_DRM caps with the
 * linear modifier have the video info of their format. */

GST_ALLOC_API
GstCaps *gst_alloc_constraints_filter_caps (const GstAllocConstraints * constraints,
    GstCaps * caps);

GST_ALLOC_API
gboolean gst_alloc_video_info_from_caps (GstVideoInfo * info,
    const GstCaps * caps);

GST_ALLOC_API
gboolean gst_alloc_caps_are_dma_drm (const GstCaps * caps);

G_END_DECLS
