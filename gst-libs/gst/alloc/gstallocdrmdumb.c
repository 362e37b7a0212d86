/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DRM dumb-buffer backend: memory a DRM device allocated itself, exported
 * as a dma-buf with PRIME. For a display or GPU that wants its own memory
 * rather than importing ours. Nothing is known about its caching or
 * contiguity in general, so it is opaque: the solver uses it only when a
 * consumer names it, heaps=drm:<node>. The device side is in
 * gstallocdrmdumb-ops.c, built with libdrm, or the -none.c stub. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

#include <fcntl.h>

struct _GstAllocDrmDumbAllocator
{
  GstAllocDmabufAllocator parent;

  /* Interned "drm:<basename>", the heap name consumers ask for. */
  const gchar *heap_name;
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

static void
gst_alloc_drm_dumb_backend_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = drm_dumb_get_capabilities;
  iface->open = gst_alloc_drm_dumb_open;
  iface->alloc = gst_alloc_drm_dumb_alloc;
}

static void
gst_alloc_drm_dumb_allocator_class_init (GstAllocDrmDumbAllocatorClass * klass)
{
}

static void
gst_alloc_drm_dumb_allocator_init (GstAllocDrmDumbAllocator * self)
{
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
 * device has no dumb buffers or cannot export them
 * (%G_FILE_ERROR_NOSYS), or when gst-alloc was built without libdrm
 * (%G_FILE_ERROR_NOSYS, saying so).
 *
 * Returns: (transfer full): the new allocator.
 *
 * Since: 1.0
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
  self->heap_name = g_intern_string (name);
  gst_alloc_dmabuf_allocator_set_node (GST_ALLOC_DMABUF_ALLOCATOR (self),
      device_path, O_RDWR);
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
