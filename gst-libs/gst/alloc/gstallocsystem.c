/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* System backend: plain process memory, page-aligned, the last resort when
 * nothing asks for an fd. Its memories are GStreamer's own system memories
 * (they carry the sysmem allocator, which maps, shares and frees them); this
 * class only chooses their size and alignment. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

#include <stdlib.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

struct _GstAllocSystemAllocator
{
  GstAllocator parent;
};

static void gst_alloc_system_backend_init (GstAllocBackendInterface * iface);

G_DEFINE_TYPE_WITH_CODE (GstAllocSystemAllocator, gst_alloc_system_allocator,
    GST_TYPE_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND,
        gst_alloc_system_backend_init));

static void
system_get_capabilities (GstAllocBackend * backend, GstAllocCapabilities * caps)
{
  caps->memory = GST_ALLOC_MEMORY_SYSTEM;
  caps->contiguous = FALSE;
  caps->cache = GST_ALLOC_CACHE_CACHED;
  caps->heap = NULL;
  caps->opaque = FALSE;
}

static gboolean
system_open (GstAllocBackend * backend, GError ** error)
{
  /* Process memory needs nothing opened. */
  return TRUE;
}

/* Not gst_allocator_alloc() on sysmem: it over-allocates by the alignment
 * and reports the slack as maxsize, and aborts instead of failing when
 * memory runs out. Wrapping our own page-aligned block keeps maxsize the
 * page-rounded size, the same layout as the fd backends. */
static GstMemory *
system_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  GstMemory *mem;
  gsize page = sysconf (_SC_PAGESIZE);
  gsize maxsize;
  gpointer data;
  int ret;

  if (!gst_alloc_backend_page_round (backend, size, &maxsize, error))
    return NULL;

  /* posix_memalign() returns its error rather than setting errno. */
  ret = posix_memalign (&data, page, maxsize);
  if (ret != 0) {
    gst_alloc_set_errno_error (error, ret, "%s: posix_memalign of %"
        G_GSIZE_FORMAT " bytes", GST_OBJECT_NAME (backend), maxsize);
    return NULL;
  }
  mem = gst_memory_new_wrapped (0, data, maxsize, 0, size, data, free);
  mem->align = page - 1;
  return mem;
}

static void
gst_alloc_system_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = system_get_capabilities;
  iface->open = system_open;
  iface->alloc = system_alloc;
}

/* Memories carry the sysmem allocator, so GStreamer frees them there; hand
 * over anything that reaches this class by mistake rather than crash. */
static void
system_free (GstAllocator * allocator, GstMemory * mem)
{
  g_return_if_fail (mem->allocator != allocator);
  gst_allocator_free (mem->allocator, mem);
}

static void
gst_alloc_system_allocator_class_init (GstAllocSystemAllocatorClass * klass)
{
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gst_alloc_debug_init ();
  allocator_class->alloc = gst_alloc_backend_allocator_alloc;
  allocator_class->free = system_free;
}

static void
gst_alloc_system_allocator_init (GstAllocSystemAllocator * self)
{
  /* Memories are typed by the allocator they carry, sysmem; mirror its
   * type so the two never disagree. */
  GST_ALLOCATOR (self)->mem_type = GST_ALLOCATOR_SYSMEM;
}

/**
 * gst_alloc_system_allocator_new:
 *
 * Creates an allocator named "system" giving page-aligned system memory
 * whose maxsize is the requested size rounded up to a page. Its memories
 * belong to GStreamer's system memory allocator.
 *
 * Returns: (transfer full): the new allocator.
 *
 * Since: 1.0
 */
GstAllocator *
gst_alloc_system_allocator_new (void)
{
  GstAllocSystemAllocator *self;

  self = g_object_new (GST_TYPE_ALLOC_SYSTEM_ALLOCATOR, "name", "system", NULL);
  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
