/* SPDX-License-Identifier: LGPL-2.1-or-later */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

static GstDebugCategory *categories[GST_ALLOC_DEBUG_N_CATEGORIES];

void
gst_alloc_debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (categories[GST_ALLOC_DEBUG_MODEL], "alloc", 0,
        "gst-alloc constraint model");
    GST_DEBUG_CATEGORY_INIT (categories[GST_ALLOC_DEBUG_BACKEND],
        "allocbackend", 0,
        "gst-alloc memory backends (DMA heaps, udmabuf, memfd, system)");
    GST_DEBUG_CATEGORY_INIT (categories[GST_ALLOC_DEBUG_SOLVER], "allocsolver",
        0, "gst-alloc backend choice and fallbacks");
    GST_DEBUG_CATEGORY_INIT (categories[GST_ALLOC_DEBUG_POOL], "allocpool", 0,
        "gst-alloc constraint-aware buffer pool");
    GST_DEBUG_CATEGORY_GET (categories[GST_ALLOC_DEBUG_PERFORMANCE],
        "GST_PERFORMANCE");
    g_once_init_leave (&done, 1);
  }
}

GstDebugCategory *
gst_alloc_debug_get_category (GstAllocDebugCategory which)
{
  gst_alloc_debug_init ();
  return categories[which];
}

/**
 * gst_alloc_init:
 *
 * Registers the library's types and debug categories ahead of their first
 * use. Optional: every call of the library works without it, after
 * gst_init(). Calling it more than once is harmless.
 *
 * Since: 1.0
 */
void
gst_alloc_init (void)
{
  gst_alloc_debug_init ();
  g_type_ensure (GST_TYPE_ALLOC_CONSTRAINTS);
  g_type_ensure (GST_TYPE_ALLOC_SOLVER);
  g_type_ensure (GST_TYPE_ALLOC_POOL);
}
