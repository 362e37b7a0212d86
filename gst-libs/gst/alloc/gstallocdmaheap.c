/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DMA-heap backend: one allocator per heap node under /dev/dma_heap. The
 * heap's name is all the kernel says about its memory, so capabilities come
 * from a table of the names mainline and common vendor trees use. The
 * allocation itself is in gstallocdmaheap-ops.c (or the -none.c stub). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

#include <fcntl.h>
#include <string.h>

struct _GstAllocDmaHeapAllocator
{
  GstAllocDmabufAllocator parent;

  /* Interned basename of the node, the kernel's name for the heap. */
  const gchar *heap_name;
};

static void gst_alloc_dma_heap_backend_init (GstAllocBackendInterface * iface);

G_DEFINE_TYPE_WITH_CODE (GstAllocDmaHeapAllocator,
    gst_alloc_dma_heap_allocator, GST_TYPE_ALLOC_DMABUF_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND,
        gst_alloc_dma_heap_backend_init));

typedef struct
{
  const gchar *name;
  gboolean contiguous;
  GstAllocCache cache;
} KnownHeap;

static const KnownHeap known_heaps[] = {
  {"system", FALSE, GST_ALLOC_CACHE_CACHED},
  {"system-uncached", FALSE, GST_ALLOC_CACHE_UNCACHED},
  /* CMA heaps: mainline's default area is "linux,cma" or "reserved", vendor
   * trees name theirs after the device-tree node. */
  {"linux,cma", TRUE, GST_ALLOC_CACHE_CACHED},
  {"reserved", TRUE, GST_ALLOC_CACHE_CACHED},
  {"default_cma_region", TRUE, GST_ALLOC_CACHE_CACHED},
  {"default-pool", TRUE, GST_ALLOC_CACHE_CACHED},
};

/**
 * gst_alloc_dma_heap_capabilities_for_name:
 * @heap_name: a DMA-heap name, such as "system" or "linux,cma"
 * @caps: (out caller-allocates): where to write the capabilities
 *
 * Fills @caps with what a heap of that name gives: "system" is cached and
 * not contiguous, "system-uncached" uncached, the usual CMA heap names
 * contiguous and cached. Any other name is opaque: nothing is assumed about
 * it, and the solver only uses it when a consumer names it.
 *
 * Since: 1.0
 */
void
gst_alloc_dma_heap_capabilities_for_name (const gchar * heap_name,
    GstAllocCapabilities * caps)
{
  guint i;

  g_return_if_fail (heap_name != NULL);
  g_return_if_fail (caps != NULL);

  memset (caps, 0, sizeof (*caps));
  caps->memory = GST_ALLOC_MEMORY_DMABUF;
  caps->heap = g_intern_string (heap_name);
  for (i = 0; i < G_N_ELEMENTS (known_heaps); i++) {
    if (strcmp (known_heaps[i].name, heap_name) == 0) {
      caps->contiguous = known_heaps[i].contiguous;
      caps->cache = known_heaps[i].cache;
      return;
    }
  }
  caps->cache = GST_ALLOC_CACHE_ANY;
  caps->opaque = TRUE;
}

static void
dma_heap_get_capabilities (GstAllocBackend * backend,
    GstAllocCapabilities * caps)
{
  GstAllocDmaHeapAllocator *self = GST_ALLOC_DMA_HEAP_ALLOCATOR (backend);

  gst_alloc_dma_heap_capabilities_for_name (self->heap_name, caps);
}

static void
gst_alloc_dma_heap_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = dma_heap_get_capabilities;
  iface->open = gst_alloc_dma_heap_open;
  iface->alloc = gst_alloc_dma_heap_alloc;
}

static void
gst_alloc_dma_heap_allocator_class_init (GstAllocDmaHeapAllocatorClass * klass)
{
}

static void
gst_alloc_dma_heap_allocator_init (GstAllocDmaHeapAllocator * self)
{
}

/**
 * gst_alloc_dma_heap_allocator_new:
 * @path: a DMA-heap node, such as "/dev/dma_heap/system"
 *
 * Creates an allocator for the heap at @path, named `dmaheap:<heap name>`.
 * The node is opened on first use (see gst_alloc_backend_open()), so this
 * succeeds even when the heap is absent or not accessible, or when
 * gst-alloc was built without linux/dma-heap.h (then opening fails with
 * %G_FILE_ERROR_NOSYS, saying so). Its memories are dma-buf memories
 * (gst_is_dmabuf_memory() holds).
 *
 * Returns: (transfer full): the new allocator.
 *
 * Since: 1.0
 */
GstAllocator *
gst_alloc_dma_heap_allocator_new (const gchar * path)
{
  GstAllocDmaHeapAllocator *self;
  gchar *basename, *name;

  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);
  name = g_strdup_printf ("dmaheap:%s", basename);
  self = g_object_new (GST_TYPE_ALLOC_DMA_HEAP_ALLOCATOR, "name", name, NULL);
  self->heap_name = g_intern_string (basename);
  /* The heap hands out dma-bufs through an ioctl on a read-only fd. */
  gst_alloc_dmabuf_allocator_set_node (GST_ALLOC_DMABUF_ALLOCATOR (self), path,
      O_RDONLY);
  g_free (name);
  g_free (basename);

  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
