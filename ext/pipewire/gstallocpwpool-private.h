/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocpwpool.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_pw_pool_debug);

/* One buffer of the pool and the PipeWire buffer that carries its fds.
 *
 * @buffer is the slot's GstBuffer for the pool's whole life. @available:
 * the slot holds it (not handed out). @pw: the pw_buffer attached to it,
 * NULL while PipeWire has none; @pw_ours: we dequeued it, so PipeWire does
 * not use it. @held: the reference we keep on a buffer upstream handed us
 * while PipeWire has it; @internal: the slot itself is in PipeWire (a
 * copy we made), so it becomes available again when PipeWire returns it.
 * @memory: the memories, to recognise a buffer whose memory was replaced.
 * @freed_at: when it last came back (a tick of the pool's clock): the slot
 * that came back first is handed out first.
 * @suspect_since: when a consumer left while this buffer was busy (µs,
 * monotonic; 0 when not suspect); @suspect_min: the lowest busy count seen
 * since. */
typedef struct
{
  GstBuffer *buffer;
  gboolean available;
  struct pw_buffer *pw;
  gboolean pw_ours;
  GstBuffer *held;
  gboolean internal;
  GstMemory *memory[GST_VIDEO_MAX_PLANES];
  guint n_memory;
  guint64 freed_at;
  gint64 suspect_since;
  guint32 suspect_min;
} GstAllocPwSlot;

struct _GstAllocPwPool
{
  GstBufferPool parent;

  /* Constant after creation. */
  GstAllocPwSlot *slots;
  guint n_slots;
  GstVideoInfo info;
  GstCaps *caps;
  GstAllocPwBlocks blocks;
  GstAllocMemoryFlags kind;
  guint align;

  /* Under @lock; @cond is signalled when a slot becomes available. */
  GMutex lock;
  GCond cond;
  struct pw_stream *stream;
  guint n_attached;
  guint32 data_type;
  gboolean flushing;
  guint64 clock;
  guint64 repaired;
};

GstAllocPwSlot *gst_alloc_pw_pool_slot_of (GstAllocPwPool * pool,
    GstBuffer * buffer);
void gst_alloc_pw_pool_reclaim_locked (GstAllocPwPool * pool,
    GPtrArray * to_unref);
void gst_alloc_pw_pool_repair_busy_locked (GstAllocPwPool * pool);
gboolean gst_alloc_pw_pool_compute_blocks (GstBuffer * buffer,
    const GstVideoInfo * info, GstAllocPwBlocks * blocks, GError ** error);

G_END_DECLS
