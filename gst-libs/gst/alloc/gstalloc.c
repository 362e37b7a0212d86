/* SPDX-License-Identifier: LGPL-2.1-or-later */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

GST_DEBUG_CATEGORY (gst_alloc_debug);
GST_DEBUG_CATEGORY (gst_alloc_backend_debug);
GST_DEBUG_CATEGORY (gst_alloc_solver_debug);
GST_DEBUG_CATEGORY (gst_alloc_pool_debug);
GST_DEBUG_CATEGORY (gst_alloc_performance_debug);

void
gst_alloc_debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (gst_alloc_debug, "alloc", 0,
        "gst-alloc constraint model");
    GST_DEBUG_CATEGORY_INIT (gst_alloc_backend_debug, "allocbackend", 0,
        "gst-alloc memory backends (DMA heaps, udmabuf, memfd, system)");
    GST_DEBUG_CATEGORY_INIT (gst_alloc_solver_debug, "allocsolver", 0,
        "gst-alloc backend choice and fallbacks");
    GST_DEBUG_CATEGORY_INIT (gst_alloc_pool_debug, "allocpool", 0,
        "gst-alloc constraint-aware buffer pool");
    GST_DEBUG_CATEGORY_GET (gst_alloc_performance_debug, "GST_PERFORMANCE");
    g_once_init_leave (&done, 1);
  }
}

/**
 * gst_alloc_init:
 *
 * Initialises the library's debug categories and types. Call after
 * gst_init(); calling it more than once is harmless.
 */
void
gst_alloc_init (void)
{
  gst_alloc_debug_init ();
  g_type_ensure (GST_TYPE_ALLOC_CONSTRAINTS);
  g_type_ensure (GST_TYPE_ALLOC_SOLVER);
  g_type_ensure (GST_TYPE_ALLOC_POOL);
}
