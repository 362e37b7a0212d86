/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pools our elements make: held to the element's budget and watched,
 * so that what goes wrong inside a pool reaches the application as a bus
 * message from the element, with its cause. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

/* The producer only learns FALSE from gst_buffer_pool_set_active() and
 * posts "not-negotiated"; this error, posted first, says why. */
static void
pool_allocation_failed (GstAllocPool * pool, const GError * error,
    GstElement * element)
{
  GST_ELEMENT_ERROR (element, RESOURCE, NO_SPACE_LEFT, ("Cannot allocate the "
          "buffers of pool %s: %s", GST_OBJECT_NAME (pool), error->message),
      ("the pool failed while starting; its producer cannot negotiate"));
}

static void
pool_starved (GstAllocPool * pool, guint buffers, const gchar * limit,
    GstElement * element)
{
  GST_ELEMENT_WARNING (element, RESOURCE, BUSY, ("All %u buffers of pool %s "
          "are out and it may not grow (%s): its producer waits until one "
          "comes back.", buffers, GST_OBJECT_NAME (pool), limit),
      ("consumers downstream of %s hold every buffer",
          GST_OBJECT_NAME (element)));
}

GstBufferPool *
gst_alloc_element_new_pool (GstElement * element, GstAllocSolver * solver,
    const gchar * role, guint64 budget)
{
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  gchar *name = g_strdup_printf ("%s-%s", GST_OBJECT_NAME (element), role);

  gst_object_set_name (GST_OBJECT (pool), name);
  g_free (name);
  gst_alloc_pool_set_budget (GST_ALLOC_POOL (pool), budget);
  /* The pool may outlive the element (its producer holds it): the handlers
   * go with whichever is finalized first. */
  g_signal_connect_object (pool, "allocation-failed",
      G_CALLBACK (pool_allocation_failed), element, 0);
  g_signal_connect_object (pool, "starved", G_CALLBACK (pool_starved),
      element, 0);
  return pool;
}

/* Replaces @to's metas of the APIs in @from, and its params, with @from's. */
static void
copy_needs (GstQuery * from, GstQuery * to)
{
  const GstStructure *params;
  GstAllocationParams allocation_params;
  GstAllocator *allocator;
  guint i, index;
  GType api;

  for (i = 0; i < gst_query_get_n_allocation_metas (from); i++) {
    api = gst_query_parse_nth_allocation_meta (from, i, &params);
    while (gst_query_find_allocation_meta (to, api, &index))
      gst_query_remove_nth_allocation_meta (to, index);
    gst_query_add_allocation_meta (to, api, params);
  }
  while (gst_query_get_n_allocation_params (to) > 0)
    gst_query_remove_nth_allocation_param (to, 0);
  for (i = 0; i < gst_query_get_n_allocation_params (from); i++) {
    gst_query_parse_nth_allocation_param (from, i, &allocator,
        &allocation_params);
    gst_query_add_allocation_param (to, allocator, &allocation_params);
    gst_clear_object (&allocator);
  }
}

GstBufferPool *
gst_alloc_element_propose (GstElement * element, GstQuery * query,
    const GstAllocConstraints * constraints, GstAllocSolver * solver,
    guint64 budget, GError ** error)
{
  GstBufferPool *pool = NULL;
  GstQuery *without_pool;
  gboolean need_pool;
  GstVideoInfo info;
  GstCaps *caps;

  gst_query_parse_allocation (query, &caps, &need_pool);
  /* A pool is for raw video; other caps (none yet, say) get the needs. */
  if (need_pool && caps && gst_alloc_video_info_from_caps (&info, caps)) {
    pool = gst_alloc_element_new_pool (element, solver, "pool", budget);
    if (gst_alloc_query_answer_with_pool (query, constraints, pool, error))
      return pool;
    gst_clear_object (&pool);
  }
  /* The library's answer to a query that asks for no pool: the needs in
   * both vocabularies. Asked on a copy, so no second pool is tried. */
  without_pool = gst_query_new_allocation (caps, FALSE);
  gst_alloc_query_propose (without_pool, constraints, solver, NULL, NULL);
  copy_needs (without_pool, query);
  gst_query_unref (without_pool);
  return NULL;
}
