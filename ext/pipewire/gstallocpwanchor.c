/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The consumer that holds a published node's buffers (gstallocpwanchor.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwanchor.h"
#include "gstallocpwformat.h"
#include "gstallocpwneeds.h"

#include <spa/buffer/meta.h>
#include <spa/param/param.h>
#include <spa/utils/result.h>

#include <errno.h>

struct _GstAllocPwAnchor
{
  GstAllocPwCore *core;
  struct pw_stream *stream;
  struct spa_hook listener;
};

/* Every buffer goes straight back: the anchor marks none busy for long.
 * Called on the data thread (PW_STREAM_FLAG_RT_PROCESS): nothing here
 * blocks, and no frame costs a wake-up of the main loop. */
static void
on_process (void *data)
{
  GstAllocPwAnchor *self = data;
  struct pw_buffer *b;

  while ((b = pw_stream_dequeue_buffer (self->stream)))
    pw_stream_queue_buffer (self->stream, b);
}

/* The buffers are made for the anchor's link, with the metas both sides
 * ask for: it asks for the header (sequence number, timestamp) that every
 * consumer after it reads. */
static void
on_param_changed (void *data, uint32_t id, const struct spa_pod *param)
{
  GstAllocPwAnchor *self = data;
  guint8 storage[256];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *meta;

  if (id != SPA_PARAM_Format || !param)
    return;
  meta = spa_pod_builder_add_object (&b,
      SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
      SPA_PARAM_META_type, SPA_POD_Id (SPA_META_Header),
      SPA_PARAM_META_size, SPA_POD_Int (sizeof (struct spa_meta_header)));
  pw_stream_update_params (self->stream, &meta, 1);
}

static const struct pw_stream_events anchor_events = {
  PW_VERSION_STREAM_EVENTS,
  .param_changed = on_param_changed,
  .process = on_process,
};

GstAllocPwAnchor *
gst_alloc_pw_anchor_new (GstAllocPwCore * core, const gchar * node_name,
    const GstVideoInfo * info, GError ** error)
{
  GstAllocPwAnchor *self = g_new0 (GstAllocPwAnchor, 1);
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *format;
  gchar *name = g_strdup_printf ("%s.anchor", node_name);
  gint res = -ENOMEM;

  self->core = core;
  format = gst_alloc_pw_format_build (&b, SPA_PARAM_EnumFormat, info);
  gst_alloc_pw_core_lock (core);
  self->stream = pw_stream_new (gst_alloc_pw_core_get_core (core), name,
      pw_properties_new (PW_KEY_MEDIA_TYPE, "Video",
          PW_KEY_MEDIA_CATEGORY, "Capture", PW_KEY_NODE_NAME, name,
          PW_KEY_NODE_DESCRIPTION, "holds the buffers of a gst-alloc node",
          PW_KEY_TARGET_OBJECT, node_name, GST_ALLOC_PW_KEY_ANCHOR, "true",
          NULL));
  if (self->stream)
    pw_stream_add_listener (self->stream, &self->listener, &anchor_events,
        self);
  if (self->stream && format)
    res = pw_stream_connect (self->stream, PW_DIRECTION_INPUT, PW_ID_ANY,
        PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_RT_PROCESS, &format, 1);
  gst_alloc_pw_core_unlock (core);
  g_free (name);
  if (res < 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ,
        "Could not link the anchor of %s: %s", node_name, spa_strerror (res));
    gst_alloc_pw_anchor_free (self);
    return NULL;
  }
  return self;
}

void
gst_alloc_pw_anchor_free (GstAllocPwAnchor * self)
{
  if (!self)
    return;
  if (self->stream) {
    gst_alloc_pw_core_lock (self->core);
    spa_hook_remove (&self->listener);
    pw_stream_destroy (self->stream);
    gst_alloc_pw_core_unlock (self->core);
  }
  g_free (self);
}
