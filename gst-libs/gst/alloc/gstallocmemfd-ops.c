/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The memfd backend's kernel side (memfd_create), and the sealed memfd the
 * udmabuf backend builds its dma-bufs from. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Longest memfd name the kernel takes (NAME_MAX less its "memfd:" prefix). */
#define MEMFD_NAME_MAX 249

int
gst_alloc_sealed_memfd_new (const gchar * who, const gchar * name,
    gsize size, guint seals, GError ** error)
{
  gchar label[MEMFD_NAME_MAX + 1];
  int fd, errsv;

  g_strlcpy (label, name ? name : "gst-alloc", sizeof (label));
  fd = memfd_create (label, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: memfd_create", who);
    return -1;
  }
  if (ftruncate (fd, size) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: ftruncate of a memfd to %"
        G_GSIZE_FORMAT " bytes", who, size);
    goto close_fd;
  }
  if (fcntl (fd, F_ADD_SEALS, seals) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: fcntl (F_ADD_SEALS) of a "
        "memfd", who);
    goto close_fd;
  }
  return fd;

close_fd:
  close (fd);
  return -1;
}

gboolean
gst_alloc_memfd_open (GstAllocBackend * backend, GError ** error)
{
  /* memfd_create() needs no device node. */
  return TRUE;
}

GstMemory *
gst_alloc_memfd_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  gsize maxsize;
  int fd;

  if (!gst_alloc_backend_page_round (backend, size, &maxsize, error))
    return NULL;

  /* Another process mapping this fd must not see it shrink under its
   * mapping (SIGBUS) or grow past what was negotiated. */
  fd = gst_alloc_sealed_memfd_new (GST_OBJECT_NAME (backend), name, maxsize,
      F_SEAL_SHRINK | F_SEAL_GROW, error);
  if (fd < 0)
    return NULL;

  return gst_alloc_backend_wrap_fd (GST_ALLOCATOR (backend), fd, maxsize,
      size, "memfd", error);
}
