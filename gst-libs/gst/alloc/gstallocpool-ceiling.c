/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How GstAllocPool keeps to its ceiling and says when it may not grow: the
 * count of live buffers held against the ceiling, and the warnings and the
 * GstAllocPool::starved signal, each told once per cause until the pool
 * flushes or starts again. An acquire at the ceiling waits a frame every
 * time a consumer holds on: telling each one would flood the log and the
 * bus without saying anything new. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#define GST_CAT_DEFAULT gst_alloc_pool_debug

gboolean
gst_alloc_pool_reserve_buffer (GstAllocPool * self)
{
  guint ceiling;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  ceiling = self->ceiling;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->recycle_lock);
  ok = ceiling == 0 || self->alive < ceiling;
  if (ok)
    self->alive++;
  g_mutex_unlock (&self->recycle_lock);
  return ok;
}

void
gst_alloc_pool_unreserve_buffer (GstAllocPool * self)
{
  g_mutex_lock (&self->recycle_lock);
  self->alive--;
  g_cond_broadcast (&self->recycle_cond);
  g_mutex_unlock (&self->recycle_lock);
}

gboolean
gst_alloc_pool_tell_once (GstAllocPool * self, const gchar * cause)
{
  gboolean first;

  g_mutex_lock (&self->recycle_lock);
  first = g_hash_table_add (self->told, g_strdup (cause));
  g_mutex_unlock (&self->recycle_lock);
  return first;
}

/* Why the pool may not grow, for messages: with the numbers that set it. */
static gchar *
growth_limit (GstAllocPool * self)
{
  gchar *limit;

  GST_OBJECT_LOCK (self);
  if (self->growth_error)
    limit = g_strdup_printf ("it cannot grow (%s)", self->growth_error);
  else
    limit = g_strdup (self->ceiling_reason ? self->ceiling_reason :
        "its max-buffers");
  GST_OBJECT_UNLOCK (self);
  return limit;
}

void
gst_alloc_pool_starved (GstAllocPool * self)
{
  gchar *limit = growth_limit (self);
  guint alive;

  g_mutex_lock (&self->recycle_lock);
  alive = self->alive;
  g_mutex_unlock (&self->recycle_lock);
  if (gst_alloc_pool_tell_once (self, limit)) {
    GST_WARNING_OBJECT (self, "all %u buffers are out and %s: waiting", alive,
        limit);
    gst_alloc_pool_emit_starved (self, alive, limit);
  } else {
    GST_DEBUG_OBJECT (self, "all %u buffers are out and %s: said already",
        alive, limit);
  }
  g_free (limit);
}

/* What the pool has told since it started or last flushed, forgotten: a
 * flush (a seek) starts anew, and so does a start. */
void
gst_alloc_pool_forget_told (GstAllocPool * self)
{
  g_mutex_lock (&self->recycle_lock);
  g_hash_table_remove_all (self->told);
  g_mutex_unlock (&self->recycle_lock);
}

void
gst_alloc_pool_grew (GstAllocPool * self)
{
  GST_CAT_INFO_OBJECT (gst_alloc_performance_debug, self, "grew by one "
      "buffer: every buffer was out");
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->growth_error, g_free);
  GST_OBJECT_UNLOCK (self);
}

/* Every acquire that finds all buffers out tries again: warned once for
 * each reason, the repeats only logged. */
void
gst_alloc_pool_cannot_grow (GstAllocPool * self, const GError * err)
{
  GST_OBJECT_LOCK (self);
  g_free (self->growth_error);
  self->growth_error = g_strdup (err->message);
  GST_OBJECT_UNLOCK (self);
  if (gst_alloc_pool_tell_once (self, err->message))
    GST_WARNING_OBJECT (self, "cannot grow (%s): waiting for buffers to "
        "come back", err->message);
  else
    GST_DEBUG_OBJECT (self, "still cannot grow (%s)", err->message);
}
