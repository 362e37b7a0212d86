/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The udmabuf backend's kernel side (linux/udmabuf.h, memfd_create): each
 * allocation is a sealed memfd turned into a dma-buf by UDMABUF_CREATE on
 * the base class's node. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/udmabuf.h>

gboolean
gst_alloc_udmabuf_open (GstAllocBackend * backend, GError ** error)
{
  return gst_alloc_dmabuf_allocator_open_node (GST_ALLOC_DMABUF_ALLOCATOR
      (backend), error);
}

GstMemory *
gst_alloc_udmabuf_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  GstAllocDmabufAllocator *self = GST_ALLOC_DMABUF_ALLOCATOR (backend);
  struct udmabuf_create create = { 0 };
  gsize maxsize;
  int memfd, dmabuf, errsv;

  if (!gst_alloc_backend_page_round (backend, size, &maxsize, error))
    return NULL;

  /* udmabuf accepts only memfds sealed against shrinking, so the pages
   * cannot vanish under the dma-buf. */
  memfd = gst_alloc_sealed_memfd_new (GST_OBJECT_NAME (self), name, maxsize,
      F_SEAL_SHRINK, error);
  if (memfd < 0)
    return NULL;

  create.memfd = memfd;
  create.flags = UDMABUF_FLAGS_CLOEXEC;
  create.offset = 0;
  create.size = maxsize;
  dmabuf = gst_alloc_ioctl (gst_alloc_dmabuf_allocator_get_fd (self),
      UDMABUF_CREATE, &create);
  errsv = errno;
  /* The dma-buf holds its own reference to the pages. */
  close (memfd);
  if (dmabuf < 0) {
    gst_alloc_set_errno_error (error, errsv, "%s: UDMABUF_CREATE of %"
        G_GSIZE_FORMAT " bytes", GST_OBJECT_NAME (self), maxsize);
    return NULL;
  }

  return gst_alloc_dmabuf_allocator_wrap (self, dmabuf, maxsize, size, name,
      error);
}
