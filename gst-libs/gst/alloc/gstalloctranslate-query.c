/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole ALLOCATION queries: everything an answer says, read as one merged
 * set, and our own set carried in a query as the params of a meta API. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#define GST_CAT_DEFAULT gst_alloc_debug

#if GST_CHECK_VERSION (1, 26, 0)

/* Stock tee (1.26 and newer) hands each allocation meta's params from two
 * branches to the API's aggregator and drops the meta when it has none or
 * it fails: with this one, our sets merge by our rules in a stock tee. A
 * conflict cannot be reported from here but in the log; the meta is then
 * dropped and whoever reads the query sees the stock parts only. */
static gboolean
aggregate_constraints (GstStructure ** aggregated, const GstStructure * p0,
    const GstStructure * p1)
{
  GstAllocConstraints *a, *b, *merged = NULL;
  GError *err = NULL;

  a = p0 ? gst_alloc_constraints_from_structure (p0, &err) :
      gst_alloc_constraints_new ();
  b = a && p1 ? gst_alloc_constraints_from_structure (p1, &err) :
      gst_alloc_constraints_new ();
  if (a && b)
    merged = gst_alloc_constraints_merge (a, b, &err);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
  if (!merged) {
    GST_WARNING ("the branches' constraint sets cannot be merged, so the "
        "tee drops them: %s", err->message);
    g_error_free (err);
    return FALSE;
  }
  if (*aggregated)
    gst_structure_free (*aggregated);
  *aggregated = gst_alloc_constraints_to_structure (merged);
  gst_alloc_constraints_free (merged);
  return TRUE;
}

static void
register_aggregator (GType api)
{
  gst_meta_api_type_set_params_aggregator (api, aggregate_constraints);
}

#else /* Before 1.26 tee drops a meta two branches give params for. */

static void
register_aggregator (GType api)
{
}

#endif

/**
 * gst_alloc_constraints_meta_api_get_type:
 *
 * With GStreamer 1.26 and newer, the API has a params aggregator
 * (gst_meta_api_type_set_params_aggregator()) that merges two sets with
 * gst_alloc_constraints_merge(): a stock tee then answers upstream with
 * the merge of its branches' sets instead of dropping them. Two sets that
 * conflict are not aggregated (logged as a warning), and tee drops the
 * meta.
 *
 * Returns: the meta API naming our constraint set in an ALLOCATION query,
 * %GST_ALLOC_CONSTRAINTS_META_API_TYPE.
 *
 * Since: 1.0
 */
GType
gst_alloc_constraints_meta_api_get_type (void)
{
  /* Tagged "memory" so transforms that allocate their own output memory do
   * not pass downstream's memory needs upstream. */
  static const gchar *tags[] = { GST_META_TAG_MEMORY_STR, NULL };
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    GType api = gst_meta_api_type_register ("GstAllocConstraintsMetaAPI",
        tags);

    register_aggregator (api);
    g_once_init_leave (&type, api);
  }
  return type;
}

/* Reads our own set from the query, or an empty one when absent. Its
 * origins name who asked downstream; @origin only fills the gaps. */
static GstAllocConstraints *
own_constraints_from_query (GstQuery * query, const gchar * origin,
    GError ** error)
{
  const GstStructure *params = NULL;
  GstAllocConstraints *c;
  guint index, f;

  if (gst_query_find_allocation_meta (query,
          GST_ALLOC_CONSTRAINTS_META_API_TYPE, &index))
    gst_query_parse_nth_allocation_meta (query, index, &params);
  if (!params)
    return gst_alloc_constraints_new ();

  c = gst_alloc_constraints_from_structure (params, error);
  for (f = 0; c && f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_constraints_field_is_set (c, f)
        && !gst_alloc_constraints_get_origin (c, f))
      gst_alloc_constraints_set_field_origin (c, f, origin);
  }
  return c;
}

/* Merges @part (transfer full; NULL when making it failed) into @dest. */
static gboolean
merge_part (GstAllocConstraints * dest, GstAllocConstraints * part,
    GError ** error)
{
  gboolean ok = part && gst_alloc_constraints_merge_into (dest, part, error);

  gst_alloc_constraints_free (part);
  return ok;
}

static gboolean
merge_allocation_params (GstAllocConstraints * c, GstQuery * query,
    const gchar * origin, GError ** error)
{
  GstAllocationParams params;
  GstAllocator *allocator;
  guint i, n = gst_query_get_n_allocation_params (query);

  for (i = 0; i < n; i++) {
    gst_query_parse_nth_allocation_param (query, i, &allocator, &params);
    gst_clear_object (&allocator);
    if (!merge_part (c, gst_alloc_constraints_from_allocation_params (&params,
                origin), error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
merge_pools (GstAllocConstraints * c, GstQuery * query,
    const GstVideoInfo * info, const gchar * origin, GError ** error)
{
  GstBufferPool *pool;
  guint i, size, min, max, n = gst_query_get_n_allocation_pools (query);

  for (i = 0; i < n; i++) {
    gst_query_parse_nth_allocation_pool (query, i, &pool, &size, &min, &max);
    gst_clear_object (&pool);
    if (!merge_part (c, gst_alloc_constraints_from_pool_params (info, size,
                min, max, origin), error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
merge_video_meta (GstAllocConstraints * c, GstQuery * query,
    const gchar * origin, GError ** error)
{
  const GstStructure *params = NULL;
  guint index;

  if (!gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE, &index))
    return TRUE;
  gst_query_parse_nth_allocation_meta (query, index, &params);
  return merge_part (c, gst_alloc_constraints_from_video_meta_params (params,
          origin, error), error);
}

static gboolean
video_info_from_query (GstQuery * query, GstVideoInfo * info)
{
  GstCaps *caps = NULL;

  gst_query_parse_allocation (query, &caps, NULL);
  /* gst_video_info_from_caps() complains loudly about non-video caps. */
  return caps && gst_caps_is_fixed (caps)
      && gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "video/x-raw") && gst_alloc_video_info_from_caps (info, caps);
}

/**
 * gst_alloc_constraints_from_allocation_query:
 * @query: an answered ALLOCATION query
 * @origin: (nullable): who answered it, for fields without a known origin
 * @error: return location for a %GST_ALLOC_ERROR_PARSE or
 *   %GST_ALLOC_ERROR_CONFLICT error
 *
 * Reads what the answer says downstream needs. The caps features of the
 * question always count. When the answer carries our own set (under
 * %GST_ALLOC_CONSTRAINTS_META_API_TYPE, with the origins it carries), that
 * set is the whole answer: the pool, params and video-meta params beside it
 * are derived from it. Otherwise the stock parts are merged: each
 * allocation param (gst_alloc_constraints_from_allocation_params()), the
 * params of %GST_VIDEO_META_API_TYPE and each pool entry (with the video
 * info of the query caps). drm-formats are read only for DMA_DRM caps
 * (GStreamer 1.24 and newer): frames under plain raw video caps are read
 * through GstVideoMeta, not imported as a DRM format.
 *
 * Returns: (transfer full) (nullable): the merged set, or %NULL when a part
 * is malformed or the parts conflict.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_allocation_query (GstQuery * query,
    const gchar * origin, GError ** error)
{
  GstAllocConstraints *c, *answer;
  GstVideoInfo info;
  GstCaps *caps = NULL;
  gboolean have_info, ok;

  g_return_val_if_fail (GST_IS_QUERY (query), NULL);
  g_return_val_if_fail (GST_QUERY_TYPE (query) == GST_QUERY_ALLOCATION, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gst_query_parse_allocation (query, &caps, NULL);
  have_info = video_info_from_query (query, &info);
  c = gst_alloc_constraints_from_caps (caps, origin);
  /* Our set, when present, is the whole statement: our elements merge the
   * stock parts of what they heard into it, and derive the rest of their
   * answer (pool size and counts, params, video-meta params) from it.
   * Reading those back would turn consequences of a layout into needs. */
  if (gst_query_find_allocation_meta (query,
          GST_ALLOC_CONSTRAINTS_META_API_TYPE, NULL))
    ok = merge_part (c, own_constraints_from_query (query, origin, error),
        error);
  else
    ok = merge_allocation_params (c, query, origin, error)
        && merge_video_meta (c, query, origin, error)
        && merge_pools (c, query, have_info ? &info : NULL, origin, error);
  if (!ok) {
    gst_alloc_constraints_free (c);
    return NULL;
  }
  answer = gst_alloc_constraints_copy_for_caps (c, caps);
  gst_alloc_constraints_free (c);
  return answer;
}

/**
 * gst_alloc_constraints_add_to_query:
 * @query: a writable ALLOCATION query
 * @constraints: what the caller needs
 * @error: return location for a %GST_ALLOC_ERROR_PARSE or
 *   %GST_ALLOC_ERROR_CONFLICT error
 *
 * Adds @constraints as the params of %GST_ALLOC_CONSTRAINTS_META_API_TYPE.
 * When the query already carries a set, both are merged with
 * gst_alloc_constraints_merge() and the result replaces it.
 *
 * Returns: %TRUE on success; on a conflict or a malformed existing set,
 * %FALSE with @query unchanged.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_add_to_query (GstQuery * query,
    const GstAllocConstraints * constraints, GError ** error)
{
  GstAllocConstraints *existing, *merged = NULL;
  const GstStructure *params = NULL;
  GstStructure *s;
  guint index;
  gboolean found;

  g_return_val_if_fail (GST_IS_QUERY (query), FALSE);
  g_return_val_if_fail (GST_QUERY_TYPE (query) == GST_QUERY_ALLOCATION, FALSE);
  g_return_val_if_fail (gst_query_is_writable (query), FALSE);
  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  found = gst_query_find_allocation_meta (query,
      GST_ALLOC_CONSTRAINTS_META_API_TYPE, &index);
  if (found)
    gst_query_parse_nth_allocation_meta (query, index, &params);
  existing = params ? gst_alloc_constraints_from_structure (params, error)
      : gst_alloc_constraints_new ();
  if (existing)
    merged = gst_alloc_constraints_merge (existing, constraints, error);
  gst_alloc_constraints_free (existing);
  if (!merged)
    return FALSE;

  s = gst_alloc_constraints_to_structure (merged);
  if (found)
    gst_query_remove_nth_allocation_meta (query, index);
  gst_query_add_allocation_meta (query, GST_ALLOC_CONSTRAINTS_META_API_TYPE, s);
  gst_structure_free (s);
  gst_alloc_constraints_free (merged);
  return TRUE;
}
