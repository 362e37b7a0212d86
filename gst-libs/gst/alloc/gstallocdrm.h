/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocbackends.h>

G_BEGIN_DECLS

/* The DRM dumb-buffer backend. Declared in every build: without libdrm the
 * allocators exist and opening them fails, saying so. */

#define GST_TYPE_ALLOC_DRM_DUMB_ALLOCATOR (gst_alloc_drm_dumb_allocator_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocDrmDumbAllocator, gst_alloc_drm_dumb_allocator,
    GST, ALLOC_DRM_DUMB_ALLOCATOR, GstAllocDmabufAllocator)

GST_ALLOC_API
GstAllocator *gst_alloc_drm_dumb_allocator_new (const gchar * device_path);

G_END_DECLS
