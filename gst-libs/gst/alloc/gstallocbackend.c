/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GstAllocBackend interface: what every backend gives (capabilities),
 * a once-only open whose outcome is remembered and logged once, allocation,
 * and whether a backend can satisfy a constraint set. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocbackend-private.h"
#include "gstallocdrmformat-private.h"

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

/* Advice a failing open() leaves for the one warning that logs it. */
static GQuark
open_hint_quark (void)
{
  return g_quark_from_static_string ("gst-alloc-backend-open-hint");
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
 *
 * Since: 1.0
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

void
gst_alloc_backend_set_open_hint (GstAllocBackend * backend, const gchar * hint)
{
  g_object_set_qdata_full (G_OBJECT (backend), open_hint_quark (),
      g_strdup (hint), g_free);
}

gboolean
gst_alloc_backend_open_unbuilt (GstAllocBackend * backend,
    const gchar * missing, GError ** error)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS,
      "%s: built without %s", GST_OBJECT_NAME (backend), missing);
  gst_alloc_backend_set_open_hint (backend, "install what it lacks and "
      "rebuild gst-alloc; meson's summary lists each backend and what it "
      "lacked");
  return FALSE;
}

gboolean
gst_alloc_backend_page_round (GstAllocBackend * backend, gsize size,
    gsize * rounded, GError ** error)
{
  if (gst_alloc_checked_round_up (size, sysconf (_SC_PAGESIZE), rounded))
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "%s: allocation of %"
      G_GSIZE_FORMAT " bytes: more than the address space once rounded up "
      "to a page", GST_OBJECT_NAME (backend), size);
  return FALSE;
}

GstMemory *
gst_alloc_backend_wrap_fd (GstAllocator * allocator, int fd, gsize maxsize,
    gsize size, const gchar * kind, GError ** error)
{
  GstMemory *mem = gst_fd_allocator_alloc (allocator, fd, maxsize,
      GST_FD_MEMORY_FLAG_KEEP_MAPPED);

  if (!mem) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: wrapping "
        "%s fd %d of %" G_GSIZE_FORMAT " bytes as a GstMemory failed",
        GST_OBJECT_NAME (allocator), kind, fd, maxsize);
    close (fd);
    return NULL;
  }
  gst_memory_resize (mem, 0, size);
  return mem;
}

static OpenResult *
open_once (GstAllocBackend * backend)
{
  GstAllocBackendInterface *iface = GST_ALLOC_BACKEND_GET_IFACE (backend);
  const gchar *hint;
  OpenResult *result;

  g_mutex_lock (&open_lock);
  result = peek_open_result (backend);
  if (result)
    goto done;

  result = g_new0 (OpenResult, 1);
  if (iface->open && !iface->open (backend, &result->error)) {
    if (!result->error)
      g_set_error (&result->error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
          "%s: open: the backend gave no reason", GST_OBJECT_NAME (backend));
    /* Logged here only: later calls return the remembered error quietly. */
    hint = g_object_get_qdata (G_OBJECT (backend), open_hint_quark ());
    GST_WARNING_OBJECT (backend, "backend unusable: %s%s%s%s",
        result->error->message, hint ? " (" : "", hint ? hint : "",
        hint ? ")" : "");
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
 * The first failure is logged once at warning level with its reason and,
 * where the backend knows one, advice (who may open a device node).
 *
 * Returns: %TRUE when @backend can allocate.
 *
 * Since: 1.0
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
 *
 * Since: 1.0
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
        "%s: allocation of 0 bytes: nothing to allocate",
        GST_OBJECT_NAME (backend));
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
          "%s: allocation of %" G_GSIZE_FORMAT " bytes: the backend gave no "
          "reason", GST_OBJECT_NAME (backend), size);
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
 *
 * Since: 1.0
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

static const gchar *
asked_by (const GstAllocConstraints * c, GstAllocField field)
{
  return gst_alloc_constraints_asked_by (c, field);
}

/**
 * gst_alloc_backend_mismatch:
 * @backend: a backend
 * @constraints: a constraint set
 *
 * Compares what @backend gives (its capabilities; the backend is not
 * opened) with what @constraints ask for: memory kind, heap, contiguity,
 * cache policy and a linear layout among the drm-formats. A backend with
 * opaque capabilities (an unknown heap) satisfies only constraints that
 * name its heap. No backend of this library allocates a tiled or
 * compressed layout: a set whose drm-formats hold no linear modifier is
 * refused by every one, saying why.
 *
 * Returns: (transfer full) (nullable): why @backend's capabilities cannot
 * satisfy @constraints, naming the constraint and who asked for it, or
 * %NULL when they can.
 *
 * Since: 1.0
 */
gchar *
gst_alloc_backend_mismatch (GstAllocBackend * backend,
    const GstAllocConstraints * constraints)
{
  const GstAllocConstraints *c = constraints;
  GstAllocCapabilities caps;
  gchar *heaps, *why = NULL;

  gst_alloc_backend_get_capabilities (backend, &caps);

  if (!(c->memory & caps.memory)) {
    why = g_strdup_printf ("gives %s memory but memory=%s (asked by %s)",
        gst_alloc_memory_flags_to_string (caps.memory),
        gst_alloc_memory_flags_to_string (c->memory),
        asked_by (c, GST_ALLOC_FIELD_MEMORY));
  } else if (c->heaps && (!caps.heap
          || !g_strv_contains ((const gchar * const *) c->heaps, caps.heap))) {
    heaps = g_strjoinv ("|", c->heaps);
    why = g_strdup_printf ("%s %s not in heaps=%s (asked by %s)",
        caps.heap ? "heap" : "is not a DMA heap,",
        caps.heap ? caps.heap : "so it is", heaps,
        asked_by (c, GST_ALLOC_FIELD_HEAPS));
    g_free (heaps);
  } else if (!c->heaps && caps.opaque) {
    why = g_strdup_printf ("heap %s is unknown, so it is used only when a "
        "consumer names it in heaps", caps.heap);
  } else if (c->contiguous && !caps.contiguous) {
    why = g_strdup_printf ("is not physically contiguous but contiguous=true "
        "(asked by %s)", asked_by (c, GST_ALLOC_FIELD_CONTIGUOUS));
  } else if (c->cache != GST_ALLOC_CACHE_ANY && caps.cache != c->cache) {
    /* A backend whose caching is unknown can promise neither. */
    why = g_strdup_printf ("gives %s memory but cache=%s (asked by %s)",
        caps.cache == GST_ALLOC_CACHE_ANY ? "cache-unknown" :
        gst_alloc_cache_to_string (caps.cache),
        gst_alloc_cache_to_string (c->cache),
        asked_by (c, GST_ALLOC_FIELD_CACHE));
  } else {
    why = gst_alloc_drm_formats_backend_mismatch (backend, c);
  }
  return why;
}
