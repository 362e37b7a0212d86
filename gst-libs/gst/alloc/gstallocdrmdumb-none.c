/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built instead of gstallocdrmdumb-ops.c without libdrm (or linux/dma-buf.h):
 * the allocators exist, with their capabilities, but cannot be opened. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

gboolean
gst_alloc_drm_dumb_open (GstAllocBackend * backend, GError ** error)
{
  return gst_alloc_backend_open_unbuilt (backend,
      GST_ALLOC_DRM_DUMB_MISSING, error);
}

/* Never called: gst_alloc_backend_alloc() opens first, which fails. */
GstMemory *
gst_alloc_drm_dumb_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  gst_alloc_drm_dumb_open (backend, error);
  return NULL;
}
