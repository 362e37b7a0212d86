/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DRM dumb backend's device side: on the base class's node, a dumb
 * buffer (DRM_IOCTL_MODE_CREATE_DUMB) exported as a dma-buf with PRIME.
 * The ioctls are issued directly with libdrm's drm.h definitions rather
 * than through libdrm's wrappers, whose drmIoctl() retries EAGAIN without
 * end; here it follows the library's bounded policy (gst_alloc_ioctl). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"
#include "gstallocdrmioctl-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <drm.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

/* Dumb buffers are made 8 bits per pixel, this many pixels wide, and as
 * many rows as the size needs: every driver takes this width. */
#define DUMB_WIDTH 4096

static int
node_fd (GstAllocBackend * backend)
{
  return gst_alloc_dmabuf_allocator_get_fd (GST_ALLOC_DMABUF_ALLOCATOR
      (backend));
}

static gboolean
create_dumb (GstAllocBackend * backend, guint32 rows,
    struct drm_mode_create_dumb *create, GError ** error)
{
  int errsv;

  memset (create, 0, sizeof (*create));
  create->width = DUMB_WIDTH;
  create->height = rows;
  create->bpp = 8;
  if (gst_alloc_ioctl (node_fd (backend), DRM_IOCTL_MODE_CREATE_DUMB,
          create) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: DRM_IOCTL_MODE_CREATE_DUMB "
        "of %u rows of %u bytes", GST_OBJECT_NAME (backend), rows, DUMB_WIDTH);
    return FALSE;
  }
  return TRUE;
}

/* A handle left open only costs the device memory until the node is
 * closed, so a failure is logged, not returned. */
static void
close_handle (GstAllocBackend * backend, guint32 handle)
{
  int errsv;

  if (!gst_alloc_drm_close_handle (node_fd (backend), handle)) {
    errsv = errno;
    GST_WARNING_OBJECT (backend, "DRM_IOCTL_GEM_CLOSE of handle %u: %s",
        handle, g_strerror (errsv));
  }
}

/* Drivers without KMS (vgem) refuse the DRM_CAP_DUMB_BUFFER query with
 * EOPNOTSUPP yet create dumb buffers: then one small trial decides. */
static gboolean
check_dumb_buffers (GstAllocBackend * backend, GError ** error)
{
  struct drm_mode_create_dumb trial;
  guint64 dumb = 0;

  if (gst_alloc_drm_get_cap (node_fd (backend), DRM_CAP_DUMB_BUFFER, &dumb)
      && !dumb) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS,
        "%s: the device " "has no dumb buffers (DRM_CAP_DUMB_BUFFER is 0)",
        GST_OBJECT_NAME (backend));
    return FALSE;
  }
  if (!create_dumb (backend, 1, &trial, error))
    return FALSE;
  close_handle (backend, trial.handle);
  return TRUE;
}

static gboolean
check_prime_export (GstAllocBackend * backend, GError ** error)
{
  guint64 prime = 0;
  int errsv;

  if (!gst_alloc_drm_get_cap (node_fd (backend), DRM_CAP_PRIME, &prime)) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: DRM_IOCTL_GET_CAP "
        "(DRM_CAP_PRIME)", GST_OBJECT_NAME (backend));
    return FALSE;
  }
  if (!(prime & DRM_PRIME_CAP_EXPORT)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS, "%s: the device "
        "cannot export buffers as dma-bufs (DRM_CAP_PRIME is 0x%"
        G_GINT64_MODIFIER "x, without DRM_PRIME_CAP_EXPORT)",
        GST_OBJECT_NAME (backend), prime);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_alloc_drm_dumb_open (GstAllocBackend * backend, GError ** error)
{
  GstAllocDmabufAllocator *self = GST_ALLOC_DMABUF_ALLOCATOR (backend);

  if (!gst_alloc_dmabuf_allocator_open_node (self, error))
    return FALSE;
  if (check_dumb_buffers (backend, error)
      && check_prime_export (backend, error))
    return TRUE;
  /* open() is not called again: nothing will use the node. */
  gst_alloc_dmabuf_allocator_close_node (self);
  return FALSE;
}

/* The dumb buffer's dma-buf; the buffer object lives on in it. */
static int
export_dumb (GstAllocBackend * backend, guint32 handle, GError ** error)
{
  struct drm_prime_handle prime = { 0 };
  int ret, errsv;

  prime.handle = handle;
  prime.flags = DRM_CLOEXEC | DRM_RDWR;
  prime.fd = -1;
  ret = gst_alloc_ioctl (node_fd (backend), DRM_IOCTL_PRIME_HANDLE_TO_FD,
      &prime);
  /* Saved before the handle is closed, which may fail with its own. */
  errsv = errno;
  close_handle (backend, handle);
  if (ret < 0) {
    gst_alloc_set_errno_error (error, errsv, "%s: DRM_IOCTL_PRIME_HANDLE_TO_FD "
        "of a dumb buffer", GST_OBJECT_NAME (backend));
    return -1;
  }
  return prime.fd;
}

GstMemory *
gst_alloc_drm_dumb_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  struct drm_mode_create_dumb create;
  gsize rows;
  int dmabuf;

  rows = size / DUMB_WIDTH + (size % DUMB_WIDTH != 0);
  if (rows > G_MAXUINT32) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "%s: allocation of %"
        G_GSIZE_FORMAT " bytes: too large for a dumb buffer",
        GST_OBJECT_NAME (backend), size);
    return NULL;
  }
  if (!create_dumb (backend, rows, &create, error))
    return NULL;
  dmabuf = export_dumb (backend, create.handle, error);
  if (dmabuf < 0)
    return NULL;
  if (create.size < size) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "%s: "
        "DRM_IOCTL_MODE_CREATE_DUMB gave %" G_GUINT64_FORMAT " bytes of the %"
        G_GSIZE_FORMAT " asked", GST_OBJECT_NAME (backend),
        (guint64) create.size, size);
    close (dmabuf);
    return NULL;
  }
  return gst_alloc_dmabuf_allocator_wrap (GST_ALLOC_DMABUF_ALLOCATOR
      (backend), dmabuf, create.size, size, name, error);
}
