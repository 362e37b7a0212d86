/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>

G_BEGIN_DECLS

/**
 * GstAllocCapabilities:
 * @memory: the one memory kind this backend gives (a single flag).
 * @contiguous: the memory is physically contiguous.
 * @cache: %GST_ALLOC_CACHE_CACHED or %GST_ALLOC_CACHE_UNCACHED.
 * @heap: (nullable): DMA-heap name, %NULL for backends that are not heaps.
 * @opaque: nothing is known about the memory (an unknown heap); the solver
 *   picks it only when a consumer names it in its heaps constraint.
 *
 * What a backend can give. Devices state constraints, backends state
 * capabilities, and the solver matches the two.
 *
 * Since: 1.0
 */
typedef struct
{
  GstAllocMemoryFlags memory;
  gboolean contiguous;
  GstAllocCache cache;
  const gchar *heap;
  gboolean opaque;

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
} GstAllocCapabilities;

#define GST_TYPE_ALLOC_BACKEND (gst_alloc_backend_get_type ())
GST_ALLOC_API
G_DECLARE_INTERFACE (GstAllocBackend, gst_alloc_backend, GST, ALLOC_BACKEND, GstAllocator)

/**
 * GstAllocBackendInterface:
 * @get_capabilities: fill in what the backend gives.
 * @open: acquire what allocation needs (a device node); called at most once,
 *   its result is remembered by gst_alloc_backend_open().
 * @alloc: allocate @size bytes (the backend rounds up to its granule, which
 *   becomes the memory's maxsize). @name labels the memory where the kernel
 *   allows (DMA_BUF_SET_NAME, memfd name).
 *
 * Implemented by #GstAllocator subclasses. Runtime failures are returned in
 * the %G_FILE_ERROR domain with the errno-derived code, and a message
 * naming the backend, the operation and the cause, as in
 * "memfd: memfd_create: Too many open files".
 *
 * Since: 1.0
 */
struct _GstAllocBackendInterface
{
  GTypeInterface parent_iface;

  void (*get_capabilities) (GstAllocBackend * backend, GstAllocCapabilities * caps);
  gboolean (*open) (GstAllocBackend * backend, GError ** error);
  GstMemory *(*alloc) (GstAllocBackend * backend, gsize size,
      const gchar * name, GError ** error);
};

GST_ALLOC_API
void gst_alloc_backend_get_capabilities (GstAllocBackend * backend,
    GstAllocCapabilities * caps);

GST_ALLOC_API
gboolean gst_alloc_backend_open (GstAllocBackend * backend, GError ** error);

GST_ALLOC_API
GstMemory *gst_alloc_backend_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error);

GST_ALLOC_API
gchar *gst_alloc_capabilities_to_string (const GstAllocCapabilities * caps);

GST_ALLOC_API
gchar *gst_alloc_backend_mismatch (GstAllocBackend * backend,
    const GstAllocConstraints * constraints);

G_END_DECLS
