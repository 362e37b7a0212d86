/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocpool
 * @title: GstAllocPool
 * @short_description: Buffer pool that lays frames out to satisfy constraints
 *
 * A video buffer pool whose buffers satisfy a merged #GstAllocConstraints:
 * the constraints travel in the pool config
 * (gst_alloc_pool_config_set_constraints()), next to what stock GStreamer
 * already puts there (GstAllocationParams, #GstVideoAlignment), which the
 * pool reads as constraints too.
 *
 * set_config() follows the #GstBufferPool contract: when the config asks for
 * less than the constraints need (size, buffer counts, the video-meta
 * option), the pool writes the corrected values into the config and returns
 * %FALSE; the caller reads them back and sets the config again. The pool is
 * fixed-size (min-buffers = max-buffers) so every buffer is allocated when
 * it starts and none per frame: MAX (what is needed at minimum, 4), lowered
 * to the config's max-buffers when that is smaller (never below the
 * minimum), and never above the constraints' max-buffers.
 *
 * Memory comes from the best backend the solver finds. If that backend
 * fails while the pool starts (ENOMEM, a device gone), the pool logs the
 * reason once and continues with the next capable backend.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#define GST_CAT_DEFAULT gst_alloc_pool_debug


struct _GstAllocPool
{
  GstBufferPool parent;

  GstAllocSolver *solver;

  /* Swapped by set_config() and advanced by allocation, under the object
   * lock; allocation works on a snapshot, so the getters, called from any
   * thread, never see a half-replaced state. */
  GstAllocConstraints *constraints;
  GstAllocLayout layout;
  GstAllocSolution *solution;
  guint backend_index;
  gsize granule;
  GString *fallbacks;
  guint64 bytes_allocated;
};

G_DEFINE_TYPE_WITH_CODE (GstAllocPool, gst_alloc_pool, GST_TYPE_BUFFER_POOL,
    gst_alloc_debug_init ());

static const gchar **
gst_alloc_pool_get_options (GstBufferPool * pool)
{
  static const gchar *options[] = {
    GST_BUFFER_POOL_OPTION_VIDEO_META,
    GST_BUFFER_POOL_OPTION_VIDEO_ALIGNMENT,
    NULL
  };

  return options;
}

static gboolean
gst_alloc_pool_set_config (GstBufferPool * pool, GstStructure * config)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  GstAllocConstraints *c = NULL, *old_constraints;
  GstAllocSolution *solution = NULL, *old_solution;
  GstAllocLayout layout;
  GstVideoInfo info;
  GstCaps *caps;
  guint size, min, max, n;
  GError *err = NULL;

  if (!gst_alloc_pool_read_config (config, &caps, &size, &min, &max, &info, &c))
    return FALSE;
  if (!gst_alloc_layout_compute (&layout, &info, c, &err))
    goto unusable;
  if (!(solution = gst_alloc_solver_solve (self->solver, c, &err)))
    goto unusable;
  n = gst_alloc_pool_buffer_count (c, min, max);
  if (n == 0) {
    GST_WARNING_OBJECT (pool, "%u buffers needed but max-buffers is %u "
        "(asked by %s)", MAX (min, c->min_buffers), c->max_buffers,
        gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_MAX_BUFFERS));
    goto rejected;
  }
  if (gst_alloc_pool_correct_config (config, caps, size, n, min, max, &layout,
          &info)) {
    GST_DEBUG_OBJECT (pool, "config corrected: %" GST_PTR_FORMAT, config);
    goto rejected;
  }

  if (!gst_alloc_pool_grow_layout (&layout, size, c->size_align)) {
    err = g_error_new (GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "buffers of %u bytes rounded to size-align %u overflow", size,
        c->size_align);
    goto unusable;
  }
  GST_INFO_OBJECT (pool, "%s", solution->explanation);
  GST_OBJECT_LOCK (self);
  old_constraints = self->constraints;
  old_solution = self->solution;
  self->constraints = c;
  self->layout = layout;
  self->solution = solution;
  self->backend_index = 0;
  self->granule = gst_alloc_pool_allocation_granule (c->size_align);
  GST_OBJECT_UNLOCK (self);
  gst_alloc_constraints_free (old_constraints);
  gst_alloc_solution_free (old_solution);
  return GST_BUFFER_POOL_CLASS (gst_alloc_pool_parent_class)->set_config (pool,
      config);

unusable:
  GST_WARNING_OBJECT (pool, "%s", err->message);
  g_clear_error (&err);
rejected:
  gst_alloc_solution_free (solution);
  gst_alloc_constraints_free (c);
  return FALSE;
}

/* Allocates from the current backend; when it fails, says so once and moves
 * on to the next capable one for this and every later allocation. */
static GstMemory *
alloc_memory (GstAllocPool * self, GPtrArray * candidates, gsize size)
{
  GstAllocBackend *backend;
  const gchar *next;
  GstMemory *mem;
  GError *err = NULL;
  guint index;

  GST_OBJECT_LOCK (self);
  index = self->backend_index;
  GST_OBJECT_UNLOCK (self);
  while (index < candidates->len) {
    backend = g_ptr_array_index (candidates, index);
    mem = gst_alloc_backend_alloc (backend, size, GST_OBJECT_NAME (self), &err);
    if (mem)
      return mem;
    index++;
    next = index < candidates->len ?
        GST_OBJECT_NAME (g_ptr_array_index (candidates, index)) : NULL;
    GST_WARNING_OBJECT (self, "%s could not allocate %" G_GSIZE_FORMAT
        " bytes (%s); %s%s", GST_OBJECT_NAME (backend), size, err->message,
        next ? "falling back to " : "no backend left", next ? next : "");
    GST_OBJECT_LOCK (self);
    /* Unless a new config replaced the candidates meanwhile. */
    if (self->solution && self->solution->candidates == candidates)
      self->backend_index = MAX (self->backend_index, index);
    g_string_append_printf (self->fallbacks, "%s%s failed: %s",
        self->fallbacks->len ? "; " : "", GST_OBJECT_NAME (backend),
        err->message);
    GST_OBJECT_UNLOCK (self);
    g_clear_error (&err);
  }
  return NULL;
}

static GstFlowReturn
gst_alloc_pool_alloc_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  GstAllocLayout l;
  GPtrArray *candidates;
  GstVideoMeta *meta;
  GstMemory *mem;
  GstBuffer *buf;
  gsize size, granule, total = 0;
  guint i;

  GST_OBJECT_LOCK (self);
  l = self->layout;
  granule = self->granule;
  candidates = g_ptr_array_ref (self->solution->candidates);
  GST_OBJECT_UNLOCK (self);

  buf = gst_buffer_new ();
  for (i = 0; i < l.n_memories; i++) {
    if (!gst_alloc_checked_round_up (l.alloc_size[i], granule, &size)
        || !(mem = alloc_memory (self, candidates, size))) {
      GST_ERROR_OBJECT (self, "no capable backend could allocate memory %u "
          "of a buffer (see the warnings above)", i);
      gst_buffer_unref (buf);
      g_ptr_array_unref (candidates);
      return GST_FLOW_ERROR;
    }
    gst_memory_resize (mem, l.memory_offset[i], l.memory_size[i]);
    total += mem->maxsize;
    gst_buffer_append_memory (buf, mem);
  }
  g_ptr_array_unref (candidates);
  GST_OBJECT_LOCK (self);
  self->bytes_allocated += total;
  GST_OBJECT_UNLOCK (self);

  meta = gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (&l.info), GST_VIDEO_INFO_WIDTH (&l.info),
      GST_VIDEO_INFO_HEIGHT (&l.info), GST_VIDEO_INFO_N_PLANES (&l.info),
      l.offset, l.stride);
  gst_video_meta_set_alignment (meta, l.alignment);
  *buffer = buf;
  return GST_FLOW_OK;
}

static void
gst_alloc_pool_finalize (GObject * object)
{
  GstAllocPool *self = GST_ALLOC_POOL (object);

  gst_object_unref (self->solver);
  gst_alloc_constraints_free (self->constraints);
  gst_alloc_solution_free (self->solution);
  g_string_free (self->fallbacks, TRUE);
  G_OBJECT_CLASS (gst_alloc_pool_parent_class)->finalize (object);
}

static void
gst_alloc_pool_class_init (GstAllocPoolClass * klass)
{
  GstBufferPoolClass *pool_class = GST_BUFFER_POOL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = gst_alloc_pool_finalize;
  pool_class->get_options = gst_alloc_pool_get_options;
  pool_class->set_config = gst_alloc_pool_set_config;
  pool_class->alloc_buffer = gst_alloc_pool_alloc_buffer;
}

static void
gst_alloc_pool_init (GstAllocPool * self)
{
  self->fallbacks = g_string_new (NULL);
}

/**
 * gst_alloc_pool_new:
 * @solver: (nullable): the backends to allocate from; %NULL for
 *   gst_alloc_solver_get_default()
 *
 * Returns: (transfer full): a new pool; configure it with
 * gst_buffer_pool_get_config(), gst_buffer_pool_config_set_params() and
 * gst_alloc_pool_config_set_constraints().
 */
GstBufferPool *
gst_alloc_pool_new (GstAllocSolver * solver)
{
  GstAllocPool *self = g_object_new (GST_TYPE_ALLOC_POOL, NULL);

  g_return_val_if_fail (solver == NULL || GST_IS_ALLOC_SOLVER (solver), NULL);

  self->solver = gst_object_ref (solver ? solver :
      gst_alloc_solver_get_default ());
  return GST_BUFFER_POOL (gst_object_ref_sink (self));
}

/**
 * gst_alloc_pool_get_backend:
 * @pool: a configured pool
 *
 * Returns: (transfer full) (nullable): the backend new memory comes from,
 * or %NULL before a config was accepted or after every backend failed.
 */
GstAllocator *
gst_alloc_pool_get_backend (GstAllocPool * pool)
{
  GstAllocator *backend = NULL;

  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), NULL);

  GST_OBJECT_LOCK (pool);
  if (pool->solution && pool->backend_index < pool->solution->candidates->len)
    backend = gst_object_ref (g_ptr_array_index (pool->solution->candidates,
            pool->backend_index));
  GST_OBJECT_UNLOCK (pool);
  return backend;
}

/**
 * gst_alloc_pool_get_layout:
 * @pool: a pool
 * @layout: (out caller-allocates): where to copy the layout
 *
 * Returns: %TRUE and the layout of the pool's buffers, or %FALSE before a
 * config was accepted.
 */
gboolean
gst_alloc_pool_get_layout (GstAllocPool * pool, GstAllocLayout * layout)
{
  gboolean configured;

  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), FALSE);
  g_return_val_if_fail (layout != NULL, FALSE);

  GST_OBJECT_LOCK (pool);
  configured = pool->solution != NULL;
  if (configured)
    *layout = pool->layout;
  GST_OBJECT_UNLOCK (pool);
  return configured;
}

/**
 * gst_alloc_pool_get_bytes_allocated:
 * @pool: a pool
 *
 * Returns: the bytes of memory the pool has allocated since it was created,
 * counting each memory's full size (maxsize).
 */
guint64
gst_alloc_pool_get_bytes_allocated (GstAllocPool * pool)
{
  guint64 bytes;

  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), 0);

  GST_OBJECT_LOCK (pool);
  bytes = pool->bytes_allocated;
  GST_OBJECT_UNLOCK (pool);
  return bytes;
}

/**
 * gst_alloc_pool_get_report:
 * @pool: a configured pool
 *
 * Returns: (transfer full): what the pool allocates and why: the layout,
 * the backend chosen and the ones passed over, and any fallback taken.
 */
gchar *
gst_alloc_pool_get_report (GstAllocPool * pool)
{
  const GstAllocLayout *l = &pool->layout;
  GString *text;
  gchar *wanted;
  guint p;

  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), NULL);

  GST_OBJECT_LOCK (pool);
  if (!pool->solution) {
    GST_OBJECT_UNLOCK (pool);
    return g_strdup ("not configured");
  }
  wanted = gst_alloc_constraints_to_string (pool->constraints);
  text = g_string_new (NULL);
  g_string_append_printf (text, "constraints: %s\nlayout: %s %dx%d, %u "
      "memor%s, %" G_GSIZE_FORMAT " bytes, padded %ux%u; strides",
      *wanted ? wanted : "(none)", GST_VIDEO_INFO_NAME (&l->info),
      GST_VIDEO_INFO_WIDTH (&l->info), GST_VIDEO_INFO_HEIGHT (&l->info),
      l->n_memories, l->n_memories == 1 ? "y" : "ies", l->size,
      GST_VIDEO_INFO_WIDTH (&l->info) + l->alignment.padding_left
      + l->alignment.padding_right,
      GST_VIDEO_INFO_HEIGHT (&l->info) + l->alignment.padding_top
      + l->alignment.padding_bottom);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&l->info); p++)
    g_string_append_printf (text, " %d", l->stride[p]);
  g_string_append (text, "; offsets");
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&l->info); p++)
    g_string_append_printf (text, " %" G_GSIZE_FORMAT, l->offset[p]);
  g_string_append_printf (text, "\nbackend: %s", pool->solution->explanation);
  if (pool->fallbacks->len)
    g_string_append_printf (text, "\nfallbacks taken: %s",
        pool->fallbacks->str);
  GST_OBJECT_UNLOCK (pool);
  g_free (wanted);
  return g_string_free (text, FALSE);
}
