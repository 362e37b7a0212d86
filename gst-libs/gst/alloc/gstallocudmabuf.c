/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* udmabuf backend: dma-bufs made from memfd pages, for importers that want a
 * dma-buf but no heap is accessible. Cached, not contiguous. The kernel side
 * is in gstallocudmabuf-ops.c (or the -none.c stub). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

#include <fcntl.h>

struct _GstAllocUdmabufAllocator
{
  GstAllocDmabufAllocator parent;
};

static void gst_alloc_udmabuf_backend_init (GstAllocBackendInterface * iface);

G_DEFINE_TYPE_WITH_CODE (GstAllocUdmabufAllocator,
    gst_alloc_udmabuf_allocator, GST_TYPE_ALLOC_DMABUF_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND,
        gst_alloc_udmabuf_backend_init));

static void
udmabuf_get_capabilities (GstAllocBackend * backend,
    GstAllocCapabilities * caps)
{
  caps->memory = GST_ALLOC_MEMORY_DMABUF;
  caps->contiguous = FALSE;
  caps->cache = GST_ALLOC_CACHE_CACHED;
  caps->heap = NULL;
  caps->opaque = FALSE;
}

static void
gst_alloc_udmabuf_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = udmabuf_get_capabilities;
  iface->open = gst_alloc_udmabuf_open;
  iface->alloc = gst_alloc_udmabuf_alloc;
}

static void
gst_alloc_udmabuf_allocator_class_init (GstAllocUdmabufAllocatorClass * klass)
{
}

static void
gst_alloc_udmabuf_allocator_init (GstAllocUdmabufAllocator * self)
{
}

/**
 * gst_alloc_udmabuf_allocator_new:
 * @device_path: (nullable): the udmabuf node, %NULL for
 *   %GST_ALLOC_UDMABUF_DEVICE
 *
 * Creates an allocator named "udmabuf" that turns memfd pages into dma-bufs.
 * The node is opened on first use (see gst_alloc_backend_open()), so this
 * succeeds even when the device is absent or not accessible, or when
 * gst-alloc was built without linux/udmabuf.h (then opening fails with
 * %G_FILE_ERROR_NOSYS, saying so).
 *
 * Returns: (transfer full): the new allocator.
 *
 * Since: 1.0
 */
GstAllocator *
gst_alloc_udmabuf_allocator_new (const gchar * device_path)
{
  GstAllocUdmabufAllocator *self;

  self = g_object_new (GST_TYPE_ALLOC_UDMABUF_ALLOCATOR, "name", "udmabuf",
      NULL);
  gst_alloc_dmabuf_allocator_set_node (GST_ALLOC_DMABUF_ALLOCATOR (self),
      device_path ? device_path : GST_ALLOC_UDMABUF_DEVICE, O_RDWR);

  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
