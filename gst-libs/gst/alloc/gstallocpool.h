/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocsolver.h>
#include <gst/alloc/gstalloclayout.h>

G_BEGIN_DECLS

#define GST_TYPE_ALLOC_POOL (gst_alloc_pool_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocPool, gst_alloc_pool, GST, ALLOC_POOL, GstBufferPool)

GST_ALLOC_API
GstBufferPool *gst_alloc_pool_new (GstAllocSolver * solver);

GST_ALLOC_API
void gst_alloc_pool_config_set_constraints (GstStructure * config,
    const GstAllocConstraints * constraints);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_pool_config_get_constraints (GstStructure * config,
    GError ** error);

GST_ALLOC_API
void gst_alloc_pool_config_set_budget (GstStructure * config, guint64 bytes);

GST_ALLOC_API
guint64 gst_alloc_pool_config_get_budget (GstStructure * config);

GST_ALLOC_API
guint64 gst_alloc_pool_get_default_budget (void);

GST_ALLOC_API
void gst_alloc_pool_set_budget (GstAllocPool * pool, guint64 bytes);

GST_ALLOC_API
GstAllocSolver *gst_alloc_pool_get_solver (GstAllocPool * pool);

GST_ALLOC_API
GstAllocator *gst_alloc_pool_get_backend (GstAllocPool * pool);

GST_ALLOC_API
gboolean gst_alloc_pool_get_layout (GstAllocPool * pool,
    GstAllocLayout * layout);

GST_ALLOC_API
gboolean gst_alloc_pool_made_buffer (GstAllocPool * pool, GstBuffer * buffer);

GST_ALLOC_API
gchar *gst_alloc_pool_get_report (GstAllocPool * pool);

GST_ALLOC_API
guint64 gst_alloc_pool_get_bytes_allocated (GstAllocPool * pool);

GST_ALLOC_API
guint64 gst_alloc_pool_get_buffers_allocated (GstAllocPool * pool);

G_END_DECLS
