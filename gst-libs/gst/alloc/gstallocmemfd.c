/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memfd backend: anonymous files that can be passed to other processes (for
 * example over a unix socket) and mapped there. Not a dma-buf. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

/* memfd names are limited to NAME_MAX minus the "memfd:" prefix. */

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

static gboolean
memfd_open (GstAllocBackend * backend, GError ** error)
{
  /* memfd_create() needs no device node. */
  return TRUE;
}

static GstMemory *
memfd_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  GstMemory *mem;
  gsize maxsize;
  int fd;

  if (!gst_alloc_checked_round_up (size, sysconf (_SC_PAGESIZE), &maxsize)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
        "memfd: %" G_GSIZE_FORMAT " bytes cannot be page-rounded", size);
    return NULL;
  }

  /* Another process mapping this fd must not see it shrink under its
   * mapping (SIGBUS) or grow past what was negotiated. */
  fd = gst_alloc_sealed_memfd_new ("memfd", name, maxsize,
      F_SEAL_SHRINK | F_SEAL_GROW, error);
  if (fd < 0)
    return NULL;

  mem = gst_fd_allocator_alloc (GST_ALLOCATOR (backend), fd, maxsize,
      GST_FD_MEMORY_FLAG_KEEP_MAPPED);
  if (!mem) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
        "memfd: could not wrap fd %d", fd);
    goto close_fd;
  }
  gst_memory_resize (mem, 0, size);
  return mem;

close_fd:
  close (fd);
  return NULL;
}

static void
gst_alloc_memfd_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = memfd_get_capabilities;
  iface->open = memfd_open;
  iface->alloc = memfd_alloc;
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
 *
 * Returns: (transfer full): the new allocator.
 */
GstAllocator *
gst_alloc_memfd_allocator_new (void)
{
  GstAllocMemfdAllocator *self;

  self = g_object_new (GST_TYPE_ALLOC_MEMFD_ALLOCATOR, "name", "memfd", NULL);
  return GST_ALLOCATOR (gst_object_ref_sink (self));
}
