/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-allocpwsrc
 * @title: allocpwsrc
 *
 * Consumes a PipeWire video node and pushes its frames without copying:
 * dma-bufs as GstDmaBufMemory, memfds as GstFdMemory, each buffer with a
 * GstVideoMeta taken from the chunk's offsets and strides, on every PipeWire
 * version. What downstream needs (its ALLOCATION answer, merged with this
 * element's own constraints) is announced to the producer: as the port's
 * Buffers param (a fixed stride when downstream reads the default layout)
 * and in full as the node property gstalloc.constraints, which allocpwsink
 * reads. A frame downstream cannot take as it arrives is copied into
 * downstream's pool, and counted.
 *
 * |[
 * gst-launch-1.0 allocpwsrc target-object=camera ! videoconvert ! autovideosink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwsrc.h"
#include "gstallocpwformat.h"
#include "gstallocpwneeds.h"

#include <spa/buffer/meta.h>
#include <spa/param/buffers.h>
#include <spa/utils/result.h>

GST_DEBUG_CATEGORY_STATIC (gst_alloc_pw_src_debug);
#define GST_CAT_DEFAULT gst_alloc_pw_src_debug

#define MAX_FORMATS 8

enum
{
  PROP_0,
  PROP_TARGET_OBJECT,
  PROP_NODE_NAME,
  PROP_CONSTRAINTS,
  PROP_FRAMES,
  PROP_COPIES,
  PROP_BYTES_COPIED,
  PROP_LAST_COPY_REASON,
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw"));

G_DEFINE_TYPE (GstAllocPwSrc, gst_alloc_pw_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (allocpwsrc, "allocpwsrc",
    GST_RANK_NONE, GST_TYPE_ALLOC_PW_SRC, gst_alloc_elements_init ());

/* --- what we announce to the producer --- */

/* With the core lock (the loop thread, or a caller holding it). */
static void
announce_params (GstAllocPwSrc * self)
{
  guint8 storage[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *params[2];
  guint n = 0;

  g_mutex_lock (&self->lock);
  if (self->have_format)
    params[n++] = gst_alloc_pw_needs_build_buffers_param (&b,
        self->announced, &self->info);
  g_mutex_unlock (&self->lock);
  params[n++] = spa_pod_builder_add_object (&b,
      SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
      SPA_PARAM_META_type, SPA_POD_Id (SPA_META_Header),
      SPA_PARAM_META_size, SPA_POD_Int (sizeof (struct spa_meta_header)));
  pw_stream_update_params (self->stream, params, n);
}

/* Our own constraints merged with downstream's: in full as the node
 * property (gst-alloc producers read it), in PipeWire's words as the
 * Buffers param. A conflict between the two is announced as ours alone. */
static void
update_announcement (GstAllocPwSrc * self)
{
  GstAllocConstraints *c;
  struct spa_dict_item item;
  struct spa_dict dict;
  GError *err = NULL;
  gchar *str;

  GST_OBJECT_LOCK (self);
  c = self->constraints ? gst_alloc_constraints_copy (self->constraints) :
      gst_alloc_constraints_new ();
  GST_OBJECT_UNLOCK (self);
  if (self->downstream
      && !gst_alloc_constraints_merge_into (c, self->downstream, &err)) {
    GST_ELEMENT_WARNING (self, CORE, NEGOTIATION, ("Our constraints and "
            "downstream's cannot be met together: %s", err->message), (NULL));
    g_clear_error (&err);
  }
  str = gst_alloc_constraints_to_string (c);
  GST_INFO_OBJECT (self, "announcing %s", str);
  g_mutex_lock (&self->lock);
  gst_alloc_constraints_free (self->announced);
  self->announced = c;
  g_mutex_unlock (&self->lock);
  item = SPA_DICT_ITEM_INIT (GST_ALLOC_PW_KEY_CONSTRAINTS, str);
  dict = SPA_DICT_INIT (&item, 1);
  gst_alloc_pw_core_lock (self->core);
  if (self->stream) {
    pw_stream_update_properties (self->stream, &dict);
    announce_params (self);
  }
  gst_alloc_pw_core_unlock (self->core);
  g_free (str);
}

/* --- stream events (loop thread, core lock held) --- */

static void
on_param_changed (void *data, uint32_t id, const struct spa_pod *param)
{
  GstAllocPwSrc *self = data;
  GError *err = NULL;
  GstVideoInfo info;

  if (id != SPA_PARAM_Format || !param)
    return;
  if (!gst_alloc_pw_format_parse (param, &info, &err)) {
    pw_stream_set_error (self->stream, -EINVAL, "%s", err->message);
    g_mutex_lock (&self->lock);
    g_free (self->error);
    self->error = g_strdup (err->message);
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    g_clear_error (&err);
    return;
  }
  g_mutex_lock (&self->lock);
  self->info = info;
  self->have_format = TRUE;
  self->format_serial++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  /* Answered now: PipeWire reads the Buffers param as it allocates. */
  announce_params (self);
}

static void
on_add_buffer (void *data, struct pw_buffer *buffer)
{
  GstAllocPwSrc *self = data;

  gst_alloc_pw_frames_add (self->frames, buffer);
}

static void
on_remove_buffer (void *data, struct pw_buffer *buffer)
{
  GstAllocPwSrc *self = data;

  gst_alloc_pw_frames_remove (self->frames, buffer);
}

static void
on_process (void *data)
{
  GstAllocPwSrc *self = data;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
on_state_changed (void *data, enum pw_stream_state old,
    enum pw_stream_state state, const char *error)
{
  GstAllocPwSrc *self = data;

  GST_DEBUG_OBJECT (self, "stream %s -> %s%s%s",
      pw_stream_state_as_string (old), pw_stream_state_as_string (state),
      error ? ": " : "", error ? error : "");
  if (state != PW_STREAM_STATE_ERROR)
    return;
  g_mutex_lock (&self->lock);
  g_free (self->error);
  self->error = g_strdup (error ? error : "unknown stream error");
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static const struct pw_stream_events stream_events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .add_buffer = on_add_buffer,
  .remove_buffer = on_remove_buffer,
  .process = on_process,
};

/* --- the stream --- */

static struct pw_properties *
stream_properties (GstAllocPwSrc * self)
{
  struct pw_properties *props;
  gchar *own;

  GST_OBJECT_LOCK (self);
  own = self->constraints ? gst_alloc_constraints_to_string (self->constraints)
      : g_strdup ("");
  props = pw_properties_new (PW_KEY_MEDIA_TYPE, "Video",
      PW_KEY_MEDIA_CATEGORY, "Capture", PW_KEY_MEDIA_ROLE, "Camera",
      PW_KEY_NODE_NAME, self->node_name ? self->node_name :
      GST_OBJECT_NAME (self), GST_ALLOC_PW_KEY_CONSTRAINTS, own, NULL);
  if (self->target_object)
    pw_properties_set (props, PW_KEY_TARGET_OBJECT, self->target_object);
  GST_OBJECT_UNLOCK (self);
  g_free (own);
  return props;
}

static gboolean
connect_stream (GstAllocPwSrc * self, GstCaps * caps)
{
  guint8 storage[4096];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *params[MAX_FORMATS];
  guint n = gst_alloc_pw_formats_from_caps (&b, caps, params, MAX_FORMATS);
  gint res = -EINVAL;

  if (n == 0) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Downstream takes no raw "
            "video format PipeWire knows: %" GST_PTR_FORMAT, caps), (NULL));
    return FALSE;
  }
  /* Until downstream answers, our own needs are all we can say. */
  g_mutex_lock (&self->lock);
  gst_alloc_constraints_free (self->announced);
  GST_OBJECT_LOCK (self);
  self->announced = self->constraints ?
      gst_alloc_constraints_copy (self->constraints) :
      gst_alloc_constraints_new ();
  GST_OBJECT_UNLOCK (self);
  g_mutex_unlock (&self->lock);
  gst_alloc_pw_core_lock (self->core);
  self->stream = pw_stream_new (gst_alloc_pw_core_get_core (self->core),
      GST_OBJECT_NAME (self), stream_properties (self));
  if (self->stream) {
    pw_stream_add_listener (self->stream, &self->listener, &stream_events,
        self);
    gst_alloc_pw_frames_set_stream (self->frames, self->stream);
    /* MAP_BUFFERS: memory PipeWire allocated arrives as mapped pointers;
     * fds are wrapped as they are. */
    res = pw_stream_connect (self->stream, PW_DIRECTION_INPUT, PW_ID_ANY,
        PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS, params, n);
  }
  gst_alloc_pw_core_unlock (self->core);
  if (res < 0) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Could not connect to "
            "PipeWire: %s", spa_strerror (res)), (NULL));
    return FALSE;
  }
  return TRUE;
}

static void
disconnect_stream (GstAllocPwSrc * self)
{
  if (!self->stream)
    return;
  gst_alloc_pw_core_lock (self->core);
  pw_stream_disconnect (self->stream);
  spa_hook_remove (&self->listener);
  pw_stream_destroy (self->stream);
  self->stream = NULL;
  gst_alloc_pw_frames_set_stream (self->frames, NULL);
  gst_alloc_pw_core_unlock (self->core);
}

/* Waits for the format PipeWire negotiated, an error or unlock(). */
static gboolean
wait_format (GstAllocPwSrc * self, GstVideoInfo * info)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  while (!self->have_format && !self->error && !self->flushing)
    g_cond_wait (&self->cond, &self->lock);
  ok = self->have_format && !self->error;
  if (ok)
    *info = self->info;
  else if (self->error)
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("PipeWire stream failed: %s",
            self->error), (NULL));
  g_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
gst_alloc_pw_src_negotiate (GstBaseSrc * src)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (src);
  GstCaps *template = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (src));
  GstCaps *peer = gst_pad_peer_query_caps (GST_BASE_SRC_PAD (src), template);
  GstVideoInfo info;
  gboolean ok;

  gst_caps_unref (template);
  ok = self->stream || connect_stream (self, peer);
  gst_caps_unref (peer);
  if (!ok || !wait_format (self, &info))
    return FALSE;
  peer = gst_video_info_to_caps (&info);
  ok = gst_base_src_set_caps (src, peer);
  gst_caps_unref (peer);
  return ok;
}

static gboolean
answered_nothing (GstQuery * query)
{
  return gst_query_get_n_allocation_pools (query) == 0
      && gst_query_get_n_allocation_params (query) == 0
      && gst_query_get_n_allocation_metas (query) == 0;
}

/* Downstream's answer says what it needs: merged with ours and announced,
 * and the pool basesrc keeps from it is where copies go. */
static gboolean
gst_alloc_pw_src_decide_allocation (GstBaseSrc * src, GstQuery * query)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (src);
  GstAllocConstraints *down;
  GstPad *peer = gst_pad_get_peer (GST_BASE_SRC_PAD (src));
  gchar *origin = peer ? gst_object_get_path_string (GST_OBJECT (peer))
      : g_strdup ("downstream");
  GError *err = NULL;

  gst_clear_object (&peer);
  down = gst_alloc_constraints_from_allocation_query (query, origin, &err);
  if (!down) {
    GST_ELEMENT_WARNING (self, CORE, NEGOTIATION, ("Downstream's allocation "
            "answer cannot be read: %s", err->message), (NULL));
    g_clear_error (&err);
    down = gst_alloc_constraints_new ();
  }
  /* A peer that answered nothing at all (fakesink) reads nothing either;
   * one that answered without GstVideoMeta reads the default layout. */
  if (!gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL)
      && !answered_nothing (query)) {
    down->default_layout = TRUE;
    gst_alloc_constraints_set_field_origin (down,
        GST_ALLOC_FIELD_DEFAULT_LAYOUT, origin);
  }
  g_free (origin);
  gst_alloc_constraints_free (self->downstream);
  self->downstream = down;
  update_announcement (self);
  return GST_BASE_SRC_CLASS (gst_alloc_pw_src_parent_class)->decide_allocation
      (src, query);
}

/* --- frames --- */

static struct pw_buffer *
wait_buffer (GstAllocPwSrc * self, GstFlowReturn * ret)
{
  struct pw_buffer *b = NULL;

  g_mutex_lock (&self->lock);
  while (!self->flushing && !self->error
      && !(b = pw_stream_dequeue_buffer (self->stream)))
    g_cond_wait (&self->cond, &self->lock);
  *ret = self->flushing ? GST_FLOW_FLUSHING : GST_FLOW_OK;
  if (!b && !self->flushing && self->error) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("PipeWire stream failed: %s",
            self->error), (NULL));
    *ret = GST_FLOW_ERROR;
  }
  g_mutex_unlock (&self->lock);
  return b;
}

/* Why downstream cannot take @buffer as it is, or NULL. */
static gchar *
copy_reason (GstAllocPwSrc * self, GstBuffer * buffer,
    const GstVideoInfo * info)
{
  GError *err = NULL;
  gchar *why;

  if (self->downstream && !gst_alloc_constraints_check_buffer
      (self->downstream, info, buffer, &err)) {
    why = g_strdup_printf ("the frame does not satisfy downstream: %s",
        err->message);
    g_clear_error (&err);
    return why;
  }
  return NULL;
}

static GstFlowReturn
copy_frame (GstAllocPwSrc * self, GstBuffer * in, const GstVideoInfo * info,
    GstBuffer ** out)
{
  GstBufferPool *pool = gst_base_src_get_buffer_pool (GST_BASE_SRC (self));
  GstVideoFrame src, dst;
  GstFlowReturn ret;
  gboolean ok;

  ret = pool ? gst_buffer_pool_acquire_buffer (pool, out, NULL) :
      GST_FLOW_NOT_NEGOTIATED;
  gst_clear_object (&pool);
  if (ret != GST_FLOW_OK)
    return ret;
  ok = gst_video_frame_map (&src, info, in, GST_MAP_READ);
  if (ok && !gst_video_frame_map (&dst, info, *out, GST_MAP_WRITE)) {
    gst_video_frame_unmap (&src);
    ok = FALSE;
  }
  if (ok) {
    ok = gst_video_frame_copy (&dst, &src);
    gst_video_frame_unmap (&dst);
    gst_video_frame_unmap (&src);
  }
  if (!ok) {
    gst_clear_buffer (out);
    GST_ELEMENT_ERROR (self, STREAM, FAILED, ("Cannot copy a frame for "
            "downstream"), (NULL));
    return GST_FLOW_ERROR;
  }
  GST_BUFFER_OFFSET (*out) = GST_BUFFER_OFFSET (in);
  GST_BUFFER_FLAGS (*out) |= GST_BUFFER_FLAGS (in);
  return GST_FLOW_OK;
}

static void
count_frame (GstAllocPwSrc * self, gchar * copied_because,
    const GstVideoInfo * info)
{
  GST_OBJECT_LOCK (self);
  self->frames_out++;
  if (copied_because) {
    self->copies++;
    self->bytes_copied += GST_VIDEO_INFO_SIZE (info);
    if (g_strcmp0 (copied_because, self->last_copy_reason) != 0)
      GST_CAT_INFO_OBJECT (gst_alloc_elements_performance, self,
          "copying frames: %s", copied_because);
    g_free (self->last_copy_reason);
    self->last_copy_reason = copied_because;
  }
  GST_OBJECT_UNLOCK (self);
}

/* Links again, for buffers with memory this time. */
static gboolean
reconnect (GstAllocPwSrc * self)
{
  GstCaps *template = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (self));
  GstCaps *peer = gst_pad_peer_query_caps (GST_BASE_SRC_PAD (self), template);
  gboolean ok;

  gst_caps_unref (template);
  disconnect_stream (self);
  ok = connect_stream (self, peer);
  gst_caps_unref (peer);
  return ok;
}

#define MAX_RECONNECTS 3

static GstFlowReturn
gst_alloc_pw_src_create (GstPushSrc * psrc, GstBuffer ** out)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (psrc);
  struct pw_buffer *b;
  GstFlowReturn ret;
  GstVideoInfo info;
  GstBuffer *frame;
  GError *err = NULL;
  gchar *why;

  for (;;) {
    if (!(b = wait_buffer (self, &ret)))
      return ret;
    g_mutex_lock (&self->lock);
    info = self->info;
    g_mutex_unlock (&self->lock);
    if ((frame = gst_alloc_pw_frames_wrap (self->frames, b, &info, &err)))
      break;
    GST_WARNING_OBJECT (self, "dropping a frame: %s", err->message);
    if (err->domain == GST_RESOURCE_ERROR) {
      if (self->reconnects++ >= MAX_RECONNECTS) {
        GST_ELEMENT_ERROR (self, RESOURCE, READ, ("%s, %u times",
                err->message, self->reconnects), (NULL));
        g_clear_error (&err);
        return GST_FLOW_ERROR;
      }
      if (!reconnect (self)) {
        g_clear_error (&err);
        return GST_FLOW_ERROR;
      }
    }
    g_clear_error (&err);
  }
  if ((why = copy_reason (self, frame, &info))) {
    ret = copy_frame (self, frame, &info, out);
    gst_buffer_unref (frame);
  } else {
    *out = frame;
  }
  if (ret == GST_FLOW_OK)
    count_frame (self, why, &info);
  else
    g_free (why);
  return ret;
}

static gboolean
gst_alloc_pw_src_unlock (GstBaseSrc * src)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (src);

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_alloc_pw_src_unlock_stop (GstBaseSrc * src)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (src);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
on_core_error (gpointer user_data, const gchar * message)
{
  GstAllocPwSrc *self = user_data;

  g_mutex_lock (&self->lock);
  g_free (self->error);
  self->error = g_strdup (message);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
gst_alloc_pw_src_start (GstBaseSrc * src)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (src);
  GError *err = NULL;

  self->core = gst_alloc_pw_core_new (GST_OBJECT_NAME (self), on_core_error,
      self, &err);
  if (!self->core) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("%s", err->message),
        ("PipeWire %s", gst_alloc_pw_version_string ()));
    g_clear_error (&err);
    return FALSE;
  }
  self->frames = gst_alloc_pw_frames_new ();
  g_mutex_lock (&self->lock);
  self->have_format = FALSE;
  g_clear_pointer (&self->error, g_free);
  g_mutex_unlock (&self->lock);
  GST_OBJECT_LOCK (self);
  self->frames_out = self->copies = self->bytes_copied = 0;
  g_clear_pointer (&self->last_copy_reason, g_free);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_alloc_pw_src_stop (GstBaseSrc * src)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (src);

  disconnect_stream (self);
  g_clear_pointer (&self->frames, gst_alloc_pw_frames_free);
  g_clear_pointer (&self->core, gst_alloc_pw_core_free);
  g_clear_pointer (&self->downstream, gst_alloc_constraints_free);
  return TRUE;
}

/* --- properties --- */

static void
gst_alloc_pw_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (object);

  switch (prop_id) {
    case PROP_TARGET_OBJECT:
      gst_alloc_pw_set_string_property (GST_OBJECT (self), &self->target_object,
          value);
      break;
    case PROP_NODE_NAME:
      gst_alloc_pw_set_string_property (GST_OBJECT (self), &self->node_name,
          value);
      break;
    case PROP_CONSTRAINTS:
      gst_alloc_element_set_constraints (GST_ELEMENT (self), value,
          &self->constraints);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_alloc_pw_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (object);

  if (prop_id == PROP_CONSTRAINTS) {
    gst_alloc_element_get_constraints (GST_ELEMENT (self), self->constraints,
        value);
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_TARGET_OBJECT:
      g_value_set_string (value, self->target_object);
      break;
    case PROP_NODE_NAME:
      g_value_set_string (value, self->node_name);
      break;
    case PROP_FRAMES:
      g_value_set_uint64 (value, self->frames_out);
      break;
    case PROP_COPIES:
      g_value_set_uint64 (value, self->copies);
      break;
    case PROP_BYTES_COPIED:
      g_value_set_uint64 (value, self->bytes_copied);
      break;
    case PROP_LAST_COPY_REASON:
      g_value_set_string (value, self->last_copy_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_pw_src_finalize (GObject * object)
{
  GstAllocPwSrc *self = GST_ALLOC_PW_SRC (object);

  g_free (self->target_object);
  g_free (self->node_name);
  g_free (self->error);
  g_free (self->last_copy_reason);
  gst_alloc_constraints_free (self->constraints);
  gst_alloc_constraints_free (self->downstream);
  gst_alloc_constraints_free (self->announced);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_alloc_pw_src_parent_class)->finalize (object);
}

static void
install_properties (GObjectClass * gobject_class)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  g_object_class_install_property (gobject_class, PROP_TARGET_OBJECT,
      g_param_spec_string ("target-object", "Target object", "The node to "
          "consume: its name or serial (NULL: the session manager's default)",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_NODE_NAME,
      g_param_spec_string ("node-name", "Node name", "This consumer's node "
          "name, which producers see as the origin of its needs (NULL: the "
          "element name)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      gst_alloc_element_constraints_pspec ("What this consumer needs besides "
          "what downstream asks for; announced to the producer"));
  g_object_class_install_property (gobject_class, PROP_FRAMES,
      g_param_spec_uint64 ("frames", "frames", "Frames pushed since start", 0,
          G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_COPIES,
      g_param_spec_uint64 ("copies", "copies", "Frames copied because "
          "downstream could not take them as they arrived", 0, G_MAXUINT64, 0,
          ro));
  g_object_class_install_property (gobject_class, PROP_BYTES_COPIED,
      g_param_spec_uint64 ("bytes-copied", "bytes-copied", "Bytes of the "
          "frames copied", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_LAST_COPY_REASON,
      g_param_spec_string ("last-copy-reason", "last-copy-reason", "Why the "
          "last frame was copied; NULL before any copy", NULL, ro));
}

static void
gst_alloc_pw_src_class_init (GstAllocPwSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *src_class = GST_BASE_SRC_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_alloc_pw_src_debug, "allocpwsrc", 0,
      "gst-alloc PipeWire source");
  gobject_class->set_property = gst_alloc_pw_src_set_property;
  gobject_class->get_property = gst_alloc_pw_src_get_property;
  gobject_class->finalize = gst_alloc_pw_src_finalize;
  install_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "PipeWire video consumer without copies", "Source/Video",
      "Consumes a PipeWire video node, wrapping its dma-bufs and memfds "
      "without copying, and tells the producer what downstream needs",
      "gst-alloc");
  src_class->start = gst_alloc_pw_src_start;
  src_class->stop = gst_alloc_pw_src_stop;
  src_class->negotiate = gst_alloc_pw_src_negotiate;
  src_class->decide_allocation = gst_alloc_pw_src_decide_allocation;
  src_class->unlock = gst_alloc_pw_src_unlock;
  src_class->unlock_stop = gst_alloc_pw_src_unlock_stop;
  GST_PUSH_SRC_CLASS (klass)->create = gst_alloc_pw_src_create;
}

static void
gst_alloc_pw_src_init (GstAllocPwSrc * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_do_timestamp (GST_BASE_SRC (self), TRUE);
}
