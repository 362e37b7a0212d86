/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GstAllocator::alloc vfunc every backend shares, so stock elements
 * (and gst_allocator_alloc()) can use our allocators: GstAllocationParams'
 * prefix, padding, alignment and flags on top of gst_alloc_backend_alloc().
 * GstAllocator::alloc has no GError: a refusal is a warning on the
 * allocator and a NULL memory. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"

#include <string.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

static gboolean
checked_total (gsize size, const GstAllocationParams * params, gsize * total)
{
  if (size > G_MAXSIZE - params->prefix)
    return FALSE;
  if (size + params->prefix > G_MAXSIZE - params->padding)
    return FALSE;
  *total = params->prefix + size + params->padding;
  return TRUE;
}

/* Kernel-backed memory (memfd, DMA heaps, udmabuf) comes from freshly zeroed
 * pages; only process memory needs the reserved bytes cleared by hand. */
static void
zero_reserved_bytes (GstAllocBackend * backend, GstMemory * mem,
    gsize size, const GstAllocationParams * params)
{
  GstAllocCapabilities caps;
  GstMapInfo map;

  if (!(params->flags & (GST_MEMORY_FLAG_ZERO_PREFIXED |
              GST_MEMORY_FLAG_ZERO_PADDED)))
    return;
  gst_alloc_backend_get_capabilities (backend, &caps);
  if (caps.memory != GST_ALLOC_MEMORY_SYSTEM)
    return;
  if (!gst_memory_map (mem, &map, GST_MAP_WRITE)) {
    GST_WARNING_OBJECT (backend, "cannot map memory to zero its prefix");
    return;
  }
  if (params->flags & GST_MEMORY_FLAG_ZERO_PREFIXED)
    memset (map.data, 0, params->prefix);
  if (params->flags & GST_MEMORY_FLAG_ZERO_PADDED)
    memset (map.data + params->prefix + size, 0, params->padding);
  gst_memory_unmap (mem, &map);
}

static GstMemory *
backend_alloc_logged (GstAllocBackend * backend, gsize total)
{
  GError *error = NULL;
  GstMemory *mem;

  /* A failed open was already logged once as a warning; repeating it on
   * every allocation would flood the log. */
  if (!gst_alloc_backend_open (backend, &error)) {
    GST_DEBUG_OBJECT (backend, "cannot allocate: %s", error->message);
    g_error_free (error);
    return NULL;
  }
  mem = gst_alloc_backend_alloc (backend, total, NULL, &error);
  if (!mem) {
    GST_WARNING_OBJECT (backend, "allocation of %" G_GSIZE_FORMAT
        " bytes failed: %s", total, error->message);
    g_error_free (error);
  }
  return mem;
}

/* GStreamer's own sysmem allocator copies the params' flags onto its
 * memory, physically contiguous or not; here the flag is a promise a
 * consumer (a device without an IOMMU) relies on for DMA, so memory that
 * cannot keep it is refused rather than handed out with the flag dropped,
 * which would only fail later, inside the device. */
static gboolean
can_honour_flags (GstAllocBackend * backend, GstMemoryFlags flags)
{
  GstAllocCapabilities caps;

  if (!(flags & GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS))
    return TRUE;
  gst_alloc_backend_get_capabilities (backend, &caps);
  if (caps.contiguous)
    return TRUE;
  GST_WARNING_OBJECT (backend, "refusing an allocation asking for "
      "GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS: this backend's memory is not "
      "physically contiguous (only a CMA DMA heap's is)");
  return FALSE;
}

GstMemory *
gst_alloc_backend_allocator_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params)
{
  GstAllocBackend *backend = GST_ALLOC_BACKEND (allocator);
  GstAllocationParams defaults;
  GstMemory *mem;
  gsize page = sysconf (_SC_PAGESIZE);
  gsize total;

  if (!params) {
    gst_allocation_params_init (&defaults);
    params = &defaults;
  }
  /* Backends give page-aligned memory, so any smaller alignment holds. */
  if (params->align >= page) {
    GST_WARNING_OBJECT (backend, "alignment mask %" G_GSIZE_FORMAT
        " exceeds the page size %" G_GSIZE_FORMAT, params->align, page);
    return NULL;
  }
  if (!can_honour_flags (backend, params->flags))
    return NULL;
  if (!checked_total (size, params, &total) || total == 0) {
    GST_WARNING_OBJECT (backend, "invalid allocation: prefix %" G_GSIZE_FORMAT
        " + size %" G_GSIZE_FORMAT " + padding %" G_GSIZE_FORMAT,
        params->prefix, size, params->padding);
    return NULL;
  }

  mem = backend_alloc_logged (backend, total);
  if (!mem)
    return NULL;

  zero_reserved_bytes (backend, mem, size, params);
  /* Resizing clears the zero-prefixed/padded flags, so set flags after. */
  gst_memory_resize (mem, params->prefix, size);
  GST_MINI_OBJECT_FLAG_SET (mem, params->flags);
  return mem;
}
