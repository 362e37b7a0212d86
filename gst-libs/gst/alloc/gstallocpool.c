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
 * something the caller must agree to (a max-buffers below what must exist
 * at start, a padded layout without the video-meta option), the pool writes
 * the corrected values into the config and returns %FALSE; the caller reads
 * them back and sets the config again. The pool does what the corrections
 * say from then on: GstBufferPool takes the corrected config, set again on
 * a pool configured before, for accepted without asking the pool. A
 * refused config leaves the pool unable to start until it accepts one. A
 * smaller size or min-buffers than the layout and the constraints need is
 * simply raised, as GstVideoBufferPool raises the size, so producers that
 * do not retry a corrected config (gst-libav's direct rendering) still use
 * the pool.
 *
 * Buffer counts: the pool allocates min-buffers (at least the constraints'
 * min-buffers, at least 4) when it starts, and grows on demand when all are
 * out, up to the first of: the config's max-buffers (0 = no such limit),
 * the constraints' max-buffers, as many buffers as its budget pays for and
 * a quarter of the process's file descriptors. The budget is in bytes: the
 * config's (gst_alloc_pool_config_set_budget()), else the pool's
 * (gst_alloc_pool_set_budget()), else gst_alloc_pool_get_default_budget()
 * (1 GiB, or a quarter of RAM when less). Each buffer costs what its
 * memories take as allocated, rounded to pages and size-align, from the
 * moment it is allocated until the pool frees it; memory that outlives its
 * buffer in a view or a copy is not counted. A config whose start count
 * alone exceeds the budget is refused with %GST_ALLOC_ERROR_BUDGET.
 * Buffers come back to the pool and are used
 * again, also when their memory was still shared (a shallow copy, a view)
 * at release: they wait aside until it is theirs alone, instead of being
 * discarded and allocated anew. When the pool may not grow and every
 * buffer is out, an acquire waits; after one frame it emits
 * #GstAllocPool::starved, once for each cause until the pool flushes or
 * starts again (not at every acquire that waits).
 *
 * Memory comes from the best backend the solver finds. If that backend
 * fails (ENOMEM, a device gone, out of file descriptors), the pool logs the
 * reason once and continues with the next capable backend; a buffer it
 * had begun is made again there, all its memories from one backend. When
 * none is left, a pool that is starting fails and emits
 * #GstAllocPool::allocation-failed with the cause; a pool that is growing
 * stops growing and waits for buffers to come back.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#define GST_CAT_DEFAULT gst_alloc_pool_debug


enum
{
  SIGNAL_STARVED,
  SIGNAL_ALLOCATION_FAILED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];
static gint next_pool_id = 1;

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

/* The state a config leads to, built apart and swapped in at the end. */
typedef struct
{
  GstAllocConstraints *constraints;
  GstAllocLayout layout;
  GstAllocSolution *solution;
  gsize granule;
  guint64 budget;
  guint ceiling;
  gchar *ceiling_reason;
  GstClockTime wait_period;
} PoolState;

static void
pool_state_clear (PoolState * state)
{
  gst_alloc_constraints_free (state->constraints);
  gst_alloc_solution_free (state->solution);
  g_free (state->ceiling_reason);
}

/* Replaces the pool's state by @state, and the reason the last config was
 * refused by @refusal (NULL when it was not). */
static void
swap_state (GstAllocPool * self, PoolState * state, GError * refusal)
{
  PoolState old;

  GST_OBJECT_LOCK (self);
  old.constraints = self->constraints;
  old.solution = self->solution;
  old.ceiling_reason = self->ceiling_reason;
  self->constraints = state->constraints;
  self->layout = state->layout;
  self->solution = state->solution;
  self->backend_index = 0;
  self->granule = state->granule;
  self->budget = state->budget;
  self->ceiling = state->ceiling;
  self->ceiling_reason = state->ceiling_reason;
  self->wait_period = state->wait_period;
  g_clear_error (&self->config_error);
  self->config_error = refusal;
  GST_OBJECT_UNLOCK (self);
  pool_state_clear (&old);
}

/* What the pool does from now on: @state, and for GstBufferPool the size
 * and counts of @config. */
static gboolean
apply_state (GstAllocPool * self, PoolState * state, GstStructure * config)
{
  swap_state (self, state, NULL);
  return GST_BUFFER_POOL_CLASS (gst_alloc_pool_parent_class)->set_config
      (GST_BUFFER_POOL (self), config);
}

/* GstBufferPool keeps a refused config, and a pool that an earlier config
 * configured stays configured: setting the refused config again returns
 * TRUE without asking us. So a refusal leaves the pool without a state,
 * and it refuses to start rather than hand out buffers of the earlier
 * layout. */
static gboolean
refuse_config (GstAllocPool * self, PoolState * state, GError * err)
{
  PoolState none = { NULL, };

  GST_WARNING_OBJECT (self, "config refused: %s", err->message);
  pool_state_clear (state);
  swap_state (self, &none, err);
  return FALSE;
}

static gboolean
gst_alloc_pool_set_config (GstBufferPool * pool, GstStructure * config)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  PoolState state = { NULL, };
  GstVideoInfo info;
  GstCaps *caps;
  guint size, min, max, start;
  GError *err = NULL;

  if (!gst_alloc_pool_read_config (config, &caps, &size, &min, &max, &info,
          &state.constraints, &err))
    return refuse_config (self, &state, err);
  if (!gst_alloc_layout_compute (&state.layout, &info, state.constraints, &err)
      || !(state.solution = gst_alloc_solver_solve (self->solver,
              state.constraints, &err)))
    return refuse_config (self, &state, err);
  state.granule =
      gst_alloc_pool_allocation_granule (state.constraints->size_align);
  if (!gst_alloc_pool_grow_layout (&state.layout, size,
          state.constraints->size_align)) {
    err = g_error_new (GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "buffers of %u bytes rounded to size-align %u overflow", size,
        state.constraints->size_align);
    return refuse_config (self, &state, err);
  }
  start = gst_alloc_pool_start_count (state.constraints, min);
  state.budget = gst_alloc_pool_config_get_budget (config);
  GST_OBJECT_LOCK (self);
  if (!gst_structure_has_field (config, "gst-alloc-budget")
      && self->default_budget)
    state.budget = self->default_budget;
  GST_OBJECT_UNLOCK (self);
  if (!gst_alloc_pool_compute_ceiling (state.constraints, &state.layout,
          state.granule, state.budget, start, max, &state.ceiling,
          &state.ceiling_reason, &err))
    return refuse_config (self, &state, err);
  state.wait_period = gst_alloc_pool_wait_period (&info);
  if (gst_alloc_pool_correct_config (config, caps, size, start, min, max,
          &state.layout, &info)) {
    GST_DEBUG_OBJECT (pool, "config corrected: %" GST_PTR_FORMAT, config);
    /* GstBufferPool keeps the corrected config, and an earlier accepted
     * one keeps the pool configured: the caller's retry with the
     * corrections returns TRUE without asking us. So the corrections are
     * what the pool does from now on. */
    apply_state (self, &state, config);
    return FALSE;
  }
  GST_INFO_OBJECT (pool, "%s; %u buffers at start, growing until %s",
      state.solution->explanation, start, state.ceiling_reason ?
      state.ceiling_reason : "max-buffers");
  return apply_state (self, &state, config);
}

/* GST_FLOW_EOS tells GstBufferPool that the pool may not grow now: an
 * acquire then waits for a buffer to come back (gstallocpool-recycle.c). */
static GstFlowReturn
gst_alloc_pool_alloc_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  GstAllocLayout l;
  GPtrArray *candidates;
  gboolean growing;
  GError *err = NULL;
  gsize granule;

  if (!gst_alloc_pool_reserve_buffer (self))
    return GST_FLOW_EOS;
  GST_OBJECT_LOCK (self);
  l = self->layout;
  granule = self->granule;
  candidates = g_ptr_array_ref (self->solution->candidates);
  growing = self->growing;
  GST_OBJECT_UNLOCK (self);

  *buffer = gst_alloc_pool_new_buffer (self, &l, candidates, granule, &err);
  g_ptr_array_unref (candidates);
  if (*buffer) {
    if (growing)
      gst_alloc_pool_grew (self);
    return GST_FLOW_OK;
  }
  gst_alloc_pool_unreserve_buffer (self);
  if (growing) {
    gst_alloc_pool_cannot_grow (self, err);
    g_error_free (err);
    return GST_FLOW_EOS;
  }
  GST_ERROR_OBJECT (self, "%s", err->message);
  gst_alloc_pool_emit_allocation_failed (self, err);
  g_error_free (err);
  return GST_FLOW_ERROR;
}

static void
gst_alloc_pool_free_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GST_BUFFER_POOL_CLASS (gst_alloc_pool_parent_class)->free_buffer (pool,
      buffer);
  gst_alloc_pool_unreserve_buffer (GST_ALLOC_POOL (pool));
}

void
gst_alloc_pool_emit_starved (GstAllocPool * self, guint alive,
    const gchar * limit)
{
  g_signal_emit (self, signals[SIGNAL_STARVED], 0, alive, limit);
}

void
gst_alloc_pool_emit_allocation_failed (GstAllocPool * self,
    const GError * error)
{
  g_signal_emit (self, signals[SIGNAL_ALLOCATION_FAILED], 0, error);
}

static void
gst_alloc_pool_finalize (GObject * object)
{
  GstAllocPool *self = GST_ALLOC_POOL (object);

  gst_alloc_pool_clear_recycling (self);
  gst_object_unref (self->solver);
  gst_alloc_constraints_free (self->constraints);
  gst_alloc_solution_free (self->solution);
  g_free (self->ceiling_reason);
  g_free (self->growth_error);
  g_clear_error (&self->config_error);
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
  pool_class->free_buffer = gst_alloc_pool_free_buffer;
  gst_alloc_pool_install_recycling (pool_class);

  /**
   * GstAllocPool::starved:
   * @pool: the pool
   * @buffers: how many buffers the pool has, all of them out
   * @limit: why it may not grow, with its numbers (its budget, the file
   *   descriptor limit, max-buffers and who asked, a backend refusing)
   *
   * Every buffer has been out for one frame and the pool may not grow: the
   * acquire waits for one to come back. Emitted from the thread that
   * waits, once for each @limit until the pool flushes or starts again:
   * an acquire at the ceiling waits whenever a consumer holds on, and the
   * cause is the same. The element that made the pool can say who holds
   * the buffers.
   *
   * Since: 1.0
   */
  signals[SIGNAL_STARVED] = g_signal_new ("starved", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
      G_TYPE_STRING);

  /**
   * GstAllocPool::allocation-failed:
   * @pool: the pool
   * @error: what failed: the backend, the call and the errno text, or the
   *   budget or constraint that refused the config
   *
   * The pool could not allocate what it needs to start. The caller of
   * gst_buffer_pool_set_active() only learns %FALSE; the element that made
   * the pool can put @error in the error it posts.
   *
   * Since: 1.0
   */
  signals[SIGNAL_ALLOCATION_FAILED] = g_signal_new ("allocation-failed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gst_alloc_pool_init (GstAllocPool * self)
{
  self->fallbacks = g_string_new (NULL);
  self->id = (guint) g_atomic_int_add (&next_pool_id, 1);
  gst_alloc_pool_init_recycling (self);
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
  GstAllocPool *self;

  g_return_val_if_fail (solver == NULL || GST_IS_ALLOC_SOLVER (solver), NULL);

  self = g_object_new (GST_TYPE_ALLOC_POOL, NULL);
  self->solver = gst_object_ref (solver ? solver :
      gst_alloc_solver_get_default ());
  return GST_BUFFER_POOL (gst_object_ref_sink (self));
}
