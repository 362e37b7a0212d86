/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GstAllocPwPool and its pw_stream: the pool's fds given to PipeWire once
 * per buffer (attach, from add_buffer), frames queued by buffer, buffers
 * dequeued back when every consumer let go of them (reclaim). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwpool-private.h"

#include <gst/allocators/allocators.h>
#include <spa/buffer/meta.h>

#define GST_CAT_DEFAULT gst_alloc_pw_pool_debug

/* The stride-implied layout: plane p follows plane p-1 at
 * offset[p-1] + stride[p-1] * (visible rows of p-1), in one memory. */
static gboolean
planes_follow_strides (GstBuffer * buffer, const GstVideoInfo * info,
    const GstVideoMeta * meta)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint p, rows;

  if (gst_buffer_n_memory (buffer) != 1)
    return FALSE;
  for (p = 1; p < meta->n_planes; p++) {
    rows = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, p - 1,
        GST_VIDEO_INFO_HEIGHT (info));
    if (meta->offset[p] != meta->offset[p - 1] + (gsize) meta->stride[p - 1]
        * rows)
      return FALSE;
  }
  return TRUE;
}

gboolean
gst_alloc_pw_pool_compute_blocks (GstBuffer * buffer, const GstVideoInfo * info,
    GstAllocPwBlocks * blocks, GError ** error)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  gsize plane_size[GST_VIDEO_MAX_PLANES] = { 0, };
  gsize skip;
  guint p, idx, len, n;

  if (!meta || !gst_video_meta_get_plane_size (meta, plane_size)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "the pool's buffers carry no usable GstVideoMeta");
    return FALSE;
  }
  memset (blocks, 0, sizeof (*blocks));
  n = planes_follow_strides (buffer, info, meta) ? 1 : meta->n_planes;
  for (p = 0; p < n; p++) {
    if (!gst_buffer_find_memory (buffer, meta->offset[p], 1, &idx, &len, &skip)) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "plane %u of the pool's buffers lies outside its memory", p);
      return FALSE;
    }
    blocks->block[p].memory = idx;
    blocks->block[p].offset = gst_buffer_peek_memory (buffer, idx)->offset
        + skip;
    blocks->block[p].stride = meta->stride[p];
    blocks->block[p].size = n == 1 ? gst_buffer_get_size (buffer)
        - meta->offset[0] : plane_size[p];
  }
  blocks->n_blocks = n;
  return TRUE;
}

void
gst_alloc_pw_pool_set_stream (GstAllocPwPool * pool, struct pw_stream *stream)
{
  g_mutex_lock (&pool->lock);
  pool->stream = stream;
  g_mutex_unlock (&pool->lock);
}

/* Dma-bufs go out as DmaBuf when the link allows it, otherwise under the
 * MemFd label: a CPU consumer mmaps a dma-buf fd like a memfd. */
static guint32
choose_data_type (GstAllocPwPool * self, guint32 allowed)
{
  if (self->kind == GST_ALLOC_MEMORY_DMABUF
      && (allowed & (1 << SPA_DATA_DmaBuf)))
    return SPA_DATA_DmaBuf;
  if (allowed & (1 << SPA_DATA_MemFd))
    return SPA_DATA_MemFd;
  return SPA_ID_INVALID;
}

static void
fill_datas (GstAllocPwPool * self, GstAllocPwSlot * slot,
    struct spa_buffer *buf, guint32 type)
{
  guint i;

  for (i = 0; i < buf->n_datas; i++) {
    struct spa_data *d = &buf->datas[i];
    GstMemory *mem = slot->memory[self->blocks.block[i].memory];

    d->type = type;
    d->flags = SPA_DATA_FLAG_READABLE;
#ifdef SPA_DATA_FLAG_MAPPABLE
    /* PipeWire 1.2+: without it a consumer may not mmap a DmaBuf, and ours
     * (DMA heap, udmabuf) are mappable. */
    d->flags |= SPA_DATA_FLAG_MAPPABLE;
#endif
    d->fd = gst_fd_memory_get_fd (mem);
    d->mapoffset = 0;
    d->maxsize = mem->maxsize;
    d->data = NULL;
  }
}

gboolean
gst_alloc_pw_pool_attach (GstAllocPwPool * pool, struct pw_buffer *buffer,
    GError ** error)
{
  struct spa_buffer *buf = buffer->buffer;
  GstAllocPwSlot *slot = NULL;
  guint32 type;
  guint i;

  g_mutex_lock (&pool->lock);
  for (i = 0; i < pool->n_slots && !slot; i++) {
    if (!pool->slots[i].pw)
      slot = &pool->slots[i];
  }
  type = buf->n_datas ? choose_data_type (pool, buf->datas[0].type) :
      SPA_ID_INVALID;
  if (!slot || buf->n_datas != pool->blocks.n_blocks || type == SPA_ID_INVALID) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "PipeWire asks for buffer %u with %u data blocks of types 0x%x; the "
        "pool has %u buffers of %u blocks of %s memory", pool->n_attached,
        buf->n_datas, buf->n_datas ? buf->datas[0].type : 0, pool->n_slots,
        pool->blocks.n_blocks,
        pool->kind == GST_ALLOC_MEMORY_DMABUF ? "dma-buf" : "memfd");
    g_mutex_unlock (&pool->lock);
    return FALSE;
  }
  fill_datas (pool, slot, buf, type);
  slot->pw = buffer;
  /* PipeWire puts every new buffer on its free queue: ours once dequeued. */
  slot->pw_ours = FALSE;
  buffer->user_data = slot;
  pool->n_attached++;
  pool->data_type = type;
  g_mutex_unlock (&pool->lock);
  return TRUE;
}

void
gst_alloc_pw_pool_detach (GstAllocPwPool * pool, struct pw_buffer *buffer)
{
  GstAllocPwSlot *slot = buffer->user_data;
  GstBuffer *held = NULL;

  if (!slot)
    return;
  g_mutex_lock (&pool->lock);
  held = g_steal_pointer (&slot->held);
  if (slot->internal) {
    slot->internal = FALSE;
    slot->available = TRUE;
  }
  slot->pw = NULL;
  slot->pw_ours = FALSE;
  slot->suspect_since = 0;
  buffer->user_data = NULL;
  pool->n_attached--;
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);
  /* Releasing it takes the lock. */
  if (held)
    gst_buffer_unref (held);
}

guint
gst_alloc_pw_pool_get_n_attached (GstAllocPwPool * pool)
{
  guint n;

  g_mutex_lock (&pool->lock);
  n = pool->n_attached;
  g_mutex_unlock (&pool->lock);
  return n;
}

guint32
gst_alloc_pw_pool_get_data_type (GstAllocPwPool * pool)
{
  guint32 type;

  g_mutex_lock (&pool->lock);
  type = pool->n_attached ? pool->data_type : SPA_ID_INVALID;
  g_mutex_unlock (&pool->lock);
  return type;
}

/* Dequeues every buffer PipeWire gives back. A buffer a consumer still
 * reads is busy: PipeWire puts it at the back of its queue, so each buffer
 * gets one try per call. References to drop go to @to_unref, because
 * dropping them re-enters release_buffer. */
void
gst_alloc_pw_pool_reclaim_locked (GstAllocPwPool * pool, GPtrArray * to_unref)
{
  struct pw_buffer *b;
  GstAllocPwSlot *slot;
  guint tries;

  gst_alloc_pw_pool_repair_busy_locked (pool);
  for (tries = 0; pool->stream && tries < pool->n_attached; tries++) {
    if (!(b = pw_stream_dequeue_buffer (pool->stream)))
      continue;
    slot = b->user_data;
    if (!slot)
      continue;
    slot->pw_ours = TRUE;
    slot->freed_at = ++pool->clock;
    slot->suspect_since = 0;
    if (slot->held)
      g_ptr_array_add (to_unref, g_steal_pointer (&slot->held));
    if (slot->internal) {
      slot->internal = FALSE;
      slot->available = TRUE;
      g_cond_broadcast (&pool->cond);
    }
  }
}

guint
gst_alloc_pw_pool_reclaim (GstAllocPwPool * pool)
{
  GPtrArray *to_unref = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  guint n;

  g_mutex_lock (&pool->lock);
  gst_alloc_pw_pool_reclaim_locked (pool, to_unref);
  g_mutex_unlock (&pool->lock);
  n = to_unref->len;
  g_ptr_array_unref (to_unref);
  return n;
}

/* Says where each block's frame data is, stamps the header and hands the
 * buffer to PipeWire. Called with the lock, for a slot whose PipeWire
 * buffer we hold. */
static void
queue_slot (GstAllocPwPool * pool, GstAllocPwSlot * slot, GstBuffer * frame,
    guint64 seq)
{
  struct spa_buffer *sb = slot->pw->buffer;
  struct spa_meta_header *h;
  guint i;

  for (i = 0; i < sb->n_datas; i++) {
    struct spa_chunk *chunk = sb->datas[i].chunk;

    chunk->offset = pool->blocks.block[i].offset;
    chunk->size = pool->blocks.block[i].size;
    chunk->stride = pool->blocks.block[i].stride;
    chunk->flags = SPA_CHUNK_FLAG_NONE;
  }
  if ((h = spa_buffer_find_meta_data (sb, SPA_META_Header, sizeof (*h)))) {
    h->flags = 0;
    h->pts = GST_BUFFER_PTS_IS_VALID (frame) ? (gint64) GST_BUFFER_PTS (frame)
        : -1;
    h->dts_offset = 0;
    h->seq = seq;
  }
  slot->pw_ours = FALSE;
  pw_stream_queue_buffer (pool->stream, slot->pw);
}

static GstAllocPwPush
push_own (GstAllocPwPool * pool, GstAllocPwSlot * slot, GstBuffer * buffer,
    guint64 seq)
{
  if (pool->n_attached == 0)
    return GST_ALLOC_PW_PUSH_NO_CONSUMER;
  /* Handed out while PipeWire had no buffers, or before they were
   * attached: this frame has no PipeWire buffer to travel in. */
  if (!slot->pw || !slot->pw_ours)
    return GST_ALLOC_PW_PUSH_NO_BUFFER;
  slot->held = gst_buffer_ref (buffer);
  queue_slot (pool, slot, buffer, seq);
  return GST_ALLOC_PW_PUSH_SHARED;
}

static gboolean
copy_frame (GstAllocPwPool * pool, GstBuffer * src, const GstVideoInfo * info,
    GstBuffer * dst, GError ** error)
{
  GstVideoFrame in, out;
  gboolean ok;

  if (!gst_video_frame_map (&in, info, src, GST_MAP_READ)) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
        "cannot map an incoming %s frame for reading",
        gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (info)));
    return FALSE;
  }
  if (!gst_video_frame_map (&out, &pool->info, dst, GST_MAP_WRITE)) {
    gst_video_frame_unmap (&in);
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
        "cannot map one of our buffers for writing");
    return FALSE;
  }
  ok = gst_video_frame_copy (&out, &in);
  gst_video_frame_unmap (&out);
  gst_video_frame_unmap (&in);
  if (!ok)
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "cannot copy a %dx%d frame into %dx%d buffers",
        GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info),
        GST_VIDEO_INFO_WIDTH (&pool->info),
        GST_VIDEO_INFO_HEIGHT (&pool->info));
  return ok;
}

/* A frame from elsewhere: copied into a slot PipeWire is not using. The
 * copy runs without the lock; the slot is out of everyone's reach meanwhile
 * (not available, not internal). */
static GstAllocPwPush
push_copy (GstAllocPwPool * pool, GstBuffer * buffer, const GstVideoInfo * info,
    guint64 seq, GError ** error)
{
  GstAllocPwSlot *slot = NULL;
  gboolean copied;
  guint i;

  if (pool->n_attached == 0)
    return GST_ALLOC_PW_PUSH_NO_CONSUMER;
  for (i = 0; i < pool->n_slots; i++) {
    GstAllocPwSlot *s = &pool->slots[i];

    if (s->available && s->pw && s->pw_ours && (!slot
            || s->freed_at < slot->freed_at))
      slot = s;
  }
  if (!slot)
    return GST_ALLOC_PW_PUSH_NO_BUFFER;
  slot->available = FALSE;
  g_mutex_unlock (&pool->lock);
  copied = copy_frame (pool, buffer, info, slot->buffer, error);
  g_mutex_lock (&pool->lock);
  if (copied && slot->pw && slot->pw_ours) {
    slot->internal = TRUE;
    queue_slot (pool, slot, buffer, seq);
    return GST_ALLOC_PW_PUSH_COPIED;
  }
  slot->available = TRUE;
  g_cond_broadcast (&pool->cond);
  return copied ? GST_ALLOC_PW_PUSH_NO_CONSUMER : GST_ALLOC_PW_PUSH_FAILED;
}

/**
 * gst_alloc_pw_pool_push:
 * @pool: the pool
 * @buffer: a frame: one of the pool's own buffers, or any buffer of @info
 * @info: the format of @buffer (for a copy)
 * @seq: the frame's sequence number, for the header
 * @error: (nullable): why a copy failed
 *
 * Queues a frame to PipeWire without copying when @buffer is ours,
 * otherwise copies it into a free buffer of ours first.
 */
GstAllocPwPush
gst_alloc_pw_pool_push (GstAllocPwPool * pool, GstBuffer * buffer,
    const GstVideoInfo * info, guint64 seq, GError ** error)
{
  GPtrArray *to_unref = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  struct pw_stream *stream;
  GstAllocPwSlot *slot;
  GstAllocPwPush res;

  g_mutex_lock (&pool->lock);
  gst_alloc_pw_pool_reclaim_locked (pool, to_unref);
  stream = pool->stream;
  if (!stream)
    res = GST_ALLOC_PW_PUSH_NO_CONSUMER;
  else if ((slot = gst_alloc_pw_pool_slot_of (pool, buffer)))
    res = push_own (pool, slot, buffer, seq);
  else
    res = push_copy (pool, buffer, info, seq, error);
  g_mutex_unlock (&pool->lock);
  g_ptr_array_unref (to_unref);
  if (res == GST_ALLOC_PW_PUSH_SHARED || res == GST_ALLOC_PW_PUSH_COPIED)
    pw_stream_trigger_process (stream);
  return res;
}
