/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Base of the dma-buf backends (DMA heap, udmabuf, DRM dumb). It holds the
 * device node each allocates through: opened once, O_CLOEXEC, a failure
 * described with a hint for the log, closed at finalize. GstDmaBufAllocator
 * already brackets CPU access with DMA_BUF_IOCTL_SYNC, but gives up on
 * EINTR/EAGAIN, which leaves caches unsynchronised under signals; this
 * class retries, and names the buffers it wraps so they can be told apart
 * in /proc/<pid>/fdinfo. Built with linux/dma-buf.h; without it the -none
 * file registers the type alone, and no dma-buf backend is built. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/dma-buf.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

typedef struct
{
  /* The device node, set by the subclass's constructor. */
  gchar *path;
  int open_flags;
  /* Open from a successful open_node() until finalize, else -1. */
  int fd;
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

#define PRIV(self) ((GstAllocDmabufAllocatorPrivate *) \
    gst_alloc_dmabuf_allocator_get_instance_private (self))

void
gst_alloc_dmabuf_allocator_set_node (GstAllocDmabufAllocator * self,
    const gchar * path, int open_flags)
{
  GstAllocDmabufAllocatorPrivate *priv = PRIV (self);

  g_return_if_fail (priv->path == NULL);

  priv->path = g_strdup (path);
  priv->open_flags = open_flags;
}

int
gst_alloc_dmabuf_allocator_get_fd (GstAllocDmabufAllocator * self)
{
  return PRIV (self)->fd;
}

/* What to change so that @path opens, for the log; NULL when unknown. */
static gchar *
open_hint (const gchar * path, int errsv)
{
  struct stat st;

  switch (errsv) {
    case EACCES:
    case EPERM:
      if (stat (path, &st) < 0)
        return NULL;
      /* Distributions keep DMA heaps root-only and give udmabuf, V4L2
       * and DRM nodes to the seat user (or the video/render group). */
      return g_strdup_printf ("%s is mode %04o, owner uid %u, group gid %u; "
          "a udev rule giving a group read-write access to it, with this "
          "user in that group, lets it be opened", path,
          (guint) (st.st_mode & 07777), (guint) st.st_uid, (guint) st.st_gid);
    case ENOENT:
      return g_strdup ("the kernel does not expose this device: its driver "
          "is not built or not loaded");
    default:
      return NULL;
  }
}

gboolean
gst_alloc_dmabuf_allocator_open_node (GstAllocDmabufAllocator * self,
    GError ** error)
{
  GstAllocDmabufAllocatorPrivate *priv = PRIV (self);
  gchar *hint;
  int fd, errsv;

  g_return_val_if_fail (priv->path != NULL, FALSE);
  g_return_val_if_fail (priv->fd < 0, FALSE);

  fd = open (priv->path, priv->open_flags | O_CLOEXEC);
  if (fd < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: open %s",
        GST_OBJECT_NAME (self), priv->path);
    hint = open_hint (priv->path, errsv);
    if (hint)
      gst_alloc_backend_set_open_hint (GST_ALLOC_BACKEND (self), hint);
    g_free (hint);
    return FALSE;
  }
  priv->fd = fd;
  return TRUE;
}

void
gst_alloc_dmabuf_allocator_close_node (GstAllocDmabufAllocator * self)
{
  GstAllocDmabufAllocatorPrivate *priv = PRIV (self);

  if (priv->fd >= 0)
    close (priv->fd);
  priv->fd = -1;
}

static void
gst_alloc_dmabuf_allocator_finalize (GObject * object)
{
  GstAllocDmabufAllocator *self = GST_ALLOC_DMABUF_ALLOCATOR (object);

  gst_alloc_dmabuf_allocator_close_node (self);
  g_free (PRIV (self)->path);

  G_OBJECT_CLASS (gst_alloc_dmabuf_allocator_parent_class)->finalize (object);
}

static void
gst_alloc_dmabuf_allocator_class_init (GstAllocDmabufAllocatorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gst_alloc_debug_init ();
  gobject_class->finalize = gst_alloc_dmabuf_allocator_finalize;
  allocator_class->alloc = gst_alloc_backend_allocator_alloc;
}

static void
gst_alloc_dmabuf_allocator_init (GstAllocDmabufAllocator * self)
{
  GstAllocator *allocator = GST_ALLOCATOR (self);

  PRIV (self)->fd = -1;
  /* GstDmaBufAllocator's init has run and installed its own; replace it. */
  allocator->mem_map_full = dmabuf_map_full;
  allocator->mem_unmap_full = dmabuf_unmap_full;
  /* GstFdAllocator marks itself custom-only; the subclasses can allocate,
   * so pools and gst_allocator_alloc() may use them. */
  GST_OBJECT_FLAG_UNSET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

static void
set_dmabuf_name (GstAllocDmabufAllocator * self, int fd, const gchar * name)
{
  GstAllocDmabufAllocatorPrivate *priv = PRIV (self);
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
    gsize maxsize, gsize size, const gchar * name, GError ** error)
{
  g_return_val_if_fail (GST_IS_ALLOC_DMABUF_ALLOCATOR (self), NULL);
  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (size <= maxsize, NULL);

  if (name)
    set_dmabuf_name (self, fd, name);

  return gst_alloc_backend_wrap_fd (GST_ALLOCATOR (self), fd, maxsize, size,
      "dma-buf", error);
}
