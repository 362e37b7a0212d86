/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Base of the dma-buf backends. GstDmaBufAllocator already brackets CPU
 * access with DMA_BUF_IOCTL_SYNC, but gives up on EINTR/EAGAIN, which leaves
 * caches unsynchronised under signals; this class retries, and names the
 * buffers it wraps so they can be told apart in /proc/<pid>/fdinfo. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <errno.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

typedef struct
{
  /* Set once the kernel refused DMA_BUF_SET_NAME, so it is logged once. */
  gint name_refused;
} GstAllocDmabufAllocatorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GstAllocDmabufAllocator,
    gst_alloc_dmabuf_allocator, GST_TYPE_DMABUF_ALLOCATOR);

static guint64
sync_access_flags (GstMapFlags flags)
{
  guint64 access = 0;

  if (flags & GST_MAP_READ)
    access |= DMA_BUF_SYNC_READ;
  if (flags & GST_MAP_WRITE)
    access |= DMA_BUF_SYNC_WRITE;
  return access;
}

static void
sync_dmabuf (GstMemory * mem, GstMapFlags flags, guint64 stage)
{
  struct dma_buf_sync sync = { 0 };
  int fd = gst_fd_memory_get_fd (mem);
  int errsv;

  sync.flags = sync_access_flags (flags);
  /* The kernel rejects a sync that neither reads nor writes. */
  if (sync.flags == 0)
    return;
  sync.flags |= stage;

  if (gst_alloc_ioctl (fd, DMA_BUF_IOCTL_SYNC, &sync) < 0) {
    errsv = errno;
    GST_WARNING_OBJECT (mem->allocator, "fd %d: DMA_BUF_IOCTL_SYNC %s "
        "failed, CPU caches may be stale: %s", fd,
        stage == DMA_BUF_SYNC_START ? "start" : "end", g_strerror (errsv));
  }
}

static gpointer
dmabuf_map_full (GstMemory * mem, GstMapInfo * info, gsize maxsize)
{
  gpointer data = mem->allocator->mem_map (mem, maxsize, info->flags);

  /* Like GstDmaBufAllocator, a failed sync does not fail the map: the data
   * is reachable, only its cache coherency is not guaranteed. */
  if (data)
    sync_dmabuf (mem, info->flags, DMA_BUF_SYNC_START);
  return data;
}

static void
dmabuf_unmap_full (GstMemory * mem, GstMapInfo * info)
{
  sync_dmabuf (mem, info->flags, DMA_BUF_SYNC_END);
  mem->allocator->mem_unmap (mem);
}

static void
gst_alloc_dmabuf_allocator_class_init (GstAllocDmabufAllocatorClass * klass)
{
  gst_alloc_debug_init ();
}

static void
gst_alloc_dmabuf_allocator_init (GstAllocDmabufAllocator * self)
{
  GstAllocator *allocator = GST_ALLOCATOR (self);

  /* GstDmaBufAllocator's init has run and installed its own; replace it. */
  allocator->mem_map_full = dmabuf_map_full;
  allocator->mem_unmap_full = dmabuf_unmap_full;
}

static void
set_dmabuf_name (GstAllocDmabufAllocator * self, int fd, const gchar * name)
{
  GstAllocDmabufAllocatorPrivate *priv =
      gst_alloc_dmabuf_allocator_get_instance_private (self);
  gchar label[DMA_BUF_NAME_LEN];
  int errsv;

  /* The kernel refuses names that do not fit instead of truncating. */
  g_strlcpy (label, name, sizeof (label));
  if (gst_alloc_ioctl (fd, DMA_BUF_SET_NAME, label) == 0)
    return;

  errsv = errno;
  if (g_atomic_int_compare_and_exchange (&priv->name_refused, 0, 1))
    GST_DEBUG_OBJECT (self, "kernel does not name dma-bufs (fd %d, \"%s\"): "
        "%s; buffers stay unnamed", fd, label, g_strerror (errsv));
}

GstMemory *
gst_alloc_dmabuf_allocator_wrap (GstAllocDmabufAllocator * self, int fd,
    gsize maxsize, gsize size, const gchar * name)
{
  GstMemory *mem;

  g_return_val_if_fail (GST_IS_ALLOC_DMABUF_ALLOCATOR (self), NULL);
  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (size <= maxsize, NULL);

  if (name)
    set_dmabuf_name (self, fd, name);

  mem = gst_fd_allocator_alloc (GST_ALLOCATOR (self), fd, maxsize,
      GST_FD_MEMORY_FLAG_KEEP_MAPPED);
  if (!mem) {
    GST_WARNING_OBJECT (self, "could not wrap dma-buf fd %d", fd);
    close (fd);
    return NULL;
  }
  gst_memory_resize (mem, 0, size);
  return mem;
}
