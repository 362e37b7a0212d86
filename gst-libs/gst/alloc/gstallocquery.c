/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocquery
 * @title: Answering ALLOCATION queries
 * @short_description: One answer that serves our elements and stock ones
 *
 * An element that has merged what its consumers need answers the ALLOCATION
 * query in both vocabularies at once: our constraint set for elements that
 * read it, and for stock producers a pool, the GstVideoMeta API with the
 * standard "video-meta" layout params, and GstAllocationParams.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"
#include "gstallocquery.h"

#define GST_CAT_DEFAULT gst_alloc_debug

static void
remove_meta (GstQuery * query, GType api)
{
  guint index;

  while (gst_query_find_allocation_meta (query, api, &index))
    gst_query_remove_nth_allocation_meta (query, index);
}

static void
replace_metas (GstQuery * query, const GstAllocConstraints * c,
    const GstVideoInfo * info)
{
  GstStructure *params;

  remove_meta (query, GST_ALLOC_CONSTRAINTS_META_API_TYPE);
  params = gst_alloc_constraints_to_structure (c);
  gst_query_add_allocation_meta (query, GST_ALLOC_CONSTRAINTS_META_API_TYPE,
      params);
  gst_structure_free (params);

  remove_meta (query, GST_VIDEO_META_API_TYPE);
  params = gst_alloc_constraints_to_video_meta_params (c, info);
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, params);
  gst_structure_free (params);
}

static void
replace_params (GstQuery * query, const GstAllocConstraints * c)
{
  GstAllocationParams params;

  while (gst_query_get_n_allocation_params (query) > 0)
    gst_query_remove_nth_allocation_param (query, 0);
  gst_allocation_params_init (&params);
  gst_alloc_constraints_to_allocation_params (c, &params);
  gst_query_add_allocation_param (query, NULL, &params);
}

/**
 * gst_alloc_constraints_is_feasible:
 * @constraints: a (merged) constraint set
 * @info: the video format and size to lay out
 * @solver: (nullable): backends, %NULL for the default solver
 * @error: (nullable): why not
 *
 * Checks what a #GstAllocPool would only log: that a frame can be laid out
 * within @constraints and that some backend can give the memory.
 *
 * Returns: %TRUE if a pool for @constraints would work.
 */
gboolean
gst_alloc_constraints_is_feasible (const GstAllocConstraints * constraints,
    const GstVideoInfo * info, GstAllocSolver * solver, GError ** error)
{
  const GstAllocConstraints *c = constraints;

  GstAllocSolution *solution;
  GstAllocLayout layout;

  if (!solver)
    solver = gst_alloc_solver_get_default ();
  if (!gst_alloc_layout_compute (&layout, info, c, error))
    return FALSE;
  solution = gst_alloc_solver_solve (solver, c, error);
  gst_alloc_solution_free (solution);
  return solution != NULL;
}

/* A pool already configured for @caps and @c (offered before, maybe in use
 * by the producer) is offered as it is: a producer that sets the same
 * config again keeps its buffers. GstBufferPool keeps a refused config
 * too: only a pool that took it is configured for it. */
static gboolean
is_configured_for (GstBufferPool * pool, GstCaps * caps,
    const GstAllocConstraints * c)
{
  GstStructure *config;
  GstAllocConstraints *stored;
  GstCaps *config_caps = NULL;
  gboolean same;

  if (!gst_alloc_pool_is_configured (GST_ALLOC_POOL (pool)))
    return FALSE;
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_get_params (config, &config_caps, NULL, NULL, NULL);
  same = config_caps && gst_caps_is_equal (config_caps, caps);
  if (same) {
    stored = gst_alloc_pool_config_get_constraints (config, NULL);
    same = stored && gst_alloc_constraints_is_equal (stored, c);
    gst_alloc_constraints_free (stored);
  }
  gst_structure_free (config);
  return same;
}

/* A config with nothing but what the answer asks: the pool's current one
 * may be a producer's, with a video alignment or allocation params of its
 * own (set, and maybe refused, since the pool was last offered). */
static GstStructure *
new_config (GstCaps * caps, const GstVideoInfo * info,
    const GstAllocConstraints * c)
{
  GstStructure *config = gst_structure_new_empty ("GstBufferPoolConfig");
  GstAllocationParams params;

  gst_allocation_params_init (&params);
  gst_buffer_pool_config_set_params (config, caps, info->size, c->min_buffers,
      c->max_buffers);
  gst_buffer_pool_config_set_allocator (config, NULL, &params);
  gst_alloc_pool_config_set_constraints (config, c);
  return config;
}

static gboolean
configure_pool (GstBufferPool * pool, GstCaps * caps, const GstVideoInfo * info,
    const GstAllocConstraints * c, GError ** error)
{
  GstStructure *config = new_config (caps, info, c);
  gboolean taken;

  /* Refused with corrections: take them, as the pool's caller must. */
  taken = gst_buffer_pool_set_config (pool, config)
      || gst_buffer_pool_set_config (pool, gst_buffer_pool_get_config (pool));
  /* GstBufferPool answers TRUE without asking the pool when the config it
   * kept is set again: a refused one, or the earlier one when it refused
   * an active pool or one with buffers out by itself. */
  if (taken && is_configured_for (pool, caps, c))
    return TRUE;
  if (gst_alloc_pool_get_config_error (GST_ALLOC_POOL (pool), error))
    return FALSE;
  g_set_error_literal (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
      taken ? "the pool keeps its earlier config: it is active or some of "
      "its buffers are still out" : "the pool refused its own corrected "
      "config");
  return FALSE;
}

/**
 * gst_alloc_query_answer_with_pool:
 * @query: a writable ALLOCATION query for raw video caps
 * @constraints: the merged constraints of everything downstream
 * @pool: a new #GstAllocPool to offer, named and set up (budget, signals)
 *   by the caller
 * @error: (nullable): why no answer is possible
 *
 * Configures @pool for @constraints and the query's caps and replaces the
 * answer in @query with it (drm-formats count only when the caps are
 * DMA_DRM: plain raw video is read through GstVideoMeta): @pool as the only pool, our constraint set,
 * the GstVideoMeta API with "video-meta" params and GstAllocationParams
 * derived from the set. A pool configured for these caps and constraints
 * already (offered in an earlier answer) is offered as it is. The query is
 * left untouched on failure.
 *
 * Returns: %TRUE, or %FALSE with %GST_ALLOC_ERROR_LAYOUT,
 * %GST_ALLOC_ERROR_UNSATISFIABLE or %GST_ALLOC_ERROR_BUDGET.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_query_answer_with_pool (GstQuery * query,
    const GstAllocConstraints * constraints, GstBufferPool * pool,
    GError ** error)
{
  GstAllocConstraints *c;
  GstStructure *config;
  GstVideoInfo info;
  GstCaps *caps;
  guint size, min, max;
  gboolean ok;

  g_return_val_if_fail (GST_IS_QUERY (query), FALSE);
  g_return_val_if_fail (GST_QUERY_TYPE (query) == GST_QUERY_ALLOCATION, FALSE);
  g_return_val_if_fail (gst_query_is_writable (query), FALSE);
  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), FALSE);

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_alloc_video_info_from_caps (&info, caps)) {
    /* GST_PTR_FORMAT works in GStreamer's log functions only. */
    gchar *text = caps ? gst_caps_to_string (caps) : g_strdup ("none");

    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "the ALLOCATION query carries no raw video caps (caps: %s)", text);
    g_free (text);
    return FALSE;
  }
  c = gst_alloc_constraints_copy_for_caps (constraints, caps);
  ok = gst_alloc_constraints_is_feasible (c, &info,
      gst_alloc_pool_get_solver (GST_ALLOC_POOL (pool)), error)
      && (is_configured_for (pool, caps, c)
      || configure_pool (pool, caps, &info, c, error));
  if (ok) {
    config = gst_buffer_pool_get_config (pool);
    gst_buffer_pool_config_get_params (config, NULL, &size, &min, &max);
    gst_structure_free (config);
    while (gst_query_get_n_allocation_pools (query) > 0)
      gst_query_remove_nth_allocation_pool (query, 0);
    gst_query_add_allocation_pool (query, pool, size, min, max);
    replace_metas (query, c, &info);
    replace_params (query, c);
  }
  gst_alloc_constraints_free (c);
  return ok;
}

/**
 * gst_alloc_query_answer:
 * @query: a writable ALLOCATION query for raw video caps
 * @constraints: the merged constraints of everything downstream
 * @solver: (nullable): backends to allocate from, %NULL for the default
 * @pool_name: (nullable): name for the pool, shown in logs and buffer names
 * @error: (nullable): why no answer is possible
 *
 * gst_alloc_query_answer_with_pool() with a new #GstAllocPool of
 * @solver's backends and the default budget.
 *
 * Returns: (transfer full) (nullable): the pool offered, or %NULL with
 * %GST_ALLOC_ERROR_LAYOUT, %GST_ALLOC_ERROR_UNSATISFIABLE or
 * %GST_ALLOC_ERROR_BUDGET.
 */
GstBufferPool *
gst_alloc_query_answer (GstQuery * query,
    const GstAllocConstraints * constraints, GstAllocSolver * solver,
    const gchar * pool_name, GError ** error)
{
  GstBufferPool *pool;

  g_return_val_if_fail (GST_IS_QUERY (query), NULL);
  g_return_val_if_fail (constraints != NULL, NULL);

  pool = gst_alloc_pool_new (solver);
  if (pool_name)
    gst_object_set_name (GST_OBJECT (pool), pool_name);
  if (!gst_alloc_query_answer_with_pool (query, constraints, pool, error))
    gst_clear_object (&pool);
  return pool;
}

/**
 * gst_alloc_query_propose:
 * @query: a writable ALLOCATION query
 * @constraints: what this consumer needs
 * @solver: (nullable): backends to allocate from, %NULL for the default
 * @pool_name: (nullable): name for a pool, shown in logs and buffer names
 * @error: (nullable): why no pool could be offered when one was asked for
 *
 * What a consumer (a sink) answers: when the query asks for a pool, the
 * same answer as gst_alloc_query_answer(). Otherwise, or when no pool can
 * be made, the needs still travel without a pool: our constraint set, the
 * GstVideoMeta API with "video-meta" params and GstAllocationParams, so
 * our elements and stock producers upstream can honour them.
 *
 * Returns: (transfer full) (nullable): the pool offered, or %NULL when none
 * was asked for or none can be made (then @error says why).
 */
GstBufferPool *
gst_alloc_query_propose (GstQuery * query,
    const GstAllocConstraints * constraints, GstAllocSolver * solver,
    const gchar * pool_name, GError ** error)
{
  GstAllocConstraints *c;
  GstBufferPool *pool = NULL;
  gboolean need_pool;
  GstVideoInfo info;
  GstCaps *caps;

  g_return_val_if_fail (GST_IS_QUERY (query), NULL);
  g_return_val_if_fail (GST_QUERY_TYPE (query) == GST_QUERY_ALLOCATION, NULL);
  g_return_val_if_fail (gst_query_is_writable (query), NULL);
  g_return_val_if_fail (constraints != NULL, NULL);

  gst_query_parse_allocation (query, &caps, &need_pool);
  if (need_pool)
    pool = gst_alloc_query_answer (query, constraints, solver, pool_name,
        error);
  if (pool)
    return pool;

  c = gst_alloc_constraints_copy_for_caps (constraints, caps);
  if (caps && gst_alloc_video_info_from_caps (&info, caps)) {
    replace_metas (query, c, &info);
  } else {
    remove_meta (query, GST_ALLOC_CONSTRAINTS_META_API_TYPE);
    gst_alloc_constraints_add_to_query (query, c, NULL);
  }
  replace_params (query, c);
  gst_alloc_constraints_free (c);
  return NULL;
}
