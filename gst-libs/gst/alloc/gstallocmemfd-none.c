/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built instead of gstallocmemfd-ops.c without memfd_create():
 * the allocator exists, with its capabilities, but cannot be opened. The
 * udmabuf backend needs memfds too, so it is not built either. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

gboolean
gst_alloc_memfd_open (GstAllocBackend * backend, GError ** error)
{
  return gst_alloc_backend_open_unbuilt (backend,
      GST_ALLOC_MEMFD_MISSING, error);
}

/* Never called: gst_alloc_backend_alloc() opens first, which fails. */
GstMemory *
gst_alloc_memfd_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  gst_alloc_memfd_open (backend, error);
  return NULL;
}
