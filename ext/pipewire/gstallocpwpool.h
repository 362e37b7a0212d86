/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc.h>
#include <pipewire/stream.h>

G_BEGIN_DECLS

/* Where one SPA data block of every buffer lies: which memory (fd), the
 * offset of its first byte within that memory's allocation, its size and
 * stride. With one memory and planes at the offsets their strides imply,
 * a buffer is one block (the layout every raw-video consumer expects);
 * otherwise one block per plane, all naming the same fd when the planes
 * share a memory. */
typedef struct
{
  guint n_blocks;
  struct
  {
    guint memory;
    gsize offset;
    gsize size;
    gint stride;
  } block[GST_VIDEO_MAX_PLANES];
} GstAllocPwBlocks;

#define GST_TYPE_ALLOC_PW_POOL (gst_alloc_pw_pool_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocPwPool, gst_alloc_pw_pool, GST, ALLOC_PW_POOL,
    GstBufferPool)

GstAllocPwPool *gst_alloc_pw_pool_new (GstBufferPool * allocator,
    const gchar * name, GError ** error);

guint gst_alloc_pw_pool_get_n_buffers (GstAllocPwPool * pool);
const GstVideoInfo *gst_alloc_pw_pool_get_info (GstAllocPwPool * pool);
const GstAllocPwBlocks *gst_alloc_pw_pool_get_blocks (GstAllocPwPool * pool);
GstAllocMemoryFlags gst_alloc_pw_pool_get_memory_kind (GstAllocPwPool * pool);
GstBuffer *gst_alloc_pw_pool_peek_buffer (GstAllocPwPool * pool);
gchar *gst_alloc_pw_pool_get_memory_ids (GstAllocPwPool * pool);
guint gst_alloc_pw_pool_get_align (GstAllocPwPool * pool);
guint32 gst_alloc_pw_pool_get_data_type (GstAllocPwPool * pool);

/* The PipeWire side, from the stream's add_buffer/remove_buffer events. */
void gst_alloc_pw_pool_set_stream (GstAllocPwPool * pool,
    struct pw_stream *stream);
gboolean gst_alloc_pw_pool_attach (GstAllocPwPool * pool,
    struct pw_buffer *buffer, GError ** error);
void gst_alloc_pw_pool_detach (GstAllocPwPool * pool, struct pw_buffer *buffer);
guint gst_alloc_pw_pool_get_n_attached (GstAllocPwPool * pool);

/* Streaming. */
typedef enum
{
  GST_ALLOC_PW_PUSH_SHARED,     /* our own buffer, queued as it is */
  GST_ALLOC_PW_PUSH_COPIED,     /* copied into one of ours, then queued */
  GST_ALLOC_PW_PUSH_NO_CONSUMER,        /* nobody linked: dropped */
  GST_ALLOC_PW_PUSH_NO_BUFFER,  /* every buffer is with a consumer: dropped */
  GST_ALLOC_PW_PUSH_FAILED,     /* the frame could not be read or copied */
} GstAllocPwPush;

GstAllocPwPush gst_alloc_pw_pool_push (GstAllocPwPool * pool,
    GstBuffer * buffer, const GstVideoInfo * info, guint64 seq,
    GError ** error);
guint gst_alloc_pw_pool_reclaim (GstAllocPwPool * pool);

/* A consumer of the node went away (it may have been killed): buffers it
 * held stay marked busy for ever. Busy buffers become suspects; one that
 * stays busy GST_ALLOC_PW_BUSY_REPAIR_US gets its count lowered by the
 * least it was seen at meanwhile, which is what the gone consumer held
 * unless a living one held it the whole time. */
#define GST_ALLOC_PW_BUSY_REPAIR_US (G_USEC_PER_SEC)
void gst_alloc_pw_pool_consumer_left (GstAllocPwPool * pool);
guint64 gst_alloc_pw_pool_get_repaired (GstAllocPwPool * pool);
/* Buffers a consumer marks busy now (ours not counted). */
guint gst_alloc_pw_pool_count_busy (GstAllocPwPool * pool);

G_END_DECLS
