/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built instead of gstallocdmaheap-ops.c when the DMA-heap backend is not:
 * the allocators exist, with their capabilities, but cannot be opened. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

gboolean
gst_alloc_dma_heap_open (GstAllocBackend * backend, GError ** error)
{
  return gst_alloc_backend_open_unbuilt (backend,
      GST_ALLOC_DMA_HEAP_MISSING, error);
}

/* Never called: gst_alloc_backend_alloc() opens first, which fails. */
GstMemory *
gst_alloc_dma_heap_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  gst_alloc_dma_heap_open (backend, error);
  return NULL;
}
