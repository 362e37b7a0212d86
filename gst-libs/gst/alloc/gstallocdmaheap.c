/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DMA-heap backend: one allocator per heap node under /dev/dma_heap. The
 * heap's name is all the kernel says about its memory, so capabilities come
 * from a table of the names mainline and common vendor trees use. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/dma-heap.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

struct _GstAllocDmaHeapAllocator
{
  GstAllocDmabufAllocator parent;

  gchar *path;
  /* Interned basename of @path, the kernel's name for the heap. */
  const gchar *heap_name;
  /* The heap node, open from a successful open() until finalize. */
  int fd;
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

static gboolean
dma_heap_open (GstAllocBackend * backend, GError ** error)
{
  GstAllocDmaHeapAllocator *self = GST_ALLOC_DMA_HEAP_ALLOCATOR (backend);
  int fd;

  fd = open (self->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    gst_alloc_set_errno_error (error, errno, "Could not open DMA heap %s",
        self->path);
    return FALSE;
  }
  self->fd = fd;
  return TRUE;
}

static GstMemory *
dma_heap_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  GstAllocDmaHeapAllocator *self = GST_ALLOC_DMA_HEAP_ALLOCATOR (backend);
  struct dma_heap_allocation_data data = { 0 };
  gsize maxsize;

  if (!gst_alloc_checked_round_up (size, sysconf (_SC_PAGESIZE), &maxsize)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
        "DMA heap %s: %" G_GSIZE_FORMAT " bytes cannot be page-rounded",
        self->heap_name, size);
    return NULL;
  }

  data.len = maxsize;
  data.fd_flags = O_RDWR | O_CLOEXEC;
  data.heap_flags = 0;
  if (gst_alloc_ioctl (self->fd, DMA_HEAP_IOCTL_ALLOC, &data) < 0) {
    gst_alloc_set_errno_error (error, errno,
        "DMA heap %s: could not allocate %" G_GSIZE_FORMAT " bytes",
        self->heap_name, maxsize);
    return NULL;
  }

  return gst_alloc_dmabuf_allocator_wrap (GST_ALLOC_DMABUF_ALLOCATOR (self),
      data.fd, maxsize, size, name);
}

static void
gst_alloc_dma_heap_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = dma_heap_get_capabilities;
  iface->open = dma_heap_open;
  iface->alloc = dma_heap_alloc;
}

static void
gst_alloc_dma_heap_allocator_finalize (GObject * object)
{
  GstAllocDmaHeapAllocator *self = GST_ALLOC_DMA_HEAP_ALLOCATOR (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);

  G_OBJECT_CLASS (gst_alloc_dma_heap_allocator_parent_class)->finalize (object);
}

static void
gst_alloc_dma_heap_allocator_class_init (GstAllocDmaHeapAllocatorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gst_alloc_debug_init ();
  gobject_class->finalize = gst_alloc_dma_heap_allocator_finalize;
  allocator_class->alloc = gst_alloc_backend_allocator_alloc;
}

static void
gst_alloc_dma_heap_allocator_init (GstAllocDmaHeapAllocator * self)
{
  self->fd = -1;
  /* GstFdAllocator marks itself custom-only; this one can allocate, so
   * pools and gst_allocator_alloc() may use it. */
  GST_OBJECT_FLAG_UNSET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

/**
 * gst_alloc_dma_heap_allocator_new:
 * @path: a DMA-heap node, such as "/dev/dma_heap/system"
 *
 * Creates an allocator for the heap at @path, named `dmaheap:<heap name>`.
 * The node is opened on first use (see gst_alloc_backend_open()), so this
 * succeeds even when the heap is absent or not accessible. Its memories are
 * dma-buf memories (gst_is_dmabuf_memory() holds).
 *
 * Returns: (transfer full): the new allocator.
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
  self->path = g_strdup (path);
  self->heap_name = g_intern_string (basename);
  g_free (name);
  g_free (basename);

  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
