/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DRM dumb-buffer backend: memory a DRM device allocated itself, exported
 * as a dma-buf with PRIME. For a display or GPU that wants its own memory
 * rather than importing ours. Nothing is known about its caching or
 * contiguity in general, so it is opaque: the solver uses it only when a
 * consumer names it, heaps=drm:<node>. Built only with libdrm. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"
#include <gst/alloc/gstallocdrm.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

/* Dumb buffers are made 8 bits per pixel, this many pixels wide, and as
 * many rows as the size needs: every driver takes this width. */
#define DUMB_WIDTH 4096

struct _GstAllocDrmDumbAllocator
{
  GstAllocDmabufAllocator parent;

  gchar *path;
  /* Interned "drm:<basename>", the heap name consumers ask for. */
  const gchar *heap_name;
  /* The DRM node, open from a successful open() until finalize. */
  int fd;
};

static void gst_alloc_drm_dumb_backend_init (GstAllocBackendInterface * iface);

G_DEFINE_TYPE_WITH_CODE (GstAllocDrmDumbAllocator,
    gst_alloc_drm_dumb_allocator, GST_TYPE_ALLOC_DMABUF_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND,
        gst_alloc_drm_dumb_backend_init));

static void
drm_dumb_get_capabilities (GstAllocBackend * backend,
    GstAllocCapabilities * caps)
{
  GstAllocDrmDumbAllocator *self = GST_ALLOC_DRM_DUMB_ALLOCATOR (backend);

  caps->memory = GST_ALLOC_MEMORY_DMABUF;
  /* Neither is exposed by the driver: most map dumb buffers write-combined,
   * some cached; CMA-backed drivers are contiguous, shmem ones are not. */
  caps->contiguous = FALSE;
  caps->cache = GST_ALLOC_CACHE_ANY;
  caps->heap = self->heap_name;
  caps->opaque = TRUE;
}

static gboolean
check_caps (GstAllocDrmDumbAllocator * self, GError ** error)
{
  guint64 dumb = 0, prime = 0;

  guint32 handle, pitch;
  guint64 size;
  int ret;

  /* Drivers without KMS (vgem) refuse the capability query with
   * EOPNOTSUPP yet create dumb buffers: then one small trial decides. */
  if (drmGetCap (self->fd, DRM_CAP_DUMB_BUFFER, &dumb) == 0 && !dumb) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s cannot create dumb buffers (DRM_CAP_DUMB_BUFFER is 0)", self->path);
    return FALSE;
  }
  ret = drmModeCreateDumbBuffer (self->fd, DUMB_WIDTH, 1, 8, 0, &handle,
      &pitch, &size);
  if (ret < 0) {
    gst_alloc_set_errno_error (error, -ret, "%s cannot create dumb buffers",
        self->path);
    return FALSE;
  }
  drmModeDestroyDumbBuffer (self->fd, handle);
  if (drmGetCap (self->fd, DRM_CAP_PRIME, &prime) < 0
      || !(prime & DRM_PRIME_CAP_EXPORT)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s cannot export buffers as dma-bufs (DRM_CAP_PRIME has no "
        "DRM_PRIME_CAP_EXPORT)", self->path);
    return FALSE;
  }
  return TRUE;
}

static gboolean
drm_dumb_open (GstAllocBackend * backend, GError ** error)
{
  GstAllocDrmDumbAllocator *self = GST_ALLOC_DRM_DUMB_ALLOCATOR (backend);

  self->fd = open (self->path, O_RDWR | O_CLOEXEC);
  if (self->fd < 0) {
    gst_alloc_set_errno_error (error, errno, "Could not open DRM device %s",
        self->path);
    return FALSE;
  }
  if (!check_caps (self, error)) {
    close (self->fd);
    self->fd = -1;
    return FALSE;
  }
  return TRUE;
}

static GstMemory *
drm_dumb_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  GstAllocDrmDumbAllocator *self = GST_ALLOC_DRM_DUMB_ALLOCATOR (backend);
  guint32 handle = 0, pitch = 0;
  guint64 dumb_size = 0;
  gsize rows;
  int ret, dmabuf = -1;

  rows = size / DUMB_WIDTH + (size % DUMB_WIDTH != 0);
  if (rows > G_MAXUINT32) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
        "%s: %" G_GSIZE_FORMAT " bytes is too large for a dumb buffer",
        self->path, size);
    return NULL;
  }
  ret = drmModeCreateDumbBuffer (self->fd, DUMB_WIDTH, rows, 8, 0, &handle,
      &pitch, &dumb_size);
  if (ret < 0) {
    gst_alloc_set_errno_error (error, -ret, "%s: could not create a %"
        G_GSIZE_FORMAT " byte dumb buffer", self->path, size);
    return NULL;
  }
  ret = drmPrimeHandleToFD (self->fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf);
  /* The dma-buf holds its own reference to the buffer object. */
  drmCloseBufferHandle (self->fd, handle);
  if (ret < 0) {
    gst_alloc_set_errno_error (error, errno, "%s: could not export a dumb "
        "buffer as a dma-buf", self->path);
    return NULL;
  }
  if (dumb_size < size) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "%s: a dumb "
        "buffer of %" G_GUINT64_FORMAT " bytes is smaller than the %"
        G_GSIZE_FORMAT " asked", self->path, dumb_size, size);
    close (dmabuf);
    return NULL;
  }
  return gst_alloc_dmabuf_allocator_wrap (GST_ALLOC_DMABUF_ALLOCATOR (self),
      dmabuf, dumb_size, size, name);
}

static void
gst_alloc_drm_dumb_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = drm_dumb_get_capabilities;
  iface->open = drm_dumb_open;
  iface->alloc = drm_dumb_alloc;
}

static void
gst_alloc_drm_dumb_allocator_finalize (GObject * object)
{
  GstAllocDrmDumbAllocator *self = GST_ALLOC_DRM_DUMB_ALLOCATOR (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);

  G_OBJECT_CLASS (gst_alloc_drm_dumb_allocator_parent_class)->finalize (object);
}

static void
gst_alloc_drm_dumb_allocator_class_init (GstAllocDrmDumbAllocatorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gst_alloc_debug_init ();
  gobject_class->finalize = gst_alloc_drm_dumb_allocator_finalize;
  allocator_class->alloc = gst_alloc_backend_allocator_alloc;
}

static void
gst_alloc_drm_dumb_allocator_init (GstAllocDrmDumbAllocator * self)
{
  self->fd = -1;
  /* GstFdAllocator marks itself custom-only; this one can allocate. */
  GST_OBJECT_FLAG_UNSET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

/**
 * gst_alloc_drm_dumb_allocator_new:
 * @device_path: a DRM node, such as "/dev/dri/card0"
 *
 * Creates an allocator named `drm:<node>` (for example "drm:card0") whose
 * memories are dumb buffers of that device exported as dma-bufs. Its
 * capabilities name the heap `drm:<node>` and are opaque, so the solver
 * uses it only for a consumer that asks for `heaps=drm:<node>`. The node is
 * opened on first use (see gst_alloc_backend_open()), which fails when the
 * device has no dumb buffers or cannot export them.
 *
 * Returns: (transfer full): the new allocator.
 */
GstAllocator *
gst_alloc_drm_dumb_allocator_new (const gchar * device_path)
{
  GstAllocDrmDumbAllocator *self;
  gchar *basename, *name;

  g_return_val_if_fail (device_path != NULL, NULL);

  basename = g_path_get_basename (device_path);
  name = g_strdup_printf ("drm:%s", basename);
  self = g_object_new (GST_TYPE_ALLOC_DRM_DUMB_ALLOCATOR, "name", name, NULL);
  self->path = g_strdup (device_path);
  self->heap_name = g_intern_string (name);
  g_free (name);
  g_free (basename);

  return GST_ALLOCATOR (gst_object_ref_sink (self));
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

GPtrArray *
gst_alloc_drm_dumb_default_backends (void)
{
  GPtrArray *backends = g_ptr_array_new_with_free_func (gst_object_unref);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open ("/dev/dri", 0, NULL);
  const gchar *name;
  gchar *path;
  guint i;

  while (dir && (name = g_dir_read_name (dir))) {
    if (g_str_has_prefix (name, "card"))
      g_ptr_array_add (names, g_strdup (name));
  }
  if (dir)
    g_dir_close (dir);
  /* Directory order is arbitrary; sorting keeps choices reproducible. */
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++) {
    path = g_build_filename ("/dev/dri", names->pdata[i], NULL);
    g_ptr_array_add (backends, gst_alloc_drm_dumb_allocator_new (path));
    g_free (path);
  }
  g_ptr_array_unref (names);
  return backends;
}
