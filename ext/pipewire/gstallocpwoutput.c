/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A Video/Source node whose buffers are a GstAllocPwPool's. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwoutput.h"
#include "gstallocpwanchor.h"
#include "gstallocpwformat.h"

#include <spa/param/buffers.h>
#include <spa/buffer/meta.h>
#include <spa/utils/result.h>

#include <errno.h>

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_pw_pool_debug);
#define GST_CAT_DEFAULT gst_alloc_pw_pool_debug

struct _GstAllocPwOutput
{
  GstAllocPwCore *core;
  GstAllocPwPool *pool;
  gchar *name;
  struct pw_stream *stream;
  struct spa_hook listener;
  GstAllocPwAnchor *anchor;
  GstAllocPwOutputNotify notify;
  gpointer user_data;
  /* Written on the loop thread, read anywhere. */
  volatile guint32 node_id;
};

/* What every buffer of the pool is: the only Buffers param we can honour,
 * since the memory exists already. The alignment is a range up to what we
 * guarantee, so a consumer asking for less links, one asking for more
 * does not. */
static const struct spa_pod *
build_buffers_param (GstAllocPwOutput * self, struct spa_pod_builder *b)
{
  const GstAllocPwBlocks *blocks = gst_alloc_pw_pool_get_blocks (self->pool);
  guint32 types = 1 << SPA_DATA_MemFd;
  gint32 size = 0, align = gst_alloc_pw_pool_get_align (self->pool);
  guint i;

  if (gst_alloc_pw_pool_get_memory_kind (self->pool) == GST_ALLOC_MEMORY_DMABUF)
    types |= 1 << SPA_DATA_DmaBuf;
  for (i = 0; i < blocks->n_blocks; i++)
    size = MAX (size, (gint32) blocks->block[i].size);
  return spa_pod_builder_add_object (b,
      SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
      SPA_PARAM_BUFFERS_buffers,
      SPA_POD_Int ((gint32) gst_alloc_pw_pool_get_n_buffers (self->pool)),
      SPA_PARAM_BUFFERS_blocks, SPA_POD_Int ((gint32) blocks->n_blocks),
      SPA_PARAM_BUFFERS_size, SPA_POD_Int (size),
      SPA_PARAM_BUFFERS_stride, SPA_POD_Int (blocks->block[0].stride),
      SPA_PARAM_BUFFERS_align, SPA_POD_CHOICE_RANGE_Int (align, 1, align),
      SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int ((gint32) types));
}

static void
on_param_changed (void *data, uint32_t id, const struct spa_pod *param)
{
  GstAllocPwOutput *self = data;
  const GstVideoInfo *want = gst_alloc_pw_pool_get_info (self->pool);
  guint8 storage[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *params[2];
  GError *err = NULL;
  GstVideoInfo info;

  if (id != SPA_PARAM_Format || !param)
    return;
  /* We offered exactly one format; anything else is PipeWire's mistake. */
  if (!gst_alloc_pw_format_parse (param, &info, &err)
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_INFO_FORMAT (want)
      || info.width != want->width || info.height != want->height) {
    GST_ERROR ("%s: negotiated a format we did not offer: %s", self->name,
        err ? err->message : "other format or size");
    pw_stream_set_error (self->stream, -EINVAL, "format not offered");
    g_clear_error (&err);
    return;
  }
  params[0] = build_buffers_param (self, &b);
  params[1] = spa_pod_builder_add_object (&b,
      SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
      SPA_PARAM_META_type, SPA_POD_Id (SPA_META_Header),
      SPA_PARAM_META_size, SPA_POD_Int (sizeof (struct spa_meta_header)));
  pw_stream_update_params (self->stream, params, 2);
}

static void
on_add_buffer (void *data, struct pw_buffer *buffer)
{
  GstAllocPwOutput *self = data;
  GError *err = NULL;

  if (!gst_alloc_pw_pool_attach (self->pool, buffer, &err)) {
    GST_ERROR ("%s: %s", self->name, err->message);
    pw_stream_set_error (self->stream, -EINVAL, "%s", err->message);
    g_clear_error (&err);
  }
}

static void
on_remove_buffer (void *data, struct pw_buffer *buffer)
{
  GstAllocPwOutput *self = data;

  gst_alloc_pw_pool_detach (self->pool, buffer);
}

static void
on_state_changed (void *data, enum pw_stream_state old,
    enum pw_stream_state state, const char *error)
{
  GstAllocPwOutput *self = data;
  guint32 id = pw_stream_get_node_id (self->stream);

  GST_DEBUG ("%s: %s -> %s%s%s", self->name, pw_stream_state_as_string (old),
      pw_stream_state_as_string (state), error ? ": " : "", error ? error : "");
  if (state == PW_STREAM_STATE_ERROR) {
    if (self->notify)
      self->notify (self->user_data, self, self->node_id, error ? error :
          "unknown stream error");
    return;
  }
  if (id != SPA_ID_INVALID && id != self->node_id) {
    self->node_id = id;
    if (self->notify)
      self->notify (self->user_data, self, id, NULL);
  }
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .add_buffer = on_add_buffer,
  .remove_buffer = on_remove_buffer,
};

/* RT_PROCESS: there is no process callback, and without the flag every
 * cycle of a follower would wake the main loop to call none. From PipeWire
 * 1.2, RT_TRIGGER_DONE: likewise for trigger_done, which a driver's every
 * cycle would otherwise send to the main loop, for no listener. */
#if PW_CHECK_VERSION(1, 1, 81)
#define OUTPUT_RT_FLAGS (PW_STREAM_FLAG_RT_PROCESS | \
    PW_STREAM_FLAG_RT_TRIGGER_DONE)
#else
#define OUTPUT_RT_FLAGS PW_STREAM_FLAG_RT_PROCESS
#endif

static struct pw_properties *
node_properties (const gchar * node_name, const gchar * description,
    const gchar * group)
{
  return pw_properties_new (PW_KEY_MEDIA_TYPE, "Video",
      PW_KEY_MEDIA_CATEGORY, "Capture",
      PW_KEY_MEDIA_ROLE, "Camera",
      PW_KEY_MEDIA_CLASS, "Video/Source",
      PW_KEY_NODE_NAME, node_name,
      PW_KEY_NODE_DESCRIPTION, description ? description : node_name,
      PW_KEY_NODE_GROUP, group, NULL);
}

GstAllocPwOutput *
gst_alloc_pw_output_new (GstAllocPwCore * core, GstAllocPwPool * pool,
    const gchar * node_name, const gchar * description, const gchar * group,
    gboolean driver, GstAllocPwOutputNotify notify, gpointer user_data,
    GError ** error)
{
  GstAllocPwOutput *self = g_new0 (GstAllocPwOutput, 1);
  guint8 storage[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *format;
  gint res;

  self->core = core;
  self->pool = gst_object_ref (pool);
  self->name = g_strdup (node_name);
  self->notify = notify;
  self->user_data = user_data;
  self->node_id = SPA_ID_INVALID;
  format = gst_alloc_pw_format_build (&b, SPA_PARAM_EnumFormat,
      gst_alloc_pw_pool_get_info (pool));
  if (!format) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "PipeWire has no video format for %s", gst_video_format_to_string
        (GST_VIDEO_INFO_FORMAT (gst_alloc_pw_pool_get_info (pool))));
    gst_alloc_pw_output_free (self);
    return NULL;
  }
  gst_alloc_pw_core_lock (core);
  self->stream = pw_stream_new (gst_alloc_pw_core_get_core (core), node_name,
      node_properties (node_name, description, group));
  if (self->stream) {
    pw_stream_add_listener (self->stream, &self->listener, &stream_events,
        self);
    gst_alloc_pw_pool_set_stream (pool, self->stream);
    /* A source waits for consumers (no AUTOCONNECT); the main node drives
     * its group: one cycle per frame, when the frame is there. */
    res = pw_stream_connect (self->stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
        (driver ? PW_STREAM_FLAG_DRIVER : 0) | PW_STREAM_FLAG_ALLOC_BUFFERS |
        OUTPUT_RT_FLAGS, &format, 1);
  } else {
    res = -errno;
  }
  gst_alloc_pw_core_unlock (core);
  if (res < 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
        "Could not publish the PipeWire node %s: %s", node_name,
        spa_strerror (res));
    gst_alloc_pw_output_free (self);
    return NULL;
  }
  self->anchor = gst_alloc_pw_anchor_new (core, node_name,
      gst_alloc_pw_pool_get_info (pool), error);
  if (!self->anchor) {
    gst_alloc_pw_output_free (self);
    return NULL;
  }
  return self;
}

void
gst_alloc_pw_output_free (GstAllocPwOutput * self)
{
  if (!self)
    return;
  g_clear_pointer (&self->anchor, gst_alloc_pw_anchor_free);
  if (self->stream) {
    gst_alloc_pw_core_lock (self->core);
    /* Disconnecting removes every buffer (remove_buffer), which returns the
     * frames PipeWire held to the pool. */
    pw_stream_disconnect (self->stream);
    spa_hook_remove (&self->listener);
    pw_stream_destroy (self->stream);
    gst_alloc_pw_pool_set_stream (self->pool, NULL);
    gst_alloc_pw_core_unlock (self->core);
  }
  gst_object_unref (self->pool);
  g_free (self->name);
  g_free (self);
}

guint32
gst_alloc_pw_output_get_node_id (GstAllocPwOutput * output)
{
  return output->node_id;
}

const gchar *
gst_alloc_pw_output_get_name (GstAllocPwOutput * output)
{
  return output->name;
}

GstAllocPwPool *
gst_alloc_pw_output_get_pool (GstAllocPwOutput * output)
{
  return output->pool;
}

GstAllocPwPush
gst_alloc_pw_output_push (GstAllocPwOutput * output, GstBuffer * buffer,
    const GstVideoInfo * info, guint64 seq, GError ** error)
{
  return gst_alloc_pw_pool_push (output->pool, buffer, info, seq, error);
}
