/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocsolver.h>
#include <gst/alloc/gstallocpool.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

GST_ALLOC_API
gboolean gst_alloc_constraints_is_feasible (const GstAllocConstraints * constraints,
    const GstVideoInfo * info, GstAllocSolver * solver, GError ** error);

GST_ALLOC_API
GstBufferPool *gst_alloc_query_answer (GstQuery * query,
    const GstAllocConstraints * constraints, GstAllocSolver * solver,
    const gchar * pool_name, GError ** error);

GST_ALLOC_API
gboolean gst_alloc_query_answer_with_pool (GstQuery * query,
    const GstAllocConstraints * constraints, GstBufferPool * pool,
    GError ** error);

GST_ALLOC_API
GstBufferPool *gst_alloc_query_propose (GstQuery * query,
    const GstAllocConstraints * constraints, GstAllocSolver * solver,
    const gchar * pool_name, GError ** error);

G_END_DECLS
