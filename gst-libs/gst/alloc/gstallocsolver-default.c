/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The process-wide solver over this machine's backends. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

#define GST_CAT_DEFAULT gst_alloc_solver_debug

static void
add_registered (GstAllocSolver * solver, GstAllocator * backend)
{
  gchar *name = g_strdup_printf ("gstalloc-%s", GST_OBJECT_NAME (backend));

  /* Registered so stock elements can find our allocators by name. */
  g_strdelimit (name, ":,", '-');
  gst_allocator_register (name, gst_object_ref (backend));
  gst_alloc_solver_add_backend (solver, backend);
  gst_object_unref (backend);
  g_free (name);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

static void
add_dma_heaps (GstAllocSolver * solver)
{
  GError *err = NULL;
  GDir *dir = g_dir_open (GST_ALLOC_DMA_HEAP_DIR, 0, &err);
  GPtrArray *names;
  const gchar *name;
  gchar *path;
  guint i;

  if (!dir) {
    GST_INFO_OBJECT (solver, "no DMA heaps: %s", err->message);
    g_clear_error (&err);
    return;
  }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  /* Directory order is arbitrary; sorting keeps choices reproducible. */
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++) {
    path = g_build_filename (GST_ALLOC_DMA_HEAP_DIR, names->pdata[i], NULL);
    add_registered (solver, gst_alloc_dma_heap_allocator_new (path));
    g_free (path);
  }
  g_ptr_array_unref (names);
}

/* Opaque: chosen only when a consumer names one in heaps (drm:card0). */
static void
add_drm_dumb (GstAllocSolver * solver)
{
  GPtrArray *backends = gst_alloc_drm_dumb_default_backends ();
  guint i;

  for (i = 0; i < backends->len; i++)
    add_registered (solver, gst_object_ref (backends->pdata[i]));
  g_ptr_array_unref (backends);
}

/**
 * gst_alloc_solver_get_default:
 *
 * The process-wide solver over the machine's backends: every DMA heap in
 * /dev/dma_heap, udmabuf, memfd and system memory, and a DRM dumb-buffer
 * backend per /dev/dri/card* node (used only when a consumer names it,
 * heaps=drm:card0). A backend this build of gst-alloc lacks (see meson's
 * summary) is listed all the same and passed over with "built without ...". Each backend's allocator is registered as
 * "gstalloc-NAME" (for example "gstalloc-dmaheap-system",
 * "gstalloc-drm-card0").
 * Backends that cannot be opened stay listed and are passed over, with the
 * reason logged once per process.
 *
 * Returns: (transfer none): the default solver.
 *
 * Since: 1.0
 */
GstAllocSolver *
gst_alloc_solver_get_default (void)
{
  static GstAllocSolver *solver = NULL;

  if (g_once_init_enter (&solver)) {
    GstAllocSolver *s = gst_alloc_solver_new ();

    gst_object_set_name (GST_OBJECT (s), "default-solver");
    add_dma_heaps (s);
    add_registered (s, gst_alloc_udmabuf_allocator_new (NULL));
    add_registered (s, gst_alloc_memfd_allocator_new ());
    add_registered (s, gst_alloc_system_allocator_new ());
    add_drm_dumb (s);
    GST_OBJECT_FLAG_SET (s, GST_OBJECT_FLAG_MAY_BE_LEAKED);
    g_once_init_leave (&solver, s);
  }
  return solver;
}
