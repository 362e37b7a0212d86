/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DMA-heap backend's kernel side (linux/dma-heap.h): the heap node is
 * the base class's, each allocation one DMA_HEAP_IOCTL_ALLOC. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-heap.h>

gboolean
gst_alloc_dma_heap_open (GstAllocBackend * backend, GError ** error)
{
  return gst_alloc_dmabuf_allocator_open_node (GST_ALLOC_DMABUF_ALLOCATOR
      (backend), error);
}

GstMemory *
gst_alloc_dma_heap_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  GstAllocDmabufAllocator *self = GST_ALLOC_DMABUF_ALLOCATOR (backend);
  struct dma_heap_allocation_data data = { 0 };
  gsize maxsize;
  int errsv;

  if (!gst_alloc_backend_page_round (backend, size, &maxsize, error))
    return NULL;

  data.len = maxsize;
  data.fd_flags = O_RDWR | O_CLOEXEC;
  data.heap_flags = 0;
  if (gst_alloc_ioctl (gst_alloc_dmabuf_allocator_get_fd (self),
          DMA_HEAP_IOCTL_ALLOC, &data) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: DMA_HEAP_IOCTL_ALLOC of %"
        G_GSIZE_FORMAT " bytes", GST_OBJECT_NAME (self), maxsize);
    return NULL;
  }

  return gst_alloc_dmabuf_allocator_wrap (self, data.fd, maxsize, size, name,
      error);
}
