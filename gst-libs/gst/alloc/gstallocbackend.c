/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GstAllocBackend interface: what every backend gives (capabilities), a
 * once-only open whose outcome is remembered, and the GstAllocator::alloc
 * vfunc the backends share so stock elements can use them. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <string.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_backend_debug

/* Outcome of the one call to GstAllocBackendInterface.open, kept as qdata on
 * the allocator: @error is NULL after a successful open. */
typedef struct
{
  GError *error;
} OpenResult;

static GQuark
open_result_quark (void)
{
  return g_quark_from_static_string ("gst-alloc-backend-open-result");
}

/* Serialises the first open of every backend, so two threads never both call
 * open(); later calls only read the remembered result. */
static GMutex open_lock;

G_DEFINE_INTERFACE (GstAllocBackend, gst_alloc_backend, GST_TYPE_ALLOCATOR);

static void
gst_alloc_backend_default_init (GstAllocBackendInterface * iface)
{
  gst_alloc_debug_init ();
}

static void
open_result_free (gpointer data)
{
  OpenResult *result = data;

  g_clear_error (&result->error);
  g_free (result);
}

/**
 * gst_alloc_backend_get_capabilities:
 * @backend: a #GstAllocBackend
 * @caps: (out caller-allocates): where to write what @backend gives
 *
 * Fills @caps with the memory kind, cache policy, contiguity and heap name of
 * the memory @backend allocates. Does not open the backend.
 */
void
gst_alloc_backend_get_capabilities (GstAllocBackend * backend,
    GstAllocCapabilities * caps)
{
  GstAllocBackendInterface *iface;

  g_return_if_fail (GST_IS_ALLOC_BACKEND (backend));
  g_return_if_fail (caps != NULL);

  memset (caps, 0, sizeof (*caps));
  caps->cache = GST_ALLOC_CACHE_ANY;
  iface = GST_ALLOC_BACKEND_GET_IFACE (backend);
  g_return_if_fail (iface->get_capabilities != NULL);
  iface->get_capabilities (backend, caps);
}

static OpenResult *
peek_open_result (GstAllocBackend * backend)
{
  OpenResult *result;

  GST_OBJECT_LOCK (backend);
  result = g_object_get_qdata (G_OBJECT (backend), open_result_quark ());
  GST_OBJECT_UNLOCK (backend);
  return result;
}

static const gchar *
open_failure_hint (const GError * error)
{
  if (error->domain != G_FILE_ERROR)
    return "";
  switch (error->code) {
    case G_FILE_ERROR_ACCES:
    case G_FILE_ERROR_PERM:
      return " (most distributions keep /dev/dma_heap and /dev/udmabuf "
          "root-only; a udev rule giving a group access to the node, with "
          "this user in that group, lets it be opened)";
    case G_FILE_ERROR_NOENT:
      return " (the kernel does not expose this device: its driver is not "
          "built or not loaded)";
    default:
      return "";
  }
}

static OpenResult *
open_once (GstAllocBackend * backend)
{
  GstAllocBackendInterface *iface = GST_ALLOC_BACKEND_GET_IFACE (backend);
  OpenResult *result;

  g_mutex_lock (&open_lock);
  result = peek_open_result (backend);
  if (result)
    goto done;

  result = g_new0 (OpenResult, 1);
  if (iface->open && !iface->open (backend, &result->error)) {
    if (!result->error)
      g_set_error (&result->error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
          "%s: could not open backend", GST_OBJECT_NAME (backend));
    /* Logged here only: later calls return the remembered error quietly. */
    GST_WARNING_OBJECT (backend, "backend unusable: %s%s",
        result->error->message, open_failure_hint (result->error));
  } else {
    GST_DEBUG_OBJECT (backend, "opened");
  }

  GST_OBJECT_LOCK (backend);
  g_object_set_qdata_full (G_OBJECT (backend), open_result_quark (), result,
      open_result_free);
  GST_OBJECT_UNLOCK (backend);

done:
  g_mutex_unlock (&open_lock);
  return result;
}

/**
 * gst_alloc_backend_open:
 * @backend: a #GstAllocBackend
 * @error: return location for a #GError in the %G_FILE_ERROR domain
 *
 * Acquires what @backend needs to allocate (typically a device node). The
 * backend is opened at most once; its outcome is remembered, so later calls
 * return the same result (a copy of the same error) without trying again.
 * The first failure is logged once at warning level with its reason.
 *
 * Returns: %TRUE when @backend can allocate.
 */
gboolean
gst_alloc_backend_open (GstAllocBackend * backend, GError ** error)
{
  OpenResult *result;

  g_return_val_if_fail (GST_IS_ALLOC_BACKEND (backend), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = peek_open_result (backend);
  if (!result)
    result = open_once (backend);

  if (result->error) {
    g_propagate_error (error, g_error_copy (result->error));
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_alloc_backend_alloc:
 * @backend: a #GstAllocBackend
 * @size: bytes wanted, more than 0
 * @name: (nullable): a label for the memory where the kernel allows one
 * @error: return location for a #GError in the %G_FILE_ERROR domain
 *
 * Allocates @size bytes from @backend, opening it first if needed. The
 * memory's size is @size; its maxsize is @size rounded up to the backend's
 * granule (a page). Memory from a contiguous backend carries
 * %GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS.
 *
 * Returns: (transfer full) (nullable): the memory, or %NULL with @error set.
 */
GstMemory *
gst_alloc_backend_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error)
{
  GstAllocBackendInterface *iface;
  GstAllocCapabilities caps;
  GError *local_error = NULL;
  GstMemory *mem;

  g_return_val_if_fail (GST_IS_ALLOC_BACKEND (backend), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size == 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: cannot allocate 0 bytes", GST_OBJECT_NAME (backend));
    return NULL;
  }
  if (!gst_alloc_backend_open (backend, error))
    return NULL;

  iface = GST_ALLOC_BACKEND_GET_IFACE (backend);
  g_return_val_if_fail (iface->alloc != NULL, NULL);
  mem = iface->alloc (backend, size, name, &local_error);
  if (!mem) {
    if (!local_error)
      g_set_error (&local_error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
          "%s: could not allocate %" G_GSIZE_FORMAT " bytes",
          GST_OBJECT_NAME (backend), size);
    g_propagate_error (error, local_error);
    return NULL;
  }

  gst_alloc_backend_get_capabilities (backend, &caps);
  if (caps.contiguous)
    GST_MINI_OBJECT_FLAG_SET (mem, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS);
  return mem;
}

/**
 * gst_alloc_capabilities_to_string:
 * @caps: capabilities of a backend
 *
 * Describes @caps for logs and error messages, for example
 * "dmabuf, cached, not contiguous, heap system" or "opaque heap foo".
 *
 * Returns: (transfer full): a newly allocated string.
 */
gchar *
gst_alloc_capabilities_to_string (const GstAllocCapabilities * caps)
{
  GString *str;

  g_return_val_if_fail (caps != NULL, NULL);

  if (caps->opaque) {
    if (!caps->heap)
      return g_strdup ("opaque");
    return g_strdup_printf ("opaque heap %s", caps->heap);
  }

  str = g_string_new (gst_alloc_memory_flags_to_string (caps->memory));
  switch (caps->cache) {
    case GST_ALLOC_CACHE_CACHED:
      g_string_append (str, ", cached");
      break;
    case GST_ALLOC_CACHE_UNCACHED:
      g_string_append (str, ", uncached");
      break;
    default:
      g_string_append (str, ", cache unknown");
      break;
  }
  g_string_append (str, caps->contiguous ? ", contiguous" : ", not contiguous");
  if (caps->heap)
    g_string_append_printf (str, ", heap %s", caps->heap);
  return g_string_free (str, FALSE);
}

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
