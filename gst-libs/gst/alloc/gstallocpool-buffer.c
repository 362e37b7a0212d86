/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How GstAllocPool makes a buffer: every memory of the layout from one
 * backend, the first of the solution's candidates that still allocates.
 * A backend that fails part-way through a buffer loses the whole buffer:
 * the memories it gave are freed and the buffer is made again on the next
 * backend, so that no buffer mixes memories of two backends (their kinds,
 * caching and contiguity differ, and so do the consumers they suit). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#define GST_CAT_DEFAULT gst_alloc_pool_debug

/* Which pool made a memory: a number, never a pointer, as memories live on
 * in views and shallow copies after their pool is gone. */
static GQuark
memory_pool_quark (void)
{
  static gsize quark = 0;

  if (g_once_init_enter (&quark))
    g_once_init_leave (&quark,
        g_quark_from_static_string ("GstAllocPoolMemory"));
  return (GQuark) quark;
}

guint
gst_alloc_pool_memory_id (GstMemory * mem)
{
  return GPOINTER_TO_UINT (gst_mini_object_get_qdata (GST_MINI_OBJECT (mem),
          memory_pool_quark ()));
}

/* What each memory of @l is allocated with: its size rounded to @granule. */
static gboolean
memory_sizes (const GstAllocLayout * l, gsize granule, gsize * sizes,
    GError ** error)
{
  guint i;

  for (i = 0; i < l->n_memories; i++) {
    if (!gst_alloc_checked_round_up (l->alloc_size[i], granule, &sizes[i])) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
          "memory %u of %" G_GSIZE_FORMAT " bytes overflows when rounded",
          i, l->alloc_size[i]);
      return FALSE;
    }
  }
  return TRUE;
}

/* Every memory of a buffer from @backend; NULL with @error when one fails,
 * the others freed with the buffer. */
static GstBuffer *
buffer_from_backend (GstAllocPool * self, GstAllocBackend * backend,
    const GstAllocLayout * l, const gsize * sizes, GError ** error)
{
  GstBuffer *buf = gst_buffer_new ();
  GstMemory *mem;
  guint i;

  for (i = 0; i < l->n_memories; i++) {
    mem = gst_alloc_backend_alloc (backend, sizes[i], GST_OBJECT_NAME (self),
        error);
    if (!mem) {
      gst_buffer_unref (buf);
      return NULL;
    }
    gst_memory_resize (mem, l->memory_offset[i], l->memory_size[i]);
    gst_mini_object_set_qdata (GST_MINI_OBJECT (mem), memory_pool_quark (),
        GUINT_TO_POINTER (self->id), NULL);
    gst_buffer_append_memory (buf, mem);
  }
  return buf;
}

/* The candidate before @next could not make a buffer: this and every later
 * buffer comes from @next. Said once, by the thread that moves the pool on;
 * others that failed on the same backend meanwhile only log it. */
static void
fall_back (GstAllocPool * self, GPtrArray * candidates, guint next,
    const GError * err)
{
  GstObject *failed = g_ptr_array_index (candidates, next - 1);
  GstObject *to = g_ptr_array_index (candidates, next);
  gboolean moved;

  GST_OBJECT_LOCK (self);
  /* Unless a new config replaced the candidates meanwhile. */
  moved = self->solution && self->solution->candidates == candidates
      && next > self->backend_index;
  if (moved) {
    self->backend_index = next;
    g_string_append_printf (self->fallbacks, "%s%s failed: %s",
        self->fallbacks->len ? "; " : "", GST_OBJECT_NAME (failed),
        err->message);
  }
  GST_OBJECT_UNLOCK (self);
  if (moved)
    GST_WARNING_OBJECT (self, "%s could not allocate a buffer (%s): falling "
        "back to %s for this and every later buffer", GST_OBJECT_NAME (failed),
        err->message, GST_OBJECT_NAME (to));
  else
    GST_DEBUG_OBJECT (self, "%s failed too: %s", GST_OBJECT_NAME (failed),
        err->message);
}

static void
add_video_meta (GstBuffer * buf, const GstAllocLayout * l)
{
  GstVideoMeta *meta;

  meta = gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (&l->info), GST_VIDEO_INFO_WIDTH (&l->info),
      GST_VIDEO_INFO_HEIGHT (&l->info), GST_VIDEO_INFO_N_PLANES (&l->info),
      (gsize *) l->offset, (gint *) l->stride);
  gst_video_meta_set_alignment (meta, l->alignment);
}

GstBuffer *
gst_alloc_pool_new_buffer (GstAllocPool * self, const GstAllocLayout * l,
    GPtrArray * candidates, gsize granule, GError ** error)
{
  gsize sizes[GST_VIDEO_MAX_PLANES];
  GstBuffer *buf = NULL;
  GError *err = NULL;
  guint index;

  if (!memory_sizes (l, granule, sizes, error))
    return NULL;
  GST_OBJECT_LOCK (self);
  index = self->backend_index;
  GST_OBJECT_UNLOCK (self);
  for (; !buf && index < candidates->len; index++) {
    g_clear_error (&err);
    buf = buffer_from_backend (self, g_ptr_array_index (candidates, index), l,
        sizes, &err);
    if (!buf && index + 1 < candidates->len)
      fall_back (self, candidates, index + 1, err);
  }
  if (!buf) {
    if (err)
      g_propagate_prefixed_error (error, err, "no backend could allocate: ");
    else
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
          "no backend to allocate from");
    return NULL;
  }
  g_clear_error (&err);
  GST_OBJECT_LOCK (self);
  for (index = 0; index < gst_buffer_n_memory (buf); index++)
    self->bytes_allocated += gst_buffer_peek_memory (buf, index)->maxsize;
  self->buffers_allocated++;
  GST_OBJECT_UNLOCK (self);
  add_video_meta (buf, l);
  return buf;
}
