/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a GstAllocPool tells about itself: its budget and solver, the
 * backend in use, the layout, what it allocated, whether a buffer's memory
 * is its own, and its report. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#define GST_CAT_DEFAULT gst_alloc_pool_debug

/**
 * gst_alloc_pool_set_budget:
 * @pool: a pool
 * @bytes: the most memory the buffers of @pool may take at once when its
 *   config has no budget field (gst_alloc_pool_config_set_budget()); 0 for
 *   gst_alloc_pool_get_default_budget()
 *
 * For the element that makes the pool: producers configure it later with
 * configs of their own, which keep this budget unless they set one.
 *
 * Since: 1.0
 */
void
gst_alloc_pool_set_budget (GstAllocPool * pool, guint64 bytes)
{
  g_return_if_fail (GST_IS_ALLOC_POOL (pool));

  GST_OBJECT_LOCK (pool);
  pool->default_budget = bytes;
  GST_OBJECT_UNLOCK (pool);
}

/**
 * gst_alloc_pool_get_solver:
 * @pool: a pool
 *
 * Returns: (transfer none): the solver whose backends @pool allocates from.
 *
 * Since: 1.0
 */
GstAllocSolver *
gst_alloc_pool_get_solver (GstAllocPool * pool)
{
  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), NULL);

  return pool->solver;
}

gboolean
gst_alloc_pool_is_configured (GstAllocPool * self)
{
  gboolean configured;

  GST_OBJECT_LOCK (self);
  configured = self->solution != NULL;
  GST_OBJECT_UNLOCK (self);
  return configured;
}

gboolean
gst_alloc_pool_get_config_error (GstAllocPool * self, GError ** error)
{
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  if (self->config_error)
    err = g_error_copy (self->config_error);
  GST_OBJECT_UNLOCK (self);
  if (!err)
    return FALSE;
  g_propagate_error (error, err);
  return TRUE;
}

/**
 * gst_alloc_pool_get_backend:
 * @pool: a configured pool
 *
 * Returns: (transfer full) (nullable): the backend new memory comes from,
 * or %NULL before a config was accepted, after one was refused or after
 * every backend failed.
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
 * config was accepted or after one was refused.
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
 * gst_alloc_pool_get_buffers_allocated:
 * @pool: a pool
 *
 * Returns: how many buffers the pool has allocated since it was created:
 * those made when it started, plus one for each time it grew. Recycled
 * buffers do not count again.
 *
 * Since: 1.0
 */
guint64
gst_alloc_pool_get_buffers_allocated (GstAllocPool * pool)
{
  guint64 buffers;

  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), 0);

  GST_OBJECT_LOCK (pool);
  buffers = pool->buffers_allocated;
  GST_OBJECT_UNLOCK (pool);
  return buffers;
}

/**
 * gst_alloc_pool_made_buffer:
 * @pool: a pool
 * @buffer: a buffer
 *
 * Whether @buffer holds memory @pool made, all of it: a buffer of @pool,
 * and also one that wraps or views such memory (gst-libav's direct
 * rendering pushes its own buffers around the pool's memory, and so do
 * alloctee's branches). Such a buffer has the layout @pool gives.
 *
 * Returns: %TRUE if every memory of @buffer comes from @pool.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_pool_made_buffer (GstAllocPool * pool, GstBuffer * buffer)
{
  GstMemory *mem;
  guint i, n;

  g_return_val_if_fail (GST_IS_ALLOC_POOL (pool), FALSE);
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);

  if (buffer->pool == GST_BUFFER_POOL (pool))
    return TRUE;
  n = gst_buffer_n_memory (buffer);
  for (i = 0; i < n; i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    while (mem->parent)
      mem = mem->parent;
    if (gst_alloc_pool_memory_id (mem) != pool->id)
      return FALSE;
  }
  return n > 0;
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
