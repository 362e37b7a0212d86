/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A consumer's pw_buffers as GstBuffers, without copying. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwframes.h"

#include <gst/allocators/allocators.h>
#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>

#include <fcntl.h>
#include <unistd.h>

#define MAX_BLOCKS 8

struct _GstAllocPwFrames
{
  gint refcount;
  GMutex lock;
  struct pw_stream *stream;     /* under @lock */
  GstAllocator *fd_allocator;
  GstAllocator *dmabuf_allocator;
};

/* One pw_buffer, wrapped. Referenced by the pw_buffer (until removed) and
 * by each GstBuffer made from it; @pw is NULL once PipeWire removed it. */
typedef struct
{
  gint refcount;
  GstAllocPwFrames *frames;
  struct pw_buffer *pw;
  GstMemory *memory[MAX_BLOCKS];
  gsize base[MAX_BLOCKS];       /* where offsets of the block count from */
  guint n_blocks;
} Wrapped;

static GQuark frame_quark;

static GstAllocPwFrames *
frames_ref (GstAllocPwFrames * f)
{
  g_atomic_int_inc (&f->refcount);
  return f;
}

static void
frames_unref (GstAllocPwFrames * f)
{
  if (!g_atomic_int_dec_and_test (&f->refcount))
    return;
  gst_object_unref (f->fd_allocator);
  gst_object_unref (f->dmabuf_allocator);
  g_mutex_clear (&f->lock);
  g_free (f);
}

GstAllocPwFrames *
gst_alloc_pw_frames_new (void)
{
  GstAllocPwFrames *f = g_new0 (GstAllocPwFrames, 1);

  frame_quark = g_quark_from_static_string ("gst-alloc-pw-frame");
  f->refcount = 1;
  g_mutex_init (&f->lock);
  f->fd_allocator = gst_fd_allocator_new ();
  f->dmabuf_allocator = gst_dmabuf_allocator_new ();
  return f;
}

/* Frames still downstream keep what they need; the stream is forgotten. */
void
gst_alloc_pw_frames_free (GstAllocPwFrames * f)
{
  gst_alloc_pw_frames_set_stream (f, NULL);
  frames_unref (f);
}

void
gst_alloc_pw_frames_set_stream (GstAllocPwFrames * f, struct pw_stream *stream)
{
  g_mutex_lock (&f->lock);
  f->stream = stream;
  g_mutex_unlock (&f->lock);
}

static void
wrapped_unref (Wrapped * w)
{
  guint i;

  if (!g_atomic_int_dec_and_test (&w->refcount))
    return;
  for (i = 0; i < w->n_blocks; i++)
    gst_memory_unref (w->memory[i]);
  frames_unref (w->frames);
  g_free (w);
}

/* The memory of one block: blocks on the same fd share one GstMemory, so a
 * frame whose planes are one dma-buf stays one memory downstream. */
static GstMemory *
wrap_block (GstAllocPwFrames * f, Wrapped * w, guint i, struct spa_data *d)
{
  gsize size = d->mapoffset + d->maxsize;
  guint j;
  gint fd;

  w->base[i] = d->type == SPA_DATA_MemPtr ? 0 : d->mapoffset;
  if (d->type == SPA_DATA_MemPtr || d->fd < 0)
    return d->data ? gst_memory_new_wrapped (GST_MEMORY_FLAG_READONLY, d->data,
        d->maxsize, 0, d->maxsize, NULL, NULL) : NULL;
  for (j = 0; j < i; j++) {
    if (w->pw->buffer->datas[j].fd == d->fd && w->memory[j])
      return gst_memory_ref (w->memory[j]);
  }
  /* Our own descriptor: the memory outlives the pw_buffer if need be. */
  if ((fd = fcntl ((gint) d->fd, F_DUPFD_CLOEXEC, 3)) < 0)
    return NULL;
  if (d->type == SPA_DATA_DmaBuf)
    return gst_dmabuf_allocator_alloc (f->dmabuf_allocator, fd, size);
  return gst_fd_allocator_alloc (f->fd_allocator, fd, size,
      GST_FD_MEMORY_FLAG_KEEP_MAPPED);
}

void
gst_alloc_pw_frames_add (GstAllocPwFrames * f, struct pw_buffer *buffer)
{
  Wrapped *w = g_new0 (Wrapped, 1);
  guint i;

  w->refcount = 1;
  w->frames = frames_ref (f);
  w->pw = buffer;
  w->n_blocks = MIN (buffer->buffer->n_datas, MAX_BLOCKS);
  for (i = 0; i < w->n_blocks; i++)
    w->memory[i] = wrap_block (f, w, i, &buffer->buffer->datas[i]);
  for (i = 0; i < w->n_blocks; i++) {
    if (!w->memory[i]) {
      /* Unusable: every block past it is dropped, the frame is refused. */
      w->n_blocks = i;
      break;
    }
  }
  buffer->user_data = w;
}

void
gst_alloc_pw_frames_remove (GstAllocPwFrames * f, struct pw_buffer *buffer)
{
  Wrapped *w = buffer->user_data;

  if (!w)
    return;
  g_mutex_lock (&f->lock);
  w->pw = NULL;
  buffer->user_data = NULL;
  g_mutex_unlock (&f->lock);
  wrapped_unref (w);
}

/* The GstBuffer of a frame is gone: its pw_buffer goes back to PipeWire,
 * unless PipeWire removed it meanwhile. */
static void
release_frame (gpointer data)
{
  Wrapped *w = data;
  GstAllocPwFrames *f = w->frames;

  g_mutex_lock (&f->lock);
  if (w->pw && f->stream)
    pw_stream_queue_buffer (f->stream, w->pw);
  g_mutex_unlock (&f->lock);
  wrapped_unref (w);
}

typedef struct
{
  guint block;
  gsize offset;                 /* in the block's memory */
  gint stride;
  gsize end;
} Plane;

/* Where each plane is: its own block when there is one per plane, else
 * after the previous plane at the offset the stride implies (what every
 * raw-video consumer of one block assumes). A stride of 0 (pipewiresink
 * before 0.3.72 leaves it so) means GStreamer's default. */
static gboolean
locate_planes (Wrapped * w, const GstVideoInfo * info, Plane * planes,
    GError ** error)
{
  struct spa_buffer *b = w->pw->buffer;
  guint n = GST_VIDEO_INFO_N_PLANES (info), p, rows;
  gboolean own_blocks = w->n_blocks >= n;

  for (p = 0; p < n; p++) {
    struct spa_chunk *chunk = b->datas[own_blocks ? p : 0].chunk;
    Plane *pl = &planes[p];

    pl->block = own_blocks ? p : 0;
    if (own_blocks || p == 0) {
      pl->offset = w->base[pl->block] + chunk->offset;
      pl->stride = chunk->stride > 0 ? chunk->stride :
          GST_VIDEO_INFO_PLANE_STRIDE (info, p);
    } else {
      rows = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info->finfo, p - 1,
          GST_VIDEO_INFO_HEIGHT (info));
      pl->offset = planes[p - 1].offset + (gsize) planes[p - 1].stride * rows;
      pl->stride = (gint) ((gint64) planes[0].stride *
          GST_VIDEO_INFO_PLANE_STRIDE (info, p) /
          GST_VIDEO_INFO_PLANE_STRIDE (info, 0));
    }
    rows = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info->finfo, p,
        GST_VIDEO_INFO_HEIGHT (info));
    pl->end = pl->offset + (gsize) pl->stride * rows;
    if (pl->stride <= 0 || pl->end > w->memory[pl->block]->size) {
      g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE,
          "plane %u of a %s %dx%d frame would end at byte %" G_GSIZE_FORMAT
          " of a %" G_GSIZE_FORMAT "-byte block (stride %d)", p,
          gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (info)),
          GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info), pl->end,
          w->memory[pl->block]->size, pl->stride);
      return FALSE;
    }
  }
  return TRUE;
}

/* The block memories themselves, each once, whole: the same GstMemory for
 * every frame of this PipeWire buffer, so what downstream keeps per memory
 * (a GEM handle, a mapping) is kept across frames; the meta's offsets count
 * from the start of the buffer's data. */
static GstBuffer *
assemble (Wrapped * w, const GstVideoInfo * info, const Plane * planes)
{
  GstBuffer *buf = gst_buffer_new ();
  gsize offset[GST_VIDEO_MAX_PLANES], skip = 0;
  gint stride[GST_VIDEO_MAX_PLANES];
  guint n = GST_VIDEO_INFO_N_PLANES (info), p, q;
  gboolean placed[GST_VIDEO_MAX_PLANES] = { FALSE, };

  for (p = 0; p < n; p++) {
    GstMemory *mem = w->memory[planes[p].block];

    if (placed[p])
      continue;
    for (q = p; q < n; q++) {
      if (w->memory[planes[q].block] == mem) {
        offset[q] = skip + planes[q].offset;
        stride[q] = planes[q].stride;
        placed[q] = TRUE;
      }
    }
    gst_buffer_append_memory (buf, gst_memory_ref (mem));
    skip += mem->size;
  }
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), n, offset, stride);
  return buf;
}

GstBuffer *
gst_alloc_pw_frames_wrap (GstAllocPwFrames * f, struct pw_buffer *buffer,
    const GstVideoInfo * info, GError ** error)
{
  Wrapped *w = buffer->user_data;
  Plane planes[GST_VIDEO_MAX_PLANES];
  struct spa_meta_header *h;
  GstBuffer *buf;

  if (!w || w->n_blocks < buffer->buffer->n_datas || w->n_blocks == 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
        "PipeWire gave us buffers without memory (data type %u, fd %"
        G_GINT64_FORMAT ")", buffer->buffer->n_datas ?
        buffer->buffer->datas[0].type : 0, buffer->buffer->n_datas ?
        buffer->buffer->datas[0].fd : -1);
    error = NULL;
  }
  if (!w || w->n_blocks < buffer->buffer->n_datas || w->n_blocks == 0
      || !locate_planes (w, info, planes, error)) {
    g_mutex_lock (&f->lock);
    if (f->stream)
      pw_stream_queue_buffer (f->stream, buffer);
    g_mutex_unlock (&f->lock);
    return NULL;
  }
  buf = assemble (w, info, planes);
  if ((h = spa_buffer_find_meta_data (buffer->buffer, SPA_META_Header,
              sizeof (*h)))) {
    GST_BUFFER_OFFSET (buf) = h->seq;
    if (h->flags & SPA_META_HEADER_FLAG_CORRUPTED)
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_CORRUPTED);
  }
  g_atomic_int_inc (&w->refcount);
  gst_mini_object_set_qdata (GST_MINI_OBJECT (buf), frame_quark, w,
      release_frame);
  return buf;
}
