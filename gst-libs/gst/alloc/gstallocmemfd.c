/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memfd backend: anonymous files that can be passed to other processes (for
 * example over a unix socket) and mapped there. Not a dma-buf. The kernel
 * side is in gstallocmemfd-ops.c (or the -none.c stub). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

struct _GstAllocMemfdAllocator
{
  GstFdAllocator parent;
};

static void gst_alloc_memfd_backend_init (GstAllocBackendInterface * iface);

G_DEFINE_TYPE_WITH_CODE (GstAllocMemfdAllocator, gst_alloc_memfd_allocator,
    GST_TYPE_FD_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND,
        gst_alloc_memfd_backend_init));

static void
memfd_get_capabilities (GstAllocBackend * backend, GstAllocCapabilities * caps)
{
  caps->memory = GST_ALLOC_MEMORY_MEMFD;
  caps->contiguous = FALSE;
  caps->cache = GST_ALLOC_CACHE_CACHED;
  caps->heap = NULL;
  caps->opaque = FALSE;
}

static void
gst_alloc_memfd_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = memfd_get_capabilities;
  iface->open = gst_alloc_memfd_open;
  iface->alloc = gst_alloc_memfd_alloc;
}

static void
gst_alloc_memfd_allocator_class_init (GstAllocMemfdAllocatorClass * klass)
{
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gst_alloc_debug_init ();
  allocator_class->alloc = gst_alloc_backend_allocator_alloc;
}

static void
gst_alloc_memfd_allocator_init (GstAllocMemfdAllocator * self)
{
  /* GstFdAllocator marks itself custom-only; this one can allocate, so
   * pools and gst_allocator_alloc() may use it. */
  GST_OBJECT_FLAG_UNSET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

/**
 * gst_alloc_memfd_allocator_new:
 *
 * Creates an allocator named "memfd" whose memories are sealed memfds
 * (they can neither shrink nor grow), usable with gst_fd_memory_get_fd().
 * Where gst-alloc was built without memfd_create(), opening it fails with
 * %G_FILE_ERROR_NOSYS, saying so.
 *
 * Returns: (transfer full): the new allocator.
 *
 * Since: 1.0
 */
GstAllocator *
gst_alloc_memfd_allocator_new (void)
{
  GstAllocMemfdAllocator *self;

  self = g_object_new (GST_TYPE_ALLOC_MEMFD_ALLOCATOR, "name", "memfd", NULL);
  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
