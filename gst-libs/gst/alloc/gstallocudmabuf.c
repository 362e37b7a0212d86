/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* udmabuf backend: dma-bufs made from memfd pages, for importers that want a
 * dma-buf but no heap is accessible. Cached, not contiguous. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/udmabuf.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

/* memfd names are limited to NAME_MAX minus the "memfd:" prefix. */

struct _GstAllocUdmabufAllocator
{
  GstAllocDmabufAllocator parent;

  gchar *device_path;
  /* The udmabuf node, open from a successful open() until finalize. */
  int fd;
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

static gboolean
udmabuf_open (GstAllocBackend * backend, GError ** error)
{
  GstAllocUdmabufAllocator *self = GST_ALLOC_UDMABUF_ALLOCATOR (backend);
  int fd;

  fd = open (self->device_path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    gst_alloc_set_errno_error (error, errno, "Could not open %s",
        self->device_path);
    return FALSE;
  }
  self->fd = fd;
  return TRUE;
}

static GstMemory *
udmabuf_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  GstAllocUdmabufAllocator *self = GST_ALLOC_UDMABUF_ALLOCATOR (backend);
  struct udmabuf_create create = { 0 };
  gsize maxsize;
  int memfd, dmabuf, errsv;

  if (!gst_alloc_checked_round_up (size, sysconf (_SC_PAGESIZE), &maxsize)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
        "udmabuf: %" G_GSIZE_FORMAT " bytes cannot be page-rounded", size);
    return NULL;
  }

  /* udmabuf accepts only memfds sealed against shrinking, so the pages
   * cannot vanish under the dma-buf. */
  memfd = gst_alloc_sealed_memfd_new ("udmabuf", name, maxsize,
      F_SEAL_SHRINK, error);
  if (memfd < 0)
    return NULL;

  create.memfd = memfd;
  create.flags = UDMABUF_FLAGS_CLOEXEC;
  create.offset = 0;
  create.size = maxsize;
  dmabuf = gst_alloc_ioctl (self->fd, UDMABUF_CREATE, &create);
  errsv = errno;
  /* The dma-buf holds its own reference to the pages. */
  close (memfd);
  if (dmabuf < 0) {
    gst_alloc_set_errno_error (error, errsv,
        "%s: could not create a %" G_GSIZE_FORMAT " byte dma-buf",
        self->device_path, maxsize);
    return NULL;
  }

  return gst_alloc_dmabuf_allocator_wrap (GST_ALLOC_DMABUF_ALLOCATOR (self),
      dmabuf, maxsize, size, name);
}

static void
gst_alloc_udmabuf_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = udmabuf_get_capabilities;
  iface->open = udmabuf_open;
  iface->alloc = udmabuf_alloc;
}

static void
gst_alloc_udmabuf_allocator_finalize (GObject * object)
{
  GstAllocUdmabufAllocator *self = GST_ALLOC_UDMABUF_ALLOCATOR (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->device_path);

  G_OBJECT_CLASS (gst_alloc_udmabuf_allocator_parent_class)->finalize (object);
}

static void
gst_alloc_udmabuf_allocator_class_init (GstAllocUdmabufAllocatorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gst_alloc_debug_init ();
  gobject_class->finalize = gst_alloc_udmabuf_allocator_finalize;
  allocator_class->alloc = gst_alloc_backend_allocator_alloc;
}

static void
gst_alloc_udmabuf_allocator_init (GstAllocUdmabufAllocator * self)
{
  self->fd = -1;
  /* GstFdAllocator marks itself custom-only; this one can allocate, so
   * pools and gst_allocator_alloc() may use it. */
  GST_OBJECT_FLAG_UNSET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

/**
 * gst_alloc_udmabuf_allocator_new:
 * @device_path: (nullable): the udmabuf node, %NULL for
 *   %GST_ALLOC_UDMABUF_DEVICE
 *
 * Creates an allocator named "udmabuf" that turns memfd pages into dma-bufs.
 * The node is opened on first use (see gst_alloc_backend_open()), so this
 * succeeds even when the device is absent or not accessible.
 *
 * Returns: (transfer full): the new allocator.
 */
GstAllocator *
gst_alloc_udmabuf_allocator_new (const gchar * device_path)
{
  GstAllocUdmabufAllocator *self;

  self = g_object_new (GST_TYPE_ALLOC_UDMABUF_ALLOCATOR, "name", "udmabuf",
      NULL);
  self->device_path =
      g_strdup (device_path ? device_path : GST_ALLOC_UDMABUF_DEVICE);

  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
