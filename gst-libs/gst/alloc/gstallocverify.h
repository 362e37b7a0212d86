/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

GST_ALLOC_API
gboolean gst_alloc_constraints_check_buffer (const GstAllocConstraints * constraints,
    const GstVideoInfo * info, GstBuffer * buffer, GError ** error);

GST_ALLOC_API
gchar *gst_alloc_dmabuf_get_exporter (gint fd);

GST_ALLOC_API
GstAllocMemoryFlags gst_alloc_memory_get_kind (GstMemory * memory);

G_END_DECLS
