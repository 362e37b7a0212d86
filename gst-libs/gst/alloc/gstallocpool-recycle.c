/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How GstAllocPool hands buffers out and takes them back.
 *
 * GstBufferPool discards a released buffer whose memory is still shared
 * (a branch's view, a shallow copy made by videorate or a queue), and the
 * next acquire allocates a new one: with a DMA heap that is an ioctl and
 * a page clearing per frame. Here such a buffer is held aside instead and
 * recycled as soon as its memory is ours alone again.
 *
 * When every buffer is out and the pool may not grow (its ceiling, or a
 * backend refusing), an acquire waits. After one wait period (a frame) it
 * emits GstAllocPool::starved, once for each cause until the pool flushes
 * or starts again, so the element that owns the pool can say who holds the
 * buffers instead of hanging in silence.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_alloc_pool_debug

/* How often a waiting acquirer looks at held buffers: a shared memory
 * gives no notice when its last other user lets it go. */
#define HELD_POLL_PERIOD (2 * GST_MSECOND)

static GstBufferPoolClass *pool_parent_class;

static gboolean
memory_is_ours (GstBuffer * buffer)
{
  return gst_buffer_is_all_memory_writable (buffer);
}

/* Returns to the parent's free queue every held buffer whose memory came
 * back. The parent may free a buffer it refuses (tagged memory, a changed
 * size), which calls back into free_buffer: hence outside recycle_lock. */
static void
reclaim_held (GstAllocPool * self)
{
  GQueue ready = G_QUEUE_INIT;
  GList *l, *next;
  GstBuffer *buffer;

  g_mutex_lock (&self->recycle_lock);
  for (l = self->held.head; l; l = next) {
    next = l->next;
    if (memory_is_ours (l->data)) {
      g_queue_push_tail (&ready, l->data);
      g_queue_delete_link (&self->held, l);
    }
  }
  g_mutex_unlock (&self->recycle_lock);
  while ((buffer = g_queue_pop_head (&ready))) {
    GST_LOG_OBJECT (self, "recycling %p: its memory is free again", buffer);
    pool_parent_class->release_buffer (GST_BUFFER_POOL (self), buffer);
  }
}

static void
count_release (GstAllocPool * self)
{
  g_mutex_lock (&self->recycle_lock);
  self->released++;
  g_cond_broadcast (&self->recycle_cond);
  g_mutex_unlock (&self->recycle_lock);
}

static void
gst_alloc_pool_release_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  gboolean hold = !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_TAG_MEMORY)
      && !memory_is_ours (buffer);

  if (hold) {
    GST_LOG_OBJECT (self, "holding %p: its memory is still shared", buffer);
    g_mutex_lock (&self->recycle_lock);
    g_queue_push_tail (&self->held, buffer);
    g_mutex_unlock (&self->recycle_lock);
  } else {
    pool_parent_class->release_buffer (pool, buffer);
  }
  count_release (self);
}

static gboolean
any_held_is_free_locked (GstAllocPool * self)
{
  GList *l;

  for (l = self->held.head; l; l = l->next)
    if (memory_is_ours (l->data))
      return TRUE;
  return FALSE;
}

/* Waits until a buffer comes back, the pool flushes or @period passes;
 * TRUE if something happened, FALSE on timeout. */
static gboolean
wait_for_release (GstAllocPool * self, guint seen, GstClockTime period)
{
  gint64 end = g_get_monotonic_time () + period / GST_USECOND;
  gint64 deadline;
  gboolean changed = FALSE;

  g_mutex_lock (&self->recycle_lock);
  while (!changed && g_get_monotonic_time () < end) {
    deadline = self->held.length ? MIN (end, g_get_monotonic_time () +
        HELD_POLL_PERIOD / GST_USECOND) : end;
    g_cond_wait_until (&self->recycle_cond, &self->recycle_lock, deadline);
    changed = self->released != seen
        || GST_BUFFER_POOL_IS_FLUSHING (GST_BUFFER_POOL (self))
        || any_held_is_free_locked (self);
  }
  g_mutex_unlock (&self->recycle_lock);
  return changed;
}

static GstFlowReturn
gst_alloc_pool_acquire_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  GstBufferPoolAcquireParams attempt = { 0, };
  gboolean may_wait;
  GstClockTime waited = 0, period;
  GstFlowReturn ret;
  guint seen;

  if (params)
    attempt = *params;
  may_wait = !(attempt.flags & GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT);
  attempt.flags |= GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT;
  GST_OBJECT_LOCK (self);
  period = self->wait_period;
  GST_OBJECT_UNLOCK (self);

  for (;;) {
    reclaim_held (self);
    g_mutex_lock (&self->recycle_lock);
    seen = self->released;
    g_mutex_unlock (&self->recycle_lock);

    /* GST_FLOW_EOS from a non-waiting acquire means: none free, none may
     * be added. Waiting is ours, so that starvation can be reported. */
    ret = pool_parent_class->acquire_buffer (pool, buffer, &attempt);
    if (ret != GST_FLOW_EOS || !may_wait)
      break;
    if (!wait_for_release (self, seen, period)) {
      waited += period;
      gst_alloc_pool_starved (self);
    }
  }
  if (ret == GST_FLOW_OK && waited)
    GST_INFO_OBJECT (self, "got a buffer after waiting %" GST_TIME_FORMAT,
        GST_TIME_ARGS (waited));
  return ret;
}

static void
gst_alloc_pool_flush_start (GstBufferPool * pool)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);

  g_mutex_lock (&self->recycle_lock);
  g_cond_broadcast (&self->recycle_cond);
  g_mutex_unlock (&self->recycle_lock);
  if (pool_parent_class->flush_start)
    pool_parent_class->flush_start (pool);
}

/* The acquires that starved returned FLUSHING: a pool that starves after
 * the flush (a seek) says so again. */
static void
gst_alloc_pool_flush_stop (GstBufferPool * pool)
{
  gst_alloc_pool_forget_told (GST_ALLOC_POOL (pool));
  if (pool_parent_class->flush_stop)
    pool_parent_class->flush_stop (pool);
}

/* Held buffers go with the others when the pool stops: GstBufferPool
 * frees a released buffer whose memory is shared (and counts it out); the
 * memory lives on in whoever still shares it. */
static void
drop_held (GstAllocPool * self)
{
  GQueue held = G_QUEUE_INIT;
  GstBuffer *buffer;

  g_mutex_lock (&self->recycle_lock);
  held = self->held;
  g_queue_init (&self->held);
  g_mutex_unlock (&self->recycle_lock);
  while ((buffer = g_queue_pop_head (&held)))
    pool_parent_class->release_buffer (GST_BUFFER_POOL (self), buffer);
}

static gboolean
gst_alloc_pool_stop (GstBufferPool * pool)
{
  drop_held (GST_ALLOC_POOL (pool));
  return pool_parent_class->stop (pool);
}

/* GstBufferPool lets a pool configured once start after a refused config
 * (set again, it takes it for accepted): there is no layout to start with. */
static gboolean
refuse_start_unconfigured (GstAllocPool * self)
{
  GError *err = NULL;

  if (!gst_alloc_pool_get_config_error (self, &err))
    err = g_error_new (GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "the pool has no config");
  g_prefix_error (&err, "cannot start: its last config was refused: ");
  GST_ERROR_OBJECT (self, "%s", err->message);
  gst_alloc_pool_emit_allocation_failed (self, err);
  g_error_free (err);
  return FALSE;
}

static gboolean
gst_alloc_pool_start (GstBufferPool * pool)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);

  if (!gst_alloc_pool_is_configured (self))
    return refuse_start_unconfigured (self);
  GST_OBJECT_LOCK (self);
  self->growing = FALSE;
  g_clear_pointer (&self->growth_error, g_free);
  GST_OBJECT_UNLOCK (self);
  gst_alloc_pool_forget_told (self);

  if (!pool_parent_class->start (pool)) {
    /* GstBufferPool (1.22) leaves what it allocated before the failure in
     * its queue, and frees that queue only when a started pool stops. */
    pool_parent_class->stop (pool);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->growing = TRUE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* The metas the pool attached (GstBufferPool marks them pooled when the
 * buffer is made) stay; whatever downstream added to this frame (a crop,
 * a region of interest, a timecode) must not come back with the next one. */
static gboolean
remove_unpooled_meta (GstBuffer * buffer, GstMeta ** meta, gpointer user_data)
{
  if (!GST_META_FLAG_IS_SET (*meta, GST_META_FLAG_POOLED)) {
    GST_META_FLAG_UNSET (*meta, GST_META_FLAG_LOCKED);
    *meta = NULL;
  }
  return TRUE;
}

/* GstBufferPool's own reset moves a buffer's data back to the start of its
 * first memory, which drops prefix-bytes and the offset-align gap: reset
 * the metadata as it does, and put each memory back where the layout has
 * it. A memory still shared (a buffer held for recycling) is left as it
 * is: nothing can have moved it, since resizing a shared memory replaces
 * it and tags the buffer. */
static void
gst_alloc_pool_reset_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GstAllocPool *self = GST_ALLOC_POOL (pool);
  gsize offset[GST_VIDEO_MAX_PLANES], size[GST_VIDEO_MAX_PLANES];
  guint i, n;
  GstMemory *mem;

  gst_buffer_foreach_meta (buffer, remove_unpooled_meta, NULL);
  GST_BUFFER_FLAGS (buffer) &= GST_BUFFER_FLAG_TAG_MEMORY;
  GST_BUFFER_PTS (buffer) = GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_OFFSET (buffer) = GST_BUFFER_OFFSET_NONE;
  GST_BUFFER_OFFSET_END (buffer) = GST_BUFFER_OFFSET_NONE;

  GST_OBJECT_LOCK (self);
  n = self->layout.n_memories;
  memcpy (offset, self->layout.memory_offset, sizeof (offset));
  memcpy (size, self->layout.memory_size, sizeof (size));
  GST_OBJECT_UNLOCK (self);
  /* A buffer whose memories were replaced is not returned to the pool. */
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_TAG_MEMORY)
      || gst_buffer_n_memory (buffer) != n)
    return;
  for (i = 0; i < n; i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    if (gst_memory_is_writable (mem))
      gst_memory_resize (mem, (gssize) offset[i] - (gssize) mem->offset,
          size[i]);
  }
}

void
gst_alloc_pool_install_recycling (GstBufferPoolClass * pool_class)
{
  pool_parent_class = g_type_class_peek_parent (pool_class);
  pool_class->acquire_buffer = gst_alloc_pool_acquire_buffer;
  pool_class->release_buffer = gst_alloc_pool_release_buffer;
  pool_class->reset_buffer = gst_alloc_pool_reset_buffer;
  pool_class->flush_start = gst_alloc_pool_flush_start;
  pool_class->flush_stop = gst_alloc_pool_flush_stop;
  pool_class->start = gst_alloc_pool_start;
  pool_class->stop = gst_alloc_pool_stop;
}

void
gst_alloc_pool_init_recycling (GstAllocPool * self)
{
  g_mutex_init (&self->recycle_lock);
  g_cond_init (&self->recycle_cond);
  g_queue_init (&self->held);
  self->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
gst_alloc_pool_clear_recycling (GstAllocPool * self)
{
  g_queue_clear_full (&self->held, (GDestroyNotify) gst_buffer_unref);
  g_hash_table_unref (self->told);
  g_mutex_clear (&self->recycle_lock);
  g_cond_clear (&self->recycle_cond);
}
