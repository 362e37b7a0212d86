/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GstAllocPwPool: the buffers a PipeWire node publishes, offered upstream
 * as a GstBufferPool so a producer writes frames straight into them.
 *
 * The memory comes from a configured GstAllocPool (the library's solver and
 * layout): its buffers are taken once, their memories moved into buffers of
 * this pool, and kept for the pool's whole life. PipeWire hands every
 * consumer those fds once (add_buffer); a frame then travels as a buffer id.
 * A slot is handed out only when PipeWire is not using its buffer, so
 * upstream never writes into a frame a consumer is still reading. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwpool-private.h"

#include <gst/allocators/allocators.h>

#include <sys/stat.h>

GST_DEBUG_CATEGORY (gst_alloc_pw_pool_debug);
#define GST_CAT_DEFAULT gst_alloc_pw_pool_debug

/* How long an acquire waits before looking for buffers a consumer released:
 * PipeWire says nothing when a consumer drops its busy count. */
#define RECLAIM_POLL_US (2 * G_TIME_SPAN_MILLISECOND)

static GQuark slot_quark;

G_DEFINE_TYPE_WITH_CODE (GstAllocPwPool, gst_alloc_pw_pool,
    GST_TYPE_BUFFER_POOL,
    GST_DEBUG_CATEGORY_INIT (gst_alloc_pw_pool_debug, "allocpwpool", 0,
        "gst-alloc PipeWire buffer pool");
    slot_quark = g_quark_from_static_string ("gst-alloc-pw-slot"));

GstAllocPwSlot *
gst_alloc_pw_pool_slot_of (GstAllocPwPool * pool, GstBuffer * buffer)
{
  guint index = GPOINTER_TO_UINT (gst_mini_object_get_qdata (GST_MINI_OBJECT
          (buffer), slot_quark));
  GstAllocPwSlot *slot;
  guint i;

  if (index == 0 || index > pool->n_slots)
    return NULL;
  slot = &pool->slots[index - 1];
  /* A producer that swapped the memories gives us a frame we cannot name
   * by buffer id. */
  if (slot->buffer != buffer || gst_buffer_n_memory (buffer) != slot->n_memory)
    return NULL;
  for (i = 0; i < slot->n_memory; i++) {
    if (gst_buffer_peek_memory (buffer, i) != slot->memory[i])
      return NULL;
  }
  return slot;
}

static gboolean
mark_meta_pooled (GstBuffer * buffer, GstMeta ** meta, gpointer user_data)
{
  GST_META_FLAG_SET (*meta, GST_META_FLAG_POOLED);
  GST_META_FLAG_SET (*meta, GST_META_FLAG_LOCKED);
  return TRUE;
}

/* A new GstVideoMeta on @to with @from's layout. Not gst_buffer_copy_into:
 * since GStreamer 1.26 a copied video meta comes with a GstParentBufferMeta
 * that keeps @from, and its memory, alive. */
static void
copy_video_meta (GstBuffer * to, GstBuffer * from)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (from), *copy;

  if (!meta)
    return;
  copy = gst_buffer_add_video_meta_full (to, meta->flags, meta->format,
      meta->width, meta->height, meta->n_planes, meta->offset, meta->stride);
  gst_video_meta_set_alignment (copy, meta->alignment);
}

/* Moves @from's memories and video layout into a buffer of our own. @from
 * goes back to its pool empty, which drops it for its changed size: had it
 * kept a reference, the memory would never be ours alone (writable). */
static gboolean
take_slot (GstAllocPwPool * self, guint index, GstBuffer * from,
    GError ** error)
{
  GstAllocPwSlot *slot = &self->slots[index];
  GstBuffer *buf = gst_buffer_new ();
  guint i;

  for (i = 0; i < gst_buffer_n_memory (from); i++)
    gst_buffer_append_memory (buf,
        gst_memory_ref (gst_buffer_peek_memory (from, i)));
  copy_video_meta (buf, from);
  gst_buffer_remove_all_memory (from);
  gst_buffer_unref (from);
  gst_buffer_foreach_meta (buf, mark_meta_pooled, NULL);
  slot->n_memory = gst_buffer_n_memory (buf);
  for (i = 0; i < slot->n_memory; i++) {
    slot->memory[i] = gst_buffer_peek_memory (buf, i);
    if (!gst_is_fd_memory (slot->memory[i])) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "the pool's memory is %s, which cannot cross processes; PipeWire "
          "needs memfd or dma-buf memory", slot->memory[i]->allocator ?
          slot->memory[i]->allocator->mem_type : "of no allocator");
      gst_buffer_unref (buf);
      return FALSE;
    }
  }
  gst_mini_object_set_qdata (GST_MINI_OBJECT (buf), slot_quark,
      GUINT_TO_POINTER (index + 1), NULL);
  slot->buffer = buf;
  slot->available = TRUE;
  return TRUE;
}

/* Every buffer of the configured @allocator becomes a slot. */
static gboolean
take_buffers (GstAllocPwPool * self, GstBufferPool * allocator, GError ** error)
{
  GstBufferPoolAcquireParams params = {.flags =
        GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT
  };
  GstStructure *config = gst_buffer_pool_get_config (allocator);
  GstBuffer **taken;
  guint min, max, i, n = 0;
  gboolean ok = TRUE;

  gst_buffer_pool_config_get_params (config, &self->caps, NULL, &min, &max);
  gst_caps_ref (self->caps);
  gst_structure_free (config);
  if (min == 0 || min != max || !gst_video_info_from_caps (&self->info,
          self->caps)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "the allocating pool is not a fixed-size raw video pool "
        "(min %u, max %u)", min, max);
    return FALSE;
  }
  if (!gst_buffer_pool_set_active (allocator, TRUE)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT,
        "could not allocate %u buffers (see the allocpool warnings)", min);
    return FALSE;
  }
  taken = g_new0 (GstBuffer *, min);
  while (n < min && gst_buffer_pool_acquire_buffer (allocator, &taken[n],
          &params) == GST_FLOW_OK)
    n++;
  self->slots = g_new0 (GstAllocPwSlot, n);
  self->n_slots = n;
  for (i = 0; i < n; i++) {
    if (ok)
      ok = take_slot (self, i, taken[i], error);
    else
      gst_buffer_unref (taken[i]);
  }
  g_free (taken);
  gst_buffer_pool_set_active (allocator, FALSE);
  if (ok && n < min) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT,
        "the allocating pool gave %u of %u buffers", n, min);
    ok = FALSE;
  }
  return ok;
}

/* The alignment every block's first byte has: the memory is page aligned,
 * so it is the largest power of two dividing every block offset, at most a
 * page. */
static guint
blocks_alignment (const GstAllocPwBlocks * blocks)
{
  guint align = 4096, i;
  gsize offset;

  for (i = 0; i < blocks->n_blocks; i++) {
    offset = blocks->block[i].offset;
    if (offset != 0)
      align = MIN (align, (guint) (offset & (~offset + 1)));
  }
  return align;
}

/**
 * gst_alloc_pw_pool_new:
 * @allocator: a configured, inactive #GstAllocPool with min = max buffers
 * @name: (nullable): the pool's name (shown in logs and by the tracer)
 * @error: (nullable): why it failed
 *
 * Returns: (transfer full) (nullable): a pool holding @allocator's buffers.
 */
GstAllocPwPool *
gst_alloc_pw_pool_new (GstBufferPool * allocator, const gchar * name,
    GError ** error)
{
  GstAllocPwPool *self = g_object_new (GST_TYPE_ALLOC_PW_POOL, NULL);
  GstStructure *config;

  gst_object_ref_sink (self);
  if (name)
    gst_object_set_name (GST_OBJECT (self), name);
  if (!take_buffers (self, allocator, error)
      || !gst_alloc_pw_pool_compute_blocks (self->slots[0].buffer,
          &self->info, &self->blocks, error)) {
    gst_object_unref (self);
    return NULL;
  }
  self->kind = gst_alloc_memory_get_kind (self->slots[0].memory[0]);
  self->align = blocks_alignment (&self->blocks);
  config = gst_buffer_pool_get_config (GST_BUFFER_POOL (self));
  gst_buffer_pool_config_set_params (config, self->caps,
      gst_buffer_get_size (self->slots[0].buffer), self->n_slots,
      self->n_slots);
  gst_buffer_pool_config_add_option (config, GST_BUFFER_POOL_OPTION_VIDEO_META);
  gst_buffer_pool_set_config (GST_BUFFER_POOL (self), config);
  return self;
}

static const gchar **
gst_alloc_pw_pool_get_options (GstBufferPool * pool)
{
  static const gchar *options[] = { GST_BUFFER_POOL_OPTION_VIDEO_META, NULL };

  return options;
}

/* The buffers exist already: any config for frames of our format and size
 * that fit in them is accepted as it is. */
static gboolean
gst_alloc_pw_pool_set_config (GstBufferPool * pool, GstStructure * config)
{
  GstAllocPwPool *self = GST_ALLOC_PW_POOL (pool);
  GstCaps *caps = NULL;
  GstVideoInfo info;
  guint size;

  if (!gst_buffer_pool_config_get_params (config, &caps, &size, NULL, NULL))
    return FALSE;
  if (self->caps && (!caps || !gst_video_info_from_caps (&info, caps)
          || GST_VIDEO_INFO_FORMAT (&info) !=
          GST_VIDEO_INFO_FORMAT (&self->info)
          || info.width != self->info.width || info.height != self->info.height
          || size > gst_buffer_get_size (self->slots[0].buffer))) {
    GST_WARNING_OBJECT (pool,
        "refusing config for %" GST_PTR_FORMAT " size %u: the buffers are %"
        GST_PTR_FORMAT, caps, size, self->caps);
    return FALSE;
  }
  return GST_BUFFER_POOL_CLASS (gst_alloc_pw_pool_parent_class)->set_config
      (pool, config);
}

/* Buffers live as long as the pool, not as long as an activation. */
static gboolean
gst_alloc_pw_pool_start (GstBufferPool * pool)
{
  return TRUE;
}

static gboolean
gst_alloc_pw_pool_stop (GstBufferPool * pool)
{
  return TRUE;
}

/* A slot can be handed out when it is in the pool and PipeWire is not using
 * its buffer: either there are no PipeWire buffers at all (nobody linked;
 * the frame will be dropped) or we dequeued its buffer. Of those, the one
 * back the longest: a consumer only marks a buffer busy when its process
 * runs, which can be after PipeWire gave the buffer back to us, so reusing
 * the newest would overwrite a frame a slow consumer is about to take. */
static GstAllocPwSlot *
find_available (GstAllocPwPool * self)
{
  GstAllocPwSlot *best = NULL;
  guint i;

  for (i = 0; i < self->n_slots; i++) {
    GstAllocPwSlot *slot = &self->slots[i];

    if (!slot->available || (self->n_attached > 0 && !(slot->pw
                && slot->pw_ours)))
      continue;
    if (!best || slot->freed_at < best->freed_at)
      best = slot;
  }
  return best;
}

static GstFlowReturn
gst_alloc_pw_pool_acquire_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  GstAllocPwPool *self = GST_ALLOC_PW_POOL (pool);
  GPtrArray *to_unref = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  GstFlowReturn ret = GST_FLOW_OK;
  GstAllocPwSlot *slot;

  g_mutex_lock (&self->lock);
  for (;;) {
    gst_alloc_pw_pool_reclaim_locked (self, to_unref);
    if (to_unref->len) {
      /* Released buffers come back through release_buffer (our lock). */
      g_mutex_unlock (&self->lock);
      g_ptr_array_set_size (to_unref, 0);
      g_mutex_lock (&self->lock);
      continue;
    }
    if (self->flushing || GST_BUFFER_POOL_IS_FLUSHING (pool)) {
      ret = GST_FLOW_FLUSHING;
      break;
    }
    if ((slot = find_available (self))) {
      slot->available = FALSE;
      *buffer = slot->buffer;
      break;
    }
    if (params && (params->flags & GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT)) {
      ret = GST_FLOW_EOS;
      break;
    }
    g_cond_wait_until (&self->cond, &self->lock,
        g_get_monotonic_time () + RECLAIM_POLL_US);
  }
  g_mutex_unlock (&self->lock);
  g_ptr_array_unref (to_unref);
  return ret;
}

static void
gst_alloc_pw_pool_release_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GstAllocPwPool *self = GST_ALLOC_PW_POOL (pool);
  GstAllocPwSlot *slot;

  g_mutex_lock (&self->lock);
  slot = gst_alloc_pw_pool_slot_of (self, buffer);
  if (slot) {
    slot->available = TRUE;
    slot->freed_at = ++self->clock;
    g_cond_broadcast (&self->cond);
  } else {
    GST_ERROR_OBJECT (pool, "buffer %p released to us is not one of ours",
        buffer);
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_alloc_pw_pool_flush_start (GstBufferPool * pool)
{
  GstAllocPwPool *self = GST_ALLOC_PW_POOL (pool);

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
gst_alloc_pw_pool_flush_stop (GstBufferPool * pool)
{
  GstAllocPwPool *self = GST_ALLOC_PW_POOL (pool);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
}

static void
gst_alloc_pw_pool_finalize (GObject * object)
{
  GstAllocPwPool *self = GST_ALLOC_PW_POOL (object);
  guint i;

  for (i = 0; i < self->n_slots; i++) {
    if (self->slots[i].held)
      gst_buffer_unref (self->slots[i].held);
    /* Held or not, the slot's own reference is the last one now. */
    if (self->slots[i].buffer)
      gst_buffer_unref (self->slots[i].buffer);
  }
  g_free (self->slots);
  gst_clear_caps (&self->caps);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_alloc_pw_pool_parent_class)->finalize (object);
}

static void
gst_alloc_pw_pool_class_init (GstAllocPwPoolClass * klass)
{
  GstBufferPoolClass *pool_class = GST_BUFFER_POOL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = gst_alloc_pw_pool_finalize;
  pool_class->get_options = gst_alloc_pw_pool_get_options;
  pool_class->set_config = gst_alloc_pw_pool_set_config;
  pool_class->start = gst_alloc_pw_pool_start;
  pool_class->stop = gst_alloc_pw_pool_stop;
  pool_class->acquire_buffer = gst_alloc_pw_pool_acquire_buffer;
  pool_class->release_buffer = gst_alloc_pw_pool_release_buffer;
  pool_class->flush_start = gst_alloc_pw_pool_flush_start;
  pool_class->flush_stop = gst_alloc_pw_pool_flush_stop;
}

static void
gst_alloc_pw_pool_init (GstAllocPwPool * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

guint
gst_alloc_pw_pool_get_n_buffers (GstAllocPwPool * pool)
{
  return pool->n_slots;
}

const GstVideoInfo *
gst_alloc_pw_pool_get_info (GstAllocPwPool * pool)
{
  return &pool->info;
}

const GstAllocPwBlocks *
gst_alloc_pw_pool_get_blocks (GstAllocPwPool * pool)
{
  return &pool->blocks;
}

GstAllocMemoryFlags
gst_alloc_pw_pool_get_memory_kind (GstAllocPwPool * pool)
{
  return pool->kind;
}

/* The first slot's buffer, for checking a consumer's needs against what
 * every buffer of the pool looks like. Not a reference: the pool keeps it. */
GstBuffer *
gst_alloc_pw_pool_peek_buffer (GstAllocPwPool * pool)
{
  return pool->slots[0].buffer;
}

/* "inode 123,inode 124,...": the identity of every slot's first memory,
 * the same numbers a consumer in another process sees with fstat(). */
gchar *
gst_alloc_pw_pool_get_memory_ids (GstAllocPwPool * pool)
{
  GString *s = g_string_new (NULL);
  struct stat st;
  guint i;

  for (i = 0; i < pool->n_slots; i++) {
    gint fd = gst_fd_memory_get_fd (pool->slots[i].memory[0]);

    if (fstat (fd, &st) == 0)
      g_string_append_printf (s, "%sinode %" G_GUINT64_FORMAT,
          s->len ? "," : "", (guint64) st.st_ino);
  }
  return g_string_free (s, FALSE);
}

guint
gst_alloc_pw_pool_get_align (GstAllocPwPool * pool)
{
  return pool->align;
}
