/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-allocchecksink
 * @title: allocchecksink
 * @short_description: Declares constraints and verifies every buffer
 *
 * A diagnostic video sink in the manner of fakevideosink. It declares its
 * #GstAllocConstraints in the ALLOCATION query, in our vocabulary and in the
 * stock one (a #GstAllocPool when a pool is asked for, the GstVideoMeta API
 * with "video-meta" params, #GstAllocationParams), then checks every buffer
 * it receives against those constraints and counts the violations.
 *
 * It also records what memory arrived: the memory kinds, the dma-buf
 * exporters the kernel names, and an identity of the last buffer's
 * memories, so tests can tell whether a buffer was copied on the way.
 *
 * The pool it offers may allocate at most #GstAllocCheckSink:pool-budget
 * bytes; a pool that cannot start posts an ERROR from this sink with the
 * cause. A malformed #GstAllocCheckSink:constraints value set in NULL or
 * READY makes the next state change fail; set while running, it is refused
 * with a WARNING and the previous value stays.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=10 ! \
 *     allocchecksink constraints=stride-align=256,height-align=16 sync=false
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

#include <gst/allocators/allocators.h>
#include <gst/base/gstbasesink.h>
#include <gst/video/video.h>

#include <string.h>
#include <sys/stat.h>

GST_DEBUG_CATEGORY_STATIC (gst_alloc_check_sink_debug);
#define GST_CAT_DEFAULT gst_alloc_check_sink_debug

#define GST_TYPE_ALLOC_CHECK_SINK (gst_alloc_check_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocCheckSink, gst_alloc_check_sink, GST,
    ALLOC_CHECK_SINK, GstBaseSink);

struct _GstAllocCheckSink
{
  GstBaseSink parent;

  /* Properties, under the object lock. */
  GstAllocConstraints *constraints;
  GstAllocSolver *solver;
  gboolean fail_on_violation;
  guint64 pool_budget;

  /* What arrived, written by the streaming thread under the object lock so
   * the read-only properties can be read from any thread. */
  GstVideoInfo info;
  gboolean have_info;
  guint64 buffers;
  guint64 violations;
  gchar *last_violation;
  GHashTable *warned;           /* violation messages already posted */
  GHashTable *exporters;        /* dma-buf exporter names seen */
  GstAllocMemoryFlags kinds;
  gchar *last_memory_id;

  /* The last pool offered upstream. */
  GstBufferPool *pool;
};

enum
{
  PROP_0,
  PROP_CONSTRAINTS,
  PROP_SOLVER,
  PROP_FAIL_ON_VIOLATION,
  PROP_BUFFERS,
  PROP_VIOLATIONS,
  PROP_LAST_VIOLATION,
  PROP_EXPORTERS,
  PROP_MEMORY_KINDS,
  PROP_LAST_MEMORY_ID,
  PROP_POOL_BUDGET,
};

#define DEFAULT_FAIL_ON_VIOLATION FALSE

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE_WITH_FEATURES ("ANY",
            GST_VIDEO_FORMATS_ALL) GST_ALLOC_DMA_DRM_TEMPLATE_CAPS));

G_DEFINE_TYPE (GstAllocCheckSink, gst_alloc_check_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (allocchecksink, "allocchecksink", GST_RANK_NONE,
    GST_TYPE_ALLOC_CHECK_SINK);

/* Called with the object lock held. */
static void
gst_alloc_check_sink_reset_locked (GstAllocCheckSink * self)
{
  self->buffers = 0;
  self->violations = 0;
  g_clear_pointer (&self->last_violation, g_free);
  g_clear_pointer (&self->last_memory_id, g_free);
  g_hash_table_remove_all (self->warned);
  g_hash_table_remove_all (self->exporters);
  self->kinds = 0;
}

/* The constraints, solver and budget as they are now, for one query or
 * buffer. */
static GstAllocConstraints *
gst_alloc_check_sink_snapshot (GstAllocCheckSink * self,
    GstAllocSolver ** solver, guint64 * budget)
{
  GstAllocConstraints *c;

  GST_OBJECT_LOCK (self);
  c = gst_alloc_constraints_copy (self->constraints);
  if (solver)
    *solver = self->solver ? gst_object_ref (self->solver) : NULL;
  if (budget)
    *budget = self->pool_budget;
  GST_OBJECT_UNLOCK (self);
  return c;
}

/* ---- ALLOCATION query ---- */

static gboolean
gst_alloc_check_sink_propose_allocation (GstBaseSink * sink, GstQuery * query)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (sink);
  GstAllocSolver *solver = NULL;
  guint64 budget = 0;
  GstAllocConstraints *c = gst_alloc_check_sink_snapshot (self, &solver,
      &budget);
  GstBufferPool *pool, *old;
  GError *err = NULL;

  pool = gst_alloc_element_propose (GST_ELEMENT (self), query, c, solver,
      budget, &err);
  if (err) {
    /* Still answer: the buffers that arrive show what that costs. */
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Cannot offer a buffer pool satisfying the constraints: %s",
            err->message), (NULL));
    g_clear_error (&err);
  }
  if (pool) {
    GST_DEBUG_OBJECT (self, "offered %" GST_PTR_FORMAT, pool);
    GST_OBJECT_LOCK (self);
    old = self->pool;
    self->pool = pool;
    GST_OBJECT_UNLOCK (self);
    gst_clear_object (&old);
  }
  gst_alloc_constraints_free (c);
  gst_clear_object (&solver);
  return TRUE;
}

/* ---- verification ---- */

/* fd memory is known by its file (two fds, one file: one inode); other
 * memory by the memory that owns the storage, so shares of one memory
 * compare equal. */
static void
gst_alloc_check_sink_append_memory_id (GString * ids, GstMemory * mem)
{
  struct stat st;
  GstMemory *root = mem;

  if (ids->len > 0)
    g_string_append_c (ids, ',');
  if (gst_is_fd_memory (mem) && fstat (gst_fd_memory_get_fd (mem), &st) == 0) {
    g_string_append_printf (ids, "inode %" G_GUINT64_FORMAT,
        (guint64) st.st_ino);
    return;
  }
  while (root->parent)
    root = root->parent;
  g_string_append_printf (ids, "address %p", (gpointer) root);
}

static void
gst_alloc_check_sink_record_memories (GstAllocCheckSink * self,
    GstBuffer * buffer)
{
  GString *ids = g_string_new (NULL);
  GPtrArray *exporters = g_ptr_array_new_with_free_func (g_free);
  GstAllocMemoryFlags kinds = 0, kind;
  GstMemory *mem;
  gchar *exporter;
  guint i;

  for (i = 0; i < gst_buffer_n_memory (buffer); i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    kind = gst_alloc_memory_get_kind (mem);
    kinds |= kind;
    if (kind == GST_ALLOC_MEMORY_DMABUF) {
      exporter = gst_alloc_dmabuf_get_exporter (gst_dmabuf_memory_get_fd (mem));
      if (exporter)
        g_ptr_array_add (exporters, exporter);
    }
    gst_alloc_check_sink_append_memory_id (ids, mem);
  }

  GST_OBJECT_LOCK (self);
  self->kinds |= kinds;
  for (i = 0; i < exporters->len; i++)
    g_hash_table_add (self->exporters, g_strdup (exporters->pdata[i]));
  g_free (self->last_memory_id);
  self->last_memory_id = g_string_free (ids, FALSE);
  GST_OBJECT_UNLOCK (self);
  g_ptr_array_unref (exporters);
}

/* Counts @buffer and, if @violation is set, the violation. Returns TRUE
 * when @violation was not seen before and so deserves a warning. */
static gboolean
gst_alloc_check_sink_count (GstAllocCheckSink * self, const gchar * violation,
    guint64 * index)
{
  gboolean first = FALSE;

  GST_OBJECT_LOCK (self);
  *index = self->buffers++;
  if (violation) {
    self->violations++;
    g_free (self->last_violation);
    self->last_violation = g_strdup (violation);
    first = g_hash_table_add (self->warned, g_strdup (violation));
  }
  GST_OBJECT_UNLOCK (self);
  return first;
}

static GstFlowReturn
gst_alloc_check_sink_render (GstBaseSink * sink, GstBuffer * buffer)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (sink);
  GstAllocConstraints *c = gst_alloc_check_sink_snapshot (self, NULL, NULL);
  GstVideoInfo info;
  gboolean have_info, fail, ok, first;
  guint64 index;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  info = self->info;
  have_info = self->have_info;
  fail = self->fail_on_violation;
  GST_OBJECT_UNLOCK (self);

  if (!have_info) {
    gst_alloc_constraints_free (c);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("No caps set before the "
            "first buffer, so the buffer cannot be checked"), (NULL));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  ok = gst_alloc_constraints_check_buffer (c, &info, buffer, &err);
  gst_alloc_constraints_free (c);
  gst_alloc_check_sink_record_memories (self, buffer);
  first = gst_alloc_check_sink_count (self, ok ? NULL : err->message, &index);
  if (ok)
    return GST_FLOW_OK;

  GST_INFO_OBJECT (self, "buffer %" G_GUINT64_FORMAT " %" GST_PTR_FORMAT
      " violates the constraints: %s", index, buffer, err->message);
  if (fail) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("Buffer %" G_GUINT64_FORMAT " violates the constraints: %s", index,
            err->message), ("fail-on-violation is set"));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
  if (first)
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Buffer %" G_GUINT64_FORMAT " violates the constraints: %s", index,
            err->message),
        ("%" GST_PTR_FORMAT "; warned once per distinct violation", buffer));
  g_clear_error (&err);
  return GST_FLOW_OK;
}

static gboolean
gst_alloc_check_sink_set_caps (GstBaseSink * sink, GstCaps * caps)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (sink);
  GstVideoInfo info;

  if (!gst_alloc_video_info_from_caps (&info, caps)) {
    GST_ERROR_OBJECT (self, "not raw video caps: %" GST_PTR_FORMAT, caps);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->info = info;
  self->have_info = TRUE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_alloc_check_sink_start (GstBaseSink * sink)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (sink);

  GST_OBJECT_LOCK (self);
  gst_alloc_check_sink_reset_locked (self);
  self->have_info = FALSE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_alloc_check_sink_stop (GstBaseSink * sink)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (sink);
  GstBufferPool *pool;

  GST_OBJECT_LOCK (self);
  pool = self->pool;
  self->pool = NULL;
  GST_OBJECT_UNLOCK (self);
  gst_clear_object (&pool);
  return TRUE;
}

static GstStateChangeReturn
gst_alloc_check_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  if (!gst_alloc_element_check_refusals (element, transition))
    return GST_STATE_CHANGE_FAILURE;
  return GST_ELEMENT_CLASS (gst_alloc_check_sink_parent_class)->change_state
      (element, transition);
}

/* ---- properties ---- */

static gint
gst_alloc_check_sink_compare_strings (gconstpointer a, gconstpointer b,
    gpointer user_data)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The keys of @set, sorted so the string does not depend on hashing. */
static gchar *
gst_alloc_check_sink_join_set (GHashTable * set)
{
  guint n;
  gchar **keys = (gchar **) g_hash_table_get_keys_as_array (set, &n);
  gchar *joined;

  g_qsort_with_data (keys, n, sizeof (gchar *),
      gst_alloc_check_sink_compare_strings, NULL);
  joined = g_strjoinv ("|", keys);
  g_free (keys);
  return joined;
}

static gchar *
gst_alloc_check_sink_kinds_to_string (GstAllocMemoryFlags kinds)
{
  const gchar *names[4];
  guint n = 0;

  if (kinds & GST_ALLOC_MEMORY_DMABUF)
    names[n++] = "dmabuf";
  if (kinds & GST_ALLOC_MEMORY_MEMFD)
    names[n++] = "memfd";
  if (kinds & GST_ALLOC_MEMORY_SYSTEM)
    names[n++] = "system";
  names[n] = NULL;
  return g_strjoinv ("|", (gchar **) names);
}

static void
gst_alloc_check_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (object);
  switch (prop_id) {
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
    case PROP_FAIL_ON_VIOLATION:
      GST_OBJECT_LOCK (self);
      self->fail_on_violation = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
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
gst_alloc_check_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (object);

  if (prop_id == PROP_CONSTRAINTS) {
    gst_alloc_element_get_constraints (GST_ELEMENT (self), self->constraints,
        value);
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SOLVER:
      g_value_set_object (value, self->solver);
      break;
    case PROP_FAIL_ON_VIOLATION:
      g_value_set_boolean (value, self->fail_on_violation);
      break;
    case PROP_POOL_BUDGET:
      g_value_set_uint64 (value, self->pool_budget);
      break;
    case PROP_BUFFERS:
      g_value_set_uint64 (value, self->buffers);
      break;
    case PROP_VIOLATIONS:
      g_value_set_uint64 (value, self->violations);
      break;
    case PROP_LAST_VIOLATION:
      g_value_set_string (value, self->last_violation);
      break;
    case PROP_EXPORTERS:
      g_value_take_string (value,
          gst_alloc_check_sink_join_set (self->exporters));
      break;
    case PROP_MEMORY_KINDS:
      g_value_take_string (value,
          gst_alloc_check_sink_kinds_to_string (self->kinds));
      break;
    case PROP_LAST_MEMORY_ID:
      g_value_set_string (value, self->last_memory_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_check_sink_finalize (GObject * object)
{
  GstAllocCheckSink *self = GST_ALLOC_CHECK_SINK (object);

  gst_alloc_constraints_free (self->constraints);
  gst_clear_object (&self->solver);
  gst_clear_object (&self->pool);
  g_free (self->last_violation);
  g_free (self->last_memory_id);
  g_hash_table_unref (self->warned);
  g_hash_table_unref (self->exporters);

  G_OBJECT_CLASS (gst_alloc_check_sink_parent_class)->finalize (object);
}

static void
gst_alloc_check_sink_install_properties (GObjectClass * gobject_class)
{
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      gst_alloc_element_constraints_pspec ("What this sink declares in "
          "ALLOCATION queries and checks every buffer against"));
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_FAIL_ON_VIOLATION,
      g_param_spec_boolean ("fail-on-violation", "Fail on violation",
          "Post an error and stop the stream at the first buffer that "
          "violates the constraints, instead of counting it and warning",
          DEFAULT_FAIL_ON_VIOLATION, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_POOL_BUDGET,
      gst_alloc_element_pool_budget_pspec ());
  g_object_class_install_property (gobject_class, PROP_BUFFERS,
      g_param_spec_uint64 ("buffers", "Buffers",
          "Buffers checked since the sink started", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_VIOLATIONS,
      g_param_spec_uint64 ("violations", "Violations",
          "Buffers that violated the constraints since the sink started",
          0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_LAST_VIOLATION,
      g_param_spec_string ("last-violation", "Last violation",
          "Why the last violating buffer failed the check, each violated "
          "field named (NULL if none did)", NULL, ro));
  g_object_class_install_property (gobject_class, PROP_EXPORTERS,
      g_param_spec_string ("exporters", "Exporters",
          "Dma-buf exporters seen, as the kernel names them (\"system\", "
          "\"udmabuf\"), '|'-separated; empty if no dma-buf arrived", "", ro));
  g_object_class_install_property (gobject_class, PROP_MEMORY_KINDS,
      g_param_spec_string ("memory-kinds", "Memory kinds",
          "Kinds of memory seen, '|'-separated: dmabuf, memfd, system", "",
          ro));
  g_object_class_install_property (gobject_class, PROP_LAST_MEMORY_ID,
      g_param_spec_string ("last-memory-id", "Last memory identity",
          "Identity of each memory of the last buffer, ','-separated: "
          "\"inode N\" for fd memory, \"address 0x...\" of the memory owning "
          "the storage otherwise; equal identities mean no copy was made (NULL "
          "before the first buffer)", NULL, ro));
}

static void
gst_alloc_check_sink_class_init (GstAllocCheckSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  gst_alloc_elements_init ();
  GST_DEBUG_CATEGORY_INIT (gst_alloc_check_sink_debug, "allocchecksink", 0,
      "Constraint-checking video sink");

  gobject_class->set_property = gst_alloc_check_sink_set_property;
  gobject_class->get_property = gst_alloc_check_sink_get_property;
  gobject_class->finalize = gst_alloc_check_sink_finalize;
  gst_alloc_check_sink_install_properties (gobject_class);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_alloc_check_sink_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Allocation check sink", "Sink/Video/Debug",
      "Declares its constraints in ALLOCATION queries, offering a pool that "
      "satisfies them, and verifies that every buffer it receives does",
      "gst-alloc developers");

  sink_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_alloc_check_sink_propose_allocation);
  sink_class->set_caps = GST_DEBUG_FUNCPTR (gst_alloc_check_sink_set_caps);
  sink_class->render = GST_DEBUG_FUNCPTR (gst_alloc_check_sink_render);
  sink_class->start = GST_DEBUG_FUNCPTR (gst_alloc_check_sink_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_alloc_check_sink_stop);
}

static void
gst_alloc_check_sink_init (GstAllocCheckSink * self)
{
  self->constraints = gst_alloc_constraints_new ();
  self->fail_on_violation = DEFAULT_FAIL_ON_VIOLATION;
  self->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->exporters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  gst_video_info_init (&self->info);
}
