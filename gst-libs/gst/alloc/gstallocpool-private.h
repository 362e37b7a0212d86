/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstalloc-private.h"

G_BEGIN_DECLS

/* Reads caps, size, counts and video info from @config, and the merged
 * constraints: ours plus the stock entries (allocation params, video
 * alignment). Logs and returns FALSE when the config is unusable. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_read_config (GstStructure * config, GstCaps ** caps,
    guint * size, guint * min, guint * max, GstVideoInfo * info,
    GstAllocConstraints ** c);

/* The fixed buffer count, or 0 when max-buffers is below what is needed. */
G_GNUC_INTERNAL
guint gst_alloc_pool_buffer_count (const GstAllocConstraints * c, guint min,
    guint max);

/* Writes into @config what the caller must change; TRUE if anything was. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_correct_config (GstStructure * config, GstCaps * caps,
    guint size, guint n, guint min, guint max, const GstAllocLayout * layout,
    const GstVideoInfo * info);

G_GNUC_INTERNAL
gboolean gst_alloc_pool_grow_layout (GstAllocLayout * layout, guint size,
    guint32 size_align);

/* What each allocation is rounded to: pages and size-align together. */
G_GNUC_INTERNAL
gsize gst_alloc_pool_allocation_granule (guint32 size_align);

G_END_DECLS
