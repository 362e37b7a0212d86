/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-allocdrmimportsink
 * @title: allocdrmimportsink
 * @short_description: PRIME-imports every dma-buf it receives into a DRM device
 *
 * A sink standing for a real DRM importer (a display or GPU driver): it
 * opens a DRM device node, declares its #GstAllocConstraints in ALLOCATION
 * queries (by default "memory=dmabuf") and, for every buffer, imports each
 * dma-buf memory with DRM_IOCTL_PRIME_FD_TO_HANDLE, as kmssink or a GPU
 * driver would before using it. It only imports: nothing is displayed.
 *
 * The kernel gives one GEM handle per dma-buf and DRM file, so the number of
 * distinct handles is the number of distinct dma-bufs that arrived: a
 * memory identity the kernel itself vouches for.
 *
 * A handle lives as long as the memory it was imported from: the sink
 * attaches it to the #GstMemory as qdata and closes it
 * (DRM_IOCTL_GEM_CLOSE) when the memory is freed. Pool buffers that come
 * back are imported again (counted in #GstAllocDrmImportSink:imports) and
 * the kernel answers with the same handle. Two memories on one dma-buf
 * share the handle; it is closed when the last of them goes. The device
 * stays open until the last handle is closed.
 *
 * A memory that is not a dma-buf cannot be imported: it is counted in
 * #GstAllocDrmImportSink:import-failures with the reason "not a dma-buf",
 * as is a refused import, with the kernel's errno. Each distinct reason is
 * posted once as a warning; the stream goes on.
 *
 * The pool it offers may allocate at most
 * #GstAllocDrmImportSink:pool-budget bytes; a pool that cannot start posts
 * an ERROR from this sink with the cause. A malformed
 * #GstAllocDrmImportSink:constraints value set in NULL or READY makes the
 * next state change fail; set while running, it is refused with a WARNING
 * and the previous value stays.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=30 ! video/x-raw,format=NV12 ! \
 *     allocfilter ! allocdrmimportsink device=/dev/dri/renderD128
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdrmimportsink.h"
#include "gstallocelements.h"

#include <gst/alloc/alloc.h>
/* gst_alloc_ioctl(): the library's retry policy, its source compiled into
 * this plugin as well. libdrm's drmIoctl() would retry EAGAIN without end,
 * stalling the streaming thread on a driver that never relents. */
#include <gst/alloc/gstallocsyscall-private.h>
#include <gst/allocators/allocators.h>
#include <gst/base/gstbasesink.h>
#include <gst/video/video.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <xf86drm.h>

GST_DEBUG_CATEGORY_STATIC (gst_alloc_drm_import_sink_debug);
#define GST_CAT_DEFAULT gst_alloc_drm_import_sink_debug

#define DEFAULT_DEVICE "/dev/dri/card0"
#define DEFAULT_CONSTRAINTS "memory=dmabuf"

/* The open DRM file and the GEM handles imported through it. Shared by the
 * sink and every memory holding a handle, so a memory freed after the sink
 * stopped still closes its handle on the right file. */
typedef struct
{
  gint refcount;
  gint fd;
  GMutex lock;
  GHashTable *handles;          /* GEM handle -> memories holding it */
} DrmDevice;

/* Attached to a memory: its handle on one device. */
typedef struct
{
  DrmDevice *device;
  guint32 handle;
} DrmImport;

struct _GstAllocDrmImportSink
{
  GstBaseSink parent;

  /* Properties, under the object lock. */
  gchar *device_path;
  GstAllocConstraints *constraints;
  GstAllocSolver *solver;
  guint64 pool_budget;

  /* The streaming thread's device; set in start, dropped in stop. */
  DrmDevice *device;

  /* Counters, under the object lock. */
  guint64 imports;
  guint64 failures;
  guint64 handles;
  gchar *last_error;
  GHashTable *warned;           /* failure reasons already posted */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_CONSTRAINTS,
  PROP_SOLVER,
  PROP_IMPORTS,
  PROP_IMPORT_FAILURES,
  PROP_HANDLES,
  PROP_LAST_ERROR,
  PROP_POOL_BUDGET,
};

static GQuark import_quark;

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE_WITH_FEATURES ("ANY",
            GST_VIDEO_FORMATS_ALL) GST_ALLOC_DMA_DRM_TEMPLATE_CAPS));

G_DEFINE_TYPE (GstAllocDrmImportSink, gst_alloc_drm_import_sink,
    GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (allocdrmimportsink, "allocdrmimportsink",
    GST_RANK_NONE, GST_TYPE_ALLOC_DRM_IMPORT_SINK);

/* ---- the device and its handles ---- */

static DrmDevice *
drm_device_new (gint fd)
{
  DrmDevice *d = g_new0 (DrmDevice, 1);

  d->refcount = 1;
  d->fd = fd;
  g_mutex_init (&d->lock);
  d->handles = g_hash_table_new (NULL, NULL);
  return d;
}

static DrmDevice *
drm_device_ref (DrmDevice * d)
{
  g_atomic_int_inc (&d->refcount);
  return d;
}

static void
drm_device_unref (DrmDevice * d)
{
  if (!g_atomic_int_dec_and_test (&d->refcount))
    return;
  /* Every handle was closed with the memory that held it. */
  g_warn_if_fail (g_hash_table_size (d->handles) == 0);
  g_hash_table_unref (d->handles);
  g_mutex_clear (&d->lock);
  close (d->fd);
  g_free (d);
}

/* One more memory holds @handle. Returns TRUE if none did before. */
static gboolean
drm_device_hold (DrmDevice * d, guint32 handle)
{
  gpointer key = GUINT_TO_POINTER (handle);
  guint held;

  g_mutex_lock (&d->lock);
  held = GPOINTER_TO_UINT (g_hash_table_lookup (d->handles, key));
  g_hash_table_insert (d->handles, key, GUINT_TO_POINTER (held + 1));
  g_mutex_unlock (&d->lock);
  return held == 0;
}

/* The kernel keeps one handle per dma-buf and file, however often it was
 * imported, so it is closed once, when no memory holds it any more. */
static void
drm_device_release (DrmDevice * d, guint32 handle)
{
  gpointer key = GUINT_TO_POINTER (handle);
  guint held;
  struct drm_gem_close close_arg = { 0, };
  int errsv;

  g_mutex_lock (&d->lock);
  held = GPOINTER_TO_UINT (g_hash_table_lookup (d->handles, key));
  if (held > 1)
    g_hash_table_insert (d->handles, key, GUINT_TO_POINTER (held - 1));
  else
    g_hash_table_remove (d->handles, key);
  g_mutex_unlock (&d->lock);

  if (held == 1) {
    close_arg.handle = handle;
    if (gst_alloc_ioctl (d->fd, DRM_IOCTL_GEM_CLOSE, &close_arg) != 0) {
      errsv = errno;
      GST_WARNING ("GEM_CLOSE of handle %u failed: %s", handle,
          g_strerror (errsv));
    }
  }
}

static void
drm_import_free (gpointer data)
{
  DrmImport *imp = data;

  drm_device_release (imp->device, imp->handle);
  drm_device_unref (imp->device);
  g_free (imp);
}

/* ---- counting ---- */

static void
gst_alloc_drm_import_sink_reset_locked (GstAllocDrmImportSink * self)
{
  self->imports = 0;
  self->failures = 0;
  self->handles = 0;
  g_clear_pointer (&self->last_error, g_free);
  g_hash_table_remove_all (self->warned);
}

/* Counts a failed import; posts @reason as a warning the first time. */
static void
gst_alloc_drm_import_sink_fail (GstAllocDrmImportSink * self,
    const gchar * reason, const gchar * detail)
{
  gboolean first;

  GST_OBJECT_LOCK (self);
  self->failures++;
  g_free (self->last_error);
  self->last_error = g_strdup (reason);
  first = g_hash_table_add (self->warned, g_strdup (reason));
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "import failed: %s (%s)", reason, detail);
  if (first)
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED,
        ("Cannot import a buffer into the DRM device: %s", reason),
        ("%s; warned once per distinct reason", detail));
}

/* ---- import ---- */

static void
gst_alloc_drm_import_sink_import (GstAllocDrmImportSink * self,
    DrmDevice * device, GstMemory * mem, guint index)
{
  struct drm_prime_handle prime;
  DrmImport *imp;
  guint32 handle;
  gboolean new_handle = FALSE;
  gint fd, err;
  gchar *reason, *detail;

  if (!gst_is_dmabuf_memory (mem)) {
    detail = g_strdup_printf ("memory %u is of type %s (allocator %s)", index,
        mem->allocator ? mem->allocator->mem_type : "unknown",
        mem->allocator ? GST_OBJECT_NAME (mem->allocator) : "no allocator");
    gst_alloc_drm_import_sink_fail (self, "not a dma-buf", detail);
    g_free (detail);
    return;
  }

  fd = gst_dmabuf_memory_get_fd (mem);
  memset (&prime, 0, sizeof (prime));
  prime.fd = fd;
  if (gst_alloc_ioctl (device->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime) != 0) {
    err = errno;
    reason = g_strdup_printf ("PRIME import refused: %s", g_strerror (err));
    detail = g_strdup_printf ("DRM_IOCTL_PRIME_FD_TO_HANDLE of memory %u "
        "(fd %d) failed with errno %d", index, fd, err);
    gst_alloc_drm_import_sink_fail (self, reason, detail);
    g_free (reason);
    g_free (detail);
    return;
  }
  handle = prime.handle;

  /* A memory imported before on this device already holds its handle; the
   * kernel answered with that same handle and took no new reference. */
  imp = gst_mini_object_get_qdata (GST_MINI_OBJECT_CAST (mem), import_quark);
  if (!imp || imp->device != device) {
    imp = g_new0 (DrmImport, 1);
    imp->device = drm_device_ref (device);
    imp->handle = handle;
    new_handle = drm_device_hold (device, handle);
    gst_mini_object_set_qdata (GST_MINI_OBJECT_CAST (mem), import_quark, imp,
        drm_import_free);
  } else if (imp->handle != handle) {
    GST_WARNING_OBJECT (self, "memory %p was handle %u, now %u", mem,
        imp->handle, handle);
  }

  GST_LOG_OBJECT (self, "memory %u (fd %d) is GEM handle %u%s", index, fd,
      handle, new_handle ? " (new)" : "");
  GST_OBJECT_LOCK (self);
  self->imports++;
  if (new_handle)
    self->handles++;
  GST_OBJECT_UNLOCK (self);
}

static GstFlowReturn
gst_alloc_drm_import_sink_render (GstBaseSink * sink, GstBuffer * buffer)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (sink);
  guint i, n = gst_buffer_n_memory (buffer);

  for (i = 0; i < n; i++)
    gst_alloc_drm_import_sink_import (self, self->device,
        gst_buffer_peek_memory (buffer, i), i);
  return GST_FLOW_OK;
}

/* ---- ALLOCATION query ---- */

/* The answer is the library's: our set, "video-meta" params and
 * GstAllocationParams, and a pool when one is asked for. */
static gboolean
gst_alloc_drm_import_sink_propose_allocation (GstBaseSink * sink,
    GstQuery * query)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (sink);
  GstAllocConstraints *c;
  GstAllocSolver *solver;
  GstBufferPool *pool;
  guint64 budget;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  c = gst_alloc_constraints_copy (self->constraints);
  solver = self->solver ? gst_object_ref (self->solver) : NULL;
  budget = self->pool_budget;
  GST_OBJECT_UNLOCK (self);

  pool = gst_alloc_element_propose (GST_ELEMENT (self), query, c, solver,
      budget, &err);
  if (err) {
    /* Still no failure: the buffers that arrive show what that costs. */
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Cannot answer the allocation query with these constraints: %s",
            err->message), (NULL));
    g_clear_error (&err);
  }
  gst_clear_object (&pool);
  gst_alloc_constraints_free (c);
  gst_clear_object (&solver);
  return TRUE;
}

/* ---- states ---- */

/* DRM_CAP_PRIME, or FALSE after posting why the device cannot import. */
static gboolean
query_prime_import (GstAllocDrmImportSink * self, int fd, const gchar * path,
    guint64 * prime)
{
  struct drm_get_cap cap = { 0 };
  int err;

  cap.capability = DRM_CAP_PRIME;
  if (gst_alloc_ioctl (fd, DRM_IOCTL_GET_CAP, &cap) != 0) {
    err = errno;
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Could not ask the DRM device \"%s\" whether it imports dma-bufs: "
            "%s", path, g_strerror (err)),
        ("DRM_IOCTL_GET_CAP (DRM_CAP_PRIME) failed with errno %d: %s", err,
            g_strerror (err)));
    return FALSE;
  }
  *prime = cap.value;
  if (!(cap.value & DRM_PRIME_CAP_IMPORT)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The DRM device \"%s\" cannot import dma-bufs", path),
        ("DRM_CAP_PRIME is 0x%" G_GINT64_MODIFIER "x, without "
            "DRM_PRIME_CAP_IMPORT", (guint64) cap.value));
    return FALSE;
  }
  return TRUE;
}

static gboolean
gst_alloc_drm_import_sink_start (GstBaseSink * sink)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (sink);
  guint64 prime = 0;
  gchar *path;
  gint fd, err;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->device_path);
  gst_alloc_drm_import_sink_reset_locked (self);
  GST_OBJECT_UNLOCK (self);

  fd = open (path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    err = errno;
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("Could not open the DRM device \"%s\": %s", path, g_strerror (err)),
        ("open(O_RDWR | O_CLOEXEC) failed with errno %d", err));
    g_free (path);
    return FALSE;
  }
  if (!query_prime_import (self, fd, path, &prime)) {
    close (fd);
    g_free (path);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "opened %s (fd %d), PRIME capabilities 0x%"
      G_GINT64_MODIFIER "x", path, fd, prime);
  self->device = drm_device_new (fd);
  g_free (path);
  return TRUE;
}

static gboolean
gst_alloc_drm_import_sink_stop (GstBaseSink * sink)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (sink);

  g_clear_pointer (&self->device, drm_device_unref);
  return TRUE;
}

static GstStateChangeReturn
gst_alloc_drm_import_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  if (!gst_alloc_element_check_refusals (element, transition))
    return GST_STATE_CHANGE_FAILURE;
  return
      GST_ELEMENT_CLASS (gst_alloc_drm_import_sink_parent_class)->change_state
      (element, transition);
}

/* ---- properties ---- */

static void
gst_alloc_drm_import_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (object);

  switch (prop_id) {
    case PROP_DEVICE:
      GST_OBJECT_LOCK (self);
      g_free (self->device_path);
      self->device_path = g_value_dup_string (value);
      if (!self->device_path)
        self->device_path = g_strdup (DEFAULT_DEVICE);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CONSTRAINTS:
      /* New needs only count once upstream asks again. */
      if (gst_alloc_element_set_constraints (GST_ELEMENT (self), value,
              &self->constraints))
        gst_pad_push_event (GST_BASE_SINK_PAD (self),
            gst_event_new_reconfigure ());
      break;
    case PROP_SOLVER:
      gst_alloc_element_set_solver (GST_ELEMENT (self), value, &self->solver);
      break;
    case PROP_POOL_BUDGET:
      GST_OBJECT_LOCK (self);
      self->pool_budget = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_alloc_drm_import_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (object);

  if (prop_id == PROP_CONSTRAINTS) {
    gst_alloc_element_get_constraints (GST_ELEMENT (self), self->constraints,
        value);
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_DEVICE:
      g_value_set_string (value, self->device_path);
      break;
    case PROP_SOLVER:
      g_value_set_object (value, self->solver);
      break;
    case PROP_POOL_BUDGET:
      g_value_set_uint64 (value, self->pool_budget);
      break;
    case PROP_IMPORTS:
      g_value_set_uint64 (value, self->imports);
      break;
    case PROP_IMPORT_FAILURES:
      g_value_set_uint64 (value, self->failures);
      break;
    case PROP_HANDLES:
      g_value_set_uint64 (value, self->handles);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_drm_import_sink_finalize (GObject * object)
{
  GstAllocDrmImportSink *self = GST_ALLOC_DRM_IMPORT_SINK (object);

  g_clear_pointer (&self->device, drm_device_unref);
  g_free (self->device_path);
  gst_alloc_constraints_free (self->constraints);
  gst_clear_object (&self->solver);
  g_free (self->last_error);
  g_hash_table_unref (self->warned);

  G_OBJECT_CLASS (gst_alloc_drm_import_sink_parent_class)->finalize (object);
}

static void
gst_alloc_drm_import_sink_install_properties (GObjectClass * gobject_class)
{
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  gchar *blurb;

  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "DRM device node to import into (a card or render node), opened "
          "read-write when the sink starts", DEFAULT_DEVICE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  blurb = g_strdup_printf ("What this sink declares in ALLOCATION queries. "
      "Comma-separated field=value items; fields: %s",
      gst_alloc_constraints_accepted_fields ());
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      g_param_spec_string ("constraints", "Constraints", blurb,
          DEFAULT_CONSTRAINTS, G_PARAM_READWRITE | G_PARAM_STATIC_NAME |
          G_PARAM_STATIC_NICK | GST_PARAM_MUTABLE_PLAYING));
  g_free (blurb);
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_POOL_BUDGET,
      gst_alloc_element_pool_budget_pspec ());
  g_object_class_install_property (gobject_class, PROP_IMPORTS,
      g_param_spec_uint64 ("imports", "Imports",
          "Successful PRIME imports since the sink started: one per dma-buf "
          "memory of every buffer", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_IMPORT_FAILURES,
      g_param_spec_uint64 ("import-failures", "Import failures",
          "Memories that could not be imported since the sink started "
          "(not a dma-buf, or refused by the device)", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_HANDLES,
      g_param_spec_uint64 ("handles", "Handles",
          "GEM handles the imports created since the sink started: the "
          "number of distinct dma-bufs received (while they stay alive)",
          0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_LAST_ERROR,
      g_param_spec_string ("last-error", "Last error",
          "Why the last failed import failed (NULL if none did)", NULL, ro));
}

static void
gst_alloc_drm_import_sink_class_init (GstAllocDrmImportSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  gst_alloc_elements_init ();
  import_quark = g_quark_from_static_string ("GstAllocDrmImport");
  GST_DEBUG_CATEGORY_INIT (gst_alloc_drm_import_sink_debug,
      "allocdrmimportsink", 0, "DRM PRIME import sink");

  gobject_class->set_property = gst_alloc_drm_import_sink_set_property;
  gobject_class->get_property = gst_alloc_drm_import_sink_get_property;
  gobject_class->finalize = gst_alloc_drm_import_sink_finalize;
  gst_alloc_drm_import_sink_install_properties (gobject_class);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_alloc_drm_import_sink_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "DRM PRIME import sink", "Sink/Video/Debug",
      "Declares its constraints in ALLOCATION queries and PRIME-imports "
      "every dma-buf it receives into a DRM device, counting imports, "
      "distinct GEM handles and failures", "gst-alloc developers");

  sink_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_alloc_drm_import_sink_propose_allocation);
  sink_class->render = GST_DEBUG_FUNCPTR (gst_alloc_drm_import_sink_render);
  sink_class->start = GST_DEBUG_FUNCPTR (gst_alloc_drm_import_sink_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_alloc_drm_import_sink_stop);
}

static void
gst_alloc_drm_import_sink_init (GstAllocDrmImportSink * self)
{
  self->device_path = g_strdup (DEFAULT_DEVICE);
  self->constraints = gst_alloc_constraints_from_string (DEFAULT_CONSTRAINTS,
      "allocdrmimportsink", NULL);
  self->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
